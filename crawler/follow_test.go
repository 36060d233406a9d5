package crawler

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestFollowImages checks that URLs a Handler puts in Page.Follow (an
// article's gallery) are fetched once and handed over as images, on
// another host too, with robots.txt still obeyed there.
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

	site := newFixture()
	site.page("/{$}", htmlPage("home", `<a href="/baca/satu">satu</a> <a href="/baca/dua">dua</a>`))
	site.page("/baca/satu", htmlPage("Satu", "SAWAHLUNTO – Satu."))
	site.page("/baca/dua", htmlPage("Dua", "SAWAHLUNTO – Dua."))
	siteURL := serve(t, site)

	gallery := map[string][]string{
		siteURL + "baca/satu": {cdnURL + "img/a.jpg", cdnURL + "img/b.jpg#x", cdnURL + "private/c.jpg"},
		siteURL + "baca/dua":  {cdnURL + "img/a.jpg", "not a url"},
	}
	got := &collect{}
	h := HandlerFunc(func(ctx context.Context, p *Page) error {
		if p.Kind == KindArticle {
			p.Follow = gallery[p.URL]
		}
		return got.HandlePage(ctx, p)
	})
	c, err := New(Options{StartURLs: []string{siteURL}, Discovery: DiscoveryListing, ArticlePattern: regexp.MustCompile(`/baca/`)})
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
	if n := cdn.count("/private/c.jpg"); n != 0 {
		t.Errorf("an image robots.txt disallows was fetched %d times, want none", n)
	}
}
