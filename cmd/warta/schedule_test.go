package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/warta-id/warta/crawler/demosite"
	"github.com/warta-id/warta/runlog"
)

// scheduleArticles is the size of the demo site the schedule tests crawl:
// small, the point is the daemon's wiring.
const scheduleArticles = 12

// startDemoSite serves a small demo site on 127.0.0.1 for the test and
// returns its base URL (no trailing slash). A crawlDelay makes its
// robots.txt slow crawls down.
func startDemoSite(t *testing.T, crawlDelay time.Duration) string {
	t.Helper()
	base, stop, err := demosite.Start(context.Background(), "127.0.0.1:0",
		demosite.New(demosite.Options{Seed: 1, Articles: scheduleArticles, CrawlDelay: crawlDelay}))
	if err != nil {
		t.Fatalf("demosite.Start: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = stop(ctx)
	})
	return base
}

// demoSiteConfig is a config naming the demo site at base, crawled on
// schedule. The demo site's pages carry the host they were asked for, so
// the article pattern names base itself.
func demoSiteConfig(base, schedule string) string {
	return fmt.Sprintf(`sites:
  - name: demo
    title: Demo
    base_url: %s/
    article_pattern: '^%s/baca/[^/?#]+$'
    schedule: %q
    timezone: Asia/Jakarta
    delay: 0s
    concurrency: 4
    timeout: 10s
    extract:
      title: h1.entry-title
      body: .entry-content
      published: time.entry-date
      gallery: .n2-ss-slide-background-image img
      remove: [.n2-section-smartslider, .sharedaddy, .related-posts-wrap, "#comments", .comments-link]
`, base, regexp.QuoteMeta(base), schedule)
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// watched is an output that the test can wait on: everything written is
// kept, and each write wakes the waiters.
type watched struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{}
}

func newWatched() *watched { return &watched{changed: make(chan struct{})} }

func (w *watched) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	close(w.changed)
	w.changed = make(chan struct{})
	return w.buf.Write(p)
}

func (w *watched) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// waitFor waits until the output matches re, for at most limit, and
// returns the match's submatches.
func (w *watched) waitFor(t *testing.T, re *regexp.Regexp, limit time.Duration) []string {
	t.Helper()
	deadline := time.NewTimer(limit)
	defer deadline.Stop()
	for {
		w.mu.Lock()
		m := re.FindStringSubmatch(w.buf.String())
		changed := w.changed
		w.mu.Unlock()
		if m != nil {
			return m
		}
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("no output matching %q within %s; got:\n%s", re, limit, w.String())
		}
	}
}

func TestScheduleOnce(t *testing.T) {
	base := startDemoSite(t, 0)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "sites.yaml")
	writeFile(t, cfg, demoSiteConfig(base, "0 */6 * * *"))
	data := filepath.Join(dir, "data")

	r := runWarta(t, nil, "schedule", "--once", "--config", cfg, "--data", data)
	if r.code != exitOK {
		t.Fatalf("schedule --once: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	if want := fmt.Sprintf("(%d new, 0 changed)", scheduleArticles); !strings.Contains(r.stdout, want) {
		t.Errorf("schedule --once stdout = %q, want a summary with %q", r.stdout, want)
	}
	recs, err := runlog.List(data, "demo", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Trigger != "schedule" || recs[0].Status != runlog.StatusOK {
		t.Errorf("run records = %+v, want one ok record with trigger schedule", recs)
	}
}

func TestScheduleBadStart(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	writeFile(t, bad, "sites:\n  - name: a\n    base_url: http://127.0.0.1:1/\n    schedule: \"0 25 * * *\"\n")
	good := filepath.Join(dir, "good.yaml")
	writeFile(t, good, demoSiteConfig("http://127.0.0.1:1", "0 0 1 1 *"))
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()

	tests := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"bad cron in config", []string{"--config", bad}, exitUsage, []string{"bad.yaml:4", "sites[0].schedule", "0 25 * * *"}},
		{"missing config", []string{"--config", filepath.Join(dir, "none.yaml")}, exitUsage, []string{"none.yaml"}},
		{"bad addr", []string{"--config", good, "--addr", "localhost"}, exitUsage, []string{"--addr", "localhost"}},
		{"negative jitter", []string{"--config", good, "--jitter", "-1s"}, exitUsage, []string{"--jitter"}},
		{"addr in use", []string{"--config", good, "--addr", busy.Addr().String()}, exitFailure, []string{"listen", busy.Addr().String()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"schedule", "--data", filepath.Join(dir, "data")}, tt.args...)
			r := runWarta(t, nil, args...)
			if r.code != tt.code {
				t.Errorf("warta %v: exit %d, want %d; stderr: %s", args, r.code, tt.code, r.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("warta %v: stderr = %q, want it to mention %q", args, r.stderr, w)
				}
			}
		})
	}
}

