package demosite

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
)

// siteZone is the zone the simulated site prints its dates in: Western
// Indonesia Time (WIB), as a real Sawahlunto site does and as demo.yaml's
// timezone (Asia/Jakarta) says. It has had no daylight saving since 1964,
// so a fixed zone is exact and needs no tzdata.
var siteZone = time.FixedZone("WIB", 7*60*60)

// The span that generated publication dates cover.
var (
	spanStart = time.Date(2017, 1, 2, 0, 0, 0, 0, siteZone)
	spanEnd   = time.Date(2026, 11, 20, 0, 0, 0, 0, siteZone)
)

// Gallery kinds.
const (
	galleryNone = iota
	gallerySlider
	galleryFigure
	galleryClassic
)

// picture is one image of a post.
type picture struct {
	path  string // /wp-content/uploads/YYYY/MM/NAME.jpg
	title string // the slide title or the file name shown to readers
	// caption is the real caption ("" when the page shows only a file name).
	caption string
	alt     string
}

// post is the compact description of one article from which its pages are
// rendered. Posts are immutable once published to the site: Edit replaces
// a post with an edited copy.
type post struct {
	id        int
	slug      string
	title     string
	published time.Time
	modified  time.Time
	author    string
	cats      []int // indices into categories
	tags      []string
	topic     int // index into topics, -1 for the seed article

	dateline string // as printed before the dash: "SAWAHLUNTO", "Sawahlunto, Humas"
	place    string
	agency   string
	dash     string // " – " or " - "

	gallery     int
	galleryAt   int // figure only: after which paragraph (0 = before all)
	sliderBlock bool
	sliderID    int
	pictures    []picture

	nPara     int
	bacaJuga  int // post id of a "Baca juga" link, 0 = none
	bacaAt    int // the link follows this many body paragraphs
	editor    string
	credit    string
	creditOwn bool // the credit is a paragraph of its own

	// Markup habits of the editors, which change no text: the dateline in
	// bold, an empty spacer paragraph after paragraph spacerAt (0 = none),
	// the first mention of the mayor linked to his tag.
	boldDateline bool
	spacerAt     int
	tagLink      bool
	related      []int // post ids

	seed    uint64
	version int      // number of edits
	fixed   []string // the seed article's paragraphs, used instead of generated ones
}

// path is the post's URL path.
func (p *post) path() string { return "/baca/" + p.slug }

// writer fills sentence templates for one post.
type writer struct {
	rng   *rand.Rand
	p     *post
	tp    *topic
	actor actor
	event string
	vars  map[string]string
	used  map[string]bool // templates and quotes this writer used
}

// basics returns the person, event and venue of a generated post. They
// are drawn from a generator seeded by the post alone, so that an edit
// (which draws its text from another generator) keeps the same people and
// subject.
func (p *post) basics() (a actor, event, venue string) {
	tp := &topics[p.topic]
	base := rand.New(rand.NewPCG(p.seed, 1))
	if base.IntN(3) == 0 {
		a = tp.head
	} else {
		a = actors[base.IntN(len(actors))]
	}
	event = tp.events[base.IntN(len(tp.events))]
	if strings.IndexByte(event, '{') >= 0 {
		year := p.published.Year()
		event = strings.ReplaceAll(event, "{nextyear}", strconv.Itoa(year+1))
		event = strings.ReplaceAll(event, "{year}", strconv.Itoa(year))
	}
	return a, event, venues[base.IntN(len(venues))]
}

func newWriter(p *post, rng *rand.Rand) *writer {
	tp := &topics[p.topic]
	w := &writer{rng: rng, p: p, tp: tp, used: map[string]bool{}}
	var venue string
	w.actor, w.event, venue = p.basics()
	year := p.published.Year()
	w.vars = map[string]string{
		"year":     strconv.Itoa(year),
		"nextyear": strconv.Itoa(year + 1),
		"prevyear": strconv.Itoa(year - 1),
		"agency":   tp.agency,
		"Agency":   tp.agency,
		"event":    w.event,
		"actor":    w.actor.full,
		"short":    w.actor.short,
		"Short":    w.actor.short,
		"dayname":  daysID[p.published.Weekday()],
		"dm":       fmt.Sprintf("%d/%d", p.published.Day(), int(p.published.Month())),
		"date":     fmt.Sprintf("%d %s %d", p.published.Day(), monthsID[p.published.Month()], year),
		"month":    monthsID[p.published.Month()],
		"venue":    venue,
	}
	return w
}

