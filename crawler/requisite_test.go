package crawler

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestRequisitesOncePerCrawlThenConditional checks the requisite rules:
// each URL once per crawl however many articles list it, what a style
// sheet imports followed too; on later crawls a conditional request with
// the validators the server sent, nothing at all for a requisite without
// validators until RequisiteMaxAge has passed, and then a conditional
// request with the last fetch's time. A requisite is handed over again
// only when its body changed, and never downloaded unasked.
func TestRequisitesOncePerCrawlThenConditional(t *testing.T) {
	var version atomic.Int64 // articles change on every crawl
	lastMod := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC).Format(http.TimeFormat)
	site := newFixture()
	site.page("/{$}", htmlPage("home", `<a href="/baca/satu-dua-tiga">1</a> <a href="/baca/empat-lima-enam">2</a>`))
	for _, p := range []string{"/baca/satu-dua-tiga", "/baca/empat-lima-enam"} {
		site.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, htmlPage("Berita", fmt.Sprintf("SAWAHLUNTO – versi %d.", version.Load())))
		})
	}
	site.HandleFunc("/theme/style.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "text/css")
		io.WriteString(w, `@font-face{src:url(font.woff2)}`)
	})
	site.HandleFunc("/theme/font.woff2", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Last-Modified", lastMod)
		if r.Header.Get("If-Modified-Since") == lastMod {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "font/woff2")
		io.WriteString(w, "wOF2")
	})
	site.HandleFunc("/img/old-logo.png", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/img/logo.png", http.StatusMovedPermanently)
	})
	site.HandleFunc("/img/logo.png", func(w http.ResponseWriter, r *http.Request) {
		// No validators, and a server that ignores If-Modified-Since.
		w.Header().Set("Content-Type", "image/png")
		io.WriteString(w, "\x89PNG logo")
	})
	siteURL := serve(t, site)
	state := filepath.Join(t.TempDir(), "state.db")

	crawl := func(maxAge time.Duration) *collect {
		t.Helper()
		version.Add(1)
		got := &collect{}
		h := HandlerFunc(func(ctx context.Context, p *Page) error {
			switch {
			case p.Kind == KindArticle:
				p.Requisites = []string{siteURL + "theme/style.css", siteURL + "img/old-logo.png", siteURL + "theme/style.css"}
			case p.Kind == KindRequisite && strings.HasSuffix(p.URL, ".css"):
				p.Requisites = []string{siteURL + "theme/font.woff2"}
			}
			return got.HandlePage(ctx, p)
		})
		c, err := New(Options{StartURLs: []string{siteURL}, Discovery: DiscoveryListing, StatePath: state,
			ArticlePattern: regexp.MustCompile(`/baca/`), RequisiteMaxAge: maxAge})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Run(t.Context(), h); err != nil {
			t.Fatal(err)
		}
		return got
	}
	requests := func(from int) map[string][]string {
		out := map[string][]string{}
		for _, h := range site.allHits()[from:] {
			if !strings.HasPrefix(h.path, "/theme/") && !strings.HasPrefix(h.path, "/img/") {
				continue
			}
			cond := "unconditional"
			switch {
			case h.hdr.Get("If-None-Match") != "":
				cond = "If-None-Match " + h.hdr.Get("If-None-Match")
			case h.hdr.Get("If-Modified-Since") != "":
				cond = "If-Modified-Since"
			}
			out[h.path] = append(out[h.path], cond)
		}
		return out
	}

	// First crawl: each requisite once, though two articles list them;
	// the logo's redirect is handed over too, so replay can follow it.
	got := crawl(0)
	want := []string{siteURL + "img/logo.png", siteURL + "img/old-logo.png", siteURL + "theme/font.woff2", siteURL + "theme/style.css"}
	if diff := cmp.Diff(want, got.urls(KindRequisite)); diff != "" {
		t.Errorf("crawl 1: requisites handed over (-want +got):\n%s", diff)
	}
	if p := got.byURL(siteURL + "img/old-logo.png"); p == nil || p.Status != http.StatusMovedPermanently {
		t.Errorf("crawl 1: the redirect handed over is %+v, want its 301", p)
	}
	wantReq := map[string][]string{"/theme/style.css": {"unconditional"}, "/img/old-logo.png": {"unconditional"}, "/img/logo.png": {"unconditional"}, "/theme/font.woff2": {"unconditional"}}
	if diff := cmp.Diff(wantReq, requests(0)); diff != "" {
		t.Errorf("crawl 1: requisite requests (-want +got):\n%s", diff)
	}

	// Second crawl: the articles changed. Conditional requests for the
	// requisites with validators; nothing for the logo.
	n := len(site.allHits())
	got = crawl(0)
	if r := got.urls(KindRequisite); len(r) != 0 {
		t.Errorf("crawl 2: requisites handed over again: %v, want none (unchanged)", r)
	}
	if len(got.urls(KindArticle)) != 2 {
		t.Fatalf("crawl 2: articles %v, want both (they changed)", got.urls(KindArticle))
	}
	wantReq = map[string][]string{"/theme/style.css": {`If-None-Match "v1"`}}
	if diff := cmp.Diff(wantReq, requests(n)); diff != "" {
		t.Errorf("crawl 2: requisite requests (-want +got):\n%s", diff)
	}

	// Third crawl, after the max age: the logo is asked again, through
	// its redirect, but conditionally at each hop; its body is the same,
	// so it is not handed over (its redirect is, as each redirect is).
	n = len(site.allHits())
	got = crawl(time.Nanosecond)
	if r := got.urls(KindRequisite); !cmp.Equal(r, []string{siteURL + "img/old-logo.png"}) {
		t.Errorf("crawl 3: requisites handed over again: %v, want the redirect alone (the rest is unchanged)", r)
	}
	wantReq = map[string][]string{"/theme/style.css": {`If-None-Match "v1"`}, "/img/old-logo.png": {"If-Modified-Since"}, "/img/logo.png": {"If-Modified-Since"}}
	if diff := cmp.Diff(wantReq, requests(n)); diff != "" {
		t.Errorf("crawl 3: requisite requests (-want +got):\n%s", diff)
	}
}

