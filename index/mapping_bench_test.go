package index

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/warta-id/warta/internal/cputime"
)

// BenchmarkMappingCost prints what each of the body's extra fields costs
// to index: 2,000 generated articles through plain Bleve (writer held,
// batches of 500) with the mapping of MappingVersion 2, whose body_pairs
// held every pair of neighbouring words (the baseline), with warta's
// mapping (only the pairs with a frequent word), and with warta's mapping
// less the word pairs (fast phrases), less the positions of the unstemmed
// copy (phrase checks), less that copy. Rounds alternate the mappings and
// the fastest of each is printed, so that other processes on the machine
// weigh less, beside the process's CPU time per article and the index's
// bytes on disk per article.
func BenchmarkMappingCost(b *testing.B) {
	const n, rounds = 2000, 2
	warta := func(alter func(body *mapping.DocumentMapping)) func(testing.TB) *mapping.IndexMappingImpl {
		return func(tb testing.TB) *mapping.IndexMappingImpl {
			im, err := newMapping(AnalyzerID)
			if err != nil {
				tb.Fatal(err)
			}
			alter(im.DefaultMapping.Properties["body"])
			return im
		}
	}
	variants := []struct {
		name    string
		mapping func(testing.TB) *mapping.IndexMappingImpl
	}{
		{"every pair (MappingVersion 2)", allPairsMapping},
		{"warta's mapping", warta(func(*mapping.DocumentMapping) {})},
		{"without body_pairs", warta(func(body *mapping.DocumentMapping) {
			body.Fields = slices.DeleteFunc(body.Fields, func(f *mapping.FieldMapping) bool { return f.Name == fieldBodyPairs })
		})},
		{"without body_exact positions", warta(func(body *mapping.DocumentMapping) {
			for _, f := range body.Fields {
				if f.Name == fieldBodyExact {
					f.IncludeTermVectors = false
				}
			}
		})},
		{"without body_exact", warta(func(body *mapping.DocumentMapping) {
			body.Fields = slices.DeleteFunc(body.Fields, func(f *mapping.FieldMapping) bool { return f.Name == fieldBodyExact })
		})},
	}
	for b.Loop() {
		best := make([]time.Duration, len(variants))
		cpu := make([]time.Duration, len(variants))
		size := make([]int64, len(variants))
		for r := 0; r < rounds; r++ {
			for i, v := range variants {
				dir := b.TempDir()
				u0, s0 := cputime.Used()
				took, err := loadWith(dir, v.mapping(b), n)
				if err != nil {
					b.Fatal(err)
				}
				u1, s1 := cputime.Used()
				if r == 0 || took < best[i] {
					best[i] = took
				}
				if c := u1 - u0 + s1 - s0; r == 0 || c < cpu[i] {
					cpu[i] = c
				}
				if size[i], err = settledBytes(dir); err != nil {
					b.Fatal(err)
				}
			}
		}
		fmt.Printf("%-30s %12s %10s %12s %10s\n", "body fields", "articles/s", "time", "CPU/article", "bytes/art")
		for i, v := range variants {
			fmt.Printf("%-30s %12.0f %10.2f %10.2fms %10d\n", v.name, float64(n)/best[i].Seconds(), best[i].Seconds()/best[0].Seconds(),
				cpu[i].Seconds()*1000/n, size[i]/n)
		}
	}
}

// settledBytes returns the size of the Bleve index in dir after opening
// and closing it once more, which removes the files its merges made
// obsolete.
func settledBytes(dir string) (int64, error) {
	bi, err := bleve.Open(dir)
	if err != nil {
		return 0, err
	}
	if err := bi.Close(); err != nil {
		return 0, err
	}
	return dirBytes(dir), nil
}

// loadWith indexes n generated articles with plain Bleve and mapping im,
// the writer held, in batches of 500, and returns how long it took.
func loadWith(dir string, im *mapping.IndexMappingImpl, n int) (time.Duration, error) {
	start := time.Now()
	bi, err := bleve.New(dir, im)
	if err != nil {
		return 0, err
	}
	next := articleStream(42)
	batch := bi.NewBatch()
	for i := 0; i < n; i++ {
		a := next(i)
		if err := batch.Index(a.ID, newDocument(a)); err != nil {
			return 0, err
		}
		if batch.Size() == 500 || i == n-1 {
			if err := bi.Batch(batch); err != nil {
				return 0, err
			}
			batch = bi.NewBatch()
		}
	}
	err = bi.Close()
	return time.Since(start), err
}

var phraseArticlesFlag = flag.Int("phrase-articles", 5000, "generated articles of BenchmarkPhrases")

