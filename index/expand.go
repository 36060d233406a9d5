package index

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/blevesearch/bleve/v2"
	bindex "github.com/blevesearch/bleve_index_api"
	vregexp "github.com/blevesearch/vellum/regexp"
)

// DefaultMaxExpansion is Options.MaxExpansion's default: the most words of
// the index that the prefixes and wildcards of one query may stand for.
const DefaultMaxExpansion = 4096

// expansion is one prefix or wildcard word of a query on one field. Bleve
// searches it as one term query per matching word of the index, so its
// cost is the number of those words.
type expansion struct {
	off   int    // byte offset of the word in the query
	word  string // as written
	field string
	// prefix is set for a prefix query (tambang*), wildcard for the
	// others (tamb?ng, *bara is refused by the translator).
	prefix, wildcard string
}

// wildcardRegexp is the regular expression Bleve's WildcardQuery matches
// terms with: * is any run of characters, ? one character.
func wildcardRegexp(w string) string {
	var b strings.Builder
	for _, part := range strings.SplitAfter(w, "") {
		switch part {
		case "*":
			b.WriteString(".*")
		case "?":
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(part))
		}
	}
	return b.String()
}

// checkExpansion counts the words of bi that the expansions of query q
// stand for, and refuses the query, with a *SyntaxError at the word that
// went over, when together they are more than limit: so that no query
// makes Bleve build tens of thousands of term searchers that a timeout
// cannot interrupt. Counting stops when ctx ends.
func checkExpansion(ctx context.Context, bi bleve.Index, q string, exps []expansion, limit int) error {
	total := 0
	for _, e := range exps {
		n, err := countTerms(ctx, bi, e, limit-total+1)
		if errors.Is(err, vregexp.ErrTooManyStates) || errors.Is(err, vregexp.ErrCompiledTooBig) {
			return syntaxError(q, e.off, "%q is too complex a wildcard: use fewer * and ?", e.word)
		}
		if err != nil {
			return err
		}
		total += n
		if total > limit {
			return syntaxError(q, e.off, "%q matches more than %d words of the index: make it longer or more precise", e.word, limit)
		}
	}
	return nil
}

// countTerms counts the words of e's field that e matches, up to most.
func countTerms(ctx context.Context, bi bleve.Index, e expansion, most int) (n int, err error) {
	var dict bindex.FieldDict
	if e.prefix != "" {
		dict, err = bi.FieldDictPrefix(e.field, []byte(e.prefix))
	} else {
		var ix bindex.Index
		var r bindex.IndexReader
		if ix, err = bi.Advanced(); err != nil {
			return 0, fmt.Errorf("index: expand %q: %w", e.word, err)
		}
		if r, err = ix.Reader(); err != nil {
			return 0, fmt.Errorf("index: expand %q: %w", e.word, err)
		}
		defer r.Close()
		rr, ok := r.(bindex.IndexReaderRegexp)
		if !ok {
			return 0, fmt.Errorf("index: expand %q: the index cannot match wildcards", e.word)
		}
		dict, err = rr.FieldDictRegexp(e.field, wildcardRegexp(e.wildcard))
	}
	if err != nil {
		return 0, fmt.Errorf("index: expand %q: %w", e.word, err)
	}
	defer dict.Close()
	for n < most {
		if n%256 == 0 {
			if err := ctx.Err(); err != nil {
				return n, err
			}
		}
		entry, err := dict.Next()
		if err != nil {
			return n, fmt.Errorf("index: expand %q: %w", e.word, err)
		}
		if entry == nil {
			break
		}
		n++
	}
	return n, nil
}
