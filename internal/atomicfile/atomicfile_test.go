package atomicfile

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// faultFS is the real file system with one injected failure.
type faultFS struct {
	OS
	fail string // "write", "sync", "rename" or "syncdir"
}

func (f *faultFS) CreateTemp(dir, pattern string) (File, error) {
	fl, err := f.OS.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return &faultFile{File: fl, fs: f}, nil
}

func (f *faultFS) Rename(oldpath, newpath string) error {
	if f.fail == "rename" {
		return &fs.PathError{Op: "rename", Path: oldpath, Err: syscall.EIO}
	}
	return f.OS.Rename(oldpath, newpath)
}

func (f *faultFS) SyncDir(dir string) error {
	if f.fail == "syncdir" {
		return &fs.PathError{Op: "sync", Path: dir, Err: syscall.EIO}
	}
	return f.OS.SyncDir(dir)
}

type faultFile struct {
	File
	fs *faultFS
}

// Write writes half its bytes and then reports a full disk.
func (f *faultFile) Write(p []byte) (int, error) {
	if f.fs.fail == "write" {
		n, _ := f.File.Write(p[:len(p)/2])
		return n, &fs.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
	}
	return f.File.Write(p)
}

func (f *faultFile) Sync() error {
	if f.fs.fail == "sync" {
		return &fs.PathError{Op: "sync", Path: f.Name(), Err: syscall.EIO}
	}
	return f.File.Sync()
}

func names(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

func TestWriteFileFaults(t *testing.T) {
	tests := []struct {
		fail    string
		wantErr error
		want    string // the content of the file afterwards
	}{
		{"write", syscall.ENOSPC, "old"},
		{"sync", syscall.EIO, "old"},
		{"rename", syscall.EIO, "old"},
		// The rename happened, so the new content is there, but the
		// caller must still hear that its durability is unknown.
		{"syncdir", syscall.EIO, "new content"},
	}
	for _, tt := range tests {
		t.Run(tt.fail, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "f.json")
			if err := WriteFile(OS{}, path, []byte("old")); err != nil {
				t.Fatal(err)
			}
			err := WriteFile(&faultFS{fail: tt.fail}, path, []byte("new content"))
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("WriteFile with failing %s = %v, want %v", tt.fail, err, tt.wantErr)
			}
			if got, _ := os.ReadFile(path); string(got) != tt.want {
				t.Errorf("file after failing %s = %q, want %q", tt.fail, got, tt.want)
			}
			if got := names(t, dir); !slices.Equal(got, []string{"f.json"}) {
				t.Errorf("directory after failing %s holds %q, want only f.json (no temp file)", tt.fail, got)
			}
		})
	}
}

func TestWriteFileMakesDirectories(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a", "b", "f")
	if err := WriteFile(OS{}, path, []byte("isi")); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != "isi" {
		t.Errorf("ReadFile(%s) = %q, %v, want \"isi\"", path, got, err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("Stat(%s) mode = %v, %v, want 0644", path, fi.Mode().Perm(), err)
	}
	if !IsTemp(TempPrefix+"f-123") || IsTemp("f") {
		t.Errorf("IsTemp does not tell temp files from others")
	}
}

func TestTryLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".lock")
	l, err := TryLock(path)
	if err != nil {
		t.Fatal(err)
	}
	if l2, err := TryLock(path); !errors.Is(err, ErrLocked) {
		_ = l2.Unlock()
		t.Errorf("second TryLock(%s) error = %v, want ErrLocked", path, err)
	}
	if err := l.Unlock(); err != nil {
		t.Fatal(err)
	}
	l3, err := TryLock(path)
	if err != nil {
		t.Errorf("TryLock after Unlock: %v", err)
	}
	_ = l3.Unlock()
	var nilLock *Lock
	if err := nilLock.Unlock(); err != nil {
		t.Errorf("nil Lock Unlock = %v, want nil", err)
	}
}

