package extract

import (
	"cmp"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Date sources, as Article.DateSource names them. Extract never sets
// SourceWordPress: a caller that takes the date from the WordPress REST API
// (date_gmt) sets it.
const (
	SourceJSONLD    = "json-ld"   // a JSON-LD Article's datePublished
	SourceMeta      = "meta"      // a <meta> tag such as article:published_time
	SourceTime      = "time"      // <time datetime>, itemprop or epoch attributes
	SourceWordPress = "wordpress" // the WordPress REST API's date_gmt
	SourceText      = "text"      // a date printed on the page, relative dates included
	SourceURL       = "url"       // /YYYY/MM/DD/ in the URL: the day only
	SourceNone      = "none"      // no date found; Published is empty
)

// months maps Indonesian and English month names and abbreviations to
// month numbers.
var months = map[string]time.Month{
	"januari": 1, "jan": 1, "january": 1,
	"februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "february": 2,
	"maret": 3, "mar": 3, "march": 3,
	"april": 4, "apr": 4,
	"mei": 5, "may": 5,
	"juni": 6, "jun": 6, "june": 6,
	"juli": 7, "jul": 7, "july": 7,
	"agustus": 8, "agt": 8, "agu": 8, "ags": 8, "agus": 8, "aug": 8, "august": 8,
	"september": 9, "sep": 9, "sept": 9,
	"oktober": 10, "okt": 10, "oct": 10, "october": 10,
	"november": 11, "nopember": 11, "nov": 11, "nop": 11,
	"desember": 12, "des": 12, "dec": 12, "december": 12,
}

// monthAlt is a regexp alternation of the month names of months, longest
// first so that a full name is preferred to its abbreviation.
var monthAlt = func() string {
	names := slices.Collect(maps.Keys(months))
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(len(b)-len(a), strings.Compare(a, b))
	})
	return strings.Join(names, "|")
}()

var (
	isoDateRE  = regexp.MustCompile(`(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?`)
	dmyNameRE  = regexp.MustCompile(`(?i)\b(\d{1,2})\s*(?:-|\s)\s*(` + monthAlt + `)\.?\s*(?:-|,)?\s*(\d{4})\b`)
	mdyNameRE  = regexp.MustCompile(`(?i)\b(` + monthAlt + `)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`)
	dmyNumRE   = regexp.MustCompile(`\b(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\b`)
	clockRE    = regexp.MustCompile(`(?i)\b(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?(?:\s*([ap])\.?m\.?\b)?(?:\s*(WIB|WITA|WIT|UTC|GMT)(?:\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?)?\b)?`)
	relativeRE = regexp.MustCompile(`(?i)\b(\d+|se|satu|a|an)\s*(detik|menit|jam|hari|minggu|pekan|bulan|tahun|seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+(?:yang\s+)?(?:lalu|ago)\b`)
	yesterRE   = regexp.MustCompile(`(?i)\b(kemarin|yesterday)\b`)
	todayRE    = regexp.MustCompile(`(?i)\b(hari ini|today)\b`)
	urlDateRE  = regexp.MustCompile(`/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:/|$)`)
	epochRE    = regexp.MustCompile(`^\d{9,13}$`)
)

// zoneOffsets are the Indonesian zone abbreviations in seconds east of UTC.
var zoneOffsets = map[string]int{"WIB": 7 * 3600, "WITA": 8 * 3600, "WIT": 9 * 3600, "UTC": 0, "GMT": 0}

// parsedDate is a date read from a page.
type parsedDate struct {
	t       time.Time
	hasTime bool
}

// format prints the date as RFC 3339; a date without a time of day is
// midnight in its zone.
func (d parsedDate) format() string { return d.t.Format(time.RFC3339) }

// in returns the date in the site's zone: the same instant, printed as
// the site's readers see it (a meta tag in UTC and a <time> in WIB agree).
func (d parsedDate) in(loc *time.Location) parsedDate {
	if d.hasTime {
		d.t = d.t.In(loc)
	}
	return d
}

