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

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/warta-id/warta/archive"
	"github.com/warta-id/warta/extract"
)

// maxURLLen bounds the URLs the replay route looks up.
const maxURLLen = 2048

// timestamp14 is the WARC/CDX capture time format.
const timestamp14 = "20060102150405"

// replayCSP is the policy of everything the replay route serves. sandbox
// without allow-scripts and allow-same-origin puts the archived page in an
// opaque origin where no script runs; the rest lets it load styles,
// images, fonts and media from this server only (that is, from the
// archive, through the replay route) and nothing from anywhere else.
const replayCSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; media-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"

// replayBanner says what the page is. It is fixed to a corner and styled
// inline, so that it neither moves the page's layout nor takes its styles.
const replayBanner = `all:initial;position:fixed;z-index:2147483647;right:0;bottom:0;max-width:60%;overflow:hidden;white-space:nowrap;text-overflow:ellipsis;background:#fff8e1;border:1px solid #e0c97a;padding:2px 8px;font:12px/1.4 system-ui,sans-serif;color:#5c4a00`

// handleReplay serves an archived capture: /replay?url=U[&at=TIME], the
// capture of U nearest TIME (14 digits or RFC 3339; the latest when
// absent). It reads the archive only; a URL never captured is a 404, never
// a fetch. An HTML page comes with its style sheets, images and fonts,
// each through this route at the page's time; an archived redirect is a
// redirect to the replay of its target.
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
	if at.IsZero() {
		at = c.FetchedAt
	}
	h.Set("Memento-Datetime", c.FetchedAt.UTC().Format(http.TimeFormat))
	h.Set("X-Archive-Status", strconv.Itoa(c.Status))
	if loc := archivedRedirect(c); loc != "" {
		http.Redirect(w, r, replayURL(loc, at), http.StatusFound)
		return
	}
	ctype := c.Header.Get("Content-Type")
	mt := replayType(c)
	switch {
	case mt == "text/html" || mt == "application/xhtml+xml":
		page, err := s.replayHTML(c.Body, ctype, c.URL, c.FetchedAt)
		if err != nil {
			s.log.Warn("replay_unreadable", "url", target, "err", err)
			replayText(w, http.StatusUnprocessableEntity, "the archived page cannot be read")
			return
		}
		h.Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(page)
	case mt == "text/css":
		// A style sheet declares no charset in a <meta>: the header, its BOM
		// and its bytes decide, as for a page.
		css, _ := extract.DecodeHTML(c.Body, ctype)
		base, _ := url.Parse(c.URL)
		h.Set("Content-Type", "text/css; charset=utf-8")
		_, _ = io.WriteString(w, s.replayCSS(string(css), base, at))
	case replayImageTypes[mt]:
		h.Set("Content-Type", mt)
		h.Set("Content-Length", strconv.Itoa(len(c.Body)))
		_, _ = w.Write(c.Body)
	case fontType(mt):
		// Fonts are fetched in CORS mode, and the sandboxed page's origin
		// is opaque ("null"): without this header the browser drops them.
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Content-Type", mt)
		h.Set("Content-Length", strconv.Itoa(len(c.Body)))
		_, _ = w.Write(c.Body)
	case strings.HasPrefix(mt, "text/") || strings.HasSuffix(mt, "json") || strings.HasSuffix(mt, "xml") || strings.HasSuffix(mt, "javascript"):
		// Shown as text, never interpreted.
		h.Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write(c.Body)
	default:
		h.Set("Content-Type", "application/octet-stream")
		h.Set("Content-Disposition", "attachment")
		_, _ = w.Write(c.Body)
	}
}

// archivedRedirect returns the absolute target of an archived redirect;
// "" when c is not one.
func archivedRedirect(c *archive.Capture) string {
	switch c.Status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
	default:
		return ""
	}
	base, err := url.Parse(c.URL)
	if err != nil {
		return ""
	}
	loc, err := base.Parse(strings.TrimSpace(c.Header.Get("Location")))
	if err != nil || c.Header.Get("Location") == "" {
		return ""
	}
	return httpURL(loc.String())
}

// uselessTypes say nothing about what a body is; servers send them for
// anything, pages included.
var uselessTypes = map[string]bool{
	"": true, "application/octet-stream": true, "binary/octet-stream": true,
	"application/unknown": true, "application/x-unknown-content-type": true, "unknown/unknown": true,
}

