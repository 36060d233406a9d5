package extract

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// listingPage is a WordPress home page with n teasers in its main list, a
// menu, a "popular" sidebar and a footer.
func listingPage(n int) string {
	var b strings.Builder
	b.WriteString(`<html><head><title>Kabar Sawahlunto</title><link rel="canonical" href="https://example.go.id/"></head><body>
<header><nav><ul><li><a href="/category/pemerintahan/">Pemerintahan</a></li><li><a href="/tentang-kami-dan-redaksi/">Tentang kami</a></li></ul></nav>
<div class="headline-slider"><a href="/sorotan-festival-film-pendek-sawahlunto/">Sorotan: Festival Film Pendek Sawahlunto</a></div></header>
<main id="main"><section class="home-block"><h2 class="block-title">KABAR PEMERINTAH</h2>`)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, `<article class="post-%d post type-post hentry"><div class="post-thumbnail"><a href="/baca/berita-nomor-%d-tentang-kota"><img src="/img/%d.jpg" alt=""></a></div><h2 class="entry-title"><a href="/baca/berita-nomor-%d-tentang-kota">Berita nomor %d tentang kota</a></h2><div class="entry-summary"><p>Ringkasan berita.</p></div><a class="more-link" href="/baca/berita-nomor-%d-tentang-kota">Baca Lebih Lanjut</a></article>`, i, i, i, i, i, i)
	}
	b.WriteString(`</section><nav class="pagination"><a href="/page/2/">2</a></nav></main>
<aside class="widget-area"><h2>Terpopuler</h2><ul><li><a href="/baca/pasar-malam-segitiga-ramai">Pasar malam ramai</a></li><li><a href="/baca/museum-goedang-ransoem-gratis">Museum gratis</a></li><li><a href="/baca/kereta-mak-itam-kembali-jalan">Kereta kembali</a></li></ul></aside>
<footer><a href="/kebijakan-privasi-situs-ini/">Kebijakan privasi</a></footer></body></html>`)
	return b.String()
}

func TestArticleLinks(t *testing.T) {
	tests := []struct {
		name, page, url string
		want            []string
	}{
		{
			name: "wordpress home", page: listingPage(5), url: "https://example.go.id/",
			want: []string{
				"https://example.go.id/baca/berita-nomor-1-tentang-kota", "https://example.go.id/baca/berita-nomor-2-tentang-kota",
				"https://example.go.id/baca/berita-nomor-3-tentang-kota", "https://example.go.id/baca/berita-nomor-4-tentang-kota",
				"https://example.go.id/baca/berita-nomor-5-tentang-kota", "https://example.go.id/sorotan-festival-film-pendek-sawahlunto/",
				"https://example.go.id/baca/pasar-malam-segitiga-ramai", "https://example.go.id/baca/museum-goedang-ransoem-gratis",
				"https://example.go.id/baca/kereta-mak-itam-kembali-jalan",
			},
		},
		{
			name: "no url, canonical resolves", page: listingPage(3), url: "",
			want: []string{
				"https://example.go.id/baca/berita-nomor-1-tentang-kota", "https://example.go.id/baca/berita-nomor-2-tentang-kota",
				"https://example.go.id/baca/berita-nomor-3-tentang-kota", "https://example.go.id/sorotan-festival-film-pendek-sawahlunto/",
				"https://example.go.id/baca/pasar-malam-segitiga-ramai", "https://example.go.id/baca/museum-goedang-ransoem-gratis",
				"https://example.go.id/baca/kereta-mak-itam-kembali-jalan",
			},
		},
		{
			name: "rss feed", url: "https://example.go.id/feed/",
			page: `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Kabar</title><link>https://example.go.id/</link>
<item><title>Satu</title><link>https://example.go.id/baca/berita-satu-hari-ini</link></item>
<item><title>Dua</title><link>https://example.go.id/baca/berita-dua-hari-ini</link></item></channel></rss>`,
			want: []string{"https://example.go.id/baca/berita-satu-hari-ini", "https://example.go.id/baca/berita-dua-hari-ini"},
		},
		{
			name: "atom feed", url: "https://example.go.id/feed/atom/",
			page: `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Kabar</title><link href="https://example.go.id/" rel="alternate"/>
<entry><title>Satu</title><link rel="alternate" href="https://example.go.id/baca/berita-satu-hari-ini"/><link rel="replies" href="https://example.go.id/baca/berita-satu-hari-ini#comments"/></entry></feed>`,
			want: []string{"https://example.go.id/baca/berita-satu-hari-ini"},
		},
		{name: "empty", page: "", url: "https://example.go.id/", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ArticleLinks([]byte(tt.page), tt.url)
			if !slices.Equal(got, tt.want) {
				t.Errorf("ArticleLinks(%s) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}
