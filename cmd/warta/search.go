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
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/warta-id/warta/index"
	"github.com/warta-id/warta/internal/csvcell"
)

func newSearchCmd(e *env) *cobra.Command {
	var (
		asJSON, asCSV, share bool
		req                  index.Request
		from, to             string
		compare              []string
	)
	cmd := &cobra.Command{
		Use:   "search [flags] QUERY",
		Short: "full-text search over the archive",
		Long: `Search the archive's index. QUERY uses the Lucene-style query language:
words (all must match: the default operator is AND), "phrases", OR, NOT,
parentheses, prefix*, published:[2021-01-01 TO 2021-12-31] and field:value,
with these fields:

` + fieldHelp() + `
A query that starts with '-' goes after --:  warta search -- -jalan banjir

--counts adds the number of matching articles per period; --compare 'Q'
(up to ` + strconv.Itoa(index.MaxCompare) + ` times) counts several queries side by side instead, and
--share divides each count by all the articles archived in that period.`,
		Example: `  warta search banjir
  warta search --sort date --counts auto 'banjir OR longsor'
  warta search --limit 0 --counts month --csv banjir
  warta search --compare banjir --compare longsor --counts month --share`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 && len(compare) == 0 {
				return usagef("search: missing QUERY (for example: %s)", e.commandLine("search", "banjir"))
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
			if !req.From.IsZero() && !req.To.IsZero() && req.To.Before(req.From) {
				return usagef("search: --to %s is before --from %s", to, from)
			}
			if req.Sort != "" && req.Sort != "relevance" && req.Sort != "date" {
				return usagef("search: --sort %q: want relevance or date", req.Sort)
			}
			switch req.Counts {
			case "", "day", "week", "month", "year", "auto", "site":
			default:
				return usagef("search: --counts %q: want %s", req.Counts, index.CountsNames)
			}
			if req.Limit < 0 || req.Offset < 0 {
				return usagef("search: --limit and --offset must not be negative")
			}
			if req.Limit > index.MaxWindow || req.Offset > index.MaxWindow-max(req.Limit, 1) {
				return usagef("search: --offset %d plus --limit %d is above %d: narrow the search (--site, --from, --to), or write every match with `warta export`", req.Offset, req.Limit, index.MaxWindow)
			}
			countsOnly := req.Limit == 0
			if countsOnly {
				req.Limit = 1
			}
			if len(compare) > 0 {
				if req.Query != "" {
					compare = append([]string{req.Query}, compare...)
				}
				if len(compare) > index.MaxCompare {
					return usagef("search: %d queries to compare; at most %d", len(compare), index.MaxCompare)
				}
				if req.Counts == "site" {
					return usagef("search: --compare counts per period: --counts day, week, month, year or auto")
				}
			} else if share {
				return usagef("search: --share goes with --compare (the share of all articles per period)")
			}
			dataDir, err := e.archiveDir(cmd)
			if err != nil {
				return err
			}
			return withIndex(filepath.Join(dataDir, "index"), func(idx *index.Index) error {
				ctx := cmd.Context()
				warnOutdated(ctx, e, idx, dataDir)
				if err := checkSite(ctx, idx, req.Site); err != nil {
					return err
				}
				if len(compare) > 0 {
					c, err := idx.Compare(ctx, index.CompareRequest{Queries: compare, Filter: req, By: req.Counts, Share: share})
					if err != nil {
						return err
					}
					switch {
					case asJSON:
						return writeJSON(e.stdout, c)
					case asCSV:
						return c.WriteCSV(e.stdout)
					}
					return writeComparison(e.stdout, c)
				}
				res, err := idx.Search(ctx, req)
				if err != nil {
					return err
				}
				if countsOnly {
					res.Hits = []index.Hit{}
				}
				switch {
				case asJSON:
					return writeJSON(e.stdout, res)
				case asCSV && req.Counts != "":
					if !countsOnly {
						fmt.Fprintln(e.stderr, "warta: search: --csv with --counts writes the counts; without --counts, the hits")
					}
					return writeCountsCSV(e.stdout, res.Counts)
				case asCSV:
					return writeHitsCSV(e.stdout, res)
				}
				if countsOnly {
					fmt.Fprintln(e.stdout, plural(res.Total, "hit", "hits"))
				} else if err := writeHitsTable(e.stdout, res); err != nil {
					return err
				}
				return writeCounts(e.stdout, res.Counts)
			})
		},
	}
	addDataFlag(cmd, defaultDataDir)
	f := cmd.Flags()
	f.BoolVar(&asJSON, "json", false, "print one JSON object: total, hits, counts")
	f.BoolVar(&asCSV, "csv", false, "print the hits as CSV (the counts, with --counts)")
	f.StringVar(&req.Site, "site", "", "only articles of this site")
	f.StringVar(&req.Category, "category", "", "only articles of this category (any case)")
	f.StringVar(&from, "from", "", "only articles published on or after this day (YYYY-MM-DD)")
	f.StringVar(&to, "to", "", "only articles published on or before this day (YYYY-MM-DD)")
	f.StringVar(&req.Sort, "sort", "relevance", "order: relevance or date (newest first)")
	f.IntVar(&req.Limit, "limit", 20, "number of hits to print; 0 prints only the total and the counts")
	f.IntVar(&req.Offset, "offset", 0, "hits to skip (for paging)")
	f.StringVar(&req.Counts, "counts", "", "also count the matching articles per "+index.CountsNames)
	f.StringArrayVar(&compare, "compare", nil, "count this query per period beside the others (repeat, up to "+strconv.Itoa(index.MaxCompare)+")")
	f.BoolVar(&share, "share", false, "with --compare: each count as a share of all articles archived in that period")
	return cmd
}

