package web

import (
	"context"
	"sort"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/warta-id/warta/index"
	"github.com/warta-id/warta/runlog"
)

// runDurationBuckets are the histogram buckets of crawl run durations, in
// seconds: from a few seconds (an incremental crawl) to hours.
var runDurationBuckets = []float64{1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400}

var (
	descPages = prometheus.NewDesc("warta_pages_fetched_total",
		"Pages fetched by crawls, by site and HTTP status, summed over the run records.", []string{"site", "status"}, nil)
	descArchived = prometheus.NewDesc("warta_articles_archived_total",
		"Articles archived by crawls (new or changed), summed over the run records.", []string{"site"}, nil)
	descErrors = prometheus.NewDesc("warta_crawl_errors_total",
		"Pages that crawls failed to fetch, archive or extract, summed over the run records.", []string{"site"}, nil)
	descRuns = prometheus.NewDesc("warta_runs_total",
		"Crawl runs by site and final status.", []string{"site", "status"}, nil)
	descDuration = prometheus.NewDesc("warta_run_duration_seconds",
		"Durations of finished crawl runs.", []string{"site"}, nil)
	descLastRun = prometheus.NewDesc("warta_last_run_timestamp_seconds",
		"Start time of the site's latest run, in seconds since the epoch.", []string{"site"}, nil)
	descLastSuccess = prometheus.NewDesc("warta_last_success_timestamp_seconds",
		"End time of the site's latest successful run, in seconds since the epoch.", []string{"site"}, nil)
	descIndexed = prometheus.NewDesc("warta_articles_indexed",
		"Articles in the search index, by site.", []string{"site"}, nil)
	descUp = prometheus.NewDesc("warta_index_up",
		"1 when the search index answered the scrape's query, else 0.", nil, nil)
)

// collector derives warta's metrics from the run records and the index
// at scrape time, so every process serving the UI reports the same
// figures without counters of its own.
type collector struct{ s *Server }

// Describe implements prometheus.Collector.
func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descPages, descArchived, descErrors, descRuns, descDuration, descLastRun, descLastSuccess, descIndexed, descUp} {
		ch <- d
	}
}

type siteTotals struct {
	statuses  map[int]float64
	archived  float64
	errors    float64
	runs      map[string]float64
	durations []float64
	lastRun   time.Time
	lastOK    time.Time
}

// Collect implements prometheus.Collector.
func (c *collector) Collect(ch chan<- prometheus.Metric) {
	s := c.s
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := s.opt.Searcher.Search(ctx, index.Request{Limit: 1, Counts: "site"})
	if err != nil {
		s.log.Warn("metrics_index_failed", "err", err)
		ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, 0)
	} else {
		ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, 1)
		for _, b := range res.Counts.Buckets {
			ch <- prometheus.MustNewConstMetric(descIndexed, prometheus.GaugeValue, float64(b.Count), b.Key)
		}
	}
	if s.opt.DataDir == "" {
		return
	}
	recs, err := runlog.List(s.opt.DataDir, "", 0)
	if err != nil {
		s.log.Warn("metrics_runlog_failed", "err", err)
		return
	}
	sites := map[string]*siteTotals{}
	for _, r := range recs {
		t := sites[r.Site]
		if t == nil {
			t = &siteTotals{statuses: map[int]float64{}, runs: map[string]float64{}}
			sites[r.Site] = t
		}
		if r.Crawl != nil {
			for status, n := range r.Crawl.Statuses {
				t.statuses[status] += float64(n)
			}
		}
		t.archived += float64(r.Pipeline.New + r.Pipeline.Changed)
		t.errors += float64(runErrors(r))
		t.runs[r.Status]++
		if r.Status != runlog.StatusRunning && !r.Finished.IsZero() {
			t.durations = append(t.durations, r.Duration().Seconds())
		}
		if r.Started.After(t.lastRun) {
			t.lastRun = r.Started
		}
		if r.Status == runlog.StatusOK && r.Finished.After(t.lastOK) {
			t.lastOK = r.Finished
		}
	}
	for site, t := range sites {
		for status, n := range t.statuses {
			ch <- prometheus.MustNewConstMetric(descPages, prometheus.CounterValue, n, site, strconv.Itoa(status))
		}
		ch <- prometheus.MustNewConstMetric(descArchived, prometheus.CounterValue, t.archived, site)
		ch <- prometheus.MustNewConstMetric(descErrors, prometheus.CounterValue, t.errors, site)
		for status, n := range t.runs {
			ch <- prometheus.MustNewConstMetric(descRuns, prometheus.CounterValue, n, site, status)
		}
		ch <- histogram(site, t.durations)
		if !t.lastRun.IsZero() {
			ch <- prometheus.MustNewConstMetric(descLastRun, prometheus.GaugeValue, float64(t.lastRun.UnixMilli())/1000, site)
		}
		if !t.lastOK.IsZero() {
			ch <- prometheus.MustNewConstMetric(descLastSuccess, prometheus.GaugeValue, float64(t.lastOK.UnixMilli())/1000, site)
		}
	}
}

// histogram builds the run duration histogram of one site.
func histogram(site string, durations []float64) prometheus.Metric {
	sort.Float64s(durations)
	buckets := make(map[float64]uint64, len(runDurationBuckets))
	var sum float64
	i := 0
	for _, ub := range runDurationBuckets {
		for i < len(durations) && durations[i] <= ub {
			i++
		}
		buckets[ub] = uint64(i)
	}
	for _, d := range durations {
		sum += d
	}
	return prometheus.MustNewConstHistogram(descDuration, uint64(len(durations)), sum, buckets, site)
}
