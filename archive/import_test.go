package archive

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha1"
	"encoding/base32"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/google/go-cmp/cmp"
)

// warcBuilder writes WARC files the way other crawlers do, for Import's
// tests: version, compression and record order vary by tool.
type warcBuilder struct {
	version string // "1.0" or "1.1"
	gzip    bool
	buf     bytes.Buffer
	n       int
}

// record appends one record and returns its id.
func (b *warcBuilder) record(typ, uri string, fields map[string]string, block string) string {
	b.n++
	id := fmt.Sprintf("<urn:uuid:00000000-0000-4000-8000-%012d>", b.n)
	sum := sha1.Sum([]byte(block))
	var h strings.Builder
	fmt.Fprintf(&h, "WARC/%s\r\nWARC-Type: %s\r\nWARC-Record-ID: %s\r\nWARC-Date: 2024-08-25T09:00:41Z\r\n", b.version, typ, id)
	if uri != "" {
		fmt.Fprintf(&h, "WARC-Target-URI: %s\r\n", uri)
	}
	for _, k := range slices.Sorted(maps.Keys(fields)) { // files are the same on every run
		fmt.Fprintf(&h, "%s: %s\r\n", k, fields[k])
	}
	fmt.Fprintf(&h, "WARC-Block-Digest: sha1:%s\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n",
		base32.StdEncoding.EncodeToString(sum[:]), len(block), block)
	if b.gzip {
		zw := gzip.NewWriter(&b.buf)
		zw.Write([]byte(h.String()))
		zw.Close()
	} else {
		b.buf.WriteString(h.String())
	}
	return id
}

func (b *warcBuilder) write(t testing.TB, name string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, b.buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func gzipped(s string) string {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(s))
	zw.Close()
	return buf.String()
}

func brotlied(s string) string {
	var buf bytes.Buffer
	bw := brotli.NewWriter(&buf)
	bw.Write([]byte(s))
	bw.Close()
	return buf.String()
}

func chunked(s string, size int) string {
	var b strings.Builder
	for len(s) > 0 {
		n := min(size, len(s))
		fmt.Fprintf(&b, "%x\r\n%s\r\n", n, s[:n])
		s = s[n:]
	}
	b.WriteString("0\r\n\r\n")
	return b.String()
}

const (
	pageSatu = "<html><title>Satu</title><body>SAWAHLUNTO – Satu.</body></html>"
	pageDua  = "<html><title>Dua</title><body>Dua.</body></html>"
)

// wgetWARC is shaped like `wget --warc-file`: WARC/1.0, not compressed
// per record here, request before response, the response naming the
// request, chunked and gzipped bodies, metadata and resource records.
func wgetWARC(t testing.TB) string {
	b := &warcBuilder{version: "1.0"}
	b.record("warcinfo", "", map[string]string{"Content-Type": "application/warc-fields"}, "software: Wget/1.21.3\r\nformat: WARC File Format 1.0\r\n")
	req := b.record("request", "<https://example.org/baca/satu>", map[string]string{"Content-Type": "application/http;msgtype=request"},
		"GET /baca/satu HTTP/1.1\r\nUser-Agent: Wget/1.21.3\r\nAccept-Encoding: gzip\r\nHost: example.org\r\n\r\n")
	b.record("response", "<https://example.org/baca/satu>", map[string]string{"Content-Type": "application/http;msgtype=response", "WARC-Concurrent-To": req},
		"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"+chunked(gzipped(pageSatu), 7))
	b.record("metadata", "metadata://gnu.org/software/wget/warc/MANIFEST.txt", map[string]string{"Content-Type": "text/plain"}, "urn:uuid:x\n")
	b.record("resource", "metadata://gnu.org/software/wget/warc/wget.log", map[string]string{"Content-Type": "text/plain"}, "log\n")
	return b.write(t, "wget.warc")
}

// heritrixWARC is shaped like Heritrix 3: WARC/1.0, a gzip member per
// record, dns: records, the response before its request, and a revisit.
func heritrixWARC(t testing.TB) string {
	b := &warcBuilder{version: "1.0", gzip: true}
	b.record("warcinfo", "", map[string]string{"Content-Type": "application/warc-fields"}, "software: Heritrix/3.4.0\r\n")
	b.record("response", "dns:example.org", map[string]string{"Content-Type": "text/dns"}, "20240825090041\nexample.org.\t300\tIN\tA\t127.0.0.1\n")
	resp := b.record("response", "http://example.org/baca/dua", map[string]string{"Content-Type": "application/http; msgtype=response"},
		"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: "+fmt.Sprint(len(pageDua))+"\r\n\r\n"+pageDua)
	b.record("request", "http://example.org/baca/dua", map[string]string{"Content-Type": "application/http; msgtype=request", "WARC-Concurrent-To": resp},
		"GET /baca/dua HTTP/1.0\r\nUser-Agent: Mozilla/5.0 (compatible; heritrix/3.4.0)\r\nHost: example.org\r\n\r\n")
	b.record("metadata", "http://example.org/baca/dua", map[string]string{"Content-Type": "application/warc-fields"}, "via: http://example.org/\r\n")
	b.record("revisit", "http://example.org/baca/dua", map[string]string{"Content-Type": "application/http; msgtype=response",
		"WARC-Profile": "http://netpreserve.org/warc/1.0/revisit/identical-payload-digest"}, "HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n")
	return b.write(t, "heritrix.warc.gz")
}

