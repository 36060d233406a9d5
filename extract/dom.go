package extract

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// parse decodes page to UTF-8 and parses it into a tree, without the
// bodies of scripts and styles (dropScripts).
func parse(page []byte, contentType string) (*html.Node, error) {
	return parseKeeping(page, contentType, false)
}

// parseKeeping is parse, which keeps the bodies of <style> elements when
// styles is set: their url()s and @imports are requisites.
func parseKeeping(page []byte, contentType string, styles bool) (*html.Node, error) {
	return parseDropping(page, contentType, styles, nil)
}

// parseDropping is parseKeeping, which also drops the attributes drop
// names (nil: none) from HTML elements before parsing (see scanDropping).
func parseDropping(page []byte, contentType string, styles bool, drop func(key []byte) bool) (*html.Node, error) {
	text, _ := DecodeHTML(page, contentType)
	parts := scriptlessDropping(closeTitle(text), styles, drop)
	root, err := html.Parse(&pieces{parts: parts})
	// html.Parse refuses trees nested deeper than 512 elements: flatten
	// the deep part and try again, more firmly each time.
	for _, depth := range []int{256, 32} {
		if err == nil {
			break
		}
		root, err = html.Parse(strings.NewReader(flatten(string(bytes.Join(parts, nil)), depth)))
	}
	return root, err
}

// atStart compiles re again inside "^(?:...)". A pattern whose
// alternatives each begin with ^ ("^a$|^b$") matches only at the start of
// the text, but the regexp engine does not see that and tries it at every
// position: 36 µs on a paragraph of 600 bytes, against 1 µs for one whose
// ^ comes first. The answers are the same.
func atStart(re *regexp.Regexp) *regexp.Regexp {
	return regexp.MustCompile(`^(?:` + re.String() + `)`)
}

// compiledRules is a Rules with its selectors compiled.
type compiledRules struct {
	fields map[string]*selector
	remove []*selector
	rsrc   []string
	names  map[string]bool            // the names its selectors need (see selector.need)
	values map[string]map[string]bool // the attribute values they need (see addValue)
	attrs  map[string]bool            // the words its selectors hold (see addAttrNames)
	// escaped is set when a selector holds a backslash: attrs may miss a
	// name, and no attribute is dropped.
	escaped bool
}

// compile compiles the selectors of r (see compileRules).
func compile(r *Rules) (*compiledRules, error) {
	c := &compiledRules{fields: map[string]*selector{}, names: map[string]bool{}, values: map[string]map[string]bool{}, attrs: map[string]bool{}}
	for _, f := range []struct{ key, sel string }{
		{"title", r.Title}, {"body", r.Body}, {"published", r.Published},
		{"modified", r.Modified}, {"author", r.Author}, {"gallery", r.Gallery},
		{"categories", r.Categories}, {"tags", r.Tags},
	} {
		if strings.TrimSpace(f.sel) == "" {
			continue
		}
		s, err := compileSelector(f.sel)
		if err != nil {
			return nil, fmt.Errorf("rules: %s: bad selector %q: %w", f.key, f.sel, err)
		}
		c.fields[f.key] = s
		c.note(s)
		c.escaped = !addAttrNames(c.attrs, f.sel) || c.escaped
	}
	for i, sel := range r.Remove {
		if strings.TrimSpace(sel) == "" {
			continue
		}
		s, err := compileSelector(sel)
		if err != nil {
			return nil, fmt.Errorf("rules: remove[%d]: bad selector %q: %w", i, sel, err)
		}
		c.remove = append(c.remove, s)
		c.note(s)
		c.escaped = !addAttrNames(c.attrs, sel) || c.escaped
		c.rsrc = append(c.rsrc, sel)
	}
	return c, nil
}

// rule returns the profile's selector for a field, as far as it can match
// this page, or nil.
func (x *extraction) rule(field string) cascadia.SelectorGroup {
	if x.rules == nil || x.rules.fields[field] == nil {
		return nil
	}
	return x.g(x.rules.fields[field])
}

