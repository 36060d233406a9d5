package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/warta-id/warta/crawler"
	"github.com/warta-id/warta/crawler/demosite"
	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/index"
	"github.com/warta-id/warta/internal/atomicfile"
)

// openTestPipeline opens the archive and index of data for writing, as a
// crawl does (catching the index up), with a pipeline of the demo site.
func openTestPipeline(t *testing.T, data string) (*pipeline, *index.Index, func() error) {
	t.Helper()
	e := &env{stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }, log: slog.New(slog.DiscardHandler)}
	store, idx, closeAll, err := openWriter(context.Background(), e, data)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := demoConfig()
	if err != nil {
		t.Fatal(err)
	}
	return newPipeline(cfg.Sites[0], store, idx, e.log), idx, closeAll
}

// testArticle is an article of the demo site at url whose body holds word.
func testArticle(site, url, word string, fetched time.Time) *extract.Article {
	return &extract.Article{
		ID: extract.ArticleID(site, url), Site: site, URL: url, FetchedAt: fetched.Format(time.RFC3339),
		Title: "Banjir di Padang", Body: "Hujan deras sejak pagi. Warga melaporkan " + word + " di pusat kota.",
	}
}

// hits returns the ids of the articles whose text holds word.
func hits(t *testing.T, idx *index.Index, word string) []string {
	t.Helper()
	res, err := idx.Search(context.Background(), index.Request{Query: word})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}

// TestChangedArticleIndexedAfterKill: a changed article (same id, so the
// index's count does not move) archived by a process that is killed
// before its index batch is committed is in the index, changed, once the
// archive is opened again; a run that ends normally leaves no mark behind.
func TestChangedArticleIndexedAfterKill(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	p, idx, closeAll := openTestPipeline(t, data)
	site := p.site.Name
	url := "http://" + demoHost + "/berita/banjir"
	v1 := testArticle(site, url, "genangan", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	if err := p.keep(ctx, &crawler.Page{URL: url}, v1); err != nil {
		t.Fatal(err)
	}
	if err := p.flush(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p.behind.path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("after a run that ended normally, stat %s: %v, want no such file", p.behind.path, err)
	}
	if got := hits(t, idx, "genangan"); !slices.Equal(got, []string{v1.ID}) {
		t.Fatalf("first run: search genangan = %v, want [%s]", got, v1.ID)
	}
	if err := closeAll(); err != nil {
		t.Fatal(err)
	}

	// The second run archives a changed version, and is killed before
	// its batch reaches the index: the pipeline is never flushed.
	p, _, closeAll = openTestPipeline(t, data)
	v2 := testArticle(site, url, "longsor", time.Date(2026, 1, 2, 4, 4, 5, 0, time.UTC))
	if err := p.keep(ctx, &crawler.Page{URL: url}, v2); err != nil {
		t.Fatal(err)
	}
	if c, _ := p.snapshot(); c.Changed != 1 {
		t.Fatalf("second run: counts %+v, want one changed article", c)
	}
	if _, err := os.Stat(p.behind.path); err != nil {
		t.Fatalf("archived an article the index lacks, and no mark: %v", err)
	}
	if err := closeAll(); err != nil {
		t.Fatal(err)
	}

	_, idx, closeAll = openTestPipeline(t, data)
	defer closeAll()
	if got := hits(t, idx, "longsor"); !slices.Equal(got, []string{v2.ID}) {
		t.Errorf("after reopening: search longsor = %v, want [%s] (the changed version)", got, v2.ID)
	}
	if got := hits(t, idx, "genangan"); len(got) != 0 {
		t.Errorf("after reopening: search genangan = %v, want nothing (the old version)", got)
	}
	if _, err := os.Stat(p.behind.path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("after the catch-up, stat %s: %v, want no such file", p.behind.path, err)
	}
}

// TestIndexErrorsReachFlush: a batch the index refuses is committed on the
// indexer's goroutine, and its error is the flush's; the mark stays, so
// that the next open indexes everything again.
func TestIndexErrorsReachFlush(t *testing.T) {
	ctx := context.Background()
	p, idx, closeAll := openTestPipeline(t, t.TempDir())
	defer closeAll()
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	url := "http://" + demoHost + "/berita/gempa"
	if err := p.keep(ctx, &crawler.Page{URL: url}, testArticle(p.site.Name, url, "gempa", time.Now())); err != nil {
		t.Fatalf("keep: %v, want nil (the article is archived; the index comes later)", err)
	}
	err := p.flush(ctx)
	if err == nil || !strings.Contains(err.Error(), "index") {
		t.Errorf("flush with a closed index = %v, want the index's error", err)
	}
	if _, serr := os.Stat(p.behind.path); serr != nil {
		t.Errorf("a batch failed, and the mark is gone: %v", serr)
	}
}

// TestIndexerOrderBoundAndErrors: the indexer commits batches in the
// order they were handed over, holds at most maxUncommitted of them (the
// next put waits), and the error of a batch is returned by the put or
// wait that follows its commit.
func TestIndexerOrderBoundAndErrors(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		release := make(chan struct{})
		var committed []string
		x := &indexer{commit: func(_ context.Context, batch []*extract.Article) error {
			<-release
			committed = append(committed, batch[0].ID)
			if batch[0].ID == "b2" {
				return errors.New("disk on fire")
			}
			return nil
		}}
		batch := func(id string) func() []*extract.Article {
			return func() []*extract.Article { return []*extract.Article{{ID: id}} }
		}
		for _, id := range []string{"b1", "b2"} {
			if err := x.put(ctx, batch(id)); err != nil {
				t.Fatalf("put %s: %v", id, err)
			}
		}
		third := make(chan error)
		go func() { third <- x.put(ctx, batch("b3")) }()
		synctest.Wait()
		select {
		case err := <-third:
			t.Fatalf("a third batch was taken while two were uncommitted (put returned %v)", err)
		default:
		}
		release <- struct{}{} // b1
		synctest.Wait()
		if err := <-third; err != nil {
			t.Errorf("put b3 = %v, want nil (b1 committed)", err)
		}
		release <- struct{}{} // b2 fails
		synctest.Wait()
		if err := x.put(ctx, func() []*extract.Article { return nil }); err == nil || !strings.Contains(err.Error(), "disk on fire") {
			t.Errorf("put after b2 failed = %v, want its error", err)
		}
		close(release)
		if err := x.wait(); err != nil {
			t.Errorf("wait = %v, want nil (b2's error was returned already)", err)
		}
		if want := []string{"b1", "b2", "b3"}; !slices.Equal(committed, want) {
			t.Errorf("committed %v, want %v", committed, want)
		}
		// After wait the goroutine is gone; a later batch starts another.
		if err := x.put(ctx, batch("b4")); err != nil {
			t.Fatal(err)
		}
		if err := x.wait(); err != nil || committed[len(committed)-1] != "b4" {
			t.Errorf("after a second wait: err %v, committed %v; want b4 last", err, committed)
		}
	})
}

