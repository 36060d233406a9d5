package crawler

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestFollowImages checks that URLs a Handler puts in Page.Follow (an
// article's gallery) are fetched once and handed over as images, on an
// image host too, with robots.txt still obeyed there, and that images on
// other hosts, or with credentials, are not fetched.
func TestFollowImages(t *testing.T) {
	cdn := newFixture()
	cdn.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "User-agent: *\nDisallow: /private/\n")
	})
	cdn.HandleFunc("/img/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/jpeg")
		io.WriteString(w, "\xff\xd8\xff\xe0 jpeg of "+r.URL.Path)
	})
	cdnURL := serve(t, cdn)
	other := newFixture()
	other.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "secret") })
	otherURL := serve(t, other)

	site := newFixture()
	site.page("/{$}", htmlPage("home", `<a href="/baca/satu">satu</a> <a href="/baca/dua">dua</a>`))
	site.page("/baca/satu", htmlPage("Satu", "SAWAHLUNTO – Satu."))
	site.page("/baca/dua", htmlPage("Dua", "SAWAHLUNTO – Dua."))
	siteURL := serve(t, site)

	gallery := map[string][]string{
		siteURL + "baca/satu": {cdnURL + "img/a.jpg", cdnURL + "img/b.jpg#x", cdnURL + "private/c.jpg"},
		siteURL + "baca/dua": {cdnURL + "img/a.jpg", "not a url", otherURL + "admin.png",
			strings.Replace(cdnURL, "http://", "http://user:pw@", 1) + "img/d.jpg"},
	}
	got := &collect{}
	h := HandlerFunc(func(ctx context.Context, p *Page) error {
		if p.Kind == KindArticle {
			p.Follow = gallery[p.URL]
		}
		return got.HandlePage(ctx, p)
	})
	cdnHost := strings.TrimSuffix(strings.TrimPrefix(cdnURL, "http://"), "/")
	c, err := New(Options{StartURLs: []string{siteURL}, ImageHosts: []string{cdnHost}, Discovery: DiscoveryListing, ArticlePattern: regexp.MustCompile(`/baca/`)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Run(t.Context(), h); err != nil {
		t.Fatal(err)
	}
	want := []string{cdnURL + "img/a.jpg", cdnURL + "img/b.jpg"}
	if diff := cmp.Diff(want, got.urls(KindImage)); diff != "" {
		t.Errorf("images handed over (-want +got):\n%s", diff)
	}
	if n := cdn.count("/img/a.jpg"); n != 1 {
		t.Errorf("an image two articles share was fetched %d times, want once", n)
	}
	if hits := other.allHits(); len(hits) != 0 {
		t.Errorf("a host that is not an image host got %d requests, want none", len(hits))
	}
	if n := cdn.count("/img/d.jpg"); n != 0 {
		t.Errorf("an image url with credentials was fetched %d times, want none", n)
	}
	if n := cdn.count("/private/c.jpg"); n != 0 {
		t.Errorf("an image robots.txt disallows was fetched %d times, want none", n)
	}
}
