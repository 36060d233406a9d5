package extract

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// fileNameREs match slide titles and alt texts that are only an image's
// file name (SITE-NOTES): those are not captions.
var fileNameREs = []*regexp.Regexp{
	regexp.MustCompile(`^\d+_\d+_\d+_[a-z]$`),                              // Facebook
	regexp.MustCompile(`(?i)^(IMG|VID)-\d{8}-WA\d+$`),                      // WhatsApp file
	regexp.MustCompile(`(?i)^WhatsApp (Image|Video) \d{4}-\d{2}-\d{2} at`), // WhatsApp export
	regexp.MustCompile(`(?i)^(IMG|DSC|DSCF|DSCN|P|PXL|MVIMG)_?\d+`),        // cameras
	regexp.MustCompile(`(?i)^pexels-`),
	regexp.MustCompile(`(?i)\.(jpe?g|png|gif|webp|heic|bmp|tiff?)$`),
}

// isFileName reports whether s is an image file name rather than words.
func isFileName(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	for _, re := range fileNameREs {
		if re.MatchString(s) {
			return true
		}
	}
	if strings.ContainsAny(s, " \t") {
		return false
	}
	// A spaceless name that is mostly digits and separators.
	digits := 0
	for _, r := range s {
		if r >= '0' && r <= '9' || r == '_' || r == '-' {
			digits++
		}
	}
	return digits*2 > len([]rune(s))
}

// caption returns s as a caption, or "" when it is a file name.
func caption(s string) string {
	s = normSpace(s)
	if isFileName(s) {
		return ""
	}
	return s
}

var (
	sliderSelector      = mustGroup(".n2-section-smartslider, .wp-block-nextend-smartslider3")
	slideBgSelector     = mustGroup(".n2-ss-slide-background")
	slideImgSelector    = mustGroup(".n2-ss-slide-background-image img, .n2-ss-slide-background-image source")
	slideSelector       = mustGroup(".n2-ss-slide[data-slide-public-id]")
	galleryItemSelector = mustGroup(".gallery .gallery-item, .tiled-gallery .tiled-gallery-item, .wp-block-gallery figure, .blocks-gallery-item")
	imgSelector         = mustGroup("img")
	figcaptionSelector  = mustGroup("figcaption, .wp-caption-text, .gallery-caption, .caption")
	leadImageSelector   = mustGroup(".post-thumbnail img, img.wp-post-image, .featured-image img, .td-post-featured-image img, .entry-thumb img")
)

// harvestImages collects the article's pictures from body in page order:
// Smart Slider 3 slides, the profile's gallery selector, WordPress
// galleries, figures and plain images. It runs before chrome removal so
// that the slider's pictures survive the slider's removal.
func (x *extraction) harvestImages(body *html.Node) []Image {
	var out []Image
	// A picture found by an earlier source is not added again, but one
	// gallery may show the same file on two slides: both are kept.
	seen := map[string]bool{}
	var batch []string
	add := func(img Image) {
		if img.URL == "" || seen[img.URL] {
			return
		}
		batch = append(batch, img.URL)
		out = append(out, img)
	}
	endBatch := func() {
		for _, u := range batch {
			seen[u] = true
		}
		batch = batch[:0]
	}
	done := map[*html.Node]bool{}
	markDone := func(n *html.Node) {
		walk(n, func(c *html.Node) bool {
			if c.DataAtom == atom.Img {
				done[c] = true
			}
			return true
		})
	}
	if x.rule("gallery") != nil {
		for _, n := range x.profile(x.root, "gallery").Nodes {
			if !attached(n, body) && inChrome(n) {
				continue // a slider in the page header or a sidebar
			}
			img := x.imageOf(n)
			if t := attr(n, "title"); img.Caption == "" && t != "" {
				img.Caption = caption(t)
			}
			add(img)
			done[n] = true
		}
		endBatch()
	}
	for _, s := range queryAll(body, x.g(sliderSelector)) {
		titles := map[string]string{}
		for _, sl := range queryAll(s, x.g(slideSelector)) {
			titles[attr(sl, "data-slide-public-id")] = attr(sl, "data-title")
		}
		for _, bg := range queryAll(s, x.g(slideBgSelector)) {
			imgs := queryAll(bg, x.g(slideImgSelector))
			var img Image
			for _, n := range imgs {
				if img = x.imageOf(n); img.URL != "" {
					break
				}
			}
			if img.URL == "" {
				continue
			}
			cap := caption(titles[attr(bg, "data-public-id")])
			if cap == "" {
				for c := bg.FirstChild; c != nil; c = c.NextSibling {
					if c.Type == html.ElementNode {
						cap = caption(attr(c, "data-title"))
					}
				}
			}
			img.Caption = cap
			add(img)
		}
		endBatch()
		markDone(s)
	}
	for _, it := range queryAll(body, x.g(galleryItemSelector)) {
		if n := query(it, x.g(imgSelector)); n != nil && !done[n] {
			img := x.imageOf(n)
			if c := query(it, x.g(figcaptionSelector)); c != nil {
				img.Caption = caption(textOf(c))
			}
			add(img)
			endBatch()
		}
		markDone(it)
	}
	// Pictures in ads, share bars, related posts and comments are not the
	// article's. The walk tests each element it reaches against those
	// rules, rather than listing every match under body beforehand, rule
	// by rule, and so never looks inside a block it skips.
	var chrome []cascadia.SelectorGroup
	for _, r := range chromeRules {
		if r.rule != "slider" && r.rule != "caption" {
			if g := x.g(r.sel); len(g) > 0 {
				chrome = append(chrome, g)
			}
		}
	}
	isChrome := func(n *html.Node) bool {
		for _, g := range chrome {
			if g.Match(n) {
				return true
			}
		}
		return false
	}
	walk(body, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		if n != body && isChrome(n) {
			return false
		}
		if n.DataAtom == atom.Figure || hasClass(n, "wp-caption") {
			if im := query(n, x.g(imgSelector)); im != nil && !done[im] {
				img := x.imageOf(im)
				if c := query(n, x.g(figcaptionSelector)); c != nil {
					img.Caption = caption(textOf(c))
				}
				add(img)
				endBatch()
			}
			markDone(n)
			return false
		}
		if n.DataAtom == atom.Img && !done[n] && !tinyImage(n) && !inChrome(n) && !chromeBlock(n, body) {
			add(x.imageOf(n))
			endBatch()
		}
		return true
	})
	return out
}

