package crawler

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestAPIRootOf(t *testing.T) {
	page, _ := url.Parse("http://portal.example.go.id/")
	tests := []struct {
		name   string
		header string
		links  []link
		want   string
	}{
		{"link header", `<http://portal.example.go.id/wp-json/>; rel="https://api.w.org/"`, nil, "http://portal.example.go.id/wp-json/"},
		{"link header among others", `<http://portal.example.go.id/?p=5>; rel=shortlink, <http://portal.example.go.id/wp-json/>; rel="https://api.w.org/"`, nil, "http://portal.example.go.id/wp-json/"},
		{"plain permalinks", `<http://portal.example.go.id/?rest_route=/>; rel="https://api.w.org/"`, nil, "http://portal.example.go.id/?rest_route=%2F"},
		{"head link", "", []link{{tag: tagLink, rel: "https://api.w.org/", href: "/wp-json/"}}, "http://portal.example.go.id/wp-json/"},
		{"none", `<http://portal.example.go.id/feed/>; rel="alternate"`, []link{{tag: tagLink, rel: "stylesheet", href: "/s.css"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.header != "" {
				h.Set("Link", tt.header)
			}
			if got := apiRootOf(page, h, tt.links); got != tt.want {
				t.Errorf("apiRootOf(%s) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

func TestAPIPostsURL(t *testing.T) {
	since := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		root  string
		n     int
		since time.Time
		want  string
	}{
		{"http://x.id/wp-json/", 1, time.Time{}, "http://x.id/wp-json/wp/v2/posts?_fields=id%2Clink%2Cmodified_gmt&order=desc&orderby=modified&page=1&per_page=100"},
		{"http://x.id/wp-json/", 3, since, "http://x.id/wp-json/wp/v2/posts?_fields=id%2Clink%2Cmodified_gmt&modified_after=2026-01-02T03%3A04%3A05&order=desc&orderby=modified&page=3&per_page=100"},
		{"http://x.id/?rest_route=/", 2, time.Time{}, "http://x.id/?_fields=id%2Clink%2Cmodified_gmt&order=desc&orderby=modified&page=2&per_page=100&rest_route=%2Fwp%2Fv2%2Fposts"},
	}
	for _, tt := range tests {
		if got := apiPostsURL(tt.root, tt.n, tt.since); got != tt.want {
			t.Errorf("apiPostsURL(%q, %d, %v) = %q, want %q", tt.root, tt.n, tt.since, got, tt.want)
		}
	}
}

func TestParseSitemap(t *testing.T) {
	gz := func(s string) []byte {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write([]byte(s))
		zw.Close()
		return b.Bytes()
	}
	urlset := `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
		<url><loc> http://x.id/baca/a </loc><lastmod>2021-12-23T09:15:41+07:00</lastmod></url>
		<url><loc>http://x.id/baca/b</loc><lastmod>2021-12-24</lastmod></url>
		<url><loc>http://x.id/baca/c</loc></url></urlset>`
	wantURLs := []sitemapURL{
		{"http://x.id/baca/a", time.Date(2021, 12, 23, 2, 15, 41, 0, time.UTC)},
		{"http://x.id/baca/b", time.Date(2021, 12, 24, 0, 0, 0, 0, time.UTC)},
		{"http://x.id/baca/c", time.Time{}},
	}
	tests := []struct {
		name     string
		body     []byte
		children []string
		urls     []sitemapURL
		wantErr  bool
	}{
		{"urlset", []byte(urlset), nil, wantURLs, false},
		{"gzipped urlset", gz(urlset), nil, wantURLs, false},
		{"index", []byte(`<sitemapindex><sitemap><loc>http://x.id/post-sitemap.xml</loc><lastmod>2024-01-01</lastmod></sitemap></sitemapindex>`),
			[]string{"http://x.id/post-sitemap.xml"}, nil, false},
		{"html", []byte(`<!doctype html><html><body>404</body></html>`), nil, nil, true},
		{"rss", []byte(`<rss><channel><item><link>http://x.id/a</link></item></channel></rss>`), nil, nil, true},
		{"broken gzip", []byte{0x1f, 0x8b, 1, 2, 3}, nil, nil, true},
		{"latin-1", []byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><urlset><url><loc>http://x.id/baca/caf\xe9</loc></url></urlset>"),
			nil, []sitemapURL{{"http://x.id/baca/café", time.Time{}}}, false},
		{"image entries", []byte(`<urlset xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"><url><loc>http://x.id/baca/a</loc><image:image><image:loc>http://x.id/a.jpg</image:loc></image:image></url></urlset>`),
			nil, []sitemapURL{{"http://x.id/baca/a", time.Time{}}}, false},
		// 11 KB of gzip that inflate past the 10 MB a page may have.
		{"gzip bomb", gz(urlset + strings.Repeat(" ", DefaultMaxPageBytes)), nil, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sm, err := parseSitemap(tt.body, DefaultMaxPageBytes)
			if tt.wantErr {
				if err == nil {
					t.Errorf("parseSitemap(%s) = %+v, want an error", tt.name, sm)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseSitemap(%s) error: %v", tt.name, err)
			}
			if diff := cmp.Diff(tt.children, sm.children); diff != "" {
				t.Errorf("parseSitemap(%s) children (-want +got):\n%s", tt.name, diff)
			}
			if diff := cmp.Diff(tt.urls, sm.urls, cmp.AllowUnexported(sitemapURL{}), cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
				t.Errorf("parseSitemap(%s) urls (-want +got):\n%s", tt.name, diff)
			}
		})
	}
}

// TestParseSitemapCut: a sitemap cut in the middle of an entry (a body
// cut at the max page size) gives the entries before the cut, and says
// it was cut. Before: an XML syntax error, and not one of its URLs.
func TestParseSitemapCut(t *testing.T) {
	body := `<urlset><url><loc>http://x.id/baca/a</loc></url><url><loc>http://x.id/baca/b</loc><lastmod>2024-01-02</lastmod></url><url><loc>http://x.id/ba`
	sm, err := parseSitemap([]byte(body), DefaultMaxPageBytes)
	if err != nil {
		t.Fatalf("parseSitemap(cut) error: %v", err)
	}
	want := []sitemapURL{{"http://x.id/baca/a", time.Time{}}, {"http://x.id/baca/b", time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)}}
	if diff := cmp.Diff(want, sm.urls, cmp.AllowUnexported(sitemapURL{})); diff != "" || sm.cut == nil {
		t.Errorf("parseSitemap(cut) urls (-want +got):\n%s\ncut = %v, want an error", diff, sm.cut)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"120", 2 * time.Minute, true},
		{"0", 0, true},
		{"Sat, 28 Nov 2026 10:00:30 GMT", 30 * time.Second, true},
		{"Sat, 28 Nov 2026 09:00:00 GMT", 0, true}, // in the past: now
		{"", 0, false},
		{"-5", 0, false},
		{"soon", 0, false},
		// Ten billion seconds overflowed into a negative wait (retried at
		// once); twenty digits did not parse (backoff). Both are "longer
		// than any crawl waits".
		{"10000000000", time.Duration(math.MaxInt64/int64(time.Second)) * time.Second, true},
		{"99999999999999999999", time.Duration(math.MaxInt64/int64(time.Second)) * time.Second, true},
	}
	for _, tt := range tests {
		got, ok := ParseRetryAfter(tt.in, now)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("ParseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestScanLinks(t *testing.T) {
	body := []byte(`<html><head><base href="/sub/"><link rel="canonical" href="/baca/a"><link rel="alternate" type="application/rss+xml" href="/feed/"></head>
		<body><a href="/baca/a">Judul &amp; <b>tebal</b></a><a class="next page-numbers" href="/page/2/">Selanjutnya &raquo;</a>
		<a href="/baca/b"><img src="x.jpg" alt="Foto kegiatan"></a><a name="anchor">no href</a><a href='/baca/c'>cut off`)
	links, base := scanLinks(body)
	if base != "/sub/" {
		t.Errorf("scanLinks base = %q, want /sub/", base)
	}
	var got []string
	for _, l := range links {
		got = append(got, l.tag.String()+" "+l.href+" ["+l.rel+"] ["+l.text+"]")
	}
	want := []string{
		"base /sub/ [] []",
		"link /baca/a [canonical] []",
		"link /feed/ [alternate] []",
		"a /baca/a [] [judul & tebal]",
		"a /page/2/ [] [selanjutnya »]",
		"a /baca/b [] [foto kegiatan]",
		"a /baca/c [] [cut off]",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("scanLinks (-want +got):\n%s", diff)
	}
	if !isNextLink(links[4]) || isNextLink(links[3]) {
		t.Errorf("isNextLink: Selanjutnya = %v, a title = %v; want true, false", isNextLink(links[4]), isNextLink(links[3]))
	}
}

// TestNextPart finds the next page of a multi-page article in each form a
// link to it takes, the percent-encoded one too, and nothing else.
func TestNextPart(t *testing.T) {
	tests := []struct {
		cur   string
		hrefs []string
		n     int
		want  string
	}{
		{"http://x.id/baca/panjang", []string{"/baca/lain", "/baca/panjang/2/"}, 2, "http://x.id/baca/panjang/2/"},
		{"http://x.id/baca/panjang/", []string{"2/"}, 2, "http://x.id/baca/panjang/2/"},
		{"http://x.id/baca/panjang/2/", []string{"../", "../3/"}, 3, "http://x.id/baca/panjang/3/"},
		{"http://x.id/baca/panjang/", []string{"/baca/panjang/%32/"}, 2, "http://x.id/baca/panjang/%32/"},
		{"http://x.id/baca/panjang", []string{"?page=2"}, 2, "http://x.id/baca/panjang?page=2"},
		{"http://x.id/baca/panjang", []string{"/baca/panjang?halaman=%32"}, 2, "http://x.id/baca/panjang?halaman=2"},
		{"http://x.id/baca/panjang/2/", []string{".", "./", "..", "?x=1", "#3", ""}, 3, ""},
		{"http://x.id/baca/2", []string{".", "?page=1"}, 2, ""},
		{"http://x.id/baca/panjang", []string{"/baca/panjang/12/", "/baca/panjang/2/x"}, 2, ""},
	}
	for _, tt := range tests {
		cur, _ := url.Parse(tt.cur)
		var links []link
		for _, h := range tt.hrefs {
			links = append(links, link{tag: tagA, href: h})
		}
		if got := nextPart(cur, links, tt.n); got != tt.want {
			t.Errorf("nextPart(%s, %q, %d) = %q, want %q", tt.cur, tt.hrefs, tt.n, got, tt.want)
		}
	}
}

// TestMayNamePage checks nextPart's shortcut on hrefs built from the
// pieces of links to pages: every href partURL takes for page n passes
// mayNamePage.
func TestMayNamePage(t *testing.T) {
	pieces := []string{"", "/", "baca", "panjang", "2", "3", "12", "02", ".", "..", "?", "page=", "halaman=", "&", "#",
		"%32", " ", "\u00a0", "http://x.id", "//x.id", ";", "x", "-"}
	var hrefs []string
	for _, a := range pieces {
		for _, b := range pieces {
			for _, c := range pieces {
				hrefs = append(hrefs, a+b+c, "/baca/panjang/"+a+b+c, a+b+c+"/")
			}
		}
	}
	passed := 0
	for _, raw := range []string{"http://x.id/baca/panjang", "http://x.id/baca/panjang/", "http://x.id/baca/panjang/2/", "http://x.id/baca/2", "http://x.id/baca/panjang?page=2"} {
		cur, _ := url.Parse(raw)
		for _, n := range []int{2, 3} {
			num := fmt.Sprint(n)
			root := strings.TrimSuffix(cur.Path, "/")
			if i := strings.LastIndexByte(root, '/'); i > 0 && isDigits(root[i+1:]) && n > 2 {
				root = root[:i]
			}
			for _, h := range hrefs {
				if partURL(cur, h, root, num) == "" {
					continue
				}
				passed++
				if !mayNamePage(cur, h, num) {
					t.Errorf("on %s, href %q leads to page %d (%s), but mayNamePage is false", raw, h, n, partURL(cur, h, root, num))
				}
			}
		}
	}
	if passed < 100 {
		t.Errorf("only %d hrefs lead to a page, want the pieces to make more", passed)
	}
}

// TestAppendLinksReuse scans demo pages through one lent slice, as
// process does with run.linkBufs, and checks each result against a scan
// into a fresh slice: nothing of the page before may show through.
func TestAppendLinksReuse(t *testing.T) {
	pages := demoPages(t, 40)
	var buf []link
	for i := range 2 * len(pages) {
		// Forward, then backward: a long page's slice then holds a
		// shorter one's links.
		p := pages[i%len(pages)]
		if i >= len(pages) {
			p = pages[2*len(pages)-1-i]
		}
		want, wantBase := scanLinks(p)
		if len(want) == 0 {
			t.Fatalf("page %d: no links", i)
		}
		var base string
		buf, base = appendLinks(buf, p)
		if diff := cmp.Diff(want, buf, cmp.AllowUnexported(link{})); diff != "" || base != wantBase {
			t.Fatalf("page %d: appendLinks into a used slice differs from a fresh scan (-want +got):\n%s", i, diff)
		}
		clear(buf) // as process does before giving the slice back
	}
}

// TestLinkCache resolves the same hrefs against bases that differ in
// scheme, host, path and query, twice over, and checks every answer,
// remembered or not, against resolve's.
func TestLinkCache(t *testing.T) {
	var bases []*url.URL
	for _, b := range []string{"https://kota.go.id/baca/a", "https://kota.go.id/kanal/x/?page=2", "http://kota.go.id/baca/a",
		"https://www.kota.go.id:8443/", "https://user@kota.go.id/a/b/c"} {
		u, err := url.Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		bases = append(bases, u)
	}
	hrefs := []string{"/baca/b", "/baca/b?utm_source=x#top", "//kota.go.id/baca/c", "//lain.id/x", "https://KOTA.go.id:443/baca/d",
		"http://kota.go.id/./baca/../e", "baca/f", "../g", "?page=3", "#top", "", "/", "javascript:void(0)", " /baca/h ", "/baca/%zz", "https://"}
	var c linkCache
	for pass := range 2 {
		for _, b := range bases {
			for _, h := range hrefs {
				if got, want := c.resolve(b, h), resolve(b, h); got != want {
					t.Errorf("pass %d: linkCache.resolve(%s, %q) = %q, resolve gives %q", pass, b, h, got, want)
				}
			}
		}
	}
	if len(c.m) == 0 {
		t.Fatal("linkCache remembered nothing")
	}
	for i := range maxMemo + 10 {
		h := fmt.Sprintf("/baca/%d", i)
		if got, want := c.resolve(bases[0], h), resolve(bases[0], h); got != want {
			t.Fatalf("linkCache.resolve(%s, %q) = %q, want %q", bases[0], h, got, want)
		}
	}
	if len(c.m) > maxMemo {
		t.Errorf("linkCache holds %d links, more than %d", len(c.m), maxMemo)
	}
}