// fieldHelp lists the query fields, one per line, from index.Fields.
func fieldHelp() string {
	var b strings.Builder
	for _, f := range index.Fields {
		fmt.Fprintf(&b, "  %-10s %s\n", f.Name+":", f.Doc)
	}
	return b.String()
}

// withIndex opens the index at dir for reading, calls fn and closes it.
func withIndex(dir string, fn func(*index.Index) error) error {
	idx, err := index.Open(dir, index.Options{NoCreate: true})
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("search: no index at %s (rebuild it: warta reindex --data %s)", dir, filepath.Dir(dir))
	}
	if err != nil {
		return err
	}
	defer idx.Close()
	return fn(idx)
}

// searchIndex opens the index at dir, runs one search and closes it.
func searchIndex(ctx context.Context, dir string, req index.Request) (res *index.Result, err error) {
	err = withIndex(dir, func(idx *index.Index) error {
		res, err = idx.Search(ctx, req)
		return err
	})
	return res, err
}

// checkSite returns a usage error listing the archive's sites when site
// is set and the index has no article of it.
func checkSite(ctx context.Context, idx *index.Index, site string) error {
	if site == "" {
		return nil
	}
	res, err := idx.Search(ctx, index.Request{Limit: 1, Counts: "site"})
	if err != nil {
		return err
	}
	names := make([]string, 0, len(res.Counts.Buckets))
	for _, b := range res.Counts.Buckets {
		if b.Key == site {
			return nil
		}
		names = append(names, b.Key)
	}
	slices.Sort(names)
	if len(names) == 0 {
		return usagef("search: --site %q: the archive has no articles yet", site)
	}
	return usagef("search: --site %q: no such site in the archive (its sites: %s)", site, strings.Join(names, ", "))
}

// plural returns "1 hit" or "2 hits".
func plural(n uint64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.FormatUint(n, 10) + " " + many
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func writeHitsTable(w io.Writer, res *index.Result) error {
	fmt.Fprintln(w, plural(res.Total, "hit", "hits"))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, h := range res.Hits {
		day := h.Published
		if len(day) >= 10 {
			day = day[:10]
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", day, h.ID, terminalSafe(h.Title))
		if h.Snippet != "" {
			fmt.Fprintf(tw, "\t\t  %s\n", oneLine(h.Snippet, 110))
		}
	}
	return tw.Flush()
}

func writeHitsCSV(w io.Writer, res *index.Result) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"id", "site", "published", "title", "url", "score"})
	for _, h := range res.Hits {
		// The title and the address are the site's: never a formula.
		_ = cw.Write([]string{h.ID, h.Site, h.Published, csvcell.Safe(h.Title), csvcell.Safe(h.URL), strconv.FormatFloat(h.Score, 'f', 4, 64)})
	}
	cw.Flush()
	return cw.Error()
}

// terminalSafe replaces the control characters of s but newlines and tabs
// (ESC, carriage return, backspace, C1 controls) with U+FFFD: text a site
// wrote goes to the user's terminal, where an escape sequence in a title
// could clear the screen, rewrite the line, retitle the window or set the
// clipboard. Extraction turns them into spaces since 9991d6a, but an
// archive's older articles may still hold them.
func terminalSafe(s string) string {
	if !strings.ContainsFunc(s, unsafeOnTerminal) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unsafeOnTerminal(r) {
			return utf8.RuneError
		}
		return r
	}, s)
}

func unsafeOnTerminal(r rune) bool {
	return r != '\n' && r != '\t' && unicode.IsControl(r)
}

// oneLine squeezes whitespace, makes s terminalSafe and cuts it to at
// most n runes.
func oneLine(s string, n int) string {
	s = terminalSafe(strings.Join(strings.Fields(s), " "))
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
