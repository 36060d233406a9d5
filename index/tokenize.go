package index

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	bleveunicode "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/segment"
)

// tokenizerName is the name under which wordTokenizer is known to Bleve's
// registry and stored in index mappings on disk. Indexes whose mapping
// names Bleve's "unicode" tokenizer instead keep working: the two split
// every text into the same words.
const tokenizerName = "warta_words"

func newWordTokenizer(map[string]interface{}, *registry.Cache) (analysis.Tokenizer, error) {
	return wordTokenizer{}, nil
}

// wordTokenizer splits a text into words exactly as Bleve's unicode
// tokenizer does (the word boundaries of Unicode's UAX #29, through
// github.com/blevesearch/segment), only faster: a text is cut at ASCII
// white space, which is a word boundary on both sides under every rule
// of UAX #29, and the pieces made of ASCII alone, nearly all of an
// Indonesian article, are split by the rules as they apply to ASCII; the
// rest go through segment. Segmenting took a sixth of the CPU time of
// indexing: a body is split three times, for its stemmed, exact and
// paired words. TestWordTokenizerSameAsUnicode holds the two to the same
// output.
type wordTokenizer struct{}

// ASCII word-break classes of UAX #29 (the characters of other classes
// all break).
const (
	wbOther     = iota
	wbLetter    // ALetter: A-Z, a-z
	wbNumeric   // Numeric: 0-9
	wbExtendNum // ExtendNumLet: _
	wbMidLetter // MidLetter: joins letters (:)
	wbMidNum    // MidNum: joins digits (, ;)
	wbMidBoth   // MidNumLet and Single_Quote: join either (. ')
	wbSpace     // white space: a boundary on both sides
)

var wordBreak = func() (t [128]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = wbLetter
		t[c-'a'+'A'] = wbLetter
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = wbNumeric
	}
	t['_'] = wbExtendNum
	t[':'] = wbMidLetter
	t[','], t[';'] = wbMidNum, wbMidNum
	t['.'], t['\''] = wbMidBoth, wbMidBoth
	for _, c := range " \t\n\r\v\f" {
		t[c] = wbSpace
	}
	return t
}()

// Tokenize returns the words of input, numbered from 1, with their byte
// offsets.
func (t wordTokenizer) Tokenize(input []byte) analysis.TokenStream {
	return t.split(input, &tokenSlab{})
}

// tokenSlab hands out tokens: from free while it has room, then from new
// slabs of a guessed size, as Bleve's tokenizers allocate theirs.
type tokenSlab struct {
	free []analysis.Token
}

// next returns a token, with room for about more others when it must
// take a new slab.
func (s *tokenSlab) next(more int) *analysis.Token {
	if len(s.free) == cap(s.free) {
		s.free = make([]analysis.Token, 0, min(1000, max(16, more)))
	}
	s.free = s.free[:len(s.free)+1]
	return &s.free[len(s.free)-1]
}

// split is Tokenize with the tokens from slab.
func (wordTokenizer) split(input []byte, slab *tokenSlab) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, len(input)/6+1)
	pos := 1
	emit := func(start, end int, typ analysis.TokenType) {
		// Indonesian averages about seven bytes a word with its space.
		tok := slab.next((len(input) - start) / 6)
		*tok = analysis.Token{Term: input[start:end:end], Start: start, End: end, Position: pos, Type: typ}
		out = append(out, tok)
		pos++
	}
	for i := 0; i < len(input); {
		c := input[i]
		if c < 0x80 && wordBreak[c] == wbSpace {
			i++
			continue
		}
		// A piece: the bytes up to the next ASCII space.
		start, ascii := i, true
		for i < len(input) && (input[i] >= 0x80 || wordBreak[input[i]] != wbSpace) {
			if input[i] >= 0x80 {
				ascii = false
			}
			i++
		}
		if ascii {
			asciiWords(input, start, i, emit)
			continue
		}
		if !utf8.Valid(input[start:i]) {
			// segment stops at some bytes that are not UTF-8, and so
			// does Bleve's tokenizer: where depends on all that precedes.
			return bleveunicode.NewUnicodeTokenizer().Tokenize(input)
		}
		sg := segment.NewWordSegmenterDirect(input[start:i])
		at := start
		for sg.Segment() {
			end := at + len(sg.Bytes())
			switch sg.Type() {
			case segment.None:
			case segment.Number:
				emit(at, end, analysis.Numeric)
			case segment.Ideo, segment.Kana:
				emit(at, end, analysis.Ideographic)
			default:
				emit(at, end, analysis.AlphaNumeric)
			}
			at = end
		}
	}
	return out
}

// asciiWords calls emit with each word of input[from:to], ASCII without
// white space, as UAX #29 splits it: runs of letters, digits and
// underscores, joined across one of .': between two letters and one of
// .',; between two digits. A word is numeric when it has digits and no
// letter.
func asciiWords(input []byte, from, to int, emit func(start, end int, typ analysis.TokenType)) {
	for i := from; i < to; {
		k := wordBreak[input[i]]
		if k != wbLetter && k != wbNumeric && k != wbExtendNum {
			i++
			continue
		}
		start, letters, digits := i, false, false
	word:
		for i < to {
			k := wordBreak[input[i]]
			switch k {
			case wbLetter:
				letters = true
			case wbNumeric:
				digits = true
			case wbExtendNum:
			case wbMidLetter, wbMidNum, wbMidBoth:
				if i+1 >= to {
					break word
				}
				prev, next := wordBreak[input[i-1]], wordBreak[input[i+1]]
				switch {
				case prev == wbLetter && next == wbLetter && k != wbMidNum:
				case prev == wbNumeric && next == wbNumeric && k != wbMidLetter:
				default:
					break word
				}
				i++ // the joining character; the next one is counted below
				continue
			default:
				break word
			}
			i++
		}
		typ := analysis.AlphaNumeric
		if digits && !letters {
			typ = analysis.Numeric
		}
		emit(start, i, typ)
	}
}
