package index

import (
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// pairFilterName is the name under which the filter that joins
// neighbouring words is known to Bleve's registry and stored in index
// mappings on disk. (Indexes of MappingVersion 2 name a shingle filter
// "warta_pair" in their own mapping and keep working.)
const pairFilterName = "warta_frequent_pair"

// frequentWords are the words whose pairs body_pairs holds: a pair of
// neighbouring words is indexed only when one of its two words is here.
//
// A phrase is slow only when its words are in most articles, because
// Bleve then reads the positions of every one of them; a phrase with a
// rarer word has short postings and is checked by positions quickly.
// Indexing every pair cost three quarters of the indexing time and half
// the index, so only the pairs that make phrases slow are kept (the idea
// Lucene calls common grams).
//
// How the list was chosen, from document frequencies (the share of
// articles a lowercased word occurs in) in two samples: the national news
// articles of ../shared/corpus/id-news-dev with the Sawahlunto seed
// article (14 articles, ten publishers), and the demo site's first 2,000
// articles. The Indonesian words in at least 30% of the national news
// articles that are either in at least 30% of the demo's too, or function
// words (in Bleve's Indonesian stop list); so neither one site's subjects
// ("sawahlunto", "kota") nor one sample's ("jakarta") get in. Then the
// English words in at least 50% of the English articles of zyte-dev,
// l3s-gn1-dev and dragnet-dev (1,318), for quoted English. Numbers were
// left out. Adding a word makes the index larger and its phrases faster;
// results are the same whatever the list holds, as long as the index was
// built with the list its queries use: a change to it needs a new
// MappingVersion, so that older indexes are rebuilt.
var frequentWords = setOf(strings.Fields(`
	dan di yang dari ini dalam itu dengan untuk ke adalah akan juga kata
	sangat dunia tahun telah bisa ia pada tersebut tidak
	ada karena mereka namun sudah antara saat seperti tak dia hal jika kita
	lain saja

	the to and a of in for on s is with that it at by as be from this have
	are an but has not was will you one all or more i out can we they t up
`))

func setOf(words []string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// pairIndexed reports whether body_pairs holds the pair of two lowercased
// neighbouring words.
func pairIndexed(a, b []byte) bool {
	return frequentWords[string(a)] || frequentWords[string(b)]
}

// pairTerm is the body_pairs term of two neighbouring words.
func pairTerm(a, b []byte) string {
	return string(a) + " " + string(b)
}

func newPairFilter(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
	return pairFilter{}, nil
}

// pairFilter is a Bleve token filter that replaces a stream of lowercased
// words by the pairs of neighbouring words that pairIndexed names.
type pairFilter struct{}

// Filter returns the indexed pairs of input, each at the position of its
// first word.
func (pairFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	// One slab for the tokens and one for their terms: a body makes
	// hundreds of pairs.
	var n, size int
	for i := 0; i+1 < len(input); i++ {
		if a, b := input[i], input[i+1]; b.Position == a.Position+1 && pairIndexed(a.Term, b.Term) {
			n++
			size += len(a.Term) + 1 + len(b.Term)
		}
	}
	out := make(analysis.TokenStream, 0, n)
	toks := make([]analysis.Token, 0, n)
	buf := make([]byte, 0, size)
	for i := 0; i+1 < len(input); i++ {
		a, b := input[i], input[i+1]
		// A gap (a word a filter dropped) is no neighbourhood: a phrase
		// needs consecutive positions.
		if b.Position != a.Position+1 || !pairIndexed(a.Term, b.Term) {
			continue
		}
		start := len(buf)
		buf = append(buf, a.Term...)
		buf = append(buf, ' ')
		buf = append(buf, b.Term...)
		toks = append(toks, analysis.Token{
			Term:     buf[start:len(buf):len(buf)],
			Position: a.Position,
			Start:    a.Start,
			End:      b.End,
			Type:     analysis.Shingle,
		})
		out = append(out, &toks[len(toks)-1])
	}
	return out
}
