package archive

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/warta-id/warta/extract"
)

func TestWalkLatestCaptures(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	type step struct {
		url    string
		body   string
		status int
	}
	// Two closed sessions and one still writing; small files so that a
	// session spans several.
	sessions := [][]step{
		{{"https://example.org/a", "A1", 200}, {"https://example.org/b", "B1", 200}, {"https://example.org/c", "C1", 200}},
		{{"https://example.org/a", "A2", 200}, {"https://example.org/b", "", 304}, {"https://example.org/c", "gone", 404}},
		{{"https://example.org/b", "B1", 200}, {"https://example.org/d", "D1", 200}, {"https://EXAMPLE.org/a", "A-upper", 200}},
	}
	var s *Store
	h := 0
	for i, ses := range sessions {
		var err error
		if s, err = Open(dir, Options{MaxWARCBytes: 2500}); err != nil {
			t.Fatal(err)
		}
		for _, st := range ses {
			c := testCapture(st.url, st.body+randomText(len(st.body)*31+int(st.url[len(st.url)-1]), 400))
			if st.body == "" {
				c.Body = nil
			}
			c.Status = st.status
			c.FetchedAt = t0.Add(time.Duration(h) * time.Hour)
			h++
			if _, err := s.SaveCapture(c); err != nil {
				t.Fatal(err)
			}
		}
		if i < len(sessions)-1 {
			s.Close()
		}
	}
	defer s.Close()

	var got []string
	err := s.WalkLatestCaptures(context.Background(), func(c *Capture, ref Ref) error {
		body := string(c.Body)
		if len(body) > 7 {
			body = body[:len(body)-400]
		}
		got = append(got, fmt.Sprintf("%s %d %s", c.URL, c.Status, body))
		if _, err := s.ReadCapture(ref); err != nil {
			t.Errorf("ReadCapture(%v) of a walked capture: %v", ref, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"https://EXAMPLE.org/a 200 A-upper",
		"https://example.org/a 200 A2",
		"https://example.org/b 200 B1", // the revisit of session 3 brings B1's payload
		"https://example.org/c 200 C1", // the 404 does not hide the page
		"https://example.org/d 200 D1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("WalkLatestCaptures mismatch (-want +got):\n%s", diff)
	}
	if e, err := s.LookupEntry("https://example.org/b", time.Time{}); err != nil || !e.Revisit() || e.Status != 200 {
		t.Errorf("LookupEntry(b) = %+v, %v, want the identical-payload revisit of session 3", e, err)
	}

	stop := errors.New("stop")
	n := 0
	if err := s.WalkLatestCaptures(context.Background(), func(*Capture, Ref) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
		t.Errorf("WalkLatestCaptures(failing fn) = %v after %d calls, want stop after 1", err, n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.WalkLatestCaptures(ctx, func(*Capture, Ref) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("WalkLatestCaptures(cancelled) = %v, want context.Canceled", err)
	}
}

// TestConcurrentMixedUse saves, looks up, walks and verifies at once, with
// rotation, then closes while work may still be in flight; run with -race.
func TestConcurrentMixedUse(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{MaxWARCBytes: 8000})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Go(func() {
			for i := range 30 {
				u := fmt.Sprintf("https://example.org/baca/%d", (w*7+i)%20)
				if _, err := s.SaveCapture(testCapture(u, randomText(i%4, 700))); err != nil {
					t.Errorf("SaveCapture: %v", err)
				}
				if _, err := s.SaveArticle(testArticle(u, fmt.Sprintf("Isi %d.", i%3))); err != nil {
					t.Errorf("SaveArticle: %v", err)
				}
			}
		})
	}
	wg.Go(func() {
		for i := range 30 {
			ref, err := s.Lookup(fmt.Sprintf("https://example.org/baca/%d", i%20), time.Time{})
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				t.Errorf("Lookup: %v", err)
				continue
			}
			if _, err := s.ReadCapture(ref); err != nil {
				t.Errorf("ReadCapture(%v): %v", ref, err)
			}
		}
	})
	wg.Go(func() {
		for range 3 {
			if err := s.WalkLatestCaptures(ctx, func(*Capture, Ref) error { return nil }); err != nil {
				t.Errorf("WalkLatestCaptures: %v", err)
			}
			if err := s.Walk(ctx, func(*extract.Article) error { return nil }); err != nil {
				t.Errorf("Walk: %v", err)
			}
			if r, err := s.Verify(ctx); err != nil || !r.OK() {
				t.Errorf("Verify = %+v, %v", r, err)
			}
		}
	})
	wg.Wait()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := openTest(t, dir)
	r, err := s2.Verify(ctx)
	if err != nil || !r.OK() || r.Captures != 90 {
		t.Errorf("Verify after mixed use = %+v, %v, want OK with 90 captures", r, err)
	}
}

// TestCloseDuringWalk: a walk's callback may use the store, and Close
// called meanwhile neither deadlocks nor lets the walk go on.
func TestCloseDuringWalk(t *testing.T) {
	walks := map[string]func(*Store, func() error) error{
		"Walk": func(s *Store, f func() error) error {
			return s.Walk(context.Background(), func(a *extract.Article) error { return f() })
		},
		"WalkCaptures": func(s *Store, f func() error) error {
			return s.WalkCaptures(context.Background(), func(*Capture, Ref) error { return f() })
		},
		"WalkLatestCaptures": func(s *Store, f func() error) error {
			return s.WalkLatestCaptures(context.Background(), func(*Capture, Ref) error { return f() })
		},
	}
	for name, walk := range walks {
		t.Run(name, func(t *testing.T) {
			s, err := Open(t.TempDir(), Options{})
			if err != nil {
				t.Fatal(err)
			}
			for i := range 5 {
				u := fmt.Sprintf("https://example.org/%d", i)
				if _, err := s.SaveCapture(testCapture(u, randomText(i, 50))); err != nil {
					t.Fatal(err)
				}
				if _, err := s.SaveArticle(testArticle(u, "Isi.")); err != nil {
					t.Fatal(err)
				}
			}
			calls := 0
			err = walk(s, func() error {
				calls++
				// The callback uses the store, as reextract does.
				if _, err := s.Lookup("https://example.org/0", time.Time{}); err != nil {
					return err
				}
				if calls == 2 {
					closed := make(chan error)
					go func() { closed <- s.Close() }()
					return <-closed
				}
				return nil
			})
			if !errors.Is(err, ErrClosed) || calls != 2 {
				t.Errorf("%s with Close in its callback = %v after %d calls, want ErrClosed after 2", name, err, calls)
			}
			if err := walk(s, func() error { return nil }); !errors.Is(err, ErrClosed) {
				t.Errorf("%s on a closed store = %v, want ErrClosed", name, err)
			}
		})
	}
}

// TestWalkLatestPages walks only the URLs whose latest capture may be a
// page: HTML, a revisit, or of unknown type; never an image.
func TestWalkLatestPages(t *testing.T) {
	s := openTest(t, t.TempDir()) // closed by a cleanup, as is the reopened one
	t0 := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	captures := []struct {
		url, contentType, body string
	}{
		{"https://example.org/baca/1", "text/html; charset=utf-8", "satu"},
		{"https://example.org/img/1.jpg", "image/jpeg", "\xff\xd8\xff"},
		{"https://example.org/baca/2", "application/xhtml+xml", "dua"},
		{"https://example.org/data.bin", "", "tanpa jenis"},
		{"https://example.org/baca/1", "text/html; charset=utf-8", "satu"}, // a revisit
		{"https://example.org/img/2.png", "image/png", "\x89PNG"},
	}
	for i, c := range captures {
		cp := testCapture(c.url, c.body)
		cp.Header = http.Header{}
		if c.contentType != "" {
			cp.Header.Set("Content-Type", c.contentType)
		}
		cp.FetchedAt = t0.Add(time.Duration(i) * time.Minute)
		if _, err := s.SaveCapture(cp); err != nil {
			t.Fatal(err)
		}
	}
	for _, reopen := range []bool{false, true} {
		if reopen { // from the CDXJ files as well as the file being written
			s.Close()
			s = openTest(t, s.dir)
		}
		var got []string
		err := s.WalkLatestPages(context.Background(), nil, func(c *Capture, _ Ref) error {
			got = append(got, c.URL+" "+string(c.Body))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		want := []string{"https://example.org/baca/1 satu", "https://example.org/baca/2 dua", "https://example.org/data.bin tanpa jenis"}
		if !slices.Equal(got, want) {
			t.Errorf("WalkLatestPages (reopened %v) = %q, want %q", reopen, got, want)
		}
	}
}

// TestWalkLatestPagesWant checks that a page the caller does not want is
// not read at all: its record, damaged, fails a walk that reads it and
// not one that leaves it out.
func TestWalkLatestPagesWant(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir)
	for _, u := range []string{"https://example.org/baca/1", "https://example.org/kategori/2", "https://example.org/baca/3"} {
		if _, err := s.SaveCapture(testCapture(u, randomText(len(u), 4000))); err != nil {
			t.Fatal(err)
		}
	}
	e, err := s.LookupEntry("https://example.org/kategori/2", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	f, err := os.OpenFile(filepath.Join(dir, "warc", e.Ref.File), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(bytes.Repeat([]byte{0xff}, 64), e.Ref.Offset+e.Ref.Length/2); err != nil {
		t.Fatal(err)
	}
	f.Close()
	s = openTest(t, dir)
	ctx := context.Background()
	var got []string
	articles := func(u string) bool { return strings.Contains(u, "/baca/") }
	if err := s.WalkLatestPages(ctx, articles, func(c *Capture, _ Ref) error { got = append(got, c.URL); return nil }); err != nil {
		t.Errorf("WalkLatestPages(articles only) = %v, want no error: the damaged listing is not read", err)
	}
	if want := []string{"https://example.org/baca/1", "https://example.org/baca/3"}; !slices.Equal(got, want) {
		t.Errorf("WalkLatestPages(articles only) walked %q, want %q", got, want)
	}
	if err := s.WalkLatestPages(ctx, nil, func(*Capture, Ref) error { return nil }); err == nil {
		t.Error("WalkLatestPages(all) over a damaged record = nil, want its read error")
	}
}
