package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/trace"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/warta-id/warta/archive"
	"github.com/warta-id/warta/configs"
	"github.com/warta-id/warta/crawler"
	"github.com/warta-id/warta/crawler/demosite"
	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/internal/atomicfile"
)

// BenchmarkPipeline crawls the demo site on loopback with delay 0 through
// the whole pipeline (fetch, extract, archive, index) and prints articles
// per second, fsyncs per article and the process's peak memory. Beside it,
// measured in the same run on the same article pages, it prints each
// stage alone: the crawl without a handler, extraction, WARC capture
// writing, article-file writing and indexing (same mapping, same batches).
// WARTA_BENCH_ARTICLES sets the site's size (default 10000);
// WARTA_BENCH_PIPELINE_ONLY=1 leaves out everything after the pipeline,
// so that a -cpuprofile shows the pipeline alone; WARTA_BENCH_CONCURRENCY
// sets the requests in flight (default 16), to compare with earlier runs
// at 8.
func BenchmarkPipeline(b *testing.B) {
	n := 10000
	if v, err := strconv.Atoi(os.Getenv("WARTA_BENCH_ARTICLES")); err == nil && v > 0 {
		n = v
	}
	only := os.Getenv("WARTA_BENCH_PIPELINE_ONLY") == "1"
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	limitMemory(os.Getenv) // as main does
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	addSyscallProc(os.Getenv)
	site := demosite.New(demosite.Options{Seed: 1, Articles: n})
	served := &requestLog{h: site}
	srv := httptest.NewServer(served)
	defer srv.Close()
	transport := demoTransport(strings.TrimPrefix(srv.URL, "http://"))
	cfg, err := demoConfig()
	if err != nil {
		b.Fatal(err)
	}
	s := cfg.Sites[0]
	// The demo site is on loopback: politeness is not at stake, and the
	// crawl must keep both cores busy. With 8 requests in flight (16
	// crawl workers) traces of 2,000 articles found nothing ready to run
	// for 4-11% of the cores' time, every worker but a few waiting on the
	// WARC's group commit; with 16 for 2-4%, and the pipeline ran at
	// 113-170 articles/s beside 83-125 (the same half hour, load 10-14).
	s.Concurrency = 16
	if v, err := strconv.Atoi(os.Getenv("WARTA_BENCH_CONCURRENCY")); err == nil && v > 0 {
		s.Concurrency = v
	}

	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		data := b.TempDir()
		syncs := &atomicfile.SyncCounter{FS: atomicfile.OS{}}
		e := &env{stdout: ioDiscard{}, stderr: ioDiscard{}, getenv: func(string) string { return "" }, archiveFS: syncs}
		e.log = slog.New(slog.DiscardHandler)
		served.start()
		start := time.Now()
		user0, sys0 := cpuTime()
		var mem0, mem1 runtime.MemStats
		runtime.ReadMemStats(&mem0)
		recs, err := crawlSites(context.Background(), e, data, []*configs.Site{s}, "bench", transport)
		if err != nil {
			b.Fatal(err)
		}
		el := time.Since(start)
		user1, sys1 := cpuTime()
		runtime.ReadMemStats(&mem1)
		got := recs[0].Pipeline.New
		if got != n {
			b.Fatalf("archived %d articles, want %d", got, n)
		}
		// Peak memory is the pipeline's: the stages below run after it.
		rss := peakRSSMB()
		du := dirSize(b, data)
		b.ReportMetric(float64(got)/el.Seconds(), "articles/s")
		// CPU per article compares builds on a machine that others
		// share, where rates do not. It includes the demo site's, which a
		// real crawl does not pay: the site serves the pipeline's
		// requests again, alone, to tell how much.
		reqs := served.stop()
		demo := stage{n: got}
		demo.timedCPU(func() {
			parallel(runtime.GOMAXPROCS(0), len(reqs), func(i int) { reqs[i].replay(site) })
		})
		cpu := fmt.Sprintf("CPU %.2f ms per article (user %.2f, system %.2f; the demo site's handler alone %.2f of it), %.2f MB allocated per article, %d GCs",
			ms(user1-user0+sys1-sys0, got), ms(user1-user0, got), ms(sys1-sys0, got), ms(demo.cpu, got), float64(mem1.TotalAlloc-mem0.TotalAlloc)/(1<<20)/float64(got), mem1.NumGC-mem0.NumGC)
		if only {
			fmt.Printf("pipeline: %d articles (%d pages) in %s: %.0f articles/s; %s; %.1f archive fsyncs per article; peak RSS %d MB\n",
				got, recs[0].Crawl.Pages, el.Round(time.Millisecond), float64(got)/el.Seconds(), cpu, float64(syncs.Syncs())/float64(got), rss)
			continue
		}

		b.StopTimer()
		st, _ := measureStages(b, site, s, transport, n)
		b.StartTimer()

		rate := float64(got) / el.Seconds()
		slowest := st[0]
		for _, x := range st[1:] {
			if x.rate() < slowest.rate() {
				slowest = x
			}
		}
		fmt.Printf("pipeline: %d articles (%d pages) in %s: %.0f articles/s, %.2f of the slowest stage (%s), %.2f of the stages sharing the CPU (%.0f articles/s); %s; %.1f archive fsyncs per article; peak RSS %d MB; %.1f KB on disk per article (WARC %.1f, JSON %.1f, index %.1f)\n",
			got, recs[0].Crawl.Pages, el.Round(time.Millisecond), rate, rate/slowest.rate(), slowest.name, rate/shared(st), shared(st), cpu, float64(syncs.Syncs())/float64(got), rss,
			float64(du[""])/1024/float64(got), float64(du["warc"])/1024/float64(got), float64(du["articles"])/1024/float64(got), float64(du["index"])/1024/float64(got))
		var stagesCPU time.Duration
		for _, x := range st {
			fmt.Printf("  stage alone: %-38s %6.0f articles/s, CPU %.2f ms per article%s\n", x.name, x.rate(), ms(x.cpu, x.n), x.note)
			stagesCPU += x.cpu
		}
		fmt.Printf("  the stages' CPU summed: %.2f ms per article\n", ms(stagesCPU, n))
		b.StopTimer()
		measureBatchCommands(b, data, s, n, st, false)
		b.StartTimer()
	}
}

