package extract

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/net/html"
)

// FuzzExtract checks that no input panics or hangs Extract, and that every
// word of the output occurs in the input (extraction never invents text).
func FuzzExtract(f *testing.F) {
	seed, err := os.ReadFile(filepath.Join("testdata", "seed.html"))
	if err == nil {
		f.Add(seed, "")
	}
	for _, s := range []string{
		"", "<p>Jakarta (ANTARA) - Presiden meresmikan jembatan.</p>",
		`<html><head><meta charset="windows-1252"><title>Judul &#8211; Situs</title></head><body><article><h1 class="entry-title">Judul</h1><div class="entry-content"><p>SAWAHLUNTO – Teks &amp; lagi, Rabu, 22 Desember 2021 17:11 WIB.</p></div></article></body></html>`,
		"<div><div><div><p>" + strings.Repeat("kata ", 50) + "</p></div></div></div>",
		"<table><tr><td><p>sel<td>lain</table><script>var x = '<p>bukan</p>';</script>",
		"\xff\xfe<\x00p\x00>\x00",
	} {
		f.Add([]byte(s), "text/html")
	}
	f.Fuzz(func(t *testing.T, page []byte, contentType string) {
		a, err := Extract(page, "https://example.go.id/berita/satu/", Options{ContentType: contentType})
		if err != nil {
			if !errors.Is(err, ErrNotArticle) && !strings.Contains(err.Error(), "extract:") {
				t.Fatalf("Extract error %q does not say where it came from", err)
			}
			return
		}
		// Decode the input as Extract did, then compare words.
		text, _ := toUTF8(page, contentType)
		input := strings.ToLower(html2text(text))
		for _, w := range strings.FieldsFunc(strings.ToLower(a.Body), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			if !strings.Contains(input, w) {
				t.Fatalf("Extract body word %q does not occur in the input", w)
			}
		}
	})
}

// html2text returns the page's text with entities decoded, for the fuzz
// test's "no invented words" check.
func html2text(s string) string {
	root, err := parse([]byte(s), "text/html; charset=utf-8")
	if err != nil {
		return s
	}
	var b strings.Builder
	walk(root, func(n *html.Node) bool {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			b.WriteByte(' ')
		}
		return true
	})
	return s + " " + b.String()
}

func TestHugePage(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("50 MB page skipped in -short mode and under -race (time and memory figures mean nothing there)")
	}
	para := "<p>Pemerintah Kota Sawahlunto terus mendorong pengembangan industri kecil dan menengah di seluruh kecamatan, kata wali kota.</p>\n"
	var b bytes.Buffer
	b.WriteString(`<html><head><title>Berita panjang sekali</title></head><body><article><h1 class="entry-title">Berita panjang sekali</h1><div class="entry-content">`)
	for b.Len() < 50<<20 {
		b.WriteString(para)
	}
	b.WriteString("</div></article></body></html>")
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	a, err := Extract(b.Bytes(), "https://example.go.id/b/", Options{})
	took := time.Since(start)
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	t.Logf("50 MB page: %v, %d MB allocated", took, (after.TotalAlloc-before.TotalAlloc)>>20)
	switch {
	case err != nil:
		t.Fatalf("Extract(50 MB) error = %v, want the article's first part", err)
	case !strings.HasPrefix(a.Body, "Pemerintah Kota Sawahlunto"):
		t.Errorf("Extract(50 MB).Body starts %q, want the first paragraph", a.Body[:min(80, len(a.Body))])
	case len(a.Body) > MaxBodyBytes+1000:
		t.Errorf("Extract(50 MB).Body is %d bytes, want at most about %d", len(a.Body), MaxBodyBytes)
	}
}

func TestDeepNesting(t *testing.T) {
	for _, tag := range []string{"div", "p", "table"} {
		t.Run(tag, func(t *testing.T) {
			page := "<html><body><article><h1>Judul</h1><div class=\"entry-content\"><p>PADANG – Paragraf sebelum tumpukan tag yang sangat dalam ini.</p>" +
				strings.Repeat("<"+tag+">", 100000) + "teks terdalam" + strings.Repeat("</"+tag+">", 100000) +
				"<p>Paragraf sesudah tumpukan.</p></div></article></body></html>"
			start := time.Now()
			a, err := Extract([]byte(page), "https://example.go.id/b/", Options{})
			t.Logf("100,000 nested <%s>: %v", tag, time.Since(start))
			if err != nil {
				t.Fatalf("Extract(100,000 nested %s) error = %v, want an article", tag, err)
			}
			if !strings.Contains(a.Body, "PADANG – Paragraf sebelum") {
				t.Errorf("Extract(100,000 nested %s).Body = %.200q, want the first paragraph", tag, a.Body)
			}
		})
	}
}

