package eval

import (
	"bytes"
	"net/url"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"
	trafilatura "github.com/markusmobius/go-trafilatura"
)

// Peer is another open extractor that warta is compared with.
type Peer struct {
	Name string
	Fn   Extractor
}

// Peers are the extractors `warta eval --peers` and the comparison test
// run beside warta on the same pages.
var Peers = []Peer{
	{"go-trafilatura+fallback", Trafilatura},
	{"go-readability (readeck)", Readability},
}

// Trafilatura is go-trafilatura v1.12 with its fallback extractors
// (readability and dom-distiller), comments excluded.
func Trafilatura(page []byte, pageURL string) (string, error) {
	u, _ := url.Parse(pageURL)
	r, err := trafilatura.Extract(bytes.NewReader(page), trafilatura.Options{
		OriginalURL:     u,
		EnableFallback:  true,
		ExcludeComments: true,
	})
	if err != nil {
		return "", err
	}
	return r.ContentText, nil
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
