package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/warta-id/warta/configs"
	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/runlog"
	"github.com/warta-id/warta/schedule"
	"github.com/warta-id/warta/web"
)

// Defaults of `warta schedule`.
const (
	// defaultJitter spreads the start of runs due at the same tick.
	defaultJitter = 30 * time.Second
	// webShutdownTimeout bounds the web server's goodbye to open requests.
	webShutdownTimeout = 5 * time.Second
)

// daemonOptions are the flags of `warta schedule`.
type daemonOptions struct {
	configPath      string
	dataDir         string
	addr            string
	allowHosts      []string
	once            bool
	catchUp         bool
	jitter          time.Duration
	shutdownTimeout time.Duration
}

func newScheduleCmd(e *env) *cobra.Command {
	var opt daemonOptions
	cmd := &cobra.Command{
		Use:   "schedule [--config FILE] [--data DIR] [--addr ADDR]",
		Short: "crawl each site on its cron schedule and serve the web UI and API",
		Long: `Run as a daemon: crawl each site of the config on its cron schedule,
evaluated in the site's time zone, never two runs of one site at once (a tick
that comes while the site is still being crawled is skipped and recorded),
each run after a small random delay (--jitter). Meanwhile serve the web UI and
JSON API on ADDR (default 127.0.0.1:8080; --addr "" serves nothing), to
requests for a loopback name, ADDR or a host named with --allow-host.

SIGHUP re-reads the config file; a bad config keeps the old one running and
the log says why (file, line and key). SIGTERM or SIGINT stops the daemon:
running crawls are cancelled (pages in flight are finished and the crawl
state is flushed), waited for at most --shutdown-timeout, and warta exits 0.

At start, a site that missed a tick while warta was not running, or that
was never crawled, is crawled at once (--catch-up=false waits for the next
tick instead). --once crawls every site once now and exits. To run warta crawl from system
cron or a systemd timer instead, see the examples in configs/systemd/.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opt.dataDir = e.dataDir(cmd, defaultDataDir)
			hup := make(chan os.Signal, 1)
			signal.Notify(hup, syscall.SIGHUP)
			defer signal.Stop(hup)
			return runDaemon(cmd.Context(), e, opt, hup)
		},
	}
	addDataFlag(cmd, defaultDataDir)
	f := cmd.Flags()
	f.StringVar(&opt.configPath, "config", "", "site config file (default: the configs built into warta)")
	f.StringVar(&opt.addr, "addr", serveDefaultAddr, `serve the web UI and API on this address ("" for none)`)
	addAllowHostFlag(cmd, &opt.allowHosts)
	f.BoolVar(&opt.once, "once", false, "crawl every site once now and exit")
	f.BoolVar(&opt.catchUp, "catch-up", true, "at start, crawl at once each site that missed a tick while warta was not running (or never ran)")
	f.DurationVar(&opt.jitter, "jitter", defaultJitter, "largest random delay before each scheduled run (0 for none)")
	f.DurationVar(&opt.shutdownTimeout, "shutdown-timeout", schedule.DefaultShutdownTimeout, "how long to wait for running crawls when stopping")
	return cmd
}

// runDaemon is `warta schedule`: hup delivers the reload requests.
func runDaemon(ctx context.Context, e *env, opt daemonOptions, hup <-chan os.Signal) error {
	if opt.jitter < 0 {
		return usagef("schedule: --jitter %s: want 0 or more", opt.jitter)
	}
	if opt.shutdownTimeout <= 0 {
		return usagef("schedule: --shutdown-timeout %s: want more than 0", opt.shutdownTimeout)
	}
	if err := checkAllowHosts(opt.allowHosts); err != nil {
		return err
	}
	if opt.addr != "" {
		if _, _, err := net.SplitHostPort(opt.addr); err != nil {
			return usagef("schedule: --addr %q: %v (want HOST:PORT, for example %s)", opt.addr, err, serveDefaultAddr)
		}
	}
	cfg, err := loadConfig(opt.configPath)
	if err != nil {
		return err
	}
	if opt.once {
		_, err := crawlSites(ctx, e, opt.dataDir, cfg.Sites, "schedule", nil)
		return err
	}

	// One archive and one index for the daemon's life: Bleve takes a lock
	// on its files, so the web server searches through this same index.
	store, idx, closeAll, err := openWriter(ctx, e, opt.dataDir)
	if err != nil {
		return err
	}
	defer closeAll()

	var outMu sync.Mutex // runs of different sites print concurrently
	job := func(ctx context.Context, site *configs.Site) error {
		trigger := "schedule"
		if schedule.Manual(ctx) {
			trigger = "manual" // the status page's "crawl now"
		}
		rec, err := crawlSite(ctx, e, opt.dataDir, site, trigger, store, idx, nil)
		if rec != nil {
			outMu.Lock()
			printRun(e.stdout, rec)
			outMu.Unlock()
		}
		return err
	}
	sopt := schedule.Options{
		Logger:          e.log,
		Jitter:          opt.jitter,
		ShutdownTimeout: opt.shutdownTimeout,
		Skipped: func(site *configs.Site, tick, since time.Time) {
			recordSkip(e, opt.dataDir, site.Name, tick, since)
		},
	}
	if opt.catchUp {
		sopt.LastRun = func(site string) time.Time { return lastRun(e, opt.dataDir, site) }
	}
	sched := schedule.New(job, sopt)
	if err := sched.Update(cfg.Sites); err != nil {
		return usageError{fmt.Errorf("%s: %w", cfg.Path, err)}
	}

	var (
		handler http.Handler
		ln      net.Listener
	)
	if opt.addr != "" {
		if ln, err = net.Listen("tcp", opt.addr); err != nil {
			return fmt.Errorf("schedule: listen on %s: %w", opt.addr, err)
		}
		if host, _, _ := net.SplitHostPort(opt.addr); !isLoopback(host) {
			e.log.Warn("web_beyond_loopback", "addr", opt.addr, "reason", "the web UI has no authentication")
		}
		ui, err := web.New(web.Options{
			Searcher: idx,
			Articles: store,
			Captures: store,
			DataDir:  opt.dataDir,
			Sites:    configWebSites(cfg.Sites),
			Location: extract.DefaultLocation(),
			Logger:   e.log,
			Runner:   sched,
		})
		if err != nil {
			ln.Close()
			return err
		}
		handler = daemonHandler(sched, ui)
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	wg.Go(func() { watchReloads(ctx, e, opt.configPath, sched, hup) })
	serveErr := make(chan error, 1)
	if handler != nil {
		wg.Go(func() {
			err := web.Serve(ctx, ln, handler, web.ServeOptions{
				Wrap: hostCheck(opt.addr, ln, opt.allowHosts), Logger: e.log, ShutdownTimeout: webShutdownTimeout,
			})
			if err != nil {
				serveErr <- err
				cancel() // a daemon that cannot serve stops, and says why
			}
		})
	}

	runErr := sched.Run(ctx)
	cancel()
	wg.Wait()
	select {
	case err := <-serveErr:
		runErr = errors.Join(runErr, fmt.Errorf("schedule: web server: %w", err))
	default:
	}
	if runErr == nil {
		e.log.Info("daemon_stopped")
	}
	return runErr
}

// watchReloads re-reads the config at path on each signal from hup, until
// ctx is done. A config that does not load or validate leaves the running
// one in place.
func watchReloads(ctx context.Context, e *env, path string, sched *schedule.Scheduler, hup <-chan os.Signal) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
		}
		cfg, err := loadConfig(path)
		if err == nil {
			err = sched.Update(cfg.Sites)
		}
		if err != nil {
			e.log.Error("config_reload_failed", "config", configName(path), "keeping", "the running config", "err", err)
			continue
		}
		e.log.Info("config_reloaded", "config", cfg.Path, "sites", len(cfg.Sites))
	}
}

func configName(path string) string {
	if path == "" {
		return "embedded configs"
	}
	return path
}

// recordSkip keeps a skipped tick in the run history, so that the status
// page shows a site whose crawls outlast its schedule.
func recordSkip(e *env, dataDir, site string, tick, since time.Time) {
	rec := &runlog.Record{
		Site:     site,
		Trigger:  "schedule",
		Started:  tick,
		Finished: tick,
		Status:   runlog.StatusSkipped,
		Error:    fmt.Sprintf("skipped: the run due at %s was still going", since.Format(time.RFC3339)),
	}
	if err := runlog.Write(dataDir, rec); err != nil {
		e.log.Warn("run_summary_not_saved", "site", site, "err", err)
	}
}

// lastRun returns when site's last run started, by the run history: zero
// when it never ran. A history that cannot be read counts as a run just now,
// so that a broken disk does not set off crawls.
func lastRun(e *env, dataDir, site string) time.Time {
	recs, err := runlog.List(dataDir, site, 0)
	if err != nil {
		e.log.Warn("run_history_unreadable", "site", site, "err", err)
		return time.Now()
	}
	for _, r := range recs {
		if r.Status != runlog.StatusSkipped {
			return r.Started
		}
	}
	return time.Time{}
}

// daemonHandler serves the web UI and API, and the scheduler's state at
// /api/schedule.
func daemonHandler(sched *schedule.Scheduler, ui http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/schedule", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_ = json.NewEncoder(w).Encode(scheduleStatus(sched.Status()))
	})
	mux.Handle("/", ui)
	return mux
}

// configWebSites describes the configured sites for the web UI.
func configWebSites(sites []*configs.Site) []web.Site {
	out := make([]web.Site, 0, len(sites))
	for _, s := range sites {
		out = append(out, web.Site{Name: s.Name, Title: s.Title, BaseURL: s.BaseURL, Location: s.Location()})
	}
	return out
}

// siteSchedule is one site in /api/schedule.
type siteSchedule struct {
	Site         string     `json:"site"`
	Schedule     string     `json:"schedule"`
	Timezone     string     `json:"timezone"`
	Next         *time.Time `json:"next,omitempty"`
	Running      bool       `json:"running"`
	RunningSince *time.Time `json:"running_since,omitempty"`
	Runs         int        `json:"runs"`
	Failures     int        `json:"failures"`
	Skipped      int        `json:"skipped"`
	LastStart    *time.Time `json:"last_start,omitempty"`
	LastEnd      *time.Time `json:"last_end,omitempty"`
	LastError    string     `json:"last_error,omitempty"`
}

func scheduleStatus(st []schedule.SiteStatus) map[string][]siteSchedule {
	opt := func(t time.Time) *time.Time {
		if t.IsZero() {
			return nil
		}
		return &t
	}
	out := make([]siteSchedule, 0, len(st))
	for _, s := range st {
		out = append(out, siteSchedule{
			Site: s.Site, Schedule: s.Schedule, Timezone: s.Timezone, Next: opt(s.Next),
			Running: s.Running, RunningSince: opt(s.RunningSince),
			Runs: s.Runs, Failures: s.Failures, Skipped: s.Skipped,
			LastStart: opt(s.LastStart), LastEnd: opt(s.LastEnd), LastError: s.LastError,
		})
	}
	return map[string][]siteSchedule{"sites": out}
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
