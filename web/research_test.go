package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"html"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/warta-id/warta/index"
)

// The test searchers of ui_test.go compare as they search.

func (blockingSearcher) Compare(ctx context.Context, req index.CompareRequest) (*index.Comparison, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func (g gatedSearcher) Compare(ctx context.Context, req index.CompareRequest) (*index.Comparison, error) {
	select {
	case <-g.gate:
		return &index.Comparison{}, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (l lateSearcher) Compare(ctx context.Context, req index.CompareRequest) (*index.Comparison, error) {
	return l.idx.Compare(ctx, req)
}

// They list a search's hits as they search.

func (blockingSearcher) Each(ctx context.Context, req index.Request, fn func(index.Hit) error) error {
	<-ctx.Done()
	return ctx.Err()
}

func (g gatedSearcher) Each(ctx context.Context, req index.Request, fn func(index.Hit) error) error {
	select {
	case <-g.gate:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (l lateSearcher) Each(ctx context.Context, req index.Request, fn func(index.Hit) error) error {
	return l.idx.Each(ctx, req, fn)
}

func TestAPICounts(t *testing.T) {
	f := newFixture(t, nil)
	rec := f.get(t, "/api/counts?q=banjir&q=tambang&by=year&normalize=share")
	if rec.Code != 200 {
		t.Fatalf("/api/counts = %d %s", rec.Code, rec.Body)
	}
	var c index.Comparison
	if err := json.Unmarshal(rec.Body.Bytes(), &c); err != nil {
		t.Fatal(err)
	}
	if c.By != "year" || c.Normalize != "share" || len(c.Series) != 2 || len(c.All) != len(c.Periods) || c.Series[0].Query != "banjir" {
		t.Fatalf("/api/counts = %+v", c)
	}
	for _, s := range c.Series {
		for j, n := range s.Counts {
			if n > c.All[j] || (c.All[j] > 0 && s.Shares[j] != float64(n)/float64(c.All[j])) {
				t.Errorf("series %q period %s: %d of %d, share %f", s.Query, c.Periods[j], n, c.All[j], s.Shares[j])
			}
		}
	}
	rec = f.get(t, "/api/counts?q=banjir&q=tambang&by=year&format=csv")
	rows, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil || len(rows) < 2 || strings.Join(rows[0], ",") != "year,banjir,tambang" {
		t.Errorf("/api/counts CSV: %v %q", err, rows)
	}
	for _, bad := range []string{"", "?q=a&q=b&q=c&q=d&q=e&q=f", "?q=banjir&by=fortnight", "?q=banjir&normalize=log", "?q=banjir&q=(oops"} {
		if rec := f.get(t, "/api/counts"+bad); rec.Code != 400 {
			t.Errorf("/api/counts%s = %d, want 400", bad, rec.Code)
		}
	}
	if rec := f.get(t, "/api/counts?q=banjir&q=(oops"); !strings.Contains(rec.Body.String(), "query 2") {
		t.Errorf("bad second query: %s, want it named", rec.Body)
	}
}

func TestComparePageAndSVG(t *testing.T) {
	f := newFixture(t, nil)
	rec := f.get(t, "/compare?q=banjir&q=tambang&by=month&normalize=share&lang=en")
	body := rec.Body.String()
	if rec.Code != 200 || strings.Count(body, `class="series"`) != 4 || !strings.Contains(body, "compare-csv") || !strings.Contains(body, "compare-svg") {
		t.Fatalf("/compare = %d; want two series in two charts (wide, narrow) and CSV and SVG links:\n%s", rec.Code, body)
	}
	if len(unsafeHTML(t, body)) > 0 {
		t.Errorf("compare page: %v", unsafeHTML(t, body))
	}
	// Y ticks as percentages.
	if !regexp.MustCompile(`class="ylab"[^>]*>\d+(\.\d)?%<`).MatchString(body) {
		t.Errorf("share chart has no percentage ticks")
	}
	rec = f.get(t, "/compare.svg?q=banjir&q=tambang&by=month")
	if ct := rec.Header().Get("Content-Type"); rec.Code != 200 || !strings.HasPrefix(ct, "image/svg+xml") || !strings.Contains(rec.Body.String(), `xmlns="http://www.w3.org/2000/svg"`) {
		t.Errorf("/compare.svg = %d %s", rec.Code, ct)
	}
	// The file for a paper names its lines itself; the page names them
	// once, under the chart, with links.
	if n := strings.Count(rec.Body.String(), `class="legend"`); n != 2 {
		t.Errorf("/compare.svg has %d legend entries, want 2", n)
	}
	if n := strings.Count(body, `<text class="legend"`); n != 0 {
		t.Errorf("/compare page draws %d legend entries inside its charts, want none (the HTML legend names the lines)", n)
	}
	// A hostile query stays text.
	rec = f.get(t, "/compare?q="+url.QueryEscape(`"<script>alert(1)</script>"`))
	if strings.Contains(rec.Body.String(), "<script>alert(1)") {
		t.Errorf("compare page echoes a script")
	}
}

func TestNiceTicksAndStride(t *testing.T) {
	for _, tt := range []struct {
		top  float64
		want []float64
	}{{7, []float64{0, 2, 4, 6, 8}}, {100, []float64{0, 50, 100}}, {0.37, []float64{0, 0.1, 0.2, 0.3, 0.4}}, {1, []float64{0, 0.5, 1}}, {0, []float64{0, 1}}} {
		got := niceTicks(tt.top, 4)
		ok := len(got) == len(tt.want)
		for i := range got {
			ok = ok && math.Abs(got[i]-tt.want[i]) < 1e-9
		}
		if !ok {
			t.Errorf("niceTicks(%v) = %v, want %v", tt.top, got, tt.want)
		}
	}
	// 48 monthly bars of 15 units, labels of 8 characters: a label every
	// few bars, never wider than the bars it stands over.
	if s := labelStride(48, 15, 8); float64(s)*15 < 8*6.2 || s > 6 {
		t.Errorf("labelStride(48, 15, 8) = %d", s)
	}
}

func TestBreakdownsAndCategoryList(t *testing.T) {
	f := newFixture(t, nil)
	body := f.get(t, "/?lang=en").Body.String()
	for _, want := range []string{`id="facet-category"`, `id="facet-site"`, `id="facet-place"`, `<select name="category" id="category">`,
		`<option value="Kabar Pemerintah">Kabar Pemerintah (1)</option>`, index.FieldNames(), `class="ylab"`, `class="tick"`} {
		if !strings.Contains(body, want) {
			t.Errorf("search page lacks %q", want)
		}
	}
	// Each breakdown link narrows the search to its count.
	links := regexp.MustCompile(`<li(?: class="active")?><a href="([^"]+)" title="[^"]*">[^<]*</a> <span class="n">(\d+)</span>`).FindAllStringSubmatch(body, -1)
	if len(links) < 4 {
		t.Fatalf("%d breakdown links, want some per facet", len(links))
	}
	for _, m := range links {
		u, err := url.Parse(html.UnescapeString(m[1]))
		if err != nil {
			t.Fatal(err)
		}
		var res index.Result
		mustJSON(t, f.get(t, "/api/search?"+u.RawQuery).Body.Bytes(), &res)
		if itoa(res.Total) != m[2] {
			t.Errorf("breakdown link %s: %d hits, the breakdown said %s", u, res.Total, m[2])
		}
	}
	// Titles are highlighted like snippets.
	body = f.get(t, "/?q=banjir").Body.String()
	if !strings.Contains(body, "<mark>Banjir</mark> Rendam") {
		t.Errorf("the hit title is not highlighted")
	}
}

func TestTimesInTheSiteZone(t *testing.T) {
	f := newFixture(t, nil)
	body := f.get(t, "/articles/"+idBanjir+"?lang=en").Body.String()
	// Fetched at 09:00 UTC: 16:00 in Sawahlunto.
	if !strings.Contains(body, "16:00 WIB") || strings.Contains(body, "UTC") {
		t.Errorf("article page: want the fetch time as 16:00 WIB and no UTC time")
	}
}

// fakeRunner is a scheduler that runs nothing: it notes what it was asked.
type fakeRunner struct {
	running map[string]bool
	asked   []string
}

func (f *fakeRunner) RunNow(site string) error {
	f.asked = append(f.asked, site)
	f.running[site] = true
	return nil
}

func (f *fakeRunner) Running(site string) bool { return f.running[site] }

func TestCrawlNow(t *testing.T) {
	fr := &fakeRunner{running: map[string]bool{}}
	f := newFixture(t, func(o *Options) { o.Runner = fr })
	body := f.get(t, "/status?lang=en").Body.String()
	m := regexp.MustCompile(`name="token" value="([0-9a-f]+)"`).FindStringSubmatch(body)
	if m == nil || !strings.Contains(body, `id="run-kota"`) {
		t.Fatalf("status page has no crawl-now form with a token:\n%s", body)
	}
	post := func(form url.Values, header ...string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/status/run", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		rec := httptest.NewRecorder()
		f.srv.ServeHTTP(rec, req)
		return rec
	}
	if rec := post(url.Values{"site": {"kota"}, "token": {"forged"}}); rec.Code != http.StatusForbidden {
		t.Errorf("POST with a forged token = %d, want 403", rec.Code)
	}
	if rec := post(url.Values{"site": {"kota"}, "token": {m[1]}}, "Sec-Fetch-Site", "cross-site"); rec.Code != http.StatusForbidden {
		t.Errorf("POST from another site = %d, want 403", rec.Code)
	}
	if len(fr.asked) != 0 {
		t.Fatalf("refused posts started crawls: %v", fr.asked)
	}
	rec := post(url.Values{"site": {"kota"}, "token": {m[1]}}, "Sec-Fetch-Site", "same-origin")
	if rec.Code != http.StatusSeeOther || len(fr.asked) != 1 || fr.asked[0] != "kota" {
		t.Fatalf("POST crawl now = %d, asked %v; want 303 and kota started", rec.Code, fr.asked)
	}
	// While it runs: the button is disabled and a second POST refused.
	body = f.get(t, strings.Split(rec.Header().Get("Location"), "#")[0]).Body.String()
	if !regexp.MustCompile(`id="run-kota" disabled`).MatchString(body) || !strings.Contains(body, `id="started-kota"`) {
		t.Errorf("status page while kota's crawl runs: want a disabled button and a notice:\n%s", body)
	}
	if rec := post(url.Values{"site": {"kota"}, "token": {m[1]}}); rec.Code != http.StatusConflict || len(fr.asked) != 1 {
		t.Errorf("POST while the crawl runs = %d (asked %v), want 409", rec.Code, fr.asked)
	}
	// Without a scheduler there is no button and no endpoint.
	g := newFixture(t, nil)
	if strings.Contains(g.get(t, "/status").Body.String(), "/status/run") {
		t.Errorf("status page without a scheduler shows a crawl-now form")
	}
	req := httptest.NewRequest(http.MethodPost, "/status/run", strings.NewReader("site=kota"))
	rr := httptest.NewRecorder()
	g.srv.ServeHTTP(rr, req)
	if rr.Code != http.StatusNotFound {
		t.Errorf("POST /status/run without a scheduler = %d, want 404", rr.Code)
	}
}
