package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/warta-id/warta/archive"
	"github.com/warta-id/warta/configs"
	"github.com/warta-id/warta/crawler"
	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/index"
	"github.com/warta-id/warta/runlog"
)

// indexBatch is how many articles the pipeline hands the index at once;
// SITE-NOTES measured batches of 500-1000 as Bleve's fastest.
const indexBatch = 500

// pipeline is the crawler's Handler for one site: it archives every
// exchange, extracts articles, saves them and feeds the index. Data flows
// one way: crawler -> extract -> archive -> index.
type pipeline struct {
	site  *configs.Site
	store *archive.Store
	idx   *index.Index
	log   *slog.Logger

	mu      sync.Mutex // guards pending, counts and errs
	pending []*extract.Article
	counts  runlog.Counts
	errs    []runlog.PageError

	// images asks the crawler to fetch every new or changed article's
	// images into the archive.
	images bool
	// requisites asks the crawler for the page requisites of articles
	// (and for what their style sheets import).
	requisites bool

	// indexMu keeps batches in order while the other pages go on: a batch
	// is taken from pending under mu, then indexed under indexMu alone.
	indexMu sync.Mutex

	// tally, when set, counts every article kept (whatever SaveArticle
	// made of it), for a progress display that reads it at any time.
	tally *atomic.Int64

	// learner learns the site's chrome from the articles extracted (see
	// extract.SiteLearner); its hints go into every extraction, and it is
	// saved beside the site's articles at each flush.
	learner *extract.SiteLearner

	// cpu bounds the extractions that run at once to the processors:
	// extraction is CPU alone, and each one in progress holds its page's
	// tree in memory.
	cpu chan struct{}
}

func newPipeline(site *configs.Site, store *archive.Store, idx *index.Index, log *slog.Logger) *pipeline {
	return &pipeline{site: site, store: store, idx: idx, log: log, images: site.Images(), requisites: site.Requisites(),
		learner: loadLearner(store, site.Name, log), cpu: make(chan struct{}, runtime.GOMAXPROCS(0))}
}

// loadLearner returns what was learned about site's chrome on earlier
// runs, or a new learner: hints are derived data, so a file that cannot
// be read is logged and learned again, never a reason to stop.
func loadLearner(store *archive.Store, site string, log *slog.Logger) *extract.SiteLearner {
	data, err := store.SiteHints(site)
	if err == nil && data != nil {
		var l *extract.SiteLearner
		if l, err = extract.LoadSiteLearner(data); err == nil {
			return l
		}
	}
	if err != nil {
		log.Warn("site_hints_unreadable", "err", err)
	}
	return extract.NewSiteLearner()
}

// saveHints saves what the learner learned since it was last saved.
// A failure is logged: the articles are safe, and the hints are learned
// again on the next run.
func (p *pipeline) saveHints() {
	if !p.learner.Changed() {
		return
	}
	data, err := p.learner.MarshalJSON()
	if err == nil {
		err = p.store.SaveSiteHints(p.site.Name, data)
	}
	if err != nil {
		p.log.Warn("site_hints_not_saved", "err", err)
	}
}

// HandlePage implements crawler.Handler.
func (p *pipeline) HandlePage(ctx context.Context, page *crawler.Page) error {
	if _, err := p.store.SaveCapture(captureOf(page)); err != nil {
		return p.fail(page.URL, fmt.Errorf("archive capture: %w", err))
	}
	for _, part := range page.Parts {
		if _, err := p.store.SaveCapture(captureOf(part)); err != nil {
			return p.fail(part.URL, fmt.Errorf("archive capture: %w", err))
		}
	}
	p.mu.Lock()
	p.counts.Captures += 1 + len(page.Parts)
	p.mu.Unlock()
	if page.Kind == crawler.KindRequisite && p.requisites && page.Status == 200 && isCSS(page.Header.Get("Content-Type")) {
		// A style sheet's imports, fonts and background images are the
		// page's requisites too.
		page.Requisites = extract.CSSRequisites(page.Body, page.URL)
	}
	if page.Kind != crawler.KindArticle {
		return nil
	}
	return p.article(ctx, page)
}

