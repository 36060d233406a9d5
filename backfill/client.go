package backfill

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/warta-id/warta/crawler"
)

// ErrRefused is returned (wrapped) when an archive refuses us: a 403, or
// 429s that do not stop. Going on would only get us blocked for longer.
var ErrRefused = errors.New("the archive refuses our requests")

// client sends GETs to archives politely: one request at a time per
// archive host, starting at least delay apart; 429 and 503 wait for
// Retry-After; other 5xx and network errors back off; each bounded.
type client struct {
	hc      *http.Client
	ua      string
	delay   time.Duration
	retries int
	maxWait time.Duration
	log     *slog.Logger

	mu   sync.Mutex
	next map[string]time.Time // by host: when its next request may start

	requests atomic.Int64
}

// reply is one archive answer, its body read up to a limit.
type reply struct {
	url       string
	status    int
	proto     string
	header    http.Header
	body      []byte
	truncated bool
}

// get fetches u, with extra headers, reading at most max bytes of the
// body. Any status comes back as a reply, except those it retries until
// they stop; a 403, or 429s after every retry, is ErrRefused.
func (c *client) get(ctx context.Context, u string, extra http.Header, max int64) (*reply, error) {
	pu, err := url.Parse(u)
	if err != nil {
		return nil, fmt.Errorf("backfill: bad archive url %q: %w", u, err)
	}
	for attempt := 0; ; attempt++ {
		if err := c.pace(ctx, pu.Host); err != nil {
			return nil, err
		}
		rep, err := c.once(ctx, u, extra, max)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var wait time.Duration
		switch {
		case err != nil:
			wait = backoff(attempt)
		case rep.status == http.StatusForbidden || rep.status == http.StatusUnauthorized:
			return nil, fmt.Errorf("backfill: %s answered %d %s for %s: %w", pu.Host, rep.status, http.StatusText(rep.status), u, ErrRefused)
		case rep.status == http.StatusTooManyRequests || rep.status == http.StatusServiceUnavailable:
			d, ok := crawler.ParseRetryAfter(rep.header.Get("Retry-After"), time.Now())
			if !ok {
				d = backoff(attempt)
			}
			if d > c.maxWait {
				return nil, fmt.Errorf("backfill: %s asks us to wait %v (more than %v) for %s; run again later: %w", pu.Host, d.Round(time.Second), c.maxWait, u, ErrRefused)
			}
			wait = d
		case rep.status >= 500 && rep.status != http.StatusNotImplemented:
			wait = backoff(attempt)
		default:
			return rep, nil
		}
		if attempt >= c.retries {
			if err != nil {
				return nil, fmt.Errorf("backfill: get %s: %w", u, err)
			}
			if rep.status == http.StatusTooManyRequests {
				return nil, fmt.Errorf("backfill: %s kept answering 429 Too Many Requests (%d tries) for %s; wait, then run again with a larger --delay: %w", pu.Host, attempt+1, u, ErrRefused)
			}
			return nil, fmt.Errorf("backfill: get %s: %d %s after %d tries", u, rep.status, http.StatusText(rep.status), attempt+1)
		}
		reason := "network error"
		if rep != nil {
			reason = strconv.Itoa(rep.status)
		}
		c.log.Info("archive_retry", "url", u, "reason", reason, "wait", wait, "attempt", attempt+1)
		c.holdOff(pu.Host, wait)
	}
}

// backoff is two seconds doubled per attempt, at most a minute.
func backoff(attempt int) time.Duration {
	return min(2*time.Second<<min(attempt, 5), time.Minute)
}

// pace waits until a request to host may start, and books the slot.
func (c *client) pace(ctx context.Context, host string) error {
	now := time.Now()
	c.mu.Lock()
	start := c.next[host]
	if start.Before(now) {
		start = now
	}
	c.next[host] = start.Add(c.delay)
	c.mu.Unlock()
	if d := start.Sub(now); d > 0 {
		return sleep(ctx, d)
	}
	return nil
}

// holdOff keeps the next request to host from starting for d.
func (c *client) holdOff(host string, d time.Duration) {
	c.mu.Lock()
	if until := time.Now().Add(d); c.next[host].Before(until) {
		c.next[host] = until
	}
	c.mu.Unlock()
}

// once sends one GET.
func (c *client) once(ctx context.Context, u string, extra http.Header, max int64) (*reply, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	for k, vs := range extra {
		req.Header[k] = vs
	}
	req.Header.Set("User-Agent", c.ua)
	c.requests.Add(1)
	res, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, max+1))
	if err != nil {
		return nil, err
	}
	rep := &reply{url: u, status: res.StatusCode, proto: res.Proto, header: res.Header, body: body}
	if int64(len(body)) > max {
		rep.body, rep.truncated = body[:max], true
	}
	return rep, nil
}

// sleep waits for d or until ctx is done (on a fake clock under
// testing/synctest).
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