func (w *writer) pick(list []string) string { return list[w.rng.IntN(len(list))] }

// fresh picks an entry of list this writer has not used yet, so that an
// article does not repeat itself; once all are used, any entry.
func (w *writer) fresh(list []string) string {
	k := w.rng.IntN(len(list))
	for i := range list {
		c := list[(k+i)%len(list)]
		if !w.used[c] {
			w.used[c] = true
			return c
		}
	}
	return list[k]
}

// expand fills the placeholders of t; unknown ones draw fresh values.
func (w *writer) expand(t string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(t, '{')
		if i < 0 {
			b.WriteString(t)
			return b.String()
		}
		j := strings.IndexByte(t[i:], '}')
		if j < 0 {
			b.WriteString(t)
			return b.String()
		}
		b.WriteString(t[:i])
		b.WriteString(w.value(t[i+1 : i+j]))
		t = t[i+j+1:]
	}
}

func (w *writer) value(key string) string {
	if v, ok := w.vars[key]; ok {
		return v
	}
	switch key {
	case "goal":
		return w.pick(w.tp.goals)
	case "participants":
		return w.pick(w.tp.participants)
	case "n":
		return strconv.Itoa(20 + w.rng.IntN(480))
	case "n2":
		return strconv.Itoa(15 + w.rng.IntN(300))
	case "k":
		return strconv.Itoa(1 + w.rng.IntN(5))
	case "kec":
		return strconv.Itoa(1 + w.rng.IntN(4))
	case "pct":
		return strconv.Itoa(55 + w.rng.IntN(45))
	case "money":
		if w.rng.IntN(2) == 0 {
			return fmt.Sprintf("Rp%d juta", 50+10*w.rng.IntN(90))
		}
		return fmt.Sprintf("Rp%d,%d miliar", 1+w.rng.IntN(30), w.rng.IntN(10))
	case "attendee", "attendee2":
		return w.pick(attendees)
	case "venue2":
		return w.pick(venues)
	case "kecamatan":
		return w.pick(kecamatan)
	}
	return key
}

// lead writes the first paragraph, dateline included.
func (w *writer) lead() string {
	s := w.expand(w.pick(leads))
	return w.p.dateline + w.p.dash + s
}

// paragraph writes one body paragraph after the lead.
func (w *writer) paragraph() string {
	if w.rng.IntN(100) < 40 {
		var q string
		if w.rng.IntN(3) == 0 {
			q = w.fresh(genericQuotes)
		} else {
			q = w.fresh(w.tp.quotes)
		}
		if w.rng.IntN(3) == 0 {
			q += ". " + w.fresh(genericQuotes)
		}
		return "“" + q + ",” " + w.expand(w.pick(quoteTails))
	}
	n := 1 + w.rng.IntN(3)
	parts := make([]string, 0, n)
	for range n {
		s := w.expand(w.fresh(sentences))
		parts = append(parts, upperFirst(s))
	}
	return strings.Join(parts, " ")
}

// paragraphs returns the post's body paragraphs as a reader sees them,
// without the "Baca juga" and "Editor" lines and with the credit.
func (p *post) paragraphs() []string {
	var paras []string
	if p.fixed != nil {
		paras = append(paras, p.fixed...)
	} else {
		w := newWriter(p, rand.New(rand.NewPCG(p.seed, 2)))
		paras = make([]string, 0, p.nPara+1)
		paras = append(paras, w.lead())
		for tries := 0; len(paras) < p.nPara; tries++ {
			// Paragraphs are unique within an article: extractors may
			// rightly drop repeated blocks as boilerplate.
			para := w.paragraph()
			if !slices.Contains(paras, para) || tries > 50 {
				paras = append(paras, para)
			}
		}
		for v := 1; v <= p.version; v++ {
			ew := newWriter(p, rand.New(rand.NewPCG(p.seed, 100+uint64(v))))
			k := 1 + ew.rng.IntN(len(paras)-1)
			for tries := 0; tries < 50; tries++ {
				para := ew.paragraph()
				if !slices.Contains(paras, para) {
					paras[k] = para
					break
				}
			}
		}
	}
	if p.credit != "" {
		if p.creditOwn {
			paras = append(paras, p.credit)
		} else {
			paras[len(paras)-1] += " " + p.credit
		}
	}
	return paras
}

