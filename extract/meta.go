package extract

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"sync"
	"unicode"

	"github.com/PuerkitoBio/goquery"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// pageMeta is what a page says about itself outside its visible text:
// <title>, <meta> tags, the canonical link and JSON-LD.
type pageMeta struct {
	title     string
	canonical string
	baseHref  string
	metas     map[string][]string // lower-cased name or property -> contents
	ld        ldArticle
	sections  []string // article:section
	tags      []string // article:tag, news_keywords
	// rubricked are the page's short texts outside links that carry a
	// colon ("In Picture: Headline"): the headline as printed under a
	// rubric (see rubricTitle).
	rubricked []string
}

// ldArticle holds the fields warta reads from a JSON-LD Article.
type ldArticle struct {
	headline      string
	datePublished string
	dateModified  string
	authors       []string
	image         string
	sections      []string
	keywords      []string
}

func (m *pageMeta) get(key string) string {
	if v := m.metas[key]; len(v) > 0 {
		return strings.TrimSpace(v[0])
	}
	return ""
}

// first returns the first non-empty meta value among keys.
func (m *pageMeta) first(keys ...string) (string, string) {
	for _, k := range keys {
		if v := m.get(k); v != "" {
			return v, k
		}
	}
	return "", ""
}

// readMeta reads what the page says about itself, and collects into
// present the class names, ids and attribute names the page uses that a
// built-in selector or one of extra (a profile's) needs, and the
// attribute values they need as "name=value" (builtinValues and
// extraValues); nil present collects nothing.
func readMeta(root *html.Node, present, extra map[string]bool, extraValues map[string]map[string]bool) pageMeta {
	m := pageMeta{metas: map[string][]string{}}
	shapes := builtinShapes()
	if len(extra) > 0 {
		s := *shapes
		for name := range extra {
			s.add(name)
		}
		shapes = &s
	}
	needed := func(name string) bool { return shapes.may(name) && (builtinNames[name] || extra[name]) }
	// A page uses a few attribute names thousands of times (class, href,
	// id): what the selectors need of each is looked up once, in the
	// maps, and then found by a short scan of the names met so far.
	type keyNeeds struct {
		key     string
		needed  bool
		vs, evs map[string]bool
	}
	var keys [16]keyNeeds
	nkeys := 0
	needsOf := func(key string) keyNeeds {
		for _, k := range keys[:nkeys] {
			if k.key == key {
				return k
			}
		}
		k := keyNeeds{key: key, needed: needed(key)}
		if k.needed {
			present[key] = true
			k.vs, k.evs = builtinValues[key], extraValues[key]
		}
		if nkeys < len(keys) {
			keys[nkeys] = k
			nkeys++
		}
		return k
	}
	walk(root, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			if n.Type == html.TextNode && len(n.Data) < maxRubricked && n.Parent != nil && n.Parent.DataAtom != atom.A && strings.Contains(n.Data, ": ") {
				m.rubricked = append(m.rubricked, n.Data)
			}
			return true
		}
		// Only the names some selector needs are recorded: a lookup in
		// that small set costs less than filling a map with every class
		// of the page, and nextField splits a class without a slice.
		if present != nil {
			for _, a := range n.Attr {
				if k := needsOf(a.Key); k.vs != nil || k.evs != nil {
					noteValues(present, a.Key, a.Val, k.vs, k.evs)
				}
				switch a.Key {
				case "class":
					// nextField, not FieldsSeq: inside walk's function
					// the loop's body escaped, an allocation per class.
					for c, rest := nextField(a.Val); c != ""; c, rest = nextField(rest) {
						if needed(c) {
							present[c] = true
						}
					}
				case "id":
					if needed(a.Val) {
						present[a.Val] = true
					}
				}
			}
		}
		switch n.DataAtom {
		case atom.Title:
			if m.title == "" && (n.Parent == nil || n.Parent.DataAtom != atom.Svg) {
				m.title = normSpace(textOf(n))
			}
			return false
		case atom.Meta:
			key := strings.ToLower(strings.TrimSpace(attr(n, "property")))
			if key == "" {
				key = strings.ToLower(strings.TrimSpace(attr(n, "name")))
			}
			if key == "" {
				key = strings.ToLower(strings.TrimSpace(attr(n, "itemprop")))
			}
			if key != "" && hasAttr(n, "content") {
				m.metas[key] = append(m.metas[key], attr(n, "content"))
			}
		case atom.Link:
			if m.canonical == "" && strings.EqualFold(strings.TrimSpace(attr(n, "rel")), "canonical") {
				m.canonical = attr(n, "href")
			}
		case atom.Base:
			if m.baseHref == "" {
				m.baseHref = attr(n, "href")
			}
		case atom.Script:
			if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") {
				var b strings.Builder
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					if c.Type == html.TextNode {
						b.WriteString(c.Data)
					}
				}
				readLD(b.String(), &m.ld)
			}
			return false
		case atom.Svg, atom.Style:
			return false
		}
		return true
	})
	for _, s := range m.metas["article:section"] {
		m.sections = appendLabel(m.sections, s)
	}
	for _, t := range m.metas["article:tag"] {
		m.tags = appendLabel(m.tags, t)
	}
	return m
}

