package extract

import (
	"bytes"
	"net/url"
	"strings"

	"github.com/gorilla/css/scanner"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxRequisites bounds the requisites taken from one page or style sheet:
// a hostile page may list millions of URLs.
const maxRequisites = 500

// Requisites returns the URLs of what an HTML page needs to look as it
// did: its style sheets (and their preloads), scripts, icons, the images
// its markup shows (src, srcset, poster, url(...) in style attributes and
// <style> elements), absolute, http or https only, without duplicates, in
// page order, at most 500. Links to other pages are not requisites.
// Style sheets hold requisites of their own: see CSSRequisites.
func Requisites(page []byte, pageURL string) []string {
	base, err := url.Parse(pageURL)
	if err != nil {
		return nil
	}
	// A title never closed would hold the rest of the page as its text,
	// as extraction's parse would without closeTitle: the two must list
	// the same requisites.
	text, _ := DecodeHTML(page, "")
	doc, err := html.Parse(bytes.NewReader(closeTitle(text)))
	if err != nil {
		return nil
	}
	return requisitesOf(doc, base)
}

// requisitesOf lists the requisites of the parsed page doc, whose URL is
// base (see Requisites).
func requisitesOf(doc *html.Node, base *url.URL) []string {
	var out []string
	seen := map[string]bool{}
	add := func(u *url.URL, raw string) {
		if len(out) >= maxRequisites {
			return
		}
		if abs := absHTTP(u, raw); abs != "" && !seen[abs] {
			seen[abs] = true
			out = append(out, abs)
		}
	}
	// walk rather than doc.Descendants, whose iterators allocate at
	// every level of the tree: a tenth of what extraction allocated
	// besides the parse.
	walk(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		if n.DataAtom == atom.Base {
			// <base href> changes how the rest of the page resolves.
			if b, err := base.Parse(strings.TrimSpace(attr(n, "href"))); err == nil && attr(n, "href") != "" {
				base = b
			}
			return true
		}
		if n.DataAtom == atom.Style && n.FirstChild != nil && n.FirstChild.Type == html.TextNode {
			for _, u := range cssRefs(n.FirstChild.Data) {
				add(base, u)
			}
		}
		for _, a := range n.Attr {
			if a.Namespace != "" {
				continue
			}
			switch RefOf(n.DataAtom, n.Attr, a.Key) {
			case RefResource:
				add(base, a.Val)
			case RefSrcset:
				for _, c := range srcsetURLs(a.Val) {
					add(base, c)
				}
			case RefStyle:
				for _, u := range cssRefs(a.Val) {
					add(base, u)
				}
			}
		}
		return true
	})
	return out
}

// Ref says what the value of an HTML attribute is, for those who rewrite
// or collect a page's URLs.
type Ref int

// The kinds of attribute values RefOf tells apart.
const (
	RefNone     Ref = iota // not a URL, or one a page does not load (a form action)
	RefLink                // a link to another page (a, area, iframe src, ...)
	RefResource            // one URL the page loads to show itself
	RefSrcset              // a srcset: URLs with width or density descriptors
	RefStyle               // an inline style, whose url(...) the page loads
)

// RefOf returns what attribute key of an element tag with attributes
// attrs holds.
func RefOf(tag atom.Atom, attrs []html.Attribute, key string) Ref {
	switch key {
	case "style":
		return RefStyle
	case "srcset", "imagesrcset":
		if tag == atom.Img || tag == atom.Source || tag == atom.Link {
			return RefSrcset
		}
	case "src":
		switch tag {
		case atom.Img, atom.Script, atom.Input, atom.Source, atom.Video, atom.Audio, atom.Track, atom.Embed:
			return RefResource
		case atom.Iframe, atom.Frame:
			return RefLink
		}
	case "poster":
		if tag == atom.Video {
			return RefResource
		}
	case "background":
		if tag == atom.Body || tag == atom.Table || tag == atom.Td || tag == atom.Th {
			return RefResource
		}
	case "href":
		switch tag {
		case atom.Link:
			if linkLoads(attrs) {
				return RefResource
			}
			return RefLink
		case atom.A, atom.Area:
			return RefLink
		}
	}
	return RefNone
}

// linkLoads reports whether a <link> is one a browser loads to show the
// page: a style sheet, an icon, a preload of a style, font, script or
// image.
func linkLoads(attrs []html.Attribute) bool {
	var rel, as string
	for _, a := range attrs {
		switch a.Key {
		case "rel":
			rel = strings.ToLower(a.Val)
		case "as":
			as = strings.ToLower(strings.TrimSpace(a.Val))
		}
	}
	for _, r := range strings.Fields(rel) {
		switch r {
		case "stylesheet", "icon", "apple-touch-icon", "apple-touch-icon-precomposed", "mask-icon", "modulepreload":
			return true
		case "preload", "prefetch":
			if as == "style" || as == "font" || as == "script" || as == "image" {
				return true
			}
		}
	}
	return false
}

// CSSRequisites returns the URLs a style sheet loads (@import, url(...)),
// absolute against cssURL, without duplicates, at most 500.
func CSSRequisites(css []byte, cssURL string) []string {
	base, err := url.Parse(cssURL)
	if err != nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, raw := range cssRefs(string(css)) {
		if abs := absHTTP(base, raw); abs != "" && !seen[abs] && len(out) < maxRequisites {
			seen[abs] = true
			out = append(out, abs)
		}
	}
	return out
}

