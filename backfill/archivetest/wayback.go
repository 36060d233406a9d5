package archivetest

import (
	"crypto/sha1"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Capture is one capture an archive holds.
type Capture struct {
	URL  string
	Time time.Time
	// Status is the original response's status; 0 means 200.
	Status int
	// Header is the original response's headers; a missing Content-Type
	// is text/html.
	Header http.Header
	Body   []byte
	// Location, for a 3xx capture, is the original URL it redirected to.
	Location string
	// Revisit makes the capture a warc/revisit row: the same payload as
	// the capture of the same URL before it (Body is then ignored).
	Revisit bool
	// IndexTime, when set, is the time the index lists the capture at,
	// while replay has it at Time: asked for at IndexTime, the archive
	// redirects to its nearest capture, as the real ones do for a
	// timestamp that is not exact.
	IndexTime time.Time
	// Gone lists the capture in the index but answers 404 at replay, as a
	// capture withdrawn from the archive does.
	Gone bool
}

func (c *Capture) status() int {
	if c.Status == 0 {
		return 200
	}
	return c.Status
}

func (c *Capture) mime() string {
	if c.Revisit {
		return "warc/revisit"
	}
	ct := "text/html"
	if c.Header != nil && c.Header.Get("Content-Type") != "" {
		ct = c.Header.Get("Content-Type")
	}
	mt, _, _ := strings.Cut(ct, ";")
	return strings.TrimSpace(mt)
}

// digest is the payload's base32 SHA-1, as CDX servers print it.
func digest(body []byte) string {
	sum := sha1.Sum(body)
	return base32.StdEncoding.EncodeToString(sum[:])
}

// URLKey returns the SURT key archives sort and match by: the host
// reversed with commas, without www. and the scheme, the path without a
// trailing slash; so http/https, www and trailing-slash variants share a
// key, and a query (such as ?utm_source) makes another.
func URLKey(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	parts := strings.Split(host, ".")
	slices.Reverse(parts)
	p := u.EscapedPath()
	if len(p) > 1 {
		p = strings.TrimSuffix(p, "/")
	}
	if p == "" {
		p = "/"
	}
	k := strings.Join(parts, ",") + ")" + strings.ToLower(p)
	if u.RawQuery != "" {
		k += "?" + u.RawQuery
	}
	return k
}

// Wayback is a fake Wayback-compatible archive.
type Wayback struct {
	*httptest.Server

	// Collection, when set, makes the archive a pywb one: the index at
	// /{Collection}/cdx answers JSON lines (mime, status), without resume
	// keys, and replay lives under /{Collection}/.
	Collection string
	// RevisitRedirect makes replay answer a revisit with a 302 to the
	// capture it repeats, as some archives do, instead of its payload.
	RevisitRedirect bool

	mu       sync.Mutex
	captures []*Capture
	requests int
	replays  map[string]int // by "timestamp url": replay requests
	faults   map[int]fault  // by request number, from 1
	limitMax int
	hook     func(replays int)
}

// OnReplay makes the archive call fn with the number of replay requests
// answered so far, after each one (a test stops a client with it).
func (w *Wayback) OnReplay(fn func(replays int)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.hook = fn
}

type fault struct {
	status     int
	retryAfter string
}

// answer writes the fault's response, with body as its text.
func (f fault) answer(w http.ResponseWriter, body string) {
	if f.retryAfter != "" {
		w.Header().Set("Retry-After", f.retryAfter)
	}
	http.Error(w, body, f.status)
}

// NewWayback starts an archive holding captures on 127.0.0.1.
func NewWayback(captures ...*Capture) *Wayback {
	w := &Wayback{captures: captures, replays: map[string]int{}, faults: map[int]fault{}, limitMax: 3}
	w.Server = httptest.NewServer(w)
	return w
}

// NewPywb starts a pywb-style archive with collection coll.
func NewPywb(coll string, captures ...*Capture) *Wayback {
	w := &Wayback{Collection: coll, captures: captures, replays: map[string]int{}, faults: map[int]fault{}, limitMax: 3}
	w.Server = httptest.NewServer(w)
	return w
}

// Fail makes request number n (from 1, counting every request) answer
// status with a Retry-After header when retryAfter is not "".
func (w *Wayback) Fail(n, status int, retryAfter string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.faults[n] = fault{status, retryAfter}
}

// PageSize sets the most rows one index answer holds, however large a
// limit the client asks for (the real servers cap it too); default 3.
func (w *Wayback) PageSize(n int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.limitMax = n
}

// Add adds captures, as an archive that keeps crawling does.
func (w *Wayback) Add(cs ...*Capture) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.captures = append(w.captures, cs...)
}

// Requests returns the number of requests served so far.
func (w *Wayback) Requests() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.requests
}

// Replays returns the number of replay requests served so far.
func (w *Wayback) Replays() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, v := range w.replays {
		n += v
	}
	return n
}