// parseMachineDate reads a date written for machines: ISO 8601 with or
// without zone, RFC 1123, or a Unix epoch in seconds or milliseconds.
func parseMachineDate(s string, loc *time.Location) (parsedDate, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return parsedDate{}, false
	}
	if epochRE.MatchString(s) {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return parsedDate{}, false
		}
		if len(s) == 13 {
			n /= 1000
		}
		t := time.Unix(n, 0).In(loc)
		if t.Year() < 1995 || t.Year() > 2100 {
			return parsedDate{}, false
		}
		return parsedDate{t: t, hasTime: true}, true
	}
	if m := isoDateRE.FindStringSubmatch(s); m != nil && strings.Index(s, m[0]) <= 2 {
		return isoFromMatch(m, loc)
	}
	for _, layout := range []string{time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST", time.RFC850, time.ANSIC} {
		if t, err := time.Parse(layout, s); err == nil {
			return parsedDate{t: t, hasTime: true}, true
		}
	}
	return parseTextDate(s, loc, time.Time{})
}

func isoFromMatch(m []string, loc *time.Location) (parsedDate, bool) {
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	hasTime := m[4] != ""
	h, mi, sec := 0, 0, 0
	if hasTime {
		h, _ = strconv.Atoi(m[4])
		mi, _ = strconv.Atoi(m[5])
		sec, _ = strconv.Atoi(m[6])
	}
	zone := loc
	switch z := strings.ToUpper(m[7]); {
	case z == "":
	case z == "Z" || z == "UTC" || z == "GMT":
		zone = time.UTC
	default:
		z = strings.ReplaceAll(z, ":", "")
		zh, _ := strconv.Atoi(z[1:3])
		zm, _ := strconv.Atoi(z[3:5])
		off := zh*3600 + zm*60
		if z[0] == '-' {
			off = -off
		}
		zone = time.FixedZone("", off)
	}
	return makeDate(y, time.Month(mo), d, h, mi, sec, zone, hasTime)
}

func makeDate(y int, mo time.Month, d, h, mi, s int, loc *time.Location, hasTime bool) (parsedDate, bool) {
	if y < 1990 || y > 2100 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 {
		return parsedDate{}, false
	}
	t := time.Date(y, mo, d, h, mi, s, 0, loc)
	if t.Day() != d {
		return parsedDate{}, false // 31 November
	}
	return parsedDate{t: t, hasTime: hasTime}, true
}

