package extract

import (
	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// A site profile's rules are applied through goquery's Selection API, the
// library the profile's users know selectors from; the generic scorer
// keeps walking html.Nodes, which is faster for its whole-page passes.

// matcher lets goquery run a compiled cascadia group, so that a profile's
// selectors are compiled once per Extract, not once per Find.
type matcher cascadia.SelectorGroup

func (m matcher) Match(n *html.Node) bool { return cascadia.SelectorGroup(m).Match(n) }

// MatchAll returns n and its descendants that match, in document order
// (cascadia.QueryAll leaves n itself out; goquery expects it in).
func (m matcher) MatchAll(n *html.Node) []*html.Node {
	var out []*html.Node
	if m.Match(n) {
		out = append(out, n)
	}
	return append(out, cascadia.QueryAll(n, cascadia.SelectorGroup(m))...)
}

func (m matcher) Filter(nodes []*html.Node) []*html.Node {
	var out []*html.Node
	for _, n := range nodes {
		if m.Match(n) {
			out = append(out, n)
		}
	}
	return out
}

// find returns what group matches under root, as a Selection (empty for
// an empty group).
func find(root *html.Node, group cascadia.SelectorGroup) *goquery.Selection {
	doc := goquery.NewDocumentFromNode(root)
	if len(group) == 0 {
		return doc.Selection.Slice(0, 0)
	}
	return doc.FindMatcher(matcher(group))
}

// findNodes returns the nodes find selects, without building goquery's
// Selection (a Document, a set to weed out repeats, a Selection for each
// node handed to Each): the element children of root and what lies under
// them, in document order. The children's subtrees are apart, so no node
// comes twice.
func findNodes(root *html.Node, group cascadia.SelectorGroup) []*html.Node {
	if len(group) == 0 {
		return nil
	}
	var out []*html.Node
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			out = append(out, matcher(group).MatchAll(c)...)
		}
	}
	return out
}

// profile returns the matches of the profile's rule for field (body,
// title, published, ...) under root; empty without a profile or a rule.
func (x *extraction) profile(root *html.Node, field string) *goquery.Selection {
	g := x.rule(field)
	if root != x.root || len(g) == 0 {
		return find(root, g)
	}
	return x.profileMatches().FilterMatcher(matcher(g))
}

// profileMatches returns what any of the profile's field rules matches in
// the page, found once: each field's matches are a filter of these, one
// walk of the page where there was one for each of the eight fields. The
// matches are found again after the page changes (clean forgets them).
func (x *extraction) profileMatches() *goquery.Selection {
	if x.profileSel == nil {
		var all cascadia.SelectorGroup
		for field := range x.rules.fields {
			all = append(all, x.rule(field)...)
		}
		x.profileSel = find(x.root, all)
	}
	return x.profileSel
}

// profileNode returns the first match of the profile's rule for field in
// the page, or nil.
func (x *extraction) profileNode(field string) *html.Node {
	if s := x.profile(x.root, field); s.Length() > 0 {
		return s.Get(0)
	}
	return nil
}
