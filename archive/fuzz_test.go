package archive

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// FuzzImport feeds damaged and made-up WARC files to Import and to the
// recovery scan: they must end in captures or a clear error, never a
// panic or a hang.
func FuzzImport(f *testing.F) {
	for _, seed := range fuzzSeeds(f) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "x.warc.gz")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		_ = Import(context.Background(), path, func(c *Capture) error {
			if c.URL == "" {
				t.Errorf("Import gave a capture without URL")
			}
			return nil
		})
		if _, err := scanWARC(context.Background(), path, -1, true); err != nil {
			t.Fatalf("scanWARC error: %v (damage must be a torn tail, not an error)", err)
		}
	})
}

// fuzzSeeds returns whole WARC files of several shapes.
func fuzzSeeds(f testing.TB) [][]byte {
	var seeds [][]byte
	for _, path := range []string{wgetWARC(f), heritrixWARC(f)} {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, b, b[:len(b)/2])
	}
	return seeds
}

// TestImportDamagedFiles runs Import and the recovery scan over a few
// hundred damaged copies of the fuzz seeds (bytes changed, cut, inserted),
// deterministically, so that go test covers what FuzzImport explores: no
// panic (one was found this way, in a response whose headers do not
// parse), no capture without URL.
func TestImportDamagedFiles(t *testing.T) {
	seeds := fuzzSeeds(t)
	rng := rand.New(rand.NewPCG(1, 2))
	dir := t.TempDir()
	for i := range 400 {
		b := append([]byte(nil), seeds[rng.IntN(len(seeds))]...)
		for range 1 + rng.IntN(4) {
			switch j := rng.IntN(len(b)); rng.IntN(3) {
			case 0:
				b[j] = byte(rng.IntN(256))
			case 1:
				b = b[:j+1]
			case 2:
				b = append(b[:j], append([]byte{byte(rng.IntN(256))}, b[j:]...)...)
			}
		}
		path := filepath.Join(dir, fmt.Sprintf("%d.warc.gz", i))
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		_ = Import(context.Background(), path, func(c *Capture) error {
			if c.URL == "" {
				t.Errorf("damaged file %d: Import gave a capture without URL", i)
			}
			return nil
		})
		if _, err := scanWARC(context.Background(), path, -1, true); err != nil {
			t.Errorf("damaged file %d: scanWARC error: %v (damage must show as a torn tail)", i, err)
		}
	}
}

// TestBadHTTPHeaders: a response record whose HTTP headers do not parse
// (gowarc then has no header map) is indexed and imported, not a panic.
func TestBadHTTPHeaders(t *testing.T) {
	for _, block := range []string{
		"HTTP/1.1 200 OK\r\nthis line has no colon\r\n\r\n<html>x</html>",
		"HTTP/1.1 2OO OK\r\n\r\n<html>x</html>",
		"garbage\r\n\r\n",
	} {
		b := &warcBuilder{version: "1.1", gzip: true}
		b.record("response", "https://example.org/x", map[string]string{"Content-Type": "application/http;msgtype=response"}, block)
		path := b.write(t, "bad.warc.gz")
		if _, err := scanWARC(context.Background(), path, -1, true); err != nil {
			t.Errorf("scanWARC(%q) error: %v", block, err)
		}
		_ = Import(context.Background(), path, func(*Capture) error { return nil })
	}

	// A header line net/http rejects does not cost the capture.
	b := &warcBuilder{version: "1.0"}
	b.record("response", "https://example.org/y", map[string]string{"Content-Type": "application/http;msgtype=response"},
		"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nBad Name: x\r\nX-Folded: a\r\n b\r\n\r\n<html>y</html>")
	var got []*Capture
	if err := Import(context.Background(), b.write(t, "folded.warc"), func(c *Capture) error { got = append(got, c); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Status != 200 || string(got[0].Body) != "<html>y</html>" ||
		got[0].Header.Get("Content-Type") != "text/html" || got[0].Header.Get("X-Folded") != "a b" {
		t.Errorf("Import(response with a malformed header line) = %+v, want the capture with its good headers", got)
	}
}

// mediaTypeAsParsed is what the writer indexed as a capture's media type
// before responseMediaType: parseResponseHead's Content-Type.
func mediaTypeAsParsed(head []byte) string {
	_, _, h, err := parseResponseHead(head)
	if err != nil {
		return ""
	}
	return mediaType(h.Get("Content-Type"))
}

// TestResponseMediaTypeAsParsed holds responseMediaType to what
// parseResponseHead reads, on heads made of the pieces that could tell
// them apart: CRs and LFs in odd places, folded lines, repeated and
// invalid names, names in any case, malformed status lines.
func TestResponseMediaTypeAsParsed(t *testing.T) {
	pieces := []string{
		"HTTP/1.1 200 OK", "HTTP/2 404", "HTTP/1.1 2OO OK", "garbage", " HTTP/1.0  304 Not Modified ", "HTTP/1.1 099 x",
		"\r\n", "\n", "\r", "\r\r\n", "\r\n\r\n", " ", "\t",
		"Content-Type: text/HTML; charset=utf-8", "content-type:application/json", "CONTENT-TYPE :x/y", "Content-Type: image/png",
		"Content-Type:", "Content-Type: ;;;", "Content-Type: text/plain; charset", "Content-Typ: a/b", "Content-Type-X: c/d",
		" folded/part", "\tmore; q=1", "Bad Name: x", ": empty name", "X-A: b", "Content-Length: 3", "\u0085", "\u00a0",
	}
	check := func(head string) {
		t.Helper()
		if got, want := responseMediaType([]byte(head)), mediaTypeAsParsed([]byte(head)); got != want {
			t.Errorf("responseMediaType(%q) = %q, want %q", head, got, want)
		}
	}
	for _, head := range []string{
		"",
		"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Type: text/html;\r\n charset=utf-8\r\n\r\n",
		"HTTP/1.1 200 OK\r\nX: y\r\nContent-Type: text\r\n /html\r\nContent-Type: image/png\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Type: a/b\r\nContent-Type: c/d\r\n e\r\n\r\n",
		"HTTP/1.1 200 OK\r\nBad Name: x\r\n text/html\r\n\r\n",
		"HTTP/1.1 200 OK\r\r\nContent-Type: text/css\r\n\r\n",
		"HTTP/1.1 200 OK\nContent-Type: text/css\r",
	} {
		check(head)
	}
	r := rand.New(rand.NewPCG(16, 1))
	for range 20000 {
		var b []byte
		b = append(b, pieces[r.IntN(6)]...)
		for range r.IntN(12) {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		check(string(b))
	}
}

// FuzzResponseMediaType is TestResponseMediaTypeAsParsed on heads the
// fuzzer makes up.
func FuzzResponseMediaType(f *testing.F) {
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Type: text/html;\r\n charset=utf-8\r\n\r\n"))
	f.Add([]byte("HTTP/2 200\r\ncontent-type: a/b\r\nContent-Type: c/d\r\n\r\n"))
	f.Fuzz(func(t *testing.T, head []byte) {
		if got, want := responseMediaType(head), mediaTypeAsParsed(head); got != want {
			t.Errorf("responseMediaType(%q) = %q, want %q", head, got, want)
		}
	})
}
