package crawler

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The red-team tests attack the crawler as a hostile or broken site would,
// where the tests of hostile_test.go do not: robots.txt, the REST API,
// cookies, headers, a host that fails for ever, and canonical links that
// name another article. Each says what the crawler did before its fix.

// TestHostileCrawlDelay: a robots.txt that asks for a Crawl-delay of
// 10^9 seconds (and of 10^10, past what time.Duration holds). Before: the
// crawl fetched robots.txt and then waited for 31 years (the second:
// crawled at full speed, the delay read as negative). After: the host is
// not crawled, and the run fails at once naming robots.txt and the delay.
func TestHostileCrawlDelay(t *testing.T) {
	for _, delay := range []string{"1000000000", "10000000000", "61"} {
		t.Run(delay, func(t *testing.T) {
			f := newFixture()
			f.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
				io.WriteString(w, "User-agent: *\nCrawl-delay: "+delay+"\n")
			})
			f.page("/{$}", htmlPage("home", `<a href="/baca/satu">x</a>`))
			f.page("/baca/satu", htmlPage("x", "x"))
			srv := httptest.NewServer(f)
			defer srv.Close()
			c, err := New(Options{StartURLs: []string{srv.URL}, Discovery: DiscoveryListing})
			if err != nil {
				t.Fatal(err)
			}
			var got collect
			sum, err := c.Run(t.Context(), &got)
			if err == nil || !strings.Contains(err.Error(), "Crawl-delay") || !strings.Contains(err.Error(), "robots.txt of "+strings.TrimPrefix(srv.URL, "http://")) {
				t.Fatalf("Run() error = %v, want the start url refused for its robots.txt Crawl-delay", err)
			}
			if hits := f.allHits(); len(hits) != 1 || hits[0].path != "/robots.txt" {
				t.Errorf("requests = %v, want robots.txt alone", hits)
			}
			if sum.ErrorCount != 1 || len(got.urls(KindRobots)) != 1 {
				t.Errorf("ErrorCount = %d, robots.txt handed over %d times; want 1 and 1 (archived)", sum.ErrorCount, len(got.urls(KindRobots)))
			}
		})
	}
	t.Run("raised max", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			f := newFixture()
			f.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "User-agent: *\nCrawl-delay: 90\n") })
			f.page("/{$}", htmlPage("home", `<a href="/baca/satu">x</a>`))
			f.page("/baca/satu", htmlPage("x", "x"))
			got, _ := mustRun(t, Options{StartURLs: []string{"http://fixture.test/"}, Discovery: DiscoveryListing,
				MaxCrawlDelay: 2 * time.Minute, Transport: memTransport{f}})
			if n := len(got.urls(KindArticle)); n != 1 {
				t.Errorf("articles with max crawl delay 2m and Crawl-delay 90 = %d, want 1", n)
			}
		})
	})
}

// apiSite is a WordPress site whose posts endpoint is posts.
func apiSite(posts http.HandlerFunc) *fixture {
	f := newFixture()
	f.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Link", `<http://`+r.Host+`/wp-json/>; rel="https://api.w.org/"`)
		io.WriteString(w, htmlPage("home", "x"))
	})
	f.HandleFunc("/wp-json/wp/v2/posts", posts)
	f.HandleFunc("/baca/", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, htmlPage("x", r.URL.Path)) })
	return f
}

// TestHostileAPIPages: a REST API that claims a million pages
// (X-WP-TotalPages), answering each with the same post, with no post, or
// with WordPress's 400 past the last page. Before: 2,000 API requests
// (the hard cap) for one post, and 1,999 errors for the 400s. After: the
// listing stops at the first empty or 400 page, and after
// MaxBarrenListings pages that bring nothing new.
func TestHostileAPIPages(t *testing.T) {
	tests := []struct {
		name     string
		page     func(w http.ResponseWriter, r *http.Request, n int)
		maxPages int // API requests at most
		errors   int
	}{
		{"same post on every page", func(w http.ResponseWriter, r *http.Request, n int) {
			fmt.Fprintf(w, `[{"id":1,"link":"http://%s/baca/satu","modified_gmt":"2024-01-01T10:00:00"}]`, r.Host)
		}, 1 + DefaultMaxBarrenListings + 1, 0},
		{"empty pages", func(w http.ResponseWriter, r *http.Request, n int) {
			if n > 2 {
				io.WriteString(w, `[]`)
				return
			}
			fmt.Fprintf(w, `[{"id":%d,"link":"http://%s/baca/berita-%d","modified_gmt":"2024-01-01T10:00:00"}]`, n, r.Host, n)
		}, 3, 0},
		{"400 past the end", func(w http.ResponseWriter, r *http.Request, n int) {
			if n > 2 {
				w.WriteHeader(http.StatusBadRequest)
				io.WriteString(w, `{"code":"rest_post_invalid_page_number","message":"The page number requested is larger than the number of pages available.","data":{"status":400}}`)
				return
			}
			fmt.Fprintf(w, `[{"id":%d,"link":"http://%s/baca/berita-%d","modified_gmt":"2024-01-01T10:00:00"}]`, n, r.Host, n)
		}, 3, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var apiHits atomic.Int32
			f := apiSite(func(w http.ResponseWriter, r *http.Request) {
				apiHits.Add(1)
				w.Header().Set("X-WP-TotalPages", "1000000")
				var n int
				fmt.Sscan(r.URL.Query().Get("page"), &n)
				tt.page(w, r, n)
			})
			srv := httptest.NewServer(f)
			defer srv.Close()
			got, sum := mustRun(t, Options{StartURLs: []string{srv.URL}, MaxPages: 100})
			if n := int(apiHits.Load()); n > tt.maxPages {
				t.Errorf("API requests = %d, want at most %d", n, tt.maxPages)
			}
			if sum.Discovery != DiscoveryWordPress || len(got.urls(KindArticle)) == 0 {
				t.Errorf("Discovery = %q with %d articles, want wordpress with its posts", sum.Discovery, len(got.urls(KindArticle)))
			}
			if sum.ErrorCount != tt.errors {
				t.Errorf("ErrorCount = %d, want %d: %+v", sum.ErrorCount, tt.errors, sum.Errors)
			}
		})
	}
}

