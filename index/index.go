package index

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	"github.com/blevesearch/bleve/v2/mapping"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/internal/atomicfile"
)

// Options tunes an Index. The zero value is ready to use.
type Options struct {
	// Logger receives the index's log records; nil discards them.
	Logger *slog.Logger
	// BatchSize is how many articles Add buffers before it commits them
	// to disk as one batch; 0 means 500.
	BatchSize int
	// Wait bounds how long one operation waits for another process that
	// is committing to the index; 0 means one minute. The context of the
	// operation can end the wait sooner.
	Wait time.Duration
	// Exclusive keeps the index open for writing from Open to Close.
	// Batches commit faster, but no other process can search or write the
	// index meanwhile: it is meant for bulk loads into an index nobody
	// else uses (benchmarks, a private demo). By default the index is
	// opened only for the duration of each search or commit, so that a
	// crawl that writes and a search in another process share it.
	Exclusive bool
	// NoCreate makes Open fail, with an error wrapping fs.ErrNotExist,
	// when dir holds no index, instead of creating an empty one: for
	// commands that only search.
	NoCreate bool
	// MaxExpansion bounds the words of the index that the prefixes and
	// wildcards of one query may stand for together (as Lucene's
	// maxClauseCount); a query over it is refused with a *SyntaxError
	// naming the word. 0 means DefaultMaxExpansion.
	MaxExpansion int
}

func (o Options) withDefaults() Options {
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 500
	}
	if o.Wait <= 0 {
		o.Wait = time.Minute
	}
	if o.MaxExpansion <= 0 {
		o.MaxExpansion = DefaultMaxExpansion
	}
	return o
}

// Files in an index directory. The directory holds generations, each a
// complete Bleve index in a subdirectory, and CURRENT names the one in
// use. A rebuild fills a new generation, named by NEXT while it runs, and
// swaps CURRENT to it in one rename.
const (
	currentFile = "CURRENT"
	nextFile    = "NEXT"
	// waitFile is touched by a process that waits for the index while
	// another holds it, so that a lingering writer lets it go.
	waitFile = "WAIT"
)

// lingerIdle is how long a shared-mode writer stays open after its last
// commit when nobody waits for the index. It outlasts the gap between two
// batches of a bulk run on a busy machine (a batch of 500 every 5-7
// seconds at 70-100 articles/s): a writer let go between batches tidied
// (see tidy) and reopened for each, and merged everything as often as
// Bleve's default policy does.
const lingerIdle = 10 * time.Second

// lockPoll is how long one attempt to open the Bleve index waits for the
// file lock of another process before the context and Options.Wait are
// checked again.
const lockPoll = 50 * time.Millisecond

// Index is warta's full-text index of archived articles, stored in a
// directory (for example DATA/index). It is derived data: it can always be
// rebuilt from the archive. An Index is safe for concurrent use, and
// several processes may use one directory at once (see Options.Exclusive).
type Index struct {
	dir     string
	opt     Options
	log     *slog.Logger
	mapping *mapping.IndexMappingImpl // the mapping new generations get; its analyzers serve queries
	// only, when set, is the one generation this Index reads and writes,
	// whatever CURRENT says: a Rebuild's.
	only string
	// writing is the merge policy of its writers (see writingMerges).
	writing mergeplan.MergePlanOptions
	// arenas holds the wordArenas of the documents being analysed.
	arenas sync.Pool

	// rw keeps this process's commits (write lock) apart from its
	// searches (read lock), so that they wait here rather than spin on
	// the file lock.
	rw sync.RWMutex

	mu      sync.Mutex // guards the fields below
	closed  bool
	held    bleve.Index // the open writer, in Exclusive mode or while it lingers
	heldGen string
	// lingering says that held is a shared-mode writer kept open after a
	// commit, so that consecutive batches do not each pay an open, a
	// forced merge and a close. A watcher goroutine (watchDone is closed
	// when it ends) lets it go when it has been idle for lingerFor, when
	// another process waits for the index, or when a rebuild swapped it.
	lingering  bool
	lastCommit time.Time
	lingerFor  time.Duration
	watchDone  chan struct{}
	// loadedGen is the generation checkLoaded found whole.
	loadedGen string
	pending   map[string]map[string]interface{} // documents by article id, so a re-add in one batch replaces
	order     []string                          // ids of pending in arrival order
}

