package crawler

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	whatwg "github.com/nlnwa/whatwg-url/url"
	"github.com/temoto/robotstxt"
)

// Reasons to give up on a redirect chain.
var (
	errRedirectLoop = errors.New("redirect loop")
	errTooManyHops  = errors.New("too many redirects")
)

// fetcher performs single requests, with per-host pacing, concurrency
// limits and retries.
type fetcher struct {
	opt    *Options
	client *http.Client
	agent  string // robots.txt product token

	mu    sync.Mutex
	hosts map[string]*host
	own   *http.Transport // the transport the fetcher made, closed at the end of a run

	// scratch lends reads of bodies of unknown length a buffer (*[]byte),
	// so that each body is allocated once, at its size.
	scratch sync.Pool
}

// host is what a crawl keeps per host: its pace and its robots.txt.
type host struct {
	// slots holds a token for each request in flight to the host, at
	// most Concurrency.
	slots chan struct{}

	mu    sync.Mutex
	next  time.Time     // earliest start of the next request
	delay time.Duration // least time between two starts

	robotsStarted bool          // some worker is fetching robots.txt
	robotsDone    chan struct{} // closed once robots.txt is known
	robots        *robotstxt.Group
	robotsErr     error
	sitemaps      []string
}

func newFetcher(opt *Options, guard *Guard) *fetcher {
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
		rt = own
	}
	// Sites that set a cookie and redirect to the same page to see it
	// come back get it back, as they did when the fetch went through
	// colly, which keeps a jar.
	jar, _ := cookiejar.New(nil)
	client := &http.Client{
		Transport: rt,
		Jar:       jar,
		Timeout:   opt.Timeout,
		// Redirects are followed by the crawler, one URL at a time, so
		// that each hop is checked against scope, robots.txt and the
		// known URLs.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return &fetcher{opt: opt, client: client, agent: robotsAgent(opt.UserAgent), hosts: map[string]*host{}, own: own}
}

// close releases the idle connections of the fetcher's own transport, so
// that no connection goroutine outlives the run.
func (f *fetcher) close() {
	if f.own != nil {
		f.own.CloseIdleConnections()
	}
}

