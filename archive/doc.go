// Package archive is warta's source of truth on disk: a WARC capture of
// every HTTP exchange a crawl made, and one JSON file per article, written
// so that a crash never loses or corrupts what was reported written.
// Everything else (the search index, exports, the web UI) can be rebuilt
// from it.
//
// It imports extract (for Article) and no other warta package; the crawler's
// pages reach it as Captures, converted by cmd/warta.
//
// # Data directory
//
// The archive owns two directories of a data directory DIR (the index and
// crawler state live beside them, in DIR/index and DIR/state):
//
//	DIR/articles/<site>/<xx>/<id>.json     latest version of an article
//	DIR/articles/<site>/<xx>/<id>.v<N>.json  older versions, N = 1 the oldest
//	DIR/warc/warta-<YYYYMMDDhhmmss>-<serial>-<host>.warc.gz   WARC captures
//	DIR/warc/.lock, DIR/warc/.dirty          the writer's lock and crash marker
//
// <xx> is the last two hex digits of the article id, which spreads an
// archive of millions of articles over 256 directories per site; <id> is
// extract.ArticleID's SITE-HEX, so paths come from the site and the id
// only, never from URL text. An article file is exactly the Article JSON
// of warta's interface. Its versions are the .v<N>.json files beside it
// (each a whole Article with its own fetched_at and content_hash), then
// <id>.json itself as the latest.
//
// WARC files are WARC/1.1, one gzip member per record, each opened by a
// warcinfo record; a capture is a request record and a response record
// (or a revisit record of profile identical-payload-digest when the
// payload is the same as the URL's last capture) with SHA-1 block and
// payload digests. A file is closed and the next started at
// Options.MaxWARCBytes (1 GB).
//
// # Crash safety
//
// Article files are written to a temp file in their directory, synced,
// renamed into place, and the directory synced. WARC records are appended
// and the file synced before SaveCapture returns. A session marks DIR/warc
// dirty while it runs; the next Open after a crash removes temp files and
// checks the WARC files the crashed session wrote, moving a torn tail to
// a .torn file beside them.
package archive
