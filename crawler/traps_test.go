package crawler

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestRetries checks in a synctest bubble that 429 and 503 wait for their
// Retry-After, that other 5xx and failures back off exponentially and are
// retried a bounded number of times, and that 4xx is not retried.
func TestRetries(t *testing.T) {
	tests := []struct {
		name      string
		fails     int // answers before the 200
		status    int
		header    string // Retry-After
		wantReqs  int
		wantOK    bool
		wantGapGE time.Duration // least gap between the first two requests
		wantGapLT time.Duration // and less than this
	}{
		{"429 retry-after seconds", 1, 429, "7", 2, true, 7 * time.Second, 8 * time.Second},
		{"503 retry-after date", 1, 503, "DATE+20s", 2, true, 19 * time.Second, 21 * time.Second},
		{"500 then 200", 1, 500, "", 2, true, 250 * time.Millisecond, 500 * time.Millisecond},
		{"502 twice then 200", 2, 502, "", 3, true, 250 * time.Millisecond, 500 * time.Millisecond},
		{"500 forever gives up", 100, 500, "", 4, false, 250 * time.Millisecond, 500 * time.Millisecond},
		{"retry-after too long", 100, 429, "3600", 1, false, 0, 0},
		{"404 not retried", 100, 404, "", 1, false, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := newFixture()
				f.page("/{$}", htmlPage("home", `<a href="/baca/berita">x</a>`))
				var n atomic.Int32
				f.HandleFunc("/baca/berita", func(w http.ResponseWriter, r *http.Request) {
					if int(n.Add(1)) <= tt.fails {
						ra := tt.header
						if strings.HasPrefix(ra, "DATE+") {
							d, _ := time.ParseDuration(strings.TrimPrefix(ra, "DATE+"))
							ra = time.Now().Add(d).UTC().Format(http.TimeFormat)
						}
						if ra != "" {
							w.Header().Set("Retry-After", ra)
						}
						http.Error(w, "sibuk", tt.status)
						return
					}
					io.WriteString(w, htmlPage("berita", "isi"))
				})
				c, err := New(Options{
					StartURLs:     []string{"http://fixture.test/"},
					Discovery:     DiscoveryListing,
					Transport:     memTransport{f},
					MaxRetryAfter: time.Minute,
				})
				if err != nil {
					t.Fatal(err)
				}
				var got collect
				sum, err := c.Run(t.Context(), &got)
				if err != nil {
					t.Fatalf("Run() error: %v", err)
				}
				var times []time.Time
				for _, h := range f.allHits() {
					if h.path == "/baca/berita" {
						times = append(times, h.at)
					}
				}
				if len(times) != tt.wantReqs {
					t.Fatalf("requests = %d, want %d", len(times), tt.wantReqs)
				}
				if handed := len(got.urls(KindArticle)) == 1; handed != tt.wantOK {
					t.Errorf("article handed over = %v, want %v (summary errors %v)", handed, tt.wantOK, sum.Errors)
				}
				if tt.wantReqs > 1 {
					if gap := times[1].Sub(times[0]); gap < tt.wantGapGE || gap >= tt.wantGapLT {
						t.Errorf("gap before the first retry = %v, want in [%v, %v)", gap, tt.wantGapGE, tt.wantGapLT)
					}
				}
				if tt.wantReqs > 2 {
					// Exponential: the second wait is about twice the first.
					if g1, g2 := times[1].Sub(times[0]), times[2].Sub(times[1]); g2 < g1 || g2 < 500*time.Millisecond {
						t.Errorf("backoff gaps = %v then %v, want the second at least twice the base", g1, g2)
					}
				}
				if !tt.wantOK && sum.ErrorCount != 1 {
					t.Errorf("Summary.ErrorCount = %d, want 1", sum.ErrorCount)
				}
			})
		})
	}
}

