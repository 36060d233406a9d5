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
	var worst int
	cmd := &cobra.Command{
		Use:   "eval [--worst N] CORPUS_DIR...",
		Short: "score extraction against corpus folders (shingle F1)",
		Long: `Score warta's generic extractor against corpus folders, each holding
pages/<key>.html.gz and truth.json (each key's url and articleBody). Prints
precision, recall and F1 of the body text (shingle F1 of the public
article-extraction benchmark), the worst pages and the time per page. A
listing corpus (truth with first_article_urls) is scored on the first three
article links found on each page.`,
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
				rep, err := eval.Run(dir, bodyExtractor)
				if err != nil {
					return err
				}
				rep.Name = "warta"
				rep.Print(e.stdout, worst)
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&worst, "worst", 5, "list this many worst pages")
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
