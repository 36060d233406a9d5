package extract

import (
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

var (
	// bodySelectors are the article containers of common themes and CMSs,
	// most specific first.
	bodySelectors = mustGroup(strings.Join([]string{
		".entry-content", ".td-post-content", ".post-content", ".single-content",
		"[itemprop=articleBody]", ".article-content", ".article-body", ".article__content",
		".post-body", ".entry-body", ".story-body", ".detail__body-text", ".read__content",
		".content-detail", ".detail-content", ".isi-berita", ".news-content", ".post-entry",
		".jeg_post_content", ".tdb_single_content", ".single-post-content", ".item-page",
		".field-name-body", ".field--name-body", ".node__content", ".blog-post-content",
	}, ", "))

	// chromeRules are the blocks inside an article container that are
	// never article text, by rule name.
	chromeRules = []struct {
		rule, reason string
		sel          *selector
		src          string
	}{
		{"slider", "a picture slider: its pictures are in images, its titles and arrows are not text", mustGroup(".n2-section-smartslider, .wp-block-nextend-smartslider3, .n2_clear, ss3-force-full-width, .metaslider, .soliloquy-container, .swiper, .slick-slider, .owl-carousel"), ".n2-section-smartslider, .wp-block-nextend-smartslider3, .n2_clear, ss3-force-full-width, .metaslider, .soliloquy-container, .swiper, .slick-slider, .owl-carousel"},
		{"comments", "comments and the comment form", mustGroup("#comments, .comments-area, #respond, .comment-respond, p.no-comments, .comments-link, #disqus_thread, .fb-comments"), "#comments, .comments-area, #respond, .comment-respond, p.no-comments, .comments-link, #disqus_thread, .fb-comments"},
		{"related", "links to other articles", mustGroup(".related-posts, .related-posts-wrap, #jp-relatedposts, .jp-relatedposts, .yarpp-related, .crp_related, [class*=td-related], .related, .rel-posts, .post-related, .artikel-terkait, .baca-juga, .bacajuga"), ".related-posts, .related-posts-wrap, #jp-relatedposts, .jp-relatedposts, .yarpp-related, .crp_related, [class*=td-related], .related, .rel-posts, .post-related, .artikel-terkait, .baca-juga, .bacajuga"},
		{"share", "share buttons", mustGroup(".sharedaddy, .addtoany_share_save_container, .a2a_kit, .heateor_sss_sharing_container, .social-share, .share-buttons, .sharing, .jp-sharing-input-touch, .ssba, .td-post-sharing, .jeg_share_button, .social-icons"), ".sharedaddy, .addtoany_share_save_container, .a2a_kit, .heateor_sss_sharing_container, .social-share, .share-buttons, .sharing, .jp-sharing-input-touch, .ssba, .td-post-sharing, .jeg_share_button, .social-icons"},
		{"navigation", "post navigation, breadcrumbs, pagination", mustGroup("nav, .post-navigation, .nav-links, .navigation, .breadcrumb, .breadcrumbs, .page-links, .pagination"), "nav, .post-navigation, .nav-links, .navigation, .breadcrumb, .breadcrumbs, .page-links, .pagination"},
		{"meta", "category, tag and author lines", mustGroup(".cat-links, .tags-links, .tag-links, .post-tags, .entry-meta, .entry-footer, .author-box, .about-author, .author-bio, .td-post-source-tags, .post-categories"), ".cat-links, .tags-links, .tag-links, .post-tags, .entry-meta, .entry-footer, .author-box, .about-author, .author-bio, .td-post-source-tags, .post-categories"},
		{"ads", "advertisements", mustGroup("ins.adsbygoogle, .adsbygoogle, .code-block, .advertisement, .advert, .ads, .iklan, [id^=div-gpt-ad], .td-a-rec, .ad-container"), "ins.adsbygoogle, .adsbygoogle, .code-block, .advertisement, .advert, .ads, .iklan, [id^=div-gpt-ad], .td-a-rec, .ad-container"},
		{"caption", "a picture's caption: it belongs to images, not to the text", mustGroup("figure, figcaption, .wp-caption, .gallery, .wp-block-gallery, .tiled-gallery, .wp-caption-text"), "figure, figcaption, .wp-caption, .gallery, .wp-block-gallery, .tiled-gallery, .wp-caption-text"},
		{"form", "forms, newsletter boxes and widgets", mustGroup("form, aside, footer, .widget, .newsletter, .subscribe, .wp-block-buttons"), "form, aside, footer, .widget, .newsletter, .subscribe, .wp-block-buttons"},
	}

	junkClassRE = mustQuick(`(^|[\s_-])(share|sharing|social|sosmed|related|relatedposts|terkait|comments?|respond|disqus|sidebar|widget|advert|advertisement|adsense|iklan|banner|promo|newsletter|subscribe|breadcrumbs?|pagination|author-?box|post-nav|navigation|tags|popular|terpopuler|recommend|rekomendasi|baca-?juga|also-?read|read-?more)([\s_-]|$)`)
	// metaClassRE names blocks around the text that hold no article text
	// but may hold its pictures: captions, credits, bylines, dates.
	metaClassRE = mustQuick(`(^|[\s_-])(caption|captions|ket|keterangan|article-info|credit|credits|byline|author|date|dateline|timestamp|views|gallery|slideshow|carousel|tooltip|rollover|hovercard|popup|modal|print|toolbar|subscription|signup|outbrain|taboola|trending|most-?read|terkini|lainnya|latest|recirc)([\s_-]|$)`)
	// captionClassRE names the captions of a photo story among metaClassRE's
	// words.
	captionClassRE   = regexp.MustCompile(`(^|[\s_-])(caption|captions|ket|keterangan|gallery|slideshow|credit)([\s_-]|$)`)
	relatedHeadingRE = regexp.MustCompile(`(?i)^(artikel|berita|baca|postingan|bacaan|simak|lihat|video)\s+(lain|lainnya|terkait|juga|populer|pilihan|terpopuler|terbaru)\b|^(jangan lewatkan|terpopuler|rekomendasi|related( posts| articles| stories)?|read (more|also)|you (may|might) also like|more (stories|from|on)|most (read|popular)|recommended|(our )?latest (news|stories|videos)|trending( now)?)\b|^(more headline news|also (on|in) [^,.!?]{2,30}|other (news|stories|articles)( (in|from) [^,.!?]{2,30})?|latest from [^,.!?]{2,30})[\s:.…]*$`)
	hiddenStyleRE    = mustQuick(`(?i)display\s*:\s*none|visibility\s*:\s*hidden`)
)

// findBody returns the article's container: the profile's body selector,
// a theme's known container, or the block the content scorer prefers.
func (x *extraction) findBody() *html.Node {
	if n := x.profileNode("body"); n != nil {
		x.bodyFromProfile = true
		return n
	}
	prose := proseLengths(x.root)
	x.prose = prose
	var best *html.Node
	bestLen := 0
	for _, n := range queryAll(x.root, x.g(bodySelectors)) {
		if inChrome(n) {
			continue
		}
		// On a tie the later node wins: it is the inner one, the article
		// text without its wrapper's metadata.
		if l := prose[n]; l >= bestLen && l > 0 {
			best, bestLen = n, l
		}
	}
	if best == nil || bestLen < 200 {
		if n := scoreContent(x.root, prose); n != nil {
			best = n
		}
	}
	if best == nil || inListing(best, prose) {
		// A teaser among teasers: run reports the page as a listing.
		return best
	}
	best = widen(best, prose)
	if x.titleFromDocTitle {
		best = withHeadline(best)
	}
	return best
}

// withHeadline returns n's parent when all that the parent adds to n is
// the article's head: a headline (h1-h3) before n, and a few lines (a
// date, a photo and its caption, a share bar) with little text outside
// links. findBody asks it only of a page whose title came from <title>:
// then the headline is read from the container (leadingHeading), and the
// photo above the text is the article's. Otherwise it returns n.
func withHeadline(n *html.Node) *html.Node {
	p := n.Parent
	if p == nil || p.Type != html.ElementNode || p.DataAtom == atom.Body || p.DataAtom == atom.Html {
		return n
	}
	headline := false
	for c := p.FirstChild; c != nil && c != n && !headline; c = c.NextSibling {
		if c.Type == html.ElementNode {
			headline = isHeadline(c) || countUnder(c, isHeadline, 1) > 0
		}
	}
	if !headline {
		return n
	}
	lp, tp := linkText(p)
	ln, tn := linkText(n)
	if (tp-lp)-(tn-ln) > 300 {
		return n
	}
	return p
}

func isHeadline(n *html.Node) bool {
	return n.Type == html.ElementNode && (n.DataAtom == atom.H1 || n.DataAtom == atom.H2 || n.DataAtom == atom.H3)
}

// clean removes from body every block that is not article text.
func (x *extraction) clean(body *html.Node) {
	x.profileSel = nil // the page changes
	if x.prose == nil {
		x.prose = proseLengths(body)
	}
	if x.rules != nil {
		for i, g := range x.rules.remove {
			for _, n := range findNodes(body, x.g(g)) {
				if n != body && attached(n, body) {
					x.remove(n, "profile.remove", x.rules.rsrc[i], "the site profile removes it")
				}
			}
		}
	}
	for _, r := range chromeRules {
		found := queryAll(body, x.g(r.sel))
		if r.rule == "caption" && photoStory(found, body, x.prose) {
			x.captionsAreText = true
			continue
		}
		for _, n := range found {
			if n != body && attached(n, body) && !x.holdsArticle(n, body) {
				x.remove(n, r.rule, r.src, r.reason)
			}
		}
	}
	var doomed []*html.Node
	var why []string
	running := map[*html.Node]bool{} // inRunningText's; the walk removes nothing
	walk(body, func(n *html.Node) bool {
		if n == body || n.Type != html.ElementNode {
			return true
		}
		switch {
		case skipText(n):
			doomed, why = append(doomed, n), append(why, "")
			return false
		case n.DataAtom == atom.Header && !isArticleHeader(n):
			doomed, why = append(doomed, n), append(why, "site-header")
			return false
		case hasAttr(n, "hidden") || hiddenStyleRE.MatchString(attr(n, "style")):
			doomed, why = append(doomed, n), append(why, "hidden")
			return false
		case x.holdsArticle(n, body):
			// A block holding most of the prose is the article text whatever
			// its class says ("article-body pagination-first").
			return true
		case hasClass(n, "hidden") || hasClass(n, "obfuscated"):
			// The class that style sheets hide (a teaser for those who do
			// not subscribe, a print-only header); a story that a script
			// reveals holds the article and stayed above. "obfuscated"
			// marks paragraphs a paywall scrambles (letters shifted) until
			// a subscriber's script decodes them: as served, gibberish.
			doomed, why = append(doomed, n), append(why, "hidden")
			return false
		case inRunningText(n, running):
			// Class names name blocks: a link or a span inside a sentence
			// ("<a class=companyRollover>Nokia</a> Corp. unveiled") is a word
			// of it whatever its class says.
			return true
		case junkClassRE.MatchString(x.blockClass(n)) && !strings.Contains(classID(n), "embed"):
			doomed, why = append(doomed, n), append(why, "class")
			return false
		case x.captionsAreText && captionClassRE.MatchString(x.blockClass(n)):
			return true
		case metaClassRE.MatchString(x.blockClass(n)):
			doomed, why = append(doomed, n), append(why, "meta-class")
			return false
		case isHeading(n) && relatedHeadingStartRE.MatchString(normSpace(textOf(n))):
			doomed, why = append(doomed, n), append(why, "related-heading")
			return false
		}
		return true
	})
	for i, n := range doomed {
		if !attached(n, body) {
			continue // went with a box removed before it
		}
		switch why[i] {
		case "":
			n.Parent.RemoveChild(n)
		case "hidden":
			x.remove(n, "hidden", "[hidden], display:none, .hidden", "hidden from readers")
		case "class":
			m := junkClassRE.FindStringSubmatch(x.blockClass(n))
			x.remove(n, "chrome-class", m[2], "its class or id names page chrome: "+classID(n))
		case "site-header":
			x.remove(n, "navigation", "header", "the site's header")
		case "meta-class":
			m := metaClassRE.FindStringSubmatch(x.blockClass(n))
			x.remove(n, "meta", m[2], "its class or id names a caption, credit, byline or date: "+classID(n))
		case "related-heading":
			// A box that opens with the heading goes whole; otherwise the
			// heading and the list after it.
			heading := normSpace(textOf(n))
			for n.Parent != nil && n.Parent != body && normSpace(textOf(n.Parent)) == heading {
				n = n.Parent // the heading's own wrappers
			}
			if p := n.Parent; p != nil && p != body && firstElement(p) == n && x.prose[p]*2 < x.prose[body]+1 && attached(p, body) {
				l, _ := normTextLen(p)
				x.sureChrome += l
				x.remove(p, "related", relatedHeadingRE.String(), "a box of links to other articles, by its heading")
				continue
			}
			next := nextElement(n)
			x.remove(n, "related", relatedHeadingRE.String(), "a heading that introduces links to other articles")
			// The block after such a heading is its list: links, or a box
			// its class calls chrome (a promo, a slideshow of other stories),
			// however much prose that box holds.
			if next != nil && (linkDensity(next) > 0.3 || junkClassRE.MatchString(x.blockClass(next)) || metaClassRE.MatchString(x.blockClass(next))) {
				l, _ := normTextLen(next)
				x.sureChrome += l
				x.remove(next, "related", "block after a related-posts heading", "links to other articles")
			}
		}
	}
}

// photoStory reports whether the captions under body say more than the
// rest of its prose: a story told in captioned photos, whose captions are
// its text.
func photoStory(captions []*html.Node, body *html.Node, prose map[*html.Node]int) bool {
	inCaptions, captionProse := 0, 0
	for _, n := range captions {
		if n == body || hasAncestorIn(n, captions) {
			continue
		}
		inCaptions += len(normSpace(textOf(n)))
		captionProse += prose[n]
	}
	return inCaptions >= 400 && inCaptions > prose[body]-captionProse
}

// hasAncestorIn reports whether one of n's ancestors is in nodes.
func hasAncestorIn(n *html.Node, nodes []*html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if slices.Contains(nodes, p) {
			return true
		}
	}
	return false
}

