package configs

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/warta-id/warta/extract"
)

func TestEmbeddedConfigsLoad(t *testing.T) {
	for _, name := range EmbeddedNames() {
		t.Run(name, func(t *testing.T) {
			c, err := Embedded(name)
			if err != nil {
				t.Fatalf("Embedded(%s) error: %v", name, err)
			}
			if len(c.Sites) == 0 {
				t.Fatalf("Embedded(%s) has no sites", name)
			}
			for _, s := range c.Sites {
				if s.Schedule == "" || s.ArticleRE() == nil {
					t.Errorf("site %s: schedule %q, article pattern %v: want both set", s.Name, s.Schedule, s.ArticleRE())
				}
			}
		})
	}
	def, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := def.Site("sawahlunto"); err != nil {
		t.Errorf("Default().Site(sawahlunto): %v", err)
	}
	if _, err := def.Site("demo"); err == nil {
		t.Errorf("Default() includes the demo site; want it left out")
	}
}

func TestSawahluntoPatterns(t *testing.T) {
	c, err := Embedded("sawahlunto.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		site, url string
		want      bool
	}{
		{"sawahlunto", "https://sawahluntokota.go.id/baca/wali-kota-temui-dirjen", true},
		{"sawahlunto", "https://sawahluntokota.go.id/baca/", false},
		{"sawahlunto", "https://sawahluntokota.go.id/kategori/berita", false},
		{"sawahlunto-portal", "https://portal.sawahluntokota.go.id/wali-kota-sawahlunto-temui-dirjen-ikma/", true},
		{"sawahlunto-portal", "https://portal.sawahluntokota.go.id/category/berita/", false},
		{"sawahlunto-portal", "https://portal.sawahluntokota.go.id/page/2/", false},
	}
	for _, tt := range tests {
		s, err := c.Site(tt.site)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.ArticleRE().MatchString(tt.url); got != tt.want {
			t.Errorf("%s article_pattern.MatchString(%s) = %v, want %v", tt.site, tt.url, got, tt.want)
		}
	}
}

func TestDefaults(t *testing.T) {
	c, err := Parse("t.yaml", []byte("sites:\n  - name: a\n    base_url: https://example.org/\n"))
	if err != nil {
		t.Fatal(err)
	}
	s := c.Sites[0]
	// The crawl settings the crawler defaults stay zero: one home for them.
	if s.Delay.D() != DefaultDelay || s.Concurrency != 0 || s.Timeout.D() != 0 ||
		s.MaxPageBytes.N() != 0 || s.Discovery != "" || s.Timezone != DefaultTimezone {
		t.Errorf("defaults = delay %v, concurrency %d, timeout %v, max %d, discovery %q, tz %q; want delay %v, crawl settings zero, tz %q",
			s.Delay.D(), s.Concurrency, s.Timeout.D(), s.MaxPageBytes.N(), s.Discovery, s.Timezone, DefaultDelay, DefaultTimezone)
	}
	if len(s.StartURLs) != 1 || s.StartURLs[0] != "https://example.org/" {
		t.Errorf("StartURLs = %v, want [base_url]", s.StartURLs)
	}
	if !s.Images() {
		t.Errorf("Images() = false without fetch_images, want the default true")
	}
	if !s.Requisites() || s.RequisiteMaxAge.D() != 0 {
		t.Errorf("Requisites(), RequisiteMaxAge = %v, %v without their keys, want true and 0 (the crawler's default)", s.Requisites(), s.RequisiteMaxAge.D())
	}
	if got := s.Hosts(); len(got) != 1 || got[0] != "example.org" {
		t.Errorf("Hosts() = %v, want [example.org]", got)
	}

	c, err = Parse("t.yaml", []byte("sites:\n  - name: a\n    base_url: https://example.org/\n    delay: 0s\n    max_page_bytes: 512KB\n    timeout: 2.5\n    fetch_images: false\n    fetch_requisites: false\n    requisite_max_age: 24h\n"))
	if err != nil {
		t.Fatal(err)
	}
	s = c.Sites[0]
	if s.Images() {
		t.Errorf("fetch_images: false gave Images() = true")
	}
	if s.Requisites() || s.RequisiteMaxAge.D() != 24*time.Hour {
		t.Errorf("fetch_requisites: false, requisite_max_age: 24h gave %v, %v", s.Requisites(), s.RequisiteMaxAge.D())
	}
	if s.Delay.D() != 0 {
		t.Errorf("delay: 0s gave %v, want 0 (an explicit zero is a choice)", s.Delay.D())
	}
	if s.MaxPageBytes.N() != 512<<10 {
		t.Errorf("max_page_bytes: 512KB gave %d, want %d", s.MaxPageBytes.N(), 512<<10)
	}
	if s.Timeout.D() != 2500*time.Millisecond {
		t.Errorf("timeout: 2.5 gave %v, want 2.5s", s.Timeout.D())
	}
}

