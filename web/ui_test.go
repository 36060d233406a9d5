package web

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"golang.org/x/net/html"

	"github.com/warta-id/warta/export"
	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/index"
)

func TestSearchPage(t *testing.T) {
	f := newFixture(t, nil)
	tests := []struct {
		name    string
		target  string
		header  []string
		status  int
		want    []string // substrings of the page
		notWant []string
	}{
		{"home lists everything, Indonesian by default", "/", nil, 200,
			[]string{`<html lang="id">`, "<strong>3</strong> hasil", "Tambang Batubara Ombilin", `<svg viewBox=`, `aria-current="page">Cari</a>`},
			[]string{"Matching articles"}},
		{"highlighted snippet", "/?q=banjir", nil, 200,
			[]string{"<mark>Banjir</mark> merendam", "<strong>1</strong> hasil", `href="/articles/` + idBanjir + `"`},
			nil},
		{"English from Accept-Language", "/?q=banjir", []string{"Accept-Language", "en-GB,en;q=0.9,id;q=0.5"}, 200,
			[]string{`<html lang="en">`, "<strong>1</strong> result ", "Matching articles over time"}, nil},
		{"Indonesian preferred", "/", []string{"Accept-Language", "id-ID,id;q=0.9,en;q=0.8"}, 200,
			[]string{`<html lang="id">`}, nil},
		{"switch beats the header", "/?lang=id", []string{"Accept-Language", "en"}, 200,
			[]string{`<html lang="id">`}, nil},
		{"export links keep the search", "/?q=banjir&site=kota&offset=0", nil, 200,
			[]string{`href="/export?format=csv&amp;q=banjir&amp;site=kota"`, `href="/export?format=jsonl&amp;q=banjir&amp;site=kota"`}, nil},
		{"paging links", "/?sort=date&limit=1&offset=1", nil, 200,
			[]string{`rel="prev"`, `rel="next"`, `href="/?limit=1&amp;offset=2&amp;sort=date"`, "Menampilkan 2–2"}, nil},
		{"no match", "/?q=gempa", nil, 200, []string{"Tidak ada artikel yang cocok"}, []string{"<svg"}},
		{"syntax error points at the spot", "/?q=" + url.QueryEscape("banjir AND (talawi"), nil, 400,
			[]string{`role="alert"`, "column 19", `<pre class="caret">banjir AND (talawi<mark> </mark></pre>`}, nil},
		{"bad date", "/?from=kemarin", nil, 400, []string{`role="alert"`, "(from)"}, nil},
		{"date before 1678", "/?to=1600-01-01", nil, 400, []string{`role="alert"`, "(to)", "outside the dates"}, nil},
		{"leading wildcard", "/?q=" + url.QueryEscape("*a*"), nil, 400, []string{`role="alert"`, "column 1", "two letters"}, nil},
		{"hostile query is escaped", "/?q=" + url.QueryEscape(`x"><script>alert(1)</script>`), nil, 400,
			[]string{`value="x&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"`, `<pre class="caret">x<mark>&#34;</mark>&gt;&lt;script&gt;`}, []string{"<script>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := f.get(t, tt.target, tt.header...)
			body := rec.Body.String()
			if rec.Code != tt.status {
				t.Fatalf("GET %s: status %d, want %d", tt.target, rec.Code, tt.status)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(body, w) {
					t.Errorf("page has %q, want not", w)
				}
			}
			if bad := unsafeHTML(t, body); len(bad) > 0 {
				t.Errorf("page has unsafe HTML: %q", bad)
			}
			if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
				t.Errorf("CSP = %q, want default-src 'none'", csp)
			}
			if t.Failed() {
				t.Logf("page:\n%s", body)
			}
		})
	}
}

