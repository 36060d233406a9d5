package archive

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestVerify(t *testing.T) {
	// setup builds a sound archive: three articles, each captured, one of
	// them with two versions.
	setup := func(t *testing.T) (string, []Ref) {
		dir := t.TempDir()
		s, err := Open(dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var refs []Ref
		for i, u := range []string{"https://example.org/baca/a", "https://example.org/baca/b", "https://example.org/baca/c"} {
			ref, err := s.SaveCapture(testCapture(u, randomText(i, 300)))
			if err != nil {
				t.Fatal(err)
			}
			refs = append(refs, ref)
			if _, err := s.SaveArticle(testArticle(u, "Isi.")); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.SaveArticle(testArticle("https://example.org/baca/a", "Isi baru.")); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		return dir, refs
	}
	articleFile := func(dir, url string) string {
		id := testArticle(url, "").ID
		return filepath.Join(dir, "articles", "demo", id[len(id)-2:], id+".json")
	}
	tests := []struct {
		name   string
		damage func(t *testing.T, dir string, refs []Ref)
		want   []string // problem kinds
	}{
		{"sound", func(*testing.T, string, []Ref) {}, nil},
		{"flipped byte in a record", func(t *testing.T, dir string, refs []Ref) {
			// Rewrite record b with one payload byte changed but a valid
			// gzip stream, as bit rot under a checksummed file system would.
			rewriteRecord(t, filepath.Join(dir, "warc", refs[1].File), refs[1], func(b []byte) []byte {
				i := strings.LastIndex(string(b), "\r\n\r\n") - 5
				b[i] ^= 1
				return b
			})
			// Offsets after it moved: let a writable Open rebuild the index.
			os.Remove(filepath.Join(dir, "warc", refs[1].File+".cdxj"))
			s, err := Open(dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			s.Close()
		}, []string{ProblemWARCDamaged}},
		{"garbage after the last record", func(t *testing.T, dir string, refs []Ref) {
			appendFile(t, filepath.Join(dir, "warc", refs[0].File), []byte("sampah"))
		}, []string{ProblemWARCTorn}},
		{"index lost", func(t *testing.T, dir string, refs []Ref) {
			os.Remove(filepath.Join(dir, "warc", refs[0].File+".cdxj"))
		}, []string{ProblemWARCUnindexed}},
		{"article edited by hand", func(t *testing.T, dir string, refs []Ref) {
			p := articleFile(dir, "https://example.org/baca/b")
			b, _ := os.ReadFile(p)
			os.WriteFile(p, []byte(strings.Replace(string(b), `"Isi."`, `"Isi palsu."`, 1)), 0o644)
		}, []string{ProblemArticleHash}},
		{"article truncated", func(t *testing.T, dir string, refs []Ref) {
			os.WriteFile(articleFile(dir, "https://example.org/baca/c"), []byte(`{"id": "demo-`), 0o644)
		}, []string{ProblemArticleUnreadable}},
		{"article without capture", func(t *testing.T, dir string, refs []Ref) {
			a := testArticle("https://example.org/baca/uncaptured", "Isi.")
			data, _ := marshalArticle(a)
			p := articleFile(dir, a.URL)
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.WriteFile(p, data, 0o644)
		}, []string{ProblemArticleNoCapture}},
		{"article in the wrong place", func(t *testing.T, dir string, refs []Ref) {
			a := testArticle("https://example.org/baca/a", "Isi.")
			data, _ := marshalArticle(a)
			p := articleFile(dir, "https://example.org/baca/elsewhere")
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.WriteFile(p, data, 0o644)
		}, []string{ProblemArticleMisplaced}},
		{"older version lost", func(t *testing.T, dir string, refs []Ref) {
			p := articleFile(dir, "https://example.org/baca/a")
			os.Rename(versionPath(p, 1), versionPath(p, 2))
		}, []string{ProblemVersionOrder}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, refs := setup(t)
			tt.damage(t, dir, refs)
			s, err := Open(dir, Options{ReadOnly: true}) // no recovery: see the damage as it is
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			r, err := s.Verify(context.Background())
			if err != nil {
				t.Fatalf("Verify error: %v", err)
			}
			var kinds []string
			for _, p := range r.Problems {
				kinds = append(kinds, p.Kind)
			}
			slices.Sort(kinds)
			slices.Sort(tt.want)
			if !slices.Equal(kinds, tt.want) {
				t.Errorf("Verify problems = %v, want kinds %v", r.Problems, tt.want)
			}
			if r.OK() != (len(tt.want) == 0) {
				t.Errorf("Verify OK() = %v with problems %v", r.OK(), r.Problems)
			}
			if tt.name == "sound" && (r.WARCFiles != 1 || r.Captures != 3 || r.Articles != 3 || r.Versions != 4 || r.Records != 7) {
				t.Errorf("Verify counts = %+v, want 1 file, 7 records, 3 captures, 3 articles, 4 article files", r)
			}
		})
	}
}

func TestVerifyWhileWriting(t *testing.T) {
	s := openTest(t, t.TempDir())
	for i, u := range []string{"https://example.org/a", "https://example.org/b"} {
		if _, err := s.SaveCapture(testCapture(u, randomText(i, 100))); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveArticle(testArticle(u, "Isi.")); err != nil {
			t.Fatal(err)
		}
	}
	r, err := s.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() || r.Captures != 2 || r.Articles != 2 {
		t.Errorf("Verify while the WARC file is open = %+v, want OK with 2 captures and 2 articles", r)
	}
}

func appendFile(t *testing.T, path string, b []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(b); err != nil {
		t.Fatal(err)
	}
}

// rewriteRecord replaces the gzip member at ref with edit applied to its
// uncompressed bytes.
func rewriteRecord(t *testing.T, path string, ref Ref, edit func([]byte) []byte) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data[ref.Offset : ref.Offset+ref.Length]))
	if err != nil {
		t.Fatal(err)
	}
	zr.Multistream(false)
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(edit(raw))
	zw.Close()
	out := append(append(append([]byte(nil), data[:ref.Offset]...), buf.Bytes()...), data[ref.Offset+ref.Length:]...)
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestReadOnlyBesideWriter(t *testing.T) {
	dir := t.TempDir()
	w := openTest(t, dir)
	for i, u := range []string{"https://example.org/a", "https://example.org/b"} {
		if _, err := w.SaveCapture(testCapture(u, randomText(i, 100))); err != nil {
			t.Fatal(err)
		}
		if _, err := w.SaveArticle(testArticle(u, "Isi.")); err != nil {
			t.Fatal(err)
		}
	}
	ref, err := w.Lookup("https://example.org/a", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	// A record half written right now, as the reader sees it.
	appendFile(t, filepath.Join(dir, "warc", ref.File), gzipHead(t))

	r, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rep, err := r.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || len(rep.Active) != 1 || rep.Captures != 2 {
		t.Errorf("read-only Verify beside a writer = %+v, want OK, one active file, 2 captures", rep)
	}
	n := 0
	if err := r.WalkCaptures(context.Background(), func(*Capture, Ref) error { n++; return nil }); err != nil || n != 2 {
		t.Errorf("read-only WalkCaptures beside a writer = %v after %d captures, want 2 and no error", err, n)
	}
}
