package archive

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/klauspost/compress/gzip"
)

// warcReader reads the records of a WARC file in order, gzipped one
// member per record or plain, for walkRecords. It keeps what a walk needs
// of each record (its header fields and its block) and checks no digest:
// gowarc's reader caches each block in a buffer of its own, validates
// every field (a WHATWG parse of each URI) and hashes every block, which
// was a fifth of import's CPU on one goroutine and most of what it
// allocated. It is as lenient as gowarc is with ErrWarn policies: bytes
// between records are skipped, lines may end in a bare LF, a missing end
// of record marker is passed over; but a record the end of the file cut
// short is an error.
type warcReader struct {
	// src reads the source through count; gzip reads a member from src
	// (an io.ByteReader) without reading past its end.
	count *countingReader
	src   *bufio.Reader
	gz    *gzip.Reader
	zbuf  *bufio.Reader
	// maxBlock, when positive, is the most bytes of a response or
	// request block kept in memory; the rest is read past. Other records'
	// blocks (warcinfo, metadata, resource: a crawl's screenshots and
	// videos) are always read past, for a walk hands on none of them.
	maxBlock int64
}

// warcRecord is one record as warcReader reads it.
type warcRecord struct {
	fields []warcField
	block  []byte
	// cut reports a block longer than the reader's maxBlock, cut there.
	cut bool
	// offset and size are where the record is in the source: the gzip
	// member, for a gzipped record.
	offset, size int64
}

type warcField struct{ name, value string }

func newWARCRecordReader(r io.Reader, maxBlock int64) *warcReader {
	count := &countingReader{r: r}
	return &warcReader{count: count, src: bufio.NewReaderSize(count, 64<<10), maxBlock: maxBlock}
}

// pos is where the next byte read from src is in the source.
func (r *warcReader) pos() int64 { return r.count.n - int64(r.src.Buffered()) }

// errRecordCut is the error of a record that the end of the file cut
// short.
var errRecordCut = errors.New("record cut off by the end of the file")

// next reads the next record. It returns io.EOF when no byte is left.
func (r *warcReader) next() (*warcRecord, error) {
	rec := &warcRecord{}
	// Skip what is not the start of a record, as gowarc does with
	// ErrWarn: a plain WARC file's stray newlines, say.
	for {
		magic, err := r.src.Peek(5)
		if len(magic) == 0 && errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		if len(magic) >= 2 && magic[0] == 0x1f && magic[1] == 0x8b || bytes.HasPrefix(magic, []byte("WARC/")) {
			break
		}
		if err != nil {
			rec.offset = r.pos()
			return nil, fmt.Errorf("at %d: %w (%d bytes that start no record)", rec.offset, errRecordCut, len(magic))
		}
		r.src.ReadByte() // cannot fail: Peek saw it
	}
	rec.offset = r.pos()
	magic, _ := r.src.Peek(2)
	gzipped := magic[0] == 0x1f && magic[1] == 0x8b
	var in *bufio.Reader
	if gzipped {
		if r.gz == nil {
			gz, err := gzip.NewReader(r.src)
			if err != nil {
				return nil, r.failed(rec, err)
			}
			r.gz = gz
		} else if err := r.gz.Reset(r.src); err != nil {
			return nil, r.failed(rec, err)
		}
		r.gz.Multistream(false)
		if r.zbuf == nil {
			r.zbuf = bufio.NewReaderSize(r.gz, 32<<10)
		} else {
			r.zbuf.Reset(r.gz)
		}
		in = r.zbuf
	} else {
		in = r.src
	}
	short, err := readRecordFrom(rec, in, r.maxBlock)
	if err != nil {
		return nil, r.failed(rec, err)
	}
	if gzipped {
		// The rest of the member, which checks its CRC too.
		if _, err := io.Copy(io.Discard, r.gz); err != nil {
			return nil, r.failed(rec, err)
		}
	}
	rec.size = r.pos() - rec.offset
	if _, err := r.src.Peek(1); short && errors.Is(err, io.EOF) {
		// A marker cut short by the end of the file: the record was
		// cut there, or its writer stopped before it was whole.
		return nil, r.failed(rec, errRecordCut)
	}
	return rec, nil
}

// failed is the error of a record that could not be read, at its offset.
func (r *warcReader) failed(rec *warcRecord, err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		err = errRecordCut
	}
	return fmt.Errorf("at %d: %w", rec.offset, err)
}