// holdsArticle reports whether n holds most of body's prose: then it is
// the article text whatever its tag or class says (a story wrapped in a
// <figure> with its photo, "article-body pagination-first").
func (x *extraction) holdsArticle(n, body *html.Node) bool {
	return x.prose[n] >= 400 && x.prose[n]*2 >= x.prose[body]
}

// labelPrefixes start the class names that CMSs derive from a post's
// labels: "category-social", "tag-related", "entry-author-jo". They say
// what the post is about, not what the block is. postPrefixes are those
// that only a post's own element carries; "tag-" and "category-" also
// start names of link boxes ("tag-links", "category-list").
var (
	labelPrefixes = []string{"category-", "tag-", "entry-author-", "entry-category-", "entry-tag-", "format-", "type-", "status-"}
	postPrefixes  = []string{"entry-author-", "entry-category-", "entry-tag-", "format-", "type-", "status-"}
)

// blockClass is classID of n for the class rules, without the label
// classes: so that a post tagged "social" or written by an author named
// in a class is not taken for a share bar or a byline. "tag-" and
// "category-" names are left out only on a block that holds prose.
func (x *extraction) blockClass(n *html.Node) string {
	c := classID(n)
	prefixes := postPrefixes
	if x.prose[n] >= 200 {
		prefixes = labelPrefixes
	}
	if !strings.Contains(c, "-") {
		return c
	}
	fields := strings.Fields(c)
	kept := fields[:0]
	for _, f := range fields {
		if !slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(f, p) }) {
			kept = append(kept, f)
		}
	}
	return strings.Join(kept, " ")
}