// TestHostileCookies: every page sets 2,000 new cookies. Before: the jar
// kept them all and sent them back, 940 KB of Cookie header by the 22nd
// page, each request slower than the last (75 s for 22 pages). After: a
// host keeps 50 cookies of at most 4 KB.
func TestHostileCookies(t *testing.T) {
	f := newFixture()
	var links strings.Builder
	for i := range 10 {
		fmt.Fprintf(&links, `<a href="/baca/berita-nomor-%d">x</a>`, i)
	}
	var mu sync.Mutex
	most, sent := 0, map[string]bool{}
	f.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		most = max(most, len(r.Cookies()))
		for _, c := range r.Cookies() {
			sent[c.Name] = true
		}
		mu.Unlock()
		w.Header().Add("Set-Cookie", "sesi=ok; Path=/")
		w.Header().Add("Set-Cookie", "besar="+strings.Repeat("x", 5000)+"; Path=/")
		for i := range 2000 {
			w.Header().Add("Set-Cookie", fmt.Sprintf("c%x_%d=%d; Path=/", len(r.URL.Path), i, i))
		}
		io.WriteString(w, htmlPage("x", links.String()))
	})
	srv := httptest.NewServer(f)
	defer srv.Close()
	got, sum := mustRun(t, Options{StartURLs: []string{srv.URL}, Discovery: DiscoveryListing, Concurrency: 1})
	if n := len(got.urls(KindArticle)); n != 10 || sum.ErrorCount != 0 {
		t.Errorf("articles = %d, errors %v; want 10 and none", n, sum.Errors)
	}
	if most > maxCookiesPerHost || !sent["sesi"] || sent["besar"] {
		t.Errorf("cookies sent = %d at most (the session cookie: %v, the 5 KB one: %v); want at most %d, the session cookie, not the 5 KB one",
			most, sent["sesi"], sent["besar"], maxCookiesPerHost)
	}
}

// TestHostileHeaders: a page whose response carries 1 MB of headers.
// Before: read and handed over (10 MB were allowed). After: the page
// fails with an error that names the header limit; the others are
// crawled.
func TestHostileHeaders(t *testing.T) {
	f := newFixture()
	f.page("/{$}", htmlPage("home", `<a href="/baca/besar">x</a> <a href="/baca/biasa">x</a>`))
	f.page("/baca/biasa", htmlPage("x", "x"))
	f.HandleFunc("/baca/besar", func(w http.ResponseWriter, r *http.Request) {
		for i := range 1024 {
			w.Header().Set(fmt.Sprintf("X-Isi-%d", i), strings.Repeat("x", 1000))
		}
		io.WriteString(w, htmlPage("x", "x"))
	})
	srv := httptest.NewServer(f)
	defer srv.Close()
	got, sum := mustRun(t, Options{StartURLs: []string{srv.URL}, Discovery: DiscoveryListing, MaxRetries: -1})
	if diff := cmp.Diff([]string{srv.URL + "/baca/biasa"}, got.urls(KindArticle)); diff != "" {
		t.Errorf("articles (-want +got):\n%s", diff)
	}
	if len(sum.Errors) != 1 || !strings.HasSuffix(sum.Errors[0].URL, "/baca/besar") || !strings.Contains(sum.Errors[0].Message, "header") {
		t.Errorf("Summary.Errors = %+v, want /baca/besar failed for its headers", sum.Errors)
	}
}