func TestLangSwitchSetsCookie(t *testing.T) {
	f := newFixture(t, nil)
	rec := f.get(t, "/status?lang=en")
	c := rec.Result().Cookies()
	if len(c) != 1 || c[0].Name != langCookie || c[0].Value != "en" {
		t.Fatalf("cookies = %v, want %s=en", c, langCookie)
	}
	rec = f.get(t, "/status", "Cookie", langCookie+"=en", "Accept-Language", "id")
	if !strings.Contains(rec.Body.String(), `<html lang="en">`) {
		t.Errorf("with the cookie: page is not English")
	}
	if !strings.Contains(rec.Body.String(), `href="/status?lang=id"`) {
		t.Errorf("page has no switch back to Indonesian")
	}
}

// TestChartBarsNarrowTheRange follows each bar of the chart and checks
// that it narrows the search to the bar's period and count.
func TestChartBarsNarrowTheRange(t *testing.T) {
	f := newFixture(t, nil)
	rec := f.get(t, "/?sort=date")
	doc, err := html.Parse(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	type bar struct{ href, title string }
	var bars []bar
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.Data == "a" && attr(n, "class") == "bar" {
			title := ""
			for d := range n.Descendants() {
				if d.Type == html.ElementNode && d.Data == "title" && d.FirstChild != nil {
					title = d.FirstChild.Data
				}
			}
			bars = append(bars, bar{attr(n, "href"), title})
		}
	}
	// The chart is drawn twice, for wide screens and for phones, with
	// the same bars.
	if half := len(bars) / 2; len(bars)%2 == 0 && slices.Equal(bars[:half], bars[half:]) {
		bars = bars[:half]
	}
	// Dec 2021 to Mar 2022: four months, two of them empty.
	if len(bars) != 4 {
		t.Fatalf("chart has %d bars, want 4 (Des 2021 to Mar 2022): %v", len(bars), bars)
	}
	wantTitles := []string{"Des 2021: 1", "Jan 2022: 0", "Feb 2022: 0", "Mar 2022: 2"}
	for i, b := range bars {
		t.Run(wantTitles[i], func(t *testing.T) {
			if b.title != wantTitles[i] {
				t.Errorf("bar %d title = %q, want %q", i, b.title, wantTitles[i])
			}
			u, err := url.Parse(b.href)
			if err != nil {
				t.Fatal(err)
			}
			want := strings.TrimPrefix(wantTitles[i][strings.Index(wantTitles[i], ":"):], ": ")
			api := f.get(t, "/api/search?"+u.RawQuery)
			var res index.Result
			mustJSON(t, api.Body.Bytes(), &res)
			if got := res.Total; want != "" && itoa(got) != want {
				t.Errorf("following %s: %d hits, want %s", b.href, got, want)
			}
			if u.Query().Get("from") == "" || u.Query().Get("to") == "" {
				t.Errorf("bar link %s sets no date range", b.href)
			}
		})
	}
	// In one month the chart shows days.
	rec = f.get(t, "/?from=2022-03-01&to=2022-03-31")
	if !strings.Contains(rec.Body.String(), "<title>1 Mar 2022: 1</title>") || !strings.Contains(rec.Body.String(), "<title>15 Mar 2022: 1</title>") {
		t.Errorf("a one-month search does not chart days")
	}
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }

func listenLocal() (net.Listener, error) { return net.Listen("tcp", "127.0.0.1:0") }

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func TestArticlePage(t *testing.T) {
	f := newFixture(t, nil)
	rec := f.get(t, "/articles/"+idBanjir)
	if rec.Code != 200 {
		t.Fatalf("status %d, want 200", rec.Code)
	}
	body := rec.Body.String()
	imgReplay := "/replay?url=" + url.QueryEscape(urlImage)
	for _, w := range []string{
		"<h1>Banjir Rendam Rumah Warga di Talawi</h1>",
		"<p>SAWAHLUNTO – Banjir merendam puluhan rumah warga di Talawi.</p>",
		"<p>BPBD menyalurkan bantuan.</p>",
		"23 Desember 2021 09:15 WIB",
		"<code>json-ld</code>",
		`<a href="/?category=Kabar%20Pemerintah">Kabar Pemerintah</a>`,
		`<a href="` + urlBanjir + `" rel="noreferrer noopener nofollow">`,
		`<img src="` + strings.ReplaceAll(imgReplay, "&", "&amp;") + `" alt="banjir"`,
		"<figcaption>Warga membersihkan lumpur</figcaption>",
		"<figcaption>Posko bantuan</figcaption>",
		"gambar tidak ada di arsip",
		"<ins>puluhan </ins>",
		"<iframe sandbox src=\"/replay?at=20261129090000&amp;url=" + url.QueryEscape(urlBanjir) + "\"",
	} {
		if !strings.Contains(body, w) {
			t.Errorf("article page lacks %q", w)
		}
	}
	if n := strings.Count(body, "<figure>"); n != 2 {
		t.Errorf("gallery has %d figures, want 2", n)
	}
	if bad := unsafeHTML(t, body); len(bad) > 0 {
		t.Errorf("article page has unsafe HTML: %q", bad)
	}
	if t.Failed() {
		t.Logf("page:\n%s", body)
	}

	for _, tt := range []struct {
		path   string
		status int
	}{
		{"/articles/kota-0123456789abcdef", 404},
		{"/articles/..%2F..%2Farticles", 400},
		{"/articles/kota-XYZ", 400},
		{"/nothing/here", 404},
	} {
		t.Run(tt.path, func(t *testing.T) {
			rec := f.get(t, tt.path)
			if rec.Code != tt.status {
				t.Errorf("GET %s: status %d, want %d", tt.path, rec.Code, tt.status)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("GET %s: Content-Type %q, want an HTML error page", tt.path, ct)
			}
		})
	}
}

// TestHostileArticle checks that an article whose fields carry markup is
// shown as text: nothing of it becomes an element or attribute.
func TestArticlePageVersionSources(t *testing.T) {
	f := newFixture(t, nil)
	body := f.get(t, "/articles/"+idBanjir).Body.String()
	for _, w := range []string{
		`<a href="https://web.archive.org/web/20261128090000id_/` + urlBanjir + `" target="_blank" rel="noopener noreferrer">wayback · web.archive.org</a>`,
		"dari arsip web",
		"dari perayapan warta",
	} {
		if !strings.Contains(body, w) {
			t.Errorf("article page lacks the version source %q", w)
		}
	}
	hostile := f.get(t, "/articles/"+idHostile).Body.String()
	if strings.Contains(hostile, "alert(15)</script>") || strings.Contains(hostile, "javascript:alert(16)") {
		t.Errorf("a hostile version source reached the page unescaped")
	}
}

func TestHostileArticle(t *testing.T) {
	f := newFixture(t, nil)
	pages := []string{"/articles/" + idHostile, "/?q=talawi", "/?q=talawi&lang=en", "/status"}
	for _, p := range pages {
		t.Run(p, func(t *testing.T) {
			rec := f.get(t, p)
			if rec.Code != 200 {
				t.Fatalf("status %d, want 200", rec.Code)
			}
			body := rec.Body.String()
			if bad := unsafeHTML(t, body); len(bad) > 0 {
				t.Errorf("unsafe HTML: %q", bad)
			}
			for _, raw := range []string{"<script>", "<svg onload", "<b onmouseover", "<i onclick", "<img src=x"} {
				if strings.Contains(body, raw) {
					t.Errorf("page contains %q unescaped", raw)
				}
			}
		})
	}
	body := f.get(t, "/articles/"+idHostile).Body.String()
	if !strings.Contains(body, "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt; Berita talawi") {
		t.Errorf("hostile title not shown escaped as text")
	}
	// A javascript: image URL is neither a link nor an image.
	if strings.Contains(body, "alert(11)") && !strings.Contains(body, "gambar tidak ada di arsip") {
		t.Errorf("javascript: image URL was used")
	}
}