// inRunningText reports whether n is an inline element with words of
// its parent's text beside it. The answer is the parent's, kept in memo
// while the tree does not change: asked of each of a parent's children
// in turn, reading all the siblings each time was quadratic (a page of
// 20,000 links between blanks took 11 s, 140,000 more than a minute).
func inRunningText(n *html.Node, memo map[*html.Node]bool) bool {
	if blockElements[n.DataAtom] || n.Parent == nil {
		return false
	}
	if v, ok := memo[n.Parent]; ok {
		return v
	}
	v := false
	for s := n.Parent.FirstChild; s != nil; s = s.NextSibling {
		if s.Type == html.TextNode && hasLetter(s.Data) {
			v = true
			break
		}
	}
	memo[n.Parent] = v
	return v
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// attached reports whether n is still under root (an earlier rule may have
// removed an ancestor).
func attached(n, root *html.Node) bool {
	for p := n; p != nil; p = p.Parent {
		if p == root {
			return true
		}
	}
	return false
}

func isHeading(n *html.Node) bool {
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	case atom.P, atom.Div, atom.Span, atom.Strong, atom.B:
		// Short text, found without gathering a long one: clean asks
		// this of every block of the article, the article's wrapper too.
		_, short := textUpTo(n, 59)
		return short && linkDensity(n) < 0.5
	}
	return false
}