func TestRedirects(t *testing.T) {
	f := newFixture()
	f.page("/baca/satu", htmlPage("satu", "satu"))
	f.page("/baca/dua", htmlPage("dua", "dua"))
	f.page("/baca/baru", htmlPage("baru", "baru"))
	f.page("/profil/", htmlPage("profil", "profil"))
	f.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("p") {
		case "11":
			http.Redirect(w, r, "/baca/satu", http.StatusMovedPermanently)
		case "12":
			http.Redirect(w, r, "/baca/dua?utm_source=wp", http.StatusMovedPermanently)
		case "13":
			http.Redirect(w, r, "/profil/", http.StatusMovedPermanently)
		default:
			io.WriteString(w, htmlPage("home", `
				<a href="/?p=11">shortlink to satu</a> <a href="/baca/satu">satu</a>
				<a href="/?p=12">shortlink to dua</a> <a href="/?p=13">shortlink to a page</a>
				<a href="/baca/putar-a">loop</a>
				<a href="/baca/jauh">off-site</a>
				<a href="/baca/lama">moved</a>
				<a href="/baca/rantai">long chain</a>`))
		}
	})
	f.HandleFunc("/baca/putar-a", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/baca/putar-b", http.StatusFound) })
	f.HandleFunc("/baca/putar-b", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/baca/putar-a", http.StatusFound) })
	f.HandleFunc("/baca/jauh", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://example.com/baca/jauh", http.StatusFound)
	})
	f.HandleFunc("/baca/lama", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/baca/baru", http.StatusMovedPermanently)
	})
	f.HandleFunc("/baca/rantai", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/rantai/1", http.StatusFound) })
	f.HandleFunc("/rantai/{n}", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscan(r.PathValue("n"), &n)
		http.Redirect(w, r, fmt.Sprintf("/rantai/%d", n+1), http.StatusFound)
	})
	srv := httptest.NewServer(f)
	defer srv.Close()

	for _, pattern := range []*regexp.Regexp{nil, regexp.MustCompile(`^http://127\.0\.0\.1:\d+/baca/[^/?#]+$`)} {
		t.Run(fmt.Sprintf("pattern %v", pattern), func(t *testing.T) {
			f.mu.Lock()
			f.hits = nil
			f.mu.Unlock()
			testRedirects(t, f, srv.URL, pattern)
		})
	}
}

func testRedirects(t *testing.T, f *fixture, base string, pattern *regexp.Regexp) {
	got, sum := mustRun(t, Options{StartURLs: []string{base}, Discovery: DiscoveryListing, MaxRedirects: 5, ArticlePattern: pattern})

	want := []string{base + "/baca/baru", base + "/baca/dua", base + "/baca/satu"}
	if diff := cmp.Diff(want, got.urls(KindArticle)); diff != "" {
		t.Errorf("articles (-want +got):\n%s", diff)
	}
	if n := f.count("/baca/satu"); n != 1 {
		t.Errorf("requests for /baca/satu (linked and behind /?p=11) = %d, want 1", n)
	}
	if p := got.byURL(base + "/baca/dua"); p == nil || p.RequestURL != base+"/?p=12" {
		t.Errorf("page behind /?p=12 = %+v, want URL /baca/dua with RequestURL /?p=12", p)
	}
	if p := got.byURL(base + "/baca/baru"); p == nil || p.RequestURL != base+"/baca/lama" {
		t.Errorf("moved page RequestURL = %v, want /baca/lama", p)
	}
	var loop, chain bool
	for _, e := range sum.Errors {
		loop = loop || strings.Contains(e.Message, "redirect loop")
		chain = chain || strings.Contains(e.Message, "too many redirects")
	}
	if !loop || !chain {
		t.Errorf("Summary.Errors = %+v, want a redirect loop and a too-long chain", sum.Errors)
	}
	if n := f.count("/rantai/7"); n != 0 {
		t.Errorf("requests for the 7th hop with MaxRedirects 5 = %d, want 0", n)
	}
	if n := f.count("/profil/"); n != 0 || got.byURL(base+"/profil/") != nil {
		t.Errorf("requests for /profil/ behind the shortlink /?p=13 = %d, want 0 and nothing handed over", n)
	}
	if n := f.count("/baca/putar-a"); n != 1 {
		t.Errorf("requests for the looping page = %d, want 1", n)
	}
}

