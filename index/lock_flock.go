//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package index

import (
	"errors"
	"os"
	"syscall"
)

// tryLock takes an exclusive lock on the file at path without waiting.
// It reports errBusy when another process (or another open file in this
// one) holds it. The lock ends with the returned unlock, or with the
// process: a crashed rebuild leaves no stale lock behind.
func tryLock(path string) (unlock func() error, err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, errBusy
		}
		return nil, err
	}
	return f.Close, nil
}
