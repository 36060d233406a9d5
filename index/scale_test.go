package index

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/warta-id/warta/extract"
)

// scaleArticles turns on BenchmarkScale:
//
//	go test ./index -run '^$' -bench Scale -benchtime 1x -args -scale 100000
var (
	scaleArticles = flag.Int("scale", 0, "run BenchmarkScale with this many generated articles and print its table")
	scaleRounds   = flag.Int("scale-rounds", 2, "indexing runs of each kind in BenchmarkScale; the fastest counts")
)

// words is the vocabulary of generated articles, commonest first: function
// words, then roots and affixed forms that the stemmer joins, then names.
var words = strings.Fields(`
yang dan di ke dari untuk dengan ini itu pada dalam tidak akan juga oleh
sebagai telah karena bahwa ada kota pemerintah warga masyarakat tahun
pembangunan membangun dibangun bangunan jalan jembatan sekolah kegiatan
wali kecamatan desa nagari kelurahan dinas kepala program bantuan membantu
pariwisata wisatawan festival tambang pertambangan penambangan batubara
museum sejarah budaya kesehatan rumah sakit puskesmas pendidikan pelajar
guru siswa anggaran dana pemeriksaan mengatakan menyampaikan menurut
pelaksanaan dilaksanakan melaksanakan penanganan ditangani banjir longsor
bencana hujan sungai evakuasi pengungsi petani pertanian sawah panen pasar
pedagang ekonomi perekonomian usaha kecil menengah umkm pelatihan peserta
kerja pekerja pekerjaan investasi daerah provinsi sumatera barat pusat
rapat paripurna dewan perwakilan rakyat keputusan kebijakan kebijakannya
menindaklanjuti tindak lanjut berterimakasih dipangkas pemangkasan
peresmian diresmikan meresmikan upacara peringatan kemerdekaan lomba juara
olahraga sepak bola stadion pemuda perempuan anak keluarga lingkungan
kebersihan sampah air bersih listrik jaringan internet digital pelayanan
publik administrasi kependudukan vaksinasi covid pandemi posyandu gizi
stunting masjid gereja ibadah ramadan lebaran mudik transportasi angkutan
kereta api lori stasiun silo gudang ransum talawi silungkang barangin
lembah segar kandi ombilin muaro kalaban santur sijantang padang solok
bukittinggi payakumbuh jakarta
`)

