package archive

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
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

// gowarcOptions are the options warta built its records with when
// gowarc's record builder wrote them.
func gowarcOptions(id string) []gowarc.WarcRecordOption {
	return []gowarc.WarcRecordOption{
		gowarc.WithVersion(gowarc.V1_1),
		gowarc.WithAddMissingDigest(true),
		gowarc.WithAddMissingContentLength(true),
		gowarc.WithFixContentLength(false),
		gowarc.WithDefaultDigestAlgorithm("sha1"),
		gowarc.WithDefaultDigestEncoding(gowarc.Base32),
		gowarc.WithBufferMaxMemBytes(64 << 20),
		gowarc.WithRecordIdFunc(func() (string, error) { return id, nil }),
	}
}

// gowarcBytes builds a record with gowarc's builder, as warta did before
// it wrote records itself, and returns what gowarc's marshaler writes.
func gowarcBytes(t *testing.T, typ gowarc.RecordType, id string, fields [][2]string, block []byte, revisit *gowarc.RevisitRef) []byte {
	t.Helper()
	gowarcMu.Lock()
	b := gowarc.NewRecordBuilder(typ, gowarcOptions(id)...)
	gowarcMu.Unlock()
	for _, f := range fields {
		if f[0] == gowarc.WarcDate {
			d, err := time.Parse(time.RFC3339Nano, f[1])
			if err != nil {
				t.Fatal(err)
			}
			b.AddWarcHeaderTime(f[0], d)
			continue
		}
		b.AddWarcHeader(f[0], f[1])
	}
	if _, err := b.Write(block); err != nil {
		t.Fatal(err)
	}
	rec, _, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Close()
	if revisit != nil {
		rv, err := rec.ToRevisitRecord(revisit)
		if err != nil {
			t.Fatal(err)
		}
		rec = rv
	}
	var out bytes.Buffer
	if _, _, err := gowarc.NewMarshaler().Marshal(&out, rec, 0); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// recordID returns the WARC-Record-ID of a record header warta built.
func recordID(t *testing.T, h recordHead) string {
	t.Helper()
	_, rest, ok := strings.Cut(string(h), "WARC-Record-ID: <")
	id, _, ok2 := strings.Cut(rest, ">")
	if !ok || !ok2 {
		t.Fatalf("no WARC-Record-ID in %q", h)
	}
	return id
}

// TestRecordsAsGowarc checks that the records warta writes itself are
// byte for byte those gowarc's record builder and marshaler wrote:
// requests, responses (with a source and truncated, over HTTP/2, with
// an empty body), revisits of both profiles, and warcinfo records.
func TestRecordsAsGowarc(t *testing.T) {
	fetched := time.Date(2026, 12, 6, 9, 30, 1, 123456789, time.UTC)
	info := "urn:uuid:8d3c4b8e-1f2a-4b3c-9d4e-5f6a7b8c9d0e"
	page := testCapture("https://example.org/baca/1?x=%20y", randomText(1, 70000))
	sourced := testCapture("https://example.org/baca/2", randomText(2, 5000))
	sourced.Source = "https://web.archive.org/web/2024id_/https://example.org/baca/2"
	sourced.Truncated = true
	h2 := testCapture("https://example.org/baca/3", "<p>h2</p>")
	h2.Proto = "HTTP/2.0"
	empty := testCapture("https://example.org/kosong", "")
	empty.Status = 204
	notModified := testCapture("https://example.org/baca/1?x=%20y", "")
	notModified.Status = 304
	prev := &lastCapture{recordID: "urn:uuid:00000000-1111-4222-8333-444444444444", date: "2026-12-01T08:00:00Z", status: 200,
		payloadDigest: sha1Digest(page.Body)}
	for _, tc := range []struct {
		name string
		c    *Capture
		prev *lastCapture
		want string // the profile of the revisit, "" for a response
	}{
		{"page", page, nil, ""},
		{"source and truncated", sourced, nil, ""},
		{"HTTP/2", h2, nil, ""},
		{"empty body", empty, nil, ""},
		{"identical payload", page, prev, gowarc.ProfileIdenticalPayloadDigestV1_1},
		{"not modified", notModified, prev, gowarc.ProfileServerNotModifiedV1_1},
		{"changed payload", sourced, &lastCapture{recordID: prev.recordID, status: 200, payloadDigest: sha1Digest([]byte("other"))}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.c
			reqHead, err := requestHead(c)
			if err != nil {
				t.Fatal(err)
			}
			respHead := responseHead(c)
			r, err := captureHeads(c, reqHead, respHead, fetched, tc.prev, info, nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.revisit != (tc.want != "") {
				t.Fatalf("captureHeads(%s).revisit = %v, want %v", c.URL, r.revisit, tc.want != "")
			}
			var gotResp, gotReq bytes.Buffer
			block := [][]byte{respHead, c.Body}
			if r.revisit {
				block = block[:1]
			}
			if err := writeRecord(&gotResp, r.resp, block...); err != nil {
				t.Fatal(err)
			}
			if err := writeRecord(&gotReq, r.req, reqHead); err != nil {
				t.Fatal(err)
			}
			date := fetched.Format(time.RFC3339Nano)
			fields := [][2]string{{gowarc.WarcDate, date}, {gowarc.WarcTargetURI, c.URL},
				{gowarc.ContentType, "application/http;msgtype=response"}, {gowarc.WarcWarcinfoID, "<" + info + ">"}}
			if c.Source != "" {
				fields = append(fields, [2]string{warcSourceURI, c.Source})
			}
			if c.Truncated {
				fields = append(fields, [2]string{gowarc.WarcTruncated, "length"})
			}
			var rv *gowarc.RevisitRef
			if tc.want != "" {
				rv = &gowarc.RevisitRef{Profile: tc.want, TargetRecordId: tc.prev.recordID, TargetUri: c.URL, TargetDate: tc.prev.date}
			}
			full := append(append([]byte(nil), respHead...), c.Body...)
			wantResp := gowarcBytes(t, gowarc.Response, r.respID, fields, full, rv)
			if !bytes.Equal(gotResp.Bytes(), wantResp) {
				t.Errorf("response record = %d bytes\n%.1200q\nwant gowarc's %d bytes\n%.1200q", gotResp.Len(), gotResp.Bytes(), len(wantResp), wantResp)
			}
			wantReq := gowarcBytes(t, gowarc.Request, recordID(t, r.req), [][2]string{{gowarc.WarcDate, date}, {gowarc.WarcTargetURI, c.URL},
				{gowarc.ContentType, "application/http;msgtype=request"}, {gowarc.WarcConcurrentTo, "<" + r.respID + ">"},
				{gowarc.WarcWarcinfoID, "<" + info + ">"}}, reqHead, nil)
			if !bytes.Equal(gotReq.Bytes(), wantReq) {
				t.Errorf("request record = %d bytes\n%.1200q\nwant gowarc's %d bytes\n%.1200q", gotReq.Len(), gotReq.Bytes(), len(wantReq), wantReq)
			}
		})
	}
	t.Run("warcinfo", func(t *testing.T) {
		id := "urn:uuid:8d3c4b8e-1f2a-4b3c-9d4e-5f6a7b8c9d0f"
		head, block := warcinfoRecord(id, "warta-1.warc.gz", fetched, "warta test\nline", [2]string{"hostname", "juru"})
		var got bytes.Buffer
		if err := writeRecord(&got, head, block); err != nil {
			t.Fatal(err)
		}
		want := gowarcBytes(t, gowarc.Warcinfo, id, [][2]string{{gowarc.WarcDate, fetched.Format(time.RFC3339Nano)},
			{gowarc.WarcFilename, "warta-1.warc.gz"}, {gowarc.ContentType, gowarc.ApplicationWarcFields}}, block, nil)
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("warcinfo record = %q, want gowarc's %q", got.Bytes(), want)
		}
	})
}

