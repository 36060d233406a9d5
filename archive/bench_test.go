package archive

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/internal/atomicfile"
	"github.com/warta-id/warta/internal/cputime"
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

// BenchmarkSaveCapture saves 60 KB pages from two goroutines (the
// crawler's default concurrency per host). The baseline gzips the same
// body and appends it to a file with an fsync: the floor for any archive
// that keeps what it reported written, without WARC records, digests or
// index.
func BenchmarkSaveCapture(b *testing.B) {
	bodies := make([]string, 16)
	for i := range bodies {
		bodies[i] = pageBody(i)
	}
	b.Run("warta", func(b *testing.B) {
		s, err := Open(b.TempDir(), Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		var n atomic.Int64
		b.SetBytes(int64(len(bodies[0])))
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				i := n.Add(1)
				c := testCapture(fmt.Sprintf("https://example.org/baca/%d", i), bodies[i%16])
				if _, err := s.SaveCapture(c); err != nil {
					b.Error(err)
				}
			}
		})
	})
	b.Run("baseline", func(b *testing.B) {
		f, err := os.Create(filepath.Join(b.TempDir(), "plain.gz"))
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		var n atomic.Int64
		var mu = make(chan struct{}, 1)
		b.SetBytes(int64(len(bodies[0])))
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				var buf bytes.Buffer
				zw := gzip.NewWriter(&buf)
				zw.Write([]byte(bodies[n.Add(1)%16]))
				zw.Close()
				mu <- struct{}{}
				f.Write(buf.Bytes())
				f.Sync()
				<-mu
			}
		})
	})
}

// BenchmarkSaveArticle saves new articles from eight goroutines (the
// benchmark crawl's concurrency); the baseline writes the same JSON with
// os.WriteFile, neither atomic nor synced, so the difference is the price
// of crash safety. Beside the time it reports the process's CPU per
// article (user and system, from getrusage: the kernel's work is most of
// it) and the fsyncs per article.
func BenchmarkSaveArticle(b *testing.B) {
	body := strings.Repeat("SAWAHLUNTO – Pemerintah Kota Sawahlunto menggelar kegiatan. ", 40)
	run := func(b *testing.B, save func(a *extract.Article) error) {
		var n atomic.Int64
		b.SetParallelism(4) // 8 goroutines on 2 cores
		u0, s0 := cputime.Used()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := save(testArticle(fmt.Sprintf("https://example.org/baca/%d", n.Add(1)), body)); err != nil {
					b.Error(err)
				}
			}
		})
		u1, s1 := cputime.Used()
		b.ReportMetric(float64((u1-u0+s1-s0).Microseconds())/1000/float64(b.N), "cpu-ms/article")
	}
	b.Run("warta", func(b *testing.B) {
		syncs := &atomicfile.SyncCounter{FS: atomicfile.OS{}}
		s, err := Open(b.TempDir(), Options{FS: syncs})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		before := syncs.Syncs()
		run(b, func(a *extract.Article) error {
			_, err := s.SaveArticle(a)
			return err
		})
		b.ReportMetric(float64(syncs.Syncs()-before)/float64(b.N), "fsyncs/article")
	})
	b.Run("baseline", func(b *testing.B) {
		dir := b.TempDir()
		run(b, func(a *extract.Article) error {
			data, _ := json.Marshal(a)
			return os.WriteFile(filepath.Join(dir, a.ID+".json"), data, 0o644)
		})
	})
}

// BenchmarkSaveArticleUnchanged saves an article the archive already
// holds: a recrawl's and reextract's common case, which reads the file
// and writes nothing.
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
	u0, s0 := cputime.Used()
	for b.Loop() {
		if r, err := s.SaveArticle(a); err != nil || r != Unchanged {
			b.Fatal(r, err)
		}
	}
	u1, s1 := cputime.Used()
	b.ReportMetric(float64((u1-u0+s1-s0).Microseconds())/float64(b.N), "cpu-µs/article")
}

