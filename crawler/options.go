package crawler

import (
	"cmp"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
)

// DefaultUserAgent is the User-Agent warta sends when a site config names
// none: it names the program and where to learn about it.
const DefaultUserAgent = "warta/0.1 (+https://github.com/warta-id/warta)"

// Discovery modes: how a crawl finds a site's article URLs.
const (
	DiscoveryAuto      = "auto"      // the best source the site offers, in the order below
	DiscoveryWordPress = "wordpress" // the WordPress REST API
	DiscoverySitemap   = "sitemap"   // sitemaps (robots.txt Sitemap lines, WordPress and Yoast names)
	DiscoveryFeed      = "feed"      // RSS and Atom feeds
	DiscoveryListing   = "listing"   // listing pages and their pagination
)

// Defaults for Options fields left zero.
const (
	DefaultConcurrency   = 2
	DefaultTimeout       = 30 * time.Second
	DefaultMaxPageBytes  = 10 << 20
	DefaultMaxRetries    = 3
	DefaultRetryBase     = 500 * time.Millisecond
	DefaultMaxRetryAfter = 5 * time.Minute
	DefaultMaxRedirects  = 10
	DefaultGracePeriod   = 10 * time.Second
	// A listing chain stops after this many pages in a row without a new
	// article URL: the "?page=N+1 for ever" trap.
	DefaultMaxBarrenListings = 5
	// Listing pages further than this from a start URL are not followed:
	// 1000 pages of 10 to 20 articles reach back further than most
	// regional sites go.
	DefaultMaxListingDepth = 1000
	// DefaultMaxCrawlDelay is the longest robots.txt Crawl-delay a crawl
	// honours; a site that asks for more is not crawled (see
	// Options.MaxCrawlDelay).
	DefaultMaxCrawlDelay = time.Minute
	// DefaultMaxHostFailures is how many failed attempts in a row (network
	// errors, time-outs, 429, 503) a host may give before the crawl stops
	// asking it for anything.
	DefaultMaxHostFailures = 10
	// DefaultMaxRequisites bounds the page requisites one run fetches: a
	// site's theme has some hundreds (style sheets, scripts, fonts,
	// layout images), shared by its pages.
	DefaultMaxRequisites = 2000
	// DefaultRequisiteMaxAge is how long a page requisite fetched without
	// validators (no ETag, no Last-Modified) is not asked for again.
	DefaultRequisiteMaxAge = 7 * 24 * time.Hour
)

