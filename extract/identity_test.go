package extract

import (
	"fmt"
	"testing"
)

// TestIdentity checks that an article's URL is the URL it was fetched
// from, or a canonical on one of the site's hosts, and that <base href>
// only resolves relative links, and only when it is on the site.
func TestIdentity(t *testing.T) {
	const pageURL = "http://site.test/baca/banjir-di-talawi?x=1"
	page := func(head string) []byte {
		return []byte(fmt.Sprintf(`<!doctype html><html><head><title>Banjir di Talawi</title>%s</head><body>
<article><h1>Banjir di Talawi</h1><img src="gambar/banjir.jpg" alt="banjir">
<p>SAWAHLUNTO – Banjir merendam tiga desa di Kecamatan Talawi pada Selasa malam setelah hujan deras turun selama enam jam.</p>
<p>Warga mengungsi ke balai desa dan petugas membagikan makanan kepada para pengungsi sampai pagi hari.</p>
</article></body></html>`, head))
	}
	tests := []struct {
		name    string
		head    string
		hosts   []string
		wantURL string
		wantImg string
	}{
		{"no base", ``, nil, pageURL, "http://site.test/baca/gambar/banjir.jpg"},
		{"base at site root", `<base href="http://site.test/">`, nil, pageURL, "http://site.test/gambar/banjir.jpg"},
		{"relative base", `<base href="/media/">`, nil, pageURL, "http://site.test/media/gambar/banjir.jpg"},
		{"base off-site", `<base href="http://evil.test/x/">`, nil, pageURL, "http://site.test/baca/gambar/banjir.jpg"},
		{"base off-site with hosts", `<base href="http://evil.test/x/">`, []string{"site.test"}, pageURL, "http://site.test/baca/gambar/banjir.jpg"},
		{"base with credentials", `<base href="http://u:p@site.test/x/">`, nil, pageURL, "http://site.test/baca/gambar/banjir.jpg"},
		{"base on another allowed host", `<base href="http://portal.site.test/">`, []string{"site.test", "portal.site.test"}, pageURL, "http://portal.site.test/gambar/banjir.jpg"},
		{"canonical on site", `<link rel="canonical" href="http://site.test/baca/banjir-di-talawi">`, nil, "http://site.test/baca/banjir-di-talawi", ""},
		{"relative canonical after base", `<base href="http://site.test/"><link rel="canonical" href="baca/banjir">`, nil, "http://site.test/baca/banjir", ""},
		{"canonical off-site", `<link rel="canonical" href="http://evil.test/baca/banjir-di-talawi">`, nil, pageURL, ""},
		{"canonical to the home page", `<link rel="canonical" href="http://site.test/">`, nil, pageURL, ""},
		{"base and no canonical", `<base href="http://site.test/"><meta property="og:url" content="/">`, nil, pageURL, ""},
		{"canonical on an allowed host", `<link rel="canonical" href="http://portal.site.test/banjir">`, []string{"site.test", "portal.site.test"}, "http://portal.site.test/banjir", ""},
		{"canonical on a host not allowed", `<link rel="canonical" href="http://portal.site.test/banjir">`, []string{"site.test"}, pageURL, ""},
		{"canonical on another port", `<link rel="canonical" href="http://site.test:8080/banjir">`, []string{"site.test:80"}, pageURL, ""},
		{"canonical to a category page", `<link rel="canonical" href="http://site.test/kategori/berita/">`, nil, "http://site.test/kategori/berita/", ""},
		{"og:url when canonical is off-site", `<link rel="canonical" href="http://evil.test/a"><meta property="og:url" content="http://site.test/baca/b">`, nil, "http://site.test/baca/b", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name+" keep url", func(t *testing.T) {
			a, err := Extract(page(tt.head), pageURL, Options{Site: "s", Hosts: tt.hosts, KeepURL: true})
			if err != nil {
				t.Fatal(err)
			}
			if a.URL != pageURL {
				t.Errorf("Extract(%s, KeepURL).URL = %q, want %q", tt.head, a.URL, pageURL)
			}
		})
		t.Run(tt.name, func(t *testing.T) {
			a, err := Extract(page(tt.head), pageURL, Options{Site: "s", Hosts: tt.hosts})
			if err != nil {
				t.Fatal(err)
			}
			if a.URL != tt.wantURL {
				t.Errorf("Extract(%s).URL = %q, want %q", tt.head, a.URL, tt.wantURL)
			}
			if a.ID != ArticleID("s", tt.wantURL) {
				t.Errorf("Extract(%s).ID = %q, want the id of %s", tt.head, a.ID, tt.wantURL)
			}
			if tt.wantImg != "" && (len(a.Images) == 0 || a.Images[0].URL != tt.wantImg) {
				t.Errorf("Extract(%s).Images = %v, want %s first", tt.head, a.Images, tt.wantImg)
			}
		})
	}
}