// parseTextDate reads a date as Indonesian (and English) pages print it:
// "Rabu, 22 Desember 2021", "Rabu, 02 Nov 2022 17:11 WIB",
// "17/09/2017, 15:55 WIB", "20/1/2026 18:30", "16:00:41, 25 Agu 2024",
// "December 23, 2021", and, when now is not zero, "9 menit yang lalu" and
// "kemarin". The day always comes before the month in numeric dates.
func parseTextDate(s string, loc *time.Location, now time.Time) (parsedDate, bool) {
	// Every absolute date form holds a four-digit year, and without now
	// the relative ones are not read: a text without four digits in a row
	// is no date. isLabelLine asks this of every short paragraph.
	if now.IsZero() && !hasDigitRun(s, 4) {
		return parsedDate{}, false
	}
	s = normSpace(s)
	if s == "" {
		return parsedDate{}, false
	}
	type hit struct {
		y, d       int
		mo         time.Month
		start, end int
	}
	var found *hit
	if m := isoDateRE.FindStringSubmatchIndex(s); m != nil {
		sub := submatches(s, m)
		if p, ok := isoFromMatch(sub, loc); ok {
			if sub[4] != "" {
				return p, true
			}
			found = &hit{y: p.t.Year(), mo: p.t.Month(), d: p.t.Day(), start: m[0], end: m[1]}
		}
	}
	if found == nil {
		if m := dmyNameRE.FindStringSubmatchIndex(s); m != nil {
			sub := submatches(s, m)
			d, _ := strconv.Atoi(sub[1])
			y, _ := strconv.Atoi(sub[3])
			found = &hit{y: y, mo: months[strings.ToLower(sub[2])], d: d, start: m[0], end: m[1]}
		} else if m := mdyNameRE.FindStringSubmatchIndex(s); m != nil {
			sub := submatches(s, m)
			d, _ := strconv.Atoi(sub[2])
			y, _ := strconv.Atoi(sub[3])
			found = &hit{y: y, mo: months[strings.ToLower(sub[1])], d: d, start: m[0], end: m[1]}
		} else if m := dmyNumRE.FindStringSubmatchIndex(s); m != nil {
			sub := submatches(s, m)
			d, _ := strconv.Atoi(sub[1])
			mo, _ := strconv.Atoi(sub[2])
			y, _ := strconv.Atoi(sub[3])
			found = &hit{y: y, mo: time.Month(mo), d: d, start: m[0], end: m[1]}
		}
	}
	if found != nil {
		h, mi, sec, zone, ok := clockNear(s, found.start, found.end, loc)
		return makeDate(found.y, found.mo, found.d, h, mi, sec, zone, ok)
	}
	if now.IsZero() {
		return parsedDate{}, false
	}
	now = now.In(loc)
	if m := relativeRE.FindStringSubmatch(s); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil {
			n = 1 // "sejam yang lalu", "a minute ago"
		}
		unit := strings.ToLower(m[2])
		var d time.Duration
		exact := true
		switch {
		case strings.HasPrefix(unit, "detik") || strings.HasPrefix(unit, "sec"):
			d = time.Duration(n) * time.Second
		case strings.HasPrefix(unit, "menit") || strings.HasPrefix(unit, "min"):
			d = time.Duration(n) * time.Minute
		case strings.HasPrefix(unit, "jam") || strings.HasPrefix(unit, "hour") || strings.HasPrefix(unit, "hr"):
			d = time.Duration(n) * time.Hour
		case strings.HasPrefix(unit, "hari") || strings.HasPrefix(unit, "day"):
			d, exact = time.Duration(n)*24*time.Hour, false
		case strings.HasPrefix(unit, "minggu") || strings.HasPrefix(unit, "pekan") || strings.HasPrefix(unit, "week"):
			d, exact = time.Duration(n)*7*24*time.Hour, false
		default:
			// Months and years ago are too vague to be a date.
			return parsedDate{}, false
		}
		t := now.Add(-d)
		if exact {
			return parsedDate{t: t.Truncate(time.Minute), hasTime: true}, true
		}
		return makeDate(t.Year(), t.Month(), t.Day(), 0, 0, 0, loc, false)
	}
	for _, re := range []*regexp.Regexp{yesterRE, todayRE} {
		m := re.FindStringIndex(s)
		if m == nil {
			continue
		}
		t := now
		if re == yesterRE {
			t = now.AddDate(0, 0, -1)
		}
		h, mi, sec, zone, ok := clockNear(s, m[0], m[1], loc)
		return makeDate(t.Year(), t.Month(), t.Day(), h, mi, sec, zone, ok)
	}
	return parsedDate{}, false
}

