package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/warta-id/warta/archive"
	"github.com/warta-id/warta/configs"
	"github.com/warta-id/warta/crawler"
	"github.com/warta-id/warta/index"
	"github.com/warta-id/warta/runlog"
)

func newCrawlCmd(e *env) *cobra.Command {
	var configPath, siteName string
	cmd := &cobra.Command{
		Use:   "crawl [--config FILE] [--site NAME] [--data DIR]",
		Short: "crawl every site of a config once (or one site), archive and index what is new",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(configPath)
			if err != nil {
				return err
			}
			sites := cfg.Sites
			if siteName != "" {
				s, err := cfg.Site(siteName)
				if err != nil {
					return usageError{err}
				}
				sites = []*configs.Site{s}
			}
			_, err = crawlSites(cmd.Context(), e, e.dataDir(cmd, defaultDataDir), sites, "crawl", nil)
			return err
		},
	}
	addDataFlag(cmd, defaultDataDir)
	cmd.Flags().StringVar(&configPath, "config", "", "site config file (default: the configs built into warta)")
	cmd.Flags().StringVar(&siteName, "site", "", "crawl only the site with this name")
	return cmd
}

// loadConfig reads the config at path, or the embedded configs when path is
// empty.
func loadConfig(path string) (*configs.Config, error) {
	if path == "" {
		return configs.Default()
	}
	return configs.Load(path)
}

// crawlSites crawls each site in turn into dataDir, printing progress to
// stderr and a summary per site to stdout. transport, when not nil, carries
// every request (the demo uses it to reach its own site).
func crawlSites(ctx context.Context, e *env, dataDir string, sites []*configs.Site, trigger string, transport http.RoundTripper) ([]*runlog.Record, error) {
	store, idx, closeAll, err := openWriter(ctx, e, dataDir)
	if err != nil {
		return nil, err
	}
	defer closeAll()

	var results []*runlog.Record
	var failed []error
	for _, site := range sites {
		if ctx.Err() != nil {
			break
		}
		res, err := crawlSite(ctx, e, dataDir, site, trigger, store, idx, transport)
		if res != nil {
			results = append(results, res)
			printRun(e.stdout, res)
		}
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			// Stopped by SIGINT or SIGTERM: in-flight pages were finished
			// and written, state flushed; the next run resumes. That is a
			// clean stop, not a failure.
			fmt.Fprintf(e.stdout, "%s: interrupted; run again to resume\n", site.Name)
			break
		}
		if err != nil {
			e.log.Error("crawl_failed", "site", site.Name, "err", err)
			failed = append(failed, fmt.Errorf("%s: %w", site.Name, err))
		}
	}
	return results, errors.Join(failed...)
}

func crawlSite(ctx context.Context, e *env, dataDir string, site *configs.Site, trigger string, store *archive.Store, idx *index.Index, transport http.RoundTripper) (*runlog.Record, error) {
	statePath := filepath.Join(dataDir, "state", site.Name+".db")
	if err := os.MkdirAll(filepath.Dir(statePath), 0o755); err != nil {
		return nil, err
	}
	opt := crawlerOptions(site, statePath, e.log)
	opt.Transport = transport
	c, err := crawler.New(opt)
	if err != nil {
		return nil, usageError{err}
	}
	p := newPipeline(site, store, idx, e.log.With("site", site.Name))
	rec := &runlog.Record{Site: site.Name, Trigger: trigger, Started: time.Now(), Status: runlog.StatusRunning}
	stop := func() {}
	if trigger != "schedule" && trigger != "manual" {
		// A daemon runs sites side by side: bars would overwrite each
		// other, and its runs are reported in the run history.
		stop = startProgress(ctx, e, site.Name, func() progressState { return crawlProgress(c.Stats()) })
	}
	sum, runErr := c.Run(ctx, p)
	stop()
	err = errors.Join(runErr, p.flush(ctx))
	rec.Finished = time.Now()
	rec.Crawl = sum
	rec.Pipeline, rec.Errors = p.snapshot()
	if err == nil && ctx.Err() == nil && sum != nil {
		err = emptyRunError(site.Name, rec.Pipeline, sum.Unchanged+sum.NotModified, max(sum.ErrorCount, rec.Pipeline.Errors), crawlErrors(sum))
	}
	switch {
	case ctx.Err() != nil:
		rec.Status = runlog.StatusCancelled
	case err != nil:
		rec.Status = runlog.StatusFailed
	default:
		rec.Status = runlog.StatusOK
	}
	if err != nil {
		rec.Error = err.Error()
	}
	if werr := runlog.Write(dataDir, rec); werr != nil {
		e.log.Warn("run_summary_not_saved", "err", werr)
	}
	return rec, err
}

func printRun(w io.Writer, res *runlog.Record) {
	c := res.Pipeline
	var pages, untouched, errs int
	if sum := res.Crawl; sum != nil {
		pages, untouched, errs = sum.Pages, sum.Unchanged+sum.NotModified, sum.ErrorCount
	}
	fmt.Fprintf(w, "%s: %s fetched; %s archived (%d new, %d changed), %d unchanged; %s; %s\n",
		res.Site, plural(uint64(pages), "page", "pages"), plural(uint64(c.New+c.Changed), "article", "articles"),
		c.New, c.Changed, c.Unchanged+untouched, plural(uint64(max(errs, c.Errors)), "error", "errors"),
		res.Duration().Round(10*time.Millisecond))
	printPageErrors(w, crawlErrors(res.Crawl), errs, "see the run record under runs/")
}

// crawlErrors is the crawler's list of failed pages. It includes the
// pipeline's failures (a Handler error fails the page), so it is the one
// to report.
func crawlErrors(sum *crawler.Summary) []runlog.PageError {
	if sum == nil {
		return nil
	}
	out := make([]runlog.PageError, 0, len(sum.Errors))
	for _, pe := range sum.Errors {
		out = append(out, runlog.PageError{URL: pe.URL, Err: pe.Message})
	}
	return out
}

// crawlProgress reads a crawl's stats as the progress display wants them:
// pages done out of the URLs known so far.
func crawlProgress(s crawler.Stats) progressState {
	return progressState{
		Done:   s.Pages + s.Unchanged,
		Total:  s.Pages + s.Unchanged + s.Queued,
		Detail: fmt.Sprintf("articles %d/%d, errors %d", s.Articles+s.NotModified+s.Unchanged, s.ArticlesKnown, s.Errors),
	}
}
