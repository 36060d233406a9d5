package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Stop words: the commonest short words of Indonesian and English, which
// decide a text's language by vote, in one map (stopID and stopEN bits):
// the vote looks up every word of the text.
var stopWords = stopSet(map[uint8]string{
	stopID: "yang dan di ke dari ini itu dengan untuk pada dalam tidak akan juga ada oleh karena atau sudah bahwa kata para tersebut saat telah bisa lebih secara kami mereka kita ia dia menjadi masih hingga namun sebagai antara serta agar bagi tak tahun",
	stopEN: "the and of to in is that for it with as was on be by are this at from have has an not but or which his they their were been will would said who had its can more",
})

// The languages of stopWords.
const (
	stopID uint8 = 1 << iota
	stopEN
)

func stopSet(words map[uint8]string) map[string]uint8 {
	m := map[string]uint8{}
	for lang, ws := range words {
		for _, w := range strings.Fields(ws) {
			m[w] |= lang
		}
	}
	return m
}

// language returns "id" or "en" by a stop-word vote, or "" when the text
// is too short or neither wins clearly.
func language(text string) string {
	id, en, n := 0, 0, 0
	// The words are read in place, lower-cased into buf, rather than
	// through a lower-cased copy of the article and a slice of its words:
	// the longest stop word fits in buf, and a longer word is none.
	var buf [16]byte
	for i := 0; i < len(text) && n <= 2000; {
		r, size := decodeLetter(text, i)
		if !unicode.IsLetter(r) {
			i += size
			continue
		}
		w, long := buf[:0], false
		for ; i < len(text); i += size {
			r, size = decodeLetter(text, i)
			if !unicode.IsLetter(r) {
				break
			}
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			} else if r >= utf8.RuneSelf {
				r = unicode.ToLower(r)
			}
			if !long && len(w)+utf8.RuneLen(r) <= len(buf) {
				w = utf8.AppendRune(w, r)
			} else {
				long = true
			}
		}
		n++
		if long {
			continue
		}
		lang := stopWords[string(w)]
		if lang&stopID != 0 {
			id++
		}
		if lang&stopEN != 0 {
			en++
		}
	}
	switch {
	case id+en < 3:
		return ""
	case id > 2*en:
		return "id"
	case en > 2*id:
		return "en"
	}
	return ""
}

// decodeLetter is utf8.DecodeRuneInString(text[i:]) without its call for
// ASCII, most of a text.
func decodeLetter(text string, i int) (rune, int) {
	if c := text[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(text[i:])
}
