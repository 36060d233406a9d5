package archive

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nlnwa/gowarc/v3"
)

// lenientOptions read WARC files written by other tools with gowarc, as Import did: WARC/1.0 and
// 1.1, gzipped per record or not, with the small deviations real crawlers
// make (such as wget's <URI> in angle brackets, which gowarc blanks and
// restoreTargetURI restores); digest mismatches do not stop the reading.
func lenientOptions() []gowarc.WarcRecordOption {
	return readOptions(gowarc.ErrWarn)
}

// walkRecordsGowarc is walkRecords as it was with gowarc's reader, over
// a stream of size bytes whose bytes ra reads again at need: the
// reference the lean reader is checked against.
func walkRecordsGowarc(ctx context.Context, src io.Reader, size int64, ra io.ReaderAt, opts []gowarc.WarcRecordOption, name string, fn func(c *Capture, off, length int64) error) error {
	r, err := newWARCReader(src, opts)
	if err != nil {
		return err
	}
	defer r.Close()
	requests := map[string]*http.Request{} // by WARC-Concurrent-To or record id
	var lastReq *http.Request
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, err := r.Next()
		if errors.Is(err, io.EOF) && rec.WarcRecord == nil {
			// gowarc also says EOF for a file cut inside a record header.
			if end := rec.Offset; end < size {
				return fmt.Errorf("%s at %d: record cut off (%d bytes before the end of the file)", name, end, size-end)
			}
			return nil
		}
		if err != nil {
			if rec.WarcRecord != nil {
				rec.Close()
			}
			return fmt.Errorf("%s at %d: %w", name, rec.Offset, err)
		}
		if rec.Offset+rec.Size >= size && cutShort(rec.Validation) {
			// Lenient parsing accepts a plain record that the end of the
			// file cut short; it is damage to report, not a capture.
			rec.Close()
			return fmt.Errorf("%s at %d: record cut off by the end of the file", name, rec.Offset)
		}
		wr := rec.WarcRecord
		restoreTargetURI(wr, ra, rec.Offset, rec.Size)
		switch wr.Type() {
		case gowarc.Request:
			// Writers link the pair either way: warta and Heritrix name the
			// response in the request, wget names the request in the
			// response.
			req := requestFromRecord(wr)
			if req != nil {
				for _, id := range wr.WarcHeader().GetAll(gowarc.WarcConcurrentTo) {
					requests[strings.Trim(id, "<>")] = req
				}
				requests[wr.RecordId()] = req
				lastReq = req
			}
		case gowarc.Response:
			c, cerr := captureFromRecord(wr)
			if cerr == nil {
				req := requests[wr.RecordId()]
				delete(requests, wr.RecordId())
				for _, id := range wr.WarcHeader().GetAll(gowarc.WarcConcurrentTo) {
					if r, ok := requests[strings.Trim(id, "<>")]; ok && req == nil {
						req = r
						delete(requests, strings.Trim(id, "<>"))
					}
				}
				if req == nil && lastReq != nil && lastReq.URL != nil && lastReq.URL.String() == c.URL {
					req = lastReq
				}
				if req != nil {
					c.Method = req.Method
					c.RequestHeader = req.Header
				}
				lastReq = nil
				if err := fn(c, rec.Offset, rec.Size); err != nil {
					rec.Close()
					if errors.Is(err, errStop) {
						return nil
					}
					return err
				}
			}
		}
		rec.Close()
	}
}

// cutShort reports whether gowarc's findings about a record say that its
// block or end marker is missing bytes.
func cutShort(findings []error) bool {
	for _, f := range findings {
		var le *gowarc.ContentLengthError
		if errors.As(f, &le) && le.Actual < le.Expected {
			return true
		}
		if msg := f.Error(); strings.Contains(msg, "end of record") || strings.Contains(msg, "too few bytes") {
			return true
		}
	}
	return false
}

// requestFromRecord parses the HTTP request of a request record; nil when
// it is not one.
func requestFromRecord(rec gowarc.WarcRecord) *http.Request {
	b, ok := rec.Block().(gowarc.HttpRequestBlock)
	if !ok {
		return nil
	}
	head := append(bytes.TrimRight(b.ProtocolHeaderBytes(), "\r\n"), "\r\n\r\n"...)
	req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(head)))
	if err != nil {
		return nil
	}
	req.Header.Del("Host")
	if h := req.Host; h != "" {
		req.Header.Set("Host", h)
	}
	req.URL, _ = req.URL.Parse(strings.Trim(rec.WarcHeader().Get(gowarc.WarcTargetURI), "<>"))
	return req
}

// walked is what a walk gave for one response.
type walked struct {
	C           *Capture
	Off, Length int64
}

// walkBoth walks data with walkRecords and with walkRecordsGowarc.
func walkBoth(data []byte) (lean, ref []walked, leanErr, refErr error) {
	ctx := context.Background()
	leanErr = walkRecords(ctx, bytes.NewReader(data), "x.warc", 0, func(c *Capture, off, length int64) error {
		lean = append(lean, walked{c, off, length})
		return nil
	})
	r := bytes.NewReader(data)
	refErr = walkRecordsGowarc(ctx, r, int64(len(data)), r, lenientOptions(), "x.warc", func(c *Capture, off, length int64) error {
		ref = append(ref, walked{c, off, length})
		return nil
	})
	return lean, ref, leanErr, refErr
}

