package index

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Request is one search. The zero value finds every article, best first,
// 20 at a time.
type Request struct {
	// Query is in warta's query language (see the package documentation);
	// empty matches every article.
	Query string
	// Site keeps only articles of this site, when set.
	Site string
	// Category keeps only articles with this category (any case), when
	// set.
	Category string
	// From and To keep only articles published in this interval, both
	// ends included; a zero value leaves that end open. Articles without
	// a known date are left out when either is set.
	From, To time.Time
	// Sort is "relevance" (the default, best first) or "date" (newest
	// first; undated articles last).
	Sort string
	// Limit is the number of hits to return; 0 means 20.
	Limit int
	// Offset skips that many hits, for paging.
	Offset int
	// Counts asks for the number of matching articles per "day",
	// "week", "month", "year" or "site"; "auto" picks the shortest period
	// that keeps the series within MaxAutoBuckets; empty asks for none.
	Counts string
	// Facets asks for breakdowns of the matching articles by the named
	// values (see FacetNames), the most frequent first.
	Facets []string
	// FacetSize is the number of values per facet; 0 means 10.
	FacetSize int
}

// Hit is one matching article.
type Hit struct {
	ID    string `json:"id"`
	Site  string `json:"site"`
	URL   string `json:"url"`
	Title string `json:"title"`
	// TitleMarks are the byte ranges of Title that matched the query.
	TitleMarks [][2]int `json:"title_marks,omitempty"`
	// Published is the publication time as archived (RFC 3339), or empty.
	Published string  `json:"published"`
	Score     float64 `json:"score"`
	// Snippet is a plain-text excerpt of the article's start, around the
	// first words that matched when the start has them.
	Snippet string `json:"snippet"`
	// Marks are the byte ranges [start, end) of Snippet that matched the
	// query, for highlighting.
	Marks [][2]int `json:"marks,omitempty"`
}

// Bucket is the number of matching articles with one key: a day
// (2021-12-23), a week (the date of its Monday), a month (2021-12), a year
// (2021), or a value of a facet such as a site name.
type Bucket struct {
	Key   string `json:"key"`
	Count uint64 `json:"count"`
}

// Counts is the distribution of the matching articles that
// Request.Counts asked for. Date buckets run in order from the first date
// to the last, including empty ones; site buckets run from the largest.
type Counts struct {
	// By is what was counted: "day", "week", "month", "year" or "site"
	// (never "auto": the period it chose); empty when nothing was asked.
	By      string   `json:"by,omitempty"`
	Buckets []Bucket `json:"buckets,omitempty"`
	// Missing counts matching articles without the value (no known date).
	Missing uint64 `json:"missing,omitempty"`
}

// Result is the answer to a Request.
type Result struct {
	// Total is the number of matching articles, not only those in Hits.
	Total uint64 `json:"total"`
	Hits  []Hit  `json:"hits"`
	// Counts is empty unless Request.Counts asked for it.
	Counts Counts `json:"counts"`
	// Facets holds the breakdowns Request.Facets asked for, by facet
	// name.
	Facets map[string][]Bucket `json:"facets,omitempty"`
	// Took is how long the search took.
	Took time.Duration `json:"-"`
}

// maxDateBuckets bounds the buckets a date count fills in, so that one
// article dated 1970 cannot make a day series of twenty thousand entries:
// past it, the series keeps only the dates that have articles.
const maxDateBuckets = 20000

// MaxWindow bounds Request.Offset plus Request.Limit: Bleve keeps that many
// hits in memory while it searches.
const MaxWindow = 100000

// Search runs req. A query that cannot be parsed gives an error wrapping a
// *SyntaxError that says where.
func (ix *Index) Search(ctx context.Context, req Request) (*Result, error) {
	out, _, err := ix.search(ctx, req, false, nil)
	return out, err
}

// eachPage is how many hits Each asks Bleve for at a time.
const eachPage = 500

