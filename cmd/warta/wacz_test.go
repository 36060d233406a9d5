package main

import (
	"archive/zip"
	"bufio"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

// readWACZ returns the pages and the CDXJ URLs of a WACZ package.
func readWACZ(t *testing.T, path string) (pages []string, indexed map[string]bool, names []string) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	indexed = map[string]bool{}
	for _, f := range zr.File {
		names = append(names, f.Name)
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		sc := bufio.NewScanner(strings.NewReader(string(data)))
		for sc.Scan() {
			var v struct{ URL string }
			switch f.Name {
			case "pages/pages.jsonl":
				if json.Unmarshal(sc.Bytes(), &v) == nil && v.URL != "" {
					pages = append(pages, v.URL)
				}
			case "indexes/index.cdxj":
				parts := strings.SplitN(sc.Text(), " ", 3)
				if len(parts) == 3 && json.Unmarshal([]byte(parts[2]), &v) == nil {
					indexed[v.URL] = true
				}
			}
		}
	}
	return pages, indexed, names
}

func TestExportWACZWithQuery(t *testing.T) {
	data := demoArchive(t)
	out := filepath.Join(t.TempDir(), "dirjen.wacz")
	r := runWarta(t, nil, "export", "--data", data, "--format", "wacz", "--out", out, "title:dirjen")
	if r.code != exitOK {
		t.Fatalf("export --format wacz: exit %d: %s", r.code, r.stderr)
	}
	jl := runWarta(t, nil, "export", "--data", data, "title:dirjen")
	var want []string
	for _, line := range strings.Split(strings.TrimSpace(jl.stdout), "\n") {
		var a struct{ URL string }
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			t.Fatalf("export jsonl line %q: %v", line, err)
		}
		want = append(want, a.URL)
	}
	pages, indexed, names := readWACZ(t, out)
	if len(pages) != len(want) || len(want) == 0 {
		t.Fatalf("wacz pages = %v, want the %d articles of the query: %v", pages, len(want), want)
	}
	for _, u := range want {
		if !indexed[u] {
			t.Errorf("the WARC lacks the page of %s", u)
		}
	}
	// Other articles' pages stay out: only the matching pages are
	// article pages in the index.
	all := runWarta(t, nil, "export", "--data", data)
	others := 0
	for _, line := range strings.Split(strings.TrimSpace(all.stdout), "\n") {
		var a struct{ URL string }
		_ = json.Unmarshal([]byte(line), &a)
		if indexed[a.URL] && !strings.Contains(strings.Join(want, " "), a.URL) {
			others++
		}
	}
	if others > 0 {
		t.Errorf("the package holds %d pages of articles the query does not match", others)
	}
	for _, n := range names {
		if strings.HasPrefix(n, "archive/") && n != "archive/data.warc.gz" {
			t.Errorf("unexpected %s", n)
		}
	}

	// The package imports into an empty archive: the same articles.
	fresh := t.TempDir()
	if r := runWarta(t, nil, "import", "--data", fresh, out); r.code != exitOK {
		t.Fatalf("import %s: exit %d: %s", out, r.code, r.stderr)
	}
	back := runWarta(t, nil, "export", "--data", fresh)
	for _, u := range want {
		if !strings.Contains(back.stdout, `"url":"`+u+`"`) {
			t.Errorf("after import of the package, %s is not an article; export: %.300s", u, back.stdout)
		}
	}

	if r := runWarta(t, nil, "export", "--data", data, "--format", "wacz"); r.code != exitUsage {
		t.Errorf("--format wacz without --out: exit %d, want %d", r.code, exitUsage)
	}
}
