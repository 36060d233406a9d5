package archive

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"weak"

	"github.com/warta-id/warta/internal/atomicfile"
)

// faultFS is the real file system with injectable failures: writes that
// stop part way with "no space left on device", or a failing fsync.
type faultFS struct {
	atomicfile.OS
	mu        sync.Mutex
	writeFail bool // a Write writes half its bytes, then fails
	syncFail  bool // Sync fails
	match     string
}

func (f *faultFS) set(write, sync bool, match string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.writeFail, f.syncFail, f.match = write, sync, match
}

func (f *faultFS) faults(name string) (write, sync bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !strings.HasSuffix(filepath.Base(name), f.match) {
		return false, false
	}
	return f.writeFail, f.syncFail
}

func (f *faultFS) CreateTemp(dir, pattern string) (atomicfile.File, error) {
	fl, err := f.OS.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return &faultFile{File: fl, fs: f}, nil
}

func (f *faultFS) OpenAppend(name string) (atomicfile.File, error) {
	fl, err := f.OS.OpenAppend(name)
	if err != nil {
		return nil, err
	}
	return &faultFile{File: fl, fs: f}, nil
}

type faultFile struct {
	atomicfile.File
	fs *faultFS
}

func (f *faultFile) Write(p []byte) (int, error) {
	if w, _ := f.fs.faults(f.Name()); w {
		n, _ := f.File.Write(p[:len(p)/2])
		return n, &fs.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
	}
	return f.File.Write(p)
}

func (f *faultFile) Sync() error {
	if _, s := f.fs.faults(f.Name()); s {
		return &fs.PathError{Op: "sync", Path: f.Name(), Err: syscall.EIO}
	}
	return f.File.Sync()
}

// listFiles returns every file under dir, relative to it.
func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestInjectedArticleWriteFailure(t *testing.T) {
	tests := []struct {
		name        string
		write, sync bool
		wantErr     error
	}{
		{"disk full", true, false, syscall.ENOSPC},
		{"fsync fails", false, true, syscall.EIO},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			ffs := &faultFS{}
			s, err := open(dir, Options{}, ffs)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			v1 := testArticle("https://example.org/baca/f", "Versi satu.")
			if _, err := s.SaveArticle(v1); err != nil {
				t.Fatal(err)
			}
			before := listFiles(t, filepath.Join(dir, "articles"))

			ffs.set(tt.write, tt.sync, "")
			fresh := testArticle("https://example.org/baca/g", "Baru.")
			if r, err := s.SaveArticle(fresh); !errors.Is(err, tt.wantErr) {
				t.Errorf("SaveArticle(new) with %s = %v, %v, want error %v", tt.name, r, err, tt.wantErr)
			}
			v2 := testArticle(v1.URL, "Versi dua.")
			if r, err := s.SaveArticle(v2); !errors.Is(err, tt.wantErr) {
				t.Errorf("SaveArticle(changed) with %s = %v, %v, want error %v", tt.name, r, err, tt.wantErr)
			}
			ffs.set(false, false, "")

			if diff := strings.Join(listFiles(t, filepath.Join(dir, "articles")), "\n"); diff != strings.Join(before, "\n") {
				t.Errorf("files after failed saves:\n%s\nwant as before:\n%s", diff, strings.Join(before, "\n"))
			}
			got, err := s.Article(v1.ID)
			if err != nil || got.ContentHash != v1.ContentHash {
				t.Errorf("Article(%s) after failed save = %v, %v, want version one intact", v1.ID, got, err)
			}
			if _, err := s.Article(fresh.ID); !errors.Is(err, ErrNotFound) {
				t.Errorf("Article(%s) after failed save error = %v, want ErrNotFound", fresh.ID, err)
			}
			// The same saves succeed once the disk is healthy again.
			if r, err := s.SaveArticle(v2); err != nil || r != Changed {
				t.Errorf("SaveArticle(changed) after recovery = %v, %v, want Changed", r, err)
			}
			if vs, err := s.Versions(v1.ID); err != nil || len(vs) != 2 {
				t.Errorf("Versions(%s) = %v, %v, want 2", v1.ID, vs, err)
			}
		})
	}
}

func TestInjectedCaptureWriteFailure(t *testing.T) {
	for _, tt := range []struct {
		name        string
		write, sync bool
	}{
		{"disk full", true, false},
		{"fsync fails", false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			ffs := &faultFS{}
			s, err := open(dir, Options{}, ffs)
			if err != nil {
				t.Fatal(err)
			}
			ok1, err := s.SaveCapture(testCapture("https://example.org/1", "satu"))
			if err != nil {
				t.Fatal(err)
			}
			warc := filepath.Join(dir, "warc", ok1.File)
			fi, _ := os.Stat(warc)
			ffs.set(tt.write, tt.sync, ".warc.gz")
			if ref, err := s.SaveCapture(testCapture("https://example.org/2", "dua")); err == nil {
				t.Errorf("SaveCapture with %s = %v, nil, want an error", tt.name, ref)
			}
			ffs.set(false, false, "")
			if fi2, _ := os.Stat(warc); fi2.Size() != fi.Size() {
				t.Errorf("WARC file after failed capture is %d bytes, want %d as before", fi2.Size(), fi.Size())
			}
			ok3, err := s.SaveCapture(testCapture("https://example.org/3", "tiga"))
			if err != nil {
				t.Fatalf("SaveCapture after recovery: %v", err)
			}
			check := func(s *Store) {
				t.Helper()
				for _, ref := range []Ref{ok1, ok3} {
					if _, err := s.ReadCapture(ref); err != nil {
						t.Errorf("ReadCapture(%s) error: %v", ref, err)
					}
				}
				for _, u := range []string{"https://example.org/1", "https://example.org/3"} {
					if _, err := s.Lookup(u, time.Time{}); err != nil {
						t.Errorf("Lookup(%s) error: %v", u, err)
					}
				}
				if _, err := s.Lookup("https://example.org/2", time.Time{}); !errors.Is(err, ErrNotFound) {
					t.Errorf("Lookup(failed capture) error = %v, want ErrNotFound", err)
				}
			}
			check(s)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			files, _ := warcFiles(filepath.Join(dir, "warc"))
			var captures int
			for _, f := range files {
				captures += (len(readRecords(t, filepath.Join(dir, "warc", f))) - 1) / 2
			}
			if captures != 2 {
				t.Errorf("WARC files hold %d captures, want 2", captures)
			}
			check(openTest(t, dir))
		})
	}
}

