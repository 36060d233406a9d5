package crawler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
)

// run is the state of one Run call. Its methods that fetch take two
// contexts, both passed down, never kept: ctx, the caller's, stops new
// requests; work outlives it by the grace period and carries the pages
// already fetched to the Handler and the state.
type run struct {
	c     *Crawler
	opt   *Options
	h     Handler
	fr    *frontier
	fetch *fetcher
	st    *store // nil without StatePath

	// resumeSince is the start of an earlier run that did not finish:
	// articles it fetched are not fetched again. Zero when there was none.
	resumeSince time.Time
	// followListings is set when listing pages are a discovery source, so
	// that listings found on listings are followed.
	followListings atomic.Bool
	// otherCanonical is set once a page named another article as its
	// canonical URL, so that only the first is logged as a warning.
	otherCanonical atomic.Bool

	mu          sync.Mutex
	sum         *Summary
	started     int // requests started, for MaxPages
	startOK     bool
	startErrs   []error
	apiModified time.Time // newest modified_gmt seen in the API this run
	apiUsed     bool
	limited     bool  // MaxPages stopped the crawl
	requisites  int   // requisite URLs queued, for MaxRequisites
	aborted     error // the Handler error that stopped the crawl (ErrAbort)

	// linkBufs lends process a slice for a page's links (*[]link): a
	// page has hundreds, and growing a slice for each was a tenth of what
	// the crawler allocated. Nothing keeps a link's address, so reuse is
	// safe once process returns.
	linkBufs sync.Pool
	// links remembers what the hrefs of the pages resolved to, classes
	// what the URLs they lead to are.
	links   linkCache
	classes memo[string, linkTarget]
}

