package archive

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// warcioRecord is what testdata/warcio/check.mjs prints for one record.
type warcioRecord struct {
	Version         string `json:"version"`
	Type            string `json:"type"`
	ID              string `json:"id"`
	URI             string `json:"uri"`
	ConcurrentTo    string `json:"concurrent_to"`
	RefersTo        string `json:"refers_to"`
	Profile         string `json:"profile"`
	ContentLength   int    `json:"content_length"`
	BlockLength     int    `json:"block_length"`
	BlockDigestOK   *bool  `json:"block_digest_ok"`
	PayloadDigestOK *bool  `json:"payload_digest_ok"`
	Status          int    `json:"status"`
	Payload         []byte `json:"payload"` // base64 in the JSON
	Surt            string `json:"surt"`
	Offset          int64  `json:"offset"`
}

// readWithWarcio parses a WARC file with warcio.js (the npm package, an
// independent implementation) through testdata/warcio/check.mjs.
func readWithWarcio(t *testing.T, path string) []warcioRecord {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("SKIPPED: the independent WARC reader check needs node (apt-get install nodejs npm); not run")
	}
	if _, err := os.Stat(filepath.Join("testdata", "warcio", "node_modules", "warcio")); err != nil {
		t.Skip("SKIPPED: the independent WARC reader check needs warcio: run `npm ci` in archive/testdata/warcio; not run")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, node, "check.mjs", abs)
	cmd.Dir = filepath.Join("testdata", "warcio")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("warcio could not read %s: %v\n%s", path, err, stderr.String())
	}
	var recs []warcioRecord
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var r warcioRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("check.mjs printed %q: %v", sc.Text(), err)
		}
		recs = append(recs, r)
	}
	return recs
}

func TestWarcioReadsOurWARC(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{MaxWARCBytes: 6000})
	if err != nil {
		t.Fatal(err)
	}
	type saved struct {
		c   *Capture
		ref Ref
	}
	var caps []saved
	urls := []string{
		"https://sawahluntokota.go.id/baca/pesona-kota-tambang",
		"https://www.sawahluntokota.go.id/wp-json/wp/v2/posts?per_page=100&page=2",
		"http://127.0.0.1:8080/feed/",
		"https://sawahluntokota.go.id/baca/pesona-kota-tambang", // same payload: revisit
		"https://sawahluntokota.go.id/wp-content/uploads/2021/12/267789_n.jpg",
	}
	for i, u := range urls {
		body := "<html><body>SAWAHLUNTO – Berita " + randomText(i%3, 2500) + "</body></html>"
		if i == 4 {
			body = string([]byte{0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F'})
		}
		c := testCapture(u, body)
		if i == 2 {
			c.Status = 404
		}
		ref, err := s.SaveCapture(c)
		if err != nil {
			t.Fatal(err)
		}
		caps = append(caps, saved{c, ref})
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	files, err := warcFiles(filepath.Join(dir, "warc"))
	if err != nil || len(files) < 2 {
		t.Fatalf("want a rotation into several files, got %v, %v", files, err)
	}

	byOffset := map[string]saved{}
	for _, sv := range caps {
		byOffset[fmt.Sprintf("%s#%d", sv.ref.File, sv.ref.Offset)] = sv
	}
	ids := map[string]warcioRecord{}
	seen := 0
	for _, f := range files {
		recs := readWithWarcio(t, filepath.Join(dir, "warc", f))
		if len(recs) == 0 || recs[0].Type != "warcinfo" {
			t.Fatalf("warcio: %s does not open with a warcinfo record: %+v", f, recs)
		}
		for i, r := range recs {
			ids[r.ID] = r
			if r.Version != "WARC/1.1" {
				t.Errorf("warcio: %s record %d version = %q, want WARC/1.1", f, i, r.Version)
			}
			if r.BlockDigestOK == nil || !*r.BlockDigestOK {
				t.Errorf("warcio: %s record %d (%s %s) block digest does not match", f, i, r.Type, r.URI)
			}
			if r.ContentLength != r.BlockLength {
				t.Errorf("warcio: %s record %d Content-Length %d, block %d bytes", f, i, r.ContentLength, r.BlockLength)
			}
			if r.Type == "request" || r.Type == "response" {
				if r.PayloadDigestOK == nil || !*r.PayloadDigestOK {
					t.Errorf("warcio: %s record %d (%s %s) payload digest missing or wrong", f, i, r.Type, r.URI)
				}
			}
			if r.URI != "" && r.Surt != surtKey(r.URI) {
				t.Errorf("surtKey(%q) = %q, warcio says %q", r.URI, surtKey(r.URI), r.Surt)
			}
			if r.Type != "response" && r.Type != "revisit" {
				continue
			}
			sv, ok := byOffset[fmt.Sprintf("%s#%d", f, r.Offset)]
			if !ok {
				t.Errorf("warcio: %s %s record at %d is at no Ref SaveCapture returned", f, r.Type, r.Offset)
				continue
			}
			seen++
			if r.URI != sv.c.URL || r.Status != sv.c.Status {
				t.Errorf("warcio: record at %s = %s %d, want %s %d", sv.ref, r.URI, r.Status, sv.c.URL, sv.c.Status)
			}
			if r.Type == "response" && string(r.Payload) != string(sv.c.Body) {
				t.Errorf("warcio: payload at %s differs from the body saved", sv.ref)
			}
			if prev := recs[i-1]; prev.Type != "request" || prev.ConcurrentTo != r.ID || prev.URI != r.URI {
				t.Errorf("warcio: record before %s is %s %s concurrent to %s, want its request", sv.ref, prev.Type, prev.URI, prev.ConcurrentTo)
			}
		}
	}
	if seen != len(caps) {
		t.Errorf("warcio saw %d responses and revisits, want %d", seen, len(caps))
	}
	var revisits int
	for _, r := range ids {
		if r.Type != "revisit" {
			continue
		}
		revisits++
		orig, ok := ids[r.RefersTo]
		if !ok || orig.Type != "response" || orig.URI != r.URI {
			t.Errorf("warcio: revisit of %s refers to %q, want the earlier response of that URL", r.URI, r.RefersTo)
		}
		if !strings.HasSuffix(r.Profile, "/revisit/identical-payload-digest") {
			t.Errorf("warcio: revisit profile = %q", r.Profile)
		}
	}
	if revisits != 1 {
		t.Errorf("warcio saw %d revisit records, want 1", revisits)
	}
}
