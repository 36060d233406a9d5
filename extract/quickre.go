package extract

import (
	"bytes"
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode"
)

// quickRE is a regexp that first rules out, by plain substring tests, the
// texts it cannot match. The class and id patterns (junkClassRE,
// negativeRE, ...) are alternations of tens of words that Go's regexp
// tries at every position of the text, a few microseconds for each class
// name of each element of a page; almost no class name holds any of the
// words, and strings.Contains says so in a fraction of that. The answers
// are the regexp's: the test only skips texts that hold none of the
// literals every match must hold.
//
// A pattern anchored at the start of the text (the paragraph tests:
// "^(baca juga|iklan|...)") is tested by the strings every match begins
// with instead: Go's backtracker clears a bitmap the size of the pattern
// times the text before trying the one position, about a microsecond on
// a paragraph that begins with none of them.
type quickRE struct {
	*regexp.Regexp
	need []string // every match holds one of them (nil: no test)
	lead []string // or begins with one of them (nil: no test)
	fold bool     // compare ignoring ASCII case
}

// mustQuick compiles src as regexp.MustCompile does, with the test.
func mustQuick(src string) *quickRE {
	re := regexp.MustCompile(src)
	q := &quickRE{Regexp: re}
	if tree, err := syntax.Parse(src, syntax.Perl); err == nil {
		if anchoredAtStart(tree) {
			if q.lead, q.fold = leadingLiterals(tree); q.lead != nil {
				return q
			}
		}
		q.need, q.fold = requiredLiterals(tree)
	}
	return q
}

// MatchString reports whether s holds a match of the regexp.
func (q *quickRE) MatchString(s string) bool {
	if q.need != nil && !q.mayMatch(s) || q.lead != nil && !q.mayStart(s) {
		return false
	}
	return q.Regexp.MatchString(s)
}

// mayStart reports whether s begins with one of the leading literals. A
// byte outside ASCII where a folded literal has a letter may begin a match
// (the Kelvin sign is a k), and so may s.
func (q *quickRE) mayStart(s string) bool {
	for _, lit := range q.lead {
		i := 0
		for ; i < len(lit) && i < len(s); i++ {
			a, b := s[i], lit[i]
			if a == b {
				continue
			}
			if q.fold && isLetter(b) {
				if a >= 0x80 {
					return true
				}
				if a|0x20 == b|0x20 {
					continue
				}
			}
			break
		}
		if i == len(lit) {
			return true
		}
	}
	return false
}

// anchoredAtStart reports whether every match of re begins at the start
// of the text (^ without (?m), in every alternative).
func anchoredAtStart(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpBeginText:
		return true
	case syntax.OpCapture:
		return anchoredAtStart(re.Sub[0])
	case syntax.OpConcat:
		return len(re.Sub) > 0 && anchoredAtStart(re.Sub[0])
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			if !anchoredAtStart(sub) {
				return false
			}
		}
		return true
	}
	return false
}

// leadingLiterals returns non-empty strings one of which every match of
// re begins with, and whether they are compared ignoring ASCII case; nil
// when it finds none. A literal folded with a letter outside ASCII that
// has other cases gives nil.
func leadingLiterals(re *syntax.Regexp) ([]string, bool) {
	fold := false
	var lead func(re *syntax.Regexp) []string
	lead = func(re *syntax.Regexp) []string {
		switch re.Op {
		case syntax.OpLiteral:
			if len(re.Rune) == 0 {
				return nil
			}
			if re.Flags&syntax.FoldCase != 0 {
				for _, r := range re.Rune {
					if r >= 0x80 && unicode.SimpleFold(r) != r {
						return nil
					}
				}
				fold = true
			}
			return []string{string(re.Rune)}
		case syntax.OpCharClass:
			// A small class of ASCII characters: each is a literal.
			var out []string
			for i := 0; i+1 < len(re.Rune); i += 2 {
				lo, hi := re.Rune[i], re.Rune[i+1]
				if hi >= 0x80 || len(out)+int(hi-lo)+1 > 64 {
					return nil
				}
				for r := lo; r <= hi; r++ {
					out = append(out, string(r))
				}
			}
			return out
		case syntax.OpCapture, syntax.OpPlus:
			return lead(re.Sub[0])
		case syntax.OpRepeat:
			if re.Min >= 1 {
				return lead(re.Sub[0])
			}
		case syntax.OpConcat:
			// Zero-width assertions take no text: the first part that
			// does begins the match.
			for _, sub := range re.Sub {
				switch sub.Op {
				case syntax.OpBeginText, syntax.OpBeginLine, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
					continue
				}
				return lead(sub)
			}
		case syntax.OpAlternate:
			var all []string
			for _, sub := range re.Sub {
				n := lead(sub)
				if n == nil {
					return nil
				}
				all = append(all, n...)
			}
			return all
		}
		return nil
	}
	return lead(re), fold
}

