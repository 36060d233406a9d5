package demosite

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

const (
	siteName    = "Pemerintah Kota Sawahlunto"
	siteTagline = "Kota Wisata Tambang yang Berbudaya"
	perPage     = 10
)

// textEsc escapes text for HTML the way WordPress prints it: markup
// characters escaped and typographic punctuation as numeric entities.
var textEsc = strings.NewReplacer(
	"&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#039;",
	"–", "&#8211;", "—", "&#8212;", "“", "&#8220;", "”", "&#8221;", "‘", "&#8216;", "’", "&#8217;",
)

// esc escapes s for HTML text or a quoted attribute.
func esc(s string) string {
	// Most titles and paragraphs hold none of the characters textEsc
	// replaces (the typographic ones all start with the byte 0xE2), and
	// the Replacer copies a string even when it replaces nothing.
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '&', '<', '>', '"', '\'', 0xe2:
			return textEsc.Replace(s)
		}
	}
	return s
}

// dateID formats t in Indonesian, as the theme does: "Kamis, 23 Desember 2021".
func dateID(t time.Time) string {
	t = t.In(siteZone)
	return daysID[t.Weekday()] + ", " + strconv.Itoa(t.Day()) + " " + monthsID[t.Month()] + " " + strconv.Itoa(t.Year())
}

// page is an HTML page being written.
type page struct {
	strings.Builder
	base string // "http://host", no trailing slash
}

func (w *page) p(parts ...string) {
	for _, s := range parts {
		w.WriteString(s)
	}
}

// head writes everything up to the opening of #content.
func (w *page) head(title, canonical, bodyClass string, extra func()) {
	w.p(`<!DOCTYPE html>
<html lang="id-ID">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="profile" href="https://gmpg.org/xfn/11">
<title>`, esc(title), `</title>
<meta name="robots" content="max-image-preview:large">
<link rel="alternate" type="application/rss+xml" title="`, siteName, ` &raquo; Feed" href="`, w.base, `/feed/">
<link rel="stylesheet" id="sawahlunto-style-css" href="`, w.base, `/wp-content/themes/sawahlunto/style.css?ver=1.4.2" media="all">
<script src="`, w.base, `/wp-includes/js/jquery/jquery.min.js?ver=3.6.0" id="jquery-core-js"></script>
<link rel="https://api.w.org/" href="`, w.base, `/wp-json/">
`)
	if canonical != "" {
		w.p(`<link rel="canonical" href="`, canonical, "\">\n")
	}
	if extra != nil {
		extra()
	}
	w.p(`<meta name="generator" content="WordPress 6.1.1">
</head>
<body class="`, bodyClass, `">
<div id="page" class="site">
<a class="skip-link screen-reader-text" href="#content">Langsung ke konten</a>
<header id="masthead" class="site-header">
<div class="top-bar"><span class="top-date">Portal Resmi Pemerintah Kota Sawahlunto</span></div>
<div class="site-branding"><a href="`, w.base, `/" class="custom-logo-link" rel="home"><img width="250" height="80" src="`, w.base, `/wp-content/uploads/2017/01/logo-sawahlunto.png" class="custom-logo" alt="Pemerintah Kota Sawahlunto"></a>
<p class="site-title"><a href="`, w.base, `/" rel="home">`, siteName, `</a></p>
<p class="site-description">`, siteTagline, `</p></div>
<nav id="site-navigation" class="main-navigation" aria-label="Menu Utama"><button class="menu-toggle" aria-controls="primary-menu" aria-expanded="false">Menu</button>
<ul id="primary-menu" class="menu">
<li class="menu-item menu-item-home"><a href="`, w.base, `/">Beranda</a></li>
<li class="menu-item"><a href="`, w.base, `/profil/">Profil</a></li>
<li class="menu-item"><a href="`, w.base, `/category/kabar-pemerintah/">Berita</a></li>
<li class="menu-item"><a href="`, w.base, `/category/pariwisata/">Pariwisata</a></li>
<li class="menu-item"><a href="`, w.base, `/layanan/">Layanan</a></li>
<li class="menu-item"><a href="`, w.base, `/kontak/">Kontak</a></li>
</ul></nav>
</header>
<div id="content" class="site-content">
`)
}