// TestHostileHostDown: a host that answers every article with 429 and a
// Retry-After of four minutes, one that answers 503 for ever, and one
// whose pages never answer; and two that are up, with a cluster of pages
// that fail for ever or pages that fail once. Before: each of the 50 articles waited out
// its own retries: 200 requests and 10 hours of Retry-After for the
// first, 200 stalled requests for the last. After: the crawl gives up on
// the host after MaxHostFailures failed attempts in a row, and every
// page left fails at once with an error that says so.
func TestHostileHostDown(t *testing.T) {
	tests := []struct {
		name string
		page http.HandlerFunc
	}{
		{"429 for ever", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "240")
			http.Error(w, "terlalu banyak", http.StatusTooManyRequests)
		}},
		{"503 for ever", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "pemeliharaan", http.StatusServiceUnavailable)
		}},
		{"stalled", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }},
	}
	const articles = 50
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := newFixture()
				var links strings.Builder
				for i := range articles {
					fmt.Fprintf(&links, `<a href="/baca/berita-%d">x</a>`, i)
				}
				f.page("/{$}", htmlPage("home", links.String()))
				f.HandleFunc("/baca/", tt.page)
				c, err := New(Options{StartURLs: []string{"http://fixture.test/"}, Discovery: DiscoveryListing,
					Transport: memTransport{f}, Timeout: 10 * time.Second})
				if err != nil {
					t.Fatal(err)
				}
				var got collect
				sum, err := c.Run(t.Context(), &got)
				if err != nil {
					t.Fatalf("Run() error = %v, want the failures counted", err)
				}
				reqs := 0
				for _, h := range f.allHits() {
					if strings.HasPrefix(h.path, "/baca/") {
						reqs++
					}
				}
				// The attempts in flight when the bound was reached may
				// finish: Concurrency of them.
				if reqs > DefaultMaxHostFailures+DefaultConcurrency {
					t.Errorf("article requests = %d, want at most %d", reqs, DefaultMaxHostFailures+DefaultConcurrency)
				}
				down := 0
				for _, e := range sum.Errors {
					if strings.Contains(e.Message, ErrHostDown.Error()) && strings.Contains(e.Message, "fixture.test") {
						down++
					}
				}
				if sum.ErrorCount != articles || down < articles-DefaultMaxHostFailures {
					t.Errorf("ErrorCount = %d, %d of them for the host given up; want %d, at least %d: %+v",
						sum.ErrorCount, down, articles, articles-DefaultMaxHostFailures, sum.Errors)
				}
			})
		})
	}
	t.Run("a cluster of broken pages", func(t *testing.T) {
		// 30 pages in a row answer 500 (and 502) for ever, the others
		// are fine: the site is up, and every fine page is archived.
		synctest.Test(t, func(t *testing.T) {
			f := newFixture()
			var links strings.Builder
			for i := range articles {
				fmt.Fprintf(&links, `<a href="/baca/berita-%d">x</a>`, i)
			}
			f.page("/{$}", htmlPage("home", links.String()))
			f.HandleFunc("/baca/", func(w http.ResponseWriter, r *http.Request) {
				var n int
				fmt.Sscanf(r.URL.Path, "/baca/berita-%d", &n)
				if n < 30 {
					http.Error(w, "kesalahan basis data", http.StatusInternalServerError+2*(n%2))
					return
				}
				io.WriteString(w, htmlPage("x", r.URL.Path))
			})
			got, sum := mustRun(t, Options{StartURLs: []string{"http://fixture.test/"}, Discovery: DiscoveryListing,
				Transport: memTransport{f}, Concurrency: 1})
			if k := len(got.urls(KindArticle)); k != articles-30 || sum.ErrorCount != 30 {
				t.Errorf("articles = %d, errors %d; want %d and 30 (the host is up)", k, sum.ErrorCount, articles-30)
			}
		})
	})
	t.Run("failures between successes", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			f := newFixture()
			var links strings.Builder
			for i := range articles {
				fmt.Fprintf(&links, `<a href="/baca/berita-%d">x</a>`, i)
			}
			f.page("/{$}", htmlPage("home", links.String()))
			var mu sync.Mutex
			tried := map[string]bool{}
			f.HandleFunc("/baca/", func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				first := !tried[r.URL.Path]
				tried[r.URL.Path] = true
				mu.Unlock()
				if first { // every page fails once
					http.Error(w, "sibuk", http.StatusBadGateway)
					return
				}
				io.WriteString(w, htmlPage("x", r.URL.Path))
			})
			got, sum := mustRun(t, Options{StartURLs: []string{"http://fixture.test/"}, Discovery: DiscoveryListing,
				Transport: memTransport{f}, Concurrency: 1})
			if k := len(got.urls(KindArticle)); k != articles || sum.ErrorCount != 0 {
				t.Errorf("articles = %d, errors %d; want %d and none (each failure is retried, the host is not down)", k, sum.ErrorCount, articles)
			}
		})
	})
}

// TestHostileCanonical: pages whose rel=canonical names another article
// of the site. Before: /baca/satu, which names /baca/dua, was dropped as
// a copy of it (lost); /baca/tiga, which names /baca/empat before the
// crawl knew it, was archived as /baca/empat, and the real /baca/empat,
// linked from it, was never fetched. After: each keeps its own URL; the
// AMP copy and the copy with a tracking parameter still name their
// article, and are fetched once.
func TestHostileCanonical(t *testing.T) {
	f := newFixture()
	canon := func(path, target, body string) {
		f.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, `<html><head><link rel="canonical" href="%s"></head><body>%s</body></html>`, target, body)
		})
	}
	f.page("/{$}", htmlPage("home", `<a href="/baca/satu">1</a> <a href="/baca/dua">2</a> <a href="/baca/tiga">3</a>
		<a href="/amp/baca/lima">5 amp</a> <a href="/baca/enam?id=6&ref=depan">6</a> <a href="/baca/tujuh?id=7">7</a>`))
	canon("/baca/satu", "/baca/dua", "satu")
	f.page("/baca/dua", htmlPage("dua", "dua"))
	canon("/baca/tiga", "/baca/empat", `tiga <a href="/baca/empat">4</a>`)
	f.page("/baca/empat", htmlPage("empat", "empat"))
	canon("/amp/baca/lima", "/baca/lima", "lima amp")
	f.page("/baca/lima", htmlPage("lima", "lima"))
	canon("/baca/enam", "/baca/enam?id=6", "enam")
	canon("/baca/tujuh", "/baca/tujuh?id=8", "tujuh")
	srv := httptest.NewServer(f)
	defer srv.Close()
	got, _ := mustRun(t, Options{StartURLs: []string{srv.URL}, Discovery: DiscoveryListing, Concurrency: 1,
		ArticlePattern: regexp.MustCompile(`/baca/`)})
	// Each article's URL, and where its page was fetched.
	want := map[string]string{
		"/baca/dua": "/baca/dua", "/baca/empat": "/baca/empat", "/baca/satu": "/baca/satu", "/baca/tiga": "/baca/tiga",
		"/baca/lima": "/amp/baca/lima", "/baca/enam?id=6": "/baca/enam?id=6&ref=depan", "/baca/tujuh?id=7": "/baca/tujuh?id=7",
	}
	var wantURLs []string
	for u := range want {
		wantURLs = append(wantURLs, srv.URL+u)
	}
	slices.Sort(wantURLs)
	if diff := cmp.Diff(wantURLs, got.urls(KindArticle)); diff != "" {
		t.Errorf("articles (-want +got):\n%s", diff)
	}
	for u, from := range want {
		if p := got.byURL(srv.URL + u); p != nil && p.RequestURL != srv.URL+from {
			t.Errorf("%s holds the page fetched at %s, want %s", u, p.RequestURL, from)
		}
	}
	if n := f.count("/baca/lima"); n != 0 {
		t.Errorf("requests for /baca/lima, whose AMP copy named it first = %d, want 0", n)
	}
}

