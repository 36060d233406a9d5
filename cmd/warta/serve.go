package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/warta-id/warta/configs"
	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/index"
	"github.com/warta-id/warta/web"
)

// serveDefaultAddr is where the web UI listens unless told otherwise: this
// machine only.
const serveDefaultAddr = "127.0.0.1:8080"

func newServeCmd(e *env) *cobra.Command {
	var (
		addr  string
		allow []string
	)
	cmd := &cobra.Command{
		Use:   "serve [--data DIR] [--addr 127.0.0.1:8080] [--allow-host HOST]...",
		Short: "serve the web UI and JSON API over an archive",
		Long: `Serve the web UI (search, articles with their versions and archived
pages, run status) and the JSON API (/api/search, /api/articles/ID,
/api/articles/ID/versions, /api/sites, /healthz, /metrics) over the archive
in DIR, read-only, until interrupted. It listens on 127.0.0.1 unless --addr
names another address.

It answers only requests whose Host is a loopback name (localhost,
127.0.0.1, [::1]), the address it listens on, or a host named with
--allow-host (repeatable); others get 421, so that no web page can reach
it through DNS rebinding.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkAllowHosts(allow); err != nil {
				return err
			}
			dataDir, err := e.archiveDir(cmd)
			if err != nil {
				return err
			}
			return serveWeb(cmd.Context(), e, dataDir, addr, allow)
		},
	}
	addDataFlag(cmd, defaultDataDir)
	cmd.Flags().StringVar(&addr, "addr", serveDefaultAddr, "address to listen on (host:port)")
	addAllowHostFlag(cmd, &allow)
	return cmd
}

// addAllowHostFlag adds --allow-host to a command that serves the web UI.
func addAllowHostFlag(cmd *cobra.Command, allow *[]string) {
	cmd.Flags().StringArrayVar(allow, "allow-host", nil, "also answer requests for this host name (repeatable; loopback names and the listen address always work)")
}

// checkAllowHosts refuses --allow-host values that are not host names or
// addresses (a URL, a path, an empty value).
func checkAllowHosts(hosts []string) error {
	for _, h := range hosts {
		if h == "" || strings.ContainsAny(h, "/ \t@?#") {
			return usagef("--allow-host %q: want a host name or address, for example warta.example.org or 192.0.2.7", h)
		}
	}
	return nil
}

// serveWeb opens the archive in dataDir read-only with its index and
// serves the web UI on addr until ctx is done, to the hosts web.AllowHosts
// lets in with allow.
func serveWeb(ctx context.Context, e *env, dataDir, addr string, allow []string) error {
	if _, err := os.Stat(filepath.Join(dataDir, "articles")); errors.Is(err, fs.ErrNotExist) {
		return usagef("serve: no archive in %s (crawl something first, for example `warta demo`, or give --data)", dataDir)
	}
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return usagef("serve: --addr %q: %v (want host:port, for example %s)", addr, err, serveDefaultAddr)
	}
	// Without an index, opening one would make an empty one, and every
	// search would find nothing in an archive full of articles.
	probe, err := index.Open(filepath.Join(dataDir, "index"), index.Options{NoCreate: true})
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("serve: no index in %s; rebuild it from the archive: %s", dataDir, e.commandLine("reindex", "--data", dataDir))
	}
	if err == nil {
		probe.Close()
	}
	store, idx, closeAll, err := openReader(e, dataDir)
	if err != nil {
		return err
	}
	defer closeAll()
	warnOutdated(ctx, e, idx, dataDir)
	srv, err := web.New(web.Options{
		Searcher: idx,
		Articles: store,
		Captures: store,
		DataDir:  dataDir,
		Sites:    webSites(e),
		Location: extract.DefaultLocation(),
		Logger:   e.log,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("serve: listen on %s: %w", addr, err)
	}
	fmt.Fprintf(e.stderr, "warta: serving %s on http://%s/ (Ctrl-C stops)\n", dataDir, ln.Addr())
	return srv.Serve(ctx, ln, hostCheck(addr, ln, allow))
}

// hostCheck is the Host rule of warta's web servers: loopback names, the
// address asked for and the one bound, and the --allow-host names.
func hostCheck(addr string, ln net.Listener, allow []string) func(http.Handler) http.Handler {
	return web.AllowHosts(append([]string{addr, ln.Addr().String()}, allow...)...)
}

// webSites lists the sites of the embedded configs, demo included, for
// their titles on the status page and their time zones.
func webSites(e *env) []web.Site {
	var sites []web.Site
	for _, s := range knownSites(e) {
		sites = append(sites, web.Site{Name: s.Name, Title: s.Title, BaseURL: s.BaseURL, Location: s.Location()})
	}
	return sites
}

// knownSites lists the sites of the embedded configs, demo included, each
// name once.
func knownSites(e *env) []*configs.Site {
	var sites []*configs.Site
	seen := map[string]bool{}
	add := func(cfg *configs.Config, err error) {
		if err != nil {
			e.log.Warn("config_not_loaded", "err", err)
			return
		}
		for _, s := range cfg.Sites {
			if !seen[s.Name] {
				seen[s.Name] = true
				sites = append(sites, s)
			}
		}
	}
	add(configs.Default())
	add(configs.Embedded("demo.yaml"))
	return sites
}

// dateZone is the time zone of --from and --to dates given without one:
// the zone of the site searched when it is a known site, else warta's
// default (Asia/Jakarta).
func dateZone(e *env, site string) *time.Location {
	if site != "" {
		for _, s := range knownSites(e) {
			if s.Name == site {
				return s.Location()
			}
		}
	}
	return extract.DefaultLocation()
}
