package demosite

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"
)

// DefaultArticles is the number of articles a site has when
// Options.Articles is zero.
const DefaultArticles = 60

// MaxArticles is the largest number of articles New accepts; larger
// values are clamped to it.
const MaxArticles = 100_000

// Options configures a Site. The zero value is a site of DefaultArticles
// articles from seed 0, without Crawl-delay, gzip or logging.
type Options struct {
	// Seed selects the site's content; the same seed and article count
	// give byte-identical pages.
	Seed int64
	// Articles is the number of articles, the seed article included;
	// 0 means DefaultArticles.
	Articles int
	// CrawlDelay, when positive, adds a Crawl-delay line to robots.txt.
	CrawlDelay time.Duration
	// Gzip compresses responses for clients that accept gzip.
	Gzip bool
	// Logger receives one debug line per request; nil discards.
	Logger *slog.Logger
}

// Site is the demo news site. It is an http.Handler; it is safe for
// concurrent use, also while Edit and Add change it.
type Site struct {
	opt Options
	log *slog.Logger

	mu     sync.RWMutex
	posts  []*post       // newest first
	byID   map[int]*post // by WordPress post id
	bySlug map[string]*post
	index  map[int]int // post id -> position in posts
	gen    *generator
	clock  time.Time // the newest publication or modification so far
	edits  int       // Edit calls so far
	nextID int

	images imageCache

	statsMu sync.Mutex
	stats   Stats
}

// New builds a site. It describes every post up front, compactly, and
// renders pages only when they are requested, so even MaxArticles posts
// build quickly.
func New(opt Options) *Site {
	n := opt.Articles
	if n <= 0 {
		n = DefaultArticles
	}
	n = min(n, MaxArticles)
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Site{
		opt:    opt,
		log:    log,
		byID:   make(map[int]*post, n),
		bySlug: make(map[string]*post, n),
		gen: &generator{
			rng:   rand.New(rand.NewPCG(uint64(opt.Seed), 0x5a3a1)),
			slugs: make(map[string]int, n),
		},
	}
	s.gen.slugs[seedSlug] = 1
	s.stats = newStats()

	// Publication times: n-1 generated ones spread evenly over the span,
	// each at a random time of a working day, plus the seed article's.
	type slot struct {
		t    time.Time
		seed bool
	}
	r := s.gen.rng
	slots := make([]slot, 0, n)
	days := int(spanEnd.Sub(spanStart).Hours() / 24)
	for i := range n - 1 {
		d := days * i / max(n-1, 1)
		t := spanStart.AddDate(0, 0, d).Add(time.Duration(7*3600+r.IntN(11*3600)) * time.Second)
		slots = append(slots, slot{t: t})
	}
	seedTime := time.Date(2021, 12, 23, 9, 15, 41, 0, siteZone)
	slots = append(slots, slot{t: seedTime, seed: true})
	slices.SortStableFunc(slots, func(a, b slot) int { return a.t.Compare(b.t) })

	older := make([]int, 0, n)
	id := 100
	chron := make([]*post, 0, n)
	for _, sl := range slots {
		id += 1 + r.IntN(6)
		var p *post
		if sl.seed {
			p = seedPost(id, older)
		} else {
			p = s.gen.newPost(id, sl.t, older)
		}
		older = append(older, id)
		chron = append(chron, p)
		s.byID[p.id] = p
		s.bySlug[p.slug] = p
		if p.modified.After(s.clock) {
			s.clock = p.modified
		}
		if p.published.After(s.clock) {
			s.clock = p.published
		}
	}
	s.nextID = id
	slices.Reverse(chron)
	s.posts = chron
	s.reindex()
	return s
}

// seedPost is the real Sawahlunto article of seed.go, with its 9-slide
// gallery.
func seedPost(id int, older []int) *post {
	t := time.Date(2021, 12, 23, 9, 15, 41, 0, siteZone)
	p := &post{
		id:        id,
		slug:      seedSlug,
		title:     seedTitle,
		published: t,
		modified:  time.Date(2021, 12, 23, 10, 2, 37, 0, siteZone),
		author:    "Humas Sawahlunto",
		cats:      []int{catKabarPemerintah},
		tags:      []string{"Deri Asta", "IKM", "Kemenperin"},
		topic:     -1,
		dateline:  "SAWAHLUNTO",
		place:     "SAWAHLUNTO",
		dash:      " – ",
		gallery:   gallerySlider,
		sliderID:  2,
		nPara:     len(seedParagraphs),
		fixed:     seedParagraphs,
	}
	for _, name := range seedSlides {
		p.pictures = append(p.pictures, picture{path: uploadPath(t, name+".jpg"), title: name})
	}
	for i := len(older) - 1; i >= 0 && len(p.related) < 4; i-- {
		p.related = append(p.related, older[i])
	}
	return p
}

