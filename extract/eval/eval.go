// Package eval scores article extraction against a corpus folder, with the
// shingle F1 metric of the public article-extraction benchmark: `warta
// eval` and the extract benchmarks use it. A corpus folder holds
// pages/<key>.html.gz and truth.json.
//
// It reads corpus folders from disk; the extract package itself never does.
package eval

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode"
)

// Page is one corpus page with its truth.
type Page struct {
	Key       string
	URL       string
	HTML      []byte
	Body      string   // truth: the article text
	Title     string   // truth, when the corpus gives it
	Published string   // truth, when the corpus gives it
	LeadImage string   // truth, when the corpus gives it
	Links     []string // listing truth: the first article links in page order
}

type truthEntry struct {
	URL         string   `json:"url"`
	ArticleBody string   `json:"articleBody"`
	Title       string   `json:"title"`
	Published   string   `json:"published"`
	LeadImage   string   `json:"lead_image"`
	FirstURLs   []string `json:"first_article_urls"`
}

// Load reads a corpus folder: truth.json and pages/<key>.html.gz, sorted
// by key.
func Load(dir string) ([]Page, error) {
	b, err := os.ReadFile(filepath.Join(dir, "truth.json"))
	if err != nil {
		return nil, fmt.Errorf("eval: load %s: %w", dir, err)
	}
	var truth map[string]truthEntry
	if err := json.Unmarshal(b, &truth); err != nil {
		return nil, fmt.Errorf("eval: parse %s: %w", filepath.Join(dir, "truth.json"), err)
	}
	keys := make([]string, 0, len(truth))
	for k := range truth {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	pages := make([]Page, 0, len(keys))
	for _, k := range keys {
		t := truth[k]
		html, err := readGzip(filepath.Join(dir, "pages", k+".html.gz"))
		if err != nil {
			return nil, fmt.Errorf("eval: load %s: %w", k, err)
		}
		pages = append(pages, Page{
			Key: k, URL: t.URL, HTML: html, Body: t.ArticleBody, Title: t.Title,
			Published: t.Published, LeadImage: t.LeadImage, Links: t.FirstURLs,
		})
	}
	return pages, nil
}

func readGzip(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	defer z.Close()
	return io.ReadAll(z)
}

// Extractor returns the article text of one page.
type Extractor func(page []byte, url string) (string, error)

// PageScore is the score of one page: tp, fp and fn are shares of the
// page's shingles (they sum to 1 unless the page has none).
type PageScore struct {
	Key            string
	TP, FP, FN     float64
	Precision      float64
	Recall         float64
	F1             float64
	Err            error
	PredictedWords int
	Elapsed        time.Duration // extraction time of this page
}

// Report is the score of one extractor on one corpus folder.
type Report struct {
	Name      string // the extractor's name, for tables
	Dir       string
	Pages     int
	Errors    int // pages whose extraction failed (they count as empty)
	Precision float64
	Recall    float64
	F1        float64
	Elapsed   time.Duration // extraction time over all pages
	Scores    []PageScore   // in corpus order
}

// PerPage returns the mean extraction time per page.
func (r Report) PerPage() time.Duration {
	if r.Pages == 0 {
		return 0
	}
	return r.Elapsed / time.Duration(r.Pages)
}

// Run loads the corpus folder dir and scores ex on it.
func Run(dir string, ex Extractor) (Report, error) {
	pages, err := Load(dir)
	if err != nil {
		return Report{}, err
	}
	r := Score(pages, ex)
	r.Dir = dir
	return r, nil
}

// Score runs ex on every page and scores the result.
func Score(pages []Page, ex Extractor) Report {
	r := Report{Pages: len(pages)}
	preds := make([]string, len(pages))
	errs := make([]error, len(pages))
	took := make([]time.Duration, len(pages))
	for i, p := range pages {
		start := time.Now()
		preds[i], errs[i] = ex(p.HTML, p.URL)
		took[i] = time.Since(start)
		r.Elapsed += took[i]
	}
	var sumP, sumR float64
	var nP, nR int
	for i, p := range pages {
		s := ScorePage(preds[i], p.Body)
		s.Key, s.Err, s.Elapsed = p.Key, errs[i], took[i]
		if errs[i] != nil {
			r.Errors++
		}
		r.Scores = append(r.Scores, s)
		if s.TP+s.FP > 0 {
			sumP += s.Precision
			nP++
		}
		if s.TP+s.FN > 0 {
			sumR += s.Recall
			nR++
		}
	}
	if nP > 0 {
		r.Precision = sumP / float64(nP)
	}
	if nR > 0 {
		r.Recall = sumR / float64(nR)
	}
	r.F1 = f1(r.Precision, r.Recall)
	return r
}

func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// ScorePage scores one predicted text against its truth.
func ScorePage(pred, truth string) PageScore {
	ps, ts := Shingles(pred), Shingles(truth)
	var tp, np, nt float64
	for s, c := range ps {
		np += float64(c)
		tp += float64(min(c, ts[s]))
	}
	for _, c := range ts {
		nt += float64(c)
	}
	fp, fn := np-tp, nt-tp
	s := PageScore{PredictedWords: len(Tokens(pred))}
	if sum := tp + fp + fn; sum > 0 {
		s.TP, s.FP, s.FN = tp/sum, fp/sum, fn/sum
	}
	if s.TP+s.FP > 0 {
		s.Precision = s.TP / (s.TP + s.FP)
	}
	if s.TP+s.FN > 0 {
		s.Recall = s.TP / (s.TP + s.FN)
	}
	s.F1 = f1(s.Precision, s.Recall)
	return s
}

// Tokens returns the \w+ runs of text: letters, digits and underscores.
func Tokens(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsNumber(r) || r == '_')
	})
}

