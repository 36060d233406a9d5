package index

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Boost of title matches over body matches.
const titleBoost = 3

// translator turns a parsed query into a Bleve query and gathers the words
// that snippets should highlight.
type translator struct {
	q        string
	stemmer  analysis.Analyzer // AnalyzerID
	exact    analysis.Analyzer // analyzerExact
	pairs    pairWords         // the searched generation's body_pairs words; nil for frequentWords
	marks    *markSet
	negative int // depth of NOT around the node being translated
	// expansions are the prefix and wildcard words met, which Bleve
	// turns into one term per matching word of the index.
	expansions []expansion
	// wildcards counts the words met that are not plain prefixes.
	wildcards int
}

// markSet holds what a snippet highlights: stems of bare words, exact
// lowercased words of phrases and quoted words, and prefixes.
type markSet struct {
	stems    map[string]bool
	exact    map[string]bool
	prefixes []string
}

func newMarkSet() *markSet {
	return &markSet{stems: map[string]bool{}, exact: map[string]bool{}}
}

// match reports whether a word of a title or a lead matches: its
// lowercased form is an exact word, has a prefix, or stems to a stem of
// the query.
func (m *markSet) match(word string) bool {
	lower := strings.ToLower(word)
	if m.exact[lower] {
		return true
	}
	for _, p := range m.prefixes {
		if strings.HasPrefix(lower, p) {
			return true
		}
	}
	// Stemming only cuts affixes and may restore one first letter, so a
	// word can stem to s only if it contains s without that letter.
	for s := range m.stems {
		if s != "" && strings.Contains(lower, s[1:]) && m.stems[stem(lower)] {
			return true
		}
	}
	return false
}

func (tr *translator) translate(n node) (query.Query, error) {
	switch n := n.(type) {
	case allNode:
		return query.NewMatchAllQuery(), nil
	case orNode:
		var qs []query.Query
		for _, k := range n.kids {
			q, err := tr.translate(k)
			if err != nil {
				return nil, err
			}
			qs = append(qs, q)
		}
		return query.NewDisjunctionQuery(qs), nil
	case andNode:
		var must, not []query.Query
		for _, k := range n.kids {
			if nk, ok := k.(notNode); ok {
				tr.negative++
				q, err := tr.translate(nk.kid)
				tr.negative--
				if err != nil {
					return nil, err
				}
				not = append(not, q)
				continue
			}
			q, err := tr.translate(k)
			if err != nil {
				return nil, err
			}
			must = append(must, q)
		}
		return booleanOf(must, not), nil
	case notNode:
		tr.negative++
		q, err := tr.translate(n.kid)
		tr.negative--
		if err != nil {
			return nil, err
		}
		return booleanOf(nil, []query.Query{q}), nil
	case wordNode:
		return tr.word(n)
	case phraseNode:
		return tr.phrase(n)
	case rangeNode:
		return tr.dateRange(n)
	}
	panic("index: unknown query node")
}

// booleanOf requires every query of must and none of not; with no must,
// every document is a candidate.
func booleanOf(must, not []query.Query) query.Query {
	if len(not) == 0 {
		if len(must) == 1 {
			return must[0]
		}
		return query.NewConjunctionQuery(must)
	}
	if len(must) == 0 {
		must = []query.Query{query.NewMatchAllQuery()}
	}
	return query.NewBooleanQuery(must, nil, not)
}

// exactOf maps the stemmed fields a query may name to their unstemmed
// copies.
var exactOf = map[string]string{"title": fieldTitleExact, "body": fieldBodyExact, "caption": fieldCaptionExact}

// analyzerOf names the analyzer of a text field. Queries name it
// explicitly: Bleve's lookup by path does not see the field names that the
// mapping gives to a second field of one property (title_exact).
func analyzerOf(field string) string {
	switch field {
	case fieldTitle, fieldBody, fieldCaption:
		return AnalyzerID
	case fieldTitleExact, fieldBodyExact, fieldCaptionExact, fieldPlace, fieldAgency, fieldAuthor, fieldURLWords:
		return analyzerExact
	}
	return ""
}

