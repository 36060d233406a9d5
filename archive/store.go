package archive

import (
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/warta-id/warta/internal/atomicfile"
)

// ErrNotFound is returned (wrapped) when an article, a version or a capture
// is not in the archive.
var ErrNotFound = errors.New("not found")

// ErrInvalidID is the error of an article id that no article can have.
var ErrInvalidID = errors.New("not an article id")

// ErrClosed is returned (wrapped) by a Store that has been closed.
var ErrClosed = errors.New("archive closed")

// ErrReadOnly is returned (wrapped) by the write methods of a Store opened
// with Options.ReadOnly.
var ErrReadOnly = errors.New("archive opened read-only")

// DefaultMaxWARCBytes is the size at which a WARC file is closed and the
// next one started, when Options.MaxWARCBytes is 0.
const DefaultMaxWARCBytes = 1 << 30

// Options configure a Store. The zero value is the documented default.
type Options struct {
	// Logger receives the store's log records; nil discards them.
	Logger *slog.Logger
	// MaxWARCBytes is the size after which a WARC file is closed and the
	// next one started; 0 means DefaultMaxWARCBytes (1 GB). A single
	// capture larger than this still goes whole into one file.
	MaxWARCBytes int64
	// Software names the program in each WARC file's warcinfo record; ""
	// means "warta".
	Software string
	// ReadOnly opens the store for reading only: no lock is taken, no
	// recovery runs, and the write methods fail with ErrReadOnly. Use it
	// to read an archive that another process is writing.
	ReadOnly bool
	// FS is the file system the store writes through; nil means the
	// operating system's. Benchmarks count fsyncs with it.
	FS atomicfile.FS
}

// Store is an archive in a data directory: WARC captures and article
// files. Its methods are safe for concurrent use. Only one process may
// open a data directory for writing at a time.
type Store struct {
	dir      string
	opt      Options
	log      *slog.Logger
	fs       atomicfile.FS
	now      func() time.Time
	hostname string

	lock *atomicfile.Lock // nil when read-only

	// active names the WARC files that another process is writing, when a
	// read-only store found the lock held; their tails may be incomplete
	// and their indexes not yet written.
	active map[string]bool

	closeMu sync.RWMutex // held for writing by Close
	closed  bool

	articleLocks [64]sync.Mutex // striped by article id

	w *warcWriter

	keys keyFilters // of the closed WARC files' indexes
}

// Open opens the archive in the data directory dir, creating the
// directories it needs. Unless the store is read-only it takes the
// directory's lock and, after a crash, recovers: temp files are removed and
// a WARC file cut off mid-record has its torn tail moved aside to a .torn
// file.
func Open(dir string, opt Options) (*Store, error) {
	fsys := opt.FS
	if fsys == nil {
		fsys = atomicfile.OS{}
	}
	return open(dir, opt, fsys)
}

func open(dir string, opt Options, fsys atomicfile.FS) (*Store, error) {
	if dir == "" {
		return nil, errors.New("archive: open: empty data directory")
	}
	if opt.MaxWARCBytes < 0 {
		return nil, fmt.Errorf("archive: open %s: negative max WARC bytes %d", dir, opt.MaxWARCBytes)
	}
	if opt.MaxWARCBytes == 0 {
		opt.MaxWARCBytes = DefaultMaxWARCBytes
	}
	if opt.Software == "" {
		opt.Software = "warta"
	}
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "localhost"
	}
	s := &Store{
		dir:      dir,
		opt:      opt,
		log:      log,
		fs:       fsys,
		now:      time.Now,
		hostname: sanitizeHost(host),
	}
	if opt.ReadOnly {
		if fi, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("archive: open %s: %w", dir, err)
		} else if !fi.IsDir() {
			return nil, fmt.Errorf("archive: open %s: not a directory", dir)
		}
		s.w = newWARCWriter(s)
		if err := s.noteActiveWriter(); err != nil {
			return nil, fmt.Errorf("archive: open %s: %w", dir, err)
		}
		return s, nil
	}
	for _, d := range []string{s.articlesDir(), s.warcDir()} {
		if err := atomicfile.MkdirAll(fsys, d); err != nil {
			return nil, fmt.Errorf("archive: open %s: %w", dir, err)
		}
	}
	lock, err := atomicfile.TryLock(filepath.Join(s.warcDir(), ".lock"))
	if errors.Is(err, atomicfile.ErrLocked) {
		return nil, fmt.Errorf("archive: open %s: data directory in use: %w", dir, err)
	}
	if err != nil {
		return nil, fmt.Errorf("archive: open %s: %w", dir, err)
	}
	s.lock = lock
	if err := s.recover(); err != nil {
		_ = lock.Unlock()
		return nil, fmt.Errorf("archive: open %s: %w", dir, err)
	}
	s.w = newWARCWriter(s)
	return s, nil
}

