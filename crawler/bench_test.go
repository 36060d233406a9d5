package crawler

import (
	"context"
	"net/http/httptest"
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

// BenchmarkScanLinks reads the links of demo article pages, through a
// lent slice as process does.
func BenchmarkScanLinks(b *testing.B) {
	pages := demoPages(b, 50)
	var buf []link
	i := 0
	for b.Loop() {
		buf, _ = appendLinks(buf, pages[i%len(pages)])
		i++
	}
}

// demoPages renders the first n article pages of a demo site.
func demoPages(tb testing.TB, n int) [][]byte {
	site := demosite.New(demosite.Options{Articles: n, Seed: 3})
	var pages [][]byte
	for _, a := range site.Truth() {
		rec := httptest.NewRecorder()
		site.ServeHTTP(rec, httptest.NewRequest("GET", "http://demo.test"+a.Path, nil))
		if rec.Code != 200 {
			tb.Fatalf("GET %s = %d, want 200", a.Path, rec.Code)
		}
		pages = append(pages, rec.Body.Bytes())
	}
	return pages
}

// BenchmarkScanLinksTokenizer is BenchmarkScanLinks through
// tokenizerLinks, the html.Tokenizer reading that the scanner replaced:
// the baseline for the scanner's figure.
func BenchmarkScanLinksTokenizer(b *testing.B) {
	pages := demoPages(b, 50)
	var buf []link
	i := 0
	for b.Loop() {
		buf, _ = tokenizerLinks(buf, pages[i%len(pages)])
		i++
	}
}
