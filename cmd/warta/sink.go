package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/warta-id/warta/archive"
	"github.com/warta-id/warta/configs"
	"github.com/warta-id/warta/crawler"
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

// nonName matches the runs of characters a site name cannot hold.
var nonName = regexp.MustCompile(`[^a-z0-9]+`)

// hostSite makes a site without a profile for an archived host that no
// config names, so imported articles still get a site and an id.
func hostSite(host string) *configs.Site {
	name := strings.Trim(nonName.ReplaceAllString(strings.ToLower(host), "-"), "-")
	if name == "" {
		name = "unknown"
	}
	cfg, err := configs.Parse("import", []byte(fmt.Sprintf("sites:\n  - name: %q\n    base_url: %q\n", name, "http://"+host+"/")))
	if err != nil {
		return nil
	}
	return cfg.Sites[0]
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
