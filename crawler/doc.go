// Package crawler fetches a news site politely: it discovers article URLs
// (WordPress REST API, sitemaps, feeds, listing pages), obeys robots.txt and
// its Crawl-delay, bounds the rate and concurrency per host, retries what
// deserves a retry, and remembers what it fetched so that later runs fetch
// only what is new or changed.
//
// It does fetching only. Every response it gets is handed to a Handler that
// its caller supplies; it imports none of warta's extract, archive or index
// packages.
package crawler