func TestSameArticle(t *testing.T) {
	for _, tt := range []struct {
		page, canon string
		want        bool
	}{
		{"http://x.id/baca/satu", "http://x.id/baca/satu", true},
		{"http://x.id/baca/satu?amp=1", "http://x.id/baca/satu", true},
		{"http://x.id/amp/baca/satu", "http://x.id/baca/satu/", true},
		{"http://x.id/baca/satu/amp/", "http://x.id/baca/satu", true},
		{"http://m.x.id/baca/satu", "http://www.x.id/baca/satu", true},
		{"http://x.id/daerah/satu", "http://x.id/nasional/satu", true},
		{"http://x.id/baca/satu/2", "http://x.id/baca/satu", true},
		{"http://x.id/baca/Satu", "http://x.id/baca/satu", true},
		{"http://x.id/berita.php?id=5&ref=x", "http://x.id/berita.php?id=5", true},
		{"http://x.id/berita/satu.html", "http://x.id/berita/satu", true},
		{"http://x.id/baca/satu", "http://x.id/baca/dua", false},
		{"http://x.id/baca/satu.html", "http://x.id/baca/dua.html", false},
		{"http://x.id/berita.php?id=5", "http://x.id/berita.php?id=6", false},
		{"http://x.id/berita/12", "http://x.id/berita/13", false},
		{"http://x.id/?p=5", "http://x.id/judul-berita-lima/", false},
		{"http://x.id/", "http://x.id/baca/satu", false},
	} {
		p, _ := url.Parse(tt.page)
		c, _ := url.Parse(tt.canon)
		if got := sameArticle(p, c); got != tt.want {
			t.Errorf("sameArticle(%s, %s) = %v, want %v", tt.page, tt.canon, got, tt.want)
		}
	}
}

// TestHostileLongURLs: every page links to new article URLs of 100 KB.
// Before: each was queued and fetched (and each brought more). After:
// none is followed, and the trap is counted.
func TestHostileLongURLs(t *testing.T) {
	f := newFixture()
	var n atomic.Int32
	f.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		i := n.Add(1)
		if i > 50 { // a safety net: the crawl must not get here
			http.NotFound(w, r)
			return
		}
		long := strings.Repeat(fmt.Sprintf("judul-berita-%d-", i), 100_000/16)
		io.WriteString(w, htmlPage("x", `<a href="/baca/`+long+`">x</a> <a href="/baca/biasa">x</a>`))
	})
	srv := httptest.NewServer(f)
	defer srv.Close()
	got, sum := mustRun(t, Options{StartURLs: []string{srv.URL}, Discovery: DiscoveryListing})
	if diff := cmp.Diff([]string{srv.URL + "/baca/biasa"}, got.urls(KindArticle)); diff != "" {
		t.Errorf("articles (-want +got):\n%s", diff)
	}
	if sum.Traps[trapPath] == 0 {
		t.Errorf("Summary.Traps = %v, want the long paths counted", sum.Traps)
	}
}