// generate returns article i of a deterministic synthetic archive.
// vocabulary returns the ranked vocabulary of generated text: the
// function words of words first, then its content words spread over the
// first few thousand ranks among made-up words, 30,000 words in all, so
// that a query word matches from a few percent of the articles down to a
// few in ten thousand, as in real news.
func vocabulary() []string {
	r := rand.New(rand.NewPCG(99, 99))
	syllables := strings.Fields("ba be bi bu da di du ga gi gu ka ke ki ku la li lu ma me mi mu na ni nu pa pi pu ra ri ru sa si su ta ti tu wa ya jo ko lo ro so to")
	seen := map[string]bool{}
	for _, w := range words {
		seen[w] = true
	}
	const size = 30000
	vocab := make([]string, 0, size)
	vocab = append(vocab, words[:40]...)
	content := words[40:]
	for len(vocab) < size {
		rank := len(vocab)
		if j := (rank - 40) / 20; (rank-40)%20 == 0 && j < len(content) {
			vocab = append(vocab, content[j])
			continue
		}
		var b strings.Builder
		for k := 2 + r.IntN(3); k > 0; k-- {
			b.WriteString(syllables[r.IntN(len(syllables))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			vocab = append(vocab, w)
		}
	}
	return vocab
}

func generate(i int, vocab []string, r *rand.Rand, z *rand.Zipf) *extract.Article {
	pick := func(n int) string {
		var b strings.Builder
		for j := 0; j < n; j++ {
			if j > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(vocab[z.Uint64()])
		}
		return b.String()
	}
	var body strings.Builder
	body.WriteString("SAWAHLUNTO – ")
	paragraphs := 4 + r.IntN(6)
	for p := 0; p < paragraphs; p++ {
		if p > 0 {
			body.WriteString("\n\n")
		}
		for s := 0; s < 5; s++ {
			body.WriteString(pick(8 + r.IntN(10)))
			body.WriteString(". ")
		}
	}
	sites := []string{"sawahlunto", "padang", "sumbar"}
	site := sites[i%len(sites)]
	day := time.Date(2017, 1, 1, 8, 0, 0, 0, time.FixedZone("WIB", 7*3600)).Add(time.Duration(r.IntN(9*365*24)) * time.Hour)
	url := fmt.Sprintf("https://%s.example/baca/artikel-%d", site, i)
	return &extract.Article{
		ID:         extract.ArticleID(site, url),
		Site:       site,
		URL:        url,
		Title:      pick(6 + r.IntN(5)),
		Published:  day.Format(time.RFC3339),
		Dateline:   extract.Dateline{Place: "SAWAHLUNTO"},
		Author:     "Humas",
		Body:       body.String(),
		Categories: []string{"Kabar Pemerintah"},
		Tags:       []string{words[20+r.IntN(40)]},
		Language:   "id",
	}
}

// articleStream returns a function that yields the articles 0..n-1.
func articleStream(seed uint64) func(i int) *extract.Article {
	vocab := vocabulary()
	r := rand.New(rand.NewPCG(seed, 1))
	z := rand.NewZipf(r, 1.05, 3, uint64(len(vocab)-1))
	return func(i int) *extract.Article { return generate(i, vocab, r, z) }
}

func dirBytes(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// TestScale prints indexing rates, index size and query latencies at
// -scale articles, beside plain Bleve with the same mapping and the
// standard analyzer. It asserts nothing about time.
// BenchmarkScale prints the README's index table: indexing rates, query
// latencies and a cold search process at -scale articles, each beside
// plain Bleve. It runs once whatever b.N is (use -benchtime 1x), and it
// checks what it measures: every index holds all the articles, and a
// query finds the same hits whether the index is held open or opened per
// search.
func BenchmarkScale(b *testing.B) {
	n := *scaleArticles
	if n == 0 {
		b.Skip("run with -args -scale N to print the scale table")
	}
	ctx := context.Background()
	root := b.TempDir()

	// Each load runs twice, alternating, and the faster run counts, so
	// that warming up (page cache, heap growth) favours neither.
	type load struct {
		name string
		dir  string
		run  func(dir string) error
		took time.Duration
	}
	loads := []*load{
		{name: "plain bleve, same mapping, standard analyzer", run: func(dir string) error { return loadBaseline(dir, n) }},
		{name: "warta, Exclusive (writer held)", run: func(dir string) error { return loadWarta(ctx, dir, n, Options{Exclusive: true}) }},
		{name: "warta, shared (writer lingers between batches)", run: func(dir string) error { return loadWarta(ctx, dir, n, Options{}) }},
	}
	for round := 0; round < *scaleRounds; round++ {
		for i, l := range loads {
			if round == 1 && i == 2 {
				continue // the shared load is slow at scale and once is enough
			}
			dir := filepath.Join(root, fmt.Sprintf("load%d-%d", i, round))
			start := time.Now()
			if err := l.run(dir); err != nil {
				b.Fatal(err)
			}
			if took := time.Since(start); l.took == 0 || took < l.took {
				l.took = took
			}
			if l.dir != "" {
				os.RemoveAll(l.dir)
			}
			l.dir = dir
		}
	}
	// A writer's next open removes the files its merges made obsolete;
	// measure sizes in that steady state. Every index holds every article.
	for i, l := range loads {
		var count uint64
		var err error
		if i == 0 {
			var bi bleve.Index
			if bi, err = bleve.Open(l.dir); err == nil {
				count, err = bi.DocCount()
				bi.Close()
			}
		} else {
			var ix *Index
			if ix, err = Open(l.dir, Options{Exclusive: true}); err == nil {
				count, err = ix.Count()
				ix.Close()
			}
		}
		if err != nil {
			b.Fatalf("%s: count: %v", l.name, err)
		}
		if count != uint64(n) {
			b.Fatalf("%s: the index holds %d articles, want %d", l.name, count, n)
		}
	}
	rate := func(d time.Duration) float64 { return float64(n) / d.Seconds() }
	var bodyBytes int
	next := articleStream(42)
	for i := 0; i < 1000 && i < n; i++ {
		bodyBytes += len(next(i).Body)
	}
	fmt.Printf("\nindex scale: %d generated articles (body %d bytes on average), %d cores\n", n, bodyBytes/min(n, 1000), runtime.GOMAXPROCS(0))
	fmt.Printf("%-46s %10s %8s %12s\n", "indexing, batches of 500", "art/s", "ratio", "bytes/art")
	for _, l := range loads {
		fmt.Printf("%-46s %10.0f %8.2f %12d\n", l.name, rate(l.took), loads[0].took.Seconds()/l.took.Seconds(), dirBytes(l.dir)/int64(n))
	}
	sharedDir := loads[2].dir

	// Query latencies: warta's queries, and the same query trees built
	// directly with Bleve's API on the baseline index (no parsing, no
	// snippets), as the baseline.
	type kind struct {
		name  string
		warta []string
		plain []query.Query
	}
	r := rand.New(rand.NewPCG(7, 7))
	content := words[40:]
	w := func() string { return content[r.IntN(len(content))] }
	// Phrases are two neighbouring words of a generated article, so that
	// they occur.
	sample := articleStream(42)
	var pairs [][2]string
	for i := 0; i < 200 && i < n; i++ {
		ws := strings.FieldsFunc(strings.ToLower(sample(i).Body), notWordRune)
		for j := r.IntN(len(ws) / 2); j+1 < len(ws); j++ {
			if len(ws[j]) > 3 && len(ws[j+1]) > 3 {
				pairs = append(pairs, [2]string{ws[j], ws[j+1]})
				break
			}
		}
	}
	pair := func() (string, string) { p := pairs[r.IntN(len(pairs))]; return p[0], p[1] }
	either := func(word string) query.Query {
		t := query.NewMatchQuery(word)
		t.SetField(fieldTitle)
		t.SetBoost(titleBoost)
		b := query.NewMatchQuery(word)
		b.SetField(fieldBody)
		return query.NewDisjunctionQuery([]query.Query{t, b})
	}
	var kinds []kind
	for _, k := range []struct {
		name string
		make func() (string, query.Query)
	}{
		{"one word", func() (string, query.Query) { a := w(); return a, either(a) }},
		{"two words", func() (string, query.Query) {
			a, b := w(), w()
			return a + " " + b, query.NewConjunctionQuery([]query.Query{either(a), either(b)})
		}},
		{"phrase", func() (string, query.Query) {
			a, b := pair()
			t := query.NewMatchPhraseQuery(a + " " + b)
			t.SetField(fieldTitleExact)
			t.SetBoost(titleBoost)
			bd := query.NewMatchPhraseQuery(a + " " + b)
			bd.SetField(fieldBodyExact)
			return `"` + a + " " + b + `"`, query.NewDisjunctionQuery([]query.Query{t, bd})
		}},
		{"boolean + date range", func() (string, query.Query) {
			a, b, c := w(), w(), w()
			y := 2017 + r.IntN(9)
			lo, hi := float64(y*10000+101), float64(y*10000+630)
			yes := true
			dr := query.NewNumericRangeInclusiveQuery(&lo, &hi, &yes, &yes)
			dr.SetField(fieldDate)
			must := query.NewConjunctionQuery([]query.Query{query.NewDisjunctionQuery([]query.Query{either(a), either(b)}), dr})
			return fmt.Sprintf("(%s OR %s) AND NOT %s AND published:[%d-01-01 TO %d-06-30]", a, b, c, y, y),
				query.NewBooleanQuery([]query.Query{must}, nil, []query.Query{either(c)})
		}},
	} {
		kd := kind{name: k.name}
		for i := 0; i < 200; i++ {
			wq, pq := k.make()
			kd.warta = append(kd.warta, wq)
			kd.plain = append(kd.plain, pq)
		}
		kinds = append(kinds, kd)
	}
	percentiles := func(lat []time.Duration) (time.Duration, time.Duration) {
		slices.Sort(lat)
		return lat[len(lat)/2].Round(10 * time.Microsecond), lat[len(lat)*99/100].Round(10 * time.Microsecond)
	}
	fmt.Printf("\n%-22s %-34s %9s %9s %9s\n", "query (top 20)", "", "p50", "p99", "hits avg")
	for _, k := range kinds {
		// Plain Bleve: the baseline index, held open.
		base, err := bleve.Open(loads[0].dir)
		if err != nil {
			b.Fatal(err)
		}
		var lat []time.Duration
		var hits uint64
		for _, q := range k.plain {
			s := time.Now()
			req := bleve.NewSearchRequest(q)
			req.Fields = []string{fieldTitle, fieldSite, fieldURL, fieldPubText, fieldLead}
			res, err := base.SearchInContext(ctx, req)
			if err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(s))
			hits += res.Total
		}
		base.Close()
		p50, p99 := percentiles(lat)
		fmt.Printf("%-22s %-34s %9s %9s %9d\n", k.name, "plain bleve, standard, held open", p50, p99, hits/uint64(len(lat)))
		// The two ways of opening must agree on every query's hits.
		totals := make([]uint64, len(k.warta))
		for m, mode := range []struct {
			name string
			opt  Options
		}{{"warta, held open", Options{Exclusive: true}}, {"warta, opened per search", Options{}}} {
			ix, err := Open(sharedDir, mode.opt)
			if err != nil {
				b.Fatal(err)
			}
			lat, hits = lat[:0], 0
			for i, q := range k.warta {
				s := time.Now()
				res, err := ix.Search(ctx, Request{Query: q})
				if err != nil {
					b.Fatalf("Search(%q): %v", q, err)
				}
				lat = append(lat, time.Since(s))
				hits += res.Total
				if m == 0 {
					totals[i] = res.Total
				} else if res.Total != totals[i] {
					b.Fatalf("Search(%q) %s: %d hits, held open: %d", q, mode.name, res.Total, totals[i])
				}
			}
			ix.Close()
			p50, p99 := percentiles(lat)
			fmt.Printf("%-22s %-34s %9s %9s %9d\n", k.name, mode.name, p50, p99, hits/uint64(len(lat)))
		}
	}

	// A cold process: start this test binary, open, search once, exit.
	var cold []time.Duration
	for i := 0; i < 5; i++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperSearchProcess$")
		cmd.Env = append(os.Environ(), searchHelperEnv+"="+sharedDir)
		s := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("search process: %v\n%s", err, out)
		}
		cold = append(cold, time.Since(s))
	}
	slices.Sort(cold)
	fmt.Printf("\ncold process (test binary: start, open, search \"pembangunan jalan\", exit): median %s\n", cold[len(cold)/2].Round(time.Millisecond))
}

