package archive

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
	"time"

	"github.com/bits-and-blooms/bloom/v3"
)

// keyFilters holds a Bloom filter of the keys of each index file that a
// lookup has searched, so that a lookup reads only the index files that
// may hold its key. Without them every SaveCapture of a URL new to the
// current WARC file (its revisit check) and every capture import checks
// with Has searched the index of every closed WARC file, a file open and
// a few reads each: an archive kept for a year of daily sessions holds
// hundreds of them. A new URL now reads none.
type keyFilters struct {
	mu sync.Mutex
	m  map[string]*keyFilter // by index file path
}

// keyFilter is the filter of one index file, and the size and time the
// file had when it was read.
type keyFilter struct {
	size int64
	mod  time.Time
	keys *bloom.BloomFilter
}

// mayHold reports whether the index file at path may hold key: false
// means it surely does not, or does not exist. A writable store's own
// closed files do not change once their index is written (recovery runs
// before any lookup), so with recheck false the filter is trusted without
// looking at the file again; a read-only store rechecks its size and time,
// since another process may write or rebuild an index meanwhile.
func (k *keyFilters) mayHold(path, key string, recheck bool) (bool, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	f := k.m[path]
	if f != nil && !recheck {
		return f.keys.TestString(key), nil
	}
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		// Not written yet, or lost: searchCDXJ finds nothing either. The
		// next lookup looks again.
		delete(k.m, path)
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if f == nil || f.size != fi.Size() || !f.mod.Equal(fi.ModTime()) {
		// Built under the lock: at the start of a crawl every worker
		// would otherwise read the same files at once.
		if f, err = readKeyFilter(path, fi); err != nil {
			return false, err
		}
		if k.m == nil {
			k.m = map[string]*keyFilter{}
		}
		k.m[path] = f
	}
	return f.keys.TestString(key), nil
}

// readKeyFilter reads the keys of the index file at path, whose Stat is
// fi, into a filter.
func readKeyFilter(path string, fi fs.FileInfo) (*keyFilter, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	// A line holds a key, a time and a JSON block with the URL, digest
	// and file name: rarely under 128 bytes. Guessing more lines than
	// there are costs memory, fewer would raise the false positives.
	keys := bloom.NewWithEstimates(uint(fi.Size()/128)+1, 0.01)
	br := bufio.NewReaderSize(file, 64<<10)
	start := true // at the start of a line
	for {
		line, err := br.ReadSlice('\n')
		if start && len(line) > 0 {
			// A line longer than the buffer comes in pieces; its key,
			// which ends at the first space, is in the first.
			key, _, _ := bytes.Cut(bytes.TrimSuffix(line, []byte("\n")), []byte(" "))
			keys.Add(key)
		}
		start = err == nil
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	return &keyFilter{size: fi.Size(), mod: fi.ModTime(), keys: keys}, nil
}
