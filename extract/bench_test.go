package extract

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/warta-id/warta/crawler/demosite"
	"github.com/warta-id/warta/internal/cputime"
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

// BenchmarkExtractDemo measures extraction as the pipeline runs it on the
// demo site's article pages: ExtractRequisites with the demo profile, the
// site's hosts and zone, and what a learner learned from those pages. One
// op is every page; beside ns/op it prints CPU-independent allocations and
// KB per page, and the mean time and the process's CPU time per page.
func BenchmarkExtractDemo(b *testing.B) {
	site := demosite.New(demosite.Options{Seed: 1, Articles: 300})
	type page struct {
		url, contentType string
		body             []byte
	}
	var pages []page
	for _, art := range site.Truth() {
		u := "http://demo.warta.test" + art.Path
		rec := httptest.NewRecorder()
		site.ServeHTTP(rec, httptest.NewRequest("GET", u, nil))
		res := rec.Result()
		body, err := io.ReadAll(res.Body)
		if err != nil || res.StatusCode != http.StatusOK {
			b.Fatalf("GET %s: %d %v", u, res.StatusCode, err)
		}
		pages = append(pages, page{u, res.Header.Get("Content-Type"), body})
	}
	loc, err := time.LoadLocation(DefaultTimezone)
	if err != nil {
		loc = DefaultLocation()
	}
	opt := Options{
		Site: "demo", Profile: "demo", Rules: demoRules, FetchedAt: fetched, Location: loc,
		Hosts: []string{"demo.warta.test"}, KeepURL: true, SiteTitle: "Pemerintah Kota Sawahlunto (demo)",
	}
	learner := NewSiteLearner()
	var n int64
	for _, p := range pages {
		n += int64(len(p.body))
		o := opt
		o.ContentType = p.contentType
		a, _, err := ExtractRequisites(p.body, p.url, o)
		if err != nil {
			b.Fatalf("ExtractRequisites(%s): %v", p.url, err)
		}
		learner.Learn(a)
	}
	opt.Hints = learner.Hints()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	user0, sys0 := cputime.Used()
	b.ResetTimer()
	for b.Loop() {
		for _, p := range pages {
			o := opt
			o.ContentType = p.contentType
			if _, _, err := ExtractRequisites(p.body, p.url, o); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.StopTimer()
	user1, sys1 := cputime.Used()
	runtime.ReadMemStats(&after)
	per := float64(b.N * len(pages))
	b.ReportMetric(float64(b.Elapsed())/per/float64(time.Millisecond), "ms/page")
	b.ReportMetric(float64(user1-user0+sys1-sys0)/per/float64(time.Millisecond), "cpu-ms/page")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/per, "allocs/page")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/per/1024, "KB/page")
}
