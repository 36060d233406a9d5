package crawler

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
)

// Bounds of what a site may keep in a crawl's cookie jar, those that RFC
// 6265 asks a browser to support at least: 50 cookies per host, 4096
// bytes each.
const (
	maxCookiesPerHost = 50
	maxCookieBytes    = 4096
)

// cookieJar is a cookie jar that keeps at most maxCookiesPerHost cookies
// of at most maxCookieBytes for each host. The standard jar keeps every
// cookie a site sets and sends them all back: a site that sets thousands
// of new ones on every page made each request of the crawl slower than
// the last (22 pages took 75 s) and its memory grow without bound.
type cookieJar struct {
	jar *cookiejar.Jar

	mu    sync.Mutex
	names map[string]map[string]bool // host -> names of the cookies kept
}

func newCookieJar() *cookieJar {
	jar, _ := cookiejar.New(nil) // fails only on a bad PublicSuffixList
	return &cookieJar{jar: jar, names: map[string]map[string]bool{}}
}

// SetCookies keeps those of cookies that fit within the bounds.
func (j *cookieJar) SetCookies(u *url.URL, cookies []*http.Cookie) {
	host := strings.ToLower(u.Host)
	j.mu.Lock()
	names := j.names[host]
	if names == nil {
		names = map[string]bool{}
		j.names[host] = names
	}
	kept := cookies[:0:0]
	for _, c := range cookies {
		switch {
		case c.MaxAge < 0:
			delete(names, c.Name) // a deletion always passes
		case len(c.Name)+len(c.Value) > maxCookieBytes:
			continue
		case !names[c.Name] && len(names) >= maxCookiesPerHost:
			continue
		default:
			names[c.Name] = true
		}
		kept = append(kept, c)
	}
	j.mu.Unlock()
	if len(kept) > 0 {
		j.jar.SetCookies(u, kept)
	}
}

// Cookies returns the cookies to send to u.
func (j *cookieJar) Cookies(u *url.URL) []*http.Cookie { return j.jar.Cookies(u) }
