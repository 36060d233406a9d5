package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/warta-id/warta/index"
)

// shellWords splits a command line as a POSIX shell would, for the
// quoting warta's hints and README use (single and double quotes), and
// stops at a comment or a redirection.
func shellWords(t *testing.T, line string) []string {
	t.Helper()
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '\'':
			j := strings.IndexByte(line[i+1:], '\'')
			if j < 0 {
				t.Fatalf("unclosed ' in %q", line)
			}
			cur.WriteString(line[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case c == '"':
			j := strings.IndexByte(line[i+1:], '"')
			if j < 0 {
				t.Fatalf("unclosed \" in %q", line)
			}
			cur.WriteString(line[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case (c == '#' || c == '>') && !inWord:
			return words
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// hintArgs returns the arguments of a command line that warta printed,
// without the program (as progName gives it).
func hintArgs(t *testing.T, line string) []string {
	t.Helper()
	line = strings.TrimSpace(line)
	prog := progName(os.Args[0])
	if !strings.HasPrefix(line, prog+" ") {
		t.Fatalf("hint %q does not start with %q", line, prog)
	}
	return shellWords(t, strings.TrimPrefix(line, prog+" "))
}

// hintLines returns the lines of out that are commands to run.
func hintLines(out string) []string {
	prog := progName(os.Args[0])
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), prog+" ") {
			lines = append(lines, l)
		}
	}
	return lines
}

// TestNoArchiveHintsRunAsPrinted: in a folder with only the demo's archive,
// a search without --data says where the demo's archive is, with a command
// that runs as printed; so do the demo's own closing hints.
func TestNoArchiveHintsRunAsPrinted(t *testing.T) {
	t.Chdir(t.TempDir())
	r := runWarta(t, nil, "demo")
	if r.code != exitOK {
		t.Fatalf("demo: exit %d: %s", r.code, r.stderr)
	}
	hints := hintLines(r.stdout)
	if len(hints) < 2 {
		t.Fatalf("demo printed %d commands to try, want at least 2:\n%s", len(hints), r.stdout)
	}
	for _, h := range hints {
		args := hintArgs(t, h)
		if args[0] == "serve" {
			continue // runs until stopped
		}
		if r := runWarta(t, nil, args...); r.code != exitOK || strings.HasPrefix(r.stdout, "0 hits") {
			t.Errorf("demo hint %q: exit %d, stdout %.200q, stderr %q; want it to run and find something", h, r.code, r.stdout, r.stderr)
		}
	}

	for _, args := range [][]string{{"search", "banjir"}, {"export"}, {"history", "demo-0123456789abcdef"}, {"verify"}} {
		r := runWarta(t, nil, args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "no archive in ./warta-data") || !strings.Contains(r.stderr, demoDataDir) {
			t.Errorf("warta %v without an archive: exit %d, stderr %q; want 2, naming ./warta-data and the demo's %s", args, r.code, r.stderr, demoDataDir)
			continue
		}
		lines := hintLines(r.stderr)
		if len(lines) != 1 {
			t.Errorf("warta %v: stderr %q, want one command to run", args, r.stderr)
			continue
		}
		hint := hintArgs(t, lines[0])
		want := append([]string{args[0], "--data", demoDataDir}, args[1:]...)
		if !slicesEqual(hint, want) {
			t.Errorf("warta %v hint = %q, want %q", args, hint, want)
		}
		if args[0] == "search" {
			if r := runWarta(t, nil, hint...); r.code != exitOK || strings.HasPrefix(r.stdout, "0 hits") {
				t.Errorf("hint %q: exit %d, stdout %.100q; want hits", lines[0], r.code, r.stdout)
			}
		}
	}
	// Without the demo's archive, the advice is to make one.
	if err := os.RemoveAll(demoDataDir); err != nil {
		t.Fatal(err)
	}
	r = runWarta(t, nil, "search", "banjir")
	if r.code != exitUsage || !strings.Contains(r.stderr, progName(os.Args[0])+" demo") {
		t.Errorf("search with no archive at all: exit %d, stderr %q; want 2 and the demo command", r.code, r.stderr)
	}
}

func slicesEqual(a, b []string) bool {
	return strings.Join(a, "\x00") == strings.Join(b, "\x00")
}

// TestDemoMovesOn: the second run of the demo finds edited and new
// articles, keeps versions, and its history hints run as printed.
func TestDemoMovesOn(t *testing.T) {
	data := demoArchive(t)
	r := runWarta(t, nil, "demo", "--data", data)
	if r.code != exitOK {
		t.Fatalf("second demo: exit %d: %s", r.code, r.stderr)
	}
	want := "(" + strconv.Itoa(demoAdds) + " new, " + strconv.Itoa(demoEdits) + " changed)"
	if !strings.Contains(r.stdout, want) {
		t.Fatalf("second demo run: stdout %q, want %s", r.stdout, want)
	}
	var history []string
	for _, h := range hintLines(r.stdout) {
		if args := hintArgs(t, h); args[0] == "history" {
			history = args
			hr := runWarta(t, nil, args...)
			if hr.code != exitOK {
				t.Errorf("hint %q: exit %d: %s", h, hr.code, hr.stderr)
			}
			if len(args) == 6 && !strings.Contains(hr.stdout, "[-") && !strings.Contains(hr.stdout, "{+") {
				t.Errorf("hint %q printed no word diff:\n%s", h, hr.stdout)
			}
			if len(args) == 6 {
				continue
			}
			if !strings.Contains(hr.stdout, "\n2 ") || !strings.Contains(hr.stdout, "latest") {
				t.Errorf("hint %q: want two versions listed:\n%s", h, hr.stdout)
			}
		}
	}
	if history == nil {
		t.Fatalf("second demo run printed no history command:\n%s", r.stdout)
	}
	// The same moves on every machine: a fresh archive's second run
	// edits the same article first.
	other := demoArchive(t)
	r2 := runWarta(t, nil, "demo", "--data", other)
	if !strings.Contains(r2.stdout, history[len(history)-1]) {
		t.Errorf("another archive's second run does not name the same edited article %s:\n%s", history[len(history)-1], r2.stdout)
	}
}

// TestSearchDeadEnds runs the searches that used to answer nothing
// without a word.
func TestSearchDeadEnds(t *testing.T) {
	data := demoArchive(t)
	cases := []struct {
		args   []string
		code   int
		stderr []string
	}{
		{[]string{"--site", "nosuch", "banjir"}, exitUsage, []string{"nosuch", "demo"}},
		{[]string{"--from", "2022-01-01", "--to", "2021-01-01", "banjir"}, exitUsage, []string{"--to", "before"}},
		{[]string{"-jalan"}, exitUsage, []string{"--", "-jalan"}},
		{[]string{"--share", "banjir"}, exitUsage, []string{"--compare"}},
		{[]string{"colour:red"}, exitUsage, []string{index.FieldNames()}},
	}
	for _, tt := range cases {
		args := append([]string{"search", "--data", data}, tt.args...)
		r := runWarta(t, nil, args...)
		if r.code != tt.code {
			t.Errorf("warta %v: exit %d, want %d; stderr %q", tt.args, r.code, tt.code, r.stderr)
		}
		for _, w := range tt.stderr {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("warta %v: stderr %q, want it to mention %q", tt.args, r.stderr, w)
			}
		}
	}
	// The hint for -jalan runs as printed (with the archive added).
	r := runWarta(t, nil, "search", "--data", data, "-jalan")
	lines := hintLines(r.stderr)
	if len(lines) != 1 {
		t.Fatalf("-jalan: stderr %q, want one command", r.stderr)
	}
	hint := hintArgs(t, lines[0])
	if r := runWarta(t, nil, append([]string{hint[0], "--data", data}, hint[1:]...)...); r.code != exitOK || strings.HasPrefix(r.stdout, "0 hits") {
		t.Errorf("hint %q: exit %d, stdout %.80q, stderr %q", lines[0], r.code, r.stdout, r.stderr)
	}

	// --counts day: no empty days, one line per day that has articles,
	// counts only with --limit 0.
	r = runWarta(t, nil, "search", "--data", data, "--counts", "day", "--limit", "0", "sawahlunto")
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "60 hits\n") {
		t.Fatalf("search --counts day --limit 0: exit %d, stdout %.300q", r.code, r.stdout)
	}
	row := regexp.MustCompile(`^  (\d{4}-\d\d-\d\d) +(\d+) (█+)$`)
	rows, sum := 0, 0
	for _, l := range strings.Split(r.stdout, "\n") {
		if strings.Contains(l, "demo-") {
			t.Errorf("--limit 0 printed a hit: %q", l)
		}
		if m := row.FindStringSubmatch(l); m != nil {
			n, _ := strconv.Atoi(m[2])
			if n == 0 {
				t.Errorf("empty day printed: %q", l)
			}
			rows++
			sum += n
		}
		if len([]rune(l)) > 120 {
			t.Errorf("line of %d characters: %.60q…", len([]rune(l)), l)
		}
	}
	if sum != 60 || rows > 60 {
		t.Errorf("day counts: %d rows summing to %d, want at most 60 rows summing to 60", rows, sum)
	}
	if !strings.Contains(r.stdout, "left out") || !strings.Contains(r.stdout, "--counts auto") {
		t.Errorf("day counts over years: want the empty days said to be left out and --counts auto suggested:\n%s", r.stdout)
	}

	// auto stays within MaxAutoBuckets and draws a sparkline on the
	// table's scale.
	r = runWarta(t, nil, "search", "--data", data, "--counts", "auto", "--limit", "0", "sawahlunto")
	m := regexp.MustCompile(`counts per (\w+):`).FindStringSubmatch(r.stdout)
	if m == nil || m[1] == "day" {
		t.Fatalf("--counts auto: %q, want a period longer than a day for years of articles", r.stdout)
	}
	var spark string
	var bars []int
	for _, l := range strings.Split(r.stdout, "\n") {
		if i := strings.Index(l, "  ("); strings.Contains(l, " … ") && i > 0 {
			spark = strings.TrimSpace(l[strings.Index(l, "  ")+2 : i])
		}
		if strings.HasPrefix(l, "  ") && strings.Contains(l, "█") {
			bars = append(bars, strings.Count(l, "█"))
		}
	}
	if spark == "" || len([]rune(spark)) > index.MaxAutoBuckets {
		t.Fatalf("--counts auto sparkline %q, want one of at most %d characters:\n%s", spark, index.MaxAutoBuckets, r.stdout)
	}
	levels := []rune("▁▂▃▄▅▆▇█")
	i := 0
	for _, c := range spark {
		if c == ' ' {
			continue
		}
		if i >= len(bars) {
			t.Fatalf("sparkline has more marks than the table rows")
		}
		// Same rounding: a bar of b/40 is a level of ceil(b*8/40).
		want := levels[(bars[i]*8+barWidth-1)/barWidth-1]
		if c != want && levels[(bars[i]*8)/barWidth-max(0, 0)] != c {
			t.Errorf("sparkline mark %d is %c for a bar of %d/%d, want %c", i, c, bars[i], barWidth, want)
		}
		i++
	}

	// --csv --counts writes the counts.
	r = runWarta(t, nil, "search", "--data", data, "--csv", "--counts", "year", "--limit", "0", "sawahlunto")
	recs, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil || len(recs) < 2 || recs[0][0] != "period" || recs[0][1] != "count" {
		t.Fatalf("--csv --counts: %v, %q", err, r.stdout)
	}
	total := 0
	for _, rec := range recs[1:] {
		n, _ := strconv.Atoi(rec[1])
		total += n
	}
	if total != 60 {
		t.Errorf("--csv --counts year sums to %d, want 60", total)
	}

	// A comparison as CSV: a column per query, then all and the shares.
	r = runWarta(t, nil, "search", "--data", data, "--compare", "banjir", "--compare", "sawahlunto", "--counts", "year", "--share", "--csv")
	recs, err = csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil || len(recs) < 2 || strings.Join(recs[0], ",") != "year,banjir,sawahlunto,all,banjir (share),sawahlunto (share)" {
		t.Fatalf("--compare --share --csv: %v %q", err, r.stdout)
	}
	for _, rec := range recs[1:] {
		// sawahlunto is in every demo article: its share is 1.
		if rec[3] != rec[2] || rec[5] != "1.000000" {
			t.Errorf("--compare row %q: want sawahlunto = all and a share of 1", rec)
		}
	}
	r = runWarta(t, nil, "search", "--data", data, "--compare", "banjir", "--compare", "sawahlunto", "--counts", "year")
	if r.code != exitOK || !strings.Contains(r.stdout, "[2] \"sawahlunto\": 60 articles") {
		t.Errorf("--compare table: exit %d, %q", r.code, r.stdout)
	}

	// One hit is "1 hit".
	r = runWarta(t, nil, "search", "--data", data, "--json", "--limit", "1", "sawahlunto")
	var res struct{ Hits []struct{ ID string } }
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || len(res.Hits) != 1 {
		t.Fatalf("search --json: %v", err)
	}
	r = runWarta(t, nil, "search", "--data", data, "id:"+res.Hits[0].ID)
	if !strings.HasPrefix(r.stdout, "1 hit\n") {
		t.Errorf("a search with one hit prints %.40q, want \"1 hit\"", r.stdout)
	}
}

