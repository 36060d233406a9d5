package schedule

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
	_ "time/tzdata" // the zones below must exist on any machine

	"github.com/warta-id/warta/configs"
)

// The tests run in synctest bubbles, whose fake clock starts at
// 2000-01-01 00:00:00 UTC (a Saturday) and moves only when every goroutine
// of the bubble is blocked: the times below are exact.

// parseSites builds sites through the real config loader, so they carry
// the time zone and defaults a config file gives them.
func parseSites(t *testing.T, specs ...string) []*configs.Site {
	t.Helper()
	var b strings.Builder
	b.WriteString("sites:\n")
	for _, spec := range specs {
		// spec is "name|cron|zone".
		f := strings.Split(spec, "|")
		fmt.Fprintf(&b, "  - name: %s\n    base_url: http://127.0.0.1:1/\n    schedule: %q\n", f[0], f[1])
		if len(f) > 2 {
			fmt.Fprintf(&b, "    timezone: %s\n", f[2])
		}
	}
	cfg, err := configs.Parse("test.yaml", []byte(b.String()))
	if err != nil {
		t.Fatalf("configs.Parse: %v", err)
	}
	return cfg.Sites
}

// recorder is a Job that notes when each site started and how its run
// ended; hold, when set, is what the job does once started.
type recorder struct {
	mu     sync.Mutex
	starts map[string][]time.Time
	ends   map[string][]error
	hold   func(ctx context.Context, site *configs.Site) error
}

func newRecorder(hold func(ctx context.Context, site *configs.Site) error) *recorder {
	return &recorder{starts: map[string][]time.Time{}, ends: map[string][]error{}, hold: hold}
}

func (r *recorder) job(ctx context.Context, site *configs.Site) error {
	r.mu.Lock()
	r.starts[site.Name] = append(r.starts[site.Name], time.Now())
	r.mu.Unlock()
	var err error
	if r.hold != nil {
		err = r.hold(ctx, site)
	}
	r.mu.Lock()
	r.ends[site.Name] = append(r.ends[site.Name], err)
	r.mu.Unlock()
	return err
}

func (r *recorder) startsOf(site string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, at := range r.starts[site] {
		out = append(out, at.UTC().Format("2006-01-02 15:04:05"))
	}
	return out
}

// busy returns a job body that works for d, or until ctx is cancelled.
func busy(d time.Duration) func(ctx context.Context, site *configs.Site) error {
	return func(ctx context.Context, site *configs.Site) error {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// runFor runs s until the bubble's clock has moved d, and returns Run's
// error.
func runFor(s *Scheduler, d time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return s.Run(ctx)
}

func TestRunsAtTicksInSiteZone(t *testing.T) {
	tests := []struct {
		name string
		site string // name|cron|zone
		run  time.Duration
		want []string // start times in UTC
	}{
		{
			name: "daily 06:00 in Jakarta (UTC+7) is 23:00 UTC",
			site: "a|0 6 * * *|Asia/Jakarta",
			run:  72 * time.Hour,
			want: []string{"2000-01-01 23:00:00", "2000-01-02 23:00:00", "2000-01-03 23:00:00"},
		},
		{
			name: "every six hours at half past, UTC",
			site: "a|30 */6 * * *|UTC",
			run:  19 * time.Hour,
			want: []string{"2000-01-01 00:30:00", "2000-01-01 06:30:00", "2000-01-01 12:30:00", "2000-01-01 18:30:00"},
		},
		{
			name: "Mondays 00:00 in Jayapura (UTC+9) is Sunday 15:00 UTC",
			site: "a|0 0 * * 1|Asia/Jayapura",
			run:  15 * 24 * time.Hour,
			want: []string{"2000-01-02 15:00:00", "2000-01-09 15:00:00"},
		},
		{
			name: "no zone in the config means Asia/Jakarta",
			site: "a|0 0 * * *",
			run:  48 * time.Hour,
			want: []string{"2000-01-01 17:00:00", "2000-01-02 17:00:00"},
		},
		{
			name: "hourly in Makassar (UTC+8) keeps the hour",
			site: "a|0 * * * *|Asia/Makassar",
			run:  3*time.Hour + time.Minute,
			want: []string{"2000-01-01 01:00:00", "2000-01-01 02:00:00", "2000-01-01 03:00:00"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				rec := newRecorder(nil)
				s := New(rec.job, Options{})
				if err := s.Update(parseSites(t, tt.site)); err != nil {
					t.Fatalf("Update: %v", err)
				}
				if err := runFor(s, tt.run); err != nil {
					t.Fatalf("Run: %v", err)
				}
				if got := rec.startsOf("a"); !slices.Equal(got, tt.want) {
					t.Errorf("runs started at %q, want %q", got, tt.want)
				}
			})
		})
	}
}