// hasDigitRun reports whether s holds n ASCII digits in a row (what the
// date patterns' \d matches).
func hasDigitRun(s string, n int) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if '0' <= s[i] && s[i] <= '9' {
			if run++; run >= n {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

func submatches(s string, idx []int) []string {
	out := make([]string, len(idx)/2)
	for i := range out {
		if idx[2*i] >= 0 {
			out[i] = s[idx[2*i]:idx[2*i+1]]
		}
	}
	return out
}

// clockNear finds a time of day printed just after (or just before) a date
// at s[start:end], with its zone.
func clockNear(s string, start, end int, loc *time.Location) (h, mi, sec int, zone *time.Location, ok bool) {
	zone = loc
	try := func(part string) bool {
		m := clockRE.FindStringSubmatch(part)
		if m == nil {
			return false
		}
		h, _ = strconv.Atoi(m[1])
		mi, _ = strconv.Atoi(m[2])
		sec, _ = strconv.Atoi(m[3])
		if h > 23 || mi > 59 || sec > 59 {
			return false
		}
		switch strings.ToLower(m[4]) {
		case "p":
			if h < 12 {
				h += 12
			}
		case "a":
			if h == 12 {
				h = 0
			}
		}
		if z := strings.ToUpper(m[5]); z != "" {
			off := zoneOffsets[z]
			if m[7] != "" {
				zh, _ := strconv.Atoi(m[7])
				zm, _ := strconv.Atoi(m[8])
				o := zh*3600 + zm*60
				if m[6] == "-" {
					o = -o
				}
				off += o
			}
			if z == "WIB" || z == "WITA" || z == "WIT" {
				zone = time.FixedZone(z, off)
			} else {
				zone = time.FixedZone("", off)
			}
		}
		return true
	}
	after := s[end:]
	if len(after) > 40 {
		after = after[:40]
	}
	if try(after) {
		return h, mi, sec, zone, true
	}
	before := s[:start]
	if len(before) > 20 {
		before = before[len(before)-20:]
	}
	if try(before) {
		return h, mi, sec, zone, true
	}
	return 0, 0, 0, loc, false
}

var (
	publishedMetaKeys = []string{
		"article:published_time", "og:article:published_time", "datepublished", "pubdate",
		"publishdate", "publish-date", "publish_date", "article.published", "dc.date.issued",
		"dcterms.issued", "dcterms.created", "dc.date", "sailthru.date", "parsely-pub-date",
		"content_publisheddate", "article_date_original", "date", "og:published_time",
		"cxenseparse:recs:publishtime", "originalpublicationdate",
	}
	modifiedMetaKeys = []string{
		"article:modified_time", "og:updated_time", "datemodified", "dcterms.modified",
		"last-modified", "article.updated", "lastmod",
	}
	publishedTimeSelector = mustGroup("abbr.published[title], [itemprop=datePublished][title], time.published[datetime], time.entry-date[datetime], [itemprop=datePublished][datetime], [itemprop=datePublished][content], time[pubdate][datetime], .entry-meta time[datetime], article time[datetime], time[datetime]")
	modifiedTimeSelector  = mustGroup("time.updated[datetime], [itemprop=dateModified][datetime], [itemprop=dateModified][content]")
	epochAttrSelector     = mustGroup("[d-time], [data-time], [data-timestamp], [data-date]")
	articleHeaderRE       = mustQuick(`(entry|post|article|detail|story|single|read|news|node)[-_]*(header|footer|meta)|(header|footer)[-_]*(entry|post|article|detail)`)
	chromeAncestorRE      = mustQuick(`(^|[\s_-])(header|topbar|top-bar|navbar|nav|menu|sidebar|widget|footer|related|comment|comments|recent|popular|terpopuler|terkini|trending|today|current)([\s_-]|$)`)
)

// published returns the publication date and where it came from: the
// profile's selector, JSON-LD, meta tags, <time datetime> and date
// attributes, visible text, then the URL. No date gives "" and "none".
func (x *extraction) published() (string, string) {
	// Sources in order of trust. A date without a time of day holds only
	// until a later source gives the same day with its time.
	var best parsedDate
	bestSrc := ""
	consider := func(d parsedDate, src string) bool {
		d = d.in(x.loc)
		switch {
		case bestSrc == "":
			best, bestSrc = d, src
		case d.hasTime && sameDay(d.t, best.t):
			best, bestSrc = d, src
		}
		return best.hasTime
	}
	if n := x.profileNode("published"); n != nil {
		if d, src, ok := x.dateFromElement(n); ok && consider(d, src) {
			return best.format(), bestSrc
		}
	}
	if d, ok := parseMachineDate(x.meta.ld.datePublished, x.loc); ok && consider(d, SourceJSONLD) {
		return best.format(), bestSrc
	}
	for _, k := range publishedMetaKeys {
		for _, v := range x.meta.metas[k] {
			if d, ok := parseMachineDate(v, x.loc); ok && consider(d, SourceMeta) {
				return best.format(), bestSrc
			}
		}
	}
	for _, n := range queryAll(x.root, x.g(publishedTimeSelector)) {
		if inChrome(n) {
			continue
		}
		v := attr(n, "datetime")
		if v == "" {
			v = attr(n, "content")
		}
		if v == "" {
			v = attr(n, "title")
		}
		if d, ok := parseMachineDate(v, x.loc); ok && consider(d, SourceTime) {
			return best.format(), bestSrc
		}
	}
	for _, n := range queryAll(x.root, x.g(epochAttrSelector)) {
		if inChrome(n) {
			continue
		}
		for _, k := range []string{"d-time", "data-time", "data-timestamp", "data-date"} {
			if d, ok := parseMachineDate(attr(n, k), x.loc); ok && consider(d, SourceTime) {
				return best.format(), bestSrc
			}
		}
	}
	if d, ok := x.visibleDate(); ok && consider(d, SourceText) {
		return best.format(), bestSrc
	}
	if bestSrc != "" {
		return best.format(), bestSrc
	}
	if m := urlDateRE.FindStringSubmatch(x.page.Path); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		if p, ok := makeDate(y, time.Month(mo), d, 0, 0, 0, x.loc, false); ok {
			return p.format(), SourceURL
		}
	}
	return "", SourceNone
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.In(a.Location()).Date()
	return ay == by && am == bm && ad == bd
}

// dateFromElement reads a date from the element a profile points at: its
// datetime or content attribute, then its text.
func (x *extraction) dateFromElement(n *html.Node) (parsedDate, string, bool) {
	for _, k := range []string{"datetime", "content", "data-time", "d-time", "title"} {
		if v := attr(n, k); v != "" {
			if d, ok := parseMachineDate(v, x.loc); ok {
				src := SourceTime
				if n.Data == "meta" {
					src = SourceMeta
				}
				return d, src, true
			}
		}
	}
	if d, ok := parseTextDate(textOf(n), x.loc, x.opt.FetchedAt); ok {
		return d, SourceText, true
	}
	return parsedDate{}, "", false
}

// visibleDate looks for a printed date in the date-like elements of the
// page, those after the headline first, outside headers, menus and
// sidebars (where "today's date" lives).
func (x *extraction) visibleDate() (parsedDate, bool) {
	title := query(x.root, x.g(anyH1))
	after := title == nil
	var before []*html.Node
	try := func(n *html.Node) (parsedDate, bool) {
		t, ok := textUpTo(n, 200)
		if !ok || inChrome(n) {
			return parsedDate{}, false
		}
		return parseTextDate(t, x.loc, x.opt.FetchedAt)
	}
	// One walk in document order: the candidates before the headline wait,
	// those after it are tried as they come, and the first date ends it.
	var found parsedDate
	done := false
	walk(x.root, func(n *html.Node) bool {
		if done {
			return false
		}
		if n == title {
			after = true
		}
		if !dateLike(n) {
			return true
		}
		if !after {
			before = append(before, n)
		} else if d, ok := try(n); ok {
			found, done = d, true
		}
		return true
	})
	if done {
		return found, true
	}
	for _, n := range before {
		if d, ok := try(n); ok {
			return d, true
		}
	}
	return parsedDate{}, false
}

// dateClassWords are the class-name parts of elements that may print the
// article's date: "entry-date", "post-meta", "tgl", "byline-info".
var dateClassWords = []string{"date", "Date", "time", "publish", "posted", "tanggal", "tgl", "waktu", "meta", "byline", "info"}

// dateLike reports whether n is an element that may print the article's
// date: <time>, a class holding one of dateClassWords, an id holding
// "date". It is the selector "time, [class*=date], [id*=date], ..."
// written out: cascadia tried each of its thirteen parts on every element
// of the page.
func dateLike(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	if n.Data == "time" {
		return true
	}
	for _, a := range n.Attr {
		switch a.Key {
		case "class":
			for _, w := range dateClassWords {
				if strings.Contains(a.Val, w) {
					return true
				}
			}
		case "id":
			if strings.Contains(a.Val, "date") {
				return true
			}
		}
	}
	return false
}

// textUpTo returns the text under n like textOf, and false, without
// gathering it, when it is longer than max bytes: a date-like class on
// the article's whole wrapper ("post-meta-wrap") would copy the article.
func textUpTo(n *html.Node, max int) (string, bool) {
	var b strings.Builder
	walk(n, func(c *html.Node) bool {
		if b.Len() > max || c.Type == html.ElementNode && skipText(c) {
			return false
		}
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
		return true
	})
	if b.Len() > max {
		return "", false
	}
	return b.String(), true
}

// inChrome reports whether n sits in a page header, menu, sidebar, footer,
// comments or related-posts block.
func inChrome(n *html.Node) bool {
	for p := n; p != nil; p = p.Parent {
		if p.Type != html.ElementNode {
			continue
		}
		switch p.Data {
		case "header", "footer":
			if !isArticleHeader(p) {
				return true
			}
		case "nav", "aside":
			return true
		}
		if p.DataAtom == atom.Body || p.DataAtom == atom.Html || isArticleRoot(p) {
			break
		}
		if chromeAncestorRE.MatchString(classID(p)) && !isArticleHeader(p) {
			return true
		}
	}
	return false
}

// isArticleRoot reports whether n is the element that holds one article:
// what sits inside it and outside its own header, nav and aside is the
// article's, whatever the page's outer wrappers are called.
func isArticleRoot(n *html.Node) bool {
	if n.DataAtom == atom.Article {
		return true
	}
	if hasClass(n, "hentry") || hasClass(n, "item-page") {
		return true
	}
	t := attr(n, "itemtype")
	return strings.HasSuffix(t, "/Article") || strings.HasSuffix(t, "/NewsArticle") || strings.HasSuffix(t, "/BlogPosting")
}

// isArticleHeader reports whether a header belongs to the article
// (entry-header) rather than to the page.
func isArticleHeader(n *html.Node) bool {
	if articleHeaderRE.MatchString(classID(n)) {
		return true
	}
	if n.DataAtom != atom.Header && n.DataAtom != atom.Footer {
		return false
	}
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Data == "article" || p.Data == "main" {
			return true
		}
	}
	return false
}

// modified returns the last modification date, from machine data only.
func (x *extraction) modified() string {
	if n := x.profileNode("modified"); n != nil {
		if d, _, ok := x.dateFromElement(n); ok {
			return d.in(x.loc).format()
		}
	}
	if d, ok := parseMachineDate(x.meta.ld.dateModified, x.loc); ok {
		return d.in(x.loc).format()
	}
	for _, k := range modifiedMetaKeys {
		for _, v := range x.meta.metas[k] {
			if d, ok := parseMachineDate(v, x.loc); ok {
				return d.in(x.loc).format()
			}
		}
	}
	for _, n := range queryAll(x.root, x.g(modifiedTimeSelector)) {
		v := attr(n, "datetime")
		if v == "" {
			v = attr(n, "content")
		}
		if d, ok := parseMachineDate(v, x.loc); ok {
			return d.in(x.loc).format()
		}
	}
	return ""
}