// nameShapes has, for each first byte of a set of names, a bit for each
// length of such names (lengths from 63 up share a bit): most class names
// of a page are in no selector, and the test turns them away without
// hashing them for two map lookups.
type nameShapes [256]uint64

func (s *nameShapes) add(name string) {
	if name != "" {
		s[name[0]] |= 1 << min(len(name), 63)
	}
}

// may reports whether name may be in the set (the empty name always
// may: it has no shape).
func (s *nameShapes) may(name string) bool {
	return name == "" || s[name[0]]&(1<<min(len(name), 63)) != 0
}

// builtinShapes are the shapes of builtinNames, taken once the package's
// selectors have filled it.
var builtinShapes = sync.OnceValue(func() *nameShapes {
	var s nameShapes
	for name := range builtinNames {
		s.add(name)
	}
	return &s
})

// noteValues records in present "key=w" for the whole of val and for each
// of its words (split as cascadia splits them for ~=) that vs or evs
// holds: what [key=w] and [key~=w] can match.
func noteValues(present map[string]bool, key, val string, vs, evs map[string]bool) {
	for s, whole := val, true; ; whole = false {
		w := s
		if !whole {
			i := strings.IndexAny(s, " \t\r\n\f")
			if i >= 0 {
				w, s = s[:i], s[i+1:]
			} else {
				s = ""
			}
		}
		if w != "" && (vs[w] || evs[w]) {
			present[key+"="+w] = true
		}
		if !whole && s == "" {
			return
		}
	}
}

// articleTypes are the JSON-LD types whose fields describe the article.
var articleTypes = map[string]bool{
	"article": true, "newsarticle": true, "blogposting": true, "reportagenewsarticle": true,
	"analysisnewsarticle": true, "opinionnewsarticle": true, "backgroundnewsarticle": true,
	"reviewnewsarticle": true, "liveblogposting": true, "socialmediaposting": true,
	"techarticle": true, "scholarlyarticle": true, "report": true, "posting": true,
}

// readLD reads the first Article-like object of a JSON-LD script into ld,
// filling only fields still empty. Malformed JSON is ignored.
func readLD(src string, ld *ldArticle) {
	var v any
	if err := json.Unmarshal([]byte(strings.TrimSpace(src)), &v); err != nil {
		return
	}
	var visit func(v any, depth int)
	visit = func(v any, depth int) {
		if depth > 8 {
			return
		}
		switch t := v.(type) {
		case []any:
			for _, e := range t {
				visit(e, depth+1)
			}
		case map[string]any:
			if g, ok := t["@graph"]; ok {
				visit(g, depth+1)
			}
			if !isArticleType(t["@type"]) {
				return
			}
			if ld.headline == "" {
				ld.headline = normSpace(html.UnescapeString(ldString(t["headline"])))
			}
			if ld.datePublished == "" {
				ld.datePublished = ldString(t["datePublished"])
			}
			if ld.dateModified == "" {
				ld.dateModified = ldString(t["dateModified"])
			}
			if len(ld.authors) == 0 {
				ld.authors = ldNames(t["author"])
			}
			if ld.image == "" {
				ld.image = ldURL(t["image"])
			}
			if len(ld.sections) == 0 {
				ld.sections = ldStrings(t["articleSection"])
			}
			if len(ld.keywords) == 0 {
				ld.keywords = ldStrings(t["keywords"])
			}
		}
	}
	visit(v, 0)
}

