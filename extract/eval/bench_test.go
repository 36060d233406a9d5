package eval

import (
	"testing"

	"github.com/warta-id/warta/extract/eval/trafilatura"
)

// benchPages loads a corpus folder once per benchmark.
func benchPages(b *testing.B, name string) []Page {
	b.Helper()
	pages, err := Load(corpusDir(b, name))
	if err != nil {
		b.Fatal(err)
	}
	var n int64
	for _, p := range pages {
		n += int64(len(p.HTML))
	}
	b.SetBytes(n / int64(len(pages)))
	return pages
}

func benchExtractor(b *testing.B, corpus string, ex Extractor) {
	pages := benchPages(b, corpus)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		p := pages[i%len(pages)]
		ex(p.HTML, p.URL)
	}
}

// The figures are per page, parsing included, so they compare directly.
func BenchmarkWartaZyte(b *testing.B)         { benchExtractor(b, "zyte-dev", warta) }
func BenchmarkTrafilaturaZyte(b *testing.B)   { benchExtractor(b, "zyte-dev", trafilatura.Extract) }
func BenchmarkReadabilityZyte(b *testing.B)   { benchExtractor(b, "zyte-dev", Readability) }
func BenchmarkWartaIDNews(b *testing.B)       { benchExtractor(b, "id-news-dev", warta) }
func BenchmarkTrafilaturaIDNews(b *testing.B) { benchExtractor(b, "id-news-dev", trafilatura.Extract) }
func BenchmarkReadabilityIDNews(b *testing.B) { benchExtractor(b, "id-news-dev", Readability) }
