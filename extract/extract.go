package extract

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// ErrNotArticle is returned, wrapped, when a page has no article text:
// listing pages, empty pages, error pages.
var ErrNotArticle = errors.New("not an article")

// Options says how to extract one page. The zero value means generic
// extraction, site "" and WIB dates.
type Options struct {
	// Site is the site name; it sets Article.Site and Article.ID
	// (ArticleID(site, canonical URL)).
	Site string
	// Profile is the profile name: Article.Extractor is "profile:"+Profile
	// when Rules is not nil, else "generic".
	Profile string
	// Rules is the site profile; nil means the generic extractor.
	Rules *Rules
	// ContentType is the HTTP Content-Type header, for the charset. When
	// empty the charset is sniffed from <meta charset>, then the content.
	ContentType string
	// FetchedAt is the fetch time: Article.FetchedAt, and the anchor for
	// relative dates ("9 menit yang lalu", "kemarin"). Zero leaves
	// FetchedAt empty and relative dates unread.
	FetchedAt time.Time
	// Location is the zone of dates printed without one; nil means
	// DefaultTimezone (Asia/Jakarta, WIB, UTC+7).
	Location *time.Location
	// Hosts are the site's allowed hosts ("host" allows every port,
	// "host:port" one). A rel=canonical or og:url on another host does not
	// name the article, and a <base href> on another host is ignored. Empty
	// means the host of the page URL (and its www. twin).
	Hosts []string
	// SiteTitle is the site's name as its config titles it ("Pemerintah
	// Kota Sawahlunto"): a title part that names it is stripped from
	// headlines, like og:site_name.
	SiteTitle string
	// NoSecondOpinion keeps the generic result whatever its confidence:
	// go-readability is never asked (see MinConfidence).
	NoSecondOpinion bool
	// KeepURL makes pageURL the Article's URL whatever canonical URL the
	// page names: the caller has decided the page's identity already (the
	// crawler follows rel=canonical itself, with its own notion of what
	// is an article, and archives the page under that URL).
	KeepURL bool
	// MaxBytes bounds the part of the page that is read: a longer page is
	// cut at the last tag before the limit and extracted from that part,
	// so time and memory stay bounded. 0 means DefaultMaxBytes.
	MaxBytes int
	// Hints is what was learned about the site from its other pages
	// (SiteLearner): paragraphs printed verbatim on many of them are
	// dropped from the body, and title parts they all carry from the
	// title. nil learns nothing and drops nothing.
	Hints *SiteHints
}

// DefaultMaxBytes is the part of a page Extract reads when Options.MaxBytes
// is 0. News pages weigh 50 KB to 3 MB, scripts and styles included.
const DefaultMaxBytes = 8 << 20

// MaxBodyBytes bounds Article.Body: paragraphs past it are dropped.
const MaxBodyBytes = 2 << 20

// Removal is one block that extraction threw away, with the rule that
// removed it, so that whoever writes a profile can check that nothing of
// the article was lost.
type Removal struct {
	// Rule names the rule: "profile.remove", "slider", "comments",
	// "related", "share", "ads", "navigation", "meta", "hidden",
	// "junk-paragraph", "link-list", "unlikely" and so on.
	Rule string `json:"rule"`
	// Selector is the CSS selector or pattern that matched, when one did.
	Selector string `json:"selector,omitempty"`
	// Reason says in words why the block is not article text.
	Reason string `json:"reason"`
	// Text is the removed block's text, whitespace-normalized (cut at 300
	// characters).
	Text string `json:"text"`
}

// Extract turns one fetched HTML page into an Article. pageURL is the URL
// the page was fetched from. It is the Article's URL unless the page names
// a canonical URL (rel=canonical, og:url) on one of Options.Hosts that is
// not a site's home page. A <base href> on those hosts resolves relative
// links, and never names the article. A page without article text gives an
// error wrapping ErrNotArticle.
func Extract(page []byte, pageURL string, opt Options) (*Article, error) {
	a, _, err := extract(page, pageURL, opt, false, nil)
	return a, err
}

// ExtractRequisites is Extract that also returns the page's requisites
// (see Requisites), listed from the same parse before extraction changes
// the tree: a crawl that archives requisites parses each page once.
func ExtractRequisites(page []byte, pageURL string, opt Options) (*Article, []string, error) {
	var reqs []string
	a, _, err := extract(page, pageURL, opt, false, &reqs)
	if err != nil {
		return nil, nil, err
	}
	return a, reqs, nil
}

