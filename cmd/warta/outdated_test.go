package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
)

// TestOutdatedIndexWarns: an index that an earlier warta made (its
// generation records mapping version 2, which indexed every word pair)
// makes search warn and name `warta reindex`, and after the reindex the
// warning is gone and the same searches find the same.
func TestOutdatedIndexWarns(t *testing.T) {
	data := demoArchive(t)
	cur, err := os.ReadFile(filepath.Join(data, "index", "CURRENT"))
	if err != nil {
		t.Fatal(err)
	}
	bi, err := bleve.Open(filepath.Join(data, "index", strings.TrimSpace(string(cur))))
	if err != nil {
		t.Fatal(err)
	}
	// The key and value an earlier warta wrote (index.mappingKey).
	if err := bi.SetInternal([]byte("warta_mapping_version"), []byte("2")); err != nil {
		t.Fatal(err)
	}
	if err := bi.Close(); err != nil {
		t.Fatal(err)
	}
	queries := []string{`"kota sawahlunto"`, `"di kota"`, `"yang telah"`, "sawahlunto"}
	var before []string
	for _, q := range queries {
		r := runWarta(t, nil, "search", "--data", data, "--limit", "0", q)
		if r.code != exitOK || !strings.Contains(r.stderr, "index_mapping_outdated") || !strings.Contains(r.stderr, "warta reindex --data") {
			t.Fatalf("search %s in an outdated index: exit %d, stderr %q; want 0 and a warning naming warta reindex", q, r.code, r.stderr)
		}
		before = append(before, r.stdout)
	}
	if r := runWarta(t, nil, "reindex", "--data", data); r.code != exitOK {
		t.Fatalf("reindex: exit %d: %s", r.code, r.stderr)
	}
	for i, q := range queries {
		r := runWarta(t, nil, "search", "--data", data, "--limit", "0", q)
		if r.code != exitOK || strings.Contains(r.stderr, "index_mapping_outdated") {
			t.Errorf("search %s after reindex: exit %d, stderr %q; want 0 and no warning", q, r.code, r.stderr)
		}
		if r.stdout != before[i] {
			t.Errorf("search %s after reindex printed %q, before %q", q, r.stdout, before[i])
		}
	}
}