func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// titleCase capitalizes each word's first letter, as headline writers do.
func titleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		if i > 0 && (w == "di" || w == "dan" || w == "ke" || w == "dari" || w == "untuk" || w == "bagi" || w == "yang" || w == "dengan") {
			continue
		}
		words[i] = upperFirst(w)
	}
	return strings.Join(words, " ")
}

// slugify turns a title into a WordPress slug.
func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// generator creates posts for one site; it is used under the site's lock.
type generator struct {
	rng   *rand.Rand
	slugs map[string]int // slug -> the last number suffix used (1 = none)
}

// newPost describes a generated post published at t with the given id.
// older lists ids of earlier posts for links ("Baca juga", related).
func (g *generator) newPost(id int, t time.Time, older []int) *post {
	r := g.rng
	p := &post{id: id, published: t, seed: r.Uint64()}
	p.topic = r.IntN(len(topics))
	tp := &topics[p.topic]
	_, ev, venue := p.basics()
	tt := tp.titles[r.IntN(len(tp.titles))]
	// Titles name the event in title case, without parenthesized acronyms.
	if k := strings.Index(ev, " ("); k > 0 {
		if e := strings.IndexByte(ev[k:], ')'); e > 0 {
			ev = ev[:k] + ev[k+e+1:]
		}
	}
	year := t.Year()
	// Headline writers add a place or a year to recurring events; it also
	// keeps a large site from repeating titles too often.
	switch k := r.IntN(6); {
	case k < 2 && !strings.Contains(tt, "{Venue}") && !strings.Contains(tt, " di "):
		tt += " di {Venue}"
	case k < 4 && !strings.Contains(tt, "{year}") && !strings.Contains(tt, "{nextyear}") && !strings.Contains(ev, "ahun"):
		tt += " Tahun {year}"
	}
	title := strings.ReplaceAll(tt, "{Event}", titleCase(ev))
	title = strings.ReplaceAll(title, "{Venue}", venue)
	title = strings.ReplaceAll(title, "{year}", strconv.Itoa(year))
	title = strings.ReplaceAll(title, "{nextyear}", strconv.Itoa(year+1))
	title = strings.ReplaceAll(title, "{n}", strconv.Itoa(20+r.IntN(180)))
	title = upperFirst(title)
	p.title = title
	p.slug = g.uniqueSlug(slugify(title))

	p.modified = t.Add(time.Duration(r.IntN(180)) * time.Minute)
	if r.IntN(10) == 0 {
		p.modified = p.modified.Add(time.Duration(1+r.IntN(30)) * 24 * time.Hour)
	}
	p.author = authors[r.IntN(len(authors))]
	p.cats = []int{tp.category}
	if tp.category != catKabarPemerintah && r.IntN(3) == 0 {
		p.cats = append(p.cats, catKabarPemerintah)
	}
	p.tags = []string{tp.tags[r.IntN(len(tp.tags))]}
	if r.IntN(2) == 0 {
		if t2 := tp.tags[r.IntN(len(tp.tags))]; t2 != p.tags[0] {
			p.tags = append(p.tags, t2)
		}
	}
	if r.IntN(4) == 0 {
		p.tags = append(p.tags, "Deri Asta")
	}

	p.dash = " – "
	switch d := r.IntN(20); {
	case d < 15:
		p.dateline, p.place = "SAWAHLUNTO", "SAWAHLUNTO"
	case d < 17:
		p.dateline, p.place, p.agency = "Sawahlunto, Humas", "Sawahlunto", "Humas"
	case d < 19:
		p.dateline, p.place = "TALAWI", "TALAWI"
	default:
		p.dateline, p.place = "SAWAHLUNTO", "SAWAHLUNTO"
		p.dash = " - "
	}

	p.nPara = 4 + r.IntN(9)
	switch g := r.IntN(100); {
	case g < 33:
		p.gallery = gallerySlider
		p.sliderID = 2 + r.IntN(40)
		p.sliderBlock = r.IntN(2) == 0
		n := 3 + r.IntN(7)
		captions := r.IntN(5) < 2
		form := r.IntN(4)
		for i := range n {
			name := fileName(r, form, t, i)
			pic := picture{path: uploadPath(t, strings.ReplaceAll(name, " ", "-")+".jpg"), title: name}
			if captions {
				pic.caption = tp.captions[(i+int(p.seed%7))%len(tp.captions)]
				if i >= len(tp.captions) {
					pic.caption += " (" + strconv.Itoa(i+1) + ")"
				}
				pic.title = pic.caption
			}
			p.pictures = append(p.pictures, pic)
		}
	case g < 53:
		p.gallery = galleryFigure
		p.galleryAt = r.IntN(2)
		c := tp.captions[r.IntN(len(tp.captions))]
		name := fileName(r, r.IntN(4), t, 0)
		ext := ".jpg"
		if r.IntN(5) == 0 {
			name, ext = "infografis-"+p.slug, ".png"
		}
		pic := picture{path: uploadPath(t, strings.ReplaceAll(name, " ", "-")+ext), title: c, caption: c}
		if r.IntN(2) == 0 {
			pic.alt = c
		}
		p.pictures = append(p.pictures, pic)
	case g < 63:
		p.gallery = galleryClassic
		n := 2 + r.IntN(5)
		for i := range n {
			name := fileName(r, 3, t, i)
			pic := picture{path: uploadPath(t, name+".jpg"), title: name}
			if r.IntN(2) == 0 {
				pic.caption = tp.captions[(i+int(p.seed%5))%len(tp.captions)]
				if i >= len(tp.captions) {
					pic.caption += " (" + strconv.Itoa(i+1) + ")"
				}
				pic.title = pic.caption
			}
			p.pictures = append(p.pictures, pic)
		}
	}

	if len(older) > 0 {
		if r.IntN(4) == 0 && p.nPara >= 3 {
			p.bacaJuga = older[r.IntN(len(older))]
			p.bacaAt = 1 + r.IntN(p.nPara-1)
		}
		n := 3 + r.IntN(2)
		seen := map[int]bool{}
		for range 2 * n {
			if len(p.related) == n {
				break
			}
			id := older[len(older)-1-r.IntN(min(len(older), 40))]
			if !seen[id] {
				seen[id] = true
				p.related = append(p.related, id)
			}
		}
	}
	if r.IntN(100) < 15 {
		p.editor = editors[r.IntN(len(editors))]
	}
	if r.IntN(100) < 30 {
		p.credit = credits[r.IntN(len(credits))]
		p.creditOwn = r.IntN(3) == 0
	}
	p.boldDateline = r.IntN(5) < 2
	if r.IntN(7) == 0 {
		p.spacerAt = 1 + r.IntN(p.nPara)
	}
	p.tagLink = slices.Contains(p.tags, "Deri Asta")
	return p
}

