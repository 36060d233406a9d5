package demosite

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
)

func seedArticle(t *testing.T, s *Site) Article {
	t.Helper()
	a, ok := s.Lookup("/baca/" + seedSlug)
	if !ok {
		t.Fatalf("Lookup(seed) found nothing")
	}
	return a
}

func TestEndpoints(t *testing.T) {
	s := New(Options{Seed: 3})
	srv := httptest.NewServer(s)
	defer srv.Close()
	seed := seedArticle(t, s)
	slide := seed.Images[0].Path
	tests := []struct {
		method   string
		path     string
		status   int
		ctype    string // prefix
		location string // for redirects, after the base URL
		contains []string
	}{
		{"GET", "/", 200, "text/html", "", []string{"KABAR PEMERINTAH", "Baca Lebih Lanjut", `<a class="next page-numbers" rel="next" href="` + srv.URL + `/page/2/">Selanjutnya</a>`, `<link rel="next" href="` + srv.URL + `/page/2/">`}},
		{"GET", "/page/2/", 200, "text/html", "", []string{`<link rel="prev" href="` + srv.URL + `/">`, `<link rel="next" href="` + srv.URL + `/page/3/">`}},
		{"GET", "/page/6/", 200, "text/html", "", []string{`<link rel="prev"`}},
		{"GET", "/page/1/", 301, "", "/", nil},
		{"GET", "/page/7/", 404, "text/html", "", []string{"Halaman tidak ditemukan"}},
		{"GET", "/page/x/", 404, "text/html", "", nil},
		{"GET", seed.Path, 200, "text/html", "", []string{`<h1 class="entry-title">`, "ARTIKEL LAIN", "No Comment", "Comments are closed.", `<link rel="canonical" href="` + srv.URL + seed.Path + `">`}},
		{"GET", seed.Path + "/", 301, "", seed.Path, nil},
		{"GET", seed.Path + "?utm_source=facebook", 200, "text/html", "", []string{`<link rel="canonical" href="` + srv.URL + seed.Path + `">`}},
		{"GET", "/baca/tidak-ada", 404, "text/html", "", nil},
		{"GET", "/category/kabar-pemerintah/", 200, "text/html", "", []string{"KABAR PEMERINTAH", seed.Title[:20]}},
		{"GET", "/category/kabar-pemerintah", 301, "", "/category/kabar-pemerintah/", nil},
		{"GET", "/category/tidak-ada/", 404, "text/html", "", nil},
		{"GET", "/category/kabar-pemerintah/feed/", 200, "application/rss+xml", "", []string{`<rss version="2.0"`, "<title>Kabar Pemerintah &#8211; Pemerintah Kota Sawahlunto</title>"}},
		{"GET", "/tag/deri-asta/", 200, "text/html", "", nil},
		{"GET", "/2021/12/", 200, "text/html", "", []string{"DESEMBER 2021", seed.Path}},
		{"GET", "/1999/12/", 404, "text/html", "", nil},
		{"GET", "/feed/", 200, "application/rss+xml", "", []string{`<rss version="2.0"`, "<content:encoded><![CDATA["}},
		{"GET", "/robots.txt", 200, "text/plain", "", []string{"User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n\nSitemap: " + srv.URL + "/wp-sitemap.xml\n"}},
		{"GET", "/wp-sitemap.xml", 200, "application/xml", "", []string{"<sitemapindex", srv.URL + "/wp-sitemap-posts-post-1.xml", srv.URL + "/wp-sitemap-taxonomies-category-1.xml"}},
		{"GET", "/wp-sitemap-posts-post-1.xml", 200, "application/xml", "", []string{"<urlset", "<lastmod>2021-12-23T03:02:37+00:00</lastmod>"}},
		{"GET", "/wp-sitemap-posts-post-2.xml", 404, "text/html", "", nil},
		{"GET", "/wp-sitemap-posts-page-1.xml", 200, "application/xml", "", []string{srv.URL + "/profil/"}},
		{"GET", "/wp-sitemap-taxonomies-category-1.xml", 200, "application/xml", "", []string{srv.URL + "/category/kabar-pemerintah/"}},
		{"GET", "/wp-json/", 200, "application/json", "", []string{`"namespaces":["oembed/1.0","wp/v2"`}},
		{"GET", "/wp-json/wp/v2/posts", 200, "application/json", "", []string{`"date_gmt":`, `"content":{"rendered":`}},
		{"GET", "/wp-json/wp/v2/posts/" + strconv.Itoa(seed.ID), 200, "application/json", "", []string{`"slug":"` + seedSlug + `"`}},
		{"GET", "/wp-json/wp/v2/posts/1", 404, "application/json", "", []string{`"code":"rest_post_invalid_id"`}},
		{"GET", "/?rest_route=/wp/v2/posts&per_page=3", 200, "application/json", "", []string{`"date_gmt":`}},
		{"GET", "/wp-json/wp/v2/categories", 200, "application/json", "", []string{`"slug":"kabar-pemerintah"`}},
		{"GET", "/wp-json/wp/v2/tags?per_page=100", 200, "application/json", "", []string{`"name":"Deri Asta"`}},
		{"GET", "/wp-json/wp/v2/comments", 404, "application/json", "", []string{`"code":"rest_no_route"`}},
		{"GET", "/?p=" + strconv.Itoa(seed.ID), 301, "", seed.Path, nil},
		{"GET", "/?p=1", 404, "text/html", "", nil},
		{"GET", slide, 200, "image/jpeg", "", nil},
		{"GET", "/wp-content/uploads/2021/12/x.gif", 404, "text/html", "", nil},
		{"GET", "/profil/", 200, "text/html", "", []string{"Talawi"}},
		{"GET", "/wp-admin/", 404, "text/html", "", nil},
		{"POST", "/", 405, "text/plain", "", nil},
		{"HEAD", "/", 200, "text/html", "", nil},
	}
	c := srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, srv.URL+tt.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			res, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var body bytes.Buffer
			body.ReadFrom(res.Body)
			res.Body.Close()
			if res.StatusCode != tt.status {
				t.Fatalf("%s %s status = %d, want %d", tt.method, tt.path, res.StatusCode, tt.status)
			}
			if got := res.Header.Get("Content-Type"); !strings.HasPrefix(got, tt.ctype) {
				t.Errorf("%s %s Content-Type = %q, want prefix %q", tt.method, tt.path, got, tt.ctype)
			}
			if got, want := res.Header.Get("Location"), tt.location; want != "" && got != srv.URL+want {
				t.Errorf("%s %s Location = %q, want %q", tt.method, tt.path, got, srv.URL+want)
			}
			if got, want := res.Header.Values("Link"), "<"+srv.URL+`/wp-json/>; rel="https://api.w.org/"`; !slices.Contains(got, want) {
				t.Errorf("%s %s Link = %q, want it to hold %q", tt.method, tt.path, got, want)
			}
			if tt.status == 200 && (res.Header.Get("ETag") == "" || res.Header.Get("Last-Modified") == "") {
				t.Errorf("%s %s ETag, Last-Modified = %q, %q, want both set", tt.method, tt.path, res.Header.Get("ETag"), res.Header.Get("Last-Modified"))
			}
			for _, want := range tt.contains {
				if !strings.Contains(body.String(), want) {
					t.Errorf("%s %s body lacks %q", tt.method, tt.path, want)
				}
			}
		})
	}
}

