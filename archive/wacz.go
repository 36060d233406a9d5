package archive

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/internal/atomicfile"
)

// WACZVersion is the version of the WACZ specification that WACZWriter
// follows.
const WACZVersion = "1.1.1"

// waczWARC is the name of the WARC file inside a package written here.
const waczWARC = "data.warc.gz"

// maxCSSDepth bounds how deep @import chains are followed for a page.
const maxCSSDepth = 3

// maxRedirects bounds the archived redirects followed to a requisite.
const maxRedirects = 3

// WACZOptions describe a WACZ package. The zero value is the documented
// default.
type WACZOptions struct {
	// Title is the package's title; "" means "warta export".
	Title string
	// Description goes into datapackage.json when not empty, for example
	// the query the package was made from.
	Description string
	// Created is the package's creation time; zero means now.
	Created time.Time
}

// WACZWriter writes a WACZ package (https://specs.webrecorder.net/wacz/1.1.1/)
// of chosen articles: a fresh WARC file under archive/ with the captures
// each article needs (its page, gallery images and page requisites, each
// the capture nearest the page's time, and the full captures that
// revisits among them refer to) copied record by record from the
// archive, its CDXJ index, a pages list, and datapackage.json with the
// sha256 of each file. The WARC is stored uncompressed in the ZIP, so
// replay tools read a record at its CDXJ offset. Nothing appears at the
// output path until Flush has written the whole package; Close discards
// an unfinished one.
type WACZWriter struct {
	s    *Store
	path string
	opt  WACZOptions

	warc     *os.File // temp file in the output's directory
	warcSize int64
	warcCRC  hash.Hash32
	warcSHA  hash.Hash
	entries  []IndexEntry
	copied   map[Ref]bool
	pages    bytes.Buffer
	pageURLs map[string]bool
	first    IndexEntry // the first page, the package's main page when alone
	n        int
	missing  int
	done     bool
}

// NewWACZ starts a WACZ package of articles of s, to be written to path
// by Flush.
func (s *Store) NewWACZ(path string, opt WACZOptions) (*WACZWriter, error) {
	if opt.Title == "" {
		opt.Title = "warta export"
	}
	if opt.Created.IsZero() {
		opt.Created = s.now()
	}
	opt.Created = opt.Created.UTC().Truncate(time.Second)
	f, err := os.CreateTemp(filepath.Dir(path), atomicfile.TempPrefix+filepath.Base(path)+"-*.warc.gz")
	if err != nil {
		return nil, fmt.Errorf("archive: wacz %s: %w", path, err)
	}
	w := &WACZWriter{
		s: s, path: path, opt: opt, warc: f,
		warcCRC: crc32.NewIEEE(), warcSHA: sha256.New(),
		copied: map[Ref]bool{}, pageURLs: map[string]bool{},
	}
	w.pages.WriteString(`{"format":"json-pages-1.0","id":"pages","title":"All Pages"}` + "\n")
	if err := w.writeWarcinfo(); err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("archive: wacz %s: %w", path, err)
	}
	return w, nil
}

func (w *WACZWriter) writeWarcinfo() error {
	id, err := newRecordID()
	if err != nil {
		return err
	}
	head, block := warcinfoRecord(id, waczWARC, w.opt.Created, w.s.opt.Software, [2]string{"description", w.opt.Title})
	var buf bytes.Buffer
	if err := w.s.w.writeGzipRecord(&buf, false, head, block); err != nil {
		return err
	}
	return w.appendWARC(buf.Bytes())
}

func (w *WACZWriter) appendWARC(b []byte) error {
	if _, err := io.MultiWriter(w.warc, w.warcCRC, w.warcSHA).Write(b); err != nil {
		return err
	}
	w.warcSize += int64(len(b))
	return nil
}

// Write adds an article: a line in pages.jsonl and the captures its page
// needs. An article whose page was never captured (such as one imported
// from a feed alone) is left out with a warning: a package lists only
// pages it can replay.
func (w *WACZWriter) Write(a *extract.Article) error {
	if a == nil {
		return errors.New("archive: wacz: nil article")
	}
	if w.done {
		return fmt.Errorf("archive: wacz %s: already written", w.path)
	}
	at, _ := time.Parse(time.RFC3339, a.FetchedAt)
	page, err := w.s.LookupEntry(a.URL, at)
	if errors.Is(err, ErrNotFound) {
		w.missing++
		w.s.log.Warn("wacz_article_without_capture", "id", a.ID, "url", a.URL)
		return nil
	}
	if err != nil {
		return fmt.Errorf("archive: wacz %s: %w", a.ID, err)
	}
	if err := w.copyEntry(page); err != nil {
		return fmt.Errorf("archive: wacz %s: %w", a.ID, err)
	}
	c, err := w.s.ReadCapture(page.Ref)
	if err != nil {
		return fmt.Errorf("archive: wacz %s: %w", a.ID, err)
	}
	var needs []string
	for _, im := range a.Images {
		needs = append(needs, im.URL)
	}
	if isHTMLCapture(c) {
		needs = append(needs, extract.Requisites(c.Body, c.URL)...)
	}
	seen := map[string]bool{}
	for _, u := range needs {
		if err := w.addRequisite(u, page.Time, 0, seen); err != nil {
			return fmt.Errorf("archive: wacz %s: %w", a.ID, err)
		}
	}
	if !w.pageURLs[page.URL] {
		if len(w.pageURLs) == 0 {
			w.first = page
		}
		w.pageURLs[page.URL] = true
		line, _ := json.Marshal(struct {
			ID    string `json:"id"`
			URL   string `json:"url"`
			TS    string `json:"ts"`
			Title string `json:"title,omitempty"`
		}{a.ID, page.URL, page.Time.UTC().Format(time.RFC3339), a.Title})
		w.pages.Write(line)
		w.pages.WriteByte('\n')
	}
	w.n++
	return nil
}

