package crawler

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/warta-id/warta/crawler/demosite"
)

// demoArticles is the size of the demo site in the incremental tests: the
// 2,000 articles of issue 4 for the default discovery, 400 for the others
// (which keeps `go test -race ./crawler/` near half a minute on 2 cores),
// 300 with -short.
func demoArticles(mode string) int {
	switch {
	case testing.Short():
		return 300
	case mode == DiscoveryAuto:
		return 2000
	}
	return 400
}

var demoPattern = regexp.MustCompile(`^http://127\.0\.0\.1:\d+/baca/[^/?#]+$`)

// TestDemoIncremental crawls the demo site three times per discovery mode:
// a first full run that must find every article once, a second run against
// the unchanged site that may fetch at most 2% of the articles with a full
// response, and a run after 10 edits and 10 new articles that must hand
// over exactly those 20.
func TestDemoIncremental(t *testing.T) {
	modes := []struct {
		mode string
		want string // Summary.Discovery
	}{
		{DiscoveryAuto, "wordpress"},
		{DiscoverySitemap, "sitemap"},
		{DiscoveryListing, "listing"},
	}
	for _, m := range modes {
		t.Run(m.mode, func(t *testing.T) {
			n := demoArticles(m.mode)
			site := demosite.New(demosite.Options{Articles: n, Seed: 7})
			base, stop, err := demosite.Start(t.Context(), "", site)
			if err != nil {
				t.Fatal(err)
			}
			defer stop(t.Context())
			opt := Options{
				Site:           "demo",
				StartURLs:      []string{base + "/"},
				Discovery:      m.mode,
				ArticlePattern: demoPattern,
				Concurrency:    4,
				StatePath:      filepath.Join(t.TempDir(), "state.db"),
			}

			// Run 1: everything, once.
			got, sum := mustRun(t, opt)
			var want []string
			for _, a := range site.Truth() {
				want = append(want, base+a.Path)
			}
			slices.Sort(want)
			if diff := cmp.Diff(want, got.urls(KindArticle)); diff != "" {
				t.Fatalf("run 1: articles handed over (-want +got):\n%s", diff)
			}
			if sum.Discovery != m.want {
				t.Errorf("run 1: Summary.Discovery = %q, want %q", sum.Discovery, m.want)
			}
			if st := site.Stats(); st.ByKindStatus["article"][200] != n {
				t.Errorf("run 1: full article fetches = %d, want %d", st.ByKindStatus["article"][200], n)
			}
			if sum.ErrorCount != 0 {
				t.Errorf("run 1: errors = %d (%v), want 0", sum.ErrorCount, sum.Errors)
			}

			// Run 2: nothing changed.
			site.ResetStats()
			got, sum = mustRun(t, opt)
			full := site.Stats().ByKindStatus["article"][200]
			t.Logf("run 2 (%s): %d full article fetches of %d, %d not modified, %d unchanged, %d requests",
				m.mode, full, n, sum.NotModified, sum.Unchanged, site.Stats().Total)
			if full > n*2/100 {
				t.Errorf("run 2: full article fetches = %d, want at most %d (2%%)", full, n*2/100)
			}
			if a := got.urls(KindArticle); len(a) != 0 {
				t.Errorf("run 2: %d articles handed over again (%v...), want 0", len(a), a[:min(len(a), 3)])
			}

			// Run 3: 10 edited and 10 new articles, exactly those.
			changed := append(site.Edit(10), site.Add(10)...)
			want = want[:0]
			for _, p := range changed {
				want = append(want, base+p)
			}
			slices.Sort(want)
			site.ResetStats()
			got, _ = mustRun(t, opt)
			if diff := cmp.Diff(want, got.urls(KindArticle)); diff != "" {
				t.Errorf("run 3: articles handed over after Edit(10)+Add(10) (-want +got):\n%s", diff)
			}
			t.Logf("run 3 (%s): %s", m.mode, fmt.Sprint(site.Stats().ByKind))
		})
	}
}
