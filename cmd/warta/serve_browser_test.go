package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// findChromium returns the path of a Chromium binary: $WARTA_CHROMIUM,
// Debian's chromium, or another Chrome on the PATH; "" when there is none.
func findChromium() string {
	if p := os.Getenv("WARTA_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	return ""
}

// addrWatcher is the stderr of a running command: it keeps everything and
// sends the address of the first "serving … on http://ADDR/" line.
type addrWatcher struct {
	mu   sync.Mutex
	buf  strings.Builder
	addr chan string
	sent bool
}

var servingRE = regexp.MustCompile(`serving .* on http://([0-9.]+:[0-9]+)/`)

func (w *addrWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if !w.sent {
		if m := servingRE.FindStringSubmatch(w.buf.String()); m != nil {
			w.sent = true
			w.addr <- m[1]
		}
	}
	return len(p), nil
}

func (w *addrWatcher) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// browserTest returns the Chromium binary and the folder for screenshots
// ($WARTA_SCREENSHOTS, or a temp dir), and skips the test loudly when no
// Chromium is installed.
func browserTest(t *testing.T) (chrome, shots string) {
	t.Helper()
	chrome = findChromium()
	if chrome == "" {
		t.Skip("!!! SKIPPING THE BROWSER TEST: no Chromium binary found (looked for $WARTA_CHROMIUM, chromium, chromium-browser, google-chrome, /usr/bin/chromium); install it with `apt-get install -y chromium` !!!")
	}
	shots = os.Getenv("WARTA_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	return chrome, shots
}

// serveInProcess runs warta with args, a command that serves on
// 127.0.0.1:0, in this process, and returns the address it serves on once
// it does, and stop, which interrupts it and returns its exit code.
func serveInProcess(t *testing.T, args ...string) (addr string, stop func() int, log *addrWatcher) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	log = &addrWatcher{addr: make(chan string, 1)}
	exited := make(chan int, 1)
	go func() {
		exited <- run(ctx, args, strings.NewReader(""), io.Discard, log, func(string) string { return "" })
	}()
	select {
	case addr = <-log.addr:
	case code := <-exited:
		cancel()
		t.Fatalf("warta %s exited with %d before serving:\n%s", args[0], code, log)
	case <-time.After(90 * time.Second):
		cancel()
		<-exited
		t.Fatalf("warta %s did not start serving within 90s:\n%s", args[0], log)
	}
	var once sync.Once
	var code int
	stop = func() int {
		once.Do(func() {
			cancel()
			code = <-exited
		})
		return code
	}
	t.Cleanup(func() { stop() })
	return addr, stop, log
}

// startChromium starts headless Chromium with the flags this machine
// needs (no background networking: the network is closed) and extra, at
// the window size given, and returns the browser's context.
func startChromium(t *testing.T, chrome string, width, height int, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	opts := append([]chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chrome),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	}, extra...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(bctx); err != nil { // starts the browser
		t.Fatalf("start %s: %v", chrome, err)
	}
	return bctx
}

