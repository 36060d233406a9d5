package index

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/id"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/single"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/warta-id/warta/extract"
)

// Analyzer names stored in the index mapping.
const (
	// AnalyzerID is warta's Indonesian analyzer: Unicode words, lowercased,
	// Indonesian stop words dropped, stemmed.
	AnalyzerID = "warta_id"
	// analyzerExact keeps every word as written, only lowercased.
	analyzerExact = "warta_exact"
	// analyzerPairs makes a term of two neighbouring words when one of
	// them is a frequent word (see frequentWords), so that a phrase of
	// such words is one term to look up.
	analyzerPairs = "warta_pairs"
	// analyzerLabel keeps a whole value (a category, a tag) as one
	// lowercased term.
	analyzerLabel = "warta_label"
)

// Field names in the index. The query language exposes some of them (see
// queryFields); the rest are internal.
const (
	fieldTitle        = "title"         // stemmed, stored
	fieldTitleExact   = "title_exact"   // unstemmed copy, positions for phrases
	fieldBody         = "body"          // stemmed, not stored
	fieldBodyExact    = "body_exact"    // unstemmed copy, positions for phrases
	fieldBodyPairs    = "body_pairs"    // neighbouring word pairs with a frequent word, for fast phrases
	fieldLead         = "lead"          // stored only: the start of the body, for snippets
	fieldCaption      = "caption"       // gallery captions, stemmed
	fieldCaptionExact = "caption_exact" // unstemmed copy, positions for phrases
	fieldPlace        = "place"         // dateline place
	fieldAgency       = "agency"        // dateline agency
	fieldSite         = "site"          // keyword, stored, facets
	fieldURL          = "url"           // keyword, stored
	fieldURLWords     = "url_words"     // the words of the URL, for url:banjir
	fieldAuthor       = "author"
	fieldCategories   = "categories"
	fieldTags         = "tags"
	fieldLanguage     = "language"
	fieldPublished    = "published"      // datetime: the instant
	fieldPubText      = "published_text" // stored only: the date as printed
	fieldDate         = "date"           // numeric yyyymmdd of the local date, for date-only ranges
	fieldDay          = "day"            // keyword yyyy-mm-dd, facets
	fieldMonth        = "month"          // keyword yyyy-mm, facets
	fieldYear         = "year"           // keyword yyyy, facets
	// Whole values as written, for breakdowns (facets); the searchable
	// fields above are split into words or lowercased.
	facetCategory = "facet_category"
	facetTag      = "facet_tag"
	facetPlace    = "facet_place"
	facetAuthor   = "facet_author"
)

// leadBytes bounds the stored start of the body that snippets are cut from.
const leadBytes = 600

// newDocument turns an article into its index document: a map from the
// property paths the mapping names to values, without empty values (Bleve
// would index an empty string as a term).
func newDocument(a *extract.Article) map[string]interface{} {
	d := make(map[string]interface{}, 20)
	set := func(k, v string) {
		if v != "" {
			d[k] = v
		}
	}
	set("title", a.Title)
	set("body", a.Body)
	set("lead", lead(a.Body, leadBytes))
	set("caption", captions(a.Images))
	set("place", a.Dateline.Place)
	set("agency", a.Dateline.Agency)
	set("site", a.Site)
	set("url", a.URL)
	set("author", a.Author)
	set("language", a.Language)
	set("published_text", a.Published)
	if len(a.Categories) > 0 {
		d["categories"] = a.Categories
	}
	if len(a.Tags) > 0 {
		d["tags"] = a.Tags
	}
	// The facet copies are properties of their own: Bleve maps a
	// property's value once per field listed under it, and these need
	// the keyword analyzer.
	set(facetPlace, a.Dateline.Place)
	set(facetAuthor, a.Author)
	if len(a.Categories) > 0 {
		d[facetCategory] = a.Categories
	}
	if len(a.Tags) > 0 {
		d[facetTag] = a.Tags
	}
	if t, err := time.Parse(time.RFC3339, a.Published); err == nil {
		d["published"] = t
		// The calendar date as printed on the article, in the site's own
		// zone: what a researcher means by "published on 2021-12-23".
		d["date"] = dateNumber(t.Date())
		day := t.Format("2006-01-02")
		d["day"] = day
		d["month"] = day[:7]
		d["year"] = day[:4]
	}
	return d
}

// captions joins the captions of a gallery, one per line.
func captions(images []extract.Image) string {
	var b strings.Builder
	for _, im := range images {
		if c := strings.TrimSpace(im.Caption); c != "" {
			if b.Len() > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(c)
		}
	}
	return b.String()
}

