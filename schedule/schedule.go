package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/warta-id/warta/configs"
)

// Job is one site's scheduled work, for example a crawl. Its context is
// cancelled when the scheduler shuts down; it should then stop promptly.
type Job func(ctx context.Context, site *configs.Site) error

// DefaultShutdownTimeout is how long Run waits for running jobs after its
// context is cancelled, when Options.ShutdownTimeout is zero. It exceeds
// the crawler's default grace period for pages in flight (10s).
const DefaultShutdownTimeout = 30 * time.Second

// maxWait bounds one sleep of the scheduler. The clock is read again after
// each wake-up, so a wall clock that jumps or a machine that was suspended
// delays a tick by at most this much.
const maxWait = time.Minute

// Options configure a Scheduler. The zero value is the documented default
// of each field.
type Options struct {
	// Logger receives the scheduler's log lines; nil discards them.
	Logger *slog.Logger
	// Jitter bounds the random delay before each run: a run due at T starts
	// at a random time in [T, T+Jitter). Zero means no jitter. Keep it well
	// below the shortest schedule period: the site counts as running while
	// it waits.
	Jitter time.Duration
	// ShutdownTimeout is how long Run waits for the running jobs after its
	// context is cancelled; zero means DefaultShutdownTimeout.
	ShutdownTimeout time.Duration
	// Skipped, when not nil, is called for each tick that was skipped
	// because the site's previous run was still going (since is when that
	// run's tick came). It is called from the scheduler's own goroutine and
	// must return quickly.
	Skipped func(site *configs.Site, tick, since time.Time)
	// LastRun, when not nil, tells when a site's last run started (zero
	// when it never ran), for example from the run history. A site newly
	// scheduled (or whose schedule changed) whose last run is older than its
	// latest tick, or that never ran, then runs at once instead of waiting
	// for its next tick, like a systemd timer with Persistent=true: a
	// daemon restarted at 03:31 does not skip the 03:30 crawl. When nil,
	// sites wait for their next tick.
	LastRun func(site string) time.Time
}

// Scheduler runs each site's Job on the site's cron schedule, one run per
// site at a time. Its methods are safe for concurrent use.
type Scheduler struct {
	job     Job
	opt     Options
	log     *slog.Logger
	changed chan struct{} // wakes Run after Update; buffered, capacity 1

	mu      sync.Mutex
	active  bool              // Run is running
	entries map[string]*entry // the current config's scheduled sites
	states  map[string]*state // per site name, kept across Update
}

// entry is one scheduled site of the current config.
type entry struct {
	site  *configs.Site
	spec  string
	loc   *time.Location
	sched cron.Schedule
	next  time.Time
	now   bool // RunNow asked for a run at the next tick
}

// state is what the scheduler knows of one site's runs.
type state struct {
	running   bool
	since     time.Time // tick of the run going on
	runs      int
	failures  int
	skipped   int
	lastStart time.Time
	lastEnd   time.Time
	lastErr   string
}

// SiteStatus is a snapshot of one site in the scheduler, for status pages
// and metrics.
type SiteStatus struct {
	Site     string
	Schedule string
	Timezone string
	// Next is the next tick; zero for a site that is no longer in the
	// config but whose last run is still going.
	Next time.Time
	// Running tells whether a run is going on (or waiting out its jitter),
	// and RunningSince the tick it started from.
	Running      bool
	RunningSince time.Time
	// Runs, Failures and Skipped count the runs finished, those that
	// returned an error (a run cancelled by the shutdown is not a failure),
	// and the ticks skipped because of an overlap, since the scheduler was
	// made.
	Runs, Failures, Skipped int
	// LastStart and LastEnd are the times of the last finished run, and
	// LastError its error ("" when it succeeded).
	LastStart, LastEnd time.Time
	LastError          string
}

