package index

import (
	"context"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/google/go-cmp/cmp"

	"github.com/warta-id/warta/extract"
)

// fixture is the fixed article set the query table runs against.
func fixture() []*extract.Article {
	return []*extract.Article{
		{
			ID: "a1", Site: "sawahlunto", URL: "https://sawahluntokota.go.id/baca/a1",
			Title:     "Pemerintah Kota Sawahlunto Lanjutkan Pembangunan Jalan di Talawi",
			Body:      "SAWAHLUNTO – Pemerintah Kota Sawahlunto melanjutkan pembangunan jalan di Kecamatan Talawi. Wali kota menindaklanjuti usulan warga.\n\nPekerjaan dimulai pekan depan.",
			Published: "2021-12-23T09:15:41+07:00", Dateline: extract.Dateline{Place: "SAWAHLUNTO"},
			Author: "Humas Sawahlunto", Categories: []string{"Kabar Pemerintah"}, Tags: []string{"jalan"}, Language: "id",
		},
		{
			ID: "a2", Site: "sawahlunto", URL: "https://sawahluntokota.go.id/baca/a2",
			Title:     "Banjir Bandang Landa Silungkang",
			Body:      "SILUNGKANG – Banjir bandang melanda Desa Silungkang setelah hujan deras. Warga dievakuasi ke tempat aman.",
			Published: "2022-01-05T14:00:00+07:00", Dateline: extract.Dateline{Place: "SILUNGKANG"},
			Categories: []string{"Kabar Pemerintah"}, Tags: []string{"banjir", "bencana"}, Language: "id",
		},
		{
			ID: "a3", Site: "sawahlunto", URL: "https://sawahluntokota.go.id/baca/a3",
			Title:     "Festival Tambang Sawahlunto Tarik Wisatawan",
			Body:      "SAWAHLUNTO – Festival tambang batubara di Sawahlunto menarik ribuan wisatawan. Sejarah pertambangan Ombilin dipamerkan.",
			Published: "2021-08-17T10:00:00+07:00", Dateline: extract.Dateline{Place: "SAWAHLUNTO"},
			Categories: []string{"Agenda Pariwisata"}, Tags: []string{"pariwisata", "tambang"}, Language: "id",
		},
		{
			ID: "a4", Site: "padang", URL: "https://padang.go.id/a4",
			Title:     "Anggaran Daerah Dipangkas, Kebijakannya Dikritik",
			Body:      "PADANG – Anggaran pembangunan daerah dipangkas. Kebijakannya dikritik anggota dewan karena banjir yang belum tertangani.",
			Published: "2022-03-01T08:00:00+07:00", Dateline: extract.Dateline{Place: "PADANG"}, Language: "id",
		},
		{
			ID: "a5", Site: "sawahlunto", URL: "https://sawahluntokota.go.id/baca/a5",
			Title:    "Talawi Bersih, Warga Berterimakasih",
			Body:     "TALAWI – Kegiatan gotong royong membersihkan jalan. Warga berterimakasih kepada pemerintah. Tidak ada banjir tahun ini.",
			Dateline: extract.Dateline{Place: "TALAWI"}, Language: "id",
		},
		{
			ID: "a6", Site: "sawahlunto", URL: "https://sawahluntokota.go.id/baca/a6",
			Title:     "Sejarah Pertambangan Batubara Ombilin",
			Body:      "Museum kota mengisahkan pertambangan batubara Ombilin. Lokasi tambangnya kini menjadi museum.",
			Published: "2020-05-10T07:30:00+07:00", Language: "id",
		},
	}
}

// openFixture returns an index in a temporary directory holding fixture().
func openFixture(t *testing.T) *Index {
	t.Helper()
	return openFixtureWith(t, Options{BatchSize: 4})
}

// openFixtureWith is openFixture with options of the test's own.
func openFixtureWith(t *testing.T, opt Options) *Index {
	t.Helper()
	ix, err := Open(t.TempDir(), opt)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Add(context.Background(), fixture()...); err != nil {
		t.Fatalf("Add: %v", err)
	}
	if err := ix.Flush(); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	return ix
}

