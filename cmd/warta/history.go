package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/warta-id/warta/archive"
	"github.com/warta-id/warta/diff"
)

func newHistoryCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "history [--data DIR] ID [A B]",
		Short: "list an article's archived versions; with A and B, a word-level diff between versions A and B",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 && len(args) != 3 {
				return usagef("history: want ID, or ID and two version numbers")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			dataDir, err := e.archiveDir(cmd)
			if err != nil {
				return err
			}
			store, err := archive.Open(dataDir, archive.Options{ReadOnly: true})
			if err != nil {
				return err
			}
			defer store.Close()
			id := args[0]
			versions, err := store.Versions(id)
			if errors.Is(err, archive.ErrNotFound) {
				return usagef("history: no article %s in %s (the ids are in the second column of `%s`)", id, dataDir, e.commandLine("search", "--data", dataDir, "QUERY"))
			}
			if errors.Is(err, archive.ErrInvalidID) {
				return usageError{fmt.Errorf("history: %w", errors.Unwrap(err))}
			}
			if err != nil {
				return err
			}
			if len(args) == 1 {
				tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "version\tfetched\tcontent hash\tsource\t")
				for _, v := range versions {
					mark := ""
					if v.Latest {
						mark = "latest"
					}
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", v.N, v.FetchedAt.Format(time.RFC3339), v.ContentHash, versionSource(v), mark)
				}
				return tw.Flush()
			}
			var nums [2]int
			for i, s := range args[1:] {
				n, err := strconv.Atoi(s)
				if err != nil || n < 1 || n > len(versions) {
					return usagef("history: version %q: want a number from 1 to %d", s, len(versions))
				}
				nums[i] = n
			}
			a, err := store.Version(id, nums[0])
			if err != nil {
				return err
			}
			b, err := store.Version(id, nums[1])
			if err != nil {
				return err
			}
			writeDiff(e.stdout, "title", a.Title, b.Title)
			writeDiff(e.stdout, "body", a.Body, b.Body)
			return nil
		},
	}
	addDataFlag(cmd, defaultDataDir)
	return cmd
}

// versionSource says where a version was captured: "crawl", or the web
// archive and its copy's URL.
func versionSource(v archive.Version) string {
	if v.Source == "" {
		return "crawl"
	}
	if v.SourceURL == "" {
		return terminalSafe(v.Source)
	}
	return terminalSafe(v.Source + " " + v.SourceURL)
}

// writeDiff prints a word-level diff in git's word-diff style: [-gone-]
// and {+new+}.
func writeDiff(w io.Writer, label, a, b string) {
	if a == b {
		fmt.Fprintf(w, "%s: unchanged\n", label)
		return
	}
	fmt.Fprintf(w, "%s:\n", label)
	var sb strings.Builder
	for _, op := range diff.Words(a, b) {
		switch op.Kind {
		case diff.Delete:
			sb.WriteString("[-" + op.Text + "-]")
		case diff.Insert:
			sb.WriteString("{+" + op.Text + "+}")
		default:
			sb.WriteString(op.Text)
		}
	}
	fmt.Fprintln(w, terminalSafe(sb.String()))
}
