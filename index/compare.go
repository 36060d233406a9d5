package index

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/warta-id/warta/internal/csvcell"
)

// MaxCompare is the most queries one comparison takes.
const MaxCompare = 5

// Comparison is the number of matching articles per period for several
// queries, over the same periods, and optionally as a share of all the
// articles archived in each period (under the same site, category and
// date filters).
type Comparison struct {
	// By is the period: "day", "week", "month" or "year".
	By string `json:"by"`
	// Normalize is "share" when Shares are filled in, else empty.
	Normalize string `json:"normalize,omitempty"`
	// Periods are the keys of the periods, in order, without gaps.
	Periods []string `json:"periods"`
	// All is the number of archived articles per period, when Normalize
	// is "share".
	All    []uint64 `json:"all,omitempty"`
	Series []Series `json:"series"`
}

// Series is one query's counts in a Comparison, aligned with its Periods.
type Series struct {
	Query string `json:"query"`
	// Total is the number of matching articles, dated or not.
	Total  uint64   `json:"total"`
	Counts []uint64 `json:"counts"`
	// Shares are Counts divided by Comparison.All, 0 where All is 0.
	Shares []float64 `json:"shares,omitempty"`
}

// CompareRequest asks for a Comparison.
type CompareRequest struct {
	// Queries are in the query language; 1 to MaxCompare of them.
	Queries []string
	// Filter holds the filters every series shares: Site, Category,
	// From, To. Its Query and paging are ignored.
	Filter Request
	// By is "day", "week", "month", "year" or "auto" (the default).
	By string
	// Share adds each period's share of all archived articles.
	Share bool
}

// Compare counts the matching articles of each query per period. A query
// that cannot be parsed gives an error wrapping a *SyntaxError, and
// QueryIndex says which one.
func (ix *Index) Compare(ctx context.Context, cr CompareRequest) (*Comparison, error) {
	if len(cr.Queries) == 0 || len(cr.Queries) > MaxCompare {
		return nil, fmt.Errorf("index: compare: %d queries, want 1 to %d", len(cr.Queries), MaxCompare)
	}
	by := cr.By
	switch by {
	case "":
		by = "auto"
	case "day", "week", "month", "year", "auto":
	default:
		return nil, fmt.Errorf("index: compare: unknown period %q (want day, week, month, year or auto)", by)
	}
	base := Request{Site: cr.Filter.Site, Category: cr.Filter.Category, From: cr.Filter.From, To: cr.Filter.To, Limit: 1, Counts: "day"}
	days := make([][]Bucket, 0, len(cr.Queries)+1)
	totals := make([]uint64, 0, len(cr.Queries))
	for i, q := range cr.Queries {
		req := base
		req.Query = q
		res, err := ix.Search(ctx, req)
		if err != nil {
			return nil, &QueryError{Index: i, Err: err}
		}
		days = append(days, res.Counts.Buckets)
		totals = append(totals, res.Total)
	}
	if cr.Share {
		res, err := ix.Search(ctx, base)
		if err != nil {
			return nil, err
		}
		days = append(days, res.Counts.Buckets)
	}
	// One period and one span for all series: those of the union.
	var first, last string
	for _, d := range days[:len(cr.Queries)] {
		for _, b := range d {
			if b.Count == 0 {
				continue
			}
			if first == "" || b.Key < first {
				first = b.Key
			}
			if b.Key > last {
				last = b.Key
			}
		}
	}
	if by == "auto" {
		if first == "" {
			by = "month"
		} else {
			by = autoPeriod([]Bucket{{Key: first}, {Key: last}})
		}
	}
	c := &Comparison{By: by, Periods: []string{}}
	if first != "" {
		c.Periods = PeriodKeys(by, PeriodKey(by, first), PeriodKey(by, last), maxDateBuckets)
	}
	at := make(map[string]int, len(c.Periods))
	for i, k := range c.Periods {
		at[k] = i
	}
	spread := func(d []Bucket) []uint64 {
		out := make([]uint64, len(c.Periods))
		for _, b := range d {
			if i, ok := at[PeriodKey(by, b.Key)]; ok {
				out[i] += b.Count
			}
		}
		return out
	}
	if cr.Share {
		c.Normalize = "share"
		c.All = spread(days[len(days)-1])
	}
	for i, q := range cr.Queries {
		s := Series{Query: q, Total: totals[i], Counts: spread(days[i])}
		if cr.Share {
			s.Shares = make([]float64, len(s.Counts))
			for j, n := range s.Counts {
				if c.All[j] > 0 {
					s.Shares[j] = float64(n) / float64(c.All[j])
				}
			}
		}
		c.Series = append(c.Series, s)
	}
	return c, nil
}

// QueryError is the error of one query of a comparison.
type QueryError struct {
	// Index is the position of the query in CompareRequest.Queries.
	Index int
	Err   error
}

func (e *QueryError) Error() string { return fmt.Sprintf("query %d: %v", e.Index+1, e.Err) }
func (e *QueryError) Unwrap() error { return e.Err }

// WriteCSV writes c as CSV: a row per period with the count of each query,
// and with shares the number of articles archived and each query's share.
func (c *Comparison) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	share := c.Normalize == "share"
	// The queries head the columns; a query such as -jalan or a link's
	// =HYPERLINK(…) must not become a formula.
	head := []string{c.By}
	for _, s := range c.Series {
		head = append(head, csvcell.Safe(s.Query))
	}
	if share {
		head = append(head, "all")
		for _, s := range c.Series {
			head = append(head, csvcell.Safe(s.Query+" (share)"))
		}
	}
	_ = cw.Write(head)
	for j, p := range c.Periods {
		row := []string{p}
		for _, s := range c.Series {
			row = append(row, strconv.FormatUint(s.Counts[j], 10))
		}
		if share {
			row = append(row, strconv.FormatUint(c.All[j], 10))
			for _, s := range c.Series {
				row = append(row, strconv.FormatFloat(s.Shares[j], 'f', 6, 64))
			}
		}
		_ = cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}
