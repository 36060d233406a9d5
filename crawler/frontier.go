package crawler

import (
	"context"
	"sync"
	"time"
)

// maxKnown bounds the URLs one run knows (about 150 bytes each), so that
// a site that generates endless URLs cannot exhaust memory. Regional news
// sites have tens of thousands.
const maxKnown = 1_000_000

// task is one URL waiting to be fetched.
type task struct {
	url   string
	kind  Kind
	start bool // one of the crawl's start URLs
	// lastmod is what the discovery source said about the page's last
	// change (sitemap lastmod, API modified_gmt); zero when unknown.
	lastmod time.Time
	// depth counts the listing pages between a start URL and this listing
	// page (for a requisite, the requisites between the article and it);
	// barren the listing pages in a row before it that brought no new
	// article URL.
	depth, barren int
}

// frontier holds the URLs a run knows and those it has still to fetch.
// Articles are served before other pages so that the queue stays short
// and pages reach the Handler early; a fixed set of workers pulls from it,
// so there is no goroutine per URL.
type frontier struct {
	mu       sync.Mutex
	known    map[string]time.Time // every URL of the run, with its discovery lastmod
	articles []task
	others   []task
	busy     int
	closed   bool
	wake     chan struct{} // closed and replaced whenever something changes
	articleN int           // article URLs known
	dropped  int           // URLs not queued because maxKnown was reached
}

func newFrontier() *frontier {
	return &frontier{known: map[string]time.Time{}, wake: make(chan struct{})}
}

// signal wakes every waiting worker. The caller holds mu.
func (f *frontier) signal() {
	close(f.wake)
	f.wake = make(chan struct{})
}

// add queues t unless its URL is already known; it reports whether it did.
// A known URL still takes t's lastmod, so that an article found by a link
// before the sitemap or API listed it is recorded with the source's date.
func (f *frontier) add(t task) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if old, ok := f.known[t.url]; ok || f.closed {
		if ok && t.lastmod.After(old) {
			f.known[t.url] = t.lastmod
		}
		return false
	}
	if len(f.known) >= maxKnown {
		f.dropped++
		return false
	}
	f.known[t.url] = t.lastmod
	if t.kind == KindArticle {
		f.articles = append(f.articles, t)
		f.articleN++
	} else {
		f.others = append(f.others, t)
	}
	f.signal()
	return true
}

// claim marks u known without queueing it (a redirect target fetched in
// place); it reports false when u was known already.
func (f *frontier) claim(u string, kind Kind) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.known[u]; ok {
		return false
	}
	f.known[u] = time.Time{}
	if kind == KindArticle {
		f.articleN++
	}
	return true
}

// isKnown reports whether u has been queued or claimed in this run.
func (f *frontier) isKnown(u string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, ok := f.known[u]
	return ok
}

// lastmod returns the newest lastmod a discovery source gave for u in
// this run; zero when none did.
func (f *frontier) lastmod(u string) time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.known[u]
}

// next hands out the next task. It returns false when the crawl is over:
// nothing queued and no worker busy (so nothing more can be found), the
// frontier closed, or ctx cancelled.
func (f *frontier) next(ctx context.Context) (task, bool) {
	for {
		f.mu.Lock()
		if f.closed {
			f.mu.Unlock()
			return task{}, false
		}
		var t task
		switch {
		case len(f.articles) > 0:
			t, f.articles[0] = f.articles[0], task{}
			f.articles = f.articles[1:]
		case len(f.others) > 0:
			t, f.others[0] = f.others[0], task{}
			f.others = f.others[1:]
		case f.busy == 0:
			f.closed = true
			f.signal()
			f.mu.Unlock()
			return task{}, false
		default:
			wake := f.wake
			f.mu.Unlock()
			select {
			case <-ctx.Done():
				return task{}, false
			case <-wake:
			}
			continue
		}
		f.busy++
		f.mu.Unlock()
		return t, true
	}
}

// hold counts a producer outside the workers (discovery) as busy, so that
// the crawl does not end while it may still add tasks; done releases it.
func (f *frontier) hold() {
	f.mu.Lock()
	f.busy++
	f.mu.Unlock()
}

// done tells the frontier that a task handed out by next is finished.
func (f *frontier) done() {
	f.mu.Lock()
	f.busy--
	f.signal()
	f.mu.Unlock()
}

// close ends the crawl: next returns false from now on.
func (f *frontier) close() {
	f.mu.Lock()
	if !f.closed {
		f.closed = true
		f.signal()
	}
	f.mu.Unlock()
}

// droppedCount returns how many URLs were not queued because maxKnown
// was reached.
func (f *frontier) droppedCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.dropped
}

// counts returns the number of URLs queued, known, and article URLs known.
func (f *frontier) counts() (queued, known, articles int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.articles) + len(f.others), len(f.known), f.articleN
}
