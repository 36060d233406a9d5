package extract

import (
	"strings"
	"testing"
)

// TestStoryInsideALaidOutCell covers a page laid out in a table whose
// content cell holds the headline, the story's block and, under it, a box
// of other stories' excerpts, with a line of the cell's own: the cell is
// not one paragraph, so the story's block is the container and the
// excerpts stay out.
func TestStoryInsideALaidOutCell(t *testing.T) {
	teaser := `<li><a href="/other">Another model of the year</a> gets a new engine, a longer body and a cabin that seats seven adults in comfort, at the same price [...]</li>`
	page := `<html><head><title>Why should MG be left behind?</title><meta property="og:title" content="Why should MG be left behind?"></head><body><table><tr>
<td class="contenttd">Posted in News by the editors of the site
<div class="wrap"><h1>Why should MG be left behind?</h1>
<p class="standfirst">A first concept from a brand that has been quiet for a long time.</p>
<div id="story"><p>When every other carmaker is busy pouring out a new concept from its kettle, why should MG not get an opportunity to take part in the game?</p>
<p>Considering it as the first initiative, let us go a little light on the company, which is now owned by a group from Shanghai with big plans.</p>
<p>The vehicle is bigger than the earlier products, but for a crossover the size could have been bigger, and four passengers fit in it comfortably.</p></div></div>
<div class="box"><div class="box-title">Reviews of the season</div><ul>` + strings.Repeat(teaser, 3) + `</ul></div>
</td><td class="side"><a href="/a">Archive</a></td></tr></table></body></html>`
	a, err := Extract([]byte(page), "https://cars.example.com/news/mg-icon/", Options{})
	if err != nil {
		t.Fatalf("Extract error = %v", err)
	}
	for _, w := range []string{"pouring out a new concept", "four passengers fit"} {
		if !strings.Contains(a.Body, w) {
			t.Errorf("Extract.Body = %q, want it to hold %q", a.Body, w)
		}
	}
	for _, w := range []string{"seats seven adults", "Reviews of the season"} {
		if strings.Contains(a.Body, w) {
			t.Errorf("Extract.Body = %q, want no %q", a.Body, w)
		}
	}
}
