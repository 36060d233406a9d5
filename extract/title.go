package extract

import (
	"path"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/publicsuffix"
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
	link := firstLink(n)
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
// dailymail.com, "IT Sneak" for itsneak.itweek.co.uk): its letters and
// digits, lower-cased, are held by the site's label (see hostLabels), or
// begin or end with it and add at most a dozen letters (a city,
// "Online"), or are a subdomain's label. A part of more
// than five words is a sentence, whatever names it holds ("How we built
// Dropbox's ATF").
func (x *extraction) namesHost(s string) bool {
	if len(strings.Fields(s)) > 5 {
		return false
	}
	squashed := squash(s)
	if len(squashed) < 4 {
		return false
	}
	l, subs := x.hostLabels()
	if l != "" && (strings.Contains(l, squashed) || len(squashed) <= len(l)+12 && (strings.HasPrefix(squashed, l) || strings.HasSuffix(squashed, l))) {
		return true
	}
	return slices.Contains(subs, squashed)
}

// hostLabels returns the labels of the page's host name, squashed (see
// squash): site, the one before the public suffix ("tribunnews" of
// padang.tribunnews.com, "heraldsun" of www.heraldsun.com.au), when it has
// five letters or more, and subs, the subdomain's labels but "www". A
// subdomain often names a city or a section, which headlines name too: a
// title part is the site's only when it is one of them whole.
func (x *extraction) hostLabels() (site string, subs []string) {
	host := strings.ToLower(x.page.Hostname())
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return "", nil
	}
	l, _, _ := strings.Cut(d, ".")
	if l = squash(l); len(l) >= 5 {
		site = l
	}
	for s := range strings.SplitSeq(strings.TrimSuffix(strings.TrimSuffix(host, d), "."), ".") {
		if s = squash(s); s != "" && s != "www" {
			subs = append(subs, s)
		}
	}
	return site, subs
}

// squash returns the letters and digits of s, lower-cased.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

// headlineClassRE names the elements that old and hand-made themes print
// their headline in when it is no heading: "headline", "storyhead",
// "article_title", "judul". notHeadlineClassRE names those that print
// something else beside it: a subtitle or kicker ("sub_head",
// "article_overtitle"), a box's or section's title ("shareLinksTitle").
var (
	headlineClassRE    = regexp.MustCompile(`head|title|judul`)
	notHeadlineClassRE = regexp.MustCompile(`sub|over|kicker|strap|deck|share|bookmark|comment|print|section|widget|box|menu|nav|date|meta|caption|related|popular|byline|author|reply|respond`)
	// strongHeadlineRE names the elements that print nothing but a
	// headline; a weaker candidate after one is a byline's or a
	// picture's title.
	strongHeadlineRE = regexp.MustCompile(`headline|storyhead|story-head|judul`)
)

// maxHeadlineGap is how much text may stand between a headline and the
// start of the article's text (a date, a byline, a caption).
const maxHeadlineGap = 400

// printedHeadline returns the headline the page prints just before its
// article's text begins, or at its start: the last heading (h1 to h3) or
// element named for a headline (headlineClassRE) that is not a link to
// another page nor the site's masthead, and is followed by at most
// maxHeadlineGap bytes of text before the first line of body's prose. It
// returns "" when there is none.
func (x *extraction) printedHeadline(body *html.Node, loose bool) (string, int) {
	best, rank, gap, inBody, done := "", 0, 0, false, false
	walk(x.root, func(n *html.Node) bool {
		switch {
		case done:
			return false
		case n == body:
			inBody = true
		case n.Type == html.ElementNode && (skipText(n) || n.DataAtom == atom.A):
			if n.DataAtom == atom.A && !x.linksHere(n) {
				l, _ := normTextLen(n)
				gap += l
				return false
			}
			return n.DataAtom == atom.A
		case n.Type == html.ElementNode && (x.headlineElement(n) || loose && looseHeadline(n)):
			raw, short := textUpTo(n, 1000)
			t := normSpace(raw)
			r := x.headlineRank(n)
			if w := len(strings.Fields(t)); short && w <= 30 && len(t) <= 250 && wordy(t) && (r > 0 || !isUpper(t) && len(t) < 80) && !x.branding(n, t) && (linkDensity(n) < 0.5 || x.linkedHere(n)) && !datePrinted(t) && !bylinePrefixRE.MatchString(t) && !inChrome(n) {
				if best == "" || r >= rank {
					best, rank = t, r
				}
				gap = 0
				return false
			}
		case n.Type == html.TextNode:
			t := strings.TrimSpace(n.Data)
			if inBody && len(t) >= 80 && attached(n, body) {
				done = true
				return false
			}
			if gap += len(t); gap > maxHeadlineGap {
				best, rank = "", 0
			}
		}
		return true
	})
	if !done {
		return "", 0
	}
	return best, rank
}

