package archive

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// fileSystem is the part of the operating system that the write paths use.
// Store holds one so that tests can inject a full disk or a failing fsync
// and check that no partial file is left behind.
type fileSystem interface {
	MkdirAll(dir string) error
	CreateTemp(dir, pattern string) (file, error)
	OpenAppend(name string) (file, error)
	Rename(oldpath, newpath string) error
	Remove(name string) error
	SyncDir(dir string) error
}

// file is a file open for writing.
type file interface {
	io.Writer
	Name() string
	Chmod(mode os.FileMode) error
	Sync() error
	Truncate(size int64) error
	Close() error
}

// osFS is the real file system.
type osFS struct{}

func (osFS) MkdirAll(dir string) error { return os.MkdirAll(dir, 0o755) }

func (osFS) CreateTemp(dir, pattern string) (file, error) { return os.CreateTemp(dir, pattern) }

func (osFS) OpenAppend(name string) (file, error) {
	return os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
}

func (osFS) Rename(oldpath, newpath string) error { return os.Rename(oldpath, newpath) }

func (osFS) Remove(name string) error { return os.Remove(name) }

func (osFS) SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	// Some file systems cannot sync a directory; the rename is as durable as
	// they make it.
	if errors.Is(err, os.ErrInvalid) {
		err = nil
	}
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// tempPrefix starts the name of every temp file the store writes, so that
// recovery can find and remove those a crash left behind.
const tempPrefix = ".tmp-"

// isTemp reports whether name is one of the store's temp files.
func isTemp(name string) bool { return strings.HasPrefix(name, tempPrefix) }

// writeFileAtomic makes path hold data, or leaves it as it was: the bytes go
// to a temp file in the same directory, which is synced, renamed over path,
// and then the directory is synced, so that after a crash path holds either
// the old or the new content, whole.
func writeFileAtomic(fsys fileSystem, path string, data []byte) (err error) {
	dir, base := filepath.Split(path)
	dir = filepath.Clean(dir)
	if err := mkdirAllSynced(fsys, dir); err != nil {
		return err
	}
	f, err := fsys.CreateTemp(dir, tempPrefix+base+"-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = fsys.Remove(tmp)
		}
	}()
	// CreateTemp makes private files; archive files are for reading.
	if err := f.Chmod(0o644); err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := fsys.Rename(tmp, path); err != nil {
		return err
	}
	if err := fsys.SyncDir(dir); err != nil {
		// The rename happened; whether it survives a crash is unknown, but
		// the temp name is gone, so there is nothing to remove.
		return fmt.Errorf("sync dir: %w", err)
	}
	return nil
}

// mkdirAllSynced creates dir and its missing parents, syncing each parent
// of a new directory so that the new entry survives a crash.
func mkdirAllSynced(fsys fileSystem, dir string) error {
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		return nil
	}
	parent := filepath.Dir(dir)
	if parent != dir {
		if err := mkdirAllSynced(fsys, parent); err != nil {
			return err
		}
	}
	if err := fsys.MkdirAll(dir); err != nil {
		return err
	}
	return fsys.SyncDir(parent)
}