// loadBaseline indexes n generated articles with plain Bleve: the same
// mapping with the standard analyzer, the writer held, batches of 500.
func loadBaseline(dir string, n int) error {
	im, err := newMapping(standard.Name)
	if err != nil {
		return err
	}
	base, err := bleve.New(dir, im)
	if err != nil {
		return err
	}
	next := articleStream(42)
	b := base.NewBatch()
	for i := 0; i < n; i++ {
		a := next(i)
		if err := b.Index(a.ID, newDocument(a)); err != nil {
			return err
		}
		if b.Size() == 500 || i == n-1 {
			if err := base.Batch(b); err != nil {
				return err
			}
			b = base.NewBatch()
		}
	}
	return base.Close()
}

// loadWarta indexes n generated articles through an Index.
func loadWarta(ctx context.Context, dir string, n int, opt Options) error {
	ix, err := Open(dir, opt)
	if err != nil {
		return err
	}
	next := articleStream(42)
	for i := 0; i < n; i++ {
		if err := ix.Add(ctx, next(i)); err != nil {
			return err
		}
	}
	return ix.Close()
}

const searchHelperEnv = "WARTA_INDEX_TEST_SEARCH"

func TestHelperSearchProcess(t *testing.T) {
	dir := os.Getenv(searchHelperEnv)
	if dir == "" {
		t.Skip("only run as a helper process")
	}
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Search(context.Background(), Request{Query: "pembangunan jalan"}); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkIndexing indexes b.N generated articles through an Index
// (writer held) and, as the baseline, through plain Bleve with the same
// mapping and the standard analyzer.
func BenchmarkIndexing(b *testing.B) {
	b.Run("warta", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			dir := b.TempDir()
			b.StartTimer()
			if err := loadWarta(context.Background(), dir, 2000, Options{Exclusive: true}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(2000*b.N)/b.Elapsed().Seconds(), "articles/s")
	})
	b.Run("baseline", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			dir := b.TempDir()
			b.StartTimer()
			if err := loadBaseline(dir, 2000); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(2000*b.N)/b.Elapsed().Seconds(), "articles/s")
	})
}

// BenchmarkSearch runs each kind of query against 5,000 generated
// articles, with the index held open and opened per search.
func BenchmarkSearch(b *testing.B) {
	dir := b.TempDir()
	if err := loadWarta(context.Background(), dir, 5000, Options{}); err != nil {
		b.Fatal(err)
	}
	queries := map[string]string{
		"one_word":  "pembangunan",
		"two_words": "banjir talawi",
		"phrase":    `"pembangunan jalan"`,
		"boolean":   "(banjir OR longsor) AND NOT festival AND published:[2021-01-01 TO 2021-12-31]",
	}
	for _, mode := range []struct {
		name string
		opt  Options
	}{{"held", Options{Exclusive: true}}, {"shared", Options{}}} {
		ix, err := Open(dir, mode.opt)
		if err != nil {
			b.Fatal(err)
		}
		for _, name := range []string{"one_word", "two_words", "phrase", "boolean"} {
			b.Run(mode.name+"/"+name, func(b *testing.B) {
				for b.Loop() {
					if _, err := ix.Search(context.Background(), Request{Query: queries[name]}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		ix.Close()
	}
}
