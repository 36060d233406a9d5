package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warta-id/warta/archive"
	"github.com/warta-id/warta/extract"
)

// chromeWidget is a block the test site prints inside the content column
// of every article; chromeQuote is a paragraph two of its articles share.
const (
	chromeWidget = "Dukung jurnalisme warga dengan berlangganan buletin mingguan Kabar Kota Contoh, gratis setiap hari Jumat."
	chromeQuote  = "Kepala dinas menyatakan bahwa seluruh jalan kota yang rusak akan diperbaiki sebelum akhir tahun anggaran berjalan."
)

// chromePage is article i of the test site: its own prose, the widget
// inside the article body and, on articles 1 and 2, the shared paragraph.
func chromePage(i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<html><head><title>Kabar Nomor %d dari Balai Kota</title></head><body><nav><a href="/">Beranda</a></nav><article><h1>Kabar Nomor %d dari Balai Kota</h1><div class="isi">`, i, i)
	fmt.Fprintf(&b, `<p>PADANG – Kabar nomor %d menceritakan kerja bakti warga kelurahan %d yang membersihkan selokan sepanjang dua kilometer.</p>`, i, 3*i)
	if i <= 2 {
		fmt.Fprintf(&b, `<p>%s</p>`, chromeQuote)
	}
	fmt.Fprintf(&b, `<div class="ajakan"><p>%s</p></div>`, chromeWidget)
	fmt.Fprintf(&b, `<p>Lurah berterima kasih atas kerja bakti nomor %d dan meminta warga menjaga kebersihan lingkungan masing-masing.</p></div></article></body></html>`, i)
	return b.String()
}

// chromeSite serves a listing of n articles, each with its own prose, the
// widget inside the article body and, on articles 1 and 2, the shared
// paragraph; it returns the config of a site on it.
func chromeSite(t *testing.T, n int) (cfg string) {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/" {
			fmt.Fprint(w, `<html><body><ul>`)
			for i := 1; i <= n; i++ {
				fmt.Fprintf(w, `<li><a href="/baca/%d">Berita %d</a></li>`, i, i)
			}
			fmt.Fprint(w, `</ul></body></html>`)
			return
		}
		var i int
		if _, err := fmt.Sscanf(r.URL.Path, "/baca/%d", &i); err != nil || i < 1 || i > n {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, chromePage(i))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	cfg = filepath.Join(t.TempDir(), "kabar.yaml")
	yaml := fmt.Sprintf("sites:\n  - name: kabar\n    base_url: %s/\n    discovery: listing\n    delay: 0s\n    concurrency: 1\n    article_pattern: '/baca/[0-9]+$'\n", srv.URL)
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// archivedBodies returns the latest body of every archived article.
func archivedBodies(t *testing.T, data string) []string {
	t.Helper()
	store, err := archive.Open(data, archive.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var bodies []string
	if err := store.Walk(context.Background(), func(a *extract.Article) error {
		bodies = append(bodies, a.Body)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return bodies
}

// TestCrossPageBoilerplate crawls a site whose articles all carry one
// widget inside the content column: once enough pages were learned the
// widget is gone from the articles saved, the learning is saved beside the
// site's articles, reextract removes the widget from the articles saved
// before, and a paragraph two articles share stays in both.
func TestCrossPageBoilerplate(t *testing.T) {
	const n = extract.HintMinPages + 10
	cfg := chromeSite(t, n)
	data := filepath.Join(t.TempDir(), "data")
	if r := runWarta(t, nil, "crawl", "--config", cfg, "--data", data); r.code != exitOK {
		t.Fatalf("crawl: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	count := func(bodies []string, s string) int {
		k := 0
		for _, b := range bodies {
			if strings.Contains(b, s) {
				k++
			}
		}
		return k
	}
	bodies := archivedBodies(t, data)
	if len(bodies) != n {
		t.Fatalf("crawl archived %d articles, want %d", len(bodies), n)
	}
	// One page at a time: the pages extracted after HintMinPages were
	// learned go without the widget.
	w := count(bodies, chromeWidget)
	t.Logf("after the crawl %d of %d articles keep the widget", w, n)
	if w == n || w < extract.HintMinPages {
		t.Errorf("after the crawl %d of %d articles keep the widget, want the first %d or so and not the last", w, n, extract.HintMinPages)
	}
	if _, err := os.Stat(filepath.Join(data, "articles", "kabar", "site-hints.json")); err != nil {
		t.Errorf("site hints not saved: %v", err)
	}
	if r := runWarta(t, nil, "reextract", "--config", cfg, "--data", data); r.code != exitOK {
		t.Fatalf("reextract: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	bodies = archivedBodies(t, data)
	if w := count(bodies, chromeWidget); w != 0 {
		t.Errorf("after reextract %d articles keep the widget, want none", w)
	}
	if q := count(bodies, chromeQuote); q != 2 {
		t.Errorf("the paragraph two articles share is in %d articles, want 2", q)
	}
	if k := count(bodies, "Lurah berterima kasih"); k != n {
		t.Errorf("%d of %d articles keep their last paragraph", k, n)
	}

	// warta extract --hints shows a saved page as the pipeline extracts
	// it now, and --explain names what the hints dropped.
	page := filepath.Join(t.TempDir(), "5.html")
	if err := os.WriteFile(page, []byte(chromePage(5)), 0o644); err != nil {
		t.Fatal(err)
	}
	hints := filepath.Join(data, "articles", "kabar", "site-hints.json")
	r := runWarta(t, nil, "extract", "--hints", hints, "--explain", "--json", page)
	if r.code != exitOK || !strings.Contains(r.stdout, `"rule": "site-boilerplate"`) || strings.Count(r.stdout, chromeWidget) != 1 {
		t.Errorf("extract --hints --explain: exit %d, stdout %.600s; want the widget in the removals only, as site-boilerplate", r.code, r.stdout)
	}
	if r := runWarta(t, nil, "extract", "--hints", page, page); r.code == exitOK {
		t.Errorf("extract --hints with an HTML file: exit 0, want a usage error")
	}
}
