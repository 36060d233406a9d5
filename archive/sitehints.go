package archive

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/internal/atomicfile"
)

// siteHintsName is the file beside a site's article shards that keeps
// what was learned about the site's chrome (extract.SiteLearner): the
// article walks read only the shard directories, so it is never taken
// for an article.
const siteHintsName = "site-hints.json"

// SiteHints returns the site hints saved for site (SaveSiteHints), or nil
// when none were.
func (s *Store) SiteHints(site string) ([]byte, error) {
	done, err := s.enter(false)
	if err != nil {
		return nil, fmt.Errorf("archive: site hints: %w", err)
	}
	defer done()
	if err := extract.CheckSite(site); err != nil {
		return nil, fmt.Errorf("archive: site hints: %w", err)
	}
	data, err := os.ReadFile(filepath.Join(s.articlesDir(), site, siteHintsName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("archive: site hints of %s: %w", site, err)
	}
	return data, nil
}

// SaveSiteHints replaces the site hints of site with data, atomically: a
// crash leaves the old file or the new one, whole.
func (s *Store) SaveSiteHints(site string, data []byte) error {
	done, err := s.enter(true)
	if err != nil {
		return fmt.Errorf("archive: save site hints: %w", err)
	}
	defer done()
	if err := extract.CheckSite(site); err != nil {
		return fmt.Errorf("archive: save site hints: %w", err)
	}
	if err := atomicfile.WriteFile(s.fs, filepath.Join(s.articlesDir(), site, siteHintsName), data); err != nil {
		return fmt.Errorf("archive: save site hints of %s: %w", site, err)
	}
	return nil
}