func ids(r *Result) []string {
	out := []string{}
	for _, h := range r.Hits {
		out = append(out, h.ID)
	}
	return out
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func TestSearchQueries(t *testing.T) {
	ix := openFixture(t)
	cases := []struct {
		query string
		want  []string // in any order
	}{
		{"", []string{"a1", "a2", "a3", "a4", "a5", "a6"}},
		{"*", []string{"a1", "a2", "a3", "a4", "a5", "a6"}},
		{"banjir", []string{"a2", "a4", "a5"}},
		{"BANJIR", []string{"a2", "a4", "a5"}},
		{"banjir bandang", []string{"a2"}},
		{"banjir AND bandang", []string{"a2"}},
		{"banjir && bandang", []string{"a2"}},
		{"banjir OR festival", []string{"a2", "a3", "a4", "a5"}},
		{"banjir || festival", []string{"a2", "a3", "a4", "a5"}},
		{"banjir NOT bandang", []string{"a4", "a5"}},
		{"banjir -bandang", []string{"a4", "a5"}},
		{"NOT banjir", []string{"a1", "a3", "a6"}},
		{"(banjir OR festival) sawahlunto", []string{"a3"}},
		{"(banjir OR festival) OR sawahlunto", []string{"a1", "a2", "a3", "a4", "a5"}},
		{"title:banjir", []string{"a2"}},
		{"title:(banjir OR festival)", []string{"a2", "a3"}},
		{"body:festival", []string{"a3"}},
		{`"banjir bandang"`, []string{"a2"}},
		{`“banjir bandang”`, []string{"a2"}},
		{`"bandang banjir"`, []string{}},
		{`title:"tarik wisatawan"`, []string{"a3"}},
		{`"festival tambang batubara"`, []string{"a3"}},
		// Stems: the root finds the affixed forms and back.
		{"bangun", []string{"a1", "a4"}},
		{"pembangunan", []string{"a1", "a4"}},
		{"tindaklanjuti", []string{"a1"}},
		{"kebijakan", []string{"a4"}},
		{"pangkas", []string{"a4"}},
		{"tambang", []string{"a3", "a6"}},
		{"pertambangan", []string{"a3", "a6"}},
		// Exact words: quoted, or a prefix.
		{`"tambang"`, []string{"a3"}},
		{"tambang*", []string{"a3", "a6"}},
		{"tambang?ya", []string{"a6"}},
		{`"Talawi"`, []string{"a1", "a5"}},
		{"Talawi", []string{"a1", "a5"}},
		{"Silungkang", []string{"a2"}},
		// A stop word still finds its exact occurrences.
		{"yang", []string{"a4"}},
		// Fields that are not stemmed.
		{"place:talawi", []string{"a5"}},
		{"place:SAWAHLUNTO", []string{"a1", "a3"}},
		{"site:padang", []string{"a4"}},
		{"site:sawahlunto banjir", []string{"a2", "a5"}},
		{`category:"kabar pemerintah"`, []string{"a1", "a2"}},
		{"tag:tambang", []string{"a3"}},
		{"author:humas", []string{"a1"}},
		{"id:a4", []string{"a4"}},
		{"url:https://padang.go.id/a4", []string{"a4"}},
		{"language:id", []string{"a1", "a2", "a3", "a4", "a5", "a6"}},
		// Dates: the article's own calendar date.
		{"published:[2021-01-01 TO 2021-12-31]", []string{"a1", "a3"}},
		{"published:2022", []string{"a2", "a4"}},
		{"published:2021-12", []string{"a1"}},
		{"published:2021-12-23", []string{"a1"}},
		{"published:{2021-12-23 TO *]", []string{"a2", "a4"}},
		{"published:[* TO 2021-12-23}", []string{"a3", "a6"}},
		{"published:[2021 TO 2021]", []string{"a1", "a3"}},
		{"published:{2021 TO 2022-03}", []string{"a2"}},
		{"published:[2022-01-05T00:00:00Z TO *]", []string{"a2", "a4"}},
		{"(banjir OR festival) AND published:[2022-01-01 TO 2022-12-31]", []string{"a2", "a4"}},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			res, err := ix.Search(context.Background(), Request{Query: c.query})
			if err != nil {
				t.Fatalf("Search(%q): %v", c.query, err)
			}
			if diff := cmp.Diff(sorted(c.want), sorted(ids(res))); diff != "" {
				t.Errorf("Search(%q) ids (-want +got):\n%s", c.query, diff)
			}
			if res.Total != uint64(len(c.want)) {
				t.Errorf("Search(%q).Total = %d, want %d", c.query, res.Total, len(c.want))
			}
		})
	}
}

