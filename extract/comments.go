package extract

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/warta-id/warta/internal/ascii"
)

// commentsHeadingRE is the whole text of a heading that opens the
// readers' comments: "Comments", "12 Comments", "Comments (3)", "5
// Responses to “…”", "12 thoughts on “…”", "Leave a Reply", "Post a
// comment", and their Indonesian forms. A bare "Comment" or "Response"
// (a table's column, a word set apart), "Recent comments" (a sidebar
// widget) and "Discussion" (a section of a paper) are not.
var commentsHeadingRE = regexp.MustCompile(`(?i)^((reader |user |your )?comments|komentar( pembaca)?)(\s*\(\d+\)|:\s*\d+)?[\s:]*$|^(\d+|one|no)\s+(comments?|responses?|repl(y|ies)|thoughts?|komentar|tanggapan)(\s+(to|on|untuk|pada|atas)\s+.*)?[\s:]*$|^(leave|post|add|write|submit)\s+(a|your)\s+(comment|reply|response)(\s+(to|on)\s+.*)?[\s»:.!…]*(cancel reply)?$|^(tinggalkan|tulis|berikan)\s+(balasan|komentar|tanggapan)[\s»:.!…]*$|^(join|start)\s+the\s+(discussion|conversation)$`)

// cutAtComments removes from body a heading that opens the readers'
// comments and everything after it. Blogs print their comments under
// such a heading in the article's own container, often unnamed (<div
// id="c169900">), and often more of them than the article. A heading
// with little prose before it is not cut at: it is a comment count at
// the top, and the article follows it.
func (x *extraction) cutAtComments(body *html.Node) {
	var heading *html.Node
	walk(body, func(n *html.Node) bool {
		if heading != nil {
			return false
		}
		if n.Type != html.ElementNode || n == body {
			return true
		}
		if skipText(n) {
			return false
		}
		if !isCommentsHeading(n, body) {
			return true
		}
		if textBefore(n, cellOf(n, body), 250) {
			heading = n
		}
		return false
	})
	if heading == nil {
		return
	}
	for n := heading; n != nil && n != body; n = n.Parent {
		for s := n.NextSibling; s != nil; {
			next := s.NextSibling
			if s.Type == html.ElementNode {
				x.remove(s, "comments", commentsHeadingRE.String(), "after the heading of the readers' comments")
			} else {
				n.Parent.RemoveChild(s)
			}
			s = next
		}
	}
	x.remove(heading, "comments", commentsHeadingRE.String(), "the heading of the readers' comments")
}

// isCommentsHeading reports whether n is a heading or a block, not a
// link and not in a table, whose whole text opens the readers' comments.
func isCommentsHeading(n, body *html.Node) bool {
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.P, atom.Div, atom.Dt:
	default:
		return false
	}
	if !mayBeCommentsHeading(n) || inLink(n, body) {
		// A link that says "Join the conversation" by the byline jumps to
		// the comments: the article follows it.
		return false
	}
	t, short := textUpTo(n, 120)
	return short && commentsHeadingRE.MatchString(normSpace(t)) && linkDensity(n) < 0.5
}

// inLink reports whether n sits in a link under body.
func inLink(n, body *html.Node) bool {
	for p := n.Parent; p != nil && p != body; p = p.Parent {
		if p.DataAtom == atom.A {
			return true
		}
	}
	return false
}

// commentsWords are the words one of which every text commentsHeadingRE
// matches holds, in lower case.
var commentsWords = []string{"comment", "respon", "repl", "thought", "komentar", "balasan", "tanggapan", "discussion", "conversation"}

// mayBeCommentsHeading reports whether n's text is at most 120 bytes and
// holds one of commentsWords, without gathering the text: cutAtComments
// asks it of every block of the article, and gathering each one's text
// cost a sixteenth of the allocations of extracting a long page.
func mayBeCommentsHeading(n *html.Node) bool {
	total, found := 0, false
	walk(n, func(c *html.Node) bool {
		if total > 120 || c.Type == html.ElementNode && skipText(c) {
			return false
		}
		if c.Type == html.TextNode {
			total += len(c.Data)
			found = found || total <= 120 && hasWordFold(c.Data, commentsWords)
		}
		return true
	})
	return found && total <= 120
}

// hasWordFold reports whether s holds one of words (lower case), ignoring
// ASCII case.
func hasWordFold(s string, words []string) bool {
	for i := 0; i < len(s); i++ {
		for _, w := range words {
			if s[i]|0x20 == w[0] && len(s)-i >= len(w) && ascii.EqualLower(s[i:i+len(w)], w) {
				return true
			}
		}
	}
	return false
}

// cellOf returns the table cell under body that n sits in, or body. The
// prose before a heading is counted in its cell: a heading in a data
// table names a column, with no prose before it in its cell, while a page
// laid out in a table has the article before its comments in one cell.
func cellOf(n, body *html.Node) *html.Node {
	for p := n.Parent; p != nil && p != body; p = p.Parent {
		if p.DataAtom == atom.Td || p.DataAtom == atom.Th {
			return p
		}
	}
	return body
}

// textBefore reports whether the text under cell before n, in document
// order and outside links, is at least min bytes: the article, not only
// a headline, a byline and a menu, comes before a heading of comments.
// Text is counted rather than prose: a tag left open (<i>, <font>) may
// carry the comments inside the article's last paragraph.
func textBefore(n, cell *html.Node, min int) bool {
	sum := 0
	done := false
	var visit func(c *html.Node, inLink bool)
	visit = func(c *html.Node, inLink bool) {
		for k := c.FirstChild; k != nil && !done; k = k.NextSibling {
			switch {
			case k == n:
				done = true
			case k.Type == html.TextNode:
				if !inLink {
					sum += len(strings.TrimSpace(k.Data))
					done = sum >= min
				}
			case k.Type == html.ElementNode && !skipText(k):
				visit(k, inLink || k.DataAtom == atom.A)
			}
		}
	}
	visit(cell, false)
	return sum >= min
}
