package extract

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestExplainListsSeedJunk(t *testing.T) {
	page, err := os.ReadFile(filepath.Join("testdata", "seed.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, rules := range []*Rules{demoRules, nil} {
		name := "generic"
		if rules != nil {
			name = "profile"
		}
		t.Run(name, func(t *testing.T) {
			a, removals, err := Explain(page, "https://portal.sawahluntokota.go.id/x/", Options{Rules: rules, Profile: "demo"})
			if err != nil {
				t.Fatalf("Explain(seed) error = %v", err)
			}
			var all strings.Builder
			for _, r := range removals {
				if r.Rule == "" || r.Reason == "" {
					t.Errorf("Explain(seed) removal %+v lacks a rule or reason", r)
				}
				all.WriteString(r.Text + "\n")
			}
			// Every junk line of the naive scrape that sits inside the
			// article container must be accounted for.
			for _, junk := range []string{"267761716_6789951007742747_4961825691446511921_n", "Bagikan ini"} {
				if !strings.Contains(all.String(), junk) {
					t.Errorf("Explain(seed) removals lack %q", junk)
				}
			}
			for _, r := range removals {
				if strings.Contains(r.Text, "Reni Yanita") && strings.Contains(r.Text, "menemui") {
					t.Errorf("Explain(seed) removed article text: %+v", r)
				}
			}
			if a.Dateline.Place != "SAWAHLUNTO" {
				t.Errorf("Explain(seed).Dateline.Place = %q, want SAWAHLUNTO", a.Dateline.Place)
			}
		})
	}
}

func TestNotArticle(t *testing.T) {
	teaser := func(i string) string {
		return `<article class="post-` + i + ` post type-post hentry"><header class="entry-header"><h2 class="entry-title"><a href="/baca/berita-` + i + `">Berita nomor ` + i + ` tentang pembangunan kota</a></h2></header><div class="entry-summary"><p>Pemerintah Kota Sawahlunto menggelar rapat koordinasi untuk membahas rencana pembangunan tahun depan bersama seluruh kepala dinas dan camat.</p></div><a class="more-link" href="/baca/berita-` + i + `">Baca Lebih Lanjut</a></article>`
	}
	listing := `<html><body><main id="main">` + teaser("1") + teaser("2") + teaser("3") + teaser("4") + `</main></body></html>`
	tests := []struct{ name, page string }{
		{"empty", ""},
		{"blank body", "<html><body>   </body></html>"},
		{"only chrome", `<html><body><nav><a href="/">Beranda</a></nav><footer>© 2021</footer></body></html>`},
		{"listing", listing},
		{"binary", "\x00\x01\x02\xff\xfe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Extract([]byte(tt.page), "https://example.go.id/", Options{})
			if !errors.Is(err, ErrNotArticle) {
				t.Errorf("Extract(%s) = %+v, %v; want ErrNotArticle", tt.name, a, err)
			}
		})
	}
}

func TestBadInput(t *testing.T) {
	if _, err := Extract([]byte("<p>x</p>"), "http://[::1", Options{}); err == nil {
		t.Errorf("Extract(bad url) error = nil, want an error")
	}
	if _, err := Extract([]byte("<p>x</p>"), "https://example.go.id/", Options{Rules: &Rules{Body: "div[["}}); err == nil || !strings.Contains(err.Error(), "div[[") {
		t.Errorf("Extract(bad selector) error = %v, want one naming the selector", err)
	}
}

