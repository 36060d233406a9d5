package extract

import (
	"bytes"
	"io"

	"github.com/warta-id/warta/internal/ascii"
)

// dropScripts returns the page without the bodies of its <script> and
// <style> elements and of its <svg> images, which extraction never reads
// but the parser copies byte by byte: a third of a heavy page's parse for
// scripts and styles, a sixth of what remains for SVG. Scripts whose start
// tag mentions ld+json, or holds a character reference that might spell
// it, keep their body (readMeta reads JSON-LD; other JSON, a framework's
// page state, is often the largest thing on the page); an <svg>
// keeps its start and end tags, so the tree keeps its shape. The scan
// follows the tokenizer's rules for tags, quoted attributes, comments and
// raw-text elements; whenever the page leaves the ground where those rules
// are simple (a comment inside a script, a raw-text element inside MathML,
// a page cut inside a tag), it returns the page unchanged, and when an SVG
// body could reach out of its element (see svgBodyEnd) it keeps every SVG
// whole, so the tree differs only by the emptied bodies (and by the
// indentation of the white space between tags: see dropIndents). With
// requisites, styles and SVG keep their bodies: a page's requisites
// include their url()s and hrefs.
func dropScripts(s []byte, requisites bool) []byte {
	return bytes.Join(scriptless(s, requisites), nil)
}

// scriptless is dropScripts giving the pieces of the page it keeps, in
// order, without copying them: pages are large, and the parser copies
// what it reads anyway.
func scriptless(s []byte, requisites bool) [][]byte {
	return scriptlessDropping(s, requisites, nil)
}

// scriptlessDropping is scriptless, which also drops the attributes of
// HTML elements that drop names (see scanDropping); nil drops none.
func scriptlessDropping(s []byte, requisites bool, drop func(key []byte) bool) [][]byte {
	if !requisites {
		if parts, ok := scanRaw(s, false, true, drop); ok {
			return parts
		}
	}
	parts, _ := scanRaw(s, requisites, false, drop)
	return parts
}

// scanRaw is scriptless, which keeps style bodies with keepStyles and
// empties SVG images with dropSVG. It reports false when an SVG image
// cannot be emptied safely (only with dropSVG).
func scanRaw(s []byte, keepStyles, dropSVG bool, drop func(key []byte) bool) ([][]byte, bool) {
	whole := [][]byte{s}
	var out [][]byte // nil until the first body is dropped
	copied := 0      // s[:copied] is in out
	foreign := 0     // open <svg> and <math> elements, roughly: raw-text rules change inside
	indents := true  // no <pre> yet: white space between tags loses its indentation
	i := 0
	for {
		j := bytes.IndexByte(s[i:], '<')
		if indents && foreign == 0 && j > 1 {
			out, copied = dropIndents(s, i, i+j, out, copied)
		}
		if j < 0 || i+j+1 >= len(s) {
			break
		}
		i += j + 1
		c := s[i]
		switch {
		case c == '!':
			if bytes.HasPrefix(s[i:], []byte("!--")) {
				end := commentEnd(s, i+3)
				if end < 0 {
					return whole, true
				}
				i = end
				continue
			}
			if foreign > 0 && bytes.HasPrefix(s[i:], []byte("![CDATA[")) {
				return whole, true
			}
			end := bytes.IndexByte(s[i:], '>')
			if end < 0 {
				return whole, true
			}
			i += end + 1
		case c == '?':
			end := bytes.IndexByte(s[i:], '>')
			if end < 0 {
				return whole, true
			}
			i += end + 1
		case c == '/':
			if i+1 >= len(s) {
				return whole, true
			}
			if !isLetter(s[i+1]) {
				// "</>" is dropped, "</3" is a bogus comment: both end at '>'.
				end := bytes.IndexByte(s[i:], '>')
				if end < 0 {
					return whole, true
				}
				i += end + 1
				continue
			}
			name, end := scanTag(s, i+1)
			if end < 0 {
				return whole, true
			}
			if foreign > 0 && (ascii.EqualLower(name, "svg") || ascii.EqualLower(name, "math")) {
				foreign--
			}
			i = end
		case isLetter(c):
			var name []byte
			var end int
			if drop != nil && foreign == 0 {
				name, end, out, copied = scanDropping(s, i, out, copied, drop)
			} else {
				name, end = scanTag(s, i)
			}
			if end < 0 {
				return whole, true
			}
			selfClosing := (ascii.EqualLower(name, "svg") || ascii.EqualLower(name, "math")) && closesItself(s, i, end)
			if dropSVG && foreign == 0 && !selfClosing && ascii.EqualLower(name, "svg") {
				close := svgBodyEnd(s, end)
				if close < 0 {
					return nil, false
				}
				if close > end {
					out = append(out, s[copied:end])
					copied = close
				}
				i = close
				continue
			}
			if ascii.EqualLower(name, "frameset") {
				// A frameset drops the tags it reads (a <style>
				// among them) but keeps the white space of their
				// text; and text inside an SVG image decides whether
				// a <frameset> counts. Such a page holds no article.
				return whole, true
			}
			if dropSVG && ascii.EqualLower(name, "math") {
				// An <svg> inside MathML is a MathML element.
				return nil, false
			}
			if ascii.EqualLower(name, "svg") || ascii.EqualLower(name, "math") {
				if !selfClosing {
					foreign++
				}
				i = end
				continue
			}
			if ascii.EqualLower(name, "pre") || ascii.EqualLower(name, "listing") {
				// Where the parser leaves a <pre> is not simple: the
				// white space stays as it is from here on.
				indents = false
			}
			raw := rawTextTag(name)
			if raw == "" {
				i = end
				continue
			}
			if raw == "plaintext" {
				if foreign > 0 {
					return whole, true
				}
				i = len(s)
				continue
			}
			close := rawEnd(s[end:], raw)
			if close < 0 {
				// The element runs to the end of the page.
				if foreign > 0 || raw == "script" && bytes.Contains(s[end:], []byte("<!--")) {
					return whole, true
				}
				i = len(s)
				continue
			}
			body := s[end : end+close]
			if foreign > 0 {
				// Inside SVG or MathML the element may not be raw text:
				// safe only when both readings end at the same place.
				if bytes.IndexByte(body, '<') >= 0 {
					return whole, true
				}
				i = end + close
				continue
			}
			if raw == "script" && bytes.Contains(body, []byte("<!--")) {
				// An escaped script may end at a later </script>.
				return whole, true
			}
			if len(body) > 0 && (raw == "style" && !keepStyles || raw == "script" && !mayBeJSONLD(s[i:end])) {
				out = append(out, s[copied:end])
				copied = end + close
			}
			i = end + close
		default:
			// '<' followed by anything else is text.
		}
	}
	if out == nil {
		return whole, true
	}
	return append(out, s[copied:]), true
}

