package extract

import (
	"strings"
	"unicode"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
)

// MinConfidence is the confidence under which the generic extractor asks
// for a second opinion (go-readability) and keeps the better of the two
// answers.
const MinConfidence = 0.5

// Paths name which extractor's text an Article's body holds.
const (
	PathGeneric     = "generic"      // our content scorer, with enough confidence
	PathProfile     = "profile"      // the site profile's body selector
	PathKept        = "generic+kept" // ours, kept after a second opinion
	PathReadability = "readability"  // the second opinion's text won
)

// Explanation says how Explain's article was made: the blocks removed, the
// confidence in the generic result and which path's text won.
type Explanation struct {
	Removed []Removal `json:"removed"`
	// Confidence is 0 to 1: how much the generic result looks like one
	// whole article (enough prose, few links, most of the page's prose,
	// little boilerplate removed from its container). 1 for a profile.
	Confidence float64 `json:"confidence"`
	// Signals are the measures Confidence came from, by name.
	Signals map[string]float64 `json:"signals,omitempty"`
	// Path is PathGeneric, PathProfile, PathKept or PathReadability.
	Path string `json:"path"`
}

// signals are what the generic result is judged by, measured on the
// article's container before clean-up.
type signals struct {
	containerText int     // bytes of text in the container
	linkDensity   float64 // share of the container's text inside links
	proseShare    float64 // the container's share of the page's prose
}

func (x *extraction) measure(body *html.Node) {
	x.sig.containerText, _ = normTextLen(body)
	x.sig.linkDensity = linkDensity(body)
	// Text written as <br>-separated lines in table cells has no prose
	// blocks: then the share is unknown, and does not count.
	x.sig.proseShare = 1
	if total := x.prose[x.root]; total > 0 && x.prose[body] > 0 {
		x.sig.proseShare = float64(x.prose[body]) / float64(total)
	}
}

// confidence rates the generic result paras: each signal caps it, so the
// weakest one decides.
func (x *extraction) confidence(paras []string) (float64, map[string]float64) {
	chars := 0
	for _, p := range paras {
		chars += len(p)
	}
	words := 0
	for _, p := range paras {
		for range strings.FieldsSeq(p) {
			words++
		}
	}
	// Boxes that a heading names as other stories are chrome for sure:
	// a long slideshow of them, cut away, leaves the article clean.
	kept := 0.0
	if c := x.sig.containerText - x.sureChrome; c > 0 {
		kept = float64(chars) / float64(c)
	}
	sig := map[string]float64{
		"words": float64(words), "link_density": x.sig.linkDensity,
		"prose_share": x.sig.proseShare, "kept": kept,
	}
	c := 1.0
	// A short text may be a teaser or a fragment of the article.
	c = min(c, 0.2+0.8*min(1, float64(words)/150))
	// Links in the container: a column of headlines around the text.
	c = min(c, 1-max(0, x.sig.linkDensity-0.2)*2)
	// Most of the page's prose elsewhere: the wrong block, or part of it.
	c = min(c, 0.3+x.sig.proseShare)
	// Clean-up threw most of the container away: it held much chrome, and
	// may still hold some.
	c = min(c, 0.3+kept)
	return max(0, c), sig
}

// secondOpinion runs go-readability on a fresh parse of the page and
// returns its text as paragraphs, through the same paragraph rules as
// ours. It returns nil when readability finds nothing or fails; hostile
// pages must not take the extraction down, so a panic counts as a
// failure.
func (x *extraction) secondOpinion(title string) (paras []string) {
	defer func() {
		if r := recover(); r != nil {
			paras = nil
		}
	}()
	root, err := parse(x.raw, x.opt.ContentType)
	if err != nil || tooBigForSecondOpinion(root) {
		return nil
	}
	p := readability.NewParser()
	// Class names stay, so that our clean-up reads them as it reads ours.
	p.KeepClasses = true
	art, err := p.ParseAndMutate(root, x.base)
	if err != nil || art.Node == nil {
		return nil
	}
	// The same clean-up as ours: readability keeps what it scores as
	// content, comments and link boxes included when they are prose.
	y := &extraction{root: root, page: x.page, base: x.base, opt: x.opt, loc: x.loc}
	y.prose = proseLengths(art.Node)
	y.cutAtComments(art.Node)
	y.clean(art.Node)
	return y.paragraphs(art.Node, title)
}

