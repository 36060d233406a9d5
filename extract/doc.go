// Package extract turns one fetched HTML page into an Article: title,
// dateline, dates, author, body paragraphs, gallery images and categories,
// with navigation and theme chrome stripped.
//
// A site profile's rules are applied through goquery's Selection API; the
// generic extractor scores html.Nodes itself, rates its result (Explanation
// .Confidence) and, when the confidence is low, asks go-readability for a
// second opinion and keeps the text that reads more as an article.
//
// It is pure: bytes, a URL and rules in, an Article out. It must not touch
// the network, the disk, the clock or package-level state, and it imports
// none of warta's other packages. It owns the Article type that archive and
// index share.
package extract