func TestReplay(t *testing.T) {
	// A live server standing for the original site: replay must never
	// reach it.
	var live atomic.Int64
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		live.Add(1)
		w.Write([]byte("live"))
	}))
	defer origin.Close()
	f := newFixture(t, nil)
	tests := []struct {
		name     string
		target   string
		status   int
		ctype    string
		want     []string
		notWant  []string
		checkDoc bool
	}{
		{"latest capture", "/replay?url=" + url.QueryEscape(urlBanjir), 200, "text/html; charset=utf-8",
			[]string{"versi dua"}, []string{"versi satu"}, true},
		{"capture nearest a time", "/replay?url=" + url.QueryEscape(urlBanjir) + "&at=20261128090000", 200, "text/html; charset=utf-8",
			[]string{"versi satu", `src="/replay?at=20261128090000&amp;url=` + url.QueryEscape(urlImage) + `"`}, []string{"versi dua"}, true},
		{"hostile page sanitized", "/replay?url=" + url.QueryEscape(urlHostile), 200, "text/html; charset=utf-8",
			[]string{"Judul berbahaya", "tautan", `href="/replay?at=20261128090000&amp;url=` + url.QueryEscape("https://kota.example/baca/lain") + `"`, "gaya",
				`<link rel="stylesheet" href="/replay?at=20261128090000&amp;url=` + url.QueryEscape("https://kota.example/style.css") + `"`,
				`style="background:url(&#34;/replay?at=20261128090000&amp;url=` + url.QueryEscape("https://evil.example/track.png") + `&#34;)"`},
			[]string{`alert("xss")`, "alert(3)", "alert(4)", "alert(5)", "alert(6)", "alert(7)", "alert(8)", "alert(9)", "stolen", "https://evil.example", "//evil.example", "javascript:", "onerror", "onload", "<iframe", "<form", "<object", "<meta http-equiv"}, true},
		{"image", "/replay?url=" + url.QueryEscape(urlImage), 200, "image/png", nil, nil, false},
		{"feed as text", "/replay?url=" + url.QueryEscape("https://kota.example/feed/"), 200, "text/plain; charset=utf-8", []string{"<rss>"}, nil, false},
		{"not archived", "/replay?url=" + url.QueryEscape(origin.URL+"/secret"), 404, "text/plain; charset=utf-8", nil, []string{"live"}, false},
		{"missing url", "/replay", 400, "text/plain; charset=utf-8", nil, nil, false},
		{"relative url", "/replay?url=/etc/passwd", 400, "text/plain; charset=utf-8", nil, nil, false},
		{"file url", "/replay?url=" + url.QueryEscape("file:///etc/passwd"), 400, "text/plain; charset=utf-8", nil, nil, false},
		{"javascript url", "/replay?url=" + url.QueryEscape("javascript:alert(1)"), 400, "text/plain; charset=utf-8", nil, nil, false},
		{"url too long", "/replay?url=" + url.QueryEscape("https://kota.example/"+strings.Repeat("a", maxURLLen)), 400, "text/plain; charset=utf-8", nil, nil, false},
		{"header injection", "/replay?url=" + url.QueryEscape("https://kota.example/\r\nX-Evil: 1"), 400, "text/plain; charset=utf-8", nil, nil, false},
		{"bad time", "/replay?url=" + url.QueryEscape(urlBanjir) + "&at=yesterday", 400, "text/plain; charset=utf-8", nil, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := f.get(t, tt.target)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d; body %s", rec.Code, tt.status, rec.Body)
			}
			h := rec.Header()
			csp := h.Get("Content-Security-Policy")
			if !strings.HasPrefix(csp, "sandbox;") || strings.Contains(csp, "allow-") {
				t.Errorf("CSP = %q, want sandbox without allow- tokens", csp)
			}
			if !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
				t.Errorf("CSP = %q, want default-src 'none' and no script source", csp)
			}
			if h.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q, want nosniff", h.Get("X-Content-Type-Options"))
			}
			if ct := h.Get("Content-Type"); ct != tt.ctype {
				t.Errorf("Content-Type = %q, want %q", ct, tt.ctype)
			}
			body := rec.Body.String()
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("replay lacks %q", w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(body, w) {
					t.Errorf("replay contains %q", w)
				}
			}
			if tt.checkDoc {
				if bad := unsafeHTML(t, body); len(bad) > 0 {
					t.Errorf("replay has unsafe HTML: %q", bad)
				}
			}
			if t.Failed() {
				t.Logf("body:\n%s", body)
			}
		})
	}
	if !bytes.Equal(f.get(t, "/replay?url="+url.QueryEscape(urlImage)).Body.Bytes(), testPNG(t)) {
		t.Errorf("replayed image differs from the archived one")
	}
	if n := live.Load(); n != 0 {
		t.Errorf("replay made %d requests to the live site, want 0", n)
	}
}

