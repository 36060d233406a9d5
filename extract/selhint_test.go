package extract

import (
	"slices"
	"strings"
	"testing"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// TestReadSelectorHint checks what a selector's source says its subject
// and the compound before it need, and that anything beyond the simple
// grammar gives no hint.
func TestReadSelectorHint(t *testing.T) {
	tests := []struct {
		src           string
		subject, up   string // tag.class.class#id, as compoundHint.String
		child, wantOK bool
	}{
		{"h1.entry-title", "h1.entry-title", "", false, true},
		{".cat-links a", "a", ".cat-links", false, true},
		{"  .entry-meta   .author  a ", "a", ".author", false, true},
		{"ul > li.x", "li.x", "ul", true, true},
		{"ul>li", "li", "ul", true, true},
		{"H1.Title", "h1.Title", "", false, true},
		{"*.a.b#c", ".a.b#c", "", false, true},
		{"time.entry-date[datetime]", "time.entry-date", "", false, true},
		{"[itemprop=author] [itemprop=name]", "", "", false, true},
		{"a[rel~=category]", "a", "", false, true},
		{"#penulis a", "a", "#penulis", false, true},
		{"#a#b", "", "", false, false},
		{"a:not(.x)", "", "", false, false},
		{".a + .b", "", "", false, false},
		{".a ~ .b", "", "", false, false},
		{`.a\:b`, "", "", false, false},
		{`[title="x y"]`, "", "", false, false},
		{"svg|a", "", "", false, false},
		{".a >", "", "", false, false},
		{"> .a", "", "", false, false},
		{".é", "", "", false, false},
		{"", "", "", false, false},
		{".", "", "", false, false},
		{"[a", "", "", false, false},
	}
	for _, tt := range tests {
		subject, up, child, ok := readSelectorHint(tt.src)
		if ok != tt.wantOK || !ok {
			if ok != tt.wantOK {
				t.Errorf("readSelectorHint(%q) ok = %v, want %v", tt.src, ok, tt.wantOK)
			}
			continue
		}
		if got := subject.String(); got != tt.subject {
			t.Errorf("readSelectorHint(%q) subject = %q, want %q", tt.src, got, tt.subject)
		}
		if got := up.String(); got != tt.up {
			t.Errorf("readSelectorHint(%q) up = %q, want %q", tt.src, got, tt.up)
		}
		if child != tt.child {
			t.Errorf("readSelectorHint(%q) child = %v, want %v", tt.src, child, tt.child)
		}
	}
}

func (h *compoundHint) String() string {
	s := h.tag
	for _, c := range h.classes {
		s += "." + c
	}
	if h.id != "" {
		s += "#" + h.id
	}
	return s
}

// hintSources are awkward selectors, and the demo profile's.
func hintSources() []string {
	srcs := []string{
		"h1.entry-title", ".cat-links a", "ul > li > a", "div  .x", "*.a", "H1.Foo", ".a.b",
		"[class] .a", ".a [x]", "p.no-comments", "a:not(.x)", ".a ~ .b", "body > div", "html",
		"svg clippath", "[id=foo]", "#page .site-content", "li a", ".menu-item a", "div div div a",
		"article .entry-content > p", ".widget .widget-title", "span.author.vcard", ".author.vcard a",
		"#comments", ".site > header", ".x > .y > .z", "nav ul li", "header nav", "main article h1",
	}
	for _, f := range ruleFields(demoRules) {
		srcs = append(srcs, splitGroup(f)...)
	}
	for _, r := range demoRules.Remove {
		srcs = append(srcs, splitGroup(r)...)
	}
	return srcs
}

// hintPairs are the selectors of hintSources, and the built-in ones as
// compiled, each with and without its hints.
func hintPairs() (names []string, plain, hinted []cascadia.Sel) {
	for _, src := range hintSources() {
		src = strings.TrimSpace(src)
		if sel, err := cascadia.Parse(src); err == nil {
			names, plain, hinted = append(names, src), append(plain, sel), append(hinted, withHint(sel, src))
		}
	}
	builtin := []*selector{
		bodySelectors, publishedTimeSelector, modifiedTimeSelector, epochAttrSelector,
		sliderSelector, slideBgSelector, slideImgSelector, slideSelector, galleryItemSelector,
		imgSelector, figcaptionSelector, leadImageSelector, titleSelector, anyH1,
		authorSelector, categorySelector, tagSelector, pageLinksSelector,
	}
	for _, r := range chromeRules {
		builtin = append(builtin, r.sel)
	}
	for _, s := range builtin {
		for _, sel := range s.full {
			if h, ok := sel.(*hintedSel); ok {
				names, plain, hinted = append(names, sel.String()), append(plain, h.Sel), append(hinted, h)
			}
		}
	}
	return names, plain, hinted
}

// TestSelectorHintsAgree checks, on every node of the golden pages and
// the seed page, that a hinted selector matches exactly the nodes
// cascadia matches: the hints only ever spare cascadia a no.
func TestSelectorHintsAgree(t *testing.T) {
	var roots []*html.Node
	for _, c := range append(goldenCases, goldenCase{name: "seed"}) {
		root, err := parse(readGolden(t, c.name), "")
		if err != nil {
			t.Fatal(err)
		}
		roots = append(roots, root)
	}
	names, plain, hinted := hintPairs()
	if len(names) < 150 {
		t.Fatalf("%d selectors with hints, want the built-in ones too", len(names))
	}
	for i, name := range names {
		matched := 0
		for _, root := range roots {
			walk(root, func(n *html.Node) bool {
				want := plain[i].Match(n)
				if got := hinted[i].Match(n); got != want {
					t.Errorf("%q on <%s %v>: hinted %v, cascadia %v", name, n.Data, n.Attr, got, want)
				}
				if want {
					matched++
				}
				return true
			})
		}
		t.Logf("%-40q %4d matches", name, matched)
	}
}

// FuzzSelectorHint checks that whatever selector cascadia compiles, its
// hinted form matches what it matches on a page of awkward markup.
func FuzzSelectorHint(f *testing.F) {
	for _, s := range hintSources() {
		f.Add(s)
	}
	root, err := parse([]byte(`<!doctype html><html><body class="a b"><div id="x" class="c  d">
<ul class="menu"><li class="menu-item"><a class="a" href="/">t</a></li><li><a>u</a></li></ul>
<p class="a-b c_d" id="e"><span class="A">v</span><svg class="s"><clipPath id="p"></clipPath></svg></p>
<table class="t"><tr><td class="a">w</td></tr></table><div class=""><div class="	c
d"></div></div></div></body></html>`), "")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 200 {
			return
		}
		plain, err := cascadia.Parse(src)
		if err != nil {
			return
		}
		hinted := withHint(plain, src)
		walk(root, func(n *html.Node) bool {
			if got, want := hinted.Match(n), plain.Match(n); got != want {
				t.Errorf("%q on <%s %v>: hinted %v, cascadia %v", src, n.Data, n.Attr, got, want)
			}
			return true
		})
	})
}

// TestFindNodes checks that findNodes selects what goquery's Find does,
// in the same order, under every element of the golden pages.
func TestFindNodes(t *testing.T) {
	_, _, hinted := hintPairs()
	group := cascadia.SelectorGroup(hinted)
	for _, c := range append(goldenCases, goldenCase{name: "seed"}) {
		root, err := parse(readGolden(t, c.name), "")
		if err != nil {
			t.Fatal(err)
		}
		walk(root, func(n *html.Node) bool {
			if n.Type == html.ElementNode {
				want := find(n, group).Nodes
				if got := findNodes(n, group); !slices.Equal(got, want) {
					t.Errorf("%s: findNodes under <%s> = %d nodes, find %d", c.name, n.Data, len(got), len(want))
				}
			}
			return true
		})
	}
}