// Each calls fn with every hit of req, in req's order, until fn returns an
// error (which Each returns) or ctx ends; Limit, Offset, Counts and
// Facets are ignored. It pages with Bleve's search-after, not with
// offsets: each page costs the same however deep it is, and no page
// passes MaxWindow, so an export of more matches than that completes.
// Hits with equal sort values are ordered by id.
func (ix *Index) Each(ctx context.Context, req Request, fn func(Hit) error) error {
	return ix.each(ctx, req, eachPage, fn)
}

func (ix *Index) each(ctx context.Context, req Request, page int, fn func(Hit) error) error {
	req.Limit, req.Offset, req.Counts, req.Facets = page, 0, "", nil
	var after []string
	for {
		res, last, err := ix.search(ctx, req, true, after)
		if err != nil {
			return err
		}
		for _, h := range res.Hits {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := fn(h); err != nil {
				return err
			}
		}
		if len(res.Hits) < page || last == nil {
			return nil
		}
		after = last
	}
}

// search runs req. paged adds the id to the sort order as a tie-break, so
// that after, when not nil, may ask for the hits that sort after the hit
// with those sort values (Request.Offset must be 0). It returns the sort
// values of the last hit, for the next page.
func (ix *Index) search(ctx context.Context, req Request, paged bool, after []string) (*Result, []string, error) {
	build := func(words pairWords) (*bleve.SearchRequest, *translator, error) {
		sr, tr, err := ix.buildRequest(req, words)
		if err == nil && paged {
			for i, so := range sr.Sort {
				// The same order, but Bleve takes the raw value back
				// in search-after only from an untyped field: a
				// typed date must be RFC 3339, which an undated
				// article's value is not.
				if f, ok := so.(*search.SortField); ok && f.Type == search.SortFieldAsDate {
					auto := *f
					auto.Type = search.SortFieldAuto
					sr.Sort[i] = &auto
				}
			}
			sr.Sort = append(sr.Sort, &search.SortDocID{})
			if after != nil {
				sr.SetSearchAfter(after)
			}
		}
		return sr, tr, err
	}
	sr, tr, err := build(nil)
	if err != nil {
		return nil, nil, err
	}
	var res *bleve.SearchResult
	err = ix.read(ctx, func(bi bleve.Index) error {
		// A generation rebuilt with a word list of its own is asked for
		// its word pairs by that list.
		if words := pairWordsOf(bi.Mapping()); words != nil {
			var err error
			if sr, tr, err = build(words); err != nil {
				return err
			}
		}
		if err := checkExpansion(ctx, bi, tr.q, tr.expansions, ix.opt.MaxExpansion); err != nil {
			return err
		}
		var err error
		res, err = bi.SearchInContext(ctx, sr)
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("index: search %q: %w", req.Query, err)
	}
	var last []string
	if n := len(res.Hits); n > 0 {
		// Bleve gives "_score" as the sort value of the score; its
		// search-after wants the score itself.
		h := res.Hits[n-1]
		last = slices.Clone(h.Sort)
		for i, so := range sr.Sort {
			if _, ok := so.(*search.SortScore); ok && i < len(last) {
				last[i] = strconv.FormatFloat(h.Score, 'g', -1, 64)
			}
		}
	}
	marks := tr.marks
	out := &Result{Total: res.Total, Hits: make([]Hit, 0, len(res.Hits)), Took: res.Took}
	for _, h := range res.Hits {
		hit := Hit{
			ID:        h.ID,
			Site:      fieldString(h.Fields, fieldSite),
			URL:       fieldString(h.Fields, fieldURL),
			Title:     fieldString(h.Fields, fieldTitle),
			Published: fieldString(h.Fields, fieldPubText),
			Score:     h.Score,
		}
		hit.TitleMarks = matchSpans(hit.Title, marks)
		hit.Snippet, hit.Marks = snippet(fieldString(h.Fields, fieldLead), marks)
		out.Hits = append(out.Hits, hit)
	}
	if req.Counts != "" {
		out.Counts = counts(req.Counts, res.Facets["counts"])
	}
	for _, name := range req.Facets {
		if out.Facets == nil {
			out.Facets = make(map[string][]Bucket, len(req.Facets))
		}
		out.Facets[name] = facetBuckets(res.Facets["facet:"+name])
	}
	return out, last, nil
}

func fieldString(fields map[string]interface{}, name string) string {
	s, _ := fields[name].(string)
	return s
}

// buildRequest checks req and turns it into a Bleve search request; the
// translator returned holds what snippets highlight and the words that
// prefixes and wildcards expand to.
// pairs are the words of the searched generation's body_pairs (nil for
// frequentWords).
func (ix *Index) buildRequest(req Request, pairs pairWords) (*bleve.SearchRequest, *translator, error) {
	if req.Limit < 0 || req.Offset < 0 {
		return nil, nil, fmt.Errorf("index: search: negative limit or offset")
	}
	if req.Limit == 0 {
		req.Limit = 20
	}
	// Compared so that no sum overflows: an offset near the largest int
	// plus a limit went negative, past this check, and Bleve panicked
	// making a slice of that many hits.
	if req.Limit > MaxWindow || req.Offset > MaxWindow-req.Limit {
		return nil, nil, fmt.Errorf("index: search: offset %d plus limit %d is above %d", req.Offset, req.Limit, MaxWindow)
	}
	// Phones and word processors turn quotes into typographic ones.
	q := strings.NewReplacer("“", `"`, "”", `"`, "„", `"`).Replace(req.Query)
	n, err := parse(q)
	if err != nil {
		return nil, nil, fmt.Errorf("index: search: %w", err)
	}
	tr := &translator{q: q, stemmer: ix.mapping.AnalyzerNamed(AnalyzerID), exact: ix.mapping.AnalyzerNamed(analyzerExact), pairs: pairs, marks: newMarkSet()}
	bq, err := tr.translate(n)
	if err != nil {
		return nil, nil, fmt.Errorf("index: search: %w", err)
	}
	var filters []query.Query
	if req.Site != "" {
		filters = append(filters, term(fieldSite, req.Site))
	}
	if req.Category != "" {
		filters = append(filters, term(fieldCategories, strings.ToLower(req.Category)))
	}
	for _, t := range []time.Time{req.From, req.To} {
		if t.IsZero() {
			continue
		}
		if err := checkDate(t); err != nil {
			return nil, nil, fmt.Errorf("index: search: date %s %w", t.Format(time.RFC3339), err)
		}
	}
	if !req.From.IsZero() || !req.To.IsZero() {
		if !req.From.IsZero() && !req.To.IsZero() && req.To.Before(req.From) {
			return nil, nil, fmt.Errorf("index: search: date range ends (%s) before it starts (%s)", req.To.Format(time.RFC3339), req.From.Format(time.RFC3339))
		}
		yes := true
		dq := query.NewDateRangeInclusiveQuery(req.From, req.To, &yes, &yes)
		dq.SetField(fieldPublished)
		filters = append(filters, dq)
	}
	if len(filters) > 0 {
		bq = query.NewConjunctionQuery(append([]query.Query{bq}, filters...))
	}
	sr := bleve.NewSearchRequestOptions(bq, req.Limit, req.Offset, false)
	sr.Fields = []string{fieldTitle, fieldSite, fieldURL, fieldPubText, fieldLead}
	switch req.Sort {
	case "", "relevance":
		// No tie-break on the id: it would make the collector load the
		// id of every matching article, a fifth of a search's time.
		sr.SortByCustom(search.SortOrder{&search.SortScore{Desc: true}})
	case "date":
		sr.SortByCustom(search.SortOrder{
			&search.SortField{Field: fieldPublished, Type: search.SortFieldAsDate, Desc: true, Missing: search.SortFieldMissingLast},
			&search.SortScore{Desc: true},
		})
	default:
		return nil, nil, fmt.Errorf("index: search: unknown sort %q (want relevance or date)", req.Sort)
	}
	switch req.Counts {
	case "":
	case "day", "month", "year", "site":
		// The query names and index names of these fields agree.
		sr.AddFacet("counts", bleve.NewFacetRequest(req.Counts, maxDateBuckets))
	case "week", "auto":
		// Counted per day, then summed.
		sr.AddFacet("counts", bleve.NewFacetRequest(fieldDay, maxDateBuckets))
	default:
		return nil, nil, fmt.Errorf("index: search: unknown counts %q (want %s)", req.Counts, CountsNames)
	}
	size := req.FacetSize
	if size <= 0 {
		size = 10
	}
	for _, name := range req.Facets {
		field, ok := facetFields[name]
		if !ok {
			return nil, nil, fmt.Errorf("index: search: unknown facet %q (want %s)", name, FacetNames)
		}
		sr.AddFacet("facet:"+name, bleve.NewFacetRequest(field, size))
	}
	return sr, tr, nil
}

// snippetRunes is the length of a snippet, in characters.
const snippetRunes = 240

// snippet cuts an excerpt of lead around the first word that marks
// match, and returns it with the byte ranges of the matching words.
func snippet(lead string, marks *markSet) (string, [][2]int) {
	lead = strings.Join(strings.Fields(lead), " ")
	hits := matchSpans(lead, marks)
	start := 0
	if len(hits) > 0 {
		// Begin a few words before the first match.
		start = hits[0][0]
		back := 0
		for start > 0 && back < 40 {
			start--
			back++
		}
		for start > 0 && lead[start-1] != ' ' {
			start--
		}
	}
	end := len(lead)
	count := 0
	for i := range lead[start:] {
		if count == snippetRunes {
			end = start + i
			if sp := strings.LastIndexByte(lead[start:end], ' '); sp > 0 {
				end = start + sp
			}
			break
		}
		count++
	}
	text := lead[start:end]
	prefix := ""
	if start > 0 {
		prefix = "…"
	}
	suffix := ""
	if end < len(lead) {
		suffix = "…"
	}
	var out [][2]int
	for _, h := range hits {
		if h[0] >= start && h[1] <= end {
			out = append(out, [2]int{h[0] - start + len(prefix), h[1] - start + len(prefix)})
		}
	}
	return prefix + text + suffix, out
}

// matchSpans returns the byte ranges of the words of text that marks
// match.
func matchSpans(text string, marks *markSet) [][2]int {
	var hits [][2]int
	for _, w := range wordSpans(text) {
		if marks.match(text[w[0]:w[1]]) {
			hits = append(hits, w)
		}
	}
	return hits
}

// wordSpans returns the byte ranges of the words of s.
func wordSpans(s string) [][2]int {
	var out [][2]int
	start := -1
	for i := 0; i < len(s); {
		c := s[i]
		size := 1
		var word bool
		if c < utf8.RuneSelf {
			word = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			word = !notWordRune(r)
		}
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			out = append(out, [2]int{start, i})
			start = -1
		}
		i += size
	}
	if start >= 0 {
		out = append(out, [2]int{start, len(s)})
	}
	return out
}

func notWordRune(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// Highlighted returns the snippet with each matching word between open
// and close, for example "<mark>" and "</mark>". escape, when not nil, is
// applied to the text around and inside the marks (html.EscapeString for
// a web page).
func (h Hit) Highlighted(open, close string, escape func(string) string) string {
	if escape == nil {
		escape = func(s string) string { return s }
	}
	var b strings.Builder
	at := 0
	for _, m := range h.Marks {
		if m[0] < at || m[1] > len(h.Snippet) || m[0] > m[1] {
			continue
		}
		b.WriteString(escape(h.Snippet[at:m[0]]))
		b.WriteString(open)
		b.WriteString(escape(h.Snippet[m[0]:m[1]]))
		b.WriteString(close)
		at = m[1]
	}
	b.WriteString(escape(h.Snippet[at:]))
	return b.String()
}
