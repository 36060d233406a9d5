package index

import (
	"bytes"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// stemFilterName is the name under which the Indonesian stemmer is known
// to Bleve's registry and stored in index mappings on disk.
const stemFilterName = "warta_stem_id"

// Bleve resolves token filters named in an index mapping through a global
// registry that it reads without locking, so a constructor can only be added
// safely before any goroutine uses Bleve: at init time. These are the
// package's registrations (the stemmer, the pairs of pairs.go and the
// tokenizer of tokenize.go); the names are ours, so they cannot clash.
func init() {
	if err := registry.RegisterTokenFilter(stemFilterName, newStemFilter); err != nil {
		panic(err)
	}
	if err := registry.RegisterTokenFilter(pairFilterName, newPairFilter); err != nil {
		panic(err)
	}
	if err := registry.RegisterTokenizer(tokenizerName, newWordTokenizer); err != nil {
		panic(err)
	}
}

func newStemFilter(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
	return stemFilter{}, nil
}

// stemFilter is a Bleve token filter that replaces each lowercased
// Indonesian word by its stem.
type stemFilter struct{}

// Filter replaces each token of input by one with its stem. The tokens
// themselves are not changed (a stemmed word gets a new token), so that
// the same tokens can also feed a field of exact words (see shareWords).
func (f stemFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	return f.filter(input, &tokenSlab{})
}

// filter is Filter with the new tokens from slab.
func (stemFilter) filter(input analysis.TokenStream, slab *tokenSlab) analysis.TokenStream {
	for i, tok := range input {
		if tok.KeyWord {
			continue
		}
		s := stemBytes(tok.Term)
		// A stem that differs is shorter: stemBytes only cuts, and a
		// restored letter replaces three or four.
		if len(s) == len(tok.Term) {
			continue
		}
		t := slab.next((len(input) - i) / 2)
		*t = *tok
		t.Term = s
		input[i] = t
	}
	return input
}

// Flags recording which prefix was taken off, because Indonesian allows only
// some prefix and suffix pairs (a confix): "di-...-an" is not one, so the
// "-an" of "dimakan" is part of the root.
const (
	removedMeng = 1 << iota
	removedDi
	removedTer
	removedKe
	removedPeng
	removedBer
	removedPe
)

// stemmer holds the state of one word being stemmed: the letters left, how
// many vowels (syllables) they have and which prefixes went.
type stemmer struct {
	w      []byte
	vowels int
	flags  int
}

// stem returns the stem of a lowercased Indonesian word.
func stem(word string) string {
	return string(stemBytes([]byte(word)))
}

// stemBytes returns the stem of a lowercased Indonesian word. The result
// shares word's storage unless a letter had to be restored; word itself is
// never written to. It implements the dictionary-free algorithm of Tala
// (2003): particles, possessive pronouns, then the derivational prefixes
// and suffixes, each step only while the word keeps more than two vowels,
// so that short roots are never cut. Words with anything but the letters
// a-z (numbers, names in other scripts) are left as they are.
//
// One deliberate extension: "men" before a vowel becomes "t" (menulis ->
// tulis), as "pen" before a vowel does in the algorithm (penulis -> tulis),
// so that the verb, the agent noun and the root meet.
func stemBytes(word []byte) []byte {
	s := stemmer{w: word}
	for _, c := range word {
		if c < 'a' || c > 'z' {
			return word
		}
		if isVowel(c) {
			s.vowels++
		}
	}
	if s.vowels > 2 {
		s.cutParticle()
	}
	if s.vowels > 2 {
		s.cutPossessive()
	}
	s.derivational()
	return s.w
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u':
		return true
	}
	return false
}

func (s *stemmer) has(prefix string) bool {
	return len(s.w) >= len(prefix) && string(s.w[:len(prefix)]) == prefix
}

func (s *stemmer) ends(suffix string) bool {
	return len(s.w) >= len(suffix) && string(s.w[len(s.w)-len(suffix):]) == suffix
}

// vowelAt reports whether the letter at i exists and is a vowel.
func (s *stemmer) vowelAt(i int) bool {
	return i < len(s.w) && isVowel(s.w[i])
}

// cutFront removes n letters from the front, one syllable's worth.
func (s *stemmer) cutFront(n int) {
	s.w = s.w[n:]
	s.vowels--
}

// recode replaces the first n letters, a prefix with the nasal that
// replaced the root's first letter, by that letter c. It copies: the
// word's bytes may be shared with the text Bleve stores.
func (s *stemmer) recode(n int, c byte) {
	w := make([]byte, 0, len(s.w)-n+1)
	s.w = append(append(w, c), s.w[n:]...)
	s.vowels--
}