// TestGroupCommitFailure saves captures from several goroutines while
// fsync starts failing half way: every capture reported saved must be
// there after reopening, and none reported failed.
func TestGroupCommitFailure(t *testing.T) {
	dir := t.TempDir()
	ffs := &faultFS{}
	s, err := open(dir, Options{}, ffs)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	saved, failed := map[string]bool{}, map[string]bool{}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 40 {
				if w == 0 && i == 20 {
					ffs.set(false, true, ".warc.gz")
				}
				u := fmt.Sprintf("https://example.org/%d/%d", w, i)
				_, err := s.SaveCapture(testCapture(u, "isi"))
				mu.Lock()
				if err == nil {
					saved[u] = true
				} else {
					failed[u] = true
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	ffs.set(false, false, "")
	_ = s.Close()
	if len(failed) == 0 || len(saved) == 0 {
		t.Fatalf("%d saved, %d failed; want some of each", len(saved), len(failed))
	}
	r := openTest(t, dir)
	for u := range saved {
		if _, err := r.Lookup(u, time.Time{}); err != nil {
			t.Errorf("capture %s was reported saved but Lookup says %v", u, err)
		}
	}
	for u := range failed {
		if _, err := r.Lookup(u, time.Time{}); err == nil {
			t.Errorf("capture %s was reported failed but is in the archive", u)
		}
	}
}

// TestUnsyncedCaptureSettled saves captures without waiting for their
// fsync, then makes the next sync fail: settling them reports the loss,
// and they are not in the archive; captures settled before the failure
// stay, and a capture saved after the disk recovers settles cleanly.
func TestUnsyncedCaptureSettled(t *testing.T) {
	dir := t.TempDir()
	ffs := &faultFS{}
	s, err := open(dir, Options{}, ffs)
	if err != nil {
		t.Fatal(err)
	}
	save := func(u string) func() error {
		t.Helper()
		_, settle, err := s.SaveCaptureUnsynced(testCapture(u, "gambar "+u))
		if err != nil {
			t.Fatalf("SaveCaptureUnsynced(%s): %v", u, err)
		}
		return settle
	}
	kept := save("https://example.org/img/1.jpg")
	if err := kept(); err != nil {
		t.Fatalf("settle of a capture on a sound disk = %v, want nil", err)
	}
	if err := kept(); err != nil {
		t.Fatalf("second settle = %v, want nil again", err)
	}
	lostA, lostB := save("https://example.org/img/2.jpg"), save("https://example.org/img/3.jpg")
	ffs.set(false, true, ".warc.gz")
	if err := lostB(); !errors.Is(err, errLost) && !errors.Is(err, syscall.EIO) {
		t.Errorf("settle after a failed sync = %v, want the loss reported", err)
	}
	if err := lostA(); err == nil {
		t.Errorf("settle of the earlier capture the failed sync lost = nil, want an error")
	}
	ffs.set(false, false, "")
	if err := save("https://example.org/img/4.jpg")(); err != nil {
		t.Errorf("settle after the disk recovered = %v, want nil", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	r := openTest(t, dir)
	for u, want := range map[string]bool{"https://example.org/img/1.jpg": true, "https://example.org/img/2.jpg": false,
		"https://example.org/img/3.jpg": false, "https://example.org/img/4.jpg": true} {
		if _, err := r.Lookup(u, time.Time{}); (err == nil) != want {
			t.Errorf("Lookup(%s) after reopening = %v, want found %v", u, err, want)
		}
	}
}

// TestUnsyncedSettleHoldsNoCapture checks that a settle does not keep its
// capture in memory: an import holds the settles of many images until
// they are settled, and their bodies must not stay with them.
func TestUnsyncedSettleHoldsNoCapture(t *testing.T) {
	s := openTest(t, t.TempDir())
	c := testCapture("https://example.org/img/1.jpg", strings.Repeat("gambar ", 1000))
	gone := weak.Make(c)
	_, settle, err := s.SaveCaptureUnsynced(c)
	if err != nil {
		t.Fatal(err)
	}
	c = nil
	runtime.GC()
	if gone.Value() != nil {
		t.Errorf("the capture is still in memory while its settle is held")
	}
	if err := settle(); err != nil {
		t.Errorf("settle = %v, want nil", err)
	}
}
