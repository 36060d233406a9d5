package configs

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/andybalholm/cascadia"
	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/robfig/cron/v3"

	"github.com/warta-id/warta/extract"
)

//go:embed *.yaml
var embedded embed.FS

// Config is one config file: a list of sites.
type Config struct {
	// Path is the file the config came from ("embedded:NAME" for the
	// profiles built into the binary).
	Path  string  `yaml:"-"`
	Sites []*Site `yaml:"sites"`
}

// Site is one news site to archive, with its crawl settings and optional
// extraction profile. Zero values are the documented defaults.
type Site struct {
	Name         string   `yaml:"name"`
	Title        string   `yaml:"title"`
	BaseURL      string   `yaml:"base_url"`
	StartURLs    []string `yaml:"start_urls"`
	AllowedHosts []string `yaml:"allowed_hosts"`
	// ImageHosts are hosts besides the allowed ones that article images
	// and page requisites may come from (CDNs); their pages are not crawled.
	ImageHosts []string `yaml:"image_hosts"`
	// Discovery, Concurrency, Timeout and MaxPageBytes left zero get the
	// crawler's defaults (crawler.Options).
	Discovery      string   `yaml:"discovery"`
	ArticlePattern string   `yaml:"article_pattern"`
	ListingPattern string   `yaml:"listing_pattern"`
	Schedule       string   `yaml:"schedule"`
	Timezone       string   `yaml:"timezone"`
	Delay          Duration `yaml:"delay"`
	Concurrency    int      `yaml:"concurrency"`
	Timeout        Duration `yaml:"timeout"`
	MaxPageBytes   ByteSize `yaml:"max_page_bytes"`
	MaxPages       int      `yaml:"max_pages"`
	// MaxListingDepth and MaxBarrenListings bound listing chains (crawler
	// traps); 0 means the crawler's defaults.
	MaxListingDepth   int `yaml:"max_listing_depth"`
	MaxBarrenListings int `yaml:"max_barren_listings"`
	// MaxCrawlDelay is the longest robots.txt Crawl-delay the crawl
	// honours (a site that asks for more is not crawled); MaxHostFailures
	// the failed attempts in a row after which a host is given up for the
	// run. 0 means the crawler's defaults (1m, 10).
	MaxCrawlDelay   Duration `yaml:"max_crawl_delay"`
	MaxHostFailures int      `yaml:"max_host_failures"`
	UserAgent       string   `yaml:"user_agent"`
	Language        string   `yaml:"language"`
	// FetchImages fetches the images of new and changed articles into the
	// archive (their galleries); on unless set to false.
	FetchImages *bool `yaml:"fetch_images"`
	// FetchRequisites fetches the page requisites of article pages (style
	// sheets, scripts, fonts, layout images) into the archive, so that
	// replay shows a page as it looked; on unless set to false.
	FetchRequisites *bool `yaml:"fetch_requisites"`
	// RequisiteMaxAge is how long a requisite whose server sent no ETag or
	// Last-Modified is not asked for again; 0 means the crawler's default,
	// 168h (7 days).
	RequisiteMaxAge Duration       `yaml:"requisite_max_age"`
	Extract         *extract.Rules `yaml:"extract"`

	articleRE *regexp.Regexp
	listingRE *regexp.Regexp
	location  *time.Location
}

// Defaults applied by Load to fields left empty. The crawl settings that
// the crawler defaults itself (discovery, concurrency, timeout,
// max_page_bytes, the listing bounds, requisite_max_age, user_agent) stay
// zero here, so that crawler.Options is their one home. The delay is the exception: the
// crawler's zero means none, while a site profile without one is polite.
const (
	DefaultDelay    = time.Second
	DefaultTimezone = extract.DefaultTimezone
)

// Bounds of the numeric keys: larger values are refused at load, as
// mistakes (a polite crawl never needs more requests at once, and no news
// page is a gigabyte).
const (
	MaxConcurrency = 64
	MaxPageBytes   = 1 << 30
)

// Discovery modes a site may name.
var discoveryModes = []string{"auto", "wordpress", "sitemap", "feed", "listing"}