// measureBatchCommands runs import (of the pipeline's WARC files into a
// new data directory), reextract and reindex over what the pipeline
// archived in data, and prints each beside the slowest of the stages it
// goes through, measured alone in the same run, with the CPU time and the
// fsyncs it took: stages holds the pipeline's; reading is measured here.
// With WARTA_BENCH_PROFILE=DIR each command's CPU and block profiles are
// written to DIR/COMMAND.cpu and DIR/COMMAND.block. With importOnly, data
// holds only captures, and only import runs.
func measureBatchCommands(b *testing.B, data string, site *configs.Site, n int, stages []stage, importOnly bool) {
	ctx := context.Background()
	files, err := filepath.Glob(filepath.Join(data, "warc", "*.warc.gz"))
	if err != nil || len(files) == 0 {
		b.Fatalf("no WARC files in %s: %v", data, err)
	}
	byName := map[string]stage{}
	for _, x := range stages {
		byName[strings.Fields(x.name)[0]] = x
	}
	timed := func(name string, fn func() error) stage {
		x := stage{name: name, n: n}
		var err error
		x.timedCPU(func() { err = fn() })
		if err != nil {
			b.Fatalf("%s: %v", name, err)
		}
		return x
	}
	syncs := map[string]int64{}
	command := func(args ...string) func() error {
		return func() error {
			var out strings.Builder
			counter := &atomicfile.SyncCounter{FS: atomicfile.OS{}}
			e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: ioDiscard{}, getenv: func(string) string { return "" }, archiveFS: counter}
			e.log = slog.New(slog.DiscardHandler)
			root := newRoot(e)
			root.SetArgs(args)
			stop := startProfiles(b, args[0])
			// A region, so that a -trace tells each command's span.
			var err error
			trace.WithRegion(ctx, args[0], func() { err = root.ExecuteContext(ctx) })
			stop()
			syncs[args[0]] = counter.Syncs()
			if err != nil {
				return fmt.Errorf("%w: %s", err, out.String())
			}
			return nil
		}
	}
	readWARC := timed("WARC reading (import's parser)", func() error {
		for _, f := range files {
			if err := archive.Import(ctx, f, func(*archive.Capture) error { return nil }); err != nil {
				return err
			}
		}
		return nil
	})
	// The pages reextract reads: those that may be articles.
	articleURL := func(u string) bool { return site.ArticleRE() == nil || site.ArticleRE().MatchString(u) }
	store, err := archive.Open(data, archive.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	var readLatest, readArticles stage
	if !importOnly {
		readLatest = timed("reading the latest pages", func() error {
			return store.WalkLatestPages(ctx, articleURL, func(*archive.Capture, archive.Ref) error { return nil })
		})
		readArticles = timed("reading the article files", func() error {
			return store.Walk(ctx, func(*extract.Article) error { return nil })
		})
	}
	store.Close()

	imp := timed("import", command(append([]string{"import", "--data", b.TempDir()}, files...)...))
	type cmdStages struct {
		cmd  stage
		over []stage
	}
	commands := []cmdStages{{imp, measured(readWARC, byName["WARC"], byName["extraction"], byName["article-file"], byName["indexing"])}}
	if !importOnly {
		reex := timed("reextract", command("reextract", "--data", data))
		reix := timed("reindex", command("reindex", "--data", data))
		commands = append(commands,
			// reextract learns each site's chrome from the article files
			// before it reads the pages again.
			cmdStages{reex, measured(readArticles, readLatest, byName["extraction"])},
			cmdStages{reix, measured(readArticles, byName["indexing"])})
	}
	for _, c := range commands {
		slowest := c.over[0]
		for _, x := range c.over[1:] {
			if x.rate() < slowest.rate() {
				slowest = x
			}
		}
		// On a shared machine the rates above move with the load between
		// one measurement and the next; CPU time hardly does. A command
		// whose stages each keep the cores busy runs at most at the rate
		// of their summed CPU, and its rate beside the costliest stage's
		// is that stage's CPU over the command's.
		var sum time.Duration
		costliest := c.over[0]
		for _, x := range c.over {
			sum += x.cpu
			if x.cpu > costliest.cpu {
				costliest = x
			}
		}
		fmt.Printf("%s: %d articles in %s: %.0f articles/s, %.2f of its slowest stage (%s, %.0f articles/s), %.2f of its stages sharing the CPU (%.0f articles/s); CPU %.2f ms per article, its stages' summed %.2f (%.2f), the costliest %s %.2f (%.2f); %.1f archive fsyncs per article\n",
			c.cmd.name, n, c.cmd.took.Round(time.Millisecond), c.cmd.rate(), c.cmd.rate()/slowest.rate(), slowest.name, slowest.rate(), c.cmd.rate()/shared(c.over), shared(c.over),
			ms(c.cmd.cpu, n), ms(sum, n), float64(sum)/float64(c.cmd.cpu), costliest.name, ms(costliest.cpu, n), float64(costliest.cpu)/float64(c.cmd.cpu), float64(syncs[c.cmd.name])/float64(n))
	}
	for _, x := range measured(readWARC, readLatest, readArticles) {
		fmt.Printf("  stage alone: %-38s %6.0f articles/s, CPU %.2f ms per article\n", x.name, x.rate(), ms(x.cpu, x.n))
	}
}

