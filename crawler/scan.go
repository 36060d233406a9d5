package crawler

import (
	"bytes"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/warta-id/warta/internal/ascii"
)

// scanner splits an HTML page into tokens exactly where
// golang.org/x/net/html's Tokenizer does (text, tags, comments, the raw
// text of script, style, title and the like, and where broken input
// ends), for appendLinks. It reads the page in place and keeps the
// attributes only of the tags asked for: the Tokenizer copies the page
// into a growing buffer, reads it a byte at a time through a method that
// refills it, and copies, lower-cases and hashes every attribute name of
// every tag to drop repeated ones, which made the link scan cost a third
// as much as parsing the page into a tree. Where an attribute value needs
// decoding (an entity, a NUL, a carriage return), the Tokenizer itself
// reads that one tag (see attrs).
//
// Its functions follow the Tokenizer's, state for state; FuzzScanner holds
// the two to the same tokens.
type scanner struct {
	b          []byte
	start, end int  // the current token; end is also the read position
	eof        bool // input ended inside a token: every later token is an ErrorToken
	// rawTag is the lower-cased name of the element whose content is
	// read as text next ("script", "title"...), or "".
	rawTag string

	data0, data1 int // the current token's text, or its tag name
	textIsRaw    bool
	convertNUL   bool

	save     bool       // keep the attributes of the tag being read
	attr     []attrSpan // the kept attributes: non-empty names, first of each name
	pending  attrSpan
	names    map[string]bool // the names in attr, once there are many
	selfShut bool            // the tag being read ends in "/>" (only when save)
}

// attrSpan locates an attribute's name and value in the page.
type attrSpan struct{ k0, k1, v0, v1 int }

// manyAttrs is the number of attributes past which repeated names are
// found through a map rather than by comparing with every earlier one,
// so that a hostile tag with a million attributes costs linear time.
const manyAttrs = 16

func (z *scanner) readByte() byte {
	if z.end >= len(z.b) {
		z.eof = true
		return 0
	}
	c := z.b[z.end]
	z.end++
	return c
}

func (z *scanner) skipWhiteSpace() {
	if z.eof {
		return
	}
	for {
		c := z.readByte()
		if z.eof {
			return
		}
		switch c {
		case ' ', '\n', '\r', '\t', '\f':
		default:
			z.end--
			return
		}
	}
}

// next reads the next token, as Tokenizer.Next.
func (z *scanner) next() html.TokenType {
	z.start = z.end
	z.data0, z.data1 = z.end, z.end
	if z.eof {
		return html.ErrorToken
	}
	if z.rawTag != "" {
		if z.rawTag == "plaintext" {
			z.end = len(z.b)
			z.eof = true
			z.data1 = z.end
			z.textIsRaw = true
			z.rawTag = ""
		} else {
			z.readRawOrRCDATA()
		}
		if z.data1 > z.data0 {
			z.convertNUL = true
			return html.TextToken
		}
	}
	z.textIsRaw, z.convertNUL = false, false
	for {
		i := bytes.IndexByte(z.b[z.end:], '<')
		if i < 0 {
			z.end = len(z.b)
			z.eof = true
			break
		}
		z.end += i + 1
		c := z.readByte()
		if z.eof {
			break
		}
		var tt html.TokenType
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			tt = html.StartTagToken
		case c == '/':
			tt = html.EndTagToken
		case c == '!' || c == '?':
			tt = html.CommentToken
		default:
			z.end--
			continue
		}
		// Text before the tag is a token of its own.
		if x := z.end - len("<a"); z.start < x {
			z.end = x
			z.data1 = x
			return html.TextToken
		}
		switch tt {
		case html.StartTagToken:
			return z.readStartTag()
		case html.EndTagToken:
			c = z.readByte()
			if z.eof {
				return z.textToEOF()
			}
			if c == '>' {
				return html.CommentToken // "</>"
			}
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
				z.readTag(false)
				if z.eof {
					return html.ErrorToken
				}
				return html.EndTagToken
			}
			z.end--
			z.readUntilCloseAngle()
			return html.CommentToken
		default:
			if c == '!' {
				return z.readMarkupDeclaration()
			}
			z.end--
			z.readUntilCloseAngle()
			return html.CommentToken
		}
	}
	return z.textToEOF()
}

// textToEOF ends the page: what is left since the token's start is text.
func (z *scanner) textToEOF() html.TokenType {
	if z.start < z.end {
		z.data1 = z.end
		return html.TextToken
	}
	return html.ErrorToken
}