// ArticleRE is the compiled article_pattern, or nil when the site has none.
func (s *Site) ArticleRE() *regexp.Regexp { return s.articleRE }

// ListingRE is the compiled listing_pattern, or nil when the site has none.
func (s *Site) ListingRE() *regexp.Regexp { return s.listingRE }

// Location is the site's time zone, used for its schedule and for dates
// printed without a zone.
func (s *Site) Location() *time.Location { return s.location }

// Images reports whether the crawl fetches article images (fetch_images,
// on by default).
func (s *Site) Images() bool { return s.FetchImages == nil || *s.FetchImages }

// Requisites reports whether the crawl fetches the page requisites of
// article pages (fetch_requisites, on by default).
func (s *Site) Requisites() bool { return s.FetchRequisites == nil || *s.FetchRequisites }

// Hosts returns the hosts the crawl may visit: allowed_hosts, or the hosts
// of base_url and start_urls when allowed_hosts is empty.
func (s *Site) Hosts() []string {
	if len(s.AllowedHosts) > 0 {
		return s.AllowedHosts
	}
	var hosts []string
	seen := map[string]bool{}
	for _, raw := range append([]string{s.BaseURL}, s.StartURLs...) {
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" || seen[u.Host] {
			continue
		}
		seen[u.Host] = true
		hosts = append(hosts, u.Host)
	}
	return hosts
}

// Site returns the site called name, or an error listing the names there are.
func (c *Config) Site(name string) (*Site, error) {
	var names []string
	for _, s := range c.Sites {
		if s.Name == name {
			return s, nil
		}
		names = append(names, s.Name)
	}
	return nil, fmt.Errorf("%s: no site named %q (sites: %s)", c.Path, name, strings.Join(names, ", "))
}

// HostSite returns a site without an extraction profile for the pages of
// host, a host no config names (`warta import` files such pages under it).
// Its name is the host as a valid site name (see extract.CheckSite):
// lower-cased, each run of other characters a -, and a long one cut with a
// hash of the whole host, so that two long hosts keep two names. Its base
// URL is http://host/, and the rest are the defaults of a loaded config.
func HostSite(host string) (*Site, error) {
	name := strings.Trim(nonName.ReplaceAllString(strings.ToLower(host), "-"), "-")
	if name == "" || len(name) > extract.MaxSiteLen {
		sum := sha256.Sum256([]byte(strings.ToLower(host)))
		tag := hex.EncodeToString(sum[:4])
		if name == "" {
			name = "host"
		}
		name = strings.TrimRight(name[:min(len(name), extract.MaxSiteLen-len(tag)-1)], "-_") + "-" + tag
	}
	c := &Config{Path: "host " + host, Sites: []*Site{{Name: name, BaseURL: "http://" + host + "/"}}}
	if err := c.validate(func(string) int { return 0 }); err != nil {
		return nil, err
	}
	return c.Sites[0], nil
}

// nonName matches the runs of characters a site name made from a host
// cannot hold.
var nonName = regexp.MustCompile(`[^a-z0-9]+`)

// Duration is a time.Duration written in YAML as "1s", "500ms" or "2m", or
// as a plain number of seconds. A value that does not parse is kept aside
// and reported by validation, with its line and key.
type Duration struct {
	d   time.Duration
	bad string
}

