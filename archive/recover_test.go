package archive

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/internal/atomicfile"
)

// crash stops s the way a killed process would: files and lock are let go
// without the index write and marker removal of Close.
func (s *Store) crash() {
	s.closeMu.Lock()
	defer s.closeMu.Unlock()
	s.closed = true
	if s.w.f != nil {
		s.w.f.Close()
		s.w.f = nil
	}
	s.lock.Unlock()
}

func TestRecoverTornWARC(t *testing.T) {
	tests := []struct {
		name string
		// tear returns the damaged file content from the whole one and
		// the offset where the last whole capture's records end.
		tear     func(whole []byte, lastEnd int64) []byte
		wantTorn bool
	}{
		{"cut mid-record", func(b []byte, end int64) []byte { return append(b, gzipHead(t)...) }, true},
		{"last record cut", func(b []byte, end int64) []byte { return b[:len(b)-7] }, true},
		{"zeros after", func(b []byte, end int64) []byte { return append(b, make([]byte, 4096)...) }, true},
		{"three bytes after", func(b []byte, end int64) []byte { return append(b, 'W', 'A', 'R') }, true},
		{"intact", func(b []byte, end int64) []byte { return b }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			s, err := Open(dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var refs []Ref
			for i := range 3 {
				ref, err := s.SaveCapture(testCapture(fmt.Sprintf("https://example.org/%d", i), randomText(i, 500)))
				if err != nil {
					t.Fatal(err)
				}
				refs = append(refs, ref)
			}
			// an article write interrupted before its rename
			tmp := filepath.Join(dir, "articles", "demo", "ab", atomicfile.TempPrefix+"demo-00000000000000ab.json-123")
			if err := os.MkdirAll(filepath.Dir(tmp), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(tmp, []byte(`{"id":`), 0o644); err != nil {
				t.Fatal(err)
			}
			s.crash()

			path := filepath.Join(dir, "warc", refs[0].File)
			whole, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			// The last capture is lost in the tear when the cut is inside it.
			damaged := tt.tear(whole, refs[2].Offset+refs[2].Length)
			if err := os.WriteFile(path, damaged, 0o644); err != nil {
				t.Fatal(err)
			}

			s2 := openTest(t, dir)
			if _, err := os.Stat(tmp); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("temp file %s still there after recovery (err %v)", tmp, err)
			}
			torn, err := os.ReadFile(path + ".torn")
			if tt.wantTorn != (err == nil) {
				t.Fatalf("torn file exists = %v, want %v", err == nil, tt.wantTorn)
			}
			fixed, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := append(slicesClone(fixed), torn...); !bytes.Equal(got, damaged) {
				t.Errorf("kept (%d bytes) + torn (%d bytes) != damaged file (%d bytes): bytes lost", len(fixed), len(torn), len(damaged))
			}
			readRecords(t, path) // fails the test if the file does not read cleanly
			for i, ref := range refs {
				lost := tt.name == "last record cut" && i == 2
				c, err := s2.ReadCapture(ref)
				if lost {
					if err == nil {
						t.Errorf("ReadCapture(%v) of the cut capture = nil error, want one", ref)
					}
					continue
				}
				if err != nil || string(c.Body) != randomText(i, 500) {
					t.Errorf("ReadCapture(%v) after recovery = %v, want capture %d intact", ref, err, i)
				}
				if _, err := s2.Lookup(c.URL, time.Time{}); err != nil {
					t.Errorf("Lookup(%s) after recovery: %v", c.URL, err)
				}
			}
			// The store goes on writing, in a new file.
			ref, err := s2.SaveCapture(testCapture("https://example.org/after", "setelah"))
			if err != nil || ref.File == refs[0].File {
				t.Errorf("SaveCapture after recovery = %v, %v, want a new file", ref, err)
			}
		})
	}
}

func slicesClone(b []byte) []byte { return append([]byte(nil), b...) }

// gzipHead returns the first half of a gzip member holding a WARC
// record: what a crash during the write of a record may leave.
func gzipHead(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	fmt.Fprintf(zw, "WARC/1.1\r\nWARC-Type: resource\r\nContent-Length: 2000\r\n\r\n%s\r\n\r\n", randomText(9, 2000))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()[:buf.Len()/2]
}

