// Package export writes articles in the formats users take away: JSON
// Lines (the Article JSON of warta's interface, one object a line) and
// CSV (one row an article, lists joined), for `warta export` and the web
// UI's export links.
//
// It imports extract (for Article), internal/csvcell (no cell a formula)
// and no other warta package; callers choose the articles.
package export