// TestScheduleDaemon runs the daemon against the demo site: a scheduled
// crawl, the HTTP endpoints, a reload with a bad config (kept out) and a good
// one (taken), and a clean stop.
func TestScheduleDaemon(t *testing.T) {
	base := startDemoSite(t, 0)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "sites.yaml")
	writeFile(t, cfg, demoSiteConfig(base, "@every 2s"))
	data := filepath.Join(dir, "data")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout, stderr := newWatched(), newWatched()
	exit := make(chan int, 1)
	go func() {
		exit <- run(ctx, []string{"schedule", "--config", cfg, "--data", data, "--addr", "127.0.0.1:0", "--jitter", "0s"},
			strings.NewReader(""), stdout, stderr, func(string) string { return "" })
	}()
	stopped := false
	defer func() {
		if !stopped {
			cancel()
			<-exit
		}
	}()

	addr := stderr.waitFor(t, regexp.MustCompile(`msg=web_listening addr=(\S+)`), 10*time.Second)[1]
	summary := fmt.Sprintf(`demo: \d+ pages fetched; %d articles archived \(%d new, 0 changed\)`, scheduleArticles, scheduleArticles)
	stdout.waitFor(t, regexp.MustCompile(summary), 30*time.Second)

	var health struct {
		Status   string `json:"status"`
		Articles int    `json:"articles"`
	}
	if err := json.Unmarshal([]byte(get(t, "http://"+addr+"/healthz")), &health); err != nil || health.Status != "ok" || health.Articles != scheduleArticles {
		t.Errorf("GET /healthz: %+v (%v), want status ok and %d articles", health, err, scheduleArticles)
	}
	if body := get(t, "http://"+addr+"/api/search?q=sawahlunto"); !strings.Contains(body, `"hits"`) {
		t.Errorf("GET /api/search?q=sawahlunto = %.200q, want hits", body)
	}
	// The daemon's web server keeps the Host rule of `warta serve`.
	req, _ := http.NewRequest("GET", "http://"+addr+"/api/schedule", nil)
	req.Host = "rebound.example"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET /api/schedule with Host rebound.example: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMisdirectedRequest {
		t.Errorf("GET /api/schedule with Host rebound.example: %s, want 421", resp.Status)
	}
	if st := scheduleOf(t, addr); st.Site != "demo" || st.Schedule != "@every 2s" || st.Runs < 1 || st.Failures != 0 {
		t.Errorf("GET /api/schedule: %+v, want demo, @every 2s, 1 or more runs, no failures", st)
	}

	// A bad config on SIGHUP is refused, naming file, line and key, and the
	// old one stays.
	writeFile(t, cfg, strings.Replace(demoSiteConfig(base, "@every 2s"), "delay: 0s", "delay: soon", 1))
	hangUp(t)
	stderr.waitFor(t, regexp.MustCompile(`config_reload_failed.*sites\.yaml:\d+: sites\[0\]\.delay`), 10*time.Second)
	if st := scheduleOf(t, addr); st.Schedule != "@every 2s" {
		t.Errorf("after a bad reload the schedule is %q, want the old one, @every 2s", st.Schedule)
	}

	// A good one is taken.
	writeFile(t, cfg, demoSiteConfig(base, "0 0 1 1 *"))
	hangUp(t)
	stderr.waitFor(t, regexp.MustCompile(`config_reloaded`), 10*time.Second)
	if st := scheduleOf(t, addr); st.Schedule != "0 0 1 1 *" {
		t.Errorf("after a good reload the schedule is %q, want 0 0 1 1 *", st.Schedule)
	}

	cancel()
	stopped = true
	select {
	case code := <-exit:
		if code != exitOK {
			t.Errorf("daemon exit %d after cancel, want %d; stderr:\n%s", code, exitOK, stderr.String())
		}
	case <-time.After(time.Minute):
		t.Fatalf("daemon did not stop within a minute of the cancel")
	}

	recs, err := runlog.List(data, "demo", 0)
	if err != nil {
		t.Fatal(err)
	}
	var ok int
	for _, r := range recs {
		if r.Trigger != "schedule" {
			t.Errorf("run record %s has trigger %q, want schedule", r.Started, r.Trigger)
		}
		if r.Status == runlog.StatusOK {
			ok++
		}
	}
	if ok == 0 {
		t.Errorf("run records %+v: none ok, want at least one", recs)
	}
}

