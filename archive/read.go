package archive

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/nlnwa/gowarc/v3"
)

// strictOptions read warta's own WARC files: any syntax error ends the
// readable part of a file.
func strictOptions() []gowarc.WarcRecordOption {
	return readOptions(gowarc.ErrFail)
}

// readOptions are the gowarc options for reading a WARC file, with the
// given policy for syntax errors. Spec findings are collected and ignored
// (Verify checks digests itself, see checkRecordDigests), but the policy
// must not be ErrIgnore: with it gowarc v3.1.0 does not cache a record's
// block and hands back only the payload bytes its buffer held (a 21 KB page
// came back as 3 KB; TestLargePayloadReadWhole). With ErrWarn gowarc blanks
// a header value that fails validation; restoreTargetURI puts URLs back.
func readOptions(syntax gowarc.ErrorPolicy) []gowarc.WarcRecordOption {
	return []gowarc.WarcRecordOption{
		gowarc.WithSyntaxErrorPolicy(syntax),
		gowarc.WithSpecViolationPolicy(gowarc.ErrWarn),
		gowarc.WithBlockErrorPolicy(gowarc.ErrWarn),
		gowarc.WithUnknownRecordTypePolicy(gowarc.ErrWarn),
		gowarc.WithBufferMaxMemBytes(64 << 20),
	}
}

// scanResult is what reading a whole WARC file found.
type scanResult struct {
	entries []IndexEntry
	records int
	// end is where the last whole record ends; bytes after it (up to
	// size) are a torn tail.
	end  int64
	size int64
	// tornErr is the error that stopped the scan before size.
	tornErr error
	// problems are records that parsed but failed validation (digests).
	problems []string
}

// scanWARC reads every record of the WARC file at path, or of its first
// limit bytes when limit >= 0, and returns the index entries of its
// responses and revisits. With digests set it also re-checks each
// record's digests.
func scanWARC(ctx context.Context, path string, limit int64, digests bool) (*scanResult, error) {
	f, src, size, err := openWARC(path, limit)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	res := &scanResult{size: size}
	r, err := newWARCReader(src, strictOptions())
	if err != nil {
		return nil, err
	}
	defer r.Close()
	name := filepath.Base(path)
	for res.end < res.size {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rec, err := r.Next()
		if errors.Is(err, io.EOF) && rec.WarcRecord == nil {
			break
		}
		if err != nil {
			if rec.WarcRecord != nil {
				rec.Close()
			}
			res.tornErr = err
			break
		}
		if rec.Offset != res.end {
			// Bytes between records: not ours; treat as the start of a tear.
			rec.Close()
			res.tornErr = fmt.Errorf("record at %d, expected at %d", rec.Offset, res.end)
			break
		}
		res.records++
		res.end = rec.Offset + rec.Size
		restoreTargetURI(rec.WarcRecord, f, rec.Offset, rec.Size)
		if digests {
			raw := make([]byte, rec.Size)
			found, err := []string(nil), error(nil)
			if _, err = f.ReadAt(raw, rec.Offset); err == nil {
				found, err = checkRecordDigests(raw)
			}
			if err != nil {
				found = append(found, err.Error())
			}
			if len(found) > 0 {
				res.problems = append(res.problems, fmt.Sprintf("%s#%d: %s", name, rec.Offset, strings.Join(found, "; ")))
			}
		}
		if e, ok := indexEntry(rec.WarcRecord, Ref{File: name, Offset: rec.Offset, Length: rec.Size}); ok {
			res.entries = append(res.entries, e)
		}
		rec.Close()
	}
	if res.end < res.size && res.tornErr == nil {
		res.tornErr = fmt.Errorf("%d bytes after the last record", res.size-res.end)
	}
	return res, nil
}

