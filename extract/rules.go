package extract

import (
	"slices"
	"sync/atomic"
)

// Rules is a site profile: CSS selectors that say where each field of an
// article lives on one site's pages. Empty fields fall back to the generic
// extractor's heuristics for that field. It mirrors the `extract:` key of a
// site config.
type Rules struct {
	Title      string   `yaml:"title" json:"title,omitempty"`
	Body       string   `yaml:"body" json:"body,omitempty"`
	Published  string   `yaml:"published" json:"published,omitempty"`
	Modified   string   `yaml:"modified" json:"modified,omitempty"`
	Author     string   `yaml:"author" json:"author,omitempty"`
	Gallery    string   `yaml:"gallery" json:"gallery,omitempty"`
	Categories string   `yaml:"categories" json:"categories,omitempty"`
	Tags       string   `yaml:"tags" json:"tags,omitempty"`
	Remove     []string `yaml:"remove" json:"remove,omitempty"`

	// compiled keeps the rules compiled, with the selectors they were
	// compiled from: a crawl extracts thousands of pages with one Rules,
	// and compiling its selectors cost each page 16 KB and about 1% of
	// the pipeline's CPU. Rules changed since are compiled again.
	compiled atomic.Pointer[rulesMemo]
}

// rulesMemo is a Rules compiled, and what it was compiled from.
type rulesMemo struct {
	fields [8]string // Title to Tags, in the order of Rules
	remove []string
	c      *compiledRules
	err    error
}

// ruleFields returns the fields of r that hold one selector, in order.
func ruleFields(r *Rules) [8]string {
	return [8]string{r.Title, r.Body, r.Published, r.Modified, r.Author, r.Gallery, r.Categories, r.Tags}
}

// compileRules returns r compiled, compiling it only when r's selectors
// are not those of its last compilation. The result is shared by every
// extraction with r and never changed.
func compileRules(r *Rules) (*compiledRules, error) {
	if r == nil {
		return nil, nil
	}
	fields := ruleFields(r)
	if m := r.compiled.Load(); m != nil && m.fields == fields && slices.Equal(m.remove, r.Remove) {
		return m.c, m.err
	}
	c, err := compile(r)
	r.compiled.Store(&rulesMemo{fields: fields, remove: slices.Clone(r.Remove), c: c, err: err})
	return c, err
}
