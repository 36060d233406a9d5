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

func TestLeadingLiterals(t *testing.T) {
	for _, tt := range []struct {
		src      string
		anchored bool
		want     []string
		fold     bool
	}{
		{`^(see more|baca( juga)?|iklan)(\s|$)`, true, []string{"see more", "baca", "iklan"}, false},
		{`(?i)^(no comments?|\d+ comments?)$`, true, []string{"no comment", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}, true},
		{`(?i)^((editor|foto)\s*:|(copyright|©|\(c\))\s)`, true, []string{"editor", "foto", "copyright", "©", "(c)"}, true},
		{`^(?:(?i)^(halaman|page)\s*\d+$|^(\d+\s*)+$)`, true, []string{"halaman", "page", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}, true},
		{`(?i)^[a-z]+`, true, nil, false}, // the class holds the Kelvin sign
		{`(?i)^é`, true, nil, false},
		{`^x?y`, true, nil, false},
		{`^\bword`, true, []string{"word"}, false},
		{`^a|b`, false, nil, false},
		{`(?m)^a`, false, nil, false},
		{`(^|[\s_-])(share)`, false, nil, false},
	} {
		tree := mustParse(t, tt.src)
		if got := anchoredAtStart(tree); got != tt.anchored {
			t.Errorf("anchoredAtStart(%q) = %v, want %v", tt.src, got, tt.anchored)
		}
		if !tt.anchored {
			continue
		}
		got, fold := leadingLiterals(tree)
		for i := range got {
			got[i] = strings.ToLower(got[i])
		}
		slices.Sort(got)
		slices.Sort(tt.want)
		if !slices.Equal(got, tt.want) || got != nil && fold != tt.fold {
			t.Errorf("leadingLiterals(%q) = %q, %v; want %q, %v", tt.src, got, fold, tt.want, tt.fold)
		}
	}
}

// quickREs are the patterns compiled with mustQuick.
var quickREs = []*quickRE{junkClassRE, metaClassRE, hiddenStyleRE, articleHeaderRE, chromeAncestorRE, positiveRE, negativeRE, pageChromeRE,
	junkParagraphRE, commentLineRE, trailerRE, pageOfStartRE}

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
	texts := []string{"", "a", "SHARE-box", "post-Share", "ſhare", "\u212Aomentar", "td-post-content", "x-ads y", "leads", "comment-body",
		"\u212Aomentar ditutup", "ſee more", "BACA JUGA: Banjir", "Baca", "baca", "bacaan lainnya", "12 34", "12 34 »", "Halaman 2 dari 3",
		"© 2024 Pemkot", "(c) Humas", "(C) humas", "Editor : Rina", "EDITOR: Rina", "2 komentar", "No Comment", "no", "iklan", "Iklanx",
		"Ikuti kami di", "\u212Alik di sini", "Page 2", "pagé 2", "Sumber:"}
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
			if n.Type == html.TextNode {
				texts = append(texts, normSpace(n.Data))
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

// FuzzQuickRE checks every quickRE against its plain regexp.
func FuzzQuickRE(f *testing.F) {
	for _, s := range []string{"Baca juga: x", "\u212Aomentar ditutup", "12 34 »", "ſhare-box", "(c) x", "EDITOR : y"} {
		f.Add(s)
	}
	plain := make([]*regexp.Regexp, len(quickREs))
	for i, q := range quickREs {
		plain[i] = regexp.MustCompile(q.String())
	}
	f.Fuzz(func(t *testing.T, s string) {
		for i, q := range quickREs {
			if got, want := q.MatchString(s), plain[i].MatchString(s); got != want {
				t.Errorf("%.30s on %q: quick %v, regexp %v", q.String(), s, got, want)
			}
		}
	})
}