func TestSeedArticle(t *testing.T) {
	want := seedParagraphs
	// The seed text, when present, is the authority on the body.
	if b, err := os.ReadFile("../../../shared/seed/sawahlunto-article.txt"); err == nil {
		lines := strings.Split(string(b), "\n")
		start := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "SAWAHLUNTO – ") })
		if start < 0 || start+9 > len(lines) {
			t.Fatalf("seed file has no 9 paragraphs after SAWAHLUNTO –")
		}
		if diff := cmp.Diff(lines[start:start+9], seedParagraphs); diff != "" {
			t.Fatalf("seedParagraphs differ from the seed file (-file +go):\n%s", diff)
		}
		if diff := cmp.Diff(lines[:9], seedSlides); diff != "" {
			t.Fatalf("seedSlides differ from the seed file (-file +go):\n%s", diff)
		}
	}
	published := time.Date(2021, 12, 23, 9, 15, 41, 0, time.FixedZone("", 7*3600))
	for _, n := range []int{1, 2, 60, 3000} {
		t.Run(fmt.Sprintf("articles=%d", n), func(t *testing.T) {
			s := New(Options{Seed: 11, Articles: n})
			if got := s.Len(); got != n {
				t.Fatalf("New(%d).Len() = %d, want %d", n, got, n)
			}
			a := seedArticle(t, s)
			if a.Title != seedTitle || !a.Published.Equal(published) || a.DatelinePlace != "SAWAHLUNTO" || a.Author != "Humas Sawahlunto" {
				t.Errorf("seed = %q %v %q %q, want %q %v SAWAHLUNTO Humas Sawahlunto", a.Title, a.Published, a.DatelinePlace, a.Author, seedTitle, published)
			}
			if diff := cmp.Diff(want, a.Paragraphs); diff != "" {
				t.Errorf("seed paragraphs (-want +got):\n%s", diff)
			}
			if len(a.Images) != 9 {
				t.Fatalf("seed has %d images, want 9", len(a.Images))
			}
			for i, im := range a.Images {
				wantIm := Image{Path: "/wp-content/uploads/2021/12/" + seedSlides[i] + ".jpg"}
				if im != wantIm {
					t.Errorf("seed image %d = %+v, want %+v", i, im, wantIm)
				}
			}

			rec := serve(s, a.Path)
			if rec.Code != 200 {
				t.Fatalf("GET seed = %d, want 200", rec.Code)
			}
			body := rec.Body.Bytes()
			doc := parseHTML(t, body)
			var titles, notes, arrows []string
			for _, n := range findAll(doc, byClass("n2-ss-slide")) {
				titles = append(titles, attr(n, "data-title"))
			}
			for _, n := range findAll(doc, func(n *html.Node) bool { return attr(n, "role") == "note" }) {
				notes = append(notes, textOf(n))
			}
			for _, n := range findAll(doc, func(n *html.Node) bool { return hasClass(n, "nextend-arrow") || hasClass(n, "nextend-shadow") }) {
				for _, img := range findAll(n, byTag("img")) {
					arrows = append(arrows, attr(img, "alt"))
				}
			}
			if diff := cmp.Diff(seedSlides, titles); diff != "" {
				t.Errorf("slide data-title (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(seedSlides, notes); diff != "" {
				t.Errorf("slide notes (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"previous arrow", "previous arrow", "next arrow", "next arrow", "Shadow"}, arrows); diff != "" {
				t.Errorf("slider widget alts (-want +got):\n%s", diff)
			}
			for _, want := range []string{
				`<time class="entry-date published" datetime="2021-12-23T09:15:41+07:00">Kamis, 23 Desember 2021</time>`,
				`<time class="updated" datetime="2021-12-23T10:02:37+07:00">`,
				`<span class="author-name"><a class="url fn n" href="http://demo.test/author/humas-sawahlunto/">Humas Sawahlunto</a></span>`,
				`<title>` + strings.ReplaceAll(seedTitle, "–", "&#8211;") + ` &#8211; Pemerintah Kota Sawahlunto</title>`,
				`<meta property="article:published_time" content="2021-12-23T02:15:41+00:00">`,
				`<div class="n2-section-smartslider fitvidsignore  n2_clear" data-ssid="2"`,
				`<ss3-loader></ss3-loader>`,
				`<p class="no-comments">Comments are closed.</p>`,
				`<link rel="https://api.w.org/" href="http://demo.test/wp-json/">`,
			} {
				if !bytes.Contains(body, []byte(want)) {
					t.Errorf("seed page lacks %q", want)
				}
			}
			ld := findAll(doc, func(n *html.Node) bool { return n.Data == "script" && attr(n, "type") == "application/ld+json" })
			if len(ld) != 1 {
				t.Fatalf("seed page has %d JSON-LD scripts, want 1", len(ld))
			}
			var graph struct {
				Graph []struct {
					Type          string `json:"@type"`
					Headline      string `json:"headline"`
					DatePublished string `json:"datePublished"`
				} `json:"@graph"`
			}
			if err := json.Unmarshal([]byte(textOf(ld[0])), &graph); err != nil || len(graph.Graph) == 0 {
				t.Fatalf("seed JSON-LD: %v", err)
			}
			if g := graph.Graph[0]; g.Type != "Article" || g.Headline != seedTitle || g.DatePublished != "2021-12-23T02:15:41+00:00" {
				t.Errorf("seed JSON-LD article = %+v, want headline %q published 2021-12-23T02:15:41+00:00", g, seedTitle)
			}
			if got := strings.Contains(string(body), "ARTIKEL LAIN"); got != (n > 1) {
				t.Errorf("seed page has ARTIKEL LAIN = %v, want %v", got, n > 1)
			}
		})
	}
}

// TestTruthMatchesPages reads every article page as a perfect extractor
// would and compares it with Truth.
func TestTruthMatchesPages(t *testing.T) {
	s := New(Options{Seed: 5, Articles: 400})
	truth := s.Truth()
	if len(truth) != 400 {
		t.Fatalf("len(Truth()) = %d, want 400", len(truth))
	}
	for _, want := range truth {
		rec := serve(s, want.Path)
		if rec.Code != 200 {
			t.Fatalf("GET %s = %d, want 200", want.Path, rec.Code)
		}
		got := extractPage(t, rec.Body.Bytes())
		if pub, err := time.Parse(time.RFC3339, got.Slug); err != nil || !pub.Equal(want.Published) {
			t.Errorf("%s: published %q, want %v", want.Path, got.Slug, want.Published)
		}
		got.Slug = ""
		cut := Article{Title: want.Title, Author: want.Author, Categories: want.Categories, Tags: want.Tags, Paragraphs: want.Paragraphs, Images: want.Images}
		if diff := cmp.Diff(cut, got); diff != "" {
			t.Errorf("%s: page differs from Truth (-truth +page):\n%s", want.Path, diff)
		}
	}
}

var fileNameRE = regexp.MustCompile(`^(\d+_\d+_\d+_[a-z]|(IMG|VID)-\d{8}-WA\d+|WhatsApp Image \d{4}-\d\d-\d\d at .*|(IMG|DSC|DSCF|P)_?\d+.*)$`)

// TestTruthShape checks that generated articles have the variety that
// makes the site a fair test: datelines, galleries, junk lines, credits.
func TestTruthShape(t *testing.T) {
	s := New(Options{Seed: 9, Articles: 600})
	seen := map[string]int{}
	paths := map[string]bool{}
	var prev time.Time
	for i, a := range s.Truth() {
		if paths[a.Path] {
			t.Errorf("Truth()[%d].Path %s repeats", i, a.Path)
		}
		paths[a.Path] = true
		if i > 0 && a.Published.After(prev) {
			t.Errorf("Truth()[%d] published %v after its predecessor %v, want newest first", i, a.Published, prev)
		}
		prev = a.Published
		if y := a.Published.Year(); y < 2017 || y > 2026 || a.Modified.Before(a.Published) {
			t.Errorf("%s: published %v, modified %v, want 2017..2026 and modified >= published", a.Path, a.Published, a.Modified)
		}
		if _, off := a.Published.Zone(); off != 7*3600 {
			t.Errorf("%s: published zone offset %d, want WIB", a.Path, off)
		}
		if n := len(a.Paragraphs); n < 4 || n > 13 {
			t.Errorf("%s: %d paragraphs, want 4..13", a.Path, n)
		}
		dl := a.DatelinePlace
		if a.DatelineAgency != "" {
			dl += ", " + a.DatelineAgency
		}
		if !strings.HasPrefix(a.Paragraphs[0], dl+" – ") && !strings.HasPrefix(a.Paragraphs[0], dl+" - ") {
			t.Errorf("%s: first paragraph %.40q does not open with dateline %q", a.Path, a.Paragraphs[0], dl)
		}
		seen["dateline "+dl]++
		uniq := map[string]bool{}
		for _, p := range a.Paragraphs {
			if p == "" || strings.HasPrefix(p, "Baca juga") || strings.HasPrefix(p, "Editor") || strings.ContainsAny(p, "<>") || strings.Contains(p, "&#") || strings.Contains(p, "{") {
				t.Errorf("%s: bad paragraph %q", a.Path, p)
			}
			if uniq[p] {
				t.Errorf("%s: paragraph repeats: %q", a.Path, p)
			}
			uniq[p] = true
			if strings.Contains(p, "“") {
				seen["quote"]++
			}
		}
		if last := a.Paragraphs[len(a.Paragraphs)-1]; strings.HasSuffix(last, ")") && strings.Contains(last, " (") {
			seen["credit"]++
		}
		for _, im := range a.Images {
			if im.Caption != "" && fileNameRE.MatchString(im.Caption) {
				t.Errorf("%s: caption %q is a file name", a.Path, im.Caption)
			}
			if !strings.HasPrefix(im.Path, fmt.Sprintf("/wp-content/uploads/%04d/%02d/", a.Published.Year(), a.Published.Month())) {
				t.Errorf("%s: image %s not under the month of publication", a.Path, im.Path)
			}
		}
		body := serve(s, a.Path).Body.String()
		switch {
		case strings.Contains(body, "n2-section-smartslider"):
			seen["slider"]++
			if len(a.Images) < 3 || len(a.Images) > 9 {
				t.Errorf("%s: slider with %d slides, want 3..9", a.Path, len(a.Images))
			}
		case strings.Contains(body, `class="gallery `):
			seen["gallery"]++
		case strings.Contains(body, "wp-block-image"):
			seen["figure"]++
		default:
			seen["no image"]++
			if len(a.Images) != 0 {
				t.Errorf("%s: %d images but no gallery on the page", a.Path, len(a.Images))
			}
		}
		if strings.Contains(body, "<p><strong>Baca juga: ") {
			seen["baca juga"]++
		}
		if strings.Contains(body, "<em>Editor : ") {
			seen["editor"]++
		}
		if strings.Contains(body, "<p><strong>"+dl+"</strong>") {
			seen["bold dateline"]++
		}
		if strings.Contains(body, "<p>&nbsp;</p>") {
			seen["spacer"]++
		}
		if strings.Contains(body, `/tag/deri-asta/">Deri Asta</a>`) {
			seen["inline link"]++
		}
	}
	t.Logf("variety: %v", seen)
	for _, k := range []string{"dateline SAWAHLUNTO", "dateline Sawahlunto, Humas", "dateline TALAWI", "quote", "credit", "slider", "gallery", "figure", "no image", "baca juga", "editor", "bold dateline", "spacer", "inline link"} {
		if seen[k] < 5 {
			t.Errorf("%d articles with %s among 600, want at least 5", seen[k], k)
		}
	}
	if seen["slider"] < 150 || seen["slider"] > 250 {
		t.Errorf("%d of 600 articles have a slider, want about a third", seen["slider"])
	}
}

func TestDeterminism(t *testing.T) {
	a := New(Options{Seed: 42, Articles: 150})
	b := New(Options{Seed: 42, Articles: 150})
	other := New(Options{Seed: 43, Articles: 150})
	truth := a.Truth()
	if diff := cmp.Diff(truth, b.Truth()); diff != "" {
		t.Fatalf("Truth() of two sites from one seed differ:\n%s", diff)
	}
	paths := []string{"/", "/page/4/", "/feed/", "/wp-sitemap.xml", "/wp-sitemap-posts-post-1.xml",
		"/wp-json/wp/v2/posts?per_page=100", "/category/pariwisata/", "/robots.txt", truth[0].Path, truth[77].Path, truth[149].Path}
	for _, p := range paths {
		ra, rb := serve(a, p), serve(b, p)
		if ra.Code != 200 || !bytes.Equal(ra.Body.Bytes(), rb.Body.Bytes()) || ra.Header().Get("ETag") != rb.Header().Get("ETag") {
			t.Errorf("GET %s: status %d, pages equal %v, ETags %q %q; want 200 and identical pages", p, ra.Code, bytes.Equal(ra.Body.Bytes(), rb.Body.Bytes()), ra.Header().Get("ETag"), rb.Header().Get("ETag"))
		}
	}
	if bytes.Equal(serve(a, "/").Body.Bytes(), serve(other, "/").Body.Bytes()) {
		t.Errorf("home pages of seeds 42 and 43 are identical, want different sites")
	}
}

type apiPostJSON struct {
	ID          int    `json:"id"`
	Date        string `json:"date"`
	DateGMT     string `json:"date_gmt"`
	Modified    string `json:"modified"`
	ModifiedGMT string `json:"modified_gmt"`
	Slug        string `json:"slug"`
	Link        string `json:"link"`
	Title       struct {
		Rendered string `json:"rendered"`
	} `json:"title"`
	Content struct {
		Rendered string `json:"rendered"`
	} `json:"content"`
	Excerpt struct {
		Rendered string `json:"rendered"`
	} `json:"excerpt"`
	Categories []int `json:"categories"`
	Tags       []int `json:"tags"`
}

func apiGet(t *testing.T, s *Site, path string) (int, http.Header, []apiPostJSON, map[string]any) {
	t.Helper()
	rec := serve(s, path)
	if rec.Code != 200 {
		var e map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
			t.Fatalf("GET %s: error body is not JSON: %v", path, err)
		}
		return rec.Code, rec.Header(), nil, e
	}
	var posts []apiPostJSON
	if err := json.Unmarshal(rec.Body.Bytes(), &posts); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return rec.Code, rec.Header(), posts, nil
}

