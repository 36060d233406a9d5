package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/warta-id/warta/archive"
	"github.com/warta-id/warta/crawler/demosite"
	"github.com/warta-id/warta/extract"
)

// demoArchive builds a demo archive of 60 articles in a temp dir.
func demoArchive(t *testing.T) string {
	t.Helper()
	data := t.TempDir()
	if r := runWarta(t, nil, "demo", "--data", data); r.code != exitOK {
		t.Fatalf("warta demo: exit %d: %s", r.code, r.stderr)
	}
	return data
}

func TestArchiveCommandsOnDemo(t *testing.T) {
	data := demoArchive(t)

	r := runWarta(t, nil, "verify", "--data", data)
	if r.code != exitOK || !strings.Contains(r.stdout, "60 articles") || !strings.Contains(r.stdout, "60 indexed") {
		t.Errorf("verify: exit %d, stdout %q; want 0 and 60 articles, 60 indexed", r.code, r.stdout)
	}

	r = runWarta(t, nil, "export", "--data", data)
	var n int
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var a extract.Article
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil || a.ID == "" || a.Body == "" {
			t.Fatalf("export line %d is not an article (%v): %.100s", n+1, err, sc.Text())
		}
		n++
	}
	if r.code != exitOK || n != 60 {
		t.Errorf("export jsonl: exit %d, %d articles; want 0, 60", r.code, n)
	}

	r = runWarta(t, nil, "export", "--data", data, "--format", "csv", "--from", "2021-12-01", "--to", "2021-12-31")
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil || r.code != exitOK {
		t.Fatalf("export csv: exit %d, %v", r.code, err)
	}
	found := false
	for _, row := range rows[1:] {
		if !strings.HasPrefix(row[4], "2021-12") {
			t.Errorf("export --from 2021-12-01 --to 2021-12-31 gave an article published %s", row[4])
		}
		found = found || strings.Contains(row[3], "Dirjen IKMA")
	}
	if !found {
		t.Errorf("export of December 2021 lacks the seed article; rows: %d", len(rows)-1)
	}

	r = runWarta(t, nil, "export", "--data", data, "title:dirjen")
	if r.code != exitOK || strings.Count(r.stdout, "\n") < 1 || !strings.Contains(r.stdout, "Dirjen IKMA") {
		t.Errorf("export with a query: exit %d, output %.200q; want the seed article", r.code, r.stdout)
	}

	// Extraction again over the archived captures finds the same articles.
	r = runWarta(t, nil, "reextract", "--data", data)
	if r.code != exitOK || !strings.Contains(r.stdout, "re-extracted 60 articles (0 new, 0 changed, 0 updated, 60 unchanged)") {
		t.Errorf("reextract: exit %d, stdout %q, stderr %q; want 60 unchanged", r.code, r.stdout, r.stderr)
	}

	r = runWarta(t, nil, "reindex", "--data", data)
	if r.code != exitOK || !strings.Contains(r.stdout, "reindexed 60 articles") {
		t.Errorf("reindex: exit %d, stdout %q, stderr %q; want 60 articles", r.code, r.stdout, r.stderr)
	}
	if r := runWarta(t, nil, "search", "--data", data, "--json", "title:dirjen"); !strings.Contains(r.stdout, "Dirjen IKMA") {
		t.Errorf("search after reindex: %q, want the seed article", r.stdout)
	}

	// Our own WARC files, imported into a fresh archive, give the same
	// articles.
	warcs, _ := filepath.Glob(filepath.Join(data, "warc", "*.warc.gz"))
	if len(warcs) == 0 {
		t.Fatal("the demo archive has no WARC files")
	}
	other := t.TempDir()
	r = runWarta(t, nil, append([]string{"import", "--data", other}, warcs...)...)
	if r.code != exitOK || !strings.Contains(r.stdout, "imported 60 articles (60 new") {
		t.Fatalf("import: exit %d, stdout %q, stderr %q; want 60 new articles", r.code, r.stdout, r.stderr)
	}
	orig, imported := archivedArticles(t, data), archivedArticles(t, other)
	for u, a := range orig {
		b, ok := imported[u]
		if !ok || b.Body != a.Body || b.Title != a.Title || b.ID != a.ID {
			t.Errorf("imported article %s differs from the crawled one", u)
		}
	}
	// The images come along too; import settles them (their fsync) only
	// at the end of the file.
	importedStore, err := archive.Open(other, archive.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	images := 0
	for _, a := range orig {
		for _, img := range a.Images {
			images++
			if _, err := importedStore.Lookup(img.URL, time.Time{}); err != nil {
				t.Errorf("image %s of %s: not imported: %v", img.URL, a.URL, err)
			}
		}
	}
	importedStore.Close()
	if images == 0 {
		t.Error("the demo articles have no images to check the import of")
	}

	if r := runWarta(t, nil, "import", "--data", other, filepath.Join(other, "missing.warc.gz")); r.code != exitFailure {
		t.Errorf("import of a missing file: exit %d, want %d", r.code, exitFailure)
	}
}

