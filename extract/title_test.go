package extract

import (
	"strings"
	"testing"
)

// TestTitleSiteName checks how the headline is told from the site's name:
// by the h1 that <title> or og:title begins or ends with, by og:site_name,
// and by the site's config title (Options.SiteTitle).
func TestTitleSiteName(t *testing.T) {
	body := `<p>PADANG – Pemerintah Kota Padang mulai memperbaiki saluran drainase di kawasan Pasar Raya setelah banjir merendam puluhan kios pada Senin malam.</p>`
	tests := []struct {
		name, head, h1, siteTitle, want string
	}{
		{"h1 ends the title", `<title>Portal Berita Kota Padang dan Sekitarnya » Drainase Pasar Raya Diperbaiki</title>`, "Drainase Pasar Raya Diperbaiki", "", "Drainase Pasar Raya Diperbaiki"},
		{"h1 begins og:title", `<meta property="og:title" content="Drainase Pasar Raya Diperbaiki | Berita Kota Padang Hari Ini">`, "Drainase Pasar Raya Diperbaiki", "", "Drainase Pasar Raya Diperbaiki"},
		{"h1 only a word of the title", `<title>Drainase Pasar Raya Diperbaiki Usai Banjir Besar</title>`, "Drainase Pasar", "", "Drainase Pasar Raya Diperbaiki Usai Banjir Besar"},
		{"config title", `<title>Drainase Pasar Raya Diperbaiki Usai Banjir – Pemerintah Kota Padang Sumatera Barat</title>`, "", "Pemerintah Kota Padang Sumatera Barat", "Drainase Pasar Raya Diperbaiki Usai Banjir"},
		{"og:site_name", `<title>Drainase Pasar Raya Diperbaiki Usai Banjir · Kabar Padang Sumbar Terkini</title><meta property="og:site_name" content="Kabar Padang Sumbar Terkini">`, "", "", "Drainase Pasar Raya Diperbaiki Usai Banjir"},
		{"full-width bar", `<title>東京女子医大元理事長を逮捕｜日刊ニュース</title><meta property="og:site_name" content="日刊ニュース">`, "", "", "東京女子医大元理事長を逮捕"},
	}
	for _, tt := range tests {
		h1 := ""
		if tt.h1 != "" {
			h1 = "<h1>" + tt.h1 + "</h1>"
		}
		page := "<html><head>" + tt.head + "</head><body><div>" + h1 + body + "</div></body></html>"
		a, err := Extract([]byte(page), "https://example.id/a", Options{SiteTitle: tt.siteTitle})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if a.Title != tt.want {
			t.Errorf("%s: Title = %q, want %q", tt.name, a.Title, tt.want)
		}
	}
}