func TestAPIPaging(t *testing.T) {
	s := New(Options{Seed: 2, Articles: 250})
	truth := s.Truth()
	var ids []int
	for page := 1; page <= 3; page++ {
		path := "/wp-json/wp/v2/posts?per_page=100&page=" + strconv.Itoa(page)
		code, h, posts, _ := apiGet(t, s, path)
		if code != 200 || h.Get("X-WP-Total") != "250" || h.Get("X-WP-TotalPages") != "3" {
			t.Fatalf("GET %s = %d, X-WP-Total %q, X-WP-TotalPages %q; want 200, 250, 3", path, code, h.Get("X-WP-Total"), h.Get("X-WP-TotalPages"))
		}
		if want := []int{100, 100, 50}[page-1]; len(posts) != want {
			t.Errorf("GET %s gave %d posts, want %d", path, len(posts), want)
		}
		for _, p := range posts {
			ids = append(ids, p.ID)
		}
	}
	for i, a := range truth {
		if i >= len(ids) || ids[i] != a.ID {
			t.Fatalf("API post %d has id %v, want %d (newest first)", i, ids[min(i, len(ids)-1)], a.ID)
		}
	}
	tests := []struct {
		path string
		code int
		err  string
	}{
		{"/wp-json/wp/v2/posts?per_page=100&page=4", 400, "rest_post_invalid_page_number"},
		{"/wp-json/wp/v2/posts?per_page=101", 400, "rest_invalid_param"},
		{"/wp-json/wp/v2/posts?per_page=0", 400, "rest_invalid_param"},
		{"/wp-json/wp/v2/posts?page=0", 400, "rest_invalid_param"},
		{"/wp-json/wp/v2/posts?modified_after=kemarin", 400, "rest_invalid_param"},
		{"/wp-json/wp/v2/posts?orderby=random", 400, "rest_invalid_param"},
		{"/wp-json/wp/v2/posts?per_page=10&page=25", 200, ""},
		{"/wp-json/wp/v2/posts?per_page=10&page=26", 400, "rest_post_invalid_page_number"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			code, _, _, e := apiGet(t, s, tt.path)
			if code != tt.code || (tt.err != "" && e["code"] != tt.err) {
				t.Errorf("GET %s = %d %v, want %d %s", tt.path, code, e["code"], tt.code, tt.err)
			}
		})
	}

	// Fields of one post agree with Truth.
	_, _, posts, _ := apiGet(t, s, "/wp-json/wp/v2/posts?per_page=1&page=7")
	a := truth[6]
	p := posts[0]
	if p.ID != a.ID || p.Slug != a.Slug || p.Link != "http://"+testHost+a.Path ||
		p.DateGMT != a.Published.UTC().Format("2006-01-02T15:04:05") || p.Date != a.Published.Format("2006-01-02T15:04:05") ||
		p.ModifiedGMT != a.Modified.UTC().Format("2006-01-02T15:04:05") || len(p.Categories) != len(a.Categories) || len(p.Tags) != len(a.Tags) {
		t.Errorf("API post = %+v, want the fields of %+v", p, a)
	}
	if got := html.UnescapeString(p.Title.Rendered); got != a.Title {
		t.Errorf("API title = %q, want %q", got, a.Title)
	}
	_, _, posts, _ = apiGet(t, s, "/wp-json/wp/v2/posts?per_page=100")
	for i, p := range posts {
		got := contentParagraphs(t, p.Content.Rendered)
		for _, para := range truth[i].Paragraphs {
			if !slices.Contains(got, para) {
				t.Errorf("API content of %d lacks paragraph %q", p.ID, para)
			}
		}
	}
	code, h, asc, _ := apiGet(t, s, "/?rest_route=/wp/v2/posts&per_page=5&order=asc&orderby=id")
	if code != 200 || len(asc) != 5 || asc[0].ID != truth[len(truth)-1].ID || h.Get("X-WP-TotalPages") != "50" {
		t.Errorf("rest_route ascending by id: %d, %d posts, first %d, pages %q; want 200, 5, %d, 50", code, len(asc), asc[0].ID, h.Get("X-WP-TotalPages"), truth[len(truth)-1].ID)
	}
}

