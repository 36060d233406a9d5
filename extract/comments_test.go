package extract

import (
	"strings"
	"testing"
)

// TestCutAtComments covers comments printed in the article's own
// container under a heading, in blocks that no class names, and the
// headings and words the cut must leave alone.
func TestCutAtComments(t *testing.T) {
	story := `<p>The council voted on Tuesday to rebuild the old coal railway between the mine and the town centre, a project the mayor has promised since 2019.</p>
<p>Work starts in March, and the first trains should run before the end of next year, according to the plan the council published.</p>
<p>Residents who live beside the line will be consulted on the timetable and on the noise barriers before the contracts are signed.</p>`
	comment := `<div id="c1001"><p>Finally! I have waited years for this railway and my whole street is glad to hear the news, thank you to the council.</p></div>
<p class="posted">Posted by: Reader One at March 3, 2012 11:40 AM</p>
<div id="c1002"><p>Who pays for it? The last project of this council ran two years late and cost twice what they promised us all.</p></div>
<p class="posted">Posted by: Reader Two at March 3, 2012 12:11 PM</p>`
	page := func(container string) string {
		return `<html><head><title>Railway to be rebuilt</title></head><body><div id="menu"><a href="/">Home</a></div>` + container + `</body></html>`
	}
	tests := []struct {
		name         string
		page         string
		want, reject []string
	}{
		{"heading then unnamed comments", page(`<div class="blog"><h2>Railway to be rebuilt</h2>` + story + `<h2 id="comments">Comments</h2>` + comment + `<h2>Post a comment</h2><form><textarea></textarea></form></div>`),
			[]string{"coal railway", "noise barriers"}, []string{"waited years", "Who pays", "Reader One"}},
		{"counted heading, comments nested deeper", page(`<div class="blog"><div class="entry">` + story + `</div><div class="feedback"><h3>2 Responses to “Railway to be rebuilt”</h3><ol><li>` + comment + `</li></ol></div></div>`),
			[]string{"coal railway", "noise barriers"}, []string{"waited years", "Who pays"}},
		{"page laid out in a table", page(`<table><tr><td class="menu"><a href="/a">A</a></td><td class="main">` + story + `<h2>Comments</h2>` + comment + `</td></tr></table>`),
			[]string{"coal railway", "noise barriers"}, []string{"waited years", "Who pays"}},
		{"unclosed tag carries the comments", page(`<div class="blog">` + story + `<p class="posted"><i>Posted by the editor</p><div><h2>Comments</h2></div>` + comment + `</div>`),
			[]string{"coal railway", "noise barriers"}, []string{"waited years", "Who pays"}},
		// Must not cut.
		{"link to the comments by the byline", page(`<div class="blog"><h2>Railway to be rebuilt</h2><p class="standfirst">The council has voted, and the first trains should run before the end of next year, after a decade of promises from every mayor of the town and every council since the mine closed its gates.</p><div class="meta"><span>By a staff writer of the paper, with reporting from the council chamber</span> <a href="#comments"><div class="count">Join the conversation</div></a></div>` + story + `</div>`),
			[]string{"coal railway", "noise barriers"}, nil},
		{"comment count before the text", page(`<div class="blog"><h2>Railway to be rebuilt</h2><h4>3 Comments</h4>` + story + `</div>`),
			[]string{"coal railway", "noise barriers"}, nil},
		{"column of a data table", page(`<div class="blog">` + story + `<table><tr><th>Date</th><th><p>Comment</p></th><th><p>Comments</p></th></tr><tr><td>March</td><td>Tracks laid between the mine and the first station.</td><td>On time</td></tr></table><p>The council will publish a report on the works every quarter, with the costs of each part of the line.</p></div>`),
			[]string{"coal railway", "report on the works every quarter"}, nil},
		{"word set apart in a sentence", page(`<div class="blog">` + story + `<p>The mayor asked for <b>comments</b> and residents sent hundreds of letters to the council before the vote on the plan.</p><p>The council will publish a report on the works every quarter, with the costs of each part of the line.</p></div>`),
			[]string{"coal railway", "hundreds of letters", "report on the works every quarter"}, nil},
		{"a subheading that is not about comments", page(`<div class="blog">` + story + `<h2>Discussion</h2><p>The council will publish a report on the works every quarter, with the costs of each part of the line.</p></div>`),
			[]string{"coal railway", "report on the works every quarter"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Where nothing must be cut, the generic result is judged alone:
			// a second opinion could hide a cut that took the article.
			a, e, err := ExplainAll([]byte(tt.page), "https://example.com/2012/03/railway.html", Options{NoSecondOpinion: tt.reject == nil})
			if err != nil {
				t.Fatalf("Extract(%s) error = %v", tt.name, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(a.Body, w) {
					t.Errorf("Extract(%s).Body = %q, want it to hold %q", tt.name, a.Body, w)
				}
			}
			for _, w := range tt.reject {
				if strings.Contains(a.Body, w) {
					t.Errorf("Extract(%s).Body = %q, want no %q", tt.name, a.Body, w)
				}
			}
			if tt.reject != nil && e.Path != PathGeneric {
				t.Errorf("Extract(%s) path = %s (confidence %.2f), want %s: the comments cut away are not chrome", tt.name, e.Path, e.Confidence, PathGeneric)
			}
		})
	}
}

func TestCommentsHeadingRE(t *testing.T) {
	for _, s := range []string{"Comments", "COMMENTS", "Reader Comments", "Comments (12)", "Comments: 4", "12 Comments", "One Response to “A post”",
		"5 Responses to \"A post\"", "12 thoughts on “A post”", "No comments", "Leave a Reply", "Leave a Reply Cancel reply", "Post a comment", "Add your comment",
		"Komentar", "Tinggalkan Balasan", "Join the discussion", "3 Komentar untuk “Judul”"} {
		if !commentsHeadingRE.MatchString(s) {
			t.Errorf("commentsHeadingRE does not match %q", s)
		}
	}
	for _, s := range []string{"Comment", "Response", "Recent Comments", "Discussion", "Comments from the minister", "Responses to the crisis", "Write a comment here to share your tips", "Thoughts"} {
		if commentsHeadingRE.MatchString(s) {
			t.Errorf("commentsHeadingRE matches %q", s)
		}
	}
}

// TestPostFooterLine covers the line a blog theme prints under a post
// ("Posted in News, Reviews | 3 Comments »"): a label, not text; and a
// sentence that starts the same way, which stays.
func TestPostFooterLine(t *testing.T) {
	for _, tt := range []struct {
		line  string
		label bool
	}{
		{"Posted in Miscellaneous , Quotation | No Comments »", true},
		{"Filed under Carnivals, HWR | 12 Comments", true},
		{"Posted in the town hall, the notice drew 12 comments from residents.", false},
		{"Posted in 2010, the video has 3 million views and counting on the site.", false},
	} {
		if got := isLabelLine(tt.line); got != tt.label {
			t.Errorf("isLabelLine(%q) = %v, want %v", tt.line, got, tt.label)
		}
	}
}

// TestCommentFeedLine covers the line old WordPress themes print under a
// post about its comment feed and whether comments are open.
func TestCommentFeedLine(t *testing.T) {
	page := `<html><head><title>Railway to be rebuilt</title></head><body><div class="post">
<p>The council voted on Tuesday to rebuild the old coal railway between the mine and the town centre, a project the mayor has promised since 2019.</p>
<p>You can follow the council's meetings on its website, where the plans and the budget of the railway are published each month.</p>
<p class="postmetadata">You can follow any responses to this entry through the RSS 2.0 feed. You can leave a response, or trackback from your own site.</p>
<p>Both comments and pings are currently closed.</p></div></body></html>`
	a, err := Extract([]byte(page), "https://example.com/2012/03/railway.html", Options{})
	if err != nil {
		t.Fatalf("Extract error = %v", err)
	}
	if !strings.Contains(a.Body, "coal railway") || !strings.Contains(a.Body, "follow the council's meetings") {
		t.Errorf("Extract.Body = %q, want the story", a.Body)
	}
	for _, w := range []string{"RSS 2.0 feed", "pings are currently closed"} {
		if strings.Contains(a.Body, w) {
			t.Errorf("Extract.Body = %q, want no %q", a.Body, w)
		}
	}
}
