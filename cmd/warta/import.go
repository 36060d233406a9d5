package main

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/spf13/cobra"

	"github.com/warta-id/warta/archive"
)

func newImportCmd(e *env) *cobra.Command {
	var configPath, siteName string
	cmd := &cobra.Command{
		Use:   "import [--data DIR] [--config FILE] [--site NAME] FILE.warc[.gz] or FILE.wacz...",
		Short: "ingest WARC files or WACZ packages made by other crawlers (wget, Heritrix, Browsertrix...) as captures and articles",
		Long: `Read WARC files made by other crawlers, or the WARC files inside WACZ
packages (Browsertrix, ArchiveWeb.page, warta export), and keep their
HTTP responses as captures in the archive; every HTML page with article
text becomes an article of the site whose hosts it matches (--site forces
one; a host no config names becomes a site of its own).`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("import: want at least one WARC file or WACZ package")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, err := openSink(ctx, e, e.dataDir(cmd, defaultDataDir), configPath, siteName, "import")
			if err != nil {
				return err
			}
			var errs []error
			for _, file := range args {
				n, again := 0, 0
				var failed atomic.Pointer[error]
				var unsettled unsettled
				err := archive.Import(ctx, file, func(c *archive.Capture) error {
					if err := failed.Load(); err != nil {
						return *err
					}
					if have, err := s.store.Has(c); err != nil {
						return err
					} else if have {
						// Imported before: a second copy would only be a
						// revisit record, and its article unchanged.
						again++
						return nil
					}
					n++
					var p *pipeline
					if isHTML(c) {
						p = s.pipelineFor(c.URL, true)
					}
					s.do(func() {
						_, settle, err := s.store.SaveCaptureUnsynced(c)
						if err == nil {
							err = unsettled.add(settle)
						}
						if err != nil {
							failed.CompareAndSwap(nil, &err)
							return
						}
						if p == nil || c.Truncated {
							return
						}
						// As a crawl's HandlePage: the page is extracted
						// while a group commit syncs its capture, and its
						// article saved only once the capture is durable.
						page := articlePage(c)
						art, err := p.extract(page)
						if serr := settle(); serr != nil {
							_ = p.fail(c.URL, fmt.Errorf("archive capture: %w", serr)) // and the file fails as it settles
							return
						}
						_ = p.extracted(ctx, page, art, err) // counted by the pipeline
					})
					return nil
				})
				s.wait()
				if serr := unsettled.settle(); serr != nil {
					failed.CompareAndSwap(nil, &serr)
				}
				if ferr := failed.Load(); err == nil && ferr != nil {
					err = *ferr
				}
				if err != nil {
					errs = append(errs, err) // it names the file
					continue
				}
				e.log.Info("imported", "file", file, "captures", n, "already_archived", again)
				if again > 0 {
					fmt.Fprintf(e.stdout, "%s: %s already archived, not written again\n", file, plural(uint64(again), "capture", "captures"))
				}
			}
			return errors.Join(errors.Join(errs...), s.close(ctx, "imported"))
		},
	}
	addDataFlag(cmd, defaultDataDir)
	cmd.Flags().StringVar(&configPath, "config", "", "site config file (default: the configs built into warta, demo included)")
	cmd.Flags().StringVar(&siteName, "site", "", "file every page under this site")
	return cmd
}

// unsettled holds the settles of the captures an import saved without
// waiting for their fsync (see archive.Store.SaveCaptureUnsynced): those
// that give no article (images, styles, pages of no site). The fsync made
// for the next page covers them, and they are settled before the file
// counts as imported.
type unsettled struct {
	mu      sync.Mutex
	settles []func() error
}

// maxUnsettled is how many settles unsettled holds at most: a collection
// of millions of images must not keep one for each until its end. The
// pages saved meanwhile have synced the file, so settling them costs no
// wait, almost always.
const maxUnsettled = 1024

// add holds settle; when maxUnsettled are held, it settles them first and
// returns the first error of those lost.
func (u *unsettled) add(settle func() error) error {
	u.mu.Lock()
	var full []func() error
	if len(u.settles) >= maxUnsettled {
		full, u.settles = u.settles, make([]func() error, 0, maxUnsettled)
	}
	u.settles = append(u.settles, settle)
	u.mu.Unlock()
	return settleAll(full)
}

// settle settles every capture held and returns the first error of
// those lost.
func (u *unsettled) settle() error {
	u.mu.Lock()
	held := u.settles
	u.settles = nil
	u.mu.Unlock()
	return settleAll(held)
}

// settleAll settles every capture of settles and returns the first error.
func settleAll(settles []func() error) error {
	var first error
	for _, settle := range settles {
		if err := settle(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
