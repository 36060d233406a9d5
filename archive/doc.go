// Package archive is warta's source of truth on disk: a WARC capture of
// every HTTP exchange a crawl made, and one JSON file per article, written
// so that a crash never loses or corrupts what was reported written.
// Everything else (the search index, exports, the web UI) can be rebuilt
// from it.
//
// It imports extract (for Article) and internal/atomicfile (for its crash-safe
// writes and lock) and no other warta package; the crawler's
// pages reach it as Captures, converted by cmd/warta.
//
// # Data directory
//
// The archive owns two directories of a data directory DIR (the index and
// the crawler's state live beside them, in DIR/index and DIR/state):
//
//	DIR/articles/<site>/<xx>/<id>.json        the latest version of an article
//	DIR/articles/<site>/<xx>/<id>.v<N>.json   its older versions, N = 1 the oldest
//	DIR/warc/warta-<YYYYMMDDhhmmss>-<serial>-<host>.warc.gz         captures
//	DIR/warc/warta-<...>.warc.gz.cdxj         the CDXJ index of that file
//	DIR/warc/warta-<...>.warc.gz.torn         a torn tail set aside by recovery
//	DIR/warc/.lock, DIR/warc/.dirty           the writer's lock and crash marker
//
// <xx> is the last two hex digits of the article id, which spreads an
// archive of millions of articles over 256 directories per site; <id> is
// extract.ArticleID's SITE-HEX, so paths come from the site and the id
// only, never from URL text. An article file is exactly the Article JSON
// of warta's interface. Its versions are the .v<N>.json files beside it,
// each a whole Article with its own fetched_at and content_hash, then
// <id>.json itself as the latest: the version list is the files.
//
// WARC files are WARC/1.1 with a gzip member per record, each opened by a
// warcinfo record. A capture is a request record and a response record
// (linked by WARC-Concurrent-To), with SHA-1 block and payload digests;
// the response is a revisit record when the URL's last capture had the
// same payload (profile identical-payload-digest) or when it is an empty
// 304 (profile server-not-modified). A file is closed and the next begun
// at Options.MaxWARCBytes (1 GB); each session starts a new file.
//
// Each closed WARC file has a sorted CDXJ index beside it (SURT key,
// 14-digit time, JSON with url, mime, status, digest, offset, length,
// filename: the fields pywb reads). Lookup binary-searches these files,
// skipping those whose keys' Bloom filter says they lack the URL, and
// the in-memory index of the file being written.
//
// # Crash safety
//
// Article files are written to a temp file in their directory, synced,
// renamed into place, and the directory synced; a changed article first
// keeps the old latest as the next .v<N>.json, then replaces the latest,
// so a crash between the two leaves a duplicate that Versions hides, never
// a gap. WARC records are appended and the file synced before SaveCapture
// returns (SaveCaptureUnsynced returns first, with a function that waits
// for that sync); a failed write is cut back off the file. A writing session
// marks DIR/warc/.dirty with the WARC files it writes; the next Open after
// a crash removes temp files, reads those WARC files to their last whole
// record, moves any torn tail to a .torn file beside them (copied and
// synced before the file is cut, so no byte is thrown away) and rebuilds
// their indexes. Any WARC file without an index is indexed on Open.
package archive
