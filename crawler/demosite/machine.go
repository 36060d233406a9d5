package demosite

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// sitemapSize is the number of URLs in one WordPress core posts sitemap.
const sitemapSize = 2000

const rssTime = "Mon, 02 Jan 2006 15:04:05 +0000"

// contentHTML is the post body as WordPress's the_content prints it (and
// the REST API and the feed return it): gallery, paragraphs, "Baca juga"
// and "Editor" lines, without the theme around it.
func contentHTML(base string, p *post, byID map[int]*post) string {
	w := &page{base: base}
	w.body(p, byID, true)
	return w.String()
}

// linked returns the posts p links to, looked up under the read lock.
func (s *Site) linked(p *post) map[int]*post {
	m := make(map[int]*post, 2)
	if p.bacaJuga != 0 {
		s.mu.RLock()
		m[p.bacaJuga] = s.byID[p.bacaJuga]
		s.mu.RUnlock()
	}
	return m
}

// feed serves the RSS 2.0 feed of the 10 newest posts, of one category
// when cat >= 0.
func (s *Site) feed(base string, cat int) *response {
	var items []*post
	for _, p := range s.snapshot() {
		if cat < 0 || slices.Contains(p.cats, cat) {
			items = append(items, p)
			if len(items) == perPage {
				break
			}
		}
	}
	title, self, link := siteName, base+"/feed/", base
	if cat >= 0 {
		title = categories[cat].name + " – " + siteName
		self = base + "/category/" + categories[cat].slug + "/feed/"
		link = base + "/category/" + categories[cat].slug + "/"
	}
	var mod time.Time
	for _, p := range items {
		if p.modified.After(mod) {
			mod = p.modified
		}
	}
	if mod.IsZero() {
		mod = spanStart
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom"
	xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
	xmlns:slash="http://purl.org/rss/1.0/modules/slash/"
	>

<channel>
	<title>` + esc(title) + `</title>
	<atom:link href="` + self + `" rel="self" type="application/rss+xml" />
	<link>` + link + `</link>
	<description>` + siteTagline + `</description>
	<lastBuildDate>` + mod.UTC().Format(rssTime) + `</lastBuildDate>
	<language>id</language>
	<sy:updatePeriod>
	hourly	</sy:updatePeriod>
	<sy:updateFrequency>
	1	</sy:updateFrequency>
	<generator>https://wordpress.org/?v=6.1.1</generator>
`)
	for _, p := range items {
		u := base + p.path()
		b.WriteString("\t<item>\n\t\t<title>" + esc(p.title) + "</title>\n\t\t<link>" + u + "</link>\n")
		b.WriteString("\t\t<comments>" + u + "#respond</comments>\n")
		b.WriteString("\t\t<dc:creator><![CDATA[" + p.author + "]]></dc:creator>\n")
		b.WriteString("\t\t<pubDate>" + p.published.UTC().Format(rssTime) + "</pubDate>\n")
		for _, c := range p.cats {
			b.WriteString("\t\t<category><![CDATA[" + categories[c].name + "]]></category>\n")
		}
		for _, t := range p.tags {
			b.WriteString("\t\t<category><![CDATA[" + t + "]]></category>\n")
		}
		b.WriteString("\t\t<guid isPermaLink=\"false\">" + base + "/?p=" + strconv.Itoa(p.id) + "</guid>\n")
		b.WriteString("\t\t<description><![CDATA[" + p.excerpt() + "]]></description>\n")
		b.WriteString("\t\t<content:encoded><![CDATA[" + contentHTML(base, p, s.linked(p)) + "]]></content:encoded>\n")
		b.WriteString("\t\t<wfw:commentRss>" + u + "/feed/</wfw:commentRss>\n\t\t<slash:comments>0</slash:comments>\n\t</item>\n")
	}
	b.WriteString("\t</channel>\n</rss>\n")
	return &response{kind: KindFeed, status: http.StatusOK, ctype: "application/rss+xml; charset=UTF-8", body: b.String(), modified: mod}
}

// sitemap serves the WordPress core sitemaps: the index, the posts
// sitemaps (by id, 2000 each, with lastmod), pages and categories.
func (s *Site) sitemap(base, path string) *response {
	all := s.snapshot()
	chunks := max(1, (len(all)+sitemapSize-1)/sitemapSize)
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	var mod time.Time
	switch {
	case path == "/wp-sitemap.xml":
		b.WriteString(`<?xml-stylesheet type="text/xsl" href="` + base + `/wp-sitemap-index.xsl" ?>` + "\n")
		b.WriteString(`<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
		for k := 1; k <= chunks; k++ {
			b.WriteString(`<sitemap><loc>` + base + `/wp-sitemap-posts-post-` + strconv.Itoa(k) + `.xml</loc></sitemap>`)
		}
		b.WriteString(`<sitemap><loc>` + base + `/wp-sitemap-posts-page-1.xml</loc></sitemap>`)
		b.WriteString(`<sitemap><loc>` + base + `/wp-sitemap-taxonomies-category-1.xml</loc></sitemap>`)
		b.WriteString("</sitemapindex>\n")
		for _, p := range all {
			if p.modified.After(mod) {
				mod = p.modified
			}
		}
	case strings.HasPrefix(path, "/wp-sitemap-posts-post-") && strings.HasSuffix(path, ".xml"):
		k, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(path, "/wp-sitemap-posts-post-"), ".xml"))
		if err != nil || k < 1 || k > chunks {
			return s.notFound(base, KindSitemap)
		}
		b.WriteString(`<?xml-stylesheet type="text/xsl" href="` + base + `/wp-sitemap.xsl" ?>` + "\n")
		b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
		// Ids ascending: posts are newest first and ids grow with time.
		for i := len(all) - 1 - (k-1)*sitemapSize; i >= 0 && i > len(all)-1-k*sitemapSize; i-- {
			p := all[i]
			b.WriteString(`<url><loc>` + base + p.path() + `</loc><lastmod>` + p.modified.UTC().Format("2006-01-02T15:04:05+00:00") + `</lastmod></url>`)
			if p.modified.After(mod) {
				mod = p.modified
			}
		}
		b.WriteString("</urlset>\n")
	case path == "/wp-sitemap-posts-page-1.xml":
		b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
		for _, pg := range []string{"/profil/", "/layanan/", "/kontak/"} {
			b.WriteString(`<url><loc>` + base + pg + `</loc><lastmod>` + spanStart.UTC().Format("2006-01-02T15:04:05+00:00") + `</lastmod></url>`)
		}
		b.WriteString("</urlset>\n")
		mod = spanStart
	case path == "/wp-sitemap-taxonomies-category-1.xml":
		b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
		for i, c := range categories {
			for _, p := range all {
				if slices.Contains(p.cats, i) {
					b.WriteString(`<url><loc>` + base + `/category/` + c.slug + `/</loc></url>`)
					mod = spanStart
					break
				}
			}
		}
		b.WriteString("</urlset>\n")
	default:
		return s.notFound(base, KindSitemap)
	}
	return &response{kind: KindSitemap, status: http.StatusOK, ctype: xmlType, body: b.String(), modified: mod}
}

