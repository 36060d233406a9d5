package archive

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/warta-id/warta/internal/atomicfile"
)

// checkWARCFiles repairs the WARC files of a crashed session (listed in
// the dirty marker) and indexes every WARC file that has no index yet.
func (s *Store) checkWARCFiles(dirty map[string]bool) error {
	files, err := warcFiles(s.warcDir())
	if err != nil {
		return err
	}
	for _, name := range files {
		_, err := os.Stat(cdxjPath(s.warcDir(), name))
		missing := errors.Is(err, fs.ErrNotExist)
		if err != nil && !missing {
			return err
		}
		if !dirty[name] && !missing {
			continue
		}
		if err := s.repairWARC(name); err != nil {
			return fmt.Errorf("repair %s: %w", name, err)
		}
	}
	return nil
}

// repairWARC reads a whole WARC file; a tail that does not parse as whole
// records (a record cut off by a crash) is copied to a .torn file beside
// it and cut from the file, so that the file is valid again and nothing
// is thrown away. Then the file's index is rebuilt.
func (s *Store) repairWARC(name string) error {
	path := filepath.Join(s.warcDir(), name)
	res, err := scanWARC(context.Background(), path, -1, false)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, p := range res.problems {
		s.log.Error("warc_record_damaged", "record", p)
	}
	if res.end < res.size {
		torn, err := s.setAside(path, res.end)
		if err != nil {
			return err
		}
		s.log.Warn("warc_torn_tail_set_aside", "file", name, "torn_file", filepath.Base(torn),
			"kept_bytes", res.end, "torn_bytes", res.size-res.end, "records", res.records, "err", res.tornErr)
		if res.end == 0 {
			return nil // nothing whole was left: the file itself went aside
		}
	}
	return writeCDXJ(s.fs, cdxjPath(s.warcDir(), name), res.entries)
}

// setAside moves the bytes of path from off on to a new .torn file and
// cuts path to off; when off is 0 the whole file is renamed instead. The
// .torn copy is synced before anything is cut.
func (s *Store) setAside(path string, off int64) (string, error) {
	torn := path + ".torn"
	for i := 1; ; i++ {
		if _, err := os.Lstat(torn); errors.Is(err, fs.ErrNotExist) {
			break
		}
		torn = path + ".torn." + strconv.Itoa(i)
	}
	if off == 0 {
		if err := s.fs.Rename(path, torn); err != nil {
			return "", err
		}
		if err := os.Remove(cdxjPath(filepath.Dir(path), filepath.Base(path))); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		return torn, s.fs.SyncDir(filepath.Dir(path))
	}
	src, err := os.Open(path)
	if err != nil {
		return "", err
	}
	tail, err := io.ReadAll(io.NewSectionReader(src, off, 1<<62))
	src.Close()
	if err != nil {
		return "", err
	}
	if err := atomicfile.WriteFile(s.fs, torn, tail); err != nil {
		return "", err
	}
	f, err := s.fs.OpenAppend(path)
	if err != nil {
		return "", err
	}
	if err := f.Truncate(off); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return "", err
	}
	return torn, f.Close()
}
