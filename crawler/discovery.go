package crawler

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html/charset"
)

// startPage is a fetched start URL, kept for the discovery sources that
// need its links.
type startPage struct {
	url   *url.URL
	task  task
	res   *response
	links []link
}

// discoverAll fetches the start pages, then finds the site's articles
// from the best source the discovery mode allows, queueing them for the
// workers: the WordPress REST API, sitemaps, feeds, listing pages. In auto
// mode each source is tried in that order until one lists articles; feeds
// list only the newest posts, so listing pages are crawled beside them.
func (r *run) discoverAll(ctx, work context.Context) {
	var starts []startPage
	apiRoot := ""
	for _, s := range r.opt.StartURLs {
		t := task{url: s, kind: KindListing, start: true}
		cur, res := r.fetchTask(ctx, work, &t, nil)
		if res == nil {
			continue
		}
		p := r.page(t.kind, cur, s, res)
		if res.status >= 300 {
			r.failStatus(work, t, p, "start url")
			continue
		}
		r.mu.Lock()
		r.startOK = true
		r.mu.Unlock()
		sp := startPage{url: cur, task: t, res: res}
		if isHTML(res) {
			sp.links, _ = scanLinks(res.body)
		}
		if apiRoot == "" {
			apiRoot = apiRootOf(cur, res.header, sp.links)
		}
		starts = append(starts, sp)
		r.hand(work, t, p, true)
	}
	if len(starts) == 0 || ctx.Err() != nil {
		return
	}
	mode := r.opt.Discovery
	var used []string
	defer func() {
		r.mu.Lock()
		r.sum.Discovery = strings.Join(used, "+")
		r.mu.Unlock()
	}()
	if mode == DiscoveryAuto || mode == DiscoveryWordPress {
		if apiRoot == "" && mode == DiscoveryWordPress {
			apiRoot = starts[0].url.Scheme + "://" + starts[0].url.Host + "/wp-json/"
		}
		if apiRoot != "" && r.tryAPI(ctx, work, apiRoot) {
			used = append(used, DiscoveryWordPress)
			return
		}
		if ctx.Err() != nil {
			return
		}
		if mode == DiscoveryWordPress {
			r.opt.Logger.Warn("wordpress_api_unusable", "api", apiRoot)
		}
	}
	if mode != DiscoveryFeed && mode != DiscoveryListing {
		if r.trySitemaps(ctx, work, starts[0].url) {
			used = append(used, DiscoverySitemap)
			return
		}
		if ctx.Err() != nil {
			return
		}
		if mode == DiscoverySitemap {
			r.opt.Logger.Warn("no_sitemap_using_listings")
		}
	}
	if mode != DiscoveryListing {
		if r.tryFeeds(ctx, work, starts) {
			used = append(used, DiscoveryFeed)
			if mode == DiscoveryFeed {
				return
			}
		}
	}
	used = append(used, DiscoveryListing)
	r.followListings.Store(true)
	for _, sp := range starts {
		r.discover(sp.url, sp.task, sp.res, sp.links)
	}
}

// apiRootOf finds the WordPress REST API root a page advertises, in its
// Link header or its <link rel="https://api.w.org/">.
func apiRootOf(page *url.URL, h http.Header, links []link) string {
	for _, v := range h.Values("Link") {
		for _, part := range strings.Split(v, ",") {
			target, params, ok := strings.Cut(part, ";")
			if !ok || !strings.Contains(params, "https://api.w.org/") {
				continue
			}
			target = strings.Trim(strings.TrimSpace(target), "<>")
			if s := resolve(page, target); s != "" {
				return s
			}
		}
	}
	for _, l := range links {
		if l.tag == tagLink && hasWord(l.rel, "https://api.w.org/") {
			if s := resolve(page, l.href); s != "" {
				return s
			}
		}
	}
	return ""
}

