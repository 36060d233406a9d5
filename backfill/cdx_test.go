package backfill

import (
	"regexp"
	"testing"
)

func TestParseCDXShapes(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		n          int
		resume     string
		status     string
	}{
		{"ia json", `[["urlkey","timestamp","original","mimetype","statuscode","digest","length"],
["id,go,kota)/baca/a","20180110090000","http://kota.go.id/baca/a","text/html","200","AAA","1234"],
["id,go,kota)/baca/a","20200202090000","http://kota.go.id/baca/a","warc/revisit","-","AAA","567"],
[],
["id%2Cgo%2Ckota%29%2Fbaca%2Fb+20190101000000"]]`, 2, "id%2Cgo%2Ckota%29%2Fbaca%2Fb+20190101000000", "200"},
		{"ia json, numbers and fl order", `[["timestamp","original","statuscode"],[20180110090000,"http://kota.go.id/baca/a",200]]`, 1, "", "200"},
		{"pywb json lines", `{"urlkey": "id,go,kota)/baca/a", "timestamp": "20180110090000", "url": "http://kota.go.id/baca/a", "mime": "text/html", "status": "200", "digest": "AAA", "length": "1234", "offset": "0", "filename": "a.warc.gz"}
{"urlkey": "id,go,kota)/baca/a", "timestamp": "2019", "url": "http://kota.go.id/baca/a", "mime": "-", "status": "-"}`, 2, "", "200"},
		{"cdxj", `id,go,kota)/baca/a 20180110090000 {"url": "http://kota.go.id/baca/a", "mime": "text/html", "status": "200"}`, 1, "", "200"},
		{"ia text with resume key", "id,go,kota)/baca/a 20180110090000 http://kota.go.id/baca/a text/html 200 AAA 1234\nid,go,kota)/baca/b 20180110090000 http://kota.go.id/baca/b text/html 404 BBB 12\n\nKEY123\n", 2, "KEY123", "200"},
		{"cdx11", "id,go,kota)/baca/a 20180110090000 http://kota.go.id/baca/a text/html 200 AAA - - 1234 99 a.warc.gz\n", 1, "", "200"},
		{"garbage rows skipped", "id,go,kota)/baca/a notatime http://kota.go.id/baca/a text/html 200 AAA 1\n{broken\n", 0, "", ""},
		{"empty", "", 0, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, _, err := parseCDX([]byte(tc.body))
			if err != nil {
				t.Fatalf("parseCDX error: %v", err)
			}
			if len(p.rows) != tc.n || p.resumeKey != tc.resume {
				t.Fatalf("parseCDX = %d rows, resume key %q; want %d, %q", len(p.rows), p.resumeKey, tc.n, tc.resume)
			}
			if tc.n > 0 && (p.rows[0].Status != tc.status || p.rows[0].URL != "http://kota.go.id/baca/a" || p.rows[0].Time.Year() != 2018) {
				t.Errorf("first row = %+v, want status %s, the URL, 2018", p.rows[0], tc.status)
			}
		})
	}
}

func TestIdentity(t *testing.T) {
	id, err := NewIdentity("https://kota.go.id/", []string{"kota.go.id", "portal.kota.go.id"}, regexp.MustCompile(`^https://kota\.go\.id/baca/[^/?#]+$`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		in, article string
		ok          bool
	}{
		{"http://kota.go.id/baca/a", "https://kota.go.id/baca/a", true},
		{"https://www.kota.go.id/baca/a/", "https://kota.go.id/baca/a", true},
		{"http://WWW.kota.go.id:80/baca/a?utm_source=fb&utm_medium=x", "https://kota.go.id/baca/a", true},
		{"http://kota.go.id/baca/a?p=2", "", false},
		{"http://kota.go.id/", "", false},
		{"http://kota.go.id/wp-content/uploads/a.jpg", "", false},
		{"http://lain.go.id/baca/a", "", false},
		{"ftp://kota.go.id/baca/a", "", false},
	} {
		got, ok := id.Article(tc.in)
		if got != tc.article || ok != tc.ok {
			t.Errorf("Article(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.article, tc.ok)
		}
	}
	same := []string{"http://kota.go.id/baca/a", "https://www.kota.go.id/baca/a/", "https://kota.go.id/baca/a?utm_campaign=x#top"}
	for _, u := range same[1:] {
		if id.Key(u) != id.Key(same[0]) {
			t.Errorf("Key(%q) = %q, want %q (one article)", u, id.Key(u), id.Key(same[0]))
		}
	}
	if id.Key("https://kota.go.id/baca/a?p=2") == id.Key(same[0]) {
		t.Errorf("a real query parameter must make another page")
	}
}

func TestNumPages(t *testing.T) {
	for body, want := range map[string]int{"3\n": 3, `{"pages": 7, "pageSize": 5, "blocks": 30}`: 7, "0": 0} {
		if n, ok := numPages([]byte(body)); !ok || n != want {
			t.Errorf("numPages(%q) = %d, %v; want %d", body, n, ok, want)
		}
	}
	for _, body := range []string{"", "many", `{"blocks": 3}`, "-1"} {
		if n, ok := numPages([]byte(body)); ok {
			t.Errorf("numPages(%q) = %d, true; want false", body, n)
		}
	}
}

func TestOneToken(t *testing.T) {
	if got := oneToken("https://a.org/web/2018id_/http://x.org/a b\r\nX-Evil: 1"); got != "https://a.org/web/2018id_/http://x.org/a%20bX-Evil:%201" {
		t.Errorf("oneToken = %q", got)
	}
}
