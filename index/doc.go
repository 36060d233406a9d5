// Package index is warta's full-text index of archived articles: a Bleve
// index with an explicit mapping, an Indonesian analyzer (stop words and a
// stemmer of our own), an unstemmed copy of title and body for exact words
// and phrases, and a small query language in the Lucene tradition.
//
// The index is derived data, always rebuildable from the archive (see
// Index.Rebuild). The package imports extract for the Article type,
// internal/atomicfile for its pointer files and rebuild lock,
// internal/csvcell for the cells of its counts CSV, and none of warta's
// other packages.
//
// # Query language
//
// It is the one researchers know from Lucene, Elasticsearch and Media
// Cloud:
//
//	banjir bandang              both words: the default operator is AND
//	banjir OR longsor           either word
//	banjir NOT jalan            the first without the second; also -jalan
//	(banjir OR longsor) talawi  parentheses group
//	"banjir bandang"            these exact words, in this order
//	"Talawi"                    the exact word, not its stem
//	tambang*, tamb?ng           prefixes and wildcards, on exact words
//	title:banjir                one field (see Fields): title, body, caption,
//	                            place, agency, author, site, url, category, tag,
//	                            language, id, published
//	url:banjir                  a word of the address; a whole URL matches exactly
//	caption:longsor             a word of a gallery caption
//	title:(banjir OR longsor)   a group within one field
//	published:[2021-01-01 TO 2021-12-31]   a date range, ends included;
//	                            {} excludes an end, * leaves it open
//	published:2021-12           a whole month (or year, or day)
//
// Bare words match their Indonesian stem in title, body and gallery captions, so "bangun"
// finds "pembangunan" and "dibangun"; title matches weigh more than body
// matches. Words the stemmer drops (stop words such as "yang") match their
// exact occurrences. AND, OR, NOT and TO are operators only in capitals;
// && and || also work. Dates given as days, months or years compare with
// the date printed on the article, in the site's own time zone; RFC 3339
// times compare with the instant. A query that cannot be parsed gives a
// *SyntaxError with the column of the problem.
//
// Prefixes and wildcards are bounded, as Lucene bounds them: a wildcard
// needs two letters before its first * or ? (a leading wildcard would read
// every word of the index), and the words of the index that the prefixes
// and wildcards of one query stand for may be at most
// Options.MaxExpansion (4096) together. A query over the bound is refused
// with a *SyntaxError at the word, before any searching. A word with a *
// before its end or a ? holds at most 4 of them and 24 bytes, a query at
// most 8 such words, and parentheses and NOTs nest at most 100 deep:
// Bleve builds a wildcard's automaton in full, and every stage recurses
// per level, before a context is looked at. Searches stop when their
// context ends.
//
// # Sharing the index
//
// Bleve lets one process write an index, or several read it, at a time.
// By default an Index opens the files only for the duration of one search
// or one batch commit, and waits (Options.Wait) while another process
// holds them, so a crawl that writes and a `warta search` in another
// process share one index without either seeing it locked.
package index
