package index

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
)

// sameTokens reports the first difference between the words that
// wordTokenizer and Bleve's unicode tokenizer find in text.
func sameTokens(text string) error {
	quoted := fmt.Sprintf("%q", text)
	if len(quoted) > 80 {
		quoted = quoted[:80] + "…"
	}
	got := wordTokenizer{}.Tokenize([]byte(text))
	want := unicode.NewUnicodeTokenizer().Tokenize([]byte(text))
	show := func(t *analysis.Token) string {
		return fmt.Sprintf("%q %d-%d #%d type %d", t.Term, t.Start, t.End, t.Position, t.Type)
	}
	for i := 0; i < max(len(got), len(want)); i++ {
		switch {
		case i >= len(got):
			return fmt.Errorf("Tokenize(%s) token %d missing, want %s", quoted, i, show(want[i]))
		case i >= len(want):
			return fmt.Errorf("Tokenize(%s) token %d = %s, want none", quoted, i, show(got[i]))
		case show(got[i]) != show(want[i]):
			return fmt.Errorf("Tokenize(%s) token %d = %s, want %s", quoted, i, show(got[i]), show(want[i]))
		}
	}
	return nil
}

// tokenizerCases are texts where the rules of UAX #29 decide: joining
// characters between letters and between digits, underscores, a
// combining mark after a space, typographic quotes.
var tokenizerCases = []string{
	"", " ", "a", "_", "__", "a_", "_1", "1_2", "abc123", "123abc", "1.5", "1,5", "1;5", "1'5", "1:5",
	"a.b", "a'b", "a:b", "a,b", "a;b", "a.1", "1.a", "a..b", "a.", ".a", "1.5.6", "1.5a", "a-b",
	`a"b`, "U.S.A.", "I'm", "3.14pm", "e.g.", "x_y.z", "_._", "a._b", "don't", "a''b", "1..2",
	"12:30", "Rp1.000.000,00", "a\u00adb", "\u0301abc", " \u0301abc", "a \u0301b", "a\u0301b",
	"a\u200bb", "a\u2019b", "a\u00b7b", "“Kami", "tahun 2021.", "SAWAHLUNTO, KOMPAS.com -",
	"\r\n", "a\r\nb", "\t1\v2\f3", "日本語のテキスト", "Ümit's café", "x\xffy", "\xe2\x80", "ok\x00go",
}

func TestWordTokenizerSameAsUnicode(t *testing.T) {
	for _, text := range tokenizerCases {
		if err := sameTokens(text); err != nil {
			t.Error(err)
		}
	}
	// Random texts over an alphabet of the characters the rules name.
	alphabet := []string{"a", "Z", "0", "9", "_", ".", "'", ":", ",", ";", "-", " ", "\n", "\t", "\u0301", "\u00ad", "é", "’", "\u200d", "日", "ア", "\xff"}
	r := rand.New(rand.NewPCG(1, 16))
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		for n := r.IntN(12); n >= 0; n-- {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		if err := sameTokens(b.String()); err != nil {
			t.Fatal(err)
		}
	}
}

// TestWordTokenizerCorpus compares the tokenizers on the titles and texts
// of the shared corpus, in a dozen languages.
func TestWordTokenizerCorpus(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "*", "truth.json"))
	if len(files) == 0 {
		t.Skip("no corpus in ../shared/corpus")
	}
	texts := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var truth map[string]map[string]any
		if err := json.Unmarshal(b, &truth); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, page := range truth {
			for _, key := range []string{"title", "articleBody"} {
				if s, ok := page[key].(string); ok {
					texts++
					if err := sameTokens(s); err != nil {
						t.Fatalf("%s: %v", f, err)
					}
				}
			}
		}
	}
	t.Logf("%d texts of %d corpora", texts, len(files))
}

func FuzzWordTokenizer(f *testing.F) {
	for _, s := range tokenizerCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if err := sameTokens(text); err != nil {
			t.Fatal(err)
		}
	})
}
