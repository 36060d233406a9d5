package web

import (
	"errors"
	"fmt"
	"html"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/warta-id/warta/archive"
	"github.com/warta-id/warta/export"
	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/index"
)

// searchForm is a search as the UI and the API take it from the URL.
type searchForm struct {
	Q, Site, Category, From, To, Sort, Counts string
	Limit, Offset                             int
}

// paramError is a bad search parameter, reported as a 400.
type paramError struct {
	Param  string
	Msg    string
	Syntax *index.SyntaxError // set for a query that does not parse
}

func (e *paramError) Error() string { return e.Param + ": " + e.Msg }

func (e *paramError) api() apiError {
	ae := apiError{Error: e.Error(), Param: e.Param}
	if e.Syntax != nil {
		off := e.Syntax.Offset
		ae.Offset, ae.Column = &off, e.Syntax.Column
	}
	return ae
}

// parseSearch reads and checks the search parameters of v: the same ones
// as `warta search` (q, site, from, to, sort, limit, offset, counts) and
// category.
func (s *Server) parseSearch(v url.Values) (searchForm, index.Request, *paramError) {
	f := searchForm{
		Q:        strings.TrimSpace(v.Get("q")),
		Site:     strings.TrimSpace(v.Get("site")),
		Category: strings.TrimSpace(v.Get("category")),
		From:     strings.TrimSpace(v.Get("from")),
		To:       strings.TrimSpace(v.Get("to")),
		Sort:     v.Get("sort"),
		Counts:   v.Get("counts"),
	}
	var req index.Request
	if n := utf8.RuneCountInString(f.Q); n > MaxQueryLen || len(f.Q) > 4*MaxQueryLen {
		return f, req, &paramError{Param: "q", Msg: fmt.Sprintf("query too long (%d characters; at most %d)", n, MaxQueryLen)}
	}
	if !utf8.ValidString(f.Q) {
		return f, req, &paramError{Param: "q", Msg: "not valid UTF-8"}
	}
	if !utf8.ValidString(f.Category) {
		return f, req, &paramError{Param: "category", Msg: "not valid UTF-8"}
	}
	if f.Site != "" && extract.CheckSite(f.Site) != nil {
		return f, req, &paramError{Param: "site", Msg: fmt.Sprintf("%q is not a site name", clip(f.Site, 80))}
	}
	if utf8.RuneCountInString(f.Category) > 200 {
		return f, req, &paramError{Param: "category", Msg: "category too long (at most 200 characters)"}
	}
	var err error
	zone := s.zone(f.Site)
	if req.From, err = index.ParseDate(f.From, false, zone); err != nil {
		return f, req, &paramError{Param: "from", Msg: err.Error()}
	}
	if req.To, err = index.ParseDate(f.To, true, zone); err != nil {
		return f, req, &paramError{Param: "to", Msg: err.Error()}
	}
	if !req.From.IsZero() && !req.To.IsZero() && req.To.Before(req.From) {
		return f, req, &paramError{Param: "to", Msg: fmt.Sprintf("the date range ends (%s) before it starts (%s)", f.To, f.From)}
	}
	switch f.Sort {
	case "", "relevance", "date":
	default:
		return f, req, &paramError{Param: "sort", Msg: fmt.Sprintf("%q: want relevance or date", clip(f.Sort, 40))}
	}
	switch f.Counts {
	case "", "day", "month", "year", "site":
	default:
		return f, req, &paramError{Param: "counts", Msg: fmt.Sprintf("%q: want day, month, year or site", clip(f.Counts, 40))}
	}
	if f.Limit, err = intParam(v, "limit", 20, 1, MaxLimit); err != nil {
		return f, req, &paramError{Param: "limit", Msg: err.Error()}
	}
	if f.Offset, err = intParam(v, "offset", 0, 0, MaxOffset); err != nil {
		return f, req, &paramError{Param: "offset", Msg: err.Error()}
	}
	req.Query, req.Category = f.Q, f.Category
	req.Site, req.Sort, req.Counts, req.Limit, req.Offset = f.Site, f.Sort, f.Counts, f.Limit, f.Offset
	return f, req, nil
}

func intParam(v url.Values, name string, def, lo, hi int) (int, error) {
	s := v.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a whole number", clip(s, 40))
	}
	if n < lo || n > hi {
		return 0, fmt.Errorf("%d is out of range (%d to %d)", n, lo, hi)
	}
	return n, nil
}

