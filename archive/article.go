package archive

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/internal/atomicfile"
)

// SaveResult says what SaveArticle did.
type SaveResult int

// The results of SaveArticle.
const (
	// New: the article was not in the archive and has been written.
	New SaveResult = iota + 1
	// Changed: the article's content hash differs from the archived one;
	// the old version was kept and the new one is now the latest.
	Changed
	// Unchanged: the archive already holds this article; nothing was
	// written.
	Unchanged
	// Updated: the content hash is the same but other fields differ (a
	// better extraction of the same content, such as a dateline or a
	// category); the latest file was rewritten in place and no version
	// was added.
	Updated
	// Earlier: the article was fetched before the archived latest
	// version (a backfill from a web archive) and its content differs from
	// the versions next to it in time; it was kept as an earlier version
	// and the latest is untouched.
	Earlier
)

// String returns the result's name in lower case.
func (r SaveResult) String() string {
	switch r {
	case New:
		return "new"
	case Changed:
		return "changed"
	case Unchanged:
		return "unchanged"
	case Updated:
		return "updated"
	case Earlier:
		return "earlier"
	}
	return "SaveResult(" + strconv.Itoa(int(r)) + ")"
}

// Version describes one archived version of an article.
type Version struct {
	// N numbers the versions from 1, the oldest.
	N int `json:"n"`
	// FetchedAt is the fetch time recorded in that version (zero when the
	// article had none).
	FetchedAt time.Time `json:"fetched_at"`
	// ContentHash is that version's content_hash.
	ContentHash string `json:"content_hash"`
	// Latest is true for the current version.
	Latest bool `json:"latest"`
	// Source and SourceURL say where that version was captured: empty for
	// warta's own crawl, else the web archive and its copy (see
	// extract.Article).
	Source    string `json:"source,omitempty"`
	SourceURL string `json:"source_url,omitempty"`
}

var hexRE = regexp.MustCompile(`^[0-9a-f]{2,64}$`)

// CheckID reports whether id has the shape of an article id, SITE-HEX as
// extract.ArticleID makes it, with a site name extract.CheckSite accepts:
// only such ids can name a file of the archive.
func CheckID(id string) error {
	i := strings.LastIndexByte(id, '-')
	if i <= 0 || extract.CheckSite(id[:i]) != nil || !hexRE.MatchString(id[i+1:]) {
		return fmt.Errorf("%.80q: %w (a site name, a dash and hex digits, as in sawahlunto-5c1f0d3e9a7b2c41)", id, ErrInvalidID)
	}
	return nil
}

// articlePath returns the file of the latest version of article id, whose
// site the id names: DIR/articles/<site>/<last 2 hex of id>/<id>.json.
// Ids are checked, so no id can reach outside the articles directory.
func (s *Store) articlePath(id string) (string, error) {
	if err := CheckID(id); err != nil {
		return "", err
	}
	site := id[:strings.LastIndexByte(id, '-')]
	return filepath.Join(s.articlesDir(), site, id[len(id)-2:], id+".json"), nil
}

// versionPath returns the file of archived version n of the article whose
// latest file is latest.
func versionPath(latest string, n int) string {
	return strings.TrimSuffix(latest, ".json") + ".v" + strconv.Itoa(n) + ".json"
}

// checkArticle reports what is wrong with an article that is to be saved.
func checkArticle(a *extract.Article) error {
	if a == nil {
		return errors.New("nil article")
	}
	if err := extract.CheckSite(a.Site); err != nil {
		return fmt.Errorf("invalid site: %w", err)
	}
	if !strings.HasPrefix(a.ID, a.Site+"-") {
		return fmt.Errorf("id %q does not start with site %q", a.ID, a.Site+"-")
	}
	return nil
}

