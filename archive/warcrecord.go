package archive

import (
	"crypto/sha1"
	"encoding/base32"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/nlnwa/gowarc/v3"
)

// warta writes its WARC records itself rather than through gowarc's
// record builder, which copies every block twice into buffers of at
// least 16 KB, parses the HTTP block it was just given and checks each
// header field (a WHATWG parse of the target URI) only to return
// warnings that warta would discard; it hashed the payload apart from
// the block, too. Here a record's header is a few appends, its two
// digests come from one pass each over the bytes the capture already
// holds, and the block goes straight into the gzip writer. The bytes are
// those gowarc's builder and marshaler write, field for field
// (TestRecordsAsGowarc); gowarc, warta's own digest check and warcio.js
// read them back in the tests.

// recordHead is the header of a WARC record being written: the version
// line and "Name: value" lines, in the order they are added.
type recordHead []byte

// newRecordHead starts the header of a record of type typ.
func newRecordHead(typ string) recordHead {
	return startRecordHead(nil, typ)
}

// startRecordHead is newRecordHead in dst's memory, when it has some.
func startRecordHead(dst recordHead, typ string) recordHead {
	h := dst[:0]
	if cap(h) == 0 {
		h = make(recordHead, 0, 640)
	}
	h = append(h, "WARC/1.1\r\n"...)
	h.add(gowarc.WarcType, typ)
	return h
}

// add appends a field. Values come from warta (dates, ids, digests) or
// were checked to hold no line break (checkCapture).
func (h *recordHead) add(name, value string) {
	*h = append(*h, name...)
	*h = append(*h, ": "...)
	*h = append(*h, value...)
	*h = append(*h, "\r\n"...)
}

// addBlock appends the fields that describe the block, in gowarc's
// order: the record id, the block's length and digest, and the payload
// digest when there is one.
func (h *recordHead) addBlock(id string, length int, blockDigest, payloadDigest string) {
	h.add(gowarc.WarcRecordID, "<"+id+">")
	h.add(gowarc.ContentLength, strconv.Itoa(length))
	h.add(gowarc.WarcBlockDigest, blockDigest)
	if payloadDigest != "" {
		h.add(gowarc.WarcPayloadDigest, payloadDigest)
	}
}

// sha1Digest returns the WARC digest of the parts read in a row:
// "sha1:" and the base32 of the SHA-1, as gowarc writes it.
func sha1Digest(parts ...[]byte) string {
	h := sha1.New()
	for _, p := range parts {
		h.Write(p)
	}
	var sum [sha1.Size]byte
	return "sha1:" + base32.StdEncoding.EncodeToString(h.Sum(sum[:0]))
}

// emptyDigest is the payload digest of a request without a body.
var emptyDigest = sha1Digest()

// writeRecord writes a record: its header, the empty line, the block
// given in parts, and the two line breaks that end a record.
func writeRecord(w io.Writer, head recordHead, block ...[]byte) error {
	if _, err := w.Write(head); err != nil {
		return err
	}
	if _, err := io.WriteString(w, "\r\n"); err != nil {
		return err
	}
	for _, p := range block {
		if _, err := w.Write(p); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, "\r\n\r\n")
	return err
}

