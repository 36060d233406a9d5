package crawler

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"http://Example.COM", "http://example.com/"},
		{"http://example.com:80/baca/x", "http://example.com/baca/x"},
		{"https://example.com:443/baca/x", "https://example.com/baca/x"},
		{"http://example.com:8080/baca/x", "http://example.com:8080/baca/x"},
		{"http://example.com/baca/x#komentar", "http://example.com/baca/x"},
		{"http://example.com/baca/x?utm_source=fb&utm_medium=social", "http://example.com/baca/x"},
		{"http://example.com/baca/x?fbclid=abc&id=3", "http://example.com/baca/x?id=3"},
		{"http://example.com/?p=12&utm_campaign=z", "http://example.com/?p=12"},
		{"http://example.com/list?b=2&a=1", "http://example.com/list?a=1&b=2"},
		{"http://example.com/a/../baca/x/", "http://example.com/baca/x/"},
		{"http://example.com/baca/x?", "http://example.com/baca/x"},
		{"http://user:pw@example.com/x", "http://example.com/x"},
		{"http://example.com/baca/x?PHPSESSID=9f8e7d6c5b4a39281706f5e4d3c2b1a0", "http://example.com/baca/x"},
		{"http://example.com/baca/x;jsessionid=0A1B2C3D4E5F?id=3", "http://example.com/baca/x?id=3"},
		{"http://example.com/list?page=2&sid=00000000000000000000000000001eef", "http://example.com/list?page=2"},
		{"http://example.com/modules.php?name=News&sid=123", "http://example.com/modules.php?name=News&sid=123"}, // PHP-Nuke's story id
		{"http://example.com/x?ASPSESSIONIDQQ=ABCD&cfid=1&cftoken=2&a=b", "http://example.com/x?a=b"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Normalize(tt.in)
			if err != nil {
				t.Fatalf("Normalize(%q) error: %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	for _, bad := range []string{"ftp://example.com/x", "mailto:a@b.c", "/relative", "http://%zz"} {
		t.Run("bad "+bad, func(t *testing.T) {
			if got, err := Normalize(bad); err == nil {
				t.Errorf("Normalize(%q) = %q, want an error", bad, got)
			}
		})
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	tests := []struct {
		name string
		opt  Options
		want string
	}{
		{"no start urls", Options{}, "no start urls"},
		{"bad url", Options{StartURLs: []string{"ftp://x/"}}, "scheme"},
		{"bad discovery", Options{StartURLs: []string{"http://x/"}, Discovery: "magic"}, "discovery"},
		{"negative delay", Options{StartURLs: []string{"http://x/"}, Delay: -time.Second}, "delay"},
		{"negative concurrency", Options{StartURLs: []string{"http://x/"}, Concurrency: -1}, "concurrency"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.opt)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New(%s) error = %v, want one mentioning %q", tt.name, err, tt.want)
			}
		})
	}
}

func TestLooksLikeArticle(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"/baca/wali-kota-temui-dirjen", true},
		{"/berita/12345", true},
		{"/2021/12/23/wali-kota-temui-dirjen/", true},
		{"/wali-kota-sawahlunto-temui-dirjen-ikma/", true},
		{"/?p=123", true},
		{"/", false},
		{"/page/2/", false},
		{"/category/berita/", false},
		{"/tag/wisata/", false},
		{"/profil/", false},
		{"/feed/", false},
		{"/2021/12/", false},
		{"/wp-content/uploads/2021/12/foto-kegiatan-wali-kota.jpg", false},
		{"/baca/x?replytocom=5", false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			u, err := url.Parse("http://example.com" + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if got := looksLikeArticle(u); got != tt.want {
				t.Errorf("looksLikeArticle(%s) = %v, want %v", tt.path, got, tt.want)
			}
		})
	}
}