// BenchmarkLookup finds a URL among 100,000 captures indexed in 10 CDXJ
// files (about 3 GB of WARC files' worth), and looks up URLs that none
// holds. The baseline reads every index file line by line, as a tool
// without binary search would.
func BenchmarkLookup(b *testing.B) {
	dir := b.TempDir()
	s, err := Open(dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	const files, per = 10, 10000
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for f := range files {
		name := fmt.Sprintf("warta-20260101000000-%05d-bench.warc.gz", f+1)
		if err := os.WriteFile(filepath.Join(s.warcDir(), name), nil, 0o644); err != nil {
			b.Fatal(err)
		}
		es := make([]IndexEntry, per)
		for i := range es {
			u := fmt.Sprintf("https://sawahluntokota.go.id/baca/berita-%d", (i*files+f)%(files*per/3))
			es[i] = IndexEntry{URL: u, Time: t0.Add(time.Duration(f*per+i) * time.Minute), Status: 200, Mime: "text/html",
				Digest: "sha1:AAAA", Ref: Ref{File: name, Offset: int64(i) * 30000, Length: 30000}}
		}
		if err := writeCDXJ(atomicfile.OS{}, cdxjPath(s.warcDir(), name), es); err != nil {
			b.Fatal(err)
		}
	}
	url := func(i int) string {
		return fmt.Sprintf("https://sawahluntokota.go.id/baca/berita-%d", i*7919%(files*per/3))
	}
	b.Run("warta", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i++
			if _, err := s.Lookup(url(i), time.Time{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	// A URL no file holds: what SaveCapture's revisit check and import's
	// Has ask about most.
	b.Run("warta-new-url", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i++
			if es, err := s.Captures(fmt.Sprintf("https://sawahluntokota.go.id/baca/baru-%d", i)); err != nil || len(es) > 0 {
				b.Fatal(es, err)
			}
		}
	})
	b.Run("baseline", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i++
			want, found := url(i), false
			for f := range files {
				es, err := readCDXJFile(cdxjPath(s.warcDir(), fmt.Sprintf("warta-20260101000000-%05d-bench.warc.gz", f+1)))
				if err != nil {
					b.Fatal(err)
				}
				for _, e := range es {
					found = found || e.URL == want
				}
			}
			if !found {
				b.Fatal("not found")
			}
		}
	})
}

// BenchmarkWalk reads 2,000 articles in Walk's fixed order; the baseline
// walks the same tree with filepath.WalkDir, unordered shards aside.
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
	b.Run("warta", func(b *testing.B) {
		for b.Loop() {
			count := 0
			if err := s.Walk(context.Background(), func(*extract.Article) error { count++; return nil }); err != nil || count != n {
				b.Fatal(count, err)
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "articles/s")
	})
	b.Run("baseline", func(b *testing.B) {
		for b.Loop() {
			count := 0
			err := filepath.WalkDir(s.articlesDir(), func(path string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				data, err := os.ReadFile(path)
				if err != nil {
					return err
				}
				var a extract.Article
				count++
				return json.Unmarshal(data, &a)
			})
			if err != nil || count != n {
				b.Fatal(count, err)
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "articles/s")
	})
}

// BenchmarkWalkLatestPages reads back the latest capture of 500 pages of
// 60 KB, as reextract does before it extracts them again: one op is the
// whole walk.
func BenchmarkWalkLatestPages(b *testing.B) {
	s, err := Open(b.TempDir(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	const n = 500
	for i := range n {
		if _, err := s.SaveCapture(testCapture(fmt.Sprintf("https://example.org/baca/%d", i), pageBody(i))); err != nil {
			b.Fatal(err)
		}
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		pages := 0
		if err := s.WalkLatestPages(ctx, nil, func(*Capture, Ref) error { pages++; return nil }); err != nil {
			b.Fatal(err)
		}
		if pages != n {
			b.Fatalf("walked %d pages, want %d", pages, n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*n), "µs/page")
}
