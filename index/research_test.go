package index

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/warta-id/warta/extract"
)

func TestCaptionsAndURLWords(t *testing.T) {
	ix, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	arts := fixture()
	arts[5].Images = []extract.Image{{URL: "https://x/a.jpg", Caption: "Longsor di jalan lintas Sumbar"}, {URL: "https://x/b.jpg"}}
	ctx := context.Background()
	if err := ix.Add(ctx, arts...); err != nil {
		t.Fatal(err)
	}
	if err := ix.Flush(); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		q    string
		want []string
	}{
		{"longsor", []string{"a6"}},
		{"caption:longsor", []string{"a6"}},
		{"keterangan:longsor", []string{"a6"}},
		{`"jalan lintas"`, []string{"a6"}},
		{"caption:pertambangan", []string{}},
		{"lint*", []string{"a6"}},
		{"url:a2", []string{"a2"}},
		{"url:baca", []string{"a1", "a2", "a3", "a5", "a6"}},
		{`url:"https://padang.go.id/a4"`, []string{"a4"}},
		{"url:pada*", []string{"a4"}},
		{"url:A4", []string{"a4"}},
	} {
		res, err := ix.Search(ctx, Request{Query: tt.q})
		if err != nil {
			t.Errorf("Search(%q): %v", tt.q, err)
			continue
		}
		if got := sorted(ids(res)); !cmp.Equal(got, tt.want) {
			t.Errorf("Search(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
}

func TestCategoryFacetsAndPeriods(t *testing.T) {
	ix := openFixture(t)
	ctx := context.Background()
	res, err := ix.Search(ctx, Request{Category: "kabar pemerintah", Facets: []string{"category", "place", "site", "tag", "author"}, Counts: "week"})
	if err != nil {
		t.Fatal(err)
	}
	if got := sorted(ids(res)); !cmp.Equal(got, []string{"a1", "a2"}) {
		t.Errorf("Category filter: %v, want a1 a2", got)
	}
	wantFacets := map[string][]Bucket{
		"category": {{Key: "Kabar Pemerintah", Count: 2}},
		"place":    {{Key: "SAWAHLUNTO", Count: 1}, {Key: "SILUNGKANG", Count: 1}},
		"site":     {{Key: "sawahlunto", Count: 2}},
		"tag":      {{Key: "bencana", Count: 1}, {Key: "banjir", Count: 1}, {Key: "jalan", Count: 1}},
		"author":   {{Key: "Humas Sawahlunto", Count: 1}},
	}
	// Bleve breaks ties by term; ours keeps keys ascending.
	wantFacets["tag"] = []Bucket{{Key: "banjir", Count: 1}, {Key: "bencana", Count: 1}, {Key: "jalan", Count: 1}}
	if d := cmp.Diff(wantFacets, res.Facets); d != "" {
		t.Errorf("facets (-want +got):\n%s", d)
	}
	// 2021-12-23 is a Thursday, 2022-01-05 a Wednesday: Mondays
	// 2021-12-20 and 2022-01-03, two weeks apart.
	wantWeeks := []Bucket{{Key: "2021-12-20", Count: 1}, {Key: "2021-12-27", Count: 0}, {Key: "2022-01-03", Count: 1}}
	if res.Counts.By != "week" || !cmp.Equal(res.Counts.Buckets, wantWeeks) {
		t.Errorf("week counts = %s %v, want week %v", res.Counts.By, res.Counts.Buckets, wantWeeks)
	}
	res, err = ix.Search(ctx, Request{Counts: "auto"})
	if err != nil {
		t.Fatal(err)
	}
	// 2020-05 to 2022-03 is 23 months.
	if res.Counts.By != "month" || len(res.Counts.Buckets) != 23 || res.Counts.Missing != 1 {
		t.Errorf("auto counts: by %s, %d buckets, %d missing; want month, 23, 1", res.Counts.By, len(res.Counts.Buckets), res.Counts.Missing)
	}
	res, err = ix.Search(ctx, Request{Counts: "auto", Query: "published:2021-12"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Counts.By != "day" || len(res.Counts.Buckets) != 1 {
		t.Errorf("auto counts of one day: by %s, %v; want day, one bucket", res.Counts.By, res.Counts.Buckets)
	}
	if _, err := ix.Search(ctx, Request{Facets: []string{"colour"}}); err == nil || !strings.Contains(err.Error(), "colour") {
		t.Errorf("unknown facet: err = %v, want one naming it", err)
	}
}

func TestPeriodHelpers(t *testing.T) {
	for _, tt := range []struct{ by, day, key, first, last string }{
		{"day", "2021-12-23", "2021-12-23", "2021-12-23", "2021-12-23"},
		{"week", "2021-12-26", "2021-12-20", "2021-12-20", "2021-12-26"},
		{"week", "2021-12-20", "2021-12-20", "2021-12-20", "2021-12-26"},
		{"month", "2021-02-03", "2021-02", "2021-02-01", "2021-02-28"},
		{"year", "2021-02-03", "2021", "2021-01-01", "2021-12-31"},
	} {
		k := PeriodKey(tt.by, tt.day)
		first, last := PeriodRange(tt.by, k)
		if k != tt.key || first != tt.first || last != tt.last {
			t.Errorf("PeriodKey(%s, %s) = %s [%s, %s], want %s [%s, %s]", tt.by, tt.day, k, first, last, tt.key, tt.first, tt.last)
		}
	}
	if got := PeriodKeys("month", "2021-11", "2022-02", 10); !cmp.Equal(got, []string{"2021-11", "2021-12", "2022-01", "2022-02"}) {
		t.Errorf("PeriodKeys = %v", got)
	}
	if got := PeriodKeys("day", "2021-01-01", "2021-12-31", 10); got != nil {
		t.Errorf("PeriodKeys past the limit = %v, want nil", got)
	}
}

func TestFieldsOneList(t *testing.T) {
	for _, f := range Fields {
		if f.Name == "published" {
			continue
		}
		_, err := parse(f.Name + ":x")
		if err != nil {
			t.Errorf("field %s listed but the parser refuses it: %v", f.Name, err)
		}
	}
	_, err := parse("colour:x")
	if err == nil || !strings.Contains(err.Error(), FieldNames()) {
		t.Errorf("unknown field error = %v, want it to list %s", err, FieldNames())
	}
}

func TestCompare(t *testing.T) {
	ix := openFixture(t)
	ctx := context.Background()
	c, err := ix.Compare(ctx, CompareRequest{Queries: []string{"banjir", "sawahlunto"}, By: "year", Share: true})
	if err != nil {
		t.Fatal(err)
	}
	// banjir: a2 (2022), a4 (2022), a5 (undated). sawahlunto: a1 (2021),
	// a3 (2021). All dated: 2020 a6, 2021 a1 a3, 2022 a2 a4.
	want := &Comparison{By: "year", Normalize: "share", Periods: []string{"2021", "2022"}, All: []uint64{2, 2}, Series: []Series{
		{Query: "banjir", Total: 3, Counts: []uint64{0, 2}, Shares: []float64{0, 1}},
		{Query: "sawahlunto", Total: 2, Counts: []uint64{2, 0}, Shares: []float64{1, 0}},
	}}
	if d := cmp.Diff(want, c); d != "" {
		t.Errorf("Compare (-want +got):\n%s", d)
	}
	_, err = ix.Compare(ctx, CompareRequest{Queries: []string{"banjir", "(oops"}})
	var qe *QueryError
	var se *SyntaxError
	if !errors.As(err, &qe) || qe.Index != 1 || !errors.As(err, &se) {
		t.Errorf("Compare with a bad second query: %v, want a QueryError of query 2 wrapping a SyntaxError", err)
	}
	if _, err := ix.Compare(ctx, CompareRequest{Queries: []string{"a", "b", "c", "d", "e", "f"}}); err == nil {
		t.Errorf("Compare of six queries: no error")
	}
}
