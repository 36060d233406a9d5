package extract_test

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/extract/eval"
)

// corpusFolders are the body-text folders of ../shared/corpus.
var corpusFolders = []string{
	"zyte-dev", "id-news-dev", "fundus-all-dev", "l3s-gn1-dev", "dragnet-dev",
	"utomo-big9-dev", "cleanportaleval-dev", "readability-news-dev",
}

// loadCorpus reads one corpus folder, or skips when the corpus is absent.
func loadCorpus(tb testing.TB, name string) []eval.Page {
	tb.Helper()
	dir := filepath.Join("..", "..", "shared", "corpus", name)
	if _, err := os.Stat(filepath.Join(dir, "truth.json")); err != nil {
		tb.Skipf("corpus %s not found: %v", dir, err)
	}
	pages, err := eval.Load(dir)
	if err != nil {
		tb.Fatal(err)
	}
	return pages
}

// BenchmarkExtractCorpus runs the generic extractor, parsing included,
// over every page of each corpus folder: one op is the whole folder. Beside
// ns/op it prints the median and mean time per page and the allocations
// and bytes per page, which do not depend on the machine's load. Profile
// it with -cpuprofile (and -run '^$' -bench 'ExtractCorpus/zyte').
func BenchmarkExtractCorpus(b *testing.B) {
	for _, name := range corpusFolders {
		b.Run(name, func(b *testing.B) {
			pages := loadCorpus(b, name)
			var took []time.Duration
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			b.ResetTimer()
			for b.Loop() {
				for _, p := range pages {
					start := time.Now()
					extract.Extract(p.HTML, p.URL, extract.Options{})
					took = append(took, time.Since(start))
				}
			}
			b.StopTimer()
			runtime.ReadMemStats(&after)
			slices.Sort(took)
			var sum time.Duration
			for _, d := range took {
				sum += d
			}
			n := float64(len(took))
			ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
			b.ReportMetric(ms(took[len(took)/2]), "ms/page-median")
			b.ReportMetric(ms(sum)/n, "ms/page-mean")
			b.ReportMetric(float64(after.Mallocs-before.Mallocs)/n, "allocs/page")
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/n/1024, "KB/page")
		})
	}
}