// Open opens the index in dir, creating it if dir holds none.
func Open(dir string, opt Options) (*Index, error) {
	opt = opt.withDefaults()
	im, err := newMapping(AnalyzerID)
	if err != nil {
		return nil, fmt.Errorf("index: open %s: mapping: %w", dir, err)
	}
	ix := &Index{dir: dir, opt: opt, log: opt.Logger, mapping: im, writing: writingMerges(opt.BatchSize),
		pending: make(map[string]map[string]interface{}), lingerFor: lingerIdle}
	if opt.NoCreate {
		if _, err := readPointer(dir, currentFile); errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("index: open %s: no index here: %w", dir, err)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("index: open %s: %w", dir, err)
	}
	gen, err := readPointer(dir, currentFile)
	switch {
	case errors.Is(err, os.ErrNotExist):
		gen, err = ix.newGeneration(ix.mapping)
		if err == nil {
			err = writePointer(dir, currentFile, gen)
		}
	case err != nil && !opt.Exclusive:
		// A CURRENT that names nothing: searches and commits say so
		// (ErrUnreadable), and a rebuild, which needs this Index,
		// replaces it.
		return ix, nil
	case err != nil:
		err = fmt.Errorf("%w: %w", ErrUnreadable, err)
	}
	if err != nil {
		return nil, fmt.Errorf("index: open %s: %w", dir, err)
	}
	if opt.Exclusive {
		bi, err := ix.openGen(context.Background(), gen, true)
		if err != nil {
			return nil, err
		}
		ix.held, ix.heldGen = bi, gen
	}
	return ix, nil
}

// MappingVersion names the shape of the documents this warta indexes. It
// goes up whenever a field is added or analysed differently, because Bleve
// keeps the mapping an index was created with: an index of an earlier
// version answers searches, but never finds what the new fields hold
// until it is rebuilt. Version 3 indexes fewer word pairs (body_pairs),
// so an index of version 2 finds the same but is twice as large and
// slower to write; version 1 lacks captions, address words and facets.
const MappingVersion = "3"

// mappingKey is the key of Bleve's internal store that holds the
// MappingVersion a generation was created with.
var mappingKey = []byte("warta_mapping_version")

// newGeneration creates an empty Bleve index with mapping im in a new
// subdirectory of ix.dir and returns the subdirectory's name.
func (ix *Index) newGeneration(im *mapping.IndexMappingImpl) (string, error) {
	gen := "gen-" + time.Now().UTC().Format("20060102T150405.000000000")
	bi, err := bleve.New(filepath.Join(ix.dir, gen), im)
	if err != nil {
		return "", err
	}
	err = bi.SetInternal(mappingKey, []byte(MappingVersion))
	if cerr := bi.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	return gen, nil
}

