package demosite

import (
	"compress/gzip"
	"encoding/binary"
	"encoding/hex"
	"hash/fnv"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// response is what a route produces; ServeHTTP writes it.
type response struct {
	kind     string
	status   int
	ctype    string
	body     string
	etag     string    // "" = a strong tag over the body
	modified time.Time // zero = no Last-Modified
	location string
	header   http.Header
}

// ServeHTTP answers one request. Every response carries the WordPress API
// Link header; pages with a validator answer conditional requests with 304.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	base := scheme + "://" + r.Host
	var res *response
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		res = &response{kind: KindOther, status: http.StatusMethodNotAllowed, ctype: "text/plain; charset=utf-8", body: "405 method not allowed\n",
			header: http.Header{"Allow": {"GET, HEAD"}}}
	} else {
		res = s.route(base, r)
	}
	h := w.Header()
	for k, vs := range res.header {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	h.Add("Link", "<"+base+"/wp-json/>; rel=\"https://api.w.org/\"")
	if res.location != "" {
		h.Set("Location", res.location)
	}
	status := res.status
	if status == http.StatusOK {
		etag := res.etag
		if etag == "" {
			etag = strongTag(res.body)
		}
		h.Set("ETag", etag)
		if !res.modified.IsZero() {
			h.Set("Last-Modified", res.modified.UTC().Format(http.TimeFormat))
		}
		if notModified(r, etag, res.modified) {
			status = http.StatusNotModified
		}
	}
	s.count(res.kind, status)
	s.log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", status, "kind", res.kind)
	if status == http.StatusNotModified {
		w.WriteHeader(status)
		return
	}
	if res.ctype != "" {
		h.Set("Content-Type", res.ctype)
	}
	if s.opt.Gzip && len(res.body) > 512 {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r) {
			h.Set("Content-Encoding", "gzip")
			w.WriteHeader(status)
			if r.Method == http.MethodHead {
				return
			}
			zw, err := gzip.NewWriterLevel(w, gzip.BestSpeed)
			if err != nil {
				return
			}
			io.WriteString(zw, res.body)
			zw.Close()
			return
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(res.body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		io.WriteString(w, res.body) // no copy of the body: the response writes strings
	}
}

func acceptsGzip(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept-Encoding") {
		for _, part := range strings.Split(v, ",") {
			name, q, _ := strings.Cut(strings.TrimSpace(part), ";")
			if strings.TrimSpace(name) == "gzip" && strings.ReplaceAll(q, " ", "") != "q=0" {
				return true
			}
		}
	}
	return false
}

// notModified applies RFC 9110's rules: If-None-Match, when present, wins
// over If-Modified-Since.
func notModified(r *http.Request, etag string, modified time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimSpace(t)
			if t == "*" || strings.TrimPrefix(t, "W/") == strings.TrimPrefix(etag, "W/") {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" && !modified.IsZero() {
		t, err := http.ParseTime(ims)
		return err == nil && !modified.Truncate(time.Second).After(t)
	}
	return false
}

func strongTag(body string) string {
	// FNV-1a, 64 bits, as hash/fnv computes it, over the string itself:
	// fnv's Write would want the body copied into a byte slice first.
	const offset, prime = 14695981039346656037, 1099511628211
	var h uint64 = offset
	for i := 0; i < len(body); i++ {
		h ^= uint64(body[i])
		h *= prime
	}
	var sum [8]byte
	binary.BigEndian.PutUint64(sum[:], h)
	return `"` + hex.EncodeToString(sum[:]) + `"`
}

// articleTag is the validator of an article page: it changes when the
// article does, not when the sidebar's list of newest posts does, as with
// WordPress page caches.
func articleTag(p *post) string {
	h := fnv.New64a()
	h.Write([]byte(p.slug))
	h.Write([]byte(strconv.Itoa(p.id) + "/" + strconv.Itoa(p.version) + "/" + strconv.FormatInt(p.modified.Unix(), 10)))
	return `W/"` + hex.EncodeToString(h.Sum(nil)) + `"`
}

const (
	htmlType = "text/html; charset=UTF-8"
	xmlType  = "application/xml; charset=UTF-8"
	jsonType = "application/json; charset=UTF-8"
)

