package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/internal/atomicfile"
)

// rebuildLock names the file a running rebuild holds locked.
const rebuildLock = "REBUILD.lock"

// Rebuild is a new generation of the index being filled, typically from
// the archive by `warta reindex`. Searches keep using the current
// generation until Commit swaps the new one in with one atomic rename;
// articles that other processes add meanwhile go to both generations, so
// the swap loses none of them. Only one rebuild runs at a time per index.
type Rebuild struct {
	ix   *Index // the index being rebuilt
	w    *Index // writes to the new generation only
	gen  string
	lock *atomicfile.Lock
	done bool
}

// Rebuild starts a rebuild of the index: an empty new generation that Add
// fills and Commit swaps in. Call Abort if it is not committed.
func (ix *Index) Rebuild(ctx context.Context) (*Rebuild, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	lock, err := atomicfile.TryLock(filepath.Join(ix.dir, rebuildLock))
	if errors.Is(err, atomicfile.ErrLocked) {
		return nil, fmt.Errorf("index: rebuild %s: another rebuild is running", ix.dir)
	}
	if err != nil {
		return nil, fmt.Errorf("index: rebuild %s: %w", ix.dir, err)
	}
	// A NEXT file left by a rebuild that crashed names a generation
	// nobody fills any more.
	if stale, err := readPointer(ix.dir, nextFile); err == nil {
		ix.log.Warn("index_stale_rebuild", "dir", ix.dir, "generation", stale)
		os.Remove(filepath.Join(ix.dir, nextFile))
		os.RemoveAll(filepath.Join(ix.dir, stale))
	}
	im, err := ix.learnedMapping(ctx)
	if err != nil {
		_ = lock.Unlock()
		return nil, fmt.Errorf("index: rebuild %s: %w", ix.dir, err)
	}
	gen, err := ix.newGeneration(im)
	if err == nil {
		err = writePointer(ix.dir, nextFile, gen)
	}
	if err != nil {
		_ = lock.Unlock()
		return nil, fmt.Errorf("index: rebuild %s: %w", ix.dir, err)
	}
	w := &Index{
		dir:       ix.dir,
		opt:       ix.opt,
		log:       ix.log,
		mapping:   ix.mapping,
		only:      gen,
		writing:   ix.writing,
		pending:   make(map[string]map[string]interface{}),
		lingerFor: ix.lingerFor,
	}
	ix.log.Info("index_rebuild_started", "dir", ix.dir, "generation", gen)
	return &Rebuild{ix: ix, w: w, gen: gen, lock: lock}, nil
}

// Add indexes articles into the new generation, in batches as Index.Add.
func (r *Rebuild) Add(ctx context.Context, articles ...*extract.Article) error {
	if r.done {
		return fmt.Errorf("index: rebuild %s: already finished", r.gen)
	}
	return r.w.Add(ctx, articles...)
}

// Count returns the number of articles committed to the new generation.
func (r *Rebuild) Count() (uint64, error) {
	return r.w.Count()
}

// Commit commits what Add buffered, makes the new generation the current
// one and removes the old generations.
func (r *Rebuild) Commit() error {
	if r.done {
		return fmt.Errorf("index: rebuild %s: already finished", r.gen)
	}
	r.done = true
	defer r.lock.Unlock()
	if err := r.w.Close(); err != nil {
		r.discard()
		return err
	}
	old, _ := readPointer(r.ix.dir, currentFile)
	if err := writePointer(r.ix.dir, currentFile, r.gen); err != nil {
		r.discard()
		return fmt.Errorf("index: rebuild %s: swap: %w", r.ix.dir, err)
	}
	if err := os.Remove(filepath.Join(r.ix.dir, nextFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("index: rebuild %s: %w", r.ix.dir, err)
	}
	r.ix.log.Info("index_rebuild_committed", "dir", r.ix.dir, "generation", r.gen, "replaced", old)
	r.ix.removeGenerations(r.gen)
	return nil
}

// Abort throws the new generation away. It does nothing after Commit, so
// it can be deferred.
func (r *Rebuild) Abort() error {
	if r.done {
		return nil
	}
	r.done = true
	defer r.lock.Unlock()
	r.w.rw.Lock()
	r.w.mu.Lock()
	r.w.closed = true
	_ = r.w.letGoLocked(false) // the generation is thrown away
	watcher := r.w.watchDone
	r.w.mu.Unlock()
	r.w.rw.Unlock()
	if watcher != nil {
		<-watcher
	}
	r.discard()
	r.ix.log.Info("index_rebuild_aborted", "dir", r.ix.dir, "generation", r.gen)
	return nil
}

// discard removes the NEXT file and the new generation.
func (r *Rebuild) discard() {
	if next, err := readPointer(r.ix.dir, nextFile); err == nil && next == r.gen {
		os.Remove(filepath.Join(r.ix.dir, nextFile))
	}
	os.RemoveAll(filepath.Join(r.ix.dir, r.gen))
}

// removeGenerations deletes every generation directory but keep. A
// process that has an old one open for a search keeps reading its open
// files; one about to open it reads CURRENT again (see openRead).
func (ix *Index) removeGenerations(keep string) {
	entries, err := os.ReadDir(ix.dir)
	if err != nil {
		ix.log.Warn("index_cleanup_failed", "dir", ix.dir, "err", err)
		return
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), "gen-") || e.Name() == keep {
			continue
		}
		if err := os.RemoveAll(filepath.Join(ix.dir, e.Name())); err != nil {
			ix.log.Warn("index_cleanup_failed", "dir", ix.dir, "generation", e.Name(), "err", err)
		}
	}
}
