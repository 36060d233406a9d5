package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/warta-id/warta/index"
)

// Chart geometry, in SVG user units; the SVG scales to its box.
const (
	chartW      = 760.0
	chartH      = 170.0
	chartLeft   = 40.0 // room for the count axis
	chartBottom = 24.0 // room for the period labels
	chartTop    = 8.0
	// maxMonthBars is the most months drawn as bars; a longer span is
	// drawn per year.
	maxMonthBars = 48
	// maxBarStep is the widest a bar (with its gap) is drawn.
	maxBarStep = 64.0
)

// chartView is the server-rendered SVG of matches over time.
type chartView struct {
	W, H     float64
	Unit     string // "day", "month" or "year"
	Bars     []barView
	Labels   []labelView
	Max      uint64
	MaxY     float64 // y of the max line
	BaseY    float64
	Left     float64
	Right    float64
	Missing  uint64
	Sum      uint64
	AxisText string
	// YTicks are the count axis's round values, with grid lines.
	YTicks []tickView
	// Ticks are the x positions of a tick under every bar; labelled
	// bars get a longer one.
	Ticks []tickView
}

// tickView is one tick of an axis: its position and its text.
type tickView struct {
	X, Y, Len float64
	Text      string
}

// charts holds the same chart drawn for a wide screen and for a phone,
// where a wide chart scaled down would have unreadable labels.
type charts struct {
	Wide, Narrow *chartView
}

type barView struct {
	X, Y, W, H float64
	Key        string
	Label      string
	Count      uint64
	URL        string
}

type labelView struct {
	X    float64
	Text string
}

// charts builds the chart of res's monthly counts, wide and narrow: per
// year when they span more than maxMonthBars months, per day when they
// fall in one month. It returns nil when nothing dated matched.
func (s *Server) charts(r *http.Request, lang string, req index.Request, c index.Counts) *charts {
	buckets, unit := c.Buckets, "month"
	switch {
	case len(buckets) > maxMonthBars:
		buckets, unit = byYear(buckets), "year"
	case len(buckets) == 1:
		dreq := req
		dreq.Counts, dreq.Limit, dreq.Offset = "day", 1, 0
		if dres, err := s.opt.Searcher.Search(r.Context(), dreq); err == nil {
			if days := monthDays(buckets[0].Key, dres.Counts.Buckets); days != nil {
				buckets, unit = days, "day"
			}
		}
	}
	var sum, top uint64
	for _, b := range buckets {
		sum += b.Count
		top = max(top, b.Count)
	}
	if sum == 0 {
		return nil
	}
	return &charts{
		Wide:   drawBars(r, lang, unit, buckets, c.Missing, sum, top, chartW),
		Narrow: drawBars(r, lang, unit, buckets, c.Missing, sum, top, narrowW),
	}
}

// narrowW is the width of the chart for phones, in SVG units that are
// about pixels at a width of 420.
const narrowW = 400.0

