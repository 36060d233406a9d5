package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/warta-id/warta/archive"
	"github.com/warta-id/warta/configs"
	"github.com/warta-id/warta/crawler"
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
			if req.From, err = parseDay(from, false); err != nil {
				return usagef("export: --from: %v", err)
			}
			if req.To, err = parseDay(to, true); err != nil {
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
				w = archive.NewJSONLWriter(e.stdout)
			case "csv":
				w = archive.NewCSVWriter(e.stdout)
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

func newVerifyCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "verify [--data DIR]",
		Short: "check the archive: WARC digests, every article's capture, the index against the articles",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			dataDir := e.dataDir(cmd, defaultDataDir)
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
			fmt.Fprintf(e.stdout, "%d WARC files, %d records, %d captures; %d articles, %d versions; %d indexed\n",
				rep.WARCFiles, rep.Records, rep.Captures, rep.Articles, rep.Versions, indexed)
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
			store, err := archive.Open(e.dataDir(cmd, defaultDataDir), archive.Options{ReadOnly: true})
			if err != nil {
				return err
			}
			defer store.Close()
			id := args[0]
			versions, err := store.Versions(id)
			if err != nil {
				return err
			}
			if len(args) == 1 {
				tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "version\tfetched\tcontent hash\t")
				for _, v := range versions {
					mark := ""
					if v.Latest {
						mark = "latest"
					}
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", v.N, v.FetchedAt.Format(time.RFC3339), v.ContentHash, mark)
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

// writeDiff prints a word-level diff in git's word-diff style: [-gone-]
// and {+new+}.
func writeDiff(w io.Writer, label, a, b string) {
	if a == b {
		fmt.Fprintf(w, "%s: unchanged\n", label)
		return
	}
	fmt.Fprintf(w, "%s:\n", label)
	var sb strings.Builder
	for _, op := range archive.Diff(a, b) {
		switch op.Kind {
		case archive.DiffDelete:
			sb.WriteString("[-" + op.Text + "-]")
		case archive.DiffInsert:
			sb.WriteString("{+" + op.Text + "+}")
		default:
			sb.WriteString(op.Text)
		}
	}
	fmt.Fprintln(w, sb.String())
}

// siteFinder tells which configured site a URL belongs to.
type siteFinder struct {
	sites []*configs.Site
	force *configs.Site
}

func (f siteFinder) find(raw string) *configs.Site {
	if f.force != nil {
		return f.force
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil
	}
	for _, s := range f.sites {
		for _, h := range s.Hosts() {
			if strings.EqualFold(h, u.Host) || strings.EqualFold(h, u.Hostname()) {
				return s
			}
		}
	}
	return nil
}

// nonName matches the runs of characters a site name cannot hold.
var nonName = regexp.MustCompile(`[^a-z0-9]+`)

// hostSite makes a site without a profile for an archived host that no
// config names, so imported articles still get a site and an id.
func hostSite(host string) *configs.Site {
	name := strings.Trim(nonName.ReplaceAllString(strings.ToLower(host), "-"), "-")
	if name == "" {
		name = "unknown"
	}
	cfg, err := configs.Parse("import", []byte(fmt.Sprintf("sites:\n  - name: %q\n    base_url: %q\n", name, "http://"+host+"/")))
	if err != nil {
		return nil
	}
	return cfg.Sites[0]
}

// articlePage presents an archived capture as the crawler would have
// handed it over.
func articlePage(c *archive.Capture) *crawler.Page {
	return &crawler.Page{
		Kind: crawler.KindArticle, URL: c.URL, RequestURL: c.URL, Method: c.Method,
		RequestHeader: c.RequestHeader, Proto: c.Proto, Status: c.Status, Header: c.Header,
		Body: c.Body, Truncated: c.Truncated, FetchedAt: c.FetchedAt,
	}
}

// isHTML reports whether a capture is an HTML page worth extracting.
func isHTML(c *archive.Capture) bool {
	ct := strings.ToLower(c.Header.Get("Content-Type"))
	return c.Status == 200 && (ct == "" || strings.Contains(ct, "html"))
}
