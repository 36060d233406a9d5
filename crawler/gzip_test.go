package crawler

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"testing"
)

// TestFetchGzipBounded: a sitemap served gzipped (a path in .xml.gz) is
// handed over inflated, and a gzip bomb is inflated no further than
// MaxPageBytes and marked truncated: 256 MB of zeros in about 260 KB,
// which colly alone inflated whole. A gzip path with no body is handed
// over empty, where colly failed the request.
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
	f.HandleFunc("/encoded", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bomb)
	})
	f.HandleFunc("/empty.xml.gz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-gzip")
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
		}
	})
	srv := httptest.NewServer(f)
	defer srv.Close()
	c, err := New(Options{StartURLs: []string{srv.URL}, MaxPageBytes: limit})
	if err != nil {
		t.Fatal(err)
	}
	ft := newFetcher(t.Context(), &c.opt, c.guard)
	defer ft.close()
	get := func(path string, hdr ...string) *response {
		t.Helper()
		u, _ := url.Parse(srv.URL + path)
		extra := http.Header{}
		for i := 0; i+1 < len(hdr); i += 2 {
			extra.Set(hdr[i], hdr[i+1])
		}
		res, err := ft.get(t.Context(), u, extra)
		if err != nil {
			t.Fatalf("get %s: %v", path, err)
		}
		return res
	}

	if res := get("/sitemap.xml.gz"); !bytes.Equal(res.body, sitemap) {
		t.Errorf("gzipped sitemap body = %q, want it inflated: %q", res.body, sitemap)
	}
	// A gzip path with no body, as a 304 or an empty 200 has, is no error:
	// there is nothing to inflate.
	if res := get("/empty.xml.gz", "If-None-Match", `"v1"`); res.status != http.StatusNotModified || len(res.body) != 0 {
		t.Errorf("304 for a .xml.gz: status %d, %d bytes; want 304, none", res.status, len(res.body))
	}
	if res := get("/empty.xml.gz"); res.status != http.StatusOK || len(res.body) != 0 {
		t.Errorf("empty 200 for a .xml.gz: status %d, %d bytes; want 200, none", res.status, len(res.body))
	}
	for _, path := range []string{"/bomb.xml.gz", "/encoded"} {
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		res := get(path)
		runtime.ReadMemStats(&m1)
		if len(res.body) != limit || !res.truncated {
			t.Errorf("%s: %d bytes, truncated %v; want %d, true", path, len(res.body), res.truncated, limit)
		}
		// Reading it allocates the bomb's compressed bytes, the
		// inflater's window and a few MB of body; inflating it whole
		// would take 256 MB.
		if alloc := m1.TotalAlloc - m0.TotalAlloc; alloc > 32<<20 {
			t.Errorf("%s: fetching the gzip bomb allocated %d MB, want under 32", path, alloc>>20)
		}
	}
}
