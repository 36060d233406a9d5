package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/warta-id/warta/archive"
	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/index"
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
			dataDir, err := e.archiveDir(cmd)
			if err != nil {
				return err
			}
			store, idx, closeAll, err := openReader(e, dataDir)
			if err != nil {
				return err
			}
			defer closeAll()
			start := time.Now()
			if err := rebuildIndex(ctx, e, store, idx, "reindex"); err != nil {
				return err
			}
			n, err := idx.Count()
			if err != nil {
				return err
			}
			el := time.Since(start)
			fmt.Fprintf(e.stdout, "reindexed %d articles in %s; %.0f articles/s\n", n, el.Round(10*time.Millisecond), float64(n)/max(el.Seconds(), 1e-3))
			return nil
		},
	}
	addDataFlag(cmd, defaultDataDir)
	return cmd
}

// rebuildIndex builds the index of every archived article into a new
// generation and swaps it in, showing progress under label.
func rebuildIndex(ctx context.Context, e *env, store *archive.Store, idx *index.Index, label string) error {
	start := time.Now()
	rb, err := idx.Rebuild(ctx)
	if err != nil {
		return err
	}
	total, err := store.Count(ctx)
	if err != nil {
		return errors.Join(err, rb.Abort())
	}
	var done atomic.Int64
	stop := startProgress(ctx, e, label, func() progressState {
		n := done.Load()
		return progressState{Done: n, Total: int64(total), Unit: "articles",
			Detail: fmt.Sprintf("%.0f articles/s", float64(n)/max(time.Since(start).Seconds(), 1e-3))}
	})
	// Reading the next batch off the disk overlaps with indexing
	// this one, so that both cores work.
	batches := make(chan []*extract.Article, 1)
	var g errgroup.Group
	g.Go(func() error {
		defer close(batches)
		return walkBatches(ctx, store, func(batch []*extract.Article) error {
			select {
			case batches <- slices.Clone(batch): // walkBatches reuses batch
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	})
	g.Go(func() error {
		var err error
		for batch := range batches {
			if err == nil {
				err = rb.Add(ctx, batch...)
				done.Add(int64(len(batch)))
			}
		}
		return err
	})
	err = g.Wait()
	stop()
	if err != nil {
		return errors.Join(err, rb.Abort())
	}
	return rb.Commit()
}
