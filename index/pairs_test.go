package index

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/shingle"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/warta-id/warta/extract"
)

// allPairsMapping returns the mapping of MappingVersion 2, whose
// body_pairs held every pair of neighbouring words: the baseline of the
// benchmarks, and the index an earlier warta left behind.
func allPairsMapping(tb testing.TB) *mapping.IndexMappingImpl {
	tb.Helper()
	im, err := newMapping(AnalyzerID)
	if err != nil {
		tb.Fatal(err)
	}
	if err := im.AddCustomTokenFilter("warta_pair", map[string]interface{}{
		"type": shingle.Name, "min": 2.0, "max": 2.0, "output_original": false, "separator": " ",
	}); err != nil {
		tb.Fatal(err)
	}
	if err := im.AddCustomAnalyzer("warta_all_pairs", map[string]interface{}{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []string{lowercase.Name, "warta_pair"},
	}); err != nil {
		tb.Fatal(err)
	}
	for _, f := range im.DefaultMapping.Properties["body"].Fields {
		if f.Name == fieldBodyPairs {
			f.Analyzer = "warta_all_pairs"
		}
	}
	return im
}

// phraseArticles returns n articles of random text over a small
// vocabulary of frequent words (from frequentWords), common words that
// are not frequent words, and rare ones, with punctuation, capitals and
// repeated words, so that every kind of phrase occurs.
func phraseArticles(r *rand.Rand, n int) ([]*extract.Article, []string) {
	frequent := []string{"yang", "di", "dan", "ini", "dengan", "tidak", "the", "of"}
	common := []string{"kota", "pemerintah", "jalan", "baru", "warga", "talawi"}
	var rare []string
	for i := 0; i < 40; i++ {
		rare = append(rare, fmt.Sprintf("kata%c%c", 'a'+i%26, 'a'+i/26))
	}
	vocab := slices.Concat(frequent, common, rare)
	word := func() string {
		switch x := r.IntN(10); {
		case x < 4:
			return frequent[r.IntN(len(frequent))]
		case x < 7:
			return common[r.IntN(len(common))]
		}
		return rare[r.IntN(len(rare))]
	}
	seps := []string{" ", " ", " ", " ", ", ", ". ", " - ", "\n\n", " (", ") ", "/"}
	var as []*extract.Article
	for i := 0; i < n; i++ {
		var b strings.Builder
		prev := ""
		for j := 20 + r.IntN(60); j > 0; j-- {
			w := word()
			if prev != "" && r.IntN(8) == 0 {
				w = prev // a repeated word
			}
			prev = w
			if r.IntN(5) == 0 {
				w = strings.ToUpper(w[:1]) + w[1:]
			}
			b.WriteString(w)
			b.WriteString(seps[r.IntN(len(seps))])
		}
		as = append(as, &extract.Article{ID: fmt.Sprintf("a%03d", i), Title: "t", Body: b.String()})
	}
	return as, vocab
}

// TestPhraseSameAsPositions checks that a phrase in the body, answered
// from the pairs body_pairs holds where it can, finds exactly the
// articles a plain phrase query on body_exact finds: phrases of 2, 3 and 4
// words taken from the articles (so most occur) or made up from their
// vocabulary (so many do not), of frequent and rarer words in every mix,
// with punctuation between the words and repeated words. It checks both
// the index this warta writes and one of MappingVersion 2, which holds
// every pair and is searched by this warta until it is rebuilt.
func TestPhraseSameAsPositions(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 3))
	as, vocab := phraseArticles(r, 300)
	var phrases []string
	for i := 0; i < 600; i++ {
		n := 2 + i%3
		var ws []string
		if i%2 == 0 {
			// Words in a row of an article, with what stood between them.
			body := as[r.IntN(len(as))].Body
			toks := strings.SplitAfter(body, " ")
			at := r.IntN(max(1, len(toks)-n))
			ws = toks[at:min(len(toks), at+n)]
		} else {
			for j := 0; j < n; j++ {
				ws = append(ws, vocab[r.IntN(len(vocab))]+" ")
			}
		}
		phrases = append(phrases, strings.TrimSpace(strings.Join(ws, "")))
	}
	phrases = append(phrases, "yang yang", "Yang, yang", "di di di", "kota kota", "kataaa kataaa", "dan, kota. pemerintah", "the of the", "jalan baru")

	for _, mm := range []struct {
		name string
		im   *mapping.IndexMappingImpl
	}{{"pairs with a frequent word", nil}, {"every pair (MappingVersion 2)", allPairsMapping(t)}} {
		t.Run(mm.name, func(t *testing.T) {
			im := mm.im
			if im == nil {
				var err error
				if im, err = newMapping(AnalyzerID); err != nil {
					t.Fatal(err)
				}
			}
			bi, err := bleve.NewMemOnly(im)
			if err != nil {
				t.Fatal(err)
			}
			defer bi.Close()
			batch := bi.NewBatch()
			for _, a := range as {
				if err := batch.Index(a.ID, newDocument(a)); err != nil {
					t.Fatal(err)
				}
			}
			if err := bi.Batch(batch); err != nil {
				t.Fatal(err)
			}
			hits := func(q query.Query) []string {
				req := bleve.NewSearchRequestOptions(q, len(as)+1, 0, false)
				res, err := bi.SearchInContext(context.Background(), req)
				if err != nil {
					t.Fatal(err)
				}
				var ids []string
				for _, h := range res.Hits {
					ids = append(ids, h.ID)
				}
				slices.Sort(ids)
				return ids
			}
			tr := &translator{stemmer: im.AnalyzerNamed(AnalyzerID), exact: im.AnalyzerNamed(analyzerExact), marks: newMarkSet()}
			// What the phrases covered, so that the test cannot pass by
			// comparing empty results or one path only.
			var found, byPair, byPositions, mixed int
			for _, p := range phrases {
				want := hits(matchPhrase(fieldBodyExact, p, 0))
				q := tr.bodyPhrase(p)
				if got := hits(q); !slices.Equal(got, want) {
					t.Errorf("phrase %q: pairs find %v, positions find %v", p, got, want)
				}
				if len(want) > 0 {
					found++
				}
				switch q.(type) {
				case *query.TermQuery:
					byPair++
				case *query.MatchPhraseQuery:
					byPositions++
				case *query.ConjunctionQuery:
					mixed++
				}
			}
			t.Logf("%d phrases: %d found in some article; %d answered by one pair, %d by positions alone, %d by pairs and positions", len(phrases), found, byPair, byPositions, mixed)
			if found < len(phrases)/3 || found == len(phrases) || byPair < 50 || byPositions < 50 || mixed < 50 {
				t.Errorf("the phrases cover too little: %d of %d found, %d by one pair, %d by positions, %d by both", found, len(phrases), byPair, byPositions, mixed)
			}
		})
	}
}

