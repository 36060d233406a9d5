package crawler

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
)

// tokenizerTokens lists the tokens html.Tokenizer finds in body, as
// scannerTokens does: each token's type and raw bytes, a text token's
// text, a tag's name, and the attributes of the tags appendLinks reads.
// A self-closing tag other than those is listed as a start tag, as the
// scanner tells no others apart.
func tokenizerTokens(body []byte) []string {
	var out []string
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return append(out, "error")
		}
		raw := string(z.Raw()) // before Text, which changes the buffer
		s := fmt.Sprintf("%v %q", tt, raw)
		switch tt {
		case html.TextToken:
			s += fmt.Sprintf(" text=%q", z.Text())
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, more := z.TagName()
			if tt != html.EndTagToken && linkTag(name) != 0 {
				for more {
					var k, v []byte
					k, v, more = z.TagAttr()
					s += fmt.Sprintf(" %q=%q", k, v)
				}
			} else if tt == html.SelfClosingTagToken {
				s = fmt.Sprintf("%v %q", html.StartTagToken, raw)
			}
			s += fmt.Sprintf(" name=%q", bytes.ToLower(name))
		}
		out = append(out, s)
	}
}

// scannerTokens lists the tokens the scanner finds in body.
func scannerTokens(body []byte) []string {
	var out []string
	z := scanner{b: body}
	for {
		tt := z.next()
		if tt == html.ErrorToken {
			return append(out, "error")
		}
		s := fmt.Sprintf("%v %q", tt, z.raw())
		switch tt {
		case html.TextToken:
			s += fmt.Sprintf(" text=%q", z.appendText(nil))
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			if tt != html.EndTagToken {
				z.attrs(func(k, v []byte) { s += fmt.Sprintf(" %q=%q", k, v) })
			}
			name := bytes.ReplaceAll(z.tagName(), []byte{0}, []byte("\ufffd"))
			s += fmt.Sprintf(" name=%q", bytes.ToLower(name))
		}
		out = append(out, s)
	}
}

// scanSeeds are pages that reach the Tokenizer's corners: raw text
// elements, script escapes, comments of every shape, broken tags,
// repeated and odd attributes, entities, NULs and carriage returns.
var scanSeeds = []string{
	`<a href="/baca/x">x</a><link rel=next href=/page/2/>`,
	`<html><a href='/baca/y'><img alt="z"><a href=/baca/z>`,
	"<base href=\"\x00\"><a href=\"javascript:1\">",
	"<A HREF=x>y</A ><LINK/><base\thref=/><IMG\nalt=z><abbr><a\x00>",
	"<a/href=x><link\f><img/><base>",
	`<a href=/x/>t</a><a href="/y"/>u</a><a href=/z / >v</a><a/>`,
	`<a href=1 HREF=2 href=3 rel=A Rel=b>x</a>`,
	`<a =x href="a&amp;b&copy=1&notit;&ampx&#x41;&#65&#;">t &amp; u &notin &#0; &lt</a>`,
	"<a href=\"x\r\ny\rz\">a\r\nb\rc</a><title>T\x00&amp;\r</title>",
	`<script>var a = "<a href=/no>"; <!-- <script> </script> --> </script><a href=/yes>`,
	`<script><!--<script>x</script>--><a href=/hidden></script><a href=/seen>`,
	`<script><!-- --!> <a href=/x> </script ><a href=/after>`,
	`<style>a</style x><a href=/s>s</a><textarea><a href=/t></textarea><xmp><a href=/u></xmp>`,
	`<noscript><a href=/n></noscript><iframe><a href=/i></iframe><noembed>x</noembed><noframes>y</noframes>`,
	`<!-- <a href=/c1> --><!--><a href=/c2><!---><a href=/c3><!-- --!><a href=/c4><!-- --!x --><a href=/c5>`,
	`<!DOCTYPE html><!doctype><!x><?xml version="1.0"?></><//x></ a><a href=/d>`,
	`<!-`, `<!`, `<`, `</`, `</a`, `<a href="x`, `<a href=x`, `<a `, `<!DOCTY`, `<!-- x -`, `<!-- x --!`,
	`<plaintext><a href=/p></plaintext>`,
	`<title>x</title`, `<script>x</scr`, `<script><!--<script>`, `<a href=x><img alt="y&amp;z" alt=w>q</a>`,
	`<a href=x title="a>b" class='NEXT page-numbers'>Selanjutnya &raquo;</a>`,
	`<a href=x><b>Berita</b> <i>Terbaru</i></a><a href=y>` + strings.Repeat("panjang ", 60) + `</a>`,
	`<a href="/x" ` + strings.Repeat(`d=1 `, 40) + `d=2 href=/y/>z</a>`,
	`<a href=/k \u212Aey=1 claſs=x class=y>k</a>`,
	`<a href=x>a<a href=y>b</a></a>`,
	`text < not a tag <3 <a href=/after-lt>t</a> &amp; <1>`,
	`<a href="?a=1&copy=2&not&notin&amp&ampx=1&ampx;&semi;&#x;&#xZ&#99999999;&AElig&AEligx&lt;&gt&quot&#X41g&#0065;&" rel='a&amp;b'>x</a>`,
	`<a href=/x><img alt="A &amp; B &notit &copy=1 &#8211;">t</a><link href="/y?a&lt=1" rel=next>`,
}

