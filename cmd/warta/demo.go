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
	"github.com/warta-id/warta/index"
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
	)
	cmd := &cobra.Command{
		Use:   "demo [--data DIR] [--articles N] [--serve ADDR]",
		Short: "crawl the built-in Sawahlunto-style demo site, archive it, index it and search it",
		Long: `Start the built-in demo site (a WordPress portal in the shape of the
Sawahlunto city site) on 127.0.0.1, crawl it into DIR (default ./warta-demo,
never mixed with real data), index it, print a summary and a sample search.
Run it again: only what changed is fetched, nothing is duplicated.`,
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
			if err := runDemo(cmd.Context(), e, dataDir, demosite.Options{Seed: seed, Articles: articles}); err != nil || serve == "" {
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
	return cmd
}

func runDemo(ctx context.Context, e *env, dataDir string, opt demosite.Options) error {
	site := demosite.New(opt)
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
	if _, err := crawlSites(ctx, e, dataDir, cfg.Sites, "demo", demoTransport(ln.Addr().String())); err != nil {
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
	fmt.Fprintf(e.stdout, "\nthe archive is in %s; try: warta search --data %s banjir\n", dataDir, dataDir)
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
