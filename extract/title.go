package extract

import (
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// brandingRE names the blocks that hold a site's name or logo: a heading
// inside one is the masthead, not the article's headline.
var brandingRE = regexp.MustCompile(`(^|[\s_-])(logo|brand|branding|masthead|site-?title|site-?name|blog-?title|blog-?name|blog-header)([\s_-]|$)`)

// headline returns the text of the first h1 that is the article's
// headline rather than the site's masthead (see branding), or "".
func (x *extraction) headline() string {
	for _, n := range queryAll(x.root, x.g(anyH1)) {
		t := normSpace(textOf(n))
		if t != "" && !x.branding(n, t) {
			return t
		}
	}
	return ""
}

// branding reports whether heading n, whose text is t, prints the site's
// name: t names the site, a block around it is named for a logo or the
// site's title, or its text is one link to a page other than this one
// (the home page, a section).
func (x *extraction) branding(n *html.Node, t string) bool {
	if x.namesSite(t) {
		return true
	}
	for p, i := n, 0; p != nil && p.Type == html.ElementNode && i < 4; p, i = p.Parent, i+1 {
		if c := classID(p); c != "" && brandingRE.MatchString(c) {
			return true
		}
	}
	var link *html.Node
	walk(n, func(c *html.Node) bool {
		if link == nil && c.Type == html.ElementNode && c.DataAtom == atom.A {
			link = c
		}
		return link == nil
	})
	if link == nil || normSpace(textOf(link)) != t {
		return false
	}
	u, err := x.page.Parse(strings.TrimSpace(attr(link, "href")))
	if err != nil || !x.onSite(u) {
		return false
	}
	p := strings.TrimSuffix(u.Path, "/")
	return p != strings.TrimSuffix(x.page.Path, "/") && strings.HasPrefix(x.page.Path, p+"/")
}

// namesHost reports whether title part s is the site's host name in
// words ("Herald Sun" for heraldsun.com.au, "Charleston Daily Mail" for
// dailymail.com): its letters and digits, lower-cased, are held by one of
// the host's name labels of five letters or more, or begin or end with
// one and add at most a dozen letters (a city, "Online"). A part of more
// than five words is a sentence, whatever names it holds ("How we built
// Dropbox's ATF").
func (x *extraction) namesHost(s string) bool {
	if len(strings.Fields(s)) > 5 {
		return false
	}
	squashed := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
	if len(squashed) < 4 {
		return false
	}
	labels := strings.Split(strings.ToLower(x.page.Hostname()), ".")
	for i, l := range labels {
		if i == len(labels)-1 || len(l) < 5 || l == "www" {
			continue // the top-level domain, "co", "com", "news"
		}
		if strings.Contains(l, squashed) || len(squashed) <= len(l)+12 && (strings.HasPrefix(squashed, l) || strings.HasSuffix(squashed, l)) {
			return true
		}
	}
	return false
}
