package eval

import (
	"strings"
	"testing"
	"time"

	"github.com/warta-id/warta/extract"
)

// TestIDNewsFields checks the fields beside the body that id-news-dev's
// truth gives: title, publication time (as an instant) and lead image.
func TestIDNewsFields(t *testing.T) {
	pages, err := Load(corpusDir(t, "id-news-dev"))
	if err != nil {
		t.Fatal(err)
	}
	var titles, dates, leads, n int
	for _, p := range pages {
		a, err := extract.Extract(p.HTML, p.URL, extract.Options{})
		if err != nil {
			t.Errorf("Extract(%s) error = %v", p.Key, err)
			continue
		}
		n++
		if a.Title == p.Title {
			titles++
		} else {
			t.Logf("Extract(%s).Title = %q, want %q", p.Key, a.Title, p.Title)
		}
		got, err1 := time.Parse(time.RFC3339, a.Published)
		want, err2 := time.Parse(time.RFC3339, p.Published)
		// Pages print minutes; the truth's seconds come from elsewhere.
		if d := got.Sub(want); err1 == nil && err2 == nil && d > -time.Minute && d < time.Minute {
			dates++
		} else {
			t.Logf("Extract(%s).Published = %q (%s), want %q", p.Key, a.Published, a.DateSource, p.Published)
		}
		if len(a.Images) > 0 && sameLead(a.Images[0].URL, p.LeadImage) {
			leads++
		} else {
			first := ""
			if len(a.Images) > 0 {
				first = a.Images[0].URL
			}
			t.Logf("Extract(%s).Images[0] = %q, want %q", p.Key, first, p.LeadImage)
		}
	}
	t.Logf("id-news-dev: titles %d/%d, published %d/%d, lead image %d/%d", titles, n, dates, n, leads, n)
	for _, f := range []struct {
		name string
		got  int
		want int
	}{
		{"titles", titles, n - 1},
		// kapanlagi prints no date at all; kompas only in its URL.
		{"published", dates, n - 3},
		{"lead images", leads, n - 1},
	} {
		if f.got < f.want {
			t.Errorf("id-news-dev %s right: %d of %d, want at least %d", f.name, f.got, n, f.want)
		}
	}
}

// sameLead compares image URLs without scheme differences.
func sameLead(a, b string) bool {
	trim := func(s string) string {
		s = strings.TrimPrefix(strings.TrimPrefix(s, "https:"), "http:")
		return strings.ReplaceAll(s, "//", "/")
	}
	return trim(a) == trim(b)
}