// replayType returns the media type a capture is replayed as: its
// Content-Type, or, when that says nothing useful, what its bytes are
// (sniffed as browsers do) and, for a style sheet, its URL's extension.
func replayType(c *archive.Capture) string {
	mt, _, _ := mime.ParseMediaType(c.Header.Get("Content-Type"))
	mt = strings.ToLower(mt)
	if !uselessTypes[mt] && !(mt == "text/plain" && cssPath(c.URL)) {
		return mt
	}
	sniffed, _, _ := mime.ParseMediaType(http.DetectContentType(c.Body))
	switch {
	case sniffed == "text/html" || looksHTML(c.Body):
		return "text/html"
	case sniffed == "text/plain" && cssPath(c.URL):
		return "text/css"
	}
	return sniffed
}

// cssPath reports whether a URL's path ends in .css.
func cssPath(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && strings.HasSuffix(strings.ToLower(u.Path), ".css")
}

// fontType reports whether a media type is a web font's.
func fontType(mt string) bool {
	switch mt {
	case "application/font-woff", "application/font-woff2", "application/x-font-woff", "application/x-font-ttf",
		"application/x-font-otf", "application/font-sfnt", "application/vnd.ms-fontobject":
		return true
	}
	return strings.HasPrefix(mt, "font/")
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

// maxSrcsetLookups bounds the srcset candidates of one page looked up in
// the index; a hostile page may list thousands. Those past it are dropped
// (src still shows each image).
const maxSrcsetLookups = 200

// droppedElements are removed from a replayed page with their content:
// what runs code, embeds other documents or changes how the page
// resolves and refreshes.
var droppedElements = map[string]bool{
	"script": true, "iframe": true, "frame": true, "frameset": true, "object": true, "embed": true,
	"applet": true, "base": true, "portal": true, "fencedframe": true, "template": true,
	"animate": true, "set": true, "animatemotion": true, "animatetransform": true, "handler": true, "listener": true,
}

// droppedAttrs are removed from every element: they act, submit, or
// stop rewritten style sheets and fonts from loading (integrity checks
// the original bytes; crossorigin asks for CORS from an opaque origin).
var droppedAttrs = map[string]bool{
	"integrity": true, "crossorigin": true, "nonce": true, "srcdoc": true, "action": true, "formaction": true,
	"method": true, "ping": true, "http-equiv": true, "target": true, "download": true, "manifest": true,
	"attributename": true, "codebase": true, "archive": true, "classid": true,
}

// urlAttrs hold a URL that RefOf may not know on an element (an SVG
// image's href, an old lowsrc): it is replayed as a resource.
var urlAttrs = map[string]bool{"href": true, "src": true, "poster": true, "background": true, "data": true, "lowsrc": true, "dynsrc": true}

// replayHTML turns an archived page into one that looks as it did and
// cannot act: decoded to UTF-8; scripts, frames, objects, event handlers,
// refreshes and <base> removed; every URL it loads (src, href, srcset,
// poster, inline and <style> CSS) pointed at the replay route at the
// page's capture time, and its links to their replay too; a banner that
// says what it is. What is left is served under replayCSP's sandbox.
func (s *Server) replayHTML(body []byte, ctype, pageURL string, fetched time.Time) ([]byte, error) {
	// Decoded as extraction decodes it: the replay shows the text the
	// article was read from.
	text, _ := extract.DecodeHTML(body, ctype)
	rd := bytes.NewReader(text)
	// Scripting off: <noscript> content is markup, which the sandboxed
	// page (where no script runs) shows, and which is rewritten too.
	doc, err := html.ParseWithOptions(rd, html.ParseOptionEnableScripting(false))
	if err != nil {
		return nil, fmt.Errorf("web: replay: parse: %w", err)
	}
	base, err := url.Parse(pageURL)
	if err != nil {
		return nil, fmt.Errorf("web: replay: page url: %w", err)
	}
	var drop []*html.Node
	var head, bodyNode *html.Node
	lookups := 0 // of srcset candidates, bounded: each reads the index
	for n := range doc.Descendants() {
		if n.Type == html.CommentNode {
			drop = append(drop, n) // conditional comments load things in old browsers
			continue
		}
		if n.Type != html.ElementNode {
			continue
		}
		name := strings.ToLower(n.Data)
		switch {
		case n.DataAtom == atom.Head && head == nil:
			head = n
		case n.DataAtom == atom.Body && bodyNode == nil:
			bodyNode = n
		case name == "base" && n.Namespace == "":
			// A <base href> changes how the page resolves its URLs; one
			// that points at another host is not followed.
			if b, err := base.Parse(strings.TrimSpace(attrVal(n, "href"))); err == nil && attrVal(n, "href") != "" && b.Host == base.Host {
				base = b
			}
		}
	}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		name := strings.ToLower(n.Data)
		if droppedElements[name] || (name == "meta" && (hasAttr(n, "http-equiv") || hasAttr(n, "charset"))) {
			drop = append(drop, n)
			continue
		}
		if name == "form" {
			// Kept for its layout; it can submit nothing (form-action 'none').
			n.Data, n.DataAtom = "div", atom.Div
		}
		if n.DataAtom == atom.Style && n.Namespace == "" {
			for c := range n.ChildNodes() {
				if c.Type == html.TextNode {
					c.Data = s.replayCSS(c.Data, base, fetched)
				}
			}
		}
		attrs := n.Attr[:0]
		for _, a := range n.Attr {
			key := strings.ToLower(a.Key)
			if strings.HasPrefix(key, "on") || droppedAttrs[key] {
				continue
			}
			kind := extract.RefOf(n.DataAtom, n.Attr, key)
			if a.Namespace != "" && key != "href" {
				kind = extract.RefNone
			}
			if kind == extract.RefNone && (urlAttrs[key] || a.Namespace == "xlink" && key == "href") {
				kind = extract.RefResource
			}
			switch kind {
			case extract.RefLink, extract.RefResource:
				v, ok := replayRef(a.Val, base, fetched, kind == extract.RefResource)
				if !ok {
					continue
				}
				a.Val = v
			case extract.RefSrcset:
				a.Val = extract.RewriteSrcset(a.Val, func(raw string) string {
					u := absHTTP(base, raw)
					if u == "" {
						return ""
					}
					// A candidate never archived would show a broken image
					// where src shows one: only archived ones stay.
					if lookups++; lookups > maxSrcsetLookups {
						return ""
					}
					if _, err := s.opt.Captures.LookupEntry(u, fetched); err != nil {
						return ""
					}
					return replayURL(u, fetched)
				})
				if a.Val == "" {
					continue
				}
			case extract.RefStyle:
				a.Val = s.replayCSS(a.Val, base, fetched)
			}
			attrs = append(attrs, a)
		}
		n.Attr = attrs
	}
	for _, n := range drop {
		if n.Parent != nil {
			n.Parent.RemoveChild(n)
		}
	}
	if head == nil || bodyNode == nil {
		return nil, errors.New("web: replay: no document")
	}
	head.InsertBefore(&html.Node{Type: html.ElementNode, Data: "meta", DataAtom: atom.Meta,
		Attr: []html.Attribute{{Key: "name", Val: "robots"}, {Key: "content", Val: "noindex"}}}, head.FirstChild)
	head.InsertBefore(&html.Node{Type: html.ElementNode, Data: "meta", DataAtom: atom.Meta,
		Attr: []html.Attribute{{Key: "charset", Val: "utf-8"}}}, head.FirstChild)
	banner := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div,
		Attr: []html.Attribute{{Key: "class", Val: "warta-banner"}, {Key: "style", Val: replayBanner}}}
	banner.AppendChild(&html.Node{Type: html.TextNode, Data: "warta · " + clip(pageURL, 300) + " · " + fetched.UTC().Format("2006-01-02 15:04 UTC")})
	bodyNode.AppendChild(banner)
	var out bytes.Buffer
	out.WriteString("<!doctype html>\n")
	for c := range doc.ChildNodes() {
		if c.Type == html.DoctypeNode {
			continue
		}
		if err := html.Render(&out, c); err != nil {
			return nil, fmt.Errorf("web: replay: render: %w", err)
		}
	}
	return out.Bytes(), nil
}

