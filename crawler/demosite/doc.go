// Package demosite is warta's built-in news site: a WordPress regional
// government portal in the shape of the Sawahlunto city site, generated
// deterministically from a seed and served on 127.0.0.1 without internet.
//
// `warta demo`, the crawler's tests and benchmarks and the end-to-end test
// crawl it. It serves article pages with the full theme chrome of the real
// site (Smart Slider 3 galleries, related posts, share bar, sidebar,
// comments), listings, category pages, an RSS feed, WordPress sitemaps, the
// WordPress REST API, robots.txt and images; it answers conditional
// requests with 304; it can change over time (Edit, Add); and it tells its
// own ground truth (Truth) so tests can check what a crawl extracted.
//
// Pages are rendered on request from a compact description of each post, so
// a site of 20,000 articles builds in about a tenth of a second. It imports only the
// standard library and none of warta's other packages.
package demosite