// TestHostileRobotsSize: a robots.txt of 50 MB of rules. Before: the
// first 10 MB were read, and every URL was tested against their 500,000
// rules (18 s for 50 articles). After: the first 500 KiB are read, as RFC
// 9309 allows; a rule past them does not apply, one within does.
func TestHostileRobotsSize(t *testing.T) {
	var rb strings.Builder
	rb.WriteString("User-agent: *\nDisallow: /baca/tertutup\n")
	for i := 0; rb.Len() < 2*maxRobotsBytes; i++ {
		fmt.Fprintf(&rb, "Disallow: /arsip-%d/*/lama$\n", i)
	}
	rb.WriteString("Disallow: /baca/\n") // past the limit: not read
	head := robotsHead([]byte(rb.String()))
	if len(head) > maxRobotsBytes || !strings.HasSuffix(string(head), "/lama$\n") {
		t.Errorf("robotsHead kept %d bytes ending %q, want at most %d ending with a whole line", len(head), head[len(head)-20:], maxRobotsBytes)
	}
	f := newFixture()
	robots := rb.String()
	f.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, robots) })
	f.page("/{$}", htmlPage("home", `<a href="/baca/terbuka">x</a> <a href="/baca/tertutup">x</a>`))
	f.HandleFunc("/baca/", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, htmlPage("x", "x")) })
	srv := httptest.NewServer(f)
	defer srv.Close()
	got, sum := mustRun(t, Options{StartURLs: []string{srv.URL}, Discovery: DiscoveryListing})
	if diff := cmp.Diff([]string{srv.URL + "/baca/terbuka"}, got.urls(KindArticle)); diff != "" || sum.RobotsDisallowed != 1 {
		t.Errorf("articles (-want +got):\n%s\nRobotsDisallowed = %d, want 1", diff, sum.RobotsDisallowed)
	}
	if p := got.urls(KindRobots); len(p) != 1 {
		t.Errorf("robots.txt handed over %d times, want 1", len(p))
	}
}

// TestHostileUnasked304: a server that answers 304 Not Modified to a
// first visit, which sent no validators. Before: counted as not modified,
// nothing archived and no error, run after run. After: the page fails
// with an error that says so.
func TestHostileUnasked304(t *testing.T) {
	f := newFixture()
	f.page("/{$}", htmlPage("home", `<a href="/baca/satu">x</a> <a href="/baca/dua">x</a>`))
	f.page("/baca/dua", htmlPage("dua", "dua"))
	f.HandleFunc("/baca/satu", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNotModified) })
	srv := httptest.NewServer(f)
	defer srv.Close()
	got, sum := mustRun(t, Options{StartURLs: []string{srv.URL}, Discovery: DiscoveryListing})
	if diff := cmp.Diff([]string{srv.URL + "/baca/dua"}, got.urls(KindArticle)); diff != "" {
		t.Errorf("articles (-want +got):\n%s", diff)
	}
	if len(sum.Errors) != 1 || sum.Errors[0].URL != srv.URL+"/baca/satu" || !strings.Contains(sum.Errors[0].Message, "without validators") || sum.NotModified != 0 {
		t.Errorf("Summary.Errors = %+v, NotModified = %d; want /baca/satu failed for its 304, none not modified", sum.Errors, sum.NotModified)
	}
}

// TestHostileFollow: an article whose Handler asks for 10,000 images on
// the site. Before: 10,000 requests for one article. After: maxFollow.
func TestHostileFollow(t *testing.T) {
	f := newFixture()
	f.page("/{$}", htmlPage("home", `<a href="/baca/galeri">x</a>`))
	f.page("/baca/galeri", htmlPage("galeri", "galeri"))
	var images atomic.Int32
	f.HandleFunc("/img/", func(w http.ResponseWriter, r *http.Request) {
		images.Add(1)
		w.Header().Set("Content-Type", "image/gif")
		io.WriteString(w, "GIF89a")
	})
	srv := httptest.NewServer(f)
	defer srv.Close()
	c, err := New(Options{StartURLs: []string{srv.URL}, Discovery: DiscoveryListing, Concurrency: 8})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Run(t.Context(), HandlerFunc(func(_ context.Context, p *Page) error {
		if p.Kind == KindArticle {
			for i := range 10_000 {
				p.Follow = append(p.Follow, fmt.Sprintf("%s/img/%d.gif", srv.URL, i))
			}
		}
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	if n := images.Load(); n != maxFollow {
		t.Errorf("image requests = %d, want %d", n, maxFollow)
	}
}

// TestHostileFeeds: a home page that advertises 1,000 feeds. Before:
// each was fetched. After: maxFeeds.
func TestHostileFeeds(t *testing.T) {
	f := newFixture()
	var head strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&head, `<link rel="alternate" type="application/rss+xml" href="/feed-%d.xml">`, i)
	}
	f.page("/{$}", htmlPage("home", head.String()+`<a href="/baca/dari-beranda">x</a>`))
	var feeds atomic.Int32
	f.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/feed-") {
			feeds.Add(1)
			fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>a</title><link>http://%s/baca/dari-feed</link></item></channel></rss>`, r.Host)
			return
		}
		io.WriteString(w, htmlPage("x", "x"))
	})
	srv := httptest.NewServer(f)
	defer srv.Close()
	got, _ := mustRun(t, Options{StartURLs: []string{srv.URL}, Discovery: DiscoveryFeed})
	if n := feeds.Load(); n != maxFeeds {
		t.Errorf("feed requests = %d, want %d", n, maxFeeds)
	}
	if diff := cmp.Diff([]string{srv.URL + "/baca/dari-feed"}, got.urls(KindArticle)); diff != "" {
		t.Errorf("articles (-want +got):\n%s", diff)
	}
}