// indexEntry returns the index entry of a response or revisit record.
func indexEntry(rec gowarc.WarcRecord, ref Ref) (IndexEntry, bool) {
	t := rec.Type()
	if t != gowarc.Response && t != gowarc.Revisit {
		return IndexEntry{}, false
	}
	h := rec.WarcHeader()
	date, err := rec.Date()
	if err != nil {
		return IndexEntry{}, false
	}
	e := IndexEntry{
		URL:    strings.Trim(h.Get(gowarc.WarcTargetURI), "<>"),
		Time:   date.UTC().Truncate(time.Second),
		Digest: h.Get(gowarc.WarcPayloadDigest),
		Ref:    ref,
	}
	if e.URL == "" {
		return IndexEntry{}, false
	}
	if t == gowarc.Revisit {
		e.Mime = "warc/revisit"
	}
	if b, ok := rec.Block().(gowarc.HttpResponseBlock); ok && b.HttpStatusCode() != 0 {
		e.Status = b.HttpStatusCode()
		if h := b.HttpHeader(); h != nil && e.Mime == "" {
			e.Mime = mediaType(h.Get("Content-Type"))
		}
	} else if b, ok := rec.Block().(gowarc.ProtocolHeaderBlock); ok {
		// A revisit's block, or a response whose status line net/http
		// refuses, such as HTTP/2's "HTTP/2 200 OK".
		if _, status, h, err := parseResponseHead(b.ProtocolHeaderBytes()); err == nil {
			e.Status = status
			if e.Mime == "" {
				e.Mime = mediaType(h.Get("Content-Type"))
			}
		}
	}
	return e, true
}

// openRef opens the WARC file of ref for reading, refusing names that
// are not plain file names in the warc directory.
func (s *Store) openRef(ref Ref) (*os.File, error) {
	if ref.File == "" || ref.File != filepath.Base(ref.File) || strings.HasPrefix(ref.File, ".") || ref.Offset < 0 || ref.Length <= 0 {
		return nil, fmt.Errorf("invalid ref %s", ref)
	}
	f, err := os.Open(filepath.Join(s.warcDir(), ref.File))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", ref.File, ErrNotFound)
	}
	return f, err
}

// readRecord reads the record at ref; the caller closes it.
func (s *Store) readRecord(ref Ref) (gowarc.WarcRecord, error) {
	f, err := s.openRef(ref)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := newWARCReader(io.NewSectionReader(f, ref.Offset, ref.Length), strictOptions())
	if err != nil {
		return nil, err
	}
	defer r.Close()
	rec, err := r.Next()
	if err != nil {
		if rec.WarcRecord != nil {
			rec.Close()
		}
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("read record %s: %w", ref, err)
	}
	restoreTargetURI(rec.WarcRecord, f, ref.Offset, ref.Length)
	return rec.WarcRecord, nil
}

// ReadCapture reads back the capture at ref (a Ref from SaveCapture,
// Lookup or the index). For a revisit record it returns the revisit's
// time, status and headers with the payload of the capture it refers to
// (so a 304 comes back with the body it confirmed). The
// request is not read: Method is "GET" and RequestHeader is empty (use
// WalkCaptures for the requests).
func (s *Store) ReadCapture(ref Ref) (*Capture, error) {
	done, err := s.enter(false)
	if err != nil {
		return nil, fmt.Errorf("archive: read capture %s: %w", ref, err)
	}
	defer done()
	c, err := s.readCapture(ref, 0)
	if err != nil {
		return nil, fmt.Errorf("archive: read capture %s: %w", ref, err)
	}
	return c, nil
}

func (s *Store) readCapture(ref Ref, depth int) (*Capture, error) {
	rec, err := s.readRecord(ref)
	if err != nil {
		return nil, err
	}
	defer rec.Close()
	c, err := captureFromRecord(rec)
	if err != nil {
		return nil, err
	}
	if rec.Type() != gowarc.Revisit {
		return c, nil
	}
	if depth > 0 {
		return nil, errors.New("revisit refers to a revisit")
	}
	orig, err := s.revisitTarget(rec)
	if err != nil {
		return nil, err
	}
	c.Body = orig.Body
	c.Truncated = orig.Truncated
	return c, nil
}

