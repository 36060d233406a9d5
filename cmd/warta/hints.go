package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
)

// progName returns how to run warta again from the command line, judged
// by argv0: "go run ./cmd/warta" under go run (and go test), the bare name
// when PATH finds this binary, otherwise the path it was started by.
func progName(argv0 string) string {
	if argv0 == "" {
		return "warta"
	}
	if strings.Contains(filepath.ToSlash(argv0), "/go-build") {
		return "go run ./cmd/warta"
	}
	if !strings.ContainsRune(argv0, filepath.Separator) {
		return argv0
	}
	base := filepath.Base(argv0)
	if found, err := exec.LookPath(base); err == nil {
		a, err1 := filepath.Abs(found)
		b, err2 := filepath.Abs(argv0)
		if err1 == nil && err2 == nil && a == b {
			return base
		}
	}
	return shellQuote(argv0)
}

// shellQuote quotes s for a POSIX shell when it needs quoting.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=:,+@%", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// commandLine returns a command line for the shell: the program, then
// args, each quoted as needed.
func (e *env) commandLine(args ...string) string {
	q := make([]string, 0, len(args)+1)
	q = append(q, e.prog)
	for _, a := range args {
		q = append(q, shellQuote(a))
	}
	return strings.Join(q, " ")
}

// hasArchive reports whether dir holds an archive (article files or an
// index).
func hasArchive(dir string) bool {
	for _, sub := range []string{"articles", "index"} {
		if st, err := os.Stat(filepath.Join(dir, sub)); err == nil && st.IsDir() {
			return true
		}
	}
	return false
}

// archiveDir returns the data directory of cmd when it holds an archive,
// or an error that says where the archives are: the demo's, when there is
// one, with the same command line pointed at it.
func (e *env) archiveDir(cmd *cobra.Command) (string, error) {
	dir := e.dataDir(cmd, defaultDataDir)
	if hasArchive(dir) {
		e.archive = dir
		return dir, nil
	}
	return "", e.noArchive(cmd, dir)
}

// noArchive is the error of a command that found no archive in dir.
func (e *env) noArchive(cmd *cobra.Command, dir string) error {
	if filepath.Clean(dir) != filepath.Clean(demoDataDir) && hasArchive(demoDataDir) {
		return usagef("%s: no archive in %s; the demo's archive is in %s, try:\n  %s",
			cmd.Name(), dir, demoDataDir, e.commandLine(withData(e.args, cmd.Name(), demoDataDir)...))
	}
	return usagef("%s: no archive in %s; make one with `%s` (the demo site, into %s) or `%s`, or give --data DIR",
		cmd.Name(), dir, e.commandLine("demo"), demoDataDir, e.commandLine("crawl", "--site", "NAME"))
}

// withData returns args (as given to warta) with --data dir right after the
// command name and any other --data dropped.
func withData(args []string, name, dir string) []string {
	out := make([]string, 0, len(args)+2)
	placed := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--data":
			i++
			continue
		case strings.HasPrefix(a, "--data="):
			continue
		}
		out = append(out, a)
		if !placed && a == name {
			out = append(out, "--data", dir)
			placed = true
		}
	}
	return out
}

// dashQuery reports whether err is an unknown flag of a command that takes
// a query, and returns the flag as typed: likely a query word such as
// -jalan (NOT jalan).
func dashQuery(cmd *cobra.Command, err error) (string, bool) {
	if cmd.Name() != "search" && cmd.Name() != "export" {
		return "", false
	}
	// Only single-dash words: --colour is a mistyped flag, not a query.
	msg := err.Error()
	if strings.HasPrefix(msg, "unknown shorthand flag: ") && strings.Contains(msg, " in -") {
		return msg[strings.LastIndex(msg, " in -")+4:], true
	}
	return "", false
}