// ReplayBase returns the replay prefix: BASE/web/ or BASE/{collection}/.
func (w *Wayback) ReplayBase() string {
	if w.Collection != "" {
		return w.URL + "/" + w.Collection + "/"
	}
	return w.URL + "/web/"
}

// CDXURL returns the index endpoint.
func (w *Wayback) CDXURL() string {
	if w.Collection != "" {
		return w.URL + "/" + w.Collection + "/cdx"
	}
	return w.URL + "/cdx/search/cdx"
}

func (w *Wayback) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	w.mu.Lock()
	w.requests++
	f, faulty := w.faults[w.requests]
	w.mu.Unlock()
	if faulty {
		f.answer(rw, http.StatusText(f.status))
		return
	}
	cdx := strings.TrimPrefix(w.CDXURL(), w.URL)
	replay := strings.TrimPrefix(w.ReplayBase(), w.URL)
	switch {
	case r.URL.Path == cdx:
		w.serveCDX(rw, r)
	case strings.HasPrefix(r.URL.Path, replay):
		w.serveReplay(rw, r, replay)
	default:
		http.NotFound(rw, r)
	}
}

// row is one index line.
type row struct {
	key, ts, url, mime, status, digest string
	length                             int
}

func (w *Wayback) rows() []row {
	w.mu.Lock()
	defer w.mu.Unlock()
	var rows []row
	last := map[string]string{}
	// Captures in time order, so that a revisit finds what it repeats.
	cs := slices.Clone(w.captures)
	slices.SortStableFunc(cs, func(a, b *Capture) int { return a.Time.Compare(b.Time) })
	for _, c := range cs {
		d := digest(c.Body)
		status := strconv.Itoa(c.status())
		if c.Revisit {
			d, status = last[c.URL], "-"
		} else {
			last[c.URL] = d
		}
		listed := c.Time
		if !c.IndexTime.IsZero() {
			listed = c.IndexTime
		}
		rows = append(rows, row{URLKey(c.URL), listed.UTC().Format("20060102150405"), c.URL, c.mime(), status, d, len(c.Body) + 300})
	}
	slices.SortStableFunc(rows, func(a, b row) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return strings.Compare(a.ts, b.ts)
	})
	return rows
}

// serveCDX answers the CDX server API: url with matchType exact, prefix,
// host or domain; from and to; filter (field:regex, !field:regex);
// collapse=digest; limit with showResumeKey and resumeKey (IA), or page
// and showNumPages; output=json.
func (w *Wayback) serveCDX(rw http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	target := q.Get("url")
	if target == "" {
		http.Error(rw, "url is required", http.StatusBadRequest)
		return
	}
	if !strings.Contains(target, "://") {
		target = "http://" + target
	}
	tkey := URLKey(target)
	thost, _, _ := strings.Cut(tkey, ")")
	match := func(k string) bool {
		host, _, _ := strings.Cut(k, ")")
		switch q.Get("matchType") {
		case "host":
			return host == thost
		case "domain":
			return host == thost || strings.HasPrefix(host, thost+",")
		case "prefix":
			return strings.HasPrefix(k, strings.TrimSuffix(tkey, "/"))
		}
		return k == tkey
	}
	var filters []func(row) bool
	for _, f := range q["filter"] {
		neg := strings.HasPrefix(f, "!")
		field, expr, ok := strings.Cut(strings.TrimPrefix(f, "!"), ":")
		re, err := regexp.Compile("^(?:" + expr + ")$")
		if !ok || err != nil {
			http.Error(rw, "bad filter "+f, http.StatusBadRequest)
			return
		}
		filters = append(filters, func(rw row) bool {
			v := map[string]string{"statuscode": rw.status, "status": rw.status, "mimetype": rw.mime, "mime": rw.mime, "original": rw.url, "url": rw.url, "digest": rw.digest, "urlkey": rw.key}[field]
			return re.MatchString(v) != neg
		})
	}
	from, to := q.Get("from"), q.Get("to")
	var out []row
	lastDigest := ""
	for _, rw := range w.rows() {
		if !match(rw.key) || from != "" && rw.ts < from || to != "" && rw.ts[:min(len(to), 14)] > to {
			continue
		}
		keep := true
		for _, f := range filters {
			keep = keep && f(rw)
		}
		if !keep {
			continue
		}
		if q.Get("collapse") == "digest" && rw.digest == lastDigest {
			continue
		}
		lastDigest = rw.digest
		out = append(out, rw)
	}
	w.mu.Lock()
	size := w.limitMax
	w.mu.Unlock()
	if q.Get("showNumPages") == "true" {
		fmt.Fprintf(rw, "%d\n", (len(out)+size-1)/size)
		return
	}
	resume := ""
	switch {
	case q.Has("page"):
		p, _ := strconv.Atoi(q.Get("page"))
		out = out[min(p*size, len(out)):min((p+1)*size, len(out))]
	default:
		if k := q.Get("resumeKey"); k != "" && w.Collection == "" {
			i := slices.IndexFunc(out, func(rw row) bool { return rw.key+" "+rw.ts+" "+rw.url > k })
			if i < 0 {
				i = len(out)
			}
			out = out[i:]
		}
		limit := size
		if l, err := strconv.Atoi(q.Get("limit")); err == nil && l > 0 && (l < limit || w.Collection != "") {
			limit = l
		}
		if w.Collection != "" && !q.Has("limit") {
			limit = len(out)
		}
		if len(out) > limit {
			last := out[limit-1]
			resume = last.key + " " + last.ts + " " + last.url
			out = out[:limit]
		}
	}
	if w.Collection != "" {
		// pywb: JSON lines, its own field names, no resume keys.
		rw.Header().Set("Content-Type", "text/x-ndjson")
		for _, x := range out {
			b, _ := json.Marshal(map[string]string{"urlkey": x.key, "timestamp": x.ts, "url": x.url, "mime": x.mime, "status": x.status, "digest": x.digest, "length": strconv.Itoa(x.length)})
			rw.Write(append(b, '\n'))
		}
		return
	}
	rows := [][]string{{"urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"}}
	for _, x := range out {
		rows = append(rows, []string{x.key, x.ts, x.url, x.mime, x.status, x.digest, strconv.Itoa(x.length)})
	}
	if resume != "" && q.Get("showResumeKey") == "true" {
		rows = append(rows, []string{}, []string{resume})
	}
	if q.Get("output") != "json" {
		for _, x := range rows[1:] {
			fmt.Fprintln(rw, strings.Join(x, " "))
		}
		return
	}
	rw.Header().Set("Content-Type", "application/json")
	json.NewEncoder(rw).Encode(rows)
}