// drawBars lays out a bar per bucket on a chart w units wide, with round
// ticks on the count axis, a tick under every bar and as many labels as
// fit without touching.
func drawBars(r *http.Request, lang, unit string, buckets []index.Bucket, missing, sum, top uint64, w float64) *chartView {
	ticks := niceTicks(float64(top), 4)
	ymax := ticks[len(ticks)-1]
	cv := &chartView{W: w, H: chartH, Unit: unit, Max: top, Missing: missing, Sum: sum,
		BaseY: chartH - chartBottom, MaxY: chartTop, Left: chartLeft, Right: w - 4}
	plotW := cv.Right - cv.Left
	plotH := cv.BaseY - cv.MaxY
	step := min(plotW/float64(len(buckets)), maxBarStep)
	// Few bars are drawn at most maxBarStep wide, centred.
	left := cv.Left + (plotW-step*float64(len(buckets)))/2
	gap := min(step*0.15, 3)
	for _, t := range ticks {
		cv.YTicks = append(cv.YTicks, tickView{Y: cv.BaseY - plotH*t/ymax, Text: countText(lang, uint64(t+0.5))})
	}
	chars := 0
	for _, b := range buckets {
		chars = max(chars, len([]rune(xLabel(lang, unit, b.Key))))
	}
	labelEvery := labelStride(len(buckets), step, chars)
	for i, b := range buckets {
		h := plotH * float64(b.Count) / ymax
		if b.Count > 0 && h < 1.5 {
			h = 1.5 // a single article must still show
		}
		from, to := bucketRange(unit, b.Key)
		bar := barView{
			X: left + float64(i)*step + gap/2, W: step - gap, Y: cv.BaseY - h, H: h,
			Key: b.Key, Label: bucketLabel(lang, b.Key), Count: b.Count,
		}
		if from != "" {
			bar.URL = withParams(r, map[string]string{"from": from, "to": to, "offset": ""})
		}
		cv.Bars = append(cv.Bars, bar)
		x := left + float64(i)*step + step/2
		if i%labelEvery == 0 {
			cv.Labels = append(cv.Labels, labelView{X: x, Text: xLabel(lang, unit, b.Key)})
			cv.Ticks = append(cv.Ticks, tickView{X: x, Len: 5})
		} else {
			cv.Ticks = append(cv.Ticks, tickView{X: x, Len: 2.5})
		}
	}
	return cv
}

// xLabel is the label of a bar: a month as "Des 2021", a day as its
// number in the month, a year as it is.
func xLabel(lang, unit, key string) string {
	switch unit {
	case "month":
		return bucketLabel(lang, key)
	case "day":
		if len(key) == 10 {
			return strings.TrimPrefix(key[8:], "0")
		}
	}
	return key
}

// monthDays spreads day counts over every day of month (2021-12), so a
// month is drawn as its days; nil when month is not a month.
func monthDays(month string, days []index.Bucket) []index.Bucket {
	first, err := time.Parse("2006-01", month)
	if err != nil {
		return nil
	}
	have := make(map[string]uint64, len(days))
	for _, d := range days {
		have[d.Key] = d.Count
	}
	var out []index.Bucket
	for t := first; t.Month() == first.Month(); t = t.AddDate(0, 0, 1) {
		k := t.Format("2006-01-02")
		out = append(out, index.Bucket{Key: k, Count: have[k]})
	}
	return out
}

// byYear sums month buckets (2021-12) into year buckets (2021).
func byYear(months []index.Bucket) []index.Bucket {
	var out []index.Bucket
	for _, m := range months {
		if len(m.Key) < 4 {
			continue
		}
		y := m.Key[:4]
		if n := len(out); n > 0 && out[n-1].Key == y {
			out[n-1].Count += m.Count
			continue
		}
		out = append(out, index.Bucket{Key: y, Count: m.Count})
	}
	return out
}

// bucketRange returns the first and last day of a bucket, as the from and
// to parameters of a search.
func bucketRange(unit, key string) (from, to string) {
	layout := map[string]string{"day": "2006-01-02", "month": "2006-01", "year": "2006"}[unit]
	t, err := time.Parse(layout, key)
	if err != nil {
		return "", ""
	}
	var end time.Time
	switch unit {
	case "day":
		end = t
	case "month":
		end = t.AddDate(0, 1, -1)
	default:
		end = t.AddDate(1, 0, -1)
	}
	return t.Format("2006-01-02"), end.Format("2006-01-02")
}

// fmtNum prints a coordinate with at most one decimal.
func fmtNum(f float64) string {
	return strconv.FormatFloat(f, 'f', 1, 64)
}

// countText prints a count the way the page's language groups digits.
func countText(lang string, n uint64) string {
	s := strconv.FormatUint(n, 10)
	sep := "."
	if lang == langEN {
		sep = ","
	}
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, sep...)
		}
		out = append(out, s[i])
	}
	return string(out)
}