// TestTitleSources checks the order of the headline's sources: the
// JSON-LD headline (spelled as the printed h1 when they differ only in
// quotes, without a site-name part, skipped when cut short), and a rubric
// the page prints before the headline but leaves out of its metadata.
func TestTitleSources(t *testing.T) {
	body := `<p>PADANG – Pemerintah Kota Padang mulai memperbaiki saluran drainase di kawasan Pasar Raya setelah banjir merendam puluhan kios pada Senin malam.</p>`
	ld := func(h string) string {
		return `<script type="application/ld+json">{"@type":"NewsArticle","headline":"` + h + `"}</script>`
	}
	tests := []struct {
		name, head, top, want string
	}{
		{"ld over a kicker-less h1", ld("Banjir Padang: Drainase Pasar Raya Diperbaiki") + `<meta property="og:title" content="Drainase Pasar Raya Diperbaiki">`,
			`<h1>Drainase Pasar Raya Diperbaiki</h1>`, "Banjir Padang: Drainase Pasar Raya Diperbaiki"},
		{"printed quotes", ld(`Wali Kota: 'Drainase Pasar Raya Diperbaiki'`), `<h1>Wali Kota: ‘Drainase Pasar Raya Diperbaiki’</h1>`, "Wali Kota: ‘Drainase Pasar Raya Diperbaiki’"},
		{"ld site suffix", ld("Drainase Pasar Raya Diperbaiki | Kabar Padang") + `<meta property="og:site_name" content="Kabar Padang">`, ``, "Drainase Pasar Raya Diperbaiki"},
		{"ld cut short", ld("Drainase Pasar Raya Diperbaiki Usai Ban…") + `<meta property="og:title" content="Drainase Pasar Raya Diperbaiki Usai Banjir">`, ``, "Drainase Pasar Raya Diperbaiki Usai Banjir"},
		{"printed rubric", `<meta property="og:title" content="Drainase Pasar Raya Diperbaiki | Kabar Padang"><meta property="og:site_name" content="Kabar Padang">`,
			`<h1><a href="/foto">Foto</a></h1><div class="jdl">In Picture: Drainase Pasar Raya Diperbaiki</div>`, "In Picture: Drainase Pasar Raya Diperbaiki"},
		{"rubric in a link is a teaser", `<meta property="og:title" content="Drainase Pasar Raya Diperbaiki">`,
			`<a href="/b">In Picture: Drainase Pasar Raya Diperbaiki</a>`, "Drainase Pasar Raya Diperbaiki"},
		{"the part the page prints", `<title>Kabar Padang Online - Drainase Pasar Raya Diperbaiki - Kota - Berita</title>`,
			`<p>Senin, 3 Mei 2021</p><h2 class="judul">Drainase Pasar Raya Diperbaiki</h2>`, "Drainase Pasar Raya Diperbaiki"},
		{"the part printed escaped", `<title>Kabar Padang Online | Drainase &amp; Pasar Raya Diperbaiki</title>`,
			`<p>Senin, 3 Mei 2021</p><div><b>Drainase &amp; Pasar Raya Diperbaiki</b></div>`, "Drainase & Pasar Raya Diperbaiki"},
		{"a short printed part is a name", `<title>Pasar Raya Baru - Drainase Diperbaiki Setelah Banjir Kemarin</title>`,
			`<span>Pasar Raya Baru</span>`, "Pasar Raya Baru - Drainase Diperbaiki Setelah Banjir Kemarin"},
		{"a kicker is not a rubric", `<meta property="og:title" content="Drainase Pasar Raya Diperbaiki">`,
			`<h3>Banjir di Kota Padang: Drainase Pasar Raya Diperbaiki</h3>`, "Drainase Pasar Raya Diperbaiki"},
	}
	for _, tt := range tests {
		page := "<html><head>" + tt.head + "</head><body><div>" + tt.top + body + "</div></body></html>"
		a, err := Extract([]byte(page), "https://example.id/a", Options{})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if a.Title != tt.want {
			t.Errorf("%s: Title = %q, want %q", tt.name, a.Title, tt.want)
		}
	}
}

// titleOf extracts page (a body's worth of HTML, wrapped with head) at
// pageURL and returns its title.
func titleOf(t *testing.T, head, top, pageURL string) string {
	t.Helper()
	const body = `<p>PADANG – Pemerintah Kota Padang mulai memperbaiki saluran drainase di kawasan Pasar Raya setelah banjir merendam puluhan kios pada Senin malam. Pedagang berharap pekerjaan selesai sebelum musim hujan berikutnya tiba di kota itu.</p>`
	page := "<html><head>" + head + "</head><body>" + top + "<div>" + body + "</div></body></html>"
	a, err := Extract([]byte(page), pageURL, Options{})
	if err != nil {
		t.Fatalf("Extract(%s): %v", pageURL, err)
	}
	return a.Title
}

