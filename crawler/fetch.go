package crawler

import (
	"compress/gzip"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"
	"github.com/temoto/robotstxt"
)

// protoHeader carries the response's protocol from the transport to the
// page; it is removed before the page is handed over.
const protoHeader = "X-Warta-Proto"

// typeHeader holds a Content-Type that names a charset other than UTF-8
// while the response passes through colly, which would otherwise re-encode
// the body to UTF-8; it is put back before the page is handed over.
const typeHeader = "X-Warta-Content-Type"

// maxHeaderBytes bounds the response headers the crawler's own transport
// reads.
const maxHeaderBytes = 256 << 10

// resultKey names the slot in a colly.Context where the response lands.
const resultKey = "warta.result"

// Reasons to give up on a redirect chain.
var (
	errRedirectLoop = errors.New("redirect loop")
	errTooManyHops  = errors.New("too many redirects")
	// errUnasked304: a 304 Not Modified to a request that named no
	// version (no If-None-Match, no If-Modified-Since).
	errUnasked304 = errors.New("304 Not Modified to a request without validators")
)

// fetcher performs single requests through colly, with per-host pacing,
// concurrency limits and retries.
type fetcher struct {
	opt   *Options
	col   *colly.Collector
	agent string // robots.txt product token

	mu    sync.Mutex
	hosts map[string]*host
	own   *http.Transport // the transport the fetcher made, closed at the end of a run
}

// host is what a crawl keeps per host: its pace and its robots.txt.
type host struct {
	// slots holds a token for each request in flight to the host, at
	// most Concurrency. (colly's limit rules would do it, but adding one
	// for a host found mid-crawl races with requests in flight: colly
	// reads its rule list unlocked.)
	slots chan struct{}

	mu    sync.Mutex
	next  time.Time     // earliest start of the next request
	delay time.Duration // least time between two starts

	// failures counts the failed attempts in a row (see
	// Options.MaxHostFailures); down is set once they reach the bound,
	// and fails every later request to the host at once.
	failures int
	down     error

	robotsStarted bool          // some worker is fetching robots.txt
	robotsDone    chan struct{} // closed once robots.txt is known
	robots        *robotstxt.Group
	robotsErr     error
	sitemaps      []string
}

// collResult is filled by the collector's OnResponse callback.
type collResult struct {
	resp *colly.Response
}

// protoTransport records each response's protocol for the archive, and
// hides a non-UTF-8 charset from colly so that the body reaches the
// Handler as the server sent it (the archive wants the raw bytes;
// extraction decodes charsets itself).
//
// It also inflates the gzipped bodies colly would inflate (a gzip
// Content-Encoding the transport left, a gzip Content-Type, a path in
// .xml.gz), but no further than limit bytes: colly bounds the bytes it
// reads before inflating them, so 260 KB of gzip could grow into 256 MB
// of body.
type protoTransport struct {
	rt    http.RoundTripper
	limit int64
}

func (t protoTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := t.rt.RoundTrip(req)
	if err == nil && res.Body != nil && !res.Uncompressed && gzipped(res) {
		zr, zerr := gzip.NewReader(res.Body)
		switch {
		case zerr == io.EOF:
			// No body at all (a 304 for a sitemap.xml.gz, a HEAD): there
			// is nothing to inflate, which colly took for an error.
			res.Body = inflated{strings.NewReader(""), res.Body}
		case zerr != nil:
			res.Body.Close()
			return nil, fmt.Errorf("inflate gzipped body: %w", zerr)
		default:
			res.Body = inflated{io.LimitReader(zr, t.limit), res.Body}
		}
		res.Uncompressed = true // colly inflates only what is not
	}
	if res != nil && res.Header != nil {
		res.Header.Set(protoHeader, res.Proto)
		if ct := strings.ToLower(res.Header.Get("Content-Type")); strings.Contains(ct, "charset") &&
			!strings.Contains(ct, "utf-8") && !strings.Contains(ct, "utf8") {
			res.Header[typeHeader] = res.Header["Content-Type"]
			delete(res.Header, "Content-Type")
		}
	}
	return res, err
}

