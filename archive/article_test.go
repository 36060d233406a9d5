package archive

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/internal/atomicfile"
)

// testArticle returns an article of site "demo" whose body is body.
func testArticle(url, body string) *extract.Article {
	a := &extract.Article{
		ID:         extract.ArticleID("demo", url),
		Site:       "demo",
		URL:        url,
		Title:      "Judul " + url,
		Published:  "2021-12-23T09:15:41+07:00",
		DateSource: "json-ld",
		Dateline:   extract.Dateline{Place: "SAWAHLUNTO"},
		Body:       body,
		Images:     []extract.Image{},
		Categories: []string{"Berita"},
		Tags:       []string{},
		Language:   "id",
		Extractor:  "profile:demo",
		FetchedAt:  "2026-11-28T09:00:00Z",
	}
	a.ContentHash = extract.ContentHash(a)
	return a
}

func openTest(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("Open(%s) error: %v", dir, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSaveArticleResults(t *testing.T) {
	s := openTest(t, t.TempDir())
	v1 := testArticle("https://example.org/baca/a", "SAWAHLUNTO – Satu.")
	v1later := *v1
	v1later.FetchedAt = "2026-11-29T09:00:00Z"
	v1better := v1later
	v1better.Dateline = extract.Dateline{Place: "SAWAHLUNTO", Agency: "ANTARA"}
	v2 := testArticle(v1.URL, "SAWAHLUNTO – Dua.")
	v2.FetchedAt = "2026-11-30T09:00:00Z"
	v1again := *v1
	v1again.FetchedAt = "2026-12-01T09:00:00Z"

	steps := []struct {
		name string
		a    *extract.Article
		want SaveResult
	}{
		{"first", v1, New},
		{"same again", v1, Unchanged},
		{"refetched", &v1later, Unchanged},
		{"better extraction", &v1better, Updated},
		{"edited", v2, Changed},
		{"edited again same", v2, Unchanged},
		{"reverted", &v1again, Changed},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			got, err := s.SaveArticle(st.a)
			if err != nil {
				t.Fatalf("SaveArticle(%s) error: %v", st.name, err)
			}
			if got != st.want {
				t.Errorf("SaveArticle(%s) = %v, want %v", st.name, got, st.want)
			}
		})
	}

	got, err := s.Article(v1.ID)
	if err != nil {
		t.Fatalf("Article(%s) error: %v", v1.ID, err)
	}
	if diff := cmp.Diff(&v1again, got); diff != "" {
		t.Errorf("Article(%s) mismatch (-want +got):\n%s", v1.ID, diff)
	}

	vs, err := s.Versions(v1.ID)
	if err != nil {
		t.Fatalf("Versions(%s) error: %v", v1.ID, err)
	}
	wantHashes := []string{v1.ContentHash, v2.ContentHash, v1.ContentHash}
	var gotHashes []string
	for _, v := range vs {
		gotHashes = append(gotHashes, v.ContentHash)
	}
	if diff := cmp.Diff(wantHashes, gotHashes); diff != "" {
		t.Errorf("Versions(%s) hashes mismatch (-want +got):\n%s", v1.ID, diff)
	}
	if n := len(vs); n != 3 || !vs[2].Latest || vs[0].Latest || vs[1].FetchedAt.Format("2006-01-02") != "2026-11-30" {
		t.Errorf("Versions(%s) = %+v, want 3 versions, the last latest, v2 fetched 2026-11-30", v1.ID, vs)
	}

	for n, want := range map[int]*extract.Article{1: &v1better, 2: v2, 3: &v1again} {
		got, err := s.Version(v1.ID, n)
		if err != nil {
			t.Fatalf("Version(%s, %d) error: %v", v1.ID, n, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Version(%s, %d) mismatch (-want +got):\n%s", v1.ID, n, diff)
		}
	}
	for _, n := range []int{0, 4, -1} {
		if _, err := s.Version(v1.ID, n); !errors.Is(err, ErrNotFound) {
			t.Errorf("Version(%s, %d) error = %v, want ErrNotFound", v1.ID, n, err)
		}
	}
}

func TestArticleFileIsInterfaceShape(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir)
	a := testArticle("https://example.org/baca/b", "Isi.")
	if _, err := s.SaveArticle(a); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "articles", "demo", a.ID[len(a.ID)-2:], a.ID+".json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("article file %s: %v", path, err)
	}
	want, err := marshalArticle(a)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != string(want) {
		t.Errorf("article file = %s, want %s", data, want)
	}
}

