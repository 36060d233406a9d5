package archive

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// FuzzImport feeds damaged and made-up WARC files to Import and to the
// recovery scan: they must end in captures or a clear error, never a
// panic or a hang.
func FuzzImport(f *testing.F) {
	for _, seed := range fuzzSeeds(f) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "x.warc.gz")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		_ = Import(context.Background(), path, func(c *Capture) error {
			if c.URL == "" {
				t.Errorf("Import gave a capture without URL")
			}
			return nil
		})
		if _, err := scanWARC(context.Background(), path, -1, true); err != nil {
			t.Fatalf("scanWARC error: %v (damage must be a torn tail, not an error)", err)
		}
	})
}

// fuzzSeeds returns whole WARC files of several shapes.
func fuzzSeeds(f testing.TB) [][]byte {
	var seeds [][]byte
	for _, path := range []string{wgetWARC(f), heritrixWARC(f)} {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, b, b[:len(b)/2])
	}
	return seeds
}