// Explain is Extract that also lists every block removed from the
// article's container and every paragraph dropped as junk, in document
// order, with the rule that removed it. Text outside the article's
// container (menus, sidebars, footers) is not listed block by block.
func Explain(page []byte, pageURL string, opt Options) (*Article, []Removal, error) {
	a, e, err := extract(page, pageURL, opt, true, nil)
	return a, e.Removed, err
}

// ExplainAll is Explain with the confidence in the generic result and the
// path whose text won (see Explanation).
func ExplainAll(page []byte, pageURL string, opt Options) (*Article, Explanation, error) {
	return extract(page, pageURL, opt, true, nil)
}

// extract is Extract, Explain and ExtractRequisites: with reqs, the
// page's requisites are listed into it.
func extract(page []byte, pageURL string, opt Options, explain bool, reqs *[]string) (*Article, Explanation, error) {
	base, err := url.Parse(pageURL)
	if err != nil {
		return nil, Explanation{}, fmt.Errorf("extract: parse url %q: %w", pageURL, err)
	}
	rules, err := compileRules(opt.Rules)
	if err != nil {
		return nil, Explanation{}, fmt.Errorf("extract: %s: %w", pageURL, err)
	}
	page = limitPage(page, opt.MaxBytes)
	// The attributes dropped are none that requisites are read from
	// (RefOf's and linkLoads' names are read by name, so
	// TestAttrsReadListed keeps them); go-readability, asked for a second
	// opinion, parses the page again whole (see secondOpinion).
	root, err := parseDropping(page, opt.ContentType, reqs != nil, unreadAttrs(rules))
	if err != nil {
		return nil, Explanation{}, fmt.Errorf("extract: parse %s: %w", pageURL, err)
	}
	if reqs != nil {
		*reqs = requisitesOf(root, base)
	}
	x := &extraction{
		root:    root,
		page:    base,
		raw:     page,
		base:    base,
		opt:     opt,
		rules:   rules,
		loc:     location(opt.Location),
		explain: explain,
	}
	a, err := x.run()
	e := Explanation{Removed: x.removals, Confidence: x.conf, Signals: x.signals, Path: x.path}
	if err != nil {
		return nil, e, fmt.Errorf("extract: %s: %w", pageURL, err)
	}
	return a, e, nil
}

// limitPage cuts page to max bytes (DefaultMaxBytes when 0), at the last
// tag start before the limit.
func limitPage(page []byte, max int) []byte {
	if max <= 0 {
		max = DefaultMaxBytes
	}
	if len(page) <= max {
		return page
	}
	cut := page[:max]
	if i := bytes.LastIndexByte(cut, '<'); i > 0 {
		cut = cut[:i]
	}
	return cut
}

// DefaultTimezone is the zone of dates printed without one when
// Options.Location is nil, and of a site config without a timezone:
// Western Indonesia Time, where most of warta's sites are.
const DefaultTimezone = "Asia/Jakarta"

// location returns loc, or DefaultLocation.
func location(loc *time.Location) *time.Location {
	if loc != nil {
		return loc
	}
	return DefaultLocation()
}

// DefaultLocation is the zone of DefaultTimezone, for dates that belong to
// no site in particular; its fixed +07:00 (it has had no daylight saving
// since 1964) when the system has no zoneinfo.
func DefaultLocation() *time.Location { return defaultLocation() }

// defaultLocation loads the zone once: time.LoadLocation opens, reads and
// parses the zoneinfo file on every call (12 µs and 14 allocations on an
// idle core, several times that under load), which every Extract without
// Options.Location paid. A Location never changes, so sharing it keeps
// Extract pure.
var defaultLocation = sync.OnceValue(func() *time.Location {
	if l, err := time.LoadLocation(DefaultTimezone); err == nil {
		return l
	}
	return time.FixedZone("WIB", 7*3600)
})

