package main

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

// result is what one run of the program printed and returned.
type result struct {
	code           int
	stdout, stderr string
}

// runWarta runs the program in-process, as main would, with env vars from
// vars only.
func runWarta(t *testing.T, vars map[string]string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errOut, func(k string) string { return vars[k] })
	return result{code, out.String(), errOut.String()}
}

func TestUsageErrors(t *testing.T) {
	cfgDir := t.TempDir()
	longName := filepath.Join(cfgDir, "long.yaml")
	if err := os.WriteFile(longName, []byte("sites:\n  - name: "+strings.Repeat("k", 72)+"\n    base_url: https://x.org/\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	hugePage := filepath.Join(cfgDir, "huge.yaml")
	if err := os.WriteFile(hugePage, []byte("sites:\n  - name: a\n    base_url: https://x.org/\n    max_page_bytes: 1e30\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	badYAML := filepath.Join(cfgDir, "bad.yaml")
	if err := os.WriteFile(badYAML, []byte("sites:\n  - name: a\n    base_url: https://x.org/\n    delay: soon\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"unknown command", []string{"frobnicate"}, []string{"unknown command", "frobnicate"}},
		{"unknown flag", []string{"search", "--colour", "x"}, []string{"unknown flag", "--colour"}},
		{"missing config", []string{"crawl", "--config", filepath.Join(cfgDir, "none.yaml")}, []string{"none.yaml", "no such file"}},
		{"bad config", []string{"crawl", "--config", badYAML}, []string{"bad.yaml:4", "sites[0].delay", "soon"}},
		{"unknown site", []string{"crawl", "--site", "atlantis"}, []string{"atlantis", "sawahlunto"}},
		{"site name too long", []string{"crawl", "--config", longName}, []string{"long.yaml:2", "sites[0].name", "at most 64"}},
		{"page size overflows", []string{"crawl", "--config", hugePage}, []string{"huge.yaml:4", "sites[0].max_page_bytes", "1e30"}},
		{"search without query", []string{"search"}, []string{"missing QUERY"}},
		{"bad sort", []string{"search", "--sort", "random", "x"}, []string{"--sort"}},
		{"bad date", []string{"search", "--from", "kemarin", "x"}, []string{"--from", "kemarin"}},
		{"date before 1678", []string{"search", "--from", "1600-01-01", "x"}, []string{"--from", "1600-01-01", "outside the dates"}},
		{"date after 2262", []string{"search", "--to", "2300", "x"}, []string{"--to", "2300", "outside the dates"}},
		{"export date after 2262", []string{"export", "--to", "2263-01-01"}, []string{"--to", "outside the dates"}},
		{"extract without file", []string{"extract"}, []string{"want one FILE"}},
		{"demo articles", []string{"demo", "--articles", "0"}, []string{"--articles"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runWarta(t, nil, tt.args...)
			if r.code != exitUsage {
				t.Errorf("warta %v exit = %d, want %d; stderr: %s", tt.args, r.code, exitUsage, r.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("warta %v stderr = %q, want it to mention %q", tt.args, r.stderr, w)
				}
			}
		})
	}
}

func TestUnreachableStartURL(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "sites.yaml")
	// Port 1 on loopback: nothing listens there, the connection is refused.
	yaml := "sites:\n  - name: gone\n    base_url: http://127.0.0.1:1/\n    delay: 0s\n    timeout: 2s\n"
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runWarta(t, nil, "crawl", "--config", cfg, "--data", filepath.Join(dir, "data"))
	if r.code != exitFailure {
		t.Fatalf("crawl of an unreachable site: exit %d, want %d; stderr: %s", r.code, exitFailure, r.stderr)
	}
	if !strings.Contains(r.stderr, "127.0.0.1:1") {
		t.Errorf("stderr = %q, want it to name the unreachable URL", r.stderr)
	}
}

func TestDataDirFromEnv(t *testing.T) {
	dir := t.TempDir()
	r := runWarta(t, map[string]string{"WARTA_DATA": dir}, "search", "anything")
	if r.code != exitUsage || !strings.Contains(r.stderr, dir) {
		t.Errorf("search with WARTA_DATA=%s and no index: exit %d, stderr %q; want exit 2 naming the dir", dir, r.code, r.stderr)
	}
}

func TestLimitMemory(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	debug.SetMemoryLimit(math.MaxInt64)
	limitMemory(func(string) string { return "1GiB" })
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("limitMemory with GOMEMLIMIT set: limit = %d, want the user's (here none, %d)", got, int64(math.MaxInt64))
	}
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("limitMemory with GOGC set: GC percent = %d, want the user's (here 100)", got)
	}
	limitMemory(func(string) string { return "" })
	if got := debug.SetMemoryLimit(-1); got != memoryLimit {
		t.Errorf("limitMemory without GOMEMLIMIT: limit = %d, want %d", got, memoryLimit)
	}
	if got := debug.SetGCPercent(100); got != gcPercent {
		t.Errorf("limitMemory without GOGC: GC percent = %d, want %d", got, gcPercent)
	}
	for _, c := range []struct {
		live uint64
		want int64
	}{
		{0, memoryLimit},
		{memoryLimit / 2, memoryLimit},
		{300 << 20, 450 << 20},
		{math.MaxUint64, math.MaxInt64/2 + math.MaxInt64/4},
	} {
		if got := limitFor(c.live); got != c.want {
			t.Errorf("limitFor(%d live bytes) = %d, want %d", c.live, got, c.want)
		}
	}
}

// TestAddSyscallProc checks that warta takes one processor more than Go
// found, and leaves a GOMAXPROCS the user set alone.
func TestAddSyscallProc(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	runtime.GOMAXPROCS(2)
	addSyscallProc(func(k string) string {
		if k == "GOMAXPROCS" {
			return "2"
		}
		return ""
	})
	if got := runtime.GOMAXPROCS(0); got != 2 {
		t.Errorf("with GOMAXPROCS set: %d processors, want the user's 2", got)
	}
	addSyscallProc(func(string) string { return "" })
	if got := runtime.GOMAXPROCS(0); got != 3 {
		t.Errorf("without GOMAXPROCS: %d processors, want 3 (2 found, one more)", got)
	}
}