// New returns a scheduler that runs job. It schedules nothing until Update
// gives it sites.
func New(job Job, opt Options) *Scheduler {
	if opt.ShutdownTimeout <= 0 {
		opt.ShutdownTimeout = DefaultShutdownTimeout
	}
	if opt.Jitter < 0 {
		opt.Jitter = 0
	}
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Scheduler{
		job:     job,
		opt:     opt,
		log:     log,
		changed: make(chan struct{}, 1),
		entries: map[string]*entry{},
		states:  map[string]*state{},
	}
}

// Update makes sites the scheduled set. Sites left out are no longer
// scheduled (a run of theirs that is going on finishes); sites without a
// schedule are not scheduled; a site whose schedule and time zone did not
// change keeps its next tick. When a site's schedule or time zone cannot be
// used, Update changes nothing and returns an error naming the site.
func (s *Scheduler) Update(sites []*configs.Site) error {
	now := time.Now()
	entries := make(map[string]*entry, len(sites))
	var unscheduled []string
	seen := make(map[string]bool, len(sites))
	for _, site := range sites {
		if site == nil {
			continue
		}
		if seen[site.Name] {
			return fmt.Errorf("schedule: site %s is listed twice", site.Name)
		}
		seen[site.Name] = true
		if strings.TrimSpace(site.Schedule) == "" {
			unscheduled = append(unscheduled, site.Name)
			continue
		}
		sched, err := cron.ParseStandard(site.Schedule)
		if err != nil {
			return fmt.Errorf("schedule: site %s: schedule %q: %w", site.Name, site.Schedule, err)
		}
		loc, err := location(site)
		if err != nil {
			return fmt.Errorf("schedule: site %s: %w", site.Name, err)
		}
		entries[site.Name] = &entry{site: site, spec: site.Schedule, loc: loc, sched: sched}
	}

	// The history is read before taking the lock: it may be on disk.
	var lastRun map[string]time.Time
	if s.opt.LastRun != nil {
		lastRun = make(map[string]time.Time, len(entries))
		for name := range entries {
			lastRun[name] = s.opt.LastRun(name)
		}
	}

	s.mu.Lock()
	for name, e := range entries {
		if old := s.entries[name]; old != nil && old.spec == e.spec && old.loc.String() == e.loc.String() {
			e.next = old.next
		} else {
			e.next = e.sched.Next(now.In(e.loc))
			if e.next.IsZero() {
				s.mu.Unlock()
				return fmt.Errorf("schedule: site %s: schedule %q never comes", name, e.spec)
			}
			if last, ok := lastRun[name]; ok && overdue(e, last, now) {
				e.next = now.In(e.loc)
			}
		}
		if s.states[name] == nil {
			s.states[name] = &state{}
		}
	}
	s.entries = entries
	s.mu.Unlock()

	select {
	case s.changed <- struct{}{}:
	default:
	}
	for _, name := range unscheduled {
		s.log.Info("site_not_scheduled", "site", name, "reason", "no schedule in config")
	}
	for _, name := range sortedKeys(entries) {
		e := entries[name]
		s.log.Info("site_scheduled", "site", name, "schedule", e.spec, "timezone", e.loc.String(), "next", e.next)
	}
	return nil
}

// overdue tells whether e's site, last run at last (zero: never), missed
// a tick before now.
func overdue(e *entry, last, now time.Time) bool {
	if last.IsZero() {
		return true
	}
	next := e.sched.Next(last.In(e.loc))
	return !next.IsZero() && !next.After(now)
}

// location returns the zone a site's schedule is evaluated in.
func location(site *configs.Site) (*time.Location, error) {
	if loc := site.Location(); loc != nil {
		return loc, nil
	}
	tz := site.Timezone
	if tz == "" {
		tz = configs.DefaultTimezone
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil, fmt.Errorf("time zone %q: %w", tz, err)
	}
	return loc, nil
}

