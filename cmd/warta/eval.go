package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/extract/eval"
)

func newEvalCmd(e *env) *cobra.Command {
	var (
		worst int
		peers bool
	)
	cmd := &cobra.Command{
		Use:   "eval [--worst N] [--peers] CORPUS_DIR...",
		Short: "score extraction against corpus folders (shingle F1)",
		Long: `Score warta's generic extractor against corpus folders, each holding
pages/<key>.html.gz and truth.json (each key's url and articleBody). Prints
precision, recall and F1 of the body text (shingle F1 of the public
article-extraction benchmark), the worst pages and the time per page. A
listing corpus (truth with first_article_urls) is scored on the first three
article links found on each page.

Beside F1 it prints the tail: the pages under 0.5 and under 0.8. With
--peers, go-readability (and go-trafilatura in a warta built with
"-tags peers") run on the same pages (several times slower than warta),
their rows are printed beside warta's, and every page where a peer beats
warta by more than 0.2 is listed with both scores. go-trafilatura is left
out of the default build because its date tables cost every warta command
0.4 s and 80 MB at start: go run -tags peers ./cmd/warta eval --peers DIR.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("eval: want a corpus folder, for example ../shared/corpus/id-news-dev")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, dir := range args {
				truth, err := os.ReadFile(filepath.Join(dir, "truth.json"))
				if err != nil {
					return usagef("eval: %s is not a corpus folder: %v", dir, err)
				}
				if strings.Contains(string(truth), `"first_article_urls"`) {
					scores, err := eval.RunListings(dir, extract.ArticleLinks)
					if err != nil {
						return err
					}
					fmt.Fprintf(e.stdout, "%s (listing pages: first three article links)\n", dir)
					eval.PrintListings(e.stdout, scores)
					continue
				}
				pages, err := eval.Load(dir)
				if err != nil {
					return err
				}
				rep := eval.Score(pages, bodyExtractor)
				rep.Name, rep.Dir = "warta", dir
				rep.Print(e.stdout, worst)
				fmt.Fprintf(e.stdout, "tail: %d pages under 0.5, %d under 0.8; median %.2f ms/page\n",
					rep.Under(0.5), rep.Under(0.8), float64(rep.Median())/1e6)
				if !peers {
					continue
				}
				if len(linkedPeers) == 0 {
					fmt.Fprintln(e.stdout, "go-trafilatura: not in this build; go run -tags peers ./cmd/warta eval --peers compares with it too")
				}
				reports := []eval.Report{rep}
				for _, p := range append(linkedPeers, eval.Peers...) {
					r := eval.Score(pages, p.Fn)
					r.Name, r.Dir = p.Name, dir
					reports = append(reports, r)
				}
				fmt.Fprintln(e.stdout)
				eval.PrintCompare(e.stdout, true, reports...)
				beaten := rep.BeatenBy(0.2, reports[1:]...)
				fmt.Fprintf(e.stdout, "pages where a peer beats warta by more than 0.2: %d\n", len(beaten))
				for _, b := range beaten {
					fmt.Fprintf(e.stdout, "  %-40s warta %.3f  %s %.3f\n", b.Key, b.Ours, b.Peer, b.PeerScore)
				}
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&worst, "worst", 5, "list this many worst pages")
	cmd.Flags().BoolVar(&peers, "peers", false, "also run go-readability (and go-trafilatura, built with -tags peers) and list the pages where one beats warta by more than 0.2")
	return cmd
}

// bodyExtractor is the generic extractor as the corpus metric sees it: the
// body text of the page.
func bodyExtractor(page []byte, pageURL string) (string, error) {
	a, err := extract.Extract(page, pageURL, extract.Options{})
	if err != nil {
		return "", err
	}
	return a.Body, nil
}