// uniqueSlug returns s, or s-2, s-3... when taken, as WordPress does.
func (g *generator) uniqueSlug(s string) string {
	n := g.slugs[s]
	if n == 0 {
		g.slugs[s] = 1
		return s
	}
	for {
		n++
		c := s + "-" + strconv.Itoa(n)
		if g.slugs[c] == 0 {
			g.slugs[s] = n
			g.slugs[c] = 1
			return c
		}
	}
}

// fileName makes a photo file name of one of the forms phones and cameras
// give: Facebook downloads, WhatsApp (two forms) and camera files.
func fileName(r *rand.Rand, form int, t time.Time, i int) string {
	switch form {
	case 0:
		return fmt.Sprintf("%d_%d_%d_n", 260000000+r.IntN(9000000), 6789940000000000+r.Int64N(99999999), 1000000000000000000+r.Int64N(8000000000000000000))
	case 1:
		return fmt.Sprintf("IMG-%s-WA%04d", t.Format("20060102"), 1+r.IntN(300)+i)
	case 2:
		tt := t.Add(time.Duration(i*7+r.IntN(5)) * time.Second)
		return "WhatsApp Image " + tt.Format("2006-01-02") + " at " + tt.Format("15.04.05")
	default:
		return fmt.Sprintf("DSC_%04d", 100+r.IntN(9000)+i)
	}
}

func uploadPath(t time.Time, name string) string {
	return fmt.Sprintf("/wp-content/uploads/%04d/%02d/%s", t.Year(), int(t.Month()), name)
}
