package extract

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// emptyBodies removes the text of the HTML <style> and non-JSON <script>
// elements of a parsed tree: what dropScripts should amount to.
func emptyBodies(root *html.Node) {
	walk(root, func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.Namespace == "" &&
			(n.DataAtom == atom.Style || n.DataAtom == atom.Script && !strings.Contains(strings.ToLower(rawStartTag(n)), "json")) {
			for c := n.FirstChild; c != nil; c = n.FirstChild {
				n.RemoveChild(c)
			}
			return false
		}
		return true
	})
}

// rawStartTag gives the attributes of n as one text, for the JSON test.
func rawStartTag(n *html.Node) string {
	var b strings.Builder
	for _, a := range n.Attr {
		b.WriteString(a.Key + "=" + a.Val + " ")
	}
	return b.String()
}

func render(t *testing.T, n *html.Node) string {
	t.Helper()
	var b bytes.Buffer
	if err := html.Render(&b, n); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestDropScripts checks that the page without script and style bodies
// parses to the tree of the whole page with those bodies emptied, on the
// tokenizer's awkward cases; and that the bodies do go, except where
// dropScripts gives up and keeps the page as it is.
func TestDropScripts(t *testing.T) {
	cases := []struct {
		page    string
		dropped bool // some body is dropped
	}{
		{`<p>a<script>var x = "</p>";</script><style>p{}</style><p>b`, true},
		{`<script type="application/ld+json">{"@type":"NewsArticle"}</script><script>x()</script>`, true},
		{`<SCRIPT TYPE='text/javascript'>a<b</SCRIPT ><p>c`, true},
		{`<div title="<script>">x</div><script>y</script>`, true},
		{`<div title='a>b' data-x=<script>z</div><script>y</script>`, true},
		{`<!-- <script> --> <p>x</p><script>y</script>`, true},
		{`<!--> <script>y</script> -->`, true},
		{`<!---> <script>y</script> --!> <p>z`, true},
		{`<textarea><script>x</script></textarea><p>y`, false},
		{`<title><style>x</style></title><p>y`, false},
		{`<noscript><style>x</style></noscript><p>y`, false},
		{`<xmp><script>x</script></xmp><script>y</script>`, true},
		{`<script><!-- <script>x</script> y --></script><p>z`, false},
		{`<script>var a = "<!--"; </script><p>z`, false},
		{`<svg><style>.a{}</style></svg><p>z`, false},
		{`<svg><style>.a<b>{}</b></style></svg><p>z<style>q</style>`, false},
		{`<svg/><style>q</style>`, true},
		{`<svg><title>icon</title></svg><style>q</style>`, true},
		{`<math><![CDATA[<script>]]></math><style>q</style>`, false},
		{`<p>x<script>never closed`, false},
		{`<p>x<script`, false},
		{`<p a="unterminated><script>x</script>`, false},
		{`<ſcript>x</ſcript><p>y`, false},
		{`<script>x</scripty></script><p>y`, true},
		{`<plaintext><script>x</script>`, false},
		{`</ x><? <script> ?><script>y</script><p a=b/ c>`, true},
		{`<style/>q</style>`, true},
		{`<p = "x>y"><script>z</script>`, true},
	}
	for _, c := range cases {
		got := dropScripts([]byte(c.page), false)
		if dropped := !bytes.Equal(got, []byte(c.page)); dropped != c.dropped {
			t.Errorf("dropScripts(%q) = %q: dropped %v, want %v", c.page, got, dropped, c.dropped)
		}
		whole, err := html.Parse(strings.NewReader(c.page))
		if err != nil {
			t.Fatal(err)
		}
		if c.dropped {
			emptyBodies(whole)
		}
		short, err := html.Parse(bytes.NewReader(got))
		if err != nil {
			t.Fatal(err)
		}
		if w, g := render(t, whole), render(t, short); w != g {
			t.Errorf("dropScripts(%q) = %q parses to\n%s\nwant\n%s", c.page, got, g, w)
		}
	}
}

// TestMayNameCommentsFold checks that the test on the raw name lets
// through every name that lowerWords turns into a comments name.
func TestMayNameCommentsFold(t *testing.T) {
	for _, s := range []string{"comments", "UserComments", "COMMENT-list", "post-Replies", "disqus_THREAD",
		"commentary", "replies", "ſomment", "xcomment", "comm", "repl", "disqus-thread", "", "C"} {
		slow := mayNameComments(lowerWords(s))
		if fast := mayNameCommentsFold(s); fast != slow {
			t.Errorf("mayNameCommentsFold(%q) = %v, mayNameComments(lowerWords) = %v", s, fast, slow)
		}
	}
}
