package index

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
)

// BenchmarkMappingCost prints what each of the body's extra fields costs
// to index: 2,000 generated articles through plain Bleve (writer held,
// batches of 500) with warta's mapping, and with the same mapping less
// the word pairs (fast phrases), less the positions of the unstemmed
// copy (phrase checks), less that copy. Rounds alternate the mappings
// and the fastest of each is printed, so that other processes on the
// machine weigh less; the full mapping is the baseline.
func BenchmarkMappingCost(b *testing.B) {
	const n, rounds = 2000, 2
	variants := []struct {
		name  string
		alter func(body *mapping.DocumentMapping)
	}{
		{"warta's mapping", func(*mapping.DocumentMapping) {}},
		{"without body_pairs", func(body *mapping.DocumentMapping) {
			body.Fields = slices.DeleteFunc(body.Fields, func(f *mapping.FieldMapping) bool { return f.Name == fieldBodyPairs })
		}},
		{"without body_exact positions", func(body *mapping.DocumentMapping) {
			for _, f := range body.Fields {
				if f.Name == fieldBodyExact {
					f.IncludeTermVectors = false
				}
			}
		}},
		{"without body_exact", func(body *mapping.DocumentMapping) {
			body.Fields = slices.DeleteFunc(body.Fields, func(f *mapping.FieldMapping) bool { return f.Name == fieldBodyExact })
		}},
	}
	for b.Loop() {
		best := make([]time.Duration, len(variants))
		for r := 0; r < rounds; r++ {
			for i, v := range variants {
				im, err := newMapping(AnalyzerID)
				if err != nil {
					b.Fatal(err)
				}
				v.alter(im.DefaultMapping.Properties["body"])
				took, err := loadWith(b.TempDir(), im, n)
				if err != nil {
					b.Fatal(err)
				}
				if r == 0 || took < best[i] {
					best[i] = took
				}
			}
		}
		for i, v := range variants {
			fmt.Printf("%-30s %6.0f articles/s (%.2f of warta's mapping's time)\n", v.name, float64(n)/best[i].Seconds(), best[i].Seconds()/best[0].Seconds())
		}
	}
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