func TestSitesRunIndependently(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// b's runs take 50 minutes; a's ticks come during them and must
		// not wait for b.
		rec := newRecorder(func(ctx context.Context, site *configs.Site) error {
			if site.Name == "b" {
				return busy(50*time.Minute)(ctx, site)
			}
			return nil
		})
		s := New(rec.job, Options{})
		if err := s.Update(parseSites(t, "a|*/20 * * * *|UTC", "b|0 * * * *|UTC")); err != nil {
			t.Fatal(err)
		}
		if err := runFor(s, 2*time.Hour+time.Minute); err != nil {
			t.Fatal(err)
		}
		wantA := []string{"2000-01-01 00:20:00", "2000-01-01 00:40:00", "2000-01-01 01:00:00",
			"2000-01-01 01:20:00", "2000-01-01 01:40:00", "2000-01-01 02:00:00"}
		if got := rec.startsOf("a"); !slices.Equal(got, wantA) {
			t.Errorf("a started at %q, want %q", got, wantA)
		}
		wantB := []string{"2000-01-01 01:00:00", "2000-01-01 02:00:00"}
		if got := rec.startsOf("b"); !slices.Equal(got, wantB) {
			t.Errorf("b started at %q, want %q", got, wantB)
		}
	})
}

func TestOverlapIsSkipped(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// Hourly ticks, 90-minute runs: every other tick finds the site
		// still running.
		rec := newRecorder(busy(90 * time.Minute))
		var mu sync.Mutex
		var skipped []string
		s := New(rec.job, Options{Skipped: func(site *configs.Site, tick, since time.Time) {
			mu.Lock()
			defer mu.Unlock()
			skipped = append(skipped, fmt.Sprintf("%s %s since %s", site.Name, tick.UTC().Format("15:04"), since.UTC().Format("15:04")))
		}})
		if err := s.Update(parseSites(t, "a|0 * * * *|UTC")); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 4*time.Hour+5*time.Minute)
		defer cancel()
		done := make(chan error, 1)
		go func() { done <- s.Run(ctx) }()

		time.Sleep(4*time.Hour + time.Minute) // fake time: after the 04:00 tick
		st := s.Status()
		if len(st) != 1 || st[0].Skipped != 2 || st[0].Runs != 1 || !st[0].Running {
			t.Errorf("Status at 04:01 = %+v, want a with 1 run finished, 1 running, 2 skipped", st)
		}
		if err := <-done; err != nil {
			t.Fatalf("Run: %v", err)
		}
		// The 03:00 run was cut short by the shutdown at 04:05: that is no
		// failure.
		if st := s.Status(); len(st) != 1 || st[0].Runs != 2 || st[0].Failures != 0 || st[0].Running {
			t.Errorf("Status after shutdown = %+v, want a with 2 runs, 0 failures, not running", st)
		}

		want := []string{"2000-01-01 01:00:00", "2000-01-01 03:00:00"}
		if got := rec.startsOf("a"); !slices.Equal(got, want) {
			t.Errorf("runs started at %q, want %q", got, want)
		}
		wantSkipped := []string{"a 02:00 since 01:00", "a 04:00 since 03:00"}
		mu.Lock()
		defer mu.Unlock()
		if !slices.Equal(skipped, wantSkipped) {
			t.Errorf("skipped ticks %q, want %q", skipped, wantSkipped)
		}
	})
}