// TestDocumentedQueriesFindSomething runs every query example of the
// README and of `search --help` against the demo archive.
func TestDocumentedQueriesFindSomething(t *testing.T) {
	data := demoArchive(t)
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	var runs [][]string
	// The query table of "Searching": a query, two or more spaces, what it does.
	sec := text[strings.Index(text, "## Searching"):]
	block := sec[strings.Index(sec, "```\n")+4:]
	block = block[:strings.Index(block, "```")]
	for _, l := range strings.Split(block, "\n") {
		if q, _, ok := strings.Cut(l, "  "); ok && strings.TrimSpace(q) != "" {
			runs = append(runs, []string{"search", "--", strings.TrimSpace(q)})
		}
	}
	// Every search command line of the README and of the help.
	help := runWarta(t, nil, "search", "--help").stdout
	for _, l := range strings.Split(text+"\n"+help, "\n") {
		l = strings.TrimSpace(l)
		for _, p := range []string{"go run ./cmd/warta ", "./warta ", "warta "} {
			if strings.HasPrefix(l, p+"search ") && !strings.Contains(l, "QUERY") {
				w := shellWords(t, strings.TrimPrefix(l, p))
				runs = append(runs, w)
				break
			}
		}
	}
	if len(runs) < 15 {
		t.Fatalf("found %d documented searches, want the README's and the help's (15 or more)", len(runs))
	}
	for _, args := range runs {
		// Point each at the demo archive, and ask for JSON.
		var a []string
		for i := 0; i < len(args); i++ {
			switch {
			case args[i] == "--data":
				i++
			case args[i] == "--csv":
			default:
				a = append(a, args[i])
			}
		}
		a = append([]string{a[0], "--data", data, "--json"}, a[1:]...)
		r := runWarta(t, nil, a...)
		if r.code != exitOK {
			t.Errorf("documented search %q: exit %d: %s", args, r.code, r.stderr)
			continue
		}
		var out struct {
			Total  *uint64
			Series []struct {
				Query string
				Total uint64
			}
		}
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
			t.Errorf("documented search %q: %v", args, err)
			continue
		}
		if out.Total != nil && *out.Total == 0 {
			t.Errorf("documented search %q finds nothing on the demo", args)
		}
		for _, s := range out.Series {
			if s.Total == 0 {
				t.Errorf("documented comparison %q: query %q finds nothing on the demo", args, s.Query)
			}
		}
	}

	// One list of fields: the README's table and the help's are index.Fields.
	rowRE := regexp.MustCompile("(?m)^\\| `(\\w+):` \\| (.*) \\|$")
	var readmeFields []string
	for _, m := range rowRE.FindAllStringSubmatch(text, -1) {
		readmeFields = append(readmeFields, m[1]+": "+strings.ReplaceAll(m[2], `\|`, "|"))
	}
	var want []string
	for _, f := range index.Fields {
		want = append(want, f.Name+": "+f.Doc)
		if !regexp.MustCompile(`(?m)^  ` + f.Name + `: +` + regexp.QuoteMeta(f.Doc) + `$`).MatchString(help) {
			t.Errorf("search --help does not list field %s with %q", f.Name, f.Doc)
		}
	}
	if !slicesEqual(readmeFields, want) {
		t.Errorf("README fields:\n%s\nwant index.Fields:\n%s", strings.Join(readmeFields, "\n"), strings.Join(want, "\n"))
	}
}

