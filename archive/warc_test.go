package archive

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nlnwa/gowarc/v3"
)

func testCapture(url, body string) *Capture {
	return &Capture{
		URL:           url,
		Method:        "GET",
		RequestHeader: http.Header{"User-Agent": {"warta-test"}},
		Proto:         "HTTP/1.1",
		Status:        200,
		Header:        http.Header{"Content-Type": {"text/html; charset=utf-8"}, "Content-Encoding": {"gzip"}},
		Body:          []byte(body),
		FetchedAt:     time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC),
	}
}

// readRecords reads every record of a WARC file with gowarc, validating
// digests, and returns them with their offsets.
func readRecords(t *testing.T, path string) []gowarc.Record {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := newWARCReader(f, []gowarc.WarcRecordOption{
		gowarc.WithSyntaxErrorPolicy(gowarc.ErrFail),
		gowarc.WithSpecViolationPolicy(gowarc.ErrFail),
		gowarc.WithBlockErrorPolicy(gowarc.ErrFail)})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var recs []gowarc.Record
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("reading %s after %d records: %v", path, len(recs), err)
		}
		if _, err := rec.WarcRecord.ValidateDigest(); err != nil {
			t.Errorf("record %d of %s: digest: %v", len(recs), path, err)
		}
		recs = append(recs, rec)
	}
	return recs
}

func TestSaveCaptureWritesValidWARC(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir)
	caps := []*Capture{
		testCapture("https://example.org/baca/a", "<html>A</html>"),
		testCapture("https://example.org/baca/b?x=1", "<html>B</html>"),
		testCapture("https://example.org/baca/a", "<html>A</html>"), // same payload: revisit
		testCapture("https://example.org/baca/a", "<html>A2</html>"),
	}
	var refs []Ref
	for _, c := range caps {
		ref, err := s.SaveCapture(c)
		if err != nil {
			t.Fatalf("SaveCapture(%s) error: %v", c.URL, err)
		}
		refs = append(refs, ref)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	files, err := warcFiles(filepath.Join(dir, "warc"))
	if err != nil || len(files) != 1 {
		t.Fatalf("warcFiles = %v, %v, want one file", files, err)
	}
	for _, r := range refs {
		if r.File != files[0] {
			t.Errorf("Ref.File = %q, want %q", r.File, files[0])
		}
	}
	recs := readRecords(t, filepath.Join(dir, "warc", files[0]))
	wantTypes := []gowarc.RecordType{gowarc.Warcinfo,
		gowarc.Request, gowarc.Response,
		gowarc.Request, gowarc.Response,
		gowarc.Request, gowarc.Revisit,
		gowarc.Request, gowarc.Response}
	if len(recs) != len(wantTypes) {
		t.Fatalf("WARC has %d records, want %d", len(recs), len(wantTypes))
	}
	infoID := recs[0].WarcRecord.RecordId()
	for i, rec := range recs {
		wr := rec.WarcRecord
		if wr.Type() != wantTypes[i] {
			t.Errorf("record %d type = %v, want %v", i, wr.Type(), wantTypes[i])
		}
		if got := wr.Version().String(); got != "WARC/1.1" {
			t.Errorf("record %d version = %s, want WARC/1.1", i, got)
		}
		h := wr.WarcHeader()
		if i == 0 {
			if h.Get(gowarc.WarcFilename) != files[0] {
				t.Errorf("warcinfo WARC-Filename = %q, want %q", h.Get(gowarc.WarcFilename), files[0])
			}
			continue
		}
		c := caps[(i-1)/2]
		if got := h.Get(gowarc.WarcTargetURI); got != c.URL {
			t.Errorf("record %d WARC-Target-URI = %q, want %q", i, got, c.URL)
		}
		if got := h.GetId(gowarc.WarcWarcinfoID); got != infoID {
			t.Errorf("record %d WARC-Warcinfo-ID = %q, want %q", i, got, infoID)
		}
		if !h.Has(gowarc.WarcBlockDigest) {
			t.Errorf("record %d has no WARC-Block-Digest", i)
		}
		if wr.Type() == gowarc.Request {
			if got, want := h.GetId(gowarc.WarcConcurrentTo), recs[i+1].WarcRecord.RecordId(); got != want {
				t.Errorf("request %d WARC-Concurrent-To = %q, want %q", i, got, want)
			}
			continue
		}
		ref := refs[(i-1)/2]
		if rec.Offset != ref.Offset || rec.Size != ref.Length {
			t.Errorf("record %d at %d+%d, Ref says %d+%d", i, rec.Offset, rec.Size, ref.Offset, ref.Length)
		}
		if !h.Has(gowarc.WarcPayloadDigest) {
			t.Errorf("record %d has no WARC-Payload-Digest", i)
		}
		if wr.Type() == gowarc.Revisit {
			if got, want := h.GetId(gowarc.WarcRefersTo), recs[2].WarcRecord.RecordId(); got != want {
				t.Errorf("revisit WARC-Refers-To = %q, want %q", got, want)
			}
			if got := h.Get(gowarc.WarcProfile); got != gowarc.ProfileIdenticalPayloadDigestV1_1 {
				t.Errorf("revisit WARC-Profile = %q", got)
			}
			continue
		}
		pb := wr.Block().(gowarc.HttpResponseBlock)
		if got := pb.HttpHeader().Get("Content-Encoding"); got != "" {
			t.Errorf("record %d keeps Content-Encoding %q for a decoded body", i, got)
		}
		pr, err := pb.PayloadBytes()
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(pr)
		if string(body) != string(c.Body) {
			t.Errorf("record %d payload = %q, want %q", i, body, c.Body)
		}
	}
}