// BenchmarkPhrases prints the latency of body phrases (p50 and p99, the
// index held open, top 20 hits) on -phrase-articles generated articles
// indexed with warta's mapping, beside the same phrases on the same
// articles indexed with every word pair (MappingVersion 2) and answered
// as warta answered them then: two words by their pair, more by all
// their pairs and the positions. Phrases are words in a row of the
// articles, by kind: both words frequent (frequentWords), one of them,
// none but both among the 40 commonest words of the generated text (the
// case the pairs no longer cover), none and rarer, and three words. It
// checks that both indexes find the same articles for every phrase.
func BenchmarkPhrases(b *testing.B) {
	n := *phraseArticlesFlag
	ctx := context.Background()
	type built struct {
		name string
		bi   bleve.Index
		tr   *translator
		old  bool
	}
	var indexes []built
	for _, v := range []struct {
		name string
		im   func(testing.TB) *mapping.IndexMappingImpl
		old  bool
	}{
		{"every pair (MappingVersion 2)", allPairsMapping, true},
		{"pairs with a frequent word", func(tb testing.TB) *mapping.IndexMappingImpl {
			im, err := newMapping(AnalyzerID)
			if err != nil {
				tb.Fatal(err)
			}
			return im
		}, false},
	} {
		dir := b.TempDir()
		im := v.im(b)
		if _, err := loadWith(dir, im, n); err != nil {
			b.Fatal(err)
		}
		bi, err := bleve.Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		defer bi.Close()
		tr := &translator{stemmer: im.AnalyzerNamed(AnalyzerID), exact: im.AnalyzerNamed(analyzerExact), marks: newMarkSet()}
		indexes = append(indexes, built{v.name, bi, tr, v.old})
	}

	// Phrases of each kind, from the text of the first articles.
	common := map[string]bool{}
	for _, w := range words[:40] {
		common[w] = true
	}
	kinds := []string{"two frequent words", "a frequent and another word", "two common words, not frequent", "two rarer words", "three words"}
	kindOf := func(ws []string) int {
		if len(ws) == 3 {
			return 4
		}
		fa, fb := frequentWords[ws[0]], frequentWords[ws[1]]
		switch {
		case fa && fb:
			return 0
		case fa || fb:
			return 1
		case common[ws[0]] && common[ws[1]]:
			return 2
		}
		return 3
	}
	const perKind = 100
	phrases := make([][][]string, len(kinds))
	r := rand.New(rand.NewPCG(5, 5))
	next := articleStream(42)
	for i := 0; i < min(n, 2000); i++ {
		a := next(i)
		for _, sentence := range strings.Split(a.Body, ". ") {
			ws := strings.FieldsFunc(strings.ToLower(sentence), notWordRune)
			if len(ws) < 3 {
				continue
			}
			at := r.IntN(len(ws) - 2)
			for _, p := range [][]string{ws[at : at+2], ws[at : at+3]} {
				if k := kindOf(p); len(phrases[k]) < perKind {
					phrases[k] = append(phrases[k], p)
				}
			}
		}
	}
	// The old way: every pair is a term.
	oldPhrase := func(ws []string) query.Query {
		var qs []query.Query
		for i := 0; i+1 < len(ws); i++ {
			qs = append(qs, term(fieldBodyPairs, ws[i]+" "+ws[i+1]))
		}
		if len(ws) == 2 {
			return qs[0]
		}
		return query.NewConjunctionQuery(append(qs, matchPhrase(fieldBodyExact, strings.Join(ws, " "), 0)))
	}
	for b.Loop() {
		fmt.Printf("\nbody phrases, %d generated articles, index held open, top 20\n", n)
		fmt.Printf("%-32s %-30s %7s %9s %9s %9s\n", "phrase", "index", "phrases", "p50", "p99", "hits avg")
		for k, kind := range kinds {
			totals := make([]uint64, len(phrases[k]))
			for x, ix := range indexes {
				var lat []time.Duration
				var hits uint64
				for i, ws := range phrases[k] {
					q := ix.tr.bodyPhrase(strings.Join(ws, " "))
					if ix.old {
						q = oldPhrase(ws)
					}
					s := time.Now()
					res, err := ix.bi.SearchInContext(ctx, bleve.NewSearchRequest(q))
					if err != nil {
						b.Fatal(err)
					}
					lat = append(lat, time.Since(s))
					hits += res.Total
					if x == 0 {
						totals[i] = res.Total
					} else if res.Total != totals[i] {
						b.Fatalf("phrase %q: %s finds %d, %s %d", ws, ix.name, res.Total, indexes[0].name, totals[i])
					}
				}
				if len(lat) == 0 {
					fmt.Printf("%-32s %-30s %7d\n", kind, ix.name, 0)
					continue
				}
				slices.Sort(lat)
				fmt.Printf("%-32s %-30s %7d %9s %9s %9d\n", kind, ix.name, len(lat),
					lat[len(lat)/2].Round(10*time.Microsecond), lat[len(lat)*99/100].Round(10*time.Microsecond), hits/uint64(len(lat)))
			}
		}
	}
}
