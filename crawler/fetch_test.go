package crawler

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"testing"

	whatwg "github.com/nlnwa/whatwg-url/url"
)

// FuzzRequestURL checks that the URLs requestURL sends as they are are
// those the WHATWG parser and net/url give back unchanged, as colly sent
// them.
func FuzzRequestURL(f *testing.F) {
	for _, s := range []string{
		"http://demo.warta.test/baca/x-y-z/", "https://x.id:8443/a?b=c&d=%2F", "http://x.id/a/./b",
		"http://x.id/%2e%2E/", "http://127.0.0.1:80/", "http://0x7f.1/", "http://xn--a.id/", "http://-a.id/",
		"http://x.id/a'b?c'd", "http://x.id/a%zz", "http://x.id/a%", "http://X.id/", "http://x.id:080/",
		"http://x.id/?q=a b", "http://x.id/a\\b", "http://x.id./", "http://x..id/", "http://x.id/{a}|^`",
		"http://x.id:65536/", "http://x.id/ü", "http://x.id", "https://x.id:443/",
	} {
		f.Add(s)
	}
	p := whatwg.NewParser(whatwg.WithPercentEncodeSinglePercentSign())
	f.Fuzz(func(t *testing.T, raw string) {
		if !plainURL(raw) {
			return
		}
		w, err := p.Parse(raw)
		if err != nil {
			t.Fatalf("plainURL(%q) = true, but the WHATWG parser fails: %v", raw, err)
		}
		if href := w.Href(false); href != raw {
			t.Fatalf("plainURL(%q) = true, but the WHATWG parser gives %q", raw, href)
		}
		u, err := url.Parse(raw)
		if err != nil || u.String() != raw {
			t.Fatalf("plainURL(%q) = true, but net/url gives %v, %v", raw, u, err)
		}
	})
}

// TestRequestURL checks the URLs requestURL passes unparsed and those it
// sends through the WHATWG parser.
func TestRequestURL(t *testing.T) {
	for _, tc := range []struct {
		raw, want string
		plain     bool
	}{
		{"http://demo.warta.test/baca/x-y-z/", "http://demo.warta.test/baca/x-y-z/", true},
		{"https://x.id:8443/a?b=c&d=%2F", "https://x.id:8443/a?b=c&d=%2F", true},
		{"http://127.0.0.1:8080/a", "http://127.0.0.1:8080/a", false},
		{"http://x.id/a%zz", "http://x.id/a%25zz", false},
		{"http://x.id/a?b='c'", "http://x.id/a?b=%27c%27", false},
		{"http://x.id", "http://x.id/", false},
	} {
		if got := plainURL(tc.raw); got != tc.plain {
			t.Errorf("plainURL(%q) = %v, want %v", tc.raw, got, tc.plain)
		}
		if got, err := requestURL(tc.raw); err != nil || got != tc.want {
			t.Errorf("requestURL(%q) = %q, %v; want %q", tc.raw, got, err, tc.want)
		}
	}
}

// testFetcher returns a fetcher with opt's defaults, for srv.
func testFetcher(t *testing.T, opt Options) *fetcher {
	t.Helper()
	c, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	f := newFetcher(&c.opt, c.guard)
	t.Cleanup(f.close)
	return f
}

func fetchPath(t *testing.T, f *fetcher, base, path string) *response {
	t.Helper()
	u, _ := url.Parse(base + path)
	res, err := f.get(t.Context(), t.Context(), u, nil)
	if err != nil {
		t.Fatalf("get %s: %v", path, err)
	}
	return res
}

