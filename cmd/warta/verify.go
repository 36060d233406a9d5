package main

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/warta-id/warta/archive"
	"github.com/warta-id/warta/index"
)

func newVerifyCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "verify [--data DIR]",
		Short: "check the archive: WARC digests, every article's capture, the index against the articles",
		Args:  cobra.NoArgs,
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
			rep, err := store.Verify(cmd.Context())
			if err != nil {
				return err
			}
			problems := make([]string, 0, len(rep.Problems))
			for _, p := range rep.Problems {
				problems = append(problems, p.String())
			}
			indexed, ierr := indexedCount(dataDir)
			switch {
			case ierr != nil:
				problems = append(problems, fmt.Sprintf("index: %v", ierr))
			case indexed != uint64(rep.Articles):
				problems = append(problems, fmt.Sprintf("index: holds %d articles, the archive %d (run `warta reindex`)", indexed, rep.Articles))
			}
			fmt.Fprintf(e.stdout, "%s, %s, %s; %s, %s; %d indexed\n",
				plural(uint64(rep.WARCFiles), "WARC file", "WARC files"), plural(uint64(rep.Records), "record", "records"),
				plural(uint64(rep.Captures), "capture", "captures"), plural(uint64(rep.Articles), "article", "articles"),
				plural(uint64(rep.Versions), "version", "versions"), indexed)
			for _, t := range rep.TornFiles {
				fmt.Fprintf(e.stdout, "set aside after a crash: %s\n", t)
			}
			if len(problems) == 0 {
				fmt.Fprintln(e.stdout, "ok")
				return nil
			}
			for _, p := range problems {
				fmt.Fprintf(e.stdout, "problem: %s\n", p)
			}
			return fmt.Errorf("verify: %d problems in %s", len(problems), dataDir)
		},
	}
	addDataFlag(cmd, defaultDataDir)
	return cmd
}

func indexedCount(dataDir string) (uint64, error) {
	idx, err := index.Open(filepath.Join(dataDir, "index"), index.Options{NoCreate: true})
	if err != nil {
		return 0, err
	}
	defer idx.Close()
	return idx.Count()
}