// marshalArticle returns the JSON of an article file.
func marshalArticle(a *extract.Article) ([]byte, error) {
	b, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// SaveArticle writes article a as the latest version of a.ID, atomically.
// When the archive holds a version with another content hash, that version
// is kept (see Versions) and a becomes the latest; when it holds the same
// article, nothing is written and the result is Unchanged. An empty
// ContentHash is filled in with extract.ContentHash. SaveArticle is safe
// for concurrent use.
func (s *Store) SaveArticle(a *extract.Article) (SaveResult, error) {
	done, err := s.enter(true)
	if err != nil {
		return 0, fmt.Errorf("archive: save article: %w", err)
	}
	defer done()
	if err := checkArticle(a); err != nil {
		return 0, fmt.Errorf("archive: save article: %w", err)
	}
	path, err := s.articlePath(a.ID)
	if err != nil {
		return 0, fmt.Errorf("archive: save article: %w", err)
	}
	if a.ContentHash == "" {
		c := *a
		c.ContentHash = extract.ContentHash(&c)
		a = &c
	}
	data, err := marshalArticle(a)
	if err != nil {
		return 0, fmt.Errorf("archive: save article %s: %w", a.ID, err)
	}

	mu := s.articleLock(a.ID)
	mu.Lock()
	defer mu.Unlock()

	oldData, err := atomicfile.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := atomicfile.WriteFile(s.fs, path, data); err != nil {
			return 0, fmt.Errorf("archive: save article %s: %w", a.ID, err)
		}
		return New, nil
	}
	if err != nil {
		return 0, fmt.Errorf("archive: save article %s: %w", a.ID, err)
	}
	if bytes.Equal(oldData, data) {
		// What a re-extraction of the same capture mostly finds: no need
		// to parse the file to tell.
		return Unchanged, nil
	}
	var old extract.Article
	if err := json.Unmarshal(oldData, &old); err != nil {
		// Never overwrite a file we cannot read: it may be the only copy of
		// what the user archived.
		return 0, fmt.Errorf("archive: save article %s: read %s: %w", a.ID, path, err)
	}
	if fetchedBefore(a, &old) {
		// A capture older than the latest (a backfill) never replaces it.
		return s.insertEarlier(path, a, data, old.ContentHash)
	}
	if old.ContentHash == a.ContentHash {
		if a.Source == "" && old.Source != "" && a.FetchedAt == old.FetchedAt {
			// A re-extraction of the same capture does not know where it
			// came from.
			c := *a
			c.Source, c.SourceURL = old.Source, old.SourceURL
			a = &c
			if data, err = marshalArticle(a); err != nil {
				return 0, fmt.Errorf("archive: save article %s: %w", a.ID, err)
			}
		}
		if sameArticle(&old, a) {
			return Unchanged, nil
		}
		if err := atomicfile.WriteFile(s.fs, path, data); err != nil {
			return 0, fmt.Errorf("archive: save article %s: %w", a.ID, err)
		}
		return Updated, nil
	}

	// Keep the current latest as the next numbered version, unless a crash
	// after that step of an earlier save already kept it.
	n, lastHash, err := lastVersion(path)
	if err != nil {
		return 0, fmt.Errorf("archive: save article %s: %w", a.ID, err)
	}
	if n == 0 || lastHash != old.ContentHash {
		if err := atomicfile.WriteFile(s.fs, versionPath(path, n+1), oldData); err != nil {
			return 0, fmt.Errorf("archive: save article %s: keep version %d: %w", a.ID, n+1, err)
		}
	}
	if err := atomicfile.WriteFile(s.fs, path, data); err != nil {
		return 0, fmt.Errorf("archive: save article %s: %w", a.ID, err)
	}
	return Changed, nil
}

// sameArticle reports whether a and b are equal in everything but the
// fetch time and its source.
func sameArticle(a, b *extract.Article) bool {
	x, y := *a, *b
	x.FetchedAt, y.FetchedAt = "", ""
	x.Source, y.Source, x.SourceURL, y.SourceURL = "", "", "", ""
	bx, err1 := json.Marshal(&x)
	by, err2 := json.Marshal(&y)
	return err1 == nil && err2 == nil && bytes.Equal(bx, by)
}

// lastVersion returns the number and content hash of the newest kept
// version beside latest, 0 when there is none.
func lastVersion(latest string) (int, string, error) {
	n := 0
	for {
		if _, err := os.Stat(versionPath(latest, n+1)); errors.Is(err, fs.ErrNotExist) {
			break
		} else if err != nil {
			return 0, "", err
		}
		n++
	}
	if n == 0 {
		return 0, "", nil
	}
	a, err := readArticle(versionPath(latest, n))
	if err != nil {
		return 0, "", err
	}
	return n, a.ContentHash, nil
}

// readArticle reads one article file.
func readArticle(path string) (*extract.Article, error) {
	data, err := atomicfile.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseArticle(path, data)
}

// parseArticle parses the article file at path, whose bytes are data.
func parseArticle(path string, data []byte) (*extract.Article, error) {
	var a extract.Article
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	return &a, nil
}

