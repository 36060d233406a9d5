package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"

	"github.com/warta-id/warta/archive"
)

// maxURLLen bounds the URLs the replay route looks up.
const maxURLLen = 2048

// timestamp14 is the WARC/CDX capture time format.
const timestamp14 = "20060102150405"

// replayCSP is the policy of everything the replay route serves. sandbox
// without allow-scripts and allow-same-origin puts the archived page in an
// opaque origin where no script runs; the rest keeps it from loading
// anything but archived images.
const replayCSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"

// replayStyle makes a sanitized page readable: its own style sheets are
// gone with everything else that could act.
const replayStyle = `body{font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d232a;max-width:58rem;margin:0 auto;padding:0 1rem 2rem;background:#fff}
img{max-width:100%;height:auto}a{color:#0b5cad}
.warta-banner{position:sticky;top:0;background:#fff8e1;border-bottom:1px solid #e0c97a;margin:0 -1rem 1rem;padding:.4rem 1rem;font-size:13px;color:#5c4a00}
ul,ol{padding-left:1.4rem}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2rem .4rem}`

// replayPolicy is the bluemonday policy of replayed pages: the structure
// and text of a page, its links and images, and nothing that can act
// (scripts, event handlers, forms, frames, objects, style sheets).
func replayPolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowElements("header", "nav", "main", "article", "section", "aside", "footer",
		"figure", "figcaption", "picture", "time", "mark", "small", "span", "div", "center", "address")
	p.AllowAttrs("class", "id").Globally()
	p.AllowAttrs("datetime").OnElements("time")
	p.AllowAttrs("srcset", "type", "media").OnElements("source")
	p.AllowDataURIImages()
	p.AllowRelativeURLs(true)
	p.AllowURLSchemes("http", "https")
	p.RequireNoFollowOnLinks(false)
	p.RequireNoReferrerOnLinks(true)
	return p
}

// handleReplay serves an archived capture: /replay?url=U[&at=TIME], the
// capture of U nearest TIME (14 digits or RFC 3339; the latest when
// absent). It reads the archive only; a URL never captured is a 404, never
// a fetch.
func (s *Server) handleReplay(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", replayCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "private, max-age=3600")
	q := r.URL.Query()
	target := q.Get("url")
	if httpURL(target) == "" || strings.ContainsAny(target, "\x00\r\n\t") {
		replayText(w, http.StatusBadRequest, fmt.Sprintf("url %q: want an absolute http or https URL of at most %d bytes", clip(target, 200), maxURLLen))
		return
	}
	at, err := parseAt(q.Get("at"))
	if err != nil {
		replayText(w, http.StatusBadRequest, "at: "+err.Error())
		return
	}
	entry, err := s.opt.Captures.LookupEntry(target, at)
	if errors.Is(err, archive.ErrNotFound) {
		replayText(w, http.StatusNotFound, "not in the archive: "+clip(target, 200))
		return
	}
	if err != nil {
		s.log.Error("replay_failed", "url", target, "err", err)
		replayText(w, http.StatusInternalServerError, "internal error")
		return
	}
	c, err := s.opt.Captures.ReadCapture(entry.Ref)
	if err != nil {
		s.log.Error("replay_failed", "url", target, "ref", entry.Ref.String(), "err", err)
		replayText(w, http.StatusInternalServerError, "internal error")
		return
	}
	h.Set("Memento-Datetime", c.FetchedAt.UTC().Format(http.TimeFormat))
	h.Set("X-Archive-Status", strconv.Itoa(c.Status))
	ctype := c.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ctype)
	switch {
	case mt == "text/html" || mt == "application/xhtml+xml" || (mt == "" && looksHTML(c.Body)):
		page, err := s.replayHTML(c.Body, ctype, c.URL, c.FetchedAt)
		if err != nil {
			s.log.Warn("replay_unreadable", "url", target, "err", err)
			replayText(w, http.StatusUnprocessableEntity, "the archived page cannot be read")
			return
		}
		h.Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(page)
	case replayImageTypes[mt]:
		h.Set("Content-Type", mt)
		h.Set("Content-Length", strconv.Itoa(len(c.Body)))
		_, _ = w.Write(c.Body)
	case strings.HasPrefix(mt, "text/") || strings.HasSuffix(mt, "json") || strings.HasSuffix(mt, "xml"):
		// Shown as text, never interpreted.
		h.Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write(c.Body)
	default:
		h.Set("Content-Type", "application/octet-stream")
		h.Set("Content-Disposition", "attachment")
		_, _ = w.Write(c.Body)
	}
}

// replayImageTypes are served as images; anything else is text or a
// download.
var replayImageTypes = map[string]bool{
	"image/jpeg": true, "image/png": true, "image/gif": true, "image/webp": true,
	"image/avif": true, "image/x-icon": true, "image/vnd.microsoft.icon": true, "image/svg+xml": true,
}