// listingSite builds the fixture of a small listing-only news site with
// the traps of scope and identity: tracking-parameter duplicates,
// fragments, an off-site link, a page disallowed by robots.txt, broken
// HTML, and pagination by rel=next and by "Selanjutnya".
func listingSite(t *testing.T, offsite string) *fixture {
	t.Helper()
	f := newFixture()
	f.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /baca/rahasia\nDisallow: /wp-admin/\n\nUser-agent: evilbot\nDisallow: /\n")
	})
	f.page("/{$}", htmlPage("Beranda", `
		<nav><a href="/">Beranda</a> <a href="/category/berita/">Berita</a> <a href="/profil">Profil</a></nav>
		<article><a href="/baca/satu">Satu</a> <a href="/baca/satu#komentar">Komentar</a></article>
		<article><a href="/baca/dua?utm_source=facebook&utm_medium=social">Dua</a></article>
		<article><a href="/baca/rahasia">Rahasia</a></article>
		<article><a href="`+offsite+`/baca/luar">Luar</a></article>
		<a href="/wp-content/uploads/2021/12/foto.jpg"><img src="/wp-content/uploads/2021/12/foto.jpg" alt="foto"></a>
		<a href="mailto:humas@example.com">Surel</a> <a href="javascript:void(0)">x</a>
		<div class="nav-links"><a href="/page/2/">Selanjutnya &raquo;</a></div>`))
	f.page("/page/2/", htmlPage("Halaman 2", `
		<link rel="next" href="/page/3/">
		<a href="/baca/tiga">Tiga</a> <a href="/baca/satu?fbclid=IwAR0xyz">Satu lagi</a>
		<a href="/">&laquo; Sebelumnya</a>`))
	// Broken HTML: unclosed tags, unquoted attributes, a stray </a>.
	f.page("/page/3/", `<html><body><div><a href=/baca/empat>Empat<div></a></a><p><a href='/baca/tujuh'>Tujuh`)
	f.page("/category/berita/", htmlPage("Berita", `<a href="/baca/lima">Lima</a>`))
	f.page("/profil", htmlPage("Profil", `<a href="/baca/profil-rahasia-tidak-ditautkan">x</a>`))
	for _, slug := range []string{"satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "rahasia"} {
		related := `<h3>ARTIKEL LAIN</h3><a href="/baca/enam">Enam</a> <a href="/category/berita/">Berita</a>`
		f.page("/baca/"+slug, htmlPage(slug, `<h1 class="entry-title">`+slug+`</h1><div class="entry-content"><p>SAWAHLUNTO – isi.</p></div>`+related))
	}
	return f
}

func TestListingCrawl(t *testing.T) {
	off := newFixture()
	off.page("/baca/luar", htmlPage("luar", "luar"))
	offSrv := httptest.NewServer(off)
	defer offSrv.Close()

	patterns := []struct {
		name string
		re   *regexp.Regexp
	}{
		{"article pattern", regexp.MustCompile(`^http://127\.0\.0\.1:\d+/baca/[^/?#]+$`)},
		{"heuristic", nil},
	}
	for _, pat := range patterns {
		t.Run(pat.name, func(t *testing.T) {
			f := listingSite(t, offSrv.URL)
			srv := httptest.NewServer(f)
			defer srv.Close()

			got, sum := mustRun(t, Options{
				Site:           "fixture",
				StartURLs:      []string{srv.URL + "/"},
				ArticlePattern: pat.re,
				Discovery:      DiscoveryListing,
			})

			var want []string
			for _, s := range []string{"dua", "empat", "enam", "lima", "satu", "tiga", "tujuh"} {
				want = append(want, srv.URL+"/baca/"+s)
			}
			if diff := cmp.Diff(want, got.urls(KindArticle)); diff != "" {
				t.Errorf("articles handed over (-want +got):\n%s", diff)
			}
			for _, s := range []string{"satu", "dua", "tiga", "empat", "lima", "enam", "tujuh"} {
				if n := f.count("/baca/" + s); n != 1 {
					t.Errorf("requests for /baca/%s = %d, want 1", s, n)
				}
			}
			for _, p := range []string{"/baca/rahasia", "/profil", "/wp-content/uploads/2021/12/foto.jpg"} {
				if n := f.count(p); n != 0 {
					t.Errorf("requests for %s = %d, want 0", p, n)
				}
			}
			if n := off.count("/baca/luar"); n != 0 {
				t.Errorf("requests for the off-site /baca/luar = %d, want 0", n)
			}
			if n := f.count("/robots.txt"); n != 1 {
				t.Errorf("requests for /robots.txt = %d, want 1", n)
			}
			if got := got.urls(KindRobots); len(got) != 1 {
				t.Errorf("robots pages handed over = %v, want one", got)
			}
			wantListings := []string{srv.URL + "/", srv.URL + "/category/berita/", srv.URL + "/page/2/", srv.URL + "/page/3/"}
			if diff := cmp.Diff(wantListings, got.urls(KindListing)); diff != "" {
				t.Errorf("listings handed over (-want +got):\n%s", diff)
			}
			for _, h := range f.allHits() {
				if !strings.HasPrefix(h.ua, "warta/") || !strings.Contains(h.ua, "github.com/warta-id/warta") {
					t.Fatalf("User-Agent of %s = %q, want one naming warta and its URL", h.path, h.ua)
				}
			}
			if sum.Articles != 7 || sum.RobotsDisallowed != 1 || sum.ErrorCount != 0 {
				t.Errorf("Summary = articles %d, robots disallowed %d, errors %d; want 7, 1, 0", sum.Articles, sum.RobotsDisallowed, sum.ErrorCount)
			}
			js, err := json.Marshal(sum)
			if err != nil || !bytes.Contains(js, []byte(`"articles":7`)) || !bytes.Contains(js, []byte(`"200":`)) {
				t.Errorf("json.Marshal(Summary) = %s, %v; want counts per status and the articles", js, err)
			}
		})
	}
}

