package extract

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSecondOpinion checks the paths: a plain article is confident and
// never asks; a short text asks go-readability (unless NoSecondOpinion);
// a profile is trusted.
func TestSecondOpinion(t *testing.T) {
	story := strings.Repeat("<p>The council approved the new budget for the river district after a long debate, and the mayor said the money would go to flood defences first.</p>", 6)
	plain := `<html><body><article><h1>Budget approved for the river district</h1>` + story + `</article></body></html>`
	a, ex, err := ExplainAll([]byte(plain), "https://example.org/a", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ex.Path != PathGeneric || ex.Confidence < MinConfidence {
		t.Errorf("plain article: path %q confidence %.2f, want %q at or above %.2f", ex.Path, ex.Confidence, PathGeneric, MinConfidence)
	}
	if !strings.Contains(a.Body, "flood defences") {
		t.Errorf("plain article body = %q", a.Body)
	}

	// A short text may be a fragment: the extractor asks for a second
	// opinion (and keeps its own answer when both agree).
	short := `<html><body><article><h1>Road closed</h1><p>The coast road is closed until Friday while crews clear the landslide near the bridge, the police said.</p></article></body></html>`
	a, ex, err = ExplainAll([]byte(short), "https://example.org/b", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ex.Confidence >= MinConfidence || ex.Path == PathGeneric {
		t.Errorf("short article: path %q confidence %.2f, want a second opinion under %.2f", ex.Path, ex.Confidence, MinConfidence)
	}
	if !strings.Contains(a.Body, "landslide") {
		t.Errorf("short article body = %q", a.Body)
	}
	_, ex, _ = ExplainAll([]byte(short), "https://example.org/b", Options{NoSecondOpinion: true})
	if ex.Path != PathGeneric {
		t.Errorf("NoSecondOpinion: path %q, want %q", ex.Path, PathGeneric)
	}

	_, ex, err = ExplainAll([]byte(plain), "https://example.org/a", Options{Rules: &Rules{Body: "article"}, Profile: "p"})
	if err != nil {
		t.Fatal(err)
	}
	if ex.Path != PathProfile || ex.Confidence != 1 {
		t.Errorf("profile: path %q confidence %.2f, want %q 1", ex.Path, ex.Confidence, PathProfile)
	}
}

// TestBetter checks the rule that keeps the better of two answers.
func TestBetter(t *testing.T) {
	long := "The council approved the new budget for the river district after a long debate, and the mayor said the money would go to flood defences first."
	other := "A completely different text about football results in the northern league, where the home side won again on a rainy Sunday afternoon."
	tests := []struct {
		name      string
		ours, alt []string
		want      bool
	}{
		{"ours empty, alt prose", nil, []string{long}, true},
		{"alt empty", []string{long}, nil, false},
		{"alt extends ours", []string{long}, []string{long, strings.Replace(long, "council", "board", 1), strings.Replace(long, "mayor", "chair", 1)}, true},
		{"alt adds links only", []string{long}, []string{long, "Home", "News", "Sport"}, false},
		{"disagree, alt slightly longer", []string{long}, []string{other, other}, false},
		// A short post, and readability's answer: the post inside the
		// blog's column, with its sidebar's labels and one line of small
		// print. The additions are not story.
		{"alt adds the blog's sidebar", []string{long}, []string{"« Older post | Main", long, "Search", "Custom Search", "Tip Jar", "Thank you!", "Categories", "Archives", other, "TrackBack", "TrackBack URL for this entry:", "Listed below are links to weblogs that reference this post:"}, false},
		// Our text less a closing paragraph: the addition is modest.
		{"alt adds a little", []string{long, other}, []string{long, other, "Read the council's full statement on its website, where the budget tables are published."}, true},
	}
	for _, tt := range tests {
		if got := better(tt.ours, tt.alt); got != tt.want {
			t.Errorf("better(%s) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestPhotoStoryCaptions checks that our own path, without a second
// opinion, keeps a photo story's captions as its text, and still drops the
// caption of a story told in prose (golden photo-story).
func TestPhotoStoryCaptions(t *testing.T) {
	for _, c := range []struct {
		file, url, caption string
		want               bool
	}{
		{"photo-captions", "https://kabardatar.example.id/foto/pacu-jawi-sungai-tarab/", "Joki berdiri di antara dua ekor sapi", true},
		{"photo-story", "https://kabarpadang.example.id/foto/banjir-pasar-raya/", "Pedagang menyelamatkan barang", false},
	} {
		page, err := os.ReadFile(filepath.Join("testdata", c.file+".html"))
		if err != nil {
			t.Fatal(err)
		}
		a, ex, err := ExplainAll(page, c.url, Options{NoSecondOpinion: true})
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if got := strings.Contains(a.Body, c.caption); got != c.want {
			t.Errorf("%s (path %s): body holds caption %q = %v, want %v", c.file, ex.Path, c.caption, got, c.want)
		}
	}
}

// TestSecondOpinionCleaned checks that the second opinion goes through our
// clean-up: readability keeps a box of related stories that its own
// patterns do not name (artikel-terkait), ours removes it.
func TestSecondOpinionCleaned(t *testing.T) {
	story := "<p>Pemerintah Kota Padang mulai memperbaiki saluran drainase di kawasan Pasar Raya setelah banjir merendam puluhan kios pada Senin malam, kata Kepala Dinas PUPR.</p><p>Menurut Rudi, saluran lama tidak lagi mampu menampung air hujan karena tersumbat sampah dan endapan lumpur yang menumpuk selama bertahun-tahun.</p>"
	related := `<div class="artikel-terkait"><p>Ringkasan berita lain tentang banjir di Kabupaten Agam yang merendam ratusan rumah warga dan sawah di tepi danau, kata petugas BPBD setempat kepada wartawan.</p><p>Ringkasan berita lain tentang jalan lintas Sumatera yang ambles di Dharmasraya dan ditutup selama lima hari untuk perbaikan badan jalan oleh balai jalan.</p></div>`
	page := `<html><head><title>Drainase</title></head><body><div class="post"><h1>Drainase</h1>` + story + related + `</div></body></html>`
	u, _ := url.Parse("https://kabarpadang.example.id/drainase/")
	x := &extraction{raw: []byte(page), base: u, page: u}
	got := strings.Join(x.secondOpinion("Drainase"), "\n")
	if !strings.Contains(got, "Pemerintah Kota Padang") || strings.Contains(got, "Ringkasan berita lain") {
		t.Errorf("second opinion = %q, want the story without the related box", got)
	}
}

// TestSecondOpinionBounded: a page of more elements than
// maxSecondOpinionElements gets no second opinion (go-readability's cost
// on it is tens of times ours), while one as large as the largest real
// pages (8,136 elements) does.
func TestSecondOpinionBounded(t *testing.T) {
	for _, tt := range []struct {
		links  int // two elements each
		tooBig bool
	}{{4_000, false}, {maxSecondOpinionElements / 2, true}} {
		raw := "<html><body>" + strings.Repeat("<div><a href=/lain>tautan</a></div>", tt.links) + "<p>Kalimat pendek saja.</p></body></html>"
		root, err := parse([]byte(raw), "")
		if err != nil {
			t.Fatal(err)
		}
		if got := tooBigForSecondOpinion(root); got != tt.tooBig {
			t.Errorf("%d links: too big = %v, want %v", tt.links, got, tt.tooBig)
		}
	}
}