// warcDate formats a record's WARC-Date, to the nanosecond as WARC/1.1
// allows.
func warcDate(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// headBufs is the memory one capture's heads are built in: its HTTP
// request and response heads and the headers of its two records. A
// warcWriter lends one to each save (warcWriter.heads): the heads are
// compressed into the capture's records before save returns, and no
// other reference to them is kept.
type headBufs struct {
	req, resp             []byte
	reqRecord, respRecord recordHead
}

// captureRecords are the headers of one capture's two records; the
// blocks are the capture's own bytes.
type captureRecords struct {
	req, resp     recordHead
	respID        string
	respUUID      [16]byte // respID's
	date          string
	payloadDigest string
	revisit       bool
}

// captureHeads builds the request and response (or revisit) records of
// c, whose HTTP heads are reqHead and respHead and whose payload is
// c.Body, for the file whose warcinfo record is info, in the memory of
// bufs when it is not nil. A revisit record replaces the response when
// revisitProfile says so; its block is the HTTP head alone.
func captureHeads(c *Capture, reqHead, respHead []byte, fetched time.Time, prev *lastCapture, info string, bufs *headBufs) (*captureRecords, error) {
	if bufs == nil {
		bufs = &headBufs{}
	}
	respUUID, err := newRecordUUID()
	if err != nil {
		return nil, err
	}
	respID := recordIDOf(respUUID)
	reqID, err := newRecordID()
	if err != nil {
		return nil, err
	}
	r := &captureRecords{respID: respID, respUUID: respUUID, date: warcDate(fetched), payloadDigest: sha1Digest(c.Body)}
	profile := revisitProfile(c, prev, r.payloadDigest)
	r.revisit = profile != ""

	typ := "response"
	if r.revisit {
		typ = "revisit"
	}
	h := startRecordHead(bufs.respRecord, typ)
	h.add(gowarc.WarcDate, r.date)
	h.add(gowarc.WarcTargetURI, c.URL)
	h.add(gowarc.ContentType, "application/http;msgtype=response")
	h.add(gowarc.WarcWarcinfoID, "<"+info+">")
	if c.Source != "" {
		// gowarc wrote the names it does not know in Go's canonical
		// form, and the archive has them so.
		h.add(http.CanonicalHeaderKey(warcSourceURI), c.Source)
	}
	if c.Truncated {
		h.add(gowarc.WarcTruncated, "length")
	}
	if r.revisit {
		h.addBlock(respID, len(respHead), sha1Digest(respHead), r.payloadDigest)
		h.add(gowarc.WarcProfile, profile)
		h.add(gowarc.WarcRefersTo, "<"+prev.recordID+">")
		h.add(gowarc.WarcRefersToTargetURI, c.URL)
		if prev.date != "" {
			h.add(gowarc.WarcRefersToDate, prev.date)
		}
		// The revisit block holds only the HTTP headers: it is not
		// truncated by a size limit but by design, as WARC-Profile says.
		h.add(gowarc.WarcTruncated, "length")
	} else {
		h.addBlock(respID, len(respHead)+len(c.Body), sha1Digest(respHead, c.Body), r.payloadDigest)
	}
	r.resp = h

	q := startRecordHead(bufs.reqRecord, "request")
	q.add(gowarc.WarcDate, r.date)
	q.add(gowarc.WarcTargetURI, c.URL)
	q.add(gowarc.ContentType, "application/http;msgtype=request")
	q.add(gowarc.WarcConcurrentTo, "<"+respID+">")
	q.add(gowarc.WarcWarcinfoID, "<"+info+">")
	q.addBlock(reqID, len(reqHead), sha1Digest(reqHead), emptyDigest)
	r.req = q
	return r, nil
}

// revisitProfile returns the WARC-Profile of a revisit record to write
// for c, whose payload digest is digest, after the URL's last full
// capture prev; "" when the response must be written whole.
func revisitProfile(c *Capture, prev *lastCapture, digest string) string {
	switch {
	case prev == nil || c.Truncated || prev.recordID == "":
		return ""
	case c.Status == http.StatusNotModified && len(c.Body) == 0 && prev.status/100 == 2:
		// The answer to a conditional request: the payload is that of the
		// last full capture.
		return gowarc.ProfileServerNotModifiedV1_1
	case prev.status == c.Status && prev.payloadDigest != "" && prev.payloadDigest == digest:
		return gowarc.ProfileIdenticalPayloadDigestV1_1
	}
	return ""
}

// warcinfoRecord returns the header and block of a warcinfo record with
// the given id, opening the WARC file name, created at date by software;
// the block's fields end with the name and value of last, such as the
// hostname.
func warcinfoRecord(id, name string, date time.Time, software string, last [2]string) (recordHead, []byte) {
	block := []byte("software: " + oneLine(software) + "\r\n" +
		"format: WARC File Format 1.1\r\n" +
		"conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n" +
		last[0] + ": " + oneLine(last[1]) + "\r\n")
	h := newRecordHead("warcinfo")
	h.add(gowarc.WarcDate, warcDate(date))
	h.add(gowarc.WarcFilename, name)
	h.add(gowarc.ContentType, gowarc.ApplicationWarcFields)
	h.addBlock(id, len(block), sha1Digest(block), "")
	return h, block
}