func isArticleType(t any) bool {
	switch v := t.(type) {
	case string:
		return articleTypes[strings.ToLower(v)]
	case []any:
		for _, e := range v {
			if isArticleType(e) {
				return true
			}
		}
	}
	return false
}

func ldString(v any) string {
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t)
	case []any:
		if len(t) > 0 {
			return ldString(t[0])
		}
	}
	return ""
}

func ldStrings(v any) []string {
	switch t := v.(type) {
	case string:
		var out []string
		for _, s := range strings.Split(t, ",") {
			out = appendLabel(out, s)
		}
		return out
	case []any:
		var out []string
		for _, e := range t {
			if s, ok := e.(string); ok {
				out = appendLabel(out, s)
			}
		}
		return out
	}
	return nil
}

func ldNames(v any) []string {
	switch t := v.(type) {
	case string:
		if s := normSpace(t); s != "" {
			return []string{s}
		}
	case map[string]any:
		if s := normSpace(ldString(t["name"])); s != "" {
			return []string{s}
		}
	case []any:
		var out []string
		for _, e := range t {
			out = append(out, ldNames(e)...)
		}
		return out
	}
	return nil
}

func ldURL(v any) string {
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t)
	case map[string]any:
		if s := ldString(t["url"]); s != "" {
			return s
		}
		return ldString(t["contentUrl"])
	case []any:
		for _, e := range t {
			if s := ldURL(e); s != "" {
				return s
			}
		}
	}
	return ""
}

func appendLabel(list []string, s string) []string {
	s = normSpace(html.UnescapeString(s))
	if s == "" || len(s) > 120 {
		return list
	}
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return list
		}
	}
	return append(list, s)
}

var (
	titleSelector  = mustGroup("h1.entry-title, h1.post-title, h1.td-post-title, h1.jeg_post_title, .entry-header h1, h1[itemprop=headline], article h1")
	anyH1          = mustGroup("h1")
	sitePrefixRE   = regexp.MustCompile(`^[\p{L}0-9-]+(\.[\p{L}]{2,4}){1,2}\s*:\s+`)
	titleSeparator = regexp.MustCompile(`\s+[|–—\-:»«›‹·•]+\s+|\s*[｜]\s*`)
	// siteSeparator is titleSeparator with the slash and at sign that
	// set off a site's name or a path ("Headline / News @ Site"): a part
	// they set off is cut when it names the site or the page prints
	// another part as a heading, never for being short ("Lindenhurst /
	// Babylon", "Blue Jays @ Rays").
	siteSeparator = regexp.MustCompile(`\s+[|–—\-:»«›‹·•/@]+\s+|\s*[｜]\s*`)
)

// title returns the headline: the profile's selector, the JSON-LD
// headline (in the page's printed spelling when a heading says the same),
// a theme's title heading, og:title, then <title> without its site name.
func (x *extraction) title() string {
	if n := x.profileNode("title"); n != nil {
		if t := normSpace(textOf(n)); t != "" {
			return t
		}
	}
	return x.rubricTitle(x.genericTitle())
}