// TestAPIFields checks _fields: each post keeps only the fields named, in
// WordPress's order, with the values the whole post has.
func TestAPIFields(t *testing.T) {
	s := New(Options{Seed: 2, Articles: 30})
	keys := func(path string) ([][]string, []map[string]json.RawMessage) {
		t.Helper()
		rec := serve(s, path)
		if rec.Code != 200 {
			t.Fatalf("GET %s = %d, want 200", path, rec.Code)
		}
		var objs []map[string]json.RawMessage
		body := rec.Body.Bytes()
		if body[0] == '{' {
			body = append(append([]byte{'['}, body...), ']')
		}
		if err := json.Unmarshal(body, &objs); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		// The keys in the order the body has them.
		var order [][]string
		dec := json.NewDecoder(bytes.NewReader(body))
		depth := 0
		for {
			tok, err := dec.Token()
			if err != nil {
				break
			}
			switch tok {
			case json.Delim('{'):
				depth++
				if depth == 1 {
					order = append(order, nil)
				}
			case json.Delim('}'):
				depth--
			case json.Delim('['), json.Delim(']'):
			default:
				if k, ok := tok.(string); ok && depth == 1 && dec.More() {
					order[len(order)-1] = append(order[len(order)-1], k)
					var skip json.RawMessage
					if err := dec.Decode(&skip); err != nil {
						t.Fatalf("GET %s: %v", path, err)
					}
				}
			}
		}
		return order, objs
	}
	_, whole := keys("/wp-json/wp/v2/posts?per_page=5")
	tests := []struct {
		path string
		want []string
	}{
		{"/wp-json/wp/v2/posts?per_page=5&_fields=id,link,modified_gmt", []string{"id", "modified_gmt", "link"}},
		{"/wp-json/wp/v2/posts?per_page=5&_fields=link,%20id", []string{"id", "link"}},
		{"/wp-json/wp/v2/posts?per_page=5&_fields=title.rendered,content,nosuch", []string{"title", "content"}},
		{"/?rest_route=/wp/v2/posts&per_page=5&_fields=slug", []string{"slug"}},
	}
	for _, tt := range tests {
		order, objs := keys(tt.path)
		if len(objs) != len(whole) {
			t.Fatalf("GET %s gave %d posts, want %d", tt.path, len(objs), len(whole))
		}
		for i, o := range objs {
			if !slices.Equal(order[i], tt.want) {
				t.Errorf("GET %s: post %d has fields %q, want %q", tt.path, i, order[i], tt.want)
			}
			for k, v := range o {
				if !bytes.Equal(v, whole[i][k]) {
					t.Errorf("GET %s: post %d field %s = %s, want %s as in the whole post", tt.path, i, k, v, whole[i][k])
				}
			}
		}
	}
	var id int
	if err := json.Unmarshal(whole[0]["id"], &id); err != nil {
		t.Fatal(err)
	}
	path := "/wp-json/wp/v2/posts/" + strconv.Itoa(id) + "?_fields=link"
	if order, objs := keys(path); len(objs) != 1 || !slices.Equal(order[0], []string{"link"}) || !bytes.Equal(objs[0]["link"], whole[0]["link"]) {
		t.Errorf("GET %s = fields %q, %s; want only link %s", path, order, objs, whole[0]["link"])
	}
}

