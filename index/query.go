package index

import (
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// SyntaxError reports a query that cannot be parsed and where the problem
// is, so that a user interface can point at it.
type SyntaxError struct {
	// Query is the query text as given.
	Query string
	// Offset is the byte offset of the problem in Query.
	Offset int
	// Column is the 1-based character column of the problem in Query.
	Column int
	// Msg says what is wrong.
	Msg string
}

// Error returns the message with its column.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("bad query at column %d: %s", e.Column, e.Msg)
}

// Caret returns the query on one line and a caret under the problem on the
// next, for terminals.
func (e *SyntaxError) Caret() string {
	return e.Query + "\n" + strings.Repeat(" ", e.Column-1) + "^"
}

func syntaxError(q string, off int, format string, args ...any) *SyntaxError {
	if off > len(q) {
		off = len(q)
	}
	return &SyntaxError{
		Query:  q,
		Offset: off,
		Column: utf8.RuneCountInString(q[:off]) + 1,
		Msg:    fmt.Sprintf(format, args...),
	}
}

// Token kinds of the lexer.
type tokKind int

const (
	tokEOF tokKind = iota
	tokWord
	tokPhrase
	tokField // a word followed by ':'; text is the field name
	tokLParen
	tokRParen
	tokLBracket // [ or {
	tokRBracket // ] or }
	tokAnd
	tokOr
	tokNot
	tokMinus
	tokPlus
	tokTo
)

type token struct {
	kind tokKind
	text string // unescaped text of words and phrases; the bracket itself for brackets
	off  int
	// wild reports an unescaped * or ? in a word.
	wild bool
}

// lex splits q into tokens.
func lex(q string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(q) {
		c := q[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(':
			toks = append(toks, token{kind: tokLParen, off: i})
			i++
		case c == ')':
			toks = append(toks, token{kind: tokRParen, off: i})
			i++
		case c == '[' || c == '{':
			toks = append(toks, token{kind: tokLBracket, text: string(c), off: i})
			i++
		case c == ']' || c == '}':
			toks = append(toks, token{kind: tokRBracket, text: string(c), off: i})
			i++
		case c == '&' && strings.HasPrefix(q[i:], "&&"):
			toks = append(toks, token{kind: tokAnd, off: i})
			i += 2
		case c == '|' && strings.HasPrefix(q[i:], "||"):
			toks = append(toks, token{kind: tokOr, off: i})
			i += 2
		case (c == '-' || c == '+' || c == '!') && (len(toks) == 0 || toks[len(toks)-1].kind != tokField):
			kind := tokMinus
			if c == '+' {
				kind = tokPlus
			}
			toks = append(toks, token{kind: kind, off: i})
			i++
		case c == '"':
			start := i
			var b strings.Builder
			i++
			closed := false
			for i < len(q) {
				if q[i] == '\\' && i+1 < len(q) {
					b.WriteByte(q[i+1])
					i += 2
					continue
				}
				if q[i] == '"' {
					closed = true
					i++
					break
				}
				b.WriteByte(q[i])
				i++
			}
			if !closed {
				return nil, syntaxError(q, start, "unclosed quote")
			}
			toks = append(toks, token{kind: tokPhrase, text: b.String(), off: start})
		default:
			start := i
			var b strings.Builder
			wild := false
			for i < len(q) {
				c := q[i]
				if c == '\\' && i+1 < len(q) {
					b.WriteByte(q[i+1])
					i += 2
					continue
				}
				if strings.IndexByte(" \t\n\r()[]{}\"", c) >= 0 {
					break
				}
				if c == ':' && colonEndsField(toks, b.String()) {
					break
				}
				if c == '*' || c == '?' {
					wild = true
				}
				b.WriteByte(c)
				i++
			}
			word := b.String()
			if i < len(q) && q[i] == ':' {
				if word == "" {
					return nil, syntaxError(q, i, "field name missing before ':'")
				}
				i++
				toks = append(toks, token{kind: tokField, text: word, off: start})
				continue
			}
			kind := tokWord
			switch q[start:i] {
			case "AND":
				kind = tokAnd
			case "OR":
				kind = tokOr
			case "NOT":
				kind = tokNot
			case "TO":
				kind = tokTo
			}
			toks = append(toks, token{kind: kind, text: word, off: start, wild: wild})
		}
	}
	toks = append(toks, token{kind: tokEOF, off: len(q)})
	return toks, nil
}

// colonEndsField reports whether a ':' after word makes word a field name:
// only for a plain name, and not in a field's value or a range, where
// URLs and times have colons of their own.
func colonEndsField(toks []token, word string) bool {
	if word == "" {
		return true
	}
	for _, r := range word {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_') {
			return false
		}
	}
	depth := 0
	for _, t := range toks {
		switch t.kind {
		case tokLBracket:
			depth++
		case tokRBracket:
			depth--
		}
	}
	if depth > 0 {
		return false
	}
	return len(toks) == 0 || toks[len(toks)-1].kind != tokField
}

