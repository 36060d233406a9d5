// Package crawler fetches a news site politely: it discovers article URLs
// (WordPress REST API, sitemaps, feeds, listing pages), obeys robots.txt and
// its Crawl-delay, bounds the rate and concurrency per host, retries what
// deserves a retry, and remembers what it fetched so that later runs fetch
// only what is new or changed.
//
// It does fetching only. Every response it gets is handed to a Handler that
// its caller supplies; it imports none of warta's extract, archive or index
// packages (nor configs: the caller turns a site config into Options).
//
// # How a run goes
//
// Run fetches robots.txt (handed over as KindRobots) and the start pages
// (KindListing), then finds articles from the best source the Discovery
// mode allows: the REST API advertised by the start page's Link header or
// <link rel="https://api.w.org/"> (KindAPI pages), sitemaps named in
// robots.txt or at the WordPress and Yoast names (KindSitemap), feeds
// (KindFeed), and listing pages with their pagination. Articles go to a
// fixed pool of workers (no goroutine per URL) that fetch over colly with
// at most Concurrency requests in flight per host, starting at least
// max(Delay, Crawl-delay) apart; 429 and 503 wait for Retry-After, other
// 5xx and network errors are retried with exponential backoff and jitter,
// MaxRetries times.
//
// Redirects are followed by the crawler, hop by hop, so that each hop is
// checked against the allowed hosts, robots.txt and the URLs already known
// (a /?p=N shortlink to an article fetched already costs one small
// request). URLs are normalized (Normalize) and an article's
// <link rel=canonical> names it, so one article is one URL. A multi-page
// article arrives as one Page whose Parts hold its further pages.
//
// # Hostile sites
//
// Every byte a site sends is treated as hostile. The images a Handler asks
// for (Page.Follow) come only from the site's AllowedHosts and ImageHosts,
// and every connection of a crawl goes through a Guard, which refuses
// loopback, private, link-local and multicast addresses after DNS
// resolution unless the site itself lives on one. Listing chains without
// end (pagination that repeats itself, calendars, growing queries, session
// ids) are bounded by the trap rules of traps.go, counted in
// Summary.Traps. A <base href> off the allowed hosts is ignored, and so
// is a rel=canonical that names another article than the page's own
// (sameArticle): a page may not take another's identity. A robots.txt
// Crawl-delay above MaxCrawlDelay keeps the host from being crawled at
// all; a host that fails MaxHostFailures attempts in a row (down, stalled,
// 429 for ever) is given up for the run. The cookie jar keeps 50 cookies
// per host, and response headers are read up to 256 KB. A Handler error
// wrapping ErrAbort (a full disk) stops the crawl.
//
// # What the Handler sees
//
// Every 2xx response, raw: the body as sent (no charset conversion), cut
// at MaxPageBytes with Truncated set. Not handed over: 304 answers to
// conditional requests and bodies identical to the last one handed over
// (both counted: Summary.NotModified, Summary.Unchanged), and, unless
// Options.HandErrors, non-2xx answers (counted as errors).
//
// # State
//
// With Options.StatePath, a bbolt file keeps per article URL the last
// fetch time, ETag, Last-Modified, body hash and the discovery source's
// lastmod. A record is written only after the Handler returned nil. Later
// runs skip articles whose sitemap lastmod or API modified date has not
// moved, send conditional requests for the rest, and ask the API only for
// posts modified since the last complete run. A run that did not finish
// (cancelled, killed, cut by MaxPages) leaves a mark; the next run does not
// fetch again the articles that run finished.
package crawler