// inZone returns an RFC 3339 time in site's zone (see zone), so that a
// page shows every time in one zone, fetch times (kept in UTC) included.
// Text that is not such a time, or no zone, leaves it as it is.
func (s *Server) inZone(site, rfc string) string {
	loc := s.zone(site)
	t, err := time.Parse(time.RFC3339, rfc)
	if loc == nil || err != nil {
		return rfc
	}
	return t.In(loc).Format(time.RFC3339)
}

// zone is the time zone of dates given without one in a search of site:
// the site's own, or Options.Location.
func (s *Server) zone(site string) *time.Location {
	if loc := s.sites[site].Location; loc != nil {
		return loc
	}
	return s.opt.Location
}

// clip cuts s to n bytes at most, on a character boundary, for messages.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// search runs req and sorts a failure into a bad request (a query that
// does not parse, a range the index refuses) or an internal error.
func (s *Server) search(r *http.Request, req index.Request) (*index.Result, *paramError, error) {
	res, err := s.opt.Searcher.Search(r.Context(), req)
	if err == nil {
		return res, nil, nil
	}
	var se *index.SyntaxError
	if errors.As(err, &se) {
		return nil, &paramError{Param: "q", Msg: se.Error(), Syntax: se}, nil
	}
	return nil, nil, err
}

// handleAPISearch answers /api/search like `warta search --json`.
func (s *Server) handleAPISearch(w http.ResponseWriter, r *http.Request) {
	_, req, perr := s.parseSearch(r.URL.Query())
	if perr != nil {
		writeJSONError(w, http.StatusBadRequest, perr.api())
		return
	}
	res, perr, err := s.search(r, req)
	switch {
	case perr != nil:
		writeJSONError(w, http.StatusBadRequest, perr.api())
	case err != nil:
		s.internalError(w, r, err, true)
	default:
		if res.Hits == nil {
			res.Hits = []index.Hit{}
		}
		writeJSON(w, http.StatusOK, res)
	}
}

// hitView is one search hit as the page shows it.
type hitView struct {
	ID, Site, URL, Date string
	Title, Snippet      template.HTML
}

type searchView struct {
	Form        searchForm
	Error       string
	ErrorParam  string
	Caret       *caretView
	Total       uint64
	First, Last int
	Hits        []hitView
	PrevURL     string
	NextURL     string
	Chart       *charts
	Facets      []facetView
	Categories  []facetItem // the category filter's choices
	CompareURL  string
	ExportCSV   string
	ExportJSONL string
	APIURL      string
	ClearDates  string
	Sites       []Site
}

// caretView splits a query at a syntax error, to underline the spot.
type caretView struct {
	Before, At, After string
	Column            int
}

// handleSearch renders the search page.
func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	lang := s.lang(w, r)
	v := r.URL.Query()
	f, req, perr := s.parseSearch(v)
	view := &searchView{Form: f, Sites: s.siteList(f.Site)}
	p := page{Lang: lang, Title: tr(lang, "search"), Nav: "search", Data: view}
	if perr == nil && f.Q == "" && f.Sort == "" {
		// Without words there is no relevance: browse newest first.
		req.Sort = "date"
	}
	req.Counts = "month"
	req.Facets, req.FacetSize = breakdowns, 8
	var res *index.Result
	if perr == nil {
		var err error
		res, perr, err = s.search(r, req)
		if err != nil {
			s.internalError(w, r, err, false)
			return
		}
	}
	if perr != nil {
		view.Error, view.ErrorParam = perr.Msg, perr.Param
		if se := perr.Syntax; se != nil && se.Offset <= len(f.Q) {
			at := se.Offset
			end := at
			if end < len(f.Q) {
				_, size := utf8.DecodeRuneInString(f.Q[end:])
				end += size
			}
			view.Caret = &caretView{Before: f.Q[:at], At: f.Q[at:end], After: f.Q[end:], Column: se.Column}
		}
		s.render(w, r, http.StatusBadRequest, "search.html", p)
		return
	}
	view.Total = res.Total
	if len(res.Hits) > 0 {
		view.First, view.Last = f.Offset+1, f.Offset+len(res.Hits)
	}
	for _, h := range res.Hits {
		view.Hits = append(view.Hits, hitView{
			ID: h.ID, Site: h.Site, URL: h.URL, Title: highlight(h.Title, h.TitleMarks),
			Date:    formatDate(lang, s.inZone(h.Site, h.Published), false),
			Snippet: highlight(h.Snippet, h.Marks),
		})
	}
	if f.Offset > 0 {
		view.PrevURL = withParams(r, map[string]string{"offset": strconv.Itoa(max(0, f.Offset-f.Limit))})
	}
	if next := f.Offset + len(res.Hits); uint64(next) < res.Total && next <= MaxOffset {
		view.NextURL = withParams(r, map[string]string{"offset": strconv.Itoa(next)})
	}
	exportParams := map[string]string{"offset": "", "limit": "", "lang": ""}
	exportParams["format"] = "csv"
	view.ExportCSV = "/export" + queryOf(r, exportParams)
	exportParams["format"] = "jsonl"
	view.ExportJSONL = "/export" + queryOf(r, exportParams)
	view.APIURL = "/api/search" + queryOf(r, map[string]string{"lang": "", "format": ""})
	if f.From != "" || f.To != "" {
		view.ClearDates = withParams(r, map[string]string{"from": "", "to": "", "offset": ""})
	}
	view.Chart = s.charts(r, lang, req, res.Counts)
	view.Facets, view.Categories = facetViews(r, lang, f, res.Facets)
	if f.Q != "" {
		view.CompareURL = "/compare?" + url.Values{"q": {f.Q}}.Encode()
	}
	s.render(w, r, http.StatusOK, "search.html", p)
}

