package index

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
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

// pairWords are the words whose pairs a body_pairs field holds: a
// generation's own list, learnt from the archive's document frequencies
// when it was rebuilt (see learnPairWords), or else frequentWords.
type pairWords map[string]bool

// indexed reports whether body_pairs holds the pair of two lowercased
// neighbouring words.
func (w pairWords) indexed(a, b []byte) bool {
	if w == nil {
		w = frequentWords
	}
	return w[string(a)] || w[string(b)]
}

// pairIndexed reports whether a body_pairs field made with frequentWords
// holds the pair of two lowercased neighbouring words.
func pairIndexed(a, b []byte) bool {
	return pairWords(nil).indexed(a, b)
}

// pairTerm is the body_pairs term of two neighbouring words.
func pairTerm(a, b []byte) string {
	return string(a) + " " + string(b)
}

// pairWordsKey is the key of a pair filter's configuration, in an index
// mapping, that lists its words; without it the filter uses
// frequentWords.
const pairWordsKey = "words"

func newPairFilter(config map[string]interface{}, _ *registry.Cache) (analysis.TokenFilter, error) {
	list, ok := config[pairWordsKey]
	if !ok {
		return pairFilter{}, nil
	}
	words := pairWords{}
	switch list := list.(type) {
	case []string: // a mapping made in this process
		for _, w := range list {
			words[w] = true
		}
	case []interface{}: // a mapping read back from its JSON
		for _, w := range list {
			s, ok := w.(string)
			if !ok {
				return nil, fmt.Errorf("index: %s filter: word %v is not a string", pairFilterName, w)
			}
			words[s] = true
		}
	default:
		return nil, fmt.Errorf("index: %s filter: %q is %T, not a list of words", pairFilterName, pairWordsKey, list)
	}
	return pairFilter{words: words}, nil
}

// pairFilter is a Bleve token filter that replaces a stream of lowercased
// words by the pairs of neighbouring words that words.indexed names.
type pairFilter struct {
	words pairWords // nil: frequentWords
}

// Filter returns the indexed pairs of input, each at the position of its
// first word.
func (f pairFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	return f.filter(input, nil, &tokenSlab{})
}

// filter is Filter with the pairs appended to out and their tokens from
// slab.
func (f pairFilter) filter(input, out analysis.TokenStream, slab *tokenSlab) analysis.TokenStream {
	// One slab for the terms: a body makes hundreds of pairs.
	var n, size int
	for i := 0; i+1 < len(input); i++ {
		if a, b := input[i], input[i+1]; b.Position == a.Position+1 && f.words.indexed(a.Term, b.Term) {
			n++
			size += len(a.Term) + 1 + len(b.Term)
		}
	}
	if out == nil {
		out = make(analysis.TokenStream, 0, n)
	} else {
		out = slices.Grow(out[:0], n)
	}
	buf := make([]byte, 0, size)
	for i := 0; i+1 < len(input); i++ {
		a, b := input[i], input[i+1]
		// A gap (a word a filter dropped) is no neighbourhood: a phrase
		// needs consecutive positions.
		if b.Position != a.Position+1 || !f.words.indexed(a.Term, b.Term) {
			continue
		}
		start := len(buf)
		buf = append(buf, a.Term...)
		buf = append(buf, ' ')
		buf = append(buf, b.Term...)
		t := slab.next(n - len(out))
		*t = analysis.Token{
			Term:     buf[start:len(buf):len(buf)],
			Position: a.Position,
			Start:    a.Start,
			End:      b.End,
			Type:     analysis.Shingle,
		}
		out = append(out, t)
	}
	return out
}

// pairWordsOf returns the words whose pairs the body_pairs field of an
// index with mapping im holds: nil for frequentWords (or for an index
// whose body_pairs is not made by a pairFilter, as in MappingVersion 2,
// which holds every pair).
func pairWordsOf(im mapping.IndexMapping) pairWords {
	a, ok := im.AnalyzerNamed(analyzerPairs).(*analysis.DefaultAnalyzer)
	if !ok {
		return nil
	}
	for _, f := range a.TokenFilters {
		if pf, ok := f.(pairFilter); ok {
			return pf.words
		}
	}
	return nil
}

// Learning the word list from the archive: a word whose pairs are worth
// indexing is one in at least learnShare of the articles, counted in the
// current generation's exact body words when a rebuild starts; with
// fewer than learnMin articles the counts say little, and frequentWords
// stays. At most learnMax words are kept, the most frequent, so that an
// archive of one site's boilerplate cannot make body_pairs hold every
// pair. Words without a letter (numbers) are left out, as in
// frequentWords.
const (
	learnShare = 0.3
	learnMin   = 1000
	learnMax   = 200
)

// learnPairWords returns the words of the index bi whose pairs a
// rebuilt body_pairs should hold, by their document frequencies; nil
// when bi holds too few articles to tell, or none such.
func learnPairWords(ctx context.Context, bi bleve.Index) ([]string, error) {
	n, err := bi.DocCount()
	if err != nil || n < learnMin {
		return nil, err
	}
	dict, err := bi.FieldDict(fieldBodyExact)
	if err != nil {
		return nil, err
	}
	defer dict.Close()
	counts := map[string]uint64{}
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		e, err := dict.Next()
		if err != nil {
			return nil, err
		}
		if e == nil {
			break
		}
		if float64(e.Count) >= learnShare*float64(n) {
			counts[e.Term] = e.Count
		}
	}
	words := pickPairWords(counts, n)
	if len(words) == 0 {
		// No body words (an index of an earlier mapping, or no text):
		// nothing learnt.
		return nil, nil
	}
	return words, nil
}

// pickPairWords returns, sorted, the words whose pairs are worth
// indexing among words counted in the given number of articles: those in
// learnShare of them with a letter, the learnMax most frequent at most.
func pickPairWords(counts map[string]uint64, articles uint64) []string {
	type df struct {
		word  string
		count uint64
	}
	var frequent []df
	for w, c := range counts {
		if float64(c) >= learnShare*float64(articles) && strings.ContainsFunc(w, unicode.IsLetter) {
			frequent = append(frequent, df{w, c})
		}
	}
	slices.SortFunc(frequent, func(a, b df) int { return cmp.Or(cmp.Compare(b.count, a.count), strings.Compare(a.word, b.word)) })
	words := make([]string, 0, min(len(frequent), learnMax))
	for _, f := range frequent[:min(len(frequent), learnMax)] {
		words = append(words, f.word)
	}
	slices.Sort(words)
	return words
}

// learnedMapping returns the mapping of a generation that a rebuild
// fills: warta's, with body_pairs holding the pairs of the words that the
// current generation's articles use most (learnPairWords), or of
// frequentWords when it holds too few articles or cannot be read.
func (ix *Index) learnedMapping(ctx context.Context) (*mapping.IndexMappingImpl, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var words []string
	err := ix.read(ctx, func(bi bleve.Index) error {
		var err error
		words, err = learnPairWords(ctx, bi)
		return err
	})
	if err != nil {
		// A rebuild is how a damaged index is mended: it goes on with
		// the fixed list.
		ix.log.Warn("index_pair_words_not_learnt", "dir", ix.dir, "err", err)
		return ix.mapping, nil
	}
	if words == nil {
		return ix.mapping, nil
	}
	ix.log.Info("index_pair_words_learnt", "dir", ix.dir, "words", len(words))
	return newMappingWith(AnalyzerID, words)
}
