package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/warta-id/warta/archive"
	"github.com/warta-id/warta/extract"
)

// hrefs returns the href attributes of a page's <a> elements, unescaped.
func hrefs(t *testing.T, doc string) []string {
	t.Helper()
	root, err := html.Parse(strings.NewReader(doc))
	if err != nil {
		t.Fatalf("html.Parse: %v", err)
	}
	var out []string
	for n := range root.Descendants() {
		if n.Type == html.ElementNode && n.Data == "a" {
			out = append(out, attrOf(n, "href"))
		}
	}
	return out
}

// TestPagesLinkOnlyHere checks that no request path makes a page link to
// another host: the language switch repeats the path, and a path such as
// /%2F%2Fevil.example made it "///evil.example?lang=en", which browsers
// follow to evil.example (failed before the path was escaped and given
// one leading slash).
func TestPagesLinkOnlyHere(t *testing.T) {
	f := newFixture(t, nil)
	for _, p := range []string{
		"/%2F%2Fevil.example", "/%2F%2Fevil.example/?q=banjir", "/%5Cevil.example", "/%2F%5Cevil.example",
		"/%5C%5Cevil.example", "/\\evil.example", "/articles/%2F%2Fevil.example",
	} {
		t.Run(p, func(t *testing.T) {
			rec := f.get(t, p)
			for _, h := range hrefs(t, rec.Body.String()) {
				if h == "" || h[0] == '?' || h[0] == '#' {
					continue
				}
				original := strings.HasPrefix(h, "https://kota.example/") || strings.HasPrefix(h, "https://web.archive.org/")
				if !original && (!strings.HasPrefix(h, "/") || strings.HasPrefix(h, "//") || strings.HasPrefix(h, "/\\")) {
					t.Errorf("GET %s (%d): link %q leaves the server", p, rec.Code, h)
				}
			}
		})
	}
}

// TestAPIWrongMethods checks that a script that sends anything but GET to
// the API gets a 405 with an Allow header and a JSON error it can read,
// not the UI's HTML page (failed before: the HTML error page).
func TestAPIWrongMethods(t *testing.T) {
	f := newFixture(t, nil)
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch} {
		for _, p := range []string{"/api/search?q=banjir", "/api/articles/" + idBanjir, "/api/counts?q=banjir", "/api/nothing"} {
			req := httptest.NewRequest(m, p, strings.NewReader(`{"q":"banjir"}`))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			f.srv.ServeHTTP(rec, req)
			var e apiError
			if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET, HEAD" ||
				!strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") ||
				json.Unmarshal(rec.Body.Bytes(), &e) != nil || !strings.Contains(e.Error, m) {
				t.Errorf("%s %s = %d (Allow %q, %s) %s, want a 405 JSON error naming the method", m, p, rec.Code,
					rec.Header().Get("Allow"), rec.Header().Get("Content-Type"), rec.Body)
			}
		}
	}
}

// TestTagLinksFindTheirArticle checks that the tag links of an article
// page search for the tag as the site wrote it, quotes included (failed
// before: the tag was pasted between quotes, and `"onmouseover="…` broke
// the query).
func TestTagLinksFindTheirArticle(t *testing.T) {
	f := newFixture(t, nil)
	body := f.get(t, "/articles/"+idHostile).Body.String()
	var tagLink string
	for _, h := range hrefs(t, body) {
		if strings.HasPrefix(h, "/?q=tag") {
			tagLink = h
		}
	}
	if tagLink == "" {
		t.Fatalf("the hostile article's page has no tag link")
	}
	rec := f.get(t, tagLink)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "/articles/"+idHostile) {
		t.Errorf("GET %s = %d, want 200 listing %s", tagLink, rec.Code, idHostile)
	}
}

