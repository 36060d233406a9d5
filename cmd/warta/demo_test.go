package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/warta-id/warta/archive"
	"github.com/warta-id/warta/crawler/demosite"
	"github.com/warta-id/warta/extract"
)

// TestDemoEndToEnd crawls the demo site into a temp dir through the real
// command, checks every archived article against the site's ground truth,
// searches, and runs again to see that nothing is duplicated.
func TestDemoEndToEnd(t *testing.T) {
	data := t.TempDir()
	r := runWarta(t, nil, "demo", "--data", data)
	if r.code != exitOK {
		t.Fatalf("warta demo: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "hits") || !strings.Contains(r.stdout, "(60 new, 0 changed)") {
		t.Errorf("warta demo stdout lacks a summary with 60 new articles and hits:\n%s", r.stdout)
	}

	truth := demosite.New(demosite.Options{Seed: 1, Articles: 60}).Truth()
	got := archivedArticles(t, data)
	if len(got) != len(truth) {
		t.Fatalf("archived %d articles, want %d", len(got), len(truth))
	}
	for _, want := range truth {
		url := "http://" + demoHost + want.Path
		a, ok := got[url]
		if !ok {
			t.Errorf("article %s was not archived", url)
			continue
		}
		checkArticle(t, a, want)
	}

	// The seed article, in full: the acceptance check.
	seed, ok := got["http://"+demoHost+"/baca/wali-kota-sawahlunto-temui-dirjen-ikma-kemenperin"]
	if !ok {
		t.Fatal("the seed article was not archived")
	}
	paras := strings.Split(seed.Body, "\n\n")
	if len(paras) != 9 || !strings.HasPrefix(paras[0], "SAWAHLUNTO – Wali Kota Sawahlunto, Deri Asta menemui") ||
		!strings.HasSuffix(paras[8], "kata Reni Yanita.") {
		t.Errorf("seed body has %d paragraphs, first %q; want the 9 paragraphs of the seed", len(paras), paras[0])
	}
	for _, junk := range []string{"previous arrow", "next arrow", "Shadow", "ARTIKEL LAIN", "No Comment", "Comments are closed", "_n"} {
		if strings.Contains(seed.Body, junk) {
			t.Errorf("seed body contains junk %q", junk)
		}
	}
	if seed.Dateline.Place != "SAWAHLUNTO" || len(seed.Images) != 9 || seed.Published != "2021-12-23T09:15:41+07:00" {
		t.Errorf("seed: dateline %q, %d images, published %q; want SAWAHLUNTO, 9, 2021-12-23T09:15:41+07:00",
			seed.Dateline.Place, len(seed.Images), seed.Published)
	}

	// The gallery is archived with the article.
	store, err := archive.Open(data, archive.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, img := range seed.Images {
		ref, err := store.Lookup(img.URL, time.Time{})
		if err != nil {
			t.Errorf("seed image %s not archived: %v", img.URL, err)
			continue
		}
		c, err := store.ReadCapture(ref)
		if err != nil || c.Status != 200 || !strings.HasPrefix(c.Header.Get("Content-Type"), "image/") || len(c.Body) == 0 {
			t.Errorf("seed image %s: capture %v, %v; want a 200 image", img.URL, c, err)
		}
	}
	store.Close()

	// Search answers with titles and dates.
	r = runWarta(t, nil, "search", "--data", data, "--json", "sawahlunto")
	if r.code != exitOK {
		t.Fatalf("warta search: exit %d: %s", r.code, r.stderr)
	}
	var res struct {
		Total int `json:"total"`
		Hits  []struct {
			ID, Title, Published string
		} `json:"hits"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatalf("search --json output is not JSON: %v\n%s", err, r.stdout)
	}
	if res.Total == 0 || len(res.Hits) == 0 {
		t.Fatalf("search sawahlunto: total %d, %d hits; want some", res.Total, len(res.Hits))
	}
	for _, h := range res.Hits {
		if h.Title == "" || h.Published == "" {
			t.Errorf("hit %s has title %q, published %q; want both", h.ID, h.Title, h.Published)
		}
	}

	// A second run of a still site duplicates nothing.
	files := articleFiles(t, data)
	r = runWarta(t, nil, "demo", "--still", "--data", data)
	if r.code != exitOK {
		t.Fatalf("second warta demo: exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "(0 new, 0 changed)") {
		t.Errorf("second run summary = %q, want no new or changed articles", r.stdout)
	}
	if again := articleFiles(t, data); !cmp.Equal(files, again) {
		t.Errorf("second run changed the article files: %s", cmp.Diff(files, again))
	}
	r = runWarta(t, nil, "search", "--data", data, "--json", "--limit", "100", "sawahlunto")
	var res2 struct {
		Total int `json:"total"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &res2); err != nil || res2.Total != res.Total {
		t.Errorf("after a second run search total = %d (%v), want %d", res2.Total, err, res.Total)
	}
}

func checkArticle(t *testing.T, a *extract.Article, want demosite.Article) {
	t.Helper()
	if a.Title != want.Title {
		t.Errorf("%s: title %q, want %q", want.Path, a.Title, want.Title)
	}
	if pub, err := time.Parse(time.RFC3339, a.Published); err != nil || !pub.Equal(want.Published) {
		t.Errorf("%s: published %q, want %s", want.Path, a.Published, want.Published.Format(time.RFC3339))
	}
	if body := strings.Join(want.Paragraphs, "\n\n"); a.Body != body {
		t.Errorf("%s: body differs from the truth:\n%s", want.Path, cmp.Diff(body, a.Body))
	}
	if a.Dateline.Place != want.DatelinePlace {
		t.Errorf("%s: dateline place %q, want %q", want.Path, a.Dateline.Place, want.DatelinePlace)
	}
	if a.Author != want.Author {
		t.Errorf("%s: author %q, want %q", want.Path, a.Author, want.Author)
	}
	if !cmp.Equal(a.Categories, want.Categories) {
		t.Errorf("%s: categories %q, want %q", want.Path, a.Categories, want.Categories)
	}
	var wantImgs, gotImgs []string
	for _, img := range want.Images {
		wantImgs = append(wantImgs, "http://"+demoHost+img.Path+" | "+img.Caption)
	}
	for _, img := range a.Images {
		gotImgs = append(gotImgs, img.URL+" | "+img.Caption)
	}
	if !cmp.Equal(gotImgs, wantImgs) {
		t.Errorf("%s: images differ:\n%s", want.Path, cmp.Diff(wantImgs, gotImgs))
	}
}

// archivedArticles reads every article of the archive in data, by URL.
func archivedArticles(t *testing.T, data string) map[string]*extract.Article {
	t.Helper()
	store, err := archive.Open(data, archive.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	got := map[string]*extract.Article{}
	err = store.Walk(context.Background(), func(a *extract.Article) error {
		if _, dup := got[a.URL]; dup {
			t.Errorf("article %s archived twice", a.URL)
		}
		got[a.URL] = a
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// articleFiles lists the files under data/articles with their sizes.
func articleFiles(t *testing.T, data string) map[string]int64 {
	t.Helper()
	files := map[string]int64{}
	err := filepath.Walk(filepath.Join(data, "articles"), func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if !info.IsDir() {
			files[path] = info.Size()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