func TestModifiedAfter(t *testing.T) {
	s := New(Options{Seed: 4, Articles: 120})
	truth := s.Truth()
	byMod := slices.Clone(truth)
	slices.SortFunc(byMod, func(a, b Article) int { return b.Modified.Compare(a.Modified) })
	cutoff := byMod[10].Modified
	want := map[int]bool{}
	for _, a := range truth {
		if a.Modified.After(cutoff) {
			want[a.ID] = true
		}
	}
	for _, q := range []string{cutoff.UTC().Format(time.RFC3339), cutoff.Format("2006-01-02T15:04:05")} {
		_, h, posts, _ := apiGet(t, s, "/wp-json/wp/v2/posts?per_page=100&modified_after="+q)
		got := map[int]bool{}
		for _, p := range posts {
			got[p.ID] = true
		}
		if diff := cmp.Diff(want, got); diff != "" || h.Get("X-WP-Total") != strconv.Itoa(len(want)) {
			t.Errorf("modified_after=%s: X-WP-Total %s, ids (-want +got):\n%s", q, h.Get("X-WP-Total"), diff)
		}
	}

	// After edits and additions, modified_after the old newest time gives
	// exactly the changed and the new articles.
	newest := byMod[0].Modified
	edited := s.Edit(4)
	added := s.Add(3)
	_, h, posts, _ := apiGet(t, s, "/wp-json/wp/v2/posts?per_page=100&orderby=modified&modified_after="+newest.UTC().Format(time.RFC3339))
	var got []string
	for _, p := range posts {
		got = append(got, "/baca/"+p.Slug)
	}
	wantPaths := append(slices.Clone(added), edited...)
	slices.Sort(got)
	slices.Sort(wantPaths)
	if diff := cmp.Diff(wantPaths, got); diff != "" || h.Get("X-WP-Total") != "7" {
		t.Errorf("modified_after after Edit(4), Add(3): X-WP-Total %s, paths (-want +got):\n%s", h.Get("X-WP-Total"), diff)
	}
}