// TestDamagedIndex checks that a server over an index whose segment file
// was cut short answers its searches with a 503 that says the index must
// be rebuilt, and still shows articles, which need no index (failed
// before: a 500 "internal error").
func TestDamagedIndex(t *testing.T) {
	f := newFixture(t, nil)
	segs, _ := filepath.Glob(filepath.Join(f.dir, "index", "gen-*", "store", "*.zap"))
	if len(segs) == 0 {
		t.Fatal("the fixture's index has no segment file")
	}
	for _, s := range segs {
		if err := os.Truncate(s, 100); err != nil {
			t.Fatal(err)
		}
	}
	rec := f.get(t, "/api/search?q=banjir")
	var e apiError
	if rec.Code != http.StatusServiceUnavailable || json.Unmarshal(rec.Body.Bytes(), &e) != nil || !strings.Contains(e.Error, "rebuilt") {
		t.Errorf("GET /api/search = %d %s, want 503 saying the index must be rebuilt", rec.Code, rec.Body)
	}
	if rec := f.get(t, "/?q=banjir"); rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "rebuilt") {
		t.Errorf("GET /?q=banjir = %d, want 503 saying the index must be rebuilt", rec.Code)
	}
	if rec := f.get(t, "/articles/"+idBanjir); rec.Code != http.StatusOK {
		t.Errorf("GET /articles/%s = %d, want 200: articles need no index", idBanjir, rec.Code)
	}
}

// TestCountsCSVNoFormulas checks that the counts CSV, whose columns are
// headed by the queries of the link, gives a spreadsheet no formula: a
// link to /api/counts?q==HYPERLINK(…)&format=csv is anyone's to send
// (failed before: the header cell was the query as it was).
func TestCountsCSVNoFormulas(t *testing.T) {
	f := newFixture(t, nil)
	q := url.QueryEscape(`=HYPERLINK("http://evil.example","banjir")`)
	for _, p := range []string{"/api/counts?format=csv&q=" + q, "/api/counts?format=csv&normalize=share&q=banjir&q=" + q, "/api/counts?format=csv&q=-jalan"} {
		rec := f.get(t, p)
		rows, err := csv.NewReader(rec.Body).ReadAll()
		if rec.Code != http.StatusOK || err != nil || len(rows) == 0 {
			t.Errorf("GET %s = %d (%v), want a CSV", p, rec.Code, err)
			continue
		}
		for _, cell := range rows[0] {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
				t.Errorf("GET %s: header cell %q is a formula", p, cell)
			}
		}
	}
}

// cancellingArticles reads articles from its source and, at the after-th
// read, cancels the request as a client that goes away does.
type cancellingArticles struct {
	ArticleSource
	reads  *int
	after  int
	cancel context.CancelFunc
}

func (c cancellingArticles) Article(id string) (*extract.Article, error) {
	*c.reads++
	if *c.reads == c.after {
		c.cancel()
	}
	return c.ArticleSource.Article(id)
}

// TestExportStopsWhenClientLeaves checks that an export whose client went
// away reads no further article (failed before: it read and wrote the
// rest of its page of 100 hits, and searched for the next page).
func TestExportStopsWhenClientLeaves(t *testing.T) {
	f := newFixture(t, nil)
	for _, format := range []string{"jsonl", "csv"} {
		reads := 0
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		srv, err := New(Options{Searcher: f.idx, Articles: cancellingArticles{f.store, &reads, 1, cancel}, Captures: f.store})
		if err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest(http.MethodGet, "/export?sort=date&format="+format, nil).WithContext(ctx)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if reads != 1 {
			t.Errorf("export %s read %d articles after its client left at the first, want 1", format, reads)
		}
	}
}

// stalledWriter is a client that stops reading: its first write says so
// on started and waits for release.
type stalledWriter struct {
	*httptest.ResponseRecorder
	started chan struct{}
	release chan struct{}
	once    *sync.Once
}

func (s stalledWriter) Write(p []byte) (int, error) {
	s.once.Do(func() { close(s.started) })
	<-s.release
	return s.ResponseRecorder.Write(p)
}

