package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/warta-id/warta/archive"
	"github.com/warta-id/warta/index"
)

// replayServer is a Server over an archive holding just captures.
func replayServer(t *testing.T, captures ...*archive.Capture) *Server {
	t.Helper()
	dir := t.TempDir()
	w, err := archive.Open(dir, archive.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range captures {
		if _, err := w.SaveCapture(c); err != nil {
			t.Fatalf("SaveCapture(%s): %v", c.URL, err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	store, err := archive.Open(dir, archive.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	idx, err := index.Open(filepath.Join(dir, "index"), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	srv, err := New(Options{Searcher: idx, Articles: store, Captures: store, DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

func TestReplayRequisites(t *testing.T) {
	t0 := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	capture := func(u, ctype, body string, at time.Time, header ...string) *archive.Capture {
		h := http.Header{}
		if ctype != "" {
			h.Set("Content-Type", ctype)
		}
		for i := 0; i+1 < len(header); i += 2 {
			h.Set(header[i], header[i+1])
		}
		status := 200
		if h.Get("Location") != "" {
			status = 301
		}
		return &archive.Capture{URL: u, Status: status, Header: h, Body: []byte(body), FetchedAt: at}
	}
	const site = "https://kota.example"
	page := `<html><head><link rel="stylesheet" href="/theme/style.css" integrity="sha384-x" crossorigin="anonymous">
<style>@import "print.css"; h1{background:url(/img/h1.png)}</style></head>
<body><img src="/logo.png" srcset="/logo.png 1x, /logo@2x.png 2x, /logo@3x.png 3x"><noscript><img src="/img/ns.png"></noscript>
<form action="https://kota.example/cari"><input name="s"></form></body></html>`
	srv := replayServer(t,
		capture(site+"/baca/halaman", "application/octet-stream", page, t0),
		capture(site+"/theme/style.css", "text/css", `@font-face{font-family:K;src:url(../fonts/k.woff2)} body{background:url("bg.png")}`, t0.Add(time.Second)),
		// A later, different style sheet: the page at t0 gets the first.
		capture(site+"/theme/style.css", "text/css", `body{color:red}`, t0.Add(48*time.Hour)),
		capture(site+"/fonts/k.woff2", "font/woff2", "wOF2", t0),
		capture(site+"/logo.png", "image/png", "\x89PNG", t0),
		capture(site+"/logo@2x.png", "image/png", "\x89PNG2", t0),
		capture(site+"/old.css", "text/html", "moved", t0, "Location", "/theme/style.css"),
	)
	get := func(target string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		return rec
	}
	rp := func(u string, at time.Time) string { return strings.ReplaceAll(replayURL(u, at), "&", "&amp;") }

	// The page, served as octet-stream, is sniffed as HTML.
	rec := get("/replay?url=" + url.QueryEscape(site+"/baca/halaman"))
	body := rec.Body.String()
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("page: %d %q, want 200 text/html", rec.Code, rec.Header().Get("Content-Type"))
	}
	for _, want := range []string{
		`<link rel="stylesheet" href="` + rp(site+"/theme/style.css", t0) + `"/>`,
		`@import "` + replayURL(site+"/baca/print.css", t0) + `"`,
		`url("` + replayURL(site+"/img/h1.png", t0) + `")`,
		`<img src="` + rp(site+"/logo.png", t0) + `" srcset="` + rp(site+"/logo.png", t0) + ` 1x, ` + rp(site+"/logo@2x.png", t0) + ` 2x"/>`,
		`<img src="` + rp(site+"/img/ns.png", t0) + `"/>`, // noscript content is markup
		`<div><input name="s"/></div>`,
		`class="warta-banner"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("replayed page lacks %s", want)
		}
	}
	for _, bad := range []string{"integrity", "crossorigin", "logo@3x", "action="} {
		if strings.Contains(body, bad) {
			t.Errorf("replayed page has %q", bad)
		}
	}
	if bad := unsafeHTML(t, body); len(bad) > 0 {
		t.Errorf("replayed page: %q", bad)
	}
	if t.Failed() {
		t.Logf("page:\n%s", body)
	}

	// The style sheet nearest the page's time, its URLs rewritten.
	rec = get(replayURL(site+"/theme/style.css", t0))
	css := rec.Body.String()
	if rec.Header().Get("Content-Type") != "text/css; charset=utf-8" || !strings.Contains(css, `url("`+replayURL(site+"/fonts/k.woff2", t0)+`")`) ||
		!strings.Contains(css, `url("`+replayURL(site+"/theme/bg.png", t0)+`")`) || strings.Contains(css, "color:red") {
		t.Errorf("style sheet: %q %q", rec.Header().Get("Content-Type"), css)
	}
	// Fonts load from the sandbox's opaque origin only with CORS.
	rec = get(replayURL(site+"/fonts/k.woff2", t0))
	if rec.Header().Get("Content-Type") != "font/woff2" || rec.Header().Get("Access-Control-Allow-Origin") != "*" || rec.Body.String() != "wOF2" {
		t.Errorf("font: %q, ACAO %q, %q", rec.Header().Get("Content-Type"), rec.Header().Get("Access-Control-Allow-Origin"), rec.Body)
	}
	// An archived redirect leads to the replay of its target.
	rec = get(replayURL(site+"/old.css", t0))
	if rec.Code != http.StatusFound || rec.Header().Get("Location") != replayURL(site+"/theme/style.css", t0) {
		t.Errorf("archived redirect: %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	for _, target := range []string{replayURL(site+"/theme/style.css", t0), replayURL(site+"/fonts/k.woff2", t0)} {
		if csp := get(target).Header().Get("Content-Security-Policy"); csp != replayCSP {
			t.Errorf("%s: CSP %q", target, csp)
		}
	}
}

func TestReplayType(t *testing.T) {
	tests := []struct {
		url, ctype, body, want string
	}{
		{"https://k.example/a", "application/octet-stream", "<!DOCTYPE html><html><p>x", "text/html"},
		{"https://k.example/a", "", "<html><body>x", "text/html"},
		{"https://k.example/s.css", "application/octet-stream", "body{color:red}", "text/css"},
		{"https://k.example/s.css?ver=2", "text/plain", "body{color:red}", "text/css"},
		{"https://k.example/a.png", "binary/octet-stream", "\x89PNG\r\n\x1a\n0000", "image/png"},
		{"https://k.example/a", "text/plain", "<html>", "text/plain"},
		{"https://k.example/a", "Image/JPEG", "x", "image/jpeg"},
	}
	for _, tt := range tests {
		c := &archive.Capture{URL: tt.url, Header: http.Header{"Content-Type": {tt.ctype}}, Body: []byte(tt.body)}
		if got := replayType(c); got != tt.want {
			t.Errorf("replayType(%s, %q) = %q, want %q", tt.url, tt.ctype, got, tt.want)
		}
	}
}