// cutBack removes n letters from the end, one syllable's worth.
func (s *stemmer) cutBack(n int) {
	s.w = s.w[:len(s.w)-n]
	s.vowels--
}

// cutParticle removes the particles -kah, -lah and -pun (apakah, dialah).
func (s *stemmer) cutParticle() {
	if s.ends("kah") || s.ends("lah") || s.ends("pun") {
		s.cutBack(3)
	}
}

// cutPossessive removes the possessive pronouns -ku, -mu and -nya.
func (s *stemmer) cutPossessive() {
	switch {
	case s.ends("ku"), s.ends("mu"):
		s.cutBack(2)
	case s.ends("nya"):
		s.cutBack(3)
	}
}

// derivational removes a first-order prefix and then a suffix and a
// second-order prefix; when no first-order prefix applies it tries the
// second-order prefix first, then the suffix.
func (s *stemmer) derivational() {
	if s.vowels <= 2 {
		return
	}
	before := len(s.w)
	s.cutFirstOrder()
	if len(s.w) != before {
		before = len(s.w)
		if s.vowels > 2 {
			s.cutSuffix()
		}
		if len(s.w) != before && s.vowels > 2 {
			s.cutSecondOrder()
		}
		return
	}
	s.cutSecondOrder()
	if s.vowels > 2 {
		s.cutSuffix()
	}
}

// cutFirstOrder removes meN-, peN-, di-, ter- or ke-.
func (s *stemmer) cutFirstOrder() {
	switch {
	case s.has("me"):
		s.cutNasal(removedMeng)
	case s.has("pe"):
		s.cutNasal(removedPeng)
	case s.has("di"):
		s.flags |= removedDi
		s.cutFront(2)
	case s.has("ter"):
		s.flags |= removedTer
		s.cutFront(3)
	case s.has("ke"):
		s.flags |= removedKe
		s.cutFront(2)
	}
}

// cutNasal removes a meN- or peN- prefix from a word starting "me" or
// "pe", and records flag. Before a vowel the nasal may have replaced the
// root's first letter, which it restores (menyapu -> sapu, penulis ->
// tulis). The two families differ twice: peny- before a consonant is cut
// whole where meny- falls through to men-, and a bare pe- is second order
// where a bare me- is cut.
func (s *stemmer) cutNasal(flag int) {
	pe, rest := s.w[0] == 'p', s.w[2:]
	switch {
	case bytes.HasPrefix(rest, []byte("ng")):
		s.cutFront(4)
	case bytes.HasPrefix(rest, []byte("ny")) && s.vowelAt(4):
		s.recode(4, 's')
	case bytes.HasPrefix(rest, []byte("ny")) && pe:
		s.cutFront(4)
	case bytes.HasPrefix(rest, []byte("n")) && s.vowelAt(3):
		s.recode(3, 't')
	case bytes.HasPrefix(rest, []byte("n")), bytes.HasPrefix(rest, []byte("m")):
		s.cutFront(3)
	case !pe:
		s.cutFront(2)
	default:
		return
	}
	s.flags |= flag
}

// cutSecondOrder removes ber-, per- or pe- (with the irregular belajar,
// pelajar and be- before a "Cer" syllable, as in bekerja).
func (s *stemmer) cutSecondOrder() {
	switch {
	case s.has("ber"):
		s.flags |= removedBer
		s.cutFront(3)
	case len(s.w) == 7 && s.has("belajar"):
		s.flags |= removedBer
		s.cutFront(3)
	case s.has("be") && len(s.w) > 4 && !isVowel(s.w[2]) && s.w[3] == 'e' && s.w[4] == 'r':
		s.flags |= removedBer
		s.cutFront(2)
	case s.has("per"):
		s.cutFront(3)
	case len(s.w) == 7 && s.has("pelajar"):
		s.cutFront(3)
	case s.has("pe"):
		s.flags |= removedPe
		s.cutFront(2)
	}
}

// cutSuffix removes -kan, -an or -i unless the prefix already removed
// cannot pair with it.
func (s *stemmer) cutSuffix() {
	switch {
	case s.ends("kan") && s.flags&(removedKe|removedPeng|removedPe) == 0:
		s.cutBack(3)
	case s.ends("an") && s.flags&(removedDi|removedMeng|removedTer) == 0:
		s.cutBack(2)
	case s.ends("i") && !s.ends("si") && s.flags&(removedBer|removedKe|removedPeng) == 0:
		s.cutBack(1)
	}
}
