package extract

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// A crawl sees many pages of one site. Text that repeats verbatim across
// many of them (a widget inside the content column, a signature, an
// announcement, a site name around every title) is the site's chrome,
// which no extractor can tell from the article on one page alone. A
// SiteLearner counts, over the articles extracted from a site's distinct
// pages, the paragraphs and title parts each was printed with; the
// SiteHints it hands out name those seen on enough of them, and Extract
// drops them (Options.Hints).
//
// What must never happen is that an article loses its own text: a quote
// or a background paragraph that a few articles share stays, and so does
// a stock sentence a site's writers reuse now and then ("Sejumlah warga
// mengaku senang dengan adanya kegiatan tersebut." in one article of
// twelve). So a paragraph is chrome only when it was printed on at least
// HintMinRepeats distinct pages and on one page in HintShare of those
// learned from, nothing is learned or applied before HintMinPages pages
// were, versions of one page count once (pages are told apart by article
// id), and a page is never emptied by hints. A sentence every article of
// a site ends with is chrome by that rule, and that is right: it says
// nothing about any one article.

// HintMinPages is how many distinct pages a SiteLearner must have learned
// from before its hints apply: below it a site is too small to tell its
// chrome from a story told twice.
const HintMinPages = 20

// HintMinRepeats is the fewest distinct pages a paragraph or a whole
// title must be printed on to be the site's chrome.
const HintMinRepeats = 5

// HintShare is the share of a site's pages, one in HintShare, that must
// print a paragraph or a whole title for it to be chrome.
const HintShare = 5

// maxHintCandidates bounds the paragraphs a SiteLearner counts: past it,
// those seen on one page only are forgotten (chrome is seen again soon).
const maxHintCandidates = 1 << 17

// SiteHints is what was learned about one site from its other pages: the
// paragraphs and the title prefixes and suffixes it prints on many of
// them. It is read-only; nil knows nothing.
type SiteHints struct {
	paras    map[uint64]bool
	prefixes map[string]bool // "BBC NEWS | "
	suffixes map[string]bool // " - Kompas.com"
	titles   map[string]bool // whole titles: the site's name, not a headline
}

// Boilerplate reports whether paragraph p (whitespace-normalized, as in
// Article.Body) is the site's chrome.
func (h *SiteHints) Boilerplate(p string) bool {
	return h != nil && len(h.paras) > 0 && h.paras[paraHash(p)]
}

// Len returns how many paragraphs and title parts the hints name.
func (h *SiteHints) Len() int {
	if h == nil {
		return 0
	}
	return len(h.paras) + len(h.prefixes) + len(h.suffixes) + len(h.titles)
}

// stripTitle removes the learned prefixes and suffixes from t. whole is
// set when t as a whole is a title the site prints on many pages (its
// name, a section's): then t names no article.
func (h *SiteHints) stripTitle(t string) (out string, whole bool) {
	if h == nil {
		return t, false
	}
	if h.titles[t] {
		return t, true
	}
	for range 3 {
		locs := titleSeparator.FindAllStringIndex(t, -1)
		if len(locs) == 0 {
			break
		}
		first, last := locs[0], locs[len(locs)-1]
		switch {
		case h.prefixes[t[:first[1]]] && first[1] < len(t):
			t = t[first[1]:]
		case h.suffixes[t[last[0]:]] && last[0] > 0:
			t = t[:last[0]]
		default:
			return t, false
		}
	}
	return t, false
}

// dropBoilerplate drops the paragraphs the site's hints name, unless that
// would leave none.
func (x *extraction) dropBoilerplate(paras []string) []string {
	h := x.opt.Hints
	if h == nil || len(h.paras) == 0 {
		return paras
	}
	kept := make([]string, 0, len(paras))
	for _, p := range paras {
		if h.paras[paraHash(p)] {
			x.dropText(p, "site-boilerplate", "", "printed verbatim on many pages of the site")
			continue
		}
		kept = append(kept, p)
	}
	if len(kept) == 0 {
		return paras
	}
	return kept
}

