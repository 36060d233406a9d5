package archive

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nlnwa/gowarc/v3"
)

func TestSurtKey(t *testing.T) {
	tests := []struct{ url, want string }{
		{"https://sawahluntokota.go.id/baca/Pesona-Kota", "id,go,sawahluntokota)/baca/pesona-kota"},
		{"http://www.Example.org/", "org,example)/"},
		{"http://example.org", "org,example)/"},
		{"http://example.org:8080/a?b=2&a=1#frag", "org,example:8080)/a?a=1&b=2"},
		{"https://example.org:443/a", "org,example)/a"},
		{"http://127.0.0.1:41234/baca/x", "1,0,0,127:41234)/baca/x"},
		{"http://[::1]:41234/x", "[::1]:41234)/x"},
		{"http://www2.example.org/a", "org,example)/a"},
		{"http://www.org/", "org,www)/"},
		{"not a url", "not%20a%20url"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			if got := surtKey(tt.url); got != tt.want {
				t.Errorf("surtKey(%q) = %q, want %q", tt.url, got, tt.want)
			}
		})
	}
}

func TestLookupAndReadCapture(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	a, b := "https://example.org/baca/a", "https://example.org/baca/b?x=1"
	// Three sessions, so that lookups cross index files and the file
	// being written.
	sessions := [][]struct {
		url  string
		body string
		h    int
	}{
		{{a, "A1", 0}, {b, "B1", 0}, {a, "A1", 1}},
		{{a, "A2", 2}, {a, "A2", 3}},
		{{a, "A1", 4}, {b, "B1", 4}},
	}
	refs := map[string]Ref{}
	var s *Store
	for i, ses := range sessions {
		var err error
		s, err = Open(dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range ses {
			cp := testCapture(c.url, c.body)
			cp.FetchedAt = at(c.h)
			ref, err := s.SaveCapture(cp)
			if err != nil {
				t.Fatal(err)
			}
			refs[fmt.Sprintf("%s@%d", c.url, c.h)] = ref
		}
		if i < len(sessions)-1 {
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
		}
	}
	defer s.Close()

	es, err := s.Captures(a)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range es {
		k := "full"
		if e.Revisit() {
			k = "revisit"
		}
		kinds = append(kinds, fmt.Sprintf("%d:%s", e.Time.Hour()-9, k))
	}
	// A1 full, A1 revisit, A2 full, A2 revisit, A1 full again (the last
	// capture before it was A2).
	want := []string{"0:full", "1:revisit", "2:full", "3:revisit", "4:full"}
	if diff := cmp.Diff(want, kinds); diff != "" {
		t.Errorf("Captures(%s) kinds mismatch (-want +got):\n%s", a, diff)
	}
	es, _ = s.Captures(b)
	if len(es) != 2 || es[1].Revisit() != true {
		t.Errorf("Captures(%s) = %+v, want full then revisit across sessions", b, es)
	}

	tests := []struct {
		url      string
		at       time.Time
		wantKey  string
		wantBody string
	}{
		{a, time.Time{}, a + "@4", "A1"},
		{a, at(0), a + "@0", "A1"},
		{a, at(1).Add(10 * time.Minute), a + "@1", "A1"},
		{a, at(3), a + "@3", "A2"},
		{a, at(2).Add(30 * time.Minute), a + "@3", "A2"}, // tie: the later
		{a, at(100), a + "@4", "A1"},
		{a, at(-100), a + "@0", "A1"},
		{b, time.Time{}, b + "@4", "B1"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s@%s", tt.url, tt.at.Format(time.Kitchen)), func(t *testing.T) {
			ref, err := s.Lookup(tt.url, tt.at)
			if err != nil {
				t.Fatalf("Lookup(%s, %v) error: %v", tt.url, tt.at, err)
			}
			if ref != refs[tt.wantKey] {
				t.Errorf("Lookup(%s, %v) = %v, want %v (%s)", tt.url, tt.at, ref, refs[tt.wantKey], tt.wantKey)
			}
			c, err := s.ReadCapture(ref)
			if err != nil {
				t.Fatalf("ReadCapture(%v) error: %v", ref, err)
			}
			if string(c.Body) != tt.wantBody || c.URL != tt.url || c.Status != 200 {
				t.Errorf("ReadCapture(%v) = %s %d %q, want %s 200 %q", ref, c.URL, c.Status, c.Body, tt.url, tt.wantBody)
			}
			if got := c.Header.Get("Content-Type"); got != "text/html; charset=utf-8" {
				t.Errorf("ReadCapture(%v) Content-Type = %q", ref, got)
			}
		})
	}

	for _, u := range []string{"https://example.org/baca/none", "https://EXAMPLE.org/baca/c", "https://example.org/baca/b"} {
		if _, err := s.Lookup(u, time.Time{}); !errors.Is(err, ErrNotFound) {
			t.Errorf("Lookup(%s) error = %v, want ErrNotFound", u, err)
		}
	}
	// Keys fold case: a URL that differs only in case finds the capture.
	if _, err := s.Lookup("https://EXAMPLE.org/baca/A", time.Time{}); err != nil {
		t.Errorf("Lookup(case-folded) error = %v, want the capture", err)
	}
	for _, ref := range []Ref{{}, {File: "../x", Offset: 0, Length: 10}, {File: refs[a+"@0"].File, Offset: 3, Length: 10}, {File: "nosuch.warc.gz", Length: 10}} {
		if _, err := s.ReadCapture(ref); err == nil {
			t.Errorf("ReadCapture(%v) error = nil, want an error", ref)
		}
	}
}

