package index

import (
	"bytes"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/stop"
	"github.com/blevesearch/bleve/v2/document"
)

// shareWords lets the text fields of doc that index one value in several
// ways (the body as stems, as exact words and as pairs; the title and the
// captions as stems and as exact words) split it into lowercased words
// once, instead of once per field: a body's three splits were a sixth of
// indexing's CPU time and a fifth of what it allocated. Each field then
// applies the rest of its own analyzer to the shared words, so what it
// indexes is what its analyzer alone would index (TestShareWordsSameIndex).
//
// Fields share when they are neighbours in doc (as the mapping lists them
// under one property) with equal values, and their analyzers are
// tokenizer, lowercase and then only filters that never change a token
// they are given (see keepsTokens); any other field is left as it is.
func shareWords(doc *document.Document) {
	for i := 0; i < len(doc.Fields); {
		filters, tok, ok := sharable(doc.Fields[i])
		if !ok {
			i++
			continue
		}
		first := doc.Fields[i].(*document.TextField)
		j := i + 1
		for ; j < len(doc.Fields); j++ {
			_, t, ok := sharable(doc.Fields[j])
			if !ok || t != tok || !bytes.Equal(doc.Fields[j].Value(), first.Value()) ||
				!slices.Equal(doc.Fields[j].ArrayPositions(), first.ArrayPositions()) {
				break
			}
		}
		if j-i < 2 {
			i = j
			continue
		}
		w := &sharedWords{tokenizer: tok}
		w.left.Store(int32(j - i))
		for k := i; k < j; k++ {
			tf := doc.Fields[k].(*document.TextField)
			w.stored = w.stored || tf.Options().IsStored()
			if k > i {
				filters, _, _ = sharable(tf)
			}
			doc.Fields[k] = document.NewTextFieldCustom(tf.Name(), tf.ArrayPositions(), tf.Value(), tf.Options(), sharedAnalyzer{words: w, filters: filters})
		}
		i = j
	}
}

// sharable returns, for an indexed text field whose analyzer shareWords
// can split for it, the tokenizer and the filters after lowercase.
func sharable(f document.Field) ([]analysis.TokenFilter, analysis.Tokenizer, bool) {
	tf, ok := f.(*document.TextField)
	if !ok || !tf.Options().IsIndexed() {
		return nil, nil, false
	}
	a, ok := tf.Analyzer().(*analysis.DefaultAnalyzer)
	if !ok || len(a.CharFilters) > 0 || len(a.TokenFilters) == 0 {
		return nil, nil, false
	}
	switch a.Tokenizer.(type) {
	case wordTokenizer: // comparable, so that == tells two fields' apart
	default:
		return nil, nil, false
	}
	if _, ok := a.TokenFilters[0].(*lowercase.LowerCaseFilter); !ok {
		return nil, nil, false
	}
	for _, f := range a.TokenFilters[1:] {
		if !keepsTokens(f) {
			return nil, nil, false
		}
	}
	return a.TokenFilters[1:], a.Tokenizer, true
}

// keepsTokens reports whether filter f leaves the tokens it is given as
// they are (it may drop them from the stream, or replace them by new
// ones), so that several fields can filter the same tokens.
func keepsTokens(f analysis.TokenFilter) bool {
	switch f.(type) {
	case *stop.StopTokensFilter, stemFilter, pairFilter:
		return true
	}
	return false
}

// sharedWords holds the lowercased words of one value, split on first
// use and let go after the last, as Bleve lets a field's tokens go once
// it has counted them: the whole batch is analysed before it is written,
// so what stays live per article adds up.
type sharedWords struct {
	tokenizer analysis.Tokenizer
	stored    bool         // a field of the value stores it
	left      atomic.Int32 // fields that have not yet taken the words
	once      sync.Once
	tokens    analysis.TokenStream
}

// take returns the words of value for one of the fields.
func (w *sharedWords) take(value []byte) analysis.TokenStream {
	w.once.Do(func() { w.tokens = w.split(value) })
	if ts := w.tokens; ts != nil {
		return ts
	}
	// Asked again after every field had the words (Bleve analyses each
	// field once; this is for safety, not speed).
	return w.split(value)
}

// split returns the lowercased words of value.
func (w *sharedWords) split(value []byte) analysis.TokenStream {
	// Lowercasing writes into the bytes it is given (as Bleve's analysis
	// does), and a stored value must stay as written.
	if w.stored {
		value = bytes.Clone(value)
	}
	return lowercase.NewLowerCaseFilter().Filter(w.tokenizer.Tokenize(value))
}

// done records that a field has filtered the words.
func (w *sharedWords) done() {
	if w.left.Add(-1) == 0 {
		w.tokens = nil
	}
}

// sharedAnalyzer is one field's analyzer over shared words: its own
// filters, applied to a copy of the stream (filters may reorder or drop
// the stream's entries, not change its tokens).
type sharedAnalyzer struct {
	words   *sharedWords
	filters []analysis.TokenFilter
}

// Analyze returns the words of input, lowercased, through the field's
// filters.
func (a sharedAnalyzer) Analyze(input []byte) analysis.TokenStream {
	ts := a.words.take(input)
	if len(a.filters) > 0 {
		ts = slices.Clone(ts)
		for _, f := range a.filters {
			ts = f.Filter(ts)
		}
	}
	a.words.done()
	return ts
}