// note adds the names s needs to c.names and c.values.
func (c *compiledRules) note(s *selector) {
	for _, need := range s.need {
		for _, t := range need {
			addNeed(c.names, c.values, t)
		}
	}
}

// builtinNames are the class names, ids and attribute names that the
// built-in selectors need: the only ones readMeta records of a page
// besides a profile's. mustGroup fills it while the package initializes.
var builtinNames = map[string]bool{}

// builtinValues maps an attribute name to the values that built-in
// selectors ask of it, as a word of its value or the whole of it
// ([rel~=category], [rel=tag]): every page has a rel attribute, few have
// rel=tag. readMeta records such a value as "rel=tag".
var builtinValues = map[string]map[string]bool{}

// addNeed adds a token of selector.need to names, and when it asks for
// an attribute's value ("rel=tag"), the attribute's name to names and the
// value to values, which readMeta reads only for the names in names.
func addNeed(names map[string]bool, values map[string]map[string]bool, t string) {
	names[t] = true
	if k, v, ok := strings.Cut(t, "="); ok {
		names[k] = true
		if values[k] == nil {
			values[k] = map[string]bool{}
		}
		values[k][v] = true
	}
}

// selector is a built-in selector group that knows which class names,
// ids and attribute names each of its selectors needs, so that a page can
// skip the selectors that cannot match it: most of them, on most pages.
type selector struct {
	full  cascadia.SelectorGroup
	parts []cascadia.Sel
	need  [][]string
}

// selectorTokenRE finds what a selector needs: a class or id, an
// attribute name, and the value with it when the attribute must equal it
// or hold it as a word, case-sensitively ([rel=tag], [rel~=tag]; not
// [rel=tag i], [rel^=t] or a quoted value).
var selectorTokenRE = regexp.MustCompile(`[.#]([\w-]+)|\[([\w-]+)(?:(~?=)([\w-]+)\])?`)

// mustGroup compiles a selector group known at build time.
func mustGroup(src string) *selector {
	s, err := compileSelector(src)
	if err != nil {
		panic(err)
	}
	for _, need := range s.need {
		for _, t := range need {
			addNeed(builtinNames, builtinValues, t)
		}
	}
	if !addAttrNames(attrsRead, src) {
		panic("extract: built-in selector with an escape: " + src)
	}
	return s
}

// attrsRead are the attributes among those unreadAttrs drops that
// extraction reads by name, besides every word of a built-in selector
// (mustGroup adds them): the others are dropped before parsing.
// TestAttrsReadListed fails on a name the code reads that is missing here.
var attrsRead = map[string]bool{
	"data-src": true, "data-lazy-src": true, "data-original": true, "data-orig-file": true,
	"data-full-url": true, "data-lazy-srcset": true, "data-srcset": true,
	"data-time": true, "data-timestamp": true, "data-date": true,
	"data-slide-public-id": true, "data-title": true, "data-public-id": true,
}

// unreadNames are attributes of a page's scripts, links and forms that
// extraction has no use for (with every data-, aria- and on... name).
var unreadNames = map[string]bool{
	"role": true, "target": true, "tabindex": true, "loading": true, "decoding": true,
	"fetchpriority": true, "crossorigin": true, "integrity": true, "referrerpolicy": true,
	"nonce": true, "autocomplete": true, "placeholder": true, "draggable": true,
	"sizes": true, "xmlns": true, "hreflang": true, "async": true, "defer": true,
	"itemscope": true, "spellcheck": true, "translate": true, "frameborder": true,
	"allowfullscreen": true, "allow": true, "sandbox": true, "novalidate": true,
	"autoplay": true, "muted": true, "playsinline": true, "scrolling": true,
	"maxlength": true, "method": true, "action": true,
}

// unreadShapes has, for each first byte of a name of unreadNames, a bit
// for each length of such names (1<<len).
var unreadShapes = func() (shapes [256]uint64) {
	for name := range unreadNames {
		shapes[name[0]] |= 1 << len(name)
	}
	return shapes
}()

// selectorWordRE finds the words of a selector's source: an attribute
// it names is among them.
var selectorWordRE = regexp.MustCompile(`[\w-]+`)

