package crawler

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/warta-id/warta/crawler/hostilesite"
)

// The hostile-site tests crawl the traps of package hostilesite over real
// sockets on 127.0.0.1. MaxPages is a safety net, far above what a crawl
// that recognizes the trap needs, so that a crawl that does not fails
// instead of running on.
const hostileMaxPages = 300

// hostileCrawl crawls site with the default trap bounds and returns what
// it handed over.
func hostileCrawl(t *testing.T, site *hostilesite.Site) (*collect, *Summary) {
	t.Helper()
	got, sum := mustRun(t, Options{StartURLs: []string{site.URL}, MaxPages: hostileMaxPages})
	if sum.Pages >= hostileMaxPages {
		t.Fatalf("the crawl ran into MaxPages (%d requests): the trap was not recognized", sum.Pages)
	}
	return got, sum
}

// wantArticles checks that the crawl handed over exactly the site's
// articles, each once.
func wantArticles(t *testing.T, got *collect, site *hostilesite.Site) {
	t.Helper()
	urls := got.urls(KindArticle)
	want := slices.Sorted(slices.Values(site.Articles))
	if !slices.Equal(urls, want) {
		t.Errorf("articles handed over = %v, want %v", urls, want)
	}
}

// TestHostilePaging: ?page=N+1 for ever with the same three articles.
// Before: 1,362 listing requests in 60 s and going on. After: the chain
// stops after DefaultMaxBarrenListings pages that bring nothing new.
func TestHostilePaging(t *testing.T) {
	site := hostilesite.Paging()
	defer site.Close()
	got, sum := hostileCrawl(t, site)
	wantArticles(t, got, site)
	if n := site.Hits("/daftar"); n > DefaultMaxBarrenListings+1 {
		t.Errorf("listing pages fetched = %d, want at most %d", n, DefaultMaxBarrenListings+1)
	}
	if sum.Traps[trapBarren] == 0 {
		t.Errorf("Summary.Traps = %v, want a barren listing chain counted", sum.Traps)
	}
	t.Logf("%d requests, traps %v", site.Requests(), sum.Traps)
}

// TestHostileCalendar: a month archive whose older and next links never
// end. Before: 17,942 captures in 400 s. After: no month that has not
// begun is fetched, and the chain into the past stops when it brings
// nothing new.
func TestHostileCalendar(t *testing.T) {
	now := time.Now().UTC()
	site := hostilesite.Calendar(now)
	defer site.Close()
	got, sum := hostileCrawl(t, site)
	wantArticles(t, got, site)
	next := now.AddDate(0, 1, 0)
	if n := site.Hits(next.Format("/arsip/2006/01/")) + site.Hits(next.AddDate(0, 1, 0).Format("/arsip/2006/01/")); n != 0 {
		t.Errorf("months that have not begun fetched %d times, want none", n)
	}
	// Each of the three chains (older, next, next by query) stops after
	// the barren bound.
	if n := site.Hits("/arsip/") + site.Hits("/agenda"); n > 3*(DefaultMaxBarrenListings+1) {
		t.Errorf("calendar pages fetched = %d, want at most %d", n, 3*(DefaultMaxBarrenListings+1))
	}
	if sum.Traps[trapCalendar] == 0 {
		t.Errorf("Summary.Traps = %v, want future months counted", sum.Traps)
	}
	t.Logf("%d requests, traps %v", site.Requests(), sum.Traps)
}

// TestHostileQueryTrap: a new session id in every link on every visit,
// and a "next" link whose query grows a repeated parameter. Before: every
// listing page brought three "new" articles, for ever. After: three
// articles, and the growing query is refused.
func TestHostileQueryTrap(t *testing.T) {
	site := hostilesite.QueryTrap()
	defer site.Close()
	got, sum := hostileCrawl(t, site)
	wantArticles(t, got, site)
	if n := site.Requests(); n > 12 {
		t.Errorf("requests = %d, want at most 12 (robots.txt, discovery, home, three articles, a few listings)", n)
	}
	if sum.Traps[trapQuery] == 0 {
		t.Errorf("Summary.Traps = %v, want the repeated parameter counted", sum.Traps)
	}
	t.Logf("%d requests, traps %v", site.Requests(), sum.Traps)
}

// TestListingDepth checks that listings further than MaxListingDepth from
// the start URL are not followed, even when every page brings new
// articles.
func TestListingDepth(t *testing.T) {
	f := newFixture()
	f.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("page"))
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, htmlPage("daftar", fmt.Sprintf(`<a href="/baca/berita-%d">x</a> <a rel="next" href="/?page=%d">next</a>`, n, n+1)))
	})
	srv := httptest.NewServer(f)
	defer srv.Close()
	got, sum := mustRun(t, Options{StartURLs: []string{srv.URL}, MaxListingDepth: 7, ArticlePattern: regexp.MustCompile(`/baca/`), MaxPages: 100})
	// The start page (depth 0) and pages 1 to 7.
	listings := 0
	for _, h := range f.allHits() {
		if strings.HasPrefix(h.path, "/?page=") || h.path == "/" {
			listings++
		}
	}
	if listings != 8 {
		t.Errorf("listing pages fetched = %d, want 8 (depth 0 to 7)", listings)
	}
	if sum.Traps[trapDepth] != 1 || len(got.urls(KindArticle)) != 8 {
		t.Errorf("Traps = %v, articles = %d; want one listing_depth, 8 articles", sum.Traps, len(got.urls(KindArticle)))
	}
}

// TestURLTrapAndCalendar checks the shape rules on single URLs.
func TestURLTrapAndCalendar(t *testing.T) {
	for raw, want := range map[string]string{
		"http://x.test/daftar?page=2":                      "",
		"http://x.test/daftar?page=2&page=3":               trapQuery,
		"http://x.test/a/b/a/b/a/b/":                       trapPath,
		"http://x.test/berita/2024/05/banjir":              "",
		"http://x.test/cari?q=" + strings.Repeat("a", 600): trapQuery,
	} {
		u, _ := url.Parse(raw)
		if got := urlTrap(u); got != want {
			t.Errorf("urlTrap(%s) = %q, want %q", raw, got, want)
		}
	}
	for raw, want := range map[string]string{
		"http://x.test/arsip/2024/05/":            "2024-05-01",
		"http://x.test/2024/05/17/":               "2024-05-17",
		"http://x.test/2031/":                     "2031-01-01",
		"http://x.test/arsip/2024-05":             "2024-05-01",
		"http://x.test/?m=202405":                 "2024-05-01",
		"http://x.test/agenda?tahun=2030&bulan=2": "2030-02-01",
		"http://x.test/kalender?date=2040-01-09":  "2040-01-09",
		"http://x.test/page/2031/":                "", // page 2031, not a year
		"http://x.test/category/2030-vision/":     "",
		"http://x.test/arsip/2024/13/":            "",
	} {
		u, _ := url.Parse(raw)
		got := ""
		if d, ok := calendarStart(u); ok {
			got = d.Format("2006-01-02")
		}
		if got != want {
			t.Errorf("calendarStart(%s) = %q, want %q", raw, got, want)
		}
	}
}