// lead returns the start of body, at most about n bytes, cut at a word
// boundary and then marked with an ellipsis.
func lead(body string, n int) string {
	if len(body) <= n {
		return body
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(body[cut]) {
		cut--
	}
	if sp := strings.LastIndexAny(body[:cut], " \n"); sp > 0 {
		cut = sp
	}
	return body[:cut] + " …"
}

// dateNumber returns the yyyymmdd number of a calendar date.
func dateNumber(y int, m time.Month, d int) float64 {
	return float64(y*10000 + int(m)*100 + d)
}

// newMapping returns warta's explicit index mapping: every field declared,
// nothing dynamic, no catch-all field, the body indexed but not stored.
// textAnalyzer is the analyzer of the stemmed title and body fields:
// AnalyzerID in real indexes, another one for baselines in benchmarks.
func newMapping(textAnalyzer string) (*mapping.IndexMappingImpl, error) {
	return newMappingWith(textAnalyzer, nil)
}

// learnedPairFilter names, in a mapping made with a word list of its own,
// the pair filter configured with that list.
const learnedPairFilter = "warta_learned_pairs"

// newMappingWith is newMapping with body_pairs holding the pairs of
// pairs, a list learnt from the archive (see learnPairWords), instead of
// frequentWords; nil means frequentWords. The list goes into the mapping,
// which Bleve keeps with the index, so that each generation indexes and
// answers with its own.
func newMappingWith(textAnalyzer string, pairs []string) (*mapping.IndexMappingImpl, error) {
	im := mapping.NewIndexMapping()
	pairFilters := []string{lowercase.Name, pairFilterName}
	if pairs != nil {
		err := im.AddCustomTokenFilter(learnedPairFilter, map[string]interface{}{"type": pairFilterName, pairWordsKey: pairs})
		if err != nil {
			return nil, err
		}
		pairFilters = []string{lowercase.Name, learnedPairFilter}
	}
	analyzers := map[string]map[string]interface{}{
		AnalyzerID: {
			"type":          custom.Name,
			"tokenizer":     tokenizerName,
			"token_filters": []string{lowercase.Name, id.StopName, stemFilterName},
		},
		analyzerExact: {
			"type":          custom.Name,
			"tokenizer":     tokenizerName,
			"token_filters": []string{lowercase.Name},
		},
		analyzerPairs: {
			"type":          custom.Name,
			"tokenizer":     tokenizerName,
			"token_filters": pairFilters,
		},
		analyzerLabel: {
			"type":          custom.Name,
			"tokenizer":     single.Name,
			"token_filters": []string{lowercase.Name},
		},
	}
	for name, cfg := range analyzers {
		if err := im.AddCustomAnalyzer(name, cfg); err != nil {
			return nil, err
		}
	}
	im.DefaultAnalyzer = textAnalyzer
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false

	text := func(name, analyzer string, store, positions bool) *mapping.FieldMapping {
		return &mapping.FieldMapping{
			Name:               name,
			Type:               "text",
			Analyzer:           analyzer,
			Store:              store,
			Index:              true,
			IncludeTermVectors: positions,
		}
	}
	kw := func(name string, store, docValues bool) *mapping.FieldMapping {
		return &mapping.FieldMapping{
			Name:      name,
			Type:      "text",
			Analyzer:  keyword.Name,
			Store:     store,
			Index:     true,
			DocValues: docValues,
		}
	}
	storedOnly := func(name string) *mapping.FieldMapping {
		return &mapping.FieldMapping{Name: name, Type: "text", Analyzer: keyword.Name, Store: true}
	}

	dm := mapping.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt("title", text(fieldTitle, textAnalyzer, true, false), text(fieldTitleExact, analyzerExact, false, true))
	dm.AddFieldMappingsAt("body", text(fieldBody, textAnalyzer, false, false), text(fieldBodyExact, analyzerExact, false, true), text(fieldBodyPairs, analyzerPairs, false, false))
	dm.AddFieldMappingsAt("lead", storedOnly(fieldLead))
	dm.AddFieldMappingsAt("place", text(fieldPlace, analyzerExact, false, true))
	dm.AddFieldMappingsAt("agency", text(fieldAgency, analyzerExact, false, true))
	dm.AddFieldMappingsAt("site", kw(fieldSite, true, true))
	dm.AddFieldMappingsAt("caption", text(fieldCaption, textAnalyzer, false, false), text(fieldCaptionExact, analyzerExact, false, true))
	dm.AddFieldMappingsAt("url", kw(fieldURL, true, false), text(fieldURLWords, analyzerExact, false, true))
	dm.AddFieldMappingsAt("author", text(fieldAuthor, analyzerExact, false, true))
	dm.AddFieldMappingsAt("categories", text(fieldCategories, analyzerLabel, false, false))
	dm.AddFieldMappingsAt("tags", text(fieldTags, analyzerLabel, false, false))
	dm.AddFieldMappingsAt("language", kw(fieldLanguage, false, false))
	dm.AddFieldMappingsAt("published", &mapping.FieldMapping{Name: fieldPublished, Type: "datetime", Index: true, DocValues: true})
	dm.AddFieldMappingsAt("published_text", storedOnly(fieldPubText))
	dm.AddFieldMappingsAt("date", &mapping.FieldMapping{Name: fieldDate, Type: "number", Index: true})
	dm.AddFieldMappingsAt("day", kw(fieldDay, false, true))
	dm.AddFieldMappingsAt("month", kw(fieldMonth, false, true))
	dm.AddFieldMappingsAt("year", kw(fieldYear, false, true))
	for _, f := range []string{facetCategory, facetTag, facetPlace, facetAuthor} {
		dm.AddFieldMappingsAt(f, kw(f, false, true))
	}
	im.DefaultMapping = dm
	im.DefaultField = fieldBody
	if err := im.Validate(); err != nil {
		return nil, err
	}
	return im, nil
}
