package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/warta-id/warta/index"
)

func newSearchCmd(e *env) *cobra.Command {
	var (
		asJSON, asCSV bool
		req           index.Request
		from, to      string
	)
	cmd := &cobra.Command{
		Use:   "search [flags] QUERY",
		Short: "full-text search over the archive",
		Long: `Search the archive's index. QUERY uses the Lucene-style query language:
words (all must match: the default operator is AND), "phrases", OR, NOT,
parentheses, field:value (title, body, site, author, place, category, tag),
prefix* and published:[2021-01-01 TO 2021-12-31].`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("search: missing QUERY (for example: warta search banjir)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			req.Query = strings.Join(args, " ")
			var err error
			zone := dateZone(e, req.Site)
			if req.From, err = index.ParseDate(from, false, zone); err != nil {
				return usagef("search: --from: %v", err)
			}
			if req.To, err = index.ParseDate(to, true, zone); err != nil {
				return usagef("search: --to: %v", err)
			}
			if req.Sort != "" && req.Sort != "relevance" && req.Sort != "date" {
				return usagef("search: --sort %q: want relevance or date", req.Sort)
			}
			switch req.Counts {
			case "", "day", "month", "year", "site":
			default:
				return usagef("search: --counts %q: want day, month, year or site", req.Counts)
			}
			if req.Limit < 0 || req.Offset < 0 {
				return usagef("search: --limit and --offset must not be negative")
			}
			dir := filepath.Join(e.dataDir(cmd, defaultDataDir), "index")
			res, err := searchIndex(cmd.Context(), dir, req)
			if err != nil {
				return err
			}
			switch {
			case asJSON:
				return writeJSON(e.stdout, res)
			case asCSV:
				return writeHitsCSV(e.stdout, res)
			default:
				if err := writeHitsTable(e.stdout, res); err != nil {
					return err
				}
				return writeCounts(e.stdout, res.Counts)
			}
		},
	}
	addDataFlag(cmd, defaultDataDir)
	f := cmd.Flags()
	f.BoolVar(&asJSON, "json", false, "print one JSON object: total, hits, counts")
	f.BoolVar(&asCSV, "csv", false, "print the hits as CSV")
	f.StringVar(&req.Site, "site", "", "only articles of this site")
	f.StringVar(&from, "from", "", "only articles published on or after this day (YYYY-MM-DD)")
	f.StringVar(&to, "to", "", "only articles published on or before this day (YYYY-MM-DD)")
	f.StringVar(&req.Sort, "sort", "relevance", "order: relevance or date (newest first)")
	f.IntVar(&req.Limit, "limit", 20, "number of hits to print")
	f.IntVar(&req.Offset, "offset", 0, "hits to skip (for paging)")
	f.StringVar(&req.Counts, "counts", "", "also count the matching articles per day, month, year or site")
	return cmd
}

// searchIndex opens the index at dir, runs one search and closes it.
func searchIndex(ctx context.Context, dir string, req index.Request) (*index.Result, error) {
	idx, err := index.Open(dir, index.Options{NoCreate: true})
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("search: no index at %s (crawl something first, for example `warta demo`)", dir)
	}
	if err != nil {
		return nil, err
	}
	defer idx.Close()
	return idx.Search(ctx, req)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func writeHitsTable(w io.Writer, res *index.Result) error {
	fmt.Fprintf(w, "%d hits\n", res.Total)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, h := range res.Hits {
		day := h.Published
		if len(day) >= 10 {
			day = day[:10]
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", day, h.ID, h.Title)
		if h.Snippet != "" {
			fmt.Fprintf(tw, "\t\t  %s\n", oneLine(h.Snippet, 110))
		}
	}
	return tw.Flush()
}

// writeCounts prints a count series as a table with a bar per row, then
// the whole series as one sparkline.
func writeCounts(w io.Writer, c index.Counts) error {
	if c.By == "" || len(c.Buckets) == 0 {
		return nil
	}
	var most uint64
	for _, b := range c.Buckets {
		most = max(most, b.Count)
	}
	keyW, countW := len("no date"), len(fmt.Sprint(most))
	for _, b := range c.Buckets {
		keyW = max(keyW, len(b.Key))
	}
	fmt.Fprintf(w, "\ncounts per %s:\n", c.By)
	for _, b := range c.Buckets {
		bar := strings.Repeat("█", int((b.Count*40+most-1)/max(most, 1)))
		fmt.Fprintf(w, "  %-*s %*d %s\n", keyW, b.Key, countW, b.Count, bar)
	}
	if c.Missing > 0 {
		fmt.Fprintf(w, "  %-*s %*d\n", keyW, "no date", countW, c.Missing)
	}
	if c.By != "site" {
		fmt.Fprintf(w, "%s … %s  %s\n", c.Buckets[0].Key, c.Buckets[len(c.Buckets)-1].Key, sparkline(c.Buckets, most))
	}
	return nil
}

// sparkline draws counts as one line of block characters.
func sparkline(buckets []index.Bucket, most uint64) string {
	const ticks = "▁▂▃▄▅▆▇█"
	levels := []rune(ticks)
	var sb strings.Builder
	for _, b := range buckets {
		if b.Count == 0 {
			sb.WriteRune(' ')
			continue
		}
		sb.WriteRune(levels[int((b.Count-1)*uint64(len(levels))/max(most, 1))])
	}
	return sb.String()
}

func writeHitsCSV(w io.Writer, res *index.Result) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"id", "site", "published", "title", "url", "score"})
	for _, h := range res.Hits {
		_ = cw.Write([]string{h.ID, h.Site, h.Published, h.Title, h.URL, strconv.FormatFloat(h.Score, 'f', 4, 64)})
	}
	cw.Flush()
	return cw.Error()
}

// oneLine squeezes whitespace and cuts s to at most n runes.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
