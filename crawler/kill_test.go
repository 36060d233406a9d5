package crawler

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/warta-id/warta/crawler/demosite"
)

// killChildEnv names the variable that turns TestKillChild into the crawl
// that TestKill kills: "BASE_URL STATE_PATH".
const killChildEnv = "WARTA_CRAWLER_KILL_CHILD"

// TestKillChild is the helper process of TestKill: it crawls the demo site
// and prints the URL of every article its Handler accepted.
func TestKillChild(t *testing.T) {
	arg := os.Getenv(killChildEnv)
	if arg == "" {
		t.Skip("helper process of TestKill")
	}
	base, state, _ := strings.Cut(arg, " ")
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := New(Options{StartURLs: []string{base + "/"}, ArticlePattern: demoPattern, Concurrency: 4, StatePath: state, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	c.Run(context.Background(), HandlerFunc(func(_ context.Context, p *Page) error {
		if p.Kind == KindArticle {
			mu.Lock()
			fmt.Fprintln(os.Stdout, p.URL)
			mu.Unlock()
		}
		return nil
	}))
}

// TestKill kills a crawl with SIGKILL in the middle, runs it again on the
// same state, and checks that the second run hands over every article the
// first did not, and none whose state record the first committed. How
// many records a kill finds uncommitted depends on the machine's load (a
// slow fsync lets them pile up), so the bound is what the killed crawl
// reported committed, not a fixed number.
func TestKill(t *testing.T) {
	if os.Getenv(killChildEnv) != "" {
		t.Skip("in the helper process")
	}
	const n = 600
	site := demosite.New(demosite.Options{Articles: n, Seed: 11})
	base, stop, err := demosite.Start(t.Context(), "", site)
	if err != nil {
		t.Fatal(err)
	}
	defer stop(context.Background())
	state := filepath.Join(t.TempDir(), "state.db")

	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestKillChild$")
	cmd.Env = append(os.Environ(), killChildEnv+"="+base+" "+state)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	logs, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	committed := make(chan int)
	go func() { committed <- committedArticles(logs) }()
	first := map[string]bool{}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if line := sc.Text(); strings.HasPrefix(line, base) {
			first[line] = true
			if len(first) == 200 {
				cmd.Process.Kill() // SIGKILL: no flush, no cleanup
			}
		}
	}
	done := <-committed
	cmd.Wait()
	if len(first) < 200 || len(first) >= n {
		t.Fatalf("the killed crawl handed over %d articles, want it killed between 200 and %d", len(first), n)
	}
	if done > len(first) {
		t.Fatalf("the killed crawl committed %d records for %d articles handed over", done, len(first))
	}

	got, sum := mustRun(t, Options{StartURLs: []string{base + "/"}, ArticlePattern: demoPattern, Concurrency: 4, StatePath: state})
	again := 0
	for _, u := range got.urls(KindArticle) {
		if first[u] {
			again++
		}
	}
	if all := len(first) + len(got.urls(KindArticle)) - again; all != n {
		t.Errorf("articles handed over by the two runs = %d, want all %d", all, n)
	}
	t.Logf("killed after %d articles, %d of them committed; the rerun handed over %d, %d of them again; %d unchanged", len(first), done, len(got.urls(KindArticle)), again, sum.Unchanged)
	// Pages handed over whose records the kill caught before their commit
	// come again (the archive recognizes them); no other page may.
	if lost := len(first) - done; again > lost {
		t.Errorf("the rerun handed over %d articles the killed run had finished, want at most the %d it had not committed", again, lost)
	}
}

// committedArticles reads a crawl's debug log to its end and returns the
// number of article state records it reported committed.
func committedArticles(r io.Reader) int {
	n := 0
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if !strings.Contains(line, "msg=state_committed") {
			continue
		}
		_, v, ok := strings.Cut(line, " articles=")
		if !ok {
			continue
		}
		v, _, _ = strings.Cut(v, " ")
		if k, err := strconv.Atoi(v); err == nil {
			n += k
		}
	}
	return n
}