func replayText(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, msg+"\n")
}

// parseAt reads a capture time: 14 digits (fewer are a prefix, as in
// Wayback URLs), or RFC 3339.
func parseAt(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if len(s) >= 4 && len(s) <= 14 && strings.Trim(s, "0123456789") == "" && len(s)%2 == 0 {
		if t, err := time.Parse(timestamp14[:len(s)], s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a capture time (want YYYYMMDDhhmmss)", clip(s, 40))
}

func looksHTML(b []byte) bool {
	head := bytes.ToLower(b[:min(len(b), 512)])
	return bytes.Contains(head, []byte("<html")) || bytes.Contains(head, []byte("<!doctype html"))
}

// replayHTML turns an archived page into a safe document: decoded to
// UTF-8, its body sanitized with bluemonday, its links and images pointed
// at the replay route (resolved against the page's URL), under a banner
// that says what it is.
func (s *Server) replayHTML(body []byte, ctype, pageURL string, fetched time.Time) ([]byte, error) {
	rd, err := charset.NewReader(bytes.NewReader(body), ctype)
	if err != nil {
		return nil, fmt.Errorf("web: replay: charset: %w", err)
	}
	doc, err := html.Parse(rd)
	if err != nil {
		return nil, fmt.Errorf("web: replay: parse: %w", err)
	}
	base, err := url.Parse(pageURL)
	if err != nil {
		return nil, fmt.Errorf("web: replay: page url: %w", err)
	}
	var title string
	var bodyNode *html.Node
	for n := range doc.Descendants() {
		switch {
		case n.Type == html.ElementNode && n.DataAtom == atom.Title && title == "" && n.FirstChild != nil:
			title = strings.TrimSpace(n.FirstChild.Data)
		case n.Type == html.ElementNode && n.DataAtom == atom.Base && bodyNode == nil:
			// A <base href> changes how the page resolves its links; one
			// that points at another host is not followed.
			for _, a := range n.Attr {
				if a.Key == "href" {
					if b, err := base.Parse(a.Val); err == nil && b.Host == base.Host {
						base = b
					}
				}
			}
		case n.Type == html.ElementNode && n.DataAtom == atom.Body && bodyNode == nil:
			bodyNode = n
		}
	}
	var raw bytes.Buffer
	if bodyNode != nil {
		for c := range bodyNode.ChildNodes() {
			if err := html.Render(&raw, c); err != nil {
				return nil, fmt.Errorf("web: replay: render: %w", err)
			}
		}
	}
	clean := s.policy.SanitizeReader(&raw)
	var out bytes.Buffer
	out.WriteString("<!doctype html>\n<html><head><meta charset=\"utf-8\"><meta name=\"robots\" content=\"noindex\"><title>")
	out.WriteString(html.EscapeString(title))
	out.WriteString("</title><style>")
	out.WriteString(replayStyle)
	out.WriteString("</style></head><body><div class=\"warta-banner\">warta · ")
	out.WriteString(html.EscapeString(clip(pageURL, 300)))
	out.WriteString(" · ")
	out.WriteString(html.EscapeString(fetched.UTC().Format("2006-01-02 15:04 UTC")))
	out.WriteString("</div>\n")
	if err := rewriteLinks(&out, clean, base, fetched); err != nil {
		return nil, err
	}
	out.WriteString("\n</body></html>\n")
	return out.Bytes(), nil
}

// rewriteLinks copies sanitized HTML from r to w with every href and src
// resolved against base and pointed at the replay route, and srcset
// dropped (one archived src is enough). Fragment links stay as they are.
func rewriteLinks(w *bytes.Buffer, r io.Reader, base *url.URL, at time.Time) error {
	z := html.NewTokenizer(r)
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if err := z.Err(); err != io.EOF {
				return fmt.Errorf("web: replay: rewrite: %w", err)
			}
			return nil
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			attrs := tok.Attr[:0]
			for _, a := range tok.Attr {
				switch a.Key {
				case "srcset":
					continue
				case "href", "src":
					if strings.HasPrefix(a.Val, "#") || strings.HasPrefix(a.Val, "data:") {
						break
					}
					u, err := base.Parse(strings.TrimSpace(a.Val))
					if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
						continue
					}
					u.Fragment = ""
					if a.Key == "src" {
						a.Val = replayURL(u.String(), time.Time{})
					} else {
						a.Val = replayURL(u.String(), at)
					}
				}
				attrs = append(attrs, a)
			}
			tok.Attr = attrs
			w.WriteString(tok.String())
		default:
			w.Write(z.Raw())
		}
	}
}
