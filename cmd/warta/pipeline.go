package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
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

	// indexer commits the batches taken from pending on a goroutine of
	// its own, so that no crawl worker waits for a Bleve commit.
	indexer indexer
	// behind marks, durably, that articles this pipeline archived may be
	// missing from the index.
	behind behindMark

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
	p := &pipeline{site: site, store: store, idx: idx, log: log, images: site.Images(), requisites: site.Requisites(),
		learner: loadLearner(store, site.Name, log), cpu: make(chan struct{}, runtime.GOMAXPROCS(0)),
		behind: behindMark{path: behindPath(store.Dir(), site.Name)}}
	p.indexer.commit = p.commit
	return p
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
//
// A page's captures are appended to the WARC file first and made durable
// last: the page is extracted while a group commit syncs the file, and
// the article is saved only once its captures are on disk, as before. A
// trace of the pipeline found the crawl workers waiting for the WARC's
// sync while a core had nothing to run; an extraction now fills part of
// that wait.
func (p *pipeline) HandlePage(ctx context.Context, page *crawler.Page) error {
	settle, err := p.saveCaptures(page)
	if err != nil {
		return err
	}
	if page.Kind == crawler.KindRequisite && p.requisites && page.Status == 200 && isCSS(page.Header.Get("Content-Type")) {
		// A style sheet's imports, fonts and background images are the
		// page's requisites too.
		page.Requisites = extract.CSSRequisites(page.Body, page.URL)
	}
	if page.Kind != crawler.KindArticle || page.Status != 200 {
		return settle()
	}
	if cut := truncated(page); cut != nil {
		// Its capture is archived as it came; an article extracted from
		// the part that fitted would pass for the whole. The error keeps
		// the crawler from marking it done, so the next run tries again.
		if err := settle(); err != nil {
			return err
		}
		return p.fail(cut.URL, fmt.Errorf("article page cut at %d bytes, the site's max_page_bytes: not extracted (raise max_page_bytes to archive it)", len(cut.Body)))
	}
	if kind := notText(page.Body); kind != "" {
		// A JPEG served as text/html read as an article of mojibake.
		if err := settle(); err != nil {
			return err
		}
		return p.fail(page.URL, fmt.Errorf("article page is not text: its bytes are %s (served as %q); not extracted", kind, page.Header.Get("Content-Type")))
	}
	art, err := p.extract(page)
	if err := settle(); err != nil {
		return err
	}
	return p.extracted(ctx, page, art, err)
}

// notText returns the type the first bytes of body show when that is not
// text (an image, a PDF, an archive, binary data), or "" for text. The
// server's Content-Type is not asked: a page it calls image/jpeg may be
// HTML, and a JPEG it calls text/html is no article.
func notText(body []byte) string {
	kind := http.DetectContentType(body)
	if strings.HasPrefix(kind, "text/") {
		return ""
	}
	kind, _, _ = strings.Cut(kind, ";")
	return kind
}

// truncated returns the first of page and its parts that was cut at the
// size limit, or nil.
func truncated(page *crawler.Page) *crawler.Page {
	if page.Truncated {
		return page
	}
	for _, part := range page.Parts {
		if part.Truncated {
			return part
		}
	}
	return nil
}

// saveCaptures appends the captures of page and of its parts to the WARC
// file, and returns settle, which waits until they are durable and counts
// them. Until settle returns nil they may be lost in a crash.
func (p *pipeline) saveCaptures(page *crawler.Page) (settle func() error, err error) {
	nth := func(i int) *crawler.Page { // the page, then its parts
		if i == 0 {
			return page
		}
		return page.Parts[i-1]
	}
	pending := make([]func() error, 1+len(page.Parts))
	for i := range pending {
		pg := nth(i)
		if _, pending[i], err = p.store.SaveCaptureUnsynced(captureOf(pg)); err != nil {
			return nil, p.fail(pg.URL, fmt.Errorf("archive capture: %w", err))
		}
	}
	return func() error {
		for i, s := range pending {
			if err := s(); err != nil {
				return p.fail(nth(i).URL, fmt.Errorf("archive capture: %w", err))
			}
		}
		p.mu.Lock()
		p.counts.Captures += len(pending)
		p.mu.Unlock()
		return nil
	}, nil
}

// article extracts the article of page, archives it and queues it for the
// index. Pages that are not whole 200 responses, and pages without article
// text, are counted and left alone.
func (p *pipeline) article(ctx context.Context, page *crawler.Page) error {
	if page.Status != 200 || page.Truncated {
		return nil
	}
	art, err := p.extract(page)
	return p.extracted(ctx, page, art, err)
}