func TestSaveArticleFillsContentHash(t *testing.T) {
	s := openTest(t, t.TempDir())
	a := testArticle("https://example.org/baca/c", "Isi.")
	want := a.ContentHash
	a.ContentHash = ""
	if _, err := s.SaveArticle(a); err != nil {
		t.Fatal(err)
	}
	if a.ContentHash != "" {
		t.Errorf("SaveArticle changed its argument's ContentHash to %q", a.ContentHash)
	}
	got, err := s.Article(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ContentHash != want {
		t.Errorf("Article(%s).ContentHash = %q, want %q", a.ID, got.ContentHash, want)
	}
}

func TestBadArticles(t *testing.T) {
	s := openTest(t, t.TempDir())
	good := testArticle("https://example.org/x", "x")
	tests := []struct {
		name string
		edit func(a *extract.Article)
	}{
		{"empty site", func(a *extract.Article) { a.Site = "" }},
		{"site with slash", func(a *extract.Article) { a.Site = "../x"; a.ID = "../x-00aa" }},
		{"id of other site", func(a *extract.Article) { a.ID = "other-00aa11" }},
		{"id with dots", func(a *extract.Article) { a.ID = "demo-../../etc" }},
		{"id not hex", func(a *extract.Article) { a.ID = "demo-zz" }},
		{"id too short", func(a *extract.Article) { a.ID = "demo-a" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := *good
			tt.edit(&a)
			if got, err := s.SaveArticle(&a); err == nil {
				t.Errorf("SaveArticle(id %q, site %q) = %v, nil, want an error", a.ID, a.Site, got)
			}
		})
	}
	if _, err := s.SaveArticle(nil); err == nil {
		t.Errorf("SaveArticle(nil) error = nil, want an error")
	}
	for _, id := range []string{"demo-0011223344556677", "nosuch-00", "../../etc-00", ""} {
		if _, err := s.Article(id); err == nil {
			t.Errorf("Article(%q) error = nil, want an error", id)
		}
	}
	if _, err := s.Article("demo-0011223344556677"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Article(missing) error = %v, want ErrNotFound", err)
	}
	if _, err := s.Versions("demo-0011223344556677"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Versions(missing) error = %v, want ErrNotFound", err)
	}
}

func TestConcurrentSaveArticle(t *testing.T) {
	s := openTest(t, t.TempDir())
	const articles, writers = 20, 8
	var wg sync.WaitGroup
	results := make([][]SaveResult, writers)
	for w := range writers {
		wg.Go(func() {
			for i := range articles {
				a := testArticle(fmt.Sprintf("https://example.org/baca/%d", i), "Isi yang sama.")
				r, err := s.SaveArticle(a)
				if err != nil {
					t.Errorf("SaveArticle(%d) error: %v", i, err)
				}
				results[w] = append(results[w], r)
			}
		})
	}
	wg.Wait()
	news := 0
	for _, rs := range results {
		for _, r := range rs {
			if r == New {
				news++
			}
		}
	}
	if news != articles {
		t.Errorf("concurrent SaveArticle gave %d New results, want %d", news, articles)
	}
	var n int
	if err := s.Walk(context.Background(), func(*extract.Article) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	if n != articles {
		t.Errorf("Walk saw %d articles, want %d", n, articles)
	}
}

func TestConcurrentChanges(t *testing.T) {
	// Many writers saving different content for one id: every content
	// saved must end up among the versions, none lost.
	s := openTest(t, t.TempDir())
	const writers = 8
	var wg sync.WaitGroup
	url := "https://example.org/baca/busy"
	for w := range writers {
		wg.Go(func() {
			if _, err := s.SaveArticle(testArticle(url, fmt.Sprintf("Isi %d.", w))); err != nil {
				t.Errorf("SaveArticle(%d) error: %v", w, err)
			}
		})
	}
	wg.Wait()
	vs, err := s.Versions(extract.ArticleID("demo", url))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, v := range vs {
		seen[v.ContentHash] = true
	}
	for w := range writers {
		h := testArticle(url, fmt.Sprintf("Isi %d.", w)).ContentHash
		if !seen[h] {
			t.Errorf("Versions lack the content of writer %d (%s)", w, h)
		}
	}
	if len(vs) != writers {
		t.Errorf("len(Versions) = %d, want %d", len(vs), writers)
	}
}

func TestWalkOrderAndReopen(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for i := range 50 {
		a := testArticle(fmt.Sprintf("https://example.org/baca/%d", i), "Isi.")
		if i%2 == 0 {
			a.Site = "zeta"
			a.ID = extract.ArticleID("zeta", a.URL)
		}
		if _, err := s.SaveArticle(a); err != nil {
			t.Fatal(err)
		}
		// a changed version must not show up as a second article
		b := *a
		b.Body = "Isi baru."
		b.ContentHash = extract.ContentHash(&b)
		if _, err := s.SaveArticle(&b); err != nil {
			t.Fatal(err)
		}
		want = append(want, a.ID)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close() error: %v", err)
	}
	if _, err := s.Article(want[0]); !errors.Is(err, ErrClosed) {
		t.Errorf("Article after Close error = %v, want ErrClosed", err)
	}

	walk := func(s *Store) []string {
		var ids []string
		err := s.Walk(context.Background(), func(a *extract.Article) error {
			if a.Body != "Isi baru." {
				t.Errorf("Walk gave %s with body %q, want the latest", a.ID, a.Body)
			}
			ids = append(ids, a.ID)
			return nil
		})
		if err != nil {
			t.Fatalf("Walk error: %v", err)
		}
		return ids
	}
	s2 := openTest(t, dir)
	first := walk(s2)
	if len(first) != len(want) {
		t.Fatalf("Walk saw %d articles, want %d", len(first), len(want))
	}
	if diff := cmp.Diff(first, walk(s2)); diff != "" {
		t.Errorf("Walk order differs between runs:\n%s", diff)
	}
	for i := 1; i < len(first); i++ {
		if key(first[i-1]) > key(first[i]) {
			t.Errorf("Walk order: %s before %s", first[i-1], first[i])
		}
	}

	stop := errors.New("stop")
	calls := 0
	err = s2.Walk(context.Background(), func(*extract.Article) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("Walk with failing fn = %v after %d calls, want stop after 1", err, calls)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s2.Walk(ctx, func(*extract.Article) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("Walk(cancelled) = %v, want context.Canceled", err)
	}
}

// key is the documented Walk order of an id.
func key(id string) string {
	i := len(id) - 17
	return id[:i] + "/" + id[len(id)-2:] + "/" + id
}

func TestSecondWriterRefused(t *testing.T) {
	dir := t.TempDir()
	openTest(t, dir)
	if s, err := Open(dir, Options{}); err == nil {
		s.Close()
		t.Fatalf("second Open(%s) error = nil, want data directory in use", dir)
	}
	ro, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("Open(ReadOnly) error: %v", err)
	}
	defer ro.Close()
	if _, err := ro.SaveArticle(testArticle("https://example.org/r", "r")); !errors.Is(err, ErrReadOnly) {
		t.Errorf("read-only SaveArticle error = %v, want ErrReadOnly", err)
	}
}

// orderFS records the steps of every atomic write: a temp file's sync,
// the rename that puts it in place, and the directory syncs.
type orderFS struct {
	atomicfile.OS
	mu    sync.Mutex
	steps []string
}

func (f *orderFS) log(step string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.steps = append(f.steps, step)
}

func (f *orderFS) take() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.steps
	f.steps = nil
	return s
}

func (f *orderFS) CreateTemp(dir, pattern string) (atomicfile.File, error) {
	fl, err := f.OS.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return &orderFile{File: fl, fs: f}, nil
}

func (f *orderFS) Rename(oldpath, newpath string) error {
	err := f.OS.Rename(oldpath, newpath)
	if err == nil {
		f.log("rename " + oldpath + " " + newpath)
	}
	return err
}

func (f *orderFS) SyncDir(dir string) error {
	err := f.OS.SyncDir(dir)
	if err == nil {
		f.log("syncdir " + dir)
	}
	return err
}

type orderFile struct {
	atomicfile.File
	fs *orderFS
}

func (f *orderFile) Sync() error {
	err := f.File.Sync()
	if err == nil {
		f.fs.log("sync " + f.Name())
	}
	return err
}

// TestSaveArticleDurableOnReturn checks, for each kind of save, that
// every file SaveArticle puts in place was synced before its rename and
// its directory synced after it, all before SaveArticle returned: an
// article reported saved survives a crash.
func TestSaveArticleDurableOnReturn(t *testing.T) {
	ofs := &orderFS{}
	s, err := open(t.TempDir(), Options{}, ofs)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	v1 := testArticle("https://example.org/baca/d", "Versi satu.")
	better := *v1
	better.Author = "Humas"
	v2 := testArticle(v1.URL, "Versi dua.")
	v2.FetchedAt = "2026-11-30T09:00:00Z"
	early := testArticle(v1.URL, "Versi awal.")
	early.FetchedAt = "2026-11-01T09:00:00Z"
	ofs.take()
	for _, tt := range []struct {
		a    *extract.Article
		want SaveResult
	}{{v1, New}, {&better, Updated}, {v2, Changed}, {early, Earlier}} {
		r, err := s.SaveArticle(tt.a)
		if err != nil || r != tt.want {
			t.Fatalf("SaveArticle = %v, %v, want %v", r, err, tt.want)
		}
		steps := ofs.take()
		renames := 0
		for i, st := range steps {
			f := strings.Fields(st)
			if f[0] != "rename" {
				continue
			}
			renames++
			if !slices.Contains(steps[:i], "sync "+f[1]) {
				t.Errorf("%v: %s renamed to %s before it was synced; steps %q", r, f[1], f[2], steps)
			}
			if !slices.Contains(steps[i+1:], "syncdir "+filepath.Dir(f[2])) {
				t.Errorf("%v: SaveArticle returned before the directory of %s was synced after its rename; steps %q", r, f[2], steps)
			}
		}
		if renames == 0 {
			t.Errorf("%v: SaveArticle put no file in place; steps %q", r, steps)
		}
	}
}
