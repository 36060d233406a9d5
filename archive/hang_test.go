package archive

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestHangHunt(t *testing.T) {
	seeds := fuzzSeeds(t)
	rng := rand.New(rand.NewSource(1))
	for i := range 3000 {
		b := append([]byte(nil), seeds[rng.Intn(len(seeds))]...)
		for range 1 + rng.Intn(4) {
			switch rng.Intn(3) {
			case 0:
				b[rng.Intn(len(b))] = byte(rng.Intn(256))
			case 1:
				b = b[:rng.Intn(len(b))+1]
			case 2:
				j := rng.Intn(len(b))
				b = append(b[:j], append([]byte{byte(rng.Intn(256))}, b[j:]...)...)
			}
		}
		path := filepath.Join(t.TempDir(), "x.warc")
		os.WriteFile(path, b, 0o644)
		done := make(chan string, 1)
		go func() {
			Import(context.Background(), path, func(*Capture) error { return nil })
			done <- "import"
		}()
		select {
		case <-done:
		case <-time.After(3 * time.Second):
			os.WriteFile("/tmp/hang.warc", b, 0o644)
			t.Fatalf("iteration %d: Import hangs; input in /tmp/hang.warc", i)
		}
		go func() {
			scanWARC(context.Background(), path, -1, true)
			done <- "scan"
		}()
		select {
		case <-done:
		case <-time.After(3 * time.Second):
			os.WriteFile("/tmp/hang.warc", b, 0o644)
			t.Fatalf("iteration %d: scanWARC hangs; input in /tmp/hang.warc", i)
		}
	}
	fmt.Println("no hang")
}
