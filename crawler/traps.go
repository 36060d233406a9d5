package crawler

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Crawler traps are sets of pages without end that bring nothing new:
// ?page=N+1 for ever with the same three articles, a calendar whose
// "next month" link never stops, links that grow a parameter or a session
// id on every page. A run bounds them by default:
//
//   - a listing chain stops after MaxBarrenListings listing pages in a row
//     that brought no article URL the run did not know;
//   - listing pages more than MaxListingDepth links away from a start URL
//     are not followed;
//   - calendar pages of a period that has not begun are not followed;
//   - links with a repeated query parameter, too many parameters, a very
//     long query, a very long path, or a path that repeats itself are not
//     followed;
//   - REST API pages stop after MaxBarrenListings pages in a row that
//     listed no post the run did not know, or at the first empty page,
//     whatever X-WP-TotalPages says;
//   - session ids (PHPSESSID, jsessionid and the like) are dropped from
//     URLs by Normalize, so they do not make one page many.

// Trap reasons, as counted in Summary.Traps.
const (
	trapBarren = "barren_listings"
	// trapRequisites: requisites past MaxRequisites in one run.
	trapRequisites = "requisite_limit"
	// trapBarrenAPI: REST API pages that list no post not known already.
	trapBarrenAPI = "barren_api_pages"
	trapDepth     = "listing_depth"
	trapCalendar  = "calendar_future"
	trapQuery     = "query_params"
	trapPath      = "path_repeats"
)

// Bounds on a URL's shape beyond which it is taken for a trap.
const (
	maxQueryParams = 12
	maxQueryBytes  = 512
	maxPathSegs    = 24
	// A slug of a long Indonesian headline is some 150 bytes; a path of
	// kilobytes is made up, one new one per page.
	maxPathBytes  = 1024
	maxSegRepeats = 3 // the same path segment, /a/b/a/b/a/b/...
)

// urlTrap returns why u looks like a generated URL of a trap, or "".
func urlTrap(u *url.URL) string {
	if q := u.RawQuery; q != "" {
		if len(q) > maxQueryBytes {
			return trapQuery
		}
		seen := map[string]bool{}
		for _, kv := range strings.Split(q, "&") {
			k, _, _ := strings.Cut(kv, "=")
			if k == "" {
				continue
			}
			if seen[k] || len(seen) >= maxQueryParams {
				return trapQuery
			}
			seen[k] = true
		}
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(segs) > maxPathSegs || len(u.Path) > maxPathBytes {
		return trapPath
	}
	count := map[string]int{}
	for _, s := range segs {
		if s == "" {
			continue
		}
		if count[s]++; count[s] >= maxSegRepeats {
			return trapPath
		}
	}
	return ""
}

var (
	// calendarPath finds /2024/05/, /2024/05/17/ and /2024-05(-17) in a path.
	calendarPath = regexp.MustCompile(`(?:^|/)((?:19|2\d)\d\d)(?:[/-](\d\d?)(?:[/-](\d\d?))?)?(?:/|$)`)
	// wpMonth is WordPress's ?m=202405 and ?m=20240517.
	wpMonth = regexp.MustCompile(`^((?:19|2\d)\d\d)(\d\d)(\d\d)?$`)
	// isoDate is 2024-05, 2024-05-17 in a query value.
	isoDate = regexp.MustCompile(`^((?:19|2\d)\d\d)-(\d\d?)(?:-(\d\d?))?$`)
)

// calendarStart returns the first day of the period a calendar or archive
// URL shows (a year, a month or a day, from its path or its query), and
// whether u names one.
func calendarStart(u *url.URL) (time.Time, bool) {
	date := func(y, m, d string) (time.Time, bool) {
		year, _ := strconv.Atoi(y)
		month, day := 1, 1
		if m != "" {
			month, _ = strconv.Atoi(m)
		}
		if d != "" {
			day, _ = strconv.Atoi(d)
		}
		if month < 1 || month > 12 || day < 1 || day > 31 {
			return time.Time{}, false
		}
		return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC), true
	}
	q := u.Query()
	if m := wpMonth.FindStringSubmatch(q.Get("m")); m != nil {
		return date(m[1], m[2], m[3])
	}
	for _, k := range []string{"date", "tanggal", "tgl", "day", "month", "bulan", "ym"} {
		if m := isoDate.FindStringSubmatch(q.Get(k)); m != nil {
			return date(m[1], m[2], m[3])
		}
	}
	for _, yk := range []string{"year", "tahun", "y", "yr", "thn"} {
		y := q.Get(yk)
		if len(y) != 4 || !isDigits(y) {
			continue
		}
		m := ""
		for _, mk := range []string{"month", "bulan", "m", "mo", "bln"} {
			if v := q.Get(mk); v != "" && len(v) <= 2 && isDigits(v) {
				m = v
				break
			}
		}
		return date(y, m, "")
	}
	// Pagination is not a date: /page/2031 is page 2031.
	if m := calendarPath.FindStringSubmatch(pagedPath.ReplaceAllString(u.Path, "/")); m != nil {
		return date(m[1], m[2], m[3])
	}
	return time.Time{}, false
}

// listingTrap decides whether the listing page u, found on the listing
// page parent, is followed. It returns the task to queue, or the reason it
// is a trap. newArticles is the number of article URLs parent brought that
// the run did not know.
func (r *run) listingTrap(parent task, u *url.URL, newArticles int, now time.Time) (task, string) {
	t := task{url: u.String(), kind: KindListing, depth: parent.depth + 1}
	if newArticles == 0 {
		t.barren = parent.barren + 1
	}
	switch {
	case t.barren > r.opt.MaxBarrenListings:
		return t, trapBarren
	case t.depth > r.opt.MaxListingDepth:
		return t, trapDepth
	}
	// A day ahead: the site's clock may be in a zone ahead of ours.
	if start, ok := calendarStart(u); ok && start.After(now.Add(24*time.Hour)) {
		return t, trapCalendar
	}
	return t, ""
}

// trapped records a URL left alone as a trap; the first of each reason is
// logged as a warning, so that a bound that cuts a real site is seen.
func (r *run) trapped(u, reason string) {
	r.c.skipped.Add(1)
	r.mu.Lock()
	r.sum.Skipped++
	if r.sum.Traps == nil {
		r.sum.Traps = map[string]int{}
	}
	r.sum.Traps[reason]++
	first := r.sum.Traps[reason] == 1
	r.mu.Unlock()
	if first {
		r.opt.Logger.Warn("crawler_trap", "reason", reason, "url", u)
	} else {
		r.opt.Logger.Debug("crawler_trap", "reason", reason, "url", u)
	}
}
