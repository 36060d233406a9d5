package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/warta-id/warta/archive"
	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/index"
	"github.com/warta-id/warta/internal/atomicfile"
)

// catchUpIndex makes the index hold every archived article again after a
// crash: articles are archived (durably) before the index batch that holds
// them is committed, so a kill in between leaves the index behind. When the
// counts differ, or a pipeline's mark says that it archived articles the
// index may lack (a changed article keeps the count as it was), every
// article is handed to the index again (adding is idempotent: the id is
// the document id), and the marks go. An index made by an earlier warta,
// with fewer fields, is rebuilt from the archive first. The archive's
// writer lock is held: no pipeline of another process is running, so every
// mark is a dead one's.
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
	marks, err := filepath.Glob(filepath.Join(store.Dir(), behindDir, behindPrefix+"*"))
	if err != nil {
		return fmt.Errorf("index: catch up with the archive: %w", err)
	}
	if uint64(archived) == indexed && len(marks) == 0 {
		return nil
	}
	log.Warn("index_behind_archive", "archived", archived, "indexed", indexed, "marks", len(marks))
	err = walkBatches(ctx, store, func(batch []*extract.Article) error { return idx.Add(ctx, batch...) })
	if err == nil {
		err = idx.Flush()
	}
	for _, m := range marks {
		if err == nil {
			if err = os.Remove(m); errors.Is(err, fs.ErrNotExist) {
				err = nil
			}
		}
	}
	if err != nil {
		return fmt.Errorf("index: catch up with the archive: %w", err)
	}
	return nil
}

// Where a pipeline's mark lies: DATA/state/index-behind-SITE.
const (
	behindDir    = "state"
	behindPrefix = "index-behind-"
)

// behindPath is the path of the mark of site's pipeline in dataDir.
func behindPath(dataDir, site string) string {
	return filepath.Join(dataDir, behindDir, behindPrefix+site)
}

// behindMark is a file that says, durably, that a pipeline archived
// articles the index may not hold yet: counts alone miss a changed
// article, whose batch a kill lost, and the index would keep its old
// version forever. It is written before the first article of a run is
// saved and removed when every article saved since is committed; at the
// next open, a mark left over means that every article is indexed again
// (see catchUpIndex).
type behindMark struct {
	path string

	mu  sync.Mutex
	set bool // the file is on disk
	n   int  // articles saved or being saved and not committed yet
}

// add notes n articles about to be saved, writing the mark first when it
// is not on disk.
func (m *behindMark) add(n int) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.set {
		note := fmt.Sprintf("warta: since %s the index may lack articles archived for this site; the next crawl, import or reindex indexes every article again\n", time.Now().UTC().Format(time.RFC3339))
		if err := atomicfile.WriteFile(atomicfile.OS{}, m.path, []byte(note)); err != nil {
			return fmt.Errorf("index: mark the index behind the archive: %w", err)
		}
		m.set = true
	}
	m.n += n
	return nil
}

// done notes n articles saved and committed, or not to be indexed.
func (m *behindMark) done(n int) {
	m.mu.Lock()
	m.n -= n
	m.mu.Unlock()
}

// clear removes the mark when no article is on its way to the index. It
// is called at the end of a run, not each time the count reaches zero:
// a crawl of unchanged articles would write and remove it for each. A
// mark that cannot be removed is logged: it costs the next open a
// catch-up, nothing more.
func (m *behindMark) clear(log *slog.Logger) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.set || m.n != 0 {
		return
	}
	if err := os.Remove(m.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		log.Warn("index_mark_not_removed", "path", m.path, "err", err)
		return
	}
	m.set = false
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
