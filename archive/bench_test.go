package archive

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/warta-id/warta/extract"
)

// pageBody returns an article page of about 60 KB, as compressible as
// real WordPress HTML.
func pageBody(i int) string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html><html><head><title>Berita</title></head><body>")
	for b.Len() < 60<<10 {
		fmt.Fprintf(&b, `<div class="menu-item"><a href="/kategori/%d/">Kategori %d</a></div>`, b.Len()%97, i)
		b.WriteString("<p>" + randomText(i+b.Len(), 120) + "</p>\n")
	}
	b.WriteString("</body></html>")
	return b.String()
}

func BenchmarkSaveCapture(b *testing.B) {
	s, err := Open(b.TempDir(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	bodies := make([]string, 16)
	for i := range bodies {
		bodies[i] = pageBody(i)
	}
	var n atomic.Int64
	b.SetBytes(int64(len(bodies[0])))
	b.SetParallelism(2) // the crawler's default concurrency per host, times cores
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			c := testCapture(fmt.Sprintf("https://example.org/baca/%d", i), bodies[i%16])
			if _, err := s.SaveCapture(c); err != nil {
				b.Error(err)
			}
		}
	})
}

func BenchmarkSaveArticle(b *testing.B) {
	s, err := Open(b.TempDir(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	body := strings.Repeat("SAWAHLUNTO – Pemerintah Kota Sawahlunto menggelar kegiatan. ", 40)
	var n atomic.Int64
	b.SetParallelism(2)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			if _, err := s.SaveArticle(testArticle(fmt.Sprintf("https://example.org/baca/%d", i), body)); err != nil {
				b.Error(err)
			}
		}
	})
}

func BenchmarkSaveArticleUnchanged(b *testing.B) {
	s, err := Open(b.TempDir(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	a := testArticle("https://example.org/baca/x", strings.Repeat("Isi berita. ", 300))
	if _, err := s.SaveArticle(a); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if r, err := s.SaveArticle(a); err != nil || r != Unchanged {
			b.Fatal(r, err)
		}
	}
}

// BenchmarkLookup looks URLs up in an archive of 20,000 captures spread
// over closed index files and the file being written.
func BenchmarkLookup(b *testing.B) {
	s, err := Open(b.TempDir(), Options{MaxWARCBytes: 2 << 20})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	const n = 20000
	for i := range n {
		c := testCapture(fmt.Sprintf("https://example.org/baca/%d", i), randomText(i, 300))
		if _, err := s.SaveCapture(c); err != nil {
			b.Fatal(err)
		}
	}
	files, _ := warcFiles(s.warcDir())
	b.ReportMetric(float64(len(files)), "files")
	i := 0
	for b.Loop() {
		i = (i + 7919) % n
		if _, err := s.Lookup(fmt.Sprintf("https://example.org/baca/%d", i), time.Time{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWalk(b *testing.B) {
	s, err := Open(b.TempDir(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	const n = 2000
	for i := range n {
		if _, err := s.SaveArticle(testArticle(fmt.Sprintf("https://example.org/baca/%d", i), strings.Repeat("Isi. ", 400))); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		count := 0
		if err := s.Walk(context.Background(), func(*extract.Article) error { count++; return nil }); err != nil || count != n {
			b.Fatal(count, err)
		}
	}
	b.ReportMetric(float64(n), "articles/op")
}