// TestHostileParts: an article of 20 pages of 100 KB each, with a max
// page size of 512 KB. Before: all 20 were fetched and held (2 MB; with
// the default 10 MB pages, 200 MB for one article). After: the parts stop
// once the article holds more than the max page size, with an error that
// names the part.
func TestHostileParts(t *testing.T) {
	const limit = 512 << 10
	big := strings.Repeat("isi halaman panjang ", 5000) // 100 KB
	f := newFixture()
	f.page("/{$}", htmlPage("home", `<a href="/baca/panjang">x</a>`))
	f.HandleFunc("/baca/panjang/", func(w http.ResponseWriter, r *http.Request) {
		n := 1
		fmt.Sscanf(strings.TrimPrefix(r.URL.Path, "/baca/panjang/"), "%d", &n)
		io.WriteString(w, htmlPage("p", fmt.Sprintf(`%s <a href="/baca/panjang/%d/">%d</a>`, big, n+1, n+1)))
	})
	f.HandleFunc("/baca/panjang", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, htmlPage("p", big+` <a href="/baca/panjang/2/">2</a>`))
	})
	srv := httptest.NewServer(f)
	defer srv.Close()
	got, sum := mustRun(t, Options{StartURLs: []string{srv.URL}, Discovery: DiscoveryListing, MaxPageBytes: limit})
	p := got.byURL(srv.URL + "/baca/panjang")
	if p == nil {
		t.Fatal("the article was not handed over")
	}
	size := len(p.Body)
	for _, part := range p.Parts {
		size += len(part.Body)
	}
	if size > limit || len(p.Parts) < 3 {
		t.Errorf("article of %d parts holds %d bytes, want at most %d (and the parts that fit)", len(p.Parts), size, limit)
	}
	if len(sum.Errors) != 1 || !strings.Contains(sum.Errors[0].Message, "max page size") {
		t.Errorf("Summary.Errors = %+v, want the part that did not fit", sum.Errors)
	}
}

// TestHostileRedirectTargets: articles that redirect to another port of
// 127.0.0.1, to 127.0.0.2, to file:///etc/passwd, to a gopher: URL and to
// a host written as a number. None is followed; each is counted.
func TestHostileRedirectTargets(t *testing.T) {
	var other atomic.Int32
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { other.Add(1) }))
	defer elsewhere.Close()
	_, port, _ := strings.Cut(strings.TrimPrefix(elsewhere.URL, "http://"), ":")
	f := newFixture()
	targets := map[string]string{
		"/baca/port-lain": elsewhere.URL + "/baca/rahasia",
		"/baca/alamat-2":  "http://127.0.0.2:" + port + "/baca/rahasia",
		"/baca/berkas":    "file:///etc/passwd",
		"/baca/gopher":    "gopher://127.0.0.1:" + port + "/",
		"/baca/angka":     "http://2130706433:" + port + "/baca/rahasia",
	}
	var links strings.Builder
	for from, to := range targets {
		fmt.Fprintf(&links, `<a href="%s">x</a>`, from)
		f.HandleFunc(from, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", to)
			w.WriteHeader(http.StatusFound)
		})
	}
	f.page("/{$}", htmlPage("home", links.String()))
	srv := httptest.NewServer(f)
	defer srv.Close()
	got, sum := mustRun(t, Options{StartURLs: []string{srv.URL}, Discovery: DiscoveryListing})
	if n := other.Load(); n != 0 {
		t.Errorf("requests to the other service = %d, want 0", n)
	}
	if a := got.urls(KindArticle); len(a) != 0 {
		t.Errorf("articles = %v, want none", a)
	}
	if sum.Skipped+sum.ErrorCount != len(targets) {
		t.Errorf("Skipped %d + ErrorCount %d, want %d (each redirect refused and counted): %+v", sum.Skipped, sum.ErrorCount, len(targets), sum.Errors)
	}
}

// TestHostileFutureLastmod: a sitemap, a REST API and a feed that date an
// article's last change in 2099. Before: the date went into the state as
// the article's lastmod (and the API's into the next run's
// modified_after), so the real change of the next day looked older, and
// the article was never fetched again. After: a date more than a day
// ahead counts as unknown; the change is fetched and handed over.
func TestHostileFutureLastmod(t *testing.T) {
	for _, source := range []string{"sitemap", "api", "feed"} {
		t.Run(source, func(t *testing.T) {
			var mu sync.Mutex
			lastmod, text := "2099-01-01T00:00:00", "versi satu"
			f := newFixture()
			f.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
				if source == "api" {
					w.Header().Add("Link", `<http://`+r.Host+`/wp-json/>; rel="https://api.w.org/"`)
				}
				io.WriteString(w, htmlPage("home", `<link rel="alternate" type="application/rss+xml" href="/feed.xml">`))
			})
			f.HandleFunc("/wp-json/wp/v2/posts", func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				defer mu.Unlock()
				if since := r.URL.Query().Get("modified_after"); since != "" && since >= lastmod {
					io.WriteString(w, "[]")
					return
				}
				fmt.Fprintf(w, `[{"id":1,"link":"http://%s/baca/satu","modified_gmt":"%s"}]`, r.Host, lastmod)
			})
			f.HandleFunc("/sitemap.xml", func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				defer mu.Unlock()
				fmt.Fprintf(w, `<urlset><url><loc>http://%s/baca/satu</loc><lastmod>%s+00:00</lastmod></url></urlset>`, r.Host, lastmod)
			})
			f.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				defer mu.Unlock()
				fmt.Fprintf(w, `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>a</title><link href="http://%s/baca/satu"/><updated>%sZ</updated></entry></feed>`, r.Host, lastmod)
			})
			f.HandleFunc("/baca/satu", func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				defer mu.Unlock()
				io.WriteString(w, htmlPage("satu", text))
			})
			srv := httptest.NewServer(f)
			defer srv.Close()
			discovery := map[string]string{"sitemap": DiscoverySitemap, "api": DiscoveryWordPress, "feed": DiscoveryFeed}[source]
			opt := Options{StartURLs: []string{srv.URL}, Discovery: discovery, StatePath: t.TempDir() + "/state.db"}
			if got, _ := mustRun(t, opt); len(got.urls(KindArticle)) != 1 {
				t.Fatalf("first run: articles %v, want /baca/satu", got.urls(KindArticle))
			}
			mu.Lock()
			lastmod, text = time.Now().UTC().Add(-time.Hour).Format("2006-01-02T15:04:05"), "versi dua"
			mu.Unlock()
			got, sum := mustRun(t, opt)
			p := got.byURL(srv.URL + "/baca/satu")
			if p == nil || !strings.Contains(string(p.Body), "versi dua") {
				t.Errorf("second run: the changed article was not handed over (unchanged %d, discovery %s)", sum.Unchanged, sum.Discovery)
			}
		})
	}
}

