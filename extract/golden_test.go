package extract

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden testdata/<case>.json files")

// demoRules is configs/demo.yaml's extract block (extract may not import
// configs).
var demoRules = &Rules{
	Title:      "h1.entry-title",
	Body:       ".entry-content",
	Published:  "time.entry-date",
	Author:     ".author-name",
	Gallery:    ".n2-ss-slide-background-image img",
	Categories: ".cat-links a",
	Tags:       ".tags-links a",
	Remove:     []string{".n2-section-smartslider", ".wp-block-nextend-smartslider3", ".sharedaddy", ".related-posts-wrap", "#comments", ".comments-link"},
}

// fetched is the fetch time of every golden case.
var fetched = time.Date(2026, 1, 20, 19, 0, 0, 0, time.FixedZone("WIB", 7*3600))

// goldenCase is one page of testdata with the phrases its body must and
// must not hold.
type goldenCase struct {
	name    string // testdata/<file>.html
	golden  string // testdata/<golden>.json; name when empty
	url     string
	rules   *Rules
	must    []string
	mustNot []string
}

var seedMustNot = []string{
	"267761716_6789951007742747", "previous arrow", "next arrow", "Shadow", "ARTIKEL LAIN",
	"No Comment", "Comments are closed", "Bagikan ini", "Festival Songket", "KABAR PEMERINTAH",
	"Kontak", "Posted in", "Tagged",
}

var goldenCases = []goldenCase{
	{
		name: "seed", golden: "seed", rules: demoRules,
		url:     "https://portal.sawahluntokota.go.id/wali-kota-sawahlunto-temui-dirjen-ikma-kemenperin-minta-dukungan-sentra-ikm-dan-uptd-tekstil/",
		must:    []string{"SAWAHLUNTO – Wali Kota Sawahlunto, Deri Asta", "kata Reni Yanita."},
		mustNot: seedMustNot,
	},
	{
		name: "seed", golden: "seed.generic",
		url:     "https://portal.sawahluntokota.go.id/wali-kota-sawahlunto-temui-dirjen-ikma-kemenperin-minta-dukungan-sentra-ikm-dan-uptd-tekstil/",
		must:    []string{"SAWAHLUNTO – Wali Kota Sawahlunto, Deri Asta", "kata Reni Yanita."},
		mustNot: seedMustNot,
	},
}

func TestGolden(t *testing.T) {
	for _, c := range goldenCases {
		golden := c.golden
		if golden == "" {
			golden = c.name
		}
		t.Run(golden, func(t *testing.T) {
			page, err := os.ReadFile(filepath.Join("testdata", c.name+".html"))
			if err != nil {
				t.Fatal(err)
			}
			opt := Options{Site: "test", FetchedAt: fetched}
			if c.rules != nil {
				opt.Rules, opt.Profile = c.rules, "test"
			}
			got, err := Extract(page, c.url, opt)
			if err != nil {
				t.Fatalf("Extract(%s) error = %v, want nil", c.name, err)
			}
			for _, m := range c.must {
				if !strings.Contains(got.Body, m) {
					t.Errorf("Extract(%s).Body lacks %q", c.name, m)
				}
			}
			for _, m := range c.mustNot {
				if strings.Contains(got.Body, m) {
					t.Errorf("Extract(%s).Body holds %q, want it removed", c.name, m)
				}
			}
			path := filepath.Join("testdata", golden+".json")
			if *update {
				b, err := json.MarshalIndent(got, "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("read golden: %v (run go test ./extract -update)", err)
			}
			var want Article
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(&want, got); diff != "" {
				t.Errorf("Extract(%s) differs from %s (-want +got):\n%s", c.name, path, diff)
			}
		})
	}
}