// genericTitle is title without a profile.
func (x *extraction) genericTitle() string {
	themed := ""
	if n := query(x.root, x.g(titleSelector)); n != nil {
		themed = normSpace(textOf(n))
	}
	h1 := themed
	if h1 == "" {
		h1 = x.headline()
	}
	if t := x.ldHeadline(); t != "" {
		if h1 != "" && sameHeadline(h1, t) {
			return h1 // the printed quotes and dashes
		}
		return t
	}
	if themed != "" {
		return themed
	}
	if t := normSpace(x.meta.get("og:title")); t != "" {
		if h := headlineWithin(t, h1); h != "" {
			return h
		}
		t = x.stripSiteName(t)
		if fuller(h1, t) {
			return h1
		}
		return t
	}
	if t := normSpace(x.meta.get("twitter:title")); t != "" {
		return x.stripSiteName(t)
	}
	if x.meta.title == "" && h1 != "" {
		return h1
	}
	if t := headlineWithin(x.meta.title, h1); t != "" {
		return t
	}
	x.titleFromDocTitle = true
	return x.stripSiteName(x.meta.title)
}

// maxRubricked bounds the texts kept as pageMeta.rubricked.
const maxRubricked = 400

// rubricRE is a rubric before a headline: one or two words and a colon
// ("FOTO: ", "In Picture: "); a longer run is a kicker, which sites print
// beside the headline rather than as part of it.
var rubricRE = regexp.MustCompile(`^\s*[\p{L}\p{N}]+(?:[ -][\p{L}\p{N}]+)?\s?:\s+$`)

// rubricTitle returns t as the page prints it under a rubric ("In
// Picture: " + t) when a text outside links does, else t. Photo and video
// sections print their rubric with the headline but leave it out of
// og:title and <title>.
func (x *extraction) rubricTitle(t string) string {
	if len(t) < 10 {
		return t
	}
	for _, r := range x.meta.rubricked {
		if len(r) <= len(t) || !strings.Contains(r, t) {
			continue
		}
		r = normSpace(r)
		if p, ok := strings.CutSuffix(r, t); ok && rubricRE.MatchString(p) {
			return r
		}
	}
	return t
}

// ldHeadline returns the JSON-LD headline without a part that names the
// site, or "" when there is none or it was cut short ("…"): a cut
// headline is the page's teaser, not its title.
func (x *extraction) ldHeadline() string {
	t := x.meta.ld.headline
	if t == "" || strings.HasSuffix(t, "…") || strings.HasSuffix(t, "...") {
		return ""
	}
	if locs := titleSeparator.FindAllStringIndex(t, -1); len(locs) > 0 {
		last := locs[len(locs)-1]
		if x.namesSite(t[last[1]:]) && last[0] > 0 {
			return strings.TrimSpace(t[:last[0]])
		}
	}
	return t
}

// sameHeadline reports whether a and b are one headline spelled with
// other quotes, apostrophes or dashes.
func sameHeadline(a, b string) bool {
	return a == b || plainPunct.Replace(a) == plainPunct.Replace(b)
}

// plainPunct maps typographic quotes and dashes to their ASCII forms.
var plainPunct = strings.NewReplacer("‘", "'", "’", "'", "‚", "'", "“", "\"", "”", "\"", "„", "\"", "«", "\"", "»", "\"", "–", "-", "—", "-")

var (
	leadingSeparatorRE  = regexp.MustCompile(`^\s*[|–—\-:»·•｜]+\s*\S`)
	trailingSeparatorRE = regexp.MustCompile(`\S\s*[|–—\-:»·•｜]+\s*$`)
)

// headlineWithin returns h1 when title is h1 plus a part set off by a
// separator ("Headline | Portal Berita Kota", "Kota - Headline"): the
// page's heading then says where the headline ends, whatever the rest
// names. It returns "" otherwise.
func headlineWithin(title, h1 string) string {
	if len(h1) < 10 || title == h1 {
		return ""
	}
	if rest, ok := strings.CutPrefix(title, h1); ok && leadingSeparatorRE.MatchString(rest) {
		return h1
	}
	if rest, ok := strings.CutSuffix(title, h1); ok && trailingSeparatorRE.MatchString(rest) {
		return h1
	}
	return ""
}

