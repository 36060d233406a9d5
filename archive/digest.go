package archive

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/textproto"
	"strconv"
	"strings"
)

// checkRecordDigests re-reads one record's raw bytes (a gzip member or a
// plain record) and checks its WARC-Block-Digest and, for HTTP records,
// WARC-Payload-Digest, independently of the WARC library. It returns the
// mismatches found, none when the record is sound.
func checkRecordDigests(raw []byte) ([]string, error) {
	var r io.Reader = bytes.NewReader(raw)
	if len(raw) >= 2 && raw[0] == 0x1f && raw[1] == 0x8b {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, err
		}
		zr.Multistream(false)
		r = zr
	}
	br := bufio.NewReader(r)
	if _, err := br.ReadString('\n'); err != nil { // WARC/1.1
		return nil, err
	}
	h, err := textproto.NewReader(br).ReadMIMEHeader()
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	n, err := strconv.ParseInt(h.Get("Content-Length"), 10, 64)
	if err != nil || n < 0 {
		return nil, fmt.Errorf("content length %q", h.Get("Content-Length"))
	}
	block := make([]byte, n)
	if _, err := io.ReadFull(br, block); err != nil {
		return nil, fmt.Errorf("block: %w", err)
	}
	var problems []string
	if want := h.Get("Warc-Block-Digest"); want != "" {
		if ok, err := digestMatches(want, block); err != nil {
			problems = append(problems, "block digest: "+err.Error())
		} else if !ok {
			problems = append(problems, "block digest mismatch")
		}
	}
	want := h.Get("Warc-Payload-Digest")
	isHTTP := strings.HasPrefix(strings.ToLower(h.Get("Content-Type")), "application/http")
	if want != "" && isHTTP && !strings.EqualFold(h.Get("Warc-Type"), "revisit") && h.Get("Warc-Segment-Number") == "" {
		i := bytes.Index(block, []byte("\r\n\r\n"))
		if i < 0 {
			problems = append(problems, "payload: no end of HTTP headers")
		} else if ok, err := digestMatches(want, block[i+4:]); err != nil {
			problems = append(problems, "payload digest: "+err.Error())
		} else if !ok {
			problems = append(problems, "payload digest mismatch")
		}
	}
	return problems, nil
}

// digestMatches reports whether the WARC digest "algorithm:value" is
// that of data. Values may be base32, hex or base64, as writers differ.
func digestMatches(digest string, data []byte) (bool, error) {
	alg, val, ok := strings.Cut(digest, ":")
	if !ok {
		return false, fmt.Errorf("malformed %q", digest)
	}
	var h hash.Hash
	switch strings.ToLower(strings.ReplaceAll(alg, "-", "")) {
	case "sha1":
		h = sha1.New()
	case "sha256":
		h = sha256.New()
	case "sha512":
		h = sha512.New()
	case "md5":
		h = md5.New()
	default:
		return false, fmt.Errorf("unknown algorithm %q", alg)
	}
	h.Write(data)
	sum := h.Sum(nil)
	for _, dec := range []func(string) ([]byte, error){
		func(s string) ([]byte, error) { return base32.StdEncoding.DecodeString(strings.ToUpper(s)) },
		base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString,
		hex.DecodeString,
		base64.StdEncoding.DecodeString,
		base64.RawStdEncoding.DecodeString,
	} {
		if b, err := dec(val); err == nil && len(b) == len(sum) {
			return bytes.Equal(b, sum), nil
		}
	}
	return false, errors.New("undecodable value " + strconv.Quote(val))
}