// readRawOrRCDATA reads the content of z.rawTag up to its end tag.
func (z *scanner) readRawOrRCDATA() {
	if z.rawTag == "script" {
		z.readScript()
		z.data1 = z.end
		z.textIsRaw = true
		z.rawTag = ""
		return
	}
	for {
		i := bytes.IndexByte(z.b[z.end:], '<')
		if i < 0 {
			z.end = len(z.b)
			z.eof = true
			break
		}
		z.end += i + 1
		c := z.readByte()
		if z.eof {
			break
		}
		if c != '/' {
			z.end--
			continue
		}
		if z.readRawEndTag() || z.eof {
			break
		}
	}
	z.data1 = z.end
	// A title's or textarea's text may hold entities.
	z.textIsRaw = z.rawTag != "textarea" && z.rawTag != "title"
	z.rawTag = ""
}

// readRawEndTag reads "</rawTag" and a byte that ends a tag name, after
// the "</"; when they are there it moves back to the "<" and reports true.
func (z *scanner) readRawEndTag() bool {
	for i := 0; i < len(z.rawTag); i++ {
		c := z.readByte()
		if z.eof {
			return false
		}
		if c != z.rawTag[i] && c != z.rawTag[i]-('a'-'A') {
			z.end--
			return false
		}
	}
	c := z.readByte()
	if z.eof {
		return false
	}
	switch c {
	case ' ', '\n', '\r', '\t', '\f', '/', '>':
		z.end -= 3 + len(z.rawTag)
		return true
	}
	z.end--
	return false
}

// readScript reads a script's content up to its end tag, with the
// escapes ("<!--", "<script") that hide an end tag.
func (z *scanner) readScript() {
	var c byte

scriptData:
	if i := bytes.IndexByte(z.b[z.end:], '<'); i < 0 {
		z.end = len(z.b)
		z.eof = true
		return
	} else {
		z.end += i + 1
	}
	// scriptDataLessThanSign:
	c = z.readByte()
	if z.eof {
		return
	}
	switch c {
	case '/':
		goto scriptDataEndTagOpen
	case '!':
		goto scriptDataEscapeStart
	}
	z.end--
	goto scriptData

scriptDataEndTagOpen:
	if z.readRawEndTag() || z.eof {
		return
	}
	goto scriptData

scriptDataEscapeStart:
	c = z.readByte()
	if z.eof {
		return
	}
	if c == '-' {
		goto scriptDataEscapeStartDash
	}
	z.end--
	goto scriptData

scriptDataEscapeStartDash:
	c = z.readByte()
	if z.eof {
		return
	}
	if c == '-' {
		goto scriptDataEscapedDashDash
	}
	z.end--
	goto scriptData

scriptDataEscaped:
	c = z.readByte()
	if z.eof {
		return
	}
	switch c {
	case '-':
		goto scriptDataEscapedDash
	case '<':
		goto scriptDataEscapedLessThanSign
	}
	goto scriptDataEscaped

scriptDataEscapedDash:
	c = z.readByte()
	if z.eof {
		return
	}
	switch c {
	case '-':
		goto scriptDataEscapedDashDash
	case '<':
		goto scriptDataEscapedLessThanSign
	}
	goto scriptDataEscaped

scriptDataEscapedDashDash:
	c = z.readByte()
	if z.eof {
		return
	}
	switch c {
	case '-':
		goto scriptDataEscapedDashDash
	case '<':
		goto scriptDataEscapedLessThanSign
	case '>':
		goto scriptData
	}
	goto scriptDataEscaped

scriptDataEscapedLessThanSign:
	c = z.readByte()
	if z.eof {
		return
	}
	if c == '/' {
		goto scriptDataEscapedEndTagOpen
	}
	if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
		goto scriptDataDoubleEscapeStart
	}
	z.end--
	goto scriptData

scriptDataEscapedEndTagOpen:
	if z.readRawEndTag() || z.eof {
		return
	}
	goto scriptDataEscaped

scriptDataDoubleEscapeStart:
	z.end--
	for i := 0; i < len("script"); i++ {
		c = z.readByte()
		if z.eof {
			return
		}
		if c != "script"[i] && c != "SCRIPT"[i] {
			z.end--
			goto scriptDataEscaped
		}
	}
	c = z.readByte()
	if z.eof {
		return
	}
	switch c {
	case ' ', '\n', '\r', '\t', '\f', '/', '>':
		goto scriptDataDoubleEscaped
	}
	z.end--
	goto scriptDataEscaped