// Run crawls the site and hands every page fetched to h. It returns when
// nothing is left to fetch, MaxPages is reached, or ctx is cancelled.
//
// On cancellation no new request starts; pages in flight get up to
// GracePeriod to arrive and be handed over (h then sees a context that is
// not cancelled yet), state is flushed, and Run returns the summary so far
// with an error wrapping ctx.Err().
//
// Pages answering 304 Not Modified, and pages whose body hashes the same as
// the one handed over last time, are counted but not handed over. Redirects
// are followed by the crawler and the page that ends the chain is handed
// over with RequestURL set to the first URL. Pages with other non-2xx
// statuses are counted as errors and handed over only with
// Options.HandErrors. A URL is recorded as done in the state only after h
// returned nil for it.
//
// A Handler error that wraps ErrAbort stops the crawl as a cancellation
// does, and Run returns it.
//
// Run fails when no start URL could be fetched at all (for example when
// the connection is refused), naming the URLs, and when the state file
// cannot be opened.
func (c *Crawler) Run(ctx context.Context, h Handler) (*Summary, error) {
	if h == nil {
		return nil, errors.New("crawler: nil handler")
	}
	if !c.running.CompareAndSwap(false, true) {
		return nil, errors.New("crawler: run already in progress")
	}
	defer c.running.Store(false)
	for _, v := range []*atomic.Int64{&c.pages, &c.articles, &c.notModified, &c.unchanged, &c.errs, &c.skipped} {
		v.Store(0)
	}
	log := c.opt.Logger

	var st *store
	if c.opt.StatePath != "" {
		var err error
		if st, err = openStore(c.opt.StatePath, c.opt.Site, log); err != nil {
			return nil, err
		}
		defer st.close()
	}

	work, cancelWork := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelWork()
	r := &run{
		c:   c,
		opt: &c.opt,
		h:   h,
		fr:  newFrontier(),
		st:  st,
		sum: &Summary{
			Site:      c.opt.Site,
			Discovery: c.opt.Discovery,
			Start:     time.Now(),
			Kinds:     map[Kind]int{},
			Statuses:  map[int]int{},
			Errors:    []PageError{},
		},
	}
	r.fetch = newFetcher(work, &c.opt, c.guard)
	defer r.fetch.close()
	c.front.Store(r.fr)

	openRun := r.sum.Start.UTC().Format(time.RFC3339Nano)
	if prev := st.getMeta(metaOpenRun); prev != "" {
		if t, err := time.Parse(time.RFC3339Nano, prev); err == nil {
			r.resumeSince = t
			openRun = prev
			log.Info("crawl_resuming", "since", t)
		}
	}
	if err := st.setMeta(map[string]string{metaOpenRun: openRun}); err != nil {
		return nil, err
	}
	log.Info("crawl_starting", "start_urls", len(c.opt.StartURLs), "discovery", c.opt.Discovery)

	var bg errgroup.Group // the state writer and the grace timer
	if st != nil {
		bg.Go(st.writeLoop)
	}
	workersDone := make(chan struct{})
	bg.Go(func() error {
		select {
		case <-workersDone:
		case <-ctx.Done():
			r.fr.close()
			t := time.NewTimer(c.opt.GracePeriod)
			defer t.Stop()
			select {
			case <-workersDone:
			case <-t.C:
				cancelWork() // pages still in flight are abandoned
			}
		}
		return nil
	})

	var workers errgroup.Group
	r.fr.hold() // released when discovery is done
	workers.Go(func() error {
		defer r.fr.done()
		r.discoverAll(ctx, work)
		return nil
	})
	// Twice as many workers as requests may be in flight, so that one
	// page's Handler runs while the next page downloads; each host's
	// slots keep the requests to it at Concurrency.
	n := 2 * c.opt.Concurrency * max(len(c.scope.hosts), 1)
	for range min(n, 64) {
		workers.Go(func() error {
			for {
				t, ok := r.fr.next(ctx)
				if !ok {
					return nil
				}
				r.process(ctx, work, t)
				r.fr.done()
			}
		})
	}
	_ = workers.Wait()
	close(workersDone)
	if st != nil {
		close(st.pending)
	}
	stateErr := bg.Wait()

	r.mu.Lock()
	defer r.mu.Unlock()
	sum := r.sum
	sum.End = time.Now()
	sum.Interrupted = ctx.Err() != nil
	sum.Dropped = r.fr.droppedCount()
	if sum.Dropped > 0 {
		log.Warn("url_limit_reached", "dropped", sum.Dropped, "limit", maxKnown)
	}
	// A complete run clears the resume mark. The API's modified_after mark
	// advances only when every page succeeded, so that a page that failed
	// is listed again next time.
	complete := !sum.Interrupted && !r.limited && r.startOK && sum.Dropped == 0 && r.aborted == nil
	if complete && stateErr == nil {
		meta := map[string]string{metaOpenRun: ""}
		if r.apiUsed && !r.apiModified.IsZero() && sum.ErrorCount == 0 {
			meta[metaAPIModified] = r.apiModified.UTC().Format(time.RFC3339)
		}
		stateErr = st.setMeta(meta)
	}
	log.Info("crawl_finished", "pages", sum.Pages, "articles", sum.Articles,
		"not_modified", sum.NotModified, "unchanged", sum.Unchanged, "errors", sum.ErrorCount,
		"duration", sum.End.Sub(sum.Start).Round(time.Millisecond))
	switch {
	case r.aborted != nil:
		return sum, fmt.Errorf("crawler: %s: stopped: %w", c.opt.Site, r.aborted)
	case ctx.Err() != nil:
		return sum, fmt.Errorf("crawler: %s: interrupted: %w", c.opt.Site, ctx.Err())
	case !r.startOK && len(r.startErrs) > 0:
		return sum, fmt.Errorf("crawler: %s: no start url could be fetched: %w", c.opt.Site, errors.Join(r.startErrs...))
	case stateErr != nil:
		return sum, stateErr
	}
	return sum, nil
}

// failStatus fails a page whose status is an error (or a redirect not
// followed), and hands it on when Options.HandErrors asks for error pages
// too. what names the fetch in the error: "start url" or "fetch".
func (r *run) failStatus(work context.Context, t task, p *Page, what string) {
	r.fail(t, p.Status, fmt.Errorf("crawler: %s %s: status %d", what, p.URL, p.Status))
	if r.opt.HandErrors {
		r.hand(work, t, p, false)
	}
}