// Run starts each site's job at its ticks until ctx is cancelled. Then it
// starts no more runs; the running jobs see their context cancelled, and
// Run waits for them up to Options.ShutdownTimeout. It returns nil after a
// clean shutdown, and an error naming the sites whose runs were still going
// when the time was up (their goroutines are then abandoned to the process's
// exit).
func (s *Scheduler) Run(ctx context.Context) error {
	s.mu.Lock()
	if s.active {
		s.mu.Unlock()
		return errors.New("schedule: Run called twice")
	}
	s.active = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.active = false
		s.mu.Unlock()
	}()

	var wg sync.WaitGroup
	timer := time.NewTimer(maxWait)
	defer timer.Stop()
	s.log.Info("scheduler_started")
	for {
		wait := s.tick(ctx, &wg, time.Now())
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return s.shutdown(&wg)
		case <-timer.C:
		case <-s.changed:
		}
	}
}

// skip is a tick that found its site still running.
type skip struct {
	site        *configs.Site
	tick, since time.Time
}

// tick starts the runs due at now, skips those whose site is still running,
// and returns how long to sleep until the next tick.
func (s *Scheduler) tick(ctx context.Context, wg *sync.WaitGroup, now time.Time) time.Duration {
	var skips []skip
	wait := maxWait
	s.mu.Lock()
	for _, name := range sortedKeys(s.entries) {
		e := s.entries[name]
		if e.next.IsZero() {
			continue // a spec with no time left to match
		}
		if e.now && !s.states[name].running {
			// Asked for by RunNow: at once, without jitter, and the
			// schedule's next tick stays as it was.
			e.now = false
			st := s.states[name]
			if ctx.Err() == nil {
				st.running, st.since = true, now
				wg.Add(1)
				go s.runOne(context.WithValue(ctx, manualKey{}, true), wg, e.site, now)
			}
		}
		e.now = false
		if !e.next.After(now) {
			tick := e.next
			// Ticks missed while the machine slept are one run, not many.
			e.next = e.sched.Next(now.In(e.loc))
			st := s.states[name]
			if st.running {
				st.skipped++
				skips = append(skips, skip{e.site, tick, st.since})
			} else if ctx.Err() == nil {
				st.running, st.since = true, tick
				wg.Add(1)
				go s.runOne(ctx, wg, e.site, tick)
			}
		}
		if d := e.next.Sub(now); d < wait {
			wait = d
		}
	}
	s.mu.Unlock()
	for _, sk := range skips {
		s.log.Warn("run_skipped", "site", sk.site.Name, "tick", sk.tick, "running_since", sk.since, "reason", "previous run still going")
		if s.opt.Skipped != nil {
			s.opt.Skipped(sk.site, sk.tick, sk.since)
		}
	}
	return max(wait, 0)
}

// runOne waits out the jitter and runs the job for site; wg's owner, Run,
// waits for it.
func (s *Scheduler) runOne(ctx context.Context, wg *sync.WaitGroup, site *configs.Site, tick time.Time) {
	defer wg.Done()
	if s.opt.Jitter > 0 && !Manual(ctx) {
		t := time.NewTimer(rand.N(s.opt.Jitter))
		select {
		case <-ctx.Done():
			t.Stop()
			s.mu.Lock()
			s.states[site.Name].running = false
			s.mu.Unlock()
			return
		case <-t.C:
		}
	}
	start := time.Now()
	s.log.Info("run_started", "site", site.Name, "tick", tick)
	err := s.call(ctx, site)
	end := time.Now()

	// A run cut short by the shutdown did what it was asked: stop.
	cancelled := err != nil && ctx.Err() != nil && errors.Is(err, ctx.Err())

	s.mu.Lock()
	st := s.states[site.Name]
	st.running = false
	st.runs++
	st.lastStart, st.lastEnd, st.lastErr = start, end, ""
	if err != nil {
		st.lastErr = err.Error()
		if !cancelled {
			st.failures++
		}
	}
	s.mu.Unlock()

	switch {
	case cancelled:
		s.log.Info("run_cancelled", "site", site.Name, "duration", end.Sub(start))
	case err != nil:
		s.log.Error("run_failed", "site", site.Name, "duration", end.Sub(start), "err", err)
	default:
		s.log.Info("run_finished", "site", site.Name, "duration", end.Sub(start))
	}
}