// serve serves h until the test ends and returns its URL with a slash.
func serve(t *testing.T, h http.Handler) string {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

func TestStartURLFailures(t *testing.T) {
	refused := httptest.NewServer(http.NotFoundHandler())
	refusedURL := refused.URL + "/"
	refused.Close() // the port now refuses connections

	missing := newFixture()
	missing.HandleFunc("/", http.NotFound)
	down := newFixture()
	down.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", 500) })
	down.page("/{$}", htmlPage("home", "home"))
	closed := newFixture()
	closed.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "User-agent: *\nDisallow: /\n") })
	closed.page("/{$}", htmlPage("home", "home"))
	tests := []struct {
		name    string
		url     func(t *testing.T) string
		wantMsg string
	}{
		{"connection refused", func(*testing.T) string { return refusedURL }, "connection refused"},
		{"start page 404", func(t *testing.T) string { return serve(t, missing) }, "status 404"},
		{"robots.txt 500", func(t *testing.T) string { return serve(t, down) }, "robots.txt"},
		{"start url disallowed", func(t *testing.T) string { return serve(t, closed) }, "disallowed by robots.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := tt.url(t)
			c, err := New(Options{StartURLs: []string{u}, RetryBase: time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			sum, err := c.Run(t.Context(), &collect{})
			if err == nil {
				t.Fatalf("Run() = nil error, want one")
			}
			if !strings.Contains(err.Error(), "no start url could be fetched: "+u) || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("Run() error = %q, want it to name %s and say %q", err, u, tt.wantMsg)
			}
			if sum == nil || sum.ErrorCount+sum.RobotsDisallowed == 0 {
				t.Errorf("Run() summary = %+v, want the failure counted", sum)
			}
		})
	}
}

func TestMaxPages(t *testing.T) {
	f := newFixture()
	var links strings.Builder
	for i := range 50 {
		fmt.Fprintf(&links, `<a href="/baca/berita-%d">x</a>`, i)
		f.page(fmt.Sprintf("/baca/berita-%d", i), htmlPage("x", "x"))
	}
	f.page("/{$}", htmlPage("home", links.String()))
	srv := httptest.NewServer(f)
	defer srv.Close()
	got, sum := mustRun(t, Options{StartURLs: []string{srv.URL}, MaxPages: 10, Discovery: DiscoveryListing})
	// robots.txt, the home page and 8 articles.
	if n := len(f.allHits()); n != 10 {
		t.Errorf("requests with MaxPages 10 = %d, want 10", n)
	}
	if n := len(got.urls(KindArticle)); n != 8 || sum.Articles != 8 {
		t.Errorf("articles with MaxPages 10 = %d (summary %d), want 8", n, sum.Articles)
	}
}