// The helper process of TestKillDuringWrites: it saves captures and
// articles as fast as it can and prints each one that was reported
// saved, until it is killed.
func TestCrashHelper(t *testing.T) {
	dir := os.Getenv("WARTA_ARCHIVE_CRASH_DIR")
	if dir == "" {
		t.Skip("helper process for TestKillDuringWrites")
	}
	s, err := Open(dir, Options{MaxWARCBytes: 20000})
	if err != nil {
		fmt.Println("open error:", err)
		os.Exit(1)
	}
	out := bufio.NewWriter(os.Stdout)
	for i := 0; ; i++ {
		url := fmt.Sprintf("https://example.org/baca/%d", i%50)
		ref, err := s.SaveCapture(testCapture(url, randomText(i, 800)))
		if err != nil {
			fmt.Println("capture error:", err)
			os.Exit(1)
		}
		a := testArticle(url, fmt.Sprintf("Isi versi %d.", i))
		if _, err := s.SaveArticle(a); err != nil {
			fmt.Println("article error:", err)
			os.Exit(1)
		}
		line, _ := json.Marshal(map[string]any{"ref": ref, "id": a.ID, "hash": a.ContentHash, "url": url, "i": i})
		out.Write(append(line, '\n'))
		out.Flush()
	}
}

func TestKillDuringWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("kill test in -short mode")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skip("no test executable:", err)
	}
	dir := t.TempDir()
	for round := range 3 {
		cmd := exec.Command(exe, "-test.run=^TestCrashHelper$")
		cmd.Env = append(os.Environ(), "WARTA_ARCHIVE_CRASH_DIR="+dir)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		type saved struct {
			Ref  Ref
			ID   string
			Hash string
			URL  string
			I    int
		}
		var got []saved
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			var sv saved
			if err := json.Unmarshal(sc.Bytes(), &sv); err != nil {
				t.Fatalf("helper said %q", sc.Text())
			}
			got = append(got, sv)
			if len(got) == 40+round*13 {
				cmd.Process.Signal(syscall.SIGKILL)
				break
			}
		}
		cmd.Wait()
		if len(got) == 0 {
			t.Fatalf("round %d: helper saved nothing", round)
		}

		s, err := Open(dir, Options{})
		if err != nil {
			t.Fatalf("round %d: Open after kill: %v", round, err)
		}
		for _, sv := range got {
			c, err := s.ReadCapture(sv.Ref)
			if err != nil || string(c.Body) != randomText(sv.I, 800) {
				t.Errorf("round %d: capture %d reported saved at %v is lost: %v", round, sv.I, sv.Ref, err)
			}
		}
		// Each reported article save left either that version or a later
		// one as the latest, and its content among the versions.
		latest := map[string]saved{}
		for _, sv := range got {
			latest[sv.ID] = sv
		}
		for id, sv := range latest {
			vs, err := s.Versions(id)
			if err != nil {
				t.Errorf("round %d: Versions(%s): %v", round, id, err)
				continue
			}
			found := false
			for _, v := range vs {
				found = found || v.ContentHash == sv.Hash
			}
			if !found {
				t.Errorf("round %d: article %s version %d reported saved is lost", round, id, sv.I)
			}
		}
		n := 0
		if err := s.Walk(context.Background(), func(*extract.Article) error { n++; return nil }); err != nil {
			t.Errorf("round %d: Walk after kill: %v", round, err)
		}
		if n < len(latest) {
			t.Errorf("round %d: Walk saw %d articles, want at least %d", round, n, len(latest))
		}
		leftovers := 0
		for _, f := range listFiles(t, dir) {
			if strings.Contains(f, atomicfile.TempPrefix) {
				leftovers++
			}
		}
		if leftovers > 0 {
			t.Errorf("round %d: %d temp files left after recovery", round, leftovers)
		}
		if r, err := s.Verify(context.Background()); err != nil || !r.OK() {
			t.Errorf("round %d: Verify after kill and recovery = %+v, %v, want OK", round, r, err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
