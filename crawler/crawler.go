package crawler

import (
	"sync/atomic"
	"time"
)

// Crawler crawls one site. Create it with New; Run may be called again
// after it returned, never twice at once.
type Crawler struct {
	opt     Options
	scope   scope
	guard   *Guard
	running atomic.Bool

	// Live counters of the current or last run, read by Stats.
	pages, articles, notModified, unchanged, errs, skipped atomic.Int64
	front                                                  atomic.Pointer[frontier]
}

// New checks opt and returns a Crawler for it. Bad options (no start URL,
// a malformed URL, an unknown discovery mode, negative limits) are errors.
func New(opt Options) (*Crawler, error) {
	o, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Crawler{opt: o, scope: newScope(o.AllowedHosts), guard: NewGuard(o.AllowedHosts, o.ImageHosts)}, nil
}

// Stats is a snapshot of a crawl's progress, for progress bars.
type Stats struct {
	Pages       int64 // responses received, of every kind, 304s included
	Articles    int64 // article pages handed to the Handler
	NotModified int64 // 304 answers to conditional requests
	// Unchanged counts articles not fetched, or fetched but not handed
	// over, because the state shows they did not change.
	Unchanged int64
	Errors    int64 // pages that failed: network, HTTP status or Handler error
	Skipped   int64 // URLs not fetched: robots.txt, off-site redirects, duplicates
	Queued    int64 // URLs waiting to be fetched
	Known     int64 // URLs known to this run: fetched, waiting or skipped
	// ArticlesKnown is the number of article URLs known so far; with
	// Articles and NotModified it gives an ETA.
	ArticlesKnown int64
}

// Stats returns the progress of the running crawl (or of the last one).
// It is safe to call from any goroutine.
func (c *Crawler) Stats() Stats {
	s := Stats{
		Pages:       c.pages.Load(),
		Articles:    c.articles.Load(),
		NotModified: c.notModified.Load(),
		Unchanged:   c.unchanged.Load(),
		Errors:      c.errs.Load(),
		Skipped:     c.skipped.Load(),
	}
	if f := c.front.Load(); f != nil {
		q, k, a := f.counts()
		s.Queued, s.Known, s.ArticlesKnown = int64(q), int64(k), int64(a)
	}
	return s
}

// Summary is the record of one run, meant to be printed and stored as JSON.
type Summary struct {
	Site      string    `json:"site"`
	Discovery string    `json:"discovery"` // the discovery sources used
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	// Pages counts responses received, 304s included; Kinds the pages
	// handed to the Handler per kind; Statuses the responses per status.
	Pages    int          `json:"pages"`
	Kinds    map[Kind]int `json:"kinds"`
	Statuses map[int]int  `json:"statuses"`
	// Articles is the number of article pages handed over; NotModified the
	// number of articles (and other pages) that answered 304.
	Articles    int `json:"articles"`
	NotModified int `json:"not_modified"`
	// Unchanged counts articles left alone because the state shows they
	// did not change: the sitemap lastmod or API modified date is the one
	// seen at the last fetch, the body hashes the same, or an interrupted
	// run had fetched them already. NotModified and Unchanged articles are
	// not handed over.
	Unchanged int `json:"unchanged"`
	// FullFetches counts article pages fetched with a full 200 response.
	FullFetches int `json:"full_fetches"`
	// Skipped counts URLs left alone: disallowed by robots.txt
	// (RobotsDisallowed of them), redirected off-site or to a URL already
	// known.
	Skipped          int `json:"skipped"`
	RobotsDisallowed int `json:"robots_disallowed"`
	// Traps counts, per reason, the URLs not followed because they looked
	// like a crawler trap (they are in Skipped too): barren_listings,
	// listing_depth, calendar_future, query_params, path_repeats,
	// barren_api_pages, requisite_limit.
	Traps map[string]int `json:"traps,omitempty"`
	// Dropped counts URLs found after the run knew a million: they wait
	// for the next run.
	Dropped   int `json:"dropped,omitempty"`
	Truncated int `json:"truncated"`
	Retries   int `json:"retries"`
	// ErrorCount counts failed pages; Errors lists the first 100.
	ErrorCount  int         `json:"error_count"`
	Errors      []PageError `json:"errors"`
	Interrupted bool        `json:"interrupted"` // the context was cancelled
}

// PageError is one page that failed.
type PageError struct {
	URL     string `json:"url"`
	Kind    Kind   `json:"kind"`
	Status  int    `json:"status,omitempty"`
	Message string `json:"message"`
}

// maxSummaryErrors bounds Summary.Errors.
const maxSummaryErrors = 100
