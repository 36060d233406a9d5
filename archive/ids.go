package archive

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
)

// Count returns the number of articles in the archive (latest versions),
// from the file names alone: it reads no article. Cheap enough to check,
// at every crawl, that the index has caught up with the archive.
func (s *Store) Count(ctx context.Context) (int, error) {
	done, err := s.enter(false)
	if err != nil {
		return 0, fmt.Errorf("archive: count: %w", err)
	}
	defer done()
	sites, err := readSubdirs(s.articlesDir())
	if err != nil {
		return 0, fmt.Errorf("archive: count: %w", err)
	}
	n := 0
	for _, site := range sites {
		if !siteRE.MatchString(site) {
			continue
		}
		shards, err := readSubdirs(filepath.Join(s.articlesDir(), site))
		if err != nil {
			return 0, fmt.Errorf("archive: count: %w", err)
		}
		for _, shard := range shards {
			if err := ctx.Err(); err != nil {
				return 0, fmt.Errorf("archive: count: %w", err)
			}
			names, err := readDirNames(filepath.Join(s.articlesDir(), site, shard))
			if err != nil {
				return 0, fmt.Errorf("archive: count: %w", err)
			}
			for _, name := range names {
				if id, ok := strings.CutSuffix(name, ".json"); ok && !strings.Contains(id, ".") && !isTemp(name) {
					n++
				}
			}
		}
	}
	return n, nil
}
