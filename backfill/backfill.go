package backfill

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"time"
)

// Fetched is one capture as the archive gave it back.
type Fetched struct {
	// Capture is the index row it was listed as.
	Capture Capture
	// URL is the original URL, and Time the capture time: the archive's
	// own, from the replay (a replay may answer with the nearest capture).
	URL  string
	Time time.Time
	// Article is the article's preferred URL (see Identity).
	Article string
	// Status, Proto, Header and Body are the original HTTP response, its
	// headers restored from the archive's X-Archive-Orig- copies. Body is
	// cut at Options.MaxBytes, and Truncated says so.
	Status    int
	Proto     string
	Header    http.Header
	Body      []byte
	Truncated bool
	// Record, from Common Crawl, is the gzipped WARC record that holds
	// the response; Status, Header and Body are then empty.
	Record []byte
	// Source is Wayback or CommonCrawl, and SourceURL the archive's copy:
	// the replay URL, or the WARC file with the byte range.
	Source    string
	SourceURL string
}

// Stats counts what a backfill did so far.
type Stats struct {
	Listed   int64 // rows the index listed (all of the hosts' captures)
	Selected int64 // article captures with content of their own, to fetch
	Done     int64 // of those, finished by an earlier run
	Fetched  int64 // fetched and handed over
	Skipped  int64 // gone from the archive, or not what the index said
	Failed   int64 // could not be fetched this time (tried again next run)
	Requests int64 // HTTP requests sent
	Started  time.Time
}

// Handler takes one fetched capture; an error stops the backfill (the
// archive could not keep it, say) and the capture is fetched again next
// time.
type Handler func(ctx context.Context, f *Fetched) error

// Backfill fetches a site's past captures from one archive.
type Backfill struct {
	opt Options
	c   *client

	started                                          time.Time
	listed, selected, done, fetched, skipped, failed atomic.Int64
}

// New checks opt and returns a Backfill.
func New(opt Options) (*Backfill, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	hc := &http.Client{
		Transport: opt.Transport,
		Timeout:   opt.Timeout,
		// Redirects are the archive's answers to read, not to follow blindly.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return &Backfill{opt: opt, c: &client{
		hc: hc, ua: opt.UserAgent, delay: opt.Delay, retries: opt.MaxRetries, maxWait: opt.MaxWait,
		log: opt.Logger, next: map[string]time.Time{},
	}}, nil
}

// Stats returns the counts so far; safe to call while Run runs.
func (b *Backfill) Stats() Stats {
	return Stats{
		Listed: b.listed.Load(), Selected: b.selected.Load(), Done: b.done.Load(),
		Fetched: b.fetched.Load(), Skipped: b.skipped.Load(), Failed: b.failed.Load(),
		Requests: b.c.requests.Load(), Started: b.started,
	}
}