// article extracts the article of page, archives it and queues it for the
// index. Pages that are not whole 200 responses, and pages without article
// text, are counted and left alone.
func (p *pipeline) article(ctx context.Context, page *crawler.Page) error {
	if page.Status != 200 || page.Truncated {
		return nil
	}
	art, err := p.extract(page)
	if errors.Is(err, extract.ErrNotArticle) {
		p.mu.Lock()
		p.counts.NotArticle++
		p.mu.Unlock()
		p.log.Debug("not_article", "url", page.URL)
		return nil
	}
	if err != nil {
		return p.fail(page.URL, err)
	}
	return p.keep(ctx, page, art)
}

// keep archives art, extracted from page, counts what became of it and
// queues it for the index.
func (p *pipeline) keep(ctx context.Context, page *crawler.Page, art *extract.Article) error {
	res, err := p.store.SaveArticle(art)
	if err != nil {
		return p.fail(page.URL, fmt.Errorf("archive article: %w", err))
	}
	if p.images && (res == archive.New || res == archive.Changed) {
		// The gallery belongs to the article: the crawler fetches its
		// images into the WARC, politely, after the articles.
		for _, img := range art.Images {
			page.Follow = append(page.Follow, img.URL)
		}
	}
	if p.tally != nil {
		p.tally.Add(1)
	}
	p.mu.Lock()
	switch res {
	case archive.New:
		p.counts.New++
	case archive.Changed:
		p.counts.Changed++
	case archive.Earlier:
		// An older version slid in behind the latest one: a change in
		// the article's history, but the index keeps the latest.
		p.counts.Changed++
		p.mu.Unlock()
		return nil
	case archive.Updated:
		// Same content, better metadata (a re-extraction found the
		// dateline, say): no new version, but the index must follow.
		p.counts.Updated++
	default:
		p.counts.Unchanged++
		p.mu.Unlock()
		return nil
	}
	p.pending = append(p.pending, art)
	full := len(p.pending) >= indexBatch
	p.mu.Unlock()
	if full {
		return p.flush(ctx)
	}
	return nil
}

// extract extracts the article of page. When the site's requisites are
// archived it lists them into page.Requisites too, from the same parse:
// the crawler asks for each once per crawl, and again on later crawls
// only conditionally, so listing them on every article costs no requests.
func (p *pipeline) extract(page *crawler.Page) (*extract.Article, error) {
	opt := extract.Options{
		Site:        p.site.Name,
		Profile:     p.site.Name,
		Rules:       p.site.Extract,
		ContentType: page.Header.Get("Content-Type"),
		FetchedAt:   page.FetchedAt,
		Location:    p.site.Location(),
		Hosts:       p.site.Hosts(),
		// The page's URL is its identity: the crawler followed its
		// rel=canonical when that names an article of the site, and the
		// capture is archived under it.
		KeepURL:   true,
		SiteTitle: p.site.Title,
		Hints:     p.learner.Hints(),
	}
	var art *extract.Article
	var err error
	p.cpu <- struct{}{}
	defer func() { <-p.cpu }()
	switch {
	case len(page.Parts) == 0 && p.requisites:
		art, page.Requisites, err = extract.ExtractRequisites(page.Body, page.URL, opt)
	case len(page.Parts) == 0:
		art, err = extract.Extract(page.Body, page.URL, opt)
	default:
		if p.requisites {
			page.Requisites = extract.Requisites(page.Body, page.URL)
		}
		bodies, urls := [][]byte{page.Body}, []string{page.URL}
		for _, part := range page.Parts {
			bodies, urls = append(bodies, part.Body), append(urls, part.URL)
		}
		art, err = extract.ExtractPages(bodies, urls, opt)
	}
	if err != nil {
		return nil, fmt.Errorf("extract: %w", err)
	}
	if art.Language == "" {
		art.Language = p.site.Language
	}
	p.learner.Learn(art)
	return art, nil
}

