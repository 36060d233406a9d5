package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"testing"

	"github.com/warta-id/warta/archive"
	"github.com/warta-id/warta/configs"
	"github.com/warta-id/warta/crawler/demosite"
)

// BenchmarkBatch measures import, reextract and reindex without a crawl:
// the demo site's n article pages and their images are written straight
// into an archive (the WARC capture writing stage), extracted, saved and
// indexed, each stage alone and timed; then the batch commands run over
// that archive, each printed beside the slowest of its stages.
// WARTA_BENCH_ARTICLES sets n (default 10000). WARTA_BENCH_IMPORT_ONLY=1
// writes only the captures and runs only import, beside the WARC writing
// and reading stages.
func BenchmarkBatch(b *testing.B) {
	n := 10000
	if v, err := strconv.Atoi(os.Getenv("WARTA_BENCH_ARTICLES")); err == nil && v > 0 {
		n = v
	}
	// The commands run under the memory limit and with the processors
	// that main gives them.
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	limitMemory(os.Getenv)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	addSyscallProc(os.Getenv)
	site := demosite.New(demosite.Options{Seed: 1, Articles: n})
	cfg, err := demoConfig()
	if err != nil {
		b.Fatal(err)
	}
	s := cfg.Sites[0]
	s.Concurrency = 8
	importOnly := os.Getenv("WARTA_BENCH_IMPORT_ONLY") == "1"
	for i := 0; i < b.N; i++ {
		var st []stage
		var data string
		if importOnly {
			st, data = measureCaptures(b, site, s)
		} else {
			st, data = measureStages(b, site, s, nil, n)
		}
		for _, x := range st {
			fmt.Printf("  stage alone: %-38s %6.0f articles/s, CPU %.2f ms per article%s\n", x.name, x.rate(), ms(x.cpu, x.n), x.note)
		}
		measureBatchCommands(b, data, s, n, st, importOnly)
	}
}

// measureCaptures writes the demo site's article pages and their images
// into a new archive, as measureStages' WARC stage does, and returns that
// stage and the archive's directory.
func measureCaptures(b *testing.B, site *demosite.Site, s *configs.Site) ([]stage, string) {
	dir := filepath.Join(b.TempDir(), "data")
	store, err := archive.Open(dir, archive.Options{})
	if err != nil {
		b.Fatal(err)
	}
	warc := stage{name: "WARC capture writing (with images)"}
	truth := site.Truth()
	for from := 0; from < len(truth); from += indexBatch {
		_, captures := demoCaptures(site, truth[from:min(from+indexBatch, len(truth))])
		warc.timedCPU(func() {
			parallel(s.Concurrency, len(captures), func(i int) {
				for _, pg := range captures[i] {
					if _, err := store.SaveCapture(captureOf(pg)); err != nil {
						b.Error(err)
					}
				}
			})
		})
		if b.Failed() {
			b.FailNow()
		}
	}
	if err := store.Close(); err != nil {
		b.Fatal(err)
	}
	warc.n = len(truth)
	return []stage{warc}, dir
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