// host returns the state of the host of u, creating it on first use.
func (f *fetcher) host(u *url.URL) *host {
	f.mu.Lock()
	defer f.mu.Unlock()
	h, ok := f.hosts[u.Host]
	if !ok {
		// Pacing is host.wait's, start to start and cancellable.
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
}

// get fetches u once per attempt, retrying 429, 5xx and network errors
// with backoff, bounded by MaxRetries. It paces itself on u's host. ctx
// stops waits between attempts; the request in flight runs on work.
func (f *fetcher) get(ctx, work context.Context, u *url.URL, extra http.Header) (*response, error) {
	h := f.host(u)
	var retries int
	for attempt := 0; ; attempt++ {
		if err := h.acquire(ctx); err != nil {
			return nil, err
		}
		if err := h.wait(ctx); err != nil {
			<-h.slots
			return nil, err
		}
		res, err := f.once(work, u, extra)
		<-h.slots
		if res != nil {
			res.retries = retries
		}
		wait, retry := f.retryAfter(res, err, attempt)
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
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// once sends one GET for u.
func (f *fetcher) once(work context.Context, u *url.URL, extra http.Header) (*response, error) {
	hdr := make(http.Header, 3+len(extra))
	hdr["User-Agent"] = []string{f.opt.UserAgent}
	hdr["Accept"] = []string{"text/html,application/xhtml+xml,application/xml;q=0.9,application/json;q=0.8,*/*;q=0.5"}
	hdr["Accept-Language"] = []string{"id,en;q=0.8"}
	for k, vs := range extra {
		hdr[k] = vs
	}
	raw := u.String()
	target, err := requestURL(raw)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(work, http.MethodGet, target, nil)
	if err != nil {
		return nil, err
	}
	req.Header = hdr
	fetchedAt := time.Now()
	res, err := f.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	body, err := f.readBody(res, req.URL.Path)
	if err != nil {
		return nil, err
	}
	proto := res.Proto
	if proto == "" {
		proto = "HTTP/1.1"
	}
	header := res.Header
	if header == nil {
		header = http.Header{}
	}
	out := &response{
		url:       raw,
		reqHeader: hdr,
		proto:     proto,
		status:    res.StatusCode,
		header:    header,
		body:      body,
		fetchedAt: fetchedAt,
	}
	if int64(len(out.body)) > f.opt.MaxPageBytes {
		out.body = out.body[:f.opt.MaxPageBytes:f.opt.MaxPageBytes]
		out.truncated = true
	}
	return out, nil
}

// readBody reads a response's body, one byte past MaxPageBytes at most,
// so that a cut body is told from one that fits. A body the transport
// did not decode that is gzip by its Content-Encoding, its Content-Type
// or a path ending in ".xml.gz" (a sitemap) is gunzipped, as colly did
// when the fetch went through it; the bound applies to what it inflates
// to, so that a small bomb cannot fill the memory.
func (f *fetcher) readBody(res *http.Response, path string) ([]byte, error) {
	limit := f.opt.MaxPageBytes + 1
	var r io.Reader = io.LimitReader(res.Body, limit)
	size := res.ContentLength
	enc := strings.ToLower(res.Header.Get("Content-Encoding"))
	if !res.Uncompressed && (strings.Contains(enc, "gzip") ||
		(enc == "" && strings.Contains(strings.ToLower(res.Header.Get("Content-Type")), "gzip")) ||
		strings.HasSuffix(strings.ToLower(path), ".xml.gz")) {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, err
		}
		defer zr.Close()
		r = io.LimitReader(zr, limit)
		size = -1
	}
	if size >= 0 && size < limit {
		// The length is known: one allocation, with a byte to spare for
		// the end to be seen (or a server that sends more than it said).
		b := make([]byte, 0, size+1)
		return readAppend(b, r)
	}
	p, _ := f.scratch.Get().(*[]byte)
	if p == nil {
		p = new([]byte)
	}
	b, err := readAppend((*p)[:0], r)
	if err != nil {
		return nil, err
	}
	body := bytes.Clone(b)
	if cap(b) <= maxScratch {
		*p = b[:0]
		f.scratch.Put(p)
	}
	return body, nil
}

// maxScratch bounds the buffers fetcher.scratch keeps.
const maxScratch = 1 << 20

// readAppend appends all of r to b.
func readAppend(b []byte, r io.Reader) ([]byte, error) {
	for {
		if len(b) == cap(b) {
			b = slices.Grow(b, max(512, cap(b)))
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// parser parses URLs as browsers do (the WHATWG URL standard), with a lone
// "%" encoded as "%25".
var parser = whatwg.NewParser(whatwg.WithPercentEncodeSinglePercentSign())

// requestURL returns the URL to send a request for raw to: raw as a
// browser would send it. Colly, which carried the requests before, sent
// each URL through the WHATWG parser; URLs that the parser leaves as they
// are (plainURL says which, FuzzRequestURL checks it) skip that parse,
// which cost as much as a tenth of the fetch.
func requestURL(raw string) (string, error) {
	if plainURL(raw) {
		return raw, nil
	}
	w, err := parser.Parse(raw)
	if err != nil {
		return "", err
	}
	u, err := url.Parse(w.Href(false))
	if err != nil {
		return "", err
	}
	return u.String(), nil
}

// plainURL reports whether raw is an http or https URL of a form that the
// WHATWG parser and net/url both give back unchanged: a lower-case ASCII
// host name that is not an IP address nor punycode, a port that is not
// the scheme's own, and a path and query of printable ASCII that need no
// escaping, hold no dot segment, backslash or fragment, and escape only
// with "%" and two hex digits.
func plainURL(raw string) bool {
	var rest string
	var defPort string
	switch {
	case strings.HasPrefix(raw, "http://"):
		rest, defPort = raw[len("http://"):], "80"
	case strings.HasPrefix(raw, "https://"):
		rest, defPort = raw[len("https://"):], "443"
	default:
		return false
	}
	end := strings.IndexAny(rest, "/?")
	if end < 0 {
		end = len(rest)
	}
	host, port, hasPort := strings.Cut(rest[:end], ":")
	if !plainHost(host) {
		return false
	}
	if hasPort {
		n, err := strconv.Atoi(port)
		if err != nil || port[0] == '0' || port == defPort || n > 65535 || !isDigits(port) {
			return false
		}
	}
	rest = rest[end:]
	if rest == "" || rest[0] != '/' || strings.Contains(rest, "/.") {
		return false
	}
	query := false
	for i := 0; i < len(rest); i++ {
		switch c := rest[i]; {
		case c <= ' ' || c >= 0x7f:
			return false
		case c == '"' || c == '#' || c == '<' || c == '>' || c == '\\' || c == '`' || c == '{' || c == '}' || c == '^' || c == '|':
			return false
		case c == '?':
			query = true
		case c == '\'' && query:
			return false
		case c == '%':
			if i+2 >= len(rest) || !isHex(rest[i+1]) || !isHex(rest[i+2]) || (rest[i+1] == '2' && rest[i+2]|0x20 == 'e') {
				return false
			}
		}
	}
	return true
}

// plainHost reports whether host is a lower-case ASCII DNS name that the
// WHATWG parser keeps as it is: its last label starts with a letter (so
// it is no IPv4 address in any form), no punycode, no empty label or
// hyphen at a label's ends.
func plainHost(host string) bool {
	if host == "" || strings.Contains(host, "xn--") {
		return false
	}
	last := host[strings.LastIndexByte(host, '.')+1:]
	if last == "" || last[0] < 'a' || last[0] > 'z' { // as every top-level domain
		return false
	}
	for label := range strings.SplitSeq(host, ".") {
		if label == "" || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			if c := label[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
