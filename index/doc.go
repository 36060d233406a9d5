// Package index is warta's full-text index of archived articles: a Bleve
// index with an explicit mapping, an Indonesian analyzer (stop words and a
// stemmer of our own), an unstemmed copy of title and body for exact words
// and phrases, and a small query language in the Lucene tradition.
//
// The index is derived data, always rebuildable from the archive. The
// package imports extract for the Article type and none of warta's other
// packages.
package index
