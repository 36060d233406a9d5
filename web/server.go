package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/warta-id/warta/archive"
	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/index"
)

// Searcher answers searches and comparisons, and lists every hit of a
// search for exports; *index.Index is one.
type Searcher interface {
	Search(ctx context.Context, req index.Request) (*index.Result, error)
	Compare(ctx context.Context, req index.CompareRequest) (*index.Comparison, error)
	Each(ctx context.Context, req index.Request, fn func(index.Hit) error) error
}

// ArticleSource reads archived articles and their versions; *archive.Store
// is one. A missing article gives an error matching archive.ErrNotFound.
type ArticleSource interface {
	Article(id string) (*extract.Article, error)
	Versions(id string) ([]archive.Version, error)
	Version(id string, n int) (*extract.Article, error)
}

// CaptureSource finds and reads archived HTTP captures by URL and time;
// *archive.Store is one. A URL never captured gives an error matching
// archive.ErrNotFound.
type CaptureSource interface {
	LookupEntry(url string, at time.Time) (archive.IndexEntry, error)
	ReadCapture(ref archive.Ref) (*archive.Capture, error)
}

// Site describes a site for the status page and /api/sites: its short
// name and, when a config knows them, its title and address.
type Site struct {
	Name    string `json:"name"`
	Title   string `json:"title,omitempty"`
	BaseURL string `json:"base_url,omitempty"`
	// Location is the site's time zone, for dates given without one in
	// a search of this site; nil means Options.Location.
	Location *time.Location `json:"-"`
}

// Defaults of Options.
const (
	DefaultTimeout       = 15 * time.Second
	DefaultExportTimeout = 10 * time.Minute
	DefaultMaxExport     = 100000
)

// Limits on what a request may ask for.
const (
	// MaxQueryLen is the longest query accepted, in characters.
	MaxQueryLen = 1000
	// MaxLimit is the most hits one search page or API call returns.
	MaxLimit = 100
	// MaxOffset is the deepest a search may page; deeper results are
	// reached by narrowing the search (or with `warta export`).
	MaxOffset = 10000
)

// Options configure a Server. Searcher, Articles and Captures are
// required; the zero value of the rest is the documented default.
type Options struct {
	Searcher Searcher
	Articles ArticleSource
	Captures CaptureSource
	// DataDir is the data directory whose run records (runlog) the status
	// page and the metrics read; "" shows no runs.
	DataDir string
	// Sites are the configured sites, for their titles; sites found only
	// in the index or the run records are listed by name.
	Sites []Site
	// Location is the time zone of dates given without one (search
	// from/to, run times) when no site's own zone applies; nil means UTC.
	Location *time.Location
	// Runner, when set, puts a "crawl now" button per site on the status
	// page; `warta schedule` gives its scheduler.
	Runner Runner
	// Logger receives the server's log records; nil discards them.
	Logger *slog.Logger
	// Timeout bounds each request but exports; 0 means DefaultTimeout.
	Timeout time.Duration
	// ExportTimeout bounds an export; 0 means DefaultExportTimeout.
	ExportTimeout time.Duration
	// MaxExport is the most articles one export writes; 0 means
	// DefaultMaxExport. `warta export` has no such limit.
	MaxExport int
	// MaxSearches is the most requests that search the index or diff
	// versions at once (pages, API, article pages, status, metrics);
	// more wait for a turn until their timeout. 0 means 4 × GOMAXPROCS.
	MaxSearches int
	// MaxExports is the most exports running at once, apart from the
	// searches: an export lasts as long as its client takes to read it,
	// and a few clients that read slowly must not hold every search's
	// turn. More wait for a turn until their timeout. 0 means 2.
	MaxExports int
}