// The WordPress REST API.

type rendered struct {
	Rendered  string `json:"rendered"`
	Protected *bool  `json:"protected,omitempty"`
}

type apiPost struct {
	ID            int      `json:"id"`
	Date          string   `json:"date"`
	DateGMT       string   `json:"date_gmt"`
	GUID          rendered `json:"guid"`
	Modified      string   `json:"modified"`
	ModifiedGMT   string   `json:"modified_gmt"`
	Slug          string   `json:"slug"`
	Status        string   `json:"status"`
	Type          string   `json:"type"`
	Link          string   `json:"link"`
	Title         rendered `json:"title"`
	Content       rendered `json:"content"`
	Excerpt       rendered `json:"excerpt"`
	Author        int      `json:"author"`
	FeaturedMedia int      `json:"featured_media"`
	CommentStatus string   `json:"comment_status"`
	PingStatus    string   `json:"ping_status"`
	Sticky        bool     `json:"sticky"`
	Template      string   `json:"template"`
	Format        string   `json:"format"`
	Meta          []string `json:"meta"`
	Categories    []int    `json:"categories"`
	Tags          []int    `json:"tags"`
}

type apiTerm struct {
	ID          int    `json:"id"`
	Count       int    `json:"count"`
	Description string `json:"description"`
	Link        string `json:"link"`
	Name        string `json:"name"`
	Slug        string `json:"slug"`
	Taxonomy    string `json:"taxonomy"`
	Parent      int    `json:"parent"`
}

type apiError struct {
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Data    map[string]any `json:"data"`
}

const (
	wpLocal = "2006-01-02T15:04:05"
	tagBase = 20 // id of the first tag
)

func jsonBody(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	// Encoding the package's own plain structs cannot fail.
	_ = enc.Encode(v)
	return strings.TrimSuffix(buf.String(), "\n")
}

