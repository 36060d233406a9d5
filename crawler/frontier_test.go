package crawler

import (
	"context"
	"slices"
	"testing"
)

// TestFrontierOrder: listing pages wait for the articles; an article's
// images and requisites come before the articles still queued, unless
// the crawl has a page budget, when every article comes first.
func TestFrontierOrder(t *testing.T) {
	for _, tt := range []struct {
		leavesFirst bool
		want        []string
	}{
		{true, []string{"a1", "img1", "css1", "a2", "a3", "list"}},
		{false, []string{"a1", "a2", "a3", "list", "img1", "css1"}},
	} {
		f := newFrontier(tt.leavesFirst)
		f.add(task{url: "list", kind: KindListing})
		for _, u := range []string{"a1", "a2", "a3"} {
			f.add(task{url: u, kind: KindArticle})
		}
		var got []string
		for {
			tk, ok := f.next(context.Background())
			if !ok {
				break
			}
			got = append(got, tk.url)
			if tk.url == "a1" {
				// The first article's handler asks for its gallery and
				// a style sheet.
				f.add(task{url: "img1", kind: KindImage})
				f.add(task{url: "css1", kind: KindRequisite})
			}
			f.done()
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("leavesFirst %v: order %v, want %v", tt.leavesFirst, got, tt.want)
		}
	}
}