// Server is warta's web UI and JSON API. It is an http.Handler, safe for
// concurrent use.
type Server struct {
	opt   Options
	log   *slog.Logger
	mux   *http.ServeMux
	tmpl  *template.Template
	reg   *prometheus.Registry
	sites map[string]Site
	// csrf is the token the status page's forms carry, which pages of
	// other origins cannot read.
	csrf string
	// turns holds a token per search running, up to MaxSearches;
	// exportTurns one per export, up to MaxExports.
	turns, exportTurns chan struct{}
}

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// New returns a Server over the given sources.
func New(opt Options) (*Server, error) {
	if opt.Searcher == nil || opt.Articles == nil || opt.Captures == nil {
		return nil, errors.New("web: options need a Searcher, Articles and Captures")
	}
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultTimeout
	}
	if opt.ExportTimeout <= 0 {
		opt.ExportTimeout = DefaultExportTimeout
	}
	if opt.MaxExport <= 0 {
		opt.MaxExport = DefaultMaxExport
	}
	if opt.MaxSearches <= 0 {
		opt.MaxSearches = 4 * runtime.GOMAXPROCS(0)
	}
	if opt.MaxExports <= 0 {
		opt.MaxExports = 2
	}
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	css, err := staticFS.ReadFile("static/style.css")
	if err != nil {
		return nil, fmt.Errorf("web: style sheet: %w", err)
	}
	sum := sha256.Sum256(css)
	if opt.Location == nil {
		opt.Location = time.UTC
	}
	funcs := templateFuncs(opt.Location)
	// The style sheet's URL changes with its content, so browsers may
	// keep it for long and still never show a stale one.
	funcs["styleURL"] = func() string { return "/static/style.css?v=" + hex.EncodeToString(sum[:6]) }
	tmpl, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	s := &Server{opt: opt, log: log, tmpl: tmpl, sites: map[string]Site{},
		turns: make(chan struct{}, opt.MaxSearches), exportTurns: make(chan struct{}, opt.MaxExports), csrf: newToken()}
	for _, site := range opt.Sites {
		s.sites[site.Name] = site
	}
	s.reg = prometheus.NewRegistry()
	if err := s.reg.Register(&collector{s: s}); err != nil {
		return nil, fmt.Errorf("web: metrics: %w", err)
	}
	s.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	s.routes()
	return s, nil
}

func (s *Server) routes() {
	static, _ := fs.Sub(staticFS, "static")
	m := http.NewServeMux()
	ui := func(pattern string, h http.HandlerFunc) { m.Handle(pattern, s.uiHeaders(s.timeout(s.opt.Timeout, h))) }
	api := func(pattern string, h http.HandlerFunc) { m.Handle(pattern, s.apiHeaders(s.timeout(s.opt.Timeout, h))) }

	ui("GET /{$}", s.takeTurn(false, s.handleSearch))
	ui("GET /search", s.takeTurn(false, s.handleSearch))
	// An article page diffs up to ten versions a site wrote, each up to
	// diff's bound of work: it takes a turn as a search does.
	ui("GET /articles/{id}", s.takeTurn(false, s.handleArticle))
	ui("GET /status", s.takeTurn(false, s.handleStatus))
	ui("GET /compare", s.takeTurn(false, s.handleCompare))
	ui("POST /status/run", s.handleRunNow)
	m.Handle("GET /compare.svg", s.uiHeaders(s.timeout(s.opt.Timeout, s.takeTurn(false, s.handleCompareSVG))))
	api("GET /api/counts", s.takeTurn(true, s.handleAPICounts))
	m.Handle("GET /export", s.uiHeaders(s.timeout(s.opt.ExportTimeout, s.takeTurnOf(s.exportTurns, false, s.handleExport))))
	m.Handle("GET /replay", s.timeout(s.opt.Timeout, s.handleReplay))
	m.Handle("GET /static/", s.uiHeaders(http.StripPrefix("/static/", staticHandler(http.FS(static)))))

	api("GET /api/search", s.takeTurn(true, s.handleAPISearch))
	api("GET /api/articles/{id}", s.handleAPIArticle)
	api("GET /api/articles/{id}/versions", s.takeTurn(true, s.handleAPIVersions))
	api("GET /api/articles/{id}/versions/{n}", s.handleAPIVersion)
	api("GET /api/sites", s.takeTurn(true, s.handleAPISites))
	api("/api/", func(w http.ResponseWriter, r *http.Request) {
		// Every API endpoint is read-only: a script that POSTs gets
		// JSON it can read, as for any other API error.
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			writeJSONError(w, http.StatusMethodNotAllowed, apiError{Error: fmt.Sprintf("method %s not allowed: the API answers GET", clip(r.Method, 20))})
			return
		}
		writeJSONError(w, http.StatusNotFound, apiError{Error: "no such API endpoint"})
	})
	api("GET /healthz", s.handleHealth)
	m.Handle("GET /metrics", s.timeout(s.opt.Timeout, s.takeTurn(true, promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{}).ServeHTTP)))
	ui("/", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			s.renderError(w, r, http.StatusMethodNotAllowed, "method not allowed")
			return
		}
		s.renderError(w, r, http.StatusNotFound, tr(s.lang(w, r), "not_found"))
	})
	s.mux = m
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// No response of the server is to be sniffed into another type
	// (metrics and errors included).
	w.Header().Set("X-Content-Type-Options", "nosniff")
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("handler_panic", "path", r.URL.Path, "panic", fmt.Sprint(v))
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}()
	s.mux.ServeHTTP(w, r)
}

// Serve serves s on ln until ctx is done, then shuts down gracefully (see
// the package function Serve); wrap, when not nil, wraps s, for example
// in AllowHosts. It returns nil after a shutdown that ctx asked for.
func (s *Server) Serve(ctx context.Context, ln net.Listener, wrap func(http.Handler) http.Handler) error {
	return Serve(ctx, ln, s, ServeOptions{Wrap: wrap, Logger: s.log, WriteTimeout: s.opt.ExportTimeout + 30*time.Second})
}