// wpFixture is a WordPress-like site whose REST API answers apiStatus,
// with links to apiHost ("" for its own host).
func wpFixture(apiStatus int, apiHost string) *fixture {
	f := newFixture()
	var list strings.Builder
	for i := range 5 {
		fmt.Fprintf(&list, `<a href="/baca/berita-nomor-%d">x</a>`, i)
		f.page(fmt.Sprintf("/baca/berita-nomor-%d", i), htmlPage("x", fmt.Sprintf("berita %d", i)))
	}
	f.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Link", `<http://`+r.Host+`/wp-json/>; rel="https://api.w.org/"`)
		io.WriteString(w, htmlPage("home", list.String()))
	})
	f.HandleFunc("/wp-json/wp/v2/posts", func(w http.ResponseWriter, r *http.Request) {
		if apiStatus != http.StatusOK {
			w.WriteHeader(apiStatus)
			io.WriteString(w, `{"code":"rest_forbidden","message":"Sorry, you are not allowed to do that.","data":{"status":403}}`)
			return
		}
		w.Header().Set("X-WP-TotalPages", "1")
		host := r.Host
		if apiHost != "" {
			host = apiHost
		}
		var posts []string
		for i := range 5 {
			posts = append(posts, fmt.Sprintf(`{"id":%d,"link":"http://%s/baca/berita-nomor-%d","modified_gmt":"2024-01-0%dT10:00:00"}`, i+1, host, i, i+1))
		}
		io.WriteString(w, "["+strings.Join(posts, ",")+"]")
	})
	f.HandleFunc("/wp-sitemap.xml", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
			<sitemap><loc>http://%s/wp-sitemap-posts-post-1.xml</loc></sitemap>
			<sitemap><loc>http://%s/wp-sitemap-taxonomies-category-1.xml</loc></sitemap></sitemapindex>`, r.Host, r.Host)
	})
	f.HandleFunc("/wp-sitemap-posts-post-1.xml", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
		for i := range 5 {
			fmt.Fprintf(w, `<url><loc>http://%s/baca/berita-nomor-%d</loc><lastmod>2024-01-0%dT10:00:00+00:00</lastmod></url>`, r.Host, i, i+1)
		}
		io.WriteString(w, `</urlset>`)
	})
	return f
}

func TestDiscoverySources(t *testing.T) {
	tests := []struct {
		name      string
		apiStatus int
		apiHost   string
		discovery string
		want      string
		notHit    []string
	}{
		{"api used when it answers", http.StatusOK, "", DiscoveryAuto, "wordpress", []string{"/wp-sitemap.xml"}},
		{"api 403 falls back to sitemap", http.StatusForbidden, "", DiscoveryAuto, "sitemap", []string{"/wp-sitemap-taxonomies-category-1.xml"}},
		{"api 401 falls back to sitemap", http.StatusUnauthorized, "", DiscoveryAuto, "sitemap", nil},
		{"api 404 falls back to sitemap", http.StatusNotFound, "", DiscoveryWordPress, "sitemap", nil},
		{"api links off-site fall back to sitemap", http.StatusOK, "www.example.com", DiscoveryAuto, "sitemap", nil},
		{"listing only", http.StatusOK, "", DiscoveryListing, "listing", []string{"/wp-json/wp/v2/posts", "/wp-sitemap.xml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := wpFixture(tt.apiStatus, tt.apiHost)
			srv := httptest.NewServer(f)
			defer srv.Close()
			got, sum := mustRun(t, Options{StartURLs: []string{srv.URL}, Discovery: tt.discovery})
			if sum.Discovery != tt.want {
				t.Errorf("Summary.Discovery = %q, want %q", sum.Discovery, tt.want)
			}
			if n := len(got.urls(KindArticle)); n != 5 {
				t.Errorf("articles = %d, want 5", n)
			}
			for _, p := range tt.notHit {
				for _, h := range f.allHits() {
					if strings.HasPrefix(h.path, p) {
						t.Errorf("requested %s, want it left alone", h.path)
					}
				}
			}
		})
	}
}