// TestUnclosedTitle checks that a <title> the page never closes ends at
// the next tag: its text would otherwise run to the end of the page, and
// the article with it (pages cut or mangled on their way).
func TestUnclosedTitle(t *testing.T) {
	story := strings.Repeat("<P>The spinner was suspended for three games after the second Test in Sydney, and his appeal is due before the third Test next week, the board said.\n", 5)
	for _, head := range []string{"<title>Sport - India withdraw tour threat", "<TITLE>Sport -->\n<script>var x = 1;</script>"} {
		page := "<html><head>" + head + "\n<meta name=\"x\" content=\"y\"></head><body><table><tr><td><font size=2>" + story + "</font></td></tr></table></body></html>"
		a, err := Extract([]byte(page), "https://example.org/sport/1.stm", Options{})
		if err != nil {
			t.Fatalf("Extract(%.30q…) error = %v, want the article", head, err)
		}
		if !strings.Contains(a.Body, "The spinner was suspended") || strings.Contains(a.Title, "spinner") {
			t.Errorf("Extract(%.30q…) = title %q, body %.60q", head, a.Title, a.Body)
		}
	}
	if got := string(closeTitle([]byte("<p>no title</p>"))); got != "<p>no title</p>" {
		t.Errorf("closeTitle without a title = %q", got)
	}
	if got := string(closeTitle([]byte("<title>T</title><p>x</p>"))); got != "<title>T</title><p>x</p>" {
		t.Errorf("closeTitle with an end tag = %q", got)
	}
}

// TestControlCharacters: control characters in a page's text (an escape
// sequence, a bell, a carriage return, C1 controls) reach no field of the
// article, and the words they separated stay apart.
func TestControlCharacters(t *testing.T) {
	page := "<html><head><title>Banjir\x1b]0;pwned\x07 di Sawahlunto</title><meta name=\"author\" content=\"Andi\x1b[2J Putra\"></head><body><article>" +
		"<h1>Banjir\x1b]0;pwned\x07 di Sawahlunto</h1><div class=\"entry-content\">" +
		"<p>SAWAHLUNTO – Hujan deras\x1b[2Jsejak pagi\rmembuat sungai meluap dan merendam puluhan rumah warga di tepi kota.</p>" +
		"<p>Warga\u0085mengungsi ke masjid\u009b31m terdekat sambil menunggu air surut, kata petugas kepada wartawan.</p>" +
		"<p>Petugas gabungan membagikan makanan\x00 dan selimut kepada para pengungsi hingga malam hari.</p>" +
		"</div><a rel=\"category tag\" href=\"/kategori/berita\">Berita\x1b</a></article></body></html>"
	a, err := Extract([]byte(page), "https://example.go.id/berita/banjir/", Options{})
	if err != nil {
		t.Fatal(err)
	}
	fields := append([]string{a.Title, a.Author, a.Body}, append(a.Categories, a.Tags...)...)
	for _, f := range fields {
		if i := strings.IndexFunc(f, func(r rune) bool { return r != '\n' && r != '\t' && unicode.IsControl(r) }); i >= 0 {
			t.Errorf("field %q holds control character %U", f, []rune(f[i:])[0])
		}
	}
	for _, w := range []string{"deras [2Jsejak pagi membuat", "Warga mengungsi", "masjid 31m terdekat"} {
		if !strings.Contains(a.Body, w) {
			t.Errorf("body %q lacks %q: the words a control character separated must stay apart", a.Body, w)
		}
	}
	if a.Title != "Banjir ]0;pwned  di Sawahlunto" || a.Author != "Andi [2J Putra" {
		t.Errorf("title %q, author %q; want the control characters as spaces", a.Title, a.Author)
	}
}
