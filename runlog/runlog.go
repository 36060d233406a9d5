// Package runlog keeps the history of crawl runs in a data directory: one
// JSON record per run of one site under DIR/runs/, written atomically. The
// CLI writes it; the scheduler, the web UI's status page and the metrics
// read it. It imports crawler for the crawl summary and internal/atomicfile
// for its atomic writes, and nothing that imports it.
package runlog

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/warta-id/warta/crawler"
	"github.com/warta-id/warta/internal/atomicfile"
)

// Run statuses.
const (
	StatusRunning   = "running"
	StatusOK        = "ok"
	StatusFailed    = "failed"
	StatusCancelled = "cancelled"
	// StatusSkipped records a scheduled tick that did not run because the
	// site's previous run was still going.
	StatusSkipped = "skipped"
)

// Record is one run of one site's crawl.
type Record struct {
	Site     string    `json:"site"`
	Trigger  string    `json:"trigger"` // "crawl", "schedule", "demo"
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	Status   string    `json:"status"`
	Error    string    `json:"error,omitempty"`
	// Crawl is the crawler's own summary: pages per kind and status.
	Crawl *crawler.Summary `json:"crawl,omitempty"`
	// Pipeline counts what became of the pages after the crawler.
	Pipeline Counts      `json:"pipeline"`
	Errors   []PageError `json:"errors,omitempty"`
}

// Counts are what the pipeline did with the pages a crawl handed over.
type Counts struct {
	Captures int `json:"captures"`
	New      int `json:"articles_new"`
	Changed  int `json:"articles_changed"`
	Updated  int `json:"articles_updated"` // same content, metadata re-extracted

	Unchanged  int `json:"articles_unchanged"`
	NotArticle int `json:"not_articles"`
	Errors     int `json:"errors"`
}

// PageError is one page the pipeline could not archive or extract.
type PageError struct {
	URL string `json:"url"`
	Err string `json:"error"`
}

// Duration is how long the run took.
func (r *Record) Duration() time.Duration { return r.Finished.Sub(r.Started) }

// Dir is where the records of dataDir live.
func Dir(dataDir string) string { return filepath.Join(dataDir, "runs") }

// Write keeps r under dataDir, atomically; writing the same run again (same
// site and start) replaces its record.
func Write(dataDir string, r *Record) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("runlog: encode %s run: %w", r.Site, err)
	}
	name := fmt.Sprintf("%s-%s.json", r.Site, r.Started.UTC().Format("20060102T150405.000Z"))
	if err := atomicfile.WriteFile(atomicfile.OS{}, filepath.Join(Dir(dataDir), name), data); err != nil {
		return fmt.Errorf("runlog: write %s: %w", name, err)
	}
	return nil
}

// List returns the records of site (every site when site is ""), newest
// first, at most limit of them (0 = all). A record that cannot be read is
// skipped, not fatal: the history is a report, not the archive.
func List(dataDir, site string, limit int) ([]*Record, error) {
	entries, err := os.ReadDir(Dir(dataDir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("runlog: %w", err)
	}
	var recs []*Record
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".json") || strings.HasPrefix(name, ".") {
			continue
		}
		if site != "" && !strings.HasPrefix(name, site+"-") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(Dir(dataDir), name))
		if err != nil {
			continue
		}
		var r Record
		if json.Unmarshal(data, &r) != nil || (site != "" && r.Site != site) {
			continue
		}
		recs = append(recs, &r)
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].Started.After(recs[j].Started) })
	if limit > 0 && len(recs) > limit {
		recs = recs[:limit]
	}
	return recs, nil
}

// Latest returns each site's newest run, and its newest successful one;
// skipped ticks are not runs and are left out.
func Latest(dataDir string) (latest, lastOK map[string]*Record, err error) {
	recs, err := List(dataDir, "", 0)
	if err != nil {
		return nil, nil, err
	}
	latest, lastOK = map[string]*Record{}, map[string]*Record{}
	for _, r := range recs {
		if r.Status == StatusSkipped {
			continue // a tick that did not run is not a run
		}
		if latest[r.Site] == nil {
			latest[r.Site] = r
		}
		if r.Status == StatusOK && lastOK[r.Site] == nil {
			lastOK[r.Site] = r
		}
	}
	return latest, lastOK, nil
}