// apiPostsURL returns the URL of page n of the posts endpoint under root,
// in either form WordPress uses: /wp-json/wp/v2/posts or
// /?rest_route=/wp/v2/posts.
func apiPostsURL(root string, n int, modifiedAfter time.Time) string {
	u, err := url.Parse(root)
	if err != nil {
		return ""
	}
	q := u.Query()
	if rr := q.Get("rest_route"); rr != "" {
		q.Set("rest_route", strings.TrimSuffix(rr, "/")+"/wp/v2/posts")
	} else {
		u.Path = strings.TrimSuffix(u.Path, "/") + "/wp/v2/posts"
	}
	q.Set("per_page", "100")
	// Only what apiPost reads: a page of whole posts (their rendered
	// content) is a hundred times the size, to download, decode and
	// archive. WordPress older than 4.9.8 ignores the parameter.
	q.Set("_fields", apiFieldList)
	q.Set("page", strconv.Itoa(n))
	q.Set("orderby", "modified")
	q.Set("order", "desc")
	if !modifiedAfter.IsZero() {
		q.Set("modified_after", modifiedAfter.UTC().Format("2006-01-02T15:04:05"))
	}
	u.RawQuery = q.Encode()
	s, _ := normalizeURL(u)
	return s
}

// apiPost holds the fields of a REST API post that discovery needs;
// apiFieldList names them for the API's _fields parameter.
type apiPost struct {
	ID          int    `json:"id"`
	Link        string `json:"link"`
	ModifiedGMT string `json:"modified_gmt"`
}

const apiFieldList = "id,link,modified_gmt"

// maxAPIPages bounds the API pages one run reads (100 posts each).
const maxAPIPages = 2000

// tryAPI lists the site's posts from the WordPress REST API and queues
// them as articles with their modification times. On a later run it asks
// only for posts modified since the newest modification the last complete
// run saw. It reports false when the API is unusable (401, 403, 404, not
// JSON, disallowed), so that discovery falls back to the next source.
func (r *run) tryAPI(ctx, work context.Context, root string) bool {
	rootURL, err := url.Parse(root)
	if err != nil || !r.c.scope.allows(rootURL) {
		return false
	}
	var since time.Time
	if v := r.st.getMeta(metaAPIModified); v != "" {
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			// A minute of margin for posts saved in the same second; the
			// lastmod check keeps them from being fetched again.
			since = t.Add(-time.Minute)
		}
	}
	total := 1
	// barren counts the pages in a row that listed no post the run did
	// not know: an API that answers every page with the same posts (or
	// claims a million pages) is a trap like pagination without end.
	barren := 0
	for n := 1; n <= total && n <= maxAPIPages; n++ {
		t := task{url: apiPostsURL(root, n, since), kind: KindAPI}
		cur, res := r.fetchTask(ctx, work, &t, nil)
		if res == nil {
			return n > 1
		}
		if res.status != http.StatusOK {
			if n == 1 {
				r.opt.Logger.Info("wordpress_api_unavailable", "url", t.url, "status", res.status)
				return false
			}
			r.fail(t, res.status, fmt.Errorf("crawler: api page %s: status %d", t.url, res.status))
			if res.status == http.StatusBadRequest {
				// WordPress's answer past the last page
				// (rest_post_invalid_page_number): X-WP-TotalPages lied.
				break
			}
			continue
		}
		var posts []apiPost
		if err := json.Unmarshal(res.body, &posts); err != nil {
			if n == 1 {
				r.opt.Logger.Info("wordpress_api_not_post_list", "url", t.url, "err", err)
				return false
			}
			r.fail(t, res.status, fmt.Errorf("crawler: api page %s: %w", t.url, err))
			continue
		}
		var tasks []task
		var newest time.Time
		for _, p := range posts {
			link := resolve(cur, p.Link)
			if link == "" {
				continue
			}
			u, _ := url.Parse(link)
			if !r.c.scope.allows(u) || (r.opt.ArticlePattern != nil && !r.opt.ArticlePattern.MatchString(link)) {
				continue
			}
			mod, _ := time.Parse("2006-01-02T15:04:05", p.ModifiedGMT)
			mod = plausible(mod, time.Now())
			if mod.After(newest) {
				newest = mod
			}
			tasks = append(tasks, task{url: link, kind: KindArticle, lastmod: mod})
		}
		if n == 1 {
			if v, err := strconv.Atoi(res.header.Get("X-WP-TotalPages")); err == nil {
				total = v
			}
			if len(posts) == 0 && since.IsZero() {
				return false // an API without posts says nothing about the site
			}
			if len(posts) > 0 && len(tasks) == 0 {
				// Links on another host or scheme, or none that the article
				// pattern accepts: the API does not describe this crawl.
				r.opt.Logger.Warn("wordpress_api_links_out_of_scope", "url", t.url, "example", posts[0].Link)
				return false
			}
			r.mu.Lock()
			r.apiUsed = true
			r.mu.Unlock()
		}
		r.hand(work, t, r.page(KindAPI, cur, t.url, res), true)
		r.mu.Lock()
		if newest.After(r.apiModified) {
			r.apiModified = newest
		}
		r.mu.Unlock()
		added := 0
		for _, at := range tasks {
			if r.fr.add(at) {
				added++
			}
		}
		if len(posts) == 0 {
			break // past the last page, whatever X-WP-TotalPages said
		}
		if barren = barren + 1; added > 0 {
			barren = 0
		}
		if barren > r.opt.MaxBarrenListings && n < total {
			r.trapped(apiPostsURL(root, n+1, since), trapBarrenAPI)
			break
		}
	}
	if since.IsZero() {
		return true
	}
	// On an incremental run, posts the API did not list are unchanged;
	// the newest modification seen so far carries over.
	r.mu.Lock()
	if t, err := time.Parse(time.RFC3339, r.st.getMeta(metaAPIModified)); err == nil && t.After(r.apiModified) {
		r.apiModified = t
	}
	r.mu.Unlock()
	return true
}

