// Command warta archives Indonesian regional news sites and makes the
// archive searchable. See README.md for the commands; this package only
// parses flags, wires the packages together and turns errors into exit
// codes.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"syscall"
	"time"
	_ "time/tzdata" // dates in WIB/WITA/WIT must work on machines without zoneinfo

	"github.com/spf13/cobra"

	"github.com/warta-id/warta/configs"
	"github.com/warta-id/warta/index"
	"github.com/warta-id/warta/internal/atomicfile"
)

// Exit codes of the interface: 0 success, 1 runtime failure, 2 bad usage or
// bad config.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

func main() {
	limitMemory(os.Getenv)
	addSyscallProc(os.Getenv)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// memoryLimit is the Go heap warta aims to stay under: with Go's default
// (the heap may grow to twice what is live) a crawl of 10,000 articles
// peaked at 397 MB of resident memory, with 224 MiB at 279-305 MB (the
// heap overshoots a soft limit while the collector waits for a CPU, and
// Bleve's mapped files come on top), with 208 MiB at 266-281 MB, for
// about 15% more collections. It is a soft limit, and it follows the live
// heap (limitFor), so a large archive's server is not collected without
// end.
const memoryLimit = 208 << 20

// addSyscallProc gives the Go scheduler one processor more than it found,
// unless the user set GOMAXPROCS. warta's writers fsync all the time (WARC
// group commits, article files, the crawl state, the index), and a
// goroutine in a system call keeps its processor until the runtime's
// monitor takes it back, up to milliseconds later: with one processor per
// core, a trace of a 5,000-article crawl found a core with nothing running
// for 28% of the time while 7 goroutines on average were ready to run.
// One processor more lets them run while another waits on the disk; the
// kernel shares the cores. A 10,000-article crawl of the demo site ran at
// 376 and 386 articles/s with 3 on two cores against 297 and 341 with 2,
// for the same CPU per article, and its WARC group commits took in half as
// many fsyncs again (2.7 per article against 4.0-4.2).
func addSyscallProc(getenv func(string) string) {
	if getenv("GOMAXPROCS") != "" {
		return
	}
	runtime.GOMAXPROCS(runtime.GOMAXPROCS(0) + 1)
}

// gcPercent is warta's GOGC: the heap may grow by this share of what is
// live before the collector runs again, under the soft memory limit.
// Once the WARC writer's index and the benchmark's request log held less,
// Go's default of 100 had a 10,000-article crawl collect 130-136 times
// (a smaller live heap, a lower goal), peaking at 248-257 MB resident;
// with 150 it collected 89-93 times and peaked at 252-257 MB, and the
// collector's share of the CPU profile went from 9.7% to 7.7%; with 200,
// 73-75 times but 266-267 MB (load 12-14).
const gcPercent = 150

// limitMemory sets warta's GOGC (gcPercent) and a soft memory limit for
// the process, unless the user set them with GOGC and GOMEMLIMIT:
// memoryLimit while little is live, then room above the live heap
// (limitFor), checked every second.
func limitMemory(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(memoryLimit)
	followLiveHeap.Do(func() {
		go func() {
			live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
			for range time.Tick(time.Second) {
				metrics.Read(live)
				if live[0].Value.Kind() == metrics.KindUint64 {
					debug.SetMemoryLimit(limitFor(live[0].Value.Uint64()))
				}
			}
		}()
	})
}

var followLiveHeap sync.Once

// limitFor is the soft memory limit for a live heap of live bytes:
// memoryLimit, or half again the live heap once that is more. A fixed
// limit under a live heap that outgrew it would have the collector run
// all the time (up to half the CPU); half again is what GOGC=50 allows.
func limitFor(live uint64) int64 {
	l := int64(min(live, math.MaxInt64/2))
	return max(memoryLimit, l+l/2)
}

// env is what a command reads from its surroundings; tests pass their own.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	log    *slog.Logger
	// prog is how to run warta again, for hints (see progName).
	prog string
	// args are the arguments warta was given, for hints that repeat them.
	args []string
	// started is set when a command's own code begins: errors cobra returns
	// before that (unknown commands, bad arguments) are usage errors.
	started bool
	// archive is the data directory the command found an archive in
	// (archiveDir), for hints about it.
	archive string
	// archiveFS, when set, is the file system archives are written
	// through (benchmarks count fsyncs with it; tests fill the disk).
	archiveFS atomicfile.FS
}

// usageError marks an error as the user's: a bad flag, argument or config.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// run is the whole program behind main, callable from tests.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv, prog: progName(os.Args[0]), args: args}
	e.log = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	root := newRoot(e)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(stderr, "warta: %v\n", err)
	var se *index.SyntaxError
	if errors.As(err, &se) {
		fmt.Fprintln(stderr, se.Caret())
	}
	if errors.Is(err, index.ErrUnreadable) && e.archive != "" {
		fmt.Fprintf(stderr, "warta: the index is derived from the archive; rebuild it with: %s\n", e.commandLine("reindex", "--data", e.archive))
	}
	if !e.started || isUsage(err) {
		return exitUsage
	}
	return exitFailure
}

func isUsage(err error) bool {
	var ue usageError
	var ce *configs.Error
	var se *index.SyntaxError
	return errors.As(err, &ue) || errors.As(err, &ce) || errors.As(err, &se)
}

func newRoot(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "warta",
		Short: "Archive Indonesian regional news sites and search the archive",
		Long: `warta crawls news sites politely, extracts each article cleanly, keeps
what it fetched as WARC files and each article as JSON, and answers
full-text searches over the archive.

Start with:  warta demo`,
		Version:       versionText(),
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmd.Help()
		},
	}
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		if tok, ok := dashQuery(cmd, err); ok {
			return usageError{fmt.Errorf("%s: %w\na query that starts with '-' goes after --, as in:\n  %s", cmd.Name(), err, e.commandLine(cmd.Name(), "--", tok, "banjir"))}
		}
		if !cmd.HasParent() {
			return usageError{fmt.Errorf("%w (see `%s`)", err, e.commandLine("--help"))}
		}
		return usageError{fmt.Errorf("%s: %w (see `%s`)", cmd.Name(), err, e.commandLine(cmd.Name(), "--help"))}
	})
	root.PersistentFlags().Bool("verbose", false, "log debug details to stderr")
	root.PersistentPreRun = func(cmd *cobra.Command, args []string) {
		e.started = true
		if v, _ := cmd.Flags().GetBool("verbose"); v {
			e.log = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
		}
	}
	root.AddCommand(
		newDemoCmd(e),
		newCrawlCmd(e),
		newSearchCmd(e),
		newExtractCmd(e),
		newEvalCmd(e),
		newExportCmd(e),
		newVerifyCmd(e),
		newHistoryCmd(e),
		newReextractCmd(e),
		newImportCmd(e),
		newBackfillCmd(e),
		newReindexCmd(e),
		newScheduleCmd(e),
		newServeCmd(e),
	)
	return root
}

// dataDir returns the --data flag's value, or $WARTA_DATA, or def.
func (e *env) dataDir(cmd *cobra.Command, def string) string {
	if f := cmd.Flags().Lookup("data"); f != nil && f.Changed {
		return f.Value.String()
	}
	if v := e.getenv("WARTA_DATA"); v != "" && def != demoDataDir {
		return v
	}
	return def
}

func addDataFlag(cmd *cobra.Command, def string) {
	cmd.Flags().String("data", def, "data directory (default $WARTA_DATA or "+def+")")
}

const (
	defaultDataDir = "./warta-data"
	demoDataDir    = "./warta-demo"
)
