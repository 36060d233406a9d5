package demosite

import (
	"net/http/httptest"
	"testing"
)

// BenchmarkNew measures building a 20,000-article site.
func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		New(Options{Seed: 1, Articles: 20000})
	}
}

// BenchmarkArticlePage measures rendering one article page, as a crawl of
// the site asks for it.
func BenchmarkArticlePage(b *testing.B) {
	s := New(Options{Seed: 1, Articles: 10000})
	paths := make([]string, 0, 10000)
	for _, a := range s.Truth() {
		paths = append(paths, a.Path)
	}
	b.ResetTimer()
	i := 0
	for b.Loop() {
		req := httptest.NewRequest("GET", "http://demo.test"+paths[i%len(paths)], nil)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("GET %s = %d, want 200", paths[i%len(paths)], rec.Code)
		}
		i++
	}
}

// BenchmarkTruth measures computing the ground truth of 10,000 articles.
func BenchmarkTruth(b *testing.B) {
	s := New(Options{Seed: 1, Articles: 10000})
	for b.Loop() {
		s.Truth()
	}
}