// addRequisite copies the capture of u nearest at, following archived
// redirects and the imports and url()s of style sheets; a URL never
// archived is skipped, as replay will skip it.
func (w *WACZWriter) addRequisite(u string, at time.Time, depth int, seen map[string]bool) error {
	for hop := 0; hop <= maxRedirects; hop++ {
		if u == "" || seen[u] {
			return nil
		}
		seen[u] = true
		e, err := w.s.LookupEntry(u, at)
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := w.copyEntry(e); err != nil {
			return err
		}
		redirect := e.Status >= 300 && e.Status < 400 && e.Status != http.StatusNotModified
		// A revisit's type is in the record it refers to.
		maybeCSS := e.Mime == "text/css" || e.Revisit()
		if !redirect && (!maybeCSS || depth >= maxCSSDepth) {
			return nil
		}
		c, err := w.s.ReadCapture(e.Ref)
		if err != nil {
			return err
		}
		if redirect {
			loc, err := url.Parse(c.URL)
			if err != nil {
				return nil
			}
			next, err := loc.Parse(c.Header.Get("Location"))
			if err != nil {
				return nil
			}
			u = next.String()
			continue
		}
		if !isCSS(c) {
			return nil
		}
		for _, r := range extract.CSSRequisites(c.Body, c.URL) {
			if err := w.addRequisite(r, at, depth+1, seen); err != nil {
				return err
			}
		}
		return nil
	}
	return nil
}