// TestFetchBodySizes reads bodies of known and unknown length about
// MaxPageBytes: one byte more is cut and marked truncated.
func TestFetchBodySizes(t *testing.T) {
	const limit = 4096
	f := newFixture()
	f.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscanf(r.URL.Query().Get("n"), "%d", &n)
		body := bytes.Repeat([]byte("x"), n)
		if r.URL.Query().Get("chunked") == "" {
			w.Header().Set("Content-Length", fmt.Sprint(n))
			w.Write(body)
			return
		}
		for len(body) > 0 { // flushed in pieces: no Content-Length
			k := min(len(body), 1000)
			w.Write(body[:k])
			w.(http.Flusher).Flush()
			body = body[k:]
		}
	})
	srv := httptest.NewServer(f)
	defer srv.Close()
	ft := testFetcher(t, Options{StartURLs: []string{srv.URL}, MaxPageBytes: limit})
	for _, chunked := range []string{"", "1"} {
		for _, n := range []int{0, 1, 511, 512, 513, limit - 1, limit, limit + 1, 3 * limit} {
			res := fetchPath(t, ft, srv.URL, fmt.Sprintf("/?n=%d&chunked=%s", n, chunked))
			want := min(n, limit)
			if len(res.body) != want || res.truncated != (n > limit) || strings.Trim(string(res.body), "x") != "" {
				t.Errorf("body of %d bytes (chunked %q): got %d bytes, truncated %v; want %d, %v",
					n, chunked, len(res.body), res.truncated, want, n > limit)
			}
		}
	}
}

// TestFetchGzipBounded checks that a sitemap served gzipped (a path in
// .xml.gz) is handed over inflated, as before, and that a gzip bomb is
// inflated no further than MaxPageBytes: 256 MB of zeros in 260 KB.
func TestFetchGzipBounded(t *testing.T) {
	const limit = 1 << 20
	gz := func(b []byte) []byte {
		var out bytes.Buffer
		zw := gzip.NewWriter(&out)
		zw.Write(b)
		zw.Close()
		return out.Bytes()
	}
	sitemap := []byte(`<urlset><url><loc>http://x.id/a</loc></url></urlset>`)
	// 256 gzip members of 1 MB of zeros each, which a reader inflates
	// one after the other.
	bomb := bytes.Repeat(gz(make([]byte, 1<<20)), 256)
	f := newFixture()
	f.HandleFunc("/sitemap.xml.gz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(gz(sitemap))
	})
	f.HandleFunc("/bomb.xml.gz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-gzip")
		w.Write(bomb)
	})
	srv := httptest.NewServer(f)
	defer srv.Close()
	ft := testFetcher(t, Options{StartURLs: []string{srv.URL}, MaxPageBytes: limit})

	if res := fetchPath(t, ft, srv.URL, "/sitemap.xml.gz"); !bytes.Equal(res.body, sitemap) {
		t.Errorf("gzipped sitemap body = %q, want it inflated: %q", res.body, sitemap)
	}
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	res := fetchPath(t, ft, srv.URL, "/bomb.xml.gz")
	runtime.ReadMemStats(&m1)
	if len(res.body) != limit || !res.truncated {
		t.Errorf("gzip bomb: %d bytes, truncated %v; want %d, true", len(res.body), res.truncated, limit)
	}
	// Reading it allocates the bomb's compressed bytes, the inflater's
	// window and the body's MB; inflating it whole would take 256 MB.
	if alloc := m1.TotalAlloc - m0.TotalAlloc; alloc > 32<<20 {
		t.Errorf("fetching the gzip bomb allocated %d MB, want under 32", alloc>>20)
	}
}

// TestFetchCookies checks that a cookie a site sets is sent back on the
// next request to it, as it was when the fetch went through colly.
func TestFetchCookies(t *testing.T) {
	f := newFixture()
	f.HandleFunc("/set", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "visited", Value: "1", Path: "/"})
	})
	f.HandleFunc("/check", func(w http.ResponseWriter, r *http.Request) {})
	srv := httptest.NewServer(f)
	defer srv.Close()
	ft := testFetcher(t, Options{StartURLs: []string{srv.URL}})
	fetchPath(t, ft, srv.URL, "/set")
	fetchPath(t, ft, srv.URL, "/check")
	hits := f.allHits()
	if got := hits[len(hits)-1].hdr.Get("Cookie"); got != "visited=1" {
		t.Errorf("Cookie sent to /check = %q, want visited=1", got)
	}
}
