package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/warta-id/warta/extract"
)

// exportArticles returns two articles that exercise the writers: lists,
// HTML characters, a dateline, and a title a spreadsheet would run.
func exportArticles() []*extract.Article {
	a := &extract.Article{
		ID: extract.ArticleID("demo", "https://example.org/baca/a"), Site: "demo", URL: "https://example.org/baca/a",
		Title: "Judul", Published: "2021-12-23T09:15:41+07:00", DateSource: "json-ld",
		Dateline:   extract.Dateline{Place: "SAWAHLUNTO"},
		Body:       "SAWAHLUNTO – Paragraf satu, \"kutipan\".\n\nParagraf <dua> & tiga.",
		Images:     []extract.Image{{URL: "https://example.org/1.jpg", Caption: "Wali Kota"}, {URL: "https://example.org/2.jpg"}},
		Categories: []string{"Berita"}, Tags: []string{"tambang", "wisata"},
		Language: "id", Extractor: "profile:demo", FetchedAt: "2026-11-28T09:00:00Z",
	}
	b := &extract.Article{
		ID: extract.ArticleID("demo", "https://example.org/baca/b"), Site: "demo", URL: "https://example.org/baca/b",
		Title: "=HYPERLINK(\"http://evil\")", Body: "Isi.", Images: []extract.Image{}, Categories: []string{}, Tags: []string{},
	}
	for _, x := range []*extract.Article{a, b} {
		x.ContentHash = extract.ContentHash(x)
	}
	return []*extract.Article{a, b}
}

func TestJSONL(t *testing.T) {
	var buf bytes.Buffer
	w := NewJSONL(&buf)
	arts := exportArticles()
	for _, a := range arts {
		if err := w.Write(a); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != len(arts) || w.Count() != len(arts) {
		t.Fatalf("JSONL has %d lines, Count %d, want %d", len(lines), w.Count(), len(arts))
	}
	for i, l := range lines {
		var got extract.Article
		if err := json.Unmarshal([]byte(l), &got); err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		if diff := cmp.Diff(arts[i], &got); diff != "" {
			t.Errorf("JSONL line %d mismatch (-want +got):\n%s", i, diff)
		}
	}
	if !strings.Contains(buf.String(), "<dua> & tiga") {
		t.Errorf("JSONL escapes HTML characters: %s", buf.String())
	}
	if err := w.Write(nil); err == nil {
		t.Errorf("JSONL.Write(nil) error = nil, want one")
	}
}

func TestCSV(t *testing.T) {
	var buf bytes.Buffer
	w := NewCSV(&buf)
	arts := exportArticles()
	for _, a := range arts {
		if err := w.Write(a); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v", err)
	}
	if len(rows) != 3 {
		t.Fatalf("CSV has %d rows, want header and 2", len(rows))
	}
	if diff := cmp.Diff(CSVColumns, rows[0]); diff != "" {
		t.Errorf("CSV header mismatch (-want +got):\n%s", diff)
	}
	col := func(row []string, name string) string {
		for i, c := range CSVColumns {
			if c == name {
				return row[i]
			}
		}
		t.Fatalf("no column %s", name)
		return ""
	}
	tests := []struct {
		row       int
		col, want string
	}{
		{1, "body", arts[0].Body},
		{1, "images", "https://example.org/1.jpg | https://example.org/2.jpg"},
		{1, "image_captions", "Wali Kota | "},
		{1, "tags", "tambang | wisata"},
		{1, "dateline_place", "SAWAHLUNTO"},
		{1, "content_hash", arts[0].ContentHash},
		{2, "title", "'=HYPERLINK(\"http://evil\")"},
		{2, "image_captions", ""},
	}
	for _, tt := range tests {
		if got := col(rows[tt.row], tt.col); got != tt.want {
			t.Errorf("CSV row %d %s = %q, want %q", tt.row, tt.col, got, tt.want)
		}
	}
}

func TestCSVEmptyHasHeader(t *testing.T) {
	var buf bytes.Buffer
	w := NewCSV(&buf)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), strings.Join(CSVColumns, ",")+"\n"; got != want {
		t.Errorf("empty CSV export = %q, want %q", got, want)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("pipe closed") }

func TestExportWriteError(t *testing.T) {
	j := NewJSONL(failWriter{})
	j.Write(exportArticles()[0])
	if err := j.Flush(); err == nil {
		t.Errorf("JSONL.Flush to a failing writer = nil, want an error")
	}
	c := NewCSV(failWriter{})
	c.Write(exportArticles()[0])
	if err := c.Flush(); err == nil {
		t.Errorf("CSV.Flush to a failing writer = nil, want an error")
	}
}
