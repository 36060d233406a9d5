package extract

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/warta-id/warta/internal/ascii"
)

var (
	positiveRE = mustQuick(`(?i)article|body|content|entry|hentry|main|page|post|text|blog|story|detail|isi|berita|read`)
	negativeRE = mustQuick(`(?i)hidden|banner|combx|comment|com-|contact|foot|footer|footnote|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|tool|widget|menu|nav|terkait|populer|popular|iklan|ads?\b|recommend`)
)

// scoreContent finds the element that holds most of the page's prose: each
// paragraph scores its parent fully and its grandparent half, by length
// and commas; containers lose by their share of link text and win or lose
// by what their class and id say.
func scoreContent(root *html.Node, prose map[*html.Node]int) *html.Node {
	scores := map[*html.Node]float64{}
	var order []*html.Node
	// The weight of each class and id, once: blocks of one kind repeat,
	// and the two regexps cost microseconds a class.
	weights := map[string]float64{}
	addScore := func(n *html.Node, s float64) {
		if n == nil || n.Type != html.ElementNode {
			return
		}
		if _, ok := scores[n]; !ok {
			c := classID(n)
			w, ok := weights[c]
			if !ok {
				w = classNameWeight(c)
				weights[c] = w
			}
			scores[n] = w
			order = append(order, n)
		}
		scores[n] += s
	}
	walk(root, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		if skipText(n) || isComments(n) || isPageChrome(n) && prose[n]*2 < prose[root] {
			return false
		}
		switch n.DataAtom {
		case atom.Nav, atom.Footer, atom.Aside, atom.Header:
			return false
		case atom.P, atom.Pre, atom.Td, atom.Blockquote:
		case atom.Div, atom.Section:
			if !hasDirectText(n) {
				return true
			}
		default:
			return true
		}
		l, commas := normTextLen(n)
		if l < 25 {
			return true
		}
		s := 1 + float64(commas) + min(float64(l)/100, 3)
		addScore(n.Parent, s)
		if n.Parent != nil {
			addScore(n.Parent.Parent, s/2)
		}
		return true
	})
	var best *html.Node
	bestScore := 0.0
	for _, n := range order {
		// Links only lower a score: one that cannot beat the best before
		// them is not worth the walk that measures them.
		if scores[n] <= bestScore {
			continue
		}
		s := scores[n] * (1 - linkDensity(n))
		if s > bestScore {
			best, bestScore = n, s
		}
	}
	return best
}

var (
	// pageChromeRE names the page's own header, footer, menus and
	// sidebars by class or id; contentRE names what may hold an article
	// all the same ("header-and-content", "main-sidebar-content").
	pageChromeRE = mustQuick(`(^|[\s_-])(header|masthead|footer|menu|navbar|sidebar|topbar)([\s_-]|$)`)
	contentRE    = regexp.MustCompile(`article|body|content|main|story|post|entry|berita|isi`)
)

// isPageChrome reports whether n is the page's header, footer, a menu or
// a sidebar by its class or id: the article is not inside one, however
// much text a teaser panel in it holds, unless the block holds most of
// the page's prose (themes misname their frame: id="header" around the
// whole page, a main column called "sidebar-1").
func isPageChrome(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Html, atom.Body, atom.Main, atom.Article:
		return false
	}
	c := classID(n)
	return c != "" && pageChromeRE.MatchString(c) && !contentRE.MatchString(c)
}

// commentsRE names the blocks that hold readers' comments. Comments are
// prose, often more of it than the article, but never the article.
var commentsRE = regexp.MustCompile(`(^|[\s_-])(comments?|commentlist|comment-?list|comment-?body|comment_body_\d+|comment-\d+|comment-?content|comment-?text|comment-?thread|disqus_thread|replies)([\s_-]|$)`)

// commentFlagRE is a class that says whether a post takes comments, put
// on the post itself ("comments-enabled", "has-comments").
var commentFlagRE = regexp.MustCompile(`^(no-|has-)?comments?(-(open|closed|enabled|disabled|on|off|allowed))?$`)

