package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/warta-id/warta/configs"
	"github.com/warta-id/warta/crawler/demosite"
	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/index"
	"github.com/warta-id/warta/runlog"
	"github.com/warta-id/warta/web"
)

// demoHost is the name the demo site's pages carry. It never resolves
// (.test is reserved); the demo's transport connects it to the demo
// listener, so URLs and article ids are the same on every run whatever port
// the site got.
const demoHost = "demo.warta.test"

// demoQuery is the sample search the demo prints.
const demoQuery = "sawahlunto"

func newDemoCmd(e *env) *cobra.Command {
	var (
		articles int
		seed     int64
		serve    string
		allow    []string
		still    bool
	)
	cmd := &cobra.Command{
		Use:   "demo [--data DIR] [--articles N] [--serve ADDR]",
		Short: "crawl the built-in Sawahlunto-style demo site, archive it, index it and search it",
		Long: `Start the built-in demo site (a WordPress portal in the shape of the
Sawahlunto city site) on 127.0.0.1, crawl it into DIR (default ./warta-demo,
never mixed with real data), index it, print a summary and a sample search.
Run it again: the site moves on between runs (a few articles edited, a few
published, decided by the number of runs the archive holds), and only what
changed is fetched; edited articles get a new version (see warta history).
--still keeps the site as it was.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if articles < 1 || articles > 20000 {
				return usagef("demo: --articles %d: want 1 to 20000", articles)
			}
			if err := checkAllowHosts(allow); err != nil {
				return err
			}
			if serve != "" {
				if _, _, err := net.SplitHostPort(serve); err != nil {
					return usagef("demo: --serve %q: %v (want host:port, for example %s)", serve, err, serveDefaultAddr)
				}
			}
			dataDir := e.dataDir(cmd, demoDataDir)
			if err := runDemo(cmd.Context(), e, dataDir, demosite.Options{Seed: seed, Articles: articles}, !still); err != nil || serve == "" {
				return err
			}
			// The demo site is down by now: the UI replays from the archive.
			return serveWeb(cmd.Context(), e, dataDir, serve, allow)
		},
	}
	addDataFlag(cmd, demoDataDir)
	cmd.Flags().IntVar(&articles, "articles", 60, "number of articles on the demo site (up to 20000)")
	cmd.Flags().Int64Var(&seed, "seed", 1, "seed of the demo site's content")
	cmd.Flags().StringVar(&serve, "serve", "", "keep the web UI up on ADDR after the crawl")
	addAllowHostFlag(cmd, &allow)
	cmd.Flags().BoolVar(&still, "still", false, "keep the demo site as it was on the first run (no edits, no new articles)")
	return cmd
}

// Moves of the demo site per earlier run: articles edited, published.
const (
	demoEdits = 3
	demoAdds  = 2
)

// runDemo serves the demo site, crawls it into dataDir, and prints a
// sample search and what to try next. When moving, the site first moves
// on once per run the archive already holds, so each run finds a few
// edited and new articles, the same ones on every machine.
func runDemo(ctx context.Context, e *env, dataDir string, opt demosite.Options, moving bool) error {
	site := demosite.New(opt)
	var edited []string
	if moving {
		runs, err := runlog.List(dataDir, "demo", 0)
		if err != nil {
			return err
		}
		for range runs {
			edited = site.Edit(demoEdits)
			site.Add(demoAdds)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("demo: listen: %w", err)
	}
	siteCtx, stopSite := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- web.Serve(siteCtx, ln, site, web.ServeOptions{}) }()
	defer func() {
		stopSite()
		if err := <-served; err != nil {
			e.log.Warn("demo_site_stopped", "err", err)
		}
	}()
	e.log.Info("demo_site_started", "addr", ln.Addr().String(), "host", demoHost, "articles", opt.Articles)

	cfg, err := demoConfig()
	if err != nil {
		return err
	}
	recs, err := crawlSites(ctx, e, dataDir, cfg.Sites, "demo", demoTransport(ln.Addr().String()))
	if err != nil {
		return err
	}
	res, err := searchIndex(ctx, filepath.Join(dataDir, "index"), index.Request{Query: demoQuery, Limit: 5})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\nsample search %q:\n", demoQuery)
	if err := writeHitsTable(e.stdout, res); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\nthe archive is in %s; try:\n  %s\n  %s\n", dataDir,
		e.commandLine("search", "--data", dataDir, "banjir"),
		e.commandLine("search", "--data", dataDir, "--compare", "banjir", "--compare", "longsor", "--counts", "year", "--share"))
	if len(edited) > 0 && len(recs) > 0 && recs[0].Pipeline.Changed > 0 {
		id := extract.ArticleID(cfg.Sites[0].Name, "http://"+demoHost+edited[0])
		fmt.Fprintf(e.stdout, "articles were edited since the last run; see the versions of one:\n  %s\n  %s\n",
			e.commandLine("history", "--data", dataDir, id),
			e.commandLine("history", "--data", dataDir, id, "1", "2"))
		fmt.Fprintf(e.stdout, "or in the web UI, at /articles/%s:\n  %s\n", id,
			e.commandLine("serve", "--data", dataDir))
	} else if moving {
		fmt.Fprintf(e.stdout, "run the demo again: the site moves on, and the next run fetches only what changed\n")
	}
	return nil
}

// demoConfig returns the embedded demo profile.
func demoConfig() (*configs.Config, error) {
	return configs.Embedded("demo.yaml")
}

// demoTransport connects requests for demoHost to the demo site's listener
// and refuses every other address: the demo never leaves the machine.
func demoTransport(addr string) http.RoundTripper {
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Transport{
		DialContext: func(ctx context.Context, network, target string) (net.Conn, error) {
			host, _, err := net.SplitHostPort(target)
			if err != nil || host != demoHost {
				return nil, fmt.Errorf("demo: refusing to connect to %s: the demo only talks to its own site", target)
			}
			return dialer.DialContext(ctx, network, addr)
		},
		MaxIdleConnsPerHost:   16,
		IdleConnTimeout:       30 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
	}
}