func (p *pipeline) fail(url string, err error) error {
	p.log.Debug("page_failed", "url", url, "err", err)
	if diskFull(err) {
		// Every later page would fail the same way: stop the crawl
		// rather than fetch on. The next run resumes where it stopped.
		err = fmt.Errorf("%w: disk full, free some space and run again to resume: %w", crawler.ErrAbort, err)
	}
	p.mu.Lock()
	p.counts.Errors++
	if len(p.errs) < 1000 {
		p.errs = append(p.errs, runlog.PageError{URL: url, Err: err.Error()})
	}
	p.mu.Unlock()
	return err
}

// diskFull reports whether err says that the disk (or the user's quota)
// has no room left.
func diskFull(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}

// flush saves the site hints learned so far and hands the articles
// pending so far to the index.
func (p *pipeline) flush(ctx context.Context) error {
	p.indexMu.Lock()
	defer p.indexMu.Unlock()
	p.saveHints()
	p.mu.Lock()
	batch := p.pending
	p.pending = nil
	p.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	// The index must see these even when the crawl was cancelled: they
	// are archived already, and an index behind its archive would hide them.
	if err := p.idx.Add(context.WithoutCancel(ctx), batch...); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	if err := p.idx.Flush(); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	return nil
}

func (p *pipeline) snapshot() (runlog.Counts, []runlog.PageError) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.counts, append([]runlog.PageError(nil), p.errs...)
}

// captureOf turns a crawled page into the archive's record of it.
func captureOf(pg *crawler.Page) *archive.Capture {
	return &archive.Capture{
		URL:           pg.URL,
		Method:        pg.Method,
		RequestHeader: pg.RequestHeader,
		Proto:         pg.Proto,
		Status:        pg.Status,
		Header:        pg.Header,
		Body:          pg.Body,
		FetchedAt:     pg.FetchedAt,
		Truncated:     pg.Truncated,
	}
}

// crawlerOptions maps a site config onto the crawler's options.
func crawlerOptions(site *configs.Site, statePath string, log *slog.Logger) crawler.Options {
	return crawler.Options{
		Site:              site.Name,
		StartURLs:         site.StartURLs,
		AllowedHosts:      site.Hosts(),
		ImageHosts:        site.ImageHosts,
		RequisiteMaxAge:   site.RequisiteMaxAge.D(),
		Discovery:         site.Discovery,
		ArticlePattern:    site.ArticleRE(),
		ListingPattern:    site.ListingRE(),
		Delay:             site.Delay.D(),
		Concurrency:       site.Concurrency,
		Timeout:           site.Timeout.D(),
		MaxPageBytes:      site.MaxPageBytes.N(),
		MaxPages:          site.MaxPages,
		MaxListingDepth:   site.MaxListingDepth,
		MaxBarrenListings: site.MaxBarrenListings,
		UserAgent:         site.UserAgent,
		StatePath:         statePath,
		Logger:            log,
	}
}

// emptyRunError is the error of a run of site that archived no article
// (none saved, none found unchanged, seen counts the articles the crawler
// found unchanged without handing them over) but had errors: such a run
// failed, though no single step stopped it (every article's save failing,
// say). It names the first error; nil for any other run.
func emptyRunError(site string, c runlog.Counts, seen, errs int, pageErrs []runlog.PageError) error {
	if errs == 0 || c.New+c.Changed+c.Updated+c.Unchanged+seen > 0 {
		return nil
	}
	first := ""
	if len(pageErrs) > 0 {
		first = fmt.Sprintf(" (the first: %s: %s)", pageErrs[0].URL, pageErrs[0].Err)
	}
	return fmt.Errorf("%s: no article archived and %s%s", site, plural(uint64(errs), "error", "errors"), first)
}

// printPageErrors prints the first page errors of a run, after its
// summary line; total is the count of all of them, more says where the
// rest are.
func printPageErrors(w io.Writer, errs []runlog.PageError, total int, more string) {
	for i, pe := range errs {
		if i == 5 {
			fmt.Fprintf(w, "  … and %d more errors (%s)\n", max(total, len(errs))-5, more)
			break
		}
		fmt.Fprintf(w, "  error: %s: %s\n", pe.URL, pe.Err)
	}
}

// isCSS reports whether a Content-Type is a style sheet's.
func isCSS(ctype string) bool {
	mt, _, _ := mime.ParseMediaType(ctype)
	return strings.EqualFold(mt, "text/css")
}