// Sitemap limits: documents read per run and index nesting.
const (
	maxSitemaps     = 1000
	maxSitemapDepth = 3
)

// skipSitemap matches sub-sitemaps that list no articles: taxonomies,
// authors, static pages.
var skipSitemap = regexp.MustCompile(`(?i)(taxonom|users|author|category|post_tag|tag-sitemap|posts-page|page-sitemap|wp-sitemap-posts-attachment)`)

// postSitemap matches sub-sitemaps that list only posts.
var postSitemap = regexp.MustCompile(`(?i)(wp-sitemap-posts-post-|post-sitemap|sitemap-posts|news-sitemap)`)

// trySitemaps reads the sitemaps that robots.txt names, or those at the
// WordPress and Yoast names and /sitemap.xml, and queues the article URLs
// they list with their lastmod. It reports whether any article was found.
func (r *run) trySitemaps(ctx, work context.Context, start *url.URL) bool {
	h := r.fetch.host(start)
	var queue []string
	for _, s := range h.sitemaps {
		if n := resolve(start, s); n != "" {
			queue = append(queue, n)
		}
	}
	probing := len(queue) == 0
	if probing {
		for _, p := range []string{"/wp-sitemap.xml", "/sitemap_index.xml", "/sitemap.xml"} {
			queue = append(queue, start.Scheme+"://"+start.Host+p)
		}
	}
	depth := map[string]int{}
	seen := map[string]bool{}
	found := 0
	for i := 0; i < len(queue) && i < maxSitemaps; i++ {
		s := queue[i]
		if seen[s] {
			continue
		}
		seen[s] = true
		su, err := url.Parse(s)
		if err != nil || !r.c.scope.allows(su) {
			continue
		}
		t := task{url: s, kind: KindSitemap}
		cur, res := r.fetchTask(ctx, work, &t, nil)
		if ctx.Err() != nil {
			return found > 0
		}
		if res == nil {
			continue
		}
		if res.status != http.StatusOK {
			if !probing || depth[s] > 0 {
				r.fail(t, res.status, fmt.Errorf("crawler: sitemap %s: status %d", s, res.status))
			}
			continue
		}
		sm, err := parseSitemap(res.body, r.opt.MaxPageBytes)
		if err != nil {
			if !probing || depth[s] > 0 {
				r.fail(t, res.status, fmt.Errorf("crawler: sitemap %s: %w", s, err))
			}
			continue
		}
		r.hand(work, t, r.page(KindSitemap, cur, s, res), true)
		if sm.cut != nil {
			why := sm.cut.Error()
			if res.truncated {
				why = fmt.Sprintf("longer than %d bytes, the max page size", r.opt.MaxPageBytes)
			}
			r.fail(t, res.status, fmt.Errorf("crawler: sitemap %s: cut after %d entries (%s): the entries after them are not read", s, len(sm.urls)+len(sm.children), why))
		}
		if probing && depth[s] == 0 {
			// The first standard name that answers is the site's sitemap.
			queue = queue[:i+1]
			probing = false
		}
		for _, child := range sm.children {
			n := resolve(cur, child)
			if n == "" || skipSitemap.MatchString(n) || depth[s]+1 > maxSitemapDepth {
				continue
			}
			if _, ok := depth[n]; !ok {
				depth[n] = depth[s] + 1
			}
			queue = append(queue, n)
		}
		allPosts := postSitemap.MatchString(s)
		for _, e := range sm.urls {
			n := resolve(cur, e.loc)
			if n == "" {
				continue
			}
			u, _ := url.Parse(n)
			if !r.c.scope.allows(u) {
				continue
			}
			if k := r.classify(u); k != KindArticle && (r.opt.ArticlePattern != nil || !allPosts || k != "") {
				continue
			}
			found++
			r.fr.add(task{url: n, kind: KindArticle, lastmod: plausible(e.lastmod, time.Now())})
		}
	}
	return found > 0
}

