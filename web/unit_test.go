package web

import (
	"net/url"
	"testing"
	"time"
)

func TestHighlight(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		marks [][2]int
		want  string
	}{
		{"none", "a <b> & c", nil, "a &lt;b&gt; &amp; c"},
		{"one", "banjir di Talawi", [][2]int{{0, 6}}, "<mark>banjir</mark> di Talawi"},
		{"two", "banjir di Talawi", [][2]int{{0, 6}, {10, 16}}, "<mark>banjir</mark> di <mark>Talawi</mark>"},
		{"escaped inside", "x <script> y", [][2]int{{2, 10}}, "x <mark>&lt;script&gt;</mark> y"},
		{"overlap ignored", "abcdef", [][2]int{{0, 4}, {2, 6}}, "<mark>abcd</mark>ef"},
		{"out of range ignored", "abc", [][2]int{{1, 9}}, "abc"},
		{"backwards ignored", "abc", [][2]int{{2, 1}}, "abc"},
		{"mid-rune ignored", "…banjir", [][2]int{{1, 4}}, "…banjir"},
		{"after an ellipsis", "…banjir", [][2]int{{3, 9}}, "…<mark>banjir</mark>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(highlight(tt.text, tt.marks)); got != tt.want {
				t.Errorf("highlight(%q, %v) = %q, want %q", tt.text, tt.marks, got, tt.want)
			}
		})
	}
}

func TestParseAt(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"", time.Time{}, true},
		{"20211223091541", time.Date(2021, 12, 23, 9, 15, 41, 0, time.UTC), true},
		{"2021", time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{"202112", time.Date(2021, 12, 1, 0, 0, 0, 0, time.UTC), true},
		{"2021-12-23T09:15:41+07:00", time.Date(2021, 12, 23, 2, 15, 41, 0, time.UTC), true},
		{"20211", time.Time{}, false},
		{"202113", time.Time{}, false},
		{"yesterday", time.Time{}, false},
		{"202112230915410", time.Time{}, false},
	}
	for _, tt := range tests {
		got, err := parseAt(tt.in)
		if (err == nil) != tt.ok || !got.Equal(tt.want) {
			t.Errorf("parseAt(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestBucketRange(t *testing.T) {
	tests := []struct{ unit, key, from, to string }{
		{"year", "2021", "2021-01-01", "2021-12-31"},
		{"month", "2024-02", "2024-02-01", "2024-02-29"},
		{"day", "2021-12-23", "2021-12-23", "2021-12-23"},
		{"month", "bad", "", ""},
	}
	for _, tt := range tests {
		from, to := bucketRange(tt.unit, tt.key)
		if from != tt.from || to != tt.to {
			t.Errorf("bucketRange(%s, %s) = %s, %s; want %s, %s", tt.unit, tt.key, from, to, tt.from, tt.to)
		}
	}
}

// TestSearchZone checks that dates without a zone are read in the searched
// site's zone, or in Options.Location when the search names no site.
func TestSearchZone(t *testing.T) {
	f := newFixture(t, func(o *Options) { o.Location = time.UTC })
	for _, tt := range []struct {
		params string
		want   time.Time
	}{
		{"from=2022-03-01&site=kota", time.Date(2022, 3, 1, 0, 0, 0, 0, wib)},
		{"from=2022-03-01", time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC)},
	} {
		v, _ := url.ParseQuery(tt.params)
		_, req, perr := f.srv.parseSearch(v)
		if perr != nil {
			t.Fatalf("parseSearch(%s): %v", tt.params, perr)
		}
		if !req.From.Equal(tt.want) {
			t.Errorf("parseSearch(%s).From = %s, want %s", tt.params, req.From, tt.want)
		}
	}
}
