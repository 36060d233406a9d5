package extract

import (
	"strings"
	"unicode"
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
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		n++
		if stopID[w] {
			id++
		}
		if stopEN[w] {
			en++
		}
		if n > 2000 {
			break
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