// servedPage is the page site serves at path, as the crawler hands an
// article page over (an image's too, with the article's kind).
func servedPage(site http.Handler, path string) *crawler.Page {
	rec := httptest.NewRecorder()
	u := "http://" + demoHost + path
	site.ServeHTTP(rec, httptest.NewRequest("GET", u, nil))
	return &crawler.Page{Kind: crawler.KindArticle, URL: u, RequestURL: u, Method: "GET", Proto: "HTTP/1.1",
		Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes(), FetchedAt: time.Now()}
}

// warcSyncFailer is a file system on which syncing a WARC file fails while
// failing is set.
type warcSyncFailer struct {
	atomicfile.FS
	failing atomic.Bool
}

func (f *warcSyncFailer) OpenAppend(name string) (atomicfile.File, error) {
	file, err := f.FS.OpenAppend(name)
	if err != nil || !strings.Contains(name, ".warc") {
		return file, err
	}
	return warcFile{file, f}, nil
}

type warcFile struct {
	atomicfile.File
	fs *warcSyncFailer
}

func (w warcFile) Sync() error {
	if w.fs.failing.Load() {
		return errors.New("injected: WARC sync failed")
	}
	return w.File.Sync()
}

// TestArticleSavedAfterItsCaptures: the pipeline extracts an article page
// while its capture's sync is pending, but saves the article only once
// the capture is durable: when the WARC's sync fails, the page fails with
// the capture's error and no article is archived or indexed; when it
// succeeds, the article is.
func TestArticleSavedAfterItsCaptures(t *testing.T) {
	disk := &warcSyncFailer{FS: atomicfile.OS{}}
	data := t.TempDir()
	e := &env{stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }, log: slog.New(slog.DiscardHandler), archiveFS: disk}
	store, idx, closeAll, err := openWriter(context.Background(), e, data)
	if err != nil {
		t.Fatal(err)
	}
	defer closeAll()
	cfg, err := demoConfig()
	if err != nil {
		t.Fatal(err)
	}
	p := newPipeline(cfg.Sites[0], store, idx, e.log)
	site := demosite.New(demosite.Options{Seed: 3, Articles: 3})
	page := func(path string) *crawler.Page { return servedPage(site, path) }
	truth := site.Truth()
	ctx := context.Background()

	// The WARC file's first record is synced as the file is made: an
	// article page that starts the file is saved whole.
	first := page(truth[0].Path)
	if err := p.HandlePage(ctx, first); err != nil {
		t.Fatalf("first page: %v", err)
	}
	disk.failing.Store(true)
	failed := page(truth[1].Path)
	err = p.HandlePage(ctx, failed)
	if err == nil || !strings.Contains(err.Error(), "archive capture") || !strings.Contains(err.Error(), "sync WARC file") {
		t.Fatalf("page whose capture's sync failed: err = %v, want the capture's sync error", err)
	}
	disk.failing.Store(false)
	ok := page(truth[2].Path)
	if err := p.HandlePage(ctx, ok); err != nil {
		t.Fatalf("page after the failure: %v", err)
	}
	if err := p.flush(ctx); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		page *crawler.Page
		want bool
	}{{first, true}, {failed, false}, {ok, true}} {
		id := extract.ArticleID("demo", tt.page.URL)
		_, err := store.Article(id)
		if got := err == nil; got != tt.want {
			t.Errorf("%s archived = %v (%v), want %v", tt.page.URL, got, err, tt.want)
		}
	}
	counts, _ := p.snapshot()
	if counts.New != 2 || counts.Captures != 2 {
		t.Errorf("counts: %d new articles, %d captures; want 2 and 2", counts.New, counts.Captures)
	}
}
