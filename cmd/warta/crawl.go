package main

import (
	"context"
	"encoding/json"
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
			_, err = crawlSites(cmd.Context(), e, e.dataDir(cmd, defaultDataDir), sites, nil)
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
func crawlSites(ctx context.Context, e *env, dataDir string, sites []*configs.Site, transport http.RoundTripper) ([]*runResult, error) {
	store, err := archive.Open(dataDir, archive.Options{Logger: e.log, Software: "warta/" + version})
	if err != nil {
		return nil, err
	}
	defer store.Close()
	idx, err := index.Open(filepath.Join(dataDir, "index"), index.Options{Logger: e.log})
	if err != nil {
		return nil, err
	}
	defer idx.Close()

	var results []*runResult
	var failed []error
	for _, site := range sites {
		if ctx.Err() != nil {
			break
		}
		res, err := crawlSite(ctx, e, dataDir, site, store, idx, transport)
		if res != nil {
			results = append(results, res)
			printRun(e.stdout, res)
		}
		if err != nil {
			e.log.Error("crawl_failed", "site", site.Name, "err", err)
			failed = append(failed, fmt.Errorf("%s: %w", site.Name, err))
		}
	}
	return results, errors.Join(failed...)
}

func crawlSite(ctx context.Context, e *env, dataDir string, site *configs.Site, store *archive.Store, idx *index.Index, transport http.RoundTripper) (*runResult, error) {
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
	res := &runResult{Site: site.Name, Started: time.Now()}
	stop := startProgress(ctx, e, site.Name, func() progressState { return crawlProgress(c.Stats()) })
	sum, runErr := c.Run(ctx, p)
	stop()
	flushErr := p.flush(ctx)
	res.Finished = time.Now()
	res.Crawl = sum
	res.Pipeline, res.Errors = p.snapshot()
	if err := saveRun(dataDir, res); err != nil {
		e.log.Warn("run_summary_not_saved", "err", err)
	}
	return res, errors.Join(runErr, flushErr)
}

// saveRun keeps the run's summary as JSON under DATA/runs/.
func saveRun(dataDir string, res *runResult) error {
	dir := filepath.Join(dataDir, "runs")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	data, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	name := fmt.Sprintf("%s-%s.json", res.Site, res.Started.UTC().Format("20060102T150405Z"))
	return os.WriteFile(filepath.Join(dir, name), data, 0o644)
}

func printRun(w io.Writer, res *runResult) {
	c := res.Pipeline
	pages := 0
	if res.Crawl != nil {
		pages = res.Crawl.Pages
	}
	fmt.Fprintf(w, "%s: %d pages fetched, %d articles (%d new, %d changed, %d unchanged), %d errors, %s\n",
		res.Site, pages, c.New+c.Changed+c.Unchanged, c.New, c.Changed, c.Unchanged, c.Errors,
		res.Finished.Sub(res.Started).Round(10*time.Millisecond))
	for i, pe := range res.Errors {
		if i == 5 {
			fmt.Fprintf(w, "  … and %d more errors (see the run summary under runs/)\n", len(res.Errors)-5)
			break
		}
		fmt.Fprintf(w, "  error: %s: %s\n", pe.URL, pe.Err)
	}
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
