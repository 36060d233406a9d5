package index

import (
	"bytes"
	"slices"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/stop"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/size"
	index "github.com/blevesearch/bleve_index_api"
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
//
// The tokens of the document's shared words come from wordBuffers of
// arenas, taken when the first field is analysed and put back once every
// field has counted its terms.
func shareWords(doc *document.Document, arenas *sync.Pool) {
	var arena *wordArena
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
		if arena == nil {
			arena = &wordArena{pool: arenas}
		}
		arena.left.Add(int32(j - i))
		// As wordTokenizer guesses a value's words, and as many again
		// for their stems and for their pairs.
		arena.need += 3 * (len(first.Value())/6 + 1)
		w := &sharedWords{tokenizer: tok, arena: arena}
		w.left.Store(int32(j - i))
		// The fields share one copy of the value (MapDocument made one
		// each): the batch holds every document until it is written.
		value := first.Value()
		for k := i; k < j; k++ {
			tf := doc.Fields[k].(*document.TextField)
			w.stored = w.stored || tf.Options().IsStored()
			if k > i {
				filters, _, _ = sharable(tf)
			}
			doc.Fields[k] = &sharedField{name: tf.Name(), arrayPositions: tf.ArrayPositions(), options: tf.Options(), value: value, words: w, filters: filters}
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
	arena     *wordArena   // where the tokens come from
	stored    bool         // a field of the value stores it
	left      atomic.Int32 // fields that have not yet taken the words
	once      sync.Once
	tokens    analysis.TokenStream
}

// take returns the words of value for one of the fields.
func (w *sharedWords) take(value []byte) analysis.TokenStream {
	w.once.Do(func() { w.tokens = w.split(value, w.arena) })
	if ts := w.tokens; ts != nil {
		return ts
	}
	// Asked again after every field had the words (Bleve analyses each
	// field once; this is for safety, not speed), maybe after the arena
	// went back to its pool.
	return w.split(value, nil)
}

// split returns the lowercased words of value, their tokens from arena
// when it is not nil.
func (w *sharedWords) split(value []byte, arena *wordArena) analysis.TokenStream {
	// Lowercasing writes into the bytes it is given (as Bleve's analysis
	// does), and a stored value must stay as written.
	if w.stored {
		value = bytes.Clone(value)
	}
	var ts analysis.TokenStream
	if wt, ok := w.tokenizer.(wordTokenizer); ok && arena != nil {
		ts = wt.split(value, &arena.buffers().slab)
	} else {
		ts = w.tokenizer.Tokenize(value)
	}
	return lowercase.NewLowerCaseFilter().Filter(ts)
}

// done records that a field has filtered the words.
func (w *sharedWords) done() {
	if w.left.Add(-1) == 0 {
		w.tokens = nil
	}
}

// wordArena lends the shared words of one document buffers for their
// tokens, and for one field's filtered copy of them at a time, which the
// next document reuses once every field has counted its terms (Bleve
// analyses the fields of a document one after the other, and its term
// counts keep the words' bytes, not their tokens). The tokens were 8% of
// what indexing allocated.
type wordArena struct {
	pool *sync.Pool   // of *wordBuffers
	need int          // tokens the document's values are guessed to hold
	left atomic.Int32 // fields that have not yet counted their terms
	bufs *wordBuffers // from pool while the fields are analysed
}

// wordBuffers are the buffers a wordArena lends.
type wordBuffers struct {
	tokens  []analysis.Token // reserved, handed out by slab
	slab    tokenSlab
	scratch analysis.TokenStream // a field's copy of the words
	pairs   analysis.TokenStream // a field's word pairs
}

// buffers returns the document's buffers, taking them from the pool on
// first use: a batch's documents are all mapped before any is analysed,
// and only the few being analysed at once hold buffers.
func (a *wordArena) buffers() *wordBuffers {
	if a.bufs != nil {
		return a.bufs
	}
	b, _ := a.pool.Get().(*wordBuffers)
	if b == nil {
		b = &wordBuffers{}
	}
	if cap(b.tokens) < a.need {
		b.tokens = make([]analysis.Token, 0, a.need)
	}
	b.slab = tokenSlab{free: b.tokens[:0]}
	a.bufs = b
	return b
}

// filter runs filters over a copy of ts in the scratch stream, the new
// tokens of warta's own filters from the buffers.
func (a *wordArena) filter(ts analysis.TokenStream, filters []analysis.TokenFilter) analysis.TokenStream {
	b := a.buffers()
	b.scratch = append(b.scratch[:0], ts...)
	ts = b.scratch
	for _, f := range filters {
		switch f := f.(type) {
		case stemFilter:
			ts = f.filter(ts, &b.slab)
		case pairFilter:
			b.pairs = f.filter(ts, b.pairs, &b.slab)
			ts = b.pairs
		default:
			ts = f.Filter(ts)
		}
	}
	return ts
}

// done records that a field has counted its terms, and puts the buffers
// back into the pool after the last.
func (a *wordArena) done() {
	if a.left.Add(-1) != 0 || a.bufs == nil {
		return
	}
	b := a.bufs
	a.bufs = nil
	// Let go of what the tokens point to (the document's values).
	used := cap(b.tokens)
	if cap(b.slab.free) == used {
		used = len(b.slab.free) // the reserve sufficed
	}
	clear(b.tokens[:used])
	clear(b.scratch[:cap(b.scratch)])
	clear(b.pairs[:cap(b.pairs)])
	b.scratch, b.pairs, b.slab = b.scratch[:0], b.pairs[:0], tokenSlab{}
	a.pool.Put(b)
}

// sharedField is a text field whose value other fields index too (see
// shareWords): it analyses the shared words with its own filters, and it
// counts its terms as analysis.TokenFrequency does, with fewer
// allocations (its terms and their locations in slabs, each term's
// locations sized from its count), because what it counts stays in
// memory until the batch is written.
type sharedField struct {
	name           string
	arrayPositions []uint64
	options        index.FieldIndexingOptions
	value          []byte
	words          *sharedWords
	filters        []analysis.TokenFilter

	analysed  bool // Analyze ran before
	length    int  // tokens analysed
	freqs     index.TokenFrequencies
	freqsSize int // freqs' share of Size
}

// Name returns the field's name.
func (f *sharedField) Name() string { return f.name }

// ArrayPositions returns the field's place in arrays of the document.
func (f *sharedField) ArrayPositions() []uint64 { return f.arrayPositions }

// Options returns how the field is indexed.
func (f *sharedField) Options() index.FieldIndexingOptions { return f.options }

// Value returns the value, as written if the field is stored.
func (f *sharedField) Value() []byte { return f.value }

// NumPlainTextBytes returns the length of the value.
func (f *sharedField) NumPlainTextBytes() uint64 { return uint64(len(f.value)) }

// EncodedFieldType returns the type a stored value is read back as: text.
func (f *sharedField) EncodedFieldType() byte { return 't' }

// AnalyzedLength returns the number of tokens Analyze found.
func (f *sharedField) AnalyzedLength() int { return f.length }

// AnalyzedTokenFrequencies returns the terms Analyze counted.
func (f *sharedField) AnalyzedTokenFrequencies() index.TokenFrequencies { return f.freqs }

// Size estimates the memory the field holds, as Bleve's TextField does,
// from figures Analyze kept: Bleve adds up the sizes of every document of
// a batch, term by term, in the one goroutine that collects them.
func (f *sharedField) Size() int {
	return int(unsafe.Sizeof(*f)) + len(f.name) + len(f.arrayPositions)*size.SizeOfUint64 + len(f.value) + f.freqsSize
}

// Analyze splits the value into words (once for all the fields that
// share them), filters them and counts the terms.
func (f *sharedField) Analyze() {
	arena := f.words.arena
	if f.analysed {
		// The arena may serve another document by now.
		arena = nil
	}
	var ts analysis.TokenStream
	if arena != nil {
		ts = f.words.take(f.value)
	} else {
		ts = f.words.split(f.value, nil)
	}
	// Filters may reorder or drop the stream's entries, not change its
	// tokens.
	switch {
	case len(f.filters) == 0:
	case arena != nil:
		ts = arena.filter(ts, f.filters)
	default:
		ts = slices.Clone(ts)
		for _, fl := range f.filters {
			ts = fl.Filter(ts)
		}
	}
	f.length = len(ts)
	f.freqs, f.freqsSize = termFrequencies(ts, f.arrayPositions, f.options)
	if !f.analysed {
		f.analysed = true
		f.words.done()
		if arena != nil {
			arena.done()
		}
	}
}

// Static sizes of the structures termFrequencies makes, for Size.
var (
	tokenFreqSize     = int(unsafe.Sizeof(index.TokenFreq{}))
	tokenLocationSize = int(unsafe.Sizeof(index.TokenLocation{}))
)

// termFrequencies counts the terms of tokens as analysis.TokenFrequency
// does (the same terms, frequencies and locations, in the same order),
// and returns with them the size TokenFrequencies.Size would report.
func termFrequencies(tokens analysis.TokenStream, arrayPositions []uint64, options index.FieldIndexingOptions) (index.TokenFrequencies, int) {
	// About two thirds of an article's words are distinct; a map that
	// must grow costs less than one twice too large held for a batch.
	freqs := make(index.TokenFrequencies, len(tokens)*3/4+1)
	vectors := options.IncludeTermVectors()
	var of []*index.TokenFreq // each token's term, for its location
	if vectors {
		of = make([]*index.TokenFreq, len(tokens))
	}
	var slab []index.TokenFreq
	total := size.SizeOfMap
	for i, tok := range tokens {
		tf := freqs[string(tok.Term)]
		if tf == nil {
			if len(slab) == cap(slab) {
				slab = make([]index.TokenFreq, 0, (len(tokens)-i)*3/4+1)
			}
			slab = append(slab, index.TokenFreq{Term: tok.Term})
			tf = &slab[len(slab)-1]
			freqs[string(tok.Term)] = tf
			total += size.SizeOfString + size.SizeOfPtr + 2*len(tok.Term) + tokenFreqSize
		}
		tf.SetFrequency(tf.Frequency() + 1)
		if vectors {
			of[i] = tf
		}
	}
	if vectors {
		locs := make([]index.TokenLocation, len(tokens))
		ptrs := make([]*index.TokenLocation, len(tokens))
		next := 0
		for i, tf := range of {
			if tf.Locations == nil {
				// The term's first token: its run of ptrs, as long as
				// its count, capped so that appending to one term's
				// locations (Bleve merges fields of one name so) never
				// writes into the next's.
				n := tf.Frequency()
				tf.Locations = ptrs[next : next : next+n]
				next += n
			}
			tok := tokens[i]
			locs[i] = index.TokenLocation{ArrayPositions: arrayPositions, Start: tok.Start, End: tok.End, Position: tok.Position}
			tf.Locations = append(tf.Locations, &locs[i])
		}
		total += len(tokens) * (tokenLocationSize + len(arrayPositions)*size.SizeOfUint64)
	}
	if options.SkipFreqNorm() {
		for _, tf := range freqs {
			tf.SetFrequency(0)
		}
	}
	return freqs, total
}
