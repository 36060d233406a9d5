package crawler

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/warta-id/warta/crawler/demosite"
)

// BenchmarkDemoCrawl crawls a 2,000-article demo site on loopback at delay
// 0 with a Handler that does nothing, so it measures fetching alone:
// articles per second for a first run (every page fetched) and for an
// incremental run against the unchanged site. Compare with the extraction
// and full-pipeline figures of `make bench`.
func BenchmarkDemoCrawl(b *testing.B) {
	const n = 2000
	site := demosite.New(demosite.Options{Articles: n, Seed: 3})
	base, stop, err := demosite.Start(b.Context(), "", site)
	if err != nil {
		b.Fatal(err)
	}
	defer stop(context.Background())
	for _, mode := range []string{DiscoveryAuto, DiscoveryListing} {
		b.Run(mode, func(b *testing.B) {
			var articles, pages int
			for b.Loop() {
				b.StopTimer()
				state := filepath.Join(b.TempDir(), "state.db")
				b.StartTimer()
				c, err := New(Options{StartURLs: []string{base + "/"}, Discovery: mode, ArticlePattern: demoPattern,
					Concurrency: 4, StatePath: state})
				if err != nil {
					b.Fatal(err)
				}
				sum, err := c.Run(b.Context(), HandlerFunc(func(context.Context, *Page) error { return nil }))
				if err != nil {
					b.Fatal(err)
				}
				articles += sum.Articles
				pages += sum.Pages
			}
			b.ReportMetric(float64(articles)/b.Elapsed().Seconds(), "articles/s")
			b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}
