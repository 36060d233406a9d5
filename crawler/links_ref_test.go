package crawler

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// tokenizerLinks is appendLinks as it was before the scanner: the same
// reading of a page through html.Tokenizer, kept to hold appendLinks to
// the same links (FuzzAppendLinks, TestAppendLinksCorpus).
func tokenizerLinks(dst []link, body []byte) (links []link, base string) {
	links = dst[:0]
	z := html.NewTokenizer(bytes.NewReader(body))
	var cur link    // the <a> whose text is being read, when open
	var open bool   // cur is an <a> with an href, not yet closed
	var text []byte // cur's text so far, raw
	closeCur := func() {
		cur.text = cleanText(text)
		links = append(links, cur)
		open, text = false, text[:0]
	}
	for len(links) < maxLinks {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if open { // a page cut off inside a link
				closeCur()
			}
			return links, base
		case html.TextToken:
			if open && len(text) < 200 {
				text = append(text, z.Text()...)
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			switch a {
			case atom.A, atom.Link, atom.Base:
			case atom.Img:
				// An image inside a link: its alt stands for the text.
				if open && hasAttr {
					for {
						k, v, more := z.TagAttr()
						if string(k) == "alt" {
							text = append(text, v...)
						}
						if !more {
							break
						}
					}
				}
				continue
			default:
				continue
			}
			l := link{tag: a}
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch string(k) {
				case "href":
					l.href = string(v)
				case "rel":
					l.rel = strings.ToLower(string(v))
				case "class":
					l.class = strings.ToLower(string(v))
				case "type":
					l.typ = strings.ToLower(string(v))
				}
			}
			switch a {
			case atom.Base:
				if base == "" {
					base = l.href
					links = append(links, l)
				}
			case atom.Link:
				if l.href != "" {
					links = append(links, l)
				}
			case atom.A:
				if open {
					closeCur()
				}
				text = text[:0]
				if tt == html.StartTagToken && l.href != "" {
					cur, open = l, true
				} else if l.href != "" {
					links = append(links, l)
				}
			}
		case html.EndTagToken:
			if !open {
				continue
			}
			if name, _ := z.TagName(); atom.Lookup(name) == atom.A {
				closeCur()
			}
		}
	}
	return links, base
}
