package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progressState is one reading of a running job, for the progress display.
type progressState struct {
	Done   int64 // units finished (pages fetched)
	Total  int64 // units known so far; -1 when unknown
	Detail string
	Unit   string // what Done counts; "" means pages
}

func (s progressState) unit() string {
	if s.Unit == "" {
		return "pages"
	}
	return s.Unit
}

// startProgress shows the job's progress on stderr until the returned stop
// is called: a bar on a terminal, a structured log line every few seconds
// otherwise. read is called from the display's goroutine.
func startProgress(ctx context.Context, e *env, label string, read func() progressState) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	if isTerminal(e.stderr) {
		go func() {
			defer wg.Done()
			showBar(ctx, e, label, read)
		}()
	} else {
		go func() {
			defer wg.Done()
			logProgress(ctx, e, label, read)
		}()
	}
	return func() {
		cancel()
		wg.Wait()
	}
}

func showBar(ctx context.Context, e *env, label string, read func() progressState) {
	bar := progressbar.NewOptions64(-1,
		progressbar.OptionSetItsString(read().unit()),
		progressbar.OptionSetWriter(e.stderr),
		progressbar.OptionSetDescription(label),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionFullWidth(),
		progressbar.OptionClearOnFinish(),
	)
	tick := time.NewTicker(150 * time.Millisecond)
	defer tick.Stop()
	update := func() {
		s := read()
		if s.Total > 0 && s.Total >= s.Done && bar.GetMax64() != s.Total {
			bar.ChangeMax64(s.Total)
		}
		bar.Describe(fmt.Sprintf("%s %s", label, s.Detail))
		_ = bar.Set64(s.Done)
	}
	for {
		select {
		case <-ctx.Done():
			update()
			_ = bar.Finish()
			fmt.Fprintln(e.stderr)
			return
		case <-tick.C:
			update()
		}
	}
}

func logProgress(ctx context.Context, e *env, label string, read func() progressState) {
	tick := time.NewTicker(5 * time.Second)
	defer tick.Stop()
	start := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			s := read()
			rate := float64(s.Done) / time.Since(start).Seconds()
			e.log.Info("progress", "site", label, s.unit(), s.Done, "known", s.Total,
				"rate_per_s", fmt.Sprintf("%.1f", rate), "detail", s.Detail)
		}
	}
}