// leadingHeading returns the text of a heading (h1 to h4) that opens body
// before any other text, or "".
func leadingHeading(body *html.Node) string {
	var found string
	done := false
	walk(body, func(n *html.Node) bool {
		if done {
			return false
		}
		switch {
		case n.Type == html.ElementNode && skipText(n):
			return false
		case n.Type == html.ElementNode && (n.DataAtom == atom.H1 || n.DataAtom == atom.H2 || n.DataAtom == atom.H3 || n.DataAtom == atom.H4):
			if t := normSpace(textOf(n)); len(strings.Fields(t)) >= 3 {
				found = t
			}
			done = true
			return false
		case n.Type == html.TextNode && strings.TrimSpace(n.Data) != "":
			done = true
		}
		return true
	})
	return found
}

// fragment reports whether what a cut would leave of a title is too
// short to stand for it: one or two words ("Take C.A.R.E." of "Take
// C.A.R.E. - comwrap at DMEXCO", "6.0" of "Winona Daily News - 6.0"), in
// a script that spaces its words.
func fragment(s string) bool {
	if len(strings.Fields(s)) >= 3 {
		return false
	}
	for _, r := range s {
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar) {
			return false
		}
	}
	return true
}

// stripSiteName removes a site name that a title carries before or after
// a separator: " – Site", "Site | ".
func (x *extraction) stripSiteName(t string) string {
	if m := sitePrefixRE.FindStringIndex(t); m != nil && m[1] < len(t) {
		t = t[m[1]:] // "KapanLagi.com: Judul"
	}
	if name, rest, ok := strings.Cut(t, ": "); ok && x.namesHost(name) && !fragment(rest) {
		t = strings.TrimSpace(rest) // "IT Sneak: Judul" on itsneak.example.com
	}
	locs := siteSeparator.FindAllStringIndex(t, -1)
	if len(locs) == 0 {
		return t
	}
	if p := x.printedPart(t, locs); p != "" {
		return p
	}
	first := t[:locs[0][0]]
	last := t[locs[len(locs)-1][1]:]
	before, after := strings.TrimSpace(t[:locs[len(locs)-1][0]]), strings.TrimSpace(t[locs[0][1]:])
	switch {
	case (x.namesSite(last) || datePrinted(last)) && !fragment(before):
		return before // " – Site", " | Published January 18th, 2008"
	case x.namesSite(first) && !fragment(after):
		return after
	}
	if locs = titleSeparator.FindAllStringIndex(t, -1); len(locs) == 0 {
		return t
	}
	last = t[locs[len(locs)-1][1]:]
	if before = strings.TrimSpace(t[:locs[len(locs)-1][0]]); len(strings.Fields(last)) <= 3 && len(strings.Fields(before)) >= 4 {
		return before
	}
	return t
}

// printedPart returns the longest part of title t, split at its
// separators (locs), that the page prints as an element's whole text (a
// heading, a headline link, a caption): what the page shows as the
// headline, whatever the other parts name. A part must have four words
// or more ("Raspberry Pi 3" is a product's name, printed on its own).
// It returns "" when no part is printed. It searches the page's bytes,
// not its tree: a title is read before the tree is walked.
func (x *extraction) printedPart(t string, locs [][]int) string {
	cands := []string{t[locs[0][1]:], t[:locs[len(locs)-1][0]]}
	prev := 0
	for _, l := range locs {
		cands = append(cands, t[prev:l[0]])
		prev = l[1]
	}
	cands = append(cands, t[prev:])
	best := ""
	for _, c := range cands {
		c = strings.TrimSpace(c)
		if len(c) <= len(best) || len(strings.Fields(c)) < 4 {
			continue
		}
		if printedWhole(x.raw, c) {
			best = c
		} else if e := html.EscapeString(c); e != c && printedWhole(x.raw, e) {
			best = c
		}
	}
	return best
}