// UnmarshalYAML reads a Go duration string, or a plain number of seconds.
func (d *Duration) UnmarshalYAML(b []byte) error {
	s := strings.Trim(strings.TrimSpace(string(b)), `"'`)
	*d = Duration{}
	if s == "" || s == "null" {
		return nil
	}
	if secs, err := strconv.ParseFloat(s, 64); err == nil {
		// NaN, infinities and values past time.Duration's 292 years
		// would overflow into nonsense (a negative timeout).
		if !(secs >= 0 && secs <= maxSeconds) {
			d.bad = s
			return nil
		}
		d.d = time.Duration(secs * float64(time.Second))
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 {
		d.bad = s
		return nil
	}
	d.d = v
	return nil
}

// maxSeconds is the longest duration written as a number of seconds
// that a time.Duration holds.
const maxSeconds = float64(math.MaxInt64/int64(time.Second)) - 1

// D returns the duration as a time.Duration.
func (d Duration) D() time.Duration { return d.d }

// NewDuration returns a Duration of v.
func NewDuration(v time.Duration) Duration { return Duration{d: v} }

func (d Duration) check() error {
	if d.bad != "" {
		return fmt.Errorf("%.40q is not a duration (want for example 1s, 500ms, 2m; at most 292 years, not negative)", d.bad)
	}
	return nil
}

// ByteSize is a size in bytes written in YAML as "10MB", "512KB" or
// 1048576. A value that does not parse is reported by validation.
type ByteSize struct {
	n   int64
	bad string
}

// UnmarshalYAML reads a byte count with an optional B, KB, MB or GB suffix
// (powers of 1024).
func (b *ByteSize) UnmarshalYAML(data []byte) error {
	s := strings.Trim(strings.TrimSpace(string(data)), `"'`)
	*b = ByteSize{}
	v, err := ParseByteSize(s)
	if err != nil {
		b.bad = s
		return nil
	}
	b.n = v
	return nil
}

// N returns the size in bytes.
func (b ByteSize) N() int64 { return b.n }

func (b ByteSize) check() error {
	if b.bad != "" {
		return fmt.Errorf("%.40q is not a size (want for example 10MB, 512KB, 1048576; at most 1TB)", b.bad)
	}
	return nil
}

// MaxByteSize is the largest size ParseByteSize takes (1 TB).
const MaxByteSize = 1 << 40

// ParseByteSize parses "10MB", "512 KiB", "1GB" or a plain number of bytes.
func ParseByteSize(s string) (int64, error) {
	if s == "" || s == "null" {
		return 0, nil
	}
	units := []struct {
		suffix string
		mult   int64
	}{
		{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30},
		{"KB", 1 << 10}, {"MB", 1 << 20}, {"GB", 1 << 30},
		{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1},
	}
	up := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(up, u.suffix) {
			up = strings.TrimSpace(strings.TrimSuffix(up, u.suffix))
			mult = u.mult
			break
		}
	}
	n, err := strconv.ParseFloat(up, 64)
	if err != nil || !(n >= 0) || math.IsInf(n, 0) {
		return 0, fmt.Errorf("%.40q is not a size (want for example 10MB, 512KB, 1048576)", s)
	}
	// A float past int64 would convert to a negative size.
	if n*float64(mult) > MaxByteSize {
		return 0, fmt.Errorf("%.40q is too large a size (at most 1TB)", s)
	}
	return int64(n * float64(mult)), nil
}

// Error is a config error: the file, the line (0 when unknown) and the key
// that is wrong, and why.
type Error struct {
	File string
	Line int
	Key  string
	Msg  string
}

func (e *Error) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	if e.Key != "" {
		return fmt.Sprintf("%s: %s: %s", loc, e.Key, e.Msg)
	}
	return fmt.Sprintf("%s: %s", loc, e.Msg)
}

// Load reads and validates the config file at path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: path, Msg: err.Error()}
	}
	return Parse(path, data)
}

// Embedded returns the profile built into the binary under name (for
// example "sawahlunto.yaml" or "demo.yaml").
func Embedded(name string) (*Config, error) {
	data, err := embedded.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("configs: no embedded config %q", name)
	}
	return Parse("embedded:"+name, data)
}

