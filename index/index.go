package index

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/warta-id/warta/extract"
)

// Options tunes an Index. The zero value is ready to use.
type Options struct {
	// Logger receives the index's log records; nil discards them.
	Logger *slog.Logger
	// BatchSize is how many articles Add buffers before it commits them
	// to disk as one batch; 0 means 500.
	BatchSize int
}

func (o Options) withDefaults() Options {
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 500
	}
	return o
}

// currentFile names the file in an index directory that holds the name of
// the generation subdirectory in use; swapping it is how a rebuilt index
// replaces the old one atomically.
const currentFile = "CURRENT"

// Index is warta's full-text index of archived articles, stored in a
// directory (for example DATA/index). It is derived data: it can always be
// rebuilt from the archive. An Index is safe for concurrent use.
type Index struct {
	dir string
	opt Options
	log *slog.Logger

	mu      sync.Mutex
	bi      bleve.Index
	gen     string
	pending map[string]map[string]interface{} // by article id, so a re-add in one batch replaces
	order   []string                          // ids of pending in arrival order
}

// Open opens the index in dir, creating it if dir holds none.
func Open(dir string, opt Options) (*Index, error) {
	opt = opt.withDefaults()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("index: open %s: %w", dir, err)
	}
	ix := &Index{dir: dir, opt: opt, log: opt.Logger, pending: make(map[string]map[string]interface{})}
	gen, err := readCurrent(dir)
	if errors.Is(err, os.ErrNotExist) {
		gen, err = ix.create()
	}
	if err != nil {
		return nil, fmt.Errorf("index: open %s: %w", dir, err)
	}
	bi, err := bleve.Open(filepath.Join(dir, gen))
	if err != nil {
		return nil, fmt.Errorf("index: open %s: %w", dir, err)
	}
	ix.bi, ix.gen = bi, gen
	return ix, nil
}

// create makes a new empty generation in ix.dir and points CURRENT at it.
func (ix *Index) create() (string, error) {
	gen := "gen-" + time.Now().UTC().Format("20060102T150405.000000000")
	im, err := newMapping(AnalyzerID)
	if err != nil {
		return "", err
	}
	bi, err := bleve.New(filepath.Join(ix.dir, gen), im)
	if err != nil {
		return "", err
	}
	if err := bi.Close(); err != nil {
		return "", err
	}
	if err := writeCurrent(ix.dir, gen); err != nil {
		return "", err
	}
	return gen, nil
}

// readCurrent returns the generation named by dir's CURRENT file.
func readCurrent(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, currentFile))
	if err != nil {
		return "", err
	}
	gen := strings.TrimSpace(string(b))
	if gen == "" || strings.ContainsAny(gen, `/\`) || gen == "." || gen == ".." {
		return "", fmt.Errorf("bad %s file %q", currentFile, gen)
	}
	return gen, nil
}

// writeCurrent points dir's CURRENT file at gen, atomically and durably.
func writeCurrent(dir, gen string) error {
	tmp, err := os.CreateTemp(dir, currentFile+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(gen + "\n"); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, currentFile)); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Close commits what Add buffered and closes the index.
func (ix *Index) Close() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.bi == nil {
		return nil
	}
	err := ix.flushLocked()
	if cerr := ix.bi.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("index: close %s: %w", ix.dir, cerr)
	}
	ix.bi = nil
	return err
}

// Add indexes articles, replacing any earlier version with the same ID. It
// buffers them and commits a batch each time Options.BatchSize are waiting;
// Flush or Close commits the rest.
func (ix *Index) Add(ctx context.Context, articles ...*extract.Article) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.bi == nil {
		return errClosed
	}
	for _, a := range articles {
		if err := ctx.Err(); err != nil {
			return err
		}
		if a == nil || a.ID == "" {
			return fmt.Errorf("index: add: article without id (url %q)", urlOf(a))
		}
		if _, ok := ix.pending[a.ID]; !ok {
			ix.order = append(ix.order, a.ID)
		}
		ix.pending[a.ID] = newDocument(a)
		if len(ix.order) >= ix.opt.BatchSize {
			if err := ix.flushLocked(); err != nil {
				return err
			}
		}
	}
	return nil
}

func urlOf(a *extract.Article) string {
	if a == nil {
		return ""
	}
	return a.URL
}

var errClosed = errors.New("index: closed")

// Flush commits the articles that Add buffered.
func (ix *Index) Flush() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.bi == nil {
		return errClosed
	}
	return ix.flushLocked()
}

func (ix *Index) flushLocked() error {
	if len(ix.order) == 0 {
		return nil
	}
	start := time.Now()
	b := ix.bi.NewBatch()
	for _, id := range ix.order {
		if err := b.Index(id, ix.pending[id]); err != nil {
			return fmt.Errorf("index: add %s: %w", id, err)
		}
	}
	if err := ix.bi.Batch(b); err != nil {
		return fmt.Errorf("index: commit batch in %s: %w", ix.dir, err)
	}
	ix.log.Debug("index_batch", "articles", len(ix.order), "took", time.Since(start))
	clear(ix.pending)
	ix.order = ix.order[:0]
	return nil
}

// Count returns the number of articles in the index, not counting those
// Add still buffers.
func (ix *Index) Count() (uint64, error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.bi == nil {
		return 0, errClosed
	}
	n, err := ix.bi.DocCount()
	if err != nil {
		return 0, fmt.Errorf("index: count %s: %w", ix.dir, err)
	}
	return n, nil
}
