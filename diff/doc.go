// Package diff compares two versions of an article's text word by word,
// for `warta history` and the web UI's versions page.
//
// It is pure: strings in, runs of equal, deleted and inserted text out. It
// imports no other warta package.
package diff