// EmbeddedNames lists the configs built into the binary.
func EmbeddedNames() []string {
	entries, _ := embedded.ReadDir(".")
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// Default returns the embedded configs that name real sites, merged into
// one (the demo profile is left out: it only makes sense with `warta demo`).
func Default() (*Config, error) {
	merged := &Config{Path: "embedded configs"}
	for _, name := range EmbeddedNames() {
		if name == "demo.yaml" {
			continue
		}
		c, err := Embedded(name)
		if err != nil {
			return nil, err
		}
		merged.Sites = append(merged.Sites, c.Sites...)
	}
	return merged, nil
}

// Parse decodes and validates a config held in data; file names it in
// errors.
func Parse(file string, data []byte) (*Config, error) {
	var c Config
	data = utf8Text(data)
	if f, err := parser.ParseBytes(data, 0); err == nil {
		if err := checkAliases(file, f); err != nil {
			return nil, err
		}
	}
	if err := yaml.UnmarshalWithOptions(data, &c, yaml.DisallowUnknownField()); err != nil {
		e := yamlError(file, err)
		if f, perr := parser.ParseBytes(data, 0); perr == nil && e.Key == "" {
			// A value of the wrong type (a number too large for an int,
			// say): name its key as validation does.
			e.Key = siteKeyAt(f, e.Line)
		}
		return nil, e
	}
	c.Path = file
	ast, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, yamlError(file, err)
	}
	if err := c.validate(func(key string) int { return lineOf(ast, key) }); err != nil {
		var ce *Error
		if errors.As(err, &ce) {
			ce.File = file
		}
		return nil, err
	}
	return &c, nil
}

// utf8Text returns a config file's text as UTF-8 without a byte order
// mark. YAML allows a BOM and UTF-16, and Windows editors save both; read
// as they were, the first key became "\ufeffsites" ("unknown field") and
// a UTF-16 file "string was used where mapping is expected".
func utf8Text(data []byte) []byte {
	var order binary.ByteOrder
	switch {
	case bytes.HasPrefix(data, []byte{0xef, 0xbb, 0xbf}):
		return data[3:]
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}):
		order = binary.LittleEndian
	case bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		order = binary.BigEndian
	default:
		return data
	}
	units := make([]uint16, 0, len(data)/2)
	for i := 2; i+1 < len(data); i += 2 {
		units = append(units, order.Uint16(data[i:]))
	}
	return []byte(string(utf16.Decode(units)))
}

// maxYAMLValues bounds the values a config may expand to through its
// aliases: a few lines of anchors that alias each other ten times over
// ("billion laughs") expand to 10^9 values, which decoding built one by one
// for minutes and gigabytes. A config of a thousand sites has some 50,000.
const maxYAMLValues = 1_000_000

// checkAliases refuses a config whose aliases expand it past
// maxYAMLValues, naming the line of the alias that does.
func checkAliases(file string, f *ast.File) error {
	anchors := map[string]int{}
	for _, doc := range f.Docs {
		if doc.Body == nil {
			continue
		}
		if _, err := expandedSize(doc.Body, anchors); err != nil {
			err.File = file
			return err
		}
	}
	return nil
}

// expandedSize counts the values n stands for once its aliases are
// expanded, recording the size of each anchor in anchors as it goes (an
// alias may only name an anchor above it).
func expandedSize(n ast.Node, anchors map[string]int) (int, *Error) {
	total := 0
	var bad *Error
	ast.Walk(visitFunc(func(n ast.Node) bool {
		if bad != nil {
			return false
		}
		switch v := n.(type) {
		case *ast.AnchorNode:
			if v.Value == nil {
				return false
			}
			size, err := expandedSize(v.Value, anchors)
			if err != nil {
				bad = err
				return false
			}
			anchors[v.Name.String()] = size
			total += size
			return false
		case *ast.AliasNode:
			if v.Value != nil {
				total += anchors[v.Value.String()]
			}
		default:
			total++
		}
		if total > maxYAMLValues && bad == nil {
			line := 0
			if tk := n.GetToken(); tk != nil && tk.Position != nil {
				line = tk.Position.Line
			}
			bad = &Error{Line: line, Msg: fmt.Sprintf("aliases expand the config to more than %d values", maxYAMLValues)}
		}
		return bad == nil
	}), n)
	return total, bad
}

// visitFunc is an ast.Visitor that descends while it returns true.
type visitFunc func(ast.Node) bool

func (f visitFunc) Visit(n ast.Node) ast.Visitor {
	if f(n) {
		return f
	}
	return nil
}

