package main

import (
	"context"
	"fmt"

	"github.com/warta-id/warta/archive"
	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/index"
)

// catchUpIndex makes the index hold every archived article again after a
// crash: articles are archived (durably) before the index batch that holds
// them is committed, so a kill in between leaves the index behind. When the
// counts differ, every article is handed to the index again (adding is
// idempotent: the id is the document id). An index made by an earlier
// warta, with fewer fields, is rebuilt from the archive first.
func catchUpIndex(ctx context.Context, e *env, store *archive.Store, idx *index.Index) error {
	log := e.log
	outdated, err := idx.Outdated(ctx)
	if err != nil {
		return err
	}
	if outdated {
		log.Warn("index_mapping_outdated", "want", index.MappingVersion, "action", "rebuild from the archive")
		if err := rebuildIndex(ctx, e, store, idx, "reindex"); err != nil {
			return fmt.Errorf("index: rebuild an index made by an earlier warta: %w", err)
		}
	}
	archived, err := store.Count(ctx)
	if err != nil {
		return err
	}
	indexed, err := idx.Count()
	if err != nil {
		return err
	}
	if uint64(archived) == indexed {
		return nil
	}
	log.Warn("index_behind_archive", "archived", archived, "indexed", indexed)
	err = walkBatches(ctx, store, func(batch []*extract.Article) error { return idx.Add(ctx, batch...) })
	if err == nil {
		err = idx.Flush()
	}
	if err != nil {
		return fmt.Errorf("index: catch up with the archive: %w", err)
	}
	return nil
}

// walkBatches hands every archived article to fn, indexBatch at a time.
func walkBatches(ctx context.Context, store *archive.Store, fn func([]*extract.Article) error) error {
	batch := make([]*extract.Article, 0, indexBatch)
	err := store.Walk(ctx, func(a *extract.Article) error {
		batch = append(batch, a)
		if len(batch) < indexBatch {
			return nil
		}
		err := fn(batch)
		batch = batch[:0]
		return err
	})
	if err == nil && len(batch) > 0 {
		err = fn(batch)
	}
	return err
}
