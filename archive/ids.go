package archive

import (
	"context"
	"fmt"
)

// Count returns the number of articles in the archive (latest versions),
// from the file names alone: it reads no article. Cheap enough to check,
// at every crawl, that the index has caught up with the archive.
func (s *Store) Count(ctx context.Context) (int, error) {
	done, err := s.enter(false)
	if err != nil {
		return 0, fmt.Errorf("archive: count: %w", err)
	}
	done()
	n := 0
	err = s.eachLatest(ctx, func(string) error {
		n++
		return nil
	})
	return n, err
}