func TestConditionalRequests(t *testing.T) {
	s := New(Options{Seed: 6, Articles: 80})
	a := s.Truth()[5]
	for _, path := range []string{a.Path, "/", "/page/2/", "/feed/", "/wp-sitemap-posts-post-1.xml", "/wp-json/wp/v2/posts", "/robots.txt", "/category/kabar-pemerintah/"} {
		t.Run(path, func(t *testing.T) {
			full := serve(s, path)
			etag, lm := full.Header().Get("ETag"), full.Header().Get("Last-Modified")
			if full.Code != 200 || etag == "" || lm == "" {
				t.Fatalf("GET %s = %d, ETag %q, Last-Modified %q; want 200 with both", path, full.Code, etag, lm)
			}
			mod, err := http.ParseTime(lm)
			if err != nil {
				t.Fatalf("Last-Modified %q: %v", lm, err)
			}
			tests := []struct {
				name string
				hdr  []string
				want int
			}{
				{"etag", []string{"If-None-Match", etag}, 304},
				{"etag list", []string{"If-None-Match", `"nope", ` + etag}, 304},
				{"other etag", []string{"If-None-Match", `"nope"`}, 200},
				{"since", []string{"If-Modified-Since", lm}, 304},
				{"since later", []string{"If-Modified-Since", mod.Add(time.Hour).Format(http.TimeFormat)}, 304},
				{"since earlier", []string{"If-Modified-Since", mod.Add(-time.Second).Format(http.TimeFormat)}, 200},
				{"etag wins", []string{"If-None-Match", `"nope"`, "If-Modified-Since", lm}, 200},
			}
			for _, tt := range tests {
				rec := serve(s, path, tt.hdr...)
				if rec.Code != tt.want {
					t.Errorf("GET %s with %s = %d, want %d", path, tt.name, rec.Code, tt.want)
				}
				if rec.Code == 304 && rec.Body.Len() != 0 {
					t.Errorf("GET %s with %s: 304 with a %d-byte body", path, tt.name, rec.Body.Len())
				}
			}
		})
	}

	// Editing the article changes its validators; adding articles does not.
	full := serve(s, a.Path)
	etag, lm := full.Header().Get("ETag"), full.Header().Get("Last-Modified")
	s.Add(2)
	if rec := serve(s, a.Path, "If-None-Match", etag); rec.Code != 304 {
		t.Errorf("after Add, GET %s with its ETag = %d, want 304", a.Path, rec.Code)
	}
	var edited bool
	for !edited {
		for _, p := range s.Edit(5) {
			edited = edited || p == a.Path
		}
	}
	if rec := serve(s, a.Path, "If-None-Match", etag); rec.Code != 200 {
		t.Errorf("after Edit, GET %s with its old ETag = %d, want 200", a.Path, rec.Code)
	}
	if rec := serve(s, a.Path, "If-Modified-Since", lm); rec.Code != 200 {
		t.Errorf("after Edit, GET %s with its old Last-Modified = %d, want 200", a.Path, rec.Code)
	}
}

func TestEdit(t *testing.T) {
	s := New(Options{Seed: 8, Articles: 100})
	before := s.Truth()
	var newest time.Time
	for _, a := range before {
		if a.Modified.After(newest) {
			newest = a.Modified
		}
	}
	paths := s.Edit(5)
	if len(paths) != 5 {
		t.Fatalf("Edit(5) returned %d paths, want 5", len(paths))
	}
	if again := New(Options{Seed: 8, Articles: 100}).Edit(5); !slices.Equal(paths, again) {
		t.Errorf("Edit(5) on two sites from one seed = %v and %v, want equal", paths, again)
	}
	after := s.Truth()
	if len(after) != len(before) {
		t.Fatalf("Edit changed the article count: %d -> %d", len(before), len(after))
	}
	for i := range before {
		b, a := before[i], after[i]
		edited := slices.Contains(paths, a.Path)
		changed := 0
		for k := range b.Paragraphs {
			if b.Paragraphs[k] != a.Paragraphs[k] {
				changed++
			}
		}
		switch {
		case !edited:
			if diff := cmp.Diff(b, a); diff != "" {
				t.Errorf("%s was not edited but changed:\n%s", a.Path, diff)
			}
		case a.Slug == seedSlug:
			t.Errorf("Edit edited the seed article")
		default:
			if changed != 1 || len(a.Paragraphs) != len(b.Paragraphs) {
				t.Errorf("%s: %d of %d paragraphs changed, want exactly 1", a.Path, changed, len(a.Paragraphs))
			}
			if !a.Modified.After(newest) || !a.Published.Equal(b.Published) || a.Title != b.Title {
				t.Errorf("%s: modified %v (site newest %v), published %v -> %v, title %q -> %q; want a newer modified time only", a.Path, a.Modified, newest, b.Published, a.Published, b.Title, a.Title)
			}
			if a.Paragraphs[0] != b.Paragraphs[0] {
				t.Errorf("%s: the dateline paragraph changed", a.Path)
			}
		}
	}
	if got := s.Edit(0); len(got) != 0 {
		t.Errorf("Edit(0) = %v, want none", got)
	}
	small := New(Options{Articles: 10})
	if got := small.Edit(50); len(got) != 9 {
		t.Errorf("Edit(50) on 10 articles edited %d, want 9 (all but the seed)", len(got))
	}
}

func TestAdd(t *testing.T) {
	s := New(Options{Seed: 8, Articles: 100})
	before := s.Truth()
	paths := s.Add(3)
	after := s.Truth()
	if len(paths) != 3 || len(after) != 103 {
		t.Fatalf("Add(3) = %v, Len %d; want 3 paths and 103 articles", paths, len(after))
	}
	for i, p := range paths {
		if after[i].Path != p || !after[i].Published.After(before[0].Published) {
			t.Errorf("Truth()[%d] = %s published %v, want %s, newer than %v", i, after[i].Path, after[i].Published, p, before[0].Published)
		}
	}
	if diff := cmp.Diff(before, after[3:]); diff != "" {
		t.Errorf("Add changed existing articles:\n%s", diff)
	}
	home := serve(s, "/").Body.String()
	if i := strings.Index(home, paths[0]); i < 0 || i > strings.Index(home, before[0].Path) {
		t.Errorf("home page does not list %s before %s", paths[0], before[0].Path)
	}
	if sm := serve(s, "/wp-sitemap-posts-post-1.xml").Body.String(); !strings.Contains(sm, paths[2]) {
		t.Errorf("sitemap lacks added %s", paths[2])
	}
	if rec := serve(s, paths[1]); rec.Code != 200 {
		t.Errorf("GET %s = %d, want 200", paths[1], rec.Code)
	}
	if again := New(Options{Seed: 8, Articles: 100}).Add(3); !slices.Equal(paths, again) {
		t.Errorf("Add(3) on two sites from one seed = %v and %v, want equal", paths, again)
	}
}

