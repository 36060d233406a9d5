package archive

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httputil"
	"strconv"
	"strings"

	"github.com/klauspost/compress/zstd"
	"github.com/nlnwa/gowarc/v3"
)

// MaxImportBody is the most bytes of one decoded payload that Import
// hands on; a larger one is cut there and marked Truncated, so that a
// compressed bomb in a foreign file cannot exhaust memory.
const MaxImportBody = 64 << 20

// lenientOptions read WARC files written by other tools: WARC/1.0 and
// 1.1, gzipped per record or not, with the small deviations real crawlers
// make (such as wget's <URI> in angle brackets, which gowarc blanks and
// restoreTargetURI restores); digest mismatches do not stop the reading.
// The spec policy is ErrWarn, not ErrIgnore, for the reason strictOptions
// gives.
func lenientOptions() []gowarc.WarcRecordOption {
	return []gowarc.WarcRecordOption{
		gowarc.WithSyntaxErrorPolicy(gowarc.ErrWarn),
		gowarc.WithSpecViolationPolicy(gowarc.ErrWarn),
		gowarc.WithBlockErrorPolicy(gowarc.ErrWarn),
		gowarc.WithUnknownRecordTypePolicy(gowarc.ErrWarn),
		gowarc.WithBufferMaxMemBytes(64 << 20),
	}
}

// Import reads a WARC file made by another crawler (wget, Heritrix,
// warcprox, ...; WARC/1.0 or 1.1; .warc.gz with a gzip member per record
// or a plain .warc) and calls fn with every HTTP response in it, paired
// with its request when the file has one. Bodies are decoded as a client
// would see them (chunked transfer coding, then gzip, deflate or zstd
// content coding; the original headers stay as X-Archive-Orig-*), and the
// capture time is the record's WARC-Date. Records that are not HTTP
// responses (warcinfo, metadata, dns: lookups, revisits whose payload is
// in another record) are skipped. Import does not write anything: fn
// decides what to keep, for example with Store.SaveCapture. It stops at
// the first error from fn, at an unreadable record, or when ctx is done.
func Import(ctx context.Context, warcFile string, fn func(*Capture) error) error {
	err := walkWARC(ctx, warcFile, -1, lenientOptions(), func(c *Capture, _, _ int64) error {
		if !strings.HasPrefix(c.URL, "http://") && !strings.HasPrefix(c.URL, "https://") {
			return nil
		}
		decodeBody(c, MaxImportBody)
		return fn(c)
	})
	if err != nil {
		return fmt.Errorf("archive: import %s: %w", warcFile, err)
	}
	return nil
}

// decodeBody undoes the transfer and content codings of a raw HTTP
// payload, keeping at most max bytes. A coding it cannot undo is left in
// place, with its header.
func decodeBody(c *Capture, max int) {
	if c.Header == nil {
		return
	}
	if te := strings.ToLower(c.Header.Get("Transfer-Encoding")); strings.Contains(te, "chunked") {
		body, err := io.ReadAll(io.LimitReader(httputil.NewChunkedReader(bytes.NewReader(c.Body)), int64(max)+1))
		// A body cut off mid-chunk still gives what was read.
		if err == nil || errors.Is(err, io.ErrUnexpectedEOF) || len(body) > 0 {
			c.Body = body
			c.Header.Set("X-Archive-Orig-Transfer-Encoding", c.Header.Get("Transfer-Encoding"))
			c.Header.Del("Transfer-Encoding")
			c.Truncated = c.Truncated || err != nil
		}
	}
	if ce := strings.ToLower(strings.TrimSpace(c.Header.Get("Content-Encoding"))); ce != "" && ce != "identity" {
		var r io.Reader
		var err error
		switch ce {
		case "gzip", "x-gzip":
			r, err = gzip.NewReader(bytes.NewReader(c.Body))
		case "deflate":
			// Servers send zlib-wrapped or raw deflate under this name.
			if zr, zerr := zlib.NewReader(bytes.NewReader(c.Body)); zerr == nil {
				r = zr
			} else {
				r = flate.NewReader(bytes.NewReader(c.Body))
			}
		case "zstd":
			var d *zstd.Decoder
			d, err = zstd.NewReader(bytes.NewReader(c.Body), zstd.WithDecoderConcurrency(1))
			if err == nil {
				defer d.Close()
				r = d
			}
		}
		if r != nil && err == nil {
			body, rerr := io.ReadAll(io.LimitReader(r, int64(max)+1))
			if rerr == nil || len(body) > 0 {
				c.Body = body
				c.Header.Set("X-Archive-Orig-Content-Encoding", c.Header.Get("Content-Encoding"))
				c.Header.Del("Content-Encoding")
				c.Truncated = c.Truncated || rerr != nil
			}
		}
	}
	if len(c.Body) > max {
		c.Body = c.Body[:max]
		c.Truncated = true
	}
	if cl := c.Header.Get("Content-Length"); cl != "" && cl != strconv.Itoa(len(c.Body)) {
		c.Header.Set("X-Archive-Orig-Content-Length", cl)
		c.Header.Set("Content-Length", strconv.Itoa(len(c.Body)))
	}
}
