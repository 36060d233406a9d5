package index

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/warta-id/warta/extract"
)

// TestShareWordsSameIndex indexes the same articles through commit, whose
// fields share their split words, and through Bleve's own Batch.Index,
// whose fields each analyse their value; every field must hold the same
// terms for the same articles, with the same frequencies, norms and
// positions.
func TestShareWordsSameIndex(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 16))
	as, _ := phraseArticles(r, 150)
	as = append(as, demoArticles(150)...)
	for i, a := range as {
		// Titles and captions in mixed case, with words the stemmer
		// changes and stop words, and a stored title that must keep its
		// capitals.
		a.Title = fmt.Sprintf("Pembangunan Jalan %d Dibangun yang Baru di KOTA Talawi", i)
		a.Images = []extract.Image{{Caption: "Warga MENYAPU jalan, dan penulis membaca"}, {Caption: "Menulis di Sawahlunto"}}
		a.Dateline = extract.Dateline{Place: "SAWAHLUNTO", Agency: "Antara"}
	}

	im, err := newMapping(AnalyzerID)
	if err != nil {
		t.Fatal(err)
	}
	doc := document.NewDocument(as[0].ID)
	if err := im.MapDocument(doc, newDocument(as[0])); err != nil {
		t.Fatal(err)
	}
	shareWords(doc, &sync.Pool{})
	var shared []string
	for _, f := range doc.Fields {
		if _, ok := f.(*sharedField); ok {
			shared = append(shared, f.Name())
		}
	}
	want := []string{fieldTitle, fieldTitleExact, fieldBody, fieldBodyExact, fieldBodyPairs, fieldCaption, fieldCaptionExact}
	slices.Sort(shared)
	slices.Sort(want)
	if !slices.Equal(shared, want) {
		t.Errorf("fields sharing their words = %v, want %v", shared, want)
	}

	open := func(share bool) bleve.Index {
		bi, err := bleve.NewMemOnly(im)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { bi.Close() })
		if share {
			pending := map[string]map[string]interface{}{}
			var order []string
			for _, a := range as {
				pending[a.ID] = newDocument(a)
				order = append(order, a.ID)
			}
			if err := commit(bi, order, pending, &sync.Pool{}); err != nil {
				t.Fatal(err)
			}
			return bi
		}
		b := bi.NewBatch()
		for _, a := range as {
			if err := b.Index(a.ID, newDocument(a)); err != nil {
				t.Fatal(err)
			}
		}
		if err := bi.Batch(b); err != nil {
			t.Fatal(err)
		}
		return bi
	}
	got, plain := open(true), open(false)
	for _, field := range []string{fieldTitle, fieldTitleExact, fieldBody, fieldBodyExact, fieldBodyPairs, fieldCaption, fieldCaptionExact, fieldPlace, fieldURLWords} {
		g, w := postings(t, got, field), postings(t, plain, field)
		if len(w) == 0 {
			t.Fatalf("field %s: no terms indexed", field)
		}
		if len(g) != len(w) {
			t.Errorf("field %s: %d terms with shared words, want %d", field, len(g), len(w))
		}
		for term, wp := range w {
			if gp := g[term]; gp != wp {
				t.Errorf("field %s term %q with shared words:\n%s\nwant\n%s", field, term, gp, wp)
				break
			}
		}
	}
	// The stored title keeps its capitals.
	res, err := got.Search(func() *bleve.SearchRequest {
		req := bleve.NewSearchRequest(bleve.NewDocIDQuery([]string{as[0].ID}))
		req.Fields = []string{fieldTitle}
		return req
	}())
	if err != nil || len(res.Hits) != 1 {
		t.Fatalf("search by id: %v, %v", res, err)
	}
	if title := res.Hits[0].Fields[fieldTitle]; title != as[0].Title {
		t.Errorf("stored title = %q, want %q", title, as[0].Title)
	}
}

// postings returns, for each term of field in bi, the articles that hold
// it with their frequency, norm and positions, as text.
func postings(t *testing.T, bi bleve.Index, field string) map[string]string {
	t.Helper()
	adv, err := bi.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	dict, err := r.FieldDict(field)
	if err != nil {
		t.Fatal(err)
	}
	defer dict.Close()
	out := map[string]string{}
	for {
		e, err := dict.Next()
		if err != nil {
			t.Fatal(err)
		}
		if e == nil {
			break
		}
		tfr, err := r.TermFieldReader(context.Background(), []byte(e.Term), field, true, true, true)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for {
			d, err := tfr.Next(&index.TermFieldDoc{})
			if err != nil {
				t.Fatal(err)
			}
			if d == nil {
				break
			}
			id, err := r.ExternalID(d.ID)
			if err != nil {
				t.Fatal(err)
			}
			var pos []string
			for _, v := range d.Vectors {
				pos = append(pos, fmt.Sprintf("%d@%d-%d", v.Pos, v.Start, v.End))
			}
			lines = append(lines, fmt.Sprintf("%s freq %d norm %.4f %s", id, d.Freq, d.Norm, strings.Join(pos, " ")))
		}
		tfr.Close()
		slices.Sort(lines)
		out[e.Term] = strings.Join(lines, "\n")
	}
	return out
}

