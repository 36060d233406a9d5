package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// TempPrefix starts the name of every temp file WriteFile makes, so that
// recovery after a crash can find and remove those left behind.
const TempPrefix = ".tmp-"

// IsTemp reports whether the base name name is one of WriteFile's temp
// files.
func IsTemp(name string) bool { return strings.HasPrefix(name, TempPrefix) }

// WriteFile makes path hold data, or leaves it as it was: the bytes go to
// a temp file in the same directory, which is synced, renamed over path,
// and then the directory is synced, so that after a crash path holds
// either the old or the new content, whole. Missing directories are made
// with MkdirAll.
func WriteFile(fsys FS, path string, data []byte) error {
	return WriteWith(fsys, path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteWith is WriteFile for content that write streams out, such as a
// ZIP package too large to hold in memory. When write fails, path is left
// as it was and the temp file is removed.
func WriteWith(fsys FS, path string, write func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	dir = filepath.Clean(dir)
	// The directory is made only when it is missing: asking first would
	// cost a stat for every file.
	f, err := fsys.CreateTemp(dir, TempPrefix+base+"-*")
	if errors.Is(err, fs.ErrNotExist) {
		if err := MkdirAll(fsys, dir); err != nil {
			return err
		}
		f, err = fsys.CreateTemp(dir, TempPrefix+base+"-*")
	}
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
	// CreateTemp makes private files; warta's files are for reading.
	if err := f.Chmod(0o644); err != nil {
		return err
	}
	if err := write(f); err != nil {
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

// MkdirAll creates dir and its missing parents, syncing the parent of
// each new directory so that the new entry survives a crash.
func MkdirAll(fsys FS, dir string) error {
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		return nil
	}
	parent := filepath.Dir(dir)
	if parent != dir {
		if err := MkdirAll(fsys, parent); err != nil {
			return err
		}
	}
	if err := fsys.MkdirAll(dir); err != nil {
		return err
	}
	return fsys.SyncDir(parent)
}
