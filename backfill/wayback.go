package backfill

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// cdxLimit is how many rows one CDX request asks for; the rest follow by
// resume key.
const cdxLimit = 5000

// maxPages bounds the index pages one listing reads, against an index that
// hands out resume keys forever.
const maxPages = 100000

// listWayback lists the captures of every site host, with and without
// www., from the CDX server.
func (b *Backfill) listWayback(ctx context.Context) ([]Capture, error) {
	return b.eachHost(func(host string) ([]Capture, error) { return b.listHost(ctx, host) })
}

// eachHost calls list for every site host, with and without www., and
// returns all it listed.
func (b *Backfill) eachHost(list func(host string) ([]Capture, error)) ([]Capture, error) {
	var all []Capture
	for _, h := range b.opt.Identity.Hosts() {
		for _, host := range []string{h, "www." + h} {
			rows, err := list(host)
			if err != nil {
				return nil, err
			}
			all = append(all, rows...)
		}
	}
	return all, nil
}

// hostQuery is the index query for every capture of host in the time
// bounds, as the CDX servers of the Internet Archive, pywb and Common
// Crawl read it.
func (b *Backfill) hostQuery(host string) url.Values {
	q := url.Values{}
	q.Set("url", host)
	q.Set("matchType", "host")
	q.Set("output", "json")
	if !b.opt.From.IsZero() {
		q.Set("from", formatTimestamp(b.opt.From))
	}
	if !b.opt.To.IsZero() {
		q.Set("to", formatTimestamp(b.opt.To))
	}
	return q
}

// listHost reads every page of the CDX answer for host.
func (b *Backfill) listHost(ctx context.Context, host string) ([]Capture, error) {
	q := b.hostQuery(host)
	q.Set("showResumeKey", "true")
	q.Set("limit", strconv.Itoa(cdxLimit))
	var rows []Capture
	seenKeys := map[string]bool{}
	for n := 0; n < maxPages; n++ {
		p, err := b.cdxPage(ctx, b.opt.CDX, q)
		if err != nil {
			return nil, err
		}
		if p.resumeKey == "" && len(p.rows) >= cdxLimit && q.Has("limit") {
			// A full page without a resume key (pywb has none): page by
			// number if the server does, else ask for it all at once.
			b.opt.Logger.Info("cdx_paging_by_number", "host", host, "reason", "no resume key in a full page")
			q.Del("limit")
			q.Del("showResumeKey")
			return b.listByPage(ctx, b.opt.CDX, q)
		}
		rows = append(rows, b.wanted(p.rows)...)
		if p.resumeKey == "" || seenKeys[p.resumeKey] {
			return rows, nil
		}
		seenKeys[p.resumeKey] = true
		q.Set("resumeKey", p.resumeKey)
	}
	return nil, fmt.Errorf("backfill: cdx listing of %s: more than %d pages", host, maxPages)
}

// listByPage reads a listing page by page (page=N), as many as the
// server says (showNumPages=true); a server that gives no count answers
// the query whole.
func (b *Backfill) listByPage(ctx context.Context, api string, q url.Values) ([]Capture, error) {
	q.Set("showNumPages", "true")
	u := api + "?" + q.Encode()
	q.Del("showNumPages")
	rep, err := b.c.get(ctx, u, nil, 1<<20)
	if err != nil {
		return nil, err
	}
	if rep.status == http.StatusNotFound {
		return nil, nil // no captures (Common Crawl's answer)
	}
	pages, ok := numPages(rep.body)
	if rep.status != http.StatusOK || !ok {
		pages = 0
	}
	if pages == 0 {
		p, err := b.cdxPage(ctx, api, q)
		return b.wanted(p.rows), err
	}
	var rows []Capture
	for i := 0; i < min(pages, maxPages); i++ {
		q.Set("page", strconv.Itoa(i))
		p, err := b.cdxPage(ctx, api, q)
		if err != nil {
			return nil, err
		}
		rows = append(rows, b.wanted(p.rows)...)
	}
	return rows, nil
}