// sitemap is a parsed sitemap: either an index of children or a urlset.
// cut is set when the document ends early (a body cut at the size limit,
// or broken XML after some entries): the entries before are kept.
type sitemap struct {
	children []string
	urls     []sitemapURL
	cut      error
}

type sitemapURL struct {
	loc     string
	lastmod time.Time
}

// parseSitemap reads a sitemap index or urlset, gzipped or not. A
// gzipped one may inflate to limit bytes (the max page size): a few
// hundred kilobytes of gzip can hold gigabytes of XML. It reads the
// document token by token, so that a sitemap cut short (larger than the
// max page size, which the protocol's 50 MB may be) still gives the
// entries before the cut.
func parseSitemap(body []byte, limit int64) (*sitemap, error) {
	if len(body) > 2 && body[0] == 0x1f && body[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, fmt.Errorf("gunzip: %w", err)
		}
		plain, err := io.ReadAll(io.LimitReader(zr, limit+1))
		if err != nil {
			return nil, fmt.Errorf("gunzip: %w", err)
		}
		if int64(len(plain)) > limit {
			return nil, fmt.Errorf("gunzip: inflates to more than %d bytes (the max page size)", limit)
		}
		body = plain
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	// <?xml encoding="ISO-8859-1"?> and the like: without a reader for
	// it the decoder refuses the document.
	d.CharsetReader = charset.NewReaderLabel
	sm := &sitemap{}
	var root string
	depth := 0
	var entry sitemapURL
	var field string // "loc" or "lastmod" while inside one of an entry
	var text []byte
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			if root == "" || len(sm.urls)+len(sm.children) == 0 {
				return nil, fmt.Errorf("parse: %w", err)
			}
			sm.cut = err
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case depth == 1:
				root = t.Name.Local
				if root != "sitemapindex" && root != "urlset" {
					return nil, fmt.Errorf("parse: root element <%s> is not a sitemap", root)
				}
			case depth == 2:
				entry = sitemapURL{}
			case depth == 3 && (t.Name.Local == "loc" || t.Name.Local == "lastmod"):
				field, text = t.Name.Local, text[:0]
			}
		case xml.CharData:
			if field != "" {
				text = append(text, t...)
			}
		case xml.EndElement:
			switch {
			case depth == 3 && field == "loc":
				entry.loc = strings.TrimSpace(string(text))
			case depth == 3 && field == "lastmod":
				entry.lastmod = parseLastmod(string(text))
			case depth == 2 && entry.loc != "" && root == "urlset" && t.Name.Local == "url":
				sm.urls = append(sm.urls, entry)
			case depth == 2 && entry.loc != "" && root == "sitemapindex" && t.Name.Local == "sitemap":
				sm.children = append(sm.children, entry.loc)
			}
			if depth == 3 {
				field = ""
			}
			depth--
		}
	}
	if root == "" {
		return nil, errors.New("parse: no XML document")
	}
	return sm, nil
}