// sidebarAndFooter closes #content and the page.
func (w *page) sidebarAndFooter(posts []*post) {
	w.p(`<aside id="secondary" class="widget-area">
<section id="search-2" class="widget widget_search"><form role="search" method="get" class="search-form" action="`, w.base, `/">
<label><span class="screen-reader-text">Cari untuk:</span><input type="search" class="search-field" placeholder="Cari &hellip;" value="" name="s"></label>
<input type="submit" class="search-submit" value="Cari"></form></section>
<section id="recent-posts-2" class="widget widget_recent_entries"><h2 class="widget-title">Berita Terbaru</h2>
<ul>
`)
	for _, p := range posts[:min(5, len(posts))] {
		w.p(`<li><a href="`, w.base, p.path(), `">`, esc(p.title), `</a> <span class="post-date">`, dateID(p.published), "</span></li>\n")
	}
	w.p(`</ul></section>
<section id="text-3" class="widget widget_text"><h2 class="widget-title">Agenda Pariwisata</h2><div class="textwidget"><ul>
`)
	for _, a := range agendaPariwisata {
		w.p("<li>", esc(a), "</li>\n")
	}
	w.p(`</ul></div></section>
<section id="archives-2" class="widget widget_archive"><h2 class="widget-title">Arsip</h2>
<ul>
`)
	seen := 0
	var last [2]int
	for _, p := range posts {
		t := p.published
		k := [2]int{t.Year(), int(t.Month())}
		if k == last {
			continue
		}
		last = k
		w.p(`<li><a href="`, w.base, fmt.Sprintf("/%04d/%02d/", k[0], k[1]), `">`, monthsID[k[1]], " ", strconv.Itoa(k[0]), "</a></li>\n")
		if seen++; seen == 12 {
			break
		}
	}
	w.p(`</ul></section>
</aside>
</div><!-- #content -->
<footer id="colophon" class="site-footer">
<div class="footer-widgets"><div class="footer-widget"><h3 class="widget-title">Pemerintah Kota Sawahlunto</h3>
<p>Jl. Soekarno-Hatta No. 1, Kelurahan Lubang Panjang, Kecamatan Barangin, Kota Sawahlunto, Sumatera Barat 27422</p>
<p>Telepon (0754) 61020 &middot; Surel: humas@sawahluntokota.go.id</p></div>
<div class="footer-widget"><h3 class="widget-title">Jam Pelayanan</h3><p>Senin&#8211;Kamis 07.30&#8211;16.00 WIB, Jumat 07.30&#8211;16.30 WIB</p></div></div>
<div class="site-info">&copy; 2017&#8211;2026 Pemerintah Kota Sawahlunto. Dikelola oleh Dinas Komunikasi dan Informatika.</div>
</footer>
</div><!-- #page -->
<script src="`, w.base, `/wp-content/themes/sawahlunto/js/navigation.js?ver=1.4.2" id="sawahlunto-navigation-js"></script>
</body>
</html>
`)
}