// headlineRank is 2 for an element named for nothing but a headline
// (strongHeadlineRE), 1 for another headline element, 0 for a loose one.
func (x *extraction) headlineRank(n *html.Node) int {
	switch {
	case strongHeadlineRE.MatchString(classID(n)):
		return 2
	case x.headlineElement(n):
		return 1
	}
	return 0
}

// looseHeadline reports whether n may print a headline on a page that
// gives none anywhere else (no <title>, no heading): a block of text
// without blocks or line breaks inside, not beside a picture (a caption),
// and neither in capitals (a box's label) nor as long as a line of prose
// (printedHeadline asks both of its text).
func looseHeadline(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Div, atom.Span, atom.B, atom.Strong, atom.Font, atom.Td, atom.P, atom.H4, atom.H5, atom.H6:
	default:
		return false
	}
	if c := classID(n); c != "" && notHeadlineClassRE.MatchString(c) {
		return false
	}
	blocks := false
	walk(n, func(c *html.Node) bool {
		switch c.DataAtom {
		case atom.Div, atom.P, atom.Br, atom.Table, atom.Td, atom.Li, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
			blocks = blocks || c != n
		}
		return !blocks
	})
	if blocks {
		return false
	}
	for c := n.Parent.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == atom.Img || c.DataAtom == atom.Picture) {
			return false
		}
	}
	return true
}

// headlineElement reports whether n may print a headline: an h1 to h3,
// or an element whose class or id names a headline, and neither named for
// something else (notHeadlineClassRE: a widget's title, a kicker).
func (x *extraction) headlineElement(n *html.Node) bool {
	c := classID(n)
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3:
		return c == "" || !notHeadlineClassRE.MatchString(c)
	case atom.Html, atom.Body, atom.Head, atom.Table, atom.Tbody, atom.Tr, atom.Ul, atom.Ol, atom.Form:
		return false
	}
	return c != "" && headlineClassRE.MatchString(c) && !notHeadlineClassRE.MatchString(c) && !pageChromeRE.MatchString(c)
}

// linksHere reports whether link a points at the page itself (a
// headline's permalink) rather than elsewhere.
func (x *extraction) linksHere(a *html.Node) bool {
	href := strings.TrimSpace(attr(a, "href"))
	if href == "" || href[0] == '#' {
		return href == ""
	}
	if last := path.Base(x.page.Path); last != "/" && last != "." && !strings.Contains(href, last) {
		return false // cheaper than parsing each of the page's links
	}
	u, err := x.page.Parse(href)
	return err == nil && sameHost(u.Host, x.page.Host) && strings.TrimSuffix(u.Path, "/") == strings.TrimSuffix(x.page.Path, "/")
}

// notHeadline reports whether title t, read from <title>, is not the
// article's headline when the page prints headline h (of rank, see
// headlineRank) before its text, body: t is empty, names the site, or
// shares no word with h nor a word of four letters or more with the
// article ("Latest News", "Sports section front"): a headline names what
// its article tells. Against an element named for a headline, t may share
// a few words with the article ("New York Post Online Edition: Breaking
// News" its "New York"), fewer than half of them.
func (x *extraction) notHeadline(t, h string, rank int, body *html.Node) bool {
	if t == "" || x.onlyNamesSite(t) || x.siteLed(t) || leakedMarkup(t) {
		return true
	}
	tw := lowerWordList(t)
	hw := lowerWordList(h)
	for _, w := range tw {
		if slices.Contains(hw, w) {
			return false
		}
	}
	text := strings.ToLower(textOf(body))
	long, found := 0, 0
	for _, w := range tw {
		if utf8.RuneCountInString(w) >= 4 {
			long++
			if strings.Contains(text, w) {
				found++
			}
		}
	}
	if rank >= 2 {
		return found*2 < long
	}
	return found == 0
}

// onlyNamesSite reports whether title t as a whole is the site's name:
// og:site_name or the config's title holds it, it spells the host's name
// (namesHost), or it is a domain of three words at most.
func (x *extraction) onlyNamesSite(t string) bool {
	l := strings.ToLower(t)
	for _, site := range []string{x.meta.get("og:site_name"), x.opt.SiteTitle} {
		if site = strings.ToLower(normSpace(site)); site != "" && strings.Contains(site, l) {
			return true
		}
	}
	return x.namesHost(t) || len(strings.Fields(t)) <= 3 && x.namesSite(t)
}

// siteLed reports whether title t, what is left of <title> once a site
// name set off by a separator is cut, begins or ends with a label of the
// host's name: the site's name and its motto ("Summit Daily News for
// Breckenridge, ..." on summitdaily.com). Only a title that shares no
// word with the printed headline is asked.
func (x *extraction) siteLed(t string) bool {
	squashed := squash(t)
	l, _ := x.hostLabels()
	return l != "" && (strings.HasPrefix(squashed, l) || strings.HasSuffix(squashed, l))
}

