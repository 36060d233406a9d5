package main

import (
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestServeUsageErrors(t *testing.T) {
	data := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no archive", []string{"serve", "--data", filepath.Join(data, "none")}, "no archive in"},
		{"bad addr", []string{"serve", "--data", data, "--addr", "8080"}, "--addr"},
		{"demo bad serve addr", []string{"demo", "--data", data, "--serve", "localhost"}, "--serve"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "bad addr" {
				// An archive must be there for the address to be checked.
				if r := runWarta(t, nil, "demo", "--data", data, "--articles", "3"); r.code != exitOK {
					t.Fatalf("warta demo: exit %d: %s", r.code, r.stderr)
				}
			}
			r := runWarta(t, nil, tt.args...)
			if r.code != exitUsage {
				t.Errorf("warta %v: exit %d, want %d", tt.args, r.code, exitUsage)
			}
			if !strings.Contains(r.stderr, tt.want) {
				t.Errorf("warta %v: stderr %q, want it to mention %q", tt.args, r.stderr, tt.want)
			}
		})
	}
}

// TestServeHostRule runs `warta serve` and checks its Host rule against DNS
// rebinding: loopback names and --allow-host names are answered, other
// names get 421; every answer carries nosniff (/metrics lacked it).
func TestServeHostRule(t *testing.T) {
	data := t.TempDir()
	if r := runWarta(t, nil, "demo", "--data", data, "--articles", "3"); r.code != exitOK {
		t.Fatalf("warta demo: exit %d: %s", r.code, r.stderr)
	}
	if r := runWarta(t, nil, "serve", "--data", data, "--allow-host", "http://warta.lan/"); r.code != exitUsage || !strings.Contains(r.stderr, "--allow-host") {
		t.Errorf("serve --allow-host URL: exit %d, stderr %q; want exit 2 naming --allow-host", r.code, r.stderr)
	}
	addr, stop, stderr := serveInProcess(t, "serve", "--data", data, "--addr", "127.0.0.1:0", "--allow-host", "warta.lan")
	for _, tt := range []struct {
		host, path string
		status     int
	}{
		{"evil.example", "/", http.StatusMisdirectedRequest},
		{"evil.example:" + strings.Split(addr, ":")[1], "/api/search?q=sawahlunto", http.StatusMisdirectedRequest},
		{"localhost." + "evil.example", "/metrics", http.StatusMisdirectedRequest},
		{"", "/metrics", http.StatusOK}, // the address itself
		{"localhost:1234", "/metrics", http.StatusOK},
		{"warta.lan", "/api/search?q=sawahlunto", http.StatusOK},
	} {
		req, err := http.NewRequest("GET", "http://"+addr+tt.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if tt.host != "" {
			req.Host = tt.host
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("GET %s Host %q: %v", tt.path, tt.host, err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.status {
			t.Errorf("GET %s Host %q: status %d, want %d", tt.path, tt.host, resp.StatusCode, tt.status)
		}
		if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("GET %s Host %q: X-Content-Type-Options %q, want nosniff", tt.path, tt.host, got)
		}
	}
	if code := stop(); code != exitOK {
		t.Errorf("warta serve exited with %d after the interrupt, want 0:\n%s", code, stderr)
	}
}

// TestServeWithoutIndex checks that `warta serve` over an archive whose
// index directory is gone says so and how to rebuild it, instead of
// making an empty index and answering every search with nothing (failed
// before: it served, 0 hits in an archive of 3 articles).
func TestServeWithoutIndex(t *testing.T) {
	data := t.TempDir()
	if r := runWarta(t, nil, "demo", "--data", data, "--articles", "3"); r.code != exitOK {
		t.Fatalf("warta demo: exit %d: %s", r.code, r.stderr)
	}
	if err := os.RemoveAll(filepath.Join(data, "index")); err != nil {
		t.Fatal(err)
	}
	r := runWarta(t, nil, "serve", "--data", data, "--addr", "127.0.0.1:0")
	if r.code != exitFailure || !strings.Contains(r.stderr, "no index in") || !strings.Contains(r.stderr, "reindex --data "+data) {
		t.Errorf("serve without index: exit %d, stderr %q; want exit 1 naming the reindex that rebuilds it", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(data, "index")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("serve without index made %s: %v", filepath.Join(data, "index"), err)
	}
}