// articlePage renders the single-post page of p; posts is the site
// newest first, pos the index of p in it, linked the posts p links to.
func (s *Site) articlePage(base string, p *post, posts []*post, linked map[int]*post, pos int) string {
	w := &page{base: base}
	w.Grow(40 << 10)
	url := base + p.path()
	w.head(p.title+" – "+siteName, url, "post-template-default single single-post postid-"+strconv.Itoa(p.id)+" single-format-standard", func() {
		w.p(`<link rel="alternate" type="application/json" href="`, base, `/wp-json/wp/v2/posts/`, strconv.Itoa(p.id), "\">\n")
		w.p(`<link rel="shortlink" href="`, base, `/?p=`, strconv.Itoa(p.id), "\">\n")
		w.p(`<meta property="og:locale" content="id_ID">
<meta property="og:type" content="article">
<meta property="og:title" content="`, esc(p.title), `">
<meta property="og:url" content="`, url, `">
<meta property="og:site_name" content="`, siteName, "\">\n")
		if len(p.pictures) > 0 {
			w.p(`<meta property="og:image" content="`, base, p.pictures[0].path, "\">\n")
		}
		w.p(`<meta property="article:published_time" content="`, p.published.UTC().Format("2006-01-02T15:04:05+00:00"), `">
<meta property="article:modified_time" content="`, p.modified.UTC().Format("2006-01-02T15:04:05+00:00"), "\">\n")
		w.p(`<script type="application/ld+json" class="yoast-schema-graph">`, schemaGraph(base, p), "</script>\n")
	})
	w.p(`<div id="primary" class="content-area"><main id="main" class="site-main">
<nav class="breadcrumbs" aria-label="Breadcrumb"><a href="`, base, `/">Beranda</a> &raquo; <a href="`, base, "/category/", categories[p.cats[0]].slug, `/">`, categories[p.cats[0]].name, `</a> &raquo; <span class="breadcrumb_last" aria-current="page">`, esc(p.title), `</span></nav>
<article id="post-`, strconv.Itoa(p.id), `" class="post-`, strconv.Itoa(p.id), ` post type-post status-publish format-standard hentry`)
	for _, c := range p.cats {
		w.p(" category-", categories[c].slug)
	}
	for _, t := range p.tags {
		w.p(" tag-", slugify(t))
	}
	w.p(`">
<header class="entry-header">
<h1 class="entry-title">`, esc(p.title), `</h1>
<div class="entry-meta"><span class="posted-on"><i class="fa fa-calendar"></i> <a href="`, url, `" rel="bookmark"><time class="entry-date published" datetime="`, p.published.Format(time.RFC3339), `">`, dateID(p.published), `</time><time class="updated" datetime="`, p.modified.Format(time.RFC3339), `">`, dateID(p.modified), `</time></a></span>
<span class="byline"><i class="fa fa-user"></i> <span class="author vcard"><span class="author-name"><a class="url fn n" href="`, base, "/author/", slugify(p.author), `/">`, esc(p.author), `</a></span></span></span>
<span class="comments-link"><i class="fa fa-comment"></i> <a href="`, url, `#respond">No Comment</a></span></div>
</header>
<div class="entry-content">
`)
	w.body(p, linked, true)
	w.p(`<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social sd-social-icon-text sd-sharing"><h3 class="sd-title">Bagikan:</h3><div class="sd-content"><ul>
<li class="share-facebook"><a rel="nofollow noopener noreferrer" class="share-facebook sd-button share-icon" href="`, url, `?share=facebook" target="_blank" title="Klik untuk berbagi di Facebook"><span>Facebook</span></a></li>
<li class="share-twitter"><a rel="nofollow noopener noreferrer" class="share-twitter sd-button share-icon" href="`, url, `?share=twitter" target="_blank" title="Klik untuk berbagi di Twitter"><span>Twitter</span></a></li>
<li class="share-jetpack-whatsapp"><a rel="nofollow noopener noreferrer" class="share-jetpack-whatsapp sd-button share-icon" href="`, url, `?share=jetpack-whatsapp" target="_blank" title="Klik untuk berbagi di WhatsApp"><span>WhatsApp</span></a></li>
</ul></div></div></div>
`)
	if len(p.related) > 0 {
		w.p(`<div class="related-posts-wrap"><h3>ARTIKEL LAIN</h3><ul class="related-posts">
`)
		for _, id := range p.related {
			rp := linked[id]
			if rp == nil {
				continue
			}
			w.p(`<li class="related-post"><a href="`, base, rp.path(), `" rel="bookmark">`, esc(rp.title), `</a><span class="related-date">`, dateID(rp.published), "</span></li>\n")
		}
		w.p("</ul></div>\n")
	}
	w.p(`</div><!-- .entry-content -->
<footer class="entry-footer"><span class="cat-links"><i class="fa fa-folder-open"></i> Kategori: `)
	for i, c := range p.cats {
		if i > 0 {
			w.p(", ")
		}
		w.p(`<a href="`, base, "/category/", categories[c].slug, `/" rel="category tag">`, categories[c].name, "</a>")
	}
	w.p(`</span>`)
	if len(p.tags) > 0 {
		w.p(`<span class="tags-links"><i class="fa fa-tags"></i> Tag: `)
		for i, t := range p.tags {
			if i > 0 {
				w.p(", ")
			}
			w.p(`<a href="`, base, "/tag/", slugify(t), `/" rel="tag">`, esc(t), "</a>")
		}
		w.p(`</span>`)
	}
	w.p("</footer>\n</article>\n")
	// Post navigation: the older and the newer neighbour.
	w.p(`<nav class="navigation post-navigation" aria-label="Pos"><h2 class="screen-reader-text">Navigasi pos</h2><div class="nav-links">`)
	if pos+1 < len(posts) {
		o := posts[pos+1]
		w.p(`<div class="nav-previous"><a href="`, base, o.path(), `" rel="prev"><span class="meta-nav">Sebelumnya</span> `, esc(o.title), `</a></div>`)
	}
	if pos > 0 {
		o := posts[pos-1]
		w.p(`<div class="nav-next"><a href="`, base, o.path(), `" rel="next"><span class="meta-nav">Selanjutnya</span> `, esc(o.title), `</a></div>`)
	}
	w.p(`</div></nav>
<div id="comments" class="comments-area">
<p class="no-comments">Comments are closed.</p>
</div>
</main></div>
`)
	w.sidebarAndFooter(posts)
	return w.String()
}