func TestUpdate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// a's 01:00 run takes 50 minutes and is still going when the new
		// config drops a at 01:45: it must finish, not be cancelled.
		rec := newRecorder(func(ctx context.Context, site *configs.Site) error {
			if site.Name == "a" {
				return busy(50*time.Minute)(ctx, site)
			}
			return nil
		})
		s := New(rec.job, Options{})
		if err := s.Update(parseSites(t, "a|0 * * * *|UTC", "b|30 * * * *|UTC", "d|10 * * * *|UTC")); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 4*time.Hour+5*time.Minute)
		defer cancel()
		done := make(chan error, 1)
		go func() { done <- s.Run(ctx) }()

		time.Sleep(time.Hour + 45*time.Minute) // fake time: 01:45
		// b moves to a quarter past, c is new, d is unchanged.
		if err := s.Update(parseSites(t, "b|15 * * * *|UTC", "c|0 */2 * * *|UTC", "d|10 * * * *|UTC")); err != nil {
			t.Fatalf("Update: %v", err)
		}
		var names []string
		for _, st := range s.Status() {
			names = append(names, st.Site)
		}
		if want := []string{"a", "b", "c", "d"}; !slices.Equal(names, want) {
			t.Errorf("Status lists %q at 01:45, want %q (a still running)", names, want)
		}
		if err := <-done; err != nil {
			t.Fatalf("Run: %v", err)
		}

		tests := []struct {
			site string
			want []string
		}{
			{"a", []string{"2000-01-01 01:00:00"}},
			{"b", []string{"2000-01-01 00:30:00", "2000-01-01 01:30:00", "2000-01-01 02:15:00", "2000-01-01 03:15:00"}},
			{"c", []string{"2000-01-01 02:00:00", "2000-01-01 04:00:00"}},
			{"d", []string{"2000-01-01 00:10:00", "2000-01-01 01:10:00", "2000-01-01 02:10:00", "2000-01-01 03:10:00"}},
		}
		for _, tt := range tests {
			if got := rec.startsOf(tt.site); !slices.Equal(got, tt.want) {
				t.Errorf("%s started at %q, want %q", tt.site, got, tt.want)
			}
		}
		rec.mu.Lock()
		defer rec.mu.Unlock()
		if ends := rec.ends["a"]; len(ends) != 1 || ends[0] != nil {
			t.Errorf("a's run ended with %v, want one run that finished (nil)", ends)
		}
	})
}

func TestUpdateRejectsBadSites(t *testing.T) {
	good := func(t *testing.T) []*configs.Site { return parseSites(t, "a|0 * * * *|UTC") }
	tests := []struct {
		name  string
		sites func(t *testing.T) []*configs.Site
		want  string
	}{
		{"bad cron", func(t *testing.T) []*configs.Site {
			s := good(t)
			s[0].Schedule = "every tuesday"
			return s
		}, `site a: schedule "every tuesday"`},
		{"never comes", func(t *testing.T) []*configs.Site {
			s := good(t)
			s[0].Schedule = "0 0 30 2 *"
			return s
		}, "never comes"},
		{"unknown zone", func(t *testing.T) []*configs.Site {
			return []*configs.Site{{Name: "a", Schedule: "0 * * * *", Timezone: "Asia/Atlantis"}}
		}, "Asia/Atlantis"},
		{"twice", func(t *testing.T) []*configs.Site {
			return append(good(t), good(t)...)
		}, "listed twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(func(context.Context, *configs.Site) error { return nil }, Options{})
			if err := s.Update(parseSites(t, "old|0 1 * * *|UTC")); err != nil {
				t.Fatal(err)
			}
			err := s.Update(tt.sites(t))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Update error = %v, want one mentioning %q", err, tt.want)
			}
			if st := s.Status(); len(st) != 1 || st[0].Site != "old" {
				t.Errorf("after a failed Update, Status = %+v, want the old config (site old)", st)
			}
		})
	}
}

