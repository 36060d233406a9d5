package extract

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestRequisites(t *testing.T) {
	page := `<!doctype html><html><head>
<link rel="stylesheet" href="/wp-content/themes/x/style.css?ver=1.2">
<link rel="preload" as="font" href="fonts/a.woff2" crossorigin>
<link rel="icon" href="//cdn.example.org/favicon.ico">
<link rel="canonical" href="/baca/not-a-requisite">
<link rel="alternate" href="/feed/">
<style>@import "print.css"; body{background:url('bg.png')}</style>
<script src="/js/app.js"></script>
</head><body background="/body.gif">
<a href="/baca/other"><img src="logo.png" srcset="logo.png 1x, logo@2x.png 2x"></a>
<picture><source srcset="https://img.example.org/a,b.jpg 640w, https://img.example.org/c.jpg 1280w"><img src="/c.jpg"></picture>
<div style="background-image:url(&quot;/hero.jpg&quot;)"></div>
<img src="data:image/gif;base64,R0lGOD">
<img src="javascript:alert(1)">
<video poster="/poster.jpg"></video>
<iframe src="https://evil.example/"></iframe>
<form action="/send"></form>
</body></html>`
	got := Requisites([]byte(page), "https://kota.go.id/baca/x/")
	want := []string{
		"https://kota.go.id/wp-content/themes/x/style.css?ver=1.2",
		"https://kota.go.id/baca/x/fonts/a.woff2",
		"https://cdn.example.org/favicon.ico",
		"https://kota.go.id/baca/x/print.css",
		"https://kota.go.id/baca/x/bg.png",
		"https://kota.go.id/js/app.js",
		"https://kota.go.id/body.gif",
		"https://kota.go.id/baca/x/logo.png",
		"https://kota.go.id/baca/x/logo@2x.png",
		"https://img.example.org/a,b.jpg",
		"https://img.example.org/c.jpg",
		"https://kota.go.id/c.jpg",
		"https://kota.go.id/hero.jpg",
		"https://kota.go.id/poster.jpg",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Requisites =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestCSSRequisites(t *testing.T) {
	css := `@import url("base.css") screen;
@import 'fonts.css';
@font-face{font-family:X;src:url(../fonts/x.woff2) format("woff2"),url( "../fonts/x.woff" )}
.logo{background:url(data:image/png;base64,AAAA)} .a{background:url(/img/a\(1\).png)}
.b{content:"url(not-a-url.png)"}`
	got := CSSRequisites([]byte(css), "https://kota.go.id/theme/css/style.css")
	want := []string{
		"https://kota.go.id/theme/css/base.css",
		"https://kota.go.id/theme/css/fonts.css",
		"https://kota.go.id/theme/fonts/x.woff2",
		"https://kota.go.id/theme/fonts/x.woff",
		"https://kota.go.id/img/a(1).png",
	}
	if !slices.Equal(got, want) {
		t.Errorf("CSSRequisites =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestRewriteCSS(t *testing.T) {
	tests := []struct{ in, want string }{
		{`a{background:url(x.png)}`, `a{background:url("R[x.png]")}`},
		{`@import "a.css";b{}`, `@import "R[a.css]";b{}`},
		{`@import url(a.css) print;`, `@import url("R[a.css]") print;`},
		{`a{content:"x.png"}`, `a{content:"x.png"}`},
		{`a{b:url("q\"uote.png")}`, `a{b:url("R[q\"uote.png]")}`},
		{`a{x:url(y.png)} b{content:"unclosed`, `a{x:url("R[y.png]")} b{content:"unclosed`},
	}
	for _, tt := range tests {
		got := RewriteCSS(tt.in, func(raw string) string { return "R[" + raw + "]" })
		if got != tt.want {
			t.Errorf("RewriteCSS(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRewriteSrcset(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a.jpg 1x, b.jpg 2x", "R[a.jpg] 1x, R[b.jpg] 2x"},
		{"https://c/x,y.jpg 640w,https://c/z.jpg 1280w", "R[https://c/x,y.jpg] 640w, R[https://c/z.jpg] 1280w"},
		{"a.jpg, b.jpg", "R[a.jpg], R[b.jpg]"},
		{"  ", ""},
	}
	for _, tt := range tests {
		got := RewriteSrcset(tt.in, func(raw string) string { return "R[" + raw + "]" })
		if got != tt.want {
			t.Errorf("RewriteSrcset(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestExtractRequisites checks that listing requisites from extraction's
// parse gives what Requisites and Extract give apart, on every golden page.
func TestExtractRequisites(t *testing.T) {
	pages, err := filepath.Glob("testdata/*.html")
	if err != nil || len(pages) == 0 {
		t.Fatalf("no golden pages: %v", err)
	}
	listed := 0
	for _, path := range pages {
		page, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		const u = "https://kota.go.id/berita/2024/05/x.html"
		want, wantErr := Extract(page, u, Options{})
		got, reqs, err := ExtractRequisites(page, u, Options{})
		if (err != nil) != (wantErr != nil) || !reflect.DeepEqual(got, want) {
			t.Errorf("ExtractRequisites(%s) = %+v, %v; want Extract's %+v, %v", path, got, err, want, wantErr)
		}
		if err != nil {
			if reqs != nil {
				t.Errorf("ExtractRequisites(%s) failed (%v) but listed %q", path, err, reqs)
			}
			continue
		}
		if wantReqs := Requisites(page, u); !slices.Equal(reqs, wantReqs) {
			t.Errorf("ExtractRequisites(%s) requisites = %q, want %q", path, reqs, wantReqs)
		}
		listed += len(reqs)
	}
	if listed == 0 {
		t.Errorf("no golden page has a requisite: the comparison proves nothing")
	}
}

// TestRequisitesUnclosedTitle checks that a page whose <title> is never
// closed (cut or mangled on its way) still lists its requisites, as
// extraction's parse sees them: without the fix the title swallowed the
// whole page and Requisites listed nothing.
func TestRequisitesUnclosedTitle(t *testing.T) {
	const u = "https://kota.go.id/berita/2024/05/x.html"
	page := []byte(`<html><head><title>Banjir di Talawi
<link rel="stylesheet" href="/css/site.css"><script src="/js/app.js"></script></head>
<body><img src="/img/banjir.jpg"><p>Banjir melanda Talawi.</p></body></html>`)
	want := []string{"https://kota.go.id/css/site.css", "https://kota.go.id/js/app.js", "https://kota.go.id/img/banjir.jpg"}
	if got := Requisites(page, u); !slices.Equal(got, want) {
		t.Errorf("Requisites = %q, want %q", got, want)
	}
	if _, got, err := ExtractRequisites(page, u, Options{}); err == nil && !slices.Equal(got, want) {
		t.Errorf("ExtractRequisites = %q, want %q", got, want)
	}
}

// TestExtractRequisitesInlineStyle checks that the url()s of a <style>
// element are listed from extraction's parse, which otherwise drops the
// bodies of styles and scripts before parsing (dropScripts).
func TestExtractRequisitesInlineStyle(t *testing.T) {
	const u = "https://kota.go.id/berita/2024/05/x.html"
	page := []byte(`<html><head><title>Banjir di Talawi</title>
<style>.hero{background:url(/img/hero.jpg)} @import "/css/print.css";</style>
<script>var x = "url(/not-a-requisite.png)";</script></head>
<body><article><h1>Banjir di Talawi</h1>
<p>Banjir melanda Talawi pada Selasa pagi setelah hujan deras mengguyur kawasan itu sejak malam sebelumnya, dan warga mengungsi ke balai desa.</p>
<p>Petugas BPBD mendirikan dapur umum dan membagikan selimut kepada warga yang terdampak banjir di tiga desa sepanjang aliran sungai.</p>
<p>Wali kota meninjau lokasi banjir dan meminta dinas terkait segera memperbaiki tanggul yang jebol agar banjir tidak terulang lagi.</p>
</article></body></html>`)
	_, reqs, err := ExtractRequisites(page, u, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := Requisites(page, u)
	if !slices.Contains(want, "https://kota.go.id/img/hero.jpg") {
		t.Fatalf("Requisites = %q, want the <style> element's url(/img/hero.jpg) among them", want)
	}
	if !slices.Equal(reqs, want) {
		t.Errorf("ExtractRequisites requisites = %q, want Requisites' %q", reqs, want)
	}
}

// rewriteRefs is cssRefs without its shortcut: every reference that
// RewriteCSS hands to its function.
func rewriteRefs(css string) []string {
	var out []string
	RewriteCSS(css, func(raw string) string {
		out = append(out, raw)
		return ""
	})
	return out
}

// FuzzCSSRefs checks that cssRefs, which skips style text holding
// neither "url(" nor "@", lists what the scanner lists.
func FuzzCSSRefs(f *testing.F) {
	for _, s := range []string{
		"text-align: right;", "background:url(a.png)", "background: URL(a.png)", `b: u\72l(a.png)`,
		"@import 'x.css';", "@IMPORT \"x.css\";", `@\69mport "x.css";`, "color: red; /* url(a) */",
		"background-image: url( 'a b.png' )", "font: 12px/1.5 serif", "", "@media print { a { b: url(c) } }",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, css string) {
		if len(css) > 300 {
			return
		}
		if got, want := cssRefs(css), rewriteRefs(css); !slices.Equal(got, want) {
			t.Errorf("cssRefs(%q) = %q, want %q", css, got, want)
		}
	})
}