// addAttrNames adds to names the words of the selector source src,
// lower-cased. It reports false when src holds a backslash: an escaped
// name may spell one that the search misses.
func addAttrNames(names map[string]bool, src string) bool {
	for _, m := range selectorWordRE.FindAllString(src, -1) {
		names[strings.ToLower(m)] = true
	}
	return !strings.Contains(src, `\`)
}

// unreadAttrs returns the test of scanDropping for extraction with the
// compiled profile c (nil for none): a data-, aria- or event handler
// attribute, or one of unreadNames, that no code reads and no selector
// names. It returns nil (drop nothing) when a profile's selector is
// escaped.
func unreadAttrs(c *compiledRules) func(key []byte) bool {
	var extra map[string]bool
	if c != nil {
		if c.escaped {
			return nil
		}
		extra = c.attrs
	}
	return func(key []byte) bool {
		if len(key) < 3 || len(key) > 64 {
			return false
		}
		// Most names (class, href, src, style) are none of these: a test
		// of their first letter and length spares lowering them.
		first := key[0]
		if 'A' <= first && first <= 'Z' {
			first += 'a' - 'A'
		}
		if first != 'd' && first != 'a' && first != 'o' && unreadShapes[first]&(1<<len(key)) == 0 {
			return false
		}
		var buf [64]byte
		low := buf[:len(key)]
		for i, c := range key {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			low[i] = c
		}
		if !bytes.HasPrefix(low, []byte("data-")) && !bytes.HasPrefix(low, []byte("aria-")) && !bytes.HasPrefix(low, []byte("on")) && !unreadNames[string(low)] {
			return false
		}
		return !attrsRead[string(low)] && !extra[string(low)]
	}
}

// compileSelector compiles a selector group and notes, for each selector
// of the group, the class names, ids and attribute names it needs. A
// group that does not split cleanly at its commas is kept whole, needing
// nothing.
func compileSelector(src string) (*selector, error) {
	full, err := cascadia.ParseGroup(src)
	if err != nil {
		return nil, err
	}
	s := &selector{full: full}
	for _, part := range splitGroup(src) {
		sel, err := cascadia.Parse(strings.TrimSpace(part))
		if err != nil || strings.ContainsAny(part, `()"'`) {
			return &selector{full: full, parts: full, need: make([][]string, len(full))}, nil
		}
		s.parts = append(s.parts, withHint(sel, part))
		var need []string
		for _, m := range selectorTokenRE.FindAllStringSubmatch(part, -1) {
			t := m[1] + m[2]
			if m[4] != "" {
				t += "=" + m[4]
			}
			need = append(need, t)
		}
		s.need = append(s.need, need)
	}
	if len(s.parts) == len(full) {
		// The group is its parts, which carry their hints.
		s.full = slices.Clone(s.parts)
	}
	return s, nil
}