// TestTitleBranding checks that a heading printing the site's name (a
// masthead h1) is not taken for the headline, and that a title part
// spelling the host's name is cut, but never a sentence that holds it nor
// so much that a fragment is left.
func TestTitleBranding(t *testing.T) {
	const url = "https://kota.kabarpadang.co.id/kota/2021/drainase.html"
	tests := []struct {
		name, head, top, want string
	}{
		{"masthead h1 links home", `<title>Drainase Pasar Raya Diperbaiki | Kabar Padang Online</title>`,
			`<h1><a href="/">Kabar Padang Online</a></h1><h1>Drainase Pasar Raya Diperbaiki</h1>`, "Drainase Pasar Raya Diperbaiki"},
		{"masthead h1 links a section", `<title>Drainase Pasar Raya Diperbaiki | Berita Kota</title>`,
			`<h1><a href="/kota">Berita Kota</a></h1><h1>Drainase Pasar Raya Diperbaiki</h1>`, "Drainase Pasar Raya Diperbaiki"},
		{"h1 in the logo block", `<title>Drainase Pasar Raya Diperbaiki -- Harian Kita</title>`,
			`<div id="logo"><h1>Harian Kita</h1></div><h1>Drainase Pasar Raya Diperbaiki</h1>`, "Drainase Pasar Raya Diperbaiki"},
		{"h1 linking to the page is the headline", `<title>Harian Kita -- Drainase Pasar Raya Diperbaiki</title>`,
			`<h1><a href="/kota/2021/drainase.html">Drainase Pasar Raya Diperbaiki</a></h1>`, "Drainase Pasar Raya Diperbaiki"},
		{"host name in words", `<title>Drainase Pasar Raya Diperbaiki - Kabar Padang</title>`, ``, "Drainase Pasar Raya Diperbaiki"},
		{"host name and a word", `<title>Kabar Padang Online - Drainase Pasar Raya Diperbaiki</title>`, ``, "Drainase Pasar Raya Diperbaiki"},
		{"a sentence holding the host name", `<title>Drainase Pasar Raya - Pembaca Kabar Padang memilih tokoh</title>`, ``, "Drainase Pasar Raya - Pembaca Kabar Padang memilih tokoh"},
		{"a fragment is not left", `<title>Drainase Diperbaiki - Kabar Padang</title>`, ``, "Drainase Diperbaiki - Kabar Padang"},
		{"the subdomain's name before a colon", `<title>Kota: Drainase Pasar Raya Diperbaiki</title>`, ``, "Drainase Pasar Raya Diperbaiki"},
		{"a subdomain's name within a part is a headline's word", `<title>Drainase Pasar Raya Diperbaiki - Warga Lega di Kota</title>`, ``, "Drainase Pasar Raya Diperbaiki - Warga Lega di Kota"},
		{"the site's name within a part", `<title>Drainase Pasar Raya Diperbaiki - Redaksi Kabar Padang</title>`, ``, "Drainase Pasar Raya Diperbaiki"},
		{"slash and at sign set off the printed part", `<title>Drainase Pasar Raya Diperbaiki / Berita Kota @ Kabar Padang</title>`,
			`<h2>Drainase Pasar Raya Diperbaiki</h2>`, "Drainase Pasar Raya Diperbaiki"},
		{"guillemet before the site's name", `<title>Drainase Pasar Raya Diperbaiki « Kabar Padang</title>`, ``, "Drainase Pasar Raya Diperbaiki"},
		{"a date after a separator", `<title>Drainase Pasar Raya Diperbaiki | Published January 18th, 2008</title>`, ``, "Drainase Pasar Raya Diperbaiki"},
		{"a comment form's title is no headline", ``, `<h2>Drainase Pasar Raya Diperbaiki</h2><h3 id="reply-title">Tinggalkan Balasan Anda</h3>`, "Drainase Pasar Raya Diperbaiki"},
		{"an at sign is no site separator alone", `<title>Drainase Pasar Raya Diperbaiki @ Pasar Baru</title>`, ``, "Drainase Pasar Raya Diperbaiki @ Pasar Baru"},
	}
	for _, tt := range tests {
		if got := titleOf(t, tt.head, tt.top, url); got != tt.want {
			t.Errorf("%s: Title = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestTitlePrinted checks the headline printed before the article's text,
// taken when <title> is missing, names the site or says nothing of the
// article, and left when <title> is the headline or what is printed is a
// widget's title, a date, a link elsewhere or too far from the text.
func TestTitlePrinted(t *testing.T) {
	const url = "https://harian.example/2021/05/drainase.html"
	far := "<nav>" + strings.Repeat("<span>Berita Olahraga Hiburan</span> ", 20) + "</nav>"
	tests := []struct {
		name, head, top, want string
	}{
		{"no title", ``, `<div class="storyHeadline">Drainase Pasar Raya Diperbaiki</div><p>Senin, 3 Mei 2021 10:00 WIB</p>`, "Drainase Pasar Raya Diperbaiki"},
		{"title names the site", `<title>Harian Kita Online</title><meta property="og:site_name" content="Harian Kita Online">`,
			`<h2>Drainase Pasar Raya Diperbaiki</h2>`, "Drainase Pasar Raya Diperbaiki"},
		{"title says nothing of the article", `<title>Berita Terkini Hari Ini</title>`,
			`<table><tr><td class="title">Drainase Pasar Raya Diperbaiki</td></tr></table>`, "Drainase Pasar Raya Diperbaiki"},
		{"title is the headline", `<title>Drainase Pasar Raya Diperbaiki</title>`,
			`<h2>Berita Kota Hari Ini</h2><p>Senin, 3 Mei 2021</p>`, "Drainase Pasar Raya Diperbaiki"},
		{"a widget's title", `<title>Harian Kita Online</title>`, `<h3 class="widget-title">Iklan Sponsor Kami</h3>`, "Harian Kita Online"},
		{"a date heading", ``, `<h2 class="date-header">Minggu, 28 Oktober 2012</h2>`, ""},
		{"a link elsewhere", ``, `<h3><a href="/2021/05/banjir.html">Banjir Merendam Puluhan Kios</a></h3>`, ""},
		{"a permalink", ``, `<h3><a href="/2021/05/drainase.html">Drainase Pasar Raya Diperbaiki</a></h3>`, "Drainase Pasar Raya Diperbaiki"},
		{"too far from the text", ``, `<h2>Drainase Pasar Raya Diperbaiki</h2>` + far, ""},
		{"title is the site's name and motto", `<title>Harian Kita untuk Kota Padang dan Sekitarnya</title>`,
			`<h2>Drainase Pasar Raya Diperbaiki</h2>`, "Drainase Pasar Raya Diperbaiki"},
		{"markup leaked into the title", `<title>Kota Padang - Inharian.example/search.xml" /></title>`,
			`<h2>Drainase Pasar Raya Diperbaiki</h2>`, "Drainase Pasar Raya Diperbaiki"},
		{"a byline heading after the headline", ``,
			`<h2>Drainase Pasar Raya Diperbaiki</h2><div><h3>Oleh: Budi Santoso</h3></div>`, "Drainase Pasar Raya Diperbaiki"},
		{"a picture's title after the headline", ``,
			`<span class="headline">Drainase Pasar Raya Diperbaiki</span><span class="photo-title">Foto Pasar Raya Padang</span>`, "Drainase Pasar Raya Diperbaiki"},
		{"a heading in the sidebar", ``, `<div class="sidebar"><h2>Berita Terpopuler Hari Ini</h2></div>`, ""},
		{"no title nor heading: a block of text", ``,
			`<div class="sh">Drainase Pasar Raya Diperbaiki</div><div><img src="/a.jpg"><div class="cap">Pasar Raya Padang setelah banjir kemarin</div></div>`, "Drainase Pasar Raya Diperbaiki"},
		{"no title nor heading: a caption", ``, `<div><img src="/a.jpg"><div class="cap">Pasar Raya Padang setelah banjir kemarin</div></div>`, ""},
		{"no title nor heading: a label in capitals", ``, `<div>BERITA TERKAIT LAINNYA</div>`, ""},
		{"no title nor heading: a block with line breaks", ``, `<div>Drainase Pasar Raya<br>Senin, 3 Mei</div>`, ""},
		{"a headline element against a title sharing a word", `<title>Kabar Sumbar Online: Berita Terkini Padang</title>`,
			`<span class="headline">Drainase Pasar Raya Diperbaiki</span>`, "Drainase Pasar Raya Diperbaiki"},
		{"a title element against a title sharing a word", `<title>Kabar Sumbar Online: Berita Terkini Padang</title>`,
			`<div class="title">Drainase Pasar Raya Diperbaiki</div>`, "Kabar Sumbar Online: Berita Terkini Padang"},
	}
	for _, tt := range tests {
		if got := titleOf(t, tt.head, tt.top, url); got != tt.want {
			t.Errorf("%s: Title = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestTitleFuller checks that the printed h1 wins over og:title when it is
// the longer form of the same headline, but not when it adds only a tail
// to og:title or says something else.
func TestTitleFuller(t *testing.T) {
	const url = "https://harian.example/2021/05/drainase.html"
	og := `<meta property="og:title" content="Drainase Pasar Raya Diperbaiki">`
	tests := []struct {
		name, top, want string
	}{
		{"longer form", `<h1>Drainase Pasar Raya Padang Akhirnya Diperbaiki Pemkot</h1>`, "Drainase Pasar Raya Padang Akhirnya Diperbaiki Pemkot"},
		{"og:title and a tail", `<h1>Drainase Pasar Raya Diperbaiki Kota, Diperbarui 3 Mei 2021</h1>`, "Drainase Pasar Raya Diperbaiki"},
		{"another text", `<h1>Berita Kota Padang Hari Ini dan Kemarin</h1>`, "Drainase Pasar Raya Diperbaiki"},
	}
	for _, tt := range tests {
		if got := titleOf(t, og, tt.top, url); got != tt.want {
			t.Errorf("%s: Title = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestTidyTitle checks that references escaped twice are decoded and a
// date in brackets is cut from a title's end, and nothing else.
func TestTidyTitle(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Life After The iPhone: How AT&amp;T's Bet On Apple", "Life After The iPhone: How AT&T's Bet On Apple"},
		{"Drainase diperbaiki &#8212; pedagang lega", "Drainase diperbaiki — pedagang lega"},
		{"Q&A: Drainase Pasar Raya", "Q&A: Drainase Pasar Raya"},
		{"Ver\u00adfas\u00adsungs\u00adbe\u00adschwerde eingelegt\u200b", "Verfassungsbeschwerde eingelegt"},
		{"Drainase Pasar Raya Diperbaiki (14/01/2008)", "Drainase Pasar Raya Diperbaiki"},
		{"Drainase Pasar Raya Diperbaiki [Senin, 3 Mei 2021]", "Drainase Pasar Raya Diperbaiki"},
		{"Drainase Pasar Raya Diperbaiki (Bagian Kedua)", "Drainase Pasar Raya Diperbaiki (Bagian Kedua)"},
		{"Film Terbaik Tahun Ini (2021)", "Film Terbaik Tahun Ini (2021)"},
		{"Banjir (14/01/2008)", "Banjir (14/01/2008)"},
		{"Drainase Pasar Raya Diperbaiki Halaman all", "Drainase Pasar Raya Diperbaiki"},
		{"Drainase Pasar Raya Diperbaiki - Halaman 2", "Drainase Pasar Raya Diperbaiki"},
		{"Drainase Pasar Raya Diperbaiki | Page 3", "Drainase Pasar Raya Diperbaiki"},
		{"Pasar Raya Buka Halaman Baru", "Pasar Raya Buka Halaman Baru"},
		{"Buka Halaman 2", "Buka Halaman 2"},
	}
	for _, tt := range tests {
		if got := tidyTitle(tt.in); got != tt.want {
			t.Errorf("tidyTitle(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
