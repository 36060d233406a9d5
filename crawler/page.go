package crawler

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// Kind says what role a fetched page plays in a crawl.
type Kind string

// The kinds of page a crawl fetches.
const (
	KindRobots  Kind = "robots"
	KindListing Kind = "listing" // home, category and archive pages that link to articles
	KindArticle Kind = "article"
	KindSitemap Kind = "sitemap"
	KindFeed    Kind = "feed"
	KindAPI     Kind = "api" // WordPress REST API pages
	KindImage   Kind = "image"
	// KindRequisite is what an article page needs to look as it did: its
	// style sheets, scripts, fonts and layout images (Page.Requisites).
	KindRequisite Kind = "requisite"
)

// Page is one HTTP exchange of a crawl, handed to the Handler as it
// arrived, so that the caller can archive the raw bytes and extract from
// them.
type Page struct {
	Kind Kind
	// URL is the canonical URL of what was fetched: normalized, after
	// redirects. RequestURL is what was asked for first.
	URL        string
	RequestURL string
	// Method, RequestHeader: the request as sent (for the archive).
	Method        string
	RequestHeader http.Header
	// Proto, Status, Header, Body: the response. Body is the whole payload,
	// decoded from any Content-Encoding, at most the site's max page bytes.
	Proto     string
	Status    int
	Header    http.Header
	Body      []byte
	Truncated bool // Body was cut at the size limit
	FetchedAt time.Time
	// Parts holds the further pages of a multi-page article, in order, after
	// this first one; empty for single pages.
	Parts []*Page
	// Follow is for the Handler to fill: URLs it wants fetched too, such
	// as the gallery images of an article. When HandlePage returns nil the
	// crawler queues the first 500 that its Guard allows (on the site's
	// hosts or its ImageHosts; same politeness, capped at MaxPageBytes)
	// and hands each over as a page of KindImage.
	Follow []string
	// Requisites is for the Handler to fill too: the page requisites of an
	// article, or those a requisite style sheet imports. The crawler
	// fetches each URL once per crawl, after the articles, with the same
	// politeness and Guard as Follow, and hands it over as a page of
	// KindRequisite. A later crawl asks again only with a conditional
	// request (the validators the server sent, or the time of the last
	// fetch once RequisiteMaxAge has passed when it sent none), and hands
	// the answer over only when the body changed.
	Requisites []string
}

// Handler receives every page a crawl fetched. An error from HandlePage is
// counted and logged as that page's failure; it does not stop the crawl,
// unless it wraps ErrAbort. Crawls call HandlePage from several goroutines
// at once.
type Handler interface {
	HandlePage(ctx context.Context, p *Page) error
}

// ErrAbort, wrapped in an error a Handler returns, stops the whole crawl:
// no request starts after it, the pages in flight are handed over (and
// will likely fail the same way), and Run returns the Handler's error. It
// is for failures that every later page would meet too, such as a full
// disk, where fetching on only wastes the site's bandwidth. The pages not
// handed over are fetched by the next run, as after a cancellation.
var ErrAbort = errors.New("crawl aborted")

// HandlerFunc adapts a function to the Handler interface.
type HandlerFunc func(ctx context.Context, p *Page) error

// HandlePage calls f(ctx, p).
func (f HandlerFunc) HandlePage(ctx context.Context, p *Page) error { return f(ctx, p) }