func TestNextPages(t *testing.T) {
	const art = "https://example.go.id/berita-panjang/"
	tests := []struct {
		name, url, page string
		want            []string
	}{
		{
			name: "wordpress page-links",
			url:  art,
			page: `<div class="entry-content"><p>Teks.</p><div class="page-links">Halaman: <span class="post-page-numbers current">1</span> <a href="https://example.go.id/berita-panjang/2/" class="post-page-numbers">2</a> <a href="https://example.go.id/berita-panjang/3/" class="post-page-numbers">3</a></div></div>`,
			want: []string{"https://example.go.id/berita-panjang/2/", "https://example.go.id/berita-panjang/3/"},
		},
		{
			name: "second page links back",
			url:  "https://example.go.id/berita-panjang/2/",
			page: `<div class="page-links"><a href="/berita-panjang/">1</a> <span>2</span> <a href="/berita-panjang/3/">3</a></div>`,
			want: []string{"https://example.go.id/berita-panjang/", "https://example.go.id/berita-panjang/3/"},
		},
		{
			name: "query page numbers",
			url:  "https://news.example.com/read/2021/12/23/123/judul",
			page: `<div class="paging"><a href="?page=2">2</a><a href="?page=3">3</a><a href="?page=2">Selanjutnya</a></div>`,
			want: []string{"https://news.example.com/read/2021/12/23/123/judul?page=2", "https://news.example.com/read/2021/12/23/123/judul?page=3"},
		},
		{
			name: "single page",
			url:  art,
			page: `<div class="entry-content"><p>Teks.</p></div><nav class="nav-links"><a href="https://example.go.id/berita-lain/" rel="next">Berita lain</a></nav>`,
			want: nil,
		},
		{
			name: "other host",
			url:  art,
			page: `<div class="page-links"><a href="https://evil.example/berita-panjang/2/">2</a></div>`,
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NextPages([]byte(tt.page), tt.url)
			if !slices.Equal(got, tt.want) {
				t.Errorf("NextPages(%s) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

func TestExtractPagesJoinsInOrder(t *testing.T) {
	pg := func(n, text string) []byte {
		return []byte(`<html><head><title>Judul Berita Panjang</title></head><body><article><h1 class="entry-title">Judul Berita Panjang</h1><div class="entry-content"><p>` + text + `</p><div class="page-links">Halaman ` + n + ` dari 3</div></div></article></body></html>`)
	}
	pages := [][]byte{
		pg("1", "PADANG – Paragraf pertama dari berita yang panjang ini ditulis di halaman satu."),
		pg("2", "Paragraf kedua dari berita yang panjang ini ditulis di halaman dua."),
		pg("3", "Paragraf ketiga dari berita yang panjang ini ditulis di halaman tiga."),
	}
	urls := []string{"https://example.go.id/b/", "https://example.go.id/b/2/", "https://example.go.id/b/3/"}
	a, err := ExtractPages(pages, urls, Options{})
	if err != nil {
		t.Fatalf("ExtractPages() error = %v", err)
	}
	want := "PADANG – Paragraf pertama dari berita yang panjang ini ditulis di halaman satu.\n\n" +
		"Paragraf kedua dari berita yang panjang ini ditulis di halaman dua.\n\n" +
		"Paragraf ketiga dari berita yang panjang ini ditulis di halaman tiga."
	if a.Body != want {
		t.Errorf("ExtractPages().Body = %q, want %q", a.Body, want)
	}
	if a.URL != urls[0] {
		t.Errorf("ExtractPages().URL = %q, want %q", a.URL, urls[0])
	}
	if _, err := ExtractPages(pages, urls[:1], Options{}); err == nil {
		t.Errorf("ExtractPages(3 pages, 1 url) error = nil, want an error")
	}
}

func TestCanonicalURL(t *testing.T) {
	body := `<article><h1 class="entry-title">Judul berita yang cukup panjang</h1><div class="entry-content"><p>PADANG – Isi berita yang cukup panjang untuk dianggap artikel oleh pengekstrak.</p></div></article>`
	tests := []struct {
		name, head, want string
	}{
		{"canonical same host", `<link rel="canonical" href="https://example.go.id/baca/judul">`, "https://example.go.id/baca/judul"},
		{"relative canonical", `<link rel="canonical" href="/baca/judul#top">`, "https://example.go.id/baca/judul"},
		{"og:url same host with www", `<meta property="og:url" content="https://www.example.go.id/baca/judul">`, "https://www.example.go.id/baca/judul"},
		{"canonical other host", `<link rel="canonical" href="https://mirror.example.com/baca/judul">`, "https://example.go.id/baca/judul?utm_source=wa"},
		{"none", ``, "https://example.go.id/baca/judul?utm_source=wa"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := "<html><head>" + tt.head + "</head><body>" + body + "</body></html>"
			a, err := Extract([]byte(page), "https://example.go.id/baca/judul?utm_source=wa", Options{Site: "x"})
			if err != nil {
				t.Fatal(err)
			}
			if a.URL != tt.want {
				t.Errorf("Extract(%s).URL = %q, want %q", tt.name, a.URL, tt.want)
			}
			if a.ID != ArticleID("x", tt.want) {
				t.Errorf("Extract(%s).ID = %q, want ArticleID of %q", tt.name, a.ID, tt.want)
			}
		})
	}
}

func TestProfileFallsBackToGeneric(t *testing.T) {
	page, err := os.ReadFile(filepath.Join("testdata", "wp-astra.html"))
	if err != nil {
		t.Fatal(err)
	}
	// A profile written for another theme: none of its selectors match.
	rules := &Rules{Title: "h1.judul", Body: ".isi-berita", Published: "span.tanggal", Remove: []string{".iklan"}}
	a, err := Extract(page, "https://dharmasrayapos.example.com/x/", Options{Rules: rules, Profile: "lain"})
	if err != nil {
		t.Fatalf("Extract(astra, non-matching profile) error = %v", err)
	}
	if a.Extractor != "profile:lain" {
		t.Errorf("Extract().Extractor = %q, want profile:lain", a.Extractor)
	}
	if !strings.HasPrefix(a.Body, "DHARMASRAYA — Badan longsor") || strings.Contains(a.Body, "Editor") {
		t.Errorf("Extract().Body = %.120q, want the generic extractor's body", a.Body)
	}
	if a.Title != "Jalan Lintas Sumatera di Kiliran Jao Ambles, Kendaraan Dialihkan" {
		t.Errorf("Extract().Title = %q, want the h1.entry-title", a.Title)
	}
}

func TestExplainNamesProfileRules(t *testing.T) {
	page, err := os.ReadFile(filepath.Join("testdata", "seed.html"))
	if err != nil {
		t.Fatal(err)
	}
	_, removals, err := Explain(page, "https://portal.sawahluntokota.go.id/x/", Options{Rules: demoRules, Profile: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, r := range removals {
		if r.Rule == "profile.remove" {
			got[r.Selector] = true
		}
	}
	for _, sel := range []string{".wp-block-nextend-smartslider3", ".sharedaddy"} {
		if !got[sel] {
			t.Errorf("Explain(seed) lacks a profile.remove removal by %q (got %v)", sel, got)
		}
	}
}

func TestArticleBesideTeasers(t *testing.T) {
	teaser := func(i string) string {
		return `<article class="post type-post"><h2 class="entry-title"><a href="/berita-` + i + `/">Berita lain nomor ` + i + `</a></h2><p>Ringkasan singkat berita lain.</p></article>`
	}
	long := strings.Repeat("<p>Pemerintah Kota Sawahlunto menggelar rapat koordinasi bersama seluruh kepala dinas untuk membahas rencana pembangunan tahun depan.</p>", 6)
	page := `<html><body><main>` + teaser("1") +
		`<article class="post type-post"><h1 class="entry-title"><a href="/berita-utama/">Berita utama hari ini</a></h1><div class="entry-content"><p>SAWAHLUNTO – Paragraf pertama berita utama.</p>` + long + `</div></article>` +
		teaser("2") + teaser("3") + `</main></body></html>`
	a, err := Extract([]byte(page), "https://example.go.id/berita-utama/", Options{})
	if err != nil {
		t.Fatalf("Extract(article beside teasers) error = %v, want the article", err)
	}
	if !strings.HasPrefix(a.Body, "SAWAHLUNTO – Paragraf pertama") || strings.Contains(a.Body, "Ringkasan singkat") {
		t.Errorf("Extract(article beside teasers).Body = %.100q, want the main article only", a.Body)
	}
}

func TestOddMarkup(t *testing.T) {
	para := `<p>PADANG – Paragraf berita yang cukup panjang untuk dianggap isi artikel oleh pengekstrak.</p>`
	tests := []struct{ name, html string }{
		{"srcset of commas", `<img srcset=", ,">`},
		{"srcset blank", `<img srcset="   " src="">`},
		{"data uri", `<img src="data:image/png;base64,AAAA">`},
		{"bad image url", `<img src="http://[::1">`},
		{"bad canonical", `<link rel="canonical" href="http://[::1">`},
		{"broken json-ld", `<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>`},
		{"json-ld deep", `<script type="application/ld+json">` + strings.Repeat(`{"@graph":[`, 200) + `</script>`},
		{"empty time", `<time datetime=""></time><time class="entry-date" datetime="not a date">x</time>`},
		{"meta date garbage", `<meta property="article:published_time" content="2021-13-45T99:99:99Z">`},
		{"related heading before a script", `<h3>Baca juga</h3><script>var x = 1;</script>`},
		{"related box inside related box", `<div class="box"><h3>Berita terkait</h3><div><h4>Artikel lainnya</h4><ul><li><a href="/a">A</a></li></ul></div></div>`},
		{"slider without images", `<div class="n2-section-smartslider"><div class="n2-ss-slide-background"></div></div>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := "<html><head></head><body><article><div class=\"entry-content\">" + tt.html + para + "</div></article></body></html>"
			a, err := Extract([]byte(page), "https://example.go.id/b/", Options{})
			if err != nil {
				t.Fatalf("Extract(%s) error = %v, want the article", tt.name, err)
			}
			if !strings.HasPrefix(a.Body, "PADANG – Paragraf") {
				t.Errorf("Extract(%s).Body = %q, want the paragraph", tt.name, a.Body)
			}
			for _, im := range a.Images {
				if !strings.HasPrefix(im.URL, "http") {
					t.Errorf("Extract(%s).Images holds %q, want only absolute http(s) URLs", tt.name, im.URL)
				}
			}
		})
	}
}
