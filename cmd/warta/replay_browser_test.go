package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"image"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/warta-id/warta/crawler/demosite"
)

// TestBrowserReplayLooksLikeLive crawls the demo site, then shows one of
// its article pages live and as warta replays it in headless Chromium.
// The replay must load every requisite from warta (each answered 200 from
// the archive), send nothing to the live site, and look like the live
// page: the screenshots differ in few pixels (the banner's corner). A
// replay without its style sheets differs in most of them, so the bound
// tells the two apart. Screenshots go to $WARTA_SCREENSHOTS or a temp dir.
func TestBrowserReplayLooksLikeLive(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test; not run with -short")
	}
	chrome, shots := browserTest(t)

	// The archive: warta demo's crawl of its site (seed 1, 10 articles).
	data := t.TempDir()
	if r := runWarta(t, nil, "demo", "--data", data, "--articles", "10"); r.code != exitOK {
		t.Fatalf("warta demo: exit %d: %s", r.code, r.stderr)
	}
	var article struct{ URL string }
	exp := runWarta(t, nil, "export", "--data", data)
	if err := json.Unmarshal([]byte(strings.SplitN(exp.stdout, "\n", 2)[0]), &article); err != nil || article.URL == "" {
		t.Fatalf("export gave no article: %v %.200q", err, exp.stdout)
	}

	// The live site: the same demo site (same seed, same pages), counting
	// the requests it gets.
	var live atomic.Int64
	site := demosite.New(demosite.Options{Seed: 1, Articles: 10})
	liveSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		live.Add(1)
		site.ServeHTTP(w, r)
	}))
	defer liveSrv.Close()
	livePort := strings.TrimPrefix(liveSrv.URL, "http://127.0.0.1:")

	// warta serve over the archive.
	addr, _, _ := serveInProcess(t, "serve", "--data", data, "--addr", "127.0.0.1:0")
	base := "http://" + addr
	bctx := startChromium(t, chrome, 1280, 1000,
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("font-render-hinting", "none"),
		// demo.warta.test, the archived pages' host, is the live site.
		chromedp.Flag("host-resolver-rules", "MAP demo.warta.test 127.0.0.1:"+livePort+", EXCLUDE 127.0.0.1"),
	)
	tctx, cancelTimeout := context.WithTimeout(bctx, 2*time.Minute)
	defer cancelTimeout()

	// Every response the page gets, by URL.
	var mu sync.Mutex
	responses := map[string]int64{}
	requested := map[network.RequestID]string{}
	var failed []string
	if err := chromedp.Listen(tctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			requested[e.RequestID] = e.Request.URL
		case *network.EventResponseReceived:
			responses[e.Response.URL] = e.Response.Status
		case *network.EventLoadingFailed:
			if u := requested[e.RequestID]; !strings.HasSuffix(u, "/favicon.ico") { // the browser's own, not the page's
				failed = append(failed, u+": "+e.ErrorText)
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	snap := func(name, target string) image.Image {
		t.Helper()
		mu.Lock()
		clear(responses)
		failed = nil
		mu.Unlock()
		if err := chromedp.Do(tctx, chromedp.Navigate(target), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
			t.Fatalf("open %s: %v", target, err)
		}
		png1, err := chromedp.Run(tctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatalf("screenshot of %s: %v", target, err)
		}
		path := filepath.Join(shots, name)
		if err := os.WriteFile(path, png1, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", path)
		img, err := png.Decode(bytes.NewReader(png1))
		if err != nil {
			t.Fatal(err)
		}
		return img
	}

	liveImg := snap("faithful-live.png", article.URL)
	if live.Load() == 0 {
		t.Fatalf("the live page did not reach the live site: the browser's host mapping failed")
	}
	liveRes := len(responses)

	before := live.Load()
	replay := base + "/replay?url=" + url.QueryEscape(article.URL)
	replayImg := snap("faithful-replay.png", replay)
	if n := live.Load() - before; n != 0 {
		t.Errorf("the replay sent %d requests to the live site, want none", n)
	}
	mu.Lock()
	for u, status := range responses {
		if strings.HasPrefix(u, "data:") {
			continue // inline in the archived page or its style sheets
		}
		if !strings.HasPrefix(u, base+"/") {
			t.Errorf("the replay loaded %s, outside warta", u)
		} else if status != http.StatusOK {
			t.Errorf("the replay got %d for %s: a requisite not resolved from the archive", status, u)
		}
	}
	if len(responses) < 5 {
		t.Errorf("the replay loaded %d resources, want the page, its 2 style sheets, logo and header image at least: %v", len(responses), responses)
	}
	for _, f := range failed {
		t.Errorf("the replay failed to load %s", f)
	}
	mu.Unlock()
	t.Logf("live page: %d responses; replay: %d", liveRes, len(responses))

	diff := pixelDiff(liveImg, replayImg)
	t.Logf("pixels differing between live and replay: %.2f%%", diff*100)
	if diff > 0.03 {
		t.Errorf("replay differs from the live page in %.1f%% of its pixels, want under 3%%", diff*100)
	}
	// The same page without its style sheets, as replay showed it before
	// requisites: the bound above must tell it from the live page.
	bare := snap("faithful-unstyled.png", "data:text/html;base64,"+base64Page(t, base, article.URL))
	d := pixelDiff(liveImg, bare)
	t.Logf("pixels differing between live and the unstyled page: %.2f%%", d*100)
	if d < 0.10 {
		t.Errorf("an unstyled page differs from the live one in only %.1f%% of pixels: the comparison cannot see styles", d*100)
	}
}

// pixelDiff returns the fraction of pixels whose colour differs by more
// than a little between a and b (which are compared over their common
// size; the rest counts as different).
func pixelDiff(a, b image.Image) float64 {
	ra, rb := a.Bounds(), b.Bounds()
	w, h := max(ra.Dx(), rb.Dx()), max(ra.Dy(), rb.Dy())
	diff := 0
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			pa, pb := image.Pt(ra.Min.X+x, ra.Min.Y+y), image.Pt(rb.Min.X+x, rb.Min.Y+y)
			if !pa.In(ra) || !pb.In(rb) {
				diff++
				continue
			}
			r1, g1, b1, _ := a.At(pa.X, pa.Y).RGBA()
			r2, g2, b2, _ := b.At(pb.X, pb.Y).RGBA()
			if absDiff(r1, r2) > 0x1000 || absDiff(g1, g2) > 0x1000 || absDiff(b1, b2) > 0x1000 {
				diff++
			}
		}
	}
	return float64(diff) / float64(w*h)
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

// base64Page returns the archived page's HTML without its style sheets
// (scripts, links and style elements cut), base64-encoded for a data: URL.
func base64Page(t *testing.T, base, pageURL string) string {
	t.Helper()
	res, err := http.Get(base + "/replay?url=" + url.QueryEscape(pageURL))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	page := string(b)
	for _, tag := range []string{"<link ", "<style"} {
		for {
			i := strings.Index(page, tag)
			if i < 0 {
				break
			}
			end := strings.Index(page[i:], ">")
			if tag == "<style" {
				end = strings.Index(page[i:], "</style>") + len("</style>") - 1
			}
			page = page[:i] + page[i+end+1:]
		}
	}
	return base64Std(page)
}

func base64Std(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
