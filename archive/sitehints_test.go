package archive

import (
	"context"
	"strings"
	"testing"

	"github.com/warta-id/warta/extract"
)

// TestSiteHintsFile checks that site hints are saved and read back beside
// the site's articles, that a site without any reads as nil, that a bad
// site name is refused, and that the file is never taken for an article.
func TestSiteHintsFile(t *testing.T) {
	s := openTest(t, t.TempDir())
	if got, err := s.SiteHints("demo"); got != nil || err != nil {
		t.Fatalf("SiteHints before any = %q, %v; want nil, nil", got, err)
	}
	a := testArticle("https://example.org/baca/a", "SAWAHLUNTO – Satu.")
	if _, err := s.SaveArticle(a); err != nil {
		t.Fatal(err)
	}
	for _, data := range []string{`{"version":1}`, `{"version":1,"seen":""}`} {
		if err := s.SaveSiteHints("demo", []byte(data)); err != nil {
			t.Fatal(err)
		}
		if got, err := s.SiteHints("demo"); string(got) != data || err != nil {
			t.Errorf("SiteHints = %q, %v; want %q", got, err, data)
		}
	}
	if err := s.SaveSiteHints("../x", []byte("{}")); err == nil {
		t.Error("SaveSiteHints(../x) = nil error")
	}
	n := 0
	if err := s.Walk(context.Background(), func(*extract.Article) error { n++; return nil }); err != nil || n != 1 {
		t.Errorf("Walk saw %d articles (%v), want 1", n, err)
	}
	r, err := s.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range r.Problems {
		if strings.Contains(p.Where, siteHintsName) {
			t.Errorf("Verify takes the site hints file for an article: %+v", p)
		}
	}
}