// paraHash is FNV-1a of s: stable across runs, for the learner's file.
func paraHash(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// SiteLearner learns a site's SiteHints from the articles extracted from
// its pages. It is safe for concurrent use. Its state is saved and loaded
// as JSON (MarshalJSON, LoadSiteLearner), so later runs and re-extraction
// go on from it.
type SiteLearner struct {
	mu       sync.Mutex
	seen     map[uint64]bool   // pages learned from, by article id
	paras    map[uint64]uint32 // paragraph -> distinct pages printing it
	prefixes map[string]uint32
	suffixes map[string]uint32
	titles   map[string]uint32
	chrome   map[uint64]string // paragraphs found to be chrome, with their text
	hints    *SiteHints        // the current hints, replaced when one is added
	changed  bool              // learned something since the last MarshalJSON
}

// NewSiteLearner returns a learner that knows nothing yet.
func NewSiteLearner() *SiteLearner {
	return &SiteLearner{
		seen: map[uint64]bool{}, paras: map[uint64]uint32{}, chrome: map[uint64]string{},
		prefixes: map[string]uint32{}, suffixes: map[string]uint32{}, titles: map[string]uint32{},
		hints: &SiteHints{paras: map[uint64]bool{}, prefixes: map[string]bool{}, suffixes: map[string]bool{}, titles: map[string]bool{}},
	}
}

// Learn counts the paragraphs and title parts of a, an article extracted
// from one of the site's pages. An article whose id (or URL, without one)
// was learned from already is not counted again: versions of a page and
// re-extractions say nothing new about the site.
func (l *SiteLearner) Learn(a *Article) {
	if a == nil {
		return
	}
	key := a.ID
	if key == "" {
		key = a.URL
	}
	k := paraHash(key)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.seen[k] {
		return
	}
	l.seen[k] = true
	l.changed = true
	pages := len(l.seen)
	need := max(HintMinRepeats, uint32(pages/HintShare))
	if pages < HintMinPages {
		need = ^uint32(0) // count, but find nothing yet
	}
	var add *SiteHints
	promote := func() *SiteHints {
		if add == nil {
			add = l.hints.clone()
		}
		return add
	}
	seenHere := map[uint64]bool{}
	for p := range strings.SplitSeq(a.Body, "\n\n") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		h := paraHash(p)
		if seenHere[h] || l.hints.paras[h] {
			continue
		}
		seenHere[h] = true
		l.paras[h]++
		if l.paras[h] >= need {
			promote().paras[h] = true
			l.chrome[h] = cut(p, 200)
			delete(l.paras, h)
		}
	}
	if len(l.paras) > maxHintCandidates {
		l.forget()
	}
	if t := a.Title; t != "" && !l.hints.titles[t] {
		l.titles[t]++
		if l.titles[t] >= need {
			promote().titles[t] = true
		}
		// A title part is the site's when most titles carry it: a rubric
		// ("FOTO: ") that many do is still the headline's.
		needPart := max(need, uint32(pages/4))
		if locs := titleSeparator.FindAllStringIndex(t, -1); len(locs) > 0 {
			pre, suf := t[:locs[0][1]], t[locs[len(locs)-1][0]:]
			if !l.hints.prefixes[pre] {
				if l.prefixes[pre]++; l.prefixes[pre] >= needPart {
					promote().prefixes[pre] = true
				}
			}
			if !l.hints.suffixes[suf] {
				if l.suffixes[suf]++; l.suffixes[suf] >= needPart {
					promote().suffixes[suf] = true
				}
			}
		}
		for _, m := range []map[string]uint32{l.titles, l.prefixes, l.suffixes} {
			if len(m) > maxHintCandidates/8 {
				forgetOnce(m)
			}
		}
	}
	if add != nil {
		l.hints = add
	}
}

// forget drops the paragraphs seen on one page only.
func (l *SiteLearner) forget() {
	for h, n := range l.paras {
		if n <= 1 {
			delete(l.paras, h)
		}
	}
}

func forgetOnce(m map[string]uint32) {
	for k, n := range m {
		if n <= 1 {
			delete(m, k)
		}
	}
}

func (h *SiteHints) clone() *SiteHints {
	c := &SiteHints{paras: make(map[uint64]bool, len(h.paras)+1), prefixes: map[string]bool{}, suffixes: map[string]bool{}, titles: map[string]bool{}}
	for k := range h.paras {
		c.paras[k] = true
	}
	for _, p := range []struct{ from, to map[string]bool }{{h.prefixes, c.prefixes}, {h.suffixes, c.suffixes}, {h.titles, c.titles}} {
		for k := range p.from {
			p.to[k] = true
		}
	}
	return c
}

// Hints returns what was learned so far, for Options.Hints: nil until
// HintMinPages distinct pages were learned from.
func (l *SiteLearner) Hints() *SiteHints {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.seen) < HintMinPages || l.hints.Len() == 0 {
		return nil
	}
	return l.hints
}

// Pages returns how many distinct pages were learned from.
func (l *SiteLearner) Pages() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.seen)
}

// Changed reports whether the learner learned from a page since it was
// made, loaded or last marshalled.
func (l *SiteLearner) Changed() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.changed
}

