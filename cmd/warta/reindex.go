package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/warta-id/warta/extract"
)

func newReindexCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "reindex [--data DIR]",
		Short: "rebuild the search index from the archive and swap it in atomically",
		Long: `Rebuild the search index from the archived articles into a new directory,
then swap it in at once. Searches keep answering from the old index while the
new one is built; an interrupted rebuild leaves the old index as it was.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			dataDir := e.dataDir(cmd, defaultDataDir)
			store, idx, closeAll, err := openReader(e, dataDir)
			if err != nil {
				return err
			}
			defer closeAll()
			start := time.Now()
			rb, err := idx.Rebuild(ctx)
			if err != nil {
				return err
			}
			err = walkBatches(ctx, store, func(batch []*extract.Article) error { return rb.Add(ctx, batch...) })
			if err != nil {
				return errors.Join(err, rb.Abort())
			}
			if err := rb.Commit(); err != nil {
				return err
			}
			n, err := idx.Count()
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "reindexed %d articles in %s\n", n, time.Since(start).Round(10*time.Millisecond))
			return nil
		},
	}
	addDataFlag(cmd, defaultDataDir)
	return cmd
}
