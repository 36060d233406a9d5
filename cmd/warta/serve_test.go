package main

import (
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