func apiErr(status int, code, msg string, extra map[string]any) *response {
	data := map[string]any{"status": status}
	for k, v := range extra {
		data[k] = v
	}
	return &response{kind: KindAPI, status: status, ctype: jsonType, body: jsonBody(apiError{Code: code, Message: msg, Data: data})}
}

func invalidParam(name, why string) *response {
	return apiErr(http.StatusBadRequest, "rest_invalid_param", "Invalid parameter(s): "+name,
		map[string]any{"params": map[string]string{name: why}})
}

func authorID(name string) int {
	switch name {
	case "admin":
		return 1
	case "Humas Sawahlunto":
		return 2
	}
	return 3
}

// tagIDs numbers every tag name the site uses, in a fixed order.
func tagIDs() map[string]int {
	m := map[string]int{}
	add := func(t string) {
		if _, ok := m[t]; !ok {
			m[t] = tagBase + len(m)
		}
	}
	for _, tp := range topics {
		for _, t := range tp.tags {
			add(t)
		}
	}
	add("Deri Asta")
	add("IKM")
	add("Kemenperin")
	return m
}

// apiObject is post p as the REST API gives it: whole, or cut down to the
// fields a request's _fields names (see apiFields). Its content and
// excerpt are rendered only when they are given.
func (s *Site) apiObject(base string, p *post, tags map[string]int, fields map[string]bool) any {
	if fields == nil {
		return s.apiPost(base, p, tags, true)
	}
	return pickFields(s.apiPost(base, p, tags, fields["content"] || fields["excerpt"]), fields)
}

// apiFields reads the _fields parameter (WordPress 4.9.8+, which a crawl
// uses to leave out what it does not read): the top-level fields to
// keep, nil for all. A nested name (title.rendered) keeps its whole
// top-level field, and unknown names are ignored, as WordPress does.
func apiFields(q url.Values) map[string]bool {
	v := q.Get("_fields")
	if v == "" {
		return nil
	}
	fields := map[string]bool{}
	for _, f := range strings.Split(v, ",") {
		top, _, _ := strings.Cut(strings.TrimSpace(f), ".")
		fields[top] = true
	}
	return fields
}

// pickFields encodes the fields of struct v whose JSON names are in
// fields, in v's order, as WordPress keeps its own order.
func pickFields(v any, fields map[string]bool) json.RawMessage {
	rv := reflect.ValueOf(v)
	var b bytes.Buffer
	b.WriteByte('{')
	for i := range rv.NumField() {
		name, _, _ := strings.Cut(rv.Type().Field(i).Tag.Get("json"), ",")
		if !fields[name] {
			continue
		}
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(name))
		b.WriteByte(':')
		b.WriteString(jsonBody(rv.Field(i).Interface()))
	}
	b.WriteByte('}')
	return b.Bytes()
}

// apiPost is post p as the REST API gives it; without render its content
// and excerpt are left empty.
func (s *Site) apiPost(base string, p *post, tags map[string]int, render bool) apiPost {
	f := false
	a := apiPost{
		ID:            p.id,
		Date:          p.published.In(siteZone).Format(wpLocal),
		DateGMT:       p.published.UTC().Format(wpLocal),
		GUID:          rendered{Rendered: base + "/?p=" + strconv.Itoa(p.id)},
		Modified:      p.modified.In(siteZone).Format(wpLocal),
		ModifiedGMT:   p.modified.UTC().Format(wpLocal),
		Slug:          p.slug,
		Status:        "publish",
		Type:          "post",
		Link:          base + p.path(),
		Title:         rendered{Rendered: esc(p.title)},
		Content:       rendered{Protected: &f},
		Excerpt:       rendered{Protected: &f},
		Author:        authorID(p.author),
		CommentStatus: "closed",
		PingStatus:    "closed",
		Format:        "standard",
		Meta:          []string{},
		Categories:    []int{},
		Tags:          []int{},
	}
	if render {
		a.Content.Rendered = contentHTML(base, p, s.linked(p))
		a.Excerpt.Rendered = "<p>" + esc(p.excerpt()) + "</p>\n"
	}
	for _, c := range p.cats {
		a.Categories = append(a.Categories, categories[c].id)
	}
	for _, t := range p.tags {
		a.Tags = append(a.Tags, tags[t])
	}
	return a
}