// fail records a failed page.
func (r *run) fail(t task, status int, err error) {
	r.c.errs.Add(1)
	r.opt.Logger.Warn("page_failed", "url", t.url, "kind", string(t.kind), "status", status, "err", err)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sum.ErrorCount++
	if len(r.sum.Errors) < maxSummaryErrors {
		r.sum.Errors = append(r.sum.Errors, PageError{URL: t.url, Kind: t.kind, Status: status, Message: err.Error()})
	}
	if t.start {
		r.startErrs = append(r.startErrs, fmt.Errorf("%s: %w", t.url, err))
	}
}

// skip records a URL left alone.
func (r *run) skip(t task, robots bool, why string) {
	r.c.skipped.Add(1)
	r.opt.Logger.Debug("page_skipped", "url", t.url, "reason", why)
	r.mu.Lock()
	r.sum.Skipped++
	if robots {
		r.sum.RobotsDisallowed++
	}
	if t.start {
		r.startErrs = append(r.startErrs, fmt.Errorf("%s: %s", t.url, why))
	}
	r.mu.Unlock()
}

// unchanged records an article left alone because it did not change.
func (r *run) unchanged(t task, why string) {
	r.c.unchanged.Add(1)
	r.opt.Logger.Debug("page_unchanged", "url", t.url, "reason", why)
	r.mu.Lock()
	r.sum.Unchanged++
	r.mu.Unlock()
}

// allowStart counts a request against MaxPages; false means the limit is
// reached and the crawl winds down.
func (r *run) allowStart() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.aborted != nil {
		return false
	}
	if r.opt.MaxPages > 0 && r.started >= r.opt.MaxPages {
		r.limited = true
		return false
	}
	r.started++
	return true
}

// counted records a response in the summary.
func (r *run) counted(t task, res *response) {
	r.c.pages.Add(1)
	r.mu.Lock()
	r.sum.Pages++
	r.sum.Statuses[res.status]++
	r.sum.Retries += res.retries
	if res.truncated {
		r.sum.Truncated++
	}
	if t.kind == KindArticle && res.status == http.StatusOK {
		r.sum.FullFetches++
	}
	r.mu.Unlock()
}

// fetchTask fetches t's URL, checking robots.txt and MaxPages, and follows
// redirects itself: each hop is checked against scope, robots.txt and the
// URLs already known, and loops and long chains fail. It returns the final
// URL and response, or nil when the task ended here (the failure or skip
// is recorded). t.kind may change when a redirect lands on an article.
func (r *run) fetchTask(ctx, work context.Context, t *task, hdr http.Header) (*url.URL, *response) {
	cur, err := url.Parse(t.url)
	if err != nil {
		r.fail(*t, 0, fmt.Errorf("crawler: parse %s: %w", t.url, err))
		return nil, nil
	}
	chain := []string{t.url}
	for {
		if ok, err := r.robotsAllow(ctx, work, cur); err != nil {
			if ctx.Err() == nil {
				r.fail(*t, 0, err)
			}
			return nil, nil
		} else if !ok {
			r.skip(*t, true, "disallowed by robots.txt")
			return nil, nil
		}
		if !r.allowStart() {
			r.fr.close()
			return nil, nil
		}
		res, err := r.fetch.get(ctx, cur, hdr)
		if err != nil {
			if ctx.Err() == nil {
				r.fail(*t, 0, err)
			}
			return nil, nil
		}
		r.counted(*t, res)
		loc := res.header.Get("Location")
		if res.status < 300 || res.status > 399 || res.status == http.StatusNotModified || loc == "" {
			return cur, res
		}
		if t.kind == KindRequisite {
			// Pages name the first URL: its redirect is archived too, so
			// that replay can follow it to the target.
			r.hand(work, *t, r.page(KindRequisite, cur, chain[0], res), true)
		}
		next := resolve(cur, loc)
		switch {
		case next == "":
			r.fail(*t, res.status, fmt.Errorf("crawler: %s: bad redirect location %q", cur, loc))
			return nil, nil
		case slices.Contains(chain, next):
			r.fail(*t, res.status, fmt.Errorf("crawler: %s: %w: %s", t.url, errRedirectLoop, strings.Join(append(chain, next), " -> ")))
			return nil, nil
		case len(chain) > r.opt.MaxRedirects:
			r.fail(*t, res.status, fmt.Errorf("crawler: %s: %w (%d)", t.url, errTooManyHops, len(chain)-1))
			return nil, nil
		}
		nu, _ := url.Parse(next)
		if t.kind == KindImage || t.kind == KindRequisite {
			// An image may redirect between the site's and its image
			// hosts, never elsewhere.
			if err := r.c.guard.Check(ctx, nu); err != nil {
				r.skip(*t, false, "image redirect refused: "+err.Error())
				return nil, nil
			}
		} else if !r.c.scope.allows(nu) {
			r.skip(*t, false, "redirect off-site to "+next)
			return nil, nil
		}
		kind := t.kind
		if kind == KindArticle || kind == KindListing {
			k := r.classify(nu)
			if k == "" && isShortlink(cur) {
				r.skip(*t, false, "shortlink to a page that is not an article: "+next)
				return nil, nil
			}
			if k != "" {
				kind = k
			}
		}
		if !r.fr.claim(next, kind) {
			r.skip(*t, false, "redirect to known url "+next)
			return nil, nil
		}
		t.kind = kind
		chain = append(chain, next)
		cur = nu
		if t.kind != KindRequisite {
			hdr = nil // validators belong to the first URL; the target has its own
		} // a requisite's state keeps the validators its redirects led to
		if kind == KindArticle {
			if rec, ok := r.st.get(next); ok {
				hdr = conditional(rec)
			}
		}
	}
}

