//go:build !unix

package atomicfile

import (
	"errors"
	"os"
)

func createTemp(dir, pattern string) (File, error) { return os.CreateTemp(dir, pattern) }

func rename(oldpath, newpath string) error { return os.Rename(oldpath, newpath) }

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if errors.Is(err, os.ErrInvalid) {
		err = nil
	}
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

func readFile(name string) ([]byte, error) { return os.ReadFile(name) }