// mayMatch reports whether s holds one of the needed literals. A text
// with bytes outside ASCII is not tested: case folding there goes beyond
// ASCII (the Kelvin sign is a k).
func (q *quickRE) mayMatch(s string) bool {
	var buf [256]byte
	if q.fold && len(s) <= len(buf) {
		for i := 0; i < len(s); i++ {
			b := s[i]
			if b >= 0x80 {
				return true
			}
			if 'A' <= b && b <= 'Z' {
				b += 'a' - 'A'
			}
			buf[i] = b
		}
		lower := buf[:len(s)]
		for _, lit := range q.need {
			if bytes.Contains(lower, []byte(lit)) {
				return true
			}
		}
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return true
		}
	}
	if q.fold {
		s = strings.ToLower(s) // longer than buf: rare
	}
	for _, lit := range q.need {
		if strings.Contains(s, lit) {
			return true
		}
	}
	return false
}

// requiredLiterals returns strings one of which every match of re holds,
// the longest such set it finds, and whether they are compared ignoring
// case; nil when it finds none. Literals outside ASCII give nil.
func requiredLiterals(re *syntax.Regexp) ([]string, bool) {
	fold := false
	var need func(re *syntax.Regexp) []string
	need = func(re *syntax.Regexp) []string {
		if set, ok := exactSet(re, &fold); ok {
			return set
		}
		switch re.Op {
		case syntax.OpCapture, syntax.OpPlus:
			return need(re.Sub[0])
		case syntax.OpRepeat:
			if re.Min >= 1 {
				return need(re.Sub[0])
			}
		case syntax.OpConcat:
			// A run of parts that spell a few strings ("co" then "mment"
			// or "ntact") needs one of those whole; any part's literals
			// will do, and those whose shortest is longest are the
			// rarest to find by chance.
			var best []string
			better := func(n []string) {
				if n != nil && (best == nil || shortest(n) > shortest(best)) {
					best = n
				}
			}
			run := []string{""}
			for _, sub := range re.Sub {
				if set, ok := exactSet(sub, &fold); ok {
					if run = product(run, set); run == nil {
						run = []string{""}
					}
					continue
				}
				better(run)
				run = []string{""}
				better(need(sub))
			}
			better(run)
			return best
		case syntax.OpAlternate:
			var all []string
			for _, sub := range re.Sub {
				n := need(sub)
				if n == nil {
					return nil
				}
				all = append(all, n...)
			}
			return all
		}
		return nil
	}
	n := need(re)
	if n == nil || shortest(n) == 0 {
		return nil, false
	}
	if fold {
		// Folding one literal folds the test: the others too compare in
		// lower case, which finds all that their exact case finds.
		for i := range n {
			n[i] = strings.ToLower(n[i])
		}
	}
	// A text that holds "footer" holds "foot": testing "foot" is enough.
	var kept []string
	for i, s := range n {
		redundant := false
		for j, t := range n {
			if j != i && strings.Contains(s, t) && (s != t || j < i) {
				redundant = true
				break
			}
		}
		if !redundant {
			kept = append(kept, s)
		}
	}
	return kept, fold
}

// maxExact bounds the strings exactSet spells out.
const maxExact = 256

// exactSet returns the strings re matches when they are few and ASCII
// (zero-width assertions match ""), and sets *fold when one is to be
// compared ignoring case.
func exactSet(re *syntax.Regexp, fold *bool) ([]string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if r >= 0x80 {
				return nil, false
			}
		}
		if re.Flags&syntax.FoldCase != 0 {
			*fold = true
		}
		return []string{string(re.Rune)}, true
	case syntax.OpEmptyMatch, syntax.OpBeginText, syntax.OpEndText, syntax.OpBeginLine, syntax.OpEndLine,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return []string{""}, true
	case syntax.OpCapture:
		return exactSet(re.Sub[0], fold)
	case syntax.OpQuest:
		set, ok := exactSet(re.Sub[0], fold)
		if !ok || len(set) >= maxExact {
			return nil, false
		}
		return append(set, ""), true
	case syntax.OpAlternate:
		var all []string
		for _, sub := range re.Sub {
			set, ok := exactSet(sub, fold)
			if !ok || len(all)+len(set) > maxExact {
				return nil, false
			}
			all = append(all, set...)
		}
		return all, true
	case syntax.OpConcat:
		run := []string{""}
		for _, sub := range re.Sub {
			set, ok := exactSet(sub, fold)
			if !ok {
				return nil, false
			}
			if run = product(run, set); run == nil {
				return nil, false
			}
		}
		return run, true
	}
	return nil, false
}

// product returns every a followed by every b, or nil past maxExact.
func product(a, b []string) []string {
	if len(a)*len(b) > maxExact {
		return nil
	}
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return out
}

func shortest(list []string) int {
	m := -1
	for _, s := range list {
		if m < 0 || len(s) < m {
			m = len(s)
		}
	}
	return m
}