func TestSearchSyntaxErrors(t *testing.T) {
	ix := openFixture(t)
	cases := []struct {
		query  string
		column int
		msg    string // a part of the message
	}{
		{"banjir AND", 11, "query ends"},
		{"(banjir", 8, "expected ')'"},
		{"banjir)", 7, "')' without '('"},
		{`banjir "bandang`, 8, "unclosed quote"},
		{"foo:bar", 1, "unknown field"},
		{"title:", 7, "value missing"},
		{"published:[2021 TO", 19, "range bound"},
		{"published:[2021 2022]", 17, "expected TO"},
		{"published:[2021 TO 2022", 24, "close the range"},
		{"published:[kemarin TO 2021]", 11, "bad date"},
		{"published:[2021-01-01 TO 2022-01-01T00:00:00Z]", 11, "mixes"},
		{"title:[a TO b]", 7, "published only"},
		{"[2021 TO 2022]", 1, "needs a field"},
		{"t*", 1, "two letters"},
		{"*a*", 1, "two letters before the first '*' or '?'"},
		{"published:[* TO 9999-01-01T00:00:00Z]", 11, "outside the dates"},
		{"published:[1600-01-01T00:00:00Z TO *]", 11, "outside the dates"},
		{"banjir a?b", 8, "two letters"},
		{"url:*kota*", 5, "two letters"},
		{"banjir OR OR", 11, "unexpected OR"},
		{"Sawahlunto title:(banjir site:x)", 26, "inside field"},
		{"published:banjir*", 11, "wildcards"},
		{"banjir di ta\xe9lawi", 13, "not UTF-8"}, // Latin-1 é; a search found nothing, silently
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			_, err := ix.Search(context.Background(), Request{Query: c.query})
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Search(%q) error = %v, want a *SyntaxError", c.query, err)
			}
			if se.Column != c.column || !strings.Contains(se.Msg, c.msg) {
				t.Errorf("Search(%q) error = column %d %q, want column %d containing %q", c.query, se.Column, se.Msg, c.column, c.msg)
			}
		})
	}
}

// TestSearchExpansionBound checks that the words prefixes and wildcards
// stand for are bounded per query: over the bound, the query is refused
// with a *SyntaxError at the word, before Bleve builds its searchers (40
// `*a*` took 40 s and 190 MB, and a timeout could not stop them).
func TestSearchExpansionBound(t *testing.T) {
	ix := openFixtureWith(t, Options{MaxExpansion: 3})
	for _, c := range []struct {
		query  string
		ids    []string // when accepted
		column int      // when refused
	}{
		// tambang (title), tambang and tambangnya (body): three words.
		{"tambang*", []string{"a3", "a6"}, 0},
		{"ta?awi", []string{"a1", "a5"}, 0},
		// pemerintah, pembangunan, pekerjaan, pekan, pertambangan...
		{"pe*", nil, 1},
		{"tambang* OR ta?awi", nil, 13},
		{"banjir -pe*", nil, 9},
	} {
		res, err := ix.Search(context.Background(), Request{Query: c.query})
		if c.column == 0 {
			if err != nil {
				t.Errorf("Search(%q) error = %v, want none", c.query, err)
			} else if got := sorted(ids(res)); !slices.Equal(got, c.ids) {
				t.Errorf("Search(%q) = %v, want %v", c.query, got, c.ids)
			}
			continue
		}
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Search(%q) error = %v, want a *SyntaxError", c.query, err)
			continue
		}
		if se.Column != c.column || !strings.Contains(se.Msg, "more than 3 words") {
			t.Errorf("Search(%q) error = column %d %q, want column %d saying more than 3 words", c.query, se.Column, se.Msg, c.column)
		}
	}
}

// TestSearchCancelled checks that a search whose context is done stops
// and says so, also while it counts what a wildcard expands to.
func TestSearchCancelled(t *testing.T) {
	ix := openFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, q := range []string{"banjir", "pe*", "ta?awi"} {
		if _, err := ix.Search(ctx, Request{Query: q}); !errors.Is(err, context.Canceled) {
			t.Errorf("Search(cancelled, %q) error = %v, want context.Canceled", q, err)
		}
	}
	exps := []expansion{
		{word: "pe*", field: fieldBodyExact, prefix: "pe"},
		{word: "p?*", field: fieldBodyExact, wildcard: "p?*"},
	}
	for _, e := range exps {
		err := ix.read(context.Background(), func(bi bleve.Index) error {
			return checkExpansion(ctx, bi, e.word, []expansion{e}, 100)
		})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("checkExpansion(cancelled, %q) error = %v, want context.Canceled", e.word, err)
		}
	}
}

func TestSearchRequestErrors(t *testing.T) {
	ix := openFixture(t)
	for _, req := range []Request{
		{Sort: "popularity"},
		{Counts: "fortnight"},
		{Limit: -1},
		{Limit: 50, Offset: MaxWindow},
		{Offset: MaxWindow},             // and the default limit of 20
		{Limit: 1, Offset: math.MaxInt}, // panicked in Bleve: the sum overflowed
		{Limit: math.MaxInt, Offset: 1},
		{Limit: math.MaxInt},
		{From: time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		if _, err := ix.Search(context.Background(), req); err == nil {
			t.Errorf("Search(%+v) error = nil, want an error", req)
		}
	}
}

func TestSearchOrderAndPaging(t *testing.T) {
	ix := openFixture(t)
	cases := []struct {
		name string
		req  Request
		want []string // in this order
	}{
		{"date", Request{Sort: "date"}, []string{"a4", "a2", "a1", "a3", "a6", "a5"}},
		{"date page", Request{Sort: "date", Limit: 2, Offset: 1}, []string{"a2", "a1"}},
		{"site filter", Request{Sort: "date", Site: "sawahlunto", Query: "banjir"}, []string{"a2", "a5"}},
		{"from", Request{Sort: "date", From: time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)}, []string{"a4", "a2"}},
		{"to", Request{Sort: "date", To: time.Date(2021, 12, 31, 0, 0, 0, 0, time.UTC)}, []string{"a1", "a3", "a6"}},
		{"title first", Request{Query: "banjir"}, []string{"a2"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := ix.Search(context.Background(), c.req)
			if err != nil {
				t.Fatalf("Search(%+v): %v", c.req, err)
			}
			got := ids(res)
			if c.name == "title first" {
				got = got[:1]
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("Search(%+v) ids = %v, want %v", c.req, got, c.want)
			}
		})
	}
}