// schemaGraph is the JSON-LD that Yoast SEO puts in the head of a post.
// Its objects are structs whose fields are in the order encoding/json
// sorts a map's keys: the output is what maps gave, at a third of the
// cost.
func schemaGraph(base string, p *post) string {
	url := base + p.path()
	published := p.published.UTC().Format("2006-01-02T15:04:05+00:00")
	modified := p.modified.UTC().Format("2006-01-02T15:04:05+00:00")
	a := schemaArticle{
		ID:               url + "#article",
		Type:             "Article",
		Author:           schemaName{p.author},
		DateModified:     modified,
		DatePublished:    published,
		Headline:         p.title,
		InLanguage:       "id",
		IsPartOf:         schemaRef{url},
		Keywords:         p.tags,
		MainEntityOfPage: schemaRef{url},
		Publisher:        schemaRef{base + "/#organization"},
	}
	for _, c := range p.cats {
		a.ArticleSection = append(a.ArticleSection, categories[c].name)
	}
	if len(p.pictures) > 0 {
		a.ThumbnailURL = base + p.pictures[0].path
	}
	graph := schemaDoc{Context: "https://schema.org", Graph: []any{
		a,
		schemaWebPage{ID: url, Type: "WebPage", DateModified: modified, DatePublished: published,
			InLanguage: "id", Name: p.title + " – " + siteName, URL: url},
		schemaOrganization{ID: base + "/#organization", Type: "Organization", Name: siteName, URL: base + "/"},
	}}
	// Escape "<" so that no title can close the script element.
	return strings.ReplaceAll(jsonBody(graph), "<", `\u003c`)
}

// The objects of schemaGraph, fields in the order of their JSON names.
type (
	schemaDoc struct {
		Context string `json:"@context"`
		Graph   []any  `json:"@graph"`
	}
	schemaRef struct {
		ID string `json:"@id"`
	}
	schemaName struct {
		Name string `json:"name"`
	}
	schemaArticle struct {
		ID               string     `json:"@id"`
		Type             string     `json:"@type"`
		ArticleSection   []string   `json:"articleSection"`
		Author           schemaName `json:"author"`
		DateModified     string     `json:"dateModified"`
		DatePublished    string     `json:"datePublished"`
		Headline         string     `json:"headline"`
		InLanguage       string     `json:"inLanguage"`
		IsPartOf         schemaRef  `json:"isPartOf"`
		Keywords         []string   `json:"keywords,omitempty"`
		MainEntityOfPage schemaRef  `json:"mainEntityOfPage"`
		Publisher        schemaRef  `json:"publisher"`
		ThumbnailURL     string     `json:"thumbnailUrl,omitempty"`
	}
	schemaWebPage struct {
		ID            string `json:"@id"`
		Type          string `json:"@type"`
		DateModified  string `json:"dateModified"`
		DatePublished string `json:"datePublished"`
		InLanguage    string `json:"inLanguage"`
		Name          string `json:"name"`
		URL           string `json:"url"`
	}
	schemaOrganization struct {
		ID   string `json:"@id"`
		Type string `json:"@type"`
		Name string `json:"name"`
		URL  string `json:"url"`
	}
)

