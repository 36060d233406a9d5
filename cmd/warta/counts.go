package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/warta-id/warta/index"
)

// Widths of count drawings on the terminal.
const (
	barWidth   = 40 // the longest bar of a count table
	sparkWidth = 72 // the longest sparkline
)

// writeCounts prints a count series as a table with a bar per period
// that has articles (empty periods are left out, and said so), then the
// whole series as one sparkline on the same scale, when it fits.
func writeCounts(w io.Writer, c index.Counts) error {
	if c.By == "" {
		return nil
	}
	if len(c.Buckets) == 0 && c.Missing == 0 {
		fmt.Fprintf(w, "\ncounts per %s: none\n", c.By)
		return nil
	}
	var most uint64
	empty := 0
	for _, b := range c.Buckets {
		most = max(most, b.Count)
		if b.Count == 0 {
			empty++
		}
	}
	keyW, countW := len("no date"), len(fmt.Sprint(max(most, c.Missing)))
	for _, b := range c.Buckets {
		keyW = max(keyW, len(b.Key))
	}
	fmt.Fprintf(w, "\ncounts per %s:\n", c.By)
	for _, b := range c.Buckets {
		if b.Count == 0 {
			continue
		}
		fmt.Fprintf(w, "  %-*s %*d %s\n", keyW, b.Key, countW, b.Count, strings.Repeat("█", barLen(b.Count, most, barWidth)))
	}
	if c.Missing > 0 {
		fmt.Fprintf(w, "  %-*s %*d\n", keyW, "no date", countW, c.Missing)
	}
	if empty > 0 {
		fmt.Fprintf(w, "  (%s without articles left out)\n", plural(uint64(empty), c.By, c.By+"s"))
	}
	if c.By == "site" || len(c.Buckets) == 0 {
		return nil
	}
	first, last := c.Buckets[0].Key, c.Buckets[len(c.Buckets)-1].Key
	if len(c.Buckets) > sparkWidth {
		fmt.Fprintf(w, "%s … %s: %d %ss, too many for a sparkline (--counts auto keeps to %d)\n", first, last, len(c.Buckets), c.By, index.MaxAutoBuckets)
		return nil
	}
	counts := make([]uint64, len(c.Buckets))
	for i, b := range c.Buckets {
		counts[i] = b.Count
	}
	fmt.Fprintf(w, "%s … %s  %s  (one character per %s, █ = %d)\n", first, last, sparkline(counts, most), c.By, most)
	return nil
}

// barLen is the length of a bar for n on a scale where most fills width:
// rounded up, so that every count above zero shows.
func barLen(n, most uint64, width int) int {
	if most == 0 || n == 0 {
		return 0
	}
	return int((n*uint64(width) + most - 1) / most)
}

// sparkline draws counts as one line of block characters, on the scale
// where most is a full block, as barLen rounds.
func sparkline(counts []uint64, most uint64) string {
	levels := []rune("▁▂▃▄▅▆▇█")
	var sb strings.Builder
	for _, n := range counts {
		if n == 0 {
			sb.WriteRune(' ')
			continue
		}
		sb.WriteRune(levels[barLen(n, most, len(levels))-1])
	}
	return sb.String()
}

// writeCountsCSV writes a count series as CSV: period (or site) and count.
func writeCountsCSV(w io.Writer, c index.Counts) error {
	cw := csv.NewWriter(w)
	key := "period"
	if c.By == "site" {
		key = "site"
	}
	_ = cw.Write([]string{key, "count"})
	for _, b := range c.Buckets {
		_ = cw.Write([]string{b.Key, strconv.FormatUint(b.Count, 10)})
	}
	if c.Missing > 0 {
		_ = cw.Write([]string{"no date", strconv.FormatUint(c.Missing, 10)})
	}
	cw.Flush()
	return cw.Error()
}

// writeComparison prints the series of a comparison side by side, a row
// per period, then a sparkline per series when they fit.
func writeComparison(w io.Writer, c *index.Comparison) error {
	share := c.Normalize == "share"
	what := "articles"
	if share {
		what = "share of all articles archived"
	}
	fmt.Fprintf(w, "%s per %s:\n", what, c.By)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{c.By}
	for i, s := range c.Series {
		head = append(head, fmt.Sprintf("[%d] %s", i+1, oneLine(s.Query, 30)))
	}
	if share {
		head = append(head, "all")
	}
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	for j, p := range c.Periods {
		row := []string{p}
		for _, s := range c.Series {
			if share {
				row = append(row, fmt.Sprintf("%.1f%% (%d)", 100*s.Shares[j], s.Counts[j]))
			} else {
				row = append(row, strconv.FormatUint(s.Counts[j], 10))
			}
		}
		if share {
			row = append(row, strconv.FormatUint(c.All[j], 10))
		}
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for i, s := range c.Series {
		fmt.Fprintf(w, "[%d] %q: %s\n", i+1, s.Query, plural(s.Total, "article", "articles"))
	}
	if len(c.Periods) == 0 || len(c.Periods) > sparkWidth {
		return nil
	}
	// One scale for all the series, so that their sparklines compare.
	var most uint64
	for _, s := range c.Series {
		for _, n := range s.Counts {
			most = max(most, n)
		}
	}
	for i, s := range c.Series {
		counts := s.Counts
		top := most
		if share {
			// Shares in per mille, on the scale of the largest share.
			counts, top = perMille(s.Shares), 0
			for _, x := range c.Series {
				for _, n := range perMille(x.Shares) {
					top = max(top, n)
				}
			}
		}
		fmt.Fprintf(w, "[%d] %s\n", i+1, sparkline(counts, top))
	}
	return nil
}

func perMille(shares []float64) []uint64 {
	out := make([]uint64, len(shares))
	for i, s := range shares {
		out[i] = uint64(s*1000 + 0.5)
		if s > 0 && out[i] == 0 {
			out[i] = 1
		}
	}
	return out
}