// numPages reads a showNumPages answer: a bare number (the Internet
// Archive) or {"pages": N, ...} (pywb, Common Crawl).
func numPages(body []byte) (int, bool) {
	body = bytes.TrimSpace(body)
	if n, err := strconv.Atoi(string(body)); err == nil && n >= 0 {
		return n, true
	}
	var v struct {
		Pages *int `json:"pages"`
	}
	if err := json.Unmarshal(body, &v); err == nil && v.Pages != nil && *v.Pages >= 0 {
		return *v.Pages, true
	}
	return 0, false
}

// cdxPage fetches and parses one index answer; 404 means no captures, as
// pywb and Common Crawl answer.
func (b *Backfill) cdxPage(ctx context.Context, base string, q url.Values) (page, error) {
	u := base
	if strings.Contains(u, "?") {
		u += "&" + q.Encode()
	} else {
		u += "?" + q.Encode()
	}
	rep, err := b.c.get(ctx, u, nil, 512<<20)
	if err != nil {
		return page{}, err
	}
	if rep.status == http.StatusNotFound {
		return page{}, nil
	}
	if rep.status != http.StatusOK {
		return page{}, fmt.Errorf("backfill: index %s: %d %s: %s", u, rep.status, http.StatusText(rep.status), snippet(rep.body))
	}
	if rep.truncated {
		return page{}, fmt.Errorf("backfill: index %s: answer larger than 512 MB", u)
	}
	p, bad, err := parseCDX(rep.body)
	if err != nil {
		return page{}, fmt.Errorf("backfill: index %s: %w", u, err)
	}
	b.listed.Add(int64(len(p.rows)))
	if bad > 0 {
		b.opt.Logger.Warn("cdx_rows_unreadable", "url", u, "rows", bad)
	}
	return p, nil
}

// snippet is the start of an error body, on one line, for a message.
func snippet(b []byte) string {
	s := strings.Join(strings.Fields(string(b[:min(len(b), 200)])), " ")
	return strconv.Quote(s)
}

// oneToken makes an archive's URL fit a header value and a WARC field:
// spaces escaped, control characters dropped (an index may list URLs as
// their pages wrote them).
func oneToken(u string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return -1
		}
		return r
	}, strings.ReplaceAll(u, " ", "%20"))
}

// maxHops bounds the redirects followed inside the archive for one capture.
const maxHops = 5

// fetchWayback fetches capture c in id_ mode. A redirect to another
// timestamp of the same page (the archive's nearest capture) is followed
// inside the archive; a skip reason comes back instead of an error when
// the capture is gone or is not the page it was listed as.
func (b *Backfill) fetchWayback(ctx context.Context, c Capture) (*Fetched, string, error) {
	article, _ := b.opt.Identity.Article(c.URL)
	replay, err := url.Parse(b.opt.Replay)
	if err != nil {
		return nil, "", err
	}
	ts, orig := c.Timestamp, c.URL
	u := b.opt.Replay + ts + "id_/" + orig
	for hop := 0; ; hop++ {
		rep, err := b.c.get(ctx, u, nil, b.opt.MaxBytes)
		if err != nil {
			return nil, "", err
		}
		switch {
		case rep.status >= 300 && rep.status < 400 && rep.header.Get("Location") != "":
			next, nts, norig, ok := replayTarget(replay, u, rep.header.Get("Location"))
			switch {
			case !ok:
				return nil, fmt.Sprintf("the archive redirects outside its replay: %s", rep.header.Get("Location")), nil
			case b.opt.Identity.Key(norig) != b.opt.Identity.Key(orig):
				return nil, fmt.Sprintf("the capture is a redirect to %s", norig), nil
			case hop >= maxHops:
				return nil, fmt.Sprintf("more than %d redirects in the archive", maxHops), nil
			}
			u, ts, orig = next, nts, norig
			continue
		case rep.status == http.StatusNotFound || rep.status == http.StatusGone:
			return nil, fmt.Sprintf("the archive answers %d for the capture", rep.status), nil
		case rep.status >= 400:
			return nil, fmt.Sprintf("the archive answers %d %s", rep.status, http.StatusText(rep.status)), nil
		}
		at, err := parseTimestamp(ts)
		if c.Revisit() && len(c.Timestamp) == 14 {
			// A revisit is a capture of its own time, even when the archive
			// answers with the bytes of the capture it repeats (or
			// redirects there).
			at, err = c.Time, nil
		}
		if err != nil || len(ts) < 14 {
			if m, merr := http.ParseTime(rep.header.Get("Memento-Datetime")); merr == nil {
				at = m
			} else if err != nil {
				at = c.Time
			}
		}
		return &Fetched{
			Capture: c, URL: orig, Time: at.UTC(), Article: article,
			Status: rep.status, Proto: rep.proto, Header: originalHeader(rep.header, rep.body),
			Body: rep.body, Truncated: rep.truncated,
			Source: Wayback, SourceURL: oneToken(u),
		}, "", nil
	}
}