// body writes the content of p as the theme prints it inside
// .entry-content: the gallery, the paragraphs with their "Baca juga" and
// "Editor" lines. Links are absolute when base is set.
func (w *page) body(p *post, byID map[int]*post, withJunk bool) {
	paras := p.paragraphs()
	switch p.gallery {
	case gallerySlider:
		w.slider(p)
	case galleryClassic:
		w.classicGallery(p)
	case galleryFigure:
		if p.galleryAt == 0 {
			w.figure(p)
		}
	}
	linked := !p.tagLink
	for i, para := range paras {
		h := esc(para)
		if i == 0 && p.boldDateline && strings.HasPrefix(para, p.dateline) {
			h = "<strong>" + esc(p.dateline) + "</strong>" + esc(para[len(p.dateline):])
		}
		if !linked && i > 0 {
			if k := strings.Index(h, "Deri Asta"); k >= 0 {
				h = h[:k] + `<a href="` + w.base + `/tag/deri-asta/">Deri Asta</a>` + h[k+len("Deri Asta"):]
				linked = true
			}
		}
		w.p("<p>", h, "</p>\n")
		if p.spacerAt == i+1 {
			w.p("<p>&nbsp;</p>\n")
		}
		if p.gallery == galleryFigure && p.galleryAt == i+1 {
			w.figure(p)
		}
		if withJunk && p.bacaJuga != 0 && p.bacaAt == i+1 {
			if bp := byID[p.bacaJuga]; bp != nil {
				w.p(`<p><strong>Baca juga: <a href="`, w.base, bp.path(), `">`, esc(bp.title), "</a></strong></p>\n")
			}
		}
	}
	if withJunk && p.editor != "" {
		w.p(`<p style="text-align: right;"><em>Editor : `, esc(p.editor), "</em></p>\n")
	}
}

func (w *page) figure(p *post) {
	pic := p.pictures[0]
	w.p(`<figure class="wp-block-image size-large"><img decoding="async" loading="lazy" width="1024" height="683" src="`, w.base, pic.path, `" alt="`, esc(pic.alt), `" class="wp-image-`, strconv.Itoa(p.id+1), `"><figcaption class="wp-element-caption">`, esc(pic.caption), "</figcaption></figure>\n")
}

func (w *page) classicGallery(p *post) {
	id := strconv.Itoa(p.id)
	w.p(`<div id="gallery-1" class="gallery galleryid-`, id, ` gallery-columns-3 gallery-size-thumbnail">`)
	for _, pic := range p.pictures {
		w.p(`<figure class="gallery-item"><div class="gallery-icon landscape"><a href="`, w.base, pic.path, `"><img width="150" height="150" src="`, w.base, pic.path, `" class="attachment-thumbnail size-thumbnail" alt="`, esc(pic.alt), `" decoding="async" loading="lazy"></a></div>`)
		if pic.caption != "" {
			w.p(`<figcaption class="wp-caption-text gallery-caption">`, esc(pic.caption), `</figcaption>`)
		}
		w.p("</figure>")
	}
	w.p("</div>\n")
}

const (
	arrowPrev = "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSIzMiIgaGVpZ2h0PSIzMiIgdmlld0JveD0iMCAwIDMyIDMyIj48cGF0aCBkPSJNMjAgNiA5IDE2bDExIDEwIi8+PC9zdmc+"
	arrowNext = "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSIzMiIgaGVpZ2h0PSIzMiIgdmlld0JveD0iMCAwIDMyIDMyIj48cGF0aCBkPSJNMTIgNmwxMSAxMC0xMSAxMCIvPjwvc3ZnPg=="
)