// api serves a REST route such as "/wp/v2/posts" ("" or "/" is the index).
func (s *Site) api(base, route string, q url.Values) *response {
	route = "/" + strings.Trim(route, "/")
	switch {
	case route == "/":
		return s.apiIndex(base)
	case route == "/wp/v2/posts":
		return s.apiPosts(base, q)
	case strings.HasPrefix(route, "/wp/v2/posts/"):
		id, err := strconv.Atoi(strings.TrimPrefix(route, "/wp/v2/posts/"))
		s.mu.RLock()
		p := s.byID[id]
		s.mu.RUnlock()
		if err != nil || p == nil {
			return apiErr(http.StatusNotFound, "rest_post_invalid_id", "Invalid post ID.", nil)
		}
		body := jsonBody(s.apiObject(base, p, tagIDs(), apiFields(q)))
		return &response{kind: KindAPI, status: http.StatusOK, ctype: jsonType, body: body, modified: p.modified}
	case route == "/wp/v2/categories" || route == "/wp/v2/tags":
		return s.apiTerms(base, route == "/wp/v2/categories", q)
	}
	return apiErr(http.StatusNotFound, "rest_no_route", "No route was found matching the URL and request method.", nil)
}

func (s *Site) apiIndex(base string) *response {
	idx := map[string]any{
		"name":            siteName,
		"description":     siteTagline,
		"url":             base,
		"home":            base,
		"gmt_offset":      "7",
		"timezone_string": "Asia/Jakarta",
		"namespaces":      []string{"oembed/1.0", "wp/v2", "wp-site-health/v1"},
		"authentication":  []string{},
		"routes": map[string]any{
			"/wp/v2/posts":      map[string]any{"namespace": "wp/v2", "methods": []string{"GET"}, "_links": map[string]any{"self": base + "/wp-json/wp/v2/posts"}},
			"/wp/v2/categories": map[string]any{"namespace": "wp/v2", "methods": []string{"GET"}, "_links": map[string]any{"self": base + "/wp-json/wp/v2/categories"}},
			"/wp/v2/tags":       map[string]any{"namespace": "wp/v2", "methods": []string{"GET"}, "_links": map[string]any{"self": base + "/wp-json/wp/v2/tags"}},
		},
	}
	return &response{kind: KindAPI, status: http.StatusOK, ctype: jsonType, body: jsonBody(idx), modified: spanStart}
}

// paging reads per_page and page: per_page 1..100 (default def), page >= 1.
func paging(q url.Values, def int) (per, pg int, bad *response) {
	per, pg = def, 1
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return 0, 0, invalidParam("per_page", "per_page must be between 1 (inclusive) and 100 (inclusive)")
		}
		per = n
	}
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return 0, 0, invalidParam("page", "page must be greater than or equal to 1")
		}
		pg = n
	}
	return per, pg, nil
}

// parseWPTime reads a REST date parameter: RFC 3339, or a site-local
// time without zone as WordPress accepts.
func parseWPTime(v string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, true
	}
	if t, err := time.ParseInLocation(wpLocal, v, siteZone); err == nil {
		return t, true
	}
	return time.Time{}, false
}

