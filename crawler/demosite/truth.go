package demosite

import (
	"maps"
	"strings"
	"time"
)

// Article is the ground truth about one article of the site: what a
// perfect crawl and extraction would produce.
type Article struct {
	ID    int    // WordPress post id
	Slug  string // URL slug
	Path  string // URL path, "/baca/<slug>"
	Title string
	// Published and Modified are in WIB (Asia/Jakarta).
	Published time.Time
	Modified  time.Time
	Author    string
	// Categories and Tags are names, as the page prints them.
	Categories []string
	Tags       []string
	// DatelinePlace and DatelineAgency are the parts of the dateline that
	// opens the first paragraph: "SAWAHLUNTO" and "", or "Sawahlunto" and
	// "Humas".
	DatelinePlace  string
	DatelineAgency string
	// Paragraphs are the body paragraphs as plain text, entities decoded:
	// the dateline kept at the start of the first, a closing credit such as
	// "(ril/hms)" kept, "Baca juga" and "Editor" lines left out.
	Paragraphs []string
	// Images are the article's pictures in page order.
	Images []Image
}

// Image is one picture of an article.
type Image struct {
	Path    string // URL path, "/wp-content/uploads/YYYY/MM/NAME.jpg"
	Caption string // the real caption; empty when the page shows a file name
	Alt     string // the img alt attribute
}

// Truth returns every article of the site as it is now, newest first.
func (s *Site) Truth() []Article {
	posts := s.snapshot()
	out := make([]Article, len(posts))
	for i, p := range posts {
		out[i] = p.truth()
	}
	return out
}

// Lookup returns the truth about the article at path ("/baca/<slug>").
func (s *Site) Lookup(path string) (Article, bool) {
	slug, ok := strings.CutPrefix(path, "/baca/")
	if !ok {
		return Article{}, false
	}
	s.mu.RLock()
	p := s.bySlug[slug]
	s.mu.RUnlock()
	if p == nil {
		return Article{}, false
	}
	return p.truth(), true
}

func (p *post) truth() Article {
	a := Article{
		ID:             p.id,
		Slug:           p.slug,
		Path:           p.path(),
		Title:          p.title,
		Published:      p.published,
		Modified:       p.modified,
		Author:         p.author,
		Tags:           append([]string(nil), p.tags...),
		DatelinePlace:  p.place,
		DatelineAgency: p.agency,
		Paragraphs:     p.paragraphs(),
	}
	for _, c := range p.cats {
		a.Categories = append(a.Categories, categories[c].name)
	}
	for _, pic := range p.pictures {
		a.Images = append(a.Images, Image{Path: pic.path, Caption: pic.caption, Alt: pic.alt})
	}
	return a
}

// Kinds of request counted in Stats, named as warta's crawler names the
// pages it fetches.
const (
	KindArticle = "article"
	KindListing = "listing"
	KindFeed    = "feed"
	KindSitemap = "sitemap"
	KindAPI     = "api"
	KindImage   = "image"
	KindRobots  = "robots"
	KindOther   = "other"
)

// Stats counts the requests a site answered since it was built or since
// ResetStats.
type Stats struct {
	Total    int
	ByKind   map[string]int
	ByStatus map[int]int
	// ByKindStatus counts per kind and status, such as
	// ByKindStatus["article"][304].
	ByKindStatus map[string]map[int]int
}

func newStats() Stats {
	return Stats{ByKind: map[string]int{}, ByStatus: map[int]int{}, ByKindStatus: map[string]map[int]int{}}
}

// Stats returns a copy of the request counters.
func (s *Site) Stats() Stats {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	c := Stats{
		Total:        s.stats.Total,
		ByKind:       maps.Clone(s.stats.ByKind),
		ByStatus:     maps.Clone(s.stats.ByStatus),
		ByKindStatus: make(map[string]map[int]int, len(s.stats.ByKindStatus)),
	}
	for k, m := range s.stats.ByKindStatus {
		c.ByKindStatus[k] = maps.Clone(m)
	}
	return c
}

// ResetStats sets every request counter to zero.
func (s *Site) ResetStats() {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	s.stats = newStats()
}

func (s *Site) count(kind string, status int) {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	s.stats.Total++
	s.stats.ByKind[kind]++
	s.stats.ByStatus[status]++
	m := s.stats.ByKindStatus[kind]
	if m == nil {
		m = map[int]int{}
		s.stats.ByKindStatus[kind] = m
	}
	m[status]++
}
