package index

import (
	"context"
	"fmt"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

func TestDebug(t *testing.T) {
	ix := openFixture(t)
	fmt.Println(ix.bi.Mapping().AnalyzerNameForPath("title_exact"), ix.bi.Mapping().AnalyzerNameForPath("body_exact"))
	for _, f := range []string{"title_exact", "body_exact", "title"} {
		q := query.NewTermQuery("talawi")
		q.SetField(f)
		r, _ := ix.bi.SearchInContext(context.Background(), bleve.NewSearchRequest(q))
		fmt.Println(f, r.Total)
	}
	fd, _ := ix.bi.FieldDict("title_exact")
	for {
		e, err := fd.Next()
		if e == nil || err != nil {
			break
		}
		fmt.Print(e.Term, " ")
	}
}
