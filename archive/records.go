package archive

import (
	"bytes"
	"context"
	"fmt"
)

// ImportRecords is Import over WARC data held in memory, such as the one
// gzipped record a Range request fetches from Common Crawl: fn gets every
// HTTP response in data, decoded as Import decodes it. name says where
// the data came from, in errors.
func ImportRecords(ctx context.Context, name string, data []byte, fn func(*Capture) error) error {
	r := bytes.NewReader(data)
	if err := walkRecords(ctx, r, name, maxImportBlock, importing(fn)); err != nil {
		return fmt.Errorf("archive: import %s: %w", name, err)
	}
	return nil
}

// DecodeBody undoes the transfer and content codings that c's headers
// name, as Import does, keeping at most max bytes of the body; the
// original headers stay as X-Archive-Orig-*. A coding it cannot undo is
// left in place, with its header.
func DecodeBody(c *Capture, max int) { decodeBody(c, max) }
