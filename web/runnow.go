package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"net/url"

	"github.com/warta-id/warta/extract"
)

// Runner starts a site's crawl out of its schedule; the daemon's
// scheduler is one.
type Runner interface {
	// RunNow starts the crawl, or says why not (for one, that the site's
	// crawl is running).
	RunNow(site string) error
	// Running reports whether the site's crawl is running.
	Running(site string) bool
}

// newToken returns a random token for forms.
func newToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

// handleRunNow answers the status page's "crawl now" button: a POST with
// the page's token, from this origin, for a site whose crawl is not
// running.
func (s *Server) handleRunNow(w http.ResponseWriter, r *http.Request) {
	if s.opt.Runner == nil {
		s.renderError(w, r, http.StatusNotFound, "no scheduler here: crawls run from `warta schedule`")
		return
	}
	// Browsers say where a request comes from; a form on another site
	// must not start crawls, even one that somehow had the token.
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		s.renderError(w, r, http.StatusForbidden, "a crawl can only be started from warta's own status page")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "bad form")
		return
	}
	if subtle.ConstantTimeCompare([]byte(r.PostForm.Get("token")), []byte(s.csrf)) != 1 {
		s.renderError(w, r, http.StatusForbidden, "the form is stale or forged: reload the status page and try again")
		return
	}
	site := r.PostForm.Get("site")
	if extract.CheckSite(site) != nil {
		s.renderError(w, r, http.StatusBadRequest, "not a site name")
		return
	}
	if s.opt.Runner.Running(site) {
		s.renderError(w, r, http.StatusConflict, "a crawl of "+site+" is running; wait for it to finish")
		return
	}
	if err := s.opt.Runner.RunNow(site); err != nil {
		s.renderError(w, r, http.StatusConflict, err.Error())
		return
	}
	s.log.Info("crawl_requested", "site", site)
	http.Redirect(w, r, "/status?"+url.Values{"started": {site}}.Encode()+"#site-"+site, http.StatusSeeOther)
}
