package web

import (
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/warta-id/warta/index"
)

// templateFuncs are the helpers the templates use.
func templateFuncs(loc *time.Location) template.FuncMap {
	return template.FuncMap{
		"t":     tr,
		"num":   fmtNum,
		"count": countText,
		"date":  func(lang, s string) string { return formatDate(lang, s, true) },
		"day":   func(lang, s string) string { return formatDate(lang, s, false) },
		// when prints a time of warta's own (a run's start) in loc.
		"when": func(lang string, t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return formatDate(lang, t.In(loc).Format(time.RFC3339), true)
		},
		"langURL": func(path, lang string) string {
			if strings.Contains(path, "?") {
				return path + "&lang=" + lang
			}
			return path + "?lang=" + lang
		},
		"seconds":    durationText,
		"add":        func(a, b int) int { return a + b },
		"list":       func(xs ...string) []string { return xs },
		"addf":       func(a, b float64) float64 { return a + b },
		"fieldNames": index.FieldNames,
		// fieldSearch is the search page's address for one value of a
		// field, such as a tag.
		"fieldSearch": func(field, value string) string { return "/?" + url.Values{"q": {fieldQuery(field, value)}}.Encode() },
	}
}

// durationText prints a number of seconds shortly: "3.2 s", "45 s",
// "12.5 min".
func durationText(f float64) string {
	switch {
	case f < 10:
		return strconv.FormatFloat(f, 'f', 1, 64) + " s"
	case f < 120:
		return strconv.Itoa(int(f+0.5)) + " s"
	default:
		return strconv.FormatFloat(f/60, 'f', 1, 64) + " min"
	}
}
