package extract

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
)

var (
	// notArticlePathRE matches paths of listings, not articles.
	notArticlePathRE = regexp.MustCompile(`(?i)/(tag|tags|category|categories|kategori|kanal|channel|indeks|index|topik|topic|author|penulis|page|search|cari|feed|rss|login|register|about|tentang|kontak|contact)(/|$|\.)`)
	slugSplitRE      = regexp.MustCompile(`[-_.+,]+`)
	longNumberRE     = regexp.MustCompile(`\d{4,}`)
)

// isArticleURL reports whether u looks like the address of one article: a
// slug of three words or more, or a long numeric id beside a slug, and no
// listing word (tag, category, indeks, page...) in the path.
func isArticleURL(u *url.URL) bool {
	if u.Scheme != "http" && u.Scheme != "https" {
		return false
	}
	path := u.EscapedPath()
	if notArticlePathRE.MatchString(path) {
		return false
	}
	segs := strings.FieldsFunc(path, func(r rune) bool { return r == '/' })
	if len(segs) == 0 {
		return false
	}
	for _, s := range segs {
		words := 0
		for _, w := range slugSplitRE.Split(s, -1) {
			if len(w) >= 2 && strings.IndexFunc(w, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
				words++
			}
		}
		if words >= 3 {
			return true
		}
	}
	return len(segs) >= 2 && longNumberRE.MatchString(path) && strings.ContainsAny(segs[len(segs)-1], "-_.")
}

// ArticleLinks returns the links to articles that a listing page (a home
// page, category, archive or index page) or an RSS or Atom feed holds,
// absolute and without duplicates. The links of the page's main list (the
// longest run of repeated teasers) come first, in page order, then the
// other article links outside menus and footers, in page order. pageURL
// may be empty; the page's canonical link then resolves relative links.
func ArticleLinks(page []byte, pageURL string) []string {
	base, err := url.Parse(pageURL)
	if err != nil {
		base = &url.URL{}
	}
	if isFeed(page) {
		return feedLinks(page, base)
	}
	root, err := parse(page, "")
	if err != nil {
		return nil
	}
	if base.Host == "" {
		m := readMeta(root, nil, nil, nil)
		for _, c := range []string{m.canonical, m.get("og:url"), m.baseHref} {
			if u, err := url.Parse(strings.TrimSpace(c)); err == nil && u.Host != "" {
				base = u
				break
			}
		}
	}
	if base.Host == "" {
		base = commonOrigin(root)
	}
	resolve := func(a *html.Node) string {
		href := strings.TrimSpace(attr(a, "href"))
		if href == "" || strings.HasPrefix(href, "#") || strings.Contains(href, "{{") {
			return ""
		}
		u, err := base.Parse(href)
		if err != nil || !isArticleURL(u) {
			return ""
		}
		if base.Host != "" && !sameSite(u.Host, base.Host) {
			return ""
		}
		u.Fragment = ""
		return u.String()
	}
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	if list := mainList(root, resolve); list != nil {
		for c := list.FirstChild; c != nil; c = c.NextSibling {
			add(firstArticleLink(c, resolve))
		}
	}
	walk(root, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		switch n.DataAtom {
		case atom.Nav, atom.Footer, atom.Script, atom.Style, atom.Noscript:
			return false
		case atom.A:
			add(resolve(n))
		}
		return true
	})
	return out
}

// mainList returns the element whose children are the most teasers: the
// children of one kind that each hold an article link.
func mainList(root *html.Node, resolve func(*html.Node) string) *html.Node {
	var best *html.Node
	bestN := 2
	walk(root, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		switch n.DataAtom {
		case atom.Nav, atom.Footer, atom.Script, atom.Style, atom.Noscript, atom.Select:
			return false
		}
		if hasAttr(n, "hidden") || hiddenStyleRE.MatchString(attr(n, "style")) {
			return false
		}
		kinds := map[string]int{}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && firstArticleLink(c, resolve) != "" {
				kinds[c.Data]++
			}
		}
		for _, k := range kinds {
			if k > bestN {
				best, bestN = n, k
			}
		}
		return true
	})
	return best
}

