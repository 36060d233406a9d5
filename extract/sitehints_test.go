package extract

import (
	"fmt"
	"strings"
	"testing"
)

// hintsWidget is a block a site prints inside its content column on every
// article: no single page tells it from the article.
const hintsWidget = "Ikuti terus perkembangan berita terbaru Kabar Kota Contoh melalui kanal WhatsApp resmi kami setiap hari."

// hintsQuote is a paragraph two articles of the site share: a story told
// twice, not chrome.
const hintsQuote = "Wali Kota mengatakan bahwa perbaikan saluran air di kawasan pasar akan selesai sebelum musim hujan tiba tahun ini."

// hintsPage is article i of a small site: its own headline and prose, the
// widget, and the shared quote on pages 1 and 2 only.
func hintsPage(i int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<html><head><title>Berita Nomor %d Tentang Kota | Kabar Kota Contoh</title></head><body><nav><a href="/">Beranda</a></nav><article><h1>Berita Nomor %d Tentang Kota</h1><div class="content">`, i, i)
	fmt.Fprintf(&b, `<p>PADANG – Artikel nomor %d mengabarkan kegiatan warga di kelurahan %d, yang berlangsung sejak pagi hari hingga sore dengan ramai.</p>`, i, i*7)
	fmt.Fprintf(&b, `<p>Camat setempat menyebut acara ke-%d itu diikuti ratusan warga dan akan diulang setiap bulan di tempat yang berbeda-beda.</p>`, i)
	if i == 1 || i == 2 {
		fmt.Fprintf(&b, `<p>%s</p>`, hintsQuote)
	}
	fmt.Fprintf(&b, `<div class="box"><p>%s</p></div>`, hintsWidget)
	fmt.Fprintf(&b, `<p>Warga berharap kegiatan nomor %d tahun ini membawa manfaat bagi lingkungan dan usaha kecil di sekitar pasar.</p>`, i)
	b.WriteString(`</div></article><footer>Hak cipta</footer></body></html>`)
	return []byte(b.String())
}

// learnSite extracts pages 1..n of the hints site in order, each with what
// was learned from the ones before, as the pipeline does.
func learnSite(t *testing.T, l *SiteLearner, n int) {
	t.Helper()
	for i := 1; i <= n; i++ {
		a, err := Extract(hintsPage(i), fmt.Sprintf("https://kabar.example/berita/%d", i), Options{Site: "kabar", Hints: l.Hints()})
		if err != nil {
			t.Fatalf("page %d: %v", i, err)
		}
		l.Learn(a)
	}
}

// TestSiteHints checks that a widget printed on every page of a site
// goes from the body once enough pages were learned, with the site name
// around the titles, while the article's own text stays: a paragraph
// printed on only two pages, and every paragraph of a small site.
func TestSiteHints(t *testing.T) {
	l := NewSiteLearner()
	learnSite(t, l, HintMinPages-1)
	if h := l.Hints(); h != nil {
		t.Fatalf("hints after %d pages (%d entries), want none below HintMinPages", l.Pages(), h.Len())
	}
	learnSite(t, l, HintMinPages+5)
	h := l.Hints()
	if h == nil || !h.Boilerplate(hintsWidget) {
		t.Fatalf("after %d pages the widget is not learned as chrome", l.Pages())
	}
	if h.Boilerplate(hintsQuote) {
		t.Errorf("a paragraph printed on 2 pages was learned as chrome")
	}
	a, err := Extract(hintsPage(1), "https://kabar.example/berita/1", Options{Site: "kabar", Hints: h})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(a.Body, hintsWidget) {
		t.Errorf("body keeps the widget with hints:\n%s", a.Body)
	}
	for _, want := range []string{hintsQuote, "Artikel nomor 1 mengabarkan", "Warga berharap kegiatan nomor 1"} {
		if !strings.Contains(a.Body, want) {
			t.Errorf("body lost %q with hints:\n%s", want, a.Body)
		}
	}
	if a.Title != "Berita Nomor 1 Tentang Kota" {
		t.Errorf("Title = %q, want the headline", a.Title)
	}
	plain, err := Extract(hintsPage(1), "https://kabar.example/berita/1", Options{Site: "kabar"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plain.Body, hintsWidget) {
		t.Fatalf("without hints the widget is gone already: the test shows nothing")
	}
}

// TestSiteHintsTitles checks title parts: a site name after most titles is
// stripped, a rubric before a few ("FOTO: ") stays, and a title printed
// whole on many pages gives way to the article's heading.
func TestSiteHintsTitles(t *testing.T) {
	l := NewSiteLearner()
	for i := range 40 {
		title := fmt.Sprintf("Judul Berita Yang Ke %d Hari Ini - Kabar Kota Contoh", i)
		if i%10 == 0 {
			title = "FOTO: " + title
		}
		l.Learn(&Article{ID: fmt.Sprintf("kabar-%02x", i), Title: title, Body: fmt.Sprintf("Paragraf khusus nomor %d.", i)})
	}
	for i := range 12 {
		l.Learn(&Article{ID: fmt.Sprintf("kabar-s%d", i), Title: "Kabar Kota Contoh: Berita Terkini", Body: fmt.Sprintf("Isi %d.", i)})
	}
	h := l.Hints()
	for _, tt := range []struct{ in, want string }{
		{"Pasar Raya Dibuka Lagi - Kabar Kota Contoh", "Pasar Raya Dibuka Lagi"},
		{"FOTO: Pasar Raya Dibuka Lagi - Kabar Kota Contoh", "FOTO: Pasar Raya Dibuka Lagi"},
		{"Pasar Raya - Dibuka Lagi", "Pasar Raya - Dibuka Lagi"},
	} {
		if got, whole := h.stripTitle(tt.in); got != tt.want || whole {
			t.Errorf("stripTitle(%q) = %q, %v; want %q", tt.in, got, whole, tt.want)
		}
	}
	page := `<html><head><meta property="og:title" content="Kabar Kota Contoh: Berita Terkini"></head><body><div class="post"><h2>Pasar Raya Dibuka Lagi Setelah Renovasi</h2>` +
		`<p>PADANG – Pasar Raya dibuka kembali pada Senin setelah direnovasi selama enam bulan oleh pemerintah kota bersama pedagang.</p>` +
		`<p>Para pedagang menyambut baik pembukaan itu dan berharap pembeli kembali ramai seperti sebelum renovasi dimulai tahun lalu.</p></div></body></html>`
	a, err := Extract([]byte(page), "https://kabar.example/b/1", Options{Hints: h})
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Pasar Raya Dibuka Lagi Setelah Renovasi" {
		t.Errorf("Title = %q, want the heading: og:title is the site's on many pages", a.Title)
	}
	if a, _ := Extract([]byte(page), "https://kabar.example/b/1", Options{}); a == nil || a.Title == "Pasar Raya Dibuka Lagi Setelah Renovasi" {
		t.Errorf("without hints the heading is the title already: the test shows nothing")
	}
}

// TestSiteHintsDistinctPages checks that versions of one page, and a
// page's own repeats, count once, and that hints never empty a page.
func TestSiteHintsDistinctPages(t *testing.T) {
	l := NewSiteLearner()
	for range 50 {
		l.Learn(&Article{ID: "kabar-01", Body: "Satu paragraf.\n\nSatu paragraf.\n\n" + hintsQuote})
	}
	for i := range HintMinPages {
		l.Learn(&Article{ID: fmt.Sprintf("kabar-%02x", i+2), Body: hintsWidget})
	}
	h := l.Hints()
	if h.Boilerplate(hintsQuote) || h.Boilerplate("Satu paragraf.") {
		t.Errorf("versions of one page were counted as distinct pages")
	}
	if !h.Boilerplate(hintsWidget) {
		t.Fatalf("widget on %d pages not learned", HintMinPages)
	}
	page := `<html><head><title>Hanya Widget</title></head><body><article><h1>Hanya Widget Saja</h1><p>` + hintsWidget + `</p><p>` + hintsWidget + ` Lagi dan lagi hari ini.</p></article></body></html>`
	if a, err := Extract([]byte(page), "https://kabar.example/w", Options{Hints: h}); err == nil && a.Body == "" {
		t.Errorf("hints emptied a page")
	}
}

// TestSiteLearnerFile checks that a saved learner loads with what it
// learned, and that a damaged file is an error, not a panic.
func TestSiteLearnerFile(t *testing.T) {
	l := NewSiteLearner()
	learnSite(t, l, HintMinPages+5)
	if !l.Changed() {
		t.Fatal("learner not changed after learning")
	}
	data, err := l.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if l.Changed() {
		t.Error("learner still changed after MarshalJSON")
	}
	back, err := LoadSiteLearner(data)
	if err != nil {
		t.Fatal(err)
	}
	if back.Pages() != l.Pages() || !back.Hints().Boilerplate(hintsWidget) || back.Hints().Len() != l.Hints().Len() {
		t.Errorf("loaded learner: %d pages, %d hints; want %d, %d with the widget", back.Pages(), back.Hints().Len(), l.Pages(), l.Hints().Len())
	}
	// Learning page 1 again changes nothing: it was learned before saving.
	before, _ := back.MarshalJSON()
	learnSite(t, back, 1)
	after, _ := back.MarshalJSON()
	if string(before) != string(after) {
		t.Errorf("re-learning a saved page changed the learner")
	}
	for _, bad := range []string{``, `{`, `{"version":1,"seen":"AAA="}`, `{"version":9}`, `{"version":1,"chrome":{"zz":"x"}}`} {
		if _, err := LoadSiteLearner([]byte(bad)); err == nil {
			t.Errorf("LoadSiteLearner(%q) = nil error", bad)
		}
	}
}

// TestSiteLearnerConcurrent learns and extracts on several goroutines at
// once, as the pipeline's workers do (run under -race), and still finds
// the widget.
func TestSiteLearnerConcurrent(t *testing.T) {
	l := NewSiteLearner()
	done := make(chan error)
	for w := range 4 {
		go func() {
			for i := w + 1; i <= 40; i += 4 {
				a, err := Extract(hintsPage(i), fmt.Sprintf("https://kabar.example/berita/%d", i), Options{Site: "kabar", Hints: l.Hints()})
				if err != nil {
					done <- err
					return
				}
				l.Learn(a)
				if _, err := l.MarshalJSON(); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if l.Pages() != 40 || !l.Hints().Boilerplate(hintsWidget) {
		t.Errorf("after 40 pages on 4 goroutines: %d pages learned, widget learned %v", l.Pages(), l.Hints().Boilerplate(hintsWidget))
	}
}

// BenchmarkSiteHints prints what hints cost an extraction beside the same
// page without them, and what learning from one article costs.
func BenchmarkSiteHints(b *testing.B) {
	l := NewSiteLearner()
	for i := 1; i <= 40; i++ {
		a, err := Extract(hintsPage(i), fmt.Sprintf("https://kabar.example/berita/%d", i), Options{Site: "kabar"})
		if err != nil {
			b.Fatal(err)
		}
		l.Learn(a)
	}
	page := hintsPage(1)
	a, _ := Extract(page, "https://kabar.example/berita/1", Options{Site: "kabar"})
	b.Run("extract", func(b *testing.B) {
		for b.Loop() {
			Extract(page, "https://kabar.example/berita/1", Options{Site: "kabar"})
		}
	})
	b.Run("extract-hints", func(b *testing.B) {
		h := l.Hints()
		for b.Loop() {
			Extract(page, "https://kabar.example/berita/1", Options{Site: "kabar", Hints: h})
		}
	})
	b.Run("learn", func(b *testing.B) {
		c := *a
		for i := 0; b.Loop(); i++ {
			c.ID = fmt.Sprintf("kabar-%d", i)
			l.Learn(&c)
		}
	})
}