scriptDataDoubleEscaped:
	c = z.readByte()
	if z.eof {
		return
	}
	switch c {
	case '-':
		goto scriptDataDoubleEscapedDash
	case '<':
		goto scriptDataDoubleEscapedLessThanSign
	}
	goto scriptDataDoubleEscaped

scriptDataDoubleEscapedDash:
	c = z.readByte()
	if z.eof {
		return
	}
	switch c {
	case '-':
		goto scriptDataDoubleEscapedDashDash
	case '<':
		goto scriptDataDoubleEscapedLessThanSign
	}
	goto scriptDataDoubleEscaped

scriptDataDoubleEscapedDashDash:
	c = z.readByte()
	if z.eof {
		return
	}
	switch c {
	case '-':
		goto scriptDataDoubleEscapedDashDash
	case '<':
		goto scriptDataDoubleEscapedLessThanSign
	case '>':
		goto scriptData
	}
	goto scriptDataDoubleEscaped

scriptDataDoubleEscapedLessThanSign:
	c = z.readByte()
	if z.eof {
		return
	}
	if c == '/' {
		goto scriptDataDoubleEscapeEnd
	}
	z.end--
	goto scriptDataDoubleEscaped

scriptDataDoubleEscapeEnd:
	if z.readRawEndTag() {
		z.end += len("</script>")
		goto scriptDataEscaped
	}
	if z.eof {
		return
	}
	goto scriptDataDoubleEscaped
}

// readComment reads a comment after its "<!--".
func (z *scanner) readComment() {
	dashes := 0
	beginning := true
	for {
		c := z.readByte()
		if z.eof {
			return
		}
		switch c {
		case '-':
			dashes++
			continue
		case '>':
			if dashes >= 2 || beginning {
				return
			}
		case '!':
			if dashes >= 2 {
				c = z.readByte()
				if z.eof || c == '>' {
					return
				} else if c == '-' {
					dashes = 1
					beginning = false
					continue
				}
			}
		}
		dashes = 0
		beginning = false
	}
}

// readUntilCloseAngle reads up to and including the next ">".
func (z *scanner) readUntilCloseAngle() {
	i := bytes.IndexByte(z.b[z.end:], '>')
	if i < 0 {
		z.end = len(z.b)
		z.eof = true
		return
	}
	z.end += i + 1
}

// readMarkupDeclaration reads a token that starts with "<!": a comment, a
// doctype or a bogus comment (the Tokenizer reads no CDATA unless asked).
func (z *scanner) readMarkupDeclaration() html.TokenType {
	z.data0 = z.end
	var c [2]byte
	for i := range c {
		c[i] = z.readByte()
		if z.eof {
			return html.CommentToken
		}
	}
	if c[0] == '-' && c[1] == '-' {
		z.readComment()
		return html.CommentToken
	}
	z.end -= 2
	if z.readDoctype() {
		return html.DoctypeToken
	}
	z.readUntilCloseAngle()
	return html.CommentToken
}

// readDoctype reads "DOCTYPE" and the rest of the declaration after "<!";
// false, having read nothing, when the word is not there.
func (z *scanner) readDoctype() bool {
	const s = "DOCTYPE"
	for i := 0; i < len(s); i++ {
		c := z.readByte()
		if z.eof {
			z.end = z.data0
			z.eof = false
			return false
		}
		if c != s[i] && c != s[i]+('a'-'A') {
			z.end = z.data0
			return false
		}
	}
	if z.skipWhiteSpace(); z.eof {
		return true
	}
	z.readUntilCloseAngle()
	return true
}

// rawTags are the elements whose content the Tokenizer reads as text.
var rawTags = []string{"iframe", "noembed", "noframes", "noscript", "plaintext", "script", "style", "textarea", "title", "xmp"}

// readStartTag reads a start tag after its "<" and first letter. It tells
// a self-closing tag (SelfClosingTagToken) only for the tags whose
// attributes it keeps (see linkTag); the others are StartTagTokens.
func (z *scanner) readStartTag() html.TokenType {
	z.readTag(true)
	if z.eof {
		return html.ErrorToken
	}
	name := z.b[z.data0:z.data1]
	for _, t := range rawTags {
		if ascii.EqualLower(name, t) {
			z.rawTag = t
			break
		}
	}
	if z.selfShut {
		return html.SelfClosingTagToken
	}
	return html.StartTagToken
}