func TestListings(t *testing.T) {
	s := New(Options{Seed: 12, Articles: 95})
	truth := s.Truth()
	walk := func(start string) []string {
		var got []string
		next := start
		for range 20 {
			rec := serve(s, next)
			if rec.Code != 200 {
				t.Fatalf("GET %s = %d, want 200", next, rec.Code)
			}
			doc := parseHTML(t, rec.Body.Bytes())
			for _, h := range findAll(doc, func(n *html.Node) bool { return n.Data == "h2" && hasClass(n, "entry-title") }) {
				got = append(got, urlPath(t, attr(first(t, h, byTag("a"), "a"), "href")))
			}
			links := findAll(doc, func(n *html.Node) bool { return n.Data == "link" && attr(n, "rel") == "next" })
			if len(links) == 0 {
				return got
			}
			next = urlPath(t, attr(links[0], "href"))
		}
		t.Fatalf("listing from %s has more than 20 pages", start)
		return nil
	}
	var want []string
	for _, a := range truth {
		want = append(want, a.Path)
	}
	if diff := cmp.Diff(want, walk("/")); diff != "" {
		t.Errorf("home listing pages (-truth +listing):\n%s", diff)
	}
	want = want[:0]
	for _, a := range truth {
		if slices.Contains(a.Categories, "Kabar Pemerintah") {
			want = append(want, a.Path)
		}
	}
	if diff := cmp.Diff(want, walk("/category/kabar-pemerintah/")); diff != "" {
		t.Errorf("category listing pages (-truth +listing):\n%s", diff)
	}
}