func TestCatchUp(t *testing.T) {
	// The bubble starts at 2000-01-01 00:00 UTC; the site is due at 30
	// past each hour.
	start := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		lastRun func(string) time.Time // nil: no LastRun option
		want    []string
	}{
		{"no history option waits for the tick", nil,
			[]string{"2000-01-01 00:30:00", "2000-01-01 01:30:00"}},
		{"never ran runs at once", func(string) time.Time { return time.Time{} },
			[]string{"2000-01-01 00:00:00", "2000-01-01 00:30:00", "2000-01-01 01:30:00"}},
		{"missed the 23:30 tick runs at once", func(string) time.Time { return start.Add(-45 * time.Minute) },
			[]string{"2000-01-01 00:00:00", "2000-01-01 00:30:00", "2000-01-01 01:30:00"}},
		{"ran after the last tick waits", func(string) time.Time { return start.Add(-10 * time.Minute) },
			[]string{"2000-01-01 00:30:00", "2000-01-01 01:30:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				rec := newRecorder(nil)
				s := New(rec.job, Options{LastRun: tt.lastRun})
				if err := s.Update(parseSites(t, "a|30 * * * *|UTC")); err != nil {
					t.Fatal(err)
				}
				if err := runFor(s, 2*time.Hour); err != nil {
					t.Fatal(err)
				}
				if got := rec.startsOf("a"); !slices.Equal(got, tt.want) {
					t.Errorf("runs started at %q, want %q", got, tt.want)
				}
			})
		})
	}
}

func TestSiteWithoutScheduleDoesNotRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := newRecorder(nil)
		s := New(rec.job, Options{})
		sites := parseSites(t, "a|0 * * * *|UTC", "b|0 * * * *|UTC")
		sites[1].Schedule = ""
		if err := s.Update(sites); err != nil {
			t.Fatal(err)
		}
		if err := runFor(s, 2*time.Hour+time.Minute); err != nil {
			t.Fatal(err)
		}
		if got, want := len(rec.startsOf("a")), 2; got != want {
			t.Errorf("a ran %d times, want %d", got, want)
		}
		if got := rec.startsOf("b"); len(got) != 0 {
			t.Errorf("b (no schedule) ran at %q, want never", got)
		}
	})
}

func TestJitter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const jitter = 10 * time.Minute
		rec := newRecorder(nil)
		s := New(rec.job, Options{Jitter: jitter})
		if err := s.Update(parseSites(t, "a|0 * * * *|UTC")); err != nil {
			t.Fatal(err)
		}
		if err := runFor(s, 8*time.Hour+jitter); err != nil {
			t.Fatal(err)
		}
		rec.mu.Lock()
		defer rec.mu.Unlock()
		starts := rec.starts["a"]
		if len(starts) != 8 {
			t.Fatalf("%d runs, want 8 (one per hourly tick)", len(starts))
		}
		var delayed int
		for i, at := range starts {
			tick := time.Date(2000, 1, 1, i+1, 0, 0, 0, time.UTC)
			if off := at.Sub(tick); off < 0 || off >= jitter {
				t.Errorf("run %d started %s after its tick, want within [0, %s)", i, off, jitter)
			} else if off > 0 {
				delayed++
			}
		}
		if delayed == 0 {
			t.Errorf("no run was delayed, want a random jitter before runs")
		}
	})
}