func firstElement(n *html.Node) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			return c
		}
		if c.Type == html.TextNode && strings.TrimSpace(c.Data) != "" {
			return nil
		}
	}
	return nil
}

func nextElement(n *html.Node) *html.Node {
	for s := n.NextSibling; s != nil; s = s.NextSibling {
		if s.Type == html.ElementNode {
			return s
		}
	}
	return nil
}

// linkDensity is the share of n's text that sits inside links.
func linkDensity(n *html.Node) float64 {
	linked, total := linkText(n)
	if total == 0 {
		return 0
	}
	return float64(linked) / float64(total)
}

// linkText returns the bytes of n's text inside links, and in all.
func linkText(n *html.Node) (linked, total int) {
	var visit func(c *html.Node, inLink bool)
	visit = func(c *html.Node, inLink bool) {
		switch c.Type {
		case html.TextNode:
			l := len(strings.TrimSpace(c.Data))
			total += l
			if inLink {
				linked += l
			}
			return
		case html.ElementNode:
			if skipText(c) {
				return
			}
			inLink = inLink || c.DataAtom == atom.A
		}
		for k := c.FirstChild; k != nil; k = k.NextSibling {
			visit(k, inLink)
		}
	}
	visit(n, false)
	return linked, total
}

// blockElements end a paragraph.
var blockElements = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.H1: true, atom.H2: true,
	atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true, atom.Li: true, atom.Ul: true, atom.Ol: true,
	atom.Blockquote: true, atom.Pre: true, atom.Table: true, atom.Tr: true,
	atom.Dl: true, atom.Dt: true, atom.Dd: true, atom.Figure: true, atom.Header: true, atom.Main: true,
	atom.Address: true, atom.Center: true, atom.Br: true, atom.Hr: true, atom.Caption: true, atom.Details: true,
	atom.Summary: true, atom.Tbody: true, atom.Thead: true, atom.Tfoot: true, atom.Form: true, atom.Fieldset: true,
}