// process fetches one queued task and hands the result over.
func (r *run) process(ctx, work context.Context, t task) {
	if t.kind == KindRequisite {
		r.requisite(ctx, work, t)
		return
	}
	var hdr http.Header
	if t.kind == KindArticle {
		if rec, ok := r.st.get(t.url); ok {
			if r.leaveAlone(t, rec) {
				return
			}
			hdr = conditional(rec)
		}
	}
	requestURL := t.url
	cur, res := r.fetchTask(ctx, work, &t, hdr)
	if res == nil {
		return
	}
	// The state keys articles by their final URL: after redirects, and
	// after the canonical link below.
	key := cur.String()
	var rec record
	var have bool
	if t.kind == KindArticle {
		rec, have = r.st.get(key)
	}
	if res.status == http.StatusNotModified && !res.conditional {
		// Not modified since nothing: a 304 to a request without
		// validators would leave the page unarchived, and unnoticed.
		r.fail(t, res.status, fmt.Errorf("crawler: fetch %s: %w", cur, errUnasked304))
		return
	}
	if res.status == http.StatusNotModified {
		r.c.notModified.Add(1)
		r.mu.Lock()
		r.sum.NotModified++
		r.mu.Unlock()
		if have {
			rec.Fetched = res.fetchedAt
			if !t.lastmod.IsZero() {
				rec.Lastmod = t.lastmod
			}
			r.st.set(work, key, rec)
		}
		return
	}
	p := r.page(t.kind, cur, requestURL, res)
	if res.status >= 300 {
		r.failStatus(work, t, p, "fetch")
		return
	}
	var links []link
	if isHTML(res) && (t.kind == KindArticle || t.kind == KindListing) {
		buf, _ := r.linkBufs.Get().(*[]link)
		if buf == nil {
			buf = new([]link)
		}
		links, _ = appendLinks(*buf, res.body)
		defer func() {
			clear(links) // the strings of this page go with it
			*buf = links[:0]
			r.linkBufs.Put(buf)
		}()
	}
	if t.kind == KindArticle {
		if canon := r.canonical(cur, links); canon != "" && canon != key {
			if !r.fr.claim(canon, KindArticle) {
				r.skip(t, false, "canonical url known: "+canon)
				return
			}
			p.URL, key = canon, canon
			rec, have = r.st.get(key)
		}
		p.Parts = r.parts(ctx, work, t, cur, links, int64(len(p.Body)))
	}
	r.discover(cur, t, res, links)

	var hash string
	if t.kind == KindArticle { // only articles have state records
		hash = pageHash(p)
	}
	if have && rec.Hash == hash {
		r.unchanged(t, "same body")
		rec.Fetched = res.fetchedAt
		if !t.lastmod.IsZero() {
			rec.Lastmod = t.lastmod
		}
		r.st.set(work, key, rec)
		return
	}
	if lm := r.fr.lastmod(t.url); lm.After(t.lastmod) {
		t.lastmod = lm // listed by the API or a sitemap while this page was queued
	}
	handed := r.hand(work, t, p, true)
	if handed {
		r.follow(ctx, p.Follow, KindImage, 0)
		r.follow(ctx, p.Requisites, KindRequisite, 0)
	}
	if handed && t.kind == KindArticle {
		r.st.set(work, key, record{
			Fetched:      res.fetchedAt,
			ETag:         validator(res.header.Get("ETag")),
			LastModified: validator(res.header.Get("Last-Modified")),
			Hash:         hash,
			Kind:         t.kind,
			Lastmod:      t.lastmod,
		})
	}
}

