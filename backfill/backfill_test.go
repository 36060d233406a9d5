package backfill_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/warta-id/warta/archive"
	"github.com/warta-id/warta/backfill"
	"github.com/warta-id/warta/backfill/archivetest"
)

// handlers serves requests in memory, by host: under testing/synctest no
// goroutine may wait on a real network, and the clock is fake.
type handlers map[string]http.Handler

func (hs handlers) RoundTrip(r *http.Request) (*http.Response, error) {
	h, ok := hs[r.URL.Host]
	if !ok {
		return nil, fmt.Errorf("no test server for %s", r.URL.Host)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	res := rec.Result()
	res.Request = r
	return res, nil
}

func host(u string) string {
	p, _ := url.Parse(u)
	return p.Host
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t.Add(9 * time.Hour)
}

func page(title string) []byte {
	return []byte("<html><head><title>" + title + "</title></head><body><h1>" + title + "</h1><p>Isi berita " + title + ".</p></body></html>")
}

// portal is the old Sawahlunto portal as an archive kept it.
func portal() []*archivetest.Capture {
	return []*archivetest.Capture{
		// One article under three URL variants that share a urlkey, the
		// same bytes twice, then changed bytes behind ?utm_ (another key).
		{URL: "http://sawahluntokota.go.id/baca/pasar", Time: day("2018-01-10"), Body: page("Pasar v1")},
		{URL: "https://www.sawahluntokota.go.id/baca/pasar/", Time: day("2018-06-10"), Body: page("Pasar v1")},
		{URL: "https://sawahluntokota.go.id/baca/pasar?utm_source=fb", Time: day("2019-03-01"), Body: page("Pasar v2")},
		// A revisit of the first: its payload is v1 again.
		{URL: "http://sawahluntokota.go.id/baca/pasar", Time: day("2020-02-02"), Revisit: true},
		// Listed at a time the archive does not have exactly: replay
		// redirects to the nearest capture.
		{URL: "http://sawahluntokota.go.id/baca/tambang", Time: day("2019-05-05").Add(37 * time.Second), IndexTime: day("2019-05-05"), Body: page("Tambang")},
		// Withdrawn: listed, but replay answers 404.
		{URL: "http://sawahluntokota.go.id/baca/hilang", Time: day("2019-07-07"), Body: page("Hilang"), Gone: true},
		// A capture that is itself a redirect: not an article.
		{URL: "http://sawahluntokota.go.id/baca/pindah", Time: day("2019-08-08"), Status: 301, Location: "http://sawahluntokota.go.id/baca/tambang"},
		// Not articles: the home page, an image, a stylesheet, another site.
		{URL: "http://sawahluntokota.go.id/", Time: day("2019-01-01"), Body: page("Beranda")},
		{URL: "http://sawahluntokota.go.id/wp-content/uploads/foto.jpg", Time: day("2019-01-01"), Header: http.Header{"Content-Type": {"image/jpeg"}}, Body: []byte("\xff\xd8jpeg")},
		{URL: "http://sawahluntokota.go.id/style.css", Time: day("2019-01-01"), Header: http.Header{"Content-Type": {"text/css"}}, Body: []byte("body{}")},
		{URL: "http://example.org/baca/lain", Time: day("2019-01-01"), Body: page("Lain")},
	}
}

func identity(t *testing.T) *backfill.Identity {
	t.Helper()
	id, err := backfill.NewIdentity("https://sawahluntokota.go.id/", []string{"sawahluntokota.go.id"}, regexp.MustCompile(`^https://sawahluntokota\.go\.id/baca/[^/?#]+$`))
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// got is what a handler was given, in order.
type got struct {
	url, article string
	at           time.Time
	body, source string
}

func collect(out *[]got) backfill.Handler {
	return func(_ context.Context, f *backfill.Fetched) error {
		body := string(f.Body)
		if f.Record != nil {
			err := archive.ImportRecords(context.Background(), f.SourceURL, f.Record, func(c *archive.Capture) error {
				body = string(c.Body)
				if !c.FetchedAt.Equal(f.Time) || c.URL != f.URL {
					return fmt.Errorf("record %s at %s, index says %s at %s", c.URL, c.FetchedAt, f.URL, f.Time)
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		*out = append(*out, got{f.URL, f.Article, f.Time, body, f.SourceURL})
		return nil
	}
}

func TestWaybackBackfill(t *testing.T) {
	// Servers start outside the bubble: their Accept waits on the real
	// network, which would keep the fake clock from moving.
	ia := archivetest.NewWayback(portal()...)
	defer ia.Close()
	synctest.Test(t, func(t *testing.T) {
		ia.Fail(2, http.StatusTooManyRequests, "7")
		ia.Fail(9, http.StatusServiceUnavailable, "")
		b, err := backfill.New(backfill.Options{
			Site: "sawahlunto-portal", Identity: identity(t), Wayback: ia.URL,
			Transport: handlers{host(ia.URL): ia},
		})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		var out []got
		if err := b.Run(t.Context(), collect(&out)); err != nil {
			t.Fatalf("Run: %v", err)
		}
		want := []struct{ url, body, at string }{
			{"http://sawahluntokota.go.id/baca/pasar", "Pasar v1", "2018-01-10T09:00:00Z"},
			{"https://sawahluntokota.go.id/baca/pasar?utm_source=fb", "Pasar v2", "2019-03-01T09:00:00Z"},
			{"http://sawahluntokota.go.id/baca/tambang", "Tambang", "2019-05-05T09:00:37Z"},
			{"http://sawahluntokota.go.id/baca/pasar", "Pasar v1", "2020-02-02T09:00:00Z"},
		}
		if len(out) != len(want) {
			t.Fatalf("handed over %d captures %v, want %d", len(out), out, len(want))
		}
		for i, w := range want {
			g := out[i]
			if g.url != w.url || !strings.Contains(g.body, w.body) || g.at.Format(time.RFC3339) != w.at {
				t.Errorf("capture %d = %s %q at %s, want %s %q at %s", i, g.url, g.body, g.at.Format(time.RFC3339), w.url, w.body, w.at)
			}
			if !strings.HasPrefix(g.source, ia.URL+"/web/") || !strings.Contains(g.source, "id_/") {
				t.Errorf("capture %d source = %q, want an id_ replay URL on %s", i, g.source, ia.URL)
			}
		}
		if a := out[1].article; a != "https://sawahluntokota.go.id/baca/pasar" {
			t.Errorf("article of the utm_ variant = %q, want the preferred URL", a)
		}
		if s := out[2].source; !strings.Contains(s, "20190505090037id_/") {
			t.Errorf("source of the redirected capture = %q, want the nearest capture's URL", s)
		}
		st := b.Stats()
		if st.Fetched != 4 || st.Skipped != 1 || st.Failed != 0 {
			t.Errorf("stats %+v, want 4 fetched, 1 skipped (withdrawn), 0 failed", st)
		}
		// Politeness: 1 request a second, and the 429's Retry-After of 7s.
		if min := time.Duration(st.Requests-1)*time.Second + 6*time.Second; time.Since(start) < min {
			t.Errorf("%d requests took %v, want at least %v (1/s plus Retry-After)", st.Requests, time.Since(start), min)
		}
	})
}

func TestWaybackRefusal(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		times  int
		want   string
	}{
		{"403", http.StatusForbidden, 1, "403"},
		{"429 forever", http.StatusTooManyRequests, 20, "429"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ia := archivetest.NewWayback(portal()...)
			defer ia.Close()
			synctest.Test(t, func(t *testing.T) {
				for i := 3; i < 3+tc.times; i++ {
					ia.Fail(i, tc.status, "1")
				}
				b, _ := backfill.New(backfill.Options{Identity: identity(t), Wayback: ia.URL, Transport: handlers{host(ia.URL): ia}})
				var out []got
				err := b.Run(t.Context(), collect(&out))
				if !errors.Is(err, backfill.ErrRefused) || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("Run = %v, want ErrRefused naming %s", err, tc.want)
				}
				if reqs := ia.Requests(); reqs > 3+tc.times {
					t.Errorf("%d requests, want the run to stop at the refusal", reqs)
				}
			})
		})
	}
}

func TestPywbBackfill(t *testing.T) {
	pw := archivetest.NewPywb("ukwa", portal()...)
	defer pw.Close()
	synctest.Test(t, func(t *testing.T) {
		b, err := backfill.New(backfill.Options{
			Identity: identity(t), CDX: pw.CDXURL(), Replay: pw.ReplayBase(), Delay: -1,
			Transport: handlers{host(pw.URL): pw},
		})
		if err != nil {
			t.Fatal(err)
		}
		var out []got
		if err := b.Run(t.Context(), collect(&out)); err != nil {
			t.Fatalf("Run: %v", err)
		}
		var bodies []string
		for _, g := range out {
			bodies = append(bodies, g.body[strings.Index(g.body, "<h1>")+4:strings.Index(g.body, "</h1>")])
		}
		if want := []string{"Pasar v1", "Pasar v2", "Tambang", "Pasar v1"}; !slices.Equal(bodies, want) {
			t.Errorf("pywb: fetched %q, want %q", bodies, want)
		}
	})
}

func TestResume(t *testing.T) {
	// Servers start outside the bubble: their Accept waits on the real
	// network, which would keep the fake clock from moving.
	ia := archivetest.NewWayback(portal()...)
	defer ia.Close()
	synctest.Test(t, func(t *testing.T) {
		opt := backfill.Options{
			Site: "s", Identity: identity(t), Wayback: ia.URL, Delay: -1,
			StatePath: filepath.Join(t.TempDir(), "backfill.db"),
			Transport: handlers{host(ia.URL): ia},
		}
		b, _ := backfill.New(opt)
		n := 0
		stop := errors.New("disk full")
		err := b.Run(t.Context(), func(context.Context, *backfill.Fetched) error {
			if n++; n == 3 {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) {
			t.Fatalf("Run = %v, want the handler's error", err)
		}
		before := ia.Replays()
		b, _ = backfill.New(opt)
		var out []got
		if err := b.Run(t.Context(), collect(&out)); err != nil {
			t.Fatal(err)
		}
		// The third capture, refused by the handler, comes again; the two
		// before it do not.
		var urls []string
		for _, g := range out {
			urls = append(urls, g.url+" "+g.at.Format(time.DateOnly))
		}
		want := []string{"http://sawahluntokota.go.id/baca/tambang 2019-05-05", "http://sawahluntokota.go.id/baca/pasar 2020-02-02"}
		if !slices.Equal(urls, want) {
			t.Errorf("resumed run handed over %q, want %q", urls, want)
		}
		// tambang (two hops: its listed time redirects), hilang (404), pasar.
		if n := ia.Replays() - before; n != 4 {
			t.Errorf("resumed run: %d replay requests, want 4", n)
		}
		before = ia.Replays()
		b, _ = backfill.New(opt)
		out = nil
		if err := b.Run(t.Context(), collect(&out)); err != nil {
			t.Fatal(err)
		}
		if len(out) != 0 || ia.Replays() != before || b.Stats().Done != 5 {
			t.Errorf("third run: %d captures, %d replays, stats %+v; want none, and 5 done", len(out), ia.Replays()-before, b.Stats())
		}
	})
}

func TestCommonCrawlBackfill(t *testing.T) {
	all := portal()
	cc := archivetest.NewCommonCrawl(map[string][]*archivetest.Capture{
		"CC-MAIN-2018-05": all[:2],
		"CC-MAIN-2019-13": {all[2], all[4], all[7], all[8]},
	})
	defer cc.Close()
	synctest.Test(t, func(t *testing.T) {
		cc.Fail(1, http.StatusServiceUnavailable, "3")
		b, err := backfill.New(backfill.Options{
			Identity: identity(t), Source: backfill.CommonCrawl, CCIndex: cc.Index.URL, CCData: cc.Data.URL, Delay: -1,
			Transport: handlers{host(cc.Index.URL): cc.Index.Config.Handler, host(cc.Data.URL): cc.Data.Config.Handler},
		})
		if err != nil {
			t.Fatal(err)
		}
		var out []got
		if err := b.Run(t.Context(), collect(&out)); err != nil {
			t.Fatalf("Run: %v", err)
		}
		var urls []string
		for _, g := range out {
			urls = append(urls, g.url)
			if !strings.HasPrefix(g.source, cc.Data.URL+"/crawl-data/") || !strings.Contains(g.source, "#bytes=") {
				t.Errorf("source %q, want the WARC file and range", g.source)
			}
		}
		want := []string{"http://sawahluntokota.go.id/baca/pasar", "https://sawahluntokota.go.id/baca/pasar?utm_source=fb", "http://sawahluntokota.go.id/baca/tambang"}
		if !slices.Equal(urls, want) {
			t.Errorf("common crawl: fetched %q, want %q", urls, want)
		}
		if cc.Ranges() != 3 {
			t.Errorf("%d range requests, want 3", cc.Ranges())
		}
	})
}

func TestCommonCrawlFromTo(t *testing.T) {
	all := portal()
	cc := archivetest.NewCommonCrawl(map[string][]*archivetest.Capture{
		"CC-MAIN-2018-05": all[:2],
		"CC-MAIN-2019-13": {all[2], all[4]},
	})
	defer cc.Close()
	synctest.Test(t, func(t *testing.T) {
		b, _ := backfill.New(backfill.Options{
			Identity: identity(t), Source: backfill.CommonCrawl, CCIndex: cc.Index.URL, CCData: cc.Data.URL, Delay: -1,
			From: day("2019-01-01"), To: day("2019-12-31"),
			Transport: handlers{host(cc.Index.URL): cc.Index.Config.Handler, host(cc.Data.URL): cc.Data.Config.Handler},
		})
		var out []got
		if err := b.Run(t.Context(), collect(&out)); err != nil {
			t.Fatal(err)
		}
		if len(out) != 2 {
			t.Errorf("2019 only: %d captures %v, want 2", len(out), out)
		}
	})
}

// TestRevisitRedirect: an archive that answers a revisit with a redirect
// to the capture it repeats; the revisit keeps its own time.
func TestRevisitRedirect(t *testing.T) {
	ia := archivetest.NewWayback(portal()[:4]...)
	defer ia.Close()
	ia.RevisitRedirect = true
	synctest.Test(t, func(t *testing.T) {
		b, _ := backfill.New(backfill.Options{Identity: identity(t), Wayback: ia.URL, Delay: -1, Transport: handlers{host(ia.URL): ia}})
		var out []got
		if err := b.Run(t.Context(), collect(&out)); err != nil {
			t.Fatal(err)
		}
		last := out[len(out)-1]
		if len(out) != 3 || !last.at.Equal(day("2020-02-02")) || !strings.Contains(last.body, "Pasar v1") || !strings.Contains(last.source, "20180110090000id_/") {
			t.Errorf("revisit handed over as %s %q from %s, want 2020-02-02, Pasar v1, from the 2018 capture", last.at, last.body, last.source)
		}
	})
}
