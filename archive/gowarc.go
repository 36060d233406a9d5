package archive

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"sync"

	"github.com/nlnwa/gowarc/v3"
)

// gowarcMu serializes the gowarc constructors. Each of them calls
// github.com/google/uuid's EnableRandPool, which writes a package variable
// of that module without synchronization: two Stores, or a reader and a
// writer of one Store, building records at once are a data race (go test
// -race reports it). It is the only package-level variable here, and it
// guards a dependency's, not state of ours.
var gowarcMu sync.Mutex

// newWARCReader is gowarc.NewWarcFileReaderFromStream.
func newWARCReader(r io.Reader, opts []gowarc.WarcRecordOption) (*gowarc.WarcFileReader, error) {
	gowarcMu.Lock()
	defer gowarcMu.Unlock()
	return gowarc.NewWarcFileReaderFromStream(r, 0, opts...)
}

// newRecordID returns a fresh WARC-Record-ID value, a random (version 4)
// UUID URN. warta makes its own so that gowarc does not call uuid.New,
// which reads the variable that gowarcMu guards.
func newRecordID() (string, error) {
	b, err := newRecordUUID()
	if err != nil {
		return "", err
	}
	return recordIDOf(b), nil
}

// newRecordUUID returns the UUID of a fresh WARC-Record-ID.
func newRecordUUID() ([16]byte, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return b, err
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return b, nil
}

// recordIDOf returns the WARC-Record-ID of a UUID: its URN.
func recordIDOf(b [16]byte) string {
	var s [45]byte
	dst := append(s[:0], "urn:uuid:"...)
	for i, part := range [][]byte{b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]} {
		if i > 0 {
			dst = append(dst, '-')
		}
		dst = hex.AppendEncode(dst, part)
	}
	return string(dst)
}
