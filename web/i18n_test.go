package web

import (
	"io/fs"
	"net/http/httptest"
	"regexp"
	"testing"
)

// TestMessagesComplete checks that every text the templates ask for
// exists in both languages.
func TestMessagesComplete(t *testing.T) {
	for key, m := range messages {
		if m[0] == "" || m[1] == "" {
			t.Errorf("message %q = %q, want Indonesian and English text", key, m)
		}
	}
	keyRE := regexp.MustCompile(`\{\{t \S+ "([a-z_]+)"\}\}`)
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil || len(files) == 0 {
		t.Fatalf("templates: %v %v", files, err)
	}
	for _, f := range files {
		data, err := fs.ReadFile(templateFS, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range keyRE.FindAllStringSubmatch(string(data), -1) {
			if _, ok := messages[m[1]]; !ok {
				t.Errorf("%s uses message %q, which has no text", f, m[1])
			}
		}
	}
}

func TestPickLang(t *testing.T) {
	tests := []struct {
		query, cookie, accept string
		want                  string
	}{
		{"", "", "", "id"},
		{"", "", "en-US,en;q=0.9", "en"},
		{"", "", "fr-FR,fr;q=0.9", "id"},
		{"", "", "fr,en;q=0.5,id;q=0.8", "id"},
		{"", "", "in", "id"},
		{"", "", "en;q=0", "id"},
		{"", "en", "id", "en"},
		{"id", "en", "en", "id"},
		{"xx", "", "en", "en"},
		{"", "xx", "", "id"},
	}
	for _, tt := range tests {
		t.Run(tt.query+"/"+tt.cookie+"/"+tt.accept, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/?lang="+tt.query, nil)
			if tt.cookie != "" {
				r.Header.Set("Cookie", langCookie+"="+tt.cookie)
			}
			r.Header.Set("Accept-Language", tt.accept)
			if got, _ := pickLang(r); got != tt.want {
				t.Errorf("pickLang(lang=%q, cookie=%q, Accept-Language %q) = %q, want %q", tt.query, tt.cookie, tt.accept, got, tt.want)
			}
		})
	}
}

func TestFormatDate(t *testing.T) {
	tests := []struct {
		lang, in string
		time     bool
		want     string
	}{
		{"id", "2021-12-23T09:15:41+07:00", true, "23 Desember 2021 09:15 WIB"},
		{"en", "2021-12-23T09:15:41+07:00", false, "23 December 2021"},
		{"id", "2022-08-01T10:00:00+08:00", true, "1 Agustus 2022 10:00 WITA"},
		{"id", "2022-05-01T10:00:00Z", true, "1 Mei 2022 10:00 UTC"},
		{"id", "kemarin", false, "kemarin"},
		{"id", "", false, ""},
	}
	for _, tt := range tests {
		if got := formatDate(tt.lang, tt.in, tt.time); got != tt.want {
			t.Errorf("formatDate(%q, %q, %v) = %q, want %q", tt.lang, tt.in, tt.time, got, tt.want)
		}
	}
}