// measured returns the stages that were measured, leaving out those a
// run skipped (zero).
func measured(stages ...stage) []stage {
	var out []stage
	for _, x := range stages {
		if x.n > 0 {
			out = append(out, x)
		}
	}
	return out
}

// requestLog is a handler that records the requests it serves while on,
// so that they can be served again without a crawler.
//
// It keeps what it records out of the garbage collector's way: the
// pipeline it watches runs under warta's memory limit, and a log of every
// request with a copy of its header (36,000 at 10,000 articles) was 26 MB
// of small objects for the collector to mark, which made the pipeline
// collect more often and cost the indexing stage after it 2.5-2.8 ms of
// CPU per article instead of 0.9. Requests are written to one byte slice;
// headers, which repeat (a crawler sends the same few), are kept once
// each.
type requestLog struct {
	h        http.Handler
	on       atomic.Bool
	mu       sync.Mutex
	lines    []byte  // "METHOD URI" of each request, one after another
	ends     []int32 // where each request's line ends in lines
	headers  []int32 // each request's header, an index into distinct
	distinct []http.Header
	seen     map[string]int32 // a header in wire format to its index in distinct
}

// loggedRequest is one request a requestLog recorded.
type loggedRequest struct {
	method, uri string
	header      http.Header
}

func (l *requestLog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if l.on.Load() {
		var wire strings.Builder
		if err := r.Header.Write(&wire); err != nil {
			panic(err) // a strings.Builder does not fail
		}
		l.mu.Lock()
		id, ok := l.seen[wire.String()]
		if !ok {
			id = int32(len(l.distinct))
			l.seen[wire.String()] = id
			l.distinct = append(l.distinct, r.Header.Clone())
		}
		l.lines = append(append(append(l.lines, r.Method...), ' '), r.RequestURI...)
		l.ends = append(l.ends, int32(len(l.lines)))
		l.headers = append(l.headers, id)
		l.mu.Unlock()
	}
	l.h.ServeHTTP(w, r)
}