var (
	junkParagraphRE = mustQuick(`(?i)^(see more|don'?t miss|more:|click here|advert|baca( juga)?|bacaan lainnya|simak( juga)?|lihat( juga)?|artikel terkait|berita terkait|baca selengkapnya|advertisement|advertisment|iklan|scroll (to|untuk) (continue|melanjutkan)|laman \d+ dari \d+|halaman \d+ dari \d+|tonton juga|saksikan (juga|video)|dapatkan update|ikuti (kami|berita)|follow us|share this|bagikan|klik (di )?sini|read (also|more)|related:|you can follow any responses to this entry|both comments and pings are (currently )?closed\.?|you can leave a response|(responses|comments) are currently closed\.?)(\s*[:\-–]|\s|$)`)
	commentLineRE   = mustQuick(`(?i)^(no comments?|\d+ comments?|komentar ditutup|tinggalkan balasan|comments are closed\.?|leave a (reply|comment)|belum ada komentar|\d+ komentar|tidak ada komentar)$`)
	trailerRE       = mustQuick(`(?i)^((editor|penyunting|redaktur|editing|penulis|pewarta|reporter|wartawan|sumber|foto|caption)\s*:|(copyright|©|\(c\)|hak cipta)\s)`)
	pageOfRE        = regexp.MustCompile(`(?i)^(halaman|laman|page)\s*\d+(\s*(dari|of)\s*\d+)?$|^(\d+\s*)+(selanjutnya|next|berikutnya|»)?$`)
)

// Matched through atStart: the same answers, without trying every position.
var (
	pageOfStartRE         = mustQuick(atStart(pageOfRE).String())
	relatedHeadingStartRE = atStart(relatedHeadingRE)
)