// TestSlowExportLeavesSearchesTheirTurns checks that an export whose
// client reads slowly, which lasts as long as the client likes, does not
// hold a search's turn (failed before: with every turn held by such
// exports, searches waited out their timeout and got 503).
func TestSlowExportLeavesSearchesTheirTurns(t *testing.T) {
	f := newFixture(t, nil)
	srv, err := New(Options{Searcher: f.idx, Articles: f.store, Captures: f.store, MaxSearches: 1, MaxExports: 1, Timeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	w := stalledWriter{httptest.NewRecorder(), make(chan struct{}), make(chan struct{}), &sync.Once{}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/export?format=jsonl", nil))
	}()
	<-w.started
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/search?q=banjir", nil))
	if rec.Code != http.StatusOK {
		t.Errorf("search beside a stalled export = %d, want 200", rec.Code)
	}
	close(w.release)
	<-done
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), idBanjir) {
		t.Errorf("the stalled export, once read = %d, want 200 with the articles", w.Code)
	}
}

// TestHostileQueryEchoed checks that the pages that show a query back (the
// search box, the error with its caret, the compare page) show it as
// text, whatever it holds.
func TestHostileQueryEchoed(t *testing.T) {
	f := newFixture(t, nil)
	for _, q := range []string{
		`<script>alert(1)</script>(`,
		`"><img src=x onerror=alert(1)> banjir`,
		`title:"</textarea><svg onload=alert(1)>`,
		`published:[<b onmouseover=alert(1)> TO *]`,
		"javascript:alert(1)",
	} {
		for _, p := range []string{"/?q=", "/search?lang=en&q=", "/compare?q="} {
			rec := f.get(t, p+url.QueryEscape(q))
			body := rec.Body.String()
			if bad := unsafeHTML(t, body); len(bad) > 0 {
				t.Errorf("GET %s%q (%d): unsafe HTML %q", p, q, rec.Code, bad)
			}
			for _, raw := range []string{"<script>", "<img src=x", "<svg onload", "<b onmouseover"} {
				if strings.Contains(body, raw) {
					t.Errorf("GET %s%q (%d): %q unescaped", p, q, rec.Code, raw)
				}
			}
		}
	}
}

// TestHugeRequestRefused checks that the server refuses a request line and
// headers past its limit (a query of 100 kB) with 431 before any handler
// runs, and keeps serving.
func TestHugeRequestRefused(t *testing.T) {
	f := newFixture(t, nil)
	base := "http://" + serveLocal(t, f.srv, ServeOptions{})
	for _, req := range []func() (*http.Request, error){
		func() (*http.Request, error) {
			return http.NewRequest(http.MethodGet, base+"/api/search?q="+strings.Repeat("banjir+", 15000), nil)
		},
		func() (*http.Request, error) {
			r, err := http.NewRequest(http.MethodGet, base+"/api/search?q=banjir", nil)
			if err == nil {
				r.Header.Set("X-Padding", strings.Repeat("a", 100<<10))
			}
			return r, err
		},
	} {
		r, err := req()
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatalf("GET: %v", err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("GET with %d bytes of URL and headers = %d, want 431", len(r.URL.String())+len(r.Header.Get("X-Padding")), resp.StatusCode)
		}
	}
	resp, err := http.Get(base + "/api/search?q=banjir")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET after the huge ones = %d, want 200", resp.StatusCode)
	}
}

