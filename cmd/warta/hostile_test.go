package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/warta-id/warta/crawler"
	"github.com/warta-id/warta/crawler/demosite"
	"github.com/warta-id/warta/crawler/hostilesite"
	"github.com/warta-id/warta/internal/atomicfile"
)

// The hostile-site tests run `warta crawl` against the sites of package
// hostilesite, on 127.0.0.1, as a user would.

// hostileConfig writes a config for one site at base with the extra YAML
// lines, and returns its path.
func hostileConfig(t *testing.T, dir, name, base string, extra ...string) string {
	t.Helper()
	yaml := fmt.Sprintf("sites:\n  - name: %s\n    base_url: %s\n    delay: 0s\n    concurrency: 4\n    timeout: 5s\n", name, base)
	for _, l := range extra {
		yaml += "    " + l + "\n"
	}
	cfg := filepath.Join(dir, name+".yaml")
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// crawlHostile crawls site with the config lines extra and returns the
// data directory; the crawl must exit 0.
func crawlHostile(t *testing.T, name string, site *hostilesite.Site, extra ...string) string {
	t.Helper()
	dir := t.TempDir()
	cfg := hostileConfig(t, dir, name, site.URL, extra...)
	data := filepath.Join(dir, "data")
	r := runWarta(t, nil, "crawl", "--config", cfg, "--data", data)
	if r.code != exitOK {
		t.Fatalf("warta crawl: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	return data
}

// wantArchived checks that the archive holds exactly the site's articles
// at their own URLs, and verifies.
func wantArchived(t *testing.T, data string, site *hostilesite.Site) {
	t.Helper()
	got := archivedArticles(t, data)
	urls := slices.Sorted(func(yield func(string) bool) {
		for u := range got {
			if !yield(u) {
				return
			}
		}
	})
	want := slices.Sorted(slices.Values(site.Articles))
	if !slices.Equal(urls, want) {
		t.Errorf("archived articles = %v, want %v", urls, want)
	}
	if r := runWarta(t, nil, "verify", "--data", data); r.code != exitOK {
		t.Errorf("verify: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestHostileBaseHref: three pages with <base href="SITE/"> and one with a
// base on another host. Before: the three became one article under the
// site root with two hidden versions (verify: article_no_capture), and the
// fourth an article off-site. After: four articles, each at its own URL.
func TestHostileBaseHref(t *testing.T) {
	site := hostilesite.BaseHref()
	defer site.Close()
	data := crawlHostile(t, "basis", site)
	wantArchived(t, data, site)
}

// TestHostileCanonical: articles whose rel=canonical names another
// article of the site (see hostilesite.Canonical). Before: three
// articles archived, the first dropped as a copy of the second and the
// third archived under the fourth's URL. After: four articles, each at its
// own URL with its own text; a second crawl changes nothing.
func TestHostileCanonical(t *testing.T) {
	site := hostilesite.Canonical()
	defer site.Close()
	data := crawlHostile(t, "kanonik", site)
	wantArchived(t, data, site)
	for u, a := range archivedArticles(t, data) {
		if slug := u[strings.LastIndex(u, "-")+1:]; !strings.Contains(strings.ToLower(a.Title), slug) {
			t.Errorf("%s holds the article %q", u, a.Title)
		}
	}
	r := runWarta(t, nil, "crawl", "--config", filepath.Join(filepath.Dir(data), "kanonik.yaml"), "--data", data)
	if r.code != exitOK || !strings.Contains(r.stdout, "(0 new, 0 changed)") {
		t.Errorf("second crawl: exit %d, want nothing new or changed\n%s%s", r.code, r.stdout, r.stderr)
	}
	wantArchived(t, data, site)
}

// TestHostileImages: an article whose gallery points at another port of
// 127.0.0.1, at 127.0.0.1 written as 2130706433, at a URL with a user name
// and password, and at a redirect to another port. Before: all were
// fetched, archived and served by /replay. After: only the site's own
// image and the one on the configured image host.
func TestHostileImages(t *testing.T) {
	secret := hostilesite.Secret()
	defer secret.Close()
	cdn := hostilesite.CDN()
	defer cdn.Close()
	site := hostilesite.Images(secret, cdn)
	defer site.Close()
	data := crawlHostile(t, "galeri", site, "image_hosts: ['"+cdn.Host+"']")
	wantArchived(t, data, site)
	if n := secret.Requests(); n != 0 {
		t.Errorf("the service on another port got %d requests, want none", n)
	}
	for path, want := range map[string]int{
		"/img/foto-banjir.jpg": 1, // the site's own image
		"/img/pindah.jpg":      1, // the redirect is on-site; its target is not
		"/img/desimal.jpg":     0, // reached through http://2130706433:PORT/
		"/img/kredensial.jpg":  0, // http://admin:rahasia@...
	} {
		if n := site.Hits(path); n != want {
			t.Errorf("requests for %s = %d, want %d", path, n, want)
		}
	}
	if n := cdn.Hits("/img/cdn.jpg"); n != 1 {
		t.Errorf("requests for the image on the image host = %d, want 1", n)
	}
}

// TestHostileTraps: pagination, a calendar and session ids without end.
// Before: the crawl went on until max_pages (here a safety net of 300;
// by default none). After: each site's three articles, in a few requests.
func TestHostileTraps(t *testing.T) {
	sites := []struct {
		name string
		site *hostilesite.Site
		max  int // requests at most
	}{
		{"paging", hostilesite.Paging(), 20},
		{"kalender", hostilesite.Calendar(time.Now()), 30},
		{"sesi", hostilesite.QueryTrap(), 20},
	}
	for _, s := range sites {
		t.Run(s.name, func(t *testing.T) {
			defer s.site.Close()
			data := crawlHostile(t, s.name, s.site, "max_pages: 300")
			wantArchived(t, data, s.site)
			if n := s.site.Requests(); n > s.max {
				t.Errorf("requests = %d, want at most %d", n, s.max)
			}
			t.Logf("%d requests", s.site.Requests())
		})
	}
}

// fullDisk is the real file system until budget bytes have been written;
// then every write fails with ENOSPC, as on a disk that filled up. It
// calls onFull at the first failure.
type fullDisk struct {
	atomicfile.OS
	mu     sync.Mutex
	budget int64
	failed int
	onFull func()
}

func (d *fullDisk) write(f atomicfile.File, p []byte) (int, error) {
	d.mu.Lock()
	if d.budget >= int64(len(p)) {
		d.budget -= int64(len(p))
		d.mu.Unlock()
		return f.Write(p)
	}
	d.failed++
	first := d.failed == 1
	d.mu.Unlock()
	if first && d.onFull != nil {
		d.onFull()
	}
	return 0, &fs.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
}

func (d *fullDisk) CreateTemp(dir, pattern string) (atomicfile.File, error) {
	f, err := d.OS.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return fullFile{f, d}, nil
}

func (d *fullDisk) OpenAppend(name string) (atomicfile.File, error) {
	f, err := d.OS.OpenAppend(name)
	if err != nil {
		return nil, err
	}
	return fullFile{f, d}, nil
}

type fullFile struct {
	atomicfile.File
	d *fullDisk
}

func (f fullFile) Write(p []byte) (int, error) { return f.d.write(f.File, p) }

// TestHostileDiskFull fills the disk in the middle of a crawl. Before: the
// crawl fetched every page on, each failing with "no space left on
// device" (1,375 pages, 1,018 errors). After: it stops at the first,
// fetches nothing new, fails with a clear error, and the next run, with
// space again, archives everything once.
func TestHostileDiskFull(t *testing.T) {
	const total = 120
	cs := &countingSite{site: demosite.New(demosite.Options{Seed: 5, Articles: total})}
	base := startCounting(t, cs)
	dir := t.TempDir()
	cfg := writeSiteConfig(t, dir, base)
	data := filepath.Join(dir, "data")

	var atFull int64
	disk := &fullDisk{budget: 300 << 10, onFull: func() { atFull = cs.articles.Load() }}
	var stdout, stderr strings.Builder
	e := &env{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }, archiveFS: disk}
	e.log = slog.New(slog.NewTextHandler(&stderr, nil))
	loaded, err := loadConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = crawlSites(context.Background(), e, data, loaded.Sites, "crawl", nil)
	if err == nil || !errors.Is(err, syscall.ENOSPC) || !errors.Is(err, crawler.ErrAbort) || isUsage(err) {
		t.Fatalf("crawl on a full disk: error %v; want a runtime error that names ENOSPC and stops the crawl\n%s", err, stdout.String())
	}
	if !strings.Contains(err.Error(), "disk full") {
		t.Errorf("error %q, want it to say the disk is full", err)
	}
	after := cs.articles.Load() - atFull
	// What was in flight when the disk filled: at most one request per
	// worker (twice the concurrency of 4).
	if after > 8 {
		t.Errorf("the crawl fetched %d article pages after the disk filled, want at most 8 (in flight)", after)
	}
	t.Logf("disk full after %d article pages; %d fetched after, %d writes refused", atFull, after, disk.failed)
	if atFull == 0 || atFull >= total {
		t.Fatalf("the disk filled after %d of %d articles, want in the middle", atFull, total)
	}

	cs.articles.Store(0)
	r := runWarta(t, nil, "crawl", "--config", cfg, "--data", data)
	if r.code != exitOK {
		t.Fatalf("crawl with space again: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if got := archivedArticles(t, data); len(got) != total {
		t.Errorf("after the rerun: %d articles archived, want %d", len(got), total)
	}
	if r := runWarta(t, nil, "verify", "--data", data); r.code != exitOK {
		t.Errorf("verify after the full disk and the rerun: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
