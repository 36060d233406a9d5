package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/spf13/cobra"

	"github.com/warta-id/warta/archive"
	"github.com/warta-id/warta/configs"
	"github.com/warta-id/warta/index"
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
}

// openSink opens the archive and index of dataDir for writing, with the
// sites of the config at configPath (the embedded ones when empty); a
// siteName files every page under that site.
func openSink(ctx context.Context, e *env, dataDir, configPath, siteName string) (*sink, error) {
	finder, err := finderFor(configPath, siteName)
	if err != nil {
		return nil, err
	}
	store, idx, closeAll, err := openWriter(ctx, e, dataDir)
	if err != nil {
		return nil, err
	}
	return &sink{e: e, store: store, idx: idx, closeAll: closeAll, finder: finder, pipes: map[string]*pipeline{}, adopted: map[string]*configs.Site{}}, nil
}

// pipelineFor returns the pipeline of the site rawURL belongs to; with
// adopt, a host no config names gets a site of its own.
func (s *sink) pipelineFor(rawURL string, adopt bool) *pipeline {
	site := s.finder.find(rawURL)
	if site == nil && adopt {
		if u, err := url.Parse(rawURL); err == nil && u.Host != "" {
			site = s.adopted[u.Host]
			if site == nil {
				site = hostSite(u.Host)
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
		s.pipes[site.Name] = p
	}
	return p
}

// close flushes every pipeline's pending articles to the index, prints
// their counts and closes the store and the index.
func (s *sink) close(ctx context.Context, verb string) error {
	var errs []error
	for name, p := range s.pipes {
		errs = append(errs, p.flush(ctx))
		c, _ := p.snapshot()
		fmt.Fprintf(s.e.stdout, "%s: %s %d articles (%d new, %d changed, %d updated, %d unchanged), %d pages without an article, %d errors\n",
			name, verb, c.New+c.Changed+c.Updated+c.Unchanged, c.New, c.Changed, c.Updated, c.Unchanged, c.NotArticle, c.Errors)
	}
	errs = append(errs, s.closeAll())
	return errors.Join(errs...)
}

func newReextractCmd(e *env) *cobra.Command {
	var configPath, siteName string
	cmd := &cobra.Command{
		Use:   "reextract [--data DIR] [--config FILE] [--site NAME]",
		Short: "run extraction again over the archived captures (no network) and update articles and index",
		Long: `Run extraction again over the latest archived capture of every page, with
the current extractor and site profiles, without touching the network.
Articles whose extraction changed get a new version; the index follows.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, err := openSink(ctx, e, e.dataDir(cmd, defaultDataDir), configPath, siteName)
			if err != nil {
				return err
			}
			// The latest whole capture of each URL is the one to extract
			// again; older ones were superseded by it.
			walkErr := s.store.WalkLatestCaptures(ctx, func(c *archive.Capture, _ archive.Ref) error {
				if !isHTML(c) {
					return nil
				}
				p := s.pipelineFor(c.URL, false)
				if p == nil || (p.site.ArticleRE() != nil && !p.site.ArticleRE().MatchString(c.URL)) {
					return nil
				}
				_ = p.article(ctx, articlePage(c)) // counted by the pipeline
				return nil
			})
			return errors.Join(walkErr, s.close(ctx, "re-extracted"))
		},
	}
	addDataFlag(cmd, defaultDataDir)
	cmd.Flags().StringVar(&configPath, "config", "", "site config file (default: the configs built into warta, demo included)")
	cmd.Flags().StringVar(&siteName, "site", "", "treat every capture as a page of this site")
	return cmd
}

func newImportCmd(e *env) *cobra.Command {
	var configPath, siteName string
	cmd := &cobra.Command{
		Use:   "import [--data DIR] [--config FILE] [--site NAME] FILE.warc[.gz]...",
		Short: "ingest WARC files made by other crawlers (wget, Heritrix...) as captures and articles",
		Long: `Read WARC files made by other crawlers and keep their HTTP responses as
captures in the archive; every HTML page with article text becomes an
article of the site whose hosts it matches (--site forces one; a host no
config names becomes a site of its own).`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("import: want at least one WARC file")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, err := openSink(ctx, e, e.dataDir(cmd, defaultDataDir), configPath, siteName)
			if err != nil {
				return err
			}
			var errs []error
			for _, file := range args {
				n := 0
				err := archive.Import(ctx, file, func(c *archive.Capture) error {
					n++
					if _, err := s.store.SaveCapture(c); err != nil {
						return err
					}
					if !isHTML(c) {
						return nil
					}
					if p := s.pipelineFor(c.URL, true); p != nil {
						_ = p.article(ctx, articlePage(c)) // counted by the pipeline
					}
					return nil
				})
				if err != nil {
					errs = append(errs, fmt.Errorf("import %s: %w", file, err))
				}
				e.log.Info("imported", "file", file, "captures", n)
			}
			return errors.Join(errors.Join(errs...), s.close(ctx, "imported"))
		},
	}
	addDataFlag(cmd, defaultDataDir)
	cmd.Flags().StringVar(&configPath, "config", "", "site config file (default: the configs built into warta, demo included)")
	cmd.Flags().StringVar(&siteName, "site", "", "file every page under this site")
	return cmd
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
