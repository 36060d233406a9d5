package archivetest

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// CommonCrawl is a fake Common Crawl: an index server (collinfo.json and
// one pywb-style index per crawl, paged by page and showNumPages, 404 with
// a JSON message when nothing matches) and a data server whose WARC files
// answer Range requests with one gzipped response record.
type CommonCrawl struct {
	// Index serves collinfo.json and the crawl indexes; Data the files.
	Index, Data *httptest.Server

	mu       sync.Mutex
	crawls   []string
	files    map[string][]byte
	rows     map[string][]map[string]string // by crawl
	pageSize int
	ranges   int
	faults   map[int]fault
	requests int
}

// NewCommonCrawl starts the two servers; crawls maps each crawl id (such
// as CC-MAIN-2019-04) to its captures. Each crawl's captures go into one
// WARC file.
func NewCommonCrawl(crawls map[string][]*Capture) *CommonCrawl {
	cc := &CommonCrawl{files: map[string][]byte{}, rows: map[string][]map[string]string{}, pageSize: 2, faults: map[int]fault{}}
	for id := range crawls {
		cc.crawls = append(cc.crawls, id)
	}
	slices.Sort(cc.crawls)
	slices.Reverse(cc.crawls) // newest first, as collinfo.json lists them
	for _, id := range cc.crawls {
		name := "crawl-data/" + id + "/segments/1/warc/" + id + "-00000.warc.gz"
		var file bytes.Buffer
		for _, c := range crawls[id] {
			rec := warcRecord(c)
			off := file.Len()
			file.Write(rec)
			cc.rows[id] = append(cc.rows[id], map[string]string{
				"urlkey": URLKey(c.URL), "timestamp": c.Time.UTC().Format("20060102150405"), "url": c.URL,
				"mime": c.mime(), "mime-detected": c.mime(), "status": strconv.Itoa(c.status()),
				"digest": digest(c.Body), "length": strconv.Itoa(len(rec)), "offset": strconv.Itoa(off),
				"filename": name, "languages": "ind", "encoding": "UTF-8",
			})
		}
		slices.SortStableFunc(cc.rows[id], func(a, b map[string]string) int {
			return strings.Compare(a["urlkey"]+a["timestamp"], b["urlkey"]+b["timestamp"])
		})
		cc.files[name] = file.Bytes()
	}
	cc.Index = httptest.NewServer(http.HandlerFunc(cc.serveIndex))
	cc.Data = httptest.NewServer(http.HandlerFunc(cc.serveData))
	return cc
}

// Close stops both servers.
func (cc *CommonCrawl) Close() {
	cc.Index.Close()
	cc.Data.Close()
}

// Ranges returns the number of record requests the data server answered.
func (cc *CommonCrawl) Ranges() int {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	return cc.ranges
}

// Fail makes data request number n (from 1) answer status, with a
// Retry-After header when retryAfter is not "" (S3 says 503 Slow Down).
func (cc *CommonCrawl) Fail(n, status int, retryAfter string) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	cc.faults[n] = fault{status, retryAfter}
}

// warcRecord returns c as one gzipped WARC/1.0 response record, as Common
// Crawl writes them.
func warcRecord(c *Capture) []byte {
	var resp bytes.Buffer
	fmt.Fprintf(&resp, "HTTP/1.1 %d %s\r\n", c.status(), http.StatusText(c.status()))
	fmt.Fprintf(&resp, "Content-Type: %s; charset=UTF-8\r\n", c.mime())
	for k, vs := range c.Header {
		if k != "Content-Type" {
			for _, v := range vs {
				fmt.Fprintf(&resp, "%s: %s\r\n", k, v)
			}
		}
	}
	if c.Location != "" {
		fmt.Fprintf(&resp, "Location: %s\r\n", c.Location)
	}
	fmt.Fprintf(&resp, "Content-Length: %d\r\n\r\n", len(c.Body))
	resp.Write(c.Body)
	var rec bytes.Buffer
	fmt.Fprintf(&rec, "WARC/1.0\r\nWARC-Type: response\r\nWARC-Date: %s\r\nWARC-Record-ID: <urn:uuid:%s>\r\nContent-Length: %d\r\nContent-Type: application/http; msgtype=response\r\nWARC-Target-URI: %s\r\n\r\n",
		c.Time.UTC().Format(time.RFC3339), fakeUUID(c), resp.Len(), c.URL)
	rec.Write(resp.Bytes())
	rec.WriteString("\r\n\r\n")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(rec.Bytes())
	zw.Close()
	return gz.Bytes()
}

func fakeUUID(c *Capture) string {
	d := digest([]byte(c.URL + c.Time.String()))
	h := strings.ToLower(fmt.Sprintf("%x", d))[:32]
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func (cc *CommonCrawl) serveIndex(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/collinfo.json" {
		var list []map[string]string
		for _, id := range cc.crawls {
			list = append(list, map[string]string{"id": id, "name": "Crawl " + id, "timegate": cc.Index.URL + "/" + id + "/", "cdx-api": "https://index.commoncrawl.org/" + id + "-index"})
		}
		json.NewEncoder(w).Encode(list)
		return
	}
	id, ok := strings.CutSuffix(strings.TrimPrefix(r.URL.Path, "/"), "-index")
	rows, known := cc.rows[id]
	if !ok || !known {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	target := q.Get("url")
	if !strings.Contains(target, "://") {
		target = "http://" + target
	}
	thost, _, _ := strings.Cut(URLKey(target), ")")
	from, to := q.Get("from"), q.Get("to")
	var out []map[string]string
	for _, row := range rows {
		host, _, _ := strings.Cut(row["urlkey"], ")")
		if host != thost && (q.Get("matchType") != "domain" || !strings.HasPrefix(host, thost+",")) {
			continue
		}
		if from != "" && row["timestamp"] < from || to != "" && row["timestamp"] > to {
			continue
		}
		out = append(out, row)
	}
	pages := (len(out) + cc.pageSize - 1) / cc.pageSize
	if q.Get("showNumPages") == "true" {
		fmt.Fprintf(w, `{"pages": %d, "pageSize": %d, "blocks": %d}`+"\n", pages, cc.pageSize, pages)
		return
	}
	p, _ := strconv.Atoi(q.Get("page"))
	out = out[min(p*cc.pageSize, len(out)):min((p+1)*cc.pageSize, len(out))]
	if len(out) == 0 {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, `{"message": "No Captures found for: %s"}`+"\n", q.Get("url"))
		return
	}
	for _, row := range out {
		b, _ := json.Marshal(row)
		w.Write(append(b, '\n'))
	}
}

func (cc *CommonCrawl) serveData(w http.ResponseWriter, r *http.Request) {
	cc.mu.Lock()
	cc.requests++
	f, faulty := cc.faults[cc.requests]
	cc.mu.Unlock()
	if faulty {
		f.answer(w, "Slow Down") // as the data server's S3 says it
		return
	}
	data, ok := cc.files[strings.TrimPrefix(r.URL.Path, "/")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if r.Header.Get("Range") != "" {
		cc.mu.Lock()
		cc.ranges++
		cc.mu.Unlock()
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
}