// reindex rebuilds the position index after posts changed order or size.
func (s *Site) reindex() {
	s.index = make(map[int]int, len(s.posts))
	for i, p := range s.posts {
		s.index[p.id] = i
	}
}

// Len returns the number of articles the site has now.
func (s *Site) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.posts)
}

// Edit changes n existing articles, chosen deterministically from the
// seed and the number of earlier Edit calls: one paragraph of each is
// rewritten and its modification time moves past every earlier time of
// the site. The seed article is never edited. Edit returns the URL paths
// (/baca/<slug>) of the edited articles.
func (s *Site) Edit(n int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.edits++
	cands := make([]int, 0, len(s.posts))
	for i, p := range s.posts {
		if p.fixed == nil {
			cands = append(cands, i)
		}
	}
	n = min(max(n, 0), len(cands))
	r := rand.New(rand.NewPCG(uint64(s.opt.Seed), 0xed17+uint64(s.edits)))
	r.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
	s.clock = s.clock.Add(time.Hour).Truncate(time.Minute)
	// Copy on write: snapshots handed to readers keep the old slice.
	s.posts = slices.Clone(s.posts)
	paths := make([]string, 0, n)
	for k, i := range cands[:n] {
		old := s.posts[i]
		p := *old
		p.version++
		p.modified = s.clock.Add(time.Duration(k) * time.Second)
		s.posts[i] = &p
		s.byID[p.id] = &p
		s.bySlug[p.slug] = &p
		paths = append(paths, p.path())
	}
	if n > 0 {
		s.clock = s.clock.Add(time.Duration(n) * time.Second)
	}
	return paths
}

// Add publishes n new articles, newer than everything on the site, and
// returns their URL paths, newest first.
func (s *Site) Add(n int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	n = max(n, 0)
	older := make([]int, 0, 40)
	for i := min(len(s.posts), 40) - 1; i >= 0; i-- {
		older = append(older, s.posts[i].id)
	}
	s.clock = s.clock.Add(time.Hour).Truncate(time.Minute)
	added := make([]*post, 0, n)
	for k := range n {
		s.nextID += 1 + s.gen.rng.IntN(6)
		t := s.clock.Add(time.Duration(k) * 7 * time.Minute)
		p := s.gen.newPost(s.nextID, t, older)
		p.modified = t
		older = append(older, p.id)
		s.byID[p.id] = p
		s.bySlug[p.slug] = p
		added = append(added, p)
	}
	if n > 0 {
		s.clock = added[n-1].published
	}
	slices.Reverse(added)
	s.posts = append(added, s.posts...)
	s.reindex()
	paths := make([]string, len(added))
	for i, p := range added {
		paths[i] = p.path()
	}
	return paths
}

// snapshot returns the current posts, newest first. The slice must not be
// modified; the posts in it are immutable.
func (s *Site) snapshot() []*post {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.posts[:len(s.posts):len(s.posts)]
}

// Start serves s on addr (default "127.0.0.1:0", a free port) until stop
// is called or ctx is cancelled. It returns the site's base URL, such as
// "http://127.0.0.1:41234", without a trailing slash. Only loopback
// addresses are accepted: the demo site never listens on a network.
func Start(ctx context.Context, addr string, s *Site) (baseURL string, stop func(context.Context) error, err error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return "", nil, fmt.Errorf("demosite: listen %s: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return "", nil, fmt.Errorf("demosite: listen %s: not a loopback address", addr)
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("demosite: listen %s: %w", addr, err)
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Warn("demo_site_stopped", "err", err)
		}
	}()
	stopAfter := context.AfterFunc(ctx, func() { srv.Close() })
	stop = func(sctx context.Context) error {
		stopAfter()
		err := srv.Shutdown(sctx)
		if err != nil {
			srv.Close()
		}
		<-done
		if err != nil {
			return fmt.Errorf("demosite: shutdown: %w", err)
		}
		return nil
	}
	return "http://" + ln.Addr().String(), stop, nil
}
