package backfill

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/warta-id/warta/crawler"
)

// The archives a backfill reads by default.
const (
	DefaultWayback = "https://web.archive.org"
	DefaultCCIndex = "https://index.commoncrawl.org"
	DefaultCCData  = "https://data.commoncrawl.org"
)

// DefaultDelay is the least time between the starts of two requests to
// one archive host: the Internet Archive throttles, then blocks, faster
// clients.
const DefaultDelay = time.Second

// The sources a backfill reads from.
const (
	Wayback     = "wayback"
	CommonCrawl = "commoncrawl"
)

// Options configure a backfill. The zero value of each field is its
// documented default; Identity is required.
type Options struct {
	// Site names the site, for the state file and logs.
	Site string
	// Identity says which captures are articles and which are one.
	Identity *Identity
	// Source is Wayback (the default) or CommonCrawl.
	Source string
	// Wayback is the base URL of a Wayback-compatible archive; ""
	// means DefaultWayback.
	Wayback string
	// CDX is the URL of the archive's CDX server; "" means
	// Wayback + "/cdx/search/cdx" (a pywb archive's is /{collection}/cdx).
	CDX string
	// Replay is the prefix that a 14-digit timestamp, "id_/" and the
	// original URL follow to fetch a capture as it was archived; "" means
	// Wayback + "/web/" (a pywb archive's is /{collection}/).
	Replay string
	// CCIndex and CCData are Common Crawl's index server and data host;
	// "" means DefaultCCIndex and DefaultCCData.
	CCIndex, CCData string
	// From and To bound the capture times; zero means unbounded.
	From, To time.Time
	// Delay is the least time between two request starts to one archive
	// host: 0 means DefaultDelay, a negative value none.
	Delay time.Duration
	// MaxRetries bounds the retries of one request; 0 means 4.
	MaxRetries int
	// MaxWait is the longest Retry-After honoured; a longer one stops
	// the run. 0 means ten minutes.
	MaxWait time.Duration
	// MaxBytes is the most bytes read of one capture; 0 means 10 MB.
	MaxBytes int64
	// Timeout bounds one request; 0 means a minute.
	Timeout time.Duration
	// UserAgent is sent with every request; "" means
	// crawler.DefaultUserAgent.
	UserAgent string
	// StatePath is the state file (bbolt) that makes runs resumable; ""
	// keeps no state.
	StatePath string
	// Logger receives the run's log records; nil discards them.
	Logger *slog.Logger
	// Have, when set, reports whether the caller's archive holds capture
	// c already: a run killed after archiving it but before the state
	// noted it. It may finish its own work on the capture (extract the
	// article); a capture it has is not fetched again.
	Have func(ctx context.Context, c Capture) (bool, error)
	// Transport sends the requests; nil means http.DefaultTransport.
	Transport http.RoundTripper
}

// withDefaults returns opt with its defaults filled in, or what is wrong.
func (opt Options) withDefaults() (Options, error) {
	if opt.Identity == nil {
		return opt, errors.New("backfill: no site identity")
	}
	switch opt.Source {
	case "":
		opt.Source = Wayback
	case Wayback, CommonCrawl:
	default:
		return opt, fmt.Errorf("backfill: unknown source %q: want %s or %s", opt.Source, Wayback, CommonCrawl)
	}
	opt.Wayback = strings.TrimSuffix(or(opt.Wayback, DefaultWayback), "/")
	opt.CDX = or(opt.CDX, opt.Wayback+"/cdx/search/cdx")
	opt.Replay = or(opt.Replay, opt.Wayback+"/web/")
	if !strings.HasSuffix(opt.Replay, "/") {
		opt.Replay += "/"
	}
	opt.CCIndex = strings.TrimSuffix(or(opt.CCIndex, DefaultCCIndex), "/")
	opt.CCData = strings.TrimSuffix(or(opt.CCData, DefaultCCData), "/")
	for name, u := range map[string]string{"wayback": opt.Wayback, "cdx": opt.CDX, "replay": opt.Replay, "cc-index": opt.CCIndex, "cc-data": opt.CCData} {
		if pu, err := url.Parse(u); err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
			return opt, fmt.Errorf("backfill: %s url %q: want an http(s) URL", name, u)
		}
	}
	if !opt.To.IsZero() && opt.To.Before(opt.From) {
		return opt, fmt.Errorf("backfill: --to %s is before --from %s", opt.To.Format(time.DateOnly), opt.From.Format(time.DateOnly))
	}
	if opt.Delay == 0 {
		opt.Delay = DefaultDelay
	}
	opt.Delay = max(opt.Delay, 0)
	if opt.MaxRetries == 0 {
		opt.MaxRetries = 4
	}
	if opt.MaxWait == 0 {
		opt.MaxWait = 10 * time.Minute
	}
	if opt.MaxBytes == 0 {
		opt.MaxBytes = 10 << 20
	}
	if opt.Timeout == 0 {
		opt.Timeout = time.Minute
	}
	opt.UserAgent = or(opt.UserAgent, crawler.DefaultUserAgent)
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Transport == nil {
		opt.Transport = http.DefaultTransport
	}
	return opt, nil
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
