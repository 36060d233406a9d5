// Package trafilatura runs go-trafilatura, one of the open extractors warta
// is compared with (see package eval).
//
// It is a package of its own because of what go-trafilatura brings with
// it: go-htmldate's go-dateparser builds its tables of every language at
// program start, about 80 MB allocated in 0.4 s, 25-30 MB of them kept for
// the program's life. Every program that links it pays that before main
// runs, so the warta command links it only when built with the "peers"
// tag; the comparison tests import it directly.
package trafilatura

import (
	"bytes"
	"net/url"

	gotrafilatura "github.com/markusmobius/go-trafilatura"
)

// Name is how reports name this extractor.
const Name = "go-trafilatura+fallback"

// Extract returns the body text go-trafilatura v1.12 finds in page, with
// its fallback extractors (readability and dom-distiller), comments
// excluded.
func Extract(page []byte, pageURL string) (string, error) {
	u, _ := url.Parse(pageURL)
	r, err := gotrafilatura.Extract(bytes.NewReader(page), gotrafilatura.Options{
		OriginalURL:     u,
		EnableFallback:  true,
		ExcludeComments: true,
	})
	if err != nil {
		return "", err
	}
	return r.ContentText, nil
}
