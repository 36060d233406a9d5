package extract

import (
	"bytes"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// emptyBodies removes the text of the HTML <style> and non-JSON-LD <script>
// elements of a parsed tree, and with svg the children of its SVG images:
// what dropScripts should amount to.
func emptyBodies(root *html.Node, svg bool) {
	walk(root, func(n *html.Node) bool {
		if n.Type == html.ElementNode && (n.Namespace == "" &&
			(n.DataAtom == atom.Style || n.DataAtom == atom.Script && !strings.Contains(strings.ToLower(rawStartTag(n)), "ld+json")) ||
			svg && n.Namespace == "svg" && n.Data == "svg" && n.Parent != nil && n.Parent.Namespace == "") {
			for c := n.FirstChild; c != nil; c = n.FirstChild {
				n.RemoveChild(c)
			}
			return false
		}
		return true
	})
}

// rawStartTag gives the attributes of n as one text, for the JSON-LD test.
func rawStartTag(n *html.Node) string {
	var b strings.Builder
	for _, a := range n.Attr {
		b.WriteString(a.Key + "=" + a.Val + " ")
	}
	return b.String()
}

func render(t testing.TB, n *html.Node) string {
	t.Helper()
	var b bytes.Buffer
	if err := html.Render(&b, n); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestDropScripts checks that the page without script, style and SVG
// bodies parses to the tree of the whole page with those bodies emptied, on
// the tokenizer's and the parser's awkward cases; and that the bodies do
// go, except where dropScripts gives up and keeps the page (or its SVG) as
// it is.
func TestDropScripts(t *testing.T) {
	cases := []struct {
		page    string
		dropped bool // some body is dropped
		svg     bool // SVG images are emptied
	}{
		{`<p>a<script>var x = "</p>";</script><style>p{}</style><p>b`, true, true},
		{`<script type="application/ld+json">{"@type":"NewsArticle"}</script><script>x()</script>`, true, true},
		{`<script type="APPLICATION/LD+JSON">{}</script><script id="state" type="application/json">{"a":1}</script>`, true, true},
		{`<script type="application/ld&#43;json">{}</script>`, false, true},
		{`<script data-kind="ld+json" type="text/javascript">{}</script>`, false, true},
		{`<SCRIPT TYPE='text/javascript'>a<b</SCRIPT ><p>c`, true, true},
		{`<div title="<script>">x</div><script>y</script>`, true, true},
		{`<div title='a>b' data-x=<script>z</div><script>y</script>`, true, true},
		{`<!-- <script> --> <p>x</p><script>y</script>`, true, true},
		{`<!--> <script>y</script> -->`, true, true},
		{`<!---> <script>y</script> --!> <p>z`, true, true},
		{`<textarea><script>x</script></textarea><p>y`, false, true},
		{`<title><style>x</style></title><p>y`, false, true},
		{`<noscript><style>x</style></noscript><p>y`, false, true},
		{`<xmp><script>x</script></xmp><script>y</script>`, true, true},
		{`<script><!-- <script>x</script> y --></script><p>z`, false, true},
		{`<script>var a = "<!--"; </script><p>z`, false, true},
		{`<svg><style>.a{}</style></svg><p>z`, true, true},
		{`<svg><style>.a<b>{}</b></style></svg><p>z<style>q</style>`, false, false},
		{`<svg/><style>q</style>`, true, true},
		{`<svg><title>icon</title></svg><style>q</style>`, true, true},
		{`<math><![CDATA[<script>]]></math><style>q</style>`, false, false},
		{`<p>x<script>never closed`, false, true},
		{`<p>x<script`, false, true},
		{`<p a="unterminated><script>x</script>`, false, true},
		{`<ſcript>x</ſcript><p>y`, false, true},
		{`<script>x</scripty></script><p>y`, true, true},
		{`<plaintext><script>x</script>`, false, true},
		{`</ x><? <script> ?><script>y</script><p a=b/ c>`, true, true},
		{`<style/>q</style>`, true, true},
		{`<p = "x>y"><script>z</script>`, true, true},
		// SVG images.
		{`<p>a<svg viewBox="0 0 1 1"><path d="M0 0"/><g><circle r="1"/></g></svg>b</p>`, true, true},
		{`<SVG VIEWBOX="0 0 1 1"><PATH D="M0 0"></PATH><G/></SVG ><p>x`, true, true},
		{`<a href="/x"><svg><title>Facebook</title><use href="#fb"/></svg></a>`, true, true},
		{`<svg><desc>a < b &amp; c</desc><foreignObject>only text</foreignObject></svg>`, true, true},
		{`<svg><clipPath id=a><rect/></clippath><linearGradient><stop/></LINEARGRADIENT></svg>`, true, true},
		{`<svg><svg><rect/></svg><circle/></svg><p>x</p><svg><g></svg>`, true, true},
		{`<svg><![CDATA[</svg><p>]]><rect/></svg><p>y`, true, true},
		{`<svg><!-- </svg><p> --><rect/></svg><p>y`, true, true},
		{`<svg><a href="x"><text>link</text></a><script>x()</script></svg><script>y()</script>`, true, true},
		{`<script>var s = "<svg><p>"</script><svg><rect/></svg>`, true, true},
		{`<div title="<svg>">x</div><svg><g/></svg>`, true, true},
		{`<table><tr><td><svg><title>t</title></svg></td></tr><svg><g/></svg></table>`, true, true},
		{`<head><svg><rect/></svg><title>T</title></head><body>x`, true, true},
		{`<svg><g></g></svg><style>q</style><svg><p>breakout</p></svg>`, true, false},
		{`<svg><p>breakout</p></svg>`, false, false},
		{`<svg><g>never closed`, false, false},
		{`<svg><rect></svg`, false, false},
		{`<div><svg><g></div><p>x`, false, false},
		{`<p><svg><g></p>x`, false, false},
		{`<svg></br></svg>`, false, false},
		{`<svg><title><b>x</b></title></svg>`, false, false},
		{`<svg><title>a<g/>b</title></svg>`, false, false},
		{`<svg><title><a href=x></svg>text`, false, false},
		{`<svg><desc><form></svg><form><input>`, false, false},
		{`<svg><foreignObject><div>x</div></foreignObject></svg>`, false, false},
		{`<svg><font color=red>x</font></svg>`, false, false},
		{`<svg><g></gſ></svg><p>x`, false, false},
		{`<svg><script>if (a<b) x()</script></svg><p>y`, true, true},
		{`<svg><script>if (a<b && c) x()</script></svg><p>y`, false, false},
		{`<svg><textarea><p>x</textarea></svg>`, false, false},
		{`<math><mi>x</mi></math><svg><rect/></svg><style>q</style>`, true, false},
		{`<svg><text>x</text></svg><frameset><frame src=a>`, false, true},
		{"<frameset><style>\n\t<p></style>", false, true},
		{`<select><option>a</option><svg><text>b</text></svg></select>`, true, true},
		{`<template><svg><rect/></svg></template><svg><rect/></svg>`, true, true},
		{`<noscript><svg><p></noscript><svg><rect/></svg>`, true, true},
	}
	for _, c := range cases {
		got := dropScripts([]byte(c.page), false)
		if dropped := !bytes.Equal(got, []byte(c.page)); dropped != c.dropped {
			t.Errorf("dropScripts(%q) = %q: dropped %v, want %v", c.page, got, dropped, c.dropped)
		}
		if _, svg := scanRaw([]byte(c.page), false, true, nil); svg != c.svg {
			t.Errorf("scanRaw(%q) empties SVG: %v, want %v", c.page, svg, c.svg)
		}
		if w, g := expectedTree(t, c.page, c.dropped, c.svg), render(t, parseString(t, string(got))); w != g {
			t.Errorf("dropScripts(%q) = %q parses to\n%s\nwant\n%s", c.page, got, g, w)
		}
		if got := dropScripts([]byte(c.page), true); bytes.Contains(got, []byte("<svg></svg>")) && !strings.Contains(c.page, "<svg></svg>") {
			t.Errorf("dropScripts(%q, requisites) = %q, want SVG bodies kept", c.page, got)
		}
	}
}

// expectedTree renders the tree of page with its script and style bodies
// emptied when dropped, and its SVG images too when svg.
func expectedTree(t testing.TB, page string, dropped, svg bool) string {
	whole := parseString(t, page)
	if dropped {
		emptyBodies(whole, svg)
	}
	return render(t, whole)
}

var indentRE = regexp.MustCompile(`\n[ \t]+`)

// normalTree renders the tree of page with the bodies of scripts, styles
// and SVG images emptied and the indentation of its text gone: what
// dropScripts may change.
func normalTree(t testing.TB, page string) string {
	root := parseString(t, page)
	emptyBodies(root, true)
	walk(root, func(n *html.Node) bool {
		if n.Type == html.TextNode {
			n.Data = indentRE.ReplaceAllString(n.Data, "\n")
		}
		return true
	})
	return render(t, root)
}

// TestDropIndents checks that the indentation of the white space between
// tags goes, and stays in text with words, attributes, raw text, comments,
// SVG and MathML, and from the first <pre> or <listing> on.
func TestDropIndents(t *testing.T) {
	in := strings.Repeat(" ", minIndent)
	tabs := strings.Repeat("\t", minIndent-1)
	cases := []struct{ page, want string }{
		{"<div>\n" + in + "<p>a\n" + in + "b</p> \n" + tabs + "\t\n" + tabs + "<p>\n \n</div>", "<div>\n<p>a\n" + in + "b</p> \n\n" + tabs + "<p>\n \n</div>"},
		{"<p title=\"x\n" + in + "y\">\n" + in + "<!--\n" + in + "-->\r\n" + in + "</p>", "<p title=\"x\n" + in + "y\">\n<!--\n" + in + "-->\r\n</p>"},
		{"<textarea>\n" + in + "</textarea><title>\n" + in + "</title>\n" + in + "<p>", "<textarea>\n" + in + "</textarea><title>\n" + in + "</title>\n<p>"},
		{"<p>\n" + in + "</p><pre>\n" + in + "</pre>\n" + in + "<p>", "<p>\n</p><pre>\n" + in + "</pre>\n" + in + "<p>"},
		{"<svg>\n" + in + "<rect/>\n</svg>\n" + in + "<p>", "<svg></svg>\n<p>"},
		{"<math>\n" + in + "<mi>x</mi>\n" + in + "</math>\n" + in + "<p>", "<math>\n" + in + "<mi>x</mi>\n" + in + "</math>\n<p>"},
		{"<p>a\n" + in, "<p>a\n" + in},
	}
	for _, c := range cases {
		if got := string(dropScripts([]byte(c.page), false)); got != c.want {
			t.Errorf("dropScripts(%q) = %q, want %q", c.page, got, c.want)
		}
	}
}

// FuzzDropScripts checks on any page that the page dropScripts keeps
// parses as the whole page does, but for the bodies of scripts, styles and
// SVG images and for the indentation of its text (gone from both trees: a
// body that runs to the end of the page is kept, so the emptied elements
// are not known in advance).
func FuzzDropScripts(f *testing.F) {
	for _, s := range []string{
		`<p>a<svg><g><title>x</title><path/></g></svg>b<script>c</script>`,
		`<svg><![CDATA[</svg>]]><!-- --></svg><math><svg></svg></math>`,
		`<table><svg><foreignObject>x</foreignObject></svg><style>y</style>`,
		`<div><svg><clipPath></clippath></div><p>`,
		"<div>\n    <p>a\n\t\tb</p>\n  <pre>\n   x</pre>\n  </div>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, page string) {
		if _, err := html.Parse(strings.NewReader(page)); err != nil {
			t.Skip() // nested too deep: parse flattens such pages first
		}
		got := dropScripts([]byte(page), false)
		if w, g := normalTree(t, page), normalTree(t, string(got)); w != g {
			t.Errorf("dropScripts(%q) = %q parses to\n%s\nwant\n%s", page, got, g, w)
		}
	})
}

// TestDropScriptsPieces runs the check of FuzzDropScripts on pages put
// together from pieces that the parser reads in awkward ways around and
// inside SVG, which random bytes seldom spell out.
func TestDropScriptsPieces(t *testing.T) {
	pieces := []string{
		`<svg>`, `</svg>`, `<SVG viewBox="0 0 1 1">`, `<svg/>`, `<g>`, `</g>`, `<G>`, `<path d="M0 0"/>`, `<rect>`,
		`</rect>`, `<title>`, `</title>`, `<desc>`, `</desc>`, `<foreignObject>`, `</foreignobject>`, `<clipPath>`,
		`</clippath>`, `<text>`, `</text>`, `<a href="x">`, `</a>`, `<p>`, `</p>`, `<div>`, `</div>`, `<b>`, `</b>`,
		`<font color=red>`, `<font>`, `</font>`, `<br>`, `</br>`, `<span>`, `<table>`, `<tr>`, `<td>`, `</table>`,
		`<math>`, `</math>`, `<mi>`, `<![CDATA[`, `]]>`, `<!--`, `-->`, `<script>`, `</script>`, `<style>`,
		`</style>`, `<title>`, `<textarea>`, `</textarea>`, `<noscript>`, `</noscript>`, `<template>`,
		`</template>`, `<select>`, `<option>`, `<frameset>`, `<body>`, `<head>`, `<html a=b>`, `x`, ` `, `<`,
		`a < b`, `&amp;`, `"`, `'`, "\n                ", "\n\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t", "\r\n                  ", "  ", `<pre>`, `</pre>`, `<listing>`, `<img src=x>`, `<li>`, `<form>`, `</form>`, `<nobr>`, `<h1>`, `</h1>`,
		`<svg><title>icon</title><path d="M1 1"/></svg>`, "\x00", `ſ`, `<iframe>`, `</iframe>`, `<?x ?>`, `</ x>`,
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range 1 + rng.IntN(14) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		page := b.String()
		if _, err := html.Parse(strings.NewReader(page)); err != nil {
			continue
		}
		got := dropScripts([]byte(page), false)
		if w, g := normalTree(t, page), normalTree(t, string(got)); w != g {
			t.Fatalf("dropScripts(%q) = %q parses to\n%s\nwant\n%s", page, got, g, w)
		}
	}
}

func parseString(t testing.TB, page string) *html.Node {
	t.Helper()
	n, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// attrTree is normalTree without the attributes drop names, on every
// element: what parsing the page that scriptlessDropping keeps may change.
func attrTree(t testing.TB, page string, drop func([]byte) bool) string {
	root := parseString(t, page)
	emptyBodies(root, true)
	walk(root, func(n *html.Node) bool {
		switch n.Type {
		case html.TextNode:
			n.Data = indentRE.ReplaceAllString(n.Data, "\n")
		case html.ElementNode:
			n.Attr = slices.DeleteFunc(n.Attr, func(a html.Attribute) bool { return drop([]byte(a.Key)) })
		}
		return true
	})
	return render(t, root)
}

// checkDropAttrs fails when the page that scriptlessDropping keeps of page
// parses to another tree than page, but for what attrTree takes out.
func checkDropAttrs(t testing.TB, page string, drop func([]byte) bool) []byte {
	t.Helper()
	got := bytes.Join(scriptlessDropping([]byte(page), false, drop), nil)
	if w, g := attrTree(t, page, drop), attrTree(t, string(got), drop); w != g {
		t.Fatalf("scriptlessDropping(%q) = %q parses to\n%s\nwant\n%s", page, got, g, w)
	}
	return got
}

// TestDropAttrs checks which attributes go before parsing: the data- and
// aria- ones nothing reads, in any case, but not those that code reads or
// a selector names, built in or a profile's, and none where cutting could
// make a tag close itself.
func TestDropAttrs(t *testing.T) {
	rules, err := compileRules(&Rules{Body: `[data-kind=story]`, Remove: []string{`[ARIA-label="x"] p`}})
	if err != nil {
		t.Fatal(err)
	}
	drop := unreadAttrs(rules)
	cases := []struct{ page, want string }{
		{`<div data-x="1" class=a aria-hidden>b</div>`, `<div  class=a >b</div>`},
		{`<img DATA-Y='a>b' data-src=s.jpg data-kind=story aria-label="x">`, `<img  data-src=s.jpg data-kind=story aria-label="x">`},
		{`<div class="a"data-x="1">`, `<div class="a">`},
		{`<p data-x=>`, `<p >`},
		{`<div/data-x=1><img data-x=1/><br data-x/><br data-x >`, `<div/data-x=1><img data-x=1/><br data-x/><br  >`},
		{`<time data-time=1 data-timestamp=2 data-date=3 data-other=4>`, `<time data-time=1 data-timestamp=2 data-date=3 >`},
		{`<svg data-x=1><g data-x=1/></svg><math><mi data-x=1>`, `<svg ><g data-x=1/></svg><math><mi data-x=1>`},
		{`<svg data-x=1><g data-x=1/></svg>`, `<svg ></svg>`},
		{`<div title="data-x" data>`, `<div title="data-x" data>`},
		{`<a ROLE=button target=_blank onClick="f()" on href=x tabindex=1 kind=y>`, `<a    on href=x  kind=y>`},
	}
	for _, c := range cases {
		if got := string(checkDropAttrs(t, c.page, drop)); got != c.want {
			t.Errorf("scriptlessDropping(%q) = %q, want %q", c.page, got, c.want)
		}
	}
	if unreadAttrs(&compiledRules{escaped: true}) != nil {
		t.Error("unreadAttrs drops attributes for a profile with an escaped selector")
	}
	if escaped, _ := compileRules(&Rules{Body: `[data\-kind]`}); !escaped.escaped {
		t.Error("compileRules: a selector with a backslash is not marked escaped")
	}
}

// TestDropAttrsPieces runs the check of TestDropAttrs on pages put
// together from tags whose attributes the tokenizer reads in awkward ways.
func TestDropAttrsPieces(t *testing.T) {
	drop := unreadAttrs(nil)
	pieces := []string{
		`<div data-x=1>`, `<div/data-x=1>`, `<img data-x=1/>`, `<svg data-x=1/>`, `<svg data-x="1">`, `</svg>`,
		`<p DATA-Y="a>b" class=c>`, `<br aria-hidden/>`, `<g data-x='1'/>`, `<a data-src=y href=z>`, `</a>`,
		`<div class="a"data-x="1">`, `<p data-x=>`, `<title data-x=1/>`, `</title>`, `<textarea data-x=1/>`,
		`</textarea>`, `<script data-x=1/>`, `</script>`, `<math data-x>`, `</math>`, `<mi data-x=1/>`,
		`<foreignObject data-x=1>`, `<table data-x>`, `<td aria-x=1>`, `<select data-x>`, `<option data-y=2/>`,
		`<iframe data-x=1>`, `</iframe>`, `<span hidden data-x=1>`, `<html data-x=1>`, `<body aria-x=2>`,
		`<b data-x=1 data-x=2 class=q>`, `</b>`, `<!--`, `-->`, `x`, ` `, `"`, `'`, `<`, `/`, `>`, `=`,
		`<frameset data-x>`, `<noscript data-x=1>`, `<a role=x target=y onclick="z" href=q>`, `<svg role=img xmlns="http://www.w3.org/2000/svg">`, `<iframe allowfullscreen src=v>`, `</noscript>`, "\n                ", `<pre data-x>`,
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		var b strings.Builder
		for range 1 + rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		page := b.String()
		if _, err := html.Parse(strings.NewReader(page)); err != nil {
			continue
		}
		checkDropAttrs(t, page, drop)
	}
}