func TestSearchHitFields(t *testing.T) {
	ix := openFixture(t)
	res, err := ix.Search(context.Background(), Request{Query: `"banjir bandang"`})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 {
		t.Fatalf("Search hits = %d, want 1", len(res.Hits))
	}
	h := res.Hits[0]
	want := Hit{ID: "a2", Site: "sawahlunto", URL: "https://sawahluntokota.go.id/baca/a2", Title: "Banjir Bandang Landa Silungkang", Published: "2022-01-05T14:00:00+07:00"}
	got := h
	got.Score, got.Snippet, got.Marks, got.TitleMarks = 0, "", nil, nil
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hit (-want +got):\n%s", diff)
	}
	if h.Score <= 0 {
		t.Errorf("hit score = %v, want > 0", h.Score)
	}
	var marked []string
	for _, m := range h.Marks {
		marked = append(marked, h.Snippet[m[0]:m[1]])
	}
	if !slices.Equal(marked, []string{"Banjir", "bandang"}) {
		t.Errorf("snippet %q marks %v, want [Banjir bandang]", h.Snippet, marked)
	}
	if want := [][2]int{{0, 6}, {7, 14}}; !cmp.Equal(h.TitleMarks, want) {
		t.Errorf("title %q marks %v, want %v", h.Title, h.TitleMarks, want)
	}
}

func TestSnippet(t *testing.T) {
	long := strings.Repeat("kata lain di sini ", 30) + "banjir melanda kota " + strings.Repeat("dan seterusnya ", 30)
	cases := []struct {
		name, lead string
		marks      *markSet
		wantMarked []string
		wantStart  string
	}{
		{"stem", "Pembangunan jalan dimulai.", &markSet{stems: map[string]bool{"bangun": true}}, []string{"Pembangunan"}, "Pembangunan"},
		{"exact", "Warga Talawi dan talawi.", &markSet{exact: map[string]bool{"talawi": true}}, []string{"Talawi", "talawi"}, "Warga"},
		{"prefix", "Tambangnya tutup.", &markSet{prefixes: []string{"tambang"}}, []string{"Tambangnya"}, "Tambangnya"},
		{"none", "Tidak ada apa-apa.", newMarkSet(), nil, "Tidak"},
		{"deep", long, &markSet{stems: map[string]bool{"banjir": true}}, []string{"banjir"}, "…"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.marks.stems == nil {
				c.marks.stems = map[string]bool{}
			}
			if c.marks.exact == nil {
				c.marks.exact = map[string]bool{}
			}
			got, marks := snippet(c.lead, c.marks)
			var marked []string
			for _, m := range marks {
				marked = append(marked, got[m[0]:m[1]])
			}
			if !slices.Equal(marked, c.wantMarked) {
				t.Errorf("snippet(%q) marks %v, want %v", c.lead, marked, c.wantMarked)
			}
			if !strings.HasPrefix(got, c.wantStart) {
				t.Errorf("snippet(%q) = %q, want it to start with %q", c.lead, got, c.wantStart)
			}
			if n := len([]rune(got)); n > snippetRunes+2 {
				t.Errorf("snippet(%q) has %d characters, want at most %d", c.lead, n, snippetRunes+2)
			}
		})
	}
}

