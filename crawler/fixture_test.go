package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// fixture is a small site served by a mux, recording every request.
type fixture struct {
	*http.ServeMux
	mu   sync.Mutex
	hits []hit
}

// hit is one request the fixture saw.
type hit struct {
	path string // path and query
	ua   string
	at   time.Time
	hdr  http.Header
}

func newFixture() *fixture {
	return &fixture{ServeMux: http.NewServeMux()}
}

func (f *fixture) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.hits = append(f.hits, hit{path: r.URL.RequestURI(), ua: r.UserAgent(), at: time.Now(), hdr: r.Header.Clone()})
	f.mu.Unlock()
	f.ServeMux.ServeHTTP(w, r)
}

// count returns how often path (with query) was requested.
func (f *fixture) count(path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, h := range f.hits {
		if h.path == path {
			n++
		}
	}
	return n
}

func (f *fixture) allHits() []hit {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.hits)
}

// page registers an HTML page at path.
func (f *fixture) page(path, body string) {
	f.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != strings.TrimSuffix(path, "{$}") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, body)
	})
}

// memTransport serves an http.Handler in memory, for tests inside a
// synctest bubble (where real sockets would keep time from advancing).
type memTransport struct{ h http.Handler }

func (t memTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, req)
	if err := req.Context().Err(); err != nil {
		return nil, err // the client gave up before the answer (a time-out)
	}
	res := rec.Result()
	res.Request = req
	res.Proto, res.ProtoMajor, res.ProtoMinor = "HTTP/1.1", 1, 1
	return res, nil
}

// collect is a Handler that keeps every page.
type collect struct {
	mu    sync.Mutex
	pages []*Page
}

func (c *collect) HandlePage(_ context.Context, p *Page) error {
	c.mu.Lock()
	c.pages = append(c.pages, p)
	c.mu.Unlock()
	return nil
}

// urls returns the sorted URLs of the pages of kind k.
func (c *collect) urls(k Kind) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, p := range c.pages {
		if p.Kind == k {
			out = append(out, p.URL)
		}
	}
	sort.Strings(out)
	return out
}

func (c *collect) byURL(u string) *Page {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range c.pages {
		if p.URL == u {
			return p
		}
	}
	return nil
}

// mustRun crawls with opt and fails the test on an error.
func mustRun(t *testing.T, opt Options) (*collect, *Summary) {
	t.Helper()
	c, err := New(opt)
	if err != nil {
		t.Fatalf("New(%+v) error: %v", opt, err)
	}
	var got collect
	sum, err := c.Run(t.Context(), &got)
	if err != nil {
		t.Fatalf("Run() error: %v", err)
	}
	return &got, sum
}

// htmlPage wraps body in a minimal HTML document.
func htmlPage(title, body string) string {
	return "<!doctype html><html><head><title>" + title + "</title></head><body>" + body + "</body></html>"
}
