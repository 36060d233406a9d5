package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/warta-id/warta/diff"
	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/index"
)

func TestAPISearch(t *testing.T) {
	f := newFixture(t, nil)
	tests := []struct {
		name    string
		params  string
		wantIDs []string // in order
		total   uint64
		counts  []index.Bucket
	}{
		{"word", "q=banjir", []string{idBanjir}, 1, nil},
		{"stem", "q=rendam", []string{idBanjir}, 1, nil},
		{"place name", "q=talawi&sort=date", []string{idHostile, idBanjir}, 2, nil},
		{"every article by date", "sort=date", []string{idHostile, idTambang, idBanjir}, 3, nil},
		{"paging", "sort=date&limit=1&offset=1", []string{idTambang}, 3, nil},
		{"date range", "sort=date&from=2022-01-01&to=2022-03-01", []string{idTambang}, 1, nil},
		{"month", "sort=date&from=2022-03&to=2022-03", []string{idHostile, idTambang}, 2, nil},
		{"site", "site=kota&q=ombilin", []string{idTambang}, 1, nil},
		{"other site", "site=padang&q=ombilin", []string{}, 0, nil},
		{"category", "category=Kabar+Pemerintah", []string{idBanjir}, 1, nil},
		{"category and words", "q=ombilin&category=Kabar+Pemerintah", []string{}, 0, nil},
		{"category with quotes", `category=a"b\`, []string{}, 0, nil},
		{"counts", "counts=year&sort=date", []string{idHostile, idTambang, idBanjir}, 3,
			[]index.Bucket{{Key: "2021", Count: 1}, {Key: "2022", Count: 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := f.get(t, "/api/search?"+tt.params)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET /api/search?%s: status %d, want 200; body %s", tt.params, rec.Code, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type = %q, want application/json", ct)
			}
			var res index.Result
			if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
				t.Fatalf("response is not a search result: %v", err)
			}
			var ids []string
			for _, h := range res.Hits {
				ids = append(ids, h.ID)
			}
			if ids == nil {
				ids = []string{}
			}
			if !slices.Equal(ids, tt.wantIDs) {
				t.Errorf("hits = %v, want %v", ids, tt.wantIDs)
			}
			if res.Total != tt.total {
				t.Errorf("total = %d, want %d", res.Total, tt.total)
			}
			if tt.counts != nil && !slices.Equal(res.Counts.Buckets, tt.counts) {
				t.Errorf("counts = %v, want %v", res.Counts.Buckets, tt.counts)
			}
			if !strings.Contains(rec.Body.String(), `"hits": [`) {
				t.Errorf("body has no hits list: %s", rec.Body)
			}
		})
	}
}

func TestAPISearchBadParams(t *testing.T) {
	f := newFixture(t, nil)
	tests := []struct {
		name   string
		params string
		param  string
		column int // of a query syntax error; 0 = none
		inMsg  string
	}{
		{"query too long", "q=" + strings.Repeat("a", MaxQueryLen+1), "q", 0, "too long"},
		{"unclosed paren", "q=" + url.QueryEscape("(banjir"), "q", 8, "column 8"},
		{"unclosed paren with category", "q=" + url.QueryEscape("(banjir") + "&category=Pariwisata", "q", 8, "column 8"},
		{"leading wildcard", "q=" + url.QueryEscape("banjir *a*"), "q", 8, "two letters"},
		{"dangling operator", "q=" + url.QueryEscape("banjir AND"), "q", 11, "column 11"},
		{"wildcard DFA", "q=" + url.QueryEscape("banjir sa"+strings.Repeat("*a", 150)), "q", 8, "at most 4"},
		{"nested too deep", "q=" + strings.Repeat("(", 101) + "a" + strings.Repeat(")", 101), "q", 101, "nested more than 100"},
		{"limit past int", "limit=100000000000000000000000", "limit", 0, "not a whole number"},
		{"limit too big", "limit=101", "limit", 0, "out of range"},
		{"limit zero", "limit=0", "limit", 0, "out of range"},
		{"limit not a number", "limit=ten", "limit", 0, "not a whole number"},
		{"negative offset", "offset=-1", "offset", 0, "out of range"},
		{"offset too deep", "offset=10001", "offset", 0, "out of range"},
		{"sort", "sort=random", "sort", 0, "want relevance or date"},
		{"from not a date", "from=kemarin", "from", 0, "not a date"},
		{"to not a date", "to=2021-13-01", "to", 0, "not a date"},
		{"range backwards", "from=2022-01-01&to=2021-01-01", "to", 0, "before it starts"},
		{"from before 1678", "from=1600-01-01", "from", 0, "outside the dates"},
		{"to after 2262", "to=2300", "to", 0, "outside the dates"},
		{"from instant before 1678", "from=" + url.QueryEscape("0001-01-01T00:00:00Z"), "from", 0, "outside the dates"},
		{"counts", "counts=week", "counts", 0, "want day, month, year or site"},
		{"site with a path", "site=" + url.QueryEscape("../etc"), "site", 0, "not a site name"},
		{"category too long", "category=" + strings.Repeat("k", 201), "category", 0, "too long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := f.get(t, "/api/search?"+tt.params)
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400; body %s", rec.Code, rec.Body)
			}
			var e apiError
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
				t.Fatalf("400 body is not a JSON error: %v: %s", err, rec.Body)
			}
			if e.Param != tt.param {
				t.Errorf("param = %q, want %q (error %q)", e.Param, tt.param, e.Error)
			}
			if !strings.Contains(e.Error, tt.inMsg) {
				t.Errorf("error = %q, want it to contain %q", e.Error, tt.inMsg)
			}
			if e.Column != tt.column {
				t.Errorf("column = %d, want %d", e.Column, tt.column)
			}
			if tt.column > 0 && (e.Offset == nil || *e.Offset != tt.column-1) {
				t.Errorf("offset = %v, want %d", e.Offset, tt.column-1)
			}
		})
	}
}

func TestAPIArticles(t *testing.T) {
	f := newFixture(t, nil)
	tests := []struct {
		name   string
		path   string
		status int
		check  func(t *testing.T, body []byte)
	}{
		{"article", "/api/articles/" + idBanjir, 200, func(t *testing.T, body []byte) {
			var a extract.Article
			mustJSON(t, body, &a)
			if a.ID != idBanjir || !strings.Contains(a.Body, "puluhan") {
				t.Errorf("article = %s %q, want %s, latest body", a.ID, a.Body, idBanjir)
			}
		}},
		{"versions", "/api/articles/" + idBanjir + "/versions", 200, func(t *testing.T, body []byte) {
			var v versionsResponse
			mustJSON(t, body, &v)
			if len(v.Versions) != 2 || !v.Versions[1].Latest || v.Versions[0].N != 1 {
				t.Errorf("versions = %+v, want 2, the second the latest", v.Versions)
			}
			if v.Diff != nil {
				t.Errorf("diff = %+v without from and to, want none", v.Diff)
			}
		}},
		{"versions with diff", "/api/articles/" + idBanjir + "/versions?from=1&to=2", 200, func(t *testing.T, body []byte) {
			var v versionsResponse
			mustJSON(t, body, &v)
			if v.Diff == nil {
				t.Fatalf("no diff in %s", body)
			}
			var ins []string
			for _, op := range v.Diff.Ops {
				if op.Kind == diff.Insert {
					ins = append(ins, strings.TrimSpace(op.Text))
				}
			}
			if !slices.Equal(ins, []string{"puluhan"}) {
				t.Errorf("inserted = %q, want [puluhan]", ins)
			}
		}},
		{"one version", "/api/articles/" + idBanjir + "/versions/1", 200, func(t *testing.T, body []byte) {
			var a extract.Article
			mustJSON(t, body, &a)
			if strings.Contains(a.Body, "puluhan") {
				t.Errorf("version 1 body = %q, want the first text", a.Body)
			}
		}},
		{"unknown article", "/api/articles/kota-0123456789abcdef", 404, nil},
		{"unknown version", "/api/articles/" + idBanjir + "/versions/3", 404, nil},
		{"version zero", "/api/articles/" + idBanjir + "/versions/0", 400, nil},
		{"version not a number", "/api/articles/" + idBanjir + "/versions/x", 400, nil},
		{"diff out of range", "/api/articles/" + idBanjir + "/versions?from=1&to=9", 400, nil},
		{"diff half", "/api/articles/" + idBanjir + "/versions?from=1", 400, nil},
		{"traversal", "/api/articles/..%2F..%2Fetc%2Fpasswd", 400, nil},
		{"dots", "/api/articles/kota-..", 400, nil},
		{"not an id", "/api/articles/kota", 400, nil},
		{"unknown endpoint", "/api/nothing", 404, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := f.get(t, tt.path)
			if rec.Code != tt.status {
				t.Fatalf("GET %s: status %d, want %d; body %s", tt.path, rec.Code, tt.status, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type = %q, want application/json", ct)
			}
			if tt.status >= 400 {
				var e apiError
				if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error == "" {
					t.Errorf("error body = %s, want {\"error\": …}", rec.Body)
				}
			}
			if tt.check != nil {
				tt.check(t, rec.Body.Bytes())
			}
		})
	}
}

func TestAPISitesAndHealth(t *testing.T) {
	f := newFixture(t, nil)
	rec := f.get(t, "/api/sites")
	if rec.Code != 200 {
		t.Fatalf("GET /api/sites: status %d, want 200", rec.Code)
	}
	var sites struct {
		Sites []siteStatus `json:"sites"`
	}
	mustJSON(t, rec.Body.Bytes(), &sites)
	if len(sites.Sites) != 1 {
		t.Fatalf("sites = %+v, want one", sites.Sites)
	}
	s := sites.Sites[0]
	if s.Name != "kota" || s.Title != "Pemerintah Kota" || s.Articles != 3 {
		t.Errorf("site = %s %q %d articles, want kota %q 3", s.Name, s.Title, s.Articles, "Pemerintah Kota")
	}
	if s.LastRun == nil || s.LastRun.Status != "failed" || s.LastRun.Errors != 1 {
		t.Errorf("last run = %+v, want the failed one with 1 error", s.LastRun)
	}
	if s.LastSuccess == nil || s.LastSuccess.Hour() != 9 || s.LastSuccess.Minute() != 1 {
		t.Errorf("last success = %v, want 09:01:30 UTC", s.LastSuccess)
	}

	rec = f.get(t, "/healthz")
	var h struct {
		Status   string `json:"status"`
		Articles int    `json:"articles"`
	}
	mustJSON(t, rec.Body.Bytes(), &h)
	if rec.Code != 200 || h.Status != "ok" || h.Articles != 3 {
		t.Errorf("GET /healthz = %d %+v, want 200 ok 3", rec.Code, h)
	}
}

func mustJSON(t *testing.T, body []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("bad JSON: %v: %s", err, body)
	}
}
