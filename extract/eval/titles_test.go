package eval

import (
	"strings"
	"testing"
	"unicode"

	"github.com/warta-id/warta/extract"
)

// titleFloors are the shares of titles warta must keep right on each
// folder whose truth has titles, exact (white space normalized) and
// matching (after what truth sources disagree on, see titleKey), and the
// most empty titles it may give. id-news-dev is the Indonesian folder the
// issue's target (97%) is set on; the others, a page or two under what
// warta reached, guard against regressions (truth conventions differ:
// l3s keeps subtitles, readability-news-dev site names).
var titleFloors = map[string]struct {
	exact, match float64
	empty        int
}{
	"id-news-dev":          {0.97, 0.97, 0},
	"fundus-all-dev":       {0.81, 0.84, 0},
	"l3s-gn1-dev":          {0.71, 0.73, 6},
	"utomo-big9-dev":       {0.95, 0.95, 0},
	"cleanportaleval-dev":  {0.89, 0.97, 0},
	"readability-news-dev": {0.76, 0.80, 0},
}

// titleVerdict says how an extracted title stands to the truth's.
type titleVerdict int

const (
	titleExact titleVerdict = iota // equal, white space normalized
	titleMatch                     // equal after sameTitle's normalization
	titleEmpty                     // nothing extracted
	titleAffix                     // one begins or ends the other: a glued subtitle, a kept site name
	titleWrong                     // anything else: another text chosen
)

// verdict compares title got with the truth's want.
func verdict(got, want string) titleVerdict {
	got, want = strings.Join(strings.Fields(got), " "), strings.Join(strings.Fields(want), " ")
	g, w := titleKey(got, want), titleKey(want, want)
	switch {
	case got == want:
		return titleExact
	case g == w:
		return titleMatch
	case got == "":
		return titleEmpty
	case strings.HasPrefix(w, g) || strings.HasSuffix(w, g) || strings.HasPrefix(g, w) || strings.HasSuffix(g, w):
		return titleAffix
	}
	return titleWrong
}

// titleKey normalizes what truth sources disagree on: curly or straight
// quotes and apostrophes, dash kinds, white space, case when the truth
// (want) is all capitals, and any character beyond ASCII when the truth
// has question marks (l3s truth was saved as ASCII, each other character
// a "?").
func titleKey(s, want string) string {
	if strings.Contains(want, "?") {
		s = strings.Map(func(r rune) rune {
			if r > unicode.MaxASCII {
				return '?'
			}
			return r
		}, s)
	}
	s = titleQuotes.Replace(s)
	s = strings.Join(strings.Fields(s), " ")
	if isUpper(want) {
		s = strings.ToUpper(s)
	}
	return s
}

// titleQuotes maps typographic quotes, dashes and spaces to ASCII.
var titleQuotes = strings.NewReplacer(
	"‘", "'", "’", "'", "‚", "'", "‛", "'", "′", "'", "`", "'", "´", "'",
	"“", "\"", "”", "\"", "„", "\"", "‟", "\"", "«", "\"", "»", "\"", "″", "\"",
	"–", "-", "—", "-", "‒", "-", "―", "-", "‐", "-", "‑", "-", "−", "-",
	"\u00a0", " ", "…", "...",
)

// isUpper reports whether s has letters and none of them is lower case.
func isUpper(s string) bool {
	letters := false
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		letters = letters || unicode.IsLetter(r)
	}
	return letters
}

// TestTitleVerdict checks the measure itself.
func TestTitleVerdict(t *testing.T) {
	tests := []struct {
		got, want string
		v         titleVerdict
	}{
		{"A  headline here", "A headline here", titleExact},
		{"Minister’s “plan” – approved", `Minister's "plan" - approved`, titleMatch},
		{"Floods Hit The Coast", "FLOODS HIT THE COAST", titleMatch},
		{"floods hit the coast", "Floods Hit The Coast", titleWrong},
		{"Benazir’s “death”", "Benazir?s ?death?", titleMatch},
		{"", "Floods hit the coast", titleEmpty},
		{"Floods hit the coast", "Floods hit the coast Thousands flee as rivers rise", titleAffix},
		{"Floods hit the coast", "Floods hit the coast - Daily Planet", titleAffix},
		{"Daily Planet", "Floods hit the coast", titleWrong},
	}
	for _, tt := range tests {
		if v := verdict(tt.got, tt.want); v != tt.v {
			t.Errorf("verdict(%q, %q) = %d, want %d", tt.got, tt.want, v, tt.v)
		}
	}
}

// TestTitles measures titles on every folder whose truth has them: exact
// (white space normalized), matching after what truth sources disagree on,
// empty, one an affix of the other, and wrong. It logs the misses (all
// but exact ones) and checks each folder's floors.
func TestTitles(t *testing.T) {
	names := []string{"exact", "match", "empty", "affix", "wrong"}
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
			var n int
			var count [5]int
			for _, p := range pages {
				if strings.TrimSpace(p.Title) == "" {
					continue
				}
				n++
				a, err := extract.Extract(p.HTML, p.URL, extract.Options{})
				got := ""
				if err == nil {
					got = a.Title
				}
				v := verdict(got, p.Title)
				count[v]++
				if v != titleExact && testing.Verbose() {
					t.Logf("%s: %s: title %q, want %q", p.Key, names[v], got, p.Title)
				}
			}
			exact := float64(count[titleExact]) / float64(max(n, 1))
			match := float64(count[titleExact]+count[titleMatch]) / float64(max(n, 1))
			t.Logf("%s: titles of %d: exact %d (%.3f), matching %d (%.3f), empty %d, affix %d, wrong %d",
				name, n, count[titleExact], exact, count[titleExact]+count[titleMatch], match, count[titleEmpty], count[titleAffix], count[titleWrong])
			if exact < floor.exact {
				t.Errorf("%s: titles exact %.3f, want at least %.3f", name, exact, floor.exact)
			}
			if match < floor.match {
				t.Errorf("%s: titles matching %.3f, want at least %.3f", name, match, floor.match)
			}
			if count[titleEmpty] > floor.empty {
				t.Errorf("%s: %d titles empty, want at most %d", name, count[titleEmpty], floor.empty)
			}
		})
	}
}
