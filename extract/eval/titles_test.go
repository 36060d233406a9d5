package eval

import (
	"strings"
	"testing"

	"github.com/warta-id/warta/extract"
)

// titleFloors are the shares of exact titles warta must keep on each
// folder whose truth has titles. id-news-dev is the Indonesian folder the
// issue's target (97%) is set on; the others, a point under what warta
// reached, guard against regressions (truth conventions differ: l3s keeps
// subtitles, readability-news-dev site names).
var titleFloors = map[string]float64{
	"id-news-dev":          0.97,
	"fundus-all-dev":       0.81,
	"l3s-gn1-dev":          0.62,
	"utomo-big9-dev":       0.87,
	"cleanportaleval-dev":  0.80,
	"readability-news-dev": 0.75,
}

// TestTitles measures exact titles (whitespace normalized) on every folder
// whose truth has them, logs the misses and checks each folder's floor.
func TestTitles(t *testing.T) {
	for _, name := range folders {
		floor, ok := titleFloors[name]
		if !ok {
			continue
		}
		t.Run(name, func(t *testing.T) {
			pages, err := Load(corpusDir(t, name))
			if err != nil {
				t.Fatal(err)
			}
			var n, exact int
			for _, p := range pages {
				want := strings.Join(strings.Fields(p.Title), " ")
				if want == "" {
					continue
				}
				n++
				a, err := extract.Extract(p.HTML, p.URL, extract.Options{})
				got := ""
				if err == nil {
					got = a.Title
				}
				if got == want {
					exact++
				} else if testing.Verbose() {
					t.Logf("%s: title %q, want %q", p.Key, got, want)
				}
			}
			share := float64(exact) / float64(max(n, 1))
			t.Logf("%s: titles exact %d/%d (%.3f)", name, exact, n, share)
			if share < floor {
				t.Errorf("%s: titles exact %.3f, want at least %.3f", name, share, floor)
			}
		})
	}
}
