package eval

import (
	"bytes"
	"net/url"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"
)

// Peer is another open extractor that warta is compared with.
type Peer struct {
	Name string
	Fn   Extractor
}

// Peers are the extractors `warta eval --peers` and the comparison test
// run beside warta on the same pages, those that cost a program nothing
// until they run. go-trafilatura, the other peer, is in package
// extract/eval/trafilatura: its tables cost every program that links it
// 0.4 s at start (see there).
var Peers = []Peer{
	{"go-readability (readeck)", Readability},
}

// Readability is readeck's go-readability v2.
func Readability(page []byte, pageURL string) (string, error) {
	u, _ := url.Parse(pageURL)
	a, err := readability.FromReader(bytes.NewReader(page), u)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := a.RenderText(&b); err != nil {
		return "", err
	}
	return b.String(), nil
}
