package eval

import (
	"fmt"
	"io"
	"slices"
)

// ListingScore is how one listing page fared: the first article links the
// finder returned against the truth's.
type ListingScore struct {
	Key   string
	Want  []string
	Got   []string
	Match bool // the first len(Want) links match in order
}

// RunListings loads a listing corpus folder (truth: first_article_urls)
// and checks that links(page, url) starts with the truth's links in order.
func RunListings(dir string, links func(page []byte, pageURL string) []string) ([]ListingScore, error) {
	pages, err := Load(dir)
	if err != nil {
		return nil, err
	}
	var out []ListingScore
	for _, p := range pages {
		got := links(p.HTML, p.URL)
		s := ListingScore{Key: p.Key, Want: p.Links, Got: got[:min(len(got), len(p.Links))]}
		s.Match = slices.Equal(s.Got, p.Links)
		out = append(out, s)
	}
	return out, nil
}

// PrintListings writes one line per listing page and the share that
// matched.
func PrintListings(w io.Writer, scores []ListingScore) {
	ok := 0
	for _, s := range scores {
		mark := "FAIL"
		if s.Match {
			mark, ok = "ok", ok+1
		}
		fmt.Fprintf(w, "%-4s %s\n", mark, s.Key)
		if !s.Match {
			for i := range s.Want {
				got := ""
				if i < len(s.Got) {
					got = s.Got[i]
				}
				fmt.Fprintf(w, "       want %s\n        got %s\n", s.Want[i], got)
			}
		}
	}
	fmt.Fprintf(w, "%d/%d listing pages matched\n", ok, len(scores))
}
