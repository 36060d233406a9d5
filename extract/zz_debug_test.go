package extract

import (
	"strconv"
	"time"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

var dbgFile = flag.String("dbgfile", "", "")

func nodePath(n *html.Node) string {
	var parts []string
	for p := n; p != nil && p.Type == html.ElementNode; p = p.Parent {
		parts = append([]string{p.Data + "." + strings.ReplaceAll(classID(p), " ", ".")}, parts...)
	}
	return strings.Join(parts, " > ")
}

func TestZZDebug(t *testing.T) {
	if *dbgFile == "" {
		t.Skip()
	}
	f, _ := os.Open(*dbgFile)
	z, _ := gzip.NewReader(f)
	b, _ := io.ReadAll(z)
	root, _ := parse(b, "")
	u, _ := url.Parse("http://x/")
	x := &extraction{root: root, base: u, loc: location(nil)}
	x.meta = readMeta(root)
	body := x.findBody()
	fmt.Println("BODY:", nodePath(body), "listing:", inListing(body))
}

func TestZZFuzzCache(t *testing.T) {
	dir := os.Getenv("FUZZCACHE")
	if dir == "" {
		t.Skip()
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		b, _ := os.ReadFile(dir + "/" + e.Name())
		lines := strings.SplitN(string(b), "\n", 4)
		var page []byte
		if len(lines) > 1 {
			s := strings.TrimSuffix(strings.TrimPrefix(lines[1], "[]byte("), ")")
			u, err := strconvUnquote(s)
			if err == nil {
				page = []byte(u)
			}
		}
		st := time.Now()
		Extract(page, "https://example.go.id/berita/satu/", Options{})
		if d := time.Since(st); d > 50*time.Millisecond {
			fmt.Println(e.Name(), len(page), d)
		}
	}
}
var strconvUnquote = strconv.Unquote
