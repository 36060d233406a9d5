package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/warta-id/warta/extract"
)

func newExtractCmd(e *env) *cobra.Command {
	var pageURL, siteName, configPath string
	cmd := &cobra.Command{
		Use:   "extract [--url URL] [--site NAME] FILE|-",
		Short: "extract one saved HTML page and print the article JSON (no network, no archive)",
		Long: `Extract one saved HTML page and print its Article JSON. With --site, the
extraction profile of that site (from --config or the built-in configs) is
used; without it, the generic extractor. --url tells extraction where the
page came from (for links, images and the article id).`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("extract: want one FILE (or - for stdin), got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			page, err := readInput(e.stdin, args[0])
			if err != nil {
				return err
			}
			opt := extract.Options{FetchedAt: time.Now()}
			if siteName != "" {
				cfg, err := loadConfig(configPath)
				if err != nil {
					return err
				}
				if siteName == "demo" && configPath == "" {
					cfg, err = demoConfig("demo.warta.test")
					if err != nil {
						return err
					}
				}
				site, err := cfg.Site(siteName)
				if err != nil {
					return usageError{err}
				}
				opt.Site, opt.Profile, opt.Rules, opt.Location = site.Name, site.Name, site.Extract, site.Location()
			}
			if pageURL == "" {
				pageURL = "file:///" + args[0]
			}
			art, err := extract.Extract(page, pageURL, opt)
			if err != nil {
				return fmt.Errorf("extract %s: %w", args[0], err)
			}
			return writeJSON(e.stdout, art)
		},
	}
	f := cmd.Flags()
	f.StringVar(&pageURL, "url", "", "the URL the page was fetched from")
	f.StringVar(&siteName, "site", "", "use this site's extraction profile")
	f.StringVar(&configPath, "config", "", "site config file (default: the configs built into warta)")
	return cmd
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