func TestExport(t *testing.T) {
	f := newFixture(t, func(o *Options) { o.MaxExport = 2 })
	t.Run("csv", func(t *testing.T) {
		rec := f.get(t, "/export?format=csv&q=talawi&sort=date")
		if rec.Code != 200 {
			t.Fatalf("status %d, want 200: %s", rec.Code, rec.Body)
		}
		if ct := rec.Header().Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Errorf("Content-Type = %q, want text/csv", ct)
		}
		if cd := rec.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment; filename=\"warta-export-") {
			t.Errorf("Content-Disposition = %q, want an attachment", cd)
		}
		rows, err := csv.NewReader(rec.Body).ReadAll()
		if err != nil {
			t.Fatalf("export is not CSV: %v", err)
		}
		if len(rows) != 3 || strings.Join(rows[0], ",") != strings.Join(export.CSVColumns, ",") {
			t.Fatalf("rows = %d (header %v), want header + 2", len(rows), rows[0])
		}
		if rows[1][0] != idHostile || rows[2][0] != idBanjir {
			t.Errorf("ids = %s, %s, want %s, %s", rows[1][0], rows[2][0], idHostile, idBanjir)
		}
	})
	t.Run("jsonl limited", func(t *testing.T) {
		rec := f.get(t, "/export?format=jsonl&sort=date")
		if rec.Code != 200 {
			t.Fatalf("status %d, want 200", rec.Code)
		}
		if got := rec.Header().Get("X-Warta-Total"); got != "3" {
			t.Errorf("X-Warta-Total = %q, want 3", got)
		}
		var ids []string
		sc := bufio.NewScanner(rec.Body)
		for sc.Scan() {
			var a extract.Article
			mustJSON(t, sc.Bytes(), &a)
			ids = append(ids, a.ID)
		}
		if strings.Join(ids, " ") != idHostile+" "+idTambang {
			t.Errorf("exported %v, want the first 2 of 3 (MaxExport 2)", ids)
		}
	})
	for _, bad := range []string{"/export?format=xml", "/export?format=csv&q=" + url.QueryEscape("(a"), "/export?format=csv&to=x"} {
		t.Run(bad, func(t *testing.T) {
			rec := f.get(t, bad)
			var e apiError
			if rec.Code != 400 || json.Unmarshal(rec.Body.Bytes(), &e) != nil || e.Error == "" {
				t.Errorf("GET %s = %d %s, want a 400 JSON error", bad, rec.Code, rec.Body)
			}
		})
	}
}

func TestStatusPage(t *testing.T) {
	f := newFixture(t, nil)
	body := f.get(t, "/status").Body.String()
	for _, w := range []string{
		"Pemerintah Kota <small>(kota)</small>",
		`<a href="/?site=kota">3 Artikel</a>`,
		"Sukses terakhir: 28 November 2026 16:01 WIB",
		`<span class="st st-failed">failed</span>`,
		`<span class="st st-ok">ok</span>`,
		"connection refused",
		"<td>90 s</td>", "<td>3.0 s</td>",
	} {
		if !strings.Contains(body, w) {
			t.Errorf("status page lacks %q", w)
		}
	}
	if t.Failed() {
		t.Logf("page:\n%s", body)
	}
}

