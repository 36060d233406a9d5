package archive

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/warta-id/warta/internal/atomicfile"
)

// TestKeyFilterSkipsAndFinds checks the filters of closed WARC files'
// indexes: a URL that no file holds is not found, every URL saved is,
// after rotations and after reopening.
func TestKeyFilterSkipsAndFinds(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{MaxWARCBytes: 3000})
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for i := range 30 {
		u := "https://example.org/baca/" + strings.Repeat("x", i)
		if _, err := s.SaveCapture(testCapture(u, randomText(i, 2000))); err != nil {
			t.Fatal(err)
		}
		urls = append(urls, u)
	}
	check := func(s *Store, when string) {
		t.Helper()
		for _, u := range urls {
			if es, err := s.Captures(u); err != nil || len(es) != 1 {
				t.Errorf("%s: Captures(%s) = %d entries, %v; want 1", when, u, len(es), err)
			}
		}
		if es, err := s.Captures("https://example.org/baru"); err != nil || len(es) != 0 {
			t.Errorf("%s: Captures of a URL never saved = %v, %v; want none", when, es, err)
		}
	}
	check(s, "while writing")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if files, _ := warcFiles(filepath.Join(dir, "warc")); len(files) < 3 {
		t.Fatalf("%d WARC files, want several closed ones to filter", len(files))
	}
	s = openTest(t, dir)
	check(s, "after reopening")
}

// TestKeyFilterRechecksReadOnly checks that a read-only store sees an
// index that another process rewrote after the store read it.
func TestKeyFilterRechecksReadOnly(t *testing.T) {
	dir := t.TempDir()
	w := openTest(t, dir)
	ref, err := w.SaveCapture(testCapture("https://example.org/a", "a"))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if es, err := r.Captures("https://example.org/b"); err != nil || len(es) != 0 {
		t.Fatalf("Captures(b) before b is indexed = %v, %v; want none", es, err)
	}
	path := cdxjPath(filepath.Join(dir, "warc"), ref.File)
	es, err := readCDXJFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b := es[0]
	b.URL = "https://example.org/b"
	if err := writeCDXJ(atomicfile.OS{}, path, append(es, b)); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Minute) // the rewrite may fall in the same clock tick
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
	if es, err := r.Captures("https://example.org/b"); err != nil || len(es) != 1 {
		t.Errorf("Captures(b) after the index was rewritten = %v, %v; want one", es, err)
	}
}

// TestKeyFilterLongLine checks that a line longer than the filter's read
// buffer keeps its key, and the lines after it theirs.
func TestKeyFilterLongLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.cdxj")
	data := "org,example)/a 20260101000000 {}\n" +
		"org,example)/b 20260101000000 {\"url\":\"" + strings.Repeat("b", 200<<10) + "\"}\n" +
		"org,example)/c 20260101000000 {}"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	var k keyFilters
	for _, key := range []string{"org,example)/a", "org,example)/b", "org,example)/c"} {
		if ok, err := k.mayHold(path, key, false); err != nil || !ok {
			t.Errorf("mayHold(%s) = %v, %v; want true", key, ok, err)
		}
	}
	if ok, err := k.mayHold(path, "org,example)/z", false); err != nil || ok {
		t.Errorf("mayHold of a key not in the file = %v, %v; want false", ok, err)
	}
	if ok, err := k.mayHold(filepath.Join(t.TempDir(), "missing.cdxj"), "org,example)/a", true); err != nil || ok {
		t.Errorf("mayHold on a missing index = %v, %v; want false, nil", ok, err)
	}
}
