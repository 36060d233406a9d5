package extract

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"unicode"

	"golang.org/x/net/html"
)

// slowNormSpace is normSpace without its shortcut: the definition the
// fast paths must agree with.
func slowNormSpace(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u00a0' || r == '\u200b' || r == '\ufeff' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

func TestNormSpaceShortcut(t *testing.T) {
	for _, s := range []string{
		"", " ", "a", " a", "a ", "a b", "a  b", "a\tb", "a\nb", "a\u00a0b", "\u200b", "a\u200bb",
		"\ufeffa", "é è", "a\u0085b", "a\u2003b", "\xff", "a\xffb", "\xe2\x80", "Kota, 5 Mei", " , ",
	} {
		if got, want := normSpace(s), slowNormSpace(s); got != want {
			t.Errorf("normSpace(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestNormTextLen checks normTextLen against the strings it saves
// building, on every element of the golden pages.
func TestNormTextLen(t *testing.T) {
	for _, c := range goldenCases {
		page := readGolden(t, c.name)
		root, err := parse(page, "")
		if err != nil {
			t.Fatal(err)
		}
		checked := 0
		walk(root, func(n *html.Node) bool {
			if n.Type != html.ElementNode {
				return true
			}
			text := slowNormSpace(textOf(n))
			l, commas := normTextLen(n)
			if l != len(text) || commas != strings.Count(text, ",") {
				t.Errorf("%s: <%s> normTextLen = %d, %d; want %d, %d", c.name, n.Data, l, commas, len(text), strings.Count(text, ","))
			}
			checked++
			return true
		})
		if checked == 0 {
			t.Errorf("%s: no element checked", c.name)
		}
	}
}

// slowLanguage is language as first written, through a lower-cased copy
// and a slice of words: the definition the in-place reading must match.
func slowLanguage(text string) string {
	id, en, n := 0, 0, 0
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		n++
		if stopWords[w]&stopID != 0 {
			id++
		}
		if stopWords[w]&stopEN != 0 {
			en++
		}
		if n > 2000 {
			break
		}
	}
	switch {
	case id+en < 3:
		return ""
	case id > 2*en:
		return "id"
	case en > 2*id:
		return "en"
	}
	return ""
}

func TestLanguageInPlace(t *testing.T) {
	filler := strings.Repeat("kata ", 1998)
	for _, s := range []string{
		"", "yang dan di", "The AND of", "YANG DAN DI KE", "İN THE İS of", "the1and2of3to",
		"yang-dan_di ke", "supercalifragilisticexpialidocious the and of", "Straße die und the and",
		filler + "the and of to in", filler + "yang dan", "ΤΗΕ the and", "\xffthe\xffand\xffof",
		"the and of yang dan di ke dari ini", "Ünïcödé wörds and the of",
	} {
		if got, want := language(s), slowLanguage(s); got != want {
			t.Errorf("language(%.40q) = %q, want %q", s, got, want)
		}
	}
}

func TestAtStartSameAnswers(t *testing.T) {
	texts := []string{
		"", "2", "1 2 3 selanjutnya", "Halaman 2 dari 3", "page 4", "x page 4", "Baca juga lainnya",
		"berita terkait", "Related posts", "Artikel lainnya dari kami", "Some text, halaman 2",
		"Most read", "Trending now in Jakarta", "12 34 »", "laman 1 of 2 ", "Berita Terpopuler hari ini",
		strings.Repeat("Presiden meresmikan jalan tol, katanya. ", 20), strings.Repeat("1 ", 300),
	}
	for _, re := range []*regexp.Regexp{pageOfRE, relatedHeadingRE, junkParagraphRE.Regexp, commentLineRE.Regexp} {
		fast := atStart(re)
		for _, s := range texts {
			if got, want := fast.MatchString(s), re.MatchString(s); got != want {
				t.Errorf("atStart(%.30s).MatchString(%.30q) = %v, want %v", re, s, got, want)
			}
		}
	}
}

// TestLinkedHeading holds linkedHeading to the selector it writes out, on
// every element of the golden pages and of a page made of its edge cases.
func TestLinkedHeading(t *testing.T) {
	group := mustGroup("h2 a[href], h3 a[href], h4 a[href], a[href] h2, a[href] h3, a[href] h4, .entry-title a[href]").full
	pages := []string{`<div class="entry-title x"><a href="/a">A</a></div><div class="entry-title` + "\u00a0" + `x"><a href="/b">B</a></div>
		<h3><span><a href="">C</a></span></h3><h2><a name="x">D</a></h2><a href="/e"><div><h4>E</h4></div></a><a><h2>F</h2></a>
		<svg><a xlink:href="/g"><text>G</text></a></svg><h5><a href="/h">H</a></h5><p class="Entry-title"><a href="/i">I</a></p>`}
	for _, c := range goldenCases {
		page := readGolden(t, c.name)
		pages = append(pages, string(page))
	}
	matched := 0
	for i, page := range pages {
		root, err := parse([]byte(page), "")
		if err != nil {
			t.Fatal(err)
		}
		walk(root, func(n *html.Node) bool {
			if got, want := linkedHeading(n), n.Type == html.ElementNode && group.Match(n); got != want {
				t.Errorf("page %d: linkedHeading(<%s %v>) = %v, want %v", i, n.Data, n.Attr, got, want)
			}
			if group.Match(n) {
				matched++
			}
			return true
		})
	}
	if matched < 4 {
		t.Errorf("%d linked headings in all: the comparison says little", matched)
	}
}

func TestSameLower(t *testing.T) {
	for _, tt := range []struct{ s, lower string }{
		{"Judul Berita", "judul berita"}, {"Judul Berita!", "judul berita"}, {"İSTANBUL", "istanbul"},
		{"ȺB", "ⱥb"}, {"\xffA", "\ufffda"}, {"", ""}, {"Straße", "strasse"}, {"KELVIN \u212A", "kelvin k"},
	} {
		if got, want := sameLower(tt.s, tt.lower), strings.ToLower(tt.s) == tt.lower; got != want {
			t.Errorf("sameLower(%q, %q) = %v, want %v", tt.s, tt.lower, got, want)
		}
	}
}

func TestStripSizeSuffix(t *testing.T) {
	re := regexp.MustCompile(`[-_]\d{2,4}x\d{2,4}(\.[a-z]+)$`)
	for _, s := range []string{
		"", ".", "a.jpg", "foto-1024x683.jpg", "foto_169x95.webp", "foto-1024x683.JPG", "foto-10x10",
		"foto-12345x67.jpg", "foto-12x34567.jpg", "foto-1x22.jpg", "a-12-3456x34.jpg", "-12x34.jpg",
		"12x34.jpg", "x-12x34.", "https://cdn.example/2023/01/berita-800x450.jpeg", "a-12x34.tar.gz",
		"a-12x34.jpg.", "a-12y34.jpg", "a-12x34.j1g", "a_99x99.é", "a-1234x1234.png",
	} {
		if got, want := stripSizeSuffix(s), re.ReplaceAllString(s, "$1"); got != want {
			t.Errorf("stripSizeSuffix(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestSelectorValueNeeds checks which attribute values a selector needs,
// and that a group pruned by what readMeta records of a page matches
// every element the whole group matches, on pages of the edge cases and
// the golden pages, for built-in and profile selectors.
func TestSelectorValueNeeds(t *testing.T) {
	const src = `a[rel=tag], a[rel~=category], [rel=tag i], [rel^=t], .x[itemprop=author] [itemprop=name], [data-x]`
	s, err := compileSelector(src)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"rel=tag"}, {"rel=category"}, {"rel"}, {"rel"}, {"x", "itemprop=author", "itemprop=name"}, {"data-x"}}
	if fmt.Sprint(s.need) != fmt.Sprint(want) {
		t.Errorf("need = %v, want %v", s.need, want)
	}
	rules := &Rules{Author: `[rel~=me]`, Tags: `a[rel=tag i], [data-kind=label]`, Categories: `[rel=section]`, Gallery: src}
	pages := []string{`<a rel="tag">a</a><a rel="nofollow tag">b</a><a rel=" tag">c</a><a rel="Tag">d</a><a rel="tag` + "\u00a0" + `x">e</a>
		<a rel="category tag">f</a><a rel="author">g</a><span rel="author external">h</span><div itemprop="author"><b itemprop="name">i</b></div>
		<a rel="me	you">j</a><a rel="TAG">k</a><p data-kind="label">l</p><a rel="section">m</a><a rel="">n</a><a>o</a><p class="x" itemprop="author"><i itemprop="name">p</i></p><q data-x>q</q>`}
	for _, c := range goldenCases {
		page := readGolden(t, c.name)
		pages = append(pages, string(page))
	}
	cr, err := compileRules(rules)
	if err != nil {
		t.Fatal(err)
	}
	groups := []*selector{authorSelector, categorySelector, tagSelector, titleSelector, publishedTimeSelector, modifiedTimeSelector,
		cr.fields["author"], cr.fields["tags"], cr.fields["categories"], cr.fields["gallery"]}
	pruned := 0
	for i, page := range pages {
		root, err := parse([]byte(page), "")
		if err != nil {
			t.Fatal(err)
		}
		present := map[string]bool{}
		readMeta(root, present, cr.names, cr.values)
		for _, g := range groups {
			all, some := queryAll(root, g.full), queryAll(root, g.group(present))
			if len(some) != len(all) {
				t.Errorf("page %d: %v pruned by %v matches %d elements, the whole group %d", i, g.need, present, len(some), len(all))
			}
			pruned += len(g.full) - len(g.group(present))
		}
	}
	if pruned == 0 {
		t.Error("no selector was pruned on any page")
	}
}

// TestCompileRulesOnce checks that a Rules is compiled once however many
// pages use it, at once or not, and again when its selectors change.
func TestCompileRulesOnce(t *testing.T) {
	r := &Rules{Title: "h1.judul", Body: ".isi", Remove: []string{".iklan"}}
	page := []byte(`<html><body><h1 class="judul">Judul berita</h1><div class="isi"><p>` + strings.Repeat("Kalimat berita yang cukup panjang untuk dibaca. ", 12) + `</p><p class="iklan">Iklan</p></div></body></html>`)
	first, err := compileRules(r)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			a, err := Extract(page, "https://example.id/baca/x", Options{Rules: r})
			if err != nil || a.Title != "Judul berita" || strings.Contains(a.Body, "Iklan") {
				t.Errorf("Extract with shared rules = %+v, %v; want the title and no ad", a, err)
			}
			if c, _ := compileRules(r); c != first {
				t.Error("compileRules compiled unchanged rules again")
			}
		})
	}
	wg.Wait()

	r.Remove = append(r.Remove, "h1")
	again, err := compileRules(r)
	if err != nil || again == first || len(again.remove) != 2 {
		t.Fatalf("compileRules after a change to Remove = %v (the first: %v), %v; want new rules removing 2 selectors", again, again == first, err)
	}
	r.Title = "h1["
	if _, err := compileRules(r); err == nil {
		t.Fatal("compileRules(a bad title selector) = nil error")
	}
	r.Title = "h2"
	if c, err := compileRules(r); err != nil || c.fields["title"] == nil {
		t.Fatalf("compileRules after the bad selector was fixed = %v, %v", c, err)
	}
}

// FuzzNextField checks that nextField splits a string as strings.Fields
// does.
func FuzzNextField(f *testing.F) {
	for _, s := range []string{"", "  ", "post type-post\tstatus-publish\n", "a\u00a0b\u2003c\u0085", "x\xff y\xc3", "one"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var got []string
		for c, rest := nextField(s); c != ""; c, rest = nextField(rest) {
			got = append(got, c)
		}
		if want := strings.Fields(s); fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
			t.Fatalf("nextField splits %q into %q, want %q", s, got, want)
		}
	})
}