// TestRequisiteChainBounded checks that a server making up a new import
// for every style sheet cannot keep a crawl busy: chains of requisites
// stop at maxRequisiteDepth.
func TestRequisiteChainBounded(t *testing.T) {
	site := newFixture()
	site.page("/{$}", htmlPage("home", `<a href="/baca/satu-dua-tiga">1</a>`))
	site.page("/baca/satu-dua-tiga", htmlPage("Berita", "SAWAHLUNTO – isi."))
	site.HandleFunc("/sheet.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css")
		io.WriteString(w, "/* "+r.URL.RawQuery+" */")
	})
	siteURL := serve(t, site)
	next := func(u string) string {
		n := 0
		if i := strings.Index(u, "?n="); i >= 0 {
			fmt.Sscan(u[i+3:], &n)
		}
		return fmt.Sprintf("%ssheet.css?n=%d", siteURL, n+1)
	}
	got := &collect{}
	h := HandlerFunc(func(ctx context.Context, p *Page) error {
		if p.Kind == KindArticle || p.Kind == KindRequisite {
			p.Requisites = []string{next(p.URL)}
		}
		return got.HandlePage(ctx, p)
	})
	c, err := New(Options{StartURLs: []string{siteURL}, Discovery: DiscoveryListing, ArticlePattern: regexp.MustCompile(`/baca/`)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Run(t.Context(), h); err != nil {
		t.Fatal(err)
	}
	if n := len(got.urls(KindRequisite)); n != maxRequisiteDepth+1 {
		t.Errorf("a chain of imports gave %d requisites, want %d (the article's, then %d deep)", n, maxRequisiteDepth+1, maxRequisiteDepth)
	}
}
