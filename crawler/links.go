package crawler

import (
	"bytes"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// link is one <a> or <link> of a page.
type link struct {
	href  string
	rel   string // lower-cased, space-separated
	class string
	text  string // the anchor's text, trimmed and lower-cased
	typ   string // the type attribute of a <link>
	tag   atom.Atom
}

// The tags scanLinks reports.
const (
	tagA    = atom.A
	tagLink = atom.Link
)

// maxLinks bounds the links read from one page.
const maxLinks = 5000

// scanLinks reads the links of an HTML page token by token (no tree is
// built), finding the tokens html.Tokenizer would. It also returns the
// <base href>, if any. Broken HTML is read as far as it goes.
func scanLinks(body []byte) (links []link, base string) {
	return appendLinks(nil, body)
}

// appendLinks is scanLinks appending to dst[:0], so that a caller can lend
// the same slice to page after page (see run.linkBufs). It reads the page
// with a scanner, which finds the tokens that html.Tokenizer would.
func appendLinks(dst []link, body []byte) (links []link, base string) {
	links = dst[:0]
	z := scanner{b: body}
	var spans [8]attrSpan
	z.attr = spans[:0]
	var cur link    // the <a> whose text is being read, when open
	var open bool   // cur is an <a> with an href, not yet closed
	var text []byte // cur's text so far, raw
	closeCur := func() {
		cur.text = cleanText(text)
		links = append(links, cur)
		open, text = false, text[:0]
	}
	for len(links) < maxLinks {
		tt := z.next()
		switch tt {
		case html.ErrorToken:
			if open { // a page cut off inside a link
				closeCur()
			}
			return links, base
		case html.TextToken:
			if open && len(text) < 200 {
				text = z.appendText(text)
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			a := linkTag(z.tagName())
			switch a {
			case atom.A, atom.Link, atom.Base:
			case atom.Img:
				// An image inside a link: its alt stands for the text.
				if open {
					z.attrs(func(k, v []byte) {
						if string(k) == "alt" {
							text = append(text, v...)
						}
					})
				}
				continue
			default:
				continue
			}
			l := link{tag: a}
			z.attrs(func(k, v []byte) {
				switch string(k) {
				case "href":
					l.href = string(v)
				case "rel":
					l.rel = strings.ToLower(string(v))
				case "class":
					l.class = strings.ToLower(string(v))
				case "type":
					l.typ = strings.ToLower(string(v))
				}
			})
			switch a {
			case atom.Base:
				if base == "" {
					base = l.href
					links = append(links, l)
				}
			case atom.Link:
				if l.href != "" {
					links = append(links, l)
				}
			case atom.A:
				if open {
					closeCur()
				}
				text = text[:0]
				if tt == html.StartTagToken && l.href != "" {
					cur, open = l, true
				} else if l.href != "" {
					links = append(links, l)
				}
			}
		case html.EndTagToken:
			if open && linkTag(z.tagName()) == atom.A {
				closeCur()
			}
		}
	}
	return links, base
}

// cleanText is an anchor's text as links hold it: entities decoded, runs
// of white space made one space, trimmed and lower-cased (what
// strings.ToLower(strings.Join(strings.Fields(html.UnescapeString(s)), " "))
// gives), in one pass and one allocation where that took four.
func cleanText(raw []byte) string {
	if bytes.IndexByte(raw, '&') >= 0 {
		raw = []byte(html.UnescapeString(string(raw)))
	}
	var out strings.Builder
	space := false
	for i := 0; i < len(raw); {
		r, n := rune(raw[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRune(raw[i:])
		}
		i += n
		if unicode.IsSpace(r) {
			space = out.Len() > 0
			continue
		}
		if out.Cap() == 0 {
			out.Grow(len(raw) - i + n)
		}
		if space {
			out.WriteByte(' ')
			space = false
		}
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			out.WriteByte(byte(r))
			continue
		}
		out.WriteRune(unicode.ToLower(r))
	}
	return out.String()
}

// nextTexts are anchor texts that lead to the next page of a listing.
var nextTexts = []string{"selanjutnya", "berikutnya", "next", "older", "lama", "»", "›", ">>"}

// isNextLink reports whether l leads to the next page of the page it is on.
func isNextLink(l link) bool {
	if hasWord(l.rel, "next") || hasWord(l.class, "next") {
		return true
	}
	if l.tag != atom.A || l.text == "" || len(l.text) > 40 {
		return false
	}
	for _, t := range nextTexts {
		if strings.Contains(l.text, t) {
			return true
		}
	}
	return false
}

func hasWord(list, w string) bool {
	for _, f := range strings.Fields(list) {
		if f == w || strings.HasPrefix(f, w+"-") || strings.HasSuffix(f, "-"+w) || strings.HasSuffix(f, "_"+w) {
			return true
		}
	}
	return false
}

var (
	// pagedPath matches listing pagination: /page/2/, /hal/3, ?paged=4.
	pagedPath = regexp.MustCompile(`/(page|hal|halaman)/\d+/?$`)
	// listingPath matches WordPress-style archive pages.
	listingPath = regexp.MustCompile(`^/(category|kategori|kanal|rubrik|topik)/`)
	// notArticlePath matches pages that are never articles.
	notArticlePath = regexp.MustCompile(`^/(tag|author|penulis|search|cari|feed|wp-[a-z]+|comments|xmlrpc\.php|category|kategori|kanal|rubrik|topik|page)(/|$)|/(feed|amp|embed|trackback|attachment)/?$|^/\d{4}(/\d{2}){0,2}/?$`)
	// articlePrefix matches path prefixes under which CMSs put articles.
	articlePrefix = regexp.MustCompile(`^/(baca|berita|read|artikel|news|post|posts|detail|kabar|informasi|pengumuman)/[^/]+`)
	// datedSlug matches /2021/12/23/<slug>/ and /2021/12/<slug>/.
	datedSlug = regexp.MustCompile(`^/\d{4}/\d{2}/(\d{2}/)?[^/]+/?$`)
	// fileExt matches links to files rather than pages.
	fileExt = regexp.MustCompile(`(?i)\.(jpe?g|png|gif|webp|svg|bmp|ico|pdf|docx?|xlsx?|pptx?|zip|rar|7z|gz|mp[34]|avi|mov|wmv|webm|css|js|json|xml|txt|apk|exe)$`)
	// postID matches WordPress short links: /?p=123.
	postID = regexp.MustCompile(`^\d+$`)
)

// isShortlink reports whether u is a WordPress /?p=N link, which redirects
// to the post.
func isShortlink(u *url.URL) bool {
	if u.Path != "/" && u.Path != "/index.php" {
		return false
	}
	q := u.Query()
	return len(q) == 1 && postID.MatchString(q.Get("p"))
}

// looksLikeArticle is the default test of an article URL, used when the
// site gives no article_pattern: a slug under a news prefix, a dated slug,
// or a long hyphenated slug (WordPress's /<post-name>/).
func looksLikeArticle(u *url.URL) bool {
	if isShortlink(u) {
		return true
	}
	p := u.Path
	if u.RawQuery != "" || fileExt.MatchString(p) || notArticlePath.MatchString(p) || pagedPath.MatchString(p) {
		return false
	}
	if articlePrefix.MatchString(p) || datedSlug.MatchString(p) {
		return true
	}
	segs := strings.Split(strings.Trim(p, "/"), "/")
	last := segs[len(segs)-1]
	return len(segs) <= 2 && strings.Count(last, "-") >= 2 && len(last) >= 15
}

// classify says what kind of page u is when found as a link (or as the end
// of a redirect): an article, a listing worth following, or "" for a page
// not to fetch.
func (r *run) classify(u *url.URL) Kind {
	if isShortlink(u) {
		// WordPress's /?p=N: an article behind a redirect, whatever the
		// article pattern says; fetchTask checks where it leads.
		return KindArticle
	}
	s := u.String()
	if re := r.opt.ArticlePattern; re != nil {
		if re.MatchString(s) {
			return KindArticle
		}
	} else if looksLikeArticle(u) {
		return KindArticle
	}
	if re := r.opt.ListingPattern; re != nil && re.MatchString(s) {
		return KindListing
	}
	if fileExt.MatchString(u.Path) {
		return ""
	}
	if pagedPath.MatchString(u.Path) || isPagedQuery(u) {
		return KindListing
	}
	if r.opt.ListingPattern == nil && listingPath.MatchString(u.Path) {
		return KindListing
	}
	return ""
}

func isPagedQuery(u *url.URL) bool {
	q := u.Query()
	return postID.MatchString(q.Get("paged")) || postID.MatchString(q.Get("page"))
}

// discover queues the links of an HTML page: article links from listings
// and articles, and, when listings are a discovery source, listing links
// (pagination, categories) from listings. Unless listings are the
// discovery source, links to articles that the state already has are left
// to the API or sitemap, which say whether they changed.
func (r *run) discover(pageURL *url.URL, t task, res *response, links []link) {
	if len(links) == 0 || (t.kind != KindListing && t.kind != KindArticle) {
		return
	}
	follow := r.followListings.Load() && t.kind == KindListing
	baseURL := r.docBase(pageURL, links)
	var listings []*url.URL
	newArticles := 0
	self := pageURL.String()
	for _, l := range links {
		if l.tag == atom.Link && !hasWord(l.rel, "next") || l.tag == atom.Base {
			continue // stylesheets, icons, alternates; canonical is read elsewhere
		}
		n := r.links.resolve(baseURL, l.href)
		// A known URL is passed over whatever it is: most links of a page
		// (menus, related articles) are, and need no parse nor class.
		if n == "" || n == self || r.fr.isKnown(n) {
			continue
		}
		lt := r.classes.get(n, func() linkTarget { return r.classifyLink(n) })
		u := lt.u
		if u == nil || !lt.inScope {
			continue
		}
		kind := lt.kind
		if kind == "" && t.kind == KindListing && isNextLink(l) {
			kind = KindListing
		}
		switch {
		case kind == KindArticle:
			if !r.followListings.Load() && !r.fr.isKnown(n) {
				if _, ok := r.st.get(n); ok {
					continue
				}
			}
		case kind == KindListing && follow:
		default:
			continue
		}
		if r.fr.isKnown(n) {
			continue
		}
		if why := urlTrap(u); why != "" {
			r.trapped(n, why)
			continue
		}
		if kind == KindListing {
			listings = append(listings, u)
			continue
		}
		if r.fr.add(task{url: n, kind: kind}) {
			newArticles++
		}
	}
	// Listings go last, once it is known whether this page brought
	// anything new: a chain of pages that do not is a trap.
	now := time.Now()
	for _, u := range listings {
		lt, why := r.listingTrap(t, u, newArticles, now)
		if why != "" {
			if !r.fr.isKnown(lt.url) {
				r.trapped(lt.url, why)
			}
			continue
		}
		r.fr.add(lt)
	}
}

// classifyLink parses n, a normalized URL found as a link, and says what
// the crawl makes of it. Links that lead to no page to fetch (tags,
// authors, feeds) are never queued and so never known: remembered in
// run.classes, they are not parsed and classified again on each page
// that has them.
func (r *run) classifyLink(n string) linkTarget {
	u, err := url.Parse(n)
	if err != nil {
		return linkTarget{}
	}
	t := linkTarget{u: u, inScope: r.c.scope.allows(u)}
	if t.inScope {
		t.kind = r.classify(u)
	}
	return t
}

// docBase returns the URL that the relative links of the page at pageURL
// resolve against: its <base href> when that is on an allowed host, else
// pageURL. A base elsewhere would move every link off-site.
func (r *run) docBase(pageURL *url.URL, links []link) *url.URL {
	for _, l := range links {
		if l.tag != atom.Base {
			continue
		}
		if strings.TrimSpace(l.href) == "" {
			return pageURL
		}
		ref, err := url.Parse(strings.TrimSpace(l.href))
		if err != nil {
			return pageURL
		}
		b := pageURL.ResolveReference(ref)
		if b.User != nil || (b.Scheme != "http" && b.Scheme != "https") || !r.c.scope.allows(b) {
			return pageURL
		}
		return b
	}
	return pageURL
}

// isHTML reports whether a response holds an HTML page.
func isHTML(res *response) bool {
	ct := strings.ToLower(res.header.Get("Content-Type"))
	if strings.Contains(ct, "html") {
		return true
	}
	if ct != "" && !strings.HasPrefix(ct, "text/plain") && !strings.HasPrefix(ct, "application/octet-stream") {
		return false
	}
	head := res.body[:min(len(res.body), 512)]
	return bytes.Contains(bytes.ToLower(head), []byte("<html")) || bytes.Contains(bytes.ToLower(head), []byte("<!doctype html"))
}