func TestBadCaptures(t *testing.T) {
	s := openTest(t, t.TempDir())
	tests := []struct {
		name string
		c    *Capture
	}{
		{"nil", nil},
		{"relative url", &Capture{URL: "/baca/a", Status: 200}},
		{"no url", &Capture{Status: 200}},
		{"bad url", &Capture{URL: "http://a b/%zz", Status: 200}},
		{"no status", &Capture{URL: "https://example.org/"}},
		{"bad method", &Capture{URL: "https://example.org/", Method: "GET /x", Status: 200}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if ref, err := s.SaveCapture(tt.c); err == nil {
				t.Errorf("SaveCapture(%s) = %v, nil, want an error", tt.name, ref)
			}
		})
	}
}

func TestRotation(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{MaxWARCBytes: 4000})
	if err != nil {
		t.Fatal(err)
	}
	// Incompressible-ish bodies so that a few captures fill a file.
	for i := range 12 {
		body := strings.Repeat(string(rune('a'+i)), 10) + randomText(i, 1500)
		if _, err := s.SaveCapture(testCapture("https://example.org/p/"+string(rune('a'+i)), body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	files, err := warcFiles(filepath.Join(dir, "warc"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 3 {
		t.Fatalf("after 12 captures of ~1.5 KB with MaxWARCBytes 4000: %d files, want at least 3", len(files))
	}
	total := 0
	for _, f := range files {
		recs := readRecords(t, filepath.Join(dir, "warc", f))
		if recs[0].WarcRecord.Type() != gowarc.Warcinfo {
			t.Errorf("%s opens with %v, want warcinfo", f, recs[0].WarcRecord.Type())
		}
		fi, err := os.Stat(filepath.Join(dir, "warc", f))
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) > 3 && fi.Size() > 4000+3000 {
			t.Errorf("%s is %d bytes with %d records, want rotation near 4000", f, fi.Size(), len(recs))
		}
		total += (len(recs) - 1) / 2
	}
	if total != 12 {
		t.Errorf("captures across files = %d, want 12", total)
	}
}

// randomText returns n bytes of deterministic, poorly compressible text.
func randomText(seed, n int) string {
	var b strings.Builder
	x := uint32(seed*7919 + 1)
	for b.Len() < n {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b.WriteByte(byte('!' + x%90))
	}
	return b.String()
}

func TestParseRef(t *testing.T) {
	good := Ref{File: "warta-20261128090000-00001-host.warc.gz", Offset: 345, Length: 1200}
	got, err := ParseRef(good.String())
	if err != nil || got != good {
		t.Errorf("ParseRef(%q) = %v, %v, want %v", good.String(), got, err, good)
	}
	for _, bad := range []string{"", "x", "f#1", "#1:2", "f#-1:2", "f#1:0", "f#a:2", "f#1:b"} {
		if r, err := ParseRef(bad); err == nil {
			t.Errorf("ParseRef(%q) = %v, nil, want an error", bad, r)
		}
	}
}

// TestLargePayloadReadWhole guards against reading a payload short: gowarc
// keeps only what its buffer holds unless a record is cached, which
// depends on the reader's options.
func TestLargePayloadReadWhole(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir)
	body := randomText(1, 300<<10)
	c := testCapture("https://example.org/baca/panjang", body)
	ref, err := s.SaveCapture(c)
	if err != nil {
		t.Fatal(err)
	}
	check := func(how string, got []byte) {
		t.Helper()
		if string(got) != body {
			t.Errorf("%s: payload is %d bytes, want %d", how, len(got), len(body))
		}
	}
	read := func(s *Store) {
		got, err := s.ReadCapture(ref)
		if err != nil {
			t.Fatal(err)
		}
		check("ReadCapture", got.Body)
		s.WalkCaptures(context.Background(), func(c *Capture, _ Ref) error { check("WalkCaptures", c.Body); return nil })
		s.WalkLatestCaptures(context.Background(), func(c *Capture, _ Ref) error { check("WalkLatestCaptures", c.Body); return nil })
	}
	read(s) // from the file being written
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := openTest(t, dir)
	read(s2) // from a closed, indexed file
	if err := Import(context.Background(), filepath.Join(dir, "warc", ref.File), func(c *Capture) error {
		check("Import", c.Body)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if r, err := s2.Verify(context.Background()); err != nil || !r.OK() || r.Captures != 1 {
		t.Errorf("Verify = %+v, %v, want OK with 1 capture", r, err)
	}
}

func TestInvalidHeaderNamesDropped(t *testing.T) {
	s := openTest(t, t.TempDir())
	c := testCapture("https://example.org/h", "<html>h</html>")
	c.Header["Bad Name"] = []string{"x"}
	c.Header["X-Line"] = []string{"a\r\nInjected: 1"}
	c.RequestHeader["Bad:Name"] = []string{"y"}
	ref, err := s.SaveCapture(c)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.ReadCapture(ref)
	if err != nil {
		t.Fatalf("ReadCapture(%v) error: %v", ref, err)
	}
	if got.Header.Get("Injected") != "" || got.Header.Get("Bad Name") != "" || string(got.Body) != "<html>h</html>" {
		t.Errorf("ReadCapture after bad header names = %v %q, want them dropped and the body intact", got.Header, got.Body)
	}
}

// TestMarshalRecordAsGowarc checks that warta's record marshaling writes
// the bytes gowarc's Marshaler writes, for a request and a response.
func TestMarshalRecordAsGowarc(t *testing.T) {
	s, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := testCapture("https://example.org/baca/1", randomText(1, 70000))
	reqBlock, err := requestBlock(c)
	if err != nil {
		t.Fatal(err)
	}
	resp, _, err := s.w.buildResponse(c, responseBlock(c), time.Now().UTC(), nil, "urn:uuid:info")
	if err != nil {
		t.Fatal(err)
	}
	req, err := s.w.buildRequest(c, reqBlock, time.Now().UTC(), resp.RecordId(), "urn:uuid:info")
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range []gowarc.WarcRecord{req, resp} {
		var got, want bytes.Buffer
		if err := marshalRecord(&got, rec); err != nil {
			t.Fatal(err)
		}
		if _, _, err := gowarc.NewMarshaler().Marshal(&want, rec, 0); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("marshalRecord(%s) = %d bytes %.200q..., want gowarc's %d bytes %.200q...", rec.Type(), got.Len(), got.Bytes(), want.Len(), want.Bytes())
		}
	}
}