func TestErrorsNameFileLineAndKey(t *testing.T) {
	tests := []struct {
		name, yaml string
		line       int
		want       []string
	}{
		{"bad duration", "sites:\n  - name: a\n    base_url: https://x.org/\n    delay: soon\n", 4, []string{"sites[0].delay", `"soon"`}},
		{"bad size", "sites:\n  - name: a\n    base_url: https://x.org/\n    max_page_bytes: lots\n", 4, []string{"sites[0].max_page_bytes"}},
		{"unknown key", "sites:\n  - name: a\n    base_url: https://x.org/\n    dalay: 1s\n", 4, []string{"dalay"}},
		{"bad regexp", "sites:\n  - name: a\n    base_url: https://x.org/\n    article_pattern: '(['\n", 4, []string{"sites[0].article_pattern"}},
		{"bad cron", "sites:\n  - name: a\n    base_url: https://x.org/\n    schedule: every day\n", 4, []string{"sites[0].schedule"}},
		{"bad zone", "sites:\n  - name: a\n    base_url: https://x.org/\n    timezone: Mars/Olympus\n", 4, []string{"sites[0].timezone"}},
		{"bad selector", "sites:\n  - name: a\n    base_url: https://x.org/\n    extract:\n      title: 'h1[['\n", 5, []string{"sites[0].extract", "title"}},
		{"bad url", "sites:\n  - name: a\n    base_url: ftp://x.org/\n", 3, []string{"sites[0].base_url"}},
		{"no url", "sites:\n  - name: a\n    title: A\n", 0, []string{"base_url"}},
		{"bad discovery", "sites:\n  - name: a\n    base_url: https://x.org/\n    discovery: magic\n", 4, []string{"sites[0].discovery", "auto"}},
		{"duplicate", "sites:\n  - name: a\n    base_url: https://x.org/\n  - name: a\n    base_url: https://y.org/\n", 4, []string{"sites[1].name", "twice"}},
		{"bad name", "sites:\n  - name: A B\n    base_url: https://x.org/\n", 2, []string{"sites[0].name"}},
		{"image host url", "sites:\n  - name: a\n    base_url: https://x.org/\n    image_hosts: [cdn.x.org, 'https://cdn.y.org/']\n", 4, []string{"sites[0].image_hosts[1]", "not a host"}},
		{"bad requisite age", "sites:\n  - name: a\n    base_url: https://x.org/\n    requisite_max_age: -1h\n", 4, []string{"sites[0].requisite_max_age", `"-1h"`}},
		{"image host wildcard", "sites:\n  - name: a\n    base_url: https://x.org/\n    image_hosts: ['*.x.org']\n", 4, []string{"sites[0].image_hosts[0]"}},
		{"image host port", "sites:\n  - name: a\n    base_url: https://x.org/\n    image_hosts: ['cdn.x.org:99999']\n", 4, []string{"sites[0].image_hosts[0]", "port"}},
		{"negative listing depth", "sites:\n  - name: a\n    base_url: https://x.org/\n    max_listing_depth: -1\n", 4, []string{"sites[0].max_listing_depth", "negative"}},
		{"negative barren listings", "sites:\n  - name: a\n    base_url: https://x.org/\n    max_barren_listings: -3\n", 4, []string{"sites[0].max_barren_listings", "negative"}},
		{"bad crawl delay", "sites:\n  - name: a\n    base_url: https://x.org/\n    max_crawl_delay: 1e30\n", 4, []string{"sites[0].max_crawl_delay", "1e30"}},
		{"negative host failures", "sites:\n  - name: a\n    base_url: https://x.org/\n    max_host_failures: -1\n", 4, []string{"sites[0].max_host_failures", "negative"}},
		{"size overflow", "sites:\n  - name: a\n    base_url: https://x.org/\n    max_page_bytes: 1e30\n", 4, []string{"sites[0].max_page_bytes", "1e30"}},
		{"size huge", "sites:\n  - name: a\n    base_url: https://x.org/\n    max_page_bytes: 9999999TB\n", 4, []string{"sites[0].max_page_bytes"}},
		{"size negative", "sites:\n  - name: a\n    base_url: https://x.org/\n    max_page_bytes: -5\n", 4, []string{"sites[0].max_page_bytes"}},
		{"size NaN", "sites:\n  - name: a\n    base_url: https://x.org/\n    max_page_bytes: NaN\n", 4, []string{"sites[0].max_page_bytes"}},
		{"size infinite", "sites:\n  - name: a\n    base_url: https://x.org/\n    max_page_bytes: .inf\n", 4, []string{"sites[0].max_page_bytes"}},
		{"page over 1GB", "sites:\n  - name: a\n    base_url: https://x.org/\n    max_page_bytes: 2GB\n", 4, []string{"sites[0].max_page_bytes", "1GB"}},
		{"delay overflow", "sites:\n  - name: a\n    base_url: https://x.org/\n    delay: 1e30\n", 4, []string{"sites[0].delay", "1e30"}},
		{"delay negative seconds", "sites:\n  - name: a\n    base_url: https://x.org/\n    delay: -1\n", 4, []string{"sites[0].delay"}},
		{"delay negative", "sites:\n  - name: a\n    base_url: https://x.org/\n    delay: -1s\n", 4, []string{"sites[0].delay"}},
		{"timeout NaN", "sites:\n  - name: a\n    base_url: https://x.org/\n    timeout: NaN\n", 4, []string{"sites[0].timeout"}},
		{"timeout overflow", "sites:\n  - name: a\n    base_url: https://x.org/\n    timeout: 9999999999h\n", 4, []string{"sites[0].timeout"}},
		{"concurrency overflow", "sites:\n  - name: a\n    base_url: https://x.org/\n    concurrency: 1e30\n", 4, []string{"concurrency"}},
		{"concurrency huge", "sites:\n  - name: a\n    base_url: https://x.org/\n    concurrency: 99999999999999999999\n", 4, []string{"concurrency"}},
		{"concurrency absurd", "sites:\n  - name: a\n    base_url: https://x.org/\n    concurrency: 100000\n", 4, []string{"sites[0].concurrency", "64"}},
		{"concurrency negative", "sites:\n  - name: a\n    base_url: https://x.org/\n    concurrency: -2\n", 4, []string{"sites[0].concurrency"}},
		{"max pages overflow", "sites:\n  - name: a\n    base_url: https://x.org/\n    max_pages: 99999999999999999999\n", 4, []string{"max_pages"}},
		{"requisite age overflow", "sites:\n  - name: a\n    base_url: https://x.org/\n    requisite_max_age: 1e300\n", 4, []string{"sites[0].requisite_max_age"}},
		{"listing depth overflow", "sites:\n  - name: a\n    base_url: https://x.org/\n    max_listing_depth: 1e30\n", 4, []string{"sites[0].max_listing_depth"}},
		{"second site's key", "sites:\n  - name: a\n    base_url: https://x.org/\n  - name: b\n    base_url: https://y.org/\n    max_pages: 1e30\n", 6, []string{"sites[1].max_pages"}},
		{"max pages negative", "sites:\n  - name: a\n    base_url: https://x.org/\n    max_pages: -1\n", 4, []string{"sites[0].max_pages"}},
		{"name too long", "sites:\n  - name: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n    base_url: https://x.org/\n", 2, []string{"sites[0].name", "72 characters", "at most 64"}},
		{"no sites", "title: x\n", 0, []string{"title"}},
		{"broken yaml", "sites:\n  - name: a\n   base_url: [\n", 3, nil},
		// Billion laughs: nine anchors, each ten aliases of the one above,
		// 10^9 values; decoding ran for minutes.
		{"alias bomb", yamlBomb(), 6, []string{"aliases expand", "1000000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("site.yaml", []byte(tt.yaml))
			if err == nil {
				t.Fatalf("Parse(%q) = nil error, want one", tt.yaml)
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("Parse error %v (%T) is not a *configs.Error", err, err)
			}
			if ce.File != "site.yaml" {
				t.Errorf("error file = %q, want site.yaml", ce.File)
			}
			if tt.line > 0 && ce.Line != tt.line {
				t.Errorf("error %q: line %d, want %d", err, ce.Line, tt.line)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.yaml")
	_, err := Load(path)
	var ce *Error
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), path) {
		t.Fatalf("Load(missing) = %v, want a configs.Error naming %s", err, path)
	}
	good := filepath.Join(t.TempDir(), "ok.yaml")
	if err := os.WriteFile(good, []byte("sites:\n  - name: ok\n    base_url: https://x.org/\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(good)
	if err != nil || c.Path != good {
		t.Fatalf("Load(%s) = %v, %v", good, c, err)
	}
}

func TestParseByteSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"10MB", 10 << 20, true}, {"512 KiB", 512 << 10, true}, {"1g", 1 << 30, true},
		{"2048", 2048, true}, {"1.5KB", 1536, true}, {"-1MB", 0, false}, {"many", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseByteSize(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseByteSize(%q) = %d, %v; want %d, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

// TestImageHosts checks that host names, IP addresses and ports pass as
// image hosts.
func TestImageHosts(t *testing.T) {
	cfg, err := Parse("t.yaml", []byte("sites:\n  - name: a\n    base_url: https://x.org/\n    image_hosts: [cdn.x.org, 'img.x.org:8080', 127.0.0.1, '[::1]:81']\n"))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if got := len(cfg.Sites[0].ImageHosts); got != 4 {
		t.Errorf("ImageHosts has %d hosts, want 4", got)
	}
}

// TestHostSite checks that any host becomes a site with a valid name,
// distinct for distinct hosts, and the defaults of a loaded config.
func TestHostSite(t *testing.T) {
	long := strings.Repeat("berita-kabupaten-", 5) + "example.go.id"
	names := map[string]string{}
	for _, host := range []string{"kota.example", "Kota.Example:8080", long, long + ":81", "例え.jp", "[::1]:8080"} {
		s, err := HostSite(host)
		if err != nil {
			t.Fatalf("HostSite(%q): %v", host, err)
		}
		if err := extract.CheckSite(s.Name); err != nil {
			t.Errorf("HostSite(%q).Name = %q: %v", host, s.Name, err)
		}
		if other, ok := names[s.Name]; ok {
			t.Errorf("HostSite(%q) and HostSite(%q) share the name %q", host, other, s.Name)
		}
		names[s.Name] = host
		if s.Location() == nil || s.Delay.D() != DefaultDelay || s.BaseURL != "http://"+host+"/" {
			t.Errorf("HostSite(%q) = zone %v, delay %v, base %q; want the defaults and http://%s/", host, s.Location(), s.Delay.D(), s.BaseURL, host)
		}
	}
	if s, _ := HostSite("kota.example"); s.Name != "kota-example" {
		t.Errorf("HostSite(kota.example).Name = %q, want kota-example", s.Name)
	}
}

// yamlBomb returns a config whose aliases expand to 10^9 values.
func yamlBomb() string {
	y := "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
	for i := 1; i < 9; i++ {
		y += fmt.Sprintf("a%d: &a%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d, ", i-1), 10), ", "))
	}
	return y + "sites:\n  - name: a\n    base_url: https://x.org/\n    start_urls: *a8\n"
}

// TestEncodings: a config saved with a UTF-8 byte order mark, or in UTF-16
// (as Windows editors do), loads as the same config in UTF-8. Before: the
// first failed with `unknown field "\ufeffsites"`, the second with
// "string was used where mapping is expected".
func TestEncodings(t *testing.T) {
	y := "sites:\n  - name: kota\n    title: Kota Sawahlunto – berita\n    base_url: https://x.org/\n"
	utf16le, utf16be := []byte{0xff, 0xfe}, []byte{0xfe, 0xff}
	for _, u := range utf16.Encode([]rune(y)) {
		utf16le = append(utf16le, byte(u), byte(u>>8))
		utf16be = append(utf16be, byte(u>>8), byte(u))
	}
	for name, data := range map[string][]byte{
		"utf-8 bom": append([]byte{0xef, 0xbb, 0xbf}, y...),
		"utf-16le":  utf16le,
		"utf-16be":  utf16be,
	} {
		c, err := Parse("site.yaml", data)
		if err != nil {
			t.Errorf("Parse(%s) error: %v", name, err)
			continue
		}
		if len(c.Sites) != 1 || c.Sites[0].Name != "kota" || c.Sites[0].Title != "Kota Sawahlunto – berita" {
			t.Errorf("Parse(%s) = %+v, want the site kota with its title", name, c.Sites)
		}
	}
}