// Run lists the site's captures, then fetches those no earlier run
// finished, oldest first, and hands each to handle. It returns when all
// were tried, when ctx is done, when handle fails, or when the archive
// refuses us (ErrRefused).
func (b *Backfill) Run(ctx context.Context, handle Handler) error {
	b.started = time.Now()
	st, err := openState(b.opt.StatePath, b.opt.Site)
	if err != nil {
		return err
	}
	defer st.close()
	var rows []Capture
	if b.opt.Source == CommonCrawl {
		rows, err = b.listCC(ctx)
	} else {
		rows, err = b.listWayback(ctx)
	}
	if err != nil {
		return err
	}
	todo := b.selectCaptures(rows)
	b.selected.Store(int64(len(todo)))
	log := b.opt.Logger
	log.Info("backfill_listed", "source", b.opt.Source, "listed", b.listed.Load(), "wanted", len(rows), "selected", len(todo))
	for _, c := range todo {
		key := b.key(c)
		if st.done(key) {
			b.done.Add(1)
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if b.opt.Have != nil {
			have, err := b.opt.Have(ctx, c)
			if err != nil {
				return fmt.Errorf("backfill: %s at %s: %w", c.URL, c.Timestamp, err)
			}
			if have {
				b.done.Add(1)
				if err := st.mark(key, "archived"); err != nil {
					return err
				}
				continue
			}
		}
		var f *Fetched
		var skip string
		if b.opt.Source == CommonCrawl {
			f, skip, err = b.fetchCC(ctx, c)
		} else {
			f, skip, err = b.fetchWayback(ctx, c)
		}
		switch {
		case errors.Is(err, ErrRefused) || ctx.Err() != nil:
			return cmp.Or(ctx.Err(), err)
		case err != nil:
			b.failed.Add(1)
			log.Warn("capture_failed", "url", c.URL, "timestamp", c.Timestamp, "err", err)
			continue
		case skip != "":
			b.skipped.Add(1)
			log.Info("capture_skipped", "url", c.URL, "timestamp", c.Timestamp, "reason", skip)
			if err := st.mark(key, "skipped: "+skip); err != nil {
				return err
			}
			continue
		}
		if err := handle(ctx, f); err != nil {
			return fmt.Errorf("backfill: %s at %s: %w", c.URL, c.Timestamp, err)
		}
		b.fetched.Add(1)
		if err := st.mark(key, "archived"); err != nil {
			return err
		}
	}
	return nil
}

// key names a capture in the state: the archive, the time and the URL (or,
// in Common Crawl, the record's place).
func (b *Backfill) key(c Capture) string {
	if b.opt.Source == CommonCrawl {
		return fmt.Sprintf("cc %s %d", c.Filename, c.Offset)
	}
	host := b.opt.Replay
	if u, err := url.Parse(b.opt.Replay); err == nil {
		host = u.Host + u.Path
	}
	return "wayback " + host + " " + c.Timestamp + " " + c.URL
}

// selectCaptures keeps, of the wanted rows, each capture once, and of the
// captures of one article only those whose digest differs from the one
// before in time (the same digest is the same bytes). They come back
// oldest first.
func (b *Backfill) selectCaptures(rows []Capture) []Capture {
	seen := map[string]bool{}
	byKey := map[string][]Capture{}
	for _, c := range rows {
		// The host and www. queries may list a capture twice.
		id := c.Timestamp + " " + c.URL
		if seen[id] {
			continue
		}
		seen[id] = true
		k := b.opt.Identity.Key(c.URL)
		byKey[k] = append(byKey[k], c)
	}
	var out []Capture
	for _, cs := range byKey {
		slices.SortStableFunc(cs, func(x, y Capture) int { return x.Time.Compare(y.Time) })
		last := ""
		for _, c := range cs {
			if c.Digest != "" && c.Digest == last {
				continue
			}
			last = c.Digest
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(x, y Capture) int {
		return cmp.Or(x.Time.Compare(y.Time), strings.Compare(x.URL, y.URL))
	})
	return out
}

// wanted keeps, of one index page, the rows that may be worth fetching:
// articles of the site in the time bounds, HTML with status 200, or
// revisits, whose payload the archive resolves. Filtering as the pages
// come keeps a host's images and listings out of memory.
func (b *Backfill) wanted(rows []Capture) []Capture {
	var out []Capture
	for _, c := range rows {
		if !b.opt.From.IsZero() && c.Time.Before(b.opt.From) || !b.opt.To.IsZero() && c.Time.After(b.opt.To) {
			continue
		}
		if _, ok := b.opt.Identity.Article(c.URL); !ok {
			continue
		}
		if !c.Revisit() && (c.Status != "" && c.Status != "200" || !htmlMime(c.Mime)) {
			continue
		}
		if c.Revisit() && b.opt.Source == CommonCrawl {
			continue // its payload is in another record that the index does not name
		}
		out = append(out, c)
	}
	return out
}

// htmlMime reports whether an index's media type may be an HTML page; an
// unknown one may.
func htmlMime(m string) bool {
	m = strings.ToLower(strings.TrimSpace(m))
	return m == "" || m == "unk" || strings.Contains(m, "html")
}