// isComments reports whether n is a comment or a block of comments, by
// its class or id. The page's own frame (html, body, main, article) never
// is, nor is a block whose class only says whether comments are open.
func isComments(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Html, atom.Body, atom.Main, atom.Article:
		return false
	}
	for _, a := range n.Attr {
		if a.Key != "class" && a.Key != "id" {
			continue
		}
		// Most blocks are no comments: the word test, whatever the case,
		// spares them lowerWords (which allocates for a name with capitals)
		// and the regexps. lowerWords only lowers and adds hyphens, so
		// what it names comments already held one of the words.
		if !mayNameCommentsFold(a.Val) {
			continue
		}
		v := lowerWords(a.Val)
		if !mayNameComments(v) {
			continue
		}
		switch a.Key {
		case "class":
			for c := range strings.FieldsSeq(v) {
				if !commentFlagRE.MatchString(c) && commentsRE.MatchString(c) {
					return true
				}
			}
		case "id":
			// An id may be a URL, which says nothing about the block.
			if len(v) < 40 && !strings.Contains(v, "/") && !commentFlagRE.MatchString(v) && commentsRE.MatchString(v) {
				return true
			}
		}
	}
	return false
}

// mayNameComments reports whether the lower-cased s holds a word that
// every name commentsRE matches contains. It saves running the regexp on
// the class and id of every element of the page, which cost more than the
// content scoring that asks.
func mayNameComments(s string) bool {
	return strings.Contains(s, "comment") || strings.Contains(s, "replies") || strings.Contains(s, "disqus_thread")
}

// mayNameCommentsFold is mayNameComments ignoring ASCII case, without
// lowering s first.
func mayNameCommentsFold(s string) bool {
	// One pass, stopping only at the words' first letters.
	for i := 0; i < len(s); i++ {
		var w string
		switch s[i] | 0x20 {
		case 'c':
			w = "comment"
		case 'r':
			w = "replies"
		case 'd':
			w = "disqus_thread"
		default:
			continue
		}
		if len(s)-i >= len(w) && ascii.EqualLower(s[i:i+len(w)], w) {
			return true
		}
	}
	return false
}

// classNameWeight is what an element's classID c says of it: -25 for a
// name of chrome, +25 for a name of content, both or neither.
func classNameWeight(c string) float64 {
	w := 0.0
	if c == "" {
		return 0
	}
	if negativeRE.MatchString(c) {
		w -= 25
	}
	if positiveRE.MatchString(c) {
		w += 25
	}
	return w
}

// hasDirectText reports whether a div holds text of its own (sites that
// write paragraphs as text and <br> inside a div).
func hasDirectText(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode && len(strings.TrimSpace(c.Data)) > 20 {
			return true
		}
	}
	return false
}

// inListing reports whether body is one teaser among many: it (or an
// ancestor up to <main>) has at least two siblings of the same tag and
// first class, each with a linked heading. That is a listing page, and its
// "article" is only an excerpt. Sizes are prose lengths when prose is
// known (a box of links beside an article is long but holds little prose),
// else text lengths.
func inListing(body *html.Node, prose map[*html.Node]int) bool {
	size := func(n *html.Node) int { return len(textOf(n)) }
	if prose != nil {
		size = func(n *html.Node) int { return prose[n] }
	}
	for n := body; n != nil && n.Type == html.ElementNode; n = n.Parent {
		if n.DataAtom == atom.Body || n.DataAtom == atom.Main || n.DataAtom == atom.Html {
			return false
		}
		if n.Parent == nil {
			return false
		}
		key := teaserKey(n)
		same, longest := 0, 0
		for s := n.Parent.FirstChild; s != nil; s = s.NextSibling {
			if s != n && s.Type == html.ElementNode && teaserKey(s) == key && isTeaser(s) {
				same++
				longest = max(longest, size(s))
			}
		}
		// An article beside a few teasers (previous and next posts) is
		// still the article: it is much longer than they are.
		if same >= 2 && hasLinkedHeading(n) && size(n) < 3*longest {
			return true
		}
	}
	return false
}

