package archive

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unique"

	"github.com/warta-id/warta/internal/atomicfile"
)

// cdxjTime is the layout of CDXJ timestamps (14 digits, UTC).
const cdxjTime = "20060102150405"

// IndexEntry is one capture in the CDXJ index.
type IndexEntry struct {
	// URL is the captured URL as archived (WARC-Target-URI).
	URL string
	// Time is the capture time (WARC-Date), to the second.
	Time time.Time
	// Status is the HTTP status of the response.
	Status int
	// Mime is the response's media type; "warc/revisit" for a revisit.
	Mime string
	// Digest is the payload digest (WARC-Payload-Digest).
	Digest string
	// Ref locates the response or revisit record.
	Ref Ref
}

// Revisit reports whether the entry is a revisit record, whose payload
// is that of an earlier capture with the same digest.
func (e IndexEntry) Revisit() bool { return e.Mime == "warc/revisit" }

// cdxjLine is the JSON block of a CDXJ line, in the field names that
// pywb and other wayback tools read.
type cdxjLine struct {
	URL      string `json:"url"`
	Mime     string `json:"mime,omitempty"`
	Status   string `json:"status,omitempty"`
	Digest   string `json:"digest,omitempty"`
	Length   string `json:"length"`
	Offset   string `json:"offset"`
	Filename string `json:"filename"`
}

// marshalCDXJ returns the CDXJ line of e, ending in a newline.
func marshalCDXJ(e IndexEntry) []byte {
	l := cdxjLine{
		URL:      e.URL,
		Mime:     e.Mime,
		Digest:   e.Digest,
		Length:   strconv.FormatInt(e.Ref.Length, 10),
		Offset:   strconv.FormatInt(e.Ref.Offset, 10),
		Filename: e.Ref.File,
	}
	if e.Status != 0 {
		l.Status = strconv.Itoa(e.Status)
	}
	var b bytes.Buffer
	b.WriteString(surtKey(e.URL))
	b.WriteByte(' ')
	b.WriteString(e.Time.UTC().Format(cdxjTime))
	b.WriteByte(' ')
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(l) // strings only: cannot fail; Encode adds the newline
	return b.Bytes()
}

// parseCDXJ parses one CDXJ line (without its newline).
func parseCDXJ(line string) (key string, e IndexEntry, err error) {
	key, rest, ok := strings.Cut(line, " ")
	if !ok {
		return "", e, errors.New("no timestamp")
	}
	ts, js, ok := strings.Cut(rest, " ")
	if !ok {
		return "", e, errors.New("no JSON block")
	}
	t, err := time.Parse(cdxjTime, ts)
	if err != nil {
		return "", e, err
	}
	var l cdxjLine
	if err := json.Unmarshal([]byte(js), &l); err != nil {
		return "", e, err
	}
	e = IndexEntry{URL: l.URL, Time: t, Mime: l.Mime, Digest: l.Digest, Ref: Ref{File: l.Filename}}
	if l.Status != "" {
		if e.Status, err = strconv.Atoi(l.Status); err != nil {
			return "", e, fmt.Errorf("status: %w", err)
		}
	}
	if e.Ref.Offset, err = strconv.ParseInt(l.Offset, 10, 64); err != nil {
		return "", e, fmt.Errorf("offset: %w", err)
	}
	if e.Ref.Length, err = strconv.ParseInt(l.Length, 10, 64); err != nil {
		return "", e, fmt.Errorf("length: %w", err)
	}
	return key, e, nil
}

// surtKey returns the sort key of a URL in the CDXJ index: its SURT form
// (host labels reversed and comma-joined, "www." dropped, lower case,
// query arguments sorted), as wayback tools use.
func surtKey(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return escapeKey(strings.ToLower(raw))
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if ip := net.ParseIP(host); ip == nil || ip.To4() != nil {
		// Names and IPv4 addresses are reversed label by label, as the
		// surt libraries of wayback tools do; IPv6 stays as it is.
		labels := strings.Split(host, ".")
		if ip == nil && len(labels) > 2 && strings.HasPrefix(labels[0], "www") && strings.Trim(labels[0][3:], "0123456789") == "" {
			labels = labels[1:]
		}
		slices.Reverse(labels)
		host = strings.Join(labels, ",")
	} else {
		host = "[" + host + "]"
	}
	var b strings.Builder
	b.WriteString(host)
	if p := u.Port(); p != "" && !(p == "80" && u.Scheme == "http") && !(p == "443" && u.Scheme == "https") {
		b.WriteString(":" + p)
	}
	b.WriteByte(')')
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	b.WriteString(strings.ToLower(path))
	if u.RawQuery != "" {
		args := strings.Split(u.RawQuery, "&")
		slices.Sort(args)
		b.WriteString("?" + strings.ToLower(strings.Join(args, "&")))
	}
	return escapeKey(b.String())
}