// printedWhole reports whether page holds s as the whole text of an
// element: ">s<", with any white space inside the brackets.
func printedWhole(page []byte, s string) bool {
	b := []byte(s)
	for i, n := 0, 0; n < 32; n++ {
		j := bytes.Index(page[i:], b)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(s)
		i = end
		before := bytes.TrimRight(page[max(0, start-64):start], " \t\r\n")
		after := bytes.TrimLeft(page[end:min(len(page), end+64)], " \t\r\n")
		if len(before) > 0 && before[len(before)-1] == '>' && len(after) > 0 && after[0] == '<' {
			return true
		}
	}
	return false
}

// namesSite reports whether a part of a title names the site: empty, a
// part or superset of og:site_name or the config's title, or a domain.
func (x *extraction) namesSite(s string) bool {
	l := strings.ToLower(strings.TrimSpace(s))
	if l == "" {
		return true
	}
	for _, site := range []string{x.meta.get("og:site_name"), x.opt.SiteTitle} {
		site = strings.ToLower(normSpace(site))
		if site != "" && (strings.Contains(site, l) || strings.Contains(l, site)) {
			return true
		}
	}
	return x.namesHost(l) || strings.Contains(l, ".com") || strings.Contains(l, ".id") || strings.Contains(l, ".co") || strings.Contains(l, ".net") || strings.Contains(l, ".org")
}

var (
	authorSelector   = mustGroup(".author-name, .entry-meta .author a, .entry-meta .author, .byline .author, [rel=author], [itemprop=author] [itemprop=name], [itemprop=author], .author-name a, .post-author a, .td-post-author-name a, .jeg_meta_author a, #penulis a, .penulis a, #penulis, .penulis, .reporter, .detail__author, .read__author")
	categorySelector = mustGroup(".cat-links a, a[rel~=category], .post-categories a, .td-category a, .entry-categories a, .category-name a, .field--name-field-category a")
	tagSelector      = mustGroup(".tags-links a, a[rel=tag], .post-tags a, .td-tags a, .entry-tags a, .tagcloud a, .field--name-field-tags a, .field-name-field-tags a, .detail__body-tag a, .tag__article__link, .tags-widget a, #tagcloud a, .post-labels a, .jeg_post_tags a")
	bylinePrefixRE   = regexp.MustCompile(`(?i)^(oleh|by|penulis|reporter|editor|ditulis oleh|posted by|written by)\s*:?\s*`)
)

// author returns the byline: the profile's selector, a theme's author
// element, JSON-LD, then meta author.
func (x *extraction) author() string {
	for _, n := range []*html.Node{x.profileNode("author"), query(x.root, x.g(authorSelector))} {
		if n != nil {
			if a := cleanAuthor(textOf(n)); a != "" {
				return a
			}
		}
	}
	if len(x.meta.ld.authors) > 0 {
		return cleanAuthor(strings.Join(x.meta.ld.authors, ", "))
	}
	if a, _ := x.meta.first("author", "article:author", "dc.creator", "byl", "parsely-author"); a != "" && !strings.Contains(a, "://") {
		return cleanAuthor(a)
	}
	return ""
}

func cleanAuthor(s string) string {
	s = normSpace(s)
	s = bylinePrefixRE.ReplaceAllString(s, "")
	if len(s) > 100 {
		return ""
	}
	return s
}

// labels returns categories or tags: the profile's selector, a theme's
// links, then metadata.
func (x *extraction) labels(field string, generic cascadia.SelectorGroup, meta []string) []string {
	var out []string
	x.profile(x.root, field).Each(func(_ int, s *goquery.Selection) {
		out = appendLabel(out, textOf(s.Get(0)))
	})
	if len(out) > 0 {
		return out
	}
	for _, n := range queryAll(x.root, generic) {
		out = appendLabel(out, textOf(n))
	}
	if len(out) > 0 {
		return out
	}
	for _, s := range meta {
		out = appendLabel(out, s)
	}
	if out == nil {
		return []string{}
	}
	return out
}