// chromeBlock reports whether n sits in an element that chrome removal
// will throw away (share bars, related posts, ads).
func chromeBlock(n, body *html.Node) bool {
	for p := n.Parent; p != nil && p != body; p = p.Parent {
		if p.Type == html.ElementNode && junkClassRE.MatchString(classID(p)) {
			return true
		}
	}
	return false
}

// tinyImage reports icons, avatars, emoji and tracking pixels.
func tinyImage(n *html.Node) bool {
	for _, k := range []string{"width", "height"} {
		if v, err := strconv.Atoi(strings.TrimSuffix(attr(n, k), "px")); err == nil && v > 0 && v < 100 {
			return true
		}
	}
	c := classID(n)
	return strings.Contains(c, "emoji") || strings.Contains(c, "avatar") || strings.Contains(c, "icon") || strings.Contains(c, "logo")
}

// imageOf reads one <img> or <source>: its URL (lazy-loading attributes
// and srcset included) made absolute, and its alt text.
func (x *extraction) imageOf(n *html.Node) Image {
	if n.DataAtom != atom.Img && n.DataAtom != atom.Source {
		if im := query(n, x.g(imgSelector)); im != nil {
			n = im
		}
	}
	var raw string
	for _, k := range []string{"data-src", "data-lazy-src", "data-original", "data-orig-file", "data-full-url", "src"} {
		if v := strings.TrimSpace(attr(n, k)); v != "" && !strings.HasPrefix(v, "data:") {
			raw = v
			break
		}
	}
	if raw == "" {
		for _, k := range []string{"data-lazy-srcset", "data-srcset", "srcset"} {
			if f := strings.Fields(strings.Split(attr(n, k), ",")[0]); len(f) > 0 {
				raw = f[0]
				break
			}
		}
	}
	if raw == "" {
		return Image{}
	}
	// A thumbnail that links to its full-size file stands for the file.
	for p, i := n.Parent, 0; p != nil && i < 3; p, i = p.Parent, i+1 {
		if p.DataAtom == atom.A {
			if href := strings.TrimSpace(attr(p, "href")); imageFileRE.MatchString(href) {
				raw = href
			}
			break
		}
	}
	return Image{URL: x.absURL(raw), Alt: normSpace(attr(n, "alt"))}
}

func (x *extraction) absURL(raw string) string {
	if strings.TrimSpace(raw) == "" {
		return ""
	}
	u, err := x.base.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return u.String()
}