func TestCounts(t *testing.T) {
	ix := openFixture(t)
	cases := []struct {
		req         Request
		wantLen     int
		wantBuckets map[string]uint64 // some of the buckets
		wantMissing uint64
	}{
		{Request{Counts: "month"}, 23, map[string]uint64{"2020-05": 1, "2021-08": 1, "2021-12": 1, "2022-01": 1, "2022-02": 0, "2022-03": 1}, 1},
		{Request{Counts: "year"}, 3, map[string]uint64{"2020": 1, "2021": 2, "2022": 2}, 1},
		{Request{Counts: "day", Query: "published:2022"}, 56, map[string]uint64{"2022-01-05": 1, "2022-01-06": 0, "2022-03-01": 1}, 0},
		{Request{Counts: "site"}, 2, map[string]uint64{"sawahlunto": 5, "padang": 1}, 0},
		{Request{Counts: "site", Query: "banjir"}, 2, map[string]uint64{"sawahlunto": 2, "padang": 1}, 0},
	}
	for _, c := range cases {
		t.Run(c.req.Counts+" "+c.req.Query, func(t *testing.T) {
			res, err := ix.Search(context.Background(), c.req)
			if err != nil {
				t.Fatal(err)
			}
			got := res.Counts
			if got.By != c.req.Counts || len(got.Buckets) != c.wantLen || got.Missing != c.wantMissing {
				t.Errorf("Search(%+v).Counts = by %q, %d buckets, %d missing; want %q, %d, %d", c.req, got.By, len(got.Buckets), got.Missing, c.req.Counts, c.wantLen, c.wantMissing)
			}
			have := map[string]uint64{}
			for _, b := range got.Buckets {
				have[b.Key] = b.Count
			}
			for k, want := range c.wantBuckets {
				if n, ok := have[k]; !ok || n != want {
					t.Errorf("Search(%+v).Counts[%s] = %d (present %v), want %d", c.req, k, n, ok, want)
				}
			}
		})
	}
}

func TestAddReplaces(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := ix.Add(ctx, fixture()...); err != nil {
		t.Fatal(err)
	}
	edited := *fixture()[0]
	edited.Title = "Jembatan Baru di Talawi"
	// Twice: once in the same batch as before, once in a later one.
	if err := ix.Add(ctx, &edited); err != nil {
		t.Fatal(err)
	}
	if err := ix.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := ix.Add(ctx, &edited); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	// Reopen: what was flushed on Close is there.
	ix, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	n, err := ix.Count()
	if err != nil {
		t.Fatal(err)
	}
	if n != 6 {
		t.Errorf("Count() = %d, want 6", n)
	}
	for q, want := range map[string][]string{"jembatan": {"a1"}, "title:jembatan": {"a1"}, "title:lanjutkan": {}} {
		res, err := ix.Search(ctx, Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ids(res), want) {
			t.Errorf("Search(%q) ids = %v, want %v", q, ids(res), want)
		}
	}
}

func TestAddRejects(t *testing.T) {
	ix, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Add(context.Background(), &extract.Article{URL: "https://x/"}); err == nil {
		t.Errorf("Add(article without id) error = nil, want an error")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := ix.Add(ctx, fixture()...); !errors.Is(err, context.Canceled) {
		t.Errorf("Add(cancelled) error = %v, want context.Canceled", err)
	}
}

func TestPeriod(t *testing.T) {
	wib := time.FixedZone("WIB", 7*3600)
	cases := []struct {
		in          string
		first, last string
	}{
		{"2021-12-23", "2021-12-23T00:00:00+07:00", "2021-12-23T23:59:59.999999999+07:00"},
		{"2021-12", "2021-12-01T00:00:00+07:00", "2021-12-31T23:59:59.999999999+07:00"},
		{"2024-02", "2024-02-01T00:00:00+07:00", "2024-02-29T23:59:59.999999999+07:00"},
		{"2021", "2021-01-01T00:00:00+07:00", "2021-12-31T23:59:59.999999999+07:00"},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			first, last, err := Period(c.in, wib)
			if err != nil {
				t.Fatal(err)
			}
			if got := first.Format(time.RFC3339Nano); got != c.first {
				t.Errorf("Period(%q) first = %s, want %s", c.in, got, c.first)
			}
			if got := last.Format(time.RFC3339Nano); got != c.last {
				t.Errorf("Period(%q) last = %s, want %s", c.in, got, c.last)
			}
		})
	}
	for _, bad := range []string{"", "kemarin", "23-12-2021", "2021-13"} {
		if _, _, err := Period(bad, wib); err == nil {
			t.Errorf("Period(%q) error = nil, want an error", bad)
		}
	}
}

// TestParseDate checks the one reader of --from/--to and the web's
// from/to: periods in the given zone, RFC 3339 instants, and a clear
// error for dates the index cannot compare (Bleve's dates are int64
// nanoseconds: before 1678 or after 2262 it failed with a raw error).
func TestParseDate(t *testing.T) {
	wib := time.FixedZone("WIB", 7*3600)
	for _, c := range []struct {
		in   string
		end  bool
		want string // RFC 3339 with nanoseconds, or "error: TEXT"
	}{
		{"", false, "0001-01-01T00:00:00Z"},
		{"2021-12", false, "2021-12-01T00:00:00+07:00"},
		{"2021-12", true, "2021-12-31T23:59:59.999999999+07:00"},
		{"2021-12-23T10:00:00Z", true, "2021-12-23T10:00:00Z"},
		{"1678", false, "1678-01-01T00:00:00+07:00"},
		{"2262-04-10", true, "2262-04-10T23:59:59.999999999+07:00"},
		{"kemarin", false, "error: is not a date"},
		{"1677", false, "error: outside the dates the index can search (1677-09-21 to 2262-04-11)"},
		{"1600-01-01", false, "error: outside the dates"},
		{"2263", true, "error: outside the dates"},
		{"9999-12-31T23:59:59Z", false, "error: outside the dates"},
		{"0001-01-01T00:00:00Z", false, "error: outside the dates"},
	} {
		got, err := ParseDate(c.in, c.end, wib)
		if want, ok := strings.CutPrefix(c.want, "error: "); ok {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("ParseDate(%q, %v) error = %v, want one containing %q", c.in, c.end, err, want)
			}
			continue
		}
		if err != nil || got.Format(time.RFC3339Nano) != c.want {
			t.Errorf("ParseDate(%q, %v) = %s, %v; want %s", c.in, c.end, got.Format(time.RFC3339Nano), err, c.want)
		}
	}
}