// siteLearnerFile is a SiteLearner on disk. Counts of one are not kept:
// the file stays small, and a paragraph loses at most one page's count.
type siteLearnerFile struct {
	Version int `json:"version"`
	// Seen are the learned pages' hashes, 8 bytes little-endian each.
	Seen []byte `json:"seen"`
	// Counts are paragraph hashes (8 bytes) and their pages (4 bytes).
	Counts []byte `json:"counts"`
	// Chrome are the paragraphs found to be chrome, by hash (16 hex
	// digits), with their text, for whoever wonders what was dropped.
	Chrome   map[string]string `json:"chrome"`
	Prefixes map[string]uint32 `json:"title_prefixes"`
	Suffixes map[string]uint32 `json:"title_suffixes"`
	Titles   map[string]uint32 `json:"titles"`
	// The title parts and titles found to be chrome.
	ChromePrefixes []string `json:"chrome_title_prefixes"`
	ChromeSuffixes []string `json:"chrome_title_suffixes"`
	ChromeTitles   []string `json:"chrome_titles"`
}

const siteLearnerVersion = 1

// MarshalJSON returns the learner's state for LoadSiteLearner.
func (l *SiteLearner) MarshalJSON() ([]byte, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f := siteLearnerFile{
		Version: siteLearnerVersion, Chrome: map[string]string{},
		Prefixes: over1(l.prefixes), Suffixes: over1(l.suffixes), Titles: over1(l.titles),
		ChromePrefixes: sortedKeys(l.hints.prefixes), ChromeSuffixes: sortedKeys(l.hints.suffixes), ChromeTitles: sortedKeys(l.hints.titles),
	}
	seen := make([]uint64, 0, len(l.seen))
	for k := range l.seen {
		seen = append(seen, k)
	}
	slices.Sort(seen)
	f.Seen = make([]byte, 0, 8*len(seen))
	for _, k := range seen {
		f.Seen = binary.LittleEndian.AppendUint64(f.Seen, k)
	}
	counts := make([]uint64, 0, len(l.paras))
	for k, n := range l.paras {
		if n > 1 {
			counts = append(counts, k)
		}
	}
	slices.Sort(counts)
	for _, k := range counts {
		f.Counts = binary.LittleEndian.AppendUint64(f.Counts, k)
		f.Counts = binary.LittleEndian.AppendUint32(f.Counts, l.paras[k])
	}
	for k := range l.hints.paras {
		f.Chrome[fmt.Sprintf("%016x", k)] = l.chrome[k]
	}
	l.changed = false
	return json.Marshal(f)
}

// LoadSiteLearner reads a learner saved by MarshalJSON. A file that does
// not read as one gives an error, and the caller starts afresh: what was
// learned can be learned again.
func LoadSiteLearner(data []byte) (*SiteLearner, error) {
	var f siteLearnerFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("site hints: %w", err)
	}
	if f.Version != siteLearnerVersion {
		return nil, fmt.Errorf("site hints: version %d, want %d", f.Version, siteLearnerVersion)
	}
	if len(f.Seen)%8 != 0 || len(f.Counts)%12 != 0 {
		return nil, fmt.Errorf("site hints: seen (%d bytes) or counts (%d bytes) cut short", len(f.Seen), len(f.Counts))
	}
	l := NewSiteLearner()
	for i := 0; i < len(f.Seen); i += 8 {
		l.seen[binary.LittleEndian.Uint64(f.Seen[i:])] = true
	}
	for i := 0; i < len(f.Counts); i += 12 {
		l.paras[binary.LittleEndian.Uint64(f.Counts[i:])] = binary.LittleEndian.Uint32(f.Counts[i+8:])
	}
	for k, text := range f.Chrome {
		var h uint64
		if _, err := fmt.Sscanf(k, "%016x", &h); err != nil {
			return nil, fmt.Errorf("site hints: chrome paragraph %.20q: %w", k, err)
		}
		l.hints.paras[h] = true
		l.chrome[h] = text
	}
	for _, p := range []struct {
		from map[string]uint32
		to   map[string]uint32
	}{{f.Prefixes, l.prefixes}, {f.Suffixes, l.suffixes}, {f.Titles, l.titles}} {
		for k, n := range p.from {
			p.to[k] = n
		}
	}
	for _, p := range []struct {
		from []string
		to   map[string]bool
	}{{f.ChromePrefixes, l.hints.prefixes}, {f.ChromeSuffixes, l.hints.suffixes}, {f.ChromeTitles, l.hints.titles}} {
		for _, k := range p.from {
			p.to[k] = true
		}
	}
	return l, nil
}

func over1(m map[string]uint32) map[string]uint32 {
	out := map[string]uint32{}
	for k, n := range m {
		if n > 1 {
			out[k] = n
		}
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