// TestSitemapFromRobots checks a Yoast-style gzipped sitemap named only in
// robots.txt, and feeds as the last machine source.
func TestSitemapFromRobotsAndFeeds(t *testing.T) {
	gz := func(s string) []byte {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		io.WriteString(zw, s)
		zw.Close()
		return b.Bytes()
	}
	t.Run("robots sitemap line, yoast names, gzip", func(t *testing.T) {
		f := newFixture()
		f.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, "User-agent: *\nDisallow:\n\nSitemap: http://%s/peta/sitemap_index.xml\n", r.Host)
		})
		f.page("/{$}", htmlPage("home", "kosong"))
		f.HandleFunc("/peta/sitemap_index.xml", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, `<sitemapindex><sitemap><loc>http://%s/peta/post-sitemap.xml.gz</loc></sitemap>
				<sitemap><loc>http://%s/peta/category-sitemap.xml</loc></sitemap></sitemapindex>`, r.Host, r.Host)
		})
		f.HandleFunc("/peta/post-sitemap.xml.gz", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/x-gzip")
			w.Write(gz(fmt.Sprintf(`<urlset><url><loc>http://%s/kabar-terbaru-dari-balai-kota/</loc><lastmod>2024-02-03</lastmod></url>
				<url><loc>http://%s/2024/02/festival-songket-silungkang/</loc></url></urlset>`, r.Host, r.Host)))
		})
		f.page("/kabar-terbaru-dari-balai-kota/", htmlPage("a", "a"))
		f.page("/2024/02/festival-songket-silungkang/", htmlPage("b", "b"))
		srv := httptest.NewServer(f)
		defer srv.Close()
		got, sum := mustRun(t, Options{StartURLs: []string{srv.URL}})
		want := []string{srv.URL + "/2024/02/festival-songket-silungkang/", srv.URL + "/kabar-terbaru-dari-balai-kota/"}
		if diff := cmp.Diff(want, got.urls(KindArticle)); diff != "" || sum.Discovery != "sitemap" {
			t.Errorf("articles (-want +got):\n%s\nSummary.Discovery = %q, want sitemap", diff, sum.Discovery)
		}
		for _, p := range []string{"/wp-sitemap.xml", "/peta/category-sitemap.xml"} {
			if n := f.count(p); n != 0 {
				t.Errorf("requests for %s = %d, want 0", p, n)
			}
		}
		if n := len(got.urls(KindSitemap)); n != 2 {
			t.Errorf("sitemaps handed over = %d, want 2", n)
		}
	})
	t.Run("feed and listings", func(t *testing.T) {
		f := newFixture()
		f.page("/{$}", htmlPage("home", `<link rel="alternate" type="application/rss+xml" href="/rss.xml">
			<a href="/baca/dari-beranda">x</a>`))
		f.HandleFunc("/rss.xml", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
				<item><title>a</title><link>http://%s/baca/dari-feed</link></item></channel></rss>`, r.Host)
		})
		f.page("/baca/dari-feed", htmlPage("a", "a"))
		f.page("/baca/dari-beranda", htmlPage("b", "b"))
		srv := httptest.NewServer(f)
		defer srv.Close()
		got, sum := mustRun(t, Options{StartURLs: []string{srv.URL}})
		want := []string{srv.URL + "/baca/dari-beranda", srv.URL + "/baca/dari-feed"}
		if diff := cmp.Diff(want, got.urls(KindArticle)); diff != "" || sum.Discovery != "feed+listing" {
			t.Errorf("articles (-want +got):\n%s\nSummary.Discovery = %q, want feed+listing", diff, sum.Discovery)
		}
		if n := len(got.urls(KindFeed)); n != 1 {
			t.Errorf("feeds handed over = %d, want 1", n)
		}
	})
}

