package index

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"golang.org/x/sync/errgroup"

	"github.com/warta-id/warta/extract"
)

// generated returns n articles with ids prefix-0 ... prefix-(n-1).
func generated(prefix string, n int) []*extract.Article {
	out := make([]*extract.Article, n)
	for i := range out {
		out[i] = &extract.Article{
			ID:        fmt.Sprintf("%s-%d", prefix, i),
			Site:      "sawahlunto",
			URL:       fmt.Sprintf("https://sawahluntokota.go.id/baca/%s-%d", prefix, i),
			Title:     fmt.Sprintf("Berita %s nomor %d tentang pembangunan", prefix, i),
			Body:      "SAWAHLUNTO – Pemerintah kota melanjutkan pembangunan jalan dan jembatan.",
			Published: "2023-05-06T07:00:00+07:00",
		}
	}
	return out
}

// TestWriterAndSearcherShareIndex runs a writer and a searcher on one
// directory through two Index values. Bleve's file lock works per open
// file, so they contend exactly as two processes would.
func TestWriterAndSearcherShareIndex(t *testing.T) {
	dir := t.TempDir()
	writer, err := Open(dir, Options{BatchSize: 25})
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	searcher, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer searcher.Close()

	ctx := context.Background()
	done := make(chan struct{})
	var g errgroup.Group
	g.Go(func() error {
		defer close(done)
		if err := writer.Add(ctx, generated("w", 200)...); err != nil {
			return err
		}
		return writer.Flush()
	})
	searches := 0
	var last uint64
	g.Go(func() error {
		for {
			select {
			case <-done:
				return nil
			default:
			}
			res, err := searcher.Search(ctx, Request{Query: "pembangunan"})
			if err != nil {
				return fmt.Errorf("search %d while writing: %w", searches, err)
			}
			if res.Total < last {
				return fmt.Errorf("search %d: total went down from %d to %d", searches, last, res.Total)
			}
			last = res.Total
			searches++
		}
	})
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	n, err := searcher.Count()
	if err != nil {
		t.Fatal(err)
	}
	if n != 200 {
		t.Errorf("Count() after the writer = %d, want 200", n)
	}
	t.Logf("%d searches while writing", searches)
}

// helperEnv makes the test binary act as a writing process in
// TestSearchWhileAnotherProcessWrites.
const helperEnv = "WARTA_INDEX_TEST_WRITER"

func TestHelperWriterProcess(t *testing.T) {
	dir := os.Getenv(helperEnv)
	if dir == "" {
		t.Skip("only run as a helper process")
	}
	n, _ := strconv.Atoi(os.Getenv(helperEnv + "_N"))
	ix, err := Open(dir, Options{BatchSize: 20})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Add(context.Background(), generated("p", n)...); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestSearchWhileAnotherProcessWrites re-executes the test binary as a
// crawl-like writer and searches the same index from this process until
// the writer ends: no search may fail.
func TestSearchWhileAnotherProcessWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a process")
	}
	dir := t.TempDir()
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	const n = 300
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperWriterProcess$")
	cmd.Env = append(os.Environ(), helperEnv+"="+dir, helperEnv+"_N="+strconv.Itoa(n))
	out := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { out <- cmd.Wait() }()
	ctx := context.Background()
	searches, seen := 0, map[uint64]bool{}
	for running := true; running; {
		select {
		case err := <-out:
			if err != nil {
				t.Fatalf("writer process: %v", err)
			}
			running = false
		default:
		}
		res, err := ix.Search(ctx, Request{Query: "pembangunan jalan"})
		if err != nil {
			t.Fatalf("Search while another process writes: %v", err)
		}
		seen[res.Total] = true
		searches++
	}
	got, err := ix.Count()
	if err != nil {
		t.Fatal(err)
	}
	if got != n {
		t.Errorf("Count() after the writer process = %d, want %d", got, n)
	}
	t.Logf("%d searches, %d distinct totals seen while the other process wrote", searches, len(seen))
}

// TestLingeringWriterLetsOthersIn: after a commit the writer stays open
// for the next batch, and another searcher or writer on the same directory
// still gets in, because its waiting makes the writer let go.
func TestLingeringWriterLetsOthersIn(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	a.lingerFor = time.Hour // only a waiting process makes it let go
	if err := a.Add(ctx, generated("a", 30)...); err != nil {
		t.Fatal(err)
	}
	if err := a.Flush(); err != nil {
		t.Fatal(err)
	}
	a.mu.Lock()
	held := a.held != nil && a.lingering
	a.mu.Unlock()
	if !held {
		t.Fatalf("after Flush the writer is not kept open for the next batch")
	}

	b, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	b.lingerFor = time.Hour
	res, err := b.Search(ctx, Request{Query: "pembangunan"})
	if err != nil || res.Total != 30 {
		t.Fatalf("Search beside a lingering writer = %v, %v, want 30 hits", res, err)
	}
	a.mu.Lock()
	held = a.held != nil
	a.mu.Unlock()
	if held {
		t.Errorf("the writer still holds the index after another process waited for it")
	}
	// Two writers take turns.
	for i, w := range []*Index{b, a, b} {
		if err := w.Add(ctx, generated(fmt.Sprintf("turn%d", i), 10)...); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatalf("Flush of writer turn %d: %v", i, err)
		}
	}
	if n, err := a.Count(); err != nil || n != 60 {
		t.Errorf("Count() = %d, %v, want 60", n, err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	// Closed, neither holds the index: a third opens it at once.
	c, err := Open(dir, Options{Wait: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if n, err := c.Count(); err != nil || n != 60 {
		t.Errorf("Count() after both closed = %d, %v, want 60", n, err)
	}
}

// TestCloseLeavesOnlyItsSegments closes a writer whose close merges its
// batches' segments: the generation's directory holds the segments in
// use and no file they replaced.
func TestCloseLeavesOnlyItsSegments(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir, Options{BatchSize: 20})
	if err != nil {
		t.Fatal(err)
	}
	as := generated("tidy", 120)
	for from := 0; from < len(as); from += 20 {
		if err := ix.Add(context.Background(), as[from:from+20]...); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	gen, err := readPointer(dir, currentFile)
	if err != nil {
		t.Fatal(err)
	}
	bi, err := bleve.OpenUsing(filepath.Join(dir, gen), map[string]interface{}{"read_only": true})
	if err != nil {
		t.Fatal(err)
	}
	defer bi.Close()
	adv, err := bi.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	inUse := len(r.(*scorch.IndexSnapshot).Segments())
	r.Close()
	files, err := filepath.Glob(filepath.Join(dir, gen, "store", "*.zap"))
	if err != nil {
		t.Fatal(err)
	}
	if inUse != 1 || len(files) != inUse {
		t.Errorf("after the close: %d segments in use and %d segment files, want 1 and 1 (six batches merged when the writer let go)", inUse, len(files))
	}
}
