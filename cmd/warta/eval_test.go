package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEvalTail runs `warta eval` on a corpus folder of two pages written
// here: one it extracts, one whose truth it cannot find (a page whose
// story is another). The tail line counts the second under 0.5 and 0.8;
// with --peers the comparison table and the list of pages a peer beats
// warta on follow.
func TestEvalTail(t *testing.T) {
	story := strings.Repeat("<p>The council approved the new budget for the river district after a long debate, and the mayor said the money would go to flood defences first.</p>", 4)
	pages := map[string]struct{ html, truth string }{
		"good": {
			"<html><head><title>Budget</title></head><body><article><h1>Budget</h1>" + story + "</article></body></html>",
			strings.Repeat("The council approved the new budget for the river district after a long debate, and the mayor said the money would go to flood defences first. ", 4),
		},
		"lost": {
			"<html><head><title>Budget</title></head><body><article><h1>Budget</h1>" + story + "</article></body></html>",
			"A completely different text about football results in the northern league, where the home side won again on a rainy Sunday afternoon.",
		},
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "pages"), 0o755); err != nil {
		t.Fatal(err)
	}
	truth := map[string]map[string]string{}
	for key, p := range pages {
		var b bytes.Buffer
		z := gzip.NewWriter(&b)
		z.Write([]byte(p.html))
		z.Close()
		if err := os.WriteFile(filepath.Join(dir, "pages", key+".html.gz"), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		truth[key] = map[string]string{"url": "https://example.org/" + key, "articleBody": p.truth}
	}
	b, _ := json.Marshal(truth)
	if err := os.WriteFile(filepath.Join(dir, "truth.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}

	r := runWarta(t, nil, "eval", dir)
	if r.code != 0 {
		t.Fatalf("warta eval exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "tail: 1 pages under 0.5, 1 under 0.8") {
		t.Errorf("warta eval output lacks the tail line:\n%s", r.stdout)
	}
	if testing.Short() {
		return
	}
	r = runWarta(t, nil, "eval", "--peers", dir)
	if r.code != 0 {
		t.Fatalf("warta eval --peers exit %d: %s", r.code, r.stderr)
	}
	wants := []string{"<0.5", "beaten", "coll", "go-readability", "pages where a peer beats warta by more than 0.2:"}
	if len(linkedPeers) > 0 {
		wants = append(wants, "go-trafilatura+fallback")
	} else {
		wants = append(wants, "go-trafilatura: not in this build; go run -tags peers")
	}
	for _, want := range wants {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("warta eval --peers output lacks %q:\n%s", want, r.stdout)
		}
	}
}
