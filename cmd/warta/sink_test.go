package main

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/warta-id/warta/archive"
	"github.com/warta-id/warta/internal/atomicfile"
)

// TestSinkProgress re-extracts a demo archive through a sink, as
// reextract does, and checks what its progress display reads: articles
// (not pages) against the archive's count, and no requisites listed,
// since no crawler follows them.
func TestSinkProgress(t *testing.T) {
	data := demoArchive(t)
	ctx := context.Background()
	e := &env{stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }, log: slog.New(slog.DiscardHandler)}
	s, err := openSink(ctx, e, data, "", "", "")
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.store.Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s.expect(n)
	if got := s.progress(); got.Done != 0 || got.Total != int64(n) || got.Unit != "articles" {
		t.Errorf("progress before any page = %+v, want 0 of %d articles", got, n)
	}
	pages := 0
	err = s.store.WalkLatestPages(ctx, nil, func(c *archive.Capture, _ archive.Ref) error {
		p := s.pipelineFor(c.URL, false)
		if !isHTML(c) || p == nil || !p.site.ArticleRE().MatchString(c.URL) {
			return nil
		}
		pages++
		page := articlePage(c)
		s.do(func() {
			if err := p.article(ctx, page); err != nil {
				t.Errorf("article %s: %v", page.URL, err)
			}
			if len(page.Requisites) > 0 {
				t.Errorf("article %s: %d requisites listed, want none outside a crawl", page.URL, len(page.Requisites))
			}
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.wait()
	if got := s.progress(); got.Done != int64(n) || got.Total != int64(n) || pages < n {
		t.Errorf("progress after %d pages = %+v, want %d of %d articles", pages, got, n, n)
	}
	if err := s.close(ctx, "re-extracted"); err != nil {
		t.Fatal(err)
	}
}

// TestReextractUnchangedWritesNothing re-extracts a demo archive that the
// extractor would extract the same way: no article file may be written
// again, which the fsyncs of the archive's file system tell (opening and
// closing the store make a few, an article rewritten at least two).
func TestReextractUnchangedWritesNothing(t *testing.T) {
	data := demoArchive(t)
	var out strings.Builder
	syncs := &atomicfile.SyncCounter{FS: atomicfile.OS{}}
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: io.Discard, getenv: func(string) string { return "" }, archiveFS: syncs, log: slog.New(slog.DiscardHandler)}
	root := newRoot(e)
	root.SetArgs([]string{"reextract", "--data", data})
	if err := root.ExecuteContext(context.Background()); err != nil {
		t.Fatalf("reextract: %v; stdout %q", err, out.String())
	}
	if !strings.Contains(out.String(), "60 unchanged") {
		t.Fatalf("reextract: stdout %q, want 60 unchanged", out.String())
	}
	if n := syncs.Syncs(); n > 8 {
		t.Errorf("reextract of unchanged articles made %d archive fsyncs, want at most 8 (the store's own)", n)
	}
}