// TestSmallThings checks the messages that told a new user the tool was
// unfinished.
func TestSmallThings(t *testing.T) {
	page := filepath.Join("..", "..", "extract", "testdata", "seed.html")
	r := runWarta(t, nil, "extract", page)
	var a struct{ ID, URL string }
	if err := json.Unmarshal([]byte(r.stdout), &a); err != nil {
		t.Fatalf("extract: %v: %s", err, r.stderr)
	}
	if !strings.HasPrefix(a.ID, localSite+"-") || !strings.HasPrefix(a.URL, "file:///") || strings.HasPrefix(a.URL, "file:////") ||
		!strings.HasSuffix(a.URL, "/extract/testdata/seed.html") {
		t.Errorf("extract without --site: id %q, url %q; want %s-… and file:///…/extract/testdata/seed.html", a.ID, a.URL, localSite)
	}
	r = runWarta(t, nil, "extract", "--explain", page)
	for _, l := range strings.Split(r.stdout, "\n") {
		if n := len([]rune(l)); n > explainWidth {
			t.Errorf("extract --explain line of %d characters: %.60q…", n, l)
		}
	}

	r = runWarta(t, nil, "--version")
	if !strings.HasPrefix(r.stdout, "warta version ") || strings.Contains(r.stdout, " dev\n") || !strings.Contains(r.stdout, "go1.") {
		t.Errorf("--version = %q, want the module version and the Go version from the build info", r.stdout)
	}

	data := demoArchive(t)
	r = runWarta(t, nil, "history", "--data", data, "nosuch")
	if r.code != exitUsage || strings.Contains(r.stderr, "extract.") || !strings.Contains(r.stderr, "nosuch") {
		t.Errorf("history nosuch: exit %d, stderr %q; want 2, naming the id and no Go names", r.code, r.stderr)
	}
	r = runWarta(t, nil, "history", "--data", data, "demo-0123456789abcdef")
	if r.code != exitUsage || !strings.Contains(r.stderr, "no article demo-0123456789abcdef") {
		t.Errorf("history of an unknown id: exit %d, stderr %q", r.code, r.stderr)
	}

	// Importing a file that is not a WARC file: one clear error.
	notWARC := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(notWARC, []byte("hello, this is not a WARC file\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	into := t.TempDir()
	r = runWarta(t, nil, "import", "--data", into, notWARC)
	if r.code != exitFailure || strings.Count(r.stderr, "warta: ") != 1 || strings.Contains(r.stderr, "imported") ||
		strings.Count(r.stderr, "import ") != 1 || !strings.Contains(r.stderr, "not a WARC file") {
		t.Errorf("import of a text file: exit %d, stderr %q; want 1 and one error saying it is not a WARC file", r.code, r.stderr)
	}
	// Importing the same WARC twice adds nothing the second time.
	warcs, _ := filepath.Glob(filepath.Join(data, "warc", "*.warc.gz"))
	if len(warcs) == 0 {
		t.Fatal("the demo wrote no WARC file")
	}
	for i := range 2 {
		r = runWarta(t, nil, "import", "--data", into, warcs[0])
		if r.code != exitOK {
			t.Fatalf("import %d: exit %d: %s", i+1, r.code, r.stderr)
		}
		got, _ := filepath.Glob(filepath.Join(into, "warc", "*.warc.gz"))
		if len(got) != 1 {
			t.Errorf("after import %d of the same file: %d WARC files, want 1", i+1, len(got))
		}
	}
	if !strings.Contains(r.stdout, "already archived") || strings.Contains(r.stdout, "new, ") && !strings.Contains(r.stdout, "(0 new, 0 changed") {
		t.Errorf("second import: %q, want nothing new", r.stdout)
	}
}