// TestScheduleStopsRunningCrawl stops the daemon in the middle of a crawl
// (the demo site's robots.txt asks for a second between requests): the
// crawl is cancelled, recorded as such, and warta exits 0. The crawl is the
// catch-up of a site never crawled: its schedule's next tick is weeks away.
func TestScheduleStopsRunningCrawl(t *testing.T) {
	base := startDemoSite(t, time.Second)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "sites.yaml")
	writeFile(t, cfg, demoSiteConfig(base, "0 0 1 1 *"))
	data := filepath.Join(dir, "data")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout, stderr := newWatched(), newWatched()
	exit := make(chan int, 1)
	go func() {
		exit <- run(ctx, []string{"schedule", "--config", cfg, "--data", data, "--addr", "", "--jitter", "0s", "--shutdown-timeout", "20s"},
			strings.NewReader(""), stdout, stderr, func(string) string { return "" })
	}()
	stderr.waitFor(t, regexp.MustCompile(`msg=run_started site=demo`), 10*time.Second)
	cancel()
	select {
	case code := <-exit:
		if code != exitOK {
			t.Fatalf("daemon exit %d after cancel, want %d; stderr:\n%s", code, exitOK, stderr.String())
		}
	case <-time.After(time.Minute):
		t.Fatalf("daemon did not stop within a minute of the cancel")
	}
	if !strings.Contains(stderr.String(), "msg=run_cancelled site=demo") {
		t.Errorf("stderr lacks run_cancelled for demo:\n%s", stderr.String())
	}
	recs, err := runlog.List(data, "demo", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Status != runlog.StatusCancelled {
		t.Errorf("run records = %+v, want one, cancelled", recs)
	}
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d, %v; want 200", url, resp.StatusCode, err)
	}
	return string(body)
}

// scheduleOf returns the one site of the daemon's /api/schedule.
func scheduleOf(t *testing.T, addr string) siteSchedule {
	t.Helper()
	var out struct {
		Sites []siteSchedule `json:"sites"`
	}
	if err := json.Unmarshal([]byte(get(t, "http://"+addr+"/api/schedule")), &out); err != nil {
		t.Fatalf("/api/schedule is not JSON: %v", err)
	}
	if len(out.Sites) != 1 {
		t.Fatalf("/api/schedule lists %d sites, want 1", len(out.Sites))
	}
	return out.Sites[0]
}

// hangUp sends this process SIGHUP, the reload signal of `warta schedule`,
// through os.Process so the test compiles where syscall.Kill does not exist.
func hangUp(t *testing.T) {
	t.Helper()
	self, err := os.FindProcess(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if err := self.Signal(syscall.SIGHUP); err != nil {
		t.Fatalf("SIGHUP to self: %v", err)
	}
}
