package main

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
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
		out      string
	)
	cmd := &cobra.Command{
		Use:   "export [--data DIR] [--format jsonl|csv|wacz] [--out FILE] [--site S] [--from DATE] [--to DATE] [QUERY]",
		Short: "write the archived articles as JSONL or CSV, or a WACZ package, optionally filtered",
		Long: `Write archived articles to stdout, streaming, one per line (JSONL: the
Article JSON; CSV: one row per article with a header). Without QUERY every
article of the archive (optionally of one site and date range) is written
from the archive itself; with QUERY, the articles that search finds.

--format wacz --out FILE.wacz writes a WACZ 1.1.1 package instead, which
ReplayWeb.page and pywb open: the matching articles' pages, with the
images and page requisites they need, in a fresh WARC file, its CDXJ
index and a list of the pages.`,
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
			if (format == "wacz") != (out != "") {
				return usagef("export: --out FILE.wacz goes with --format wacz, and only with it")
			}
			dataDir, err := e.archiveDir(cmd)
			if err != nil {
				return err
			}
			store, err := archive.Open(dataDir, archive.Options{ReadOnly: true, Logger: e.log, Software: "warta/" + moduleVersion()})
			if err != nil {
				return err
			}
			defer store.Close()
			switch format {
			case "jsonl", "json":
				w = export.NewJSONL(e.stdout)
			case "csv":
				w = export.NewCSV(e.stdout)
			case "wacz":
				zw, err := store.NewWACZ(out, archive.WACZOptions{Title: waczTitle(req), Description: waczDescription(req)})
				if err != nil {
					return err
				}
				defer zw.Close()
				w = zw
			default:
				return usagef("export: --format %q: want jsonl, csv or wacz", format)
			}
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
	f.StringVar(&format, "format", "jsonl", "jsonl, csv or wacz")
	f.StringVar(&out, "out", "", "with --format wacz: the package file to write")
	f.StringVar(&req.Site, "site", "", "only articles of this site")
	f.StringVar(&from, "from", "", "only articles published on or after this day (YYYY-MM-DD)")
	f.StringVar(&to, "to", "", "only articles published on or before this day (YYYY-MM-DD)")
	return cmd
}

// exportArticles calls write for every article that req selects: from the
// archive directly when there is no query, through the index otherwise,
// however many match (index.Each pages without offsets).
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
	req.Sort = "date"
	return idx.Each(ctx, req, func(h index.Hit) error {
		a, err := store.Article(h.ID)
		if errors.Is(err, archive.ErrNotFound) {
			return nil // indexed but no longer archived: verify reports it
		}
		if err != nil {
			return err
		}
		return write(a)
	})
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

// waczTitle names a WACZ package after what selected its articles.
func waczTitle(req index.Request) string {
	switch {
	case req.Query != "":
		return "warta: " + req.Query
	case req.Site != "":
		return "warta: " + req.Site
	}
	return "warta export"
}

// waczDescription says in words which articles a package holds.
func waczDescription(req index.Request) string {
	var parts []string
	if req.Query != "" {
		parts = append(parts, "query "+strconv.Quote(req.Query))
	}
	if req.Site != "" {
		parts = append(parts, "site "+req.Site)
	}
	if !req.From.IsZero() {
		parts = append(parts, "from "+req.From.Format(time.DateOnly))
	}
	if !req.To.IsZero() {
		parts = append(parts, "to "+req.To.Format(time.DateOnly))
	}
	if len(parts) == 0 {
		return "every archived article"
	}
	return "articles matching " + strings.Join(parts, ", ")
}