func TestMetrics(t *testing.T) {
	f := newFixture(t, nil)
	rec := f.get(t, "/metrics")
	if rec.Code != 200 {
		t.Fatalf("status %d, want 200", rec.Code)
	}
	body := rec.Body.String()
	for _, w := range []string{
		`warta_pages_fetched_total{site="kota",status="200"} 11`,
		`warta_pages_fetched_total{site="kota",status="404"} 2`,
		`warta_articles_archived_total{site="kota"} 4`,
		`warta_crawl_errors_total{site="kota"} 3`,
		`warta_runs_total{site="kota",status="ok"} 1`,
		`warta_runs_total{site="kota",status="failed"} 1`,
		`warta_run_duration_seconds_count{site="kota"} 2`,
		`warta_run_duration_seconds_sum{site="kota"} 93`,
		`warta_run_duration_seconds_bucket{site="kota",le="5"} 1`,
		`warta_run_duration_seconds_bucket{site="kota",le="120"} 2`,
		`warta_last_success_timestamp_seconds{site="kota"} 1.79585649e+09`,
		`warta_articles_indexed{site="kota"} 3`,
		`warta_index_up 1`,
		`# TYPE warta_pages_fetched_total counter`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, w) {
			t.Errorf("metrics lack %q", w)
		}
	}
	if t.Failed() {
		t.Logf("metrics:\n%s", body)
	}
}

// blockingSearcher answers only when its context is done.
type blockingSearcher struct{}

func (blockingSearcher) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func TestHandlersTimeOut(t *testing.T) {
	f := newFixture(t, nil)
	synctest.Test(t, func(t *testing.T) {
		srv, err := New(Options{Searcher: blockingSearcher{}, Articles: f.store, Captures: f.store, Timeout: 3 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			path   string
			status int
		}{
			{"/api/search?q=banjir", http.StatusServiceUnavailable},
			{"/?q=banjir", http.StatusServiceUnavailable},
			{"/healthz", http.StatusServiceUnavailable},
		} {
			start := time.Now()
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, httptest.NewRequest("GET", tt.path, nil))
			if rec.Code != tt.status {
				t.Errorf("GET %s: status %d, want %d", tt.path, rec.Code, tt.status)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("GET %s answered after %v, want the 3s timeout at most", tt.path, d)
			}
		}
	})
}

func TestMiscRoutes(t *testing.T) {
	f := newFixture(t, nil)
	rec := f.get(t, "/static/style.css")
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/css") {
		t.Errorf("GET /static/style.css = %d %q, want 200 text/css", rec.Code, rec.Header().Get("Content-Type"))
	}
	if rec := f.get(t, "/static/"); rec.Code != 404 {
		t.Errorf("GET /static/ = %d, want 404 (no listing)", rec.Code)
	}
	req := httptest.NewRequest(http.MethodPost, "/api/search", strings.NewReader("q=x"))
	rec = httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /api/search = %d, want 405", rec.Code)
	}
	if _, err := New(Options{}); err == nil {
		t.Errorf("New(Options{}) = nil error, want one naming the missing sources")
	}
}

func TestServeShutsDown(t *testing.T) {
	f := newFixture(t, nil)
	ln, err := listenLocal()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.srv.Serve(ctx, ln, nil) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	if err != nil {
		t.Fatalf("GET /healthz: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("GET /healthz = %d, want 200", resp.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve after cancel = %v, want nil", err)
	}
	if _, err := http.Get("http://" + ln.Addr().String() + "/healthz"); err == nil {
		t.Errorf("server still answers after shutdown")
	}
}

// gatedSearcher answers once its gate is closed, or fails when the
// request's context ends first.
type gatedSearcher struct{ gate chan struct{} }

// stubborn is the query that gatedSearcher answers only once its gate is
// closed, whatever its context, as a search Bleve cannot interrupt.
const stubborn = "stubborn"

