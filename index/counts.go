package index

import (
	"sort"
	"time"

	"github.com/blevesearch/bleve/v2/search"
)

// CountsNames lists the values of Request.Counts, for help texts and
// error messages.
const CountsNames = "day, week, month, year, auto or site"

// FacetNames lists the values of Request.Facets.
const FacetNames = "category, tag, place, author or site"

// facetFields maps a facet name to its index field.
var facetFields = map[string]string{
	"category": facetCategory,
	"tag":      facetTag,
	"place":    facetPlace,
	"author":   facetAuthor,
	"site":     fieldSite,
}

// MaxAutoBuckets is the most periods an "auto" count has: it takes the
// shortest of day, week, month and year that fits, or years.
const MaxAutoBuckets = 60

// Date layouts of the period keys.
var periodLayouts = map[string]string{
	"day":   "2006-01-02",
	"week":  "2006-01-02",
	"month": "2006-01",
	"year":  "2006",
}

// counts turns a terms facet into Counts. Date series run from the first
// date to the last with the empty periods between filled in.
func counts(by string, fr *search.FacetResult) Counts {
	c := Counts{By: by, Buckets: []Bucket{}}
	if fr == nil {
		if by == "auto" {
			c.By = "month"
		}
		return c
	}
	c.Missing = uint64(fr.Missing)
	for _, t := range fr.Terms.Terms() {
		c.Buckets = append(c.Buckets, Bucket{Key: t.Term, Count: uint64(t.Count)})
	}
	if by == "site" {
		sortByCount(c.Buckets)
		return c
	}
	sort.Slice(c.Buckets, func(i, j int) bool { return c.Buckets[i].Key < c.Buckets[j].Key })
	switch by {
	case "auto":
		by = autoPeriod(c.Buckets)
		c.By = by
		c.Buckets = regroup(c.Buckets, by)
	case "week":
		c.Buckets = regroup(c.Buckets, by)
	}
	c.Buckets = fillGaps(by, c.Buckets)
	return c
}

// facetBuckets returns a facet's values, the most frequent first.
func facetBuckets(fr *search.FacetResult) []Bucket {
	out := []Bucket{}
	if fr == nil || fr.Terms == nil {
		return out
	}
	for _, t := range fr.Terms.Terms() {
		out = append(out, Bucket{Key: t.Term, Count: uint64(t.Count)})
	}
	sortByCount(out)
	return out
}

func sortByCount(b []Bucket) {
	sort.SliceStable(b, func(i, j int) bool {
		if b[i].Count != b[j].Count {
			return b[i].Count > b[j].Count
		}
		return b[i].Key < b[j].Key
	})
}

// autoPeriod picks the shortest period in which the days of days (sorted
// day buckets) span at most MaxAutoBuckets periods.
func autoPeriod(days []Bucket) string {
	if len(days) == 0 {
		return "month"
	}
	first, err1 := time.Parse("2006-01-02", days[0].Key)
	last, err2 := time.Parse("2006-01-02", days[len(days)-1].Key)
	if err1 != nil || err2 != nil {
		return "year"
	}
	d := int(last.Sub(first).Hours()/24) + 1
	months := (last.Year()-first.Year())*12 + int(last.Month()-first.Month()) + 1
	switch {
	case d <= MaxAutoBuckets:
		return "day"
	case (d+6)/7+1 <= MaxAutoBuckets:
		return "week"
	case months <= MaxAutoBuckets:
		return "month"
	}
	return "year"
}

// PeriodKey returns the key of the period of by ("day", "week", "month"
// or "year") that a day (2021-12-23) falls in; a week is keyed by its
// Monday. It returns "" for a key that is not a day.
func PeriodKey(by, day string) string {
	t, err := time.Parse("2006-01-02", day)
	if err != nil {
		return ""
	}
	switch by {
	case "week":
		return monday(t).Format("2006-01-02")
	case "month":
		return day[:7]
	case "year":
		return day[:4]
	}
	return day
}

func monday(t time.Time) time.Time {
	return t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7))
}

// regroup sums sorted day buckets into periods of by.
func regroup(days []Bucket, by string) []Bucket {
	if by == "day" {
		return days
	}
	var out []Bucket
	for _, d := range days {
		k := PeriodKey(by, d.Key)
		if k == "" {
			continue
		}
		if n := len(out); n > 0 && out[n-1].Key == k {
			out[n-1].Count += d.Count
			continue
		}
		out = append(out, Bucket{Key: k, Count: d.Count})
	}
	return out
}

// nextPeriod returns the start of the period after t.
func nextPeriod(by string, t time.Time) time.Time {
	switch by {
	case "day":
		return t.AddDate(0, 0, 1)
	case "week":
		return t.AddDate(0, 0, 7)
	case "month":
		return t.AddDate(0, 1, 0)
	}
	return t.AddDate(1, 0, 0)
}

// PeriodRange returns the first and the last day (2021-12-01, 2021-12-31)
// of the period of by that key names; empty strings when key is not one.
func PeriodRange(by, key string) (first, last string) {
	layout, ok := periodLayouts[by]
	if !ok {
		return "", ""
	}
	t, err := time.Parse(layout, key)
	if err != nil {
		return "", ""
	}
	return t.Format("2006-01-02"), nextPeriod(by, t).AddDate(0, 0, -1).Format("2006-01-02")
}

// PeriodKeys returns the keys of every period of by from the one of
// first to the one of last, both keys of by, at most limit of them; nil
// when they are not keys of by or there would be more.
func PeriodKeys(by, first, last string, limit int) []string {
	layout, ok := periodLayouts[by]
	if !ok {
		return nil
	}
	a, err1 := time.Parse(layout, first)
	b, err2 := time.Parse(layout, last)
	if err1 != nil || err2 != nil {
		return nil
	}
	var out []string
	for t := a; !t.After(b); t = nextPeriod(by, t) {
		if len(out) >= limit {
			return nil
		}
		out = append(out, t.Format(layout))
	}
	return out
}

// fillGaps inserts empty buckets between the first and last date, so a
// series can be drawn as it is; past maxDateBuckets it keeps only the
// periods that have articles.
func fillGaps(by string, b []Bucket) []Bucket {
	if len(b) < 2 {
		return b
	}
	keys := PeriodKeys(by, b[0].Key, b[len(b)-1].Key, maxDateBuckets)
	if keys == nil {
		return b
	}
	have := make(map[string]uint64, len(b))
	for _, x := range b {
		have[x.Key] = x.Count
	}
	out := make([]Bucket, len(keys))
	for i, k := range keys {
		out[i] = Bucket{Key: k, Count: have[k]}
	}
	return out
}
