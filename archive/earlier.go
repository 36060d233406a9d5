package archive

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"time"

	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/internal/atomicfile"
)

// fetchedBefore reports whether a was fetched before b. An article without
// a readable fetch time is never before another, so it takes the ordinary
// path of a new latest version.
func fetchedBefore(a, b *extract.Article) bool {
	ta, err1 := time.Parse(time.RFC3339, a.FetchedAt)
	tb, err2 := time.Parse(time.RFC3339, b.FetchedAt)
	return err1 == nil && err2 == nil && ta.Before(tb)
}

// keptVersion is one numbered version file, as it is on disk.
type keptVersion struct {
	data []byte
	hash string
	at   time.Time // zero when the version has no fetch time
}

// readKept reads the numbered versions beside the latest file at path,
// v1 first.
func readKept(path string) ([]keptVersion, error) {
	var kept []keptVersion
	for n := 1; ; n++ {
		p := versionPath(path, n)
		data, err := atomicfile.ReadFile(p)
		if errors.Is(err, fs.ErrNotExist) {
			return kept, nil
		}
		if err != nil {
			return nil, err
		}
		a, err := parseArticle(p, data)
		if err != nil {
			return nil, err
		}
		at, _ := time.Parse(time.RFC3339, a.FetchedAt)
		kept = append(kept, keptVersion{data: data, hash: a.ContentHash, at: at})
	}
}

// insertEarlier keeps a, fetched before the latest version at path, as a
// numbered version in fetch-time order; data is a's file. The versions
// after it move up one number, the highest first, each by an atomic
// write: a crash at any point leaves every version whole and at most one
// of them twice (versions lists it once, and the next insert repairs it),
// so nothing archived is ever lost. An article whose content equals a
// neighbour in time is the same version and nothing is written.
func (s *Store) insertEarlier(path string, a *extract.Article, data []byte, latestHash string) (SaveResult, error) {
	kept, err := readKept(path)
	if err == nil {
		kept, err = s.repairKept(path, kept)
	}
	if err != nil {
		return 0, fmt.Errorf("archive: save article %s: versions: %w", a.ID, err)
	}
	at, _ := time.Parse(time.RFC3339, a.FetchedAt)
	k := 0
	for k < len(kept) && !kept[k].at.After(at) {
		k++
	}
	next := latestHash
	if k < len(kept) {
		next = kept[k].hash
	}
	if k > 0 && kept[k-1].hash == a.ContentHash || next == a.ContentHash {
		return Unchanged, nil
	}
	for i := len(kept) - 1; i >= k; i-- {
		if err := atomicfile.WriteFile(s.fs, versionPath(path, i+2), kept[i].data); err != nil {
			return 0, fmt.Errorf("archive: save article %s: move version %d: %w", a.ID, i+1, err)
		}
	}
	if err := atomicfile.WriteFile(s.fs, versionPath(path, k+1), data); err != nil {
		return 0, fmt.Errorf("archive: save article %s: insert version %d: %w", a.ID, k+1, err)
	}
	return Earlier, nil
}

// repairKept undoes what an interrupted insertEarlier left: a version
// twice in a row. The versions above the second copy move down one number,
// the lowest first, and the last file, a copy by then, is removed.
func (s *Store) repairKept(path string, kept []keptVersion) ([]keptVersion, error) {
	for j := 0; j+1 < len(kept); j++ {
		if !bytes.Equal(kept[j].data, kept[j+1].data) {
			continue
		}
		for i := j + 1; i+1 < len(kept); i++ {
			if err := atomicfile.WriteFile(s.fs, versionPath(path, i+1), kept[i+1].data); err != nil {
				return nil, err
			}
		}
		last := versionPath(path, len(kept))
		if err := s.fs.Remove(last); err != nil {
			return nil, err
		}
		if err := s.fs.SyncDir(filepath.Dir(last)); err != nil {
			return nil, err
		}
		kept = append(kept[:j+1], kept[j+2:]...)
		j--
	}
	return kept, nil
}