func TestShutdown(t *testing.T) {
	tests := []struct {
		name string
		// flush is how long the job takes to stop once its context is
		// cancelled; ignore makes it ignore the cancellation altogether.
		flush   time.Duration
		ignore  bool
		timeout time.Duration
		wantErr string
	}{
		{name: "waits for a job that stops at once", timeout: time.Minute},
		{name: "waits for a job that flushes for a while", flush: 20 * time.Second, timeout: time.Minute},
		{name: "gives up on a job that ignores cancellation", ignore: true, timeout: 30 * time.Second, wantErr: "still going 30s after shutdown began: a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				release := make(chan struct{})
				var mu sync.Mutex
				var stopped bool
				job := func(ctx context.Context, site *configs.Site) error {
					if tt.ignore {
						<-release
					} else {
						<-ctx.Done()
						time.Sleep(tt.flush) // fake time: the job's own clean-up
					}
					mu.Lock()
					stopped = true
					mu.Unlock()
					return ctx.Err()
				}
				s := New(job, Options{ShutdownTimeout: tt.timeout})
				if err := s.Update(parseSites(t, "a|0 * * * *|UTC")); err != nil {
					t.Fatal(err)
				}
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan error, 1)
				go func() { done <- s.Run(ctx) }()
				time.Sleep(90 * time.Minute) // fake time: the 01:00 run is going
				cancel()
				cancelled := time.Now()
				err := <-done
				elapsed := time.Since(cancelled)
				mu.Lock()
				jobStopped := stopped
				mu.Unlock()
				close(release)

				if tt.wantErr == "" {
					if err != nil {
						t.Fatalf("Run = %v, want nil", err)
					}
					if !jobStopped {
						t.Errorf("Run returned before the running job stopped")
					}
					if elapsed != tt.flush {
						t.Errorf("Run returned %s after the cancel, want %s (when the job stopped)", elapsed, tt.flush)
					}
					return
				}
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Run = %v, want an error mentioning %q", err, tt.wantErr)
				}
				if elapsed != tt.timeout {
					t.Errorf("Run gave up %s after the cancel, want %s", elapsed, tt.timeout)
				}
			})
		})
	}
}

func TestShutdownDuringJitterSkipsTheJob(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := newRecorder(nil)
		s := New(rec.job, Options{Jitter: time.Hour})
		if err := s.Update(parseSites(t, "a|0 * * * *|UTC")); err != nil {
			t.Fatal(err)
		}
		// Cancelled one nanosecond after the tick: the run is waiting out
		// its jitter, which is almost surely longer.
		ctx, cancel := context.WithTimeout(context.Background(), time.Hour+time.Nanosecond)
		defer cancel()
		if err := s.Run(ctx); err != nil {
			t.Fatal(err)
		}
		if got := rec.startsOf("a"); len(got) != 0 {
			t.Errorf("job started at %q after shutdown began, want no start", got)
		}
		if st := s.Status(); len(st) != 1 || st[0].Running {
			t.Errorf("Status after shutdown = %+v, want a not running", st)
		}
	})
}

func TestPanickingJobIsAFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var calls int
		var mu sync.Mutex
		job := func(ctx context.Context, site *configs.Site) error {
			mu.Lock()
			defer mu.Unlock()
			calls++
			if calls == 1 {
				panic("boom")
			}
			return errors.New("plain failure")
		}
		s := New(job, Options{})
		if err := s.Update(parseSites(t, "a|0 * * * *|UTC")); err != nil {
			t.Fatal(err)
		}
		if err := runFor(s, 3*time.Hour+time.Minute); err != nil {
			t.Fatal(err)
		}
		st := s.Status()
		if len(st) != 1 || st[0].Runs != 3 || st[0].Failures != 3 || st[0].LastError != "plain failure" {
			t.Errorf("Status = %+v, want 3 runs, 3 failures, last error %q", st, "plain failure")
		}
	})
}

func TestRunTwice(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := New(func(context.Context, *configs.Site) error { return nil }, Options{})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- s.Run(ctx) }()
		synctest.Wait()
		if err := s.Run(ctx); err == nil {
			t.Errorf("second Run = nil, want an error")
		}
		cancel()
		if err := <-done; err != nil {
			t.Errorf("first Run = %v, want nil", err)
		}
	})
}
