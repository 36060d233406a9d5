//go:build !unix

package archive

import "os"

// lockFile opens path; on this platform no lock is taken, so the caller
// must make sure only one process writes a data directory.
func lockFile(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
}

// unlockFile closes the file opened by lockFile.
func unlockFile(f *os.File) error {
	if f == nil {
		return nil
	}
	return f.Close()
}