// Shingles counts the runs of 4 consecutive tokens of text; a text of 1
// to 3 tokens is one shingle, an empty text has none.
func Shingles(text string) map[string]int {
	toks := Tokens(text)
	out := map[string]int{}
	if len(toks) == 0 {
		return out
	}
	if len(toks) < 4 {
		out[strings.Join(toks, " ")]++
		return out
	}
	for i := 0; i+4 <= len(toks); i++ {
		out[strings.Join(toks[i:i+4], " ")]++
	}
	return out
}

// Worst returns the n pages with the lowest F1, worst first.
func (r Report) Worst(n int) []PageScore {
	s := append([]PageScore(nil), r.Scores...)
	sort.SliceStable(s, func(i, j int) bool { return s[i].F1 < s[j].F1 })
	if len(s) > n {
		s = s[:n]
	}
	return s
}

// Print writes the report: P, R, F1, time per page and the worst pages.
func (r Report) Print(w io.Writer, worst int) {
	name := r.Name
	if name == "" {
		name = "warta"
	}
	fmt.Fprintf(w, "%s on %s: %d pages, %d errors\n", name, r.Dir, r.Pages, r.Errors)
	fmt.Fprintf(w, "precision %.3f  recall %.3f  F1 %.3f  %.2f ms/page\n", r.Precision, r.Recall, r.F1, ms(r.PerPage()))
	if worst > 0 {
		fmt.Fprintf(w, "worst pages:\n")
		for _, s := range r.Worst(worst) {
			note := ""
			if s.Err != nil {
				note = "  error: " + s.Err.Error()
			}
			fmt.Fprintf(w, "  %-40s P %.3f  R %.3f  F1 %.3f%s\n", s.Key, s.Precision, s.Recall, s.F1, note)
		}
	}
}

// PrintTable writes reports side by side, one row per extractor.
func PrintTable(w io.Writer, reports ...Report) {
	fmt.Fprintf(w, "%-28s %-14s %7s %7s %7s %10s\n", "extractor", "corpus", "P", "R", "F1", "ms/page")
	for _, r := range reports {
		fmt.Fprintf(w, "%-28s %-14s %7.3f %7.3f %7.3f %10.2f\n", r.Name, filepath.Base(r.Dir), r.Precision, r.Recall, r.F1, ms(r.PerPage()))
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// Median returns the median extraction time per page: on a shared machine
// it moves less than the mean, which one slow page can pull.
func (r Report) Median() time.Duration {
	if len(r.Scores) == 0 {
		return 0
	}
	d := make([]time.Duration, len(r.Scores))
	for i, s := range r.Scores {
		d[i] = s.Elapsed
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[len(d)/2]
}

// Under counts the pages whose F1 is below f: the tail that a mean hides.
func (r Report) Under(f float64) int {
	n := 0
	for _, s := range r.Scores {
		if s.F1 < f {
			n++
		}
	}
	return n
}

// Beaten is one page where a peer extractor scored well above us.
type Beaten struct {
	Key       string
	Ours      float64 // our F1
	Peer      string  // the peer's name
	PeerScore float64 // the peer's F1
}

// BeatenBy lists the pages of r where a peer's F1 exceeds ours by more
// than margin, in corpus order, the best peer for each page. The peers
// must have scored the same pages in the same order.
func (r Report) BeatenBy(margin float64, peers ...Report) []Beaten {
	var out []Beaten
	for i, s := range r.Scores {
		best := Beaten{Key: s.Key, Ours: s.F1, PeerScore: -1}
		for _, p := range peers {
			if i < len(p.Scores) && p.Scores[i].Key == s.Key && p.Scores[i].F1 > best.PeerScore {
				best.Peer, best.PeerScore = p.Name, p.Scores[i].F1
			}
		}
		if best.PeerScore-s.F1 > margin {
			out = append(out, best)
		}
	}
	return out
}

// Collapses counts the pages where we score under 0.5 and a peer scores
// 0.9 or more: a page the reader sees broken although it can be done.
func (r Report) Collapses(peers ...Report) int {
	n := 0
	for _, b := range r.BeatenBy(0.4, peers...) {
		if b.Ours < 0.5 && b.PeerScore >= 0.9 {
			n++
		}
	}
	return n
}

// PrintCompare writes one row per report, with the tail beside the means:
// pages under 0.5 and 0.8, and for the first report (ours) the pages
// where one of the others beats it by more than 0.2 and the collapses
// (under 0.5 where another gets 0.9 or more). header prints the column
// names first, so that several folders make one table.
func PrintCompare(w io.Writer, header bool, reports ...Report) {
	if header {
		fmt.Fprintf(w, "%-26s %-20s %5s %6s %6s %6s %5s %5s %6s %5s %8s %8s\n",
			"extractor", "corpus", "pages", "P", "R", "F1", "<0.5", "<0.8", "beaten", "coll", "ms/page", "median")
	}
	for i, r := range reports {
		beaten, coll := "", ""
		if i == 0 && len(reports) > 1 {
			beaten = fmt.Sprint(len(r.BeatenBy(0.2, reports[1:]...)))
			coll = fmt.Sprint(r.Collapses(reports[1:]...))
		}
		fmt.Fprintf(w, "%-26s %-20s %5d %6.3f %6.3f %6.3f %5d %5d %6s %5s %8.2f %8.2f\n",
			r.Name, filepath.Base(r.Dir), r.Pages, r.Precision, r.Recall, r.F1, r.Under(0.5), r.Under(0.8),
			beaten, coll, ms(r.PerPage()), ms(r.Median()))
	}
}
