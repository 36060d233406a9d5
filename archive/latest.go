package archive

import (
	"bufio"
	"cmp"
	"container/heap"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
)

// WalkLatestCaptures calls fn once for every URL in the archive with its
// latest capture: the latest with a 2xx status when there is one (a later
// 304 or error page does not hide the page), else the latest of all; a
// revisit comes with the payload it refers to. URLs come in CDXJ key
// order (SURT), then by URL. It streams the CDXJ index files, one line of
// each in memory at a time, so it suits archives of millions of captures.
// This is what `warta reextract` needs: each page once, in its newest
// form. It stops at the first error from fn, an unreadable capture, or
// when ctx is done.
func (s *Store) WalkLatestCaptures(ctx context.Context, fn func(*Capture, Ref) error) error {
	return s.walkLatestOf(ctx, "walk latest captures", nil, fn)
}

// WalkLatestPages is WalkLatestCaptures over the URLs whose latest
// capture may be an HTML page: its media type names HTML, is unknown, or
// is that of a revisit. Images and other media are not read at all, which
// is most of an archive with galleries: this is what reextract wants.
// When want is not nil, it is asked about each URL before its capture is
// read, so that pages the caller has no use for (listings, say) cost no
// reading either.
func (s *Store) WalkLatestPages(ctx context.Context, want func(url string) bool, fn func(*Capture, Ref) error) error {
	keep := mayBeHTML
	if want != nil {
		keep = func(e IndexEntry) bool { return mayBeHTML(e) && want(e.URL) }
	}
	return s.walkLatestOf(ctx, "walk latest pages", keep, fn)
}

// walkLatestOf is WalkLatestCaptures over the URLs whose latest entry keep
// accepts (all when keep is nil); op names it in errors.
func (s *Store) walkLatestOf(ctx context.Context, op string, keep func(IndexEntry) bool, fn func(*Capture, Ref) error) error {
	done, err := s.enter(false)
	if err != nil {
		return fmt.Errorf("archive: %s: %w", op, err)
	}
	done() // not held while fn runs, as in Walk
	var fnErr error
	err = s.walkLatest(ctx, keep, func(c *Capture, ref Ref) error {
		fnErr = fn(c, ref)
		return fnErr
	})
	if err != nil && (fnErr == nil || err != fnErr) {
		return fmt.Errorf("archive: %s: %w", op, err)
	}
	return err
}

// mayBeHTML reports whether the capture e indexes may be an HTML page.
func mayBeHTML(e IndexEntry) bool {
	m := strings.ToLower(e.Mime)
	return m == "" || e.Revisit() || strings.Contains(m, "html")
}

// walkLatest hands fn the latest capture of each URL whose entry keep
// accepts (every URL when keep is nil).
func (s *Store) walkLatest(ctx context.Context, keep func(IndexEntry) bool, fn func(*Capture, Ref) error) error {
	// The current file's entries first, then the index files: a file
	// closed in between is seen twice, and duplicates are dropped.
	pending := s.w.pendingSorted()
	files, err := warcFiles(s.warcDir())
	if err != nil {
		return err
	}
	h := &cursorHeap{}
	defer func() {
		for _, c := range *h {
			c.close()
		}
	}()
	push := func(c *cursor) error {
		if err := c.next(); err != nil {
			c.close()
			return err
		}
		if c.ok {
			heap.Push(h, c)
		} else {
			c.close()
		}
		return nil
	}
	if err := push(&cursor{mem: pending}); err != nil {
		return err
	}
	for _, name := range files {
		f, err := os.Open(cdxjPath(s.warcDir(), name))
		if errors.Is(err, fs.ErrNotExist) {
			continue // the file being written, or one not yet indexed
		}
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64<<10), 16<<20)
		if err := push(&cursor{f: f, sc: sc, name: name}); err != nil {
			return err
		}
	}
	for h.Len() > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		key := (*h)[0].key
		var group []IndexEntry
		for h.Len() > 0 && (*h)[0].key == key {
			c := (*h)[0]
			group = append(group, c.entry)
			if err := c.next(); err != nil {
				return err
			}
			if c.ok {
				heap.Fix(h, 0)
			} else {
				heap.Pop(h)
				c.close()
			}
		}
		for _, e := range latestPerURL(group) {
			if keep != nil && !keep(e) {
				continue
			}
			if s.isClosed() {
				return ErrClosed
			}
			c, err := s.readCapture(e.Ref, 0)
			if err != nil {
				return fmt.Errorf("%s at %s: %w", e.URL, e.Ref, err)
			}
			if err := fn(c, e.Ref); err != nil {
				return err
			}
		}
	}
	return nil
}

// latestPerURL picks, for each URL among entries of one key, the latest
// 2xx capture or, failing that, the latest capture; sorted by URL.
func latestPerURL(group []IndexEntry) []IndexEntry {
	best := map[string]IndexEntry{}
	for _, e := range group {
		b, ok := best[e.URL]
		ok2 := e.Status/100 == 2
		bok2 := b.Status/100 == 2
		switch {
		case !ok, ok2 && !bok2, ok2 == bok2 && e.Time.After(b.Time):
			best[e.URL] = e
		case ok2 == bok2 && e.Time.Equal(b.Time) && e.Ref.File == b.Ref.File && e.Ref.Offset > b.Ref.Offset:
			best[e.URL] = e
		}
	}
	out := make([]IndexEntry, 0, len(best))
	for _, e := range best {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b IndexEntry) int { return strings.Compare(a.URL, b.URL) })
	return out
}

// cursor reads one sorted source of index entries: a CDXJ file or the
// current file's entries in memory.
type cursor struct {
	f    *os.File
	sc   *bufio.Scanner
	name string
	line int

	mem []IndexEntry

	ok    bool
	key   string
	entry IndexEntry
}

func (c *cursor) next() error {
	if c.sc == nil {
		c.ok = len(c.mem) > 0
		if c.ok {
			c.entry, c.mem = c.mem[0], c.mem[1:]
			c.key = surtKey(c.entry.URL)
		}
		return nil
	}
	c.ok = c.sc.Scan()
	if !c.ok {
		return c.sc.Err()
	}
	c.line++
	key, e, err := parseCDXJ(c.sc.Text())
	if err != nil {
		return fmt.Errorf("%s.cdxj line %d: %w", c.name, c.line, err)
	}
	c.key, c.entry = key, e
	return nil
}

func (c *cursor) close() {
	if c.f != nil {
		c.f.Close()
		c.f = nil
	}
}

// cursorHeap orders cursors by their current key.
type cursorHeap []*cursor

func (h cursorHeap) Len() int           { return len(h) }
func (h cursorHeap) Less(i, j int) bool { return h[i].key < h[j].key }
func (h cursorHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *cursorHeap) Push(x any)        { *h = append(*h, x.(*cursor)) }
func (h *cursorHeap) Pop() any {
	old := *h
	c := old[len(old)-1]
	*h = old[:len(old)-1]
	return c
}

// pendingSorted returns the current file's index entries in key order.
func (w *warcWriter) pendingSorted() []IndexEntry {
	w.mu.Lock()
	es := append([]IndexEntry(nil), w.entries...)
	w.mu.Unlock()
	slices.SortStableFunc(es, func(a, b IndexEntry) int { return cmp.Compare(surtKey(a.URL), surtKey(b.URL)) })
	return es
}
