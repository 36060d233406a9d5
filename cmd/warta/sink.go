package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/warta-id/warta/archive"
	"github.com/warta-id/warta/configs"
	"github.com/warta-id/warta/crawler"
	"github.com/warta-id/warta/index"
	"golang.org/x/sync/errgroup"
)

// sink turns archived or imported captures into articles: one pipeline per
// site over one store and one index.
type sink struct {
	e        *env
	store    *archive.Store
	idx      *index.Index
	closeAll func() error
	finder   siteFinder
	pipes    map[string]*pipeline
	adopted  map[string]*configs.Site // sites made for hosts no config names, by host

	// work runs the extraction and saving of pages on several goroutines,
	// so that a batch command uses every core and the archive's group
	// commit covers several captures with one fsync; at most sinkWorkers
	// at once, so memory stays bounded.
	work         errgroup.Group
	start        time.Time
	articles     atomic.Int64 // articles kept by the pipelines so far
	total        atomic.Int64 // articles expected, for the progress bar; 0 when unknown
	stopProgress func()
	refused      []error // hosts that could not become a site
}

// sinkWorkers is how many pages a sink extracts and saves at once: eight
// times the Go processors, so that while some wait for an fsync the
// others compute. In a trace of an import of 2,000 demo articles on two
// cores, 2 to 3 workers were waiting for an fsync (the WARC's group
// commit, an article file's) at any time: with 4 workers nothing was
// ready to run for 15% of the cores' time, with 8 for 5%. With the
// faster reader and the extra processor for fsyncs (3 on two cores),
// traces of 1,500 found 11-13% with 12 workers, 8.3-8.4% with 24, in two
// pairs of runs. Extraction, which holds a page's tree, stays bounded by
// the pipeline's CPU tokens.
func sinkWorkers() int { return max(8, 8*runtime.GOMAXPROCS(0)) }

// openSink opens the archive and index of dataDir for writing, with the
// sites of the config at configPath (the embedded ones when empty); a
// siteName files every page under that site. Its progress shows on stderr
// under label until close; with no label the caller shows its own.
func openSink(ctx context.Context, e *env, dataDir, configPath, siteName, label string) (*sink, error) {
	finder, err := finderFor(configPath, siteName)
	if err != nil {
		return nil, err
	}
	store, idx, closeAll, err := openWriter(ctx, e, dataDir)
	if err != nil {
		return nil, err
	}
	s := &sink{e: e, store: store, idx: idx, closeAll: closeAll, finder: finder, pipes: map[string]*pipeline{}, adopted: map[string]*configs.Site{}, start: time.Now()}
	s.work.SetLimit(sinkWorkers())
	s.stopProgress = func() {}
	if label != "" {
		s.stopProgress = startProgress(ctx, e, label, s.progress)
	}
	return s, nil
}

// do runs fn on one of the sink's workers, waiting while all are busy. fn
// must not touch the sink's maps: pipelineFor belongs to the caller.
func (s *sink) do(fn func()) {
	s.work.Go(func() error {
		fn()
		return nil
	})
}

// expect sets how many articles the run expects, the progress bar's end.
func (s *sink) expect(n int) { s.total.Store(int64(n)) }

// wait returns when the pages handed to do so far are done.
func (s *sink) wait() { _ = s.work.Wait() }

// progress reads the sink's counts for the progress display.
func (s *sink) progress() progressState {
	el := time.Since(s.start).Seconds()
	n := s.articles.Load()
	total := s.total.Load()
	if total <= 0 {
		total = -1
	}
	return progressState{Done: n, Total: total, Unit: "articles", Detail: fmt.Sprintf("%.0f articles/s", float64(n)/max(el, 1e-3))}
}

