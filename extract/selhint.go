package extract

import (
	"strings"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// cascadia tests a class by splitting the element's class attribute at
// white space with strings.IndexAny, word by word, and a descendant
// selector (".cat-links a") tests every ancestor of every <a> that way:
// a sixth of a profile page's extraction went to it. A hinted selector
// first asks what its source says an element must have, with cheap tests
// that can only reject elements the selector cannot match; cascadia then
// matches the few that pass, so the matches are cascadia's.

// compoundHint is what one compound of a selector (h1.entry-title)
// asks of an element: its tag, class names its class attribute holds,
// its id. Other conditions (attributes, pseudo-classes) are left to
// cascadia. The zero value asks nothing.
type compoundHint struct {
	tag     string
	classes []string
	id      string
}

func (h *compoundHint) empty() bool {
	return h.tag == "" && len(h.classes) == 0 && h.id == ""
}

// may reports false when n cannot match the compound: it is not an
// element, has another tag or id, or has no class attribute that even
// contains one of the class names (cascadia reads any attribute named
// class or id, whatever its namespace). An empty hint allows every node.
func (h *compoundHint) may(n *html.Node) bool {
	if h.empty() {
		return true
	}
	if n.Type != html.ElementNode || h.tag != "" && n.Data != h.tag {
		return false
	}
	if len(h.classes) > 0 {
		class, ok := "", false
		for _, a := range n.Attr {
			if a.Key == "class" {
				if ok {
					return true // two class attributes: leave them to cascadia
				}
				class, ok = a.Val, true
			}
		}
		if !ok {
			return false
		}
		for _, c := range h.classes {
			if !strings.Contains(class, c) {
				return false
			}
		}
	}
	if h.id == "" {
		return true
	}
	for _, a := range n.Attr {
		if a.Key == "id" && a.Val == h.id {
			return true
		}
	}
	return false
}

// hintedSel is a cascadia selector with what its subject compound asks
// of an element, and what the compound before it asks of the element's
// parent (child) or of one of its ancestors.
type hintedSel struct {
	cascadia.Sel
	subject compoundHint
	up      compoundHint
	child   bool
}

func (s *hintedSel) Match(n *html.Node) bool {
	if !s.subject.may(n) {
		return false
	}
	if !s.up.empty() {
		if s.child {
			if n.Parent == nil || !s.up.may(n.Parent) {
				return false
			}
		} else {
			p := n.Parent
			for p != nil && !s.up.may(p) {
				p = p.Parent
			}
			if p == nil {
				return false
			}
		}
	}
	return s.Sel.Match(n)
}

// withHint returns sel, compiled from src, with the hints src gives; sel
// itself when src gives none or is beyond readSelectorHint.
func withHint(sel cascadia.Sel, src string) cascadia.Sel {
	subject, up, child, ok := readSelectorHint(src)
	if !ok || up.empty() && len(subject.classes) == 0 && subject.id == "" {
		// Nothing to spare cascadia: a tag alone it tests as cheaply.
		return sel
	}
	return &hintedSel{Sel: sel, subject: subject, up: up, child: child}
}

// readSelectorHint reads one selector (no comma) made of compounds of a
// tag or *, .class, #id and [attribute] tests, joined by descendant and
// child combinators, and returns the hints of its last compound and of
// the one before it. It reports false for anything else (pseudo-classes,
// sibling combinators, escapes, quotes, namespaces, non-ASCII names):
// such a selector is matched by cascadia alone.
func readSelectorHint(src string) (subject, up compoundHint, child, ok bool) {
	var compounds []compoundHint
	var combinators []byte
	i := 0
	skipSpace := func() bool {
		start := i
		for i < len(src) && strings.IndexByte(" \t\r\n\f", src[i]) >= 0 {
			i++
		}
		return i > start
	}
	skipSpace()
	for i < len(src) {
		var h compoundHint
		var ok bool
		if h, i, ok = readCompound(src, i); !ok {
			return compoundHint{}, compoundHint{}, false, false
		}
		compounds = append(compounds, h)
		spaced := skipSpace()
		if i == len(src) {
			break
		}
		switch {
		case src[i] == '>':
			i++
			skipSpace()
			combinators = append(combinators, '>')
		case spaced:
			combinators = append(combinators, ' ')
		default:
			return compoundHint{}, compoundHint{}, false, false
		}
		if i == len(src) {
			return compoundHint{}, compoundHint{}, false, false // a dangling combinator
		}
	}
	if len(compounds) == 0 {
		return compoundHint{}, compoundHint{}, false, false
	}
	subject = compounds[len(compounds)-1]
	if k := len(compounds) - 2; k >= 0 {
		up, child = compounds[k], combinators[k] == '>'
	}
	return subject, up, child, true
}

// readCompound reads the compound of src that starts at i, up to white
// space, a '>' or the end.
func readCompound(src string, i int) (h compoundHint, end int, ok bool) {
	start := i
	if i < len(src) && src[i] == '*' {
		i++
	} else if name, j := readName(src, i); j > i {
		h.tag, i = strings.ToLower(name), j
	}
	for i < len(src) {
		switch c := src[i]; c {
		case '.', '#':
			name, j := readName(src, i+1)
			if j == i+1 {
				return h, i, false
			}
			if c == '.' {
				h.classes = append(h.classes, name)
			} else if h.id == "" {
				h.id = name
			} else if h.id != name {
				return h, i, false // two ids: cascadia matches nothing, and we leave it to say so
			}
			i = j
		case '[':
			j := strings.IndexByte(src[i:], ']')
			if j < 0 || strings.ContainsAny(src[i+1:i+j], `\"'[`) {
				return h, i, false
			}
			i += j + 1
		case ' ', '\t', '\r', '\n', '\f', '>':
			return h, i, i > start
		default:
			return h, i, false
		}
	}
	return h, i, i > start
}

// readName reads the ASCII name ([A-Za-z0-9_-]) at src[i:].
func readName(src string, i int) (string, int) {
	j := i
	for j < len(src) {
		c := src[j]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			break
		}
		j++
	}
	return src[i:j], j
}