// slider writes a Smart Slider 3 (version 3.5) gallery as its shortcode
// or block prints it.
func (w *page) slider(p *post) {
	sid := strconv.Itoa(p.sliderID)
	if p.sliderBlock {
		w.p(`<div class="wp-block-nextend-smartslider3">`)
	}
	w.p(`<div class="n2_clear"><ss3-force-full-width data-overflow-x="body" data-horizontal-selector="body"><div class="n2-section-smartslider fitvidsignore  n2_clear" data-ssid="`, sid, `" tabindex="0" role="region" aria-label="Slider"><div id="n2-ss-`, sid, `-align" class="n2-ss-align"><div class="n2-padding"><div id="n2-ss-`, sid, `" data-creator="Smart Slider 3" data-responsive="fullwidth" class="n2-ss-slider n2-ow n2-has-hover n2notransition  "><div class="n2-ss-slider-wrapper-inside"><div class="n2-ss-slider-1 n2_ss__touch_element n2-ow"><div class="n2-ss-slider-2 n2-ow"><div class="n2-ss-slide-backgrounds n2-ow-all">`)
	for i, pic := range p.pictures {
		n := strconv.Itoa(i + 1)
		src := w.base + pic.path
		w.p(`<div class="n2-ss-slide-background" data-public-id="`, n, `" data-mode="fill"><div class="n2-ss-slide-background-image" data-blur="0" data-opacity="100" data-x="50" data-y="50" data-alt="`, esc(pic.alt), `" data-title="`, esc(pic.caption), `"><picture class="skip-lazy" data-skip-lazy="1"><source srcset="`, src, `" type="image/jpeg"><img src="`, src, `" alt="`, esc(pic.alt), `" title="`, esc(pic.title), `" loading="lazy" class="skip-lazy" data-skip-lazy="1"></picture></div><div data-color="RGBA(255,255,255,0)" style="background-color: RGBA(255,255,255,0);" class="n2-ss-slide-background-color"></div></div>`)
	}
	w.p(`</div><div class="n2-ss-slider-3 n2-ow"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 600" data-related-device="desktop" class="n2-ow n2-ss-preserve-size n2-ss-preserve-size--slider n2-ss-slide-limiter"></svg>`)
	for i, pic := range p.pictures {
		n := strconv.Itoa(i + 1)
		first := ""
		if i == 0 {
			first = ` data-first="1"`
		}
		w.p(`<div`, first, ` data-slide-duration="0" data-id="`, strconv.Itoa(p.sliderID*100+i), `" data-slide-public-id="`, n, `" data-title="`, esc(pic.title), `" class="n2-ss-slide n2-ow  n2-ss-slide-`, strconv.Itoa(p.sliderID*100+i), `"><div role="note" class="n2-ss-slide--focus" tabindex="-1">`, esc(pic.title), `</div><div class="n2-ss-layers-container n2-ss-slide-limiter n2-ow"><div class="n2-ss-layer n2-ow n-uc-`, sid, n, `" data-sstype="slide" data-pm="default"></div></div></div>`)
	}
	w.p(`</div></div></div><div class="n2-ss-slider-controls n2-ss-slider-controls-absolute-left-center"><div style="--widget-offset:15px;" class="n2-ss-widget nextend-arrow n2-ow-all nextend-arrow-previous  nextend-arrow-animated-fade" data-hide-mobileportrait="1" id="n2-ss-`, sid, `-arrow-previous" role="button" aria-label="previous arrow" tabindex="0"><img width="32" height="32" class="n2-arrow-normal-img skip-lazy" data-skip-lazy="1" src="`, arrowPrev, `" alt="previous arrow"><img width="32" height="32" class="n2-arrow-hover-img skip-lazy" data-skip-lazy="1" src="`, arrowPrev, `" alt="previous arrow"></div></div><div class="n2-ss-slider-controls n2-ss-slider-controls-absolute-right-center"><div style="--widget-offset:15px;" class="n2-ss-widget nextend-arrow n2-ow-all nextend-arrow-next  nextend-arrow-animated-fade" data-hide-mobileportrait="1" id="n2-ss-`, sid, `-arrow-next" role="button" aria-label="next arrow" tabindex="0"><img width="32" height="32" class="n2-arrow-normal-img skip-lazy" data-skip-lazy="1" src="`, arrowNext, `" alt="next arrow"><img width="32" height="32" class="n2-arrow-hover-img skip-lazy" data-skip-lazy="1" src="`, arrowNext, `" alt="next arrow"></div></div></div><div class="n2-ss-slider-controls n2-ss-slider-controls-below"><div class="n2-ss-widget nextend-shadow n2-ow-all"><img width="1200" height="50" style="display: block; width:100%;max-width:none;" class="nextend-shadow-image skip-lazy" data-skip-lazy="1" src="`, w.base, `/wp-content/plugins/smart-slider-3/Public/SmartSlider3/Widget/Shadow/ShadowImage/Assets/shadow/dark.png" alt="Shadow"></div></div></div></div><ss3-loader></ss3-loader></div></div><div style="clear: both;"></div></ss3-force-full-width></div>`)
	if p.sliderBlock {
		w.p(`</div>`)
	}
	w.p("\n")
}

// excerpt is the post's first words, as WordPress's automatic excerpt.
func (p *post) excerpt() string {
	paras := p.paragraphs()
	words := strings.Fields(strings.Join(paras, " "))
	if len(words) <= 55 {
		return strings.Join(words, " ")
	}
	return strings.Join(words[:55], " ") + " […]"
}