// pipelineFor returns the pipeline of the site rawURL belongs to; with
// adopt, a host no config names gets a site of its own.
func (s *sink) pipelineFor(rawURL string, adopt bool) *pipeline {
	site := s.finder.find(rawURL)
	if site == nil && adopt {
		if u, err := url.Parse(rawURL); err == nil && u.Host != "" {
			var seen bool
			if site, seen = s.adopted[u.Host]; !seen {
				var err error
				if site, err = configs.HostSite(u.Host); err != nil {
					// Once per host: its pages are left out, and the run
					// ends with this error.
					s.e.log.Warn("host_not_adopted", "host", u.Host, "err", err)
					s.refused = append(s.refused, fmt.Errorf("pages of %s left out: %w", u.Host, err))
				}
				s.adopted[u.Host] = site
			}
		}
	}
	if site == nil {
		return nil
	}
	p, ok := s.pipes[site.Name]
	if !ok {
		p = newPipeline(site, s.store, s.idx, s.e.log.With("site", site.Name))
		// No crawler follows the requisites of archived pages: listing
		// them would parse every page a second time for nothing.
		p.requisites = false
		p.tally = &s.articles
		s.pipes[site.Name] = p
	}
	return p
}

// close flushes every pipeline's pending articles to the index, prints
// their counts and closes the store and the index.
func (s *sink) close(ctx context.Context, verb string) error {
	s.wait()
	s.stopProgress()
	el := time.Since(s.start)
	errs := s.refused
	for name, p := range s.pipes {
		errs = append(errs, p.flush(ctx))
		c, pageErrs := p.snapshot()
		n := c.New + c.Changed + c.Updated + c.Unchanged
		fmt.Fprintf(s.e.stdout, "%s: %s %s (%d new, %d changed, %d updated, %d unchanged), %s without an article, %s; %.0f articles/s\n",
			name, verb, plural(uint64(n), "article", "articles"), c.New, c.Changed, c.Updated, c.Unchanged,
			plural(uint64(c.NotArticle), "page", "pages"), plural(uint64(c.Errors), "error", "errors"), float64(n)/max(el.Seconds(), 1e-3))
		printPageErrors(s.e.stdout, pageErrs, c.Errors, "--verbose logs each")
		errs = append(errs, emptyRunError(name, c, 0, c.Errors, pageErrs))
	}
	errs = append(errs, s.closeAll())
	return errors.Join(errs...)
}

// finderFor loads the sites captures are matched against: the config file,
// or every embedded config including the demo's.
func finderFor(configPath, siteName string) (siteFinder, error) {
	var sites []*configs.Site
	if configPath != "" {
		cfg, err := configs.Load(configPath)
		if err != nil {
			return siteFinder{}, err
		}
		sites = cfg.Sites
	} else {
		for _, name := range configs.EmbeddedNames() {
			cfg, err := configs.Embedded(name)
			if err != nil {
				return siteFinder{}, err
			}
			sites = append(sites, cfg.Sites...)
		}
	}
	f := siteFinder{sites: sites}
	if siteName != "" {
		for _, s := range sites {
			if s.Name == siteName {
				f.force = s
			}
		}
		if f.force == nil {
			return f, usagef("no site named %q in the config", siteName)
		}
	}
	return f, nil
}

// siteFinder tells which configured site a URL belongs to.
type siteFinder struct {
	sites []*configs.Site
	force *configs.Site
}

func (f siteFinder) find(raw string) *configs.Site {
	if f.force != nil {
		return f.force
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil
	}
	for _, s := range f.sites {
		for _, h := range s.Hosts() {
			if strings.EqualFold(h, u.Host) || strings.EqualFold(h, u.Hostname()) {
				return s
			}
		}
	}
	return nil
}

// articlePage presents an archived capture as the crawler would have
// handed it over.
func articlePage(c *archive.Capture) *crawler.Page {
	return &crawler.Page{
		Kind: crawler.KindArticle, URL: c.URL, RequestURL: c.URL, Method: c.Method,
		RequestHeader: c.RequestHeader, Proto: c.Proto, Status: c.Status, Header: c.Header,
		Body: c.Body, Truncated: c.Truncated, FetchedAt: c.FetchedAt,
	}
}

// isHTML reports whether a capture is an HTML page worth extracting.
func isHTML(c *archive.Capture) bool {
	ct := strings.ToLower(c.Header.Get("Content-Type"))
	return c.Status == 200 && (ct == "" || strings.Contains(ct, "html"))
}
