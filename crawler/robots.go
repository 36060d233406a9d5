package crawler

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"

	"github.com/temoto/robotstxt"
)

// robotsAllow reports whether robots.txt lets the crawl fetch u. The first
// call for a host fetches its robots.txt (handing it over as KindRobots)
// while later callers for that host wait. A robots.txt that cannot be
// fetched (network error, 5xx after retries) makes the host's pages fail
// for this run, as the robots.txt convention asks; a 4xx allows all.
func (r *run) robotsAllow(ctx, work context.Context, u *url.URL) (bool, error) {
	h := r.fetch.host(u)
	h.mu.Lock()
	first := !h.robotsStarted
	h.robotsStarted = true
	h.mu.Unlock()
	if first {
		r.loadRobots(ctx, work, u, h)
		close(h.robotsDone)
	}
	select {
	case <-h.robotsDone:
	case <-ctx.Done():
		return false, ctx.Err()
	}
	if h.robotsErr != nil {
		return false, h.robotsErr
	}
	if h.robots == nil {
		return true, nil
	}
	path := u.EscapedPath()
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	return h.robots.Test(path), nil
}

// maxRobotsRedirects bounds the redirects followed for a robots.txt.
const maxRobotsRedirects = 5

// loadRobots fetches and reads the robots.txt of u's host into h. It
// follows a few redirects within the allowed hosts (http to https, a
// www prefix); a robots.txt that redirects elsewhere counts as absent.
func (r *run) loadRobots(ctx, work context.Context, u *url.URL, h *host) {
	ru := &url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/robots.txt"}
	t := task{url: ru.String(), kind: KindRobots}
	cur := ru
	var res *response
	for hop := 0; ; hop++ {
		if !r.allowStart() {
			r.fr.close()
			h.robotsErr = fmt.Errorf("crawler: max pages reached")
			return
		}
		var err error
		res, err = r.fetch.get(ctx, cur, nil)
		if err != nil {
			h.robotsErr = fmt.Errorf("crawler: robots.txt of %s: %w", u.Host, err)
			return
		}
		r.counted(t, res)
		loc := res.header.Get("Location")
		if res.status < 300 || res.status > 399 || loc == "" || hop == maxRobotsRedirects {
			break
		}
		next, err := url.Parse(resolve(cur, loc))
		if err != nil || next.Host == "" || !r.c.scope.allows(next) {
			break
		}
		cur = next
	}
	if res.status >= 500 {
		h.robotsErr = fmt.Errorf("crawler: robots.txt of %s: status %d", u.Host, res.status)
		return
	}
	if res.status >= 300 {
		// No robots.txt (4xx), or one that moved out of reach: everything
		// is allowed.
		r.opt.Logger.Debug("robots_txt_absent", "url", ru.String(), "status", res.status)
		return
	}
	data, err := robotstxt.FromStatusAndBytes(res.status, robotsHead(res.body))
	if err != nil {
		// The parser drops the whole file for one line it cannot read
		// (Crawl-delay: -1, a Disallow above every User-agent), and the
		// site's rules with it: read it again without such lines, as
		// RFC 9309 asks of a parser.
		data, err = robotstxt.FromStatusAndBytes(res.status, robotsLenient(robotsHead(res.body)))
		if err == nil {
			r.opt.Logger.Warn("robots_txt_lines_ignored", "url", ru.String())
		}
	}
	if err != nil {
		r.opt.Logger.Warn("robots_txt_unreadable", "url", ru.String(), "err", err)
	} else {
		g := data.FindGroup(r.fetch.agent)
		h.robots = g
		h.sitemaps = data.Sitemaps
		// The parser turns a delay past time.Duration's 292 years into a
		// negative one: that is a refusal too, not no delay at all.
		if g != nil && (g.CrawlDelay > r.opt.MaxCrawlDelay || g.CrawlDelay < 0) {
			delay := "more than 292 years"
			if g.CrawlDelay > 0 {
				delay = g.CrawlDelay.String()
			}
			h.robotsErr = fmt.Errorf("crawler: robots.txt of %s asks for a Crawl-delay of %s between requests, more than the %v allowed (max_crawl_delay): the host is not crawled", u.Host, delay, r.opt.MaxCrawlDelay)
			r.opt.Logger.Warn("robots_txt_crawl_delay_refused", "url", ru.String(), "delay", delay, "max", r.opt.MaxCrawlDelay)
		} else if g != nil && g.CrawlDelay > 0 {
			h.mu.Lock()
			if g.CrawlDelay > h.delay {
				h.delay = g.CrawlDelay
				if at := res.fetchedAt.Add(h.delay); h.next.Before(at) {
					h.next = at
				}
				r.opt.Logger.Info("robots_txt_crawl_delay", "host", u.Host, "delay", g.CrawlDelay)
			}
			h.mu.Unlock()
		}
	}
	p := r.page(KindRobots, cur, ru.String(), res)
	r.hand(work, t, p, true)
}

// maxRobotsBytes is how much of a robots.txt is read, as RFC 9309 lets a
// crawler limit it (to no less than 500 KiB). Every URL of a crawl is
// tested against every rule read: the 10 MB of rules a hostile site sent
// made each test take a third of a second.
const maxRobotsBytes = 500 << 10

// robotsHead returns the part of a robots.txt body that is read: all of
// it, or its first maxRobotsBytes cut after the last whole line.
func robotsHead(body []byte) []byte {
	if len(body) <= maxRobotsBytes {
		return body
	}
	head := body[:maxRobotsBytes]
	if i := bytes.LastIndexByte(head, '\n'); i >= 0 {
		head = head[:i+1]
	}
	return head
}

// robotsLenient returns body without the lines the robots.txt parser
// fails the whole file for: a rule or Crawl-delay above every User-agent
// line, and a Crawl-delay that is not a number of seconds.
func robotsLenient(body []byte) []byte {
	out := make([]byte, 0, len(body))
	agent := false
	for line := range bytes.Lines(body) {
		text, _, _ := bytes.Cut(line, []byte("#"))
		key, value, ok := bytes.Cut(text, []byte(":"))
		k := strings.ToLower(strings.TrimSpace(string(key)))
		v := strings.TrimSpace(string(value))
		switch {
		case !ok:
		case k == "user-agent" || k == "useragent":
			agent = true
		case k == "crawl-delay" || k == "crawldelay":
			if f, err := strconv.ParseFloat(v, 64); !agent || err != nil || !(f >= 0) || math.IsInf(f, 0) {
				continue
			}
		case k == "allow" || k == "disallow":
			if !agent {
				continue
			}
		}
		out = append(out, line...)
	}
	return out
}
