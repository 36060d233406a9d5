package crawler

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/warta-id/warta/crawler/demosite"
)

func TestZZMem(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("ZZN"))
	if n == 0 {
		t.Skip()
	}
	site := demosite.New(demosite.Options{Articles: n, Seed: 3})
	base, stop, _ := demosite.Start(t.Context(), "", site)
	defer stop(context.Background())
	c, _ := New(Options{StartURLs: []string{base + "/"}, ArticlePattern: demoPattern, Concurrency: 4, StatePath: filepath.Join(t.TempDir(), "s.db"), Discovery: os.Getenv("ZZMODE")})
	start := time.Now()
	sum, err := c.Run(t.Context(), HandlerFunc(func(context.Context, *Page) error { return nil }))
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("n=%d articles=%d err=%v %.0f articles/s heapsys=%dMB", n, sum.Articles, err, float64(sum.Articles)/time.Since(start).Seconds(), ms.HeapSys>>20)
}
