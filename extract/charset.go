package extract

import (
	"bytes"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

// metaCharsetRE finds a charset declared in a <meta> tag, in either the
// HTML5 form or the http-equiv Content-Type form.
var metaCharsetRE = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)`)

// toUTF8 decodes page to UTF-8. The HTTP Content-Type wins, then a byte
// order mark, then a <meta> charset anywhere in the first 64 KB, then a
// sniff: valid UTF-8 stays UTF-8, anything else is read as windows-1252.
// A page declared as a single-byte charset whose bytes are valid UTF-8 with
// multi-byte sequences is read as UTF-8: that is a mislabelled page, and
// decoding it as declared would turn every accented letter into mojibake.
// It returns the text and the name of the charset it used.
func toUTF8(page []byte, contentType string) (string, string) {
	text, name := decodeUTF8(page, contentType)
	return string(text), name
}

// decodeUTF8 is toUTF8 without the copy of a page that is UTF-8 already:
// that page comes back as itself, less a byte order mark, so the parser
// reads it in place (a copy was a sixth of the bytes Extract allocated).
func decodeUTF8(page []byte, contentType string) ([]byte, string) {
	name := declaredCharset(page, contentType)
	if name == "" || name == "utf-8" {
		if utf8.Valid(page) {
			return stripBOM(page), "utf-8"
		}
		if name == "" {
			name = "windows-1252"
		} else {
			// Declared UTF-8 but not valid: keep what decodes and replace
			// the rest, which is what a browser shows.
			return bytes.ToValidUTF8(stripBOM(page), replacement), "utf-8"
		}
	}
	var enc encoding.Encoding
	if name == "windows-1252" {
		enc = charmap.Windows1252
	} else {
		enc, name = charset.Lookup(name)
	}
	if enc == nil {
		return bytes.ToValidUTF8(page, replacement), "utf-8"
	}
	if isSingleByte(name) && hasMultibyteUTF8(page) && utf8.Valid(page) {
		return stripBOM(page), "utf-8"
	}
	out, err := enc.NewDecoder().Bytes(page)
	if err != nil {
		return bytes.ToValidUTF8(page, replacement), "utf-8"
	}
	return bytes.ToValidUTF8(out, replacement), name
}

// replacement is U+FFFD, what a browser shows for bytes that do not decode.
var replacement = []byte("\uFFFD")

// declaredCharset returns the canonical name of the charset the header, a
// byte order mark or a <meta> tag declares, or "" when none does.
func declaredCharset(page []byte, contentType string) string {
	switch {
	case bytes.HasPrefix(page, []byte("\xef\xbb\xbf")):
		return "utf-8"
	case bytes.HasPrefix(page, []byte("\xfe\xff")):
		return "utf-16be"
	case bytes.HasPrefix(page, []byte("\xff\xfe")):
		return "utf-16le"
	}
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		if cs := params["charset"]; cs != "" {
			if e, name := charset.Lookup(cs); e != nil {
				return name
			}
		}
	}
	head := page
	if len(head) > 64<<10 {
		head = head[:64<<10]
	}
	if m := metaCharsetRE.FindSubmatch(head); m != nil {
		if e, name := charset.Lookup(string(m[1])); e != nil {
			if strings.HasPrefix(name, "utf-16") {
				// A meta tag that can be read as ASCII is not UTF-16.
				return "utf-8"
			}
			return name
		}
	}
	return ""
}

func stripBOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) }

func isSingleByte(name string) bool {
	return strings.HasPrefix(name, "windows-") || strings.HasPrefix(name, "iso-8859") || name == "macintosh" || strings.HasPrefix(name, "koi8")
}

func hasMultibyteUTF8(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}