// leadImage returns the page's lead image: og:image, JSON-LD image or a
// theme's featured image.
func (x *extraction) leadImage() Image {
	for _, v := range []string{x.meta.get("og:image"), x.meta.get("og:image:url"), x.meta.ld.image, x.meta.get("twitter:image")} {
		if u := x.absURL(v); u != "" {
			img := Image{URL: u, Alt: normSpace(x.meta.get("og:image:alt"))}
			// The featured image printed on the page has the alt text and
			// maybe a caption.
			var shown *html.Node
			walk(x.root, func(n *html.Node) bool {
				if shown == nil && n.DataAtom == atom.Img && sameImage(x.imageOf(n).URL, u) {
					shown = n
				}
				return shown == nil
			})
			if shown != nil {
				if img.Alt == "" {
					img.Alt = normSpace(attr(shown, "alt"))
				}
				for p := shown.Parent; p != nil && p.DataAtom != atom.Body; p = p.Parent {
					if p.DataAtom == atom.Figure || hasClass(p, "wp-caption") {
						if c := query(p, x.g(figcaptionSelector)); c != nil {
							img.Caption = caption(textOf(c))
						}
						break
					}
				}
			}
			return img
		}
	}
	return Image{}
}

// featuredImage returns the theme's featured image of the article
// (WordPress post thumbnail), with its caption when it sits in a figure;
// thumbnails of related posts and sidebars do not count.
func (x *extraction) featuredImage() Image {
	for _, n := range queryAll(x.root, x.g(leadImageSelector)) {
		if inChrome(n) || chromeBlock(n, nil) {
			continue
		}
		img := x.imageOf(n)
		for p := n.Parent; p != nil && p.DataAtom != atom.Body; p = p.Parent {
			if p.DataAtom == atom.Figure || hasClass(p, "wp-caption") || strings.Contains(classID(p), "featured") {
				if c := query(p, x.g(figcaptionSelector)); c != nil {
					img.Caption = caption(textOf(c))
				}
				break
			}
		}
		return img
	}
	return Image{}
}

var imageFileRE = regexp.MustCompile(`(?i)\.(jpe?g|png|gif|webp|avif)(\?.*)?$`)

var logoLikeRE = regexp.MustCompile(`(?i)logo|favicon|icon|default|placeholder|no-?image|blank|share-image`)

// withLead puts the article's lead image first: the theme's featured image
// when the page prints one, else og:image (or JSON-LD's image), unless the
// body's pictures already hold it. A site logo or default share picture is
// no lead image.
func withLead(imgs []Image, featured, lead Image) []Image {
	if featured.URL != "" {
		lead = featured
	}
	if lead.URL == "" || logoLikeRE.MatchString(lead.URL) {
		return imgs
	}
	for _, im := range imgs {
		if sameImage(im.URL, lead.URL) {
			return imgs
		}
	}
	return append([]Image{lead}, imgs...)
}

// stripSizeSuffix removes the size WordPress and CDNs add to a file name
// ("-1024x683", "_169x95") before its extension. It is the regexp
// [-_]\d{2,4}x\d{2,4}(\.[a-z]+)$ replaced by its extension, written out
// (TestStripSizeSuffix holds them together): leadImage compares the lead
// image with every picture of the page, and the regexp tried every
// position of each URL. A match ends the string, so there is at most one.
func stripSizeSuffix(s string) string {
	dot := strings.LastIndexByte(s, '.')
	if dot < 0 || dot == len(s)-1 {
		return s
	}
	for i := dot + 1; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return s
		}
	}
	// i walks back from the dot: digits, "x", digits, then "-" or "_".
	i := dot
	for _, sep := range []string{"x", "-_"} {
		d := 0
		for i-d > 0 && '0' <= s[i-d-1] && s[i-d-1] <= '9' {
			d++
		}
		if d < 2 || d > 4 || i-d < 1 || !strings.ContainsRune(sep, rune(s[i-d-1])) {
			return s
		}
		i -= d + 1
	}
	return s[:i] + s[dot:]
}

// sameImage reports whether two URLs name the same picture, whatever size
// or query string they ask for.
func sameImage(a, b string) bool {
	norm := func(s string) string {
		if i := strings.IndexAny(s, "?#"); i >= 0 {
			s = s[:i]
		}
		return stripSizeSuffix(s)
	}
	a, b = norm(a), norm(b)
	if a == b {
		return true
	}
	// The same long file name in another size's folder (/small/, /ori/).
	fa, fb := a[strings.LastIndexByte(a, '/')+1:], b[strings.LastIndexByte(b, '/')+1:]
	return len(fa) >= 20 && fa == fb
}