// follow queues as kind the URLs a Handler asked for in Page.Follow (an
// article's images) or Page.Requisites that the guard allows: on the
// site's hosts or its image hosts, without credentials. Robots.txt, the
// per-host delay and the size limit apply as to pages.
func (r *run) follow(ctx context.Context, urls []string, kind Kind, depth int) {
	if len(urls) > maxFollow {
		// A page of 50,000 images, new on every article, would cost
		// 50,000 requests an article.
		r.opt.Logger.Warn("follow_urls_cut", "kind", string(kind), "urls", len(urls), "max", maxFollow, "first", urls[0])
		urls = urls[:maxFollow]
	}
	for _, raw := range urls {
		pu, err := url.Parse(strings.TrimSpace(raw))
		if err == nil {
			err = r.c.guard.Check(ctx, pu)
		}
		if err != nil {
			r.c.skipped.Add(1)
			r.mu.Lock()
			r.sum.Skipped++
			r.mu.Unlock()
			r.opt.Logger.Warn("follow_url_refused", "url", raw, "err", err)
			continue
		}
		u, err := normalizeURL(pu) // Normalize(raw), without parsing raw again
		if err != nil {
			r.opt.Logger.Debug("follow_url_rejected", "url", raw, "err", err)
			continue
		}
		if kind == KindRequisite && !r.fr.isKnown(u) {
			r.mu.Lock()
			full := r.requisites >= r.opt.MaxRequisites
			if !full {
				r.requisites++
			}
			r.mu.Unlock()
			if full {
				r.trapped(u, trapRequisites)
				continue
			}
		}
		r.fr.add(task{url: u, kind: kind, depth: depth})
	}
}

// maxFollow bounds the URLs taken from one page's Follow or Requisites:
// a gallery of 500 pictures is a large one.
const maxFollow = 500

// maxRequisiteDepth bounds chains of requisites (a style sheet that
// imports one that imports another...): a server that makes up a new
// import for every sheet cannot keep a crawl busy.
const maxRequisiteDepth = 3

