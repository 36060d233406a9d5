package extract

import (
	"strings"
	"testing"
)

// TestRelatedHeadingNamesSite covers a heading that names the site's other
// stories ("Also on HuffPost:") over a slideshow with more prose than the
// story, and short sentences of the story that begin with the same words.
func TestRelatedHeadingNamesSite(t *testing.T) {
	slide := strings.Repeat(`<li><h4>Another story of the week</h4><p>A long summary of another story that the site promotes under the article, with sentences, commas and many words, as a slideshow does.</p></li>`, 12)
	story := `<p>The council voted on Tuesday to rebuild the old coal railway between the mine and the town centre, a project the mayor has promised since 2019.</p>
<p>Also on Monday, police arrested two men.</p>
<p>Work starts in March, and the first trains should run before the end of next year, according to the plan the council published.</p>
<p>Other news outlets reported the same figures.</p>
<p>Residents who live beside the line will be consulted on the timetable and on the noise barriers before the contracts are signed.</p>`
	page := `<html><head><title>Railway to be rebuilt</title></head><body><div class="entry">` + story +
		`<p style="font-weight:bold">Also on Kabar Sumbar:</p><div class="promo_holder"><ul class="slideshow">` + slide + `</ul></div></div></body></html>`
	a, e, err := ExplainAll([]byte(page), "https://kabar.example.id/2012/03/railway.html", Options{})
	if err != nil {
		t.Fatalf("Extract error = %v", err)
	}
	for _, w := range []string{"coal railway", "Also on Monday, police arrested two men.", "Other news outlets reported the same figures.", "noise barriers"} {
		if !strings.Contains(a.Body, w) {
			t.Errorf("Extract.Body = %q, want it to hold %q", a.Body, w)
		}
	}
	for _, w := range []string{"Also on Kabar", "Another story", "site promotes"} {
		if strings.Contains(a.Body, w) {
			t.Errorf("Extract.Body = %q, want no %q", a.Body, w)
		}
	}
	// The slideshow cut away is chrome for sure: it must not send the page
	// to a second opinion, which reads the slideshow as the article.
	if e.Path != PathGeneric {
		t.Errorf("Extract path = %s (confidence %.2f, signals %v), want %s", e.Path, e.Confidence, e.Signals, PathGeneric)
	}
}
