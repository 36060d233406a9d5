package index

import (
	"errors"
	"testing"
)

// FuzzQuery checks that no query text panics the parser or the
// translator, and that every rejection is a *SyntaxError inside the text.
func FuzzQuery(f *testing.F) {
	for _, q := range []string{
		"banjir", `"banjir bandang" OR title:(longsor AND -jalan)`, "published:[2021 TO *}",
		"tambang*", "((a", `url:"https://x/y"`, "a:b:c", "NOT NOT -!x", "[", "\\", `"\`, "title:", "é:ü",
	} {
		f.Add(q)
	}
	im, err := newMapping(AnalyzerID)
	if err != nil {
		f.Fatal(err)
	}
	an, ex := im.AnalyzerNamed(AnalyzerID), im.AnalyzerNamed(analyzerExact)
	f.Fuzz(func(t *testing.T, q string) {
		n, err := parse(q)
		if err == nil {
			tr := &translator{q: q, stemmer: an, exact: ex, marks: newMarkSet()}
			_, err = tr.translate(n)
		}
		if err == nil {
			return
		}
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Fatalf("parse(%q) error %v is not a *SyntaxError", q, err)
		}
		if se.Offset < 0 || se.Offset > len(q) || se.Column < 1 {
			t.Fatalf("parse(%q) error at offset %d column %d, outside the query", q, se.Offset, se.Column)
		}
	})
}

func FuzzStem(f *testing.F) {
	for _, c := range stemCases {
		f.Add(c.word)
	}
	f.Fuzz(func(t *testing.T, w string) {
		got := stem(w)
		if len(got) > len(w) {
			t.Fatalf("stem(%q) = %q, longer than the word", w, got)
		}
	})
}