func match(field, text string, boost float64) query.Query {
	q := query.NewMatchQuery(text)
	q.SetField(field)
	q.Analyzer = analyzerOf(field)
	q.SetOperator(query.MatchQueryOperatorAnd)
	if boost != 0 {
		q.SetBoost(boost)
	}
	return q
}

func matchPhrase(field, text string, boost float64) query.Query {
	q := query.NewMatchPhraseQuery(text)
	q.SetField(field)
	q.Analyzer = analyzerOf(field)
	if boost != 0 {
		q.SetBoost(boost)
	}
	return q
}

func term(field, text string) query.Query {
	q := query.NewTermQuery(text)
	q.SetField(field)
	return q
}

func anyOf(qs ...query.Query) query.Query {
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewDisjunctionQuery(qs)
}

// stems returns the terms AnalyzerID makes of text; none for stop words.
func (tr *translator) stems(text string) []string {
	var out []string
	for _, t := range tr.stemmer.Analyze([]byte(text)) {
		out = append(out, string(t.Term))
	}
	return out
}

func (tr *translator) markExact(text string) {
	if tr.negative > 0 {
		return
	}
	for _, w := range strings.FieldsFunc(strings.ToLower(text), notWordRune) {
		tr.marks.exact[w] = true
	}
}

func (tr *translator) word(n wordNode) (query.Query, error) {
	if n.wild {
		return tr.wildcard(n)
	}
	switch n.field {
	case "", "title", "body", "caption":
		stems := tr.stems(n.text)
		if len(stems) == 0 {
			// A stop word: the stemmed fields dropped it, the exact
			// copies kept it.
			tr.markExact(n.text)
			if f, ok := exactOf[n.field]; ok {
				return match(f, n.text, 0), nil
			}
			return anyOf(match(fieldTitleExact, n.text, titleBoost), match(fieldBodyExact, n.text, 0), match(fieldCaptionExact, n.text, 0)), nil
		}
		if tr.negative == 0 {
			for _, s := range stems {
				tr.marks.stems[s] = true
			}
		}
		if n.field != "" {
			return match(n.field, n.text, 0), nil // the query names and index names agree
		}
		return anyOf(match(fieldTitle, n.text, titleBoost), match(fieldBody, n.text, 0), match(fieldCaption, n.text, 0)), nil
	case "published":
		return tr.dateRange(rangeNode{field: n.field, lo: n.text, hi: n.text, incLo: true, incHi: true, off: n.off})
	}
	return tr.exactField(n.field, n.text, n.off, false)
}

func (tr *translator) phrase(n phraseNode) (query.Query, error) {
	switch n.field {
	case "":
		tr.markExact(n.text)
		return anyOf(matchPhrase(fieldTitleExact, n.text, titleBoost), tr.bodyPhrase(n.text), matchPhrase(fieldCaptionExact, n.text, 0)), nil
	case "caption":
		tr.markExact(n.text)
		return matchPhrase(fieldCaptionExact, n.text, 0), nil
	case "title":
		tr.markExact(n.text)
		return matchPhrase(fieldTitleExact, n.text, 0), nil
	case "body":
		tr.markExact(n.text)
		return tr.bodyPhrase(n.text), nil
	case "published":
		return tr.dateRange(rangeNode{field: n.field, lo: n.text, hi: n.text, incLo: true, incHi: true, off: n.off})
	}
	return tr.exactField(n.field, n.text, n.off, true)
}