func TestPageTraps(t *testing.T) {
	const limit = 1 << 20
	big := bytes.Repeat([]byte("<p>sawahlunto kota tambang </p>\n"), 1<<10) // 32 KB
	cp1252 := []byte("<html><head><meta charset=\"windows-1252\"></head><body><h1>Caf\xe9 \x93Ombilin\x94</h1></body></html>")
	stalled := make(chan struct{})

	f := newFixture()
	f.page("/{$}", htmlPage("home", `<a href="/baca/besar">besar</a> <a href="/baca/macet">macet</a>
		<a href="/baca/cp1252">cp</a> <a href="/baca/biasa">biasa</a>`))
	f.page("/baca/biasa", htmlPage("biasa", "biasa"))
	f.HandleFunc("/baca/besar", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		for range 30 * (1 << 20) / len(big) { // 30 MB
			if _, err := w.Write(big); err != nil {
				return
			}
		}
	})
	f.HandleFunc("/baca/macet", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<html><body><p>awal")
		w.(http.Flusher).Flush()
		select { // stall until the client gives up
		case <-r.Context().Done():
		case <-stalled:
		}
	})
	f.HandleFunc("/baca/cp1252", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=windows-1252")
		w.Write(cp1252)
	})
	srv := httptest.NewServer(f)
	defer srv.Close()
	defer close(stalled)

	got, sum := mustRun(t, Options{
		StartURLs:    []string{srv.URL},
		MaxPageBytes: limit,
		Timeout:      500 * time.Millisecond,
		MaxRetries:   1,
		RetryBase:    time.Millisecond,
	})

	t.Run("30 MB page cut at the limit", func(t *testing.T) {
		p := got.byURL(srv.URL + "/baca/besar")
		if p == nil {
			t.Fatal("the 30 MB page was not handed over")
		}
		if !p.Truncated || len(p.Body) != limit {
			t.Errorf("big page: Truncated = %v, len(Body) = %d; want true, %d", p.Truncated, len(p.Body), limit)
		}
		if !bytes.HasPrefix(p.Body, big[:100]) {
			t.Errorf("big page body starts %q, want %q", p.Body[:40], big[:40])
		}
		if sum.Truncated != 1 {
			t.Errorf("Summary.Truncated = %d, want 1", sum.Truncated)
		}
	})
	t.Run("stalled response times out and is retried", func(t *testing.T) {
		if p := got.byURL(srv.URL + "/baca/macet"); p != nil {
			t.Errorf("stalled page handed over with %d bytes, want a failure", len(p.Body))
		}
		if n := f.count("/baca/macet"); n != 2 {
			t.Errorf("requests for the stalled page = %d, want 2 (one retry)", n)
		}
		i := slices.IndexFunc(sum.Errors, func(e PageError) bool { return strings.HasSuffix(e.URL, "/baca/macet") })
		if i < 0 {
			t.Fatalf("Summary.Errors = %+v, want the stalled page", sum.Errors)
		}
	})
	t.Run("windows-1252 page handed over raw", func(t *testing.T) {
		p := got.byURL(srv.URL + "/baca/cp1252")
		if p == nil {
			t.Fatal("the windows-1252 page was not handed over")
		}
		if !bytes.Equal(p.Body, cp1252) {
			t.Errorf("windows-1252 body = %q, want the bytes as served %q", p.Body, cp1252)
		}
		if ct := p.Header.Get("Content-Type"); ct != "text/html; charset=windows-1252" {
			t.Errorf("windows-1252 Content-Type = %q, want it kept", ct)
		}
		if p.Proto != "HTTP/1.1" || p.Status != 200 || p.Header.Get(protoHeader) != "" {
			t.Errorf("page Proto, Status = %q, %d (proto header %q); want HTTP/1.1, 200, none", p.Proto, p.Status, p.Header.Get(protoHeader))
		}
	})
	if p := got.byURL(srv.URL + "/baca/biasa"); p == nil {
		t.Errorf("the ordinary page was not handed over beside the traps")
	}
}

