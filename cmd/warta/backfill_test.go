package main

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/warta-id/warta/archive"
	"github.com/warta-id/warta/backfill/archivetest"
	"github.com/warta-id/warta/extract"
)

// portalPage is a WordPress post of the old portal as it was captured.
func portalPage(canonical, title, version string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>%s</title><link rel="canonical" href="%s"></head><body>`, title, canonical)
	fmt.Fprintf(&b, `<nav><a href="/">Beranda</a></nav><article><h1 class="entry-title">%s</h1><time class="entry-date" datetime="2017-12-30T10:00:00+07:00">30 Desember 2017</time><div class="entry-content">`, title)
	for i := range 3 {
		fmt.Fprintf(&b, "<p>SAWAHLUNTO - Paragraf %d tentang %s, versi %s. Pemerintah kota menyampaikan kabar kepada warga tentang kegiatan di pasar dan tambang batu bara lama yang kini menjadi museum.</p>", i+1, title, version)
	}
	b.WriteString(`</div></article></body></html>`)
	return []byte(b.String())
}

// portalSite is a live site (the portal today) serving one article, and
// the config of a site on it.
func portalSite(t *testing.T, current string) (base, cfg string) {
	t.Helper()
	mux := http.NewServeMux()
	var srv *httptest.Server
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			fmt.Fprint(w, `<html><body><a href="/baca/pasar-baru">Pasar</a></body></html>`)
		case "/baca/pasar-baru":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(portalPage(srv.URL+"/baca/pasar-baru", "Pasar Baru Dibuka", current))
		default:
			http.NotFound(w, r)
		}
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	cfg = filepath.Join(dir, "portal.yaml")
	yaml := fmt.Sprintf("sites:\n  - name: portal\n    base_url: %s/\n    discovery: listing\n    delay: 0s\n    article_pattern: '/baca/[^/?#]+$'\n    extract:\n      title: h1.entry-title\n      body: .entry-content\n      published: time.entry-date\n", srv.URL)
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return srv.URL, cfg
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestBackfillWayback crawls a live site, then backfills its past from a
// Wayback archive, twice: the archived captures become earlier versions
// in capture order, the live one stays current, and the second run adds
// nothing.
func TestBackfillWayback(t *testing.T) {
	base, cfg := portalSite(t, "sekarang")
	art := base + "/baca/pasar-baru"
	ia := archivetest.NewWayback(
		&archivetest.Capture{URL: art, Time: utc("2018-01-10T02:00:00Z"), Body: portalPage(art, "Pasar Baru Dibuka", "pertama")},
		&archivetest.Capture{URL: art + "/", Time: utc("2018-03-10T02:00:00Z"), Body: portalPage(art, "Pasar Baru Dibuka", "pertama")},
		&archivetest.Capture{URL: art + "?utm_source=facebook", Time: utc("2019-06-01T02:00:00Z"), Body: portalPage(art+"?utm_source=facebook", "Pasar Baru Dibuka", "kedua")},
		&archivetest.Capture{URL: art, Time: utc("2020-02-02T02:00:00Z"), Revisit: true},
		&archivetest.Capture{URL: base + "/baca/tambang", Time: utc("2019-05-05T02:00:37Z"), IndexTime: utc("2019-05-05T02:00:00Z"), Body: portalPage(base+"/baca/tambang", "Museum Tambang", "satu")},
		&archivetest.Capture{URL: base + "/baca/hilang", Time: utc("2019-07-07T02:00:00Z"), Body: portalPage(base+"/baca/hilang", "Hilang", "satu"), Gone: true},
		&archivetest.Capture{URL: base + "/", Time: utc("2019-01-01T00:00:00Z"), Body: []byte("<html>beranda</html>")},
		&archivetest.Capture{URL: base + "/wp-content/uploads/foto.jpg", Time: utc("2019-01-01T00:00:00Z"), Header: http.Header{"Content-Type": {"image/jpeg"}}, Body: []byte("\xff\xd8")},
	)
	defer ia.Close()
	ia.Fail(2, http.StatusTooManyRequests, "0")
	ia.Fail(6, http.StatusServiceUnavailable, "0")
	data := filepath.Join(t.TempDir(), "data")

	if r := runWarta(t, nil, "crawl", "--config", cfg, "--data", data); r.code != exitOK {
		t.Fatalf("crawl: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r := runWarta(t, nil, "backfill", "--site", "portal", "--config", cfg, "--data", data, "--wayback", ia.URL, "--delay", "0")
	if r.code != exitOK {
		t.Fatalf("backfill: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	t.Logf("backfill: %s", r.stdout)
	if !strings.Contains(r.stdout, "4 fetched, 1 skipped, 0 failed") {
		t.Errorf("backfill summary %q, want 4 fetched, 1 skipped (withdrawn)", r.stdout)
	}

	store, err := archive.Open(data, archive.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	id := extract.ArticleID("portal", art)
	vs, err := store.Versions(id)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ fetched, version, source string }{
		{"2018-01-10T02:00:00Z", "pertama", "wayback"},
		{"2019-06-01T02:00:00Z", "kedua", "wayback"},
		{"2020-02-02T02:00:00Z", "pertama", "wayback"},
		{"", "sekarang", ""},
	}
	if len(vs) != len(want) {
		t.Fatalf("%d versions %+v, want %d", len(vs), vs, len(want))
	}
	for i, w := range want {
		a, err := store.Version(id, vs[i].N)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(a.Body, "versi "+w.version) || a.Source != w.source || w.fetched != "" && a.FetchedAt != w.fetched {
			t.Errorf("version %d: fetched %s source %q body %.80q; want %s %q %q", vs[i].N, a.FetchedAt, a.Source, a.Body, w.fetched, w.source, w.version)
		}
		if a.Published != "2017-12-30T10:00:00+07:00" {
			t.Errorf("version %d published %q, want the page's date, not the capture's", vs[i].N, a.Published)
		}
		if w.source != "" && !strings.HasPrefix(a.SourceURL, ia.URL+"/web/") {
			t.Errorf("version %d source_url %q, want the replay URL", vs[i].N, a.SourceURL)
		}
	}
	latest, _ := store.Article(id)
	if !vs[3].Latest || !strings.Contains(latest.Body, "sekarang") {
		t.Errorf("the live capture is not current after the backfill: %.80q", latest.Body)
	}
	// The redirected capture is archived at its real time, under its URL,
	// naming its copy.
	es, err := store.Captures(base + "/baca/tambang")
	if err != nil || len(es) != 1 || !es[0].Time.Equal(utc("2019-05-05T02:00:37Z")) {
		t.Fatalf("captures of tambang = %+v, %v; want one at 02:00:37", es, err)
	}
	c, err := store.ReadCapture(es[0].Ref)
	if err != nil || !strings.Contains(c.Source, "20190505020037id_/") {
		t.Errorf("tambang capture source %q, %v; want the replay URL it came from", c.Source, err)
	}
	tambang, err := store.Article(extract.ArticleID("portal", base+"/baca/tambang"))
	if err != nil || tambang.FetchedAt != "2019-05-05T02:00:37Z" {
		t.Errorf("tambang article = %v, %v; want fetched_at the capture time", tambang, err)
	}
	store.Close()

	h := runWarta(t, nil, "history", "--data", data, id)
	if !strings.Contains(h.stdout, "wayback "+ia.URL+"/web/2018") || !strings.Contains(h.stdout, "crawl") {
		t.Errorf("history does not show the sources:\n%s", h.stdout)
	}

	before := ia.Replays()
	r = runWarta(t, nil, "backfill", "--site", "portal", "--config", cfg, "--data", data, "--wayback", ia.URL, "--delay", "0")
	if r.code != exitOK || ia.Replays() != before || !strings.Contains(r.stdout, "0 fetched") {
		t.Errorf("second run: exit %d, %d replays, stdout %q; want nothing fetched\n%s", r.code, ia.Replays()-before, r.stdout, r.stderr)
	}
	// Without its state file, a rerun finds the captures in the archive
	// and fetches none of them again (but tambang: the archive has it at
	// the time replay answered with, not the time the index lists).
	if err := os.Remove(filepath.Join(data, "state", "backfill-portal.db")); err != nil {
		t.Fatal(err)
	}
	before = ia.Replays()
	r = runWarta(t, nil, "backfill", "--site", "portal", "--config", cfg, "--data", data, "--wayback", ia.URL, "--delay", "0")
	t.Logf("without state: %s", r.stdout)
	if r.code != exitOK || ia.Replays()-before > 3 || !strings.Contains(r.stdout, "0 new, 0 changed") {
		t.Errorf("run without state: exit %d, %d replays, stdout %q; want at most tambang's 2 and the withdrawn one fetched, nothing new\n%s", r.code, ia.Replays()-before, r.stdout, r.stderr)
	}
	if s := runWarta(t, nil, "search", "--data", data, "--json", "museum"); !strings.Contains(s.stdout, "tambang") {
		t.Errorf("search museum: %s, want the backfilled article", s.stdout)
	}
	if v := runWarta(t, nil, "verify", "--data", data); v.code != exitOK {
		t.Errorf("verify after backfill: exit %d\n%s%s", v.code, v.stdout, v.stderr)
	}
}

// TestBackfillCommonCrawl backfills from a Common Crawl and checks the
// records land in the archive as captures and articles.
func TestBackfillCommonCrawl(t *testing.T) {
	base, cfg := portalSite(t, "sekarang")
	art := base + "/baca/pasar-baru"
	cc := archivetest.NewCommonCrawl(map[string][]*archivetest.Capture{
		"CC-MAIN-2018-05": {{URL: art, Time: utc("2018-01-30T02:00:00Z"), Body: portalPage(art, "Pasar Baru Dibuka", "pertama")}},
		"CC-MAIN-2019-22": {
			{URL: art + "/", Time: utc("2019-05-30T02:00:00Z"), Body: portalPage(art, "Pasar Baru Dibuka", "kedua")},
			{URL: base + "/", Time: utc("2019-05-30T02:00:00Z"), Body: []byte("<html>beranda</html>")},
		},
	})
	defer cc.Close()
	data := filepath.Join(t.TempDir(), "data")
	r := runWarta(t, nil, "backfill", "--site", "portal", "--config", cfg, "--data", data, "--source", "commoncrawl", "--cc-index", cc.Index.URL, "--cc-data", cc.Data.URL, "--delay", "0")
	if r.code != exitOK || !strings.Contains(r.stdout, "2 fetched") {
		t.Fatalf("backfill: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	store, err := archive.Open(data, archive.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	vs, err := store.Versions(extract.ArticleID("portal", art))
	if err != nil || len(vs) != 2 || vs[0].Source != "commoncrawl" || !vs[1].Latest || !vs[1].FetchedAt.Equal(utc("2019-05-30T02:00:00Z")) {
		t.Errorf("versions = %+v, %v; want 2 from commoncrawl, the 2019 capture latest", vs, err)
	}
}

// TestBackfillRefused: a 403 stops the backfill with a clear error.
func TestBackfillRefused(t *testing.T) {
	_, cfg := portalSite(t, "sekarang")
	ia := archivetest.NewWayback()
	defer ia.Close()
	ia.Fail(1, http.StatusForbidden, "")
	r := runWarta(t, nil, "backfill", "--site", "portal", "--config", cfg, "--data", filepath.Join(t.TempDir(), "d"), "--wayback", ia.URL, "--delay", "0")
	if r.code != exitFailure || !strings.Contains(r.stderr, "403") || !strings.Contains(r.stderr, "refuses") {
		t.Errorf("refused backfill: exit %d, stderr %q; want exit 1 naming the 403", r.code, r.stderr)
	}
	if r := runWarta(t, nil, "backfill", "--site", "portal", "--config", cfg, "--source", "gopher"); r.code != exitUsage {
		t.Errorf("--source gopher: exit %d, want %d", r.code, exitUsage)
	}
}

// TestBackfillKill kills a backfill with SIGKILL in the middle, runs it
// again, and checks that what was archived is not fetched again and that
// every article is archived once.
func TestBackfillKill(t *testing.T) {
	if testing.Short() {
		t.Skip("a backfill in a child process; skipped with -short")
	}
	base, cfg := portalSite(t, "sekarang")
	const total = 40
	var caps []*archivetest.Capture
	for i := range total {
		u := fmt.Sprintf("%s/baca/berita-%02d", base, i)
		caps = append(caps, &archivetest.Capture{URL: u, Time: utc("2019-01-01T00:00:00Z").Add(time.Duration(i) * time.Hour), Body: portalPage(u, fmt.Sprintf("Berita %d", i), "satu")})
	}
	ia := archivetest.NewWayback(caps...)
	defer ia.Close()
	ia.PageSize(7)
	data := filepath.Join(t.TempDir(), "data")
	cmd := exec.Command(os.Args[0], "backfill", "--site", "portal", "--config", cfg, "--data", data, "--wayback", ia.URL, "--delay", "0")
	cmd.Env = append(os.Environ(), "WARTA_TEST_MAIN=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	var once sync.Once
	ia.OnReplay(func(n int) {
		if n >= total/2 {
			once.Do(func() { _ = cmd.Process.Signal(syscall.SIGKILL) })
		}
	})
	if err := cmd.Run(); err == nil {
		t.Fatalf("the backfill finished before it was killed: %s", stdout.String())
	}
	ia.OnReplay(nil)
	first := ia.Replays()
	archived := len(archivedArticles(t, data))
	if archived == 0 || archived >= total {
		t.Fatalf("%d articles archived before the kill, want some but not all", archived)
	}
	r := runWarta(t, nil, "backfill", "--site", "portal", "--config", cfg, "--data", data, "--wayback", ia.URL, "--delay", "0")
	if r.code != exitOK {
		t.Fatalf("resumed backfill: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// No capture archived before the kill is fetched again, not even the
	// one the state had not noted yet: the archive has it.
	if again := ia.Replays() - first; again > total-archived {
		t.Errorf("resumed backfill fetched %d captures, want at most %d (%d archived before the kill)", again, total-archived, archived)
	}
	got := archivedArticles(t, data) // fails on an article archived twice
	if len(got) != total {
		t.Errorf("after resuming: %d articles, want %d", len(got), total)
	}
	if v := runWarta(t, nil, "verify", "--data", data); v.code != exitOK {
		t.Errorf("verify after kill and resume: exit %d\n%s%s", v.code, v.stdout, v.stderr)
	}
}

// TestBackfillPywb reads a pywb collection through --cdx and --replay.
func TestBackfillPywb(t *testing.T) {
	base, cfg := portalSite(t, "sekarang")
	art := base + "/baca/pasar-baru"
	pw := archivetest.NewPywb("ukwa",
		&archivetest.Capture{URL: art, Time: utc("2018-01-10T02:00:00Z"), Body: portalPage(art, "Pasar Baru Dibuka", "pertama")},
		&archivetest.Capture{URL: art + "/", Time: utc("2019-01-10T02:00:00Z"), Body: portalPage(art, "Pasar Baru Dibuka", "kedua")},
	)
	defer pw.Close()
	data := filepath.Join(t.TempDir(), "data")
	r := runWarta(t, nil, "backfill", "--site", "portal", "--config", cfg, "--data", data, "--cdx", pw.CDXURL(), "--replay", pw.ReplayBase(), "--delay", "0", "--from", "2018-01-01", "--to", "2018-12-31")
	if r.code != exitOK || !strings.Contains(r.stdout, "1 fetched") {
		t.Fatalf("backfill from pywb 2018: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	store, err := archive.Open(data, archive.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	a, err := store.Article(extract.ArticleID("portal", art))
	if err != nil || !strings.Contains(a.Body, "pertama") || !strings.HasPrefix(a.SourceURL, pw.URL+"/ukwa/20180110020000id_/") {
		t.Errorf("article from pywb = %+v, %v; want the 2018 capture, its source under /ukwa/", a, err)
	}
}