// bodyPhrase matches a phrase in the body. Bleve checks a phrase by
// reading the positions of each of its words in every article that has
// them all, which for two frequent words means most of the archive; a
// pair of neighbouring words of which one is frequent is instead one term
// of body_pairs (see pairWords). A two-word phrase is that term when
// body_pairs holds it; a longer one needs the pairs it holds, and the
// positions are checked only in the articles that have them. A phrase of
// rarer words is checked by positions alone: their postings are short.
func (tr *translator) bodyPhrase(text string) query.Query {
	var words [][]byte
	for _, t := range tr.exact.Analyze([]byte(text)) {
		words = append(words, t.Term)
	}
	var pairs []query.Query
	for i := 0; i+1 < len(words); i++ {
		if tr.pairs.indexed(words[i], words[i+1]) {
			pairs = append(pairs, term(fieldBodyPairs, pairTerm(words[i], words[i+1])))
		}
	}
	switch {
	case len(pairs) == 0:
		return matchPhrase(fieldBodyExact, text, 0)
	case len(words) == 2:
		return pairs[0]
	}
	return query.NewConjunctionQuery(append(pairs, matchPhrase(fieldBodyExact, text, 0)))
}

// exactField matches text in one of the fields that are not stemmed.
func (tr *translator) exactField(field, text string, off int, phrase bool) (query.Query, error) {
	switch field {
	case "place", "agency", "author":
		f := field // the query names and index names agree
		if phrase {
			return matchPhrase(f, text, 0), nil
		}
		return match(f, text, 0), nil
	case "site":
		return term(fieldSite, text), nil
	case "url":
		if strings.Contains(text, "://") {
			return term(fieldURL, text), nil
		}
		// The words of the address in their order: url:banjir-bandang
		// finds …/baca/banjir-bandang-landa-talawi.
		return matchPhrase(fieldURLWords, text, 0), nil
	case "language":
		return term(fieldLanguage, strings.ToLower(text)), nil
	case "category":
		return term(fieldCategories, strings.ToLower(text)), nil
	case "tag":
		return term(fieldTags, strings.ToLower(text)), nil
	case "id":
		return query.NewDocIDQuery([]string{text}), nil
	}
	return nil, syntaxError(tr.q, off, "field %q cannot be searched this way", field)
}

// wildcard handles words with * or ?: a prefix query when the only
// wildcard is a final *, a wildcard query otherwise, on exact words.
func (tr *translator) wildcard(n wordNode) (query.Query, error) {
	text := n.text
	var fields []string
	switch n.field {
	case "":
		fields = []string{fieldTitleExact, fieldBodyExact, fieldCaptionExact}
		text = strings.ToLower(text)
	case "caption":
		fields = []string{fieldCaptionExact}
		text = strings.ToLower(text)
	case "title":
		fields = []string{fieldTitleExact}
		text = strings.ToLower(text)
	case "body":
		fields = []string{fieldBodyExact}
		text = strings.ToLower(text)
	case "place", "agency", "author":
		fields = []string{n.field}
		text = strings.ToLower(text)
	case "category":
		fields = []string{fieldCategories}
		text = strings.ToLower(text)
	case "tag":
		fields = []string{fieldTags}
		text = strings.ToLower(text)
	case "site":
		fields = []string{fieldSite}
	case "url":
		fields = []string{fieldURLWords}
		if strings.Contains(text, "://") {
			fields = []string{fieldURL}
		} else {
			text = strings.ToLower(text)
		}
	case "language":
		fields = []string{fieldLanguage}
	default:
		return nil, syntaxError(tr.q, n.off, "wildcards do not work on field %q", n.field)
	}
	body := strings.TrimSuffix(text, "*")
	prefix := !strings.ContainsAny(body, "*?")
	// A wildcard before the second letter would make Bleve read every
	// word of the field (as Lucene, warta refuses leading wildcards).
	if lead := text[:strings.IndexAny(text, "*?")]; utf8.RuneCountInString(lead) < 2 {
		if prefix {
			return nil, syntaxError(tr.q, n.off, "a prefix needs at least two letters before '*'")
		}
		return nil, syntaxError(tr.q, n.off, "a wildcard needs at least two letters before the first '*' or '?' (%q)", n.text)
	}
	if !prefix {
		if err := tr.checkWildcard(n, text); err != nil {
			return nil, err
		}
	}
	if tr.negative == 0 && prefix {
		tr.marks.prefixes = append(tr.marks.prefixes, body)
	}
	var qs []query.Query
	for i, f := range fields {
		var boost float64
		if i == 0 && len(fields) > 1 {
			boost = titleBoost
		}
		if prefix {
			tr.expansions = append(tr.expansions, expansion{off: n.off, word: n.text, field: f, prefix: body})
			q := query.NewPrefixQuery(body)
			q.SetField(f)
			if boost != 0 {
				q.SetBoost(boost)
			}
			qs = append(qs, q)
			continue
		}
		tr.expansions = append(tr.expansions, expansion{off: n.off, word: n.text, field: f, wildcard: text})
		q := query.NewWildcardQuery(text)
		q.SetField(f)
		if boost != 0 {
			q.SetBoost(boost)
		}
		qs = append(qs, q)
	}
	return anyOf(qs...), nil
}