func (l *requestLog) start() {
	l.mu.Lock()
	l.lines, l.ends, l.headers, l.distinct = nil, nil, nil, nil
	l.seen = map[string]int32{}
	l.mu.Unlock()
	l.on.Store(true)
}

// stop ends the recording and returns the requests recorded, forgetting
// them.
func (l *requestLog) stop() []loggedRequest {
	l.on.Store(false)
	l.mu.Lock()
	defer l.mu.Unlock()
	reqs := make([]loggedRequest, len(l.ends))
	from := int32(0)
	for i, end := range l.ends {
		method, uri, _ := strings.Cut(string(l.lines[from:end]), " ")
		reqs[i] = loggedRequest{method, uri, l.distinct[l.headers[i]]}
		from = end
	}
	l.lines, l.ends, l.headers, l.distinct, l.seen = nil, nil, nil, nil, nil
	return reqs
}

// replay serves r again from h, into a recorder.
func (r loggedRequest) replay(h http.Handler) {
	req := httptest.NewRequest(r.method, "http://"+demoHost+r.uri, nil)
	req.Header = r.header
	h.ServeHTTP(httptest.NewRecorder(), req)
}

// ms is d per article in milliseconds.
func ms(d time.Duration, n int) float64 { return d.Seconds() * 1000 / float64(n) }

// shared is the rate of stages that each keep every core busy when run
// alone, run together: each article costs the sum of their times.
func shared(stages []stage) float64 {
	var per float64
	for _, x := range stages {
		per += 1 / x.rate()
	}
	return 1 / per
}

// stage is the rate of one pipeline stage run alone.
type stage struct {
	name string
	n    int
	took time.Duration
	cpu  time.Duration // user and system, when measured
	note string
}

// timedCPU runs fn, adding the time it took to s.took and the process's
// CPU time meanwhile to s.cpu.
func (s *stage) timedCPU(fn func()) {
	u0, s0 := cpuTime()
	start := time.Now()
	fn()
	s.took += time.Since(start)
	u1, s1 := cpuTime()
	s.cpu += u1 - u0 + s1 - s0
}

func (s stage) rate() float64 { return float64(s.n) / s.took.Seconds() }

