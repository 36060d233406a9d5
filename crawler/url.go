package crawler

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"
	"sync"
)

// trackingParams are query parameters that only say where a reader came
// from. They are dropped so that one article is one URL.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "gclsrc": true, "dclid": true, "msclkid": true,
	"yclid": true, "igshid": true, "mc_cid": true, "mc_eid": true, "_ga": true,
	"_gl": true, "_hsenc": true, "_hsmi": true, "mkt_tok": true, "wt_mc": true,
	"replytocom": true,
	// Jetpack's share buttons (?share=twitter&nb=1) redirect to the share
	// service; every article page links to several of them.
	"share": true, "nb": true,
}

// isTracking reports whether a query parameter name is a tracking one.
func isTracking(name string) bool {
	n := strings.TrimPrefix(strings.ToLower(name), "amp;") // from "&amp;amp;" in hand-written links
	return strings.HasPrefix(n, "utm_") || trackingParams[n]
}

// sessionParams are the session ids of common server stacks besides those
// with "sess" in their name (PHPSESSID, jsessionid, ASPSESSIONID...).
var sessionParams = map[string]bool{"cfid": true, "cftoken": true, "oscsid": true, "zenid": true}

// sessionToken matches a value that can only be a session id: long, and
// letters and digits only. "sid" is a story id in PHP-Nuke and a session
// id elsewhere; the value tells which.
var sessionToken = regexp.MustCompile(`^[A-Za-z0-9]{16,}$`)

// isSession reports whether a query parameter is a session id: it makes
// one page a new URL per visitor (a crawler trap) and names no content.
func isSession(name string, values []string) bool {
	n := strings.ToLower(name)
	if strings.Contains(n, "sess") || sessionParams[n] {
		return true
	}
	return (n == "sid" || n == "s_id") && len(values) > 0 && sessionToken.MatchString(values[0])
}

// pathSession matches a session id carried in the path, as Java servers
// do: /berita;jsessionid=0A1B2C.
var pathSession = regexp.MustCompile(`(?i);(jsessionid|phpsessid|sid|sessionid)=[^/;]*`)

// Normalize returns the form of raw that warta uses as a page's identity:
// scheme and host lower-cased, the default port dropped, the fragment,
// tracking parameters (utm_*, fbclid, gclid and the like) and session ids
// (PHPSESSID, ;jsessionid=) removed, dot
// segments resolved, an empty path made "/", and the remaining query
// parameters sorted. Only http and https URLs are accepted.
func Normalize(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("crawler: parse url %q: %w", raw, err)
	}
	return normalizeURL(u)
}

func normalizeURL(u *url.URL) (string, error) {
	v := *u
	v.Scheme = strings.ToLower(v.Scheme)
	if v.Scheme != "http" && v.Scheme != "https" {
		return "", fmt.Errorf("crawler: url %q: scheme %q is not http or https", u.String(), v.Scheme)
	}
	if v.Host == "" {
		return "", fmt.Errorf("crawler: url %q has no host", u.String())
	}
	v.User = nil
	v.Fragment = ""
	v.RawFragment = ""
	v.Host = strings.ToLower(v.Host)
	if h, p := splitPort(v.Host); (p == "80" && v.Scheme == "http") || (p == "443" && v.Scheme == "https") {
		v.Host = h
	} else if p == "" {
		v.Host = strings.TrimSuffix(v.Host, ":")
	}
	if v.Host == "" || strings.HasPrefix(v.Host, ":") {
		return "", fmt.Errorf("crawler: url %q has no host", u.String())
	}
	if strings.Contains(v.Path, ";") && pathSession.MatchString(v.Path) {
		v.Path = pathSession.ReplaceAllString(v.Path, "")
		v.RawPath = ""
	}
	if v.Path == "" {
		v.Path = "/"
		v.RawPath = ""
	} else if strings.Contains(v.Path, "/.") {
		clean := path.Clean(v.Path)
		if strings.HasSuffix(v.Path, "/") && clean != "/" {
			clean += "/"
		}
		v.Path = clean
		v.RawPath = ""
	}
	if v.RawQuery != "" {
		q, err := url.ParseQuery(v.RawQuery)
		if err == nil {
			for k, vs := range q {
				if isTracking(k) || isSession(k, vs) {
					delete(q, k)
				}
			}
			v.RawQuery = q.Encode()
		}
	}
	v.ForceQuery = false
	return v.String(), nil
}

// splitPort splits "host:port" into host and port; the port is empty when
// there is none (IPv6 literals keep their brackets).
func splitPort(hostport string) (host, port string) {
	i := strings.LastIndexByte(hostport, ':')
	if i < 0 || strings.HasSuffix(hostport, "]") {
		return hostport, ""
	}
	return hostport[:i], hostport[i+1:]
}

// notFollowed are the schemes of links that lead to no page, in lower case.
var notFollowed = []string{"javascript:", "mailto:", "tel:", "data:", "whatsapp:", "sms:"}

// resolve returns the normalized absolute form of href as found on the page
// at base, or "" when href is not a link warta could follow.
func resolve(base *url.URL, href string) string {
	if n, ok := plainHref(href); ok {
		return n
	}
	return resolveParsed(base, href)
}