// wordy reports whether t has two words or more of two letters or more:
// "- Nov• 06•12" is a date, "Television" a section.
func wordy(t string) bool {
	n := 0
	for w := range strings.FieldsSeq(t) {
		letters := 0
		for _, r := range w {
			if unicode.IsLetter(r) {
				letters++
			}
		}
		if letters >= 2 {
			n++
		}
	}
	return n >= 2
}

// leakedMarkup reports whether title t holds markup that leaked into
// <title> from a broken head: an attribute, a tag's or a comment's end.
func leakedMarkup(t string) bool {
	return strings.Contains(t, "/>") || strings.Contains(t, `="`) || strings.Contains(t, "-->")
}

// datePrinted reports whether heading text t is a date line ("Sunday,
// October 28, 2012", "Last Updated: 6:10 PM Dec 31, 2007"): a blog's day
// heading, not a headline.
func datePrinted(t string) bool {
	if len(strings.Fields(t)) > 8 {
		return false
	}
	_, ok := parseTextDate(t, time.UTC, time.Time{})
	return ok
}

// linkedHere reports whether the first link under n points at the page
// itself: a headline linked to its permalink.
func (x *extraction) linkedHere(n *html.Node) bool {
	link := firstLink(n)
	return link != nil && x.linksHere(link)
}

// firstLink returns the first <a> under n, n itself included, or nil.
func firstLink(n *html.Node) *html.Node {
	var link *html.Node
	walk(n, func(c *html.Node) bool {
		if link == nil && c.Type == html.ElementNode && c.DataAtom == atom.A {
			link = c
		}
		return link == nil
	})
	return link
}

// lowerWordList returns the words of s (its runs of letters and digits),
// lower-cased.
func lowerWordList(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// fuller reports whether heading h1 is the printed, longer form of the
// short headline og:title gives for sharing ("Assad warns Israel against
// strikes" for "Syria's Assad warns Israel on air strikes and Golan"): it
// is longer and holds most of og's words, not all of them first: a
// heading that begins with og:title adds a tail to it (a section, a
// date), not words to the headline.
func fuller(h1, og string) bool {
	if len(h1) <= len(og) || len(h1) > 2*len(og)+20 {
		return false
	}
	if p := plainPunct.Replace(og); p != plainPunct.Replace(h1) && strings.HasPrefix(plainPunct.Replace(h1), p) {
		return false
	}
	hw := lowerWordList(h1)
	ow := lowerWordList(og)
	shared := 0
	for _, w := range ow {
		if slices.Contains(hw, w) {
			shared++
		}
	}
	return len(ow) > 0 && shared*2 > len(ow)
}

var (
	// entityRE is a character reference left in a text once decoded: the
	// page escaped it twice ("AT&amp;amp;T" in og:title).
	entityRE = regexp.MustCompile(`&(#[0-9]{2,6}|#[xX][0-9a-fA-F]{2,6}|[a-zA-Z]{2,8});`)
	// bracketedTailRE is a part in brackets at a title's end, which
	// tidyTitle cuts when it is a date ("... Trojan (14/01/2008)").
	bracketedTailRE = regexp.MustCompile(`\s*[(\[]([^()\[\]]{6,40})[)\]]$`)
	// pageTailRE is the page number a split article's title ends with
	// ("... Halaman all", "... - Halaman 2", "... | Page 3").
	pageTailRE = regexp.MustCompile(`(?i)\s*(?:[-|–—:]\s*)?\b(?:halaman|hal\.|page)\s+(?:[0-9]{1,3}|all|semua)$`)
)

// invisible drops the characters that print nothing: soft hyphens (where
// a long word may break) and zero-width spaces and joiners.
var invisible = strings.NewReplacer("\u00ad", "", "\u200b", "", "\u200c", "", "\u200d", "", "\u2060", "", "\ufeff", "")

// tidyTitle drops characters that print nothing, decodes the character
// references a page escaped twice and cuts a date in brackets or a page
// number from a title's end: they are the page's metadata, not its
// headline's words.
func tidyTitle(t string) string {
	t = invisible.Replace(t)
	if strings.Contains(t, "&") && entityRE.MatchString(t) {
		t = normSpace(html.UnescapeString(t))
	}
	if m := bracketedTailRE.FindStringSubmatchIndex(t); m != nil && m[0] > 0 && datePrinted(t[m[2]:m[3]]) && !fragment(t[:m[0]]) {
		t = t[:m[0]]
	}
	if m := pageTailRE.FindStringIndex(t); m != nil && !fragment(t[:m[0]]) {
		t = t[:m[0]]
	}
	return t
}