// requisite fetches a page requisite: once per crawl (the frontier knows
// each URL once), and on later crawls only with a conditional request,
// so that nothing archived is downloaded again unasked. Its answer goes
// to the Handler when it is new or its body changed; a requisite's own
// requisites (what a style sheet imports) are queued in turn.
func (r *run) requisite(ctx, work context.Context, t task) {
	rec, have := r.st.get(t.url)
	var hdr http.Header
	if have {
		if hdr = conditional(rec); hdr == nil {
			if time.Since(rec.Fetched) < r.opt.RequisiteMaxAge {
				r.unchanged(t, "requisite fetched within its max age")
				return
			}
			// No validators: the time of the last fetch stands for one.
			hdr = http.Header{"If-Modified-Since": {rec.Fetched.UTC().Format(http.TimeFormat)}}
		}
	}
	cur, res := r.fetchTask(ctx, work, &t, hdr)
	if res == nil {
		return
	}
	if res.status == http.StatusNotModified && !res.conditional {
		r.fail(t, res.status, fmt.Errorf("crawler: fetch %s: %w", cur, errUnasked304))
		return
	}
	if res.status == http.StatusNotModified {
		r.c.notModified.Add(1)
		r.mu.Lock()
		r.sum.NotModified++
		r.mu.Unlock()
		if have {
			rec.Fetched = res.fetchedAt
			r.st.set(work, t.url, rec)
		}
		return
	}
	p := r.page(KindRequisite, cur, t.url, res)
	hash := bodyHash([]byte(strconv.Itoa(res.status) + "\n" + string(res.body)))
	next := record{
		Fetched:      res.fetchedAt,
		ETag:         validator(res.header.Get("ETag")),
		LastModified: validator(res.header.Get("Last-Modified")),
		Hash:         hash,
		Kind:         KindRequisite,
	}
	if have && rec.Hash == hash {
		r.unchanged(t, "same body")
		r.st.set(work, t.url, next)
		return
	}
	// A missing requisite is archived as what the page got, not counted
	// as a failed page.
	if r.hand(work, t, p, true) {
		if t.depth < maxRequisiteDepth {
			r.follow(ctx, p.Requisites, KindRequisite, t.depth+1)
		} else if len(p.Requisites) > 0 {
			r.opt.Logger.Debug("requisites_too_deep", "url", t.url, "depth", t.depth)
		}
		r.st.set(work, t.url, next)
	}
}

// leaveAlone decides from an article's record whether it needs no request
// at all. The discovery source's lastmod, compared with the one it gave at
// the last fetch (one clock, the server's), decides first; without one, a
// page that the interrupted run fetched is done.
func (r *run) leaveAlone(t task, rec record) bool {
	switch known := !t.lastmod.IsZero() && !rec.Lastmod.IsZero(); {
	case known && !t.lastmod.After(rec.Lastmod):
		r.unchanged(t, "lastmod not newer than last fetch")
		return true
	case !known && !r.resumeSince.IsZero() && !rec.Fetched.Before(r.resumeSince):
		r.unchanged(t, "fetched by the interrupted run")
		return true
	}
	return false
}

// pageHash hashes a page's body and those of its parts.
func pageHash(p *Page) string {
	if len(p.Parts) == 0 {
		return bodyHash(p.Body)
	}
	all := [][]byte{p.Body}
	for _, part := range p.Parts {
		all = append(all, part.Body)
	}
	return bodyHash(bytes.Join(all, []byte{0}))
}

// maxValidatorBytes bounds an ETag or Last-Modified the state keeps: a
// real one is a few dozen bytes, and each is kept for every article and
// sent back on every later request for it.
const maxValidatorBytes = 512

// validator returns v, an ETag or Last-Modified a server sent, to keep in
// the state; "" (none) when it is longer than maxValidatorBytes.
func validator(v string) string {
	if len(v) > maxValidatorBytes {
		return ""
	}
	return v
}

// conditional returns the validators of rec as request headers.
func conditional(rec record) http.Header {
	h := http.Header{}
	if rec.ETag != "" {
		h.Set("If-None-Match", rec.ETag)
	}
	if rec.LastModified != "" {
		h.Set("If-Modified-Since", rec.LastModified)
	}
	if len(h) == 0 {
		return nil
	}
	return h
}

// page builds the Page of a response.
func (r *run) page(kind Kind, cur *url.URL, requestURL string, res *response) *Page {
	return &Page{
		Kind:          kind,
		URL:           cur.String(),
		RequestURL:    requestURL,
		Method:        http.MethodGet,
		RequestHeader: res.reqHeader,
		Proto:         res.proto,
		Status:        res.status,
		Header:        res.header,
		Body:          res.body,
		Truncated:     res.truncated,
		FetchedAt:     res.fetchedAt,
	}
}