// call runs the job, turning a panic into an error: one site's bug must not
// take the daemon and the other sites' runs down with it.
func (s *Scheduler) call(ctx context.Context, site *configs.Site) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("schedule: site %s: job panicked: %v", site.Name, p)
			s.log.Error("job_panicked", "site", site.Name, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		}
	}()
	return s.job(ctx, site)
}

// shutdown waits for the running jobs, whose context is cancelled already,
// up to the shutdown timeout.
func (s *Scheduler) shutdown(wg *sync.WaitGroup) error {
	running := s.runningSites()
	s.log.Info("scheduler_stopping", "running", len(running), "timeout", s.opt.ShutdownTimeout)
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	t := time.NewTimer(s.opt.ShutdownTimeout)
	defer t.Stop()
	select {
	case <-done:
		s.log.Info("scheduler_stopped")
		return nil
	case <-t.C:
		left := s.runningSites()
		return fmt.Errorf("schedule: runs still going %s after shutdown began: %s",
			s.opt.ShutdownTimeout, strings.Join(left, ", "))
	}
}

func (s *Scheduler) runningSites() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var names []string
	for name, st := range s.states {
		if st.running {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// Errors of RunNow.
var (
	ErrUnknownSite = errors.New("no such scheduled site")
	ErrRunning     = errors.New("a crawl of this site is running")
	ErrStopped     = errors.New("the scheduler is not running")
)

// RunNow starts site's job at once, out of its schedule and without
// jitter; the scheduled ticks stay as they were. It refuses a site that is
// not scheduled, a site whose run is going on (one run per site at a time,
// as always) and a scheduler whose Run is not running.
func (s *Scheduler) RunNow(site string) error {
	s.mu.Lock()
	e, ok := s.entries[site]
	var err error
	switch {
	case !ok:
		err = ErrUnknownSite
	case s.states[site].running || e.now:
		err = ErrRunning
	case !s.active:
		err = ErrStopped
	default:
		e.now = true
	}
	s.mu.Unlock()
	if err != nil {
		return fmt.Errorf("schedule: run %s now: %w", site, err)
	}
	select {
	case s.changed <- struct{}{}:
	default:
	}
	s.log.Info("run_requested", "site", site)
	return nil
}

// Running reports whether a run of site is going on, or asked for.
func (s *Scheduler) Running(site string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.states[site]
	e := s.entries[site]
	return (st != nil && st.running) || (e != nil && e.now)
}

// manualKey marks the context of a run that RunNow asked for.
type manualKey struct{}

// Manual reports whether the job's context is that of a run asked for
// with RunNow rather than a scheduled one.
func Manual(ctx context.Context) bool {
	m, _ := ctx.Value(manualKey{}).(bool)
	return m
}

// Status returns a snapshot of each scheduled site, and of each site no
// longer scheduled whose run is still going, ordered by name.
func (s *Scheduler) Status() []SiteStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []SiteStatus
	for name, st := range s.states {
		e := s.entries[name]
		if e == nil && !st.running {
			continue
		}
		ss := SiteStatus{
			Site:         name,
			Running:      st.running,
			RunningSince: st.since,
			Runs:         st.runs,
			Failures:     st.failures,
			Skipped:      st.skipped,
			LastStart:    st.lastStart,
			LastEnd:      st.lastEnd,
			LastError:    st.lastErr,
		}
		if !st.running {
			ss.RunningSince = time.Time{}
		}
		if e != nil {
			ss.Schedule, ss.Timezone, ss.Next = e.spec, e.loc.String(), e.next
		}
		out = append(out, ss)
	}
	slices.SortFunc(out, func(a, b SiteStatus) int { return strings.Compare(a.Site, b.Site) })
	return out
}

func sortedKeys(m map[string]*entry) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
