// Package hostilesite serves small web sites on 127.0.0.1 that attack a
// crawler the way hostile or careless webmasters do: a <base href> or
// canonical links that would merge articles, images that point at other
// services of the machine, pagination, calendars and session ids without
// end. Tests of the crawler and of the warta binary crawl them and check
// that nothing merges, nothing leaks and nothing runs away.
//
// Every site counts the requests it gets, so that a test can tell what a
// crawl fetched. A site never answers for more than its own pages, and
// every page it makes is small.
package hostilesite

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Site is one hostile site, listening on 127.0.0.1.
type Site struct {
	// URL is the site's root, "http://127.0.0.1:PORT/".
	URL string
	// Host is "127.0.0.1:PORT".
	Host string
	// Port is the port alone.
	Port string
	// Articles are the URLs of the site's real articles: what a crawl
	// should archive, each once.
	Articles []string

	srv  *httptest.Server
	mux  *http.ServeMux
	mu   sync.Mutex
	hits map[string]int // by path and query
}

// start serves a new site; setup registers its pages once the site knows
// its own address.
func start(setup func(s *Site)) *Site {
	s := &Site{mux: http.NewServeMux(), hits: map[string]int{}}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.RequestURI()]++
		s.mu.Unlock()
		s.mux.ServeHTTP(w, r)
	}))
	s.URL = s.srv.URL + "/"
	s.Host = strings.TrimPrefix(s.srv.URL, "http://")
	_, s.Port, _ = strings.Cut(s.Host, ":")
	s.mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "User-agent: *\nAllow: /\n")
	})
	setup(s)
	return s
}

// Close shuts the site down.
func (s *Site) Close() { s.srv.Close() }

// Hits returns the number of requests whose path (and query) starts with
// prefix.
func (s *Site) Hits(prefix string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for p, c := range s.hits {
		if strings.HasPrefix(p, prefix) {
			n += c
		}
	}
	return n
}

// Requests returns the number of requests the site got, robots.txt
// included.
func (s *Site) Requests() int { return s.Hits("/") }