// Options configure a Crawler. The zero value of every field is its
// documented default; only StartURLs is required.
type Options struct {
	// Site is the site's short name, used in logs and as the key of its
	// incremental state.
	Site string
	// StartURLs are the pages a crawl begins from (home, section pages).
	StartURLs []string
	// AllowedHosts are the hosts a crawl may visit ("host" allows every
	// port, "host:port" one); empty means the hosts of StartURLs.
	AllowedHosts []string
	// ImageHosts are hosts besides AllowedHosts that the images and
	// requisites a Handler asks for (Page.Follow, Page.Requisites) may come
	// from: CDNs. Their pages are never crawled.
	ImageHosts []string
	// MaxRequisites bounds the page requisites one run queues; 0 means
	// DefaultMaxRequisites. Style sheets that import new style sheets
	// that import new ones (500 each, three deep) would be 125 million.
	MaxRequisites int
	// RequisiteMaxAge is how long a page requisite whose server sent no
	// validators is not asked for again; 0 means 7 days.
	RequisiteMaxAge time.Duration
	// Discovery is how article URLs are found: "auto" (the default),
	// "wordpress", "sitemap", "feed" or "listing".
	Discovery string
	// ArticlePattern says which URLs are articles; nil means a heuristic
	// (slug-like paths such as /baca/<slug> or /<long-slug>/).
	ArticlePattern *regexp.Regexp
	// ListingPattern, when set, says which URLs are listing pages worth
	// following besides pagination; nil means pagination and category pages.
	ListingPattern *regexp.Regexp
	// Delay is the least time between the starts of two requests to one
	// host, whatever the concurrency. robots.txt Crawl-delay wins if larger.
	Delay time.Duration
	// Concurrency is the number of requests in flight to one host; 0 means 2.
	Concurrency int
	// Timeout bounds one request, headers to last byte; 0 means 30s.
	Timeout time.Duration
	// MaxPageBytes caps a response body; 0 means 10 MB. Longer bodies are
	// cut off and their Page has Truncated set.
	MaxPageBytes int64
	// MaxPages stops a crawl after that many requests; 0 means no limit.
	// Listing chains and calendars are bounded anyway (see below).
	MaxPages int
	// MaxListingDepth bounds how many listing pages away from a start URL
	// listings are followed; 0 means DefaultMaxListingDepth.
	MaxListingDepth int
	// MaxBarrenListings stops following a listing chain after that many
	// listing pages in a row that brought no article URL the run did not
	// know; 0 means DefaultMaxBarrenListings.
	MaxBarrenListings int
	// UserAgent is sent with every request; "" means DefaultUserAgent.
	UserAgent string
	// StatePath is the bbolt file that keeps what earlier runs fetched, so
	// that later runs fetch only what is new or changed; "" keeps no state.
	StatePath string
	// MaxRetries bounds the retries of one request after a 429, a 5xx or a
	// network error; 0 means 3, a negative value means none.
	MaxRetries int
	// RetryBase is the first backoff delay, doubled on each retry, with
	// jitter; 0 means 500ms.
	RetryBase time.Duration
	// MaxRetryAfter is the longest Retry-After a crawl waits for; a server
	// that asks for more makes that page fail. 0 means 5 minutes.
	MaxRetryAfter time.Duration
	// MaxCrawlDelay is the longest robots.txt Crawl-delay the crawl waits
	// between two requests; 0 means 1 minute. A host whose robots.txt asks
	// for more (Crawl-delay: 1000000000 is a polite way to say "never") is
	// not crawled: its pages fail with an error naming the delay, rather
	// than the crawl waiting for years.
	MaxCrawlDelay time.Duration
	// MaxHostFailures is how many failed attempts in a row a host may give
	// (network errors, time-outs, 429 and 503 however long their
	// Retry-After) before the crawl gives up on it for the run: its
	// remaining pages fail at once, without a request. 0 means 10. An
	// answer in between starts the count again; other 5xx, which may be a
	// few broken pages of a site that is up, neither count nor clear it.
	// It bounds what a site that is down, stalls, or answers 429 for ever
	// costs a run: without it each of its pages waits out its own retries.
	MaxHostFailures int
	// MaxRedirects bounds the redirects followed for one URL; 0 means 10.
	MaxRedirects int
	// GracePeriod is how long pages in flight may take to finish after the
	// context of Run is cancelled; 0 means 10s.
	GracePeriod time.Duration
	// HandErrors, when set, also hands pages with a non-2xx status (other
	// than redirects and 304) to the Handler; by default they are only
	// counted as errors.
	HandErrors bool
	// Transport carries the requests; nil means a transport of the crawler's
	// own. Tests use it to serve a fixture site in memory.
	Transport http.RoundTripper
	// Logger receives warnings and progress; nil discards them. Lines
	// carry no site attribute: give a logger With one.
	Logger *slog.Logger
}

