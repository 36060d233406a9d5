package archive

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/internal/atomicfile"
)

// VerifyReport is what Verify found. The archive is sound when Problems
// is empty.
type VerifyReport struct {
	WARCFiles int `json:"warc_files"`
	Records   int `json:"records"`
	Captures  int `json:"captures"` // response and revisit records
	Articles  int `json:"articles"`
	Versions  int `json:"versions"` // article files, older versions included
	// TornFiles are the torn tails that recovery set aside: kept for
	// inspection, not a problem in themselves.
	TornFiles []string `json:"torn_files,omitempty"`
	// Active are WARC files that a running crawl is writing: checked up
	// to their last whole record, their index not yet due.
	Active   []string  `json:"active,omitempty"`
	Problems []Problem `json:"problems,omitempty"`
}

// OK reports whether Verify found no problem.
func (r *VerifyReport) OK() bool { return len(r.Problems) == 0 }

// Problem is one thing wrong in the archive.
type Problem struct {
	// Kind is one of the Problem* constants.
	Kind string `json:"kind"`
	// Where names the file, record or article.
	Where  string `json:"where"`
	Detail string `json:"detail,omitempty"`
}

// String returns the problem on one line.
func (p Problem) String() string {
	if p.Detail == "" {
		return p.Kind + " " + p.Where
	}
	return p.Kind + " " + p.Where + ": " + p.Detail
}

// The kinds of Problem.
const (
	ProblemWARCDamaged       = "warc_damaged"        // a record's digest or length is wrong
	ProblemWARCTorn          = "warc_torn"           // bytes after the last whole record
	ProblemWARCUnindexed     = "warc_unindexed"      // no CDXJ index beside the file
	ProblemIndexMismatch     = "index_mismatch"      // the CDXJ index disagrees with the file
	ProblemArticleUnreadable = "article_unreadable"  // an article file does not parse
	ProblemArticleMisplaced  = "article_misplaced"   // an article's id or site does not match its path
	ProblemArticleHash       = "article_hash"        // content_hash is not the hash of the content
	ProblemArticleNoCapture  = "article_no_capture"  // no capture of the article's URL in the WARC files
	ProblemVersionOrder      = "article_version_gap" // versions are not numbered 1..N
)

// Verify re-reads the whole archive: every WARC record's block and
// payload digests, each WARC file's CDXJ index against the file, every
// article file (parse, path, content hash, older versions too), and that
// each article's URL has a capture in the WARC files. An error means
// Verify could not run (a cancelled context, an unreadable directory);
// what is wrong with the archive is in the report. Run on a read-only
// store while a crawl is writing, it checks the files being written up to
// their last whole record and lists them as Active.
func (s *Store) Verify(ctx context.Context) (*VerifyReport, error) {
	done, err := s.enter(false)
	if err != nil {
		return nil, fmt.Errorf("archive: verify: %w", err)
	}
	defer done()
	r := &VerifyReport{}
	captured, err := s.verifyWARC(ctx, r)
	if err != nil {
		return nil, fmt.Errorf("archive: verify: %w", err)
	}
	if err := s.verifyArticles(ctx, r, captured); err != nil {
		return nil, fmt.Errorf("archive: verify: %w", err)
	}
	return r, nil
}

// verifyWARC checks the WARC files and returns the set of the index keys
// of the captured URLs.
func (s *Store) verifyWARC(ctx context.Context, r *VerifyReport) (map[string]bool, error) {
	names, err := readDirNames(s.warcDir())
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		if strings.Contains(n, ".warc.gz.torn") {
			r.TornFiles = append(r.TornFiles, n)
		}
	}
	files, err := warcFiles(s.warcDir())
	if err != nil {
		return nil, err
	}
	captured := map[string]bool{}
	for _, name := range files {
		limit, pending := s.w.snapshot(name)
		res, err := scanWARC(ctx, filepath.Join(s.warcDir(), name), limit, true)
		if err != nil {
			return nil, err
		}
		r.WARCFiles++
		r.Records += res.records
		r.Captures += len(res.entries)
		for _, p := range res.problems {
			r.Problems = append(r.Problems, Problem{Kind: ProblemWARCDamaged, Where: p})
		}
		if s.active[name] {
			r.Active = append(r.Active, name)
			for _, e := range res.entries {
				captured[surtKey(e.URL)] = true
			}
			continue
		}
		if res.tornErr != nil {
			r.Problems = append(r.Problems, Problem{Kind: ProblemWARCTorn, Where: fmt.Sprintf("%s#%d", name, res.end),
				Detail: fmt.Sprintf("%d bytes after the last whole record: %v", res.size-res.end, res.tornErr)})
		}
		for _, e := range res.entries {
			captured[surtKey(e.URL)] = true
		}
		var indexed []IndexEntry
		if limit >= 0 {
			indexed = pending
		} else {
			indexed, err = readCDXJFile(cdxjPath(s.warcDir(), name))
			if errors.Is(err, fs.ErrNotExist) {
				r.Problems = append(r.Problems, Problem{Kind: ProblemWARCUnindexed, Where: name})
				continue
			}
			if err != nil {
				r.Problems = append(r.Problems, Problem{Kind: ProblemIndexMismatch, Where: name + ".cdxj", Detail: err.Error()})
				continue
			}
		}
		if d := compareIndex(res.entries, indexed); d != "" {
			r.Problems = append(r.Problems, Problem{Kind: ProblemIndexMismatch, Where: name + ".cdxj", Detail: d})
		}
	}
	return captured, nil
}