// TestHTTP2StatusIndexed checks that a capture made over HTTP/2, whose
// status line net/http's parser refuses ("HTTP/2 200 OK" has no minor
// version), is indexed with its status both as written and when the
// index is rebuilt from the WARC file.
func TestHTTP2StatusIndexed(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir)
	c := testCapture("https://example.org/h2", "<html>h2</html>")
	c.Proto = "HTTP/2.0"
	ref, err := s.SaveCapture(c)
	if err != nil {
		t.Fatal(err)
	}
	es, err := s.Captures(c.URL)
	if err != nil || len(es) != 1 || es[0].Status != 200 || es[0].Mime != "text/html" {
		t.Fatalf("Captures(%s) as written = %+v, %v; want one with status 200, text/html", c.URL, es, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(cdxjPath(filepath.Join(dir, "warc"), ref.File)); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, dir)
	es, err = s.Captures(c.URL)
	if err != nil || len(es) != 1 || es[0].Status != 200 || es[0].Mime != "text/html" {
		t.Fatalf("Captures(%s) from the rebuilt index = %+v, %v; want one with status 200, text/html", c.URL, es, err)
	}
	got, err := s.ReadCapture(ref)
	if err != nil || got.Status != 200 {
		t.Fatalf("ReadCapture(%v) = %+v, %v; want status 200", ref, got, err)
	}
}