// Bounds of the wildcard words of one query (those with a * before the
// end or a ?). Bleve matches such a word with a DFA that it builds in full,
// for each field, before the search starts and without looking at the
// context: its size grows with the word's length and, for a ? after a *,
// doubles with each ?. "sa" and 150 "*a" took 12 s on a 300-article
// index, 300 "*?" 107 s, and a timeout could not stop either. At these
// bounds the costliest query (eight "sa*a???" and 17 more letters) took
// 0.4-1.4 s on a 3,000-article index on a loaded machine; with 6
// wildcards and 40 bytes it took 2 s. A prefix (tambang*) needs no DFA
// and is not bounded here.
const (
	maxWildcards     = 4  // * and ? in one word
	maxWildcardBytes = 24 // length of one word
	maxWildcardWords = 8  // such words in one query
)

// checkWildcard refuses a wildcard word that is over the bounds above.
func (tr *translator) checkWildcard(n wordNode, text string) error {
	tr.wildcards++
	if tr.wildcards > maxWildcardWords {
		return syntaxError(tr.q, n.off, "more than %d words with wildcards in one query", maxWildcardWords)
	}
	if k := strings.Count(text, "*") + strings.Count(text, "?"); k > maxWildcards {
		return syntaxError(tr.q, n.off, "%.60q has %d wildcards; at most %d in one word", n.text, k, maxWildcards)
	}
	if len(text) > maxWildcardBytes {
		return syntaxError(tr.q, n.off, "%.60q is too long for a wildcard (at most %d bytes)", n.text, maxWildcardBytes)
	}
	return nil
}

// dateRange matches publication dates: calendar dates against the
// article's own printed date, RFC 3339 times against the instant.
func (tr *translator) dateRange(n rangeNode) (query.Query, error) {
	if n.field != "published" {
		return nil, syntaxError(tr.q, n.off, "ranges work on published only")
	}
	lo, ok := parseDateBound(n.lo, false, n.incLo)
	if !ok {
		return nil, syntaxError(tr.q, n.off, "bad date %q: use 2021-12-31, 2021-12, 2021, an RFC 3339 time or *", n.lo)
	}
	hi, ok := parseDateBound(n.hi, true, n.incHi)
	if !ok {
		return nil, syntaxError(tr.q, n.off, "bad date %q: use 2021-12-31, 2021-12, 2021, an RFC 3339 time or *", n.hi)
	}
	if lo.isTime || hi.isTime {
		if (!lo.isTime && !lo.open) || (!hi.isTime && !hi.open) {
			return nil, syntaxError(tr.q, n.off, "a range mixes a date and a time: use the same kind on both ends")
		}
		for _, b := range []dateBound{lo, hi} {
			if err := checkDate(b.instant); b.isTime && err != nil {
				return nil, syntaxError(tr.q, n.off, "date %s %v", b.instant.Format(time.RFC3339), err)
			}
		}
		q := query.NewDateRangeInclusiveQuery(lo.instant, hi.instant, &n.incLo, &n.incHi)
		q.SetField(fieldPublished)
		return q, nil
	}
	var min, max *float64
	if !lo.open {
		min = &lo.number
	}
	if !hi.open {
		max = &hi.number
	}
	if min == nil && max == nil {
		zero := 0.0
		min = &zero
	}
	q := query.NewNumericRangeInclusiveQuery(min, max, &n.incLo, &n.incHi)
	q.SetField(fieldDate)
	return q, nil
}
