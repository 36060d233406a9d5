package main

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/warta-id/warta/archive"
	"github.com/warta-id/warta/extract"
)

func newReextractCmd(e *env) *cobra.Command {
	var configPath, siteName string
	cmd := &cobra.Command{
		Use:   "reextract [--data DIR] [--config FILE] [--site NAME]",
		Short: "run extraction again over the archived captures (no network) and update articles and index",
		Long: `Run extraction again over the latest archived capture of every page, with
the current extractor and site profiles, without touching the network.
Articles whose extraction changed get a new version; the index follows.
What each site prints on many of its pages (a widget, a signature, a
site name around titles) is learned first from the archived articles and
left out of every page re-extracted (see "Cross-page boilerplate").`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			dataDir, err := e.archiveDir(cmd)
			if err != nil {
				return err
			}
			s, err := openSink(ctx, e, dataDir, configPath, siteName, "reextract")
			if err != nil {
				return err
			}
			// Learn each site's chrome from the articles archived already
			// (pages learned from before count once), so that every page
			// re-extracted goes without it, the first ones too. The same
			// walk counts them: re-extraction mostly finds them again, so
			// their number is the progress bar's end.
			archived := 0
			learnErr := s.store.Walk(ctx, func(a *extract.Article) error {
				archived++
				if p := s.pipelineFor(a.URL, false); p != nil && p.site.Name == a.Site {
					p.learner.Learn(a)
				}
				return nil
			})
			if learnErr != nil {
				return errors.Join(learnErr, s.close(ctx, "re-extracted"))
			}
			s.expect(archived)
			// The latest whole capture of each URL is the one to extract
			// again; older ones were superseded by it.
			// Only the pages of a site that may be articles are read:
			// listings and pages of hosts no config names are not.
			isArticle := func(u string) bool {
				p := s.pipelineFor(u, false)
				return p != nil && (p.site.ArticleRE() == nil || p.site.ArticleRE().MatchString(u))
			}
			walkErr := s.store.WalkLatestPages(ctx, isArticle, func(c *archive.Capture, _ archive.Ref) error {
				p := s.pipelineFor(c.URL, false)
				if p == nil || !isHTML(c) {
					return nil
				}
				s.do(func() { _ = p.article(ctx, articlePage(c)) }) // counted by the pipeline
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
