package main

import (
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/warta-id/warta/extract"
)

func newExtractCmd(e *env) *cobra.Command {
	var (
		pageURL, siteName, configPath, fetched, hintsPath string
		explain, asJSON                                   bool
	)
	cmd := &cobra.Command{
		Use:   "extract [--url URL] [--site NAME] [--hints FILE] [--explain] FILE|-",
		Short: "extract one saved HTML page and print the article JSON (no network, no archive)",
		Long: `Extract one saved HTML page and print its Article JSON. With --site, the
extraction profile of that site (from --config or the built-in configs) is
used; without it, the generic extractor. --url tells extraction where the
page came from (for links, images and the article id); --fetched-at when it
was fetched (the anchor of relative dates such as "2 jam yang lalu");
--hints the chrome a crawl learned on the site's other pages
(DATA/articles/SITE/site-hints.json), to see the page as the pipeline
extracts it now (--explain lists what it drops as site-boilerplate).

With --explain, the report gives the confidence in the generic result and
the path whose text won (generic; generic+kept when go-readability was asked
for a second opinion and lost; readability when it won; profile), and lists
every block that extraction removed, the rule that removed it and its text, so that whoever writes a profile can
check that nothing of the article was thrown away (--json: the article and
the removals as one JSON object).`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("extract: want one FILE (or - for stdin), got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			var opt extract.Options
			if fetched != "" {
				t, err := time.Parse(time.RFC3339, fetched)
				if err != nil {
					return usagef("extract: --fetched-at %q: want an RFC 3339 time such as 2021-12-23T10:00:00+07:00", fetched)
				}
				opt.FetchedAt = t
			}
			if siteName != "" {
				finder, err := finderFor(configPath, siteName)
				if err != nil {
					return err
				}
				site := finder.force
				opt.Site, opt.Profile, opt.Rules, opt.Location, opt.Hosts, opt.SiteTitle = site.Name, site.Name, site.Extract, site.Location(), site.Hosts(), site.Title
			}
			if hintsPath != "" {
				data, err := os.ReadFile(hintsPath)
				if err != nil {
					return usagef("extract: --hints: %v", err)
				}
				l, err := extract.LoadSiteLearner(data)
				if err != nil {
					return usagef("extract: --hints %s: %v", hintsPath, err)
				}
				opt.Hints = l.Hints()
			}
			page, err := readInput(e.stdin, args[0])
			if err != nil {
				return err
			}
			if pageURL == "" {
				pageURL = fileURL(args[0])
			}
			if opt.Site == "" {
				// An id is SITE-HEX; a page of no site gets one that says so.
				opt.Site = localSite
			}
			if !explain {
				art, err := extract.Extract(page, pageURL, opt)
				if err != nil {
					return fmt.Errorf("extract %s: %w", args[0], err)
				}
				return writeJSON(e.stdout, art)
			}
			art, ex, err := extract.ExplainAll(page, pageURL, opt)
			if err != nil {
				return fmt.Errorf("extract %s (confidence %.2f, path %s): %w", args[0], ex.Confidence, ex.Path, err)
			}
			if asJSON {
				return writeJSON(e.stdout, struct {
					Article    *extract.Article   `json:"article"`
					Removed    []extract.Removal  `json:"removed"`
					Confidence float64            `json:"confidence"`
					Signals    map[string]float64 `json:"signals,omitempty"`
					Path       string             `json:"path"`
				}{art, ex.Removed, ex.Confidence, ex.Signals, ex.Path})
			}
			return writeExplain(e.stdout, art, ex)
		},
	}
	f := cmd.Flags()
	f.StringVar(&pageURL, "url", "", "the URL the page was fetched from")
	f.StringVar(&siteName, "site", "", "use this site's extraction profile")
	f.StringVar(&configPath, "config", "", "site config file (default: the configs built into warta)")
	f.StringVar(&fetched, "fetched-at", "", "when the page was fetched (RFC 3339)")
	f.StringVar(&hintsPath, "hints", "", "a site's learned chrome (DATA/articles/SITE/site-hints.json) to drop")
	f.BoolVar(&explain, "explain", false, "also list every block removed, with the rule that removed it")
	f.BoolVar(&asJSON, "json", false, "with --explain: one JSON object with the article and the removals")
	return cmd
}

// writeExplain prints the article's main fields, then every removed block.
func writeExplain(w io.Writer, a *extract.Article, ex extract.Explanation) error {
	removed := ex.Removed
	paras := 0
	if a.Body != "" {
		paras = strings.Count(a.Body, "\n\n") + 1
	}
	fmt.Fprintf(w, "title:     %s\nextractor: %s\npublished: %s (%s)\ndateline:  %s %s\nbody:      %d paragraphs, %d images\n\n",
		oneLine(a.Title, explainWidth-11), a.Extractor, a.Published, a.DateSource, a.Dateline.Place, a.Dateline.Agency, paras, len(a.Images))
	fmt.Fprintf(w, "confidence: %.2f (second opinion under %.2f)\npath:      %s\n", ex.Confidence, extract.MinConfidence, ex.Path)
	if len(ex.Signals) > 0 {
		keys := make([]string, 0, len(ex.Signals))
		for k := range ex.Signals {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		fmt.Fprintf(w, "signals:  ")
		for _, k := range keys {
			fmt.Fprintf(w, " %s %.2f", k, ex.Signals[k])
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "removed (%s):\n", plural(uint64(len(removed)), "block", "blocks"))
	for _, r := range removed {
		head := r.Rule + ": " + r.Reason
		if r.Selector != "" {
			head += " (" + r.Selector + ")"
		}
		// Two short lines per block, so that a terminal of 100 columns
		// shows each without wrapping.
		fmt.Fprintf(w, "  %s\n", oneLine(head, explainWidth-2))
		fmt.Fprintf(w, "      %s\n", oneLine(r.Text, explainWidth-6))
	}
	return nil
}

// explainWidth bounds the lines of extract --explain.
const explainWidth = 100

// localSite is the site of the article ids of pages extracted without
// --site.
const localSite = "local"

// fileURL returns the file:// URL of a file name, or of stdin for "-".
func fileURL(name string) string {
	if name == "-" {
		name = "/dev/stdin"
	}
	if abs, err := filepath.Abs(name); err == nil {
		name = abs
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(name)}).String()
}

// readInput reads the named file, or stdin for "-".
func readInput(stdin io.Reader, name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(stdin)
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, usageError{err}
	}
	return data, nil
}
