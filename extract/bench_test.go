package extract

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkExtractProfile measures the profile path on the seed page,
// parsing included (target: under 3 ms per page).
func BenchmarkExtractProfile(b *testing.B) {
	page, err := os.ReadFile(filepath.Join("testdata", "seed.html"))
	if err != nil {
		b.Fatal(err)
	}
	opt := Options{Site: "demo", Profile: "demo", Rules: demoRules, FetchedAt: fetched}
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Extract(page, "https://portal.sawahluntokota.go.id/x/", opt); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExtractGeneric measures the generic path over every golden
// page, parsing included.
func BenchmarkExtractGeneric(b *testing.B) {
	var pages [][]byte
	var n int64
	for _, c := range goldenCases {
		page := readGolden(b, c.name)
		pages = append(pages, page)
		n += int64(len(page))
	}
	b.SetBytes(n / int64(len(pages)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Extract(pages[i%len(pages)], "https://example.go.id/berita/satu/", Options{})
	}
}

// BenchmarkArticleLinks measures listing-page link finding on a page of
// 40 teasers.
func BenchmarkArticleLinks(b *testing.B) {
	page := []byte(listingPage(40))
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		ArticleLinks(page, "https://example.go.id/")
	}
}