// readerShapes are WARC files of every shape the tests know: wget's,
// Heritrix's, a browser crawler's, and warta's own (pages, a revisit, a
// truncated capture with a source, HTTP/2, an empty body, a picture, a
// page of 200 KB), each also with bytes between its records.
func readerShapes(t *testing.T) map[string][]byte {
	dir := t.TempDir()
	s := openTest(t, dir)
	page := testCapture("https://example.org/baca/1?x=%20y", randomText(1, 70000))
	page.Header.Del("Content-Encoding")
	sourced := testCapture("https://example.org/baca/2", randomText(2, 5000))
	sourced.Source = "https://web.archive.org/web/2024id_/https://example.org/baca/2"
	sourced.Truncated = true
	h2 := testCapture("https://example.org/baca/3", "<p>h2</p>")
	h2.Proto = "HTTP/2.0"
	empty := testCapture("https://example.org/kosong", "")
	empty.Status = 204
	picture := testCapture("https://example.org/a.png", "\x89PNG\r\n\x1a\n"+randomText(3, 3000))
	picture.Header = http.Header{"Content-Type": {"image/png"}, "X-Folded": {"a  b"}}
	for _, c := range []*Capture{page, sourced, h2, empty, picture, page} {
		if _, err := s.SaveCapture(c); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	files, err := warcFiles(s.warcDir())
	if err != nil || len(files) != 1 {
		t.Fatalf("warc files %v, %v, want one", files, err)
	}
	own, err := os.ReadFile(filepath.Join(s.warcDir(), files[0]))
	if err != nil {
		t.Fatal(err)
	}
	shapes := map[string][]byte{"warta": own}
	for name, mk := range map[string]func(testing.TB) string{"wget": wgetWARC, "heritrix": heritrixWARC} {
		data, err := os.ReadFile(mk(t))
		if err != nil {
			t.Fatal(err)
		}
		shapes[name] = data
	}
	b := &warcBuilder{version: "1.1", gzip: true}
	req := b.record("request", "https://example.org/baca/empat", map[string]string{"Content-Type": "application/http; msgtype=request"},
		"GET /baca/empat HTTP/1.1\r\nUser-Agent: Mozilla/5.0 Browsertrix\r\nHost: example.org\r\n\r\n")
	b.record("response", "https://example.org/baca/empat", map[string]string{"Content-Type": "application/http; msgtype=response", "WARC-Concurrent-To": req},
		"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n"+gzipped(pageSatu))
	b.record("response", "dns:example.org", map[string]string{"Content-Type": "text/dns"}, "example.org. 300 IN A 127.0.0.1\n")
	b.record("response", "https://example.org/not-http", map[string]string{"Content-Type": "text/plain"}, "HTTP/1.1 200 OK\r\n\r\nx")
	b.record("response", "https://example.org/bad-status", map[string]string{"Content-Type": "application/http; msgtype=response"}, "HTTP/1.1 OK\r\n\r\nx")
	shapes["browsertrix"] = b.buf.Bytes()
	plain := &warcBuilder{version: "1.0"}
	plain.record("response", "<https://example.org/baca/lima>", map[string]string{"Content-Type": "application/http;msgtype=response"},
		"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Long: one\r\n two\r\n\r\n"+pageDua)
	shapes["plain"] = plain.buf.Bytes()
	// Stray bytes between records, which both readers pass over.
	shapes["wget with newlines between records"] = bytes.ReplaceAll(shapes["wget"], []byte("\r\n\r\nWARC/"), []byte("\r\n\r\n\r\n\nWARC/"))
	return shapes
}

// sameBytes compares bodies as bytes.Equal does (nil and empty alike),
// faster than cmp's element by element.
var sameBytes = cmp.Comparer(bytes.Equal)

// TestWalkRecordsAsGowarc checks that the lean reader gives what gowarc's
// gave: the same captures (request paired, body, headers, time, source,
// truncation) at the same offsets, from every shape of file, and an error
// for the same cuts of them.
func TestWalkRecordsAsGowarc(t *testing.T) {
	for name, data := range readerShapes(t) {
		t.Run(name, func(t *testing.T) {
			lean, ref, leanErr, refErr := walkBoth(data)
			if leanErr != nil || refErr != nil {
				t.Fatalf("walk errors: lean %v, gowarc %v; want none", leanErr, refErr)
			}
			if len(ref) == 0 {
				t.Fatalf("gowarc read no capture")
			}
			if diff := cmp.Diff(ref, lean, sameBytes); diff != "" {
				t.Errorf("lean reader mismatch (-gowarc +lean):\n%s", diff)
			}
			step := max(1, len(data)/300)
			for cut := 1; cut < len(data); cut += step {
				lean, ref, leanErr, refErr := walkBoth(data[:cut])
				if (leanErr == nil) != (refErr == nil) {
					t.Errorf("cut at %d of %d: lean error %v, gowarc error %v", cut, len(data), leanErr, refErr)
					continue
				}
				if diff := cmp.Diff(ref, lean, sameBytes); diff != "" {
					t.Errorf("cut at %d of %d: lean reader mismatch (-gowarc +lean):\n%s", cut, len(data), diff)
				}
			}
		})
	}
}