// serveReplay answers PREFIX{timestamp}id_/{url}: the capture of url's
// urlkey at that exact timestamp with the original headers as
// X-Archive-Orig-*, else a 302 to the nearest capture.
func (w *Wayback) serveReplay(rw http.ResponseWriter, r *http.Request, prefix string) {
	rest := strings.TrimPrefix(r.URL.EscapedPath(), prefix)
	if r.URL.RawQuery != "" {
		rest += "?" + r.URL.RawQuery
	}
	stamp, orig, ok := strings.Cut(rest, "/")
	ts := strings.TrimSuffix(stamp, "id_")
	if !ok || len(ts) == 0 || strings.Trim(ts, "0123456789") != "" {
		http.Error(rw, "bad replay url", http.StatusBadRequest)
		return
	}
	key := URLKey(orig)
	w.mu.Lock()
	w.replays[ts+" "+orig]++
	if hook := w.hook; hook != nil {
		n := 0
		for _, v := range w.replays {
			n += v
		}
		defer hook(n)
	}
	var same []*Capture
	for _, c := range w.captures {
		if URLKey(c.URL) == key {
			same = append(same, c)
		}
	}
	w.mu.Unlock()
	if len(same) == 0 {
		http.Error(rw, "not in the archive", http.StatusNotFound)
		return
	}
	slices.SortStableFunc(same, func(a, b *Capture) int { return a.Time.Compare(b.Time) })
	want, _ := time.Parse("20060102150405", (ts + "00000101000000")[:14])
	var exact, near *Capture
	for _, c := range same {
		if c.Time.UTC().Format("20060102150405") == ts && (exact == nil || c.URL == orig) {
			exact = c
		}
		if near == nil || abs(c.Time.Sub(want)) < abs(near.Time.Sub(want)) {
			near = c
		}
	}
	if exact == nil {
		http.Redirect(rw, r, w.ReplayBase()+near.Time.UTC().Format("20060102150405")+"id_/"+near.URL, http.StatusFound)
		return
	}
	c := exact
	if c.Gone {
		http.Error(rw, "capture withdrawn", http.StatusNotFound)
		return
	}
	if c.Revisit {
		// The archive resolves a revisit to the payload it repeats.
		for i := len(same) - 1; i >= 0; i-- {
			if same[i].Time.Before(c.Time) && !same[i].Revisit && same[i].URL == c.URL {
				c = same[i]
				break
			}
		}
		if w.RevisitRedirect && c != exact {
			http.Redirect(rw, r, w.ReplayBase()+c.Time.UTC().Format("20060102150405")+"id_/"+c.URL, http.StatusFound)
			return
		}
	}
	h := rw.Header()
	h.Set("Content-Type", c.mime()+"; charset=UTF-8")
	h.Set("Memento-Datetime", exact.Time.UTC().Format(http.TimeFormat))
	for k, vs := range c.Header {
		h["X-Archive-Orig-"+k] = vs
	}
	h.Set("X-Archive-Orig-Date", exact.Time.UTC().Format(http.TimeFormat))
	if c.Location != "" {
		h.Set("Location", w.ReplayBase()+exact.Time.UTC().Format("20060102150405")+"id_/"+c.Location)
		h.Set("X-Archive-Orig-Location", c.Location)
	}
	rw.WriteHeader(c.status())
	rw.Write(c.Body)
}

func abs(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