// node is a parsed query.
type node interface{}

type (
	orNode  struct{ kids []node }
	andNode struct {
		kids []node
	}
	notNode  struct{ kid node }
	wordNode struct {
		field string // "" for the default fields
		text  string
		off   int
		wild  bool
	}
	phraseNode struct {
		field string
		text  string
		off   int
	}
	rangeNode struct {
		field        string
		lo, hi       string // "*" for open
		incLo, incHi bool
		off          int
	}
	allNode struct{}
)

// maxDepth bounds the nesting of parentheses and NOTs in a query: the
// parser, the translator and Bleve's searchers each recurse once per
// level, and 20,000 NOTs took 4 s and 150 MB before matching anything.
const maxDepth = 100

// parser is a recursive-descent parser over the tokens of one query.
type parser struct {
	q     string
	toks  []token
	pos   int
	depth int // parentheses and NOTs open around the current token
}

// enter counts one more level of nesting at t, refused past maxDepth;
// the caller leaves it with p.depth--.
func (p *parser) enter(t token) error {
	p.depth++
	if p.depth > maxDepth {
		return syntaxError(p.q, t.off, "parentheses and NOTs nested more than %d deep", maxDepth)
	}
	return nil
}

// parse parses q into a query tree; an empty query is allNode.
func parse(q string) (node, error) {
	// Bytes that are not UTF-8 (a terminal in Latin-1) would be searched
	// as words no article has, and find nothing without saying why.
	for i, r := range q {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(q[i:]); size == 1 {
				return nil, syntaxError(q, i, "byte %#x is not UTF-8: give the query in UTF-8", q[i])
			}
		}
	}
	toks, err := lex(q)
	if err != nil {
		return nil, err
	}
	p := &parser{q: q, toks: toks}
	if p.peek().kind == tokEOF {
		return allNode{}, nil
	}
	n, err := p.or("")
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		if t.kind == tokRParen {
			return nil, syntaxError(q, t.off, "')' without '('")
		}
		return nil, syntaxError(q, t.off, "unexpected %s", p.describe(t))
	}
	return n, nil
}

func (p *parser) peek() token { return p.toks[p.pos] }
func (p *parser) next() token {
	t := p.toks[p.pos]
	if t.kind != tokEOF {
		p.pos++
	}
	return t
}

func (p *parser) describe(t token) string {
	switch t.kind {
	case tokEOF:
		return "end of query"
	case tokRParen:
		return "')'"
	case tokLParen:
		return "'('"
	case tokAnd:
		return "AND"
	case tokOr:
		return "OR"
	case tokNot:
		return "NOT"
	case tokTo:
		return "TO"
	case tokRBracket, tokLBracket:
		return "'" + t.text + "'"
	case tokField:
		return fmt.Sprintf("field %q", t.text)
	}
	return fmt.Sprintf("%q", t.text)
}