// yamlError turns a go-yaml error into an Error with the line and, where the
// message names one, the key.
func yamlError(file string, err error) *Error {
	e := &Error{File: file, Msg: err.Error()}
	var se yaml.Error
	if errors.As(err, &se) {
		if tok := se.GetToken(); tok != nil && tok.Position != nil {
			e.Line = tok.Position.Line
		}
		e.Msg = se.GetMessage()
	}
	return e
}

// siteKeyAt returns the key of a site's setting written on line, as
// "sites[0].concurrency", or "" when no setting is there.
func siteKeyAt(f *ast.File, line int) string {
	if line == 0 {
		return ""
	}
	t := reflect.TypeFor[Site]()
	for i := 0; lineOf(f, fmt.Sprintf("$.sites[%d]", i)) > 0; i++ {
		for j := range t.NumField() {
			tag, _, _ := strings.Cut(t.Field(j).Tag.Get("yaml"), ",")
			if tag == "" || tag == "-" {
				continue
			}
			if key := fmt.Sprintf("sites[%d].%s", i, tag); lineOf(f, "$."+key) == line {
				return key
			}
		}
	}
	return ""
}

// lineOf returns the line of the node at a YAML path such as
// "$.sites[0].delay", or 0 when there is none.
func lineOf(f *ast.File, path string) int {
	p, err := yaml.PathString(path)
	if err != nil {
		return 0
	}
	n, err := p.FilterFile(f)
	if err != nil || n == nil || n.GetToken() == nil || n.GetToken().Position == nil {
		return 0
	}
	return n.GetToken().Position.Line
}

func (c *Config) validate(line func(key string) int) error {
	if len(c.Sites) == 0 {
		return &Error{Line: line("$.sites"), Key: "sites", Msg: "no sites listed (want a list of sites under `sites:`)"}
	}
	names := map[string]bool{}
	for i, s := range c.Sites {
		at := func(key string) *Error {
			path := fmt.Sprintf("$.sites[%d].%s", i, key)
			l := line(path)
			if l == 0 {
				l = line(fmt.Sprintf("$.sites[%d]", i))
			}
			return &Error{Line: l, Key: fmt.Sprintf("sites[%d].%s", i, key)}
		}
		fail := func(key, format string, args ...any) error {
			e := at(key)
			e.Msg = fmt.Sprintf(format, args...)
			return e
		}
		if s == nil {
			return fail("name", "empty site entry")
		}
		if err := extract.CheckSite(s.Name); err != nil {
			return fail("name", "%v", err)
		}
		if names[s.Name] {
			return fail("name", "site %q is listed twice", s.Name)
		}
		names[s.Name] = true
		if s.BaseURL == "" && len(s.StartURLs) == 0 {
			return fail("base_url", "site %q has neither base_url nor start_urls", s.Name)
		}
		if s.BaseURL != "" {
			if err := checkURL(s.BaseURL); err != nil {
				return fail("base_url", "%v", err)
			}
		}
		for j, u := range s.StartURLs {
			if err := checkURL(u); err != nil {
				return fail(fmt.Sprintf("start_urls[%d]", j), "%v", err)
			}
		}
		if len(s.StartURLs) == 0 {
			s.StartURLs = []string{s.BaseURL}
		}
		if s.BaseURL == "" {
			s.BaseURL = s.StartURLs[0]
		}
		if s.Discovery != "" && !contains(discoveryModes, s.Discovery) {
			return fail("discovery", "%q is not a discovery mode (want one of %s)", s.Discovery, strings.Join(discoveryModes, ", "))
		}
		var err error
		if s.ArticlePattern != "" {
			if s.articleRE, err = regexp.Compile(s.ArticlePattern); err != nil {
				return fail("article_pattern", "bad regular expression: %v", err)
			}
		}
		if s.ListingPattern != "" {
			if s.listingRE, err = regexp.Compile(s.ListingPattern); err != nil {
				return fail("listing_pattern", "bad regular expression: %v", err)
			}
		}
		if s.Schedule != "" {
			if _, err := cron.ParseStandard(s.Schedule); err != nil {
				return fail("schedule", "bad cron expression %q: %v", s.Schedule, err)
			}
		}
		if s.Timezone == "" {
			s.Timezone = DefaultTimezone
		}
		if s.location, err = time.LoadLocation(s.Timezone); err != nil {
			return fail("timezone", "unknown time zone %q", s.Timezone)
		}
		for _, d := range []struct {
			key string
			err error
		}{{"delay", s.Delay.check()}, {"timeout", s.Timeout.check()}, {"max_page_bytes", s.MaxPageBytes.check()}, {"requisite_max_age", s.RequisiteMaxAge.check()}, {"max_crawl_delay", s.MaxCrawlDelay.check()}} {
			if d.err != nil {
				return fail(d.key, "%v", d.err)
			}
		}
		if s.Delay.d == 0 && line(fmt.Sprintf("$.sites[%d].delay", i)) == 0 {
			// Only an absent delay gets the default: "delay: 0s" is a choice.
			s.Delay.d = DefaultDelay
		}
		if s.Concurrency < 0 || s.Concurrency > MaxConcurrency {
			return fail("concurrency", "%d is out of range (0 to %d; 0 means the default)", s.Concurrency, MaxConcurrency)
		}
		if s.MaxPageBytes.n > MaxPageBytes {
			return fail("max_page_bytes", "%d bytes is more than a page may be (at most 1GB)", s.MaxPageBytes.n)
		}
		if s.MaxPages < 0 {
			return fail("max_pages", "%d is negative (0 means no limit)", s.MaxPages)
		}
		if s.MaxListingDepth < 0 {
			return fail("max_listing_depth", "%d is negative (0 means the default)", s.MaxListingDepth)
		}
		if s.MaxBarrenListings < 0 {
			return fail("max_barren_listings", "%d is negative (0 means the default)", s.MaxBarrenListings)
		}
		if s.MaxHostFailures < 0 {
			return fail("max_host_failures", "%d is negative (0 means the default)", s.MaxHostFailures)
		}
		for j, h := range s.ImageHosts {
			if err := checkHost(h); err != nil {
				return fail(fmt.Sprintf("image_hosts[%d]", j), "%v", err)
			}
		}
		if s.Language == "" {
			s.Language = "id"
		}
		if s.Extract != nil {
			if err := checkSelectors(s.Extract); err != nil {
				return fail("extract", "%v", err)
			}
		}
	}
	return nil
}