// TestSearchDateOutOfRange checks that a Request with a date the index
// cannot compare is refused with a message, not sent to Bleve.
func TestSearchDateOutOfRange(t *testing.T) {
	ix := openFixture(t)
	_, err := ix.Search(context.Background(), Request{From: time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err == nil || !strings.Contains(err.Error(), "outside the dates") {
		t.Errorf("Search(From: 1500) error = %v, want one saying the date is outside the dates the index can search", err)
	}
}

func TestHighlighted(t *testing.T) {
	h := Hit{Snippet: "Banjir <b> di Talawi", Marks: [][2]int{{0, 6}, {14, 20}}}
	cases := []struct {
		open, close string
		escape      func(string) string
		want        string
	}{
		{"[", "]", nil, "[Banjir] <b> di [Talawi]"},
		{"<mark>", "</mark>", func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "<", "&lt;"), ">", "&gt;") }, "<mark>Banjir</mark> &lt;b&gt; di <mark>Talawi</mark>"},
	}
	for _, c := range cases {
		if got := h.Highlighted(c.open, c.close, c.escape); got != c.want {
			t.Errorf("Highlighted(%q, %q) = %q, want %q", c.open, c.close, got, c.want)
		}
	}
}

func TestOpenNoCreate(t *testing.T) {
	dir := t.TempDir() + "/index"
	if _, err := Open(dir, Options{NoCreate: true}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open(missing, NoCreate) error = %v, want fs.ErrNotExist", err)
	}
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	ix, err = Open(dir, Options{NoCreate: true})
	if err != nil {
		t.Fatalf("Open(existing, NoCreate): %v", err)
	}
	ix.Close()
}

func TestLead(t *testing.T) {
	cases := []struct {
		body string
		n    int
		want string
	}{
		{"pendek saja", 20, "pendek saja"},
		{"satu dua tiga empat lima", 14, "satu dua tiga …"},
		{"kata panjangsekali", 10, "kata …"},
		{"ééééé", 3, "é …"},
	}
	for _, c := range cases {
		if got := lead(c.body, c.n); got != c.want {
			t.Errorf("lead(%q, %d) = %q, want %q", c.body, c.n, got, c.want)
		}
	}
}