// or parses clauses joined by OR. field is the enclosing field:( ... ).
func (p *parser) or(field string) (node, error) {
	first, err := p.and(field)
	if err != nil {
		return nil, err
	}
	kids := []node{first}
	for p.peek().kind == tokOr {
		p.next()
		n, err := p.and(field)
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
	}
	if len(kids) == 1 {
		return first, nil
	}
	return orNode{kids: kids}, nil
}

// and parses clauses joined by AND or by nothing (the default operator).
func (p *parser) and(field string) (node, error) {
	first, err := p.unary(field)
	if err != nil {
		return nil, err
	}
	kids := []node{first}
	for {
		t := p.peek()
		switch t.kind {
		case tokAnd:
			p.next()
		case tokEOF, tokOr, tokRParen:
			if len(kids) == 1 {
				return first, nil
			}
			return andNode{kids: kids}, nil
		}
		n, err := p.unary(field)
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
	}
}

func (p *parser) unary(field string) (node, error) {
	t := p.peek()
	switch t.kind {
	case tokNot, tokMinus:
		p.next()
		if err := p.enter(t); err != nil {
			return nil, err
		}
		n, err := p.unary(field)
		p.depth--
		if err != nil {
			return nil, err
		}
		return notNode{kid: n}, nil
	case tokPlus:
		p.next()
		if err := p.enter(t); err != nil {
			return nil, err
		}
		defer func() { p.depth-- }()
		return p.unary(field)
	}
	return p.primary(field)
}

func (p *parser) primary(field string) (node, error) {
	t := p.next()
	switch t.kind {
	case tokLParen:
		if err := p.enter(t); err != nil {
			return nil, err
		}
		n, err := p.or(field)
		p.depth--
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != tokRParen {
			return nil, syntaxError(p.q, c.off, "expected ')' to close the '(' at column %d, found %s", syntaxError(p.q, t.off, "").Column, p.describe(c))
		}
		return n, nil
	case tokField:
		if field != "" {
			return nil, syntaxError(p.q, t.off, "field %q inside field %q", t.text, field)
		}
		name, ok := canonicalField(t.text)
		if !ok {
			return nil, syntaxError(p.q, t.off, "unknown field %q (fields: %s)", t.text, FieldNames())
		}
		v := p.peek()
		switch v.kind {
		case tokWord, tokPhrase, tokLParen, tokLBracket, tokTo:
			return p.primary(name)
		}
		return nil, syntaxError(p.q, v.off, "value missing after %q", t.text+":")
	case tokWord, tokTo:
		if t.wild && t.text == "*" {
			return allNode{}, nil
		}
		return wordNode{field: field, text: t.text, off: t.off, wild: t.wild}, nil
	case tokPhrase:
		return phraseNode{field: field, text: t.text, off: t.off}, nil
	case tokLBracket:
		return p.rangeRest(field, t)
	case tokEOF:
		return nil, syntaxError(p.q, t.off, "query ends where a word was expected")
	}
	return nil, syntaxError(p.q, t.off, "unexpected %s where a word was expected", p.describe(t))
}

// rangeRest parses "lo TO hi]" after the opening bracket open.
func (p *parser) rangeRest(field string, open token) (node, error) {
	if field == "" {
		return nil, syntaxError(p.q, open.off, "a range needs a field, as in published:[2021-01-01 TO 2021-12-31]")
	}
	bound := func() (string, error) {
		t := p.next()
		if t.kind == tokWord || t.kind == tokPhrase {
			return t.text, nil
		}
		return "", syntaxError(p.q, t.off, "expected a range bound, found %s", p.describe(t))
	}
	lo, err := bound()
	if err != nil {
		return nil, err
	}
	if t := p.next(); t.kind != tokTo {
		return nil, syntaxError(p.q, t.off, "expected TO in range, found %s", p.describe(t))
	}
	hi, err := bound()
	if err != nil {
		return nil, err
	}
	c := p.next()
	if c.kind != tokRBracket {
		return nil, syntaxError(p.q, c.off, "expected ']' or '}' to close the range, found %s", p.describe(c))
	}
	return rangeNode{field: field, lo: lo, hi: hi, incLo: open.text == "[", incHi: c.text == "]", off: open.off}, nil
}