// copyEntry copies the record of e into the package's WARC, and the full
// capture it refers to when it is a revisit.
func (w *WACZWriter) copyEntry(e IndexEntry) error {
	if w.copied[e.Ref] {
		return nil
	}
	if e.Revisit() {
		rec, err := w.s.readRecord(e.Ref)
		if err != nil {
			return err
		}
		orig, err := w.s.revisitOriginal(rec)
		rec.Close()
		if err == nil {
			if err := w.copyEntry(orig); err != nil {
				return err
			}
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
	}
	f, err := w.s.openRef(e.Ref)
	if err != nil {
		return err
	}
	defer f.Close()
	raw := make([]byte, e.Ref.Length)
	if _, err := f.ReadAt(raw, e.Ref.Offset); err != nil {
		return fmt.Errorf("read record %s: %w", e.Ref, err)
	}
	ne := e
	ne.Ref = Ref{File: waczWARC, Offset: w.warcSize, Length: e.Ref.Length}
	if err := w.appendWARC(raw); err != nil {
		return err
	}
	w.copied[e.Ref] = true
	w.entries = append(w.entries, ne)
	return nil
}

// isHTMLCapture reports whether a capture is an HTML page, by its type
// or, when the type says nothing useful, by its bytes.
func isHTMLCapture(c *Capture) bool {
	mt := mediaType(c.Header.Get("Content-Type"))
	if mt == "text/html" || mt == "application/xhtml+xml" {
		return true
	}
	if mt == "" || mt == "application/octet-stream" || mt == "text/plain" {
		return strings.HasPrefix(http.DetectContentType(c.Body), "text/html")
	}
	return false
}

// isCSS reports whether a capture is a style sheet; a 304's headers may
// not say, and then its URL does.
func isCSS(c *Capture) bool {
	if mt := mediaType(c.Header.Get("Content-Type")); mt != "" {
		return mt == "text/css"
	}
	u, err := url.Parse(c.URL)
	return err == nil && strings.HasSuffix(strings.ToLower(u.Path), ".css")
}

// Count returns how many articles have been written.
func (w *WACZWriter) Count() int { return w.n }

// Missing returns how many articles were left out for want of a capture.
func (w *WACZWriter) Missing() int { return w.missing }

// waczResource is one file in datapackage.json.
type waczResource struct {
	Name  string `json:"name"`
	Path  string `json:"path"`
	Hash  string `json:"hash"`
	Bytes int64  `json:"bytes"`
}

// Flush writes the whole package to the output path, atomically: into a
// temp file beside it, synced, then renamed.
func (w *WACZWriter) Flush() (err error) {
	if w.done {
		return fmt.Errorf("archive: wacz %s: already written", w.path)
	}
	w.done = true
	defer func() {
		if err != nil {
			err = fmt.Errorf("archive: wacz %s: %w", w.path, err)
		}
	}()
	defer w.removeWARC()
	if err := w.warc.Sync(); err != nil {
		return err
	}
	return atomicfile.WriteWith(atomicfile.OS{}, w.path, w.writeZIP)
}

// writeZIP writes the package: the WARC stored, then the index, the pages
// and the datapackage with its digest.
func (w *WACZWriter) writeZIP(out io.Writer) error {
	zw := zip.NewWriter(out)
	var res []waczResource
	// The WARC goes in stored, its CRC and size known beforehand, so the
	// ZIP has no data descriptor and a reader finds the data right after
	// the local header.
	wh := &zip.FileHeader{
		Name: "archive/" + waczWARC, Method: zip.Store,
		CRC32: w.warcCRC.Sum32(), CompressedSize64: uint64(w.warcSize), UncompressedSize64: uint64(w.warcSize),
	}
	// CreateRaw takes the MS-DOS time fields as they are (it ignores
	// Modified), so they are set here.
	//lint:ignore SA1019 CreateRaw reads only these fields for the time
	wh.ModifiedDate, wh.ModifiedTime = msDosTime(w.opt.Created)
	fw, err := zw.CreateRaw(wh)
	if err != nil {
		return err
	}
	if _, err := io.Copy(fw, io.NewSectionReader(w.warc, 0, w.warcSize)); err != nil {
		return err
	}
	res = append(res, waczResource{waczWARC, "archive/" + waczWARC, "sha256:" + hex.EncodeToString(w.warcSHA.Sum(nil)), w.warcSize})
	add := func(path string, data []byte) error {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: path, Method: zip.Deflate, Modified: w.opt.Created})
		if err != nil {
			return err
		}
		if _, err := fw.Write(data); err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		res = append(res, waczResource{filepath.Base(path), path, "sha256:" + hex.EncodeToString(sum[:]), int64(len(data))})
		return nil
	}
	if err := add("indexes/index.cdxj", cdxjBytes(w.entries)); err != nil {
		return err
	}
	if err := add("pages/pages.jsonl", w.pages.Bytes()); err != nil {
		return err
	}
	pkg := struct {
		Profile     string         `json:"profile"`
		Resources   []waczResource `json:"resources"`
		WACZVersion string         `json:"wacz_version"`
		Title       string         `json:"title"`
		Description string         `json:"description,omitempty"`
		Created     string         `json:"created"`
		Modified    string         `json:"modified"`
		Software    string         `json:"software"`
		// A package of one page opens on it in ReplayWeb.page.
		MainPageURL  string `json:"mainPageUrl,omitempty"`
		MainPageDate string `json:"mainPageDate,omitempty"`
	}{Profile: "data-package", Resources: res, WACZVersion: WACZVersion, Title: w.opt.Title, Description: w.opt.Description,
		Created: w.opt.Created.Format(time.RFC3339), Modified: w.opt.Created.Format(time.RFC3339), Software: w.s.opt.Software}
	if len(w.pageURLs) == 1 {
		pkg.MainPageURL, pkg.MainPageDate = w.first.URL, w.first.Time.UTC().Format(time.RFC3339)
	}
	dp, err := json.MarshalIndent(pkg, "", "  ")
	if err != nil {
		return err
	}
	dpSum := sha256.Sum256(dp)
	digest, err := json.MarshalIndent(struct {
		Path string `json:"path"`
		Hash string `json:"hash"`
	}{"datapackage.json", "sha256:" + hex.EncodeToString(dpSum[:])}, "", "  ")
	if err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		data []byte
	}{{"datapackage.json", dp}, {"datapackage-digest.json", digest}} {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: w.opt.Created})
		if err != nil {
			return err
		}
		if _, err := fw.Write(f.data); err != nil {
			return err
		}
	}
	return zw.Close()
}

// msDosTime returns the MS-DOS date and time fields of a ZIP entry for t
// (UTC, to two seconds).
func msDosTime(t time.Time) (date, clock uint16) {
	t = t.UTC()
	date = uint16(t.Day() + int(t.Month())<<5 + max(t.Year()-1980, 0)<<9)
	clock = uint16(t.Second()/2 + t.Minute()<<5 + t.Hour()<<11)
	return date, clock
}

func (w *WACZWriter) removeWARC() {
	if w.warc != nil {
		_ = w.warc.Close()
		_ = os.Remove(w.warc.Name())
		w.warc = nil
	}
}

// Close discards a package that Flush has not written; after Flush it
// does nothing.
func (w *WACZWriter) Close() error {
	w.done = true
	w.removeWARC()
	return nil
}