// extraction is the state of one Extract call.
type extraction struct {
	root *html.Node
	// page is the URL the page was fetched from; base resolves its
	// relative links: page, or an on-site <base href>.
	page     *url.URL
	raw      []byte // the page as parsed, for a second opinion
	base     *url.URL
	opt      Options
	rules    *compiledRules
	loc      *time.Location
	explain  bool
	removals []Removal
	meta     pageMeta
	present  map[string]bool                      // class names, ids and attribute names in the page
	groups   map[*selector]cascadia.SelectorGroup // g's answers for this page
	// titleFromDocTitle is set when the title came from <title> or was not
	// found: a heading in the article's container may do better.
	titleFromDocTitle bool
	// prose maps elements to the length of the prose under them (set by
	// findBody, or by clean for a profile's body).
	prose map[*html.Node]int
	// profileSel is what the profile's field rules match in the page
	// (profileMatches), until clean changes the page.
	profileSel *goquery.Selection
	// bodyFromProfile is set when the profile's body selector found the
	// article's container; the generic clean-up then trusts it more.
	bodyFromProfile bool
	// captionsAreText is set by clean when the captions say more than the
	// rest of the article: a photo story, whose captions are its text.
	captionsAreText bool
	sig             signals            // measures of the generic container
	sureChrome      int                // bytes of text clean removed as boxes of other stories, by their heading
	conf            float64            // confidence in the generic result
	signals         map[string]float64 // conf's measures, for Explain
	path            string             // which path's text won
}

func (x *extraction) run() (*Article, error) {
	x.present = map[string]bool{}
	var ruleNames map[string]bool
	var ruleValues map[string]map[string]bool
	if x.rules != nil {
		ruleNames, ruleValues = x.rules.names, x.rules.values
	}
	x.meta = readMeta(x.root, x.present, ruleNames, ruleValues)
	if b := strings.TrimSpace(x.meta.baseHref); b != "" {
		if u, err := x.page.Parse(b); err == nil && x.onSite(u) {
			x.base = u
		}
	}
	a := &Article{
		Site:       x.opt.Site,
		Images:     []Image{},
		Categories: []string{},
		Tags:       []string{},
		Extractor:  "generic",
	}
	if x.rules != nil {
		a.Extractor = "profile:" + x.opt.Profile
	}
	if !x.opt.FetchedAt.IsZero() {
		a.FetchedAt = x.opt.FetchedAt.Format(time.RFC3339)
	}
	a.URL = x.canonical()

	// Fields read from the page as a whole come first: body extraction
	// detaches nodes from the tree.
	a.Title = x.title()
	if t, whole := x.opt.Hints.stripTitle(a.Title); whole {
		// The site prints this title on many pages: it names the site or
		// a section, and the article's own heading may do better.
		x.titleFromDocTitle = true
	} else {
		a.Title = t
	}
	a.Published, a.DateSource = x.published()
	a.Modified = x.modified()
	a.Author = x.author()
	a.Categories = x.labels("categories", x.g(categorySelector), append(x.meta.sections, x.meta.ld.sections...))
	a.Tags = x.labels("tags", x.g(tagSelector), x.meta.tags)
	lead, featured := x.leadImage(), x.featuredImage()

	body := x.findBody()
	if x.titleFromDocTitle && body != nil {
		// Pages without a headline element or og:title print the headline
		// as the first heading of the article's container.
		if h := leadingHeading(body); h != "" {
			a.Title = h
		} else if h, rank := x.printedHeadline(body, a.Title == ""); h != "" && x.notHeadline(a.Title, h, rank, body) {
			a.Title = h
		}
	}
	a.Title = tidyTitle(a.Title)
	var paras []string
	if body != nil && inListing(body, x.prose) {
		return nil, ErrNotArticle
	}
	if body != nil {
		if x.prose == nil {
			x.prose = proseLengths(body)
		}
		// Before the container is measured: comments are neither the
		// article nor chrome around it, and a long thread cut away must
		// not read as a container that was mostly boilerplate.
		x.cutAtComments(body)
		if !x.bodyFromProfile {
			x.measure(body)
		}
		imgs := x.harvestImages(body)
		x.clean(body)
		paras = x.paragraphs(body, a.Title)
		a.Images = append(a.Images, imgs...)
	}
	x.path, x.conf = PathProfile, 1
	if !x.bodyFromProfile {
		// The generic result, or a profile whose body selector missed.
		x.path = PathGeneric
		x.conf, x.signals = x.confidence(paras)
		if x.conf < MinConfidence && !x.opt.NoSecondOpinion {
			x.path = PathKept
			if alt := x.secondOpinion(a.Title); better(paras, alt) {
				paras, x.path = alt, PathReadability
			}
		}
	}
	a.Images = withLead(a.Images, featured, lead)
	paras = x.dropBoilerplate(paras)
	if len(paras) == 0 {
		return nil, ErrNotArticle
	}
	for i, p := range paras {
		paras[i] = printable(p)
	}
	a.Title, a.Author = printable(a.Title), printable(a.Author)
	for _, l := range [][]string{a.Categories, a.Tags} {
		for i, v := range l {
			l[i] = printable(v)
		}
	}
	a.Body = joinBounded(paras, MaxBodyBytes)
	a.Dateline = findDateline(paras[0])
	a.Language = language(a.Title + " " + a.Body)
	if a.ID == "" {
		a.ID = ArticleID(x.opt.Site, a.URL)
	}
	a.ContentHash = ContentHash(a)
	return a, nil
}