// Period returns the first and the last instant of the calendar period
// that s names in loc: a year (2021), a month (2021-12) or a day
// (2021-12-23).
func Period(s string, loc *time.Location) (first, last time.Time, err error) {
	if loc == nil {
		loc = time.UTC
	}
	for _, p := range []struct {
		layout string
		years  int
		months int
		days   int
	}{{"2006-01-02", 0, 0, 1}, {"2006-01", 0, 1, 0}, {"2006", 1, 0, 0}} {
		t, err := time.ParseInLocation(p.layout, s, loc)
		if err != nil {
			continue
		}
		return t, t.AddDate(p.years, p.months, p.days).Add(-time.Nanosecond), nil
	}
	return time.Time{}, time.Time{}, fmt.Errorf("index: bad date %.40q: use 2021-12-31, 2021-12 or 2021", s)
}

// The instants a date filter can name: Bleve keeps dates as nanoseconds
// since 1970 in an int64, so nothing before 1677-09-21 or after
// 2262-04-11 can be compared.
var (
	earliest = time.Unix(0, math.MinInt64)
	latest   = time.Unix(0, math.MaxInt64)
)

// ParseDate reads one end of a date filter (Request.From or Request.To,
// from `--from`/`--to` or the web's from/to): a year, a month or a day
// (2021, 2021-12, 2021-12-23) in loc, as the period's first instant, or
// its last when end is set, or an RFC 3339 time. Empty gives the zero
// time (an open end). A date the index cannot compare (before 1678 or
// after 2262) is an error, not an empty result.
func ParseDate(s string, end bool, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		var first, last time.Time
		if first, last, err = Period(s, loc); err != nil {
			return time.Time{}, fmt.Errorf("%.40q is not a date (want YYYY-MM-DD, YYYY-MM, YYYY or an RFC 3339 time)", s)
		}
		t = first
		if end {
			t = last
		}
	}
	if err := checkDate(t); err != nil {
		return time.Time{}, fmt.Errorf("%.40q %w", s, err)
	}
	return t, nil
}

// checkDate refuses an instant outside the range the index can compare.
func checkDate(t time.Time) error {
	if t.Before(earliest) || t.After(latest) {
		return fmt.Errorf("is outside the dates the index can search (%s to %s)", earliest.UTC().Format("2006-01-02"), latest.UTC().Format("2006-01-02"))
	}
	return nil
}

// dateBound is one end of a date range in the query language: either a
// calendar date (compared with the article's own printed date) or an
// instant.
type dateBound struct {
	open    bool
	instant time.Time
	isTime  bool
	// number is the yyyymmdd of a calendar bound, padded per end: a
	// month or a year as a lower bound starts at its first day, as an
	// upper bound ends at its last.
	number float64
}

// parseDateBound reads s as a range end; upper says which end.
// Exclusive bounds on partial dates exclude the whole period.
func parseDateBound(s string, upper, inclusive bool) (dateBound, bool) {
	if s == "*" {
		return dateBound{open: true}, true
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return dateBound{instant: t, isTime: true}, true
	}
	// Pad so that for a lower bound a partial date's period is included
	// (inclusive) or excluded (exclusive) whole, and the same for upper.
	low := inclusive != upper // pad with zeros
	for _, layout := range []struct {
		layout string
		pad    float64
		scale  float64
	}{{"2006-01-02", 0, 1}, {"2006-01", 99, 100}, {"2006", 9999, 10000}} {
		t, err := time.Parse(layout.layout, s)
		if err != nil {
			continue
		}
		n := dateNumber(t.Date())
		if layout.scale > 1 {
			n = float64(int(n) / int(layout.scale) * int(layout.scale))
			if !low {
				n += layout.pad
			}
		}
		return dateBound{number: n}, true
	}
	return dateBound{}, false
}
