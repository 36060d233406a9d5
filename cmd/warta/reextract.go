package main

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/warta-id/warta/archive"
)

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
			dataDir, err := e.archiveDir(cmd)
			if err != nil {
				return err
			}
			s, err := openSink(ctx, e, dataDir, configPath, siteName, "reextract")
			if err != nil {
				return err
			}
			// Re-extraction mostly finds the articles archived now again.
			// Not knowing how many costs only the progress bar's end.
			if n, err := s.store.Count(ctx); err == nil {
				s.expect(n)
			}
			// The latest whole capture of each URL is the one to extract
			// again; older ones were superseded by it.
			walkErr := s.store.WalkLatestPages(ctx, func(c *archive.Capture, _ archive.Ref) error {
				if !isHTML(c) {
					return nil
				}
				p := s.pipelineFor(c.URL, false)
				if p == nil || (p.site.ArticleRE() != nil && !p.site.ArticleRE().MatchString(c.URL)) {
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