// minIndent is the shortest indentation dropIndents drops: each drop is
// a piece, and shorter runs saved fewer bytes than their pieces cost.
const minIndent = 16

// dropIndents drops the indentation (minIndent spaces or tabs or more
// after a newline) from s[from:to] when that text is all white space,
// adding to out the pieces kept up to copied. The white space between the tags of a
// pretty-printed page can be a quarter of it, which the parser copies into
// text nodes; such a node keeps its newlines, and every reader of text
// folds a run of white space into one space or measures trimmed text, so
// nothing reads the difference.
func dropIndents(s []byte, from, to int, out [][]byte, copied int) ([][]byte, int) {
	for k := from; k < to; k++ {
		if !isSpace(s[k]) {
			return out, copied
		}
	}
	for k := from; k < to; {
		n := bytes.IndexByte(s[k:to], '\n')
		if n < 0 {
			break
		}
		k += n + 1
		e := k
		for e < to && (s[e] == ' ' || s[e] == '\t') {
			e++
		}
		if e-k >= minIndent {
			out = append(out, s[copied:k])
			copied = e
		}
		k = e
	}
	return out, copied
}

// mayBeJSONLD says whether a script's start tag may give it the JSON-LD
// type that readMeta looks for: the tag mentions ld+json (in any
// attribute), or holds a character reference, which could spell it.
func mayBeJSONLD(tag []byte) bool {
	return containsFold(tag, "ld+json") || bytes.IndexByte(tag, '&') >= 0
}

