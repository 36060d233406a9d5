package schedule

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/warta-id/warta/configs"
)

func TestRunNow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// Daily at 06:00, runs of 30 minutes, a jitter that RunNow skips.
		var mu sync.Mutex
		var manual []bool
		rec := newRecorder(func(ctx context.Context, site *configs.Site) error {
			mu.Lock()
			manual = append(manual, Manual(ctx))
			mu.Unlock()
			return busy(30*time.Minute)(ctx, site)
		})
		s := New(rec.job, Options{Jitter: 10 * time.Minute})
		if err := s.Update(parseSites(t, "a|0 6 * * *|UTC")); err != nil {
			t.Fatal(err)
		}
		if err := s.RunNow("a"); !errors.Is(err, ErrStopped) {
			t.Errorf("RunNow before Run = %v, want ErrStopped", err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 7*time.Hour)
		defer cancel()
		done := make(chan error, 1)
		go func() { done <- s.Run(ctx) }()

		time.Sleep(time.Hour) // 01:00
		if err := s.RunNow("a"); err != nil {
			t.Fatalf("RunNow: %v", err)
		}
		if !s.Running("a") {
			t.Errorf("Running after RunNow = false")
		}
		if err := s.RunNow("a"); !errors.Is(err, ErrRunning) {
			t.Errorf("second RunNow while the first runs = %v, want ErrRunning", err)
		}
		if err := s.RunNow("nosuch"); !errors.Is(err, ErrUnknownSite) {
			t.Errorf("RunNow of an unknown site = %v, want ErrUnknownSite", err)
		}
		synctest.Wait()
		time.Sleep(time.Hour) // 02:00: the manual run is over
		if s.Running("a") {
			t.Errorf("Running an hour after a 30-minute run")
		}
		if err := <-done; err != nil {
			t.Fatalf("Run: %v", err)
		}
		starts := rec.startsOf("a")
		// The manual run at 01:00 sharp; the scheduled one at 06:00 plus
		// up to 10 minutes of jitter.
		if len(starts) != 2 || starts[0] != "2000-01-01 01:00:00" || starts[1] < "2000-01-01 06:00:00" || starts[1] > "2000-01-01 06:10:00" {
			t.Errorf("runs started at %q, want 01:00:00 and 06:00-06:10", starts)
		}
		mu.Lock()
		defer mu.Unlock()
		if !slices.Equal(manual, []bool{true, false}) {
			t.Errorf("Manual of the runs = %v, want true, false", manual)
		}
	})
}
