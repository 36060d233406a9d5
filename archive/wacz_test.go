package archive

import (
	"archive/zip"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/internal/atomicfile"
)

// waczReport is what testdata/wacz/check.mjs prints for a package.
type waczReport struct {
	Files []string `json:"files"`
	Pages []struct {
		URL   string `json:"url"`
		TS    string `json:"ts"`
		Title string `json:"title"`
	} `json:"pages"`
	Records []struct {
		Key     string `json:"key"`
		TS      string `json:"ts"`
		Type    string `json:"type"`
		URI     string `json:"uri"`
		Status  int    `json:"status"`
		Payload []byte `json:"payload"`
	} `json:"records"`
	Problems []string `json:"problems"`
}

// checkWACZ reads a package with testdata/wacz/check.mjs: yauzl and
// warcio.js, readers independent of warta's.
func checkWACZ(t *testing.T, path string) waczReport {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("SKIPPED: the independent WACZ reader check needs node (apt-get install nodejs npm); not run")
	}
	dir := filepath.Join("testdata", "wacz")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "yauzl")); err != nil {
		t.Skip("SKIPPED: the independent WACZ reader check needs yauzl and warcio: run `npm ci` in archive/testdata/wacz; not run")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, node, "check.mjs", abs)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("check.mjs could not read %s: %v\n%s", path, err, stderr.String())
	}
	var r waczReport
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("check.mjs printed %.300q: %v", out, err)
	}
	return r
}

// waczFixture is an archive with two articles and their requisites:
// style sheets (one imported by the other), a font, a logo reached
// through a redirect, and a page captured twice with the same payload, so
// that its latest capture is a revisit.
func waczFixture(t *testing.T) (*Store, []*extract.Article) {
	t.Helper()
	s, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	t0 := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	save := func(url, ctype, body string, at time.Time, status int, extra ...string) {
		c := testCapture(url, body)
		c.Header = http.Header{"Content-Type": {ctype}}
		for i := 0; i+1 < len(extra); i += 2 {
			c.Header.Set(extra[i], extra[i+1])
		}
		c.Status = status
		c.FetchedAt = at
		if _, err := s.SaveCapture(c); err != nil {
			t.Fatal(err)
		}
	}
	const site = "https://kota.example.id"
	pageA := `<html><head><link rel="stylesheet" href="/theme/style.css"><title>A</title></head>
<body><img src="/old-logo.png" alt="logo"><a href="/baca/berita-b-panjang">B</a><p>Berita A</p>
<img src="/uploads/foto-a.jpg"></body></html>`
	save(site+"/baca/berita-a-panjang", "text/html; charset=utf-8", pageA, t0, 200)
	save(site+"/theme/style.css", "text/css", `@import "more.css"; @font-face{src:url(../fonts/f.woff2)}`, t0.Add(time.Second), 200)
	save(site+"/theme/more.css", "text/css", `body{background:url("bg.png")}`, t0.Add(2*time.Second), 200)
	save(site+"/fonts/f.woff2", "font/woff2", "wOF2font", t0.Add(3*time.Second), 200)
	save(site+"/theme/bg.png", "image/png", "\x89PNGbg", t0.Add(3*time.Second), 200)
	save(site+"/old-logo.png", "text/html", "moved", t0.Add(4*time.Second), 301, "Location", "/logo.png")
	save(site+"/logo.png", "image/png", "\x89PNGlogo", t0.Add(4*time.Second), 200)
	save(site+"/uploads/foto-a.jpg", "image/jpeg", "\xff\xd8\xffA", t0.Add(5*time.Second), 200)
	save(site+"/baca/berita-b-panjang", "text/html", `<html><head><link rel="stylesheet" href="/theme/b.css"></head><body>Berita B</body></html>`, t0, 200)
	save(site+"/theme/b.css", "text/css", `p{color:red}`, t0, 200)
	// A day later, page A again, unchanged: a revisit record.
	save(site+"/baca/berita-a-panjang", "text/html; charset=utf-8", pageA, t0.Add(24*time.Hour), 200)

	a := testArticle(site+"/baca/berita-a-panjang", "Berita A")
	a.FetchedAt = t0.Add(24 * time.Hour).Format(time.RFC3339)
	a.Images = []extract.Image{{URL: site + "/uploads/foto-a.jpg"}}
	b := testArticle(site+"/baca/berita-b-panjang", "Berita B")
	b.FetchedAt = t0.Format(time.RFC3339)
	noCapture := testArticle(site+"/baca/only-in-a-feed", "Feed")
	for _, x := range []*extract.Article{a, b, noCapture} {
		if _, err := s.SaveArticle(x); err != nil {
			t.Fatal(err)
		}
	}
	return s, []*extract.Article{a, b, noCapture}
}