func TestCanonicalAndParts(t *testing.T) {
	f := newFixture()
	f.page("/{$}", htmlPage("home", `<a href="/baca/satu?amp=1">amp</a> <a href="/baca/satu">satu</a>
		<a href="/baca/panjang">panjang</a> <a href="/baca/dua">dua</a>`))
	f.HandleFunc("/baca/satu", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<html><head><link rel="canonical" href="http://%s/baca/satu"></head><body>satu</body></html>`, r.Host)
	})
	f.HandleFunc("/baca/dua", func(w http.ResponseWriter, r *http.Request) {
		// A theme that points every page at the home page.
		fmt.Fprintf(w, `<html><head><link rel="canonical" href="http://%s/"></head><body>dua</body></html>`, r.Host)
	})
	f.page("/baca/panjang", htmlPage("p1", `bagian 1 <div class="page-links">Laman: 1 <a href="/baca/panjang/2/">2</a> <a href="/baca/panjang/3/">3</a></div>`))
	f.page("/baca/panjang/2/", htmlPage("p2", `bagian 2 <div class="page-links"><a href="/baca/panjang">1</a> 2 <a href="/baca/panjang/3/">3</a></div>`))
	f.page("/baca/panjang/3/", htmlPage("p3", `bagian 3 <div class="page-links"><a href="/baca/panjang">1</a> <a href="/baca/panjang/2/">2</a> 3</div>`))
	srv := httptest.NewServer(f)
	defer srv.Close()
	got, _ := mustRun(t, Options{StartURLs: []string{srv.URL}, Discovery: DiscoveryListing,
		ArticlePattern: regexp.MustCompile(`/baca/[^/]+$`)})

	want := []string{srv.URL + "/baca/dua", srv.URL + "/baca/panjang", srv.URL + "/baca/satu"}
	if diff := cmp.Diff(want, got.urls(KindArticle)); diff != "" {
		t.Errorf("articles (-want +got):\n%s", diff)
	}
	if n := f.count("/baca/satu") + f.count("/baca/satu?amp=1"); n > 2 {
		t.Errorf("requests for /baca/satu and its amp copy = %d, want at most 2", n)
	}
	p := got.byURL(srv.URL + "/baca/panjang")
	if p == nil || len(p.Parts) != 2 {
		t.Fatalf("multi-page article = %+v, want 2 parts", p)
	}
	for i, part := range p.Parts {
		if want := fmt.Sprintf("bagian %d", i+2); !bytes.Contains(part.Body, []byte(want)) {
			t.Errorf("Parts[%d] body lacks %q: %s", i, want, part.Body)
		}
	}
	if n := f.count("/baca/panjang/2/"); n != 1 {
		t.Errorf("requests for part 2 = %d, want 1", n)
	}
}

// TestResume stops a crawl in the middle, as SIGINT does, and checks that
// the next run fetches only what the first did not finish, and that a page
// whose Handler failed is fetched and handed over again.
func TestResume(t *testing.T) {
	f := newFixture()
	var links strings.Builder
	const n = 40
	for i := range n {
		fmt.Fprintf(&links, `<a href="/baca/berita-%d">x</a>`, i)
		f.page(fmt.Sprintf("/baca/berita-%d", i), htmlPage("x", fmt.Sprint(i)))
	}
	f.page("/{$}", htmlPage("home", links.String()))
	srv := httptest.NewServer(f)
	defer srv.Close()
	opt := Options{
		StartURLs:   []string{srv.URL},
		Discovery:   DiscoveryListing,
		Concurrency: 1,
		StatePath:   filepath.Join(t.TempDir(), "state.db"),
	}

	c, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	first := map[string]bool{}
	var firstMu sync.Mutex // HandlePage runs on several goroutines
	var handled atomic.Int32
	failing := srv.URL + "/baca/berita-3"
	_, err = c.Run(ctx, HandlerFunc(func(_ context.Context, p *Page) error {
		if p.Kind != KindArticle {
			return nil
		}
		if p.URL == failing {
			return errors.New("disk full")
		}
		firstMu.Lock()
		first[p.URL] = true
		firstMu.Unlock()
		if handled.Add(1) == 15 {
			cancel()
		}
		return nil
	}))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("first Run() error = %v, want context.Canceled", err)
	}

	before := map[string]int{}
	for _, h := range f.allHits() {
		before[h.path]++
	}
	got, _ := mustRun(t, opt)
	second := got.urls(KindArticle)
	for _, u := range second {
		if first[u] {
			t.Errorf("%s handed over by both runs", u)
		}
	}
	if len(first)+len(second) != n {
		t.Errorf("articles handed over: %d + %d, want %d in all", len(first), len(second), n)
	}
	if !contains(second, failing) {
		t.Errorf("the page whose Handler failed was not handed over again")
	}
	after := map[string]int{}
	for _, h := range f.allHits() {
		after[h.path]++
	}
	for u := range first {
		p := strings.TrimPrefix(u, srv.URL)
		if after[p] != before[p] {
			t.Errorf("%s fetched again by the resumed run (%d times)", p, after[p]-before[p])
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestRobotsRedirect(t *testing.T) {
	f := newFixture()
	f.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/robots-baru.txt", http.StatusMovedPermanently)
	})
	f.HandleFunc("/robots-baru.txt", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "User-agent: *\nDisallow: /baca/tertutup\n")
	})
	f.page("/{$}", htmlPage("home", `<a href="/baca/terbuka">a</a> <a href="/baca/tertutup">b</a>`))
	f.page("/baca/terbuka", htmlPage("a", "a"))
	f.page("/baca/tertutup", htmlPage("b", "b"))
	srv := httptest.NewServer(f)
	defer srv.Close()
	got, sum := mustRun(t, Options{StartURLs: []string{srv.URL}, Discovery: DiscoveryListing})
	if diff := cmp.Diff([]string{srv.URL + "/baca/terbuka"}, got.urls(KindArticle)); diff != "" {
		t.Errorf("articles (-want +got):\n%s", diff)
	}
	if n := f.count("/baca/tertutup"); n != 0 || sum.RobotsDisallowed != 1 {
		t.Errorf("requests for the page the moved robots.txt disallows = %d (robots disallowed %d), want 0 (1)", n, sum.RobotsDisallowed)
	}
	if r := got.urls(KindRobots); len(r) != 1 || r[0] != srv.URL+"/robots-baru.txt" {
		t.Errorf("robots pages handed over = %v, want the moved one", r)
	}
}

// errTransport fails every request with err, counting them.
type errTransport struct {
	err   error
	calls atomic.Int32
}

func (t *errTransport) RoundTrip(*http.Request) (*http.Response, error) {
	t.calls.Add(1)
	return nil, t.err
}

func TestPermanentErrorsNotRetried(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		wantCalls int32
	}{
		{"unknown host", &net.DNSError{Err: "no such host", Name: "portal.invalid", IsNotFound: true}, 1},
		{"bad certificate", &tls.CertificateVerificationError{Err: errors.New("x509: certificate signed by unknown authority")}, 1},
		{"connection reset", errors.New("connection reset by peer"), 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := &errTransport{err: tt.err}
			c, err := New(Options{StartURLs: []string{"http://portal.invalid/"}, Transport: tr, RetryBase: time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Run(t.Context(), &collect{}); err == nil {
				t.Fatal("Run() = nil error, want the start url's failure")
			}
			// robots.txt fails, and with it the host's pages.
			if got := tr.calls.Load(); got != tt.wantCalls {
				t.Errorf("requests = %d, want %d", got, tt.wantCalls)
			}
		})
	}
}
