package archive

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httputil"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
)

// MaxImportBody is the most bytes of one decoded payload that Import
// hands on; a larger one is cut there and marked Truncated, so that a
// compressed bomb in a foreign file cannot exhaust memory.
const MaxImportBody = 64 << 20

// maxImportBlock is the most bytes of a foreign record's block that
// Import holds in memory: MaxImportBody and room for the HTTP head. A
// longer record (a crawl's video, say) is cut there and read past, not
// loaded whole.
const maxImportBlock = MaxImportBody + 1<<20

// Import reads a WARC file made by another crawler (wget, Heritrix,
// warcprox, ...; WARC/1.0 or 1.1; .warc.gz with a gzip member per record
// or a plain .warc), or a WACZ package (Browsertrix, ArchiveWeb.page, warta
// export: a ZIP whose archive/ directory holds such WARC files, stored or
// compressed), and calls fn with every HTTP response in it, paired with
// its request when the file has one. Bodies are decoded as a client
// would see them (chunked transfer coding, then gzip, deflate or zstd
// content coding; the original headers stay as X-Archive-Orig-*), and the
// capture time is the record's WARC-Date. Records that are not HTTP
// responses (warcinfo, metadata, dns: lookups, revisits whose payload is
// in another record) are skipped. Import does not write anything: fn
// decides what to keep, for example with Store.SaveCapture. It stops at
// the first error from fn, at an unreadable record, or when ctx is done.
func Import(ctx context.Context, warcFile string, fn func(*Capture) error) error {
	each := importing(fn)
	var err error
	switch {
	case isZip(warcFile):
		err = walkWACZ(ctx, warcFile, each)
	case !isWARC(warcFile):
		err = ErrNotWARC
	default:
		err = walkWARC(ctx, warcFile, -1, maxImportBlock, each)
	}
	if err != nil {
		return fmt.Errorf("archive: import %s: %w", warcFile, err)
	}
	return nil
}

// importing wraps fn for walkRecords: HTTP(S) responses only, decoded.
func importing(fn func(*Capture) error) func(c *Capture, off, length int64) error {
	return func(c *Capture, _, _ int64) error {
		if !strings.HasPrefix(c.URL, "http://") && !strings.HasPrefix(c.URL, "https://") {
			return nil
		}
		decodeBody(c, MaxImportBody)
		return fn(c)
	}
}

// ErrNotWARC is the error of importing a file that is neither a WARC file
// nor a WACZ package.
var ErrNotWARC = errors.New("not a WARC file (nor a WACZ package): a WARC file starts with \"WARC/\", gzipped or not")

// isWARC reports whether the file at path starts with a WARC record,
// gzipped or not. Unreadable files pass, for the reader to say why.
func isWARC(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return true
	}
	defer f.Close()
	br := bufio.NewReader(f)
	var r io.Reader = br
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return false
		}
		r = zr
	}
	head := make([]byte, 5)
	_, err = io.ReadFull(r, head)
	return err == nil && string(head) == "WARC/"
}

// Has reports whether the archive holds a capture of c's URL, at c's
// FetchedAt to the second, with c's body as its payload: what importing
// a file a second time would write again.
func (s *Store) Has(c *Capture) (bool, error) {
	es, err := s.Captures(c.URL)
	if err != nil {
		return false, err
	}
	at := c.FetchedAt.Truncate(time.Second)
	for _, e := range es {
		if !e.Time.Equal(at) || e.Digest == "" {
			continue
		}
		if ok, err := digestMatches(e.Digest, c.Body); err == nil && ok {
			return true, nil
		}
	}
	return false, nil
}

// isZip reports whether the file at path starts as a ZIP archive does.
func isZip(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	var magic [4]byte
	_, err = io.ReadFull(f, magic[:])
	return err == nil && string(magic[:]) == "PK\x03\x04"
}

// walkWACZ walks the WARC files in the archive/ directory of a WACZ
// package, in the order the ZIP lists them. A stored WARC (as the spec
// wants) is read in place; a compressed one through its decompressor.
func walkWACZ(ctx context.Context, path string, fn func(c *Capture, off, length int64) error) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return fmt.Errorf("wacz: %w", err)
	}
	defer zr.Close()
	raw, err := os.Open(path)
	if err != nil {
		return err
	}
	defer raw.Close()
	n := 0
	for _, f := range zr.File {
		name := strings.ToLower(f.Name)
		if !strings.HasPrefix(name, "archive/") || !(strings.HasSuffix(name, ".warc") || strings.HasSuffix(name, ".warc.gz")) || f.FileInfo().IsDir() {
			continue
		}
		n++
		var src io.Reader
		if f.Method == zip.Store {
			off, err := f.DataOffset()
			if err != nil {
				return fmt.Errorf("wacz: %s: %w", f.Name, err)
			}
			src = io.NewSectionReader(raw, off, int64(f.UncompressedSize64))
		} else {
			rc, err := f.Open()
			if err != nil {
				return fmt.Errorf("wacz: %s: %w", f.Name, err)
			}
			src = rc
			defer rc.Close()
		}
		if err := walkRecords(ctx, src, f.Name, maxImportBlock, fn); err != nil {
			return fmt.Errorf("wacz: %w", err)
		}
	}
	if n == 0 {
		return errors.New("wacz: no WARC file under archive/")
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
		whole := false // only a whole decode replaces the body
		switch ce {
		case "br":
			// Browsers ask for brotli, so browser-based crawlers
			// (Browsertrix, ArchiveWeb.page) archive it. Its stream has no
			// header to check first: a body archived already decoded under
			// this header fails to decode and is kept as it is.
			r, whole = brotli.NewReader(bytes.NewReader(c.Body)), true
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
			if rerr == nil || (len(body) > 0 && !whole) {
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
