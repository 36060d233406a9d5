package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warta-id/warta/archive"
	"github.com/warta-id/warta/index"
)

// TestSearchHostileInput checks that what a user or a script may type at
// `warta search` gets exit 2 and a message naming what was wrong, never a
// panic or a search without bound: an offset near the largest int went
// past the window's check by overflowing and panicked in Bleve, and a
// limit above the window was exit 1 with a message naming no flag.
func TestSearchHostileInput(t *testing.T) {
	data := demoArchive(t)
	for _, c := range []struct {
		args []string
		want string // in stderr
	}{
		{[]string{"--limit", "1000000000", "banjir"}, "--limit 1000000000 is above 100000"},
		{[]string{"--offset", "9223372036854775807", "--limit", "0", "banjir"}, "--offset 9223372036854775807"},
		{[]string{"--offset", "99990", "--limit", "20", "banjir"}, "--offset 99990 plus --limit 20"},
		{[]string{"--", "sa" + strings.Repeat("*a", 150)}, "at most 4 in one word"},
		{[]string{strings.Repeat("(", 200) + "banjir" + strings.Repeat(")", 200)}, "nested more than 100"},
		{[]string{"--", strings.Repeat("-", 5000) + "banjir"}, "nested more than 100"},
		{[]string{"banjir", "ta\xe9lawi"}, "byte 0xe9 is not UTF-8"},
	} {
		name := strings.Join(c.args, " ")
		if len(name) > 60 {
			name = name[:60]
		}
		t.Run(name, func(t *testing.T) {
			r := runWarta(t, nil, append([]string{"search", "--data", data}, c.args...)...)
			if r.code != exitUsage || !strings.Contains(r.stderr, c.want) {
				t.Errorf("search %s: exit %d, stderr %q; want exit 2 saying %q", name, r.code, r.stderr, c.want)
			}
		})
	}
}

// TestSearchDamagedIndex checks that a search, an export and a server
// over an index whose segment file was cut short say that the index
// cannot be read and how to rebuild it, and that `warta reindex` does,
// with every article of the archive (failed before: Bleve opened the
// generation without the segment, and the search found nothing).
func TestSearchDamagedIndex(t *testing.T) {
	data := demoArchive(t)
	segs, _ := filepath.Glob(filepath.Join(data, "index", "gen-*", "store", "*.zap"))
	if len(segs) == 0 {
		t.Fatal("the demo's index has no segment file")
	}
	for _, s := range segs {
		if err := os.Truncate(s, 100); err != nil {
			t.Fatal(err)
		}
	}
	hint := "reindex --data " + data
	for _, args := range [][]string{
		{"search", "--data", data, "sawahlunto"},
		{"search", "--data", data, "--counts", "year", "--limit", "0", "sawahlunto"},
		{"export", "--data", data, "sawahlunto"},
	} {
		r := runWarta(t, nil, args...)
		if r.code != exitFailure || !strings.Contains(r.stderr, "the index cannot be read") || !strings.Contains(r.stderr, hint) {
			t.Errorf("%s: exit %d, stderr %q; want exit 1 saying the index cannot be read and %q", strings.Join(args, " "), r.code, r.stderr, hint)
		}
	}
	if r := runWarta(t, nil, "reindex", "--data", data); r.code != exitOK {
		t.Fatalf("reindex: exit %d: %s", r.code, r.stderr)
	}
	r := runWarta(t, nil, "search", "--data", data, "--json", "--limit", "0", "--", "-xyzzy")
	if r.code != exitOK || !strings.Contains(r.stdout, `"total": 60`) {
		t.Errorf("search after reindex: exit %d, stdout %.200s; want the 60 articles", r.code, r.stdout)
	}
}

// TestSearchCSVNoFormulas checks that `warta search --csv` writes no
// title or address a spreadsheet would run as a formula (failed before:
// a site's title "=cmd|…" went out as it was).
func TestSearchCSVNoFormulas(t *testing.T) {
	res := &index.Result{Total: 1, Hits: []index.Hit{{
		ID: "demo-1", Site: "demo", Title: "=cmd|' /C calc'!A0", URL: "@SUM(1+1)*cmd|' /C calc'!A0",
		Published: "2021-12-23T09:15:41+07:00",
	}}}
	var out bytes.Buffer
	if err := writeHitsCSV(&out, res); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("writeHitsCSV wrote %d rows (%v), want 2", len(rows), err)
	}
	for i, cell := range rows[1] {
		if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
			t.Errorf("cell %d (%s) = %q, a formula", i, rows[0][i], cell)
		}
	}
	if rows[1][3] != "'=cmd|' /C calc'!A0" {
		t.Errorf("title cell = %q, want the title after an apostrophe", rows[1][3])
	}
}

// TestTerminalOutputSafe checks that the text a site wrote reaches the
// user's terminal without its control characters: an escape sequence in a
// title or a body (an article extracted before 9991d6a may hold them) could
// clear the screen, retitle the window or set the clipboard (failed
// before: `warta search` and `warta history` printed them raw).
func TestTerminalOutputSafe(t *testing.T) {
	hostile := "Banjir \x1b]0;PWNED\x07\x1b[2J\x1b]52;c;ZXZpbA==\x07 di\r Talawi\x08\u009b31m"
	var out bytes.Buffer
	res := &index.Result{Total: 1, Hits: []index.Hit{{ID: "demo-1", Title: hostile, Snippet: hostile, Published: "2021-12-23T09:15:41+07:00"}}}
	if err := writeHitsTable(&out, res); err != nil {
		t.Fatal(err)
	}
	writeDiff(&out, "body", "Banjir di Talawi.\n\nWarga mengungsi.", hostile+"\n\nWarga mengungsi.")
	out.WriteString(versionSource(archive.Version{Source: "wayback", SourceURL: "https://web.archive.org/\x1b[2J"}))
	for _, c := range []string{"\x1b", "\x07", "\r", "\x08", "\u009b"} {
		if strings.Contains(out.String(), c) {
			t.Errorf("terminal output holds %q:\n%q", c, out.String())
		}
	}
	if !strings.Contains(out.String(), "Banjir") || !strings.Contains(out.String(), "Talawi") || !strings.Contains(out.String(), "\n\nWarga") {
		t.Errorf("terminal output lost the text around the controls:\n%q", out.String())
	}
}
