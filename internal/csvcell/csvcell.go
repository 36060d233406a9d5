// Package csvcell makes text safe to put in a cell of a CSV file that a
// spreadsheet will open: the one home of that rule for warta's exports,
// `warta search --csv` and the counts CSV of /api/counts.
package csvcell

import "strings"

// Safe keeps a spreadsheet from running a cell as a formula: text that
// starts with = + - @, a tab or a carriage return gets a leading
// apostrophe (OWASP's advice on CSV injection). Dates, numbers that are
// not negative, ids and hashes never start so; a title that does is rare
// and keeps its text.
func Safe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