// resolveParsed is resolve by parsing, resolving and normalizing href.
func resolveParsed(base *url.URL, href string) string {
	href = strings.TrimSpace(href)
	if href == "" || strings.HasPrefix(href, "#") {
		return ""
	}
	for _, p := range notFollowed {
		if len(href) >= len(p) && strings.EqualFold(href[:len(p)], p) {
			return ""
		}
	}
	ref, err := url.Parse(href)
	if err != nil {
		return ""
	}
	n, err := normalizeURL(base.ResolveReference(ref))
	if err != nil {
		return ""
	}
	return n
}

// plainHref returns href without its fragment, and true, when href is an
// absolute URL already in the form Normalize gives it, so that resolving
// it against any page gives that back: http or https, a lower-case host
// of letters, digits, dots and hyphens with a port other than the
// scheme's own, a path of letters, digits and "-._~/" with no dot
// segment nor empty segment, no query, and a fragment (dropped) of the
// same characters. Most links of a WordPress page are such; parsing,
// resolving and normalizing each was most of what discovery cost
// (FuzzPlainHref holds the two ways to the same answers).
func plainHref(href string) (string, bool) {
	var rest, defPort string
	switch {
	case strings.HasPrefix(href, "https://"):
		rest, defPort = href[len("https://"):], "443"
	case strings.HasPrefix(href, "http://"):
		rest, defPort = href[len("http://"):], "80"
	default:
		return "", false
	}
	slash := strings.IndexByte(rest, '/')
	if slash <= 0 {
		return "", false
	}
	host, port, hasPort := strings.Cut(rest[:slash], ":")
	if host == "" || (hasPort && (port == "" || port == defPort)) {
		return "", false
	}
	for i := 0; i < len(host); i++ {
		if c := host[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '-') {
			return "", false
		}
	}
	for i := 0; i < len(port); i++ {
		if c := port[i]; c < '0' || c > '9' {
			return "", false
		}
	}
	end := len(href)
	path := rest[slash:]
	if i := strings.IndexByte(path, '#'); i >= 0 {
		if !plainChars(path[i+1:], false) {
			return "", false
		}
		end -= len(path) - i
		path = path[:i]
	}
	if !plainChars(path, true) || strings.Contains(path, "/.") || strings.Contains(path, "//") {
		return "", false
	}
	return href[:end], true
}

// plainChars reports whether s holds only letters, digits and "-._~",
// and "/" when slash is set.
func plainChars(s string, slash bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' || slash && c == '/') {
			return false
		}
	}
	return true
}

// memo remembers up to maxMemo values of a function, for a run's link
// handling: the menus, footers and related-article lists of a site repeat
// on every page. When full it starts again empty.
type memo[K comparable, V any] struct {
	mu sync.RWMutex
	m  map[K]V
}

// maxMemo bounds a memo.
const maxMemo = 4096

// get returns the value remembered for k, or remembers and returns
// find's.
func (c *memo[K, V]) get(k K, find func() V) V {
	c.mu.RLock()
	v, ok := c.m[k]
	c.mu.RUnlock()
	if ok {
		return v
	}
	v = find()
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxMemo {
		c.m = make(map[K]V, 256)
	}
	c.m[k] = v
	c.mu.Unlock()
	return v
}

// linkCache remembers what the hrefs of a run's pages resolved to, where
// plainHref does not tell at once: resolving a link (a parse, a
// resolution, a normalization) was most of what the crawler's link
// handling allocated. Only hrefs whose resolution depends on nothing but
// the base's scheme and host are kept: absolute URLs and absolute paths.
type linkCache struct{ memo[linkKey, string] }

type linkKey struct{ scheme, host, href string }

// resolve is resolve(base, href), remembered.
func (c *linkCache) resolve(base *url.URL, href string) string {
	if n, ok := plainHref(href); ok {
		return n
	}
	if !strings.HasPrefix(href, "/") && !strings.HasPrefix(href, "https://") && !strings.HasPrefix(href, "http://") {
		return resolveParsed(base, href)
	}
	return c.get(linkKey{base.Scheme, base.Host, href}, func() string { return resolveParsed(base, href) })
}

// linkTarget is what the crawl makes of a normalized URL found as a link:
// the URL parsed (nil when it does not parse), whether it is in the
// crawl's scope, and its Kind by classify (only in scope). Its URL is
// shared: nobody may change it.
type linkTarget struct {
	u       *url.URL
	inScope bool
	kind    Kind
}

// scope decides which hosts a crawl may visit.
type scope struct {
	hosts map[string]bool // "host:port" entries and bare host names
}

func newScope(hosts []string) scope {
	s := scope{hosts: map[string]bool{}}
	for _, h := range hosts {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "" {
			continue
		}
		if u, err := url.Parse(h); err == nil && u.Host != "" {
			h = u.Host // a URL given where a host was meant
		}
		s.hosts[h] = true
	}
	return s
}

// allows reports whether the normalized URL u is on an allowed host. An
// allowed host without a port allows every port of that host.
func (s scope) allows(u *url.URL) bool {
	host := strings.ToLower(u.Host)
	if s.hosts[host] {
		return true
	}
	h, p := splitPort(host)
	return p != "" && s.hosts[h]
}
