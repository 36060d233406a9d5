package extract

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// encode writes s in enc, for pages in a legacy charset.
func encode(t *testing.T, enc encoding.Encoding, s string) string {
	t.Helper()
	b, err := enc.NewEncoder().String(s)
	if err != nil {
		t.Fatalf("encode %q: %v", s, err)
	}
	return b
}

// TestDecodeHTMLCharsetLies covers pages whose bytes contradict the
// charset they declare, both ways, and the pages the rule must leave as
// declared.
func TestDecodeHTMLCharsetLies(t *testing.T) {
	const zh = "谷歌在2014年收购的人工智能公司DeepMind开发出一款能够用自己的记忆学习新知识的计算机。"
	const ja = "東京都は本日、新しい防災計画を発表しました。"
	const fr = "Café Sérénité – à Padang, l’été"
	gbkMeta := `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body><p>`
	tail := "</p></body></html>"
	tests := []struct {
		name, contentType, page string
		want, wantCharset       string
	}{
		// Declared legacy, bytes UTF-8: read as UTF-8.
		{"gb2312 meta, utf-8 bytes", "", gbkMeta + zh + tail, zh, "utf-8"},
		{"gbk header, utf-8 bytes", "text/html; charset=GBK", "<p>" + zh + "</p>", zh, "utf-8"},
		{"shift_jis meta, utf-8 bytes", "", `<meta charset="shift_jis"><p>` + ja + "</p>", ja, "utf-8"},
		{"latin1 header, utf-8 bytes", "text/html; charset=iso-8859-1", "<p>" + fr + "</p>", fr, "utf-8"},
		// Declared legacy and true: unchanged.
		{"genuine gbk", "", gbkMeta + encode(t, simplifiedchinese.GBK, zh) + tail, zh, "gbk"},
		{"genuine shift_jis", "text/html; charset=Shift_JIS", "<p>" + encode(t, japanese.ShiftJIS, ja) + "</p>", ja, "shift_jis"},
		{"genuine windows-1252", "text/html; charset=windows-1252", "<p>" + encode(t, charmap.Windows1252, fr) + "</p>", fr, "windows-1252"},
		{"ascii under a legacy label", "text/html; charset=iso-8859-1", "<p>plain words</p>", "plain words", "windows-1252"},
		{"iso-2022-jp is 7-bit", "text/html; charset=iso-2022-jp", "<p>" + encode(t, japanese.ISO2022JP, ja) + "</p>", ja, "iso-2022-jp"},
		{"utf-16 with a BOM", "", encode(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), "<p>"+fr+"</p>"), fr, "utf-16le"},
		// Declared UTF-8, bytes not.
		{"utf-8 header, windows-1252 bytes", "text/html; charset=utf-8", "<p>" + encode(t, charmap.Windows1252, fr) + "</p>", fr, "windows-1252"},
		{"utf-8 header, gbk bytes, gbk meta", "text/html; charset=UTF-8", gbkMeta + encode(t, simplifiedchinese.GBK, zh) + tail, zh, "gbk"},
		{"utf-8 meta, windows-1252 bytes", "", `<meta charset="utf-8"><p>` + encode(t, charmap.Windows1252, fr) + "</p>", fr, "windows-1252"},
		// UTF-8 with a few stray bytes stays UTF-8, the strays replaced.
		{"utf-8 with a stray byte", "text/html; charset=utf-8", "<p>" + fr + " " + zh + "\xff</p>", fr + " " + zh + "\uFFFD", "utf-8"},
		{"undeclared utf-8 with a stray byte", "", "<p>" + zh + "\xe9</p>", zh + "\uFFFD", "utf-8"},
		{"undeclared windows-1252", "", "<p>" + encode(t, charmap.Windows1252, fr) + "</p>", fr, "windows-1252"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, name := toUTF8([]byte(tt.page), tt.contentType)
			if !strings.Contains(got, tt.want) || name != tt.wantCharset {
				t.Errorf("DecodeHTML(%s) = %q (%s), want it to hold %q (%s)", tt.name, got, name, tt.want, tt.wantCharset)
			}
		})
	}
}

// TestRequisitesDecodeAsExtract checks that Requisites reads a page by
// the same rule as extraction: a mislabelled page's URLs come out whole.
func TestRequisitesDecodeAsExtract(t *testing.T) {
	page := `<html><head><meta charset="gb2312"></head><body><img src="/图片/一.jpg"></body></html>`
	got := Requisites([]byte(page), "https://example.cn/a.html")
	want := "https://example.cn/%E5%9B%BE%E7%89%87/%E4%B8%80.jpg"
	if len(got) != 1 || got[0] != want {
		t.Errorf("Requisites(mislabelled gb2312) = %q, want [%q]", got, want)
	}
}

// TestExtractMislabelledPage is the whole path: a page that declares
// gb2312 but is UTF-8 gives its title and text readable.
func TestExtractMislabelledPage(t *testing.T) {
	const para = "谷歌在2014年收购的人工智能公司DeepMind开发出一款能够用自己的记忆学习新知识的计算机，并利用这些知识来回答问题。"
	page := `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>谷歌人工智能学会推理</title></head><body><article><h1>谷歌人工智能学会推理</h1><p>` +
		strings.Repeat(para, 3) + `</p><p>` + strings.Repeat(para, 2) + `</p></article></body></html>`
	a, err := Extract([]byte(page), "https://tech.example.cn/a/1.htm", Options{})
	if err != nil {
		t.Fatalf("Extract(mislabelled gb2312) error = %v", err)
	}
	if a.Title != "谷歌人工智能学会推理" || !strings.Contains(a.Body, para) {
		t.Errorf("Extract(mislabelled gb2312) = title %q, body %q; want the UTF-8 text", a.Title, cut(a.Body, 80))
	}
}
