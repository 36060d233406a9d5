package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Stop words: the commonest short words of Indonesian and English, which
// decide a text's language by vote.
var (
	stopID = set("yang dan di ke dari ini itu dengan untuk pada dalam tidak akan juga ada oleh karena atau sudah bahwa kata para tersebut saat telah bisa lebih secara kami mereka kita ia dia menjadi masih hingga namun sebagai antara serta agar bagi tak tahun")
	stopEN = set("the and of to in is that for it with as was on be by are this at from have has an not but or which his they their were been will would said who had its can more")
)

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
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
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) {
			i += size
			continue
		}
		w, long := buf[:0], false
		for ; i < len(text); i += size {
			r, size = utf8.DecodeRuneInString(text[i:])
			if !unicode.IsLetter(r) {
				break
			}
			if l := unicode.ToLower(r); !long && len(w)+utf8.RuneLen(l) <= len(buf) {
				w = utf8.AppendRune(w, l)
			} else {
				long = true
			}
		}
		n++
		if long {
			continue
		}
		if stopID[string(w)] {
			id++
		}
		if stopEN[string(w)] {
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
