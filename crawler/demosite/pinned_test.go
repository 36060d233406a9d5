package demosite

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// pinnedLink finds the site's own URLs in a page, HTML or JSON.
var pinnedLink = regexp.MustCompile(`http://` + regexp.QuoteMeta(testHost) + `[^"'<>\s\\]*`)

// TestOutputPinned pins every byte the site serves: it walks a site from
// its home page, robots.txt, feed, sitemaps and API through every link to
// its own host (articles, listings, archives, images, shortlinks, 404s),
// and hashes each response's status, headers and body. The pages are
// golden data for the crawler's and extractor's tests, so making the site
// cheaper must leave the digest as it is; it changes only with the site.
func TestOutputPinned(t *testing.T) {
	for _, tc := range []struct {
		opt    Options
		digest string
	}{
		{Options{Seed: 1, Articles: 60}, "af09128dc79f7975f27b788f0b61025ea4e4d73fc28e430f81c7772e304a9292"},
		{Options{Seed: 7, Articles: 25, CrawlDelay: 2e9}, "081433af53429864a7cb27bc4f8daaa3609463f7537d98fac50dda701e8ab2f4"},
	} {
		s := New(tc.opt)
		queue := []string{"/", "/robots.txt", "/feed/", "/wp-sitemap.xml", "/wp-json/", "/wp-json/wp/v2/posts?per_page=100",
			"/?rest_route=/wp/v2/posts&page=2&per_page=10", "/?p=3", "/tidak-ada/"}
		seen := map[string]bool{}
		for _, p := range queue {
			seen[p] = true
		}
		h := sha256.New()
		pages := 0
		for len(queue) > 0 && pages < 2000 {
			p := queue[0]
			queue = queue[1:]
			rec := serve(s, p)
			pages++
			fmt.Fprintf(h, "%s %d\n", p, rec.Code)
			keys := make([]string, 0, len(rec.Header()))
			for k := range rec.Header() {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				fmt.Fprintf(h, "%s: %q\n", k, rec.Header()[k])
			}
			body := rec.Body.String()
			fmt.Fprintf(h, "%d\n%s\n", len(body), body)
			var found []string
			for _, u := range pinnedLink.FindAllString(body+" "+rec.Header().Get("Location"), -1) {
				u = strings.TrimPrefix(u, "http://"+testHost)
				if i := strings.IndexByte(u, '#'); i >= 0 {
					u = u[:i]
				}
				if u != "" && !seen[u] {
					seen[u] = true
					found = append(found, u)
				}
			}
			slices.Sort(found)
			queue = append(queue, found...)
		}
		got := hex.EncodeToString(h.Sum(nil))
		if got != tc.digest {
			t.Errorf("site %+v: %d responses digest to %s, want %s", tc.opt, pages, got, tc.digest)
		}
	}
}