// route dispatches on the path. base is "scheme://host".
func (s *Site) route(base string, r *http.Request) *response {
	path := r.URL.Path
	q := r.URL.Query()
	switch {
	case path == "/" && q.Get("rest_route") != "":
		return s.api(base, q.Get("rest_route"), q)
	case path == "/" && q.Get("p") != "":
		return s.shortlink(base, q.Get("p"))
	case path == "/":
		return s.listing(base, r, "/", "", "home blog", nil, 1)
	case path == "/robots.txt":
		return s.robots(base)
	case path == "/feed/" || path == "/feed":
		return s.feed(base, -1)
	case path == "/wp-sitemap.xml" || strings.HasPrefix(path, "/wp-sitemap-"):
		return s.sitemap(base, path)
	case path == "/wp-json" || strings.HasPrefix(path, "/wp-json/"):
		return s.api(base, strings.TrimPrefix(path, "/wp-json"), q)
	case strings.HasPrefix(path, "/wp-content/"), strings.HasPrefix(path, "/wp-includes/"):
		return s.image(base, path)
	case strings.HasPrefix(path, "/baca/"):
		return s.article(base, strings.TrimPrefix(path, "/baca/"))
	case strings.HasPrefix(path, "/page/"):
		if n, ok := pageNumber(strings.TrimPrefix(path, "/page/")); ok {
			return s.listing(base, r, "/", "", "home blog paged", nil, n)
		}
	case strings.HasPrefix(path, "/category/"), strings.HasPrefix(path, "/tag/"):
		return s.taxonomy(base, r, path)
	case path == "/profil/" || path == "/layanan/" || path == "/kontak/":
		return s.static(base, path)
	default:
		if res := s.monthArchive(base, r, path); res != nil {
			return res
		}
	}
	return s.notFound(base, KindOther)
}

// pageNumber parses "N/" (the rest of a /page/N/ path) for N >= 2.
func pageNumber(rest string) (int, bool) {
	rest, ok := strings.CutSuffix(rest, "/")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 1 || strconv.Itoa(n) != rest {
		return 0, false
	}
	return n, true
}

func (s *Site) notFound(base, kind string) *response {
	all := s.snapshot()
	body := s.simplePage(base, "Halaman tidak ditemukan", "error404",
		`<p>Maaf, halaman yang Anda cari tidak ditemukan. Silakan gunakan menu atau kotak pencarian.</p>`, all)
	return &response{kind: kind, status: http.StatusNotFound, ctype: htmlType, body: body}
}

func redirect(kind, to string) *response {
	return &response{kind: kind, status: http.StatusMovedPermanently, ctype: htmlType, location: to}
}

func (s *Site) article(base, slug string) *response {
	if trimmed, ok := strings.CutSuffix(slug, "/"); ok {
		// WordPress redirects a permalink with a trailing slash to the
		// canonical one.
		s.mu.RLock()
		p := s.bySlug[trimmed]
		s.mu.RUnlock()
		if p == nil {
			return s.notFound(base, KindArticle)
		}
		return redirect(KindArticle, base+p.path())
	}
	s.mu.RLock()
	p := s.bySlug[slug]
	if p == nil {
		s.mu.RUnlock()
		return s.notFound(base, KindArticle)
	}
	posts := s.posts
	pos := s.index[p.id]
	linked := make(map[int]*post, len(p.related)+1)
	for _, id := range p.related {
		linked[id] = s.byID[id]
	}
	if p.bacaJuga != 0 {
		linked[p.bacaJuga] = s.byID[p.bacaJuga]
	}
	s.mu.RUnlock()
	body := s.articlePage(base, p, posts, linked, pos)
	return &response{kind: KindArticle, status: http.StatusOK, ctype: htmlType, body: body, etag: articleTag(p), modified: p.modified}
}

func (s *Site) shortlink(base, v string) *response {
	id, err := strconv.Atoi(v)
	if err == nil {
		s.mu.RLock()
		p := s.byID[id]
		s.mu.RUnlock()
		if p != nil {
			return redirect(KindOther, base+p.path())
		}
	}
	return s.notFound(base, KindOther)
}

// listing serves page n of the posts that keep passes (all when nil).
func (s *Site) listing(base string, r *http.Request, path, heading, bodyClass string, keep func(*post) bool, n int) *response {
	all := s.snapshot()
	list := all
	if keep != nil {
		list = make([]*post, 0, 64)
		for _, p := range all {
			if keep(p) {
				list = append(list, p)
			}
		}
	}
	pages := max(1, (len(list)+perPage-1)/perPage)
	if n == 1 && strings.HasSuffix(r.URL.Path, "/page/1/") {
		return redirect(KindListing, base+path)
	}
	if n > pages {
		return s.notFound(base, KindListing)
	}
	body := s.listingPage(base, path, heading, bodyClass, list, n, all)
	// The sidebar lists the newest posts, so any new post changes every
	// listing page.
	mod := all[0].published
	lo := (n - 1) * perPage
	for _, p := range list[lo:min(lo+perPage, len(list))] {
		if p.modified.After(mod) {
			mod = p.modified
		}
	}
	return &response{kind: KindListing, status: http.StatusOK, ctype: htmlType, body: body, modified: mod}
}

