package web

import (
	"errors"
	"fmt"
	"html"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/warta-id/warta/index"
)

// compareForm is a comparison as the UI and /api/counts take it from the
// URL: up to index.MaxCompare q parameters, by, normalize and the search
// filters.
type compareForm struct {
	Queries   []string
	By        string
	Normalize string
	Filter    searchForm
}

// values returns the form as URL parameters, without the empty ones.
func (f compareForm) values() url.Values {
	v := url.Values{"q": f.Queries, "by": {f.By}}
	for k, x := range map[string]string{"normalize": f.Normalize, "site": f.Filter.Site, "category": f.Filter.Category, "from": f.Filter.From, "to": f.Filter.To} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return v
}

// parseCompare reads and checks the parameters of a comparison.
func (s *Server) parseCompare(v url.Values) (compareForm, index.CompareRequest, *paramError) {
	f := compareForm{By: v.Get("by"), Normalize: v.Get("normalize")}
	for _, q := range v["q"] {
		if q = strings.TrimSpace(q); q != "" {
			f.Queries = append(f.Queries, q)
		}
	}
	// The filters are a search's; its own q is not one of them.
	fv := url.Values{}
	for _, k := range []string{"site", "category", "from", "to"} {
		if x := v.Get(k); x != "" {
			fv.Set(k, x)
		}
	}
	filter, freq, perr := s.parseSearch(fv)
	f.Filter = filter
	cr := index.CompareRequest{Filter: freq}
	if perr != nil {
		return f, cr, perr
	}
	if len(f.Queries) > index.MaxCompare {
		return f, cr, &paramError{Param: "q", Msg: fmt.Sprintf("%d queries; at most %d", len(f.Queries), index.MaxCompare)}
	}
	for _, q := range f.Queries {
		if len(q) > 4*MaxQueryLen || len([]rune(q)) > MaxQueryLen {
			return f, cr, &paramError{Param: "q", Msg: fmt.Sprintf("query too long (at most %d characters)", MaxQueryLen)}
		}
	}
	switch f.By {
	case "":
		f.By = "auto"
	case "day", "week", "month", "year", "auto":
	default:
		return f, cr, &paramError{Param: "by", Msg: fmt.Sprintf("%q: want day, week, month, year or auto", clip(f.By, 40))}
	}
	switch f.Normalize {
	case "", "share":
	default:
		return f, cr, &paramError{Param: "normalize", Msg: fmt.Sprintf("%q: want share, or nothing for counts", clip(f.Normalize, 40))}
	}
	cr.Queries, cr.By, cr.Share = f.Queries, f.By, f.Normalize == "share"
	return f, cr, nil
}

// compare runs a comparison and sorts a failure into a bad request or an
// internal error.
func (s *Server) compare(r *http.Request, cr index.CompareRequest) (*index.Comparison, *paramError, error) {
	c, err := s.opt.Searcher.Compare(r.Context(), cr)
	if err == nil {
		return c, nil, nil
	}
	var se *index.SyntaxError
	var qe *index.QueryError
	if errors.As(err, &se) {
		msg := se.Error()
		if errors.As(err, &qe) {
			msg = fmt.Sprintf("query %d: %s", qe.Index+1, msg)
		}
		return nil, &paramError{Param: "q", Msg: msg, Syntax: se}, nil
	}
	return nil, nil, err
}

// apiCompare runs the comparison the request's parameters ask for, at
// least one query; when it cannot, it answers the error as JSON itself
// and reports false.
func (s *Server) apiCompare(w http.ResponseWriter, r *http.Request) (*index.Comparison, bool) {
	_, cr, perr := s.parseCompare(r.URL.Query())
	if perr == nil && len(cr.Queries) == 0 {
		perr = &paramError{Param: "q", Msg: "at least one q is needed"}
	}
	var c *index.Comparison
	if perr == nil {
		var err error
		if c, perr, err = s.compare(r, cr); err != nil {
			s.internalError(w, r, err, true)
			return nil, false
		}
	}
	if perr != nil {
		writeJSONError(w, http.StatusBadRequest, perr.api())
		return nil, false
	}
	return c, true
}

