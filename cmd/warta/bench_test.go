package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/warta-id/warta/configs"
	"github.com/warta-id/warta/crawler/demosite"
	"github.com/warta-id/warta/extract"
)

// BenchmarkPipeline crawls the demo site on loopback with delay 0 through
// the whole pipeline (fetch, extract, archive, index) and prints articles
// per second and the process's peak memory beside the extraction-only rate
// of the same pages, measured in the same run. WARTA_BENCH_ARTICLES sets
// the site's size (default 10000).
func BenchmarkPipeline(b *testing.B) {
	n := 10000
	if v, err := strconv.Atoi(os.Getenv("WARTA_BENCH_ARTICLES")); err == nil && v > 0 {
		n = v
	}
	site := demosite.New(demosite.Options{Seed: 1, Articles: n})
	srv := httptest.NewServer(site)
	defer srv.Close()
	cfg, err := demoConfig()
	if err != nil {
		b.Fatal(err)
	}
	s := cfg.Sites[0]
	s.Concurrency = 8

	// Extraction only: a thousand of the same article pages (enough for a
	// steady rate), fetched once into memory.
	truth := site.Truth()
	truth = truth[:min(len(truth), 1000)]
	pages := make([][]byte, 0, len(truth))
	for _, a := range truth {
		rec := httptest.NewRecorder()
		site.ServeHTTP(rec, httptest.NewRequest("GET", "http://"+demoHost+a.Path, nil))
		pages = append(pages, rec.Body.Bytes())
	}
	start := time.Now()
	for i, p := range pages {
		if _, err := extract.Extract(p, "http://"+demoHost+truth[i].Path, extract.Options{Site: s.Name, Profile: s.Name, Rules: s.Extract}); err != nil {
			b.Fatal(err)
		}
	}
	extractRate := float64(len(pages)) / time.Since(start).Seconds()
	pages, truth = nil, nil

	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		data := b.TempDir()
		e := &env{stdout: ioDiscard{}, stderr: ioDiscard{}, getenv: func(string) string { return "" }}
		e.log = slog.New(slog.DiscardHandler)
		start := time.Now()
		recs, err := crawlSites(context.Background(), e, data, []*configs.Site{s}, "bench", demoTransport(strings.TrimPrefix(srv.URL, "http://")))
		if err != nil {
			b.Fatal(err)
		}
		el := time.Since(start)
		got := recs[0].Pipeline.New
		if got != n {
			b.Fatalf("archived %d articles, want %d", got, n)
		}
		du := dirSize(b, data)
		b.ReportMetric(float64(got)/el.Seconds(), "articles/s")
		fmt.Printf("pipeline: %d articles in %s: %.0f articles/s (extraction alone: %.0f articles/s); peak RSS %d MB; %.1f KB on disk per article (WARC %.1f, JSON %.1f, index %.1f)\n",
			got, el.Round(time.Millisecond), float64(got)/el.Seconds(), extractRate, peakRSSMB(),
			float64(du[""])/1024/float64(got), float64(du["warc"])/1024/float64(got), float64(du["articles"])/1024/float64(got), float64(du["index"])/1024/float64(got))
	}
}

type ioDiscard struct{}

func (ioDiscard) Write(p []byte) (int, error) { return len(p), nil }

// peakRSSMB reads the process's peak resident memory (Linux), in MB; 0
// where /proc is not there.
func peakRSSMB() int {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.Atoi(f[1])
			return kb / 1024
		}
	}
	return 0
}

// dirSize sums the sizes of the files under dir, in total ("") and per
// top-level directory.
func dirSize(b *testing.B, dir string) map[string]int64 {
	sizes := map[string]int64{}
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		top, _, _ := strings.Cut(rel, string(filepath.Separator))
		sizes[top] += info.Size()
		sizes[""] += info.Size()
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return sizes
}