// gzipped reports whether colly would inflate the body of res.
func gzipped(res *http.Response) bool {
	enc := strings.ToLower(res.Header.Get("Content-Encoding"))
	return strings.Contains(enc, "gzip") ||
		enc == "" && strings.Contains(strings.ToLower(res.Header.Get("Content-Type")), "gzip") ||
		res.Request != nil && strings.HasSuffix(strings.ToLower(res.Request.URL.Path), ".xml.gz")
}

// inflated is a response body read through an inflater.
type inflated struct {
	io.Reader
	raw io.Closer
}

func (b inflated) Close() error { return b.raw.Close() }

func newFetcher(ctx context.Context, opt *Options, guard *Guard) *fetcher {
	// Built by hand rather than with colly.NewCollector, which reads
	// COLLY_* environment variables.
	c := &colly.Collector{}
	c.Init()
	c.SetCookieJar(newCookieJar())
	colly.StdlibContext(ctx)(c)
	c.UserAgent = opt.UserAgent
	// One byte over the limit tells a cut body from one that fits.
	c.MaxBodySize = int(opt.MaxPageBytes + 1)
	c.ParseHTTPErrorResponse = true
	c.AllowURLRevisit = true // the crawler keeps its own set of known URLs
	c.IgnoreRobotsTxt = true // robots.txt is read here, with its Crawl-delay
	rt := opt.Transport
	var own *http.Transport
	if rt == nil {
		own = http.DefaultTransport.(*http.Transport).Clone()
		// Every connection goes through the guard, which checks the
		// address a name resolved to. A proxy would hide that address,
		// so none is used (nor read from the environment).
		own.Proxy = nil
		own.DialContext = guard.DialContext
		own.MaxIdleConnsPerHost = max(opt.Concurrency*2, 4)
		own.ResponseHeaderTimeout = opt.Timeout
		// A browser takes 256 KB of response headers at most; the
		// default of 10 MB let every response of a site carry that much.
		own.MaxResponseHeaderBytes = maxHeaderBytes
		rt = own
	}
	c.WithTransport(protoTransport{rt, opt.MaxPageBytes + 1})
	c.SetRequestTimeout(opt.Timeout)
	// Redirects are followed by the crawler, one URL at a time, so that
	// each hop is checked against scope, robots.txt and the known URLs.
	c.SetRedirectHandler(func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse })
	c.OnResponse(func(r *colly.Response) {
		if res, ok := r.Ctx.GetAny(resultKey).(*collResult); ok {
			res.resp = r
		}
	})
	return &fetcher{opt: opt, col: c, agent: robotsAgent(opt.UserAgent), hosts: map[string]*host{}, own: own}
}

// close releases the idle connections of the fetcher's own transport, so
// that no connection goroutine outlives the run.
func (f *fetcher) close() {
	if f.own != nil {
		f.own.CloseIdleConnections()
	}
}

// host returns the state of the host of u, creating it and its colly limit
// rule on first use.
func (f *fetcher) host(u *url.URL) *host {
	f.mu.Lock()
	defer f.mu.Unlock()
	h, ok := f.hosts[u.Host]
	if !ok {
		// Pacing is host.wait's, start to start and cancellable (colly's
		// Delay sleeps after each request while holding its slot).
		h = &host{slots: make(chan struct{}, f.opt.Concurrency), delay: f.opt.Delay, robotsDone: make(chan struct{})}
		f.hosts[u.Host] = h
	}
	return h
}