func TestWalkCaptures(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{MaxWARCBytes: 3000})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var want []string
	for i := range 10 {
		c := testCapture(fmt.Sprintf("https://example.org/p/%d", i), randomText(i, 1000))
		c.Method = http.MethodPost
		c.RequestHeader = http.Header{"X-Nomor": {fmt.Sprint(i)}}
		if _, err := s.SaveCapture(c); err != nil {
			t.Fatal(err)
		}
		want = append(want, c.URL)
		if i == 3 {
			// a revisit: not walked
			if _, err := s.SaveCapture(c); err != nil {
				t.Fatal(err)
			}
		}
	}
	var got []string
	err = s.WalkCaptures(context.Background(), func(c *Capture, ref Ref) error {
		got = append(got, c.URL)
		i := len(got) - 1
		if c.Method != http.MethodPost || c.RequestHeader.Get("X-Nomor") != fmt.Sprint(i) {
			t.Errorf("WalkCaptures capture %d request = %s %v, want POST with X-Nomor %d", i, c.Method, c.RequestHeader, i)
		}
		if string(c.Body) != randomText(i, 1000) {
			t.Errorf("WalkCaptures capture %d body differs", i)
		}
		rc, err := s.ReadCapture(ref)
		if err != nil || string(rc.Body) != string(c.Body) {
			t.Errorf("ReadCapture(%v) = %v, want the walked capture", ref, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("WalkCaptures URLs mismatch (-want +got):\n%s", diff)
	}
	files, _ := warcFiles(filepath.Join(dir, "warc"))
	if len(files) < 2 {
		t.Errorf("walk covered %d files, want several", len(files))
	}
	stop := errors.New("stop")
	n := 0
	if err := s.WalkCaptures(context.Background(), func(*Capture, Ref) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
		t.Errorf("WalkCaptures(failing fn) = %v after %d, want stop after 1", err, n)
	}
}

func TestNotModifiedRevisit(t *testing.T) {
	s := openTest(t, t.TempDir())
	u := "https://example.org/baca/etag"
	full := testCapture(u, "<html>Isi</html>")
	full.Header.Set("ETag", `"v1"`)
	if _, err := s.SaveCapture(full); err != nil {
		t.Fatal(err)
	}
	nm := testCapture(u, "")
	nm.Status = http.StatusNotModified
	nm.Header = http.Header{"ETag": {`"v1"`}}
	nm.FetchedAt = full.FetchedAt.Add(time.Hour)
	ref, err := s.SaveCapture(nm)
	if err != nil {
		t.Fatal(err)
	}
	es, err := s.Captures(u)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || !es[1].Revisit() || es[1].Status != 304 {
		t.Fatalf("Captures(%s) = %+v, want a full capture then a 304 revisit", u, es)
	}
	c, err := s.ReadCapture(ref)
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != 304 || string(c.Body) != "<html>Isi</html>" {
		t.Errorf("ReadCapture(304 revisit) = %d %q, want 304 with the confirmed body", c.Status, c.Body)
	}
	// A 304 with no earlier capture is kept as it is.
	lone := testCapture("https://example.org/baca/lone", "")
	lone.Status = http.StatusNotModified
	ref, err = s.SaveCapture(lone)
	if err != nil {
		t.Fatal(err)
	}
	if e, _ := s.LookupEntry(lone.URL, time.Time{}); e.Revisit() || e.Ref != ref {
		t.Errorf("LookupEntry(lone 304) = %+v, want a plain response at %v", e, ref)
	}
}

// TestRevisitRefersToSameFile checks the revisit records written against
// a response of the file being written, which the writer keeps as a
// UUID and a time: they name its WARC-Record-ID and WARC-Date exactly.
func TestRevisitRefersToSameFile(t *testing.T) {
	s := openTest(t, t.TempDir())
	u := "https://example.org/baca/sama"
	first := testCapture(u, "<html>Sama</html>")
	first.FetchedAt = time.Date(2026, 11, 28, 9, 0, 0, 123456789, time.FixedZone("WIB", 7*3600))
	ref1, err := s.SaveCapture(first)
	if err != nil {
		t.Fatal(err)
	}
	again := testCapture(u, "<html>Sama</html>")
	again.FetchedAt = first.FetchedAt.Add(time.Hour)
	ref2, err := s.SaveCapture(again)
	if err != nil {
		t.Fatal(err)
	}
	full, err := s.readRecord(ref1)
	if err != nil {
		t.Fatal(err)
	}
	defer full.Close()
	rv, err := s.readRecord(ref2)
	if err != nil {
		t.Fatal(err)
	}
	defer rv.Close()
	if rv.Type() != gowarc.Revisit {
		t.Fatalf("second capture of the same payload: a %v record, want a revisit", rv.Type())
	}
	h, fh := rv.WarcHeader(), full.WarcHeader()
	if got, want := h.Get(gowarc.WarcRefersTo), "<"+full.RecordId()+">"; got != want {
		t.Errorf("revisit's WARC-Refers-To = %q, want %q", got, want)
	}
	if got, want := h.Get(gowarc.WarcRefersToDate), fh.Get(gowarc.WarcDate); got != want || want != "2026-11-28T02:00:00.123456789Z" {
		t.Errorf("revisit's WARC-Refers-To-Date = %q, want %q (the response's WARC-Date, 2026-11-28T02:00:00.123456789Z)", got, want)
	}
}

// TestPendingSharedHash checks that the file being written gives only
// the entries of the key asked for, oldest first, when entries of
// another key share its hash in the chain.
func TestPendingSharedHash(t *testing.T) {
	a, b := "https://example.org/baca/a", "https://example.org/baca/b"
	w := &warcWriter{seed: maphash.MakeSeed(), byKey: map[uint64]int32{}}
	w.entries = []IndexEntry{{URL: a, Status: 200}, {URL: b, Status: 200}, {URL: "https://www.example.org/baca/a", Status: 404}}
	w.sameKey = []int32{-1, 0, 1} // as if all three keys had one hash
	w.byKey[maphash.String(w.seed, surtKey(a))] = 2
	got := w.pending(surtKey(a))
	want := []IndexEntry{w.entries[0], w.entries[2]}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pending(%s) (-want +got):\n%s", surtKey(a), diff)
	}
}

// TestRecordIDOf holds recordIDOf to the URN form the writer always
// wrote.
func TestRecordIDOf(t *testing.T) {
	for range 100 {
		b, err := newRecordUUID()
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
		if got := recordIDOf(b); got != want {
			t.Fatalf("recordIDOf(%x) = %q, want %q", b, got, want)
		}
	}
}