// TestStoredTextUnchanged guards against the stemmer writing into the
// text Bleve stores: Bleve's tokens share their bytes with the field
// value, and the stemmer rewrites first letters (menyapu -> sapu).
func TestStoredTextUnchanged(t *testing.T) {
	ix, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	const title = "warga menyapu jalan, penulis menulis"
	const body = "pagi ini warga menyapu jalan dan penulis menulis berita."
	if err := ix.Add(context.Background(), &extract.Article{ID: "x", Title: title, Body: body}); err != nil {
		t.Fatal(err)
	}
	if err := ix.Flush(); err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(context.Background(), Request{Query: "sapu"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 {
		t.Fatalf("Search(sapu) hits = %d, want 1", len(res.Hits))
	}
	if got := res.Hits[0].Title; got != title {
		t.Errorf("stored title = %q, want %q", got, title)
	}
	if got := res.Hits[0].Snippet; got != body {
		t.Errorf("snippet = %q, want %q", got, body)
	}
}

// TestPhrasePairs checks that phrases answered from word pairs are still
// exact: every pair of "jalan baru kota" occurs in x, but not the phrase.
func TestPhrasePairs(t *testing.T) {
	ix, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	if err := ix.Add(ctx,
		&extract.Article{ID: "x", Body: "Jalan baru dibuka. Baru kota ini punya jalan baru."},
		&extract.Article{ID: "y", Body: "Warga menikmati jalan baru, kota makin ramai."},
	); err != nil {
		t.Fatal(err)
	}
	if err := ix.Flush(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		query string
		want  []string
	}{
		{`"jalan baru"`, []string{"x", "y"}},
		{`"baru kota"`, []string{"x", "y"}},
		{`"jalan baru kota"`, []string{"y"}},
		{`body:"kota ini punya"`, []string{"x"}},
		{`"kota jalan"`, []string{}},
	}
	for _, c := range cases {
		if got := searchIDs(t, ix, c.query); !slices.Equal(got, sorted(c.want)) {
			t.Errorf("Search(%s) ids = %v, want %v", c.query, got, c.want)
		}
	}
}

// TestSearchQueryBounds checks that the queries that made Bleve work
// without bound are refused with a *SyntaxError at the word: wildcards
// whose DFA Bleve builds in full before searching ("sa" and 150 "*a"
// took 12 s on a 300-article index, 300 "*?" 107 s, past any timeout),
// and nesting that every stage recurses through. Queries just inside the
// bounds still run.
func TestSearchQueryBounds(t *testing.T) {
	ix := openFixture(t)
	nine := strings.Repeat("ab?c ", 8) + "ab?c"
	for _, c := range []struct {
		query  string
		column int    // 0: accepted
		msg    string // a part of the message
	}{
		{"sa" + strings.Repeat("*a", 150), 1, "wildcards; at most 4"},
		{"sa" + strings.Repeat("*?", 300), 1, "wildcards; at most 4"},
		{"banjir sa*?*?*?*?", 8, "8 wildcards"},
		{"banjir sa*a????", 8, "5 wildcards"},
		{"sa*a???", 0, ""},
		{"sa*" + strings.Repeat("b", 22) + "?", 1, "too long for a wildcard"},
		{"sa*" + strings.Repeat("b", 19) + "?", 0, ""},
		{"tambang" + strings.Repeat("x", 200) + "*", 0, ""}, // a prefix needs no DFA
		{nine, len(nine) - 3, "more than 8 words with wildcards"},
		{strings.Repeat("(", 101) + "a" + strings.Repeat(")", 101), 101, "nested more than 100"},
		{strings.Repeat("(", 100) + "a" + strings.Repeat(")", 100), 0, ""},
		{strings.Repeat("NOT ", 101) + "a", 401, "nested more than 100"},
		{strings.Repeat("+", 20000) + "a", 101, "nested more than 100"},
		{"banjir " + strings.Repeat("-", 200) + "a", 108, "nested more than 100"},
		{"title:" + strings.Repeat("(", 101) + "a" + strings.Repeat(")", 101), 107, "nested more than 100"},
	} {
		name := c.query
		if len(name) > 40 {
			name = name[:40]
		}
		t.Run(name, func(t *testing.T) {
			_, err := ix.Search(context.Background(), Request{Query: c.query})
			if c.column == 0 {
				if err != nil {
					t.Fatalf("Search(%q) error = %v, want none", c.query, err)
				}
				return
			}
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Search(%q) error = %v, want a *SyntaxError", c.query, err)
			}
			if se.Column != c.column || !strings.Contains(se.Msg, c.msg) {
				t.Errorf("Search(%q) error = column %d %q, want column %d containing %q", c.query, se.Column, se.Msg, c.column, c.msg)
			}
		})
	}
}

// TestUnreadableIndex checks that an index whose files are broken gives
// an error wrapping ErrUnreadable, never a panic, and that a panic of
// Bleve's while it reads (a segment overwritten by garbage made it slice
// past the file's end) is one such error, after which the index still
// serves (failed before: the panic reached the caller).
func TestUnreadableIndex(t *testing.T) {
	ctx := context.Background()
	t.Run("bleve panics", func(t *testing.T) {
		ix := openFixture(t)
		err := ix.read(ctx, func(bleve.Index) error { panic("slice bounds out of range") })
		if !errors.Is(err, ErrUnreadable) || !strings.Contains(err.Error(), "slice bounds") {
			t.Fatalf("read(panicking) error = %v, want ErrUnreadable with the panic", err)
		}
		if _, err := ix.Search(ctx, Request{Query: "banjir"}); err != nil {
			t.Errorf("Search after a recovered panic: %v", err)
		}
	})
	for _, c := range []struct {
		name    string
		breakIt func(t *testing.T, dir string)
	}{
		{"CURRENT names nothing", func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, currentFile), []byte("garbage\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}},
		{"CURRENT unreadable", func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, currentFile), []byte("../x\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}},
		{"segment truncated", func(t *testing.T, dir string) {
			segs, _ := filepath.Glob(filepath.Join(dir, "gen-*", "store", "*.zap"))
			if len(segs) == 0 {
				t.Fatal("no segment file")
			}
			for _, s := range segs {
				if err := os.Truncate(s, 100); err != nil {
					t.Fatal(err)
				}
			}
		}},
		{"metadata overwritten", func(t *testing.T, dir string) {
			metas, _ := filepath.Glob(filepath.Join(dir, "gen-*", "index_meta.json"))
			for _, m := range metas {
				if err := os.WriteFile(m, []byte("{"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			ix := openFixtureIn(t, dir)
			if err := ix.Close(); err != nil {
				t.Fatal(err)
			}
			c.breakIt(t, dir)
			ix, err := Open(dir, Options{NoCreate: true, Wait: time.Second})
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer ix.Close()
			if _, err := ix.Search(ctx, Request{Query: "banjir"}); !errors.Is(err, ErrUnreadable) {
				t.Errorf("Search error = %v, want ErrUnreadable", err)
			}
			// A rebuild, which is how the index is mended, still starts.
			rb, err := ix.Rebuild(ctx)
			if err != nil {
				t.Fatalf("Rebuild: %v", err)
			}
			if err := rb.Add(ctx, fixture()...); err != nil {
				t.Fatalf("Rebuild.Add: %v", err)
			}
			if err := rb.Commit(); err != nil {
				t.Fatalf("Rebuild.Commit: %v", err)
			}
			if res, err := ix.Search(ctx, Request{Query: "banjir"}); err != nil || res.Total == 0 {
				t.Errorf("Search after the rebuild = %v, %v; want hits", res, err)
			}
		})
	}
}

// TestEach checks that Each visits every match once, in the order of the
// request, page by page with search-after (here two hits a page, so the
// fixture takes three pages), and stops at fn's error or the context's
// end. Before it, `warta export QUERY` paged with offsets, and failed past
// MaxWindow (100,000) matches after writing that many.
func TestEach(t *testing.T) {
	ix := openFixture(t)
	ctx := context.Background()
	for _, req := range []Request{
		{}, {Sort: "date"}, {Query: "sawahlunto OR tambang OR banjir OR talawi"}, {Query: "-xyzzy", Sort: "date"}, {Query: "xyzzy"},
	} {
		all, err := ix.Search(ctx, Request{Query: req.Query, Sort: req.Sort, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var got []Hit
		if err := ix.each(ctx, req, 2, func(h Hit) error { got = append(got, h); return nil }); err != nil {
			t.Fatalf("each(%+v): %v", req, err)
		}
		if g, w := sorted(hitIDs(got)), sorted(ids(all)); !slices.Equal(g, w) {
			t.Errorf("each(%+v) visited %v, want %v once each", req, g, w)
		}
		for i := 1; i < len(got); i++ {
			a, b := got[i-1], got[i]
			if req.Sort == "date" && b.Published != "" && a.Published < b.Published || req.Sort == "" && a.Score < b.Score {
				t.Errorf("each(%+v): %s (%s, %g) before %s (%s, %g), out of order", req, a.ID, a.Published, a.Score, b.ID, b.Published, b.Score)
			}
		}
	}
	stop := errors.New("stop")
	n := 0
	if err := ix.each(ctx, Request{}, 2, func(Hit) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
		t.Errorf("each with fn failing: error %v after %d hits, want stop after 1", err, n)
	}
	cctx, cancel := context.WithCancel(ctx)
	n = 0
	err := ix.each(cctx, Request{}, 2, func(Hit) error { n++; cancel(); return nil })
	if !errors.Is(err, context.Canceled) || n != 1 {
		t.Errorf("each cancelled by fn: error %v after %d hits, want context.Canceled after 1", err, n)
	}
	if err := ix.Each(ctx, Request{Query: "(banjir"}, func(Hit) error { return nil }); !errors.As(err, new(*SyntaxError)) {
		t.Errorf("Each(bad query) error = %v, want a *SyntaxError", err)
	}
}

func hitIDs(hs []Hit) []string {
	out := []string{}
	for _, h := range hs {
		out = append(out, h.ID)
	}
	return out
}

// TestSearchLockedIndex checks that a search of an index another writer
// holds (a crawl in another process; Bleve's lock works per open file, so
// a second Index contends as a process does) waits for Options.Wait and
// then says who holds it, without calling the index unreadable, and that
// a cancelled search stops waiting.
func TestSearchLockedIndex(t *testing.T) {
	dir := t.TempDir()
	w, err := Open(dir, Options{Exclusive: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.Add(context.Background(), fixture()...); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	r, err := Open(dir, Options{NoCreate: true, Wait: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	_, err = r.Search(context.Background(), Request{Query: "banjir"})
	if err == nil || !strings.Contains(err.Error(), "another warta process kept it busy") || errors.Is(err, ErrUnreadable) {
		t.Errorf("Search of a held index: error %v, want one saying another process keeps it busy, not ErrUnreadable", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r2, err := Open(dir, Options{NoCreate: true, Wait: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	if _, err := r2.Search(ctx, Request{Query: "banjir"}); !errors.Is(err, context.Canceled) || errors.Is(err, ErrUnreadable) {
		t.Errorf("cancelled Search of a held index: error %v, want context.Canceled", err)
	}
}
