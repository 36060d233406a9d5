package crawler

import (
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// FuzzNormalize checks that Normalize never panics and is idempotent: a
// normalized URL normalizes to itself, so one page has one identity.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"http://Example.COM:80/a/../baca/x?utm_source=fb&b=2&a=1#top",
		"https://x.id:443/?p=12&amp;utm_medium=x",
		"http://[::1]:8080/baca/%E2%80%93-dash",
		"http://x.id/a b/?q=%zz",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		n, err := Normalize(raw)
		if err != nil {
			return
		}
		again, err := Normalize(n)
		if err != nil {
			t.Fatalf("Normalize(%q) = %q, which does not normalize: %v", raw, n, err)
		}
		if again != n {
			t.Fatalf("Normalize(Normalize(%q)) = %q, want %q", raw, again, n)
		}
		if strings.Contains(n, "#") {
			t.Fatalf("Normalize(%q) = %q kept a fragment", raw, n)
		}
	})
}

// FuzzScanLinks checks that any bytes, however broken, are scanned
// without a panic and that every link found resolves or is dropped.
func FuzzScanLinks(f *testing.F) {
	f.Add([]byte(`<a href="/baca/x">x</a><link rel=next href=/page/2/>`))
	f.Add([]byte(`<html><a href='/baca/y'><img alt="z"><a href=/baca/z>`))
	f.Add([]byte("<base href=\"\x00\"><a href=\"javascript:1\">"))
	base, _ := url.Parse("http://x.id/page/3/")
	f.Fuzz(func(t *testing.T, body []byte) {
		links, _ := scanLinks(body)
		if len(links) > maxLinks {
			t.Fatalf("scanLinks returned %d links, more than %d", len(links), maxLinks)
		}
		for _, l := range links {
			if s := resolve(base, l.href); s != "" && !strings.HasPrefix(s, "http") {
				t.Fatalf("resolve(%q) = %q, not an http URL", l.href, s)
			}
		}
	})
}

// FuzzCleanText checks cleanText against the four calls it stands for.
func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"", "  Judul &amp; <b>\tTEBAL ", "Selanjutnya &raquo;", "\u00a0İSTANBUL\u2003Σ", "a\xffB\xc3", "&#xD800;x", "\u0085\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		want := strings.ToLower(strings.Join(strings.Fields(html.UnescapeString(string(raw))), " "))
		if got := cleanText(raw); got != want {
			t.Fatalf("cleanText(%q) = %q, want %q", raw, got, want)
		}
	})
}

// FuzzPlainHref checks that the hrefs resolve takes as they are resolve
// by parsing to the same URL, against any base.
func FuzzPlainHref(f *testing.F) {
	for _, s := range []string{
		"http://demo.warta.test/baca/a-b-c/", "https://x.id:8443/a/b#top", "http://x.id:80/a", "https://x.id:443/",
		"http://X.id/a", "http://x.id", "http://x.id/a/../b", "http://x.id/.x", "http://x.id//a", "http://x.id/a?b=c",
		"http://x.id/a#", "http://x.id/a#b#c", "http://x.id:/a", "http://x.id:08/a", "http://@x.id/a", "http://x..id/a",
		"http://-x.id/a", "http://x.id./a", "http://127.0.0.1:8080/baca/x", "http://[::1]/a", "http://x.id/a b", "http://x.id/%41",
	} {
		f.Add(s)
	}
	bases := []string{"http://kota.go.id/page/2/", "https://www.kota.go.id:8443/a/b?c=d"}
	f.Fuzz(func(t *testing.T, href string) {
		n, ok := plainHref(href)
		if !ok {
			return
		}
		for _, b := range bases {
			base, _ := url.Parse(b)
			if want := resolveParsed(base, href); n != want {
				t.Fatalf("plainHref(%q) = %q, resolving it against %s gives %q", href, n, b, want)
			}
		}
	})
}

// FuzzParseSitemap: whatever the bytes, parseSitemap does not panic, and
// every entry it gives has a location.
func FuzzParseSitemap(f *testing.F) {
	f.Add([]byte(`<urlset><url><loc>http://x.id/a</loc><lastmod>2024-01-02</lastmod></url></urlset>`))
	f.Add([]byte(`<sitemapindex><sitemap><loc>http://x.id/s.xml</loc></sitemap></sitemapindex>`))
	f.Add([]byte(`<urlset><url><loc>http://x.id/a</loc></url><url><loc>http://x.id/b`))
	f.Fuzz(func(t *testing.T, body []byte) {
		sm, err := parseSitemap(body, 1<<20)
		if err != nil {
			return
		}
		for _, u := range sm.urls {
			if u.loc == "" {
				t.Errorf("parseSitemap(%q) gave an entry without a location", body)
			}
		}
		for _, c := range sm.children {
			if c == "" {
				t.Errorf("parseSitemap(%q) gave a child without a location", body)
			}
		}
	})
}
