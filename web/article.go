package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/warta-id/warta/archive"
	"github.com/warta-id/warta/diff"
	"github.com/warta-id/warta/extract"
)

// Bounds of the article page.
const (
	maxGallery = 200 // images shown and looked up in the archive; the API lists them all
	maxDiffs   = 10  // newest version changes shown as diffs
)

type articleView struct {
	A          *extract.Article
	Paragraphs []string
	Published  string
	Modified   string
	FetchedAt  string
	Original   string // the original URL, when it is http(s)
	Images     []imageView
	MoreImages int // images past maxGallery, not shown
	Versions   []versionView
	OlderDiffs int // versions older than the diffs shown
	Replay     string
	APIURL     string
	SiteURL    string
}

type imageView struct {
	Src, Orig, Caption, Alt string
	Name                    string // the file name, for an image not archived
}

type versionView struct {
	N           int
	FetchedAt   string
	ContentHash string
	Latest      bool
	Replay      string
	// Source names the web archive a backfill took the version from ("" for
	// warta's own crawl); SourceURL is the archive's copy, SourceHost its host.
	Source, SourceURL, SourceHost string
	Diff                          []diff.Op // from the version before; nil for the first
	HasDiff                       bool
	TextSame                      bool
}

// handleArticle renders an article page.
func (s *Server) handleArticle(w http.ResponseWriter, r *http.Request) {
	lang := s.lang(w, r)
	id := r.PathValue("id")
	if !validID(id) {
		s.renderError(w, r, http.StatusBadRequest, fmt.Sprintf("%q is not an article id", clip(id, 80)))
		return
	}
	a, err := s.opt.Articles.Article(id)
	if errors.Is(err, archive.ErrNotFound) {
		s.renderError(w, r, http.StatusNotFound, fmt.Sprintf("%s: %s", tr(lang, "not_found"), id))
		return
	}
	if err != nil {
		s.internalError(w, r, err, false)
		return
	}
	v := &articleView{
		A:          a,
		Paragraphs: paragraphs(a.Body),
		Published:  formatDate(lang, s.inZone(a.Site, a.Published), true),
		Modified:   formatDate(lang, s.inZone(a.Site, a.Modified), true),
		FetchedAt:  formatDate(lang, s.inZone(a.Site, a.FetchedAt), true),
		Original:   httpURL(a.URL),
		APIURL:     "/api/articles/" + id,
		SiteURL:    "/?site=" + url.QueryEscape(a.Site),
	}
	if v.Original != "" {
		if _, err := s.opt.Captures.LookupEntry(a.URL, parseTime(a.FetchedAt)); err == nil {
			v.Replay = replayURL(a.URL, parseTime(a.FetchedAt))
		}
	}
	// A site may list any number of pictures; the page shows the first
	// maxGallery, so that its size and its look-ups stay bounded.
	for i, im := range a.Images {
		if i == maxGallery {
			v.MoreImages = len(a.Images) - maxGallery
			break
		}
		iv := imageView{Orig: httpURL(im.URL), Caption: im.Caption, Alt: im.Alt, Name: fileName(im.URL)}
		if iv.Orig != "" {
			if e, err := s.opt.Captures.LookupEntry(im.URL, time.Time{}); err == nil && e.Status == http.StatusOK {
				iv.Src = replayURL(im.URL, time.Time{})
			}
		}
		v.Images = append(v.Images, iv)
	}
	if err := s.versions(a, v); err != nil {
		s.internalError(w, r, err, false)
		return
	}
	s.render(w, r, http.StatusOK, "article.html", page{Lang: lang, Title: a.Title, Data: v})
}

// versions fills in v's versions, newest first, with word diffs for the
// newest maxDiffs changes.
func (s *Server) versions(a *extract.Article, v *articleView) error {
	vers, err := s.opt.Articles.Versions(a.ID)
	if err != nil {
		return err
	}
	texts := map[int]string{}
	text := func(n int, latest bool) (string, error) {
		if t, ok := texts[n]; ok {
			return t, nil
		}
		va := a
		if !latest {
			var err error
			if va, err = s.opt.Articles.Version(a.ID, n); err != nil {
				return "", err
			}
		}
		t := va.Title + "\n\n" + va.Body
		texts[n] = t
		return t, nil
	}
	for i := len(vers) - 1; i >= 0; i-- {
		ver := vers[i]
		vv := versionView{N: ver.N, ContentHash: ver.ContentHash, Latest: ver.Latest, Source: ver.Source}
		if u, err := url.Parse(ver.SourceURL); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
			vv.SourceURL, vv.SourceHost = ver.SourceURL, u.Host
		}
		if !ver.FetchedAt.IsZero() {
			vv.FetchedAt = s.inZone(a.Site, ver.FetchedAt.Format(time.RFC3339))
			if v.Replay != "" {
				vv.Replay = replayURL(a.URL, ver.FetchedAt)
			}
		}
		if i > 0 && len(vers)-i <= maxDiffs {
			newer, err := text(ver.N, ver.Latest)
			if err != nil {
				return err
			}
			older, err := text(vers[i-1].N, vers[i-1].Latest)
			if err != nil {
				return err
			}
			vv.HasDiff = true
			vv.TextSame = newer == older
			vv.Diff = diff.Words(older, newer)
		} else if i > 0 {
			v.OlderDiffs++
		}
		v.Versions = append(v.Versions, vv)
	}
	return nil
}