// checkSelectors compiles every selector of a profile so that a typo is a
// config error, not a silently empty field.
func checkSelectors(r *extract.Rules) error {
	fields := []struct{ key, sel string }{
		{"title", r.Title}, {"body", r.Body}, {"published", r.Published},
		{"modified", r.Modified}, {"author", r.Author}, {"gallery", r.Gallery},
		{"categories", r.Categories}, {"tags", r.Tags},
	}
	for i, sel := range r.Remove {
		fields = append(fields, struct{ key, sel string }{fmt.Sprintf("remove[%d]", i), sel})
	}
	for _, f := range fields {
		if f.sel == "" {
			continue
		}
		if _, err := cascadia.ParseGroup(f.sel); err != nil {
			return fmt.Errorf("%s: bad CSS selector %q: %v", f.key, f.sel, err)
		}
	}
	return nil
}

func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q is not a URL: %v", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL with a host", raw)
	}
	return nil
}

// checkHost accepts a host name or IP address, with an optional port:
// what image_hosts lists. A URL, a path or a wildcard is an error, so that
// a typo does not silently let images from nowhere (or everywhere) in.
func checkHost(h string) error {
	u, err := url.Parse("http://" + h + "/")
	if err != nil || h == "" || u.Host != h || u.User != nil || u.Hostname() == "" {
		return fmt.Errorf("%q is not a host (want a name such as cdn.example.org, optionally with :port)", h)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("%q: port %q is not 1-65535", h, p)
		}
	}
	name := u.Hostname()
	if strings.Contains(u.Host, "[") {
		if _, err := netip.ParseAddr(name); err != nil {
			return fmt.Errorf("%q: %q is not an IPv6 address", h, name)
		}
		return nil
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return fmt.Errorf("%q: %q is not a host name (letters, digits, - and . only)", h, name)
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
