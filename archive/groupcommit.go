package archive

import (
	"errors"
	"sync"
)

// groupCommit tells the goroutines that appended to a WARC file when their
// writes are settled: made durable by a sync, or lost to a failed one.
// Writes are numbered in the order they were appended (warcWriter.seq).
// One waiter at a time syncs the file, and that sync covers every write
// made before it began, so that the disk's sync rate does not cap the
// capture rate; the other waiters sleep until it is done.
//
// Lock order: warcWriter.mu before groupCommit.mu. Code that holds
// groupCommit.mu never takes warcWriter.mu: wait releases its own lock
// before it calls the writer to sync or to cut a file back.
type groupCommit struct {
	w *warcWriter

	mu      sync.Mutex
	cond    *sync.Cond // on mu: a sync finished
	syncing bool       // a waiter is syncing
	settled uint64     // every write up to here is settled
	durable mark       // where the last good sync left the file
	lost    []seqRange // settled writes that a failed sync lost
}

// mark is a point in the writer's files: the size of file number gen.
type mark struct {
	gen  uint64
	size int64
}

// seqRange is the writes (from, to] that a failed sync lost.
type seqRange struct{ from, to uint64 }

// errLost is the error of a write that a failed sync lost.
var errLost = errors.New("sync WARC file: the records written since the last sync were lost")

func newGroupCommit(w *warcWriter) *groupCommit {
	g := &groupCommit{w: w}
	g.cond = sync.NewCond(&g.mu)
	return g
}

// wait returns once write seq is settled, and its error if it was lost.
// When no other waiter is syncing it syncs the file itself; when that sync
// fails, the writes it did not cover are cut off the file, and the writes
// cut off report the error.
func (g *groupCommit) wait(seq uint64) error {
	g.mu.Lock()
	for {
		if done, err := g.outcome(seq); done {
			g.mu.Unlock()
			return err
		}
		if !g.syncing {
			break
		}
		g.cond.Wait()
	}
	g.syncing = true
	g.mu.Unlock()

	upTo, at, err := g.w.syncFile()

	g.mu.Lock()
	if err != nil && upTo > g.settled {
		durable := g.durable
		g.mu.Unlock()
		lostTo := g.w.cutBack(at.gen, durable, upTo, err)
		g.mu.Lock()
		g.loseLocked(lostTo)
	} else if upTo > g.settled {
		// Synced; or the sync failed harmlessly because the file was
		// closed meanwhile, and closing settled its writes.
		g.settled, g.durable = upTo, at
	}
	g.syncing = false
	g.cond.Broadcast()
	done, serr := g.outcome(seq)
	g.mu.Unlock()
	if !done {
		return g.wait(seq)
	}
	return serr
}

// outcome reports whether write seq is settled, and its error if it was
// lost. g.mu must be held.
func (g *groupCommit) outcome(seq uint64) (bool, error) {
	if seq > g.settled {
		return false, nil
	}
	for _, r := range g.lost {
		if seq > r.from && seq <= r.to {
			return true, errLost
		}
	}
	return true, nil
}

// loseLocked settles every write up to lostTo as lost. g.mu must be held.
func (g *groupCommit) loseLocked(lostTo uint64) {
	if lostTo > g.settled {
		g.lost = append(g.lost, seqRange{g.settled, lostTo})
		g.settled = lostTo
	}
}

// synced records that every write up to seq is durable, the file being
// at. The writer calls it, holding warcWriter.mu, when it synced the file
// itself: after a file's first record, and when it closes a file.
func (g *groupCommit) synced(seq uint64, at mark) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.settled, g.durable = max(g.settled, seq), at
	g.cond.Broadcast()
}

// closeFailed settles every write up to seq as lost after the final sync
// of a file failed, and returns where the last good sync left the file,
// with ok false when that was in another file (or no write was pending).
// The writer calls it holding warcWriter.mu.
func (g *groupCommit) closeFailed(seq uint64, at mark) (durable mark, ok bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if seq <= g.settled {
		g.durable = at
		return mark{}, false
	}
	durable, ok = g.durable, g.durable.gen == at.gen
	g.loseLocked(seq)
	g.durable = at
	g.cond.Broadcast()
	return durable, ok
}