// readRecordFrom reads the version line, the header fields, the block
// and the end of record marker of rec from in, keeping at most maxBlock
// bytes of a response or request block when maxBlock is positive, and
// none of another record's. short reports an end of record marker cut
// short.
func readRecordFrom(rec *warcRecord, in *bufio.Reader, maxBlock int64) (short bool, err error) {
	line, err := in.ReadSlice('\n')
	if err != nil {
		return false, err
	}
	if !bytes.HasPrefix(line, []byte("WARC/")) {
		return false, errors.New("missing record version")
	}
	for {
		line, err = in.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			return false, fmt.Errorf("header line longer than %d bytes", in.Size())
		}
		if err != nil {
			return false, err
		}
		line = bytes.TrimRight(line, " \t\r\n")
		if len(line) == 0 {
			break
		}
		if (line[0] == ' ' || line[0] == '\t') && len(rec.fields) > 0 {
			// A folded continuation of the previous value.
			f := &rec.fields[len(rec.fields)-1]
			f.value += " " + string(bytes.TrimSpace(line))
			continue
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue // as gowarc, which warns and goes on
		}
		rec.fields = append(rec.fields, warcField{string(bytes.TrimSpace(name)), string(bytes.TrimSpace(value))})
	}
	length, perr := strconv.ParseInt(rec.get("Content-Length"), 10, 64)
	if perr != nil || length < 0 {
		length = 0
	}
	keep := length
	switch t := rec.get("WARC-Type"); {
	case !strings.EqualFold(t, "response") && !strings.EqualFold(t, "request"):
		keep = 0
	case maxBlock > 0 && length > maxBlock:
		keep, rec.cut = maxBlock, true
	}
	rec.block, err = readBlock(in, keep)
	if err == nil && keep < length {
		err = skipBlock(in, length-keep)
	}
	if err != nil {
		return false, err
	}
	// The end of record marker, two CRLFs. As gowarc, a marker cut
	// short is passed over, and so are other bytes in its place (a plain
	// file's next record is looked for after them).
	marker, _ := in.Peek(4)
	if string(marker) == "\r\n\r\n" {
		in.Discard(4)
		return false, nil
	}
	if len(marker) < 4 {
		in.Discard(len(marker))
		return true, nil
	}
	return false, nil
}

// readBlock reads a block of length bytes: at once when it is small, in
// steps otherwise, so that a hostile length only sizes memory as far as
// the bytes are there. Each step grows the buffer fourfold (up to
// length), so that a long block costs about 1.6 times its length in
// allocations, not the 3 or 4 times of doubling.
func readBlock(in io.Reader, length int64) ([]byte, error) {
	if length <= maxPayloadHint {
		block := make([]byte, length)
		_, err := io.ReadFull(in, block)
		return block, err
	}
	block := make([]byte, maxPayloadHint)
	n, err := io.ReadFull(in, block)
	for err == nil && int64(n) < length {
		grown := make([]byte, min(4*int64(len(block)), length))
		copy(grown, block)
		block = grown
		var m int
		m, err = io.ReadFull(in, block[n:])
		n += m
	}
	return block[:n], err
}

// skipBlock reads past n bytes of a block.
func skipBlock(in *bufio.Reader, n int64) error {
	skipped, err := io.CopyN(io.Discard, in, n)
	if err == nil && skipped < n {
		err = io.ErrUnexpectedEOF
	}
	return err
}

// get returns the value of the first field named name (any case).
func (rec *warcRecord) get(name string) string {
	for _, f := range rec.fields {
		if strings.EqualFold(f.name, name) {
			return f.value
		}
	}
	return ""
}

// has reports whether rec has a field named name.
func (rec *warcRecord) has(name string) bool {
	for _, f := range rec.fields {
		if strings.EqualFold(f.name, name) {
			return true
		}
	}
	return false
}

// all returns the values of every field named name.
func (rec *warcRecord) all(name string) []string {
	var vs []string
	for _, f := range rec.fields {
		if strings.EqualFold(f.name, name) {
			vs = append(vs, f.value)
		}
	}
	return vs
}

// id returns a record id field (WARC-Record-ID, WARC-Concurrent-To...)
// without its angle brackets.
func id(v string) string { return strings.Trim(v, "<>") }

// httpBlock splits an application/http block into its head (the start
// line and header fields, with the blank line that ends them) and what
// follows, as gowarc does: the head ends at the first line shorter than
// three bytes. ok is false when rec's block is not HTTP.
func (rec *warcRecord) httpBlock() (head, payload []byte, ok bool) {
	if !strings.HasPrefix(strings.ToLower(rec.get("Content-Type")), "application/http") || len(rec.block) < 4 {
		return nil, nil, false
	}
	end := 0
	for end < len(rec.block) {
		i := bytes.IndexByte(rec.block[end:], '\n')
		if i < 0 {
			end = len(rec.block)
			break
		}
		end += i + 1
		if i+1 < 3 {
			break
		}
	}
	return rec.block[:end], rec.block[end:], true
}

// countingReader counts the bytes read from a source.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