// splitGroup splits a selector group at its top-level commas.
func splitGroup(src string) []string {
	var parts []string
	depth, start := 0, 0
	for i, r := range src {
		switch r {
		case '(', '[':
			depth++
		case ')', ']':
			depth--
		case ',':
			if depth == 0 {
				parts = append(parts, src[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, src[start:])
}

// group returns the selectors that can match a page whose class names,
// ids and attribute names are present; nil present means all of them.
func (s *selector) group(present map[string]bool) cascadia.SelectorGroup {
	if present == nil {
		return s.full
	}
	var g cascadia.SelectorGroup
	for i, p := range s.parts {
		ok := true
		for _, t := range s.need[i] {
			if !present[t] {
				ok = false
				break
			}
		}
		if ok {
			g = append(g, p)
		}
	}
	return g
}

func queryAll(n *html.Node, g cascadia.SelectorGroup) []*html.Node {
	if n == nil || len(g) == 0 {
		return nil
	}
	return cascadia.QueryAll(n, g)
}

func query(n *html.Node, g cascadia.SelectorGroup) *html.Node {
	if n == nil || len(g) == 0 {
		return nil
	}
	return cascadia.Query(n, g)
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// classID returns the element's class and id, lower-cased, for pattern
// tests. Words run together in camel case are split with a hyphen
// ("readerComments" is "reader-comments"), so that the word patterns see
// them as they see hyphenated names.
func classID(n *html.Node) string {
	c, id := attr(n, "class"), attr(n, "id")
	if id != "" {
		c += " " + id
	}
	return lowerWords(c)
}

// lowerWords lower-cases s, with a hyphen where a lower-case letter is
// followed by a capital.
func lowerWords(s string) string {
	camel := false
	for i := 1; i < len(s); i++ {
		if s[i] >= 'A' && s[i] <= 'Z' && s[i-1] >= 'a' && s[i-1] <= 'z' {
			camel = true
			break
		}
	}
	if !camel {
		return strings.ToLower(s)
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch >= 'A' && ch <= 'Z' {
			if i > 0 && s[i-1] >= 'a' && s[i-1] <= 'z' {
				b.WriteByte('-')
			}
			ch += 'a' - 'A'
		}
		b.WriteByte(ch)
	}
	return strings.ToLower(b.String())
}

// nextField returns the first field of s, as strings.Fields splits it
// (at Unicode white space), and what follows it; an empty field when s
// has none.
func nextField(s string) (field, rest string) {
	start := -1
	for i, r := range s {
		if unicode.IsSpace(r) {
			if start >= 0 {
				return s[start:i], s[i:]
			}
		} else if start < 0 {
			start = i
		}
	}
	if start < 0 {
		return "", ""
	}
	return s[start:], ""
}

// hasClass reports whether n's class lists class. FieldsSeq splits the
// class without the slice Fields allocated for every element asked.
func hasClass(n *html.Node, class string) bool {
	for c := range strings.FieldsSeq(attr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

// skipText says which elements never hold readable text.
func skipText(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg, atom.Math,
		atom.Iframe, atom.Object, atom.Embed, atom.Canvas, atom.Select, atom.Textarea, atom.Button, atom.Input:
		return true
	}
	return false
}

// textOf returns the text under n, without scripts and styles.
func textOf(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) bool {
		if c.Type == html.ElementNode && skipText(c) {
			return false
		}
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
		return true
	})
	return b.String()
}

// walk visits n and its descendants in document order without recursion;
// fn returns false to skip a node's children.
func walk(n *html.Node, fn func(*html.Node) bool) {
	if n == nil {
		return
	}
	stop := n.NextSibling
	parent := n.Parent
	for c := n; c != nil; {
		descend := fn(c)
		if descend && c.FirstChild != nil {
			c = c.FirstChild
			continue
		}
		for c != nil {
			if c == n {
				return
			}
			if c.NextSibling != nil && c.NextSibling != stop {
				c = c.NextSibling
				break
			}
			c = c.Parent
			if c == parent {
				return
			}
		}
	}
}

// normSpace collapses runs of white space (including no-break spaces) to
// one space and trims the ends.
func normSpace(s string) string {
	if isNormSpace(s) {
		return s // most short texts are: no copy
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if isSpaceRune(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// isSpaceRune is the white space normSpace collapses.
func isSpaceRune(r rune) bool {
	if r < utf8.RuneSelf {
		switch r {
		case ' ', '\t', '\n', '\v', '\f', '\r':
			return true
		}
		return false
	}
	return unicode.IsSpace(r) || r == '\u00a0' || r == '\u200b' || r == '\ufeff'
}

// isNormSpace reports whether normSpace(s) is s: valid UTF-8 whose only
// white space is single ' ' between other characters.
func isNormSpace(s string) bool {
	prevSpace := true // no space at the start
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return false
			}
		}
		if isSpaceRune(r) {
			if r != ' ' || prevSpace {
				return false
			}
			prevSpace = true
		} else {
			prevSpace = false
		}
		i += size
	}
	return !prevSpace || s == ""
}

// normTextLen returns len(normSpace(textOf(n))) and the commas in that
// text without building either string: the content scorer measures every
// paragraph of the page, and only needs the two numbers.
func normTextLen(n *html.Node) (length, commas int) {
	space := false
	walk(n, func(c *html.Node) bool {
		if c.Type == html.ElementNode && skipText(c) {
			return false
		}
		if c.Type != html.TextNode {
			return true
		}
		// Byte by byte, decoding only what is not ASCII (most text is)
		// and testing ASCII space inline: isSpaceRune is a call.
		d := c.Data
		for i := 0; i < len(d); {
			r, size := rune(d[i]), 1
			var white bool
			if r < utf8.RuneSelf {
				white = r == ' ' || r == '\t' || r == '\n' || r == '\v' || r == '\f' || r == '\r'
			} else {
				r, size = utf8.DecodeRuneInString(d[i:])
				white = isSpaceRune(r)
			}
			i += size
			if white {
				space = true
				continue
			}
			if space && length > 0 {
				length++
			}
			space = false
			if r == ',' {
				commas++
			}
			length += utf8.RuneLen(r)
		}
		return true
	})
	return length, commas
}

// closeTitle ends a <title> that the page never closes before the next
// tag. A title's text runs to its end tag, so without one the whole page
// would be title: no article at all (pages cut or mangled on their way).
// It works on the page's bytes, which the parser then reads in place.
func closeTitle(s []byte) []byte {
	start := indexTag(s, "<title")
	if start < 0 || indexTag(s[start:], "</title") >= 0 {
		return s
	}
	end := bytes.IndexByte(s[start+1:], '<')
	if end < 0 {
		return s
	}
	end += start + 1
	out := make([]byte, 0, len(s)+len("</title>"))
	out = append(out, s[:end]...)
	out = append(out, "</title>"...)
	return append(out, s[end:]...)
}

// indexTag returns the index of the first tag in s that starts with tag
// (written in lower case), whatever the case in s, or -1.
func indexTag(s []byte, tag string) int {
	for i := 0; ; {
		j := bytes.IndexByte(s[i:], '<')
		if j < 0 {
			return -1
		}
		i += j
		if len(s)-i >= len(tag) && bytes.EqualFold(s[i:i+len(tag)], []byte(tag)) {
			return i
		}
		i++
	}
}

// sameLower reports whether strings.ToLower(s) == lower without lowering
// s when the two cannot be equal: lowering keeps the number of runes, so
// most paragraphs differ from the title by that count alone.
func sameLower(s, lower string) bool {
	if utf8.RuneCountInString(s) != utf8.RuneCountInString(lower) {
		return false
	}
	return strings.ToLower(s) == lower
}

// flatten drops start and end tags nested deeper than maxDepth, keeping
// their text.
func flatten(s string, maxDepth int) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	b.Grow(len(s))
	var stack []string
	skipped := map[string]int{}
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		raw := z.Raw()
		switch tt {
		case html.StartTagToken:
			name, _ := z.TagName()
			tag := string(name)
			if voidElements[tag] {
				break
			}
			if len(stack) >= maxDepth {
				skipped[tag]++
				continue
			}
			stack = append(stack, tag)
		case html.EndTagToken:
			name, _ := z.TagName()
			tag := string(name)
			if skipped[tag] > 0 {
				skipped[tag]--
				continue
			}
			for i := len(stack) - 1; i >= 0; i-- {
				if stack[i] == tag {
					stack = stack[:i]
					break
				}
			}
		}
		b.Write(raw)
	}
	return b.String()
}

var voidElements = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true,
	"input": true, "link": true, "meta": true, "param": true, "source": true, "track": true, "wbr": true,
}

// g returns the part of a built-in or profile selector that can match
// this page. The page's names are known once readMeta has read them, and
// a page asks for some selectors many times (imgSelector in every figure,
// the chrome rules once to harvest images and once to clean), so each
// answer is kept for the page.
func (x *extraction) g(s *selector) cascadia.SelectorGroup {
	if x.present == nil {
		return s.group(nil)
	}
	if g, ok := x.groups[s]; ok {
		return g
	}
	g := s.group(x.present)
	if x.groups == nil {
		x.groups = map[*selector]cascadia.SelectorGroup{}
	}
	x.groups[s] = g
	return g
}
