// Package schedule runs each site's job on the site's cron schedule, for
// the `warta schedule` daemon.
//
// Schedules are standard five-field cron specs (robfig/cron v3's parser),
// evaluated in the site's time zone. One site never runs twice at once: a
// tick that comes while the site's previous run is still going is skipped,
// logged and counted, not queued. Each run starts after a small random
// jitter so that sites sharing a schedule do not all start in the same
// second. The configuration can be swapped while the scheduler runs; on
// shutdown the running jobs are cancelled and waited for, for a bounded
// time.
//
// The job is a function the caller supplies; the package knows nothing of
// crawling, archives or run records. It imports configs for the site type
// and none of warta's other packages.
package schedule
