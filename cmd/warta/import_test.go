package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/warta-id/warta/archive"
	"github.com/warta-id/warta/crawler/demosite"
	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/internal/atomicfile"
)

// TestUnsettledBounded checks that an import holds at most maxUnsettled
// settles: the next one settles those held first, and the first error of
// a capture lost comes back from add or from settle.
func TestUnsettledBounded(t *testing.T) {
	var u unsettled
	settled := make([]int, 2*maxUnsettled)
	lost := errors.New("lost")
	settle := func(i int) func() error {
		return func() error {
			settled[i]++
			if i == 3 || i == maxUnsettled+5 {
				return lost
			}
			return nil
		}
	}
	for i := range maxUnsettled {
		if err := u.add(settle(i)); err != nil {
			t.Fatalf("add(%d) = %v, want nil while fewer than maxUnsettled are held", i, err)
		}
	}
	for i, n := range settled {
		if n != 0 {
			t.Fatalf("settle %d ran %d times before maxUnsettled were held, want 0", i, n)
		}
	}
	if err := u.add(settle(maxUnsettled)); !errors.Is(err, lost) {
		t.Errorf("add past maxUnsettled = %v, want the loss of settle 3", err)
	}
	for i, n := range settled[:maxUnsettled+1] {
		if want := min(1, maxUnsettled-i); n != want {
			t.Errorf("after add past maxUnsettled, settle %d ran %d times, want %d", i, n, want)
		}
	}
	for i := maxUnsettled + 1; i < len(settled); i++ {
		if err := u.add(settle(i)); err != nil {
			t.Fatalf("add(%d) = %v, want nil", i, err)
		}
	}
	if err := u.settle(); !errors.Is(err, lost) {
		t.Errorf("settle = %v, want the loss of settle %d", err, maxUnsettled+5)
	}
	for i, n := range settled {
		if n != 1 {
			t.Errorf("after settle, settle %d ran %d times, want 1", i, n)
		}
	}
	if err := u.settle(); err != nil {
		t.Errorf("second settle = %v, want nil: nothing is held", err)
	}
}

// TestImportArticleAfterItsCapture imports demo article pages on a disk
// where every sync of a WARC file but its first (the one that makes the
// file) fails: import extracts each page while its capture's sync is
// pending, so the file must fail, no article may be on disk without its
// capture, and some captures (those written after the first into a file)
// are lost with their articles. Once the disk recovers, importing the
// same file again archives every article, each with its capture.
func TestImportArticleAfterItsCapture(t *testing.T) {
	ctx := context.Background()
	site := demosite.New(demosite.Options{Seed: 5, Articles: 4})
	src, err := archive.Open(t.TempDir(), archive.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, a := range site.Truth() {
		u := "http://" + demoHost + a.Path
		rec := httptest.NewRecorder()
		site.ServeHTTP(rec, httptest.NewRequest("GET", u, nil))
		if _, err := src.SaveCapture(&archive.Capture{URL: u, Method: "GET", Proto: "HTTP/1.1", Status: rec.Code,
			Header: rec.Header(), Body: rec.Body.Bytes(), FetchedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		urls = append(urls, u)
	}
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(src.Dir(), "warc", "*.warc.gz"))
	if err != nil || len(files) == 0 {
		t.Fatalf("source WARC files: %v, %v", files, err)
	}
	data := t.TempDir()
	disk := &laterSyncFailer{FS: atomicfile.OS{}}
	importInto := func() (string, error) {
		var out strings.Builder
		e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: io.Discard, getenv: func(string) string { return "" },
			log: slog.New(slog.DiscardHandler), archiveFS: disk}
		root := newRoot(e)
		root.SetArgs(append([]string{"import", "--data", data}, files...))
		err := root.ExecuteContext(ctx)
		return out.String(), err
	}
	articles := func() map[string]bool {
		t.Helper()
		store, err := archive.Open(data, archive.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		got := map[string]bool{}
		if err := store.Walk(ctx, func(a *extract.Article) error {
			if _, err := store.Lookup(a.URL, time.Time{}); err != nil {
				t.Errorf("article %s is archived without its capture: %v", a.URL, err)
			}
			got[a.URL] = true
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return got
	}

	disk.failing.Store(true)
	if out, err := importInto(); err == nil || !strings.Contains(err.Error(), "sync WARC file") {
		t.Fatalf("import while the WARC's syncs fail: err = %v (%s), want the sync's error", err, out)
	}
	if got := articles(); len(got) == len(urls) {
		t.Errorf("import while the WARC's syncs fail archived all %d articles, want those of lost captures left out", len(got))
	}
	disk.failing.Store(false)
	if out, err := importInto(); err != nil {
		t.Fatalf("import once the disk recovered: %v (%s)", err, out)
	}
	got := articles()
	for _, u := range urls {
		if !got[u] {
			t.Errorf("article %s not archived by the second import", u)
		}
	}
}

// laterSyncFailer is a file system on which, while failing is set, every
// sync of a WARC file fails but the first through each open file: the
// archive makes a new file durable with its first record, and a failed
// sync later abandons the file for a new one.
type laterSyncFailer struct {
	atomicfile.FS
	failing atomic.Bool
}

func (f *laterSyncFailer) OpenAppend(name string) (atomicfile.File, error) {
	file, err := f.FS.OpenAppend(name)
	if err != nil || !strings.Contains(name, ".warc") {
		return file, err
	}
	return &laterSyncFile{File: file, fs: f}, nil
}

type laterSyncFile struct {
	atomicfile.File
	fs     *laterSyncFailer
	synced atomic.Bool
}

func (w *laterSyncFile) Sync() error {
	if w.fs.failing.Load() && w.synced.Load() {
		return errors.New("injected: WARC sync failed")
	}
	w.synced.Store(true)
	return w.File.Sync()
}
