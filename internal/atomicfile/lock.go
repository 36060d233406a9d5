package atomicfile

import (
	"errors"
	"os"
)

// ErrLocked says that another process, or another Lock in this one,
// holds a lock.
var ErrLocked = errors.New("locked by another process")

// Lock is an exclusive lock on a file, held until Unlock or until the
// process ends: a crash leaves no stale lock behind.
type Lock struct {
	f *os.File
}

// TryLock takes an exclusive lock on the file at path, creating it if
// need be, without waiting: it fails with an error wrapping ErrLocked if
// the lock is held. Where the platform has no flock, the file is opened
// but nothing is locked, and the caller must make sure only one process
// writes.
func TryLock(path string) (*Lock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := flock(f); err != nil {
		_ = f.Close()
		return nil, err
	}
	return &Lock{f: f}, nil
}

// Unlock releases the lock. Unlocking a nil Lock does nothing.
func (l *Lock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	f := l.f
	l.f = nil
	return f.Close()
}