func TestWACZReadByIndependentReader(t *testing.T) {
	s, arts := waczFixture(t)
	out := filepath.Join(t.TempDir(), "export.wacz")
	w, err := s.NewWACZ(out, WACZOptions{Title: "Berita A", Created: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for _, a := range []*extract.Article{arts[0], arts[2]} { // A, and one without a capture
		if err := w.Write(a); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if w.Count() != 1 || w.Missing() != 1 {
		t.Errorf("Count, Missing = %d, %d; want 1, 1", w.Count(), w.Missing())
	}
	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if !f.Modified.Equal(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("%s modified %v, want the package's creation time", f.Name, f.Modified)
		}
	}
	var dp struct{ MainPageURL, MainPageDate string }
	if f, err := zr.Open("datapackage.json"); err == nil {
		json.NewDecoder(f).Decode(&dp)
		f.Close()
	}
	zr.Close()
	if dp.MainPageURL != arts[0].URL || dp.MainPageDate != "2026-11-29T09:00:00Z" {
		t.Errorf("datapackage main page = %q at %q, want the one page", dp.MainPageURL, dp.MainPageDate)
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(out), atomicfile.TempPrefix+"*"))
	if len(leftovers) > 0 {
		t.Errorf("temp files left beside the package: %v", leftovers)
	}

	r := checkWACZ(t, out)
	for _, p := range r.Problems {
		t.Errorf("independent reader: %s", p)
	}
	wantFiles := []string{"archive/data.warc.gz", "datapackage-digest.json", "datapackage.json", "indexes/index.cdxj", "pages/pages.jsonl"}
	if !slices.Equal(r.Files, wantFiles) {
		t.Errorf("files = %v, want %v", r.Files, wantFiles)
	}
	if len(r.Pages) != 1 || r.Pages[0].URL != arts[0].URL || r.Pages[0].TS != "2026-11-29T09:00:00Z" || r.Pages[0].Title != arts[0].Title {
		t.Errorf("pages = %+v, want A at 2026-11-29T09:00:00Z", r.Pages)
	}
	const site = "https://kota.example.id"
	got := map[string]string{}
	for _, rec := range r.Records {
		got[rec.URI+" "+rec.Type] = string(rec.Payload)
	}
	want := map[string]string{
		site + "/baca/berita-a-panjang response": "", // payload checked below
		site + "/baca/berita-a-panjang revisit":  "",
		site + "/theme/style.css response":       `@import "more.css"; @font-face{src:url(../fonts/f.woff2)}`,
		site + "/theme/more.css response":        `body{background:url("bg.png")}`,
		site + "/fonts/f.woff2 response":         "wOF2font",
		site + "/theme/bg.png response":          "\x89PNGbg",
		site + "/old-logo.png response":          "moved",
		site + "/logo.png response":              "\x89PNGlogo",
		site + "/uploads/foto-a.jpg response":    "\xff\xd8\xffA",
	}
	for k, v := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("package lacks the %s record", k)
		} else if v != "" && g != v {
			t.Errorf("%s payload = %q, want %q", k, g, v)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("package holds %s, which article A does not need", k)
		}
	}
	if p := got[site+"/baca/berita-a-panjang response"]; !strings.Contains(p, "Berita A") {
		t.Errorf("page A payload = %.80q", p)
	}
}

func TestWACZEmpty(t *testing.T) {
	s, _ := waczFixture(t)
	out := filepath.Join(t.TempDir(), "empty.wacz")
	w, err := s.NewWACZ(out, WACZOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	r := checkWACZ(t, out)
	for _, p := range r.Problems {
		t.Errorf("independent reader: %s", p)
	}
	if len(r.Pages) != 0 || len(r.Records) != 0 {
		t.Errorf("empty package has %d pages, %d records", len(r.Pages), len(r.Records))
	}
}

func TestWACZCloseLeavesNothing(t *testing.T) {
	s, arts := waczFixture(t)
	dir := t.TempDir()
	w, err := s.NewWACZ(filepath.Join(dir, "x.wacz"), WACZOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(arts[0]); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if names, _ := os.ReadDir(dir); len(names) != 0 {
		t.Errorf("Close without Flush left %v", names)
	}
}
