package extract

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestRequiredLiterals(t *testing.T) {
	for _, tt := range []struct {
		src  string
		want []string
		fold bool
	}{
		{`comments?|replies`, []string{"comment", "replies"}, false},
		{`(^|[\s_-])(share|sharing|social)([\s_-]|$)`, []string{"share", "sharing", "social"}, false},
		{`(?i)foot|footer|co(mment|ntact)`, []string{"foot", "comment", "contact"}, true},
		{`(?i)hidden|ads?\b|Menu`, []string{"hidden", "ad", "menu"}, true},
		{`(?i)x|Date`, []string{"x", "date"}, true},
		{`a|b*`, nil, false},
		{`[a-z]+`, nil, false},
		{`café|x`, nil, false},
		{`(entry|post)[-_]*(header|footer)`, []string{"header", "footer"}, false},
		{`ads?\b`, []string{"ad"}, false},
	} {
		got, fold := requiredLiterals(mustParse(t, tt.src))
		slices.Sort(got)
		slices.Sort(tt.want)
		if !slices.Equal(got, tt.want) || got != nil && fold != tt.fold {
			t.Errorf("requiredLiterals(%q) = %q, %v; want %q, %v", tt.src, got, fold, tt.want, tt.fold)
		}
	}
}

// quickREs are the patterns compiled with mustQuick.
var quickREs = []*quickRE{junkClassRE, metaClassRE, hiddenStyleRE, articleHeaderRE, chromeAncestorRE, positiveRE, negativeRE, pageChromeRE}

func mustParse(t *testing.T, src string) *syntax.Regexp {
	t.Helper()
	re, err := syntax.Parse(src, syntax.Perl)
	if err != nil {
		t.Fatal(err)
	}
	return re
}

// TestQuickSameAnswers checks every quickRE against its plain regexp on
// the class names, ids and style attributes of the golden pages and on
// texts made to fool the test.
func TestQuickSameAnswers(t *testing.T) {
	texts := []string{"", "a", "SHARE-box", "post-Share", "ſhare", "\u212Aomentar", "td-post-content", "x-ads y", "leads", "comment-body"}
	for _, c := range goldenCases {
		page := readGolden(t, c.name)
		root, err := parse(page, "")
		if err != nil {
			t.Fatal(err)
		}
		walk(root, func(n *html.Node) bool {
			if n.Type == html.ElementNode {
				texts = append(texts, classID(n), attr(n, "class"), attr(n, "style"), strings.ToUpper(classID(n)))
			}
			return true
		})
	}
	matched := 0
	for _, q := range quickREs {
		plain := regexp.MustCompile(q.String())
		for _, s := range texts {
			got, want := q.MatchString(s), plain.MatchString(s)
			if got != want {
				t.Errorf("%.30s on %q: quick %v, regexp %v", q.String(), s, got, want)
			}
			if want {
				matched++
			}
		}
	}
	if matched == 0 {
		t.Error("no text matched any pattern: the comparison says nothing")
	}
}