// cssRefs returns the raw URL references of a style sheet.
func cssRefs(css string) []string {
	if !strings.Contains(css, "url(") && strings.IndexByte(css, '@') < 0 {
		// Nothing to find, and gorilla/css's scanner tries its regexps at
		// every token: most style attributes (text-align: right) hold
		// neither a url( nor an at-rule.
		return nil
	}
	var out []string
	RewriteCSS(css, func(raw string) string {
		out = append(out, raw)
		return ""
	})
	return out
}

// RewriteCSS returns css with each URL it loads (url(...) and @import)
// replaced by fn(raw): raw is the reference as written, unquoted and
// unescaped; fn returns the new URL, or "" to leave it as it was. Text
// the scanner cannot read (an unclosed string) is kept as it is.
func RewriteCSS(css string, fn func(raw string) string) string {
	s := scanner.New(css)
	var b strings.Builder
	afterImport := false
	pos := 0 // in the scanner's normalized input
	for {
		t := s.Next()
		if t.Type == scanner.TokenEOF {
			return b.String()
		}
		if t.Type == scanner.TokenError {
			// The scanner stops here; the rest is copied as it is.
			if norm := normalizeCSS(css); pos <= len(norm) {
				b.WriteString(norm[pos:])
			}
			return b.String()
		}
		pos += len(t.Value)
		switch {
		case t.Type == scanner.TokenURI:
			raw := cssURLValue(t.Value)
			if nu := fn(raw); nu != "" {
				b.WriteString(`url("` + cssEscape(nu) + `")`)
				afterImport = false
				continue
			}
		case t.Type == scanner.TokenString && afterImport:
			if nu := fn(cssUnquote(t.Value)); nu != "" {
				b.WriteString(`"` + cssEscape(nu) + `"`)
				afterImport = false
				continue
			}
		}
		switch t.Type {
		case scanner.TokenAtKeyword:
			afterImport = strings.EqualFold(t.Value, "@import")
		case scanner.TokenS, scanner.TokenComment:
		default:
			afterImport = false
		}
		b.WriteString(t.Value)
	}
}

// normalizeCSS is the input preprocessing gorilla/css's scanner does.
func normalizeCSS(s string) string {
	return strings.NewReplacer("\r\n", "\n", "\r", "\n", "\f", "\n", "\x00", "\ufffd").Replace(s)
}

// cssURLValue returns the URL inside a url(...) token.
func cssURLValue(tok string) string {
	v := strings.TrimSpace(tok[len("url(") : len(tok)-1])
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') {
		return cssUnquote(v)
	}
	return cssUnescape(v)
}

// cssUnquote returns the text of a CSS string token.
func cssUnquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		s = s[1 : len(s)-1]
	}
	return cssUnescape(s)
}

// cssUnescape undoes the backslash escapes URLs in CSS use (a quote, a
// parenthesis, a space); hex escapes are rare in URLs and kept.
func cssUnescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && !isHex(s[i+1]) && s[i+1] != '\n' {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// cssEscape makes a URL safe inside a double-quoted CSS string.
func cssEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\a `).Replace(s)
}

// srcsetURLs returns the URLs of a srcset's candidates.
func srcsetURLs(v string) []string {
	var out []string
	RewriteSrcset(v, func(raw string) string {
		out = append(out, raw)
		return ""
	})
	return out
}

// RewriteSrcset returns a srcset value with each candidate's URL replaced
// by fn(raw) ("" drops the candidate), descriptors kept. URLs may hold
// commas (as in CDN paths), so candidates are split as the HTML spec's
// parser does: a URL runs to whitespace, and a comma ends it only at its
// end.
func RewriteSrcset(v string, fn func(raw string) string) string {
	var parts []string
	for i := 0; i < len(v); {
		for i < len(v) && (isSpace(v[i]) || v[i] == ',') {
			i++
		}
		if i >= len(v) {
			break
		}
		j := i
		for j < len(v) && !isSpace(v[j]) {
			j++
		}
		raw := v[i:j]
		desc := ""
		if strings.HasSuffix(raw, ",") {
			raw = strings.TrimRight(raw, ",")
		} else {
			// Descriptors run to the next comma outside parentheses.
			k, depth := j, 0
			for k < len(v) && (v[k] != ',' || depth > 0) {
				switch v[k] {
				case '(':
					depth++
				case ')':
					depth--
				}
				k++
			}
			desc = strings.TrimSpace(v[j:k])
			j = k
		}
		i = j
		if raw == "" {
			continue
		}
		nu := fn(raw)
		if nu == "" {
			continue
		}
		if desc != "" {
			nu += " " + desc
		}
		parts = append(parts, nu)
	}
	return strings.Join(parts, ", ")
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// absHTTP resolves raw against base and returns it when it is an http or
// https URL, without its fragment; "" otherwise.
func absHTTP(base *url.URL, raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" || strings.HasPrefix(raw, "data:") || strings.HasPrefix(raw, "#") {
		return ""
	}
	u, err := base.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	u.Fragment = ""
	return u.String()
}