// noteActiveWriter finds out, for a read-only store, whether a writer is
// running and which WARC files it is writing.
func (s *Store) noteActiveWriter() error {
	lockPath := filepath.Join(s.warcDir(), ".lock")
	if _, err := os.Stat(lockPath); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	l, err := atomicfile.TryLock(lockPath)
	if err == nil {
		return l.Unlock()
	}
	if !errors.Is(err, atomicfile.ErrLocked) {
		return nil // a lock we cannot take for reading is no sign of a writer
	}
	data, err := os.ReadFile(s.dirtyPath())
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	s.active = map[string]bool{}
	for _, name := range strings.Split(string(data), "\n") {
		if name = strings.TrimSpace(name); name != "" {
			s.active[name] = true
		}
	}
	return nil
}

// Close finishes the current WARC file and releases the data directory.
// The store cannot be used afterwards. Closing twice is not an error.
func (s *Store) Close() error {
	s.closeMu.Lock()
	defer s.closeMu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	if s.opt.ReadOnly {
		return nil
	}
	var errs []error
	if err := s.w.close(); err != nil {
		errs = append(errs, err)
	}
	if len(errs) == 0 {
		// A clean shutdown: the next Open need not look for debris.
		if err := s.fs.Remove(s.dirtyPath()); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		} else if err := s.fs.SyncDir(s.warcDir()); err != nil {
			errs = append(errs, err)
		}
	}
	if err := s.lock.Unlock(); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("archive: close %s: %w", s.dir, err)
	}
	return nil
}

// enter guards a method against a closed store; the caller must call the
// returned function when done.
func (s *Store) enter(write bool) (func(), error) {
	s.closeMu.RLock()
	if s.closed {
		s.closeMu.RUnlock()
		return nil, ErrClosed
	}
	if write && s.opt.ReadOnly {
		s.closeMu.RUnlock()
		return nil, ErrReadOnly
	}
	return s.closeMu.RUnlock, nil
}

// isClosed reports whether Close has been called.
func (s *Store) isClosed() bool {
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	return s.closed
}

// Dir returns the data directory the store was opened on.
func (s *Store) Dir() string { return s.dir }

func (s *Store) articlesDir() string { return filepath.Join(s.dir, "articles") }
func (s *Store) warcDir() string     { return filepath.Join(s.dir, "warc") }
func (s *Store) dirtyPath() string   { return filepath.Join(s.warcDir(), ".dirty") }

// articleLock returns the mutex that serializes writes to article id.
func (s *Store) articleLock(id string) *sync.Mutex {
	h := fnv.New32a()
	h.Write([]byte(id))
	return &s.articleLocks[h.Sum32()%uint32(len(s.articleLocks))]
}

// recover cleans up after a process that did not close the store: it
// removes temp files and repairs the WARC files that the crashed session
// was writing (the dirty marker lists them). It also indexes any WARC file
// that has no index. After a clean shutdown it costs one directory read.
func (s *Store) recover() error {
	data, err := os.ReadFile(s.dirtyPath())
	crashed := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	dirty := map[string]bool{}
	if crashed {
		s.log.Warn("archive_recovering", "dir", s.dir)
		if err := s.removeTemps(); err != nil {
			return err
		}
		for _, name := range strings.Split(string(data), "\n") {
			if name = strings.TrimSpace(name); name != "" {
				dirty[name] = true
			}
		}
	}
	if err := s.checkWARCFiles(dirty); err != nil {
		return err
	}
	return s.markDirty()
}

// markDirty records that a session is running, so that a crash is noticed
// by the next Open.
func (s *Store) markDirty() error {
	return atomicfile.WriteFile(s.fs, s.dirtyPath(), nil)
}

// noteWARCFile adds a WARC file to the dirty marker before its first byte
// is written, so that recovery knows which files to check.
func (s *Store) noteWARCFile(name string) error {
	old, err := os.ReadFile(s.dirtyPath())
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return atomicfile.WriteFile(s.fs, s.dirtyPath(), append(old, name+"\n"...))
}

// removeTemps deletes the temp files that interrupted atomic writes left
// in the articles and warc directories.
func (s *Store) removeTemps() error {
	var removed int
	for _, root := range []string{s.articlesDir(), s.warcDir()} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && atomicfile.IsTemp(d.Name()) {
				if err := s.fs.Remove(path); err != nil {
					return err
				}
				removed++
			}
			return nil
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove temp files: %w", err)
		}
	}
	if removed > 0 {
		s.log.Info("temp_files_removed", "count", removed)
	}
	return nil
}

// sanitizeHost keeps a host name usable in a file name.
func sanitizeHost(h string) string {
	var b strings.Builder
	for _, r := range h {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}