// fileName returns the last path segment of an image URL, cut short.
func fileName(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return clip(path.Base(p.Path), 60)
}

// paragraphs splits an article body at its blank lines.
func paragraphs(body string) []string {
	var out []string
	for _, p := range strings.Split(body, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// httpURL returns u when it is an absolute http or https URL, else "":
// nothing else from an archived page becomes a link.
func httpURL(u string) string {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || len(u) > maxURLLen {
		return ""
	}
	return u
}

// parseTime reads an RFC 3339 time; zero when s is not one.
func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339, s)
	return t
}

// replayURL is the replay route's address of url's capture nearest at.
func replayURL(u string, at time.Time) string {
	q := url.Values{"url": {u}}
	if !at.IsZero() {
		q.Set("at", at.UTC().Format(timestamp14))
	}
	return "/replay?" + q.Encode()
}

// handleAPIArticle answers /api/articles/{id} with the Article JSON.
func (s *Server) handleAPIArticle(w http.ResponseWriter, r *http.Request) {
	a, ok := s.apiArticle(w, r)
	if ok {
		writeJSON(w, http.StatusOK, a)
	}
}

func (s *Server) apiArticle(w http.ResponseWriter, r *http.Request) (*extract.Article, bool) {
	id := r.PathValue("id")
	if !validID(id) {
		writeJSONError(w, http.StatusBadRequest, apiError{Error: fmt.Sprintf("%q is not an article id (want SITE-HEX)", clip(id, 80)), Param: "id"})
		return nil, false
	}
	a, err := s.opt.Articles.Article(id)
	if errors.Is(err, archive.ErrNotFound) {
		writeJSONError(w, http.StatusNotFound, apiError{Error: "no article " + id})
		return nil, false
	}
	if err != nil {
		s.internalError(w, r, err, true)
		return nil, false
	}
	return a, true
}

// versionsResponse is the JSON of /api/articles/{id}/versions.
type versionsResponse struct {
	ID       string            `json:"id"`
	Versions []archive.Version `json:"versions"`
	// Diff is the word diff of title and body between versions from and
	// to, when both were asked for.
	Diff *diffResponse `json:"diff,omitempty"`
}

type diffResponse struct {
	From int       `json:"from"`
	To   int       `json:"to"`
	Ops  []diff.Op `json:"ops"`
}

// handleAPIVersions answers /api/articles/{id}/versions: the versions and,
// with ?from=N&to=M, the word diff between two of them.
func (s *Server) handleAPIVersions(w http.ResponseWriter, r *http.Request) {
	a, ok := s.apiArticle(w, r)
	if !ok {
		return
	}
	vers, err := s.opt.Articles.Versions(a.ID)
	if err != nil {
		s.internalError(w, r, err, true)
		return
	}
	resp := versionsResponse{ID: a.ID, Versions: vers}
	q := r.URL.Query()
	if q.Get("from") != "" || q.Get("to") != "" {
		from, err1 := intParam(q, "from", 0, 1, len(vers))
		to, err2 := intParam(q, "to", 0, 1, len(vers))
		if err := errors.Join(err1, err2); err != nil || from == 0 || to == 0 {
			if err == nil {
				err = errors.New("give both from and to")
			}
			writeJSONError(w, http.StatusBadRequest, apiError{Error: "diff versions: " + err.Error(), Param: "from"})
			return
		}
		texts := [2]string{}
		for i, n := range []int{from, to} {
			va, err := s.opt.Articles.Version(a.ID, n)
			if err != nil {
				s.internalError(w, r, err, true)
				return
			}
			texts[i] = va.Title + "\n\n" + va.Body
		}
		resp.Diff = &diffResponse{From: from, To: to, Ops: diff.Words(texts[0], texts[1])}
	}
	writeJSON(w, http.StatusOK, resp)
}

// handleAPIVersion answers /api/articles/{id}/versions/{n} with that
// version's Article JSON.
func (s *Server) handleAPIVersion(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !validID(id) {
		writeJSONError(w, http.StatusBadRequest, apiError{Error: fmt.Sprintf("%q is not an article id (want SITE-HEX)", clip(id, 80)), Param: "id"})
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 || n > 1_000_000 {
		writeJSONError(w, http.StatusBadRequest, apiError{Error: fmt.Sprintf("version %q: want a number from 1", clip(r.PathValue("n"), 40)), Param: "n"})
		return
	}
	a, err := s.opt.Articles.Version(id, n)
	if errors.Is(err, archive.ErrNotFound) {
		writeJSONError(w, http.StatusNotFound, apiError{Error: fmt.Sprintf("no version %d of article %s", n, id)})
		return
	}
	if err != nil {
		s.internalError(w, r, err, true)
		return
	}
	writeJSON(w, http.StatusOK, a)
}
