package main

import (
	"crypto/sha1"
	"encoding/base32"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/warta-id/warta/backfill/archivetest"
	"github.com/warta-id/warta/extract"
)

// articleHTML is an article page any extractor takes for one.
const articleHTML = `<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Banjir Bandang Landa Talawi</title></head>
<body><article><h1>Banjir Bandang Landa Talawi</h1><time datetime="2021-12-23T09:15:41+07:00">23 Desember 2021</time>
<p>SAWAHLUNTO – Banjir bandang melanda Kecamatan Talawi setelah hujan deras mengguyur sejak sore. Warga di sepanjang aliran sungai dievakuasi ke tempat yang lebih aman oleh petugas gabungan.</p>
<p>Wali kota meninjau lokasi bersama dinas terkait dan meminta warga tetap waspada karena hujan diperkirakan masih turun hingga beberapa hari ke depan.</p>
<p>Badan penanggulangan bencana daerah mencatat puluhan rumah terendam dan dua jembatan kecil rusak. Bantuan logistik mulai disalurkan pada malam hari.</p>
</article></body></html>`

// warcOf writes a WARC file holding one 200 response of articleHTML for
// each URL, shaped as other crawlers write them.
func warcOf(t *testing.T, urls ...string) string {
	t.Helper()
	var b strings.Builder
	for i, u := range urls {
		block := "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n" + articleHTML
		sum := sha1.Sum([]byte(block))
		fmt.Fprintf(&b, "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-%012d>\r\n"+
			"WARC-Date: 2024-08-25T09:00:41Z\r\nWARC-Target-URI: %s\r\nContent-Type: application/http;msgtype=response\r\n"+
			"WARC-Block-Digest: sha1:%s\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n",
			i+1, u, base32.StdEncoding.EncodeToString(sum[:]), len(block), block)
	}
	path := filepath.Join(t.TempDir(), "other.warc")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestImportLongHost checks that pages of a host too long for a site name
// still become articles, under a valid site name (before: 0 articles, 1
// error, exit 0, no detail).
func TestImportLongHost(t *testing.T) {
	long := strings.Repeat("berita-kabupaten-", 4) + "sawahlunto.example.go.id"
	data := t.TempDir()
	r := runWarta(t, nil, "import", "--data", data, warcOf(t, "http://"+long+"/baca/banjir", "http://"+strings.ToUpper(long[:1])+long[1:]+":8080/baca/banjir"))
	if r.code != exitOK {
		t.Fatalf("import from %s: exit %d; stdout %s stderr %s", long, r.code, r.stdout, r.stderr)
	}
	sites := regexp.MustCompile(`(?m)^(\S+): imported 1 article \(1 new`).FindAllStringSubmatch(r.stdout, -1)
	if len(sites) != 2 || sites[0][1] == sites[1][1] {
		t.Fatalf("import stdout = %q, want two sites (one per host and port) of 1 new article each", r.stdout)
	}
	for _, m := range sites {
		if err := extract.CheckSite(m[1]); err != nil {
			t.Errorf("site %q: %v", m[1], err)
		}
	}
}

// TestRunWithOnlyErrorsFails checks that a run that archived no article
// but had errors exits 1 and names them (before: exit 0), here because
// every article save fails.
func TestRunWithOnlyErrorsFails(t *testing.T) {
	data := t.TempDir()
	// A file where the site's article directory should be.
	if err := os.MkdirAll(filepath.Join(data, "articles"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "articles", "kota-example"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	warc := warcOf(t, "http://kota.example/baca/banjir")
	r := runWarta(t, nil, "import", "--verbose", "--data", data, warc)
	if r.code != exitFailure {
		t.Errorf("import whose every save fails: exit %d, want %d; stdout %s", r.code, exitFailure, r.stdout)
	}
	if !strings.Contains(r.stderr, "no article archived and 1 error") || !strings.Contains(r.stderr, "http://kota.example/baca/banjir") {
		t.Errorf("import stderr = %q, want it to say no article was archived and name the error's URL", r.stderr)
	}
	if !strings.Contains(r.stdout, "error: http://kota.example/baca/banjir") {
		t.Errorf("import stdout = %q, want the error listed under the summary", r.stdout)
	}
	if !strings.Contains(r.stderr, "page_failed") {
		t.Errorf("import --verbose stderr = %q, want each failure logged (page_failed)", r.stderr)
	}

	// The crawl of a site whose every save fails.
	base := startDemoSite(t, 0)
	cfg := filepath.Join(t.TempDir(), "sites.yaml")
	writeFile(t, cfg, demoSiteConfig(base, "@every 1h"))
	if err := os.WriteFile(filepath.Join(data, "articles", "demo"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	r = runWarta(t, nil, "crawl", "--config", cfg, "--data", data)
	if r.code != exitFailure || !strings.Contains(r.stderr, "no article archived") {
		t.Errorf("crawl whose every save fails: exit %d, stderr %q; want exit %d saying no article was archived", r.code, r.stderr, exitFailure)
	}
}

// TestBackfillWithOnlyErrorsFails checks the same rule for backfill: no
// article archived, errors, exit 1.
func TestBackfillWithOnlyErrorsFails(t *testing.T) {
	base, cfg := portalSite(t, "sekarang")
	art := base + "/baca/pasar-baru"
	ia := archivetest.NewWayback(&archivetest.Capture{URL: art, Time: utc("2018-01-10T02:00:00Z"), Body: portalPage(art, "Pasar Baru Dibuka", "pertama")})
	defer ia.Close()
	data := t.TempDir()
	if err := os.MkdirAll(filepath.Join(data, "articles"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "articles", "portal"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	r := runWarta(t, nil, "backfill", "--site", "portal", "--config", cfg, "--data", data, "--wayback", ia.URL, "--delay", "0")
	if r.code != exitFailure || !strings.Contains(r.stderr, "no article archived") {
		t.Errorf("backfill whose every save fails: exit %d, stderr %q; want exit %d saying no article was archived", r.code, r.stderr, exitFailure)
	}
}
