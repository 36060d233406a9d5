package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"unicode/utf8"
)

// TestHostileBytes crawls, through `warta crawl`, a site whose articles
// are broken in the ways bytes can be: NUL bytes and invalid UTF-8 in the
// title and the body, 10,000 nested elements, a page that declares UTF-16
// but is ASCII, two byte order marks that disagree with the header, an
// article served as image/jpeg, an image served as text/html, and a page
// cut in the middle of a tag. None may panic the crawl or stop the other
// articles; the JPEG is refused with an error (before: archived as an
// article without title whose text was its bytes as mojibake); every
// archived article's title, author and body are valid UTF-8
// without NUL; the archive verifies.
func TestHostileBytes(t *testing.T) {
	articles := map[string]struct {
		ctype string
		body  string
	}{
		"/baca/judul-dengan-nul":  {"text/html; charset=utf-8", "<html><head><title>Banjir\x00 di Sawahlunto \xff\xfe</title></head><body><h1>Banjir\x00 di Sawahlunto \xc3\x28</h1><p>" + strings.Repeat("Air sungai meluap \x00 sejak pagi \xe2\x82 hari ini. ", 20) + "</p></body></html>"},
		"/baca/sarang-dalam":      {"text/html", "<html><head><title>Sarang dalam</title></head><body>" + strings.Repeat("<div>", 10000) + "<p>" + strings.Repeat("Isi berita yang dalam sekali. ", 20) + "</p>" + strings.Repeat("</div>", 10000) + "</body></html>"},
		"/baca/utf16-bohong":      {"text/html; charset=utf-16", "<html><head><title>UTF-16 bohong</title></head><body><p>" + strings.Repeat("Halaman ini ASCII saja. ", 20) + "</p></body></html>"},
		"/baca/bom-bertengkar":    {"text/html; charset=iso-8859-1", "\xef\xbb\xbf\xff\xfe<html><head><meta charset=\"shift_jis\"><title>BOM bertengkar</title></head><body><p>" + strings.Repeat("Dua tanda urutan bita. ", 20) + "</p></body></html>"},
		"/baca/html-sebagai-jpeg": {"image/jpeg", "<html><head><title>Berita sebagai JPEG</title></head><body><p>" + strings.Repeat("Server salah menyebut jenisnya. ", 20) + "</p></body></html>"},
		"/baca/jpeg-sebagai-html": {"text/html", "\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + strings.Repeat("\x00\xff\x13\x80", 2000)},
		"/baca/terpotong":         {"text/html", "<html><head><title>Terpotong</title></head><body><p>" + strings.Repeat("Halaman ini terpotong di tengah. ", 20) + "</p><a href=\"/baca/sambungan"},
	}
	var links strings.Builder
	for p := range articles {
		fmt.Fprintf(&links, `<a href="%s">x</a> `, p)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<html><body>"+links.String()+"</body></html>")
	})
	mux.HandleFunc("/baca/", func(w http.ResponseWriter, r *http.Request) {
		a, ok := articles[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", a.ctype)
		io.WriteString(w, a.body)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	dir := t.TempDir()
	cfg := hostileConfig(t, dir, "bita", srv.URL+"/", "discovery: listing", "fetch_requisites: false")
	data := filepath.Join(dir, "data")
	r := runWarta(t, nil, "crawl", "--config", cfg, "--data", data)
	if r.code != exitOK {
		t.Fatalf("warta crawl: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(r.stderr, "panic") {
		t.Errorf("warta crawl logged a panic:\n%s", r.stderr)
	}
	got := archivedArticles(t, data)
	for u, a := range got {
		for field, v := range map[string]string{"title": a.Title, "body": a.Body, "author": a.Author} {
			if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
				t.Errorf("%s: %s %.80q is not clean UTF-8", u, field, v)
			}
		}
	}
	// Every page with text is archived; the JPEG served as HTML is
	// refused with an error naming it and what its bytes are.
	var urls []string
	for u := range got {
		urls = append(urls, strings.TrimPrefix(u, srv.URL))
	}
	slices.Sort(urls)
	for p := range articles {
		if p == "/baca/jpeg-sebagai-html" {
			continue
		}
		if !slices.Contains(urls, p) {
			t.Errorf("%s not archived (archived: %v)\n%s", p, urls, r.stdout)
		}
	}
	if slices.Contains(urls, "/baca/jpeg-sebagai-html") || !strings.Contains(r.stdout, "/baca/jpeg-sebagai-html: article page is not text: its bytes are image/jpeg") {
		t.Errorf("the JPEG served as HTML was archived, or not named in an error:\n%s", r.stdout)
	}
	if r := runWarta(t, nil, "verify", "--data", data); r.code != exitOK {
		t.Errorf("verify: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	t.Logf("%s", r.stdout)
}

// TestHostileCrawlDelayMessage: `warta crawl` of a site whose robots.txt
// asks for a Crawl-delay of 10^9 seconds. Before: the crawl waited
// between its first two requests for 31 years. After: exit 1 at once, and
// the message names the site, robots.txt, the delay and the key that
// allows more; no article request is sent.
func TestHostileCrawlDelayMessage(t *testing.T) {
	var articleHits atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "User-agent: *\nCrawl-delay: 1000000000\n")
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		articleHits.Add(1)
		io.WriteString(w, "<html><body><a href=\"/baca/satu\">x</a></body></html>")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	dir := t.TempDir()
	cfg := hostileConfig(t, dir, "lambat", srv.URL+"/")
	r := runWarta(t, nil, "crawl", "--config", cfg, "--data", filepath.Join(dir, "data"))
	if r.code != exitFailure {
		t.Fatalf("warta crawl: exit %d, want %d\n%s%s", r.code, exitFailure, r.stdout, r.stderr)
	}
	out := r.stdout + r.stderr
	for _, want := range []string{"lambat", "robots.txt", "Crawl-delay of 277777h46m40s", "max_crawl_delay"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	t.Logf("%s", r.stdout)
	if n := articleHits.Load(); n != 0 {
		t.Errorf("pages requested besides robots.txt = %d, want 0", n)
	}
}

// TestHostileHugeArticle: an article page of 3 MB on a site whose
// max_page_bytes is 1MB, beside an ordinary one. Before: its capture was
// archived cut, the article silently not (0 errors), and the next run
// found it unchanged and never tried again. After: the run names the page
// and max_page_bytes as an error, and so does the next.
func TestHostileHugeArticle(t *testing.T) {
	para := "<p>" + strings.Repeat("Warga Talawi bergotong royong membersihkan saluran air. ", 20) + "</p>\n"
	mux := http.NewServeMux()
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<html><body><a href="/baca/berita-besar-sekali">x</a> <a href="/baca/berita-biasa-saja">x</a></body></html>`)
	})
	mux.HandleFunc("/baca/berita-biasa-saja", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "<html><head><title>Berita biasa</title></head><body><article><h1>Berita biasa</h1>"+strings.Repeat(para, 3)+"</article></body></html>")
	})
	mux.HandleFunc("/baca/berita-besar-sekali", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "<html><head><title>Berita besar</title></head><body><article><h1>Berita besar</h1>"+strings.Repeat(para, 3<<20/len(para))+"</article></body></html>")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	dir := t.TempDir()
	cfg := hostileConfig(t, dir, "besar", srv.URL+"/", "discovery: listing", "max_page_bytes: 1MB", "fetch_requisites: false")
	data := filepath.Join(dir, "data")
	for run := 1; run <= 2; run++ {
		r := runWarta(t, nil, "crawl", "--config", cfg, "--data", data)
		if r.code != exitOK {
			t.Fatalf("crawl %d: exit %d\n%s%s", run, r.code, r.stdout, r.stderr)
		}
		if !strings.Contains(r.stdout, "1 error") || !strings.Contains(r.stdout, "/baca/berita-besar-sekali") || !strings.Contains(r.stdout, "max_page_bytes") {
			t.Errorf("crawl %d: output does not name the page cut at max_page_bytes as an error:\n%s", run, r.stdout)
		}
	}
	got := archivedArticles(t, data)
	if _, ok := got[srv.URL+"/baca/berita-biasa-saja"]; !ok || len(got) != 1 {
		t.Errorf("archived = %d articles, want the ordinary one alone", len(got))
	}
	if r := runWarta(t, nil, "verify", "--data", data); r.code != exitOK {
		t.Errorf("verify: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
