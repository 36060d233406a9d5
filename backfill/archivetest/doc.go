// Package archivetest serves fake web archives on 127.0.0.1 for tests: a
// Wayback-compatible archive (the Internet Archive's CDX server and id_
// replay, or pywb's /{collection}/cdx and /{collection}/ replay) and a
// Common Crawl (collinfo.json, per-crawl indexes, WARC files answering
// Range requests). They model what the real ones do that a client must
// cope with: paging by resume key or page number, duplicate digests,
// revisit rows, captures that are redirects or gone, URL variants that
// share a urlkey, the nearest capture answered by a redirect, 429 with
// Retry-After and a 503 now and then.
package archivetest