// listingPage renders one page of a listing: the home page, a category,
// a tag or a month archive. path is the listing's own path ("/",
// "/category/pariwisata/"); n is the page number from 1.
func (s *Site) listingPage(base, path, heading, bodyClass string, list []*post, n int, all []*post) string {
	w := &page{base: base}
	w.Grow(24 << 10)
	pages := max(1, (len(list)+perPage-1)/perPage)
	pageURL := func(k int) string {
		if k <= 1 {
			return base + path
		}
		return base + path + "page/" + strconv.Itoa(k) + "/"
	}
	title := siteName + " – " + siteTagline
	if heading != "" {
		title = heading + " – " + siteName
	}
	if n > 1 {
		title = heading + " – Halaman " + strconv.Itoa(n) + " – " + siteName
	}
	w.head(title, pageURL(n), bodyClass, func() {
		if n > 1 {
			w.p(`<link rel="prev" href="`, pageURL(n-1), "\">\n")
		}
		if n < pages {
			w.p(`<link rel="next" href="`, pageURL(n+1), "\">\n")
		}
	})
	block := heading
	if block == "" {
		block = "Kabar Pemerintah"
	}
	w.p(`<div id="primary" class="content-area"><main id="main" class="site-main">
<section class="home-block block-kabar-pemerintah"><h2 class="block-title">`, strings.ToUpper(block), "</h2>\n")
	lo := (n - 1) * perPage
	for _, p := range list[lo:min(lo+perPage, len(list))] {
		url := base + p.path()
		w.p(`<article id="post-`, strconv.Itoa(p.id), `" class="post-`, strconv.Itoa(p.id), ` post type-post status-publish format-standard hentry category-`, categories[p.cats[0]].slug, `">`)
		if len(p.pictures) > 0 {
			w.p(`<div class="post-thumbnail"><a href="`, url, `" aria-hidden="true" tabindex="-1"><img width="300" height="200" src="`, base, p.pictures[0].path, `" class="attachment-medium size-medium wp-post-image" alt="" decoding="async"></a></div>`)
		}
		w.p(`<header class="entry-header"><h2 class="entry-title"><a href="`, url, `" rel="bookmark">`, esc(p.title), `</a></h2>
<div class="entry-meta"><span class="posted-on"><time class="entry-date published" datetime="`, p.published.Format(time.RFC3339), `">`, dateID(p.published), `</time></span></div></header>
<div class="entry-summary"><p>`, esc(p.excerpt()), `</p></div>
<a class="more-link" href="`, url, `">Baca Lebih Lanjut</a></article>
`)
	}
	w.p("</section>\n")
	if pages > 1 {
		w.p(`<nav class="navigation pagination" aria-label="Pos"><h2 class="screen-reader-text">Navigasi pos</h2><div class="nav-links">`)
		if n > 1 {
			w.p(`<a class="prev page-numbers" href="`, pageURL(n-1), `">Sebelumnya</a>`)
		}
		dots := false
		for k := 1; k <= pages; k++ {
			switch {
			case k == n:
				w.p(`<span aria-current="page" class="page-numbers current">`, strconv.Itoa(k), `</span>`)
				dots = false
			case k <= 1 || k >= pages || (k >= n-2 && k <= n+2):
				w.p(`<a class="page-numbers" href="`, pageURL(k), `">`, strconv.Itoa(k), `</a>`)
				dots = false
			case !dots:
				w.p(`<span class="page-numbers dots">&hellip;</span>`)
				dots = true
			}
		}
		if n < pages {
			w.p(`<a class="next page-numbers" rel="next" href="`, pageURL(n+1), `">Selanjutnya</a>`)
		}
		w.p("</div></nav>\n")
	}
	w.p("</main></div>\n")
	w.sidebarAndFooter(all)
	return w.String()
}

// simplePage renders a static page or the 404 page.
func (s *Site) simplePage(base, title, bodyClass, html string, all []*post) string {
	w := &page{base: base}
	w.head(title+" – "+siteName, "", bodyClass, nil)
	w.p(`<div id="primary" class="content-area"><main id="main" class="site-main">
<article class="page type-page status-publish hentry"><header class="entry-header"><h1 class="entry-title">`, esc(title), `</h1></header>
<div class="entry-content">`, html, `</div></article>
</main></div>
`)
	w.sidebarAndFooter(all)
	return w.String()
}
