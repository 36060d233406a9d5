package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/warta-id/warta/archive"
	"github.com/warta-id/warta/backfill"
	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/index"
)

func newBackfillCmd(e *env) *cobra.Command {
	var configPath, siteName, from, to string
	var opt backfill.Options
	cmd := &cobra.Command{
		Use:   "backfill --site NAME [--config FILE] [--data DIR] [--from DATE] [--to DATE] [--source wayback|commoncrawl] [--wayback BASE_URL] [--cdx URL] [--replay URL-PREFIX] [--cc-index URL] [--cc-data URL] [--delay DURATION]",
		Short: "import a site's past captures from a Wayback-compatible archive or Common Crawl into the archive and index",
		Long: `Rebuild a site's past from the web archives that kept it. The captures of
the site's hosts (http and https, with and without www.) that match its
article_pattern are listed in the archive's index, fetched as they were
captured, one request a second by default, and go through the same
extraction, article files and index as a crawl. Each becomes a WARC
capture dated at its capture time, naming the archive's copy in
WARC-Source-URI. The same content captured again is one version; changed
content gives versions in capture order, and a live capture newer than
every archived one stays current. Interrupted, a run resumes where it
stopped.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if siteName == "" {
				return usagef("backfill: --site is required")
			}
			cfg, err := loadConfig(configPath)
			if err != nil {
				return err
			}
			site, err := cfg.Site(siteName)
			if err != nil {
				return usageError{err}
			}
			if opt.From, err = index.ParseDate(from, false, site.Location()); err != nil {
				return usagef("backfill: --from: %v", err)
			}
			if opt.To, err = index.ParseDate(to, true, site.Location()); err != nil {
				return usagef("backfill: --to: %v", err)
			}
			if opt.Identity, err = backfill.NewIdentity(site.BaseURL, site.Hosts(), site.ArticleRE()); err != nil {
				return usageError{err}
			}
			if opt.Delay == 0 {
				opt.Delay = -1 // --delay 0 asks for no pause; the option's zero is the default
			}
			dataDir := e.dataDir(cmd, defaultDataDir)
			opt.Site = site.Name
			opt.StatePath = filepath.Join(dataDir, "state", "backfill-"+site.Name+".db")
			opt.MaxBytes = site.MaxPageBytes.N()
			opt.UserAgent = site.UserAgent
			opt.Logger = e.log.With("site", site.Name)
			if _, err := backfill.New(opt); err != nil {
				return usageError{err}
			}
			ctx := cmd.Context()
			s, err := openSink(ctx, e, dataDir, configPath, site.Name, "")
			if err != nil {
				return err
			}
			p := s.pipelineFor(site.BaseURL, false)
			opt.Have = func(ctx context.Context, c backfill.Capture) (bool, error) {
				return archivedCapture(ctx, s, p, opt.Identity, opt.Source, c)
			}
			b, err := backfill.New(opt)
			if err != nil {
				return errors.Join(err, s.close(ctx, "backfilled"))
			}
			stop := startProgress(ctx, e, "backfill "+site.Name, func() progressState {
				st := b.Stats()
				c, _ := p.snapshot()
				total := st.Selected
				if total == 0 {
					total = -1 // still listing
				}
				return progressState{
					Done:  st.Done + st.Fetched + st.Skipped + st.Failed,
					Total: total,
					Unit:  "captures",
					Detail: fmt.Sprintf("listed %d, fetched %d, articles %d new %d changed, %.2f req/s",
						st.Listed, st.Fetched, c.New, c.Changed, rate(st)),
				}
			})
			runErr := b.Run(ctx, func(ctx context.Context, f *backfill.Fetched) error {
				return keepFetched(ctx, s, p, opt.Identity, f)
			})
			stop()
			st := b.Stats()
			c, _ := p.snapshot()
			fmt.Fprintf(e.stdout, "%s: backfill from %s: %d captures listed, %d article captures to fetch (%d done before), %d fetched, %d skipped, %d failed; articles %d new, %d changed, %d unchanged; %d requests, %.2f requests/s, %s\n",
				site.Name, sourceName(opt), st.Listed, st.Selected, st.Done, st.Fetched, st.Skipped, st.Failed,
				c.New, c.Changed, c.Unchanged, st.Requests, rate(st), time.Since(st.Started).Round(time.Second))
			closeErr := s.close(ctx, "backfilled")
			if ctx.Err() != nil && errors.Is(runErr, ctx.Err()) {
				fmt.Fprintf(e.stdout, "%s: interrupted; run again to resume\n", site.Name)
				return closeErr
			}
			if c.Errors == 0 && runErr == nil {
				// Failed fetches are the backfill's own errors: a run of
				// nothing but those failed (close counted the saves').
				runErr = emptyRunError(site.Name, c, int(st.Done+st.Skipped), int(st.Failed), nil)
			}
			return errors.Join(runErr, closeErr)
		},
	}
	addDataFlag(cmd, defaultDataDir)
	f := cmd.Flags()
	f.StringVar(&siteName, "site", "", "the site to backfill (required)")
	f.StringVar(&configPath, "config", "", "site config file (default: the configs built into warta)")
	f.StringVar(&from, "from", "", "earliest capture date (YYYY-MM-DD or RFC 3339)")
	f.StringVar(&to, "to", "", "latest capture date (YYYY-MM-DD or RFC 3339)")
	f.StringVar(&opt.Source, "source", backfill.Wayback, "wayback or commoncrawl")
	f.StringVar(&opt.Wayback, "wayback", backfill.DefaultWayback, "base URL of a Wayback-compatible archive")
	f.StringVar(&opt.CDX, "cdx", "", "the archive's CDX endpoint (default BASE_URL/cdx/search/cdx; pywb: BASE/{collection}/cdx)")
	f.StringVar(&opt.Replay, "replay", "", "the archive's replay prefix (default BASE_URL/web/; pywb: BASE/{collection}/)")
	f.StringVar(&opt.CCIndex, "cc-index", backfill.DefaultCCIndex, "Common Crawl index server")
	f.StringVar(&opt.CCData, "cc-data", backfill.DefaultCCData, "Common Crawl data server")
	f.DurationVar(&opt.Delay, "delay", backfill.DefaultDelay, "least time between two requests to one archive host (0: none)")
	return cmd
}

// keepFetched archives one capture from a web archive and, when it is an
// article, extracts it through the site's pipeline. Only a capture the
// archive could not keep is an error: the backfill stops, and fetches it
// again next time.
func keepFetched(ctx context.Context, s *sink, p *pipeline, id *backfill.Identity, f *backfill.Fetched) error {
	var c *archive.Capture
	if f.Record != nil {
		err := archive.ImportRecords(ctx, f.SourceURL, f.Record, func(rc *archive.Capture) error {
			c = rc
			return nil
		})
		if err != nil || c == nil {
			p.log.Warn("capture_unreadable", "url", f.URL, "source", f.SourceURL, "err", err)
			return nil
		}
	} else {
		c = &archive.Capture{URL: f.URL, Proto: f.Proto, Status: f.Status, Header: f.Header, Body: f.Body, FetchedAt: f.Time, Truncated: f.Truncated}
		archive.DecodeBody(c, archive.MaxImportBody)
	}
	c.Method = http.MethodGet
	c.Source = f.SourceURL
	if c.FetchedAt.IsZero() {
		c.FetchedAt = f.Time
	}
	if _, err := s.store.SaveCapture(c); err != nil {
		return err
	}
	p.mu.Lock()
	p.counts.Captures++
	p.mu.Unlock()
	keepArticle(ctx, p, id, c, f.Article, f.Source)
	return nil
}

// archivedCapture finds capture bc in the archive, for a run that was
// killed after archiving it but before the backfill state noted it; when
// there, its article is extracted (again, harmlessly) and it is not
// fetched.
func archivedCapture(ctx context.Context, s *sink, p *pipeline, id *backfill.Identity, source string, bc backfill.Capture) (bool, error) {
	es, err := s.store.Captures(bc.URL)
	if err != nil {
		return false, err
	}
	for _, e := range es {
		if e.URL != bc.URL || !e.Time.Equal(bc.Time) {
			continue
		}
		c, err := s.store.ReadCapture(e.Ref)
		if err != nil || c.Source == "" {
			continue // a capture of our own crawl in the same second
		}
		article, _ := id.Article(bc.URL)
		keepArticle(ctx, p, id, c, article, source)
		return true, nil
	}
	return false, nil
}

// keepArticle extracts the article of archived capture c, whose preferred
// URL is article ("" when it is not an article), and saves it as a
// version from source. Failures are counted by the pipeline: one bad page
// does not stop a backfill.
func keepArticle(ctx context.Context, p *pipeline, id *backfill.Identity, c *archive.Capture, article, source string) {
	if article == "" || !isHTML(c) || c.Truncated {
		return
	}
	page := articlePage(c)
	page.URL = article
	art, err := p.extract(page)
	if errors.Is(err, extract.ErrNotArticle) {
		p.mu.Lock()
		p.counts.NotArticle++
		p.mu.Unlock()
		return
	}
	if err != nil {
		_ = p.fail(c.URL, err)
		return
	}
	// One article whatever URL variant the archive kept, or the page's
	// canonical link named in the year it was captured.
	if u, ok := id.Article(art.URL); ok {
		art.URL = u
	} else {
		art.URL = article
	}
	art.ID = extract.ArticleID(p.site.Name, art.URL)
	art.Source, art.SourceURL = source, c.Source
	_ = p.keep(ctx, page, art)
}

// rate is the requests per second so far.
func rate(st backfill.Stats) float64 {
	if d := time.Since(st.Started).Seconds(); d > 0 && !st.Started.IsZero() {
		return float64(st.Requests) / d
	}
	return 0
}

// sourceName names the archive for the summary: wayback (its host) or
// commoncrawl.
func sourceName(opt backfill.Options) string {
	if opt.Source == backfill.CommonCrawl {
		return backfill.CommonCrawl
	}
	base := opt.CDX
	if base == "" {
		base = opt.Wayback
	}
	if u, err := url.Parse(base); err == nil {
		return "wayback (" + u.Host + ")"
	}
	return backfill.Wayback
}