// TestCrawlDelay checks in a synctest bubble (fake time, in-memory
// transport) that request starts to one host are at least the larger of
// Delay and robots.txt Crawl-delay apart, whatever the concurrency.
func TestCrawlDelay(t *testing.T) {
	tests := []struct {
		name   string
		robots string
		delay  time.Duration
		want   time.Duration
	}{
		{"crawl-delay wins", "User-agent: *\nCrawl-delay: 3\n", time.Second, 3 * time.Second},
		{"config delay wins", "User-agent: *\nCrawl-delay: 1\n", 2 * time.Second, 2 * time.Second},
		{"warta group", "User-agent: *\nCrawl-delay: 1\n\nUser-agent: warta\nCrawl-delay: 5\n", 0, 5 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := newFixture()
				f.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, tt.robots) })
				var links strings.Builder
				for i := range 6 {
					fmt.Fprintf(&links, `<a href="/baca/berita-%d">x</a>`, i)
					f.page(fmt.Sprintf("/baca/berita-%d", i), htmlPage("x", "x"))
				}
				f.page("/{$}", htmlPage("home", links.String()))
				got, _ := mustRun(t, Options{
					StartURLs:   []string{"http://fixture.test/"},
					Delay:       tt.delay,
					Concurrency: 4,
					Transport:   memTransport{f},
				})
				if n := len(got.urls(KindArticle)); n != 6 {
					t.Fatalf("articles = %d, want 6", n)
				}
				hits := f.allHits()
				// The robots.txt request itself is paced by Delay only.
				for i := 2; i < len(hits); i++ {
					if gap := hits[i].at.Sub(hits[i-1].at); gap < tt.want {
						t.Errorf("gap before %s = %v, want at least %v", hits[i].path, gap, tt.want)
					}
				}
			})
		})
	}
}

func TestCancelStopsPromptly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture()
		var links strings.Builder
		for i := range 100 {
			fmt.Fprintf(&links, `<a href="/baca/berita-%d">x</a>`, i)
			f.page(fmt.Sprintf("/baca/berita-%d", i), htmlPage("x", "x"))
		}
		f.page("/{$}", htmlPage("home", links.String()))
		c, err := New(Options{StartURLs: []string{"http://fixture.test/"}, Delay: time.Second, Transport: memTransport{f}})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		var handed atomic.Int32
		h := HandlerFunc(func(ctx context.Context, p *Page) error {
			if p.Kind == KindArticle {
				if handed.Add(1) == 5 {
					cancel()
				}
			}
			return nil
		})
		start := time.Now()
		sum, err := c.Run(ctx, h)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run() after cancel error = %v, want context.Canceled", err)
		}
		if sum == nil || !sum.Interrupted || sum.Articles != 5 {
			t.Errorf("Run() after cancel summary = %+v, want interrupted with 5 articles", sum)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("Run() took %v of fake time after 7 one-second steps, want it to stop at the cancel", d)
		}
	})
}

// TestConcurrencyPerHost checks in a synctest bubble that no more than
// Concurrency requests are in flight to one host, even when the crawl has
// more workers (two allowed hosts) and a slow server.
func TestConcurrencyPerHost(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var inFlight, peak atomic.Int32
		f := newFixture()
		var links strings.Builder
		for i := range 12 {
			fmt.Fprintf(&links, `<a href="/baca/berita-%d">x</a>`, i)
			f.HandleFunc(fmt.Sprintf("/baca/berita-%d", i), func(w http.ResponseWriter, r *http.Request) {
				n := inFlight.Add(1)
				for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
				}
				time.Sleep(2 * time.Second) // a slow server, in the bubble's fake time
				inFlight.Add(-1)
				io.WriteString(w, htmlPage("x", "x"))
			})
		}
		f.page("/{$}", htmlPage("home", links.String()))
		got, _ := mustRun(t, Options{
			StartURLs:    []string{"http://fixture.test/"},
			AllowedHosts: []string{"fixture.test", "gambar.fixture.test"},
			Discovery:    DiscoveryListing,
			Concurrency:  3,
			Transport:    memTransport{f},
		})
		if n := len(got.urls(KindArticle)); n != 12 {
			t.Fatalf("articles = %d, want 12", n)
		}
		if p := peak.Load(); p != 3 {
			t.Errorf("peak requests in flight to one host = %d, want 3 (Concurrency)", p)
		}
	})
}
