// Package web serves warta's web UI and JSON API over an archive and its
// index: a search page (query language, filters, sort, highlighted
// snippets, paging, a server-rendered SVG chart of matches over time,
// CSV and JSONL exports), article pages (clean text, gallery, metadata,
// versions with word-level diffs, the archived page replayed in a
// sandbox), a status page of each site's last runs, the JSON API under
// /api/, /healthz and Prometheus metrics on /metrics.
//
// The UI runs no JavaScript of its own and shows nothing from an archived
// page unescaped in its origin: article text is escaped by html/template,
// and an archived page is only shown through the replay route: stripped
// of scripts, frames, objects, event handlers and refreshes, with every URL
// it loads (style sheets, images, fonts, url() in CSS) rewritten to the
// replay of its capture nearest the page's time, and served with
// "Content-Security-Policy: sandbox" (no script, an opaque origin, loads
// from this server only) into an <iframe sandbox>. Replay reads the
// archive only; the server never fetches from the network.
//
// Serve is the one serve-and-shutdown sequence of warta's HTTP servers (the
// UI, the daemon, the demo site of `warta demo`), with the timeouts a
// server facing hostile clients needs; AllowHosts is the Host rule that
// keeps web pages elsewhere from reaching it through DNS rebinding.
//
// The package takes its data through small interfaces of its own
// (Searcher, ArticleSource, CaptureSource) that *index.Index and
// *archive.Store satisfy, and reads run records with runlog. It imports
// index, archive, diff, export, extract and runlog, and nothing imports it
// but cmd.
package web