// replayTarget reads a Location the archive sent from replay URL cur:
// when it names a capture under the replay prefix, it returns its id_ URL,
// timestamp and original URL.
func replayTarget(prefix *url.URL, cur, loc string) (string, string, string, bool) {
	base, err := url.Parse(cur)
	if err != nil {
		return "", "", "", false
	}
	t, err := base.Parse(loc)
	if err != nil || t.Host != prefix.Host {
		return "", "", "", false
	}
	// The original URL inside the path keeps its own query: take the raw
	// text after the prefix.
	full := t.String()
	pfx := prefix.Scheme + "://" + prefix.Host + prefix.EscapedPath()
	if t.Scheme != prefix.Scheme {
		pfx = t.Scheme + "://" + prefix.Host + prefix.EscapedPath()
	}
	rest, ok := strings.CutPrefix(full, pfx)
	if !ok {
		return "", "", "", false
	}
	stamp, orig, ok := strings.Cut(rest, "/")
	if !ok {
		return "", "", "", false
	}
	ts := strings.TrimRight(stamp, "abcdefghijklmnopqrstuvwxyz_")
	if _, err := parseTimestamp(ts); err != nil || !strings.HasPrefix(orig, "http") {
		return "", "", "", false
	}
	// Some archives write "http:/host" after collapsing slashes.
	if strings.HasPrefix(orig, "http:/") && !strings.HasPrefix(orig, "http://") {
		orig = "http://" + orig[len("http:/"):]
	} else if strings.HasPrefix(orig, "https:/") && !strings.HasPrefix(orig, "https://") {
		orig = "https://" + orig[len("https:/"):]
	}
	return pfx + ts + "id_/" + orig, ts, orig, true
}

// Headers that describe the replay's own transfer, not the original.
var replayOnly = map[string]bool{
	"Content-Length": true, "Transfer-Encoding": true, "Connection": true,
	"Content-Encoding": true, "Memento-Datetime": true, "Link": true,
	"Set-Cookie": true, "Server-Timing": true,
}

// originalHeader restores the original response's headers from the
// archive's X-Archive-Orig- copies; an archive that sends none passes the
// originals through, less what belongs to its own transfer. Content
// codings are restored only when the body still carries one (gzip's
// magic), so that the archive can decode it; the rest stay X-Archive-Orig-.
func originalHeader(h http.Header, body []byte) http.Header {
	out := http.Header{}
	orig := false
	for k := range h {
		if strings.HasPrefix(k, "X-Archive-Orig-") {
			orig = true
			break
		}
	}
	for k, vs := range h {
		name, isOrig := strings.CutPrefix(k, "X-Archive-Orig-")
		switch {
		case isOrig:
			name = http.CanonicalHeaderKey(name)
			if name == "Content-Encoding" && strings.Contains(strings.ToLower(strings.Join(vs, ",")), "gzip") && bytes.HasPrefix(body, []byte{0x1f, 0x8b}) {
				out[name] = vs
				continue
			}
			if replayOnly[name] {
				out["X-Archive-Orig-"+name] = vs
				continue
			}
			out[name] = vs
		case k == "Content-Type" && len(h.Values("X-Archive-Orig-Content-Type")) == 0:
			out[k] = vs // the Internet Archive passes the original's unprefixed
		case !orig && !replayOnly[k] && !strings.HasPrefix(k, "X-Archive-"):
			out[k] = vs
		}
	}
	return out
}
