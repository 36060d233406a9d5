package demosite

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// testHost is the Host of requests served without a listener, so that
// pages of two sites can be compared byte for byte.
const testHost = "demo.test"

// serve answers one GET for path through s.ServeHTTP, with extra headers
// given as key, value pairs.
func serve(s *Site, path string, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, "http://"+testHost+path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

// get fetches path from a real test server, without following redirects.
func get(t *testing.T, srv *httptest.Server, path string) (*http.Response, []byte) {
	t.Helper()
	c := srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := c.Get(srv.URL + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("GET %s: read: %v", path, err)
	}
	return res, b
}

func parseHTML(t *testing.T, b []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("parse html: %v", err)
	}
	return doc
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, class string) bool {
	if n.Type != html.ElementNode {
		return false
	}
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

// findAll returns the descendants of n (n included) that match, in
// document order.
func findAll(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func byClass(class string) func(*html.Node) bool {
	return func(n *html.Node) bool { return hasClass(n, class) }
}

func byTag(tag string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == tag }
}

func first(t *testing.T, n *html.Node, match func(*html.Node) bool, what string) *html.Node {
	t.Helper()
	all := findAll(n, match)
	if len(all) == 0 {
		t.Fatalf("no %s in page", what)
	}
	return all[0]
}

func textOf(n *html.Node) string {
	var b strings.Builder
	for _, t := range findAll(n, func(n *html.Node) bool { return n.Type == html.TextNode }) {
		b.WriteString(t.Data)
	}
	return strings.TrimSpace(b.String())
}

func urlPath(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("parse url %q: %v", raw, err)
	}
	return u.Path
}

// extractPage reads an article page of this theme the way a perfect
// extractor with the demo profile would, for comparison with Truth.
func extractPage(t *testing.T, b []byte) Article {
	t.Helper()
	doc := parseHTML(t, b)
	var a Article
	a.Title = textOf(first(t, doc, byClass("entry-title"), "h1.entry-title"))
	pub := first(t, doc, func(n *html.Node) bool { return hasClass(n, "entry-date") && hasClass(n, "published") }, "time.entry-date")
	a.Slug = attr(pub, "datetime") // the raw datetime, checked by the caller
	a.Author = textOf(first(t, doc, byClass("author-name"), ".author-name"))
	for _, n := range findAll(first(t, doc, byClass("cat-links"), ".cat-links"), byTag("a")) {
		a.Categories = append(a.Categories, textOf(n))
	}
	if tl := findAll(doc, byClass("tags-links")); len(tl) > 0 {
		for _, n := range findAll(tl[0], byTag("a")) {
			a.Tags = append(a.Tags, textOf(n))
		}
	}
	content := first(t, doc, byClass("entry-content"), ".entry-content")
	for c := content.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || c.Data != "p" {
			continue
		}
		txt := textOf(c)
		if txt == "" || strings.HasPrefix(txt, "Baca juga:") || strings.HasPrefix(txt, "Editor :") {
			continue
		}
		a.Paragraphs = append(a.Paragraphs, txt)
	}
	for _, n := range findAll(content, func(n *html.Node) bool {
		return hasClass(n, "n2-ss-slide-background-image") || hasClass(n, "gallery-item") || hasClass(n, "wp-block-image")
	}) {
		img := first(t, n, byTag("img"), "img")
		im := Image{Path: urlPath(t, attr(img, "src")), Alt: attr(img, "alt")}
		switch {
		case hasClass(n, "n2-ss-slide-background-image"):
			im.Caption = attr(n, "data-title")
		default:
			if fc := findAll(n, byTag("figcaption")); len(fc) > 0 {
				im.Caption = textOf(fc[0])
			}
		}
		a.Images = append(a.Images, im)
	}
	return a
}

// contentParagraphs returns the text of every p element of an HTML
// fragment such as the content of a feed item.
func contentParagraphs(t *testing.T, fragment string) []string {
	t.Helper()
	var out []string
	for _, p := range findAll(parseHTML(t, []byte(fragment)), byTag("p")) {
		out = append(out, textOf(p))
	}
	return out
}