// revisitTarget reads the capture that a revisit record refers to.
func (s *Store) revisitTarget(rec gowarc.WarcRecord) (*Capture, error) {
	e, err := s.revisitOriginal(rec)
	if err != nil {
		return nil, err
	}
	orig, err := s.readRecord(e.Ref)
	if err != nil {
		return nil, err
	}
	defer orig.Close()
	return captureFromRecord(orig)
}

// revisitOriginal returns the index entry of the full capture that a
// revisit record refers to.
func (s *Store) revisitOriginal(rec gowarc.WarcRecord) (IndexEntry, error) {
	ref, err := rec.RevisitRef()
	if err != nil {
		return IndexEntry{}, err
	}
	uri := strings.Trim(ref.TargetUri, "<>")
	if uri == "" {
		uri = strings.Trim(rec.WarcHeader().Get(gowarc.WarcTargetURI), "<>")
	}
	es, err := s.captures(uri)
	if err != nil {
		return IndexEntry{}, err
	}
	digest := rec.WarcHeader().Get(gowarc.WarcPayloadDigest)
	if ref.Profile == gowarc.ProfileServerNotModifiedV1_1 || ref.Profile == gowarc.ProfileServerNotModifiedV1_0 {
		digest = "" // the digest is of the empty 304 body
	}
	target, _ := time.Parse(time.RFC3339Nano, ref.TargetDate)
	for i := len(es) - 1; i >= 0; i-- {
		e := es[i]
		if e.Revisit() || (digest != "" && e.Digest != digest) {
			continue
		}
		if !target.IsZero() && !e.Time.Equal(target.UTC().Truncate(time.Second)) {
			continue
		}
		if ref.TargetRecordId != "" {
			orig, err := s.readRecord(e.Ref)
			if err != nil {
				return IndexEntry{}, err
			}
			id := orig.RecordId()
			orig.Close()
			if id != ref.TargetRecordId {
				continue
			}
		}
		return e, nil
	}
	return IndexEntry{}, fmt.Errorf("revisit of %s: original capture: %w", uri, ErrNotFound)
}

// maxPayloadHint bounds the memory that a record's declared length makes
// captureFromRecord set aside before it reads the payload.
const maxPayloadHint = 8 << 20

// captureFromRecord turns a response or revisit record into a Capture.
func captureFromRecord(rec gowarc.WarcRecord) (*Capture, error) {
	h := rec.WarcHeader()
	c := &Capture{
		URL:       strings.Trim(h.Get(gowarc.WarcTargetURI), "<>"),
		Method:    http.MethodGet,
		Truncated: h.Has(gowarc.WarcTruncated) && rec.Type() != gowarc.Revisit,
		Source:    h.Get(warcSourceURI),
	}
	if t, err := rec.Date(); err == nil {
		c.FetchedAt = t.UTC()
	}
	var head []byte
	var payload io.Reader
	switch b := rec.Block().(type) {
	case gowarc.HttpResponseBlock:
		head = b.ProtocolHeaderBytes()
		r, err := b.PayloadBytes()
		if err != nil {
			return nil, err
		}
		payload = r
	case gowarc.ProtocolHeaderBlock:
		head = b.ProtocolHeaderBytes()
	default:
		return nil, fmt.Errorf("%s record %s is not an HTTP response", rec.Type(), rec.RecordId())
	}
	proto, status, header, err := parseResponseHead(head)
	if err != nil {
		return nil, fmt.Errorf("record %s: http response: %w", rec.RecordId(), err)
	}
	c.Proto, c.Status, c.Header = proto, status, header
	if payload != nil {
		// The record's length bounds the payload's: one allocation
		// instead of io.ReadAll's doublings. A hostile length only sizes
		// the first allocation, up to maxPayloadHint.
		var body bytes.Buffer
		if n, err := h.GetInt64(gowarc.ContentLength); err == nil && n > int64(len(head)) {
			body.Grow(int(min(n-int64(len(head)), maxPayloadHint)) + bytes.MinRead)
		}
		if _, err := body.ReadFrom(payload); err != nil {
			return nil, fmt.Errorf("record %s: payload: %w", rec.RecordId(), err)
		}
		c.Body = body.Bytes()
	}
	return c, nil
}

