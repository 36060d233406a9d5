package archive

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/internal/atomicfile"
)

const earlierURL = "https://sawahluntokota.go.id/baca/lama"

// at returns the test article with body and fetch time.
func at(body, fetched string) *extract.Article {
	a := testArticle(earlierURL, body)
	a.FetchedAt = fetched
	a.ContentHash = extract.ContentHash(a)
	return a
}

// bodies lists the bodies of an article's versions, oldest first.
func bodies(t *testing.T, s *Store, id string) []string {
	t.Helper()
	vs, err := s.Versions(id)
	if err != nil {
		t.Fatalf("Versions(%s) error: %v", id, err)
	}
	var out []string
	for _, v := range vs {
		a, err := s.Version(id, v.N)
		if err != nil {
			t.Fatalf("Version(%s, %d) error: %v", id, v.N, err)
		}
		out = append(out, a.Body)
	}
	return out
}

func TestSaveArticleInTimeOrder(t *testing.T) {
	s := openTest(t, t.TempDir())
	id := at("", "").ID
	steps := []struct {
		body, fetched string
		want          SaveResult
		versions      []string
	}{
		{"C", "2026-11-01T00:00:00Z", New, []string{"C"}},               // a live crawl
		{"A", "2018-01-01T00:00:00Z", Earlier, []string{"A", "C"}},      // backfill, older
		{"B", "2020-01-01T00:00:00Z", Earlier, []string{"A", "B", "C"}}, // between the two
		{"A", "2017-06-01T00:00:00Z", Unchanged, []string{"A", "B", "C"}},
		{"A", "2019-01-01T00:00:00Z", Unchanged, []string{"A", "B", "C"}}, // same as the one before it
		{"C", "2021-01-01T00:00:00Z", Unchanged, []string{"A", "B", "C"}}, // same as the latest
		{"A", "2022-01-01T00:00:00Z", Earlier, []string{"A", "B", "A", "C"}},
		{"Z", "2016-01-01T00:00:00Z", Earlier, []string{"Z", "A", "B", "A", "C"}},
		{"D", "2026-12-01T00:00:00Z", Changed, []string{"Z", "A", "B", "A", "C", "D"}}, // live, newer
	}
	for _, st := range steps {
		got, err := s.SaveArticle(at(st.body, st.fetched))
		if err != nil {
			t.Fatalf("SaveArticle(%s at %s) error: %v", st.body, st.fetched, err)
		}
		if got != st.want {
			t.Errorf("SaveArticle(%s at %s) = %v, want %v", st.body, st.fetched, got, st.want)
		}
		if v := bodies(t, s, id); !slices.Equal(v, st.versions) {
			t.Fatalf("after %s at %s: versions %q, want %q", st.body, st.fetched, v, st.versions)
		}
	}
	latest, err := s.Article(id)
	if err != nil || latest.Body != "D" {
		t.Fatalf("Article(%s) = %v, %v; want the body D", id, latest, err)
	}
	vs, _ := s.Versions(id)
	for i := 1; i < len(vs); i++ {
		if vs[i].FetchedAt.Before(vs[i-1].FetchedAt) {
			t.Errorf("version %d fetched %s before version %d (%s)", vs[i].N, vs[i].FetchedAt, vs[i-1].N, vs[i-1].FetchedAt)
		}
	}
}

func TestSaveArticleKeepsSource(t *testing.T) {
	s := openTest(t, t.TempDir())
	a := at("A", "2018-01-01T00:00:00Z")
	a.Source, a.SourceURL = "wayback", "https://web.archive.org/web/20180101000000id_/"+earlierURL
	if _, err := s.SaveArticle(a); err != nil {
		t.Fatal(err)
	}
	// A re-extraction of the same capture knows nothing of its source.
	b := at("A", "2018-01-01T00:00:00Z")
	b.Author = "Humas"
	b.ContentHash = a.ContentHash
	if res, err := s.SaveArticle(b); err != nil || res != Updated {
		t.Fatalf("SaveArticle(re-extraction) = %v, %v; want updated", res, err)
	}
	got, _ := s.Article(a.ID)
	if got.Source != a.Source || got.SourceURL != a.SourceURL || got.Author != "Humas" {
		t.Errorf("after re-extraction: source %q %q author %q, want %q %q Humas", got.Source, got.SourceURL, got.Author, a.Source, a.SourceURL)
	}
	vs, _ := s.Versions(a.ID)
	if vs[0].Source != "wayback" || vs[0].SourceURL != a.SourceURL {
		t.Errorf("Versions()[0] source = %q %q, want wayback %q", vs[0].Source, vs[0].SourceURL, a.SourceURL)
	}
}

// crashFS fails every rename after the first n, as if the process died
// there: what was renamed is on disk, nothing after it.
type crashFS struct {
	atomicfile.OS
	mu sync.Mutex
	n  int
}

func (f *crashFS) Rename(oldpath, newpath string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n == 0 {
		return errors.New("crashed")
	}
	f.n--
	return f.OS.Rename(oldpath, newpath)
}

func (f *crashFS) Remove(name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n == 0 && !strings.Contains(name, atomicfile.TempPrefix) {
		return errors.New("crashed")
	}
	return f.OS.Remove(name)
}

// TestInsertEarlierCrash stops an insertion after every step it takes and
// checks that no version is lost or shown twice, and that the next save
// completes it.
func TestInsertEarlierCrash(t *testing.T) {
	before := []string{"A", "B", "C", "D", "L"}
	after := []string{"A", "X", "B", "C", "D", "L"}
	for n := 0; n < 6; n++ {
		dir := t.TempDir()
		s := openTest(t, dir)
		for i, b := range before {
			if _, err := s.SaveArticle(at(b, "202"+string(rune('0'+2*i))+"-01-01T00:00:00Z")); err != nil {
				t.Fatal(err)
			}
		}
		s.Close()
		fsys := &crashFS{n: 1 << 30}
		cs, err := open(dir, Options{}, fsys)
		if err != nil {
			t.Fatal(err)
		}
		fsys.mu.Lock()
		fsys.n = n
		fsys.mu.Unlock()
		x := at("X", "2021-01-01T00:00:00Z")
		_, err = cs.SaveArticle(x)
		got := bodies(t, cs, x.ID)
		if err == nil {
			if !slices.Equal(got, after) {
				t.Errorf("n=%d: versions %q, want %q", n, got, after)
			}
		} else if !slices.Equal(got, before) && !slices.Equal(got, after) {
			t.Errorf("n=%d: crashed insert left versions %q, want %q or %q", n, got, before, after)
		}
		fsys.mu.Lock()
		fsys.n = 1 << 30
		fsys.mu.Unlock()
		if _, err := cs.SaveArticle(x); err != nil {
			t.Fatalf("n=%d: SaveArticle after the crash: %v", n, err)
		}
		if got := bodies(t, cs, x.ID); !slices.Equal(got, after) {
			t.Errorf("n=%d: after the rerun versions %q, want %q", n, got, after)
		}
		files, _ := filepath.Glob(filepath.Join(dir, "articles", "demo", "*", "*.v*.json"))
		if len(files) != len(after)-1 {
			t.Errorf("n=%d: %d version files %q, want %d", n, len(files), files, len(after)-1)
		}
		if leftovers, _ := filepath.Glob(filepath.Join(dir, "articles", "demo", "*", atomicfile.TempPrefix+"*")); len(leftovers) > 0 {
			t.Errorf("n=%d: temp files left: %q", n, leftovers)
		}
		cs.Close()
		_ = os.RemoveAll(dir)
	}
}
