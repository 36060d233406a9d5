package export

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/internal/csvcell"
)

// JSONL writes articles as JSON Lines: one Article JSON object per
// line, in the interface's shape, HTML characters unescaped.
type JSONL struct {
	bw  *bufio.Writer
	enc *json.Encoder
	n   int
}

// NewJSONL returns a JSONL that writes to w. Call Flush when
// done.
func NewJSONL(w io.Writer) *JSONL {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return &JSONL{bw: bw, enc: enc}
}

// Write writes one article.
func (w *JSONL) Write(a *extract.Article) error {
	if a == nil {
		return fmt.Errorf("export: jsonl: nil article")
	}
	if err := w.enc.Encode(a); err != nil {
		return fmt.Errorf("export: jsonl %s: %w", a.ID, err)
	}
	w.n++
	return nil
}

// Flush writes any buffered data to the underlying writer.
func (w *JSONL) Flush() error {
	if err := w.bw.Flush(); err != nil {
		return fmt.Errorf("export: jsonl: %w", err)
	}
	return nil
}

// Count returns how many articles have been written.
func (w *JSONL) Count() int { return w.n }

// CSVColumns are the columns that CSV writes, in order: the
// Article JSON fields, with the dateline split in two and lists joined.
// Read it; CSV writes its own copy, so changing it changes nothing.
var CSVColumns = []string{
	"id", "site", "url", "title", "published", "modified", "date_source",
	"dateline_place", "dateline_agency", "author", "body",
	"images", "image_captions", "categories", "tags",
	"language", "extractor", "fetched_at", "content_hash",
}

// CSV writes articles as CSV (RFC 4180) with a header row of
// CSVColumns. Lists are joined with " | " (image URLs, captions,
// categories, tags); the body keeps its blank lines between paragraphs
// inside the quoted field.
type CSV struct {
	cw     *csv.Writer
	header bool
	n      int
}

// NewCSV returns a CSV that writes to w. The header row is
// written with the first article, or by Flush when there is none. Call
// Flush when done.
func NewCSV(w io.Writer) *CSV {
	return &CSV{cw: csv.NewWriter(w)}
}

// csvHeader is the header row, a copy of CSVColumns taken at start.
var csvHeader = slices.Clone(CSVColumns)

// listSep joins the values of a list in one CSV field.
const listSep = " | "

// Write writes one article as a row.
func (w *CSV) Write(a *extract.Article) error {
	if a == nil {
		return fmt.Errorf("export: csv: nil article")
	}
	if err := w.writeHeader(); err != nil {
		return err
	}
	urls := make([]string, len(a.Images))
	caps := make([]string, len(a.Images))
	for i, img := range a.Images {
		urls[i], caps[i] = img.URL, img.Caption
	}
	captions := strings.Join(caps, listSep)
	if strings.Trim(captions, " |") == "" {
		captions = ""
	}
	row := []string{
		a.ID, a.Site, a.URL, a.Title, a.Published, a.Modified, a.DateSource,
		a.Dateline.Place, a.Dateline.Agency, a.Author, a.Body,
		strings.Join(urls, listSep), captions,
		strings.Join(a.Categories, listSep), strings.Join(a.Tags, listSep),
		a.Language, a.Extractor, a.FetchedAt, a.ContentHash,
	}
	for i, f := range row {
		row[i] = csvcell.Safe(f)
	}
	if err := w.cw.Write(row); err != nil {
		return fmt.Errorf("export: csv %s: %w", a.ID, err)
	}
	w.n++
	return nil
}

func (w *CSV) writeHeader() error {
	if w.header {
		return nil
	}
	w.header = true
	if err := w.cw.Write(csvHeader); err != nil {
		return fmt.Errorf("export: csv: %w", err)
	}
	return nil
}

// Flush writes any buffered data to the underlying writer.
func (w *CSV) Flush() error {
	if err := w.writeHeader(); err != nil {
		return err
	}
	w.cw.Flush()
	if err := w.cw.Error(); err != nil {
		return fmt.Errorf("export: csv: %w", err)
	}
	return nil
}

// Count returns how many articles have been written.
func (w *CSV) Count() int { return w.n }