// handleAPICounts answers /api/counts: a comparison as JSON, or as CSV
// with format=csv.
func (s *Server) handleAPICounts(w http.ResponseWriter, r *http.Request) {
	format := r.URL.Query().Get("format")
	if format != "" && format != "json" && format != "csv" {
		writeJSONError(w, http.StatusBadRequest, (&paramError{Param: "format", Msg: fmt.Sprintf("%q: want json or csv", clip(format, 40))}).api())
		return
	}
	c, ok := s.apiCompare(w, r)
	if !ok {
		return
	}
	if format != "csv" {
		writeJSON(w, http.StatusOK, c)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="warta-counts.csv"`)
	_ = c.WriteCSV(w)
}

// compareView is the compare page.
type compareView struct {
	Form       compareForm
	Inputs     []string // MaxCompare query boxes, filled in order
	Error      string
	ErrorParam string
	Sites      []Site
	Result     *index.Comparison
	Wide       template.HTML // the chart for wide screens
	Narrow     template.HTML // the chart for phones
	Rows       []compareRow
	Legend     []legendItem
	CSVURL     string
	SVGURL     string
	APIURL     string
}

type compareRow struct {
	Period string
	Cells  []string
	All    string
}

type legendItem struct {
	Query, Color, SearchURL string
	Total                   uint64
}

// handleCompare renders the compare page.
func (s *Server) handleCompare(w http.ResponseWriter, r *http.Request) {
	lang := s.lang(w, r)
	f, cr, perr := s.parseCompare(r.URL.Query())
	view := &compareView{Form: f, Sites: s.siteList(f.Filter.Site)}
	view.Inputs = make([]string, index.MaxCompare)
	copy(view.Inputs, f.Queries)
	p := page{Lang: lang, Title: tr(lang, "compare"), Nav: "compare", Data: view}
	if perr == nil && len(cr.Queries) > 0 {
		var err error
		view.Result, perr, err = s.compare(r, cr)
		if err != nil {
			s.internalError(w, r, err, false)
			return
		}
	}
	if perr != nil {
		view.Error, view.ErrorParam = perr.Msg, perr.Param
		s.render(w, r, http.StatusBadRequest, "compare.html", p)
		return
	}
	if c := view.Result; c != nil {
		title := comparisonTitle(lang, c)
		view.Wide = template.HTML(lineChart(lang, c, title, 760, false))
		view.Narrow = template.HTML(lineChart(lang, c, title, 400, false))
		for i, sr := range c.Series {
			sv := f.values()
			sv.Set("q", sr.Query)
			sv.Del("by")
			sv.Del("normalize")
			view.Legend = append(view.Legend, legendItem{Query: sr.Query, Color: seriesColors[i%len(seriesColors)], Total: sr.Total, SearchURL: "/?" + sv.Encode()})
		}
		for j, period := range c.Periods {
			row := compareRow{Period: period}
			for _, sr := range c.Series {
				if c.Normalize == "share" {
					row.Cells = append(row.Cells, percentText(lang, sr.Shares[j])+" ("+countText(lang, sr.Counts[j])+")")
				} else {
					row.Cells = append(row.Cells, countText(lang, sr.Counts[j]))
				}
			}
			if c.Normalize == "share" {
				row.All = countText(lang, c.All[j])
			}
			view.Rows = append(view.Rows, row)
		}
		q := f.values()
		view.APIURL = "/api/counts?" + q.Encode()
		view.SVGURL = "/compare.svg?" + q.Encode()
		q.Set("format", "csv")
		view.CSVURL = "/api/counts?" + q.Encode()
	}
	s.render(w, r, http.StatusOK, "compare.html", p)
}

// handleCompareSVG answers /compare.svg: the compare page's chart as a
// standalone SVG file, to put in a paper.
func (s *Server) handleCompareSVG(w http.ResponseWriter, r *http.Request) {
	lang := s.lang(w, r)
	c, ok := s.apiCompare(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="warta-compare.svg"`)
	_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + lineChart(lang, c, comparisonTitle(lang, c), 760, true)))
}

// comparisonTitle says what a comparison chart shows.
func comparisonTitle(lang string, c *index.Comparison) string {
	qs := make([]string, len(c.Series))
	for i, s := range c.Series {
		qs[i] = s.Query
	}
	what := tr(lang, "articles_per_"+c.By)
	if c.Normalize == "share" {
		what = tr(lang, "share_per_"+c.By)
	}
	return strings.Join(qs, " · ") + " — " + what
}

// seriesColors tell the series of a comparison apart; they are the
// Okabe-Ito palette, readable by colour-blind readers.
var seriesColors = []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00"}