// TestPairFilter checks which pairs body_pairs holds: those with a
// frequent word, at the position of their first word, across
// punctuation, in lower case.
func TestPairFilter(t *testing.T) {
	im, err := newMapping(AnalyzerID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tok := range im.AnalyzerNamed(analyzerPairs).Analyze([]byte("Banjir di Talawi, jalan RUSAK berat. Yang yang")) {
		got = append(got, fmt.Sprintf("%s@%d", tok.Term, tok.Position))
	}
	want := []string{"banjir di@1", "di talawi@2", "berat yang@6", "yang yang@7"}
	if !slices.Equal(got, want) {
		t.Errorf("pairs = %q, want %q", got, want)
	}
}

// TestLearnedPairWords rebuilds an index whose articles all say "kota
// Sawahlunto", which frequentWords does not name: the new generation
// learns its own list from the old one's document frequencies, indexes
// and answers phrases with it (a two-word phrase of the list is one term
// of body_pairs), keeps using it for articles added later and after a
// reopen, and finds what the positions find.
func TestLearnedPairWords(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var as []*extract.Article
	for i := 0; i < learnMin; i++ {
		weather := "cerah"
		if i%2 == 0 {
			weather = "banjir besar"
		}
		as = append(as, &extract.Article{ID: fmt.Sprintf("a%d", i), Site: "demo", URL: fmt.Sprintf("https://demo.test/%d", i),
			Title: "Berita", Body: fmt.Sprintf("Warga kota Sawahlunto %s pada 2024 menurut unik%d.", weather, i)})
	}
	if err := ix.Add(ctx, as...); err != nil {
		t.Fatal(err)
	}
	if err := ix.Flush(); err != nil {
		t.Fatal(err)
	}
	r, err := ix.Rebuild(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Abort()
	if err := r.Add(ctx, as...); err != nil {
		t.Fatal(err)
	}
	if err := r.Commit(); err != nil {
		t.Fatal(err)
	}

	var words pairWords
	if err := ix.read(ctx, func(bi bleve.Index) error { words = pairWordsOf(bi.Mapping()); return nil }); err != nil {
		t.Fatal(err)
	}
	for w, want := range map[string]bool{"kota": true, "sawahlunto": true, "banjir": true, "warga": true, "yang": false, "2024": false, "unik1": false} {
		if words[w] != want {
			t.Errorf("learnt words hold %q: %v, want %v (words %v)", w, words[w], want, words)
		}
	}
	// A bare phrase searches title, body and captions; its body part is
	// the pair's term with the learnt list, positions without it.
	pairQuery := func(words pairWords) bool {
		sr, _, err := ix.buildRequest(Request{Query: `"kota sawahlunto"`}, words)
		if err != nil {
			t.Fatal(err)
		}
		dq, ok := sr.Query.(*query.DisjunctionQuery)
		if !ok {
			t.Fatalf(`"kota sawahlunto" translates to %T, want a disjunction over the fields`, sr.Query)
		}
		return slices.ContainsFunc(dq.Disjuncts, func(q query.Query) bool {
			tq, ok := q.(*query.TermQuery)
			return ok && tq.FieldVal == fieldBodyPairs && tq.Term == "kota sawahlunto"
		})
	}
	if !pairQuery(words) {
		t.Errorf(`"kota sawahlunto" with the learnt words: no term query on %s`, fieldBodyPairs)
	}
	if pairQuery(nil) {
		t.Errorf(`"kota sawahlunto" with frequentWords: a term query on %s, want positions`, fieldBodyPairs)
	}

	// Added after the rebuild: indexed with the generation's own list.
	late := &extract.Article{ID: "late", Site: "demo", URL: "https://demo.test/late", Title: "Berita", Body: "Kota Sawahlunto banjir lagi."}
	if err := ix.Add(ctx, late); err != nil {
		t.Fatal(err)
	}
	if err := ix.Flush(); err != nil {
		t.Fatal(err)
	}
	check := func(ix *Index) {
		t.Helper()
		for q, want := range map[string]uint64{`"kota sawahlunto"`: learnMin + 1, `"sawahlunto banjir"`: learnMin/2 + 1, `"banjir sawahlunto"`: 0, `"banjir besar"`: learnMin / 2, `"kota sawahlunto banjir"`: learnMin/2 + 1} {
			res, err := ix.Search(ctx, Request{Query: q, Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != want {
				t.Errorf("Search(%s).Total = %d, want %d", q, res.Total, want)
			}
		}
	}
	check(ix)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	reopened, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer reopened.Close()
	check(reopened) // the list read back from the mapping on disk
}