// WalkCaptures calls fn with every full capture (response record) in the
// archive's WARC files, oldest file first and in file order, with its
// request's method and headers and its Ref. Revisit records are skipped:
// their payload is that of an earlier capture fn has already seen. It
// stops at the first error from fn, at a file it cannot read, or when ctx
// is done. It reads only what was written when the walk reached the file.
func (s *Store) WalkCaptures(ctx context.Context, fn func(*Capture, Ref) error) error {
	done, err := s.enter(false)
	if err != nil {
		return fmt.Errorf("archive: walk captures: %w", err)
	}
	done() // not held while fn runs, as in Walk
	files, err := warcFiles(s.warcDir())
	if err != nil {
		return fmt.Errorf("archive: walk captures: %w", err)
	}
	for _, name := range files {
		size := s.w.syncedSize(name)
		var fnErr error
		// The store's own records are as long as max_page_bytes let them be.
		err := walkWARC(ctx, filepath.Join(s.warcDir(), name), size, 0, func(c *Capture, off, length int64) error {
			if s.isClosed() {
				fnErr = ErrClosed
			} else {
				fnErr = fn(c, Ref{File: name, Offset: off, Length: length})
			}
			return fnErr
		})
		if err != nil && fnErr == nil && ctx.Err() == nil && s.active[name] {
			// Another process is writing this file: its last record may
			// be half written. What came before it has been walked.
			s.log.Debug("warc_scan_stopped_at_open_tail", "file", name, "err", err)
			continue
		}
		if errors.Is(err, ErrClosed) {
			return fmt.Errorf("archive: walk captures: %w", err)
		}
		if err != nil {
			if fnErr != nil {
				return err
			}
			return fmt.Errorf("archive: walk captures: %w", err)
		}
	}
	return nil
}

// errStop ends a walk early without an error.
var errStop = errors.New("stop")

// walkWARC reads the WARC file at path up to limit bytes (-1: all) and
// calls fn with each HTTP response, paired with the request that
// preceded it, and its offset and length. A block longer than maxBlock
// (when positive) is cut there, and its capture marked Truncated.
func walkWARC(ctx context.Context, path string, limit, maxBlock int64, fn func(c *Capture, off, length int64) error) error {
	f, src, _, err := openWARC(path, limit)
	if err != nil {
		return err
	}
	defer f.Close()
	return walkRecords(ctx, src, filepath.Base(path), maxBlock, fn)
}

// openWARC opens the WARC file at path for reading its first limit bytes,
// or all of it when limit < 0, and returns the file (for ReadAt and
// Close), a reader of those bytes and their count.
func openWARC(path string, limit int64) (f *os.File, src io.Reader, size int64, err error) {
	f, err = os.Open(path)
	if err != nil {
		return nil, nil, 0, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, 0, err
	}
	size, src = fi.Size(), f
	if limit >= 0 && limit < size {
		size, src = limit, io.LimitReader(f, limit)
	}
	return f, src, size, nil
}