// siteList returns the configured sites, and the selected one even when
// no config names it.
func (s *Server) siteList(selected string) []Site {
	out := make([]Site, 0, len(s.sites)+1)
	for _, site := range s.sites {
		out = append(out, site)
	}
	if _, ok := s.sites[selected]; selected != "" && !ok {
		out = append(out, Site{Name: selected})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// highlight escapes a snippet and wraps the marked byte ranges in <mark>.
// Marks that overlap, run backwards or cut a character are ignored.
func highlight(text string, marks [][2]int) template.HTML {
	var b strings.Builder
	pos := 0
	for _, m := range marks {
		start, end := m[0], m[1]
		if start < pos || end <= start || end > len(text) ||
			!utf8.RuneStart(text[start]) || (end < len(text) && !utf8.RuneStart(text[end])) {
			continue
		}
		b.WriteString(html.EscapeString(text[pos:start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[start:end]))
		b.WriteString("</mark>")
		pos = end
	}
	b.WriteString(html.EscapeString(text[pos:]))
	return template.HTML(b.String())
}

// queryOf returns r's query with the given parameters set (or removed,
// when the value is empty), as "?…" or "".
func queryOf(r *http.Request, set map[string]string) string {
	v := r.URL.Query()
	for k, val := range set {
		if val == "" {
			v.Del(k)
		} else {
			v.Set(k, val)
		}
	}
	for k, vals := range v {
		if len(vals) == 1 && vals[0] == "" {
			v.Del(k)
		}
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// fieldQuery is the query for value in field, quoted so that any value
// a site sent (quotes and backslashes in a tag) finds itself.
func fieldQuery(field, value string) string {
	return field + `:"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(value) + `"`
}

// withParams returns r's path and query with the given parameters set.
// The path is the escaped one, with one leading slash: a request for
// //evil.example (as /%2F%2Fevil.example) must not make its page link
// to another host.
func withParams(r *http.Request, set map[string]string) string {
	return "/" + strings.TrimLeft(r.URL.EscapedPath(), "/\\") + queryOf(r, set)
}

// pathWithout returns r's path and query without the named parameter.
func pathWithout(r *http.Request, name string) string {
	return withParams(r, map[string]string{name: ""})
}

// handleExport streams the articles of a result set as CSV or JSONL,
// with the export package's writers, at most Options.MaxExport of them.
func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	format := v.Get("format")
	if format != "csv" && format != "jsonl" {
		writeJSONError(w, http.StatusBadRequest, apiError{Error: fmt.Sprintf("format %q: want csv or jsonl", clip(format, 40)), Param: "format"})
		return
	}
	v.Del("limit")
	v.Del("offset")
	f, req, perr := s.parseSearch(v)
	if perr != nil {
		writeJSONError(w, http.StatusBadRequest, perr.api())
		return
	}
	if f.Q == "" && f.Sort == "" {
		req.Sort = "date"
	}
	req.Counts = ""
	req.Limit = 1
	// Check the query before the first byte goes out: afterwards an
	// error can only cut the stream short.
	first, perr, err := s.search(r, req)
	if perr != nil {
		writeJSONError(w, http.StatusBadRequest, perr.api())
		return
	}
	if err != nil {
		s.internalError(w, r, err, true)
		return
	}
	name := "warta-export-" + time.Now().UTC().Format("20060102-150405") + "." + format
	h := w.Header()
	if format == "csv" {
		h.Set("Content-Type", "text/csv; charset=utf-8")
	} else {
		h.Set("Content-Type", "application/x-ndjson; charset=utf-8")
	}
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("X-Warta-Total", strconv.FormatUint(first.Total, 10))
	var write func(*extract.Article) error
	var flush func() error
	bw := &flushWriter{w: w, rc: http.NewResponseController(w)}
	if format == "csv" {
		cw := export.NewCSV(bw)
		write, flush = cw.Write, cw.Flush
	} else {
		jw := export.NewJSONL(bw)
		write, flush = jw.Write, jw.Flush
	}
	// Each pages without offsets, so a deep export costs no more per
	// article than a shallow one, and it stops when the client goes
	// away (the request's context ends) before reading another article.
	written := 0
	err = s.opt.Searcher.Each(r.Context(), req, func(h index.Hit) error {
		a, err := s.opt.Articles.Article(h.ID)
		if errors.Is(err, archive.ErrNotFound) {
			s.log.Warn("export_article_missing", "id", h.ID)
			return nil
		}
		if err != nil {
			return fmt.Errorf("article %s: %w", h.ID, err)
		}
		if err := write(a); err != nil {
			return err
		}
		written++
		if written >= s.opt.MaxExport {
			return errExportFull
		}
		if written%MaxLimit == 0 {
			return flush()
		}
		return nil
	})
	if err != nil && !errors.Is(err, errExportFull) {
		s.log.Warn("export_stopped", "written", written, "err", err)
		return
	}
	if err := flush(); err != nil {
		s.log.Warn("export_stopped", "written", written, "err", err)
		return
	}
	if uint64(written) < first.Total {
		s.log.Info("export_limited", "written", written, "total", first.Total)
	}
}

// errExportFull ends an export that wrote Options.MaxExport articles.
var errExportFull = errors.New("web: export: MaxExport articles written")

// flushWriter passes each write on and flushes it to the client, so an
// export streams instead of piling up in buffers.
type flushWriter struct {
	w  http.ResponseWriter
	rc *http.ResponseController
}

func (f *flushWriter) Write(p []byte) (int, error) {
	n, err := f.w.Write(p)
	if err == nil {
		_ = f.rc.Flush()
	}
	return n, err
}

// breakdowns are the facets the search page shows beside the results.
var breakdowns = []string{"category", "tag", "place", "author", "site"}

// facetView is one breakdown of the results: the most frequent values of
// a field, each a link that narrows the search to it.
type facetView struct {
	Name  string
	Items []facetItem
}

type facetItem struct {
	Key    string
	Count  uint64
	URL    string
	Active bool
}

// facetViews turns the facets of a result into links: a category or a
// site sets that filter; a tag, a place or an author adds a field to the
// query. It also returns the category filter's choices: the categories
// of the results, and the one selected.
func facetViews(r *http.Request, lang string, f searchForm, facets map[string][]index.Bucket) ([]facetView, []facetItem) {
	var out []facetView
	var cats []facetItem
	for _, name := range breakdowns {
		fv := facetView{Name: name}
		for _, b := range facets[name] {
			it := facetItem{Key: b.Key, Count: b.Count}
			switch name {
			case "category":
				it.Active = strings.EqualFold(f.Category, b.Key)
				it.URL = withParams(r, map[string]string{"category": b.Key, "offset": ""})
				cats = append(cats, it)
			case "site":
				it.Active = f.Site == b.Key
				it.URL = withParams(r, map[string]string{"site": b.Key, "offset": ""})
			default:
				field := fieldQuery(name, b.Key)
				it.Active = strings.Contains(f.Q, field)
				q := field
				if f.Q != "" && !it.Active {
					q = f.Q + " " + field
				} else if it.Active {
					q = f.Q
				}
				it.URL = withParams(r, map[string]string{"q": q, "offset": ""})
			}
			fv.Items = append(fv.Items, it)
		}
		if len(fv.Items) > 0 {
			out = append(out, fv)
		}
	}
	if f.Category != "" {
		found := false
		for i := range cats {
			found = found || cats[i].Active
		}
		if !found {
			cats = append(cats, facetItem{Key: f.Category, Active: true})
		}
	}
	return out, cats
}
