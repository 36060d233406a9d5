package extract

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Article is one clean news article, in the shape of the Article JSON that
// warta's archive files, `warta extract`, exports and the API share.
type Article struct {
	ID          string   `json:"id"`
	Site        string   `json:"site"`
	URL         string   `json:"url"`
	Title       string   `json:"title"`
	Published   string   `json:"published"`
	Modified    string   `json:"modified"`
	DateSource  string   `json:"date_source"`
	Dateline    Dateline `json:"dateline"`
	Author      string   `json:"author"`
	Body        string   `json:"body"`
	Images      []Image  `json:"images"`
	Categories  []string `json:"categories"`
	Tags        []string `json:"tags"`
	Language    string   `json:"language"`
	Extractor   string   `json:"extractor"`
	FetchedAt   string   `json:"fetched_at"`
	ContentHash string   `json:"content_hash"`
	// Source names the web archive the page was taken from by a backfill
	// ("wayback", "commoncrawl"); empty for warta's own crawl. It and
	// SourceURL describe the capture, not the content: ContentHash leaves
	// them out.
	Source string `json:"source,omitempty"`
	// SourceURL is the archive's copy of the capture (a replay URL).
	SourceURL string `json:"source_url,omitempty"`
}

// Dateline is the place and news agency that open an Indonesian news story,
// as in "SAWAHLUNTO –" or "Jakarta (ANTARA) -". The text stays in the body;
// these fields repeat it for search and filters.
type Dateline struct {
	Place  string `json:"place"`
	Agency string `json:"agency"`
}

// Image is one picture that belongs to the article: a gallery slide, a
// figure or the lead image. Caption is empty unless the page gives a real
// caption (a file name is not one).
type Image struct {
	URL     string `json:"url"`
	Caption string `json:"caption"`
	Alt     string `json:"alt"`
}

// ArticleID returns the stable id of the article at canonicalURL on site:
// the site name and the first 16 hex digits of the URL's SHA-256. Ids never
// contain URL text, so they are safe as file names.
func ArticleID(site, canonicalURL string) string {
	sum := sha256.Sum256([]byte(canonicalURL))
	return site + "-" + hex.EncodeToString(sum[:8])
}

// ContentHash returns the hash of what a reader would call the article's
// content: title, publication date, author, body, images and labels. Fetch
// time, modification stamp and extractor name are left out so that a recrawl
// of an unchanged page hashes the same.
func ContentHash(a *Article) string {
	h := sha256.New()
	write := func(s string) {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	write(a.Title)
	write(a.Published)
	write(a.Author)
	write(a.Body)
	for _, img := range a.Images {
		write(img.URL)
		write(img.Caption)
	}
	write(strings.Join(a.Categories, "\x1f"))
	write(strings.Join(a.Tags, "\x1f"))
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}