// TestConcurrentSavesKeepTheirHeads saves captures from several
// goroutines at once, their heads of many sizes (the writer lends each
// save buffers that the one before grew), and reads every one back: a
// buffer reused while a capture still used it would show as another
// capture's header, or a digest that does not match.
func TestConcurrentSavesKeepTheirHeads(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir)
	const workers, each = 8, 25
	type saved struct {
		c   *Capture
		ref Ref
	}
	results := make(chan saved, workers*each)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				n := w*each + i
				c := testCapture(fmt.Sprintf("https://example.org/baca/%d", n), fmt.Sprintf("<html>%d %s</html>", n, strings.Repeat("isi ", n)))
				c.RequestHeader.Set("X-Request", strings.Repeat(strconv.Itoa(n), 1+n%40))
				c.Header.Set("X-Response", strings.Repeat(strconv.Itoa(n), 1+(n*7)%300))
				ref, err := s.SaveCapture(c)
				if err != nil {
					t.Errorf("SaveCapture(%s): %v", c.URL, err)
					return
				}
				results <- saved{c, ref}
			}
		})
	}
	wg.Wait()
	close(results)
	got := 0
	for r := range results {
		back, err := s.ReadCapture(r.ref)
		if err != nil {
			t.Fatalf("ReadCapture(%s): %v", r.c.URL, err)
		}
		if back.URL != r.c.URL || string(back.Body) != string(r.c.Body) || back.Header.Get("X-Response") != r.c.Header.Get("X-Response") {
			t.Errorf("capture of %s read back as %s with X-Response %q, body %.40q; want its own", r.c.URL, back.URL, back.Header.Get("X-Response"), back.Body)
		}
		got++
	}
	if got != workers*each {
		t.Fatalf("%d captures saved, want %d", got, workers*each)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	files, err := warcFiles(filepath.Join(dir, "warc"))
	if err != nil || len(files) != 1 {
		t.Fatalf("warcFiles = %v, %v, want one file", files, err)
	}
	if recs := readRecords(t, filepath.Join(dir, "warc", files[0])); len(recs) != 1+2*workers*each {
		t.Fatalf("WARC has %d records, want %d", len(recs), 1+2*workers*each)
	}
}

// TestPackedPayloadHuffmanOnly checks that a payload whose first bytes
// name a compressed format is only Huffman-coded, and that it reads back
// whole through the store and through gowarc, digests valid; the same
// bytes without the signature are deflated as before. The payload repeats
// one phrase: deflate takes it to under a twentieth, Huffman coding alone
// cannot go under a tenth.
func TestPackedPayloadHuffmanOnly(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir)
	repeats := strings.Repeat("sawahlunto kota tambang ", 4000)
	img := testCapture("https://example.org/wp-content/uploads/a.jpg", "\xff\xd8\xff\xe0"+repeats)
	img.Header = http.Header{"Content-Type": {"image/jpeg"}}
	page := testCapture("https://example.org/baca/a", "<p>"+repeats)
	refs := map[*Capture]Ref{}
	for _, c := range []*Capture{img, page} {
		ref, err := s.SaveCapture(c)
		if err != nil {
			t.Fatalf("SaveCapture(%s): %v", c.URL, err)
		}
		refs[c] = ref
		got, err := s.ReadCapture(ref)
		if err != nil {
			t.Fatalf("ReadCapture(%s): %v", c.URL, err)
		}
		if !bytes.Equal(got.Body, c.Body) {
			t.Errorf("ReadCapture(%s): body of %d bytes, want the %d saved", c.URL, len(got.Body), len(c.Body))
		}
	}
	if n := refs[img].Length; n < int64(len(img.Body))/10 {
		t.Errorf("JPEG record is %d bytes for a %d-byte payload: deflated, want Huffman coding only", n, len(img.Body))
	}
	if n := refs[page].Length; n > int64(len(page.Body))/20 {
		t.Errorf("HTML record is %d bytes for a %d-byte payload: want it deflated", n, len(page.Body))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	files, err := warcFiles(filepath.Join(dir, "warc"))
	if err != nil || len(files) != 1 {
		t.Fatalf("warcFiles = %v, %v, want one file", files, err)
	}
	if recs := readRecords(t, filepath.Join(dir, "warc", files[0])); len(recs) != 5 {
		t.Errorf("gowarc read %d records, want 5 (warcinfo, two requests, two responses)", len(recs))
	}
}

// TestPacked checks the signatures of compressed formats against the
// first bytes of pages, style sheets and feeds that must stay deflated.
func TestPacked(t *testing.T) {
	for _, body := range []string{
		"\xff\xd8\xff\xe0\x00\x10JFIF", "\x89PNG\r\n\x1a\n\x00\x00", "GIF89a\x01\x00", "GIF87a",
		"RIFF\x24\x00\x00\x00WEBPVP8 ", "\x00\x00\x00\x1cftypavif", "\x00\x00\x00\x18ftypmp42",
		"\x1a\x45\xdf\xa3\x9f", "wOF2\x00\x01", "wOFF\x00\x01", "\x1f\x8b\x08\x00", "PK\x03\x04\x14\x00",
		"\x28\xb5\x2f\xfd\x04", "\xfd7zXZ\x00\x00", "BZh91AY", "7z\xbc\xaf\x27\x1c\x00",
	} {
		if !packed([]byte(body)) {
			t.Errorf("packed(%q) = false, want true", body)
		}
	}
	for _, body := range []string{
		"", "\xff", "\xff\xd8", "<!DOCTYPE html>", "<html><head>", `{"id":1}`, "body{margin:0}",
		"<?xml version=\"1.0\"?><rss>", "RIFF\x24\x00\x00\x00WAVEfmt ", "PK", "GIF8",
	} {
		if packed([]byte(body)) {
			t.Errorf("packed(%q) = true, want false", body)
		}
	}
}