// walkRecords is walkWARC over a stream named name.
func walkRecords(ctx context.Context, src io.Reader, name string, maxBlock int64, fn func(c *Capture, off, length int64) error) error {
	r := newWARCRecordReader(src, maxBlock)
	requests := map[string]*http.Request{} // by WARC-Concurrent-To or record id
	var lastReq *http.Request
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, err := r.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s %w", name, err)
		}
		switch strings.ToLower(rec.get("WARC-Type")) {
		case "request":
			// Writers link the pair either way: warta and Heritrix name the
			// response in the request, wget names the request in the
			// response.
			req := requestOf(rec)
			if req != nil {
				for _, to := range rec.all("WARC-Concurrent-To") {
					requests[id(to)] = req
				}
				requests[id(rec.get("WARC-Record-ID"))] = req
				lastReq = req
			}
		case "response":
			c, cerr := captureOf(rec)
			if cerr == nil {
				recID := id(rec.get("WARC-Record-ID"))
				req := requests[recID]
				delete(requests, recID)
				for _, to := range rec.all("WARC-Concurrent-To") {
					if r, ok := requests[id(to)]; ok && req == nil {
						req = r
						delete(requests, id(to))
					}
				}
				if req == nil && lastReq != nil && lastReq.URL != nil && lastReq.URL.String() == c.URL {
					req = lastReq
				}
				if req != nil {
					c.Method = req.Method
					c.RequestHeader = req.Header
				}
				lastReq = nil
				if err := fn(c, rec.offset, rec.size); err != nil {
					if errors.Is(err, errStop) {
						return nil
					}
					return err
				}
			}
		}
	}
}

// targetURI is a record's WARC-Target-URI, without the angle brackets
// WARC/1.0 writers such as wget put around it.
func (rec *warcRecord) targetURI() string { return strings.Trim(rec.get("WARC-Target-URI"), "<>") }

// captureOf turns a response record into a Capture; an error when its
// block is not an HTTP response.
func captureOf(rec *warcRecord) (*Capture, error) {
	c := &Capture{
		URL:       rec.targetURI(),
		Method:    http.MethodGet,
		Truncated: rec.has("WARC-Truncated") || rec.cut,
		Source:    rec.get(warcSourceURI),
	}
	if t, err := time.Parse(time.RFC3339, rec.get("WARC-Date")); err == nil {
		c.FetchedAt = t.UTC()
	}
	head, payload, ok := rec.httpBlock()
	if !ok {
		return nil, fmt.Errorf("record %s is not an HTTP response", rec.get("WARC-Record-ID"))
	}
	proto, status, header, err := parseResponseHead(head)
	if err != nil {
		return nil, fmt.Errorf("record %s: http response: %w", rec.get("WARC-Record-ID"), err)
	}
	c.Proto, c.Status, c.Header, c.Body = proto, status, header, payload
	return c, nil
}

// requestOf parses the HTTP request of a request record; nil when it is
// not one.
func requestOf(rec *warcRecord) *http.Request {
	head, _, ok := rec.httpBlock()
	if !ok {
		return nil
	}
	head = append(bytes.TrimRight(head, "\r\n"), "\r\n\r\n"...)
	// A reader the head's size: bufio's default is 4 KB a request.
	req, err := http.ReadRequest(bufio.NewReaderSize(bytes.NewReader(head), len(head)))
	if err != nil {
		return nil
	}
	req.Header.Del("Host")
	if h := req.Host; h != "" {
		req.Header.Set("Host", h)
	}
	req.URL, _ = req.URL.Parse(rec.targetURI())
	return req
}

// restoreTargetURI puts back a WARC-Target-URI that gowarc blanked: it
// empties a header value that fails its URL validation, such as wget's
// "<http://...>" of WARC/1.0 or a URL the WHATWG parser rejects. The
// value is read again from the record's raw header at off.
func restoreTargetURI(rec gowarc.WarcRecord, ra io.ReaderAt, off, size int64) {
	h := rec.WarcHeader()
	if !h.Has(gowarc.WarcTargetURI) || h.Get(gowarc.WarcTargetURI) != "" || ra == nil {
		return
	}
	raw, err := rawWARCHeader(io.NewSectionReader(ra, off, size))
	if err != nil {
		return
	}
	if v := strings.TrimSpace(raw.Get("Warc-Target-Uri")); v != "" {
		h.Set(gowarc.WarcTargetURI, strings.Trim(v, "<>"))
	}
}

