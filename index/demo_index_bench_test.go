package index

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/warta-id/warta/crawler/demosite"
	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/internal/cputime"
)

var (
	demoIndexArticles = flag.Int("demo-articles", 5000, "demo site articles of BenchmarkDemoIndex")
	demoIndexBallast  = flag.Int("demo-ballast", 0, "BenchmarkDemoIndex holds this many MB live, under a soft memory limit of 208 MiB as warta sets, as the pipeline's process does")
	demoIndexBatch    = flag.Int("demo-batch", 500, "articles per batch of BenchmarkDemoIndex")
	demoIndexIdle     = flag.Bool("demo-idle", false, "BenchmarkDemoIndex lets the writer go idle (and tidy) between batches, as a slow crawl does")
	demoIndexFloor    = flag.Int("demo-floor", 0, "FloorSegmentSize of the writer's merge policy in BenchmarkDemoIndex (0: the batch size; Bleve's default is 2000)")
	demoIndexTier     = flag.Int("demo-tier", 0, "merge policy's MaxSegmentsPerTier and SegmentsPerMergeTask in BenchmarkDemoIndex (0: the package's)")
)

// demoArticles returns the true text of the demo site's first n articles
// as extracted articles, without a crawl.
func demoArticles(n int) []*extract.Article {
	var as []*extract.Article
	for _, a := range demosite.New(demosite.Options{Seed: 7, Articles: n}).Truth() {
		as = append(as, &extract.Article{ID: a.Slug, Site: "demo", URL: a.Path, Title: a.Title,
			Body: strings.Join(a.Paragraphs, "\n\n"), Author: a.Author, Categories: a.Categories, Tags: a.Tags,
			Published: a.Published.Format(time.RFC3339), Language: "id"})
	}
	return as
}

// BenchmarkDemoIndex is the pipeline's indexing stage alone: the demo
// site's articles (-demo-articles, their true text) through an Index in
// shared mode, in batches of 500 each flushed as the pipeline flushes
// them, and the Close that lets the merge policy tidy the segments. It
// prints the rate and the process's CPU time per article, for the
// batches and for the close.
func BenchmarkDemoIndex(b *testing.B) {
	as := demoArticles(*demoIndexArticles)
	n := len(as)
	var ballast [][]byte
	if *demoIndexBallast > 0 {
		for range *demoIndexBallast {
			ballast = append(ballast, make([]byte, 1<<20))
		}
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(208 << 20))
	}
	for b.Loop() {
		dir := b.TempDir()
		ix, err := Open(dir, Options{BatchSize: *demoIndexBatch})
		if err != nil {
			b.Fatal(err)
		}
		if *demoIndexIdle {
			ix.lingerFor = time.Nanosecond
		}
		if *demoIndexFloor > 0 {
			ix.writing.FloorSegmentSize = int64(*demoIndexFloor)
		}
		if *demoIndexTier > 0 {
			ix.writing.MaxSegmentsPerTier, ix.writing.SegmentsPerMergeTask = *demoIndexTier, *demoIndexTier
		}
		ctx := context.Background()
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		u0, s0 := cputime.Used()
		start := time.Now()
		for from := 0; from < n; from += *demoIndexBatch {
			if err := ix.Add(ctx, as[from:min(from+*demoIndexBatch, n)]...); err != nil {
				b.Fatal(err)
			}
			if err := ix.Flush(); err != nil {
				b.Fatal(err)
			}
			if *demoIndexIdle {
				waitReleased(ix)
			}
		}
		u1, s1 := cputime.Used()
		merged := mergeStats(ix)
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
		took := time.Since(start)
		u2, s2 := cputime.Used()
		runtime.ReadMemStats(&m1)
		ms := func(d time.Duration) float64 { return d.Seconds() * 1000 / float64(n) }
		runtime.KeepAlive(ballast)
		gen, err := readPointer(dir, currentFile)
		if err != nil {
			b.Fatal(err)
		}
		size, err := settledBytes(filepath.Join(dir, gen))
		if err != nil {
			b.Fatal(err)
		}
		fmt.Printf("demo index, %d articles, shared, batches of %d: %.0f articles/s, CPU %.2f ms per article (batches %.2f, close %.2f), %.0f KB allocated and %d bytes on disk per article (settled), %d GCs\n",
			n, *demoIndexBatch, float64(n)/took.Seconds(), ms(u2-u0+s2-s0), ms(u1-u0+s1-s0), ms(u2-u1+s2-s1),
			float64(m1.TotalAlloc-m0.TotalAlloc)/1024/float64(n), size/int64(n), m1.NumGC-m0.NumGC)
		segs, lat := searchAfter(b, dir)
		fmt.Printf("  merges before the close: %s; %d segments after it, %s\n", merged, segs, lat)
	}
}

// mergeStats describes the merges of ix's lingering writer so far.
func mergeStats(ix *Index) string {
	ix.mu.Lock()
	held := ix.held
	ix.mu.Unlock()
	if held == nil {
		return "writer not held"
	}
	adv, err := held.Advanced()
	if err != nil {
		return err.Error()
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return "not scorch"
	}
	m := s.StatsMap()
	return fmt.Sprintf("%v merges of %v segments, %.1f MB written, %.2f s merging", m["TotFileMergeZapEnd"], m["TotFileMergeSegments"],
		float64(m["TotFileMergeWrittenBytes"].(uint64))/1e6, float64(m["TotFileMergeZapTime"].(uint64))/1e9)
}

// searchAfter opens the index in dir and returns its number of segments
// and the fastest of 20 runs of a few queries, with the index held open
// and opened per search.
func searchAfter(b *testing.B, dir string) (int, string) {
	gen, _ := readPointer(dir, currentFile)
	zaps, _ := filepath.Glob(filepath.Join(dir, gen, "store", "*.zap"))
	var bytes int64
	for _, z := range zaps {
		if fi, err := os.Stat(z); err == nil {
			bytes += fi.Size()
		}
	}
	var out []string
	for _, mode := range []struct {
		name string
		opt  Options
	}{{"held", Options{Exclusive: true}}, {"shared", Options{}}} {
		ix, err := Open(dir, mode.opt)
		if err != nil {
			b.Fatal(err)
		}
		var line []string
		for _, q := range []string{"banjir", "kota sawahlunto", `"di kota"`, "pemb*", "banjir +counts"} {
			req := Request{Query: q}
			if strings.HasSuffix(q, " +counts") {
				req = Request{Query: strings.TrimSuffix(q, " +counts"), Counts: "month", Facets: []string{"category", "author"}}
			}
			var best time.Duration
			for i := range 20 {
				start := time.Now()
				if _, err := ix.Search(context.Background(), req); err != nil {
					b.Fatal(err)
				}
				if d := time.Since(start); i == 0 || d < best {
					best = d
				}
			}
			line = append(line, fmt.Sprintf("%s %.2f", q, float64(best.Microseconds())/1000))
		}
		ix.Close()
		out = append(out, mode.name+": "+strings.Join(line, ", "))
	}
	return len(zaps), fmt.Sprintf("%.1f MB; searches (fastest of 20) ", float64(bytes)/1e6) + strings.Join(out, "; ") + " (ms)"
}

// waitReleased returns when ix's lingering writer has been let go.
func waitReleased(ix *Index) {
	for {
		ix.mu.Lock()
		held := ix.held
		ix.mu.Unlock()
		if held == nil {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}
