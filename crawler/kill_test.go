package crawler

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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
	c, err := New(Options{StartURLs: []string{base + "/"}, ArticlePattern: demoPattern, Concurrency: 4, StatePath: state})
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
// first did not, and (but for the few pages of the last state commit) none
// that it did.
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
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
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
	cmd.Wait()
	if len(first) < 200 || len(first) >= n {
		t.Fatalf("the killed crawl handed over %d articles, want it killed between 200 and %d", len(first), n)
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
	t.Logf("killed after %d articles; the rerun handed over %d, %d of them again; %d unchanged", len(first), len(got.urls(KindArticle)), again, sum.Unchanged)
	// Pages in flight and those of the commit the kill interrupted may
	// come again; the archive recognizes them.
	if again > 16 {
		t.Errorf("the rerun handed over %d articles the killed run had finished, want at most 16", again)
	}
}