// acquire takes one of h's request slots, waiting while all are taken.
func (h *host) acquire(ctx context.Context) error {
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// wait blocks until a request to h may start, keeping starts at least the
// host's delay apart.
func (h *host) wait(ctx context.Context) error {
	h.mu.Lock()
	now := time.Now()
	at := h.next
	if at.Before(now) {
		at = now
	}
	h.next = at.Add(h.delay)
	h.mu.Unlock()
	d := time.Until(at)
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// holdOff keeps every request to h from starting before until (after a
// 429 or 503 with Retry-After, or during backoff).
func (h *host) holdOff(until time.Time) {
	h.mu.Lock()
	if h.next.Before(until) {
		h.next = until
	}
	h.mu.Unlock()
}

// response is one raw HTTP exchange.
type response struct {
	url       string
	reqHeader http.Header
	proto     string
	status    int
	header    http.Header
	body      []byte
	truncated bool
	fetchedAt time.Time
	retries   int
	// conditional: the request carried validators, so a 304 is an answer.
	conditional bool
}

// get fetches u once per attempt, retrying 429, 5xx and network errors
// with backoff, bounded by MaxRetries. It paces itself on u's host. ctx
// stops waits between attempts; the request in flight runs on the
// collector's context.
func (f *fetcher) get(ctx context.Context, u *url.URL, extra http.Header) (*response, error) {
	h := f.host(u)
	var retries int
	for attempt := 0; ; attempt++ {
		if err := h.acquire(ctx); err != nil {
			return nil, err
		}
		if err := h.downErr(); err != nil {
			<-h.slots
			return nil, fmt.Errorf("crawler: fetch %s: %w", u, err)
		}
		if err := h.wait(ctx); err != nil {
			<-h.slots
			return nil, err
		}
		res, err := f.once(u, extra)
		<-h.slots
		if res != nil {
			res.retries = retries
		}
		wait, retry := f.retryAfter(res, err, attempt)
		if ctx.Err() == nil {
			h.count(u, outcome(res, err), f.opt.MaxHostFailures, f.opt.Logger)
		}
		if !retry {
			if err != nil {
				return nil, fmt.Errorf("crawler: fetch %s: %w", u, err)
			}
			return res, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if wait > f.opt.MaxRetryAfter {
			return nil, fmt.Errorf("crawler: fetch %s: server asks to retry after %v, more than %v", u, wait.Round(time.Second), f.opt.MaxRetryAfter)
		}
		retries++
		reason := "network error"
		if res != nil {
			reason = strconv.Itoa(res.status)
		}
		f.opt.Logger.Debug("retrying", "url", u.String(), "reason", reason, "wait", wait, "attempt", attempt+1)
		h.holdOff(time.Now().Add(wait))
	}
}

// ErrHostDown is wrapped in the errors of the requests a crawl did not
// send because their host failed Options.MaxHostFailures attempts in a
// row.
var ErrHostDown = errors.New("host given up")

// Outcomes of an attempt, as they count against its host.
const (
	attemptOK       = iota // an answer: the host is up
	attemptPageFail        // a 5xx that may be the page's own (500, 502, 504)
	attemptHostFail        // the host's: no answer, a time-out, 429, 503
)

// outcome says how an attempt counts against its host. A network error,
// a time-out, 429 Too Many Requests and 503 Service Unavailable speak for
// the host; other 5xx may come from a few broken pages (a month of old
// articles whose table is damaged), and neither count nor clear the
// count, so that a cluster of them does not give up a site that is up.
func outcome(res *response, err error) int {
	switch {
	case err != nil:
		if errors.Is(err, context.Canceled) {
			return attemptPageFail
		}
		return attemptHostFail
	case res.status == http.StatusTooManyRequests || res.status == http.StatusServiceUnavailable:
		return attemptHostFail
	case res.status >= 500:
		return attemptPageFail
	}
	return attemptOK
}

// count records the outcome of an attempt on h: a host failure adds to
// the failures in a row, and the max-th marks the host down; an answer
// starts the count again.
func (h *host) count(u *url.URL, outcome, max int, log *slog.Logger) {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch outcome {
	case attemptOK:
		h.failures = 0
		return
	case attemptPageFail:
		return
	}
	h.failures++
	if h.failures >= max && h.down == nil {
		h.down = fmt.Errorf("%w: %s failed %d attempts in a row (the last: %s)", ErrHostDown, u.Host, h.failures, u)
		log.Warn("host_down", "host", u.Host, "failures", h.failures, "url", u.String())
	}
}

// downErr returns why h is given up on, or nil.
func (h *host) downErr() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.down
}

// retryAfter decides whether the outcome of attempt deserves another try,
// and after how long.
func (f *fetcher) retryAfter(res *response, err error, attempt int) (time.Duration, bool) {
	if attempt >= f.opt.MaxRetries {
		return 0, false
	}
	if err != nil {
		if permanent(err) {
			return 0, false
		}
		return f.backoff(attempt), true
	}
	switch s := res.status; {
	case s == http.StatusTooManyRequests || s == http.StatusServiceUnavailable:
		if d, ok := ParseRetryAfter(res.header.Get("Retry-After"), time.Now()); ok {
			return d, true
		}
		return f.backoff(attempt), true
	case s >= 500 && s != http.StatusNotImplemented && s != http.StatusHTTPVersionNotSupported:
		return f.backoff(attempt), true
	}
	return 0, false
}

// permanent reports whether a network error will not go away by itself
// within a crawl: a cancelled request, an unknown host, a bad certificate.
func permanent(err error) bool {
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	return errors.Is(err, context.Canceled) ||
		(errors.As(err, &dnsErr) && dnsErr.IsNotFound) ||
		errors.As(err, &certErr)
}

// backoff is RetryBase doubled per attempt, with "equal jitter": half of
// it fixed, half random, so that retries of many pages spread out.
func (f *fetcher) backoff(attempt int) time.Duration {
	d := f.opt.RetryBase << min(attempt, 16)
	half := d / 2
	return half + rand.N(half+1)
}

// ParseRetryAfter reads a Retry-After value, seconds or an HTTP date, as a
// wait from now; false when v is empty or neither.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil && secs >= 0 {
		// Past 292 years the product would wrap around to a negative
		// wait, and the request be retried at once.
		return time.Duration(min(secs, math.MaxInt64/int64(time.Second))) * time.Second, true
	} else if errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(v, "-") {
		return time.Duration(math.MaxInt64/int64(time.Second)) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// once sends one GET for u through colly.
func (f *fetcher) once(u *url.URL, extra http.Header) (*response, error) {
	hdr := http.Header{}
	hdr.Set("User-Agent", f.opt.UserAgent)
	hdr.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,application/json;q=0.8,*/*;q=0.5")
	hdr.Set("Accept-Language", "id,en;q=0.8")
	for k, vs := range extra {
		hdr[k] = vs
	}
	cctx := colly.NewContext()
	res := &collResult{}
	cctx.Put(resultKey, res)
	fetchedAt := time.Now()
	raw := u.String()
	if err := f.col.Request(http.MethodGet, raw, nil, cctx, hdr); err != nil {
		return nil, err
	}
	if res.resp == nil {
		return nil, errors.New("no response")
	}
	r := res.resp
	// The response's header map is colly's only until Request returns:
	// it is taken over rather than copied.
	header := http.Header{}
	if r.Headers != nil && *r.Headers != nil {
		header = *r.Headers
	}
	proto := header.Get(protoHeader)
	header.Del(protoHeader)
	if ct, ok := header[typeHeader]; ok {
		header["Content-Type"] = ct
		delete(header, typeHeader)
	}
	if proto == "" {
		proto = "HTTP/1.1"
	}
	out := &response{
		conditional: hdr.Get("If-None-Match") != "" || hdr.Get("If-Modified-Since") != "",
		url:         raw,
		reqHeader:   hdr,
		proto:       proto,
		status:      r.StatusCode,
		header:      header,
		body:        r.Body,
		fetchedAt:   fetchedAt,
	}
	if int64(len(out.body)) > f.opt.MaxPageBytes {
		out.body = out.body[:f.opt.MaxPageBytes:f.opt.MaxPageBytes]
		out.truncated = true
	}
	return out, nil
}