// withDefaults returns a copy of o with defaults filled in, or an error
// naming the first bad field.
func (o Options) withDefaults() (Options, error) {
	if len(o.StartURLs) == 0 {
		return o, fmt.Errorf("crawler: no start urls")
	}
	starts := make([]string, 0, len(o.StartURLs))
	for _, s := range o.StartURLs {
		n, err := Normalize(s)
		if err != nil {
			return o, fmt.Errorf("crawler: start url: %w", err)
		}
		if !slices.Contains(starts, n) {
			starts = append(starts, n)
		}
	}
	o.StartURLs = starts
	if len(o.AllowedHosts) == 0 {
		for _, s := range starts {
			u, _ := url.Parse(s)
			if !slices.Contains(o.AllowedHosts, u.Host) {
				o.AllowedHosts = append(o.AllowedHosts, u.Host)
			}
		}
	}
	switch o.Discovery = strings.ToLower(strings.TrimSpace(o.Discovery)); o.Discovery {
	case "":
		o.Discovery = DiscoveryAuto
	case DiscoveryAuto, DiscoveryWordPress, DiscoverySitemap, DiscoveryFeed, DiscoveryListing:
	default:
		return o, fmt.Errorf("crawler: discovery %q: want auto, wordpress, sitemap, feed or listing", o.Discovery)
	}
	if o.Site == "" {
		u, _ := url.Parse(starts[0])
		o.Site = u.Hostname()
	}
	switch {
	case o.Delay < 0:
		return o, fmt.Errorf("crawler: delay %v is negative", o.Delay)
	case o.Concurrency < 0:
		return o, fmt.Errorf("crawler: concurrency %d is negative", o.Concurrency)
	case o.Timeout < 0:
		return o, fmt.Errorf("crawler: timeout %v is negative", o.Timeout)
	case o.MaxPageBytes < 0:
		return o, fmt.Errorf("crawler: max page bytes %d is negative", o.MaxPageBytes)
	case o.MaxPages < 0:
		return o, fmt.Errorf("crawler: max pages %d is negative", o.MaxPages)
	case o.MaxListingDepth < 0:
		return o, fmt.Errorf("crawler: max listing depth %d is negative", o.MaxListingDepth)
	case o.MaxBarrenListings < 0:
		return o, fmt.Errorf("crawler: max barren listings %d is negative", o.MaxBarrenListings)
	case o.MaxRequisites < 0:
		return o, fmt.Errorf("crawler: max requisites %d is negative", o.MaxRequisites)
	case o.MaxCrawlDelay < 0:
		return o, fmt.Errorf("crawler: max crawl delay %v is negative", o.MaxCrawlDelay)
	case o.MaxHostFailures < 0:
		return o, fmt.Errorf("crawler: max host failures %d is negative", o.MaxHostFailures)
	case o.RequisiteMaxAge < 0:
		return o, fmt.Errorf("crawler: requisite max age %v is negative", o.RequisiteMaxAge)
	}
	o.MaxListingDepth = cmp.Or(o.MaxListingDepth, DefaultMaxListingDepth)
	o.MaxBarrenListings = cmp.Or(o.MaxBarrenListings, DefaultMaxBarrenListings)
	o.RequisiteMaxAge = cmp.Or(o.RequisiteMaxAge, DefaultRequisiteMaxAge)
	o.MaxCrawlDelay = cmp.Or(o.MaxCrawlDelay, DefaultMaxCrawlDelay)
	o.MaxRequisites = cmp.Or(o.MaxRequisites, DefaultMaxRequisites)
	o.MaxHostFailures = cmp.Or(o.MaxHostFailures, DefaultMaxHostFailures)
	o.Concurrency = cmp.Or(o.Concurrency, DefaultConcurrency)
	o.Timeout = cmp.Or(o.Timeout, DefaultTimeout)
	o.MaxPageBytes = cmp.Or(o.MaxPageBytes, DefaultMaxPageBytes)
	o.UserAgent = cmp.Or(o.UserAgent, DefaultUserAgent)
	switch {
	case o.MaxRetries == 0:
		o.MaxRetries = DefaultMaxRetries
	case o.MaxRetries < 0:
		o.MaxRetries = 0
	}
	if o.RetryBase <= 0 {
		o.RetryBase = DefaultRetryBase
	}
	if o.MaxRetryAfter <= 0 {
		o.MaxRetryAfter = DefaultMaxRetryAfter
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = DefaultMaxRedirects
	}
	if o.GracePeriod <= 0 {
		o.GracePeriod = DefaultGracePeriod
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o, nil
}

// robotsAgent is the product token matched against robots.txt groups: the
// User-Agent's first word without its version ("warta").
func robotsAgent(ua string) string {
	tok, _, _ := strings.Cut(strings.TrimSpace(ua), " ")
	tok, _, _ = strings.Cut(tok, "/")
	if tok == "" {
		return "warta"
	}
	return tok
}