// html writes an HTML page.
func writePage(w http.ResponseWriter, title, head, body string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>%s</title>%s</head>
<body><header><a href="/">Beranda</a></header>
%s
</body></html>
`, html.EscapeString(title), head, body)
}

// article returns the body of an article page: a headline, a date and
// three paragraphs, enough for any extractor to call it an article.
func article(title, extra string) string {
	return fmt.Sprintf(`<main><article>
<h1 class="entry-title">%[1]s</h1>
<time class="entry-date" datetime="2024-05-17T09:15:00+07:00">17 Mei 2024</time>
<div class="entry-content">
<p>SAWAHLUNTO – %[1]s menjadi perhatian warga kota sejak pagi hari, ketika petugas kelurahan mulai mendata rumah dan kebun yang terdampak.</p>
%[2]s
<p>Wali kota meminta dinas terkait bergerak cepat dan memastikan bantuan sampai kepada warga yang membutuhkan sebelum akhir pekan ini.</p>
<p>Warga berharap kejadian serupa tidak terulang dan pemerintah kota menyiapkan langkah pencegahan untuk musim hujan yang akan datang.</p>
</div></article></main>`, html.EscapeString(title), extra)
}

// listing returns the body of a listing page linking to the articles at
// paths, with extra links after them.
func listing(paths []string, extra string) string {
	var b strings.Builder
	b.WriteString("<main><ul class=\"posts\">\n")
	for _, p := range paths {
		fmt.Fprintf(&b, "<li><a href=\"%s\">%s</a></li>\n", html.EscapeString(p), html.EscapeString(p))
	}
	b.WriteString("</ul>\n")
	b.WriteString(extra)
	b.WriteString("</main>")
	return b.String()
}

// three are the slugs of the articles the trap sites keep listing.
var three = []string{
	"/berita/banjir-rendam-tiga-desa-di-talawi",
	"/berita/wali-kota-resmikan-pasar-baru-silungkang",
	"/berita/festival-songket-silungkang-digelar-pekan-depan",
}

// serveArticles registers the articles at paths, and records their URLs.
func (s *Site) serveArticles(paths []string, head func(path string) string) {
	for i, p := range paths {
		title := strings.ReplaceAll(strings.TrimPrefix(p, "/berita/"), "-", " ")
		h := ""
		if head != nil {
			h = head(p)
		}
		s.mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
			writePage(w, title, h, article(title, fmt.Sprintf("<p>Nomor berita %d dari situs ini.</p>", i+1)))
		})
		s.Articles = append(s.Articles, s.URL+strings.TrimPrefix(p, "/"))
	}
}

// BaseHref is a site whose three article pages carry
// <base href="http://SITE/">, as many themes print, and a fourth whose
// base names another host. Two of the three also name a canonical URL
// that is no article: the category page, and (og:url) the home page, as
// broken themes do. Each is its own article at its own URL; an extractor
// that took the base or those canonicals for the page's URL made them one.
func BaseHref() *Site {
	return start(func(s *Site) {
		paths := append(append([]string{}, three...), "/berita/dinas-pariwisata-promosikan-lubang-tambang-mbah-soero")
		s.serveArticles(paths, func(p string) string {
			base := `<base href="` + s.URL + `">`
			switch p {
			case paths[1]:
				return base + `<link rel="canonical" href="kategori/berita/">`
			case paths[2]:
				return base + `<meta property="og:url" content="` + s.URL + `">`
			case paths[3]:
				return `<base href="http://evil.invalid/elsewhere/">`
			}
			return base
		})
		// Relative links, resolved against the base.
		rel := make([]string, len(paths))
		for i, p := range paths {
			rel[i] = strings.TrimPrefix(p, "/")
		}
		s.mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
			writePage(w, "Beranda", `<base href="`+s.URL+`">`, listing(rel, ""))
		})
	})
}

// Canonical is a site whose articles name each other as their
// rel=canonical: the first names the second, which the home page lists
// too; the third names a fourth that only the third links to; and the
// fourth names the third back. Each is its own article at its own URL. A
// crawler that took those canonicals for identity dropped the first as a
// copy of the second, and archived the third as the fourth (the real
// fourth then never fetched, or fetched as a new version of it).
func Canonical() *Site {
	return start(func(s *Site) {
		fourth := "/berita/warga-gotong-royong-bersihkan-saluran-air"
		s.serveArticles([]string{three[0], three[1], fourth}, func(p string) string {
			switch p {
			case three[0]:
				return `<link rel="canonical" href="` + s.URL + strings.TrimPrefix(three[1], "/") + `">`
			case fourth:
				return `<link rel="canonical" href="` + three[2] + `">`
			}
			return ""
		})
		title := strings.ReplaceAll(strings.TrimPrefix(three[2], "/berita/"), "-", " ")
		s.mux.HandleFunc(three[2], func(w http.ResponseWriter, r *http.Request) {
			writePage(w, title, `<link rel="canonical" href="`+fourth+`">`,
				article(title, `<p>Baca juga: <a href="`+fourth+`">gotong royong</a>.</p>`))
		})
		s.Articles = append(s.Articles, s.URL+strings.TrimPrefix(three[2], "/"))
		s.mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
			writePage(w, "Beranda", "", listing(three, ""))
		})
	})
}

// Images is a site with one article whose gallery names images a crawl
// must not fetch: on another port of this machine (secret, a site that
// counts what reaches it), at this machine's address written as one
// decimal number, with a user name and password, and behind a redirect to
// secret. Its own image, and the image on cdn (when not empty; a host the
// site's config lists in image_hosts), are fine.
func Images(secret *Site, cdn *Site) *Site {
	return start(func(s *Site) {
		imgs := []string{
			"/img/foto-banjir.jpg",
			secret.URL + "rahasia.png",
			"http://2130706433:" + s.Port + "/img/desimal.jpg",
			"http://admin:rahasia@" + s.Host + "/img/kredensial.jpg",
			"/img/pindah.jpg",
		}
		if cdn != nil {
			imgs = append(imgs, cdn.URL+"img/cdn.jpg")
		}
		var gallery strings.Builder
		for i, src := range imgs {
			fmt.Fprintf(&gallery, "<figure><img src=\"%s\" alt=\"foto %d\"><figcaption>Foto %d banjir di Talawi</figcaption></figure>\n", html.EscapeString(src), i+1, i+1)
		}
		p := three[0]
		title := "Banjir rendam tiga desa di Talawi"
		s.mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
			writePage(w, title, "", article(title, gallery.String()))
		})
		s.Articles = append(s.Articles, s.URL+strings.TrimPrefix(p, "/"))
		s.mux.HandleFunc("/img/pindah.jpg", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, secret.URL+"pindah.png", http.StatusFound)
		})
		s.mux.HandleFunc("/img/", jpeg)
		s.mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
			writePage(w, "Beranda", "", listing([]string{p}, ""))
		})
	})
}

// Secret is a service on this machine that no crawl may reach: it answers
// everything with a secret and counts the requests.
func Secret() *Site {
	return start(func(s *Site) {
		s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "kunci rahasia server internal\n")
		})
	})
}

// CDN is an image host: it serves a small JPEG for any /img/ path.
func CDN() *Site {
	return start(func(s *Site) { s.mux.HandleFunc("/img/", jpeg) })
}

func jpeg(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "image/jpeg")
	io.WriteString(w, "\xff\xd8\xff\xe0\x00\x10JFIF\x00 "+r.URL.Path)
}

// Paging is the "?page=N+1 for ever" trap: every listing page shows the
// same three articles and links to the next page, without end.
func Paging() *Site {
	return start(func(s *Site) {
		s.serveArticles(three, nil)
		page := func(w http.ResponseWriter, n int) {
			writePage(w, "Berita - halaman "+strconv.Itoa(n), "",
				listing(three, fmt.Sprintf(`<nav><a class="next" rel="next" href="/daftar?page=%d">Selanjutnya »</a></nav>`, n+1)))
		}
		s.mux.HandleFunc("/daftar", func(w http.ResponseWriter, r *http.Request) {
			n, err := strconv.Atoi(r.URL.Query().Get("page"))
			if err != nil || n < 1 {
				n = 1
			}
			page(w, n)
		})
		s.mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) { page(w, 1) })
	})
}

// Calendar is the calendar trap: an archive by month whose "older" and
// "next" links go on for ever, into the past and into the future, in the
// path (/arsip/2024/05/) and in the query (/agenda?tahun=2024&bulan=5).
// Every month shows the same three latest articles in its sidebar.
func Calendar(now time.Time) *Site {
	return start(func(s *Site) {
		s.serveArticles(three, nil)
		month := func(w http.ResponseWriter, y, m int) {
			t := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
			prev, next := t.AddDate(0, -1, 0), t.AddDate(0, 1, 0)
			nav := fmt.Sprintf(`<table id="wp-calendar"><caption>%s</caption><tfoot><tr>
<td id="prev"><a href="/arsip/%d/%02d/">« Lebih lama</a></td>
<td id="next"><a href="/arsip/%d/%02d/">Berikutnya »</a></td>
<td><a href="/agenda?tahun=%d&amp;bulan=%d">Bulan depan ›</a></td>
</tr></tfoot></table>`, t.Format("January 2006"), prev.Year(), prev.Month(), next.Year(), next.Month(), next.Year(), next.Month())
			writePage(w, "Arsip "+t.Format("January 2006"), "", listing(three, nav))
		}
		s.mux.HandleFunc("/arsip/{y}/{m}/", func(w http.ResponseWriter, r *http.Request) {
			y, _ := strconv.Atoi(r.PathValue("y"))
			m, _ := strconv.Atoi(r.PathValue("m"))
			month(w, y, max(1, min(m, 12)))
		})
		s.mux.HandleFunc("/agenda", func(w http.ResponseWriter, r *http.Request) {
			y, _ := strconv.Atoi(r.URL.Query().Get("tahun"))
			m, _ := strconv.Atoi(r.URL.Query().Get("bulan"))
			month(w, y, max(1, min(m, 12)))
		})
		s.mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) { month(w, now.Year(), int(now.Month())) })
	})
}

// QueryTrap gives every visit a new session id in every link, as old PHP
// and Java sites do, and grows the query of its "next" link by one repeated
// parameter per page.
func QueryTrap() *Site {
	return start(func(s *Site) {
		s.serveArticles(three, nil)
		var mu sync.Mutex
		visit := 0
		sid := func() string {
			mu.Lock()
			defer mu.Unlock()
			visit++
			return fmt.Sprintf("%032x", visit*7919)
		}
		// A Java server serves /berita/x;jsessionid=ID as /berita/x.
		s.mux.HandleFunc("/berita/", func(w http.ResponseWriter, r *http.Request) {
			p, _, _ := strings.Cut(r.URL.Path, ";")
			for i, a := range three {
				if a == p {
					title := strings.ReplaceAll(strings.TrimPrefix(p, "/berita/"), "-", " ")
					writePage(w, title, "", article(title, fmt.Sprintf("<p>Nomor berita %d dari situs ini.</p>", i+1)))
					return
				}
			}
			http.NotFound(w, r)
		})
		page := func(w http.ResponseWriter, r *http.Request) {
			id := sid()
			links := make([]string, 0, 2*len(three))
			for _, p := range three {
				links = append(links, p+";jsessionid="+id, p+"?PHPSESSID="+id)
			}
			q := r.URL.RawQuery
			if q == "" {
				q = "page=1"
			}
			next := fmt.Sprintf(`<a rel="next" href="/daftar?%s&amp;page=%d&amp;sid=%s">Selanjutnya »</a>`, html.EscapeString(q), strings.Count(q, "page=")+1, id)
			writePage(w, "Berita", "", listing(links, next))
		}
		s.mux.HandleFunc("/daftar", page)
		s.mux.HandleFunc("/{$}", page)
	})
}
