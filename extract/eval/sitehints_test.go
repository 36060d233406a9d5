package eval

import (
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/warta-id/warta/extract"
)

// pageSiteRE finds the URL a page names itself by, for pages whose truth
// has none.
var pageSiteRE = regexp.MustCompile(`(?i)<(?:link[^>]+rel=["']?canonical["']?[^>]+href|meta[^>]+property=["']og:url["'][^>]+content)=["']([^"']+)`)

// siteOf returns the host a corpus page belongs to: its URL's (the
// original site's for a Wayback capture), else the one its canonical
// link or og:url names, "" when none.
func siteOf(p Page) string {
	u := p.URL
	if i := strings.Index(u, "archive.org/web/"); i >= 0 {
		if j := strings.Index(u[i:], "/http"); j >= 0 {
			u = u[i+j+1:]
		}
	}
	if u == "" {
		head := p.HTML[:min(len(p.HTML), 64<<10)]
		if m := pageSiteRE.FindSubmatch(head); m != nil {
			u = string(m[1])
		}
	}
	pu, err := url.Parse(strings.TrimSpace(u))
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(pu.Hostname()), "www.")
}

// TestSiteHintsCorpus measures cross-page boilerplate where a corpus has
// many pages of one site: the pages are grouped by site, each group is
// learned (extract.SiteLearner) and extracted again with its hints, as
// `warta reextract` does, and F1 and exact titles are compared with the
// plain extraction, per site with at least extract.HintMinPages pages.
//
// F1 alone would mislead: some truths keep a site's chrome (dragnet's
// runs "up to the comments", so it holds the comment guidelines every
// page prints). So each paragraph the hints drop is looked up in the
// group's truths: in none, it was chrome; in HintMinRepeats or more, it
// is chrome the truth keeps; in one to a few, it was an article's own
// text, and the test fails.
func TestSiteHintsCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus-wide hint measurement skipped in -short mode")
	}
	type group struct {
		name  string
		pages []Page
	}
	for _, folder := range []string{"cleanportaleval-dev", "dragnet-dev", "l3s-gn1-dev", "utomo-big9-dev", "fundus-all-dev", "zyte-dev"} {
		t.Run(folder, func(t *testing.T) {
			pages, err := Load(corpusDir(t, folder))
			if err != nil {
				t.Fatal(err)
			}
			by := map[string][]Page{}
			for _, p := range pages {
				if s := siteOf(p); s != "" {
					by[s] = append(by[s], p)
				}
			}
			var groups []group
			for s, ps := range by {
				if len(ps) >= extract.HintMinPages {
					groups = append(groups, group{s, ps})
				}
			}
			sort.Slice(groups, func(i, j int) bool { return groups[i].name < groups[j].name })
			for _, g := range groups {
				l := extract.NewSiteLearner()
				plain := make([]*extract.Article, len(g.pages))
				for i, p := range g.pages {
					a, err := extract.Extract(p.HTML, p.URL, extract.Options{Site: "corpus"})
					if err == nil {
						if a.ID == "" || p.URL == "" {
							a.ID = p.Key // pages without a URL: one id each
						}
						plain[i] = a
						l.Learn(a)
					}
				}
				h := l.Hints()
				var titles0, titles1, dropped, inNone, inMany int
				titled := func(i int, a *extract.Article) bool {
					want := strings.Join(strings.Fields(g.pages[i].Title), " ")
					return a != nil && want != "" && a.Title == want
				}
				before, after := make([]string, len(g.pages)), make([]string, len(g.pages))
				for i, p := range g.pages {
					a, err := extract.Extract(p.HTML, p.URL, extract.Options{Site: "corpus", Hints: h})
					if err != nil {
						a = nil
					}
					if plain[i] != nil {
						before[i] = plain[i].Body
					}
					if a != nil {
						after[i] = a.Body
					}
					if titled(i, plain[i]) {
						titles0++
					}
					if titled(i, a) {
						titles1++
					}
					kept := map[string]bool{}
					for _, q := range strings.Split(after[i], "\n\n") {
						kept[q] = true
					}
					for _, q := range strings.Split(before[i], "\n\n") {
						if q == "" || kept[q] {
							continue
						}
						dropped++
						n := 0
						for _, o := range g.pages {
							if strings.Contains(strings.Join(strings.Fields(o.Body), " "), q) {
								n++
							}
						}
						switch {
						case n == 0:
							inNone++
						case n >= extract.HintMinRepeats:
							inMany++
						default:
							t.Errorf("%s %s: hints dropped %.80q, which %d truths hold as article text", g.name, p.Key, q, n)
						}
					}
				}
				f0, f1 := Score(g.pages, replay(before)).F1, Score(g.pages, replay(after)).F1
				t.Logf("%-22s %3d pages, %2d hints: F1 %.3f -> %.3f; %3d paragraphs dropped (%d in no truth, %d in %d+ truths); titles exact %d -> %d",
					g.name, len(g.pages), h.Len(), f0, f1, dropped, inNone, inMany, extract.HintMinRepeats, titles0, titles1)
			}
		})
	}
}

// replay is an Extractor that returns bodies in turn: Score calls it on
// its pages in order.
func replay(bodies []string) Extractor {
	i := 0
	return func([]byte, string) (string, error) {
		i++
		return bodies[i-1], nil
	}
}
