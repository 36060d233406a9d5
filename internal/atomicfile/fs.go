package atomicfile

import (
	"io"
	"os"
)

// FS is the part of the operating system that crash-safe writes use. Code
// that writes holds one, so that its tests can inject a full disk or a
// failing fsync and check that no partial file is left behind.
type FS interface {
	MkdirAll(dir string) error
	CreateTemp(dir, pattern string) (File, error)
	OpenAppend(name string) (File, error)
	Rename(oldpath, newpath string) error
	Remove(name string) error
	SyncDir(dir string) error
}

// File is a file open for writing.
type File interface {
	io.Writer
	Name() string
	Chmod(mode os.FileMode) error
	Sync() error
	Truncate(size int64) error
	Close() error
}

// OS is the real file system.
type OS struct{}

// MkdirAll creates dir and its missing parents, without syncing them.
func (OS) MkdirAll(dir string) error { return os.MkdirAll(dir, 0o755) }

// CreateTemp creates a new private file in dir, as os.CreateTemp does.
func (OS) CreateTemp(dir, pattern string) (File, error) { return createTemp(dir, pattern) }

// OpenAppend opens name for appending, creating it if need be.
func (OS) OpenAppend(name string) (File, error) {
	return os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
}

// Rename renames oldpath to newpath, replacing newpath.
func (OS) Rename(oldpath, newpath string) error { return rename(oldpath, newpath) }

// Remove removes the file name.
func (OS) Remove(name string) error { return os.Remove(name) }

// SyncDir syncs the directory dir, so that the entries created, renamed
// or removed in it survive a crash. Some file systems cannot sync a
// directory; there the entries are as durable as they make them.
func (OS) SyncDir(dir string) error { return syncDir(dir) }
