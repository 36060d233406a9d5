package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/warta-id/warta/crawler/demosite"
)

// TestMain lets the test binary play warta itself: with WARTA_TEST_MAIN set
// it runs main, so that a test can start warta as a real process and kill
// it.
func TestMain(m *testing.M) {
	if os.Getenv("WARTA_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// countingSite serves a demo site and calls hook after each article page it
// served.
type countingSite struct {
	site     *demosite.Site
	articles atomic.Int64
	hook     atomic.Pointer[func(n int64)]
}

func (c *countingSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.site.ServeHTTP(w, r)
	if strings.HasPrefix(r.URL.Path, "/baca/") {
		n := c.articles.Add(1)
		if hook := c.hook.Load(); hook != nil {
			(*hook)(n)
		}
	}
}

// startCounting serves site on loopback and returns its base URL.
func startCounting(t *testing.T, cs *countingSite) string {
	t.Helper()
	srv := &http.Server{Handler: cs}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

func writeSiteConfig(t *testing.T, dir, base string) string {
	t.Helper()
	cfg := filepath.Join(dir, "sites.yaml")
	yaml := fmt.Sprintf("sites:\n  - name: town\n    base_url: %s/\n    delay: 0s\n    concurrency: 4\n    article_pattern: '/baca/[^/]+$'\n    extract:\n      title: h1.entry-title\n      body: .entry-content\n", base)
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestKillAndResume kills a crawl of 2,000 articles with SIGKILL in the
// middle, runs it again and checks that every article is archived exactly
// once, that finished pages were not fetched again, and that the archive
// verifies.
func TestKillAndResume(t *testing.T) {
	testInterrupt(t, syscall.SIGKILL, 2000, 600)
}

// TestInterruptAndResume stops a crawl with SIGINT: the process finishes
// what is in flight, exits 0 with a summary, and the next run resumes.
func TestInterruptAndResume(t *testing.T) {
	testInterrupt(t, syscall.SIGINT, 500, 150)
}

// testInterrupt stops a crawl of total articles with sig after stopAt
// article pages were served, then resumes it.
func testInterrupt(t *testing.T, sig syscall.Signal, total, stopAt int64) {
	if testing.Short() {
		// Under the race detector a crawl of thousands of pages in a child
		// process takes minutes; `make test` runs these without -short
		// and without -race.
		t.Skip("a crawl of thousands of pages in a child process; skipped with -short")
	}
	cs := &countingSite{site: demosite.New(demosite.Options{Seed: 3, Articles: int(total)})}
	base := startCounting(t, cs)
	dir := t.TempDir()
	cfg := writeSiteConfig(t, dir, base)
	data := filepath.Join(dir, "data")

	// --verbose makes the crawl report each state commit: what a kill can
	// make the next run fetch again is what was not committed.
	cmd := exec.Command(os.Args[0], "crawl", "--verbose", "--config", cfg, "--data", data)
	cmd.Env = append(os.Environ(), "WARTA_TEST_MAIN=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	var once sync.Once
	stop := func(n int64) {
		if n >= stopAt {
			once.Do(func() { _ = cmd.Process.Signal(sig) })
		}
	}
	cs.hook.Store(&stop)
	if err := cmd.Run(); sig == syscall.SIGKILL {
		if err == nil {
			t.Fatalf("the crawl finished before it was killed; stdout: %s", stdout.String())
		}
	} else if err != nil || !strings.Contains(stdout.String(), "interrupted") {
		t.Fatalf("after SIGINT: %v; stdout %q; want exit 0 and an interrupted summary; stderr: %s", err, stdout.String(), stderr.String())
	}
	first := cs.articles.Load()
	archivedBefore := len(archivedArticles(t, data))
	if archivedBefore == 0 || archivedBefore >= int(total) {
		t.Fatalf("%d articles archived before the stop, want some but not all", archivedBefore)
	}

	cs.hook.Store(nil)
	cs.articles.Store(0)
	r := runWarta(t, nil, "crawl", "--config", cfg, "--data", data)
	if r.code != exitOK {
		t.Fatalf("resumed crawl: exit %d: %s", r.code, r.stderr)
	}
	refetched := cs.articles.Load()
	// Articles whose state record was committed before the stop are not
	// fetched again; those archived but not yet committed may be. How
	// many those are depends on the machine's load, so the bound is what
	// the stopped crawl reported committed.
	committed := committedArticles(stderr.String())
	if committed == 0 || committed > archivedBefore {
		t.Fatalf("the stopped crawl reported %d article state records committed for %d articles archived; want some, at most that many", committed, archivedBefore)
	}
	t.Logf("stopped after %d article pages: %d archived, %d committed; the resumed crawl fetched %d", first, archivedBefore, committed, refetched)
	if max := total - int64(committed); refetched > max {
		t.Errorf("resumed crawl fetched %d article pages, want at most %d (%d committed before the stop, %d archived, %d fetched)",
			refetched, max, committed, archivedBefore, first)
	}
	got := archivedArticles(t, data) // fails on any article archived twice
	if len(got) != int(total) {
		t.Errorf("after resuming: %d articles archived, want %d", len(got), total)
	}
	for _, a := range cs.site.Truth() {
		if _, ok := got[base+a.Path]; !ok {
			t.Errorf("article %s missing after resuming", a.Path)
			break
		}
	}
	if r := runWarta(t, nil, "verify", "--data", data); r.code != exitOK {
		t.Errorf("verify after the stop and resume: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// committedArticles returns the number of article state records a
// crawl's debug log reports committed.
func committedArticles(log string) int {
	n := 0
	for _, line := range strings.Split(log, "\n") {
		if !strings.Contains(line, "msg=state_committed") {
			continue
		}
		if _, v, ok := strings.Cut(line, " articles="); ok {
			v, _, _ = strings.Cut(v, " ")
			if k, err := strconv.Atoi(v); err == nil {
				n += k
			}
		}
	}
	return n
}

func TestMainProcessSmoke(t *testing.T) {
	// The child-process mode itself: a usage error exits 2.
	cmd := exec.CommandContext(context.Background(), os.Args[0], "frobnicate")
	cmd.Env = append(os.Environ(), "WARTA_TEST_MAIN=1")
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitUsage {
		t.Errorf("warta frobnicate as a process: %v, want exit %d", err, exitUsage)
	}
}