func (s *Site) apiPosts(base string, q url.Values) *response {
	per, pg, bad := paging(q, 10)
	if bad != nil {
		return bad
	}
	var filters []func(*post) bool
	for _, f := range []struct {
		name  string
		after bool
		field func(*post) time.Time
	}{
		{"modified_after", true, func(p *post) time.Time { return p.modified }},
		{"modified_before", false, func(p *post) time.Time { return p.modified }},
		{"after", true, func(p *post) time.Time { return p.published }},
		{"before", false, func(p *post) time.Time { return p.published }},
	} {
		v := q.Get(f.name)
		if v == "" {
			continue
		}
		t, ok := parseWPTime(v)
		if !ok {
			return invalidParam(f.name, "Invalid date.")
		}
		field, after := f.field, f.after
		filters = append(filters, func(p *post) bool {
			if after {
				return field(p).After(t)
			}
			return field(p).Before(t)
		})
	}
	if v := q.Get("categories"); v != "" {
		want := map[int]bool{}
		for _, part := range strings.Split(v, ",") {
			id, err := strconv.Atoi(strings.TrimSpace(part))
			if err != nil {
				return invalidParam("categories", "categories[0] is not of type integer.")
			}
			for i, c := range categories {
				if c.id == id {
					want[i] = true
				}
			}
		}
		filters = append(filters, func(p *post) bool {
			for _, c := range p.cats {
				if want[c] {
					return true
				}
			}
			return false
		})
	}
	var cmp func(a, b *post) int
	switch q.Get("orderby") {
	case "", "date":
		cmp = func(a, b *post) int { return a.published.Compare(b.published) }
	case "modified":
		cmp = func(a, b *post) int { return a.modified.Compare(b.modified) }
	case "id":
		cmp = func(a, b *post) int { return a.id - b.id }
	case "title":
		cmp = func(a, b *post) int { return strings.Compare(a.title, b.title) }
	case "slug":
		cmp = func(a, b *post) int { return strings.Compare(a.slug, b.slug) }
	default:
		return invalidParam("orderby", "orderby is not one of author, date, id, include, modified, parent, relevance, slug, include_slugs, title.")
	}
	desc := true
	switch q.Get("order") {
	case "", "desc":
	case "asc":
		desc = false
	default:
		return invalidParam("order", "order is not one of asc and desc.")
	}

	all := s.snapshot()
	list := make([]*post, 0, len(all))
	for _, p := range all {
		ok := true
		for _, f := range filters {
			if !f(p) {
				ok = false
				break
			}
		}
		if ok {
			list = append(list, p)
		}
	}
	slices.SortStableFunc(list, func(a, b *post) int {
		c := cmp(a, b)
		if c == 0 {
			c = a.id - b.id
		}
		if desc {
			return -c
		}
		return c
	})
	total := len(list)
	pages := (total + per - 1) / per
	// Pages shift when posts are added or edited: the validator covers
	// the whole result set.
	var mod time.Time
	for _, p := range list {
		mod = maxTime(mod, p.modified)
	}
	if pg > max(pages, 1) {
		return apiErr(http.StatusBadRequest, "rest_post_invalid_page_number", "The page number requested is larger than the number of pages available.", nil)
	}
	lo := (pg - 1) * per
	items := list[lo:min(lo+per, total)]
	tags := tagIDs()
	fields := apiFields(q)
	out := make([]any, 0, len(items))
	for _, p := range items {
		out = append(out, s.apiObject(base, p, tags, fields))
	}
	if mod.IsZero() {
		mod = spanStart
	}
	h := http.Header{
		"X-WP-Total":      {strconv.Itoa(total)},
		"X-WP-TotalPages": {strconv.Itoa(pages)},
	}
	link := func(k int) string {
		v := url.Values{}
		for key, vals := range q {
			if key != "rest_route" {
				v[key] = vals
			}
		}
		v.Set("page", strconv.Itoa(k))
		return base + "/wp-json/wp/v2/posts?" + v.Encode()
	}
	if pg > 1 {
		h.Add("Link", "<"+link(pg-1)+`>; rel="prev"`)
	}
	if pg < pages {
		h.Add("Link", "<"+link(pg+1)+`>; rel="next"`)
	}
	return &response{kind: KindAPI, status: http.StatusOK, ctype: jsonType, body: jsonBody(out), modified: mod, header: h}
}

func (s *Site) apiTerms(base string, cats bool, q url.Values) *response {
	per, pg, bad := paging(q, 10)
	if bad != nil {
		return bad
	}
	all := s.snapshot()
	var terms []apiTerm
	if cats {
		for i, c := range categories {
			n := 0
			for _, p := range all {
				if slices.Contains(p.cats, i) {
					n++
				}
			}
			terms = append(terms, apiTerm{ID: c.id, Count: n, Link: base + "/category/" + c.slug + "/", Name: c.name, Slug: c.slug, Taxonomy: "category"})
		}
	} else {
		ids := tagIDs()
		counts := map[string]int{}
		for _, p := range all {
			for _, t := range p.tags {
				counts[t]++
			}
		}
		for name, id := range ids {
			terms = append(terms, apiTerm{ID: id, Count: counts[name], Link: base + "/tag/" + slugify(name) + "/", Name: name, Slug: slugify(name), Taxonomy: "post_tag"})
		}
		slices.SortFunc(terms, func(a, b apiTerm) int { return strings.Compare(a.Name, b.Name) })
	}
	if cats {
		slices.SortFunc(terms, func(a, b apiTerm) int { return strings.Compare(a.Name, b.Name) })
	}
	total := len(terms)
	pages := (total + per - 1) / per
	if pg > max(pages, 1) {
		return apiErr(http.StatusBadRequest, "rest_term_invalid_page_number", "The page number requested is larger than the number of pages available.", nil)
	}
	lo := (pg - 1) * per
	out := terms[lo:min(lo+per, total)]
	if out == nil {
		out = []apiTerm{}
	}
	h := http.Header{
		"X-WP-Total":      {strconv.Itoa(total)},
		"X-WP-TotalPages": {strconv.Itoa(pages)},
	}
	return &response{kind: KindAPI, status: http.StatusOK, ctype: jsonType, body: jsonBody(out), modified: spanStart, header: h}
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
