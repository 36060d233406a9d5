package backfill

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Identity decides which captured URLs are a site's articles and which of
// them are one article. Archives keep a page under every URL it was ever
// reached by: http and https, with and without www., with a trailing
// slash or not, with ?utm_ tracking parameters. All of those are one
// article, named by its preferred URL: the scheme and host of the site's
// base URL, in the form the article pattern accepts.
type Identity struct {
	base    *url.URL
	hosts   []string // lower case, without www.
	pattern *regexp.Regexp
}

// NewIdentity returns the identity rules of a site whose home is baseURL,
// whose pages live on hosts, and whose articles match pattern (nil: every
// HTML page of the hosts may be an article).
func NewIdentity(baseURL string, hosts []string, pattern *regexp.Regexp) (*Identity, error) {
	base, err := url.Parse(baseURL)
	if err != nil || base.Host == "" {
		return nil, fmt.Errorf("backfill: base url %q: not an absolute URL", baseURL)
	}
	id := &Identity{base: base, pattern: pattern}
	for _, h := range append([]string{base.Hostname()}, hosts...) {
		h = bareHost(h)
		if h != "" && !slices.Contains(id.hosts, h) {
			id.hosts = append(id.hosts, h)
		}
	}
	return id, nil
}

// Hosts returns the site's hosts without www., the base URL's first.
func (id *Identity) Hosts() []string { return slices.Clone(id.hosts) }

// bareHost lower-cases a host name and drops its port and a leading www.
func bareHost(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.Contains(h[i:], "]") {
		h = h[:i]
	}
	return strings.TrimPrefix(h, "www.")
}

// Key returns the identity of raw: host without www., path without a
// trailing slash, query without utm_ parameters; "" when raw is not an
// http(s) URL of the site.
func (id *Identity) Key(raw string) string {
	u, ok := id.parse(raw)
	if !ok {
		return ""
	}
	return bareHost(u.Host) + strings.TrimSuffix(u.EscapedPath(), "/") + queryPart(u)
}

// Article returns the preferred URL of the article at raw, and false when
// raw is not an article of the site (another host, or no form of it
// matches the article pattern).
func (id *Identity) Article(raw string) (string, bool) {
	u, ok := id.parse(raw)
	if !ok {
		return "", false
	}
	host := u.Host
	if bareHost(host) == bareHost(id.base.Host) {
		host = id.base.Host
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	forms := []string{path}
	if p := strings.TrimSuffix(path, "/"); p != path && p != "" {
		forms = append(forms, p)
	} else if p == path {
		forms = append(forms, path+"/")
	}
	q := queryPart(u)
	for _, p := range forms {
		cand := id.base.Scheme + "://" + host + p + q
		if id.pattern == nil || id.pattern.MatchString(cand) {
			return cand, true
		}
	}
	return "", false
}

// parse parses raw and checks that it is an http(s) URL on a site host.
func (id *Identity) parse(raw string) (*url.URL, bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, false
	}
	if !slices.Contains(id.hosts, bareHost(u.Host)) {
		return nil, false
	}
	u.Fragment = ""
	return u, true
}

// queryPart returns "?query" without utm_ parameters, sorted, or "".
func queryPart(u *url.URL) string {
	if u.RawQuery == "" {
		return ""
	}
	var keep []string
	for _, kv := range strings.Split(u.RawQuery, "&") {
		name, _, _ := strings.Cut(kv, "=")
		if kv == "" || strings.HasPrefix(strings.ToLower(name), "utm_") {
			continue
		}
		keep = append(keep, kv)
	}
	if len(keep) == 0 {
		return ""
	}
	slices.Sort(keep)
	return "?" + strings.Join(keep, "&")
}
