package index

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/internal/cputime"
)

// pairVariant is a mapping BenchmarkDemoPairs indexes with; old marks
// the one whose phrases are answered as MappingVersion 2 answered them.
type pairVariant struct {
	name  string
	im    func(testing.TB) *mapping.IndexMappingImpl
	old   bool
	words pairWords // the words of the variant's body_pairs; nil for frequentWords
}

// BenchmarkDemoPairs is BenchmarkMappingCost and BenchmarkPhrases on the
// demo site's 5,000 articles (their true text, no crawl), whose words are
// as frequent as a regional site's: indexing rate, CPU time and bytes on
// disk per article with every word pair (MappingVersion 2, the baseline),
// with the pairs of a word of frequentWords, and with the pairs of a word
// learnt from the articles as a rebuild learns it (pickPairWords), two
// rounds each; then the latency of two-word phrases of the articles with
// a word of frequentWords, with two words both in 30% of the articles or
// more but not in frequentWords ("kota sawahlunto"), and the rest. Every
// index must find the same articles for each phrase.
func BenchmarkDemoPairs(b *testing.B) {
	as := demoArticles(5000)
	current := func(tb testing.TB) *mapping.IndexMappingImpl {
		im, err := newMapping(AnalyzerID)
		if err != nil {
			tb.Fatal(err)
		}
		return im
	}
	learnt := pickPairWords(docFrequencies(as), uint64(len(as)))
	fmt.Printf("words in 30%% of the articles or more, learnt as a rebuild learns them: %d\n", len(learnt))
	variants := []pairVariant{{"every pair (version 2)", allPairsMapping, true, nil}, {"pairs with a frequent word", current, false, nil},
		{"pairs with a learnt word", func(tb testing.TB) *mapping.IndexMappingImpl {
			im, err := newMappingWith(AnalyzerID, learnt)
			if err != nil {
				tb.Fatal(err)
			}
			return im
		}, false, setOf(learnt)}}
	for b.Loop() {
		demoPairs(b, as, current, variants)
	}
}

func demoPairs(b *testing.B, as []*extract.Article, current func(testing.TB) *mapping.IndexMappingImpl, variants []pairVariant) {
	n := len(as)
	{
		fmt.Printf("\ndemo site, %d articles, plain Bleve, batches of 500\n", n)
		indexes := make([]bleve.Index, len(variants))
		for round := 0; round < 2; round++ {
			for i, v := range variants {
				dir := b.TempDir()
				u0, s0 := cputime.Used()
				start := time.Now()
				bi, err := bleve.New(dir, v.im(b))
				if err != nil {
					b.Fatal(err)
				}
				batch := bi.NewBatch()
				for j, a := range as {
					if err := batch.Index(a.ID, newDocument(a)); err != nil {
						b.Fatal(err)
					}
					if batch.Size() == 500 || j == n-1 {
						if err := bi.Batch(batch); err != nil {
							b.Fatal(err)
						}
						batch = bi.NewBatch()
					}
				}
				if err := bi.Close(); err != nil {
					b.Fatal(err)
				}
				took := time.Since(start)
				u1, s1 := cputime.Used()
				size, err := settledBytes(dir)
				if err != nil {
					b.Fatal(err)
				}
				fmt.Printf("round %d  %-28s %6.0f articles/s  CPU %.2f ms  %d bytes per article\n", round+1, v.name,
					float64(n)/took.Seconds(), (u1-u0+s1-s0).Seconds()*1000/float64(n), size/int64(n))
				if round == 1 {
					if indexes[i], err = bleve.Open(dir); err != nil {
						b.Fatal(err)
					}
					defer indexes[i].Close()
				}
			}
		}

		df := docFrequencies(as)
		kinds := []string{"a word of frequentWords", "both in >= 30%, neither in it", "other words"}
		const perKind = 150
		phrases := make([][]string, len(kinds))
		r := rand.New(rand.NewPCG(1, 2))
		for try := 0; try < 100000; try++ {
			ws := strings.FieldsFunc(strings.ToLower(as[r.IntN(n)].Body), notWordRune)
			if len(ws) < 2 {
				continue
			}
			i := r.IntN(len(ws) - 1)
			k := 2
			switch {
			case pairIndexed([]byte(ws[i]), []byte(ws[i+1])):
				k = 0
			case df[ws[i]]*10 >= 3*uint64(n) && df[ws[i+1]]*10 >= 3*uint64(n):
				k = 1
			}
			if len(phrases[k]) < perKind {
				phrases[k] = append(phrases[k], ws[i]+" "+ws[i+1])
			}
		}
		im := current(b)
		tr := &translator{stemmer: im.AnalyzerNamed(AnalyzerID), exact: im.AnalyzerNamed(analyzerExact), marks: newMarkSet()}
		fmt.Printf("%-32s %-28s %7s %9s %9s %9s\n", "two-word phrase", "index", "phrases", "p50", "p99", "hits avg")
		for k, kind := range kinds {
			if len(phrases[k]) == 0 {
				continue
			}
			totals := make([]uint64, len(phrases[k]))
			for x, v := range variants {
				var lat []time.Duration
				var hits uint64
				for i, p := range phrases[k] {
					tr.pairs = v.words
					q := tr.bodyPhrase(p)
					if v.old {
						q = query.Query(term(fieldBodyPairs, p))
					}
					start := time.Now()
					res, err := indexes[x].SearchInContext(context.Background(), bleve.NewSearchRequest(q))
					if err != nil {
						b.Fatal(err)
					}
					lat = append(lat, time.Since(start))
					hits += res.Total
					if x == 0 {
						totals[i] = res.Total
					} else if res.Total != totals[i] {
						b.Fatalf("phrase %q: %s finds %d, %s %d", p, v.name, res.Total, variants[0].name, totals[i])
					}
				}
				slices.Sort(lat)
				fmt.Printf("%-32s %-28s %7d %9s %9s %9d\n", kind, v.name, len(lat),
					lat[len(lat)/2].Round(10*time.Microsecond), lat[len(lat)*99/100].Round(10*time.Microsecond), hits/uint64(len(lat)))
			}
		}
	}
}

// docFrequencies returns the number of articles each lowercased word of
// their bodies occurs in.
func docFrequencies(as []*extract.Article) map[string]uint64 {
	df := map[string]uint64{}
	for _, a := range as {
		seen := map[string]bool{}
		for _, w := range strings.FieldsFunc(strings.ToLower(a.Body), notWordRune) {
			if !seen[w] {
				seen[w] = true
				df[w]++
			}
		}
	}
	return df
}