// plausible returns t, a modification time a site gave, or zero (not
// known) when t is more than a day after now. A date in the future would
// stand as the page's last change until that date: every real change
// before it would look older, and the page would never be fetched again
// (an API's modified_gmt of 2099 made every later run ask only for posts
// modified after 2099).
func plausible(t, now time.Time) time.Time {
	if t.After(now.Add(24 * time.Hour)) {
		return time.Time{}
	}
	return t
}

// parseLastmod reads a W3C datetime as sitemaps write it; zero when it
// does not parse.
func parseLastmod(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// maxFeeds bounds the feeds read in a run: a site advertises its main
// feed and a few for sections, not the thousands a page can name.
const maxFeeds = 20

// tryFeeds reads the RSS or Atom feeds the start pages advertise (or
// /feed/) and queues their items as articles. It reports whether any
// article was found.
func (r *run) tryFeeds(ctx, work context.Context, starts []startPage) bool {
	var feeds []string
	for _, sp := range starts {
		for _, l := range sp.links {
			if l.tag == tagLink && hasWord(l.rel, "alternate") && (strings.Contains(l.typ, "rss") || strings.Contains(l.typ, "atom")) {
				if n := resolve(sp.url, l.href); n != "" && !slices.Contains(feeds, n) && !strings.Contains(n, "/comments/") && len(feeds) < maxFeeds {
					feeds = append(feeds, n)
				}
			}
		}
	}
	if len(feeds) == 0 {
		feeds = []string{starts[0].url.Scheme + "://" + starts[0].url.Host + "/feed/"}
	}
	found := 0
	parser := gofeed.NewParser()
	for _, f := range feeds {
		fu, _ := url.Parse(f)
		if !r.c.scope.allows(fu) {
			continue
		}
		t := task{url: f, kind: KindFeed}
		cur, res := r.fetchTask(ctx, work, &t, nil)
		if res == nil || res.status != http.StatusOK {
			continue
		}
		feed, err := parser.Parse(bytes.NewReader(res.body))
		if err != nil {
			r.opt.Logger.Info("feed_unreadable", "url", f, "err", err)
			continue
		}
		r.hand(work, t, r.page(KindFeed, cur, f, res), true)
		for _, it := range feed.Items {
			n := resolve(cur, it.Link)
			if n == "" {
				continue
			}
			u, _ := url.Parse(n)
			if !r.c.scope.allows(u) || (r.opt.ArticlePattern != nil && !r.opt.ArticlePattern.MatchString(n) && !isShortlink(u)) {
				continue
			}
			// Only an update time says the item did not change; a
			// publication time alone leaves it to a conditional request.
			var mod time.Time
			if it.UpdatedParsed != nil {
				mod = plausible(*it.UpdatedParsed, time.Now())
			}
			found++
			r.fr.add(task{url: n, kind: KindArticle, lastmod: mod})
		}
	}
	return found > 0
}