// replayCSS points every URL a style sheet loads at the replay route at
// time at; URLs that are not http or https become inert.
func (s *Server) replayCSS(css string, base *url.URL, at time.Time) string {
	return extract.RewriteCSS(css, func(raw string) string {
		if strings.HasPrefix(strings.TrimSpace(raw), "data:") {
			return ""
		}
		if u := absHTTP(base, raw); u != "" {
			return replayURL(u, at)
		}
		return "about:invalid"
	})
}

// replayRef returns what a URL attribute becomes in a replayed page: a
// fragment stays, a data: URL stays on a resource, an http or https URL
// becomes its replay at time at; anything else is dropped (ok false).
func replayRef(raw string, base *url.URL, at time.Time, resource bool) (string, bool) {
	v := strings.TrimSpace(raw)
	switch {
	case strings.HasPrefix(v, "#"):
		return v, true
	case resource && strings.HasPrefix(strings.ToLower(v), "data:"):
		return v, true
	}
	u := absHTTP(base, v)
	if u == "" {
		return "", false
	}
	return replayURL(u, at), true
}

// absHTTP resolves raw against base and returns it when it is an http or
// https URL, without its fragment; "" otherwise.
func absHTTP(base *url.URL, raw string) string {
	u, err := base.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	u.Fragment = ""
	return httpURL(u.String())
}

func attrVal(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return true
		}
	}
	return false
}