// hand gives p to the Handler and counts it; it reports whether the
// Handler accepted it. ok is false for error pages handed over with
// HandErrors, which are already counted as failures.
func (r *run) hand(work context.Context, t task, p *Page, ok bool) bool {
	if err := r.h.HandlePage(work, p); err != nil {
		r.fail(t, p.Status, fmt.Errorf("crawler: handle %s: %w", p.URL, err))
		if errors.Is(err, ErrAbort) {
			r.mu.Lock()
			first := r.aborted == nil
			if first {
				r.aborted = err
			}
			r.mu.Unlock()
			if first {
				r.opt.Logger.Error("crawl_aborted", "url", p.URL, "err", err)
			}
			r.fr.close()
		}
		return false
	}
	article := ok && p.Kind == KindArticle
	if article {
		r.c.articles.Add(1)
	}
	r.mu.Lock()
	r.sum.Kinds[p.Kind]++
	if article {
		r.sum.Articles++
	}
	r.mu.Unlock()
	return true
}

// canonical returns the page's <link rel=canonical> when it is another
// URL of the same article in scope; "" otherwise. A canonical that points
// to a page that is not an article (some themes point every page at the
// home page) is ignored, and so is one that names another article: a
// site's bytes may not make one article take another's identity (see
// sameArticle).
func (r *run) canonical(cur *url.URL, links []link) string {
	base := r.docBase(cur, links)
	for _, l := range links {
		if l.tag != tagLink || !hasWord(l.rel, "canonical") {
			continue
		}
		n := resolve(base, l.href)
		if n == "" {
			return ""
		}
		u, _ := url.Parse(n)
		if !r.c.scope.allows(u) || r.classify(u) != KindArticle {
			return ""
		}
		if !sameArticle(cur, u) {
			if r.otherCanonical.CompareAndSwap(false, true) {
				r.opt.Logger.Warn("canonical_ignored", "url", cur.String(), "canonical", n, "reason", "names another article")
			} else {
				r.opt.Logger.Debug("canonical_ignored", "url", cur.String(), "canonical", n, "reason", "names another article")
			}
			return ""
		}
		return n
	}
	return ""
}

// sameArticle reports whether the canonical URL canon may stand for the
// article fetched at page: the same slug (the last path segment, leaving
// out "amp" segments, a page number after it and an extension such as
// .html), with a query that page's query includes. So an AMP copy
// (/amp/slug, /slug/amp, ?amp=1), a mobile host, a copy in another
// section (/a/slug, /b/slug), a page of the article (/slug/2), /slug.html
// and a URL with extra parameters name the article they copy, while a
// page that names another article's URL
// (/slug-a claiming /slug-b, berita.php?id=5 claiming ?id=6) keeps its
// own: two pages claiming one identity would merge into one article, or
// the later would be dropped as a copy of the first.
func sameArticle(page, canon *url.URL) bool {
	ps, cs := slugs(page.Path), slugs(canon.Path)
	if len(cs) == 0 || len(ps) == 0 {
		return len(cs) == len(ps)
	}
	same := ps[len(ps)-1] == cs[len(cs)-1]
	if n := len(ps); !same && n >= 2 && len(ps[n-1]) <= 3 && isDigits(ps[n-1]) {
		same = ps[n-2] == cs[len(cs)-1] // page n of the article
	}
	if !same || canon.RawQuery == "" {
		return same
	}
	pq := page.Query()
	for k, vs := range canon.Query() {
		for _, v := range vs {
			if !slices.Contains(pq[k], v) {
				return false
			}
		}
	}
	return true
}

// slugs returns the segments of path, lower-cased, without "amp" ones
// and without the extension of the last (/judul.html names /judul).
func slugs(path string) []string {
	segs := strings.FieldsFunc(strings.ToLower(path), func(r rune) bool { return r == '/' })
	segs = slices.DeleteFunc(segs, func(s string) bool { return s == "amp" })
	if n := len(segs); n > 0 {
		for _, ext := range []string{".html", ".htm", ".shtml", ".php", ".aspx", ".asp"} {
			if s, ok := strings.CutSuffix(segs[n-1], ext); ok && s != "" {
				segs[n-1] = s
				break
			}
		}
	}
	return segs
}