// measureStages runs each stage of the pipeline alone over the n article
// pages of the demo site, in batches of indexBatch pages that are made
// beforehand, untimed. Each stage uses as many goroutines as the pipeline
// gives it: the crawl's concurrency for the archive, every core for
// extraction, one batch at a time for the index. It returns the stages
// and the data directory they filled (captures, articles and index, as a
// crawl leaves them); with a nil transport the crawl is left out.
func measureStages(b *testing.B, site *demosite.Site, s *configs.Site, transport http.RoundTripper, n int) ([]stage, string) {
	ctx := context.Background()
	dir := b.TempDir()
	var stages []stage
	if transport != nil {
		stages = append(stages, measureCrawl(b, site, s, transport, dir, n))
	}
	syncs := &atomicfile.SyncCounter{FS: atomicfile.OS{}}
	store, err := archive.Open(filepath.Join(dir, "data"), archive.Options{FS: syncs})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	idx, err := openIndex(&env{log: slog.New(slog.DiscardHandler)}, filepath.Join(dir, "data"))
	if err != nil {
		b.Fatal(err)
	}
	defer idx.Close()
	p := newPipeline(s, store, idx, slog.New(slog.DiscardHandler))

	ext := stage{name: "extraction"}
	warc := stage{name: "WARC capture writing (with images)"}
	files := stage{name: "article-file writing"}
	ixs := stage{name: "indexing (shared, batches of " + strconv.Itoa(indexBatch) + ")"}
	var warcSyncs, fileSyncs int64
	truth := site.Truth()
	for from := 0; from < len(truth); from += indexBatch {
		part := truth[from:min(from+indexBatch, len(truth))]
		pages, captures := demoCaptures(site, part)
		arts := make([]*extract.Article, len(pages))
		ext.timedCPU(func() {
			parallel(runtime.GOMAXPROCS(0), len(pages), func(i int) {
				a, err := p.extract(pages[i])
				if err != nil {
					b.Error(err)
				}
				arts[i] = a
			})
		})
		before := syncs.Syncs()
		warc.timedCPU(func() {
			parallel(s.Concurrency, len(pages), func(i int) {
				for _, pg := range captures[i] {
					if _, err := store.SaveCapture(captureOf(pg)); err != nil {
						b.Error(err)
					}
				}
			})
		})
		mid := syncs.Syncs()
		files.timedCPU(func() {
			parallel(s.Concurrency, len(arts), func(i int) {
				if _, err := store.SaveArticle(arts[i]); err != nil {
					b.Error(err)
				}
			})
		})
		warcSyncs, fileSyncs = warcSyncs+mid-before, fileSyncs+syncs.Syncs()-mid
		ixs.timedCPU(func() {
			if err := idx.Add(ctx, arts...); err != nil {
				b.Fatal(err)
			}
			if err := idx.Flush(); err != nil {
				b.Fatal(err)
			}
		})
		if b.Failed() {
			b.FailNow()
		}
	}
	// Closing lets Bleve's merge policy tidy the segments the batches
	// left, as the pipeline's and the batch commands' index does when
	// they end: that merging is indexing's work too.
	ixs.timedCPU(func() {
		if err := idx.Close(); err != nil {
			b.Fatal(err)
		}
	})
	ext.n, warc.n, files.n, ixs.n = len(truth), len(truth), len(truth), len(truth)
	warc.note = fmt.Sprintf(" (%.1f fsyncs per article)", float64(warcSyncs)/float64(len(truth)))
	files.note = fmt.Sprintf(" (%.1f fsyncs per article)", float64(fileSyncs)/float64(len(truth)))
	return append(stages, ext, warc, files, ixs), filepath.Join(dir, "data")
}

// demoCaptures serves the demo site's article pages of part, and their
// images, as the crawler would have fetched them: each page, and its
// captures (the page and its images).
func demoCaptures(site *demosite.Site, part []demosite.Article) (pages []*crawler.Page, captures [][]*crawler.Page) {
	fetch := func(path string) *crawler.Page { return servedPage(site, path) }
	pages = make([]*crawler.Page, len(part))
	captures = make([][]*crawler.Page, len(part))
	for i, a := range part {
		pages[i] = fetch(a.Path)
		captures[i] = []*crawler.Page{pages[i]}
		for _, img := range a.Images {
			captures[i] = append(captures[i], fetch(img.Path))
		}
	}
	return pages, captures
}

// measureCrawl crawls the demo site through transport with a handler
// that only asks for each article's images, as the pipeline does.
func measureCrawl(b *testing.B, site *demosite.Site, s *configs.Site, transport http.RoundTripper, dir string, n int) stage {
	ctx := context.Background()
	crawl := stage{name: "crawl (fetch only, with images)"}
	c, err := crawler.New(func() crawler.Options {
		o := crawlerOptions(s, filepath.Join(dir, "state.db"), nil)
		o.Transport = transport
		return o
	}())
	if err != nil {
		b.Fatal(err)
	}
	// The handler asks for the article's images, as the pipeline does,
	// from the site's truth instead of an extraction.
	var sum *crawler.Summary
	crawl.timedCPU(func() {
		sum, err = c.Run(ctx, crawler.HandlerFunc(func(_ context.Context, pg *crawler.Page) error {
			if a, ok := site.Lookup(strings.TrimPrefix(pg.URL, "http://"+demoHost)); ok && pg.Kind == crawler.KindArticle {
				for _, img := range a.Images {
					pg.Follow = append(pg.Follow, "http://"+demoHost+img.Path)
				}
			}
			return nil
		}))
	})
	if err != nil {
		b.Fatal(err)
	}
	crawl.n = n
	crawl.note = fmt.Sprintf(" (%d pages)", sum.Pages)
	return crawl
}

// parallel calls fn(0) ... fn(n-1) from the given number of goroutines and
// returns how long they took.
func parallel(workers, n int, fn func(i int)) time.Duration {
	start := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				fn(i)
			}
		})
	}
	wg.Wait()
	return time.Since(start)
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