// TestBrowserDemoServe runs `warta demo --serve 127.0.0.1:0` in-process and
// drives headless Chromium through it: search, filter by date, open an
// article, see its gallery. Screenshots go to $WARTA_SCREENSHOTS or a temp
// dir.
func TestBrowserDemoServe(t *testing.T) {
	chrome, shots := browserTest(t)

	data := t.TempDir()
	addr, stop, stderr := serveInProcess(t, "demo", "--data", data, "--articles", "40", "--serve", "127.0.0.1:0")
	base := "http://" + addr
	defer func() {
		if code := stop(); code != exitOK {
			t.Errorf("warta demo --serve exited with %d after the interrupt, want 0:\n%s", code, stderr)
		}
	}()
	bctx := startChromium(t, chrome, 1280, 900, chromedp.Flag("lang", "id-ID"))
	tctx, cancelTimeout := context.WithTimeout(bctx, 2*time.Minute)
	defer cancelTimeout()

	shot := func(name string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				return err
			}
			path := filepath.Join(shots, name)
			t.Logf("screenshot: %s", path)
			return os.WriteFile(path, buf, 0o644)
		})
	}
	count := func(sel string) int {
		n, err := chromedp.Run(tctx, chromedp.Evaluate[int](`document.querySelectorAll(`+strconv.Quote(sel)+`).length`))
		if err != nil {
			t.Errorf("count %s: %v", sel, err)
		}
		return n
	}
	text := func(sel string) string {
		s, err := chromedp.Run(tctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Errorf("text of %s: %v", sel, err)
		}
		return strings.TrimSpace(s)
	}
	location := func() string {
		l, err := chromedp.Run(tctx, chromedp.Location())
		if err != nil {
			t.Errorf("location: %v", err)
		}
		return l
	}

	// Search.
	err := chromedp.Do(tctx,
		chromedp.Navigate(base+"/?lang=id"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=q]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=q]`), "sawahlunto"),
		chromedp.Submit(chromedp.CSS(`input[name=q]`)),
		// Only the results page has these export links.
		chromedp.WaitVisible(chromedp.CSS(`#export-csv[href*="q=sawahlunto"]`)),
		shot("search.png"),
	)
	if err != nil {
		t.Fatalf("search: %v\n%s", err, stderr)
	}
	if total, at := text(`#total strong`), location(); total != "40" || !strings.Contains(at, "q=sawahlunto") {
		t.Errorf("search for sawahlunto: total %q at %s, want 40 hits", total, at)
	}
	if n := count(`.snippet mark`); n == 0 {
		t.Errorf("no highlighted words in the snippets")
	}
	if n := count(`svg a.bar`); n == 0 {
		t.Errorf("no bars in the chart")
	}

	// A bar of the chart narrows the range to its period: the first one
	// is a year (the demo spans more than four years).
	err = chromedp.Do(tctx,
		chromedp.Click(chromedp.CSS(`svg a.bar rect`)),
		chromedp.WaitVisible(chromedp.CSS(`#clear-dates`)), // only with a date filter
	)
	if err != nil {
		t.Fatalf("click a bar of the chart: %v\n%s", err, stderr)
	}
	u, _ := url.Parse(location())
	from, to := u.Query().Get("from"), u.Query().Get("to")
	if len(from) != 10 || !strings.HasSuffix(from, "-01-01") || to != from[:4]+"-12-31" {
		t.Errorf("after clicking the first bar: from %q to %q, want one whole year", from, to)
	}
	if n := count(`.hit`); n == 0 {
		t.Errorf("no hits after clicking a bar with articles")
	}
	years, _ := chromedp.Run(tctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.hit time')].map(e => e.textContent)`))
	for _, d := range years {
		if !strings.HasSuffix(d, " "+from[:4]) {
			t.Errorf("hit dated %q after narrowing to %s", d, from[:4])
		}
	}

	// Filter by date in the form: December 2021 holds the seed article.
	err = chromedp.Do(tctx,
		chromedp.SetValue(chromedp.CSS(`input[name=from]`), "2021-12-01"),
		chromedp.SetValue(chromedp.CSS(`input[name=to]`), "2021-12-31"),
		chromedp.Click(chromedp.CSS(`.filters button`)),
		chromedp.WaitVisible(chromedp.CSS(`#export-csv[href*="from=2021-12-01"]`)),
		shot("search-december-2021.png"),
	)
	if err != nil {
		t.Fatalf("filter by date: %v\n%s", err, stderr)
	}
	u, _ = url.Parse(location())
	if u == nil || u.Query().Get("from") != "2021-12-01" || u.Query().Get("to") != "2021-12-31" {
		t.Errorf("after filtering: at %v, want from=2021-12-01 and to=2021-12-31", u)
	}
	dates, err := chromedp.Run(tctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.hit time')].map(e => e.textContent)`))
	if err != nil || len(dates) == 0 {
		t.Fatalf("no hits in December 2021 (err %v)", err)
	}
	for _, d := range dates {
		if !strings.HasSuffix(d, "Desember 2021") {
			t.Errorf("hit dated %q after filtering to December 2021", d)
		}
	}

	// Open the seed article and see its gallery.
	err = chromedp.Do(tctx,
		chromedp.Click(`//ol[@class="hits"]//h2/a[contains(., "IKMA")]`),
		chromedp.WaitVisible(chromedp.CSS(`#gallery`)),
		shot("article.png"),
	)
	if err != nil {
		t.Fatalf("open the article: %v\n%s", err, stderr)
	}
	if title := text(`article h1`); !strings.Contains(title, "Dirjen IKMA") {
		t.Errorf("article title = %q, want the seed article", title)
	}
	figures, images, placeholders := count(`#gallery figure`), count(`#gallery img`), count(`#gallery .noimg`)
	if figures != 9 || images+placeholders != 9 {
		t.Errorf("gallery: %d figures (%d images, %d not archived), want 9", figures, images, placeholders)
	}
	// Archived gallery images must load: they come from the archive.
	if images > 0 {
		loaded, err := chromedp.Run(tctx, chromedp.Evaluate[int](`[...document.querySelectorAll('#gallery img')].filter(i => i.complete && i.naturalWidth > 0).length`))
		if err != nil || loaded != images {
			t.Errorf("%d of %d gallery images loaded (err %v)", loaded, images, err)
		}
	}
	sb, err := chromedp.Run(tctx, chromedp.AttributeValue(chromedp.CSS(`#replay iframe`), "sandbox"))
	if err != nil || !sb.Exists || sb.Value != "" {
		t.Errorf("replay iframe sandbox = %+v (err %v), want present and empty", sb, err)
	}

	// The archived page itself, as the iframe shows it.
	src, err := chromedp.Run(tctx, chromedp.AttributeValue(chromedp.CSS(`#replay iframe`), "src"))
	if err != nil || !strings.HasPrefix(src.Value, "/replay?") {
		t.Fatalf("replay iframe src = %q (err %v), want /replay?…", src.Value, err)
	}
	err = chromedp.Do(tctx,
		chromedp.Navigate(base+src.Value),
		chromedp.WaitVisible(chromedp.CSS(`.warta-banner`)),
		shot("replay.png"),
	)
	if err != nil {
		t.Fatalf("open the archived page: %v\n%s", err, stderr)
	}
	if n := count(`script`); n != 0 {
		t.Errorf("the replayed page has %d script elements, want 0", n)
	}

	browserResearch(t, tctx, base, shot, count, text, location)
}

// browserResearch drives the research pages: the breakdowns beside the
// results, a comparison of two queries as shares, and both at 420 pixels
// wide, where the charts are drawn anew rather than scaled down.
func browserResearch(t *testing.T, tctx context.Context, base string, shot func(string) chromedp.Action[chromedp.Void],
	count func(string) int, text func(string) string, location func() string) {
	err := chromedp.Do(tctx,
		chromedp.Navigate(base+"/?q=sawahlunto&lang=en"),
		chromedp.WaitVisible(chromedp.CSS(`#facet-category li a`)),
		shot("breakdowns.png"),
	)
	if err != nil {
		t.Fatalf("breakdowns: %v", err)
	}
	for _, f := range []string{"category", "tag", "place", "author", "site"} {
		if count(`#facet-`+f+` li a`) == 0 {
			t.Errorf("no %s breakdown beside the results", f)
		}
	}
	cat, want := text(`#facet-category li a`), text(`#facet-category li .n`)
	if count(`#category option`) < 2 {
		t.Errorf("the category filter offers %d choices, want the breakdown's categories", count(`#category option`))
	}
	err = chromedp.Do(tctx,
		chromedp.Click(chromedp.CSS(`#facet-category li a`)),
		chromedp.WaitVisible(chromedp.CSS(`#facet-category li.active`)),
	)
	if err != nil {
		t.Fatalf("click the first category: %v", err)
	}
	if total := text(`#total strong`); total != want || !strings.Contains(location(), "category=") {
		t.Errorf("after choosing category %q: %s hits at %s, the breakdown said %s", cat, total, location(), want)
	}
	if sel, _ := chromedp.Run(tctx, chromedp.Evaluate[string](`document.querySelector('#category').value`)); sel != cat {
		t.Errorf("category filter shows %q, want %q", sel, cat)
	}

	// Compare two queries over the years, as shares of all articles.
	err = chromedp.Do(tctx,
		chromedp.Navigate(base+"/compare?lang=en"),
		chromedp.WaitVisible(chromedp.CSS(`#q1`)),
		chromedp.SendKeys(chromedp.CSS(`#q1`), "banjir"),
		chromedp.SendKeys(chromedp.CSS(`#q2`), "longsor OR tambang"),
		chromedp.SetValue(chromedp.CSS(`#by`), "year"),
		chromedp.Click(chromedp.CSS(`#share`)),
		chromedp.Click(chromedp.CSS(`#compare-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#compare-chart .wide svg`)),
		shot("compare-share.png"),
	)
	if err != nil {
		t.Fatalf("compare: %v", err)
	}
	at, _ := url.Parse(location())
	if q := at.Query(); len(slices.DeleteFunc(q["q"], func(s string) bool { return s == "" })) != 2 || q.Get("normalize") != "share" || q.Get("by") != "year" {
		t.Errorf("compare page at %s, want two queries per year as shares", at)
	}
	if n := count(`#compare-chart .wide polyline.series`); n != 2 {
		t.Errorf("compare chart has %d lines, want 2", n)
	}
	// Each line and its legend under the chart keep their own colour
	// (the page's style sheet must not paint them over).
	colours, _ := chromedp.Run(tctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#compare-chart .wide polyline.series')].map(e => getComputedStyle(e).stroke).concat([...document.querySelectorAll('#compare-chart .legend rect')].map(e => getComputedStyle(e).fill))`))
	if len(colours) != 4 || colours[0] == colours[1] || colours[0] != colours[2] || colours[1] != colours[3] {
		t.Errorf("line and legend colours %q, want two different ones, each line's the same as its legend's", colours)
	}
	ticks, _ := chromedp.Run(tctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#compare-chart .wide text.ylab')].map(e => e.textContent)`))
	if len(ticks) < 2 || !strings.HasSuffix(ticks[len(ticks)-1], "%") {
		t.Errorf("share chart y ticks %q, want percentages", ticks)
	}
	if count(`#compare-table tbody tr`) == 0 {
		t.Errorf("no table of the series")
	}
	for _, sel := range []string{`#compare-csv`, `#compare-svg`} {
		href, _ := chromedp.Run(tctx, chromedp.Evaluate[string](`document.querySelector('`+sel+`').href`))
		// The page's CSP allows no fetch: ask from here.
		resp, err := http.Get(href)
		if err != nil {
			t.Errorf("%s %s: %v", sel, href, err)
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(href, "normalize=share") || !strings.Contains(string(body), "longsor OR tambang") {
			t.Errorf("%s %s answers %d, want 200 with the same comparison", sel, href, resp.StatusCode)
		}
	}

	// 420 pixels wide: the narrow drawings show, with labels a reader can
	// read (11 px text, not a wide chart shrunk to half).
	for _, page := range []struct{ path, sel, name string }{
		{"/?q=sawahlunto&lang=en", `#chart`, "search-420.png"},
		{at.RequestURI(), `#compare-chart`, "compare-420.png"},
	} {
		err = chromedp.Do(tctx,
			chromedp.EmulateViewport(420, 900),
			chromedp.Navigate(base+page.path),
			chromedp.WaitVisible(chromedp.CSS(page.sel+` .narrow svg`)),
			shot(page.name),
		)
		if err != nil {
			t.Fatalf("%s at 420 px: %v", page.path, err)
		}
		wide, _ := chromedp.Run(tctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('`+page.sel+` .wide')).display`))
		px, _ := chromedp.Run(tctx, chromedp.Evaluate[float64](`Math.min(...[...document.querySelectorAll('`+page.sel+` .narrow text')].map(e => e.getBoundingClientRect().height))`))
		overflow, _ := chromedp.Run(tctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > 420`))
		if wide != "none" || px < 9 || overflow {
			t.Errorf("%s at 420 px: wide chart display %q, smallest chart text %.1f px, page wider than the screen %v; want the narrow chart, text of 9 px or more, no sideways scroll", page.path, wide, px, overflow)
		}
	}
}