// taxonomy serves /category/<slug>/..., /tag/<slug>/...: listings, their
// pages and category feeds.
func (s *Site) taxonomy(base string, r *http.Request, path string) *response {
	isCat := strings.HasPrefix(path, "/category/")
	rest := strings.TrimPrefix(strings.TrimPrefix(path, "/category/"), "/tag/")
	slug, rest, _ := strings.Cut(rest, "/")
	prefix := "/tag/"
	if isCat {
		prefix = "/category/"
	}
	var keep func(*post) bool
	name := ""
	catIdx := -1
	if isCat {
		for i, c := range categories {
			if c.slug == slug {
				catIdx, name = i, c.name
			}
		}
		if catIdx >= 0 {
			keep = func(p *post) bool {
				for _, c := range p.cats {
					if c == catIdx {
						return true
					}
				}
				return false
			}
		}
	} else if slug != "" {
		keep = func(p *post) bool {
			for _, t := range p.tags {
				if slugify(t) == slug {
					name = t
					return true
				}
			}
			return false
		}
	}
	if keep == nil {
		return s.notFound(base, KindListing)
	}
	own := prefix + slug + "/"
	switch {
	case rest == "" && !strings.HasSuffix(path, "/"):
		return redirect(KindListing, base+own)
	case rest == "":
		return s.taxListing(base, r, own, &name, keep, 1)
	case isCat && (rest == "feed/" || rest == "feed"):
		return s.feed(base, catIdx)
	case strings.HasPrefix(rest, "page/"):
		if n, ok := pageNumber(strings.TrimPrefix(rest, "page/")); ok {
			return s.taxListing(base, r, own, &name, keep, n)
		}
	}
	return s.notFound(base, KindListing)
}

// taxListing is listing for a category or tag whose display name keep
// may only learn while filtering.
func (s *Site) taxListing(base string, r *http.Request, own string, name *string, keep func(*post) bool, n int) *response {
	var list []*post
	for _, p := range s.snapshot() {
		if keep(p) {
			list = append(list, p)
		}
	}
	if len(list) == 0 {
		return s.notFound(base, KindListing)
	}
	return s.listing(base, r, own, *name, "archive category", func(p *post) bool { return keep(p) }, n)
}

// monthArchive serves /YYYY/MM/ and /YYYY/MM/page/N/, or returns nil.
func (s *Site) monthArchive(base string, r *http.Request, path string) *response {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) != 2 && len(parts) != 4 || !strings.HasSuffix(path, "/") {
		return nil
	}
	y, err1 := strconv.Atoi(parts[0])
	m, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil || len(parts[0]) != 4 || len(parts[1]) != 2 || m < 1 || m > 12 {
		return nil
	}
	n := 1
	if len(parts) == 4 {
		k, ok := pageNumber(parts[3] + "/")
		if parts[2] != "page" || !ok {
			return nil
		}
		n = k
	}
	keep := func(p *post) bool { return p.published.Year() == y && int(p.published.Month()) == m }
	heading := monthsID[m] + " " + parts[0]
	own := "/" + parts[0] + "/" + parts[1] + "/"
	for _, p := range s.snapshot() {
		if keep(p) {
			return s.listing(base, r, own, heading, "archive date", keep, n)
		}
	}
	return s.notFound(base, KindListing)
}

func (s *Site) static(base, path string) *response {
	var title, html string
	switch path {
	case "/profil/":
		title = "Profil"
		html = `<p>Kota Sawahlunto terletak di Provinsi Sumatera Barat, sekitar 95 kilometer dari Kota Padang. Kota ini terdiri atas empat kecamatan: Talawi, Silungkang, Barangin dan Lembah Segar.</p><p>Pada tahun 2019, Warisan Tambang Batubara Ombilin Sawahlunto ditetapkan sebagai Warisan Dunia oleh UNESCO.</p>`
	case "/layanan/":
		title = "Layanan"
		html = `<ul><li>Layanan Administrasi Kependudukan</li><li>Layanan Perizinan Terpadu Satu Pintu</li><li>Pengaduan Masyarakat</li></ul>`
	default:
		title = "Kontak"
		html = `<p>Bagian Protokol dan Komunikasi Pimpinan, Sekretariat Daerah Kota Sawahlunto.</p><p>Jl. Soekarno-Hatta No. 1, Sawahlunto 27422. Telepon (0754) 61020.</p>`
	}
	body := s.simplePage(base, title, "page-template-default page", html, s.snapshot())
	return &response{kind: KindOther, status: http.StatusOK, ctype: htmlType, body: body, modified: spanStart}
}

func (s *Site) robots(base string) *response {
	var b strings.Builder
	b.WriteString("User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n")
	if s.opt.CrawlDelay > 0 {
		b.WriteString("Crawl-delay: " + strconv.FormatFloat(s.opt.CrawlDelay.Seconds(), 'f', -1, 64) + "\n")
	}
	b.WriteString("\nSitemap: " + base + "/wp-sitemap.xml\n")
	return &response{kind: KindRobots, status: http.StatusOK, ctype: "text/plain; charset=utf-8", body: b.String(), modified: spanStart}
}