// escapeKey percent-encodes bytes that would break a CDXJ line: spaces
// and control characters.
func escapeKey(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c == 0x7f {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// mediaType returns the bare media type of a Content-Type value. The
// result is interned: it goes into the index entry of every capture of
// the WARC file being written, and a slice of ct would keep all of the
// response head it was cut from (a third of the writer's index, about
// 300 bytes a capture, held until the file is closed).
func mediaType(ct string) string {
	if ct == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt, _, _ = strings.Cut(ct, ";")
		mt = strings.ToLower(strings.TrimSpace(mt))
	}
	return unique.Make(mt).Value()
}

// cdxjPath returns the index file of the WARC file name in dir.
func cdxjPath(dir, warcName string) string { return filepath.Join(dir, warcName+".cdxj") }

// writeCDXJ writes the sorted index of one WARC file, atomically.
func writeCDXJ(fsys atomicfile.FS, path string, entries []IndexEntry) error {
	return atomicfile.WriteFile(fsys, path, cdxjBytes(entries))
}

// cdxjBytes returns the CDXJ lines of entries sorted by byte order (keys
// hold no byte below a space, so this is also the order of the keys).
func cdxjBytes(entries []IndexEntry) []byte {
	lines := make([][]byte, len(entries))
	size := 0
	for i, e := range entries {
		lines[i] = marshalCDXJ(e)
		size += len(lines[i])
	}
	slices.SortStableFunc(lines, bytes.Compare)
	// In one allocation: a buffer that doubled its way to the size of a
	// 10,000-article crawl's index took two thirds of the CPU of writing
	// it (0.27 of 0.39 s in a profile of the pipeline).
	buf := make([]byte, 0, size)
	for _, l := range lines {
		buf = append(buf, l...)
	}
	return buf
}

// searchCDXJ returns the entries for key in a sorted CDXJ file, by
// binary search, so that a lookup reads a few blocks of each file.
func searchCDXJ(path, key string) ([]IndexEntry, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	// lo is a line start before which every key is less than key; every
	// line starting at hi or later has a key not less than key.
	lo, hi := int64(0), fi.Size()
	for hi-lo > 16<<10 {
		mid := lo + (hi-lo)/2
		_, start, err := readLineAt(f, mid) // skip to the next line start
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		if start >= hi || errors.Is(err, io.EOF) {
			break
		}
		line, _, err := readLineAt(f, start)
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		if k, _, _ := strings.Cut(line, " "); k < key {
			lo = start
		} else {
			hi = start
		}
	}
	var out []IndexEntry
	br := bufio.NewReaderSize(io.NewSectionReader(f, lo, fi.Size()-lo), 32<<10)
	for {
		line, err := br.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		k, _, _ := strings.Cut(line, " ")
		if k > key || line == "" {
			break
		}
		if k == key {
			_, e, perr := parseCDXJ(strings.TrimSuffix(line, "\n"))
			if perr != nil {
				return nil, fmt.Errorf("%s: %w", path, perr)
			}
			out = append(out, e)
		}
		if err != nil {
			break
		}
	}
	return out, nil
}

// readLineAt reads the line that starts at pos, without its newline, and
// returns the position after it. io.EOF means the line ran to the end of
// the file.
func readLineAt(f io.ReaderAt, pos int64) (string, int64, error) {
	var line []byte
	buf := make([]byte, 1024) // CDXJ lines are a few hundred bytes
	for {
		n, err := f.ReadAt(buf, pos+int64(len(line)))
		if i := bytes.IndexByte(buf[:n], '\n'); i >= 0 {
			line = append(line, buf[:i]...)
			return string(line), pos + int64(len(line)) + 1, nil
		}
		line = append(line, buf[:n]...)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return string(line), pos + int64(len(line)), io.EOF
			}
			return "", 0, err
		}
	}
}