// maxSecondOpinionElements bounds the pages that get a second opinion.
// go-readability's cost grows with a page's elements, ten to forty times
// faster than ours (a hostile page of 4 MB of links took 7.5 s, ours
// 0.5 s). The real pages of the corpora hold at most 8,136 elements (99%
// fewer than 2,500): a page past this bound keeps our answer.
const maxSecondOpinionElements = 50_000

// tooBigForSecondOpinion reports whether root holds more than
// maxSecondOpinionElements elements.
func tooBigForSecondOpinion(root *html.Node) bool {
	n := 0
	walk(root, func(c *html.Node) bool {
		if c.Type == html.ElementNode {
			n++
		}
		return n <= maxSecondOpinionElements
	})
	return n > maxSecondOpinionElements
}

// better reports whether the second opinion alt should replace ours.
// When ours is empty, any prose wins. Otherwise the overlap of the two
// texts decides how they are compared:
//
//   - alt holds ours (80% of our runs of four words or more): it adds to
//     our text. What it adds is more of the story when it is modest (our
//     text is at least three quarters of alt's) or reads as prose (80% of
//     its characters in sentences); a larger addition of short lines is
//     the page around the story (a blog's sidebar, trackbacks, a tip jar).
//     Either way alt must bring more prose than ours.
//   - otherwise each text is rated by its prose: the characters in
//     paragraphs that read as sentences, times the share of the text they
//     make up, so that more article text wins and boilerplate costs. Two
//     answers that disagree (alt holds little of ours: they chose
//     different blocks) need a clear margin, since which block is the
//     story is what our scorer is for.
func better(ours, alt []string) bool {
	a := proseScore(alt)
	if len(alt) == 0 || a == 0 {
		return false
	}
	if len(ours) == 0 {
		return true
	}
	o := proseScore(ours)
	inAlt := containment(ours, alt)
	if inAlt >= 0.8 {
		return a > o && (containment(alt, ours) >= 0.75 || addedProse(ours, alt) >= 0.8)
	}
	margin := 1.1
	if inAlt < 0.3 {
		margin = 2
	}
	return a > o*margin
}

// containment is the share of a's runs of four words that b holds too.
func containment(a, b []string) float64 {
	as, bs := shingles(a), shingles(b)
	n, in := 0, 0
	for s, c := range as {
		n += c
		in += min(c, bs[s])
	}
	if n == 0 {
		return 0
	}
	return float64(in) / float64(n)
}

// shingles counts the runs of four consecutive words of paras (one run
// for a shorter text).
func shingles(paras []string) map[[4]string]int {
	var words []string
	for _, p := range paras {
		words = append(words, strings.FieldsFunc(p, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })...)
	}
	out := map[[4]string]int{}
	if len(words) > 0 && len(words) < 4 {
		var k [4]string
		copy(k[:], words)
		out[k]++
	}
	for i := 0; i+4 <= len(words); i++ {
		out[[4]string(words[i:i+4])]++
	}
	return out
}

// addedProse is the share of prose in the paragraphs of alt that ours
// does not have: whether what a second opinion adds reads as more story.
func addedProse(ours, alt []string) float64 {
	have := make(map[string]bool, len(ours))
	for _, p := range ours {
		have[p] = true
	}
	good, total := 0, 0
	for _, p := range alt {
		if have[p] {
			continue
		}
		total += len(p)
		if isProse(p) {
			good += len(p)
		}
	}
	if total == 0 {
		return 0
	}
	return float64(good) / float64(total)
}

func proseScore(paras []string) float64 {
	good, total := 0, 0
	for _, p := range paras {
		total += len(p)
		if isProse(p) {
			good += len(p)
		}
	}
	if total == 0 {
		return 0
	}
	return float64(good) * float64(good) / float64(total)
}

// isProse reports whether a paragraph reads as running text: 80
// characters or more with a sentence's end, or 150 or more.
func isProse(p string) bool {
	if len(p) >= 150 {
		return true
	}
	return len(p) >= 80 && strings.ContainsAny(p, ".!?。！？")
}