// readTag reads a tag's name and attributes after its "<" or "</" and
// first letter. The attributes are kept when start is set and the tag is
// one linkTag names.
func (z *scanner) readTag(start bool) {
	z.attr = z.attr[:0]
	z.selfShut = false
	z.readTagName()
	z.save = start && linkTag(z.b[z.data0:z.data1]) != 0
	if z.save && len(z.names) > 0 {
		clear(z.names)
	}
	if z.skipWhiteSpace(); z.eof {
		return
	}
	for {
		c := z.readByte()
		if z.eof || c == '>' {
			break
		}
		z.end--
		z.readTagAttrKey()
		z.readTagAttrVal()
		if z.save && z.pending.k0 != z.pending.k1 && !z.seen(z.b[z.pending.k0:z.pending.k1]) {
			z.attr = append(z.attr, z.pending)
		}
		if z.skipWhiteSpace(); z.eof {
			break
		}
	}
	if z.save && !z.eof {
		// "/>" makes a tag self-closing unless the "/" ends the last
		// attribute's unquoted value (<a href=/>).
		n := len(z.attr)
		z.selfShut = z.b[z.end-2] == '/' && (n == 0 || z.end-2 != z.attr[n-1].v1-1)
	}
}

// seen reports whether an attribute named key (compared in ASCII lower
// case) is kept already, and remembers it when many are.
func (z *scanner) seen(key []byte) bool {
	if len(z.attr) < manyAttrs {
		for _, a := range z.attr {
			if ascii.EqualFold(z.b[a.k0:a.k1], key) {
				return true
			}
		}
		return false
	}
	if len(z.names) == 0 {
		if z.names == nil {
			z.names = map[string]bool{}
		}
		for _, a := range z.attr {
			z.names[string(asciiLower(z.b[a.k0:a.k1]))] = true
		}
	}
	k := string(asciiLower(key))
	if z.names[k] {
		return true
	}
	z.names[k] = true
	return false
}

func (z *scanner) readTagName() {
	z.data0 = z.end - 1
	for {
		c := z.readByte()
		if z.eof {
			z.data1 = z.end
			return
		}
		switch c {
		case ' ', '\n', '\r', '\t', '\f':
			z.data1 = z.end - 1
			return
		case '/', '>':
			z.end--
			z.data1 = z.end
			return
		}
	}
}

func (z *scanner) readTagAttrKey() {
	z.pending.k0 = z.end
	for {
		c := z.readByte()
		if z.eof {
			z.pending.k1 = z.end
			return
		}
		switch c {
		case '=':
			if z.pending.k0+1 == z.end {
				continue // an "=" that starts a name is part of it
			}
			fallthrough
		case ' ', '\n', '\r', '\t', '\f', '/', '>':
			z.end--
			z.pending.k1 = z.end
			return
		}
	}
}

func (z *scanner) readTagAttrVal() {
	z.pending.v0, z.pending.v1 = z.end, z.end
	if z.skipWhiteSpace(); z.eof {
		return
	}
	c := z.readByte()
	if z.eof || c == '/' {
		return
	}
	if c != '=' {
		z.end--
		return
	}
	if z.skipWhiteSpace(); z.eof {
		return
	}
	quote := z.readByte()
	if z.eof {
		return
	}
	switch quote {
	case '>':
		z.end--
	case '\'', '"':
		z.pending.v0 = z.end
		i := bytes.IndexByte(z.b[z.end:], quote)
		if i < 0 {
			z.end = len(z.b)
			z.eof = true
			z.pending.v1 = z.end
			return
		}
		z.pending.v1 = z.end + i
		z.end += i + 1
	default:
		z.pending.v0 = z.end - 1
		for {
			c := z.readByte()
			if z.eof {
				z.pending.v1 = z.end
				return
			}
			switch c {
			case ' ', '\n', '\r', '\t', '\f':
				z.pending.v1 = z.end - 1
				return
			case '>':
				z.end--
				z.pending.v1 = z.end
				return
			}
		}
	}
}

// raw returns the current token as it stands in the page.
func (z *scanner) raw() []byte { return z.b[z.start:z.end] }

// tagName returns the current tag's name as it stands in the page.
func (z *scanner) tagName() []byte { return z.b[z.data0:z.data1] }

// appendText appends the current text token to dst as Tokenizer.Text
// gives it: newlines made "\n", NULs in raw text made U+FFFD, and
// entities decoded unless the text is raw.
func (z *scanner) appendText(dst []byte) []byte {
	s := z.b[z.data0:z.data1]
	if bytes.IndexByte(s, '\r') >= 0 {
		s = bytes.ReplaceAll(s, []byte("\r\n"), []byte("\n"))
		s = bytes.ReplaceAll(s, []byte("\r"), []byte("\n"))
	}
	if z.convertNUL && bytes.IndexByte(s, 0) >= 0 {
		s = bytes.ReplaceAll(s, []byte{0}, []byte("\ufffd"))
	}
	if !z.textIsRaw && bytes.IndexByte(s, '&') >= 0 {
		return append(dst, html.UnescapeString(string(s))...)
	}
	return append(dst, s...)
}