// Captures returns the index entries of every capture of url, oldest
// first. A URL never captured gives an empty list and no error. Captures
// that another process is writing right now are not seen by a read-only
// store until that process closes its WARC file.
func (s *Store) Captures(url string) ([]IndexEntry, error) {
	done, err := s.enter(false)
	if err != nil {
		return nil, fmt.Errorf("archive: captures %s: %w", url, err)
	}
	defer done()
	es, err := s.captures(url)
	if err != nil {
		return nil, fmt.Errorf("archive: captures %s: %w", url, err)
	}
	return es, nil
}

func (s *Store) captures(url string) ([]IndexEntry, error) {
	key := surtKey(url)
	// The current file's entries first: should it be closed meanwhile,
	// its index file is on disk before they leave memory, and the
	// duplicates are dropped below.
	pending := s.w.pending(key)
	all, err := s.indexedCaptures(key, "")
	if err != nil {
		return nil, err
	}
	for _, e := range pending {
		if !slices.ContainsFunc(all, func(x IndexEntry) bool { return x.Ref == e.Ref }) {
			all = append(all, e)
		}
	}
	return pickURL(all, url), nil
}

// indexedCaptures returns the entries for key in the index files of
// closed WARC files, oldest first; with url set, only those of url (see
// pickURL).
func (s *Store) indexedCaptures(key, url string) ([]IndexEntry, error) {
	var files []string
	var err error
	if s.opt.ReadOnly {
		// Another process may be adding files.
		files, err = warcFiles(s.warcDir())
	} else {
		// The writer's list: only it adds files, and it has the index of
		// each written before the file joins the list. Listing the
		// directory for every lookup cost 2% of import's CPU (Has).
		s.w.mu.Lock()
		files, err = s.w.closedFiles()
		s.w.mu.Unlock()
	}
	if err != nil {
		return nil, err
	}
	return s.capturesIn(files, key, url)
}

// capturesIn is indexedCaptures over the index files of the WARC files
// named.
func (s *Store) capturesIn(files []string, key, url string) ([]IndexEntry, error) {
	var all []IndexEntry
	for _, name := range files {
		path := cdxjPath(s.warcDir(), name)
		if ok, err := s.keys.mayHold(path, key, s.opt.ReadOnly); err != nil {
			return nil, err
		} else if !ok {
			continue
		}
		es, err := searchCDXJ(path, key)
		if err != nil {
			return nil, err
		}
		all = append(all, es...)
	}
	if url != "" {
		return pickURL(all, url), nil
	}
	return all, nil
}

// pickURL keeps the entries of exactly url when there are any (keys fold
// case and argument order), and sorts them by time.
func pickURL(es []IndexEntry, url string) []IndexEntry {
	exact := slices.DeleteFunc(slices.Clone(es), func(e IndexEntry) bool { return e.URL != url })
	if len(exact) > 0 {
		es = exact
	}
	slices.SortStableFunc(es, func(a, b IndexEntry) int { return a.Time.Compare(b.Time) })
	return es
}

// Lookup returns the capture of url closest in time to at (the latest
// when at is zero; the later one on a tie). An URL never captured gives
// an error that matches ErrNotFound.
func (s *Store) Lookup(url string, at time.Time) (Ref, error) {
	e, err := s.LookupEntry(url, at)
	return e.Ref, err
}

// LookupEntry is Lookup returning the whole index entry.
func (s *Store) LookupEntry(url string, at time.Time) (IndexEntry, error) {
	es, err := s.Captures(url)
	if err != nil {
		return IndexEntry{}, err
	}
	if len(es) == 0 {
		return IndexEntry{}, fmt.Errorf("archive: lookup %s: %w", url, ErrNotFound)
	}
	if at.IsZero() {
		return es[len(es)-1], nil
	}
	best := es[0]
	for _, e := range es[1:] {
		if absDur(e.Time.Sub(at)) <= absDur(best.Time.Sub(at)) {
			best = e
		}
	}
	return best, nil
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