func firstArticleLink(n *html.Node, resolve func(*html.Node) string) string {
	if n.DataAtom == atom.A {
		return resolve(n)
	}
	var found string
	walk(n, func(c *html.Node) bool {
		if found != "" {
			return false
		}
		if c.DataAtom == atom.A {
			found = resolve(c)
			return false
		}
		return true
	})
	return found
}

// sameSite reports whether two hosts share their registrable domain
// (news.okezone.com and www.okezone.com do; .co.id and .go.id count as
// one label).
func sameSite(a, b string) bool {
	return siteOf(a) == siteOf(b)
}

func siteOf(host string) string {
	host = strings.ToLower(host)
	if h, _, ok := strings.Cut(host, ":"); ok {
		host = h
	}
	labels := strings.Split(host, ".")
	n := 2
	if len(labels) >= 3 {
		switch labels[len(labels)-2] {
		case "co", "go", "ac", "or", "web", "my", "sch", "com", "net", "org", "gov", "edu":
			n = 3
		}
	}
	if len(labels) <= n {
		return host
	}
	return strings.Join(labels[len(labels)-n:], ".")
}

func isFeed(page []byte) bool {
	head := page
	if len(head) > 1024 {
		head = head[:1024]
	}
	head = bytes.TrimSpace(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")))
	if bytes.HasPrefix(head, []byte("<?xml")) {
		return bytes.Contains(head, []byte("<rss")) || bytes.Contains(head, []byte("<feed")) || bytes.Contains(head, []byte("<rdf"))
	}
	return bytes.HasPrefix(head, []byte("<rss")) || bytes.HasPrefix(head, []byte("<feed"))
}

// feedLinks returns the item links of an RSS or Atom feed in order.
func feedLinks(page []byte, base *url.URL) []string {
	d := xml.NewDecoder(bytes.NewReader(page))
	d.Strict = false
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) { return charset.NewReaderLabel(label, r) }
	var out []string
	seen := map[string]bool{}
	inItem := 0
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch strings.ToLower(t.Name.Local) {
			case "item", "entry":
				inItem++
			case "link":
				if inItem == 0 {
					continue
				}
				href := ""
				rel := ""
				for _, a := range t.Attr {
					switch a.Name.Local {
					case "href":
						href = a.Value
					case "rel":
						rel = a.Value
					}
				}
				if href == "" {
					var s string
					if err := d.DecodeElement(&s, &t); err == nil {
						href = s
					}
				} else if rel != "" && rel != "alternate" {
					continue
				}
				u, err := base.Parse(strings.TrimSpace(href))
				if err != nil || u.Host == "" {
					continue
				}
				if s := u.String(); !seen[s] {
					seen[s] = true
					out = append(out, s)
				}
			}
		case xml.EndElement:
			switch strings.ToLower(t.Name.Local) {
			case "item", "entry":
				inItem--
			}
		}
	}
	return out
}

// commonOrigin guesses the address of a page that names none: the scheme
// and host most of its absolute links point to.
func commonOrigin(root *html.Node) *url.URL {
	count := map[string]int{}
	best, bestN := "", 0
	walk(root, func(n *html.Node) bool {
		if n.DataAtom == atom.A {
			if u, err := url.Parse(strings.TrimSpace(attr(n, "href"))); err == nil && u.Host != "" && (u.Scheme == "http" || u.Scheme == "https") {
				o := u.Scheme + "://" + u.Host + "/"
				count[o]++
				if count[o] > bestN {
					best, bestN = o, count[o]
				}
			}
		}
		return true
	})
	u, err := url.Parse(best)
	if err != nil {
		return &url.URL{}
	}
	return u
}
