package main

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/warta-id/warta/archive"
	"github.com/warta-id/warta/export"
	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/index"
)

func newExportCmd(e *env) *cobra.Command {
	var (
		format   string
		req      index.Request
		from, to string
	)
	cmd := &cobra.Command{
		Use:   "export [--data DIR] [--format jsonl|csv] [--site S] [--from DATE] [--to DATE] [QUERY]",
		Short: "write the archived articles to stdout as JSONL or CSV, optionally filtered",
		Long: `Write archived articles to stdout, streaming, one per line (JSONL: the
Article JSON; CSV: one row per article with a header). Without QUERY every
article of the archive (optionally of one site and date range) is written
from the archive itself; with QUERY, the articles that search finds.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			zone := dateZone(e, req.Site)
			if req.From, err = index.ParseDate(from, false, zone); err != nil {
				return usagef("export: --from: %v", err)
			}
			if req.To, err = index.ParseDate(to, true, zone); err != nil {
				return usagef("export: --to: %v", err)
			}
			req.Query = strings.Join(args, " ")
			var w interface {
				Write(*extract.Article) error
				Flush() error
				Count() int
			}
			switch format {
			case "jsonl", "json":
				w = export.NewJSONL(e.stdout)
			case "csv":
				w = export.NewCSV(e.stdout)
			default:
				return usagef("export: --format %q: want jsonl or csv", format)
			}
			dataDir := e.dataDir(cmd, defaultDataDir)
			store, err := archive.Open(dataDir, archive.Options{ReadOnly: true})
			if err != nil {
				return err
			}
			defer store.Close()
			if err := exportArticles(cmd.Context(), store, dataDir, req, w.Write); err != nil {
				return err
			}
			if err := w.Flush(); err != nil {
				return err
			}
			e.log.Info("exported", "articles", w.Count())
			return nil
		},
	}
	addDataFlag(cmd, defaultDataDir)
	f := cmd.Flags()
	f.StringVar(&format, "format", "jsonl", "jsonl or csv")
	f.StringVar(&req.Site, "site", "", "only articles of this site")
	f.StringVar(&from, "from", "", "only articles published on or after this day (YYYY-MM-DD)")
	f.StringVar(&to, "to", "", "only articles published on or before this day (YYYY-MM-DD)")
	return cmd
}

// exportPage is how many search hits export asks for at a time.
const exportPage = 1000

// exportArticles calls write for every article that req selects: from the
// archive directly when there is no query, through the index otherwise.
func exportArticles(ctx context.Context, store *archive.Store, dataDir string, req index.Request, write func(*extract.Article) error) error {
	if strings.TrimSpace(req.Query) == "" {
		return store.Walk(ctx, func(a *extract.Article) error {
			if !inFilter(a, req) {
				return nil
			}
			return write(a)
		})
	}
	idx, err := index.Open(filepath.Join(dataDir, "index"), index.Options{})
	if err != nil {
		return err
	}
	defer idx.Close()
	req.Sort, req.Limit = "date", exportPage
	for req.Offset = 0; ; req.Offset += exportPage {
		res, err := idx.Search(ctx, req)
		if err != nil {
			return err
		}
		for _, h := range res.Hits {
			a, err := store.Article(h.ID)
			if errors.Is(err, archive.ErrNotFound) {
				continue // indexed but no longer archived: verify reports it
			}
			if err != nil {
				return err
			}
			if err := write(a); err != nil {
				return err
			}
		}
		if len(res.Hits) < exportPage {
			return nil
		}
	}
}

// inFilter reports whether a passes the site and date filters of req.
func inFilter(a *extract.Article, req index.Request) bool {
	if req.Site != "" && a.Site != req.Site {
		return false
	}
	if req.From.IsZero() && req.To.IsZero() {
		return true
	}
	pub, err := time.Parse(time.RFC3339, a.Published)
	if err != nil {
		return false // undated articles are left out of a date range
	}
	return (req.From.IsZero() || !pub.Before(req.From)) && (req.To.IsZero() || !pub.After(req.To))
}