// FuzzUnescapeAttr holds unescapeAttr to the Tokenizer's reading of an
// attribute value.
func FuzzUnescapeAttr(f *testing.F) {
	for _, s := range []string{"a&amp;b", "&copy=1", "&copy", "&notit;", "&ampx", "&#x41;&#65&#;", "&AEligx&lt&semi;", "&", "&#", "&#x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if strings.ContainsAny(v, "\"\x00\r") {
			return
		}
		z := html.NewTokenizer(strings.NewReader(`<a x="` + v + `">`))
		z.Next()
		_, want, _ := z.TagAttr()
		if got := unescapeAttr([]byte(v)); !bytes.Equal(got, want) {
			t.Fatalf("unescapeAttr(%q) = %q, want %q", v, got, want)
		}
	})
}

// FuzzScanner holds the scanner to html.Tokenizer: the same tokens, text
// and link attributes for any bytes.
func FuzzScanner(f *testing.F) {
	for _, s := range scanSeeds {
		f.Add([]byte(s))
	}
	for _, p := range demoPages(f, 2) {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		want := tokenizerTokens(bytes.Clone(body))
		got := scannerTokens(body)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("scanner tokens of %q (-tokenizer +scanner):\n%s", body, diff)
		}
	})
}

// FuzzAppendLinks holds appendLinks to tokenizerLinks, the same reading
// through html.Tokenizer.
func FuzzAppendLinks(f *testing.F) {
	for _, s := range scanSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		sameLinks(t, "fuzz", body)
	})
}

func sameLinks(t *testing.T, name string, body []byte) {
	t.Helper()
	want, wantBase := tokenizerLinks(nil, bytes.Clone(body))
	got, gotBase := appendLinks(nil, body)
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(link{})); diff != "" {
		t.Fatalf("appendLinks(%s) (-tokenizer +scanner):\n%s", name, diff)
	}
	if gotBase != wantBase {
		t.Fatalf("appendLinks(%s) base = %q, want %q", name, gotBase, wantBase)
	}
}

// TestAppendLinksSame holds appendLinks to tokenizerLinks on the seeds,
// demo pages and the pages of the shared corpus (when present), and
// checks the scanner's tokens on them too.
func TestAppendLinksSame(t *testing.T) {
	pages := map[string][]byte{}
	for i, s := range scanSeeds {
		pages[fmt.Sprintf("seed %d", i)] = []byte(s)
	}
	for i, p := range demoPages(t, 20) {
		pages[fmt.Sprintf("demo page %d", i)] = p
	}
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "*", "pages", "*.html.gz"))
	if len(files) == 0 {
		t.Log("no shared corpus: seeds and demo pages only")
	}
	// A quarter of the corpus (2,000 pages) is plenty and keeps the test
	// short under -race.
	for i, name := range files {
		if i%4 == 0 {
			pages[name] = gunzipFile(t, name)
		}
	}
	for name, body := range pages {
		sameLinks(t, name, body)
	}
	// Every 32nd corpus page, and every seed and demo page, cut to end
	// inside tags, comments and scripts, token by token.
	for i, name := range files {
		if i%32 != 0 {
			delete(pages, name)
		}
	}
	for name, body := range pages {
		for _, cut := range []int{len(body) / 3, len(body) / 2, len(body) - 7} {
			if cut > 0 && cut < len(body) {
				sameLinks(t, fmt.Sprintf("%s cut at %d", name, cut), body[:cut])
			}
		}
		if want, got := tokenizerTokens(bytes.Clone(body)), scannerTokens(body); !slices.Equal(want, got) {
			t.Fatalf("scanner tokens of %s (-tokenizer +scanner):\n%s", name, cmp.Diff(want, got))
		}
	}
}

func gunzipFile(t *testing.T, name string) []byte {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return b
}

// TestScannerManyAttributes checks that a tag with a great many repeated
// attributes is read in linear time's worth of work: the first of each
// name wins, as with the Tokenizer.
func TestScannerManyAttributes(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<a href=/first `)
	for i := range 100_000 {
		fmt.Fprintf(&b, "x%d=1 href=/later ", i%50)
	}
	b.WriteString(`>t</a>`)
	links, _ := appendLinks(nil, []byte(b.String()))
	if len(links) != 1 || links[0].href != "/first" || links[0].text != "t" {
		t.Fatalf("appendLinks = %+v, want one link to /first with text t", links)
	}
	sameLinks(t, "many attributes", []byte(b.String()))
}