func (g gatedSearcher) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	if req.Query == stubborn {
		<-g.gate
		return &index.Result{}, nil
	}
	select {
	case <-g.gate:
		return &index.Result{Hits: []index.Hit{}}, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// TestSearchesTakeTurns checks that searches beyond MaxSearches wait for a
// turn and get a 503 when their time runs out first.
func TestSearchesTakeTurns(t *testing.T) {
	f := newFixture(t, nil)
	synctest.Test(t, func(t *testing.T) {
		g := gatedSearcher{gate: make(chan struct{})}
		srv, err := New(Options{Searcher: g, Articles: f.store, Captures: f.store,
			Timeout: 3 * time.Second, ExportTimeout: time.Hour, MaxSearches: 1, MaxExports: 1})
		if err != nil {
			t.Fatal(err)
		}
		serve := func(path string) chan *httptest.ResponseRecorder {
			done := make(chan *httptest.ResponseRecorder, 1)
			go func() {
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
				done <- rec
			}()
			return done
		}
		export := serve("/export?format=csv&q=" + stubborn) // holds the only export turn until the gate opens
		synctest.Wait()
		if rec := <-serve("/export?format=jsonl&lang=en"); rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "Busy") {
			t.Errorf("export while the only export turn is taken = %d %s, want 503 busy", rec.Code, rec.Body)
		}
		hold := serve("/api/search?q=" + stubborn) // holds the only search turn until the gate opens
		synctest.Wait()
		search := serve("/api/search?q=banjir")
		rec := <-search // its 3s run out while the first search goes on
		if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "busy") {
			t.Errorf("search while the only turn is taken = %d %s, want 503 busy", rec.Code, rec.Body)
		}
		// Article pages, which diff versions, and the versions API
		// take turns too.
		if rec := <-serve("/api/articles/" + idBanjir + "/versions?from=1&to=2"); rec.Code != http.StatusServiceUnavailable {
			t.Errorf("versions diff while the only turn is taken = %d %s, want 503 busy", rec.Code, rec.Body)
		}
		if rec := <-serve("/articles/" + idBanjir + "?lang=en"); rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "Busy") {
			t.Errorf("article page while the only turn is taken = %d, want 503 busy", rec.Code)
		}
		// The UI answers a page, not JSON.
		rec = <-serve("/search?q=banjir&lang=en")
		if ct := rec.Header().Get("Content-Type"); rec.Code != http.StatusServiceUnavailable || !strings.HasPrefix(ct, "text/html") || !strings.Contains(rec.Body.String(), "Busy") {
			t.Errorf("UI search while the only turn is taken = %d %s %s, want 503 and an HTML page saying busy", rec.Code, ct, rec.Body)
		}
		close(g.gate)
		if rec := <-export; rec.Code != http.StatusOK {
			t.Errorf("export = %d, want 200", rec.Code)
		}
		<-hold
		if rec := <-serve("/api/search?q=banjir"); rec.Code != http.StatusOK {
			t.Errorf("search after the export = %d %s, want 200", rec.Code, rec.Body)
		}
	})
}

// lateSearcher passes searches to the index, but holds a search for
// "tambang*" until its context ends (as a costly search outlives its
// client), telling started when it begins.
type lateSearcher struct {
	idx     *index.Index
	started chan struct{}
}

func (l lateSearcher) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	if req.Query == "tambang*" {
		l.started <- struct{}{}
		<-ctx.Done()
	}
	return l.idx.Search(ctx, req)
}

// TestCancelledSearchFreesTurn checks that a search whose client went away
// stops, in the index too, and gives its turn to the next search.
func TestCancelledSearchFreesTurn(t *testing.T) {
	f := newFixture(t, nil)
	l := lateSearcher{idx: f.idx, started: make(chan struct{})}
	srv, err := New(Options{Searcher: l, Articles: f.store, Captures: f.store, MaxSearches: 1, Timeout: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan *httptest.ResponseRecorder)
	go func() {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest("GET", "/api/search?q=tambang*", nil).WithContext(ctx))
		done <- rec
	}()
	<-l.started // the slow search holds the only turn
	cancel()
	if rec := <-done; rec.Code == http.StatusOK {
		t.Errorf("cancelled search = 200 %s, want an error status", rec.Body)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("GET", "/api/search?q=banjir", nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), idBanjir) {
		t.Errorf("search after the cancelled one = %d %s, want 200 finding %s", rec.Code, rec.Body, idBanjir)
	}
}