// attrs calls f with the lower-cased name and the value of each kept
// attribute of the current tag, as Tokenizer.TagAttr gives them. A tag
// with a NUL or a carriage return in it is read by the Tokenizer itself.
func (z *scanner) attrs(f func(key, val []byte)) {
	if len(z.attr) == 0 {
		return
	}
	if raw := z.raw(); bytes.IndexByte(raw, 0) >= 0 || bytes.IndexByte(raw, '\r') >= 0 {
		t := html.NewTokenizer(bytes.NewReader(raw))
		t.Next()
		_, more := t.TagName()
		for more {
			var k, v []byte
			k, v, more = t.TagAttr()
			f(k, v)
		}
		return
	}
	var key [16]byte
	for _, a := range z.attr {
		k := z.b[a.k0:a.k1]
		if len(k) <= len(key) {
			k = asciiLowerInto(key[:0], k)
		} else {
			k = asciiLower(k)
		}
		v := z.b[a.v0:a.v1]
		if bytes.IndexByte(v, '&') >= 0 {
			v = unescapeAttr(v)
		}
		f(k, v)
	}
}

// unescapeAttr decodes the character references in an attribute value
// as HTML does in attributes, which html.UnescapeString (the rules for
// text) does not: a named reference without its ";" is left alone when
// an "=" follows it (href="?a=1&copy=2"), and only whole names count
// (no "&notit" for "¬it"). Each reference is decoded alone by
// UnescapeString and its answer kept only where the two rules agree.
func unescapeAttr(v []byte) []byte {
	out := make([]byte, 0, len(v))
	for i := 0; i < len(v); {
		amp := bytes.IndexByte(v[i:], '&')
		if amp < 0 {
			return append(out, v[i:]...)
		}
		out = append(out, v[i:i+amp]...)
		i += amp
		ref, n := attrRef(v[i:])
		if n == 0 {
			out = append(out, '&')
			i++
			continue
		}
		out = append(out, ref...)
		i += n
	}
	return out
}

// attrRef decodes the character reference at the start of s (which
// starts with "&") by the rules for attributes: it returns the text and
// the bytes it stands for, or 0 when the "&" is a plain "&".
func attrRef(s []byte) (string, int) {
	if len(s) > 1 && s[1] == '#' {
		// Numeric references read the same in text and attributes:
		// UnescapeString decodes the reference alone.
		j, hex := 2, false
		if j < len(s) && (s[j] == 'x' || s[j] == 'X') {
			j, hex = j+1, true
		}
		start := j
		for j < len(s) && ('0' <= s[j] && s[j] <= '9' || hex && isHex(s[j])) {
			j++
		}
		if j == start {
			return "", 0
		}
		if j < len(s) && s[j] == ';' {
			j++
		}
		return html.UnescapeString(string(s[:j])), j
	}
	j := 1
	for j < len(s) && isAlnum(s[j]) {
		j++
	}
	if j == 1 {
		return "", 0
	}
	if j < len(s) && s[j] == ';' {
		name := string(s[:j+1])
		text := html.UnescapeString(name)
		// A name that is not whole comes back with its tail and ";".
		if text == name || (len(text) > 1 && text[len(text)-1] == ';') {
			return "", 0
		}
		return text, j + 1
	}
	if j < len(s) && s[j] == '=' {
		return "", 0
	}
	name := string(s[:j])
	text := html.UnescapeString(name)
	if text == name || isAlnum(text[len(text)-1]) {
		return "", 0 // not a name, or only its start is one
	}
	return text, j
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// linkTag returns the atom of a tag name that appendLinks reads (a, link,
// base or img, in any case), and 0 for any other.
func linkTag(name []byte) atom.Atom {
	switch len(name) {
	case 1:
		if name[0]|0x20 == 'a' {
			return atom.A
		}
	case 3:
		if ascii.EqualLower(name, "img") {
			return atom.Img
		}
	case 4:
		if ascii.EqualLower(name, "link") {
			return atom.Link
		}
		if ascii.EqualLower(name, "base") {
			return atom.Base
		}
	}
	return 0
}

func asciiLower(b []byte) []byte { return asciiLowerInto(make([]byte, 0, len(b)), b) }

func asciiLowerInto(dst, b []byte) []byte {
	for _, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