// TestShareWordsAnalyzeTwice analyses every field of a document twice:
// the second time, after the shared words were let go, finds the same
// terms.
func TestShareWordsAnalyzeTwice(t *testing.T) {
	im, err := newMapping(AnalyzerID)
	if err != nil {
		t.Fatal(err)
	}
	a := demoArticles(1)[0]
	doc := document.NewDocument(a.ID)
	if err := im.MapDocument(doc, newDocument(a)); err != nil {
		t.Fatal(err)
	}
	shareWords(doc, &sync.Pool{})
	terms := func(f document.Field) []string {
		var out []string
		for term, tf := range f.AnalyzedTokenFrequencies() {
			out = append(out, fmt.Sprintf("%s×%d", term, tf.Frequency()))
		}
		slices.Sort(out)
		return out
	}
	first := make([][]string, len(doc.Fields))
	for i, f := range doc.Fields {
		f.Analyze()
		first[i] = terms(f)
	}
	for i, f := range doc.Fields {
		f.Analyze()
		if got := terms(f); !slices.Equal(got, first[i]) {
			t.Errorf("field %s analysed again: %d terms, want %d", f.Name(), len(got), len(first[i]))
		}
		if f.Name() == fieldBodyExact && len(first[i]) == 0 {
			t.Errorf("field %s: no terms", fieldBodyExact)
		}
	}
}

// TestTermFrequencies holds termFrequencies to what Bleve's
// analysis.TokenFrequency makes of the same tokens, with and without
// term vectors and array positions, and checks that merging another
// field's locations into a term (as Bleve does for fields of one name)
// leaves the other terms' locations as they were.
func TestTermFrequencies(t *testing.T) {
	words := strings.Fields("banjir di kota banjir besar di kota sawahlunto banjir x")
	var tokens analysis.TokenStream
	at := 0
	for i, w := range words {
		tokens = append(tokens, &analysis.Token{Term: []byte(w), Start: at, End: at + len(w), Position: i + 1, Type: analysis.AlphaNumeric})
		at += len(w) + 1
	}
	show := func(tfs index.TokenFrequencies) string {
		var out []string
		for k, tf := range tfs {
			var locs []string
			for _, l := range tf.Locations {
				locs = append(locs, fmt.Sprintf("%q%v %d-%d@%d", l.Field, l.ArrayPositions, l.Start, l.End, l.Position))
			}
			out = append(out, fmt.Sprintf("%s/%s ×%d [%s]", k, tf.Term, tf.Frequency(), strings.Join(locs, " ")))
		}
		slices.Sort(out)
		return strings.Join(out, "\n")
	}
	for _, c := range []struct {
		name    string
		options index.FieldIndexingOptions
		array   []uint64
	}{
		{"terms", index.IndexField, nil},
		{"vectors", index.IndexField | index.IncludeTermVectors, nil},
		{"vectors in an array", index.IndexField | index.IncludeTermVectors, []uint64{2}},
		{"no frequencies", index.IndexField | index.SkipFreqNorm, nil},
		{"none", index.IndexField, nil},
	} {
		toks := tokens
		if c.name == "none" {
			toks = nil
		}
		got, gotSize := termFrequencies(toks, c.array, c.options)
		want := analysis.TokenFrequency(toks, c.array, c.options)
		if show(got) != show(want) {
			t.Errorf("%s: termFrequencies =\n%s\nwant\n%s", c.name, show(got), show(want))
		}
		if wantSize := want.Size(); gotSize != wantSize {
			t.Errorf("%s: size %d, want %d", c.name, gotSize, wantSize)
		}
		if !c.options.IncludeTermVectors() {
			continue
		}
		other := analysis.TokenFrequency(tokens[:3], nil, c.options)
		got.MergeAll("other", other)
		want.MergeAll("other", analysis.TokenFrequency(tokens[:3], nil, c.options))
		if show(got) != show(want) {
			t.Errorf("%s merged: termFrequencies =\n%s\nwant\n%s", c.name, show(got), show(want))
		}
	}
}
