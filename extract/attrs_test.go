package extract

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestAttrsReadListed reads the package's own source: every string
// literal that names an attribute parse drops (data-, aria-, on... or
// one of unreadNames) must be in attrsRead, or the code that reads it by
// name would find it gone. Selectors are covered by mustGroup; this
// catches a new attr(n, "data-...") that nobody added to the list.
func TestAttrsReadListed(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec:
				// The tables that define what is dropped and kept.
				for _, id := range n.Names {
					if id.Name == "attrsRead" || id.Name == "unreadNames" {
						return false
					}
				}
			case *ast.BasicLit:
				if n.Kind != token.STRING {
					return true
				}
				s, err := strconv.Unquote(n.Value)
				if err != nil || s != strings.ToLower(s) || strings.ContainsAny(s, " =[]().#:,") {
					return true
				}
				named := len(s) > len("data-") && (strings.HasPrefix(s, "data-") || strings.HasPrefix(s, "aria-"))
				if !named && !unreadNames[s] {
					return true
				}
				checked++
				if !attrsRead[s] {
					t.Errorf("%s: %q is read by name but parse drops it: add it to attrsRead", fset.Position(n.Pos()), s)
				}
			}
			return true
		})
	}
	if checked == 0 {
		t.Fatal("no attribute name found in the source: the test reads nothing")
	}
}