// teaserKey is what repeated teasers share: the tag and the first class
// without digits (post-123 and category-x differ from teaser to teaser).
func teaserKey(n *html.Node) string {
	for c := range strings.FieldsSeq(attr(n, "class")) {
		if !strings.ContainsAny(c, "0123456789") && !strings.HasPrefix(c, "category-") && !strings.HasPrefix(c, "tag-") && !strings.HasPrefix(c, "format-") {
			return n.Data + "." + c
		}
	}
	return n.Data
}

// linkedHeading reports whether n is a linked headline: a link inside an
// h2-h4 heading or an .entry-title, or an h2-h4 inside a link. It is the
// selector "h2 a[href], h3 a[href], h4 a[href], a[href] h2, a[href] h3,
// a[href] h4, .entry-title a[href]" written out (TestLinkedHeading holds
// them together): cascadia tried its seven parts on every element of
// every sibling inListing looked at, and one test of the tag does here.
func linkedHeading(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	switch n.Data {
	case "a":
		if !hasAttr(n, "href") {
			return false
		}
		for p := n.Parent; p != nil; p = p.Parent {
			if p.Type == html.ElementNode && (p.Data == "h2" || p.Data == "h3" || p.Data == "h4" || hasClassToken(p, "entry-title")) {
				return true
			}
		}
	case "h2", "h3", "h4":
		for p := n.Parent; p != nil; p = p.Parent {
			if p.Type == html.ElementNode && p.Data == "a" && hasAttr(p, "href") {
				return true
			}
		}
	}
	return false
}

// hasClassToken reports whether a class attribute of n lists class, its
// names split at HTML white space as CSS selectors split them.
func hasClassToken(n *html.Node, class string) bool {
	for _, a := range n.Attr {
		if a.Key != "class" {
			continue
		}
		for s := a.Val; s != ""; {
			i := strings.IndexAny(s, " \t\r\n\f")
			if i < 0 {
				if s == class {
					return true
				}
				break
			}
			if s[:i] == class {
				return true
			}
			s = s[i+1:]
		}
	}
	return false
}

func hasLinkedHeading(n *html.Node) bool { return countUnder(n, linkedHeading, 1) > 0 }

// isTeaser reports whether n links one or two headlines: one story's
// teaser. A box of many linked headlines is a list of teasers, a widget
// beside the article, not a teaser itself.
func isTeaser(n *html.Node) bool {
	k := countUnder(n, linkedHeading, 3)
	return k >= 1 && k <= 2
}

// countUnder counts the descendants of n that match, up to limit:
// inListing asks of every sibling of the article's ancestors whether it
// holds one or two linked headings, and a column of a hundred need not be
// listed to say no.
func countUnder(n *html.Node, match func(*html.Node) bool, limit int) int {
	k := 0
	walk(n, func(c *html.Node) bool {
		if k >= limit {
			return false
		}
		if c != n && match(c) {
			k++
		}
		return true
	})
	return k
}