// timeout bounds a handler's work through its request context: searches
// and reads give up when it is done. (http.TimeoutHandler would buffer
// whole responses, which exports and replays must not.)
func (s *Server) timeout(d time.Duration, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		h(w, r.WithContext(ctx))
	})
}

// takeTurn lets h run once fewer than MaxSearches searching requests are
// running, so a burst of heavy searches queues instead of swamping the
// machine; a request whose time runs out while it waits gets a 503, as
// JSON for the API and as an HTML page for the UI.
func (s *Server) takeTurn(api bool, h http.HandlerFunc) http.HandlerFunc {
	return s.takeTurnOf(s.turns, api, h)
}

// takeTurnOf is takeTurn with the turns of the pool turns.
func (s *Server) takeTurnOf(turns chan struct{}, api bool, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		select {
		case turns <- struct{}{}:
		case <-r.Context().Done():
			s.log.Warn("request_not_served", "path", r.URL.Path, "reason", "busy")
			w.Header().Set("Retry-After", "5")
			if api {
				writeJSONError(w, http.StatusServiceUnavailable, apiError{Error: "busy: too many searches at once, try again"})
			} else {
				s.renderError(w, r, http.StatusServiceUnavailable, tr(s.lang(w, r), "busy"))
			}
			return
		}
		defer func() { <-turns }()
		h(w, r)
	}
}

// uiCSP lets the UI's pages load only their own style sheet, images and
// frames: no script runs in the UI's origin, not even its own.
const uiCSP = "default-src 'none'; style-src 'self'; img-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'"

func (s *Server) uiHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", uiCSP)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "SAMEORIGIN")
		hd.Set("Referrer-Policy", "no-referrer")
		h.ServeHTTP(w, r)
	})
}

func (s *Server) apiHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "no-referrer")
		h.ServeHTTP(w, r)
	})
}

func staticHandler(fsys http.FileSystem) http.Handler {
	fh := http.FileServer(fsys)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "" || r.URL.Path[len(r.URL.Path)-1] == '/' {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=604800")
		fh.ServeHTTP(w, r)
	})
}

// validID reports whether id has the shape of an article id (SITE-HEX),
// so that nothing else reaches the archive's paths.
func validID(id string) bool { return archive.CheckID(id) == nil }

// apiError is the JSON body of every API error.
type apiError struct {
	Error string `json:"error"`
	// Param names the parameter that was wrong.
	Param string `json:"param,omitempty"`
	// Offset and Column locate a query syntax error (Column 1-based).
	Offset *int `json:"offset,omitempty"`
	Column int  `json:"column,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

func writeJSONError(w http.ResponseWriter, status int, e apiError) {
	writeJSON(w, status, e)
}

// lang picks the request's language and, when ?lang= chose it, remembers
// it in a cookie so the switch holds across pages.
func (s *Server) lang(w http.ResponseWriter, r *http.Request) string {
	l, fromQuery := pickLang(r)
	if fromQuery {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	}
	return l
}

// page is what every template gets: the language, the current path for
// the language switch, and the page's own data.
type page struct {
	Lang  string
	Title string
	Path  string // the current URL without lang, for the switch
	Nav   string // the active menu entry
	Data  any
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	p.Path = pathWithout(r, "lang")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	var buf bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&buf, name, p); err != nil {
		s.log.Error("render_failed", "template", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

type errorData struct {
	Status  int
	Message string
}

func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	lang := s.lang(w, r)
	title := tr(lang, "error")
	switch {
	case status == http.StatusNotFound:
		title = tr(lang, "not_found")
	case status >= 400 && status < 500:
		title = tr(lang, "bad_request")
	}
	s.render(w, r, status, "error.html", page{Lang: lang, Title: title, Data: errorData{Status: status, Message: msg}})
}

// internalError logs err and answers 500 (or 503 when the request ran
// out of time) without showing the error's details.
func (s *Server) internalError(w http.ResponseWriter, r *http.Request, err error, api bool) {
	status := http.StatusInternalServerError
	msg := "internal error"
	switch {
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(r.Context().Err(), context.DeadlineExceeded):
		status, msg = http.StatusServiceUnavailable, "the request took too long"
	case errors.Is(err, index.ErrUnreadable):
		// The operator's to mend; until then searches cannot work.
		status, msg = http.StatusServiceUnavailable, "the search index cannot be read: it must be rebuilt from the archive (warta reindex)"
	}
	s.log.Error("request_failed", "path", r.URL.Path, "status", status, "err", err)
	if api {
		writeJSONError(w, status, apiError{Error: msg})
		return
	}
	s.renderError(w, r, status, msg)
}
