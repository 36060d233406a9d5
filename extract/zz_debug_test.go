package extract

import (
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