// TestHostileValidators: an article whose ETag is 100 KB. Before: kept in
// the state for the article and sent back as If-None-Match on every later
// request. After: not kept; the next run asks with If-Modified-Since
// alone.
func TestHostileValidators(t *testing.T) {
	f := newFixture()
	f.page("/{$}", htmlPage("home", `<a href="/baca/satu">x</a>`))
	etag := `"` + strings.Repeat("e", 100_000) + `"`
	f.HandleFunc("/baca/satu", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", "Mon, 02 Jan 2006 15:04:05 GMT")
		io.WriteString(w, htmlPage("satu", "satu"))
	})
	srv := httptest.NewServer(f)
	defer srv.Close()
	opt := Options{StartURLs: []string{srv.URL}, Discovery: DiscoveryListing, StatePath: t.TempDir() + "/state.db"}
	mustRun(t, opt)
	mustRun(t, opt)
	var last hit
	for _, h := range f.allHits() {
		if h.path == "/baca/satu" {
			last = h
		}
	}
	if inm, ims := last.hdr.Get("If-None-Match"), last.hdr.Get("If-Modified-Since"); inm != "" || ims == "" {
		t.Errorf("second request sent If-None-Match of %d bytes, If-Modified-Since %q; want none, and the date", len(inm), ims)
	}
}

// TestHostileRobotsLines: robots.txt files with one line the parser
// refuses: a Crawl-delay of -1, of "abc" or NaN, a Disallow above every
// User-agent. Before: the whole file was dropped as unreadable, and with
// it the site's Disallow: everything was crawled. After: the bad line is
// ignored and the rules stand.
func TestHostileRobotsLines(t *testing.T) {
	for _, bad := range []string{"Crawl-delay: -1", "Crawl-delay: abc", "Crawl-delay: NaN", "Crawl-delay: 1e999"} {
		t.Run(bad, func(t *testing.T) {
			testRobotsLine(t, "User-agent: *\n"+bad+"\nDisallow: /baca/tertutup # rahasia\n")
		})
	}
	t.Run("rule above the groups", func(t *testing.T) {
		testRobotsLine(t, "Disallow: /\nUser-agent: *\nDisallow: /baca/tertutup\n")
	})
}

func testRobotsLine(t *testing.T, robots string) {
	f := newFixture()
	f.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, robots) })
	f.page("/{$}", htmlPage("home", `<a href="/baca/terbuka">x</a> <a href="/baca/tertutup">x</a>`))
	f.HandleFunc("/baca/", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, htmlPage("x", "x")) })
	srv := httptest.NewServer(f)
	defer srv.Close()
	got, sum := mustRun(t, Options{StartURLs: []string{srv.URL}, Discovery: DiscoveryListing})
	if diff := cmp.Diff([]string{srv.URL + "/baca/terbuka"}, got.urls(KindArticle)); diff != "" || f.count("/baca/tertutup") != 0 {
		t.Errorf("articles (-want +got):\n%s\nrequests for the disallowed page: %d (robots disallowed %d), want 0", diff, f.count("/baca/tertutup"), sum.RobotsDisallowed)
	}
}

// TestHostileSitemapCycle: a sitemap index that lists itself and a second
// index that lists the first back. Each is read once, and the articles of
// the urlset they lead to are found.
func TestHostileSitemapCycle(t *testing.T) {
	f := newFixture()
	f.page("/{$}", htmlPage("home", "kosong"))
	f.HandleFunc("/sitemap.xml", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<sitemapindex><sitemap><loc>http://%[1]s/sitemap.xml</loc></sitemap><sitemap><loc>http://%[1]s/peta-2.xml</loc></sitemap></sitemapindex>`, r.Host)
	})
	f.HandleFunc("/peta-2.xml", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<sitemapindex><sitemap><loc>http://%[1]s/sitemap.xml</loc></sitemap><sitemap><loc>http://%[1]s/peta-2.xml</loc></sitemap><sitemap><loc>http://%[1]s/post-sitemap.xml</loc></sitemap></sitemapindex>`, r.Host)
	})
	f.HandleFunc("/post-sitemap.xml", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<urlset><url><loc>http://%s/baca/satu</loc></url></urlset>`, r.Host)
	})
	f.page("/baca/satu", htmlPage("satu", "satu"))
	srv := httptest.NewServer(f)
	defer srv.Close()
	got, _ := mustRun(t, Options{StartURLs: []string{srv.URL}, Discovery: DiscoverySitemap})
	if diff := cmp.Diff([]string{srv.URL + "/baca/satu"}, got.urls(KindArticle)); diff != "" {
		t.Errorf("articles (-want +got):\n%s", diff)
	}
	for _, p := range []string{"/sitemap.xml", "/peta-2.xml", "/post-sitemap.xml"} {
		if n := f.count(p); n != 1 {
			t.Errorf("requests for %s = %d, want 1", p, n)
		}
	}
}