// paragraphs returns the text blocks of body in order, whitespace
// normalized, with junk paragraphs (read-also links, editor lines, comment
// counts) dropped.
func (x *extraction) paragraphs(body *html.Node, title string) []string {
	type block struct {
		text   string
		linked int // bytes of text inside links
	}
	var out []block
	var cur strings.Builder
	linked, total := 0, 0
	flush := func() {
		if t := normSpace(cur.String()); t != "" {
			out = append(out, block{t, linked})
			total += len(t)
		}
		cur.Reset()
		linked = 0
	}
	var visit func(n *html.Node, inLink bool)
	visit = func(n *html.Node, inLink bool) {
		// Text past the body limit would be dropped anyway: stop early so
		// a huge page costs no more than a big one.
		for c := n.FirstChild; c != nil && total < MaxBodyBytes+MaxBodyBytes/4; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				cur.WriteString(c.Data)
				if inLink {
					linked += len(strings.TrimSpace(c.Data))
				}
			case html.ElementNode:
				if skipText(c) {
					continue
				}
				block := blockElements[c.DataAtom]
				if block {
					flush()
				}
				visit(c, inLink || c.DataAtom == atom.A)
				if block {
					flush()
				} else if c.DataAtom == atom.Img || c.DataAtom == atom.Td || c.DataAtom == atom.Th {
					// A table's row is one line: its cells, apart.
					cur.WriteByte(' ')
				}
			}
		}
	}
	visit(body, false)
	flush()

	generic := !x.bodyFromProfile
	normTitle := strings.ToLower(title)
	linky := func(i int) bool {
		return i >= 0 && i < len(out) && out[i].linked*2 > len(out[i].text) && len(out[i].text) < 300
	}
	var kept []string
	for i, b := range out {
		p := b.text
		switch {
		case junkParagraphRE.MatchString(p):
			x.dropText(p, "junk-paragraph", junkParagraphRE.String(), "a read-also link, ad label or page counter")
		case commentLineRE.MatchString(p):
			x.dropText(p, "comments", commentLineRE.String(), "a comment count or comment-form line")
		case pageOfStartRE.MatchString(p):
			x.dropText(p, "navigation", pageOfRE.String(), "a page number")
		case sameLower(p, normTitle) && (generic || len(kept) == 0):
			x.dropText(p, "title", "", "the headline repeated")
		case generic && linky(i) && (linky(i-1) || linky(i+1) || i == 0 || i == len(out)-1):
			x.dropText(p, "link-text", "", "a line that is mostly links: navigation or other articles")
		case generic && b.linked*10 >= len(p)*9 && isUpper(p):
			x.dropText(p, "link-text", "", "a capitalized link to another article")
		case shortcodeRE.MatchString(p):
			x.dropText(p, "shortcode", shortcodeRE.String(), "an unrendered WordPress shortcode")
		case generic && isLabelLine(p):
			x.dropText(p, "label", "", "a label, byline or date line")
		default:
			kept = append(kept, p)
		}
	}
	for len(kept) > 0 && trailerRE.MatchString(kept[len(kept)-1]) && len(kept[len(kept)-1]) < 120 {
		x.dropText(kept[len(kept)-1], "editor-line", trailerRE.String(), "a trailing editor or reporter line")
		kept = kept[:len(kept)-1]
	}
	return kept
}

var (
	labelLineRE = regexp.MustCompile(`(?i)^(comments?|penulis|editor|reporter|pewarta|fotografer|foto|sumber|komentar|komentar pembaca|jangan lewatkan!*|tags?|topik|share|bagikan|home|beranda|advertisement|iklan|loading\.*|close|tutup|caption|video|photo|image \d+ of \d+|\d+ / \d+|back to gallery|copyright.*|©.*|updated.*|diperbarui.*|\d+(\.\d+)* (views|kali dibaca|dibaca)|(posted|filed) (in|under) .*\| *(no|\d+) (comments?|responses?)( »)?)$`)
	viewsRE     = regexp.MustCompile(`(?i)\b\d+(\.\d+)*\s*(views|kali dibaca|dibaca|x dibaca|komentar|comments?)\b`)
)

var shortcodeRE = regexp.MustCompile(`^\[[a-z_]+(\s[^\]]*)?\].*\[/[a-z_]+\]$`)

// isUpper reports whether the letters of s are (nearly) all capitals.
func isUpper(s string) bool {
	up, low := 0, 0
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			up++
		case unicode.IsLower(r):
			low++
		}
	}
	return up >= 8 && low*10 <= up
}

// isLabelLine reports short lines that label the article rather than say
// something: "Penulis", ": Ervan Hardoko", "Kamis, 5 November 2015 14:56
// WIB | 1.229 Views", "Editor: Ade Marboen".
func isLabelLine(p string) bool {
	if len(p) > 90 {
		return false
	}
	if labelLineRE.MatchString(p) || strings.HasPrefix(p, ":") || trailerRE.MatchString(p) {
		return true
	}
	if _, ok := parseTextDate(p, time.UTC, time.Time{}); ok && len(strings.Fields(p)) <= 10 && !strings.Contains(p, "@") {
		return true
	}
	return viewsRE.MatchString(p) && len(strings.Fields(p)) <= 8
}
