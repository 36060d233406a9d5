package index_test

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/warta-id/warta/extract"
	"github.com/warta-id/warta/index"
)

func Example() {
	dir, _ := os.MkdirTemp("", "warta-index")
	defer os.RemoveAll(dir)
	ctx := context.Background()

	ix, err := index.Open(dir, index.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ix.Close()
	ix.Add(ctx,
		&extract.Article{ID: "s-1", Site: "sawahlunto", Title: "Pembangunan Jalan di Talawi",
			Body: "TALAWI – Pemerintah kota membangun jalan baru.", Published: "2021-12-23T09:15:41+07:00"},
		&extract.Article{ID: "s-2", Site: "sawahlunto", Title: "Banjir di Silungkang",
			Body: "SILUNGKANG – Banjir merendam jalan desa.", Published: "2022-01-05T14:00:00+07:00"},
	)
	ix.Flush()

	res, err := ix.Search(ctx, index.Request{Query: "bangun OR banjir", Sort: "date", Counts: "year"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("total", res.Total)
	for _, h := range res.Hits {
		fmt.Println(h.ID, h.Published, h.Highlighted("[", "]", nil))
	}
	fmt.Println(res.Counts.Buckets)

	_, err = ix.Search(ctx, index.Request{Query: "banjir AND (talawi"})
	var se *index.SyntaxError
	if errors.As(err, &se) {
		fmt.Println(se.Caret())
		fmt.Println(se.Msg)
	}
	// Output:
	// total 2
	// s-2 2022-01-05T14:00:00+07:00 SILUNGKANG – [Banjir] merendam jalan desa.
	// s-1 2021-12-23T09:15:41+07:00 TALAWI – Pemerintah kota [membangun] jalan baru.
	// [{2021 1} {2022 1}]
	// banjir AND (talawi
	//                   ^
	// expected ')' to close the '(' at column 12, found end of query
}