// percentText prints a share as a percentage with one decimal.
func percentText(lang string, f float64) string {
	s := strconv.FormatFloat(100*f, 'f', 1, 64)
	if lang != langEN {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s + "%"
}

// niceTicks returns about n round values from 0 to at least top, for an
// axis: steps of 1, 2 or 5 times a power of ten.
func niceTicks(top float64, n int) []float64 {
	if top <= 0 {
		return []float64{0, 1}
	}
	raw := top / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	var out []float64
	for i := 0; ; i++ {
		v := float64(i) * step
		out = append(out, v)
		if v >= top*(1-1e-9) {
			return out
		}
	}
}

// labelStride returns the stride of the x labels that fit: every
// stride-th of n slots of width slot gets a label of chars characters.
// Labels start at the first slot, and a tick marks every slot, so that a
// label is never taken for its neighbour's.
func labelStride(n int, slot float64, chars int) int {
	need := float64(chars)*6.2 + 8 // about 6.2 units per character at 11 px
	stride := 1
	for stride < n && float64(stride)*slot < need {
		stride++
	}
	return stride
}

// periodLabel prints a period key shortly: a month as "Des 2021", others
// as they are.
func periodLabel(lang, by, key string) string {
	if by == "month" {
		return bucketLabel(lang, key)
	}
	return key
}

// lineChart draws a comparison as an SVG line chart of width w with y
// ticks, x ticks and a title; standalone adds the XML namespace, a white
// background and a legend for use outside the page (in the page, the
// legend is HTML under the chart, with links to each query's results).
func lineChart(lang string, c *index.Comparison, title string, w float64, standalone bool) string {
	share := c.Normalize == "share"
	value := func(s index.Series, j int) float64 {
		if share {
			return s.Shares[j]
		}
		return float64(s.Counts[j])
	}
	var top float64
	for _, s := range c.Series {
		for j := range c.Periods {
			top = math.Max(top, value(s, j))
		}
	}
	ticks := niceTicks(top, 4)
	ymax := ticks[len(ticks)-1]
	const left, right, top0, bottom = 52.0, 12.0, 30.0, 34.0
	legendRows := 0
	if standalone {
		legendRows = len(c.Series)
	}
	h := 200 + float64(legendRows)*16
	plotB := h - bottom - float64(legendRows)*16
	plotW := w - left - right
	n := len(c.Periods)
	slot := plotW / math.Max(float64(n), 1)
	x := func(j int) float64 { return left + slot*(float64(j)+0.5) }
	y := func(v float64) float64 { return plotB - (plotB-top0)*v/math.Max(ymax, 1e-12) }
	esc := html.EscapeString
	var b strings.Builder
	ns := ""
	if standalone {
		ns = ` xmlns="http://www.w3.org/2000/svg" font-family="sans-serif"`
	}
	fmt.Fprintf(&b, `<svg%s class="linechart" viewBox="0 0 %s %s" role="img" aria-label="%s">`, ns, fmtNum(w), fmtNum(h), esc(title))
	fmt.Fprintf(&b, `<title>%s</title>`, esc(title))
	if standalone {
		fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="#fff"/>`)
	}
	fmt.Fprintf(&b, `<text class="ctitle" x="%s" y="16" font-size="12" font-weight="600" fill="#1f2933">%s</text>`, fmtNum(left), esc(clip(title, int(w/6.5))))
	for _, t := range ticks {
		label := countText(lang, uint64(t+0.5))
		if share {
			label = percentText(lang, t)
		}
		fmt.Fprintf(&b, `<line class="grid" x1="%s" y1="%s" x2="%s" y2="%s" stroke="#e6e9ed"/>`, fmtNum(left), fmtNum(y(t)), fmtNum(w-right), fmtNum(y(t)))
		fmt.Fprintf(&b, `<text class="ylab" x="%s" y="%s" text-anchor="end" font-size="11" fill="#52606d">%s</text>`, fmtNum(left-6), fmtNum(y(t)+4), esc(label))
	}
	fmt.Fprintf(&b, `<line class="axis" x1="%s" y1="%s" x2="%s" y2="%s" stroke="#9aa5b1"/>`, fmtNum(left), fmtNum(plotB), fmtNum(w-right), fmtNum(plotB))
	chars := 0
	for _, p := range c.Periods {
		chars = max(chars, len([]rune(periodLabel(lang, c.By, p))))
	}
	stride := labelStride(n, slot, chars)
	for j, p := range c.Periods {
		tick := 3.0
		if j%stride == 0 {
			tick = 6
			fmt.Fprintf(&b, `<text class="xlab" x="%s" y="%s" text-anchor="middle" font-size="11" fill="#52606d">%s</text>`, fmtNum(x(j)), fmtNum(plotB+18), esc(periodLabel(lang, c.By, p)))
		}
		fmt.Fprintf(&b, `<line class="tick" x1="%s" y1="%s" x2="%s" y2="%s" stroke="#9aa5b1"/>`, fmtNum(x(j)), fmtNum(plotB), fmtNum(x(j)), fmtNum(plotB+tick))
	}
	for i, s := range c.Series {
		color := seriesColors[i%len(seriesColors)]
		var pts []string
		for j := range c.Periods {
			pts = append(pts, fmtNum(x(j))+","+fmtNum(y(value(s, j))))
		}
		fmt.Fprintf(&b, `<polyline class="series" data-query="%s" points="%s" fill="none" stroke="%s" stroke-width="2"/>`, esc(s.Query), strings.Join(pts, " "), color)
		for j, p := range c.Periods {
			label := countText(lang, s.Counts[j])
			if share {
				label = percentText(lang, s.Shares[j]) + " (" + label + ")"
			}
			fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="2.5" fill="%s"><title>%s, %s: %s</title></circle>`,
				fmtNum(x(j)), fmtNum(y(value(s, j))), color, esc(s.Query), esc(periodLabel(lang, c.By, p)), esc(label))
		}
		if !standalone {
			continue
		}
		ly := plotB + bottom + float64(i)*16
		fmt.Fprintf(&b, `<rect x="%s" y="%s" width="14" height="4" fill="%s"/>`, fmtNum(left), fmtNum(ly-4), color)
		fmt.Fprintf(&b, `<text class="legend" x="%s" y="%s" font-size="11" fill="#1f2933">%s (%s)</text>`, fmtNum(left+20), fmtNum(ly), esc(clip(s.Query, int((w-left-60)/6.5))), esc(countText(lang, s.Total)))
	}
	b.WriteString(`</svg>`)
	return b.String()
}
