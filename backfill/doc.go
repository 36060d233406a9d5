// Package backfill fetches the past of a site from the web archives that
// kept it: a Wayback-compatible archive (the Internet Archive's CDX server
// and id_ replay, pywb and OpenWayback instances) or Common Crawl (its
// URL index and WARC records fetched with Range requests).
//
// It lists a site's captures, keeps those that are articles (the caller's
// Identity decides, and says which URL variants are one article), drops
// repeats of the same bytes, and hands each remaining capture, oldest
// first, to a function its caller supplies. It is polite to the archives:
// requests to one archive host start at least Delay apart, 429 and 503
// wait for Retry-After, other 5xx back off, and a refusal (403, 429 that
// will not end) stops the run with ErrRefused. A state file remembers the
// captures handed over, so an interrupted run resumes without fetching
// them again.
//
// Like crawler, it does fetching only: it imports none of warta's extract,
// archive or index packages; cmd/warta wires what it fetches into the same
// pipeline as a crawl.
package backfill
