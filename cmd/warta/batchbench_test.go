package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"testing"

	"github.com/warta-id/warta/crawler/demosite"
)

// BenchmarkBatch measures import, reextract and reindex without a crawl:
// the demo site's n article pages and their images are written straight
// into an archive (the WARC capture writing stage), extracted, saved and
// indexed, each stage alone and timed; then the batch commands run over
// that archive, each printed beside the slowest of its stages.
// WARTA_BENCH_ARTICLES sets n (default 10000).
func BenchmarkBatch(b *testing.B) {
	n := 10000
	if v, err := strconv.Atoi(os.Getenv("WARTA_BENCH_ARTICLES")); err == nil && v > 0 {
		n = v
	}
	site := demosite.New(demosite.Options{Seed: 1, Articles: n})
	cfg, err := demoConfig()
	if err != nil {
		b.Fatal(err)
	}
	s := cfg.Sites[0]
	s.Concurrency = 8
	for i := 0; i < b.N; i++ {
		st, data := measureStages(b, site, s, nil, n)
		for _, x := range st {
			fmt.Printf("  stage alone: %-38s %6.0f articles/s, CPU %.2f ms per article%s\n", x.name, x.rate(), ms(x.cpu, x.n), x.note)
		}
		measureBatchCommands(b, data, s, n, st)
	}
}

// startProfiles starts the CPU and block profiles of the command name
// when WARTA_BENCH_PROFILE names a directory; stop writes them there.
func startProfiles(b *testing.B, name string) (stop func()) {
	dir := os.Getenv("WARTA_BENCH_PROFILE")
	if dir == "" {
		return func() {}
	}
	cpu, err := os.Create(filepath.Join(dir, name+".cpu"))
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		b.Fatal(err)
	}
	runtime.SetBlockProfileRate(int(1e6)) // one sample per millisecond blocked
	return func() {
		pprof.StopCPUProfile()
		runtime.SetBlockProfileRate(0)
		if err := cpu.Close(); err != nil {
			b.Error(err)
		}
		block, err := os.Create(filepath.Join(dir, name+".block"))
		if err != nil {
			b.Fatal(err)
		}
		defer block.Close()
		if err := pprof.Lookup("block").WriteTo(block, 0); err != nil {
			b.Error(err)
		}
	}
}
