package index

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sync/errgroup"
)

func generations(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), "gen-") {
			out = append(out, e.Name())
		}
	}
	return out
}

func searchIDs(t *testing.T, ix *Index, q string) []string {
	t.Helper()
	res, err := ix.Search(context.Background(), Request{Query: q, Limit: 100})
	if err != nil {
		t.Fatalf("Search(%q): %v", q, err)
	}
	return sorted(ids(res))
}

func TestRebuildSwaps(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Add(ctx, fixture()...); err != nil {
		t.Fatal(err)
	}
	if err := ix.Flush(); err != nil {
		t.Fatal(err)
	}

	// Another process (here another Index) keeps crawling meanwhile.
	crawl, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer crawl.Close()

	r, err := ix.Rebuild(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Abort()
	if _, err := ix.Rebuild(ctx); err == nil || !strings.Contains(err.Error(), "another rebuild") {
		t.Errorf("second Rebuild() error = %v, want another rebuild is running", err)
	}
	// The rebuilt index gets only a1..a3 (as if a4..a6 left the archive).
	if err := r.Add(ctx, fixture()[:3]...); err != nil {
		t.Fatal(err)
	}
	late := generated("late", 1)[0]
	if err := crawl.Add(ctx, late); err != nil {
		t.Fatal(err)
	}
	if err := crawl.Flush(); err != nil {
		t.Fatal(err)
	}
	// Before the swap, searches see the old generation (and the late one).
	if got, want := searchIDs(t, ix, "banjir"), []string{"a2", "a4", "a5"}; !slices.Equal(got, want) {
		t.Errorf("before Commit: Search(banjir) = %v, want %v", got, want)
	}
	if err := r.Commit(); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string][]string{"banjir": {"a2"}, "berita": {late.ID}} {
		if got := searchIDs(t, ix, q); !slices.Equal(got, want) {
			t.Errorf("after Commit: Search(%s) = %v, want %v", q, got, want)
		}
	}
	if gens := generations(t, dir); len(gens) != 1 {
		t.Errorf("generations after Commit = %v, want one", gens)
	}
	if _, err := os.Stat(filepath.Join(dir, nextFile)); !os.IsNotExist(err) {
		t.Errorf("NEXT after Commit: stat error = %v, want not exist", err)
	}
	// The crawl goes on writing to the new generation.
	later := generated("later", 1)[0]
	if err := crawl.Add(ctx, later); err != nil {
		t.Fatal(err)
	}
	if err := crawl.Flush(); err != nil {
		t.Fatal(err)
	}
	if n, err := ix.Count(); err != nil || n != 5 {
		t.Errorf("Count() = %d, %v, want 5", n, err)
	}
}

func TestRebuildAbort(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ix := openFixtureIn(t, dir)
	before := generations(t, dir)
	r, err := ix.Rebuild(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Add(ctx, fixture()[:1]...); err != nil {
		t.Fatal(err)
	}
	if err := r.Abort(); err != nil {
		t.Fatal(err)
	}
	if got := generations(t, dir); !slices.Equal(got, before) {
		t.Errorf("generations after Abort = %v, want %v", got, before)
	}
	if n, err := ix.Count(); err != nil || n != 6 {
		t.Errorf("Count() after Abort = %d, %v, want 6", n, err)
	}
	if err := r.Commit(); err == nil {
		t.Errorf("Commit() after Abort error = nil, want an error")
	}
	// A NEXT file left by a crashed rebuild does not block the next one.
	if err := os.Mkdir(filepath.Join(dir, "gen-crashed"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := writePointer(dir, nextFile, "gen-crashed"); err != nil {
		t.Fatal(err)
	}
	r, err = ix.Rebuild(ctx)
	if err != nil {
		t.Fatalf("Rebuild() after a crashed one: %v", err)
	}
	if err := r.Commit(); err != nil {
		t.Fatal(err)
	}
	if n, err := ix.Count(); err != nil || n != 0 {
		t.Errorf("Count() after an empty rebuild = %d, %v, want 0", n, err)
	}
	if gens := generations(t, dir); len(gens) != 1 {
		t.Errorf("generations = %v, want one", gens)
	}
}

// TestSearchDuringRebuilds searches without pause while rebuilds start,
// fill and swap: every search must answer.
func TestSearchDuringRebuilds(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ix := openFixtureIn(t, dir)
	done := make(chan struct{})
	var g errgroup.Group
	g.Go(func() error {
		defer close(done)
		for i := 0; i < 4; i++ {
			r, err := ix.Rebuild(ctx)
			if err != nil {
				return err
			}
			if err := r.Add(ctx, fixture()...); err != nil {
				return err
			}
			if err := r.Commit(); err != nil {
				return err
			}
		}
		return nil
	})
	searches := 0
	g.Go(func() error {
		for {
			select {
			case <-done:
				return nil
			default:
			}
			res, err := ix.Search(ctx, Request{Query: "banjir"})
			if err != nil {
				return fmt.Errorf("search %d during rebuilds: %w", searches, err)
			}
			if res.Total != 3 {
				return fmt.Errorf("search %d during rebuilds: total %d, want 3", searches, res.Total)
			}
			searches++
		}
	})
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d searches during 4 rebuilds", searches)
}

// openFixtureIn is openFixture in a given directory.
func openFixtureIn(t *testing.T, dir string) *Index {
	t.Helper()
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Add(context.Background(), fixture()...); err != nil {
		t.Fatal(err)
	}
	if err := ix.Flush(); err != nil {
		t.Fatal(err)
	}
	return ix
}

// TestOutdatedMapping: an index whose generation lacks this warta's
// mapping version or records an earlier one (made by an earlier warta:
// MappingVersion 3 indexes fewer word pairs) reports itself outdated
// until a rebuild makes a generation with the current mapping.
func TestOutdatedMapping(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if old, err := ix.Outdated(ctx); err != nil || old {
		t.Fatalf("Outdated() of a new index = %v, %v; want false, nil", old, err)
	}
	gen, err := readPointer(dir, currentFile)
	if err != nil {
		t.Fatal(err)
	}
	bi, err := ix.openGen(ctx, gen, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := bi.DeleteInternal(mappingKey); err != nil {
		t.Fatal(err)
	}
	if err := bi.Close(); err != nil {
		t.Fatal(err)
	}
	if old, err := ix.Outdated(ctx); err != nil || !old {
		t.Fatalf("Outdated() of an index without a mapping version = %v, %v; want true, nil", old, err)
	}
	// Version 2 indexed every word pair; this warta indexes fewer.
	if bi, err = ix.openGen(ctx, gen, true); err != nil {
		t.Fatal(err)
	}
	if err := bi.SetInternal(mappingKey, []byte("2")); err != nil {
		t.Fatal(err)
	}
	if err := bi.Close(); err != nil {
		t.Fatal(err)
	}
	if old, err := ix.Outdated(ctx); err != nil || !old {
		t.Fatalf("Outdated() of an index of mapping version 2 = %v, %v; want true, nil", old, err)
	}
	rb, err := ix.Rebuild(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := rb.Commit(); err != nil {
		t.Fatal(err)
	}
	if old, err := ix.Outdated(ctx); err != nil || old {
		t.Fatalf("Outdated() after a rebuild = %v, %v; want false, nil", old, err)
	}
}
