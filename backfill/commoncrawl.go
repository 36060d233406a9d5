package backfill

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"time"
)

// crawlInfo is one crawl in Common Crawl's collinfo.json.
type crawlInfo struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	CDXAPI string `json:"cdx-api"`
}

// listCC lists the site's captures in every Common Crawl crawl whose
// dates may fall between From and To.
func (b *Backfill) listCC(ctx context.Context) ([]Capture, error) {
	u := b.opt.CCIndex + "/collinfo.json"
	rep, err := b.c.get(ctx, u, nil, 16<<20)
	if err != nil {
		return nil, err
	}
	if rep.status != http.StatusOK {
		return nil, fmt.Errorf("backfill: %s: %d %s", u, rep.status, http.StatusText(rep.status))
	}
	var crawls []crawlInfo
	if err := json.Unmarshal(rep.body, &crawls); err != nil {
		return nil, fmt.Errorf("backfill: %s: not a list of crawls: %w", u, err)
	}
	var all []Capture
	for _, cr := range crawls {
		if cr.ID == "" || !b.crawlInRange(cr.ID) {
			continue
		}
		api := b.opt.CCIndex + "/" + cr.ID + "-index"
		if cr.CDXAPI != "" {
			// collinfo names the real host; a mirror given by --cc-index
			// keeps the index's name under its own base.
			if p, err := url.Parse(cr.CDXAPI); err == nil && p.Path != "" {
				api = b.opt.CCIndex + "/" + path.Base(p.Path)
			}
		}
		rows, err := b.eachHost(func(host string) ([]Capture, error) { return b.listCCHost(ctx, api, host) })
		if err != nil {
			return nil, err
		}
		all = append(all, rows...)
	}
	return all, nil
}

// ccWeek reads the year and week of a crawl id such as CC-MAIN-2019-04.
var ccWeek = regexp.MustCompile(`(\d{4})-(\d{2})$`)

// crawlInRange reports whether crawl id may hold captures between From
// and To; a crawl ran for about two weeks from the week its id names.
func (b *Backfill) crawlInRange(id string) bool {
	m := ccWeek.FindStringSubmatch(id)
	if m == nil {
		return true
	}
	year, _ := strconv.Atoi(m[1])
	week, _ := strconv.Atoi(m[2])
	start := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 7*(week-1)-7)
	end := start.AddDate(0, 0, 35)
	return (b.opt.To.IsZero() || !start.After(b.opt.To)) && (b.opt.From.IsZero() || !end.Before(b.opt.From))
}

// listCCHost reads every page of one crawl's index for host.
func (b *Backfill) listCCHost(ctx context.Context, api, host string) ([]Capture, error) {
	return b.listByPage(ctx, api, b.hostQuery(host))
}

// fetchCC fetches the WARC record of capture c with a Range request.
func (b *Backfill) fetchCC(ctx context.Context, c Capture) (*Fetched, string, error) {
	if c.Filename == "" || c.Length <= 0 || c.Offset < 0 {
		return nil, "the index row names no record (filename, offset, length)", nil
	}
	if c.Length > b.opt.MaxBytes {
		return nil, fmt.Sprintf("the record is %d bytes, more than %d", c.Length, b.opt.MaxBytes), nil
	}
	u := b.opt.CCData + "/" + c.Filename
	end := c.Offset + c.Length - 1
	h := http.Header{"Range": {fmt.Sprintf("bytes=%d-%d", c.Offset, end)}}
	rep, err := b.c.get(ctx, u, h, c.Length)
	if err != nil {
		return nil, "", err
	}
	switch {
	case rep.status == http.StatusPartialContent:
	case rep.status == http.StatusOK && c.Offset == 0 && int64(len(rep.body)) == c.Length && !rep.truncated:
		// A server without ranges sent the whole file, which is the record.
	case rep.status == http.StatusNotFound || rep.status == http.StatusRequestedRangeNotSatisfiable:
		return nil, fmt.Sprintf("the data server answers %d for the record", rep.status), nil
	default:
		return nil, "", fmt.Errorf("backfill: %s %s: %d %s", u, h.Get("Range"), rep.status, http.StatusText(rep.status))
	}
	if int64(len(rep.body)) != c.Length {
		return nil, "", fmt.Errorf("backfill: %s %s: %d bytes, want %d", u, h.Get("Range"), len(rep.body), c.Length)
	}
	if !bytes.HasPrefix(rep.body, []byte{0x1f, 0x8b}) {
		return nil, "the record is not a gzip member", nil
	}
	article, _ := b.opt.Identity.Article(c.URL)
	return &Fetched{
		Capture: c, URL: c.URL, Time: c.Time, Article: article,
		Record: rep.body, Source: CommonCrawl,
		SourceURL: oneToken(fmt.Sprintf("%s#bytes=%d-%d", u, c.Offset, end)),
	}, "", nil
}