// canonical returns the article's URL: <link rel=canonical> or og:url
// when it is an http(s) URL on one of the site's hosts and not a home page
// (themes that point every page at the home page would make all articles
// one), else the URL the page was fetched from.
func (x *extraction) canonical() string {
	if x.opt.KeepURL {
		return stripFragment(x.page).String()
	}
	for _, c := range []string{x.meta.canonical, x.meta.get("og:url")} {
		if c = strings.TrimSpace(c); c == "" {
			continue
		}
		u, err := x.base.Parse(c)
		if err != nil || !x.onSite(u) || (strings.Trim(u.Path, "/") == "" && u.RawQuery == "") {
			continue
		}
		u.Fragment, u.RawFragment = "", ""
		return u.String()
	}
	return stripFragment(x.page).String()
}

// onSite reports whether u is an http(s) URL without credentials on one of
// the site's hosts (Options.Hosts, or the page's own host).
func (x *extraction) onSite(u *url.URL) bool {
	if (u.Scheme != "http" && u.Scheme != "https") || u.User != nil || u.Host == "" {
		return false
	}
	if len(x.opt.Hosts) == 0 {
		return sameHost(u.Host, x.page.Host)
	}
	host := strings.ToLower(u.Host)
	name := strings.ToLower(u.Hostname())
	for _, h := range x.opt.Hosts {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == host || (h == name && !strings.Contains(strings.Trim(h, "[]"), ":") || h == "["+name+"]") {
			return true
		}
	}
	return false
}

func sameHost(a, b string) bool {
	a = strings.TrimPrefix(strings.ToLower(a), "www.")
	b = strings.TrimPrefix(strings.ToLower(b), "www.")
	return a == b
}

func (x *extraction) remove(n *html.Node, rule, selector, reason string) {
	if x.explain {
		x.removals = append(x.removals, Removal{Rule: rule, Selector: selector, Reason: reason, Text: cut(normSpace(textOf(n)), 300)})
	}
	if n.Parent != nil {
		n.Parent.RemoveChild(n)
	}
}

func (x *extraction) dropText(text, rule, selector, reason string) {
	if x.explain {
		x.removals = append(x.removals, Removal{Rule: rule, Selector: selector, Reason: reason, Text: cut(text, 300)})
	}
}

func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !isRuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// printable returns s with its control characters but newline and tab
// (ESC, BEL, carriage return, C1 controls) turned into spaces. A page may
// hold them in its text, where a browser shows nothing, and in an article
// they are noise that reaches search results, exports and terminals (an
// escape sequence can clear a screen or set a clipboard). A space, not
// nothing: the words either side of one stay apart.
func printable(s string) string {
	if !strings.ContainsFunc(s, isNoise) {
		return s
	}
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if isNoise(r) {
			return ' '
		}
		return r
	}, s))
}

func isNoise(r rune) bool { return r != '\n' && r != '\t' && unicode.IsControl(r) }

// joinBounded joins paragraphs with a blank line, stopping before the
// text passes max bytes.
func joinBounded(paras []string, max int) string {
	n := 0
	for i, p := range paras {
		n += len(p) + 2
		if n > max && i > 0 {
			paras = paras[:i]
			break
		}
	}
	return strings.Join(paras, "\n\n")
}