// Outdated reports whether the current generation was created by an
// earlier warta, with a mapping other than MappingVersion, and so needs a
// rebuild (warta reindex) to find what the newer fields hold.
func (ix *Index) Outdated(ctx context.Context) (bool, error) {
	var v []byte
	err := ix.read(ctx, func(bi bleve.Index) error {
		var err error
		v, err = bi.GetInternal(mappingKey)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("index: mapping version of %s: %w", ix.dir, err)
	}
	return string(v) != MappingVersion, nil
}

// readPointer returns the generation that the file name in dir names.
func readPointer(dir, name string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return "", err
	}
	gen := strings.TrimSpace(string(b))
	if gen == "" || strings.ContainsAny(gen, `/\`) || gen == "." || gen == ".." {
		return "", fmt.Errorf("bad %s file %q", name, gen)
	}
	return gen, nil
}

// writePointer points the file name in dir at gen, atomically and
// durably.
func writePointer(dir, name, gen string) error {
	return atomicfile.WriteFile(atomicfile.OS{}, filepath.Join(dir, name), []byte(gen+"\n"))
}

// openGen opens generation gen for reading or writing. Bleve locks an
// index's files, one writer or many readers at a time; while another
// process holds the lock, openGen waits, for at most Options.Wait.
func (ix *Index) openGen(ctx context.Context, gen string, write bool) (bleve.Index, error) {
	path := filepath.Join(ix.dir, gen)
	deadline := time.Now().Add(ix.opt.Wait)
	for attempt := 0; ; attempt++ {
		cfg := map[string]interface{}{"bolt_timeout": lockPoll.String()}
		if !write {
			cfg["read_only"] = true
		} else {
			cfg["scorchMergePlanOptions"] = mergeConfig(ix.writing)
		}
		bi, err := bleve.OpenUsing(path, cfg)
		if err == nil {
			if !write && !ix.loaded(gen) {
				if err := checkLoaded(bi); err != nil {
					bi.Close()
					return nil, fmt.Errorf("index: open %s: %w: %w", path, ErrUnreadable, err)
				}
				ix.mu.Lock()
				ix.loadedGen = gen
				ix.mu.Unlock()
			}
			if attempt > 0 {
				ix.log.Debug("index_lock_waited", "dir", path, "attempts", attempt)
			}
			return bi, nil
		}
		if !errors.Is(err, bolterrors.ErrTimeout) {
			if ctx.Err() == nil {
				// A file Bleve found broken, a generation gone.
				return nil, fmt.Errorf("index: open %s: %w: %w", path, ErrUnreadable, err)
			}
			return nil, fmt.Errorf("index: open %s: %w", path, err)
		}
		// Ask a writer that lingers in another process to let go. The
		// file is only a signal: failing to touch it costs a longer wait.
		_ = os.WriteFile(filepath.Join(ix.dir, waitFile), nil, 0o644)
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("index: open %s: %w", path, err)
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("index: open %s: another warta process kept it busy for %s; try again when its crawl or rebuild has finished", path, ix.opt.Wait)
		}
	}
}

// checkLoaded reports a generation whose newest snapshot Bleve could not
// load: Bleve logs it and opens an older snapshot, or none, so that a
// truncated segment file read as an archive with fewer articles or none.
// It loads that snapshot again, which costs the opening of its segments;
// it is asked once per generation by readers (a writer's LoadSnapshot
// would mark what it releases for removal).
func checkLoaded(bi bleve.Index) error {
	adv, err := bi.Advanced()
	if err != nil {
		return nil
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	epochs, err := sc.RootBoltSnapshotEpochs()
	if err != nil || len(epochs) == 0 {
		return err
	}
	snap, err := sc.LoadSnapshot(epochs[0])
	if err != nil {
		return fmt.Errorf("bleve could not load its newest snapshot: %w", err)
	}
	if snap != nil {
		_ = snap.DecRef()
	}
	return nil
}

// read runs fn on the current generation, opened for reading.
func (ix *Index) read(ctx context.Context, fn func(bleve.Index) error) error {
	ix.rw.RLock()
	defer ix.rw.RUnlock()
	ix.mu.Lock()
	closed, held, heldGen, lingering := ix.closed, ix.held, ix.heldGen, ix.lingering
	ix.mu.Unlock()
	if closed {
		return errClosed
	}
	// A lingering writer serves searches too, unless a rebuild has swapped
	// CURRENT to another generation since its last commit.
	if held != nil && (!lingering || ix.only != "" || !ix.swapped(heldGen)) {
		return readSafely(held, fn)
	}
	bi, gen, err := ix.openRead(ctx)
	if err != nil {
		return err
	}
	err = readSafely(bi, fn)
	if cerr := bi.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("index: close %s: %w", gen, cerr)
	}
	return err
}

// openRead opens the generation to search. A rebuild may swap CURRENT and
// remove the generation it named between the moment it is read and the
// moment it is opened: then CURRENT is read again.
func (ix *Index) openRead(ctx context.Context) (bleve.Index, string, error) {
	for attempt := 0; ; attempt++ {
		gen := ix.only
		if gen == "" {
			var err error
			gen, err = readPointer(ix.dir, currentFile)
			if err != nil && !errors.Is(err, os.ErrNotExist) {
				err = fmt.Errorf("%w: %w", ErrUnreadable, err)
			}
			if err != nil {
				return nil, "", fmt.Errorf("index: open %s: %w", ix.dir, err)
			}
		}
		bi, err := ix.openGen(ctx, gen, false)
		if err == nil {
			return bi, gen, nil
		}
		if ix.only != "" || attempt == 2 || !ix.swapped(gen) {
			return nil, "", err
		}
	}
}

// inUse reports whether gen is a generation that commits still reach:
// not one that a rebuild replaced, whose directory is removed. (A merge
// into a removed directory fails, and Bleve retries a failed forced merge
// for ever.)
func (ix *Index) inUse(gen string) bool {
	if ix.only != "" {
		return gen == ix.only
	}
	gens, err := ix.targets()
	return err == nil && slices.Contains(gens, gen)
}

// loaded reports whether checkLoaded found gen whole.
func (ix *Index) loaded(gen string) bool {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.loadedGen == gen
}

// swapped reports whether CURRENT no longer names gen.
func (ix *Index) swapped(gen string) bool {
	now, err := readPointer(ix.dir, currentFile)
	return err == nil && now != gen
}

var (
	errClosed = errors.New("index: closed")
)

// ErrUnreadable is wrapped by the errors of an index whose files Bleve
// cannot read: a truncated or overwritten segment, a CURRENT that names no
// generation. The index is derived data: a rebuild from the archive
// (Rebuild, `warta reindex`) replaces it.
var ErrUnreadable = errors.New("the index cannot be read (rebuild it from the archive)")

// readSafely runs fn on bi, and turns a panic of Bleve's into an error
// wrapping ErrUnreadable: Bleve trusts the offsets in its segment files,
// and one overwritten by garbage made a search slice past their end.
// (A panic in one of Bleve's own goroutines cannot be caught here.)
func readSafely(bi bleve.Index, fn func(bleve.Index) error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("index: read %s: %w: %v", bi.Name(), ErrUnreadable, v)
		}
	}()
	return fn(bi)
}

// Close commits what Add buffered and closes the index.
func (ix *Index) Close() error {
	err := ix.Flush()
	if errors.Is(err, errClosed) {
		return nil
	}
	ix.rw.Lock()
	ix.mu.Lock()
	ix.closed = true
	if cerr := ix.letGoLocked(true); err == nil {
		err = cerr
	}
	watcher := ix.watchDone
	ix.mu.Unlock()
	ix.rw.Unlock()
	if watcher != nil {
		<-watcher
	}
	return err
}

// letGoLocked closes the held writer, if any, first letting the merge
// policy tidy its segments when tidyFirst is set and the generation is
// still in use. ix.rw and ix.mu must be held.
func (ix *Index) letGoLocked(tidyFirst bool) error {
	bi, gen := ix.held, ix.heldGen
	ix.held, ix.heldGen, ix.lingering = nil, "", false
	if bi == nil {
		return nil
	}
	var err error
	if tidyFirst && ix.inUse(gen) {
		err = tidy(context.Background(), bi)
	}
	if cerr := bi.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("index: close %s: %w", filepath.Join(ix.dir, gen), err)
	}
	return nil
}

// linger keeps bi, the writer of gen that just committed a batch, open
// for the next one, and starts the watcher that lets it go. ix.rw must be
// held.
func (ix *Index) linger(gen string, bi bleve.Index) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.held, ix.heldGen, ix.lingering = bi, gen, true
	ix.lastCommit = time.Now()
	if ix.watchDone == nil {
		ix.watchDone = make(chan struct{})
		go ix.watch(ix.watchDone)
	}
}

// watch lets a lingering writer go when it has been idle for lingerFor,
// when another process waits for the index (it touched waitFile), or when
// a rebuild swapped CURRENT to another generation. It ends with the
// writer, closing done; Close waits for it.
func (ix *Index) watch(done chan struct{}) {
	defer close(done)
	t := time.NewTicker(lockPoll)
	defer t.Stop()
	wait := filepath.Join(ix.dir, waitFile)
	for range t.C {
		ix.mu.Lock()
		if ix.closed || !ix.lingering {
			ix.watchDone = nil
			ix.mu.Unlock()
			return
		}
		idle := time.Since(ix.lastCommit) >= ix.lingerFor
		gen := ix.heldGen
		ix.mu.Unlock()
		_, statErr := os.Stat(wait)
		waited := statErr == nil
		if !idle && !waited && (ix.only != "" || !ix.swapped(gen)) {
			continue
		}
		ix.rw.Lock()
		ix.mu.Lock()
		var err error
		if ix.lingering {
			// A waiting process gets the index now; the merge can wait for
			// the next time the writer goes idle.
			err = ix.letGoLocked(!waited)
		}
		ix.watchDone = nil
		ix.mu.Unlock()
		if waited {
			_ = os.Remove(wait)
		}
		ix.rw.Unlock()
		if err != nil {
			ix.log.Warn("index_release_failed", "dir", ix.dir, "err", err)
		}
		ix.log.Debug("index_writer_released", "dir", ix.dir, "idle", idle, "waited", waited)
		return
	}
}

// Add indexes articles, replacing any earlier version with the same ID. It
// buffers them and commits a batch each time Options.BatchSize are waiting;
// Flush or Close commits the rest.
func (ix *Index) Add(ctx context.Context, articles ...*extract.Article) error {
	for _, a := range articles {
		if err := ctx.Err(); err != nil {
			return err
		}
		if a == nil || a.ID == "" {
			return fmt.Errorf("index: add: article without id (url %q)", urlOf(a))
		}
		doc := newDocument(a)
		ix.mu.Lock()
		if ix.closed {
			ix.mu.Unlock()
			return errClosed
		}
		if _, ok := ix.pending[a.ID]; !ok {
			ix.order = append(ix.order, a.ID)
		}
		ix.pending[a.ID] = doc
		full := len(ix.order) >= ix.opt.BatchSize
		ix.mu.Unlock()
		if full {
			if err := ix.flush(ctx); err != nil {
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

// Flush commits the articles that Add buffered.
func (ix *Index) Flush() error {
	return ix.flush(context.Background())
}

// flush commits the pending documents to the current generation and, while
// a rebuild runs, to the next one too, so that the rebuilt index does not
// miss what a crawl added meanwhile.
func (ix *Index) flush(ctx context.Context) error {
	ix.rw.Lock()
	defer ix.rw.Unlock()
	ix.mu.Lock()
	if ix.closed {
		ix.mu.Unlock()
		return errClosed
	}
	if len(ix.order) == 0 {
		ix.mu.Unlock()
		return nil
	}
	order, pending := ix.order, ix.pending
	ix.order, ix.pending = nil, make(map[string]map[string]interface{}, len(order))
	held, heldGen := ix.held, ix.heldGen
	if ix.lingering {
		held = nil // commitShared decides whether it is still the one to use
	}
	ix.mu.Unlock()

	start := time.Now()
	var err error
	if held != nil {
		err = commit(held, order, pending, &ix.arenas)
		if err != nil {
			err = fmt.Errorf("index: commit batch to %s: %w", heldGen, err)
		}
	} else {
		err = ix.commitShared(ctx, order, pending)
	}
	if err != nil {
		// Keep the batch for the next try, unless newer versions came.
		ix.mu.Lock()
		for _, id := range order {
			if _, ok := ix.pending[id]; !ok {
				ix.pending[id] = pending[id]
				ix.order = append(ix.order, id)
			}
		}
		ix.mu.Unlock()
		return err
	}
	ix.log.Debug("index_batch", "dir", ix.dir, "articles", len(order), "took", time.Since(start))
	return nil
}

// commitShared commits the batch to each generation that must receive
// it. When that is one generation, its writer lingers for the next batch
// (see watch); otherwise, while a rebuild runs, each is opened, committed,
// tidied by the merge policy and closed again. ix.rw must be held.
func (ix *Index) commitShared(ctx context.Context, order []string, pending map[string]map[string]interface{}) error {
	gens, err := ix.targets()
	if err != nil {
		return err
	}
	ix.mu.Lock()
	kept, keptGen := ix.held, ix.heldGen
	if kept != nil && (len(gens) > 1 || keptGen != gens[0]) {
		err = ix.letGoLocked(true)
		kept = nil
	}
	ix.mu.Unlock()
	if err != nil {
		return err
	}
	for i := 0; i < len(gens); i++ {
		gen := gens[i]
		if kept != nil {
			err = commit(kept, order, pending, &ix.arenas)
			if err == nil {
				ix.linger(gen, kept)
				return nil
			}
			ix.mu.Lock()
			_ = ix.letGoLocked(false)
			ix.mu.Unlock()
			return fmt.Errorf("index: commit batch to %s: %w", gen, err)
		}
		bi, err := ix.openGen(ctx, gen, true)
		if err != nil && ix.only == "" && ix.swapped(gen) {
			// A rebuild finished meanwhile: write where it points now.
			if gens, err = ix.targets(); err != nil {
				return err
			}
			i = -1
			continue
		}
		if err != nil {
			return err
		}
		err = commit(bi, order, pending, &ix.arenas)
		if err == nil && len(gens) == 1 {
			ix.linger(gen, bi)
			return nil
		}
		if err == nil {
			err = tidy(ctx, bi)
		}
		if cerr := bi.Close(); err == nil && cerr != nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("index: commit batch to %s: %w", gen, err)
		}
	}
	return nil
}

// targets returns the generations a commit must reach: the current one
// and, while a rebuild runs, the next one.
func (ix *Index) targets() ([]string, error) {
	if ix.only != "" {
		return []string{ix.only}, nil
	}
	var gens []string
	for _, name := range []string{currentFile, nextFile} {
		gen, err := readPointer(ix.dir, name)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("index: open %s: %w: %w", ix.dir, ErrUnreadable, err)
		}
		if len(gens) == 0 || gens[0] != gen {
			gens = append(gens, gen)
		}
	}
	if len(gens) == 0 {
		return nil, fmt.Errorf("index: open %s: no %s file", ix.dir, currentFile)
	}
	return gens, nil
}

// commit indexes one batch in bi, with the mapping bi was created with,
// its documents' shared words in wordArenas of arenas.
func commit(bi bleve.Index, order []string, pending map[string]map[string]interface{}, arenas *sync.Pool) error {
	b := bi.NewBatch()
	im := bi.Mapping()
	for _, id := range order {
		doc := document.NewDocument(id)
		if err := im.MapDocument(doc, pending[id]); err != nil {
			return fmt.Errorf("article %s: %w", id, err)
		}
		shareWords(doc, arenas)
		if err := b.IndexAdvanced(doc); err != nil {
			return fmt.Errorf("article %s: %w", id, err)
		}
	}
	return bi.Batch(b)
}

// tidy runs one pass of Bleve's default merge policy before the index is
// closed. While a writer is open it merges lazily (see writingMerges);
// an index at rest gets the segments it always had, as few as searches
// want, and an index opened for one batch at a time would otherwise gain
// a segment per batch.
func tidy(ctx context.Context, bi bleve.Index) error {
	adv, err := bi.Advanced()
	if err != nil {
		return err
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	st, _ := s.Stats().(*scorch.Stats)
	merged := func() uint64 {
		if st == nil {
			return 0
		}
		return atomic.LoadUint64(&st.TotFileMergeIntroductionsDone)
	}
	before := merged()
	opts := mergeplan.DefaultMergePlanOptions
	if err := s.ForceMerge(ctx, &opts); err != nil {
		return err
	}
	if st != nil && merged() == before {
		return nil
	}
	// The merged segments are in use, but only a commit records them on
	// disk and removes the files they replace: without one, a writer
	// closed now left both (half again the index's size) until its next
	// batch.
	if err := bi.SetInternal(tidiedKey, []byte(time.Now().UTC().Format(time.RFC3339))); err != nil {
		return err
	}
	settleFiles(s)
	return nil
}

// settleFiles waits, a second at most, until the files of s's store are
// its root's segments and its bolt file. Bleve's persister deletes the
// files a commit left unreferenced on its next turn, after the commit
// has returned: a writer closed before that turn left them on disk
// until the next writer opened (TestCloseLeavesOnlyItsSegments saw 7
// files for 1 segment in about one run in seven).
func settleFiles(s *scorch.Scorch) {
	for deadline := time.Now().Add(time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		m := s.StatsMap()
		files, _ := m["CurOnDiskFiles"].(uint64)
		roots, ok := m["TotFileSegmentsAtRoot"].(uint64)
		if !ok || files <= roots+1 {
			return
		}
	}
}

// tidiedKey is the key of Bleve's internal store under which tidy records
// when it last merged.
var tidiedKey = []byte("warta_tidied")

// writingMerges returns the merge policy of a writer that commits
// batches of the given size: Bleve's default, except that segments
// smaller than one batch count as one batch, not as 2,000 articles.
//
// Bleve's default budget is one segment per 2,000 articles until there
// are ten of them, so an index of fewer than 20,000 articles that
// receives batches of 500 merges at nearly every batch, and rewrites
// each article about twice by 10,000 (the background merges were a
// third of indexing's CPU in the pipeline). With the batch as the floor,
// ten segments of one batch merge into one, as Lucene's tiered policy
// does with its floor of about one such batch: an article is rewritten
// about once per tenfold growth of the index. Searches meanwhile see up
// to about ten more segments; tidy merges them when the writer lets go.
func writingMerges(batch int) mergeplan.MergePlanOptions {
	o := mergeplan.DefaultMergePlanOptions
	o.FloorSegmentSize = int64(batch)
	return o
}

// mergeConfig returns o as scorch reads it from its configuration.
func mergeConfig(o mergeplan.MergePlanOptions) map[string]interface{} {
	return map[string]interface{}{
		"MaxSegmentsPerTier":   o.MaxSegmentsPerTier,
		"MaxSegmentSize":       o.MaxSegmentSize,
		"MaxSegmentFileSize":   o.MaxSegmentFileSize,
		"TierGrowth":           o.TierGrowth,
		"SegmentsPerMergeTask": o.SegmentsPerMergeTask,
		"FloorSegmentSize":     o.FloorSegmentSize,
		"FloorSegmentFileSize": o.FloorSegmentFileSize,
		"ReclaimDeletesWeight": o.ReclaimDeletesWeight,
	}
}

// Count returns the number of articles in the index, not counting those
// Add still buffers.
func (ix *Index) Count() (uint64, error) {
	var n uint64
	err := ix.read(context.Background(), func(bi bleve.Index) error {
		var err error
		n, err = bi.DocCount()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("index: count %s: %w", ix.dir, err)
	}
	return n, nil
}