// svgBodyEnd returns the index of the "</svg" that ends the SVG image whose
// body starts at s[i], just after its start tag, or -1 when emptying the
// body could change the page around it. In SVG the parser builds whatever
// elements it reads, and none of them leaves the image as long as:
//   - no start tag is one of the HTML elements that break out of SVG (a
//     <p> or a <div> closes the image and goes on as HTML);
//   - every end tag closes an element opened in the body, or the image
//     itself (any other one is read as HTML, and may close a <div> around
//     the image);
//   - <title>, <desc> and <foreignObject> hold only text (what they hold
//     is read as HTML);
//   - tag names are ASCII (the parser matches end tags with Unicode case
//     folding) and the body ends before the page does.
//
// Inside SVG nothing is raw text, comments are comments and
// <![CDATA[...]]> is text.
func svgBodyEnd(s []byte, i int) int {
	var open [][]byte // elements opened in the body and not yet closed
	for {
		j := bytes.IndexByte(s[i:], '<')
		if j < 0 || i+j+1 >= len(s) {
			return -1
		}
		lt := i + j
		i = lt + 1
		switch c := s[i]; {
		case c == '!':
			var end int
			switch {
			case bytes.HasPrefix(s[i:], []byte("!--")):
				end = commentEnd(s, i+3)
			case bytes.HasPrefix(s[i:], []byte("![CDATA[")):
				end = bytes.Index(s[i:], []byte("]]>"))
				if end >= 0 {
					end += i + 3
				}
			default:
				end = bytes.IndexByte(s[i:], '>')
				if end >= 0 {
					end += i + 1
				}
			}
			if end < 0 {
				return -1
			}
			i = end
		case c == '?' || c == '/' && i+1 < len(s) && !isLetter(s[i+1]):
			end := bytes.IndexByte(s[i:], '>')
			if end < 0 {
				return -1
			}
			i += end + 1
		case c == '/':
			name, end := scanTag(s, i+1)
			if end < 0 || !asciiName(name) {
				return -1
			}
			k := len(open) - 1
			for k >= 0 && !foldEqual(open[k], name) {
				k--
			}
			switch {
			case k >= 0:
				open = open[:k]
			case ascii.EqualLower(name, "svg"):
				return lt
			default:
				return -1
			}
			i = end
		case isLetter(c):
			name, end := scanTag(s, i)
			if end < 0 || !asciiName(name) || breaksOutOfSVG(name) {
				return -1
			}
			if n := len(open); n > 0 && (ascii.EqualLower(open[n-1], "title") || ascii.EqualLower(open[n-1], "desc") || ascii.EqualLower(open[n-1], "foreignobject")) {
				return -1
			}
			if !closesItself(s, i, end) {
				open = append(open, name)
			}
			i = end
		}
	}
}

// breaksOutOfSVG says whether a start tag of this name ends foreign
// content: the parser's list, and <font> whatever its attributes.
func breaksOutOfSVG(name []byte) bool {
	for _, t := range []string{"b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt",
		"em", "embed", "font", "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing", "menu",
		"meta", "nobr", "ol", "p", "pre", "ruby", "s", "small", "span", "strong", "strike", "sub", "sup", "table",
		"tt", "u", "ul", "var"} {
		if ascii.EqualLower(name, t) {
			return true
		}
	}
	return false
}

// asciiName says whether a tag name is printable ASCII, where the
// tokenizer's lowering and the parser's case folding agree.
func asciiName(name []byte) bool {
	for _, c := range name {
		if c == 0 || c >= 0x80 {
			return false
		}
	}
	return true
}

// foldEqual says whether two ASCII names are equal, ignoring case.
func foldEqual(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}

// commentEnd returns the index after the comment whose body starts at i
// (just after "<!--"), or -1 when the page ends inside it: "-->", "--!>",
// and "<!-->" or "<!--->" at its very start, as the tokenizer reads them.
func commentEnd(s []byte, i int) int {
	dashes := 0
	beginning := true
	for ; i < len(s); i++ {
		switch s[i] {
		case '-':
			dashes++
			continue
		case '>':
			if dashes >= 2 || beginning {
				return i + 1
			}
		case '!':
			if dashes >= 2 && i+1 < len(s) {
				if s[i+1] == '>' {
					return i + 2
				}
				if s[i+1] == '-' {
					i++
					dashes = 1
					beginning = false
					continue
				}
			}
		}
		dashes = 0
		beginning = false
	}
	return -1
}

// scanTag reads the tag whose name starts at s[i], attributes and quotes
// included, and returns its name and the index after its '>', or -1 when
// the page ends inside it.
func scanTag(s []byte, i int) ([]byte, int) {
	return scanTagAttrs(s, i, nil)
}

// scanDropping is scanTag, which also drops from the start tag at s[i:]
// the attributes whose names drop reports, adding to out the pieces kept
// up to copied. The parser copies every attribute's name and value three
// times (x/net/html's TagAttr, then Token), and a page's data-, aria-,
// role, target and event handler attributes, which extraction mostly
// never reads, can be a sixth of them. Nothing is cut where that could
// change whether the tag closes itself (see closesItself): from a tag
// that ends in "/>", or right after a '/'.
func scanDropping(s []byte, i int, out [][]byte, copied int, drop func(key []byte) bool) ([]byte, int, [][]byte, int) {
	var buf [8][2]int
	cuts := buf[:0]
	name, end := scanTagAttrs(s, i, func(k, keyEnd, valEnd int) {
		if s[k-1] != '/' && drop(s[k:keyEnd]) {
			cuts = append(cuts, [2]int{k, valEnd})
		}
	})
	if end < 0 || s[end-2] == '/' {
		return name, end, out, copied
	}
	for _, c := range cuts {
		out = append(out, s[copied:c[0]])
		copied = c[1]
	}
	return name, end, out, copied
}

