// Package ascii compares the names of HTML markup as browsers and
// golang.org/x/net/html do: by ASCII case only.
package ascii

// EqualLower reports whether s is lower, a lower-case name, ignoring the
// case of ASCII letters only. bytes.EqualFold and strings.EqualFold fold
// Unicode too, and would take "ſcript" for "script" or the Kelvin sign
// for a "k", which no HTML tokenizer does.
func EqualLower[T string | []byte](s T, lower string) bool {
	if len(s) != len(lower) {
		return false
	}
	for i := range len(s) {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// EqualFold reports whether a and b are the same name when the case of
// ASCII letters is ignored, and only theirs.
func EqualFold(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range len(a) {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