// extracted archives art, what extracting page gave with err, and queues
// it for the index; a page without article text is counted and left
// alone.
func (p *pipeline) extracted(ctx context.Context, page *crawler.Page, art *extract.Article, err error) error {
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
	// The mark goes to disk before the article: a kill after the save
	// and before the index commit must leave it.
	if err := p.behind.add(1); err != nil {
		return p.fail(page.URL, err)
	}
	res, err := p.store.SaveArticle(art)
	if err != nil {
		p.behind.done(1)
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
		p.behind.done(1)
		return nil
	case archive.Updated:
		// Same content, better metadata (a re-extraction found the
		// dateline, say): no new version, but the index must follow.
		p.counts.Updated++
	default:
		p.counts.Unchanged++
		p.mu.Unlock()
		p.behind.done(1)
		return nil
	}
	p.pending = append(p.pending, art)
	full := len(p.pending) >= indexBatch
	p.mu.Unlock()
	if full {
		// The errors of the batches committed meanwhile are this page's,
		// as a batch's error was the page's that filled it when the
		// batch was committed here.
		return p.indexer.put(ctx, func() []*extract.Article { return p.take(indexBatch) })
	}
	return nil
}

// take takes the articles pending for the index when there are at least
// least of them.
func (p *pipeline) take(least int) []*extract.Article {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.pending) < max(least, 1) {
		return nil
	}
	batch := p.pending
	p.pending = nil
	return batch
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

// flush hands the articles pending so far to the index and waits until
// every batch handed over is committed, with the site hints learned so
// far saved. It returns the index errors no page returned yet; when there
// are none and no article is on its way, the index holds everything this
// pipeline archived, and the mark that says otherwise goes.
func (p *pipeline) flush(ctx context.Context) error {
	err := errors.Join(p.indexer.put(ctx, func() []*extract.Article { return p.take(0) }), p.indexer.wait())
	p.saveHints()
	if err == nil {
		p.behind.clear(p.log)
	}
	return err
}

// commit saves the site hints learned so far and commits batch to the
// index. The index must see the batch even when the crawl was cancelled:
// it is archived already, and an index behind its archive would hide it.
func (p *pipeline) commit(ctx context.Context, batch []*extract.Article) error {
	p.saveHints()
	err := p.idx.Add(context.WithoutCancel(ctx), batch...)
	if err == nil {
		err = p.idx.Flush()
	}
	if err != nil {
		return fmt.Errorf("index: %w", err)
	}
	p.behind.done(len(batch))
	return nil
}

// indexer commits batches on a goroutine of its own, in the order they
// were handed over, so that the goroutine that fills a batch goes on at
// once. At most two batches are handed over and not yet committed (one
// committing, one waiting): a third waits for the first, so memory stays
// bounded and a slow index slows the crawl rather than filling memory.
type indexer struct {
	commit func(context.Context, []*extract.Article) error

	mu    sync.Mutex              // held while handing over, so that batches keep their order
	slots chan struct{}           // one per batch handed over and not yet committed
	queue chan []*extract.Article // nil while no goroutine runs
	done  chan struct{}           // closed when the goroutine ends

	errMu sync.Mutex
	err   error // of the batches committed since put or wait last returned
}

// maxUncommitted is how many batches the indexer holds at most.
const maxUncommitted = 2

// put hands the batch take returns (none when it returns none) to the
// commit goroutine, starting it if need be, after waiting while
// maxUncommitted batches are uncommitted. It returns the errors of the
// batches committed since put or wait last returned.
func (x *indexer) put(ctx context.Context, take func() []*extract.Article) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.queue == nil {
		x.slots = make(chan struct{}, maxUncommitted)
		x.queue, x.done = make(chan []*extract.Article, maxUncommitted), make(chan struct{})
		go x.run(context.WithoutCancel(ctx), x.queue, x.done)
	}
	x.slots <- struct{}{}
	// Taken only now: the articles that came while the slot was awaited
	// go with this batch.
	if batch := take(); len(batch) > 0 {
		x.queue <- batch
	} else {
		<-x.slots
	}
	return x.takeErr()
}

// wait returns when every batch handed over is committed, with the
// errors of those committed since put or wait last returned. It ends the
// commit goroutine; the next put starts another.
func (x *indexer) wait() error {
	x.mu.Lock()
	if x.queue != nil {
		close(x.queue)
		<-x.done
		x.queue = nil
	}
	x.mu.Unlock()
	return x.takeErr()
}

func (x *indexer) run(ctx context.Context, queue <-chan []*extract.Article, done chan<- struct{}) {
	defer close(done)
	for batch := range queue {
		if err := x.commit(ctx, batch); err != nil {
			x.errMu.Lock()
			x.err = errors.Join(x.err, err)
			x.errMu.Unlock()
		}
		<-x.slots
	}
}

func (x *indexer) takeErr() error {
	x.errMu.Lock()
	defer x.errMu.Unlock()
	err := x.err
	x.err = nil
	return err
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
		MaxCrawlDelay:     site.MaxCrawlDelay.D(),
		MaxHostFailures:   site.MaxHostFailures,
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
