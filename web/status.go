package web

import (
	"context"
	"net/http"
	"sort"
	"time"

	"github.com/warta-id/warta/index"
	"github.com/warta-id/warta/runlog"
)

// runsShown is how many of each site's last runs the status page lists.
const runsShown = 5

// siteStatus is one site on the status page and in /api/sites.
type siteStatus struct {
	Site
	// Articles is the number of the site's articles in the index.
	Articles    uint64     `json:"articles"`
	LastRun     *runView   `json:"last_run,omitempty"`
	LastSuccess *time.Time `json:"last_success,omitempty"`
	Runs        []runView  `json:"-"`
	// Running is set when a scheduler runs this site's crawl now.
	Running bool `json:"running,omitempty"`
	// RunToken, set when a scheduler can start crawls, lets the page's
	// "crawl now" form through.
	RunToken string `json:"-"`
	Started  bool   `json:"-"`
}

// runView is one run record, summed up.
type runView struct {
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	Status   string    `json:"status"`
	Trigger  string    `json:"trigger"`
	Seconds  float64   `json:"duration_seconds"`
	Pages    int       `json:"pages"`
	New      int       `json:"articles_new"`
	Changed  int       `json:"articles_changed"`
	Errors   int       `json:"errors"`
	Error    string    `json:"error,omitempty"`
}

func viewRun(r *runlog.Record) runView {
	v := runView{
		Started: r.Started, Finished: r.Finished, Status: r.Status, Trigger: r.Trigger,
		New: r.Pipeline.New, Changed: r.Pipeline.Changed, Errors: runErrors(r), Error: r.Error,
	}
	if !r.Finished.IsZero() {
		v.Seconds = r.Duration().Seconds()
	}
	if r.Crawl != nil {
		v.Pages = r.Crawl.Pages
	}
	return v
}

// runErrors counts a run's failed pages the way `warta crawl` prints
// them: the crawler's count includes the pipeline's failures.
func runErrors(r *runlog.Record) int {
	n := r.Pipeline.Errors
	if r.Crawl != nil {
		n = max(n, r.Crawl.ErrorCount)
	}
	return n
}

// siteStatuses gathers every site known to the config, the index or the
// run records, with its article count and last runs.
func (s *Server) siteStatuses(ctx context.Context) ([]*siteStatus, error) {
	byName := map[string]*siteStatus{}
	get := func(name string) *siteStatus {
		st := byName[name]
		if st == nil {
			st = &siteStatus{Site: Site{Name: name}}
			if site, ok := s.sites[name]; ok {
				st.Site = site
			}
			byName[name] = st
		}
		return st
	}
	for name := range s.sites {
		get(name)
	}
	res, err := s.opt.Searcher.Search(ctx, index.Request{Limit: 1, Counts: "site"})
	if err != nil {
		return nil, err
	}
	for _, b := range res.Counts.Buckets {
		get(b.Key).Articles = b.Count
	}
	if s.opt.DataDir != "" {
		recs, err := runlog.List(s.opt.DataDir, "", 0)
		if err != nil {
			return nil, err
		}
		for _, r := range recs { // newest first
			st := get(r.Site)
			if len(st.Runs) < runsShown {
				st.Runs = append(st.Runs, viewRun(r))
			}
			if st.LastRun == nil {
				v := viewRun(r)
				st.LastRun = &v
			}
			if r.Status == runlog.StatusOK && st.LastSuccess == nil {
				t := r.Finished
				st.LastSuccess = &t
			}
		}
	}
	out := make([]*siteStatus, 0, len(byName))
	for _, st := range byName {
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// handleStatus renders the status page.
func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) {
	lang := s.lang(w, r)
	sites, err := s.siteStatuses(r.Context())
	if err != nil {
		s.internalError(w, r, err, false)
		return
	}
	if s.opt.Runner != nil {
		for i := range sites {
			sites[i].RunToken = s.csrf
			sites[i].Running = s.opt.Runner.Running(sites[i].Name)
			sites[i].Started = r.URL.Query().Get("started") == sites[i].Name
		}
	}
	s.render(w, r, http.StatusOK, "status.html", page{Lang: lang, Title: tr(lang, "status"), Nav: "status", Data: sites})
}

// handleAPISites answers /api/sites.
func (s *Server) handleAPISites(w http.ResponseWriter, r *http.Request) {
	sites, err := s.siteStatuses(r.Context())
	if err != nil {
		s.internalError(w, r, err, true)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"sites": sites})
}

// handleHealth answers /healthz: ok when the index answers a search.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	res, err := s.opt.Searcher.Search(ctx, index.Request{Limit: 1})
	if err != nil {
		s.log.Warn("health_check_failed", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "error": "the index does not answer"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "articles": res.Total})
}
