package eval

import (
	"strings"
	"testing"

	"github.com/warta-id/warta/extract"
)

func TestListings(t *testing.T) {
	scores, err := RunListings(corpusDir(t, "id-listings"), extract.ArticleLinks)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	PrintListings(&b, scores)
	t.Log("\n" + b.String())
	for _, s := range scores {
		t.Run(s.Key, func(t *testing.T) {
			if !s.Match {
				t.Errorf("ArticleLinks(%s)[:3] = %q, want %q", s.Key, s.Got, s.Want)
			}
		})
	}
}