// maxParts bounds the pages of one multi-page article; together they
// hold at most MaxPageBytes, as one page does (20 parts of 10 MB were
// 200 MB in memory per worker).
const maxParts = 20

// parts fetches the further pages of a multi-page article (WordPress's
// <!--nextpage-->: /slug/2/, or ?page=2), in order, while the article
// holds at most MaxPageBytes; size is what its first page holds.
func (r *run) parts(ctx, work context.Context, t task, cur *url.URL, links []link, size int64) []*Page {
	var out []*Page
	seen := map[string]bool{cur.String(): true}
	for len(out) < maxParts {
		next := nextPart(cur, links, len(out)+2)
		if next == "" || seen[next] {
			return out
		}
		seen[next] = true
		if !r.fr.claim(next, "") {
			return out
		}
		pt := task{url: next, kind: KindArticle}
		pu, res := r.fetchTask(ctx, work, &pt, nil)
		if res == nil {
			return out
		}
		if res.status != http.StatusOK {
			r.fail(pt, res.status, fmt.Errorf("crawler: article part %s: status %d", next, res.status))
			return out
		}
		if size += int64(len(res.body)); size > r.opt.MaxPageBytes {
			r.fail(pt, res.status, fmt.Errorf("crawler: article part %s: the article's pages hold more than %d bytes (the max page size); the parts after %d are left out", next, r.opt.MaxPageBytes, len(out)))
			return out
		}
		out = append(out, r.page(KindArticle, pu, next, res))
		cur = pu
		links, _ = scanLinks(res.body)
	}
	return out
}

// nextPart finds the link to page n of the article whose page cur is: a
// link to cur's path plus "/n" or with a page query of n.
func nextPart(cur *url.URL, links []link, n int) string {
	num := fmt.Sprint(n)
	root := strings.TrimSuffix(cur.Path, "/")
	// On page k, the article's own path ends in "/k".
	if i := strings.LastIndexByte(root, '/'); i > 0 && isDigits(root[i+1:]) && n > 2 {
		root = root[:i]
	}
	for _, l := range links {
		// Resolving every link of every article to look for page 2 cost
		// as much as the link scan itself; few links pass mayNamePage.
		if l.tag != tagA || !mayNamePage(cur, l.href, num) {
			continue
		}
		if s := partURL(cur, l.href, root, num); s != "" {
			return s
		}
	}
	return ""
}

// partURL returns href, found on the page at cur, resolved, when it is
// page num of the article at root (its path without the page number):
// root plus "/num", or root with a page query of num. It returns ""
// otherwise.
func partURL(cur *url.URL, href, root, num string) string {
	s := resolve(cur, href)
	if s == "" {
		return ""
	}
	u, _ := url.Parse(s)
	if u.Host != cur.Host {
		return ""
	}
	p := strings.TrimSuffix(u.Path, "/")
	if p == root+"/"+num && u.RawQuery == "" {
		return s
	}
	if p == root && (u.Query().Get("page") == num || u.Query().Get("halaman") == num) {
		return s
	}
	return ""
}

// mayNamePage reports whether partURL may accept href, found on the page
// at cur, for page num: the number must stand alone in href, as a path
// segment or a query value, or hide behind a percent sign. It cannot come
// from cur's path: a relative href keeps cur's last path segment only
// when it has no path (a query alone, which must then hold the number),
// and dot segments only shorten cur's path. cur's query stays only for an
// href without path and query ("//"), so when that query holds the
// number every href may.
func mayNamePage(cur *url.URL, href, num string) bool {
	if strings.Contains(cur.RawQuery, num) || strings.Contains(href, "%") {
		return true
	}
	href = strings.TrimSpace(href) // as resolve does
	for i := 0; ; {
		j := strings.Index(href[i:], num)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(num)
		before := j == 0 || href[j-1] == '/' || href[j-1] == '='
		after := end == len(href) || strings.IndexByte("/?#&;", href[end]) >= 0
		if before && after {
			return true
		}
		i = j + 1
	}
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