// rawWARCHeader reads the header of the record at the start of r, a gzip
// member or a plain record, without validating anything.
func rawWARCHeader(r io.Reader) (textproto.MIMEHeader, error) {
	br := bufio.NewReader(r)
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, err
		}
		zr.Multistream(false)
		br = bufio.NewReader(zr)
	}
	if _, err := br.ReadString('\n'); err != nil { // WARC/1.x
		return nil, err
	}
	return textproto.NewReader(br).ReadMIMEHeader()
}

// parseResponseHead parses the status line and headers of an archived
// HTTP response, leniently: what crawlers archived is what servers sent,
// and a malformed header line (no colon, a space in the name) is skipped
// rather than losing the whole capture, as net/http would.
func parseResponseHead(head []byte) (proto string, status int, h http.Header, err error) {
	lines := strings.Split(strings.ReplaceAll(string(head), "\r\n", "\n"), "\n")
	if proto, status, err = parseStatusLine(lines[0]); err != nil {
		return "", 0, nil, err
	}
	h = http.Header{}
	var last string
	for _, line := range lines[1:] {
		if line == "" {
			break
		}
		if (line[0] == ' ' || line[0] == '\t') && last != "" {
			// an obsolete folded continuation of the previous value
			vs := h[last]
			vs[len(vs)-1] += " " + strings.TrimSpace(line)
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || !validHeaderName(name) {
			last = ""
			continue
		}
		last = textproto.CanonicalMIMEHeaderKey(name)
		h[last] = append(h[last], strings.TrimSpace(value))
	}
	return proto, status, h, nil
}

// parseStatusLine parses the status line of an archived HTTP response.
func parseStatusLine(line string) (proto string, status int, err error) {
	first := strings.TrimSpace(line)
	proto, rest, _ := strings.Cut(first, " ")
	code, _, _ := strings.Cut(strings.TrimSpace(rest), " ")
	if !strings.HasPrefix(proto, "HTTP/") || len(code) != 3 {
		return "", 0, fmt.Errorf("malformed status line %q", first)
	}
	if status, err = strconv.Atoi(code); err != nil || status < 100 {
		return "", 0, fmt.Errorf("malformed status line %q", first)
	}
	return proto, status, nil
}

// responseMediaType returns the media type of the Content-Type that
// parseResponseHead reads from head ("" when it reads none, or fails),
// without the copies of the head and the header map that it makes: the
// WARC writer asks for it for every capture it indexes
// (TestResponseMediaTypeAsParsed).
func responseMediaType(head []byte) string {
	rest := head
	// next returns the lines as parseResponseHead splits them: at LF,
	// less the CR of a CRLF.
	next := func() ([]byte, bool) {
		if rest == nil {
			return nil, false
		}
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			line := rest
			rest = nil
			return line, true
		}
		line := bytes.TrimSuffix(rest[:i], []byte("\r"))
		rest = rest[i+1:]
		return line, true
	}
	first, _ := next()
	if _, _, err := parseStatusLine(string(first)); err != nil {
		return ""
	}
	var ct []byte // the first Content-Type value
	values := 0   // Content-Type fields so far
	named, isCT := false, false
	for line, ok := next(); ok && len(line) > 0; line, ok = next() {
		if (line[0] == ' ' || line[0] == '\t') && named {
			if isCT && values == 1 {
				ct = append(append(ct, ' '), bytes.TrimSpace(line)...)
			}
			continue
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if named = ok && validHeaderName(name); !named {
			continue
		}
		// A token's canonical key is Content-Type when it is that name
		// in any case.
		if isCT = bytes.EqualFold(name, []byte("Content-Type")); isCT {
			if values++; values == 1 {
				ct = append(ct, bytes.TrimSpace(value)...)
			}
		}
	}
	return mediaType(string(ct))
}

// validHeaderName reports whether name is an HTTP token (RFC 9110).
func validHeaderName[T string | []byte](name T) bool {
	if len(name) == 0 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("\"(),/:;<=>?@[\\]{}", c) >= 0 {
			return false
		}
	}
	return true
}