// TestArticleWithManyImages checks that an article whose site listed
// thousands of pictures gets a page of bounded size: the first 200, and
// how many more the API lists (failed before: a figure for each of 5,000).
func TestArticleWithManyImages(t *testing.T) {
	f := newFixture(t, nil)
	dir := t.TempDir()
	store, err := archive.Open(dir, archive.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	u := "https://kota.example/baca/galeri"
	a := &extract.Article{ID: extract.ArticleID("kota", u), Site: "kota", URL: u, Title: "Galeri", Body: "Foto.",
		Language: "id", Extractor: "generic", FetchedAt: "2026-11-28T09:00:00Z", Categories: []string{}, Tags: []string{}}
	for i := range 5000 {
		a.Images = append(a.Images, extract.Image{URL: fmt.Sprintf("https://kota.example/wp-content/uploads/%d.jpg", i), Caption: "foto"})
	}
	if _, err := store.SaveArticle(a); err != nil {
		t.Fatal(err)
	}
	srv, err := New(Options{Searcher: f.idx, Articles: store, Captures: store})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/articles/"+a.ID+"?lang=en", nil))
	body := rec.Body.String()
	if n := strings.Count(body, "<figure>"); rec.Code != http.StatusOK || n != maxGallery {
		t.Errorf("article page = %d with %d figures, want 200 with %d", rec.Code, n, maxGallery)
	}
	if !strings.Contains(body, "+4800 more images not shown") || !strings.Contains(body, "(5000)") {
		t.Errorf("article page does not say that 4800 of 5000 images are not shown")
	}
}

// TestSlowlorisCutOff checks that a client that sends its headers a byte
// at a time, never finishing them, has its connection closed once
// ReadHeaderTimeout has passed, and that the server goes on (passed at
// once: the timeout was set; the test makes it short).
func TestSlowlorisCutOff(t *testing.T) {
	f := newFixture(t, nil)
	addr := serveLocal(t, f.srv, ServeOptions{ReadHeaderTimeout: 100 * time.Millisecond})
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("GET /api/search?q=banjir HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a")); err != nil {
		t.Fatal(err)
	}
	// The server closes the connection (after a 408 at most); the read
	// deadline only keeps a broken server from hanging the test.
	_ = conn.SetReadDeadline(time.Now().Add(time.Minute))
	got, err := io.ReadAll(conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("the server kept a half-sent request open for a minute")
	}
	if len(got) > 0 && !strings.Contains(string(got), "408") {
		t.Errorf("the server answered a half-sent request with %q, want nothing or 408", got)
	}
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz after the slow client = %d, want 200", resp.StatusCode)
	}
}

// TestPathTraversal checks that no request path or parameter reaches a
// file outside what the routes serve: article ids are checked before they
// become paths, static files come from the embedded files only, and the
// replay looks URLs up in the archive's index (passed at once).
func TestPathTraversal(t *testing.T) {
	f := newFixture(t, nil)
	secret := filepath.Join(f.dir, "secret.txt")
	if err := os.WriteFile(secret, []byte("TOP-SECRET"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{
		"/articles/..%2F..%2Fsecret.txt", "/articles/%2e%2e", "/articles/kota-..%2F..%2Fsecret",
		"/api/articles/..%2Fsecret.txt", "/api/articles/kota-0%00", "/api/articles/" + idBanjir + "%2F..%2F..%2Fsecret.txt",
		"/api/articles/" + idBanjir + "/versions/..%2F1", "/api/articles/" + idBanjir + "/versions/-1",
		"/api/articles/%2Fetc%2Fpasswd", "/articles/" + url.PathEscape(secret),
		"/static/..%2Ftemplates%2Flayout.html", "/static/%2e%2e/server.go", "/static/../../go.mod", "/static/" + url.PathEscape(secret),
		"/replay?url=" + url.QueryEscape("file://"+secret), "/replay?url=" + url.QueryEscape(secret),
		"/replay?url=" + url.QueryEscape("https://kota.example/../../secret.txt"),
		"/export?format=" + url.QueryEscape("../../secret.txt"),
	} {
		rec := f.get(t, p)
		body := rec.Body.String()
		if strings.Contains(body, "TOP-SECRET") || strings.Contains(body, "package web") || strings.Contains(body, "{{define") {
			t.Errorf("GET %s = %d served a file it must not", p, rec.Code)
		}
		if rec.Code == http.StatusOK {
			t.Errorf("GET %s = 200, want a refusal", p)
		}
	}
}

// serveLocal serves h with Serve and opt on a port of 127.0.0.1 until the
// test ends, and returns its address.
func serveLocal(t *testing.T, h http.Handler, opt ServeOptions) string {
	t.Helper()
	ln, err := listenLocal()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln, h, opt) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return ln.Addr().String()
}