type rss struct {
	Channel struct {
		Items []struct {
			Title   string `xml:"title"`
			Link    string `xml:"link"`
			PubDate string `xml:"pubDate"`
			Content string `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
		} `xml:"item"`
	} `xml:"channel"`
}

func TestFeed(t *testing.T) {
	s := New(Options{Seed: 13, Articles: 70})
	truth := s.Truth()
	var f rss
	if err := xml.Unmarshal(serve(s, "/feed/").Body.Bytes(), &f); err != nil {
		t.Fatalf("parse /feed/: %v", err)
	}
	if len(f.Channel.Items) != 10 {
		t.Fatalf("/feed/ has %d items, want 10", len(f.Channel.Items))
	}
	for i, it := range f.Channel.Items {
		a := truth[i]
		pub, err := time.Parse(time.RFC1123Z, it.PubDate)
		if it.Title != a.Title || it.Link != "http://"+testHost+a.Path || err != nil || !pub.Equal(a.Published) {
			t.Errorf("feed item %d = %q %s %s, want %q %s %v", i, it.Title, it.Link, it.PubDate, a.Title, a.Path, a.Published)
		}
		if got := contentParagraphs(t, it.Content); !slices.Contains(got, a.Paragraphs[0]) {
			t.Errorf("feed item %d content lacks the first paragraph %q", i, a.Paragraphs[0])
		}
	}
	var cf rss
	if err := xml.Unmarshal(serve(s, "/category/pariwisata/feed/").Body.Bytes(), &cf); err != nil {
		t.Fatalf("parse category feed: %v", err)
	}
	for _, it := range cf.Channel.Items {
		a, ok := s.Lookup(urlPath(t, it.Link))
		if !ok || !slices.Contains(a.Categories, "Pariwisata") {
			t.Errorf("category feed item %s is not in Pariwisata (%v)", it.Link, a.Categories)
		}
	}
}

type urlset struct {
	URLs []struct {
		Loc     string `xml:"loc"`
		Lastmod string `xml:"lastmod"`
	} `xml:"url"`
}

func TestSitemaps(t *testing.T) {
	s := New(Options{Seed: 14, Articles: 4500})
	var index struct {
		Sitemaps []struct {
			Loc string `xml:"loc"`
		} `xml:"sitemap"`
	}
	if err := xml.Unmarshal(serve(s, "/wp-sitemap.xml").Body.Bytes(), &index); err != nil {
		t.Fatalf("parse sitemap index: %v", err)
	}
	var posts []string
	for _, sm := range index.Sitemaps {
		if strings.Contains(sm.Loc, "-posts-post-") {
			posts = append(posts, urlPath(t, sm.Loc))
		}
	}
	if want := []string{"/wp-sitemap-posts-post-1.xml", "/wp-sitemap-posts-post-2.xml", "/wp-sitemap-posts-post-3.xml"}; !slices.Equal(posts, want) {
		t.Fatalf("post sitemaps = %v, want %v", posts, want)
	}
	lastmod := map[string]string{}
	prevID := 0
	for i, p := range posts {
		var us urlset
		if err := xml.Unmarshal(serve(s, p).Body.Bytes(), &us); err != nil {
			t.Fatalf("parse %s: %v", p, err)
		}
		if want := []int{2000, 2000, 500}[i]; len(us.URLs) != want {
			t.Errorf("%s has %d URLs, want %d", p, len(us.URLs), want)
		}
		for _, u := range us.URLs {
			path := urlPath(t, u.Loc)
			a, ok := s.Lookup(path)
			if !ok || a.ID <= prevID {
				t.Errorf("%s: %s unknown or out of id order", p, path)
			}
			prevID = a.ID
			lastmod[path] = u.Lastmod
		}
	}
	truth := s.Truth()
	if len(lastmod) != len(truth) {
		t.Errorf("sitemaps list %d articles, want %d", len(lastmod), len(truth))
	}
	for _, a := range truth {
		if want := a.Modified.UTC().Format("2006-01-02T15:04:05+00:00"); lastmod[a.Path] != want {
			t.Errorf("%s lastmod = %q, want %q", a.Path, lastmod[a.Path], want)
		}
	}
}

func TestImages(t *testing.T) {
	s := New(Options{Seed: 15, Articles: 60})
	n := 0
	for _, a := range s.Truth() {
		for _, im := range a.Images {
			rec := serve(s, im.Path)
			want := "image/jpeg"
			if strings.HasSuffix(im.Path, ".png") {
				want = "image/png"
			}
			if rec.Code != 200 || rec.Header().Get("Content-Type") != want {
				t.Errorf("GET %s = %d %s, want 200 %s", im.Path, rec.Code, rec.Header().Get("Content-Type"), want)
				continue
			}
			if _, format, err := image.Decode(rec.Body); err != nil || "image/"+format != want {
				t.Errorf("GET %s: decode as %s: %v", im.Path, format, err)
			}
			n++
		}
	}
	if n < 20 {
		t.Errorf("%d images checked, want at least 20", n)
	}
}

func TestStats(t *testing.T) {
	s := New(Options{Seed: 16, Articles: 30})
	truth := s.Truth()
	a := truth[slices.IndexFunc(truth, func(a Article) bool { return len(a.Images) > 0 })]
	serve(s, "/robots.txt")
	s.ResetStats()
	for _, p := range []string{a.Path, a.Path, "/baca/nope", "/", "/page/2/", "/feed/", "/wp-sitemap.xml", "/wp-json/wp/v2/posts", a.Images[0].Path + "x", "/robots.txt", "/nope"} {
		serve(s, p)
	}
	serve(s, a.Images[0].Path)
	serve(s, a.Path, "If-None-Match", serve(s, a.Path).Header().Get("ETag"))
	got := s.Stats()
	wantKinds := map[string]int{KindArticle: 5, KindListing: 2, KindFeed: 1, KindSitemap: 1, KindAPI: 1, KindImage: 2, KindRobots: 1, KindOther: 1}
	if diff := cmp.Diff(wantKinds, got.ByKind); diff != "" {
		t.Errorf("Stats().ByKind (-want +got):\n%s", diff)
	}
	if got.ByKindStatus[KindArticle][304] != 1 || got.ByKindStatus[KindArticle][404] != 1 || got.ByStatus[404] != 3 {
		t.Errorf("Stats() = %+v, want one article 304, one article 404, three 404s", got)
	}
	total := 0
	for _, n := range got.ByKind {
		total += n
	}
	if got.Total != total {
		t.Errorf("Stats().Total = %d, want %d", got.Total, total)
	}
	s.ResetStats()
	if got := s.Stats(); got.Total != 0 || len(got.ByKind) != 0 {
		t.Errorf("after ResetStats, Stats() = %+v, want zero", got)
	}
}

func TestNewSizes(t *testing.T) {
	tests := []struct {
		articles, want int
	}{
		{0, DefaultArticles},
		{-5, DefaultArticles},
		{1, 1},
		{20000, 20000},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.articles), func(t *testing.T) {
			s := New(Options{Articles: tt.articles})
			if got := s.Len(); got != tt.want {
				t.Fatalf("New(Articles: %d).Len() = %d, want %d", tt.articles, got, tt.want)
			}
			slugs := map[string]bool{}
			s.mu.RLock()
			for _, p := range s.posts {
				if slugs[p.slug] {
					t.Errorf("slug %s repeats", p.slug)
				}
				slugs[p.slug] = true
			}
			s.mu.RUnlock()
			if _, ok := s.Lookup("/baca/" + seedSlug); !ok {
				t.Errorf("seed article missing")
			}
		})
	}
}

func TestGzip(t *testing.T) {
	s := New(Options{Gzip: true, Articles: 20})
	srv := httptest.NewServer(s)
	defer srv.Close()
	// The client asks for gzip and decodes it transparently.
	res, body := get(t, srv, "/")
	if !res.Uncompressed || !bytes.Contains(body, []byte("KABAR PEMERINTAH")) {
		t.Errorf("GET / with gzip: uncompressed %v, body ok %v; want a decoded gzip response", res.Uncompressed, bytes.Contains(body, []byte("KABAR PEMERINTAH")))
	}
	if rec := serve(s, "/"); rec.Header().Get("Content-Encoding") != "" {
		t.Errorf("GET / without Accept-Encoding: Content-Encoding %q, want none", rec.Header().Get("Content-Encoding"))
	}
}

func TestRobotsCrawlDelay(t *testing.T) {
	tests := []struct {
		delay time.Duration
		want  string
	}{
		{0, ""},
		{2 * time.Second, "Crawl-delay: 2\n"},
		{1500 * time.Millisecond, "Crawl-delay: 1.5\n"},
	}
	for _, tt := range tests {
		s := New(Options{CrawlDelay: tt.delay, Articles: 5})
		body := serve(s, "/robots.txt").Body.String()
		if got := strings.Contains(body, "Crawl-delay"); got != (tt.want != "") || !strings.Contains(body, tt.want) {
			t.Errorf("robots.txt with CrawlDelay %v = %q, want it to hold %q", tt.delay, body, tt.want)
		}
	}
}

func TestStart(t *testing.T) {
	s := New(Options{Articles: 5})
	base, stop, err := Start(context.Background(), "", s)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Errorf("Start base URL = %q, want http://127.0.0.1:PORT", base)
	}
	res, err := http.Get(base + "/robots.txt")
	if err != nil {
		t.Fatalf("GET robots.txt: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("GET robots.txt = %d, want 200", res.StatusCode)
	}
	if err := stop(context.Background()); err != nil {
		t.Errorf("stop: %v", err)
	}
	if res, err := http.Get(base + "/robots.txt"); err == nil {
		res.Body.Close()
		t.Errorf("GET after stop succeeded, want an error")
	}

	ctx, cancel := context.WithCancel(context.Background())
	_, stop, err = Start(ctx, "127.0.0.1:0", s)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	cancel()
	stop(context.Background()) // returns once the server is down

	for _, addr := range []string{"0.0.0.0:0", "192.0.2.1:80", "nonsense"} {
		if _, _, err := Start(context.Background(), addr, s); err == nil {
			t.Errorf("Start(%q) = nil error, want refusal", addr)
		}
	}
}

// TestConcurrentChanges serves pages while the site changes, for the race
// detector.
func TestConcurrentChanges(t *testing.T) {
	s := New(Options{Seed: 17, Articles: 200})
	paths := []string{"/", "/page/3/", "/feed/", "/wp-sitemap-posts-post-1.xml", "/wp-json/wp/v2/posts?per_page=20", "/category/pariwisata/"}
	for _, a := range s.Truth()[:40] {
		paths = append(paths, a.Path)
	}
	done := make(chan struct{})
	for g := range 2 {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range 100 {
				p := paths[(i*7+g)%len(paths)]
				if rec := serve(s, p); rec.Code != 200 {
					t.Errorf("GET %s = %d during changes, want 200", p, rec.Code)
				}
			}
		}()
	}
	for range 10 {
		s.Edit(3)
		s.Add(2)
		s.Truth()
	}
	<-done
	<-done
	if got := s.Len(); got != 220 {
		t.Errorf("Len() after 10 Add(2) = %d, want 220", got)
	}
}
