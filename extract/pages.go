package extract

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

var (
	pageLinksSelector = mustGroup(".page-links a, .post-page-numbers, .wp-block-post-navigation-link a, .pagination-single a, .article-pagination a, .paging a, .halaman a, .pages a, .multi-page a, .detail__anchor-numb a, .read__paging a, .paging-news a")
	pageNumberRE      = regexp.MustCompile(`(?i)^(\d{1,3}|halaman\s*\d{1,3}|page\s*\d{1,3}|selanjutnya|berikutnya|next(\s+page)?|lanjut(kan)?)\W*$`)
	pagedPathRE       = regexp.MustCompile(`(?i)(?:/(?:page|halaman|hal))?/(\d{1,3})$`)
)

// NextPages returns the URLs of the further pages of a multi-page article
// (WordPress <!--nextpage-->, "Halaman 2", ?page=2), absolute, in order,
// without the page itself. A single-page article gives nil. The crawler
// fetches them and ExtractPages joins them.
func NextPages(page []byte, pageURL string) []string {
	base, err := url.Parse(pageURL)
	if err != nil {
		return nil
	}
	root, err := parse(page, "")
	if err != nil {
		return nil
	}
	self := strings.TrimSuffix(stripFragment(base).String(), "/")
	var out []string
	seen := map[string]bool{self: true}
	add := func(raw string) {
		u, err := base.Parse(strings.TrimSpace(raw))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !sameHost(u.Host, base.Host) {
			return
		}
		s := stripFragment(u).String()
		key := strings.TrimSuffix(s, "/")
		if seen[key] || !samePagedArticle(base, u) {
			return
		}
		seen[key] = true
		out = append(out, s)
	}
	for _, n := range queryAll(root, pageLinksSelector.full) {
		if n.DataAtom != atom.A {
			continue
		}
		add(attr(n, "href"))
	}
	if len(out) == 0 {
		// rel=next on an article page (Yoast prints it for paged posts);
		// links whose text is a page number in the article's own paging.
		walk(root, func(n *html.Node) bool {
			if n.Type != html.ElementNode {
				return true
			}
			if n.DataAtom == atom.Link && strings.EqualFold(attr(n, "rel"), "next") {
				add(attr(n, "href"))
			}
			if n.DataAtom == atom.A && pageNumberRE.MatchString(normSpace(textOf(n))) && !inChrome(n) {
				add(attr(n, "href"))
			}
			return true
		})
	}
	return out
}

func stripFragment(u *url.URL) *url.URL {
	c := *u
	c.Fragment = ""
	return &c
}

// samePagedArticle reports whether u is another numbered page of the
// article at base: the same path up to a trailing page number ("/slug/2/",
// "/slug/page/2") or the same path with a page parameter ("?page=2").
func samePagedArticle(base, u *url.URL) bool {
	br, bn := pagedRoot(base)
	ur, un := pagedRoot(u)
	if br != ur || bn == un {
		return false
	}
	return un > 0 || bn > 0
}

// pagedRoot returns u without its page number, and the number (0 when
// none: page one).
func pagedRoot(u *url.URL) (string, int) {
	path := strings.TrimSuffix(u.Path, "/")
	q := u.Query()
	for _, k := range []string{"page", "halaman", "hal", "p"} {
		if v := q.Get(k); v != "" {
			if n, err := strconv.Atoi(v); err == nil && n < 1000 {
				q.Del(k)
				return path + "?" + q.Encode(), n
			}
		}
	}
	if m := pagedPathRE.FindStringSubmatch(path); m != nil {
		n, _ := strconv.Atoi(m[1])
		return strings.TrimSuffix(path[:len(path)-len(m[0])], "/") + "?" + u.RawQuery, n
	}
	return path + "?" + u.RawQuery, 0
}

// ExtractPages extracts a multi-page article: pages[i] was fetched from
// urls[i], in reading order. The first page gives every field; later pages
// add their paragraphs and images. A later page without text is skipped.
func ExtractPages(pages [][]byte, urls []string, opt Options) (*Article, error) {
	if len(pages) == 0 || len(pages) != len(urls) {
		return nil, fmt.Errorf("extract: %d pages but %d urls", len(pages), len(urls))
	}
	first, err := Extract(pages[0], urls[0], opt)
	if err != nil {
		return nil, err
	}
	var rest []*Article
	for i := 1; i < len(pages); i++ {
		a, err := Extract(pages[i], urls[i], opt)
		if errors.Is(err, ErrNotArticle) {
			continue
		}
		if err != nil {
			return nil, err
		}
		rest = append(rest, a)
	}
	return Join(first, rest...), nil
}

// Join appends the bodies and images of an article's later pages to its
// first page, dropping paragraphs a later page repeats (a lead paragraph
// or title printed on every page), and recomputes the content hash.
func Join(first *Article, rest ...*Article) *Article {
	a := *first
	a.Images = append([]Image{}, first.Images...)
	seenImg := map[string]bool{}
	for _, im := range a.Images {
		seenImg[im.URL] = true
	}
	paras := strings.Split(a.Body, "\n\n")
	seen := map[string]bool{}
	for _, p := range paras {
		seen[p] = true
	}
	for _, r := range rest {
		for _, p := range strings.Split(r.Body, "\n\n") {
			if p == "" || seen[p] {
				continue
			}
			seen[p] = true
			paras = append(paras, p)
		}
		for _, im := range r.Images {
			if !seenImg[im.URL] {
				seenImg[im.URL] = true
				a.Images = append(a.Images, im)
			}
		}
	}
	a.Body = strings.Join(paras, "\n\n")
	a.ContentHash = ContentHash(&a)
	return &a
}