func TestHistoryAfterEdits(t *testing.T) {
	site := demosite.New(demosite.Options{Seed: 7, Articles: 30})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base, stop, err := demosite.Start(ctx, "", site)
	if err != nil {
		t.Fatal(err)
	}
	defer stop(context.Background())

	dir := t.TempDir()
	cfg := filepath.Join(dir, "sites.yaml")
	yaml := fmt.Sprintf("sites:\n  - name: town\n    base_url: %s/\n    delay: 0s\n    article_pattern: '/baca/[^/]+$'\n    extract:\n      title: h1.entry-title\n      body: .entry-content\n", strings.TrimSuffix(base, "/"))
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	if r := runWarta(t, nil, "crawl", "--config", cfg, "--data", data); r.code != exitOK || !strings.Contains(r.stdout, "(30 new, 0 changed)") {
		t.Fatalf("first crawl: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	edited := site.Edit(3)
	r := runWarta(t, nil, "crawl", "--config", cfg, "--data", data)
	if r.code != exitOK || !strings.Contains(r.stdout, "(0 new, 3 changed)") {
		t.Fatalf("crawl after 3 edits: exit %d, stdout %q; want 3 changed", r.code, r.stdout)
	}
	id := extract.ArticleID("town", strings.TrimSuffix(base, "/")+edited[0])
	r = runWarta(t, nil, "history", "--data", data, id)
	if r.code != exitOK || !strings.Contains(r.stdout, "latest") || strings.Count(r.stdout, "sha256:") != 2 {
		t.Fatalf("history %s: exit %d, stdout %q, stderr %q; want two versions", id, r.code, r.stdout, r.stderr)
	}
	r = runWarta(t, nil, "history", "--data", data, id, "1", "2")
	if r.code != exitOK || !strings.Contains(r.stdout, "{+") || !strings.Contains(r.stdout, "body:") {
		t.Errorf("history %s 1 2: exit %d, stdout %q; want a word diff of the body", id, r.code, r.stdout)
	}
	if r := runWarta(t, nil, "history", "--data", data, id, "1", "9"); r.code != exitUsage {
		t.Errorf("history with a version that does not exist: exit %d, want %d", r.code, exitUsage)
	}
	if r := runWarta(t, nil, "history", "--data", data, "town-0000000000000000"); r.code != exitUsage {
		t.Errorf("history of an unknown id: exit %d, want %d", r.code, exitUsage)
	}
}

func TestExtractCommand(t *testing.T) {
	page := filepath.Join("..", "..", "extract", "testdata", "seed.html")
	r := runWarta(t, nil, "extract", "--site", "sawahlunto-portal", "--url", "https://portal.sawahluntokota.go.id/wali-kota-temui-dirjen/", page)
	if r.code != exitOK {
		t.Fatalf("extract: exit %d: %s", r.code, r.stderr)
	}
	var a extract.Article
	if err := json.Unmarshal([]byte(r.stdout), &a); err != nil {
		t.Fatalf("extract output is not an Article: %v", err)
	}
	if a.Extractor != "profile:sawahlunto-portal" || a.Dateline.Place != "SAWAHLUNTO" || len(a.Images) != 9 ||
		strings.Count(a.Body, "\n\n") != 8 || a.FetchedAt != "" {
		t.Errorf("extract seed: extractor %q, place %q, %d images, %d paragraphs, fetched_at %q; want the profile, SAWAHLUNTO, 9, 9, empty",
			a.Extractor, a.Dateline.Place, len(a.Images), strings.Count(a.Body, "\n\n")+1, a.FetchedAt)
	}

	r = runWarta(t, nil, "extract", "--explain", "--url", "https://portal.sawahluntokota.go.id/x/", page)
	if r.code != exitOK || !strings.Contains(r.stdout, "removed (") || !strings.Contains(r.stdout, "arrow") {
		t.Errorf("extract --explain: exit %d, stdout %q; want the removed slider listed", r.code, r.stdout)
	}
	if r := runWarta(t, nil, "extract", "--site", "nowhere", page); r.code != exitUsage {
		t.Errorf("extract --site nowhere: exit %d, want %d", r.code, exitUsage)
	}
	if r := runWarta(t, nil, "extract", filepath.Join(t.TempDir(), "none.html")); r.code != exitUsage {
		t.Errorf("extract of a missing file: exit %d, want %d", r.code, exitUsage)
	}
}

func TestSearchOutputs(t *testing.T) {
	data := demoArchive(t)
	r := runWarta(t, nil, "search", "--data", data, "--counts", "year", "sawahlunto")
	if r.code != exitOK || !strings.Contains(r.stdout, "counts per year:") || !strings.Contains(r.stdout, "2021") {
		t.Errorf("search --counts year: exit %d, stdout %q", r.code, r.stdout)
	}
	r = runWarta(t, nil, "search", "--data", data, "--json", "--counts", "month", "--from", "2021-12", "--to", "2021-12", "dirjen")
	var res struct {
		Total  int
		Counts struct {
			By      string
			Buckets []struct {
				Key   string
				Count int
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || res.Total < 1 || res.Counts.By != "month" ||
		len(res.Counts.Buckets) == 0 || res.Counts.Buckets[0].Key != "2021-12" {
		t.Errorf("search --json --counts month: %v, %+v", err, res)
	}
	r = runWarta(t, nil, "search", "--data", data, "--csv", "--limit", "5", "sawahlunto")
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil || len(rows) != 6 || rows[0][0] != "id" {
		t.Errorf("search --csv --limit 5: %v, %d rows; want a header and 5 rows", err, len(rows))
	}
	for _, q := range []string{`"unclosed phrase`, `title:`, `(banjir`, `published:[2021 TO`, `*a*`, `banjir *a* *e*`} {
		r := runWarta(t, nil, "search", "--data", data, q)
		if r.code != exitUsage || !strings.Contains(r.stderr, "position") && !strings.Contains(r.stderr, "column") && !strings.Contains(r.stderr, "^") {
			t.Errorf("search %q: exit %d, stderr %q; want exit 2 saying where the error is", q, r.code, r.stderr)
		}
	}
	if r := runWarta(t, nil, "search", "--data", data, "--counts", "fortnight", "x"); r.code != exitUsage {
		t.Errorf("search --counts fortnight: exit %d, want %d", r.code, exitUsage)
	}
}