// closesItself reports whether the tokenizer reads the start tag
// s[from:end] (scanTag's answer) as closing itself: it ends in "/>", and
// that '/' does not end the unquoted value of its last attribute
// (<svg a=1/> is an open <svg a="1/">), the tokenizer keeping only the
// first of the attributes with one name.
func closesItself(s []byte, from, end int) bool {
	if s[end-2] != '/' {
		return false
	}
	var seen [][]byte
	last := -1
	scanTagAttrs(s, from, func(k, keyEnd, valEnd int) {
		for _, o := range seen {
			if ascii.EqualFold(o, s[k:keyEnd]) {
				return
			}
		}
		seen = append(seen, s[k:keyEnd])
		last = valEnd
	})
	return last != end-1
}

// scanTagAttrs is scanTag, which calls attr (when not nil) with each
// attribute's start, the end of its name and the end of its value (the
// end of its name when it has none).
func scanTagAttrs(s []byte, i int, attr func(k, keyEnd, valEnd int)) ([]byte, int) {
	start := i
	for i < len(s) && !isSpace(s[i]) && s[i] != '/' && s[i] != '>' {
		i++
	}
	name := s[start:i]
	for {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i >= len(s) {
			return nil, -1
		}
		if s[i] == '>' {
			return name, i + 1
		}
		// Attribute name; a leading '=' belongs to it.
		k := i
		for i < len(s) {
			c := s[i]
			if isSpace(c) || c == '/' || c == '>' || c == '=' && i != k {
				break
			}
			i++
		}
		keyEnd := i
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i >= len(s) {
			return nil, -1
		}
		if s[i] != '=' {
			if attr != nil && keyEnd > k {
				attr(k, keyEnd, keyEnd)
			}
			if s[i] == '/' {
				i++
			}
			continue
		}
		i++
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i >= len(s) {
			return nil, -1
		}
		switch q := s[i]; q {
		case '>':
		case '"', '\'':
			end := bytes.IndexByte(s[i+1:], q)
			if end < 0 {
				return nil, -1
			}
			i += end + 2
		default:
			for i < len(s) && !isSpace(s[i]) && s[i] != '>' {
				i++
			}
		}
		if attr != nil {
			attr(k, keyEnd, i)
		}
	}
}

// rawTextTag returns the lower-case name when a start tag of that name
// puts the tokenizer in raw text (or RCDATA) mode, else "".
func rawTextTag(name []byte) string {
	for _, t := range []string{"script", "style", "title", "textarea", "iframe", "noscript", "noembed", "noframes", "xmp", "plaintext"} {
		if ascii.EqualLower(name, t) {
			return t
		}
	}
	return ""
}

// rawEnd returns the index in s of the "</tag" that ends a raw-text
// element (followed by a space, '/' or '>'), or -1.
func rawEnd(s []byte, tag string) int {
	for i := 0; ; {
		j := bytes.Index(s[i:], []byte("</"))
		if j < 0 {
			return -1
		}
		i += j
		k := i + 2 + len(tag)
		if k < len(s) && ascii.EqualLower(s[i+2:k], tag) {
			switch s[k] {
			case ' ', '\n', '\r', '\t', '\f', '/', '>':
				return i
			}
		}
		i += 2
	}
}

// containsFold says whether s holds sub (written in lower case), ignoring
// ASCII case only.
func containsFold[T string | []byte](s T, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if c := s[i] | 0x20; c == sub[0] && ascii.EqualLower(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// pieces reads byte slices one after the other, as io.MultiReader would
// without a reader for each, and without changing the slices, which a
// second parse may read again.
type pieces struct {
	parts [][]byte
	i     int // parts[i][off:] is read next
	off   int
}

// Read fills b from as many pieces as fit: the tokenizer moves what it
// holds at each read, so few reads of many small pieces cost less.
func (p *pieces) Read(b []byte) (int, error) {
	n := 0
	for n < len(b) && p.i < len(p.parts) {
		k := copy(b[n:], p.parts[p.i][p.off:])
		n += k
		if p.off += k; p.off == len(p.parts[p.i]) {
			p.i, p.off = p.i+1, 0
		}
	}
	if n == 0 && len(b) > 0 {
		return 0, io.EOF
	}
	return n, nil
}