// TestHostileContentLength: an article whose Content-Length promises
// more than it sends. It fails, retried, with an error that names it and
// the short body; the crawl goes on.
func TestHostileContentLength(t *testing.T) {
	f := newFixture()
	f.page("/{$}", htmlPage("home", `<a href="/baca/bohong">x</a> <a href="/baca/jujur">x</a>`))
	f.page("/baca/jujur", htmlPage("jujur", "jujur"))
	f.HandleFunc("/baca/bohong", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100000")
		io.WriteString(w, htmlPage("bohong", "separuh"))
	})
	srv := httptest.NewServer(f)
	defer srv.Close()
	got, sum := mustRun(t, Options{StartURLs: []string{srv.URL}, Discovery: DiscoveryListing, RetryBase: time.Millisecond})
	if diff := cmp.Diff([]string{srv.URL + "/baca/jujur"}, got.urls(KindArticle)); diff != "" {
		t.Errorf("articles (-want +got):\n%s", diff)
	}
	if len(sum.Errors) != 1 || sum.Errors[0].URL != srv.URL+"/baca/bohong" || !strings.Contains(sum.Errors[0].Message, "EOF") {
		t.Errorf("Summary.Errors = %+v, want /baca/bohong failed with an unexpected EOF", sum.Errors)
	}
	if n := f.count("/baca/bohong"); n != 1+DefaultMaxRetries {
		t.Errorf("requests for the page = %d, want %d (retried)", n, 1+DefaultMaxRetries)
	}
}

// TestHostileSitemapSize: a sitemap longer than the max page size (the
// protocol allows 50 MB). Before: cut at the limit, it failed as broken
// XML and gave no URL. After: the URLs before the cut are crawled, and an
// error says the sitemap was cut at the max page size.
func TestHostileSitemapSize(t *testing.T) {
	const limit = 64 << 10
	f := newFixture()
	f.page("/{$}", htmlPage("home", "kosong"))
	f.HandleFunc("/sitemap.xml", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "<urlset>")
		for i := range 5000 {
			fmt.Fprintf(w, "<url><loc>http://%s/baca/berita-nomor-%d</loc></url>\n", r.Host, i)
		}
		io.WriteString(w, "</urlset>")
	})
	f.HandleFunc("/baca/", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, htmlPage("x", "x")) })
	srv := httptest.NewServer(f)
	defer srv.Close()
	c, err := New(Options{StartURLs: []string{srv.URL}, Discovery: DiscoverySitemap, MaxPageBytes: limit, MaxPages: 30})
	if err != nil {
		t.Fatal(err)
	}
	var got collect
	sum, err := c.Run(t.Context(), &got)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Discovery != DiscoverySitemap || len(got.urls(KindArticle)) == 0 {
		t.Errorf("Discovery = %q with %d articles, want the sitemap's", sum.Discovery, len(got.urls(KindArticle)))
	}
	if len(sum.Errors) != 1 || !strings.Contains(sum.Errors[0].Message, "max page size") || !strings.HasSuffix(sum.Errors[0].URL, "/sitemap.xml") {
		t.Errorf("Summary.Errors = %+v, want the sitemap cut at the max page size", sum.Errors)
	}
}

// TestHostileRequisiteFanOut: an article whose requisites are 40 style
// sheets, each importing 40 new ones, three deep (64,000 sheets). Before:
// every one was queued and fetched (until the run's million URLs). After:
// MaxRequisites of them, and the rest counted as a trap.
func TestHostileRequisiteFanOut(t *testing.T) {
	f := newFixture()
	f.page("/{$}", htmlPage("home", `<a href="/baca/gaya">x</a>`))
	f.page("/baca/gaya", htmlPage("gaya", "gaya"))
	var sheets atomic.Int32
	f.HandleFunc("/css/", func(w http.ResponseWriter, r *http.Request) {
		sheets.Add(1)
		w.Header().Set("Content-Type", "text/css")
		io.WriteString(w, "body{}")
	})
	srv := httptest.NewServer(f)
	defer srv.Close()
	fanOut := func(prefix string) []string {
		var out []string
		for i := range 40 {
			out = append(out, fmt.Sprintf("%s/css/%s-%d.css", srv.URL, prefix, i))
		}
		return out
	}
	const limit = 100
	c, err := New(Options{StartURLs: []string{srv.URL}, Discovery: DiscoveryListing, MaxRequisites: limit, Concurrency: 8})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := c.Run(t.Context(), HandlerFunc(func(_ context.Context, p *Page) error {
		switch p.Kind {
		case KindArticle:
			p.Requisites = fanOut("a")
		case KindRequisite:
			p.Requisites = fanOut(strings.TrimSuffix(path.Base(p.URL), ".css"))
		}
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	if n := sheets.Load(); n != limit {
		t.Errorf("style sheets fetched = %d, want %d", n, limit)
	}
	if sum.Traps[trapRequisites] == 0 {
		t.Errorf("Summary.Traps = %v, want the requisites past the limit counted", sum.Traps)
	}
}