// proseLengths maps every element to the length of the prose under it:
// paragraphs of 40 characters or more that are mostly not links. An
// element that holds lines of its own beside blocks (a table cell of a
// page's layout, a <font> around a story and its ad slots) is a wrapper,
// not a paragraph: its own lines count for it, and its blocks for
// themselves.
func proseLengths(root *html.Node) map[*html.Node]int {
	prose := map[*html.Node]int{}
	walk(root, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		if skipText(n) || n.DataAtom == atom.Nav || n.DataAtom == atom.Aside || isComments(n) {
			return false
		}
		switch n.DataAtom {
		case atom.P, atom.Pre, atom.Blockquote, atom.Li, atom.Td, atom.Dd:
		case atom.Div, atom.Section, atom.Span:
			if !hasDirectText(n) {
				return true
			}
		default:
			// Lines of the story may sit in any element that holds blocks
			// too (<font>, <form>, <center> around a whole page).
			if !hasDirectText(n) || !hasBlockChild(n) {
				return true
			}
		}
		if hasBlockChild(n) {
			// Counted whole, a wrapper left the blocks inside it without
			// prose, and the article's container could not be told from
			// the boxes of other stories beside it in the same cell.
			if linked, total := ownText(n); total >= 40 && linked*3 <= total {
				for p := n; p != nil; p = p.Parent {
					prose[p] += total
				}
			}
			return true
		}
		l, _ := normTextLen(n)
		if l < 40 || linkDensity(n) > 0.33 {
			return true
		}
		for p := n; p != nil; p = p.Parent {
			prose[p] += l
		}
		return false
	})
	return prose
}

// hasBlockChild reports whether an element child of n is a block (a line
// break or a rule is not).
func hasBlockChild(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && blockElements[c.DataAtom] && c.DataAtom != atom.Br && c.DataAtom != atom.Hr {
			return true
		}
	}
	return false
}

// ownText returns the bytes of n's text outside its block children that
// sit inside links, and in all.
func ownText(n *html.Node) (linked, total int) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode:
			total += len(strings.TrimSpace(c.Data))
		case c.Type == html.ElementNode && !blockElements[c.DataAtom]:
			l, t := linkText(c)
			if c.DataAtom == atom.A {
				l = t
			}
			linked += l
			total += t
		}
	}
	return linked, total
}

// widen climbs from the chosen container to its ancestors while an
// ancestor holds much more prose than the container (articles split into
// several blocks, with boxes between them), and stops at <body>.
func widen(n *html.Node, prose map[*html.Node]int) *html.Node {
	start := n
	for n != nil {
		// Look past plain wrappers (no prose of their own): the element
		// that gathers the article's other parts may sit above them. Past
		// a wrapper that adds a little prose (a lead, a byline box), only
		// an ancestor with three times the prose is taken: most of the story is
		// then elsewhere in it, not a sidebar's few paragraphs.
		next := (*html.Node)(nil)
		depth := 0
		passed := false
		for p := n.Parent; p != nil && depth < 8; p = p.Parent {
			if p.Type != html.ElementNode || p.DataAtom == atom.Body || p.DataAtom == atom.Html {
				break
			}
			if holdsSiteChrome(p, n) || linkDensity(p) > max(0.25, 2*linkDensity(n)) || prose[start] >= 1000 && extraLinks(p, start) > prose[p]-prose[start] {
				break
			}
			if !passed && prose[p] >= prose[n]+max(150, prose[n]/4) || passed && prose[p] >= 3*prose[n] {
				next = p
				break
			}
			passed = passed || prose[p] != prose[n]
			depth++
		}
		if next == nil {
			return n
		}
		n = next
	}
	return n
}

// extraLinks is the text in links that p holds beside n. When it
// outweighs the prose p adds, p adds a menu, a sidebar or a column of
// headlines rather than more of the story.
func extraLinks(p, n *html.Node) int {
	lp, _ := linkText(p)
	ln, _ := linkText(n)
	return lp - ln
}

// holdsSiteChrome reports whether p holds, outside n, the site's own
// navigation or page header: then p is the page, not the article.
func holdsSiteChrome(p, n *html.Node) bool {
	found := false
	walk(p, func(c *html.Node) bool {
		if found || c == n {
			return false
		}
		if c.Type != html.ElementNode {
			return true
		}
		switch c.DataAtom {
		case atom.Nav:
			found = !insideArticle(c)
		case atom.Header:
			found = !isArticleHeader(c)
		}
		return !found
	})
	return found
}

// insideArticle reports whether n sits in an article element.
func insideArticle(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if isArticleRoot(p) {
			return true
		}
	}
	return false
}