// TestOSCalls checks the system calls OS makes itself against what the
// os package would do: CreateTemp's names and mode, and the errors that
// callers test for.
func TestOSCalls(t *testing.T) {
	dir := t.TempDir()
	seen := map[string]bool{}
	for range 20 {
		f, err := OS{}.CreateTemp(dir, ".tmp-a.json-*.part")
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f.Name())
		if !strings.HasPrefix(name, ".tmp-a.json-") || !strings.HasSuffix(name, ".part") || seen[name] {
			t.Errorf("CreateTemp made %q, want a new name .tmp-a.json-<random>.part", name)
		}
		seen[name] = true
		if fi, err := os.Stat(f.Name()); err != nil || fi.Mode().Perm() != 0o600 || fi.Size() != 0 {
			t.Errorf("Stat(%s) = %v, %v, want an empty file of mode 0600", name, fi, err)
		}
		if _, err := f.Write([]byte("isi")); err != nil {
			t.Errorf("Write to %s: %v", name, err)
		}
		if err := f.Close(); err != nil {
			t.Errorf("Close(%s): %v", name, err)
		}
	}
	for _, pattern := range []string{"*", "*.json", "plain"} {
		f, err := OS{}.CreateTemp(dir+"/", pattern)
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
		if got := filepath.Dir(f.Name()); got != dir {
			t.Errorf("CreateTemp(%s/, %q) made %s, outside the directory", dir, pattern, f.Name())
		}
		base, _ := strings.CutSuffix(filepath.Base(f.Name()), ".json")
		if rest := strings.TrimPrefix(base, "plain"); rest == "" || strings.Trim(rest, "0123456789") != "" {
			t.Errorf("CreateTemp(%q) made %q, want the pattern with a random number", pattern, filepath.Base(f.Name()))
		}
	}
	missing := filepath.Join(dir, "missing")
	if _, err := (OS{}).CreateTemp(missing, "x-*"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("CreateTemp in a missing directory = %v, want ErrNotExist (WriteWith makes the directory on it)", err)
	}
	if _, err := (OS{}).CreateTemp(dir, "a/b-*"); err == nil {
		t.Errorf("CreateTemp with a separator in the pattern succeeded, want an error")
	}
	if err := (OS{}).SyncDir(missing); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("SyncDir(missing) = %v, want ErrNotExist", err)
	}
	if err := (OS{}).SyncDir(dir); err != nil {
		t.Errorf("SyncDir(%s) = %v", dir, err)
	}
	var le *os.LinkError
	if err := (OS{}).Rename(filepath.Join(dir, "none"), filepath.Join(dir, "b")); !errors.As(err, &le) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Rename of a missing file = %v, want a *os.LinkError matching ErrNotExist", err)
	}
}

// TestReadFile reads files of sizes around its buffer's, and the errors
// callers test for, against os.ReadFile.
func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	for _, size := range []int{0, 1, 511, 512, 513, 4096, 100_000} {
		path := filepath.Join(dir, fmt.Sprint(size))
		want := make([]byte, size)
		for i := range want {
			want[i] = byte(i*7 + size)
		}
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		if got, err := ReadFile(path); err != nil || !bytes.Equal(got, want) {
			t.Errorf("ReadFile(%d bytes) = %d bytes, %v; want the file", size, len(got), err)
		}
	}
	if _, err := ReadFile(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadFile(missing) = %v, want ErrNotExist", err)
	}
	if _, err := ReadFile(dir); err == nil {
		t.Errorf("ReadFile(a directory) = nil error, want one")
	}
	// A file that /proc reports as empty still has content.
	if _, err := os.Stat("/proc/self/status"); err == nil {
		got, err := ReadFile("/proc/self/status")
		if want, _ := os.ReadFile("/proc/self/status"); err != nil || !bytes.HasPrefix(got, want[:5]) || len(got) < 100 {
			t.Errorf("ReadFile(/proc/self/status) = %q, %v, want its content", got, err)
		}
	}
}