func TestImport(t *testing.T) {
	// Our own files import too.
	dir := t.TempDir()
	s := openTest(t, dir)
	own := testCapture("https://example.org/baca/tiga", "<html>Tiga</html>")
	own.Header.Del("Content-Encoding")
	ownRef, err := s.SaveCapture(own)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	type got struct {
		URL, Method, UA, Body, CE string
		Status                    int
		Truncated                 bool
	}
	tests := []struct {
		name string
		path string
		want []got
	}{
		{"wget", wgetWARC(t), []got{{"https://example.org/baca/satu", "GET", "Wget/1.21.3", pageSatu, "", 200, false}}},
		{"heritrix", heritrixWARC(t), []got{{"http://example.org/baca/dua", "GET", "", pageDua, "", 200, false}}},
		{"warta", filepath.Join(dir, "warc", ownRef.File), []got{{own.URL, "GET", "warta-test", "<html>Tiga</html>", "", 200, false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var gots []got
			err := Import(context.Background(), tt.path, func(c *Capture) error {
				gots = append(gots, got{c.URL, c.Method, c.RequestHeader.Get("User-Agent"), string(c.Body), c.Header.Get("Content-Encoding"), c.Status, c.Truncated})
				if c.FetchedAt.IsZero() {
					t.Errorf("Import(%s) capture %s has no time", tt.name, c.URL)
				}
				return nil
			})
			if err != nil {
				t.Fatalf("Import(%s) error: %v", tt.name, err)
			}
			if diff := cmp.Diff(tt.want, gots); diff != "" {
				t.Errorf("Import(%s) mismatch (-want +got):\n%s", tt.name, diff)
			}
		})
	}
}

func TestImportIntoStore(t *testing.T) {
	s := openTest(t, t.TempDir())
	for _, path := range []string{wgetWARC(t), heritrixWARC(t)} {
		if err := Import(context.Background(), path, func(c *Capture) error {
			_, err := s.SaveCapture(c)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	ref, err := s.Lookup("https://example.org/baca/satu", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.ReadCapture(ref)
	if err != nil {
		t.Fatal(err)
	}
	if string(c.Body) != pageSatu || c.Header.Get("Content-Encoding") != "" || c.Header.Get("X-Archive-Orig-Content-Encoding") != "gzip" {
		t.Errorf("imported then archived capture = %q %v, want the decoded page without Content-Encoding", c.Body, c.Header)
	}
	r, err := s.Verify(context.Background())
	if err != nil || !r.OK() {
		t.Errorf("Verify after import = %+v, %v, want OK", r, err)
	}
}

func TestImportBadFiles(t *testing.T) {
	whole, err := os.ReadFile(heritrixWARC(t))
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(t.TempDir(), "cut.warc.gz")
	os.WriteFile(cut, whole[:len(whole)*2/3], 0o644)
	notWARC := filepath.Join(t.TempDir(), "page.html")
	os.WriteFile(notWARC, []byte("<html>bukan WARC</html>"), 0o644)

	for _, tt := range []struct{ name, path string }{
		{"missing", filepath.Join(t.TempDir(), "none.warc.gz")},
		{"cut", cut},
		{"not a WARC", notWARC},
	} {
		t.Run(tt.name, func(t *testing.T) {
			n := 0
			err := Import(context.Background(), tt.path, func(*Capture) error { n++; return nil })
			if err == nil {
				t.Errorf("Import(%s) error = nil after %d captures, want an error", tt.name, n)
			}
		})
	}
	stop := errors.New("stop")
	if err := Import(context.Background(), wgetWARC(t), func(*Capture) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("Import with failing fn = %v, want stop", err)
	}
}

func TestDecodeBody(t *testing.T) {
	const max = 1000
	big := strings.Repeat("a", max+10)
	tests := []struct {
		name      string
		header    http.Header
		body      string
		want      string
		truncated bool
	}{
		{"plain", http.Header{}, "x", "x", false},
		{"chunked", http.Header{"Transfer-Encoding": {"chunked"}}, chunked("halo dunia", 3), "halo dunia", false},
		{"gzip", http.Header{"Content-Encoding": {"gzip"}}, gzipped("halo"), "halo", false},
		{"chunked cut", http.Header{"Transfer-Encoding": {"chunked"}}, chunked("halo dunia", 3)[:12], "halo", true},
		{"brotli cut kept", http.Header{"Content-Encoding": {"br"}}, "\x8b\x02", "\x8b\x02", false},
		{"brotli", http.Header{"Content-Encoding": {"br"}}, brotlied("<html>halo</html>"), "<html>halo</html>", false},
		{"brotli label on a decoded body", http.Header{"Content-Encoding": {"br"}}, "<html>sudah</html>", "<html>sudah</html>", false},
		{"brotli bomb capped", http.Header{"Content-Encoding": {"br"}}, brotlied(big), big[:max], true},
		{"bad gzip kept", http.Header{"Content-Encoding": {"gzip"}}, "not gzip", "not gzip", false},
		{"bomb capped", http.Header{"Content-Encoding": {"gzip"}}, gzipped(big), big[:max], true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Capture{Header: tt.header, Body: []byte(tt.body)}
			decodeBody(c, max)
			if string(c.Body) != tt.want || c.Truncated != tt.truncated {
				t.Errorf("decodeBody(%s) = %d bytes (truncated %v), want %d bytes (truncated %v)", tt.name, len(c.Body), c.Truncated, len(tt.want), tt.truncated)
			}
		})
	}
}

// TestImportCutFiles cuts the wget and Heritrix files at many points: a
// file that ends at a record boundary is whole, any other cut is an error
// (after the captures before it), for gzipped and plain files alike.
func TestImportCutFiles(t *testing.T) {
	for name, mk := range map[string]func(testing.TB) string{"heritrix": heritrixWARC, "wget": wgetWARC} {
		t.Run(name, func(t *testing.T) {
			path := mk(t)
			whole, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			res, err := scanWARC(context.Background(), path, -1, false)
			if err != nil || res.tornErr != nil {
				t.Fatalf("scanWARC(whole %s) = %+v, %v", name, res, err)
			}
			boundaries := map[int]bool{}
			f, _ := os.Open(path)
			r, _ := newWARCReader(f, lenientOptions())
			for {
				rec, err := r.Next()
				if err != nil {
					break
				}
				boundaries[int(rec.Offset+rec.Size)] = true
				rec.Close()
			}
			r.Close()
			dir := t.TempDir()
			for cut := 1; cut < len(whole); cut++ {
				if cut%5 != 0 && !boundaries[cut] && !boundaries[cut+1] && !boundaries[cut-1] {
					continue
				}
				p := filepath.Join(dir, fmt.Sprintf("%d.warc", cut))
				if err := os.WriteFile(p, whole[:cut], 0o644); err != nil {
					t.Fatal(err)
				}
				err := Import(context.Background(), p, func(*Capture) error { return nil })
				if boundaries[cut] && err != nil {
					t.Errorf("Import(%s cut at record boundary %d) error: %v, want none", name, cut, err)
				}
				if !boundaries[cut] && err == nil {
					t.Errorf("Import(%s cut at %d of %d) error = nil, want the cut reported", name, cut, len(whole))
				}
			}
		})
	}
}

// browsertrixWACZ is a WACZ package shaped unlike warta's: directory
// entries, a WARC/1.1 file of gzip members compressed once more in the
// ZIP, a plain WARC stored beside it, pages in extraPages.jsonl and a
// compressed CDX index.
func browsertrixWACZ(t testing.TB) string {
	b := &warcBuilder{version: "1.1", gzip: true}
	b.record("warcinfo", "", map[string]string{"Content-Type": "application/warc-fields"}, "software: Browsertrix-Crawler 1.3.0 (with warcio.js 2.3.1)\r\n")
	req := b.record("request", "https://example.org/baca/empat", map[string]string{"Content-Type": "application/http; msgtype=request"},
		"GET /baca/empat HTTP/1.1\r\nUser-Agent: Mozilla/5.0 Browsertrix\r\nHost: example.org\r\n\r\n")
	b.record("response", "https://example.org/baca/empat", map[string]string{"Content-Type": "application/http; msgtype=response", "WARC-Concurrent-To": req},
		"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n"+gzipped(pageSatu))
	b.record("response", "https://example.org/style.css", map[string]string{"Content-Type": "application/http; msgtype=response"},
		"HTTP/1.1 200 OK\r\nContent-Type: text/css\r\n\r\nbody{color:#123}")
	plain := &warcBuilder{version: "1.0"}
	plain.record("response", "<https://example.org/baca/lima>", map[string]string{"Content-Type": "application/http;msgtype=response"},
		"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"+pageDua)

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name string, method uint16, data []byte) {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	add("archive/", zip.Store, nil)
	add("indexes/", zip.Store, nil)
	add("pages/", zip.Store, nil)
	add("archive/rec-20240825090041-crawl-1.warc.gz", zip.Deflate, b.buf.Bytes())
	add("archive/wget.warc", zip.Store, plain.buf.Bytes())
	add("indexes/index.cdx.gz", zip.Store, []byte(gzipped("org,example)/baca/empat 20240825090041 {}\n")))
	add("pages/extraPages.jsonl", zip.Deflate, []byte(`{"format":"json-pages-1.0","id":"extra-pages","title":"Extra Pages"}`+"\n"+`{"url":"https://example.org/baca/empat","ts":"2024-08-25T09:00:41Z"}`+"\n"))
	add("datapackage.json", zip.Deflate, []byte(`{"profile":"data-package","wacz_version":"1.1.1","resources":[]}`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "crawl.wacz")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportWACZ(t *testing.T) {
	path := browsertrixWACZ(t)
	got := map[string]string{}
	var ua string
	err := Import(context.Background(), path, func(c *Capture) error {
		got[c.URL] = string(c.Body)
		if c.URL == "https://example.org/baca/empat" {
			ua = c.RequestHeader.Get("User-Agent")
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Import(wacz): %v", err)
	}
	want := map[string]string{
		"https://example.org/baca/empat": pageSatu,
		"https://example.org/style.css":  "body{color:#123}",
		"https://example.org/baca/lima":  pageDua,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Import(wacz) captures (-want +got):\n%s", diff)
	}
	if ua != "Mozilla/5.0 Browsertrix" {
		t.Errorf("request of baca/empat: User-Agent %q, want the archived request's", ua)
	}

	// A ZIP without WARC files is an error that says so.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("pages/pages.jsonl")
	w.Write([]byte("{}\n"))
	zw.Close()
	empty := filepath.Join(t.TempDir(), "empty.wacz")
	os.WriteFile(empty, buf.Bytes(), 0o644)
	if err := Import(context.Background(), empty, func(*Capture) error { return nil }); err == nil || !strings.Contains(err.Error(), "no WARC file under archive/") {
		t.Errorf("Import(zip without WARC) = %v, want an error naming archive/", err)
	}
}

// TestImportLongRecordsBounded imports a gzipped WARC whose records are
// several times MaxImportBody long (a crawl's video, its screenshot
// resource): the response is handed on cut to MaxImportBody and marked
// Truncated, the resource is read past, the page after them is whole,
// and what the import allocates stays near MaxImportBody rather than
// the records' lengths.
func TestImportLongRecordsBounded(t *testing.T) {
	const long = 3 * MaxImportBody
	path := filepath.Join(t.TempDir(), "long.warc.gz")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zeros := make([]byte, 1<<20)
	record := func(typ, uri, head string, n int) {
		zw, _ := gzip.NewWriterLevel(f, gzip.BestSpeed)
		fmt.Fprintf(zw, "WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%s>\r\nWARC-Date: 2024-08-25T09:00:41Z\r\nWARC-Target-URI: %s\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n%s",
			typ, uri, uri, len(head)+n, head)
		for left := n; left > 0; left -= len(zeros) {
			zw.Write(zeros[:min(left, len(zeros))])
		}
		io.WriteString(zw, "\r\n\r\n")
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
	}
	record("response", "https://example.org/video.mp4", "HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\n\r\n", long)
	record("resource", "urn:pageinfo:https://example.org/", "", long)
	record("response", "https://example.org/baca/satu", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"+pageSatu, 0)
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	var got []*Capture
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	err = Import(context.Background(), path, func(c *Capture) error {
		got = append(got, &Capture{URL: c.URL, Truncated: c.Truncated, Body: c.Body[:min(len(c.Body), 100)]})
		if c.Truncated && len(c.Body) != MaxImportBody {
			t.Errorf("cut capture %s: %d bytes, want %d", c.URL, len(c.Body), MaxImportBody)
		}
		return nil
	})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatalf("Import = %v", err)
	}
	if len(got) != 2 || got[0].URL != "https://example.org/video.mp4" || !got[0].Truncated ||
		got[1].URL != "https://example.org/baca/satu" || got[1].Truncated || string(got[1].Body) != pageSatu {
		t.Errorf("captures = %+v, want the video cut and marked Truncated, then the page whole", got)
	}
	// A record read whole would allocate its length, 3 MaxImportBody,
	// and more as its buffer doubles.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 2*MaxImportBody {
		t.Errorf("import allocated %d MB for records of %d MB, want at most %d MB", alloc>>20, long>>20, 2*MaxImportBody>>20)
	}
}
