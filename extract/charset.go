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

// DecodeHTML decodes an HTML page to UTF-8: it is the one rule by which
// warta reads a page's bytes, for extraction, requisites and replay alike.
// It returns the text and the name of the charset it used. A page that is
// UTF-8 already comes back as itself, less a byte order mark, without a
// copy: the caller must not change it.
//
// The HTTP Content-Type wins, then a byte order mark, then a <meta>
// charset anywhere in the first 64 KB, then a sniff: valid UTF-8 stays
// UTF-8, anything else is read as windows-1252. Sites lie about their
// charset, so the bytes have the last word:
//   - A page declared in a legacy charset (windows-1252, ISO-8859-x, GBK,
//     Shift_JIS, Big5, EUC-KR...) whose bytes are valid UTF-8 with
//     multi-byte sequences is read as UTF-8. A text of any length in a
//     legacy charset is almost never valid UTF-8 (a lone accented letter
//     or a CJK byte pair is not a UTF-8 sequence), and decoding UTF-8 as
//     declared would turn every non-ASCII letter into mojibake.
//   - A page declared (or sniffed) as UTF-8 whose invalid bytes are few
//     beside its valid multi-byte sequences is UTF-8 with a few bad bytes:
//     they become U+FFFD, as a browser shows them. One whose bytes are
//     mostly not UTF-8 is in a legacy charset under a wrong label (a
//     server's default header): the charset its <meta> tag names when
//     that is another, else windows-1252.
func DecodeHTML(page []byte, contentType string) ([]byte, string) {
	name := declaredCharset(page, contentType)
	if name == "" || name == "utf-8" {
		if utf8.Valid(page) {
			return stripBOM(page), "utf-8"
		}
		if mostlyUTF8(page) {
			return bytes.ToValidUTF8(stripBOM(page), replacement), "utf-8"
		}
		name = "windows-1252"
		if m := metaCharset(page); m != "" && m != "utf-8" && !strings.HasPrefix(m, "utf-16") {
			name = m
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
	// A byte order mark is the one declaration bytes cannot contradict:
	// UTF-16 text is often valid UTF-8 too (ASCII letters and zeros).
	if !strings.HasPrefix(name, "utf-16") && hasMultibyteUTF8(page) && utf8.Valid(page) {
		return stripBOM(page), "utf-8"
	}
	out, err := enc.NewDecoder().Bytes(page)
	if err != nil {
		return bytes.ToValidUTF8(page, replacement), "utf-8"
	}
	return bytes.ToValidUTF8(out, replacement), name
}

// toUTF8 is DecodeHTML as a string.
func toUTF8(page []byte, contentType string) (string, string) {
	text, name := DecodeHTML(page, contentType)
	return string(text), name
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
	return metaCharset(page)
}

// metaCharset returns the canonical name of the charset a <meta> tag in
// the first 64 KB declares, or "".
func metaCharset(page []byte) string {
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

func hasMultibyteUTF8(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

// mostlyUTF8 reports whether b, which is not valid UTF-8, holds at least
// four times as many valid multi-byte sequences as invalid bytes: UTF-8
// with a few stray bytes, not a legacy charset (whose accented letters
// and CJK pairs hardly ever form a UTF-8 sequence).
func mostlyUTF8(b []byte) bool {
	valid, invalid := 0, 0
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			invalid++
			i++
			continue
		}
		valid++
		i += size
	}
	return valid >= 4*invalid
}
