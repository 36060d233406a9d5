//go:build unix

package atomicfile

import (
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// The system calls below are made directly, not through os.OpenFile,
// os.ReadFile and os.Rename: for each regular file os.OpenFile also tries
// to register the descriptor with the network poller (fcntl calls and an
// epoll_ctl that fails), os.Rename looks at the target first, and a
// directory opened to be synced gets the same poller treatment. For an article file, which
// is created, written, synced, renamed and its directory synced, that
// was about a fifth of the CPU it cost (BenchmarkSaveArticle).

// createTemp creates a new file in dir, named by pattern with its last
// "*" replaced by a random number (appended when there is none), as
// os.CreateTemp does, mode 0600; dir "" is os.TempDir().
func createTemp(dir, pattern string) (File, error) {
	if strings.ContainsRune(pattern, filepath.Separator) {
		return nil, &fs.PathError{Op: "createtemp", Path: pattern, Err: os.ErrInvalid}
	}
	prefix, suffix := pattern, ""
	if i := strings.LastIndexByte(pattern, '*'); i >= 0 {
		prefix, suffix = pattern[:i], pattern[i+1:]
	}
	if dir == "" {
		dir = os.TempDir()
	}
	if !strings.HasSuffix(dir, string(filepath.Separator)) {
		dir += string(filepath.Separator)
	}
	prefix = dir + prefix // not filepath.Join, which drops an empty prefix's separator
	for try := 0; ; try++ {
		name := prefix + strconv.FormatUint(uint64(rand.Uint32()), 10) + suffix
		var fd int
		err := ignoringEINTR(func() (err error) {
			fd, err = syscall.Open(name, syscall.O_RDWR|syscall.O_CREAT|syscall.O_EXCL|syscall.O_CLOEXEC, 0o600)
			return err
		})
		if err == syscall.EEXIST && try < 10000 {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		return os.NewFile(uintptr(fd), name), nil
	}
}

// rename renames oldpath to newpath, replacing newpath.
func rename(oldpath, newpath string) error {
	if err := ignoringEINTR(func() error { return syscall.Rename(oldpath, newpath) }); err != nil {
		return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: err}
	}
	return nil
}

// syncDir syncs the directory dir; a file system that cannot sync a
// directory (EINVAL) is not an error.
func syncDir(dir string) error {
	var fd int
	err := ignoringEINTR(func() (err error) {
		fd, err = syscall.Open(dir, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
		return err
	})
	if err != nil {
		return &fs.PathError{Op: "open", Path: dir, Err: err}
	}
	err = ignoringEINTR(func() error { return syscall.Fsync(fd) })
	if err == syscall.EINVAL {
		err = nil
	}
	if cerr := syscall.Close(fd); err == nil && cerr != nil {
		return &fs.PathError{Op: "close", Path: dir, Err: cerr}
	}
	if err != nil {
		return &fs.PathError{Op: "sync", Path: dir, Err: err}
	}
	return nil
}

// ignoringEINTR calls fn until it is not interrupted by a signal, as the
// os package does: Go's runtime sends signals to preempt goroutines.
func ignoringEINTR(fn func() error) error {
	for {
		if err := fn(); err != syscall.EINTR {
			return err
		}
	}
}

// readFile reads the file name whole, as os.ReadFile does.
func readFile(name string) ([]byte, error) {
	var fd int
	err := ignoringEINTR(func() (err error) {
		fd, err = syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		return err
	})
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	defer syscall.Close(fd)
	size := 512
	var st syscall.Stat_t
	if ignoringEINTR(func() error { return syscall.Fstat(fd, &st) }) == nil && st.Size > 0 && st.Size < 1<<30 {
		size = int(st.Size) + 1 // one byte more, so that one read can see the end
	}
	data := make([]byte, 0, size)
	for {
		var n int
		err := ignoringEINTR(func() (err error) {
			n, err = syscall.Read(fd, data[len(data):cap(data)])
			return err
		})
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: name, Err: err}
		}
		if n == 0 {
			return data, nil
		}
		data = data[:len(data)+n]
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)] // grow
		}
	}
}