// compareIndex says how an index differs from the entries a scan found,
// "" when it does not.
func compareIndex(scanned, indexed []IndexEntry) string {
	want := map[Ref]IndexEntry{}
	for _, e := range scanned {
		want[e.Ref] = e
	}
	missing := len(want)
	for _, e := range indexed {
		w, ok := want[e.Ref]
		if !ok {
			return fmt.Sprintf("entry for %s at %s points at no record", e.URL, e.Ref)
		}
		if w.URL != e.URL || w.Digest != e.Digest || !w.Time.Equal(e.Time) {
			return fmt.Sprintf("entry at %s says %s %s, the record %s %s", e.Ref, e.URL, e.Digest, w.URL, w.Digest)
		}
		missing--
	}
	if missing > 0 {
		return fmt.Sprintf("%d records not indexed", missing)
	}
	return ""
}

// readCDXJFile reads every entry of a CDXJ file.
func readCDXJFile(path string) ([]IndexEntry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var es []IndexEntry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for line := 1; sc.Scan(); line++ {
		_, e, err := parseCDXJ(sc.Text())
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		es = append(es, e)
	}
	return es, sc.Err()
}

// verifyArticles checks every article file.
func (s *Store) verifyArticles(ctx context.Context, r *VerifyReport, captured map[string]bool) error {
	sites, err := readSubdirs(s.articlesDir())
	if err != nil {
		return err
	}
	for _, site := range sites {
		shards, err := readSubdirs(filepath.Join(s.articlesDir(), site))
		if err != nil {
			return err
		}
		for _, shard := range shards {
			dir := filepath.Join(s.articlesDir(), site, shard)
			names, err := readDirNames(dir)
			if err != nil {
				return err
			}
			for _, name := range names {
				if err := ctx.Err(); err != nil {
					return err
				}
				if atomicfile.IsTemp(name) || !strings.HasSuffix(name, ".json") {
					continue
				}
				s.verifyArticleFile(r, site, shard, dir, name, captured)
			}
		}
	}
	return nil
}

func (s *Store) verifyArticleFile(r *VerifyReport, site, shard, dir, name string, captured map[string]bool) {
	path := filepath.Join(dir, name)
	rel := filepath.Join("articles", site, shard, name)
	stem := strings.TrimSuffix(name, ".json")
	id, ver, isVersion := strings.Cut(stem, ".v")
	r.Versions++
	if !isVersion {
		r.Articles++
	}
	a, err := readArticle(path)
	if err != nil {
		r.Problems = append(r.Problems, Problem{Kind: ProblemArticleUnreadable, Where: rel, Detail: err.Error()})
		return
	}
	if want, err := s.articlePath(a.ID); err != nil || want != filepath.Join(s.articlesDir(), site, shard, id+".json") || a.ID != id || a.Site != site {
		r.Problems = append(r.Problems, Problem{Kind: ProblemArticleMisplaced, Where: rel,
			Detail: fmt.Sprintf("id %q, site %q", a.ID, a.Site)})
	}
	if h := extract.ContentHash(a); h != a.ContentHash {
		r.Problems = append(r.Problems, Problem{Kind: ProblemArticleHash, Where: rel,
			Detail: fmt.Sprintf("content_hash %s, content hashes to %s", a.ContentHash, h)})
	}
	if isVersion {
		var n int
		if _, err := fmt.Sscanf(ver, "%d", &n); err != nil || n < 1 {
			r.Problems = append(r.Problems, Problem{Kind: ProblemVersionOrder, Where: rel, Detail: "not a version number"})
		} else if n > 1 {
			if _, err := os.Stat(versionPath(filepath.Join(dir, id+".json"), n-1)); err != nil {
				r.Problems = append(r.Problems, Problem{Kind: ProblemVersionOrder, Where: rel, Detail: fmt.Sprintf("version %d missing", n-1)})
			}
		}
		if _, err := os.Stat(filepath.Join(dir, id+".json")); err != nil {
			r.Problems = append(r.Problems, Problem{Kind: ProblemVersionOrder, Where: rel, Detail: "no latest version"})
		}
		return
	}
	if !captured[surtKey(a.URL)] {
		// Saved since the WARC files were read? Ask the live index.
		if es, err := s.captures(a.URL); err != nil || len(es) == 0 {
			r.Problems = append(r.Problems, Problem{Kind: ProblemArticleNoCapture, Where: rel, Detail: a.URL})
		}
	}
}