// Article returns the latest version of article id. An id the archive
// does not hold gives an error that matches ErrNotFound.
func (s *Store) Article(id string) (*extract.Article, error) {
	done, err := s.enter(false)
	if err != nil {
		return nil, fmt.Errorf("archive: article %s: %w", id, err)
	}
	defer done()
	path, err := s.articlePath(id)
	if err != nil {
		return nil, fmt.Errorf("archive: article: %w", err)
	}
	a, err := readArticle(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("archive: article %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("archive: article %s: %w", id, err)
	}
	return a, nil
}

// Versions lists the versions of article id, oldest first; the last one
// is the latest. An article that never changed has one version.
func (s *Store) Versions(id string) ([]Version, error) {
	done, err := s.enter(false)
	if err != nil {
		return nil, fmt.Errorf("archive: versions %s: %w", id, err)
	}
	defer done()
	arts, err := s.versions(id)
	if err != nil {
		return nil, fmt.Errorf("archive: versions %s: %w", id, err)
	}
	vs := make([]Version, len(arts))
	for i, a := range arts {
		t, _ := time.Parse(time.RFC3339, a.FetchedAt)
		vs[i] = Version{N: i + 1, FetchedAt: t, ContentHash: a.ContentHash, Latest: i == len(arts)-1, Source: a.Source, SourceURL: a.SourceURL}
	}
	return vs, nil
}

// Version returns version n (1 is the oldest) of article id.
func (s *Store) Version(id string, n int) (*extract.Article, error) {
	done, err := s.enter(false)
	if err != nil {
		return nil, fmt.Errorf("archive: version %s %d: %w", id, n, err)
	}
	defer done()
	arts, err := s.versions(id)
	if err != nil {
		return nil, fmt.Errorf("archive: version %s %d: %w", id, n, err)
	}
	if n < 1 || n > len(arts) {
		return nil, fmt.Errorf("archive: version %s %d: %w (the article has %d)", id, n, ErrNotFound, len(arts))
	}
	return arts[n-1], nil
}

// versions reads every version of article id, oldest first.
func (s *Store) versions(id string) ([]*extract.Article, error) {
	path, err := s.articlePath(id)
	if err != nil {
		return nil, err
	}
	latest, err := readArticle(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	var arts []*extract.Article
	for n := 1; ; n++ {
		a, err := readArticle(versionPath(path, n))
		if errors.Is(err, fs.ErrNotExist) {
			break
		}
		if err != nil {
			return nil, err
		}
		arts = append(arts, a)
	}
	return collapse(append(arts, latest)), nil
}

// collapse drops every version whose content hash equals the next one's.
// Two neighbours never differ in nothing but a crash: one between keeping
// the old version and writing the new latest, or in the middle of
// insertEarlier's shift, leaves one copy twice.
func collapse(arts []*extract.Article) []*extract.Article {
	out := arts[:0]
	for i, a := range arts {
		if i+1 < len(arts) && arts[i+1].ContentHash == a.ContentHash {
			continue
		}
		out = append(out, a)
	}
	return out
}

// Walk calls fn with the latest version of every archived article, in a
// fixed order (site, then the id's last two hex digits, then id). It reads
// one directory at a time, so it works on archives of millions of
// articles. It stops at the first error from fn, an unreadable file, or
// when ctx is done.
func (s *Store) Walk(ctx context.Context, fn func(*extract.Article) error) error {
	done, err := s.enter(false)
	if err != nil {
		return fmt.Errorf("archive: walk: %w", err)
	}
	done() // not held while fn runs: fn may call the store, and Close must not wait on it
	return s.eachLatest(ctx, func(path string) error {
		a, err := readArticle(path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil // removed since the directory was read
		}
		if err != nil {
			return fmt.Errorf("archive: walk: %w", err)
		}
		return fn(a)
	})
}

// eachLatest calls fn with the path of every latest article file, site by
// site and shard by shard in sorted order, reading one directory at a
// time. Errors of its own are wrapped "archive: walk"; fn's are returned
// as they are.
func (s *Store) eachLatest(ctx context.Context, fn func(path string) error) error {
	sites, err := readSubdirs(s.articlesDir())
	if err != nil {
		return fmt.Errorf("archive: walk: %w", err)
	}
	for _, site := range sites {
		if extract.CheckSite(site) != nil {
			continue
		}
		shards, err := readSubdirs(filepath.Join(s.articlesDir(), site))
		if err != nil {
			return fmt.Errorf("archive: walk: %w", err)
		}
		for _, shard := range shards {
			dir := filepath.Join(s.articlesDir(), site, shard)
			names, err := readDirNames(dir)
			if err != nil {
				return fmt.Errorf("archive: walk: %w", err)
			}
			for _, name := range names {
				id, ok := strings.CutSuffix(name, ".json")
				if !ok || strings.Contains(id, ".") || atomicfile.IsTemp(name) {
					continue
				}
				if err := ctx.Err(); err != nil {
					return fmt.Errorf("archive: walk: %w", err)
				}
				if s.isClosed() {
					return fmt.Errorf("archive: walk: %w", ErrClosed)
				}
				if err := fn(filepath.Join(dir, name)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// readSubdirs returns the sorted names of the directories in dir; a
// missing dir has none. Stray files (a README someone put there) are
// not directories and are left alone.
func readSubdirs(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range ents {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	return names, nil // ReadDir sorts by name
}

// readDirNames returns the sorted names in dir; a missing dir has none.
func readDirNames(dir string) ([]string, error) {
	f, err := os.Open(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	names, err := f.Readdirnames(-1)
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	return names, nil
}
