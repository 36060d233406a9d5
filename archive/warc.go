package archive

import (
	"bytes"
	"errors"
	"fmt"
	"hash/maphash"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/gzip"

	"github.com/nlnwa/gowarc/v3"
	"github.com/warta-id/warta/internal/atomicfile"
)

// Capture is one HTTP exchange: the request as sent and the response as
// received. Body is the payload after any Content-Encoding was decoded;
// the archived response headers say so (see SaveCapture).
type Capture struct {
	URL           string
	Method        string // "" means GET
	RequestHeader http.Header
	Proto         string // "" means HTTP/1.1
	Status        int
	Header        http.Header
	Body          []byte
	FetchedAt     time.Time // zero means now
	Truncated     bool      // Body was cut at a size limit
	// Source is where the capture came from when warta did not fetch it
	// itself: the replay URL of a web archive's copy, written as
	// WARC-Source-URI. "" means a capture of our own.
	Source string
}

// warcSourceURI names the web archive copy a capture was taken from (the
// header the IIPC proposed for records copied out of other archives).
const warcSourceURI = "WARC-Source-URI"

// Ref locates a WARC record: the file (a name in DIR/warc), the byte
// offset of the record's gzip member and its length in bytes.
type Ref struct {
	File   string `json:"filename"`
	Offset int64  `json:"offset"`
	Length int64  `json:"length"`
}

// String returns the ref as FILE#OFFSET:LENGTH.
func (r Ref) String() string {
	return r.File + "#" + strconv.FormatInt(r.Offset, 10) + ":" + strconv.FormatInt(r.Length, 10)
}

// ParseRef parses the FILE#OFFSET:LENGTH form that Ref.String writes.
func ParseRef(s string) (Ref, error) {
	file, rest, ok := strings.Cut(s, "#")
	off, length, ok2 := strings.Cut(rest, ":")
	if !ok || !ok2 || file == "" {
		return Ref{}, fmt.Errorf("archive: parse ref %q: want FILE#OFFSET:LENGTH", s)
	}
	r := Ref{File: file}
	var err error
	if r.Offset, err = strconv.ParseInt(off, 10, 64); err != nil || r.Offset < 0 {
		return Ref{}, fmt.Errorf("archive: parse ref %q: bad offset", s)
	}
	if r.Length, err = strconv.ParseInt(length, 10, 64); err != nil || r.Length <= 0 {
		return Ref{}, fmt.Errorf("archive: parse ref %q: bad length", s)
	}
	return r, nil
}

// IsZero reports whether r refers to nothing.
func (r Ref) IsZero() bool { return r == Ref{} }

// lastCapture is what the writer knows of a URL's latest full response,
// to write a revisit record when the payload repeats.
type lastCapture struct {
	recordID      string
	date          string
	payloadDigest string
	status        int
}

// lastRecord is how the writer keeps the latest full response of a URL
// in the current file (see warcWriter.lastOf): its index entry holds the
// status and the payload digest, and the record's id and date are kept
// as the UUID and the time they are written from. The writer keeps one
// for every URL of the file, with the file's index: as strings they were
// a third of the memory the index held.
type lastRecord struct {
	entry int32 // in warcWriter.entries
	id    [16]byte
	date  time.Time
}

// warcWriter appends captures to the current WARC file of a Store.
type warcWriter struct {
	s *Store

	// gzips holds reusable gzip writers: a new one allocates over half a
	// megabyte of compressor state, which cost a third of a capture's CPU.
	// They are klauspost/compress's: on demo captures (a page and its
	// images, a gzip member per record) half the CPU of the standard
	// library's at the same level, for 5% more bytes.
	gzips sync.Pool
	// huffmans holds gzip writers that only Huffman-code, for payloads
	// compressed already (see packed).
	huffmans sync.Pool
	// outs holds reusable buffers for a capture's compressed records
	// until they are appended: a page's are tens of kilobytes, a fifth
	// of what a capture allocated.
	outs sync.Pool
	// heads holds reusable *headBufs, lent to one save at a time: a
	// capture's heads were a third of what the rest of save allocated.
	heads sync.Pool

	mu         sync.Mutex
	f          atomicfile.File // nil until the first capture, and after rotation
	name       string          // base name of the current file
	size       int64
	infoSize   int64 // size of the warcinfo record opening the file
	warcinfoID string
	serial     int // serial of the last file created; 0 = none yet

	// The index of the current file, written beside it when it is closed,
	// and the latest full response of each URL in it. byKey finds the
	// latest entry of an index key by the key's hash, and sameKey, beside
	// entries, the one before it with the same hash (-1: none): the keys
	// themselves, a string per capture, were as large as the entries.
	entries []IndexEntry
	sameKey []int32
	byKey   map[uint64]int32
	seed    maphash.Seed
	last    map[string]lastRecord

	// closed names the WARC files of the directory other than the one
	// being written, oldest first, once closedFiles has listed them: only
	// this writer adds files, so the list is kept rather than read again
	// for every capture.
	closed []string

	// seq numbers the captures written, gen the files created; commits
	// makes the writes durable, outside mu (see groupCommit).
	seq     uint64
	gen     uint64
	commits *groupCommit
}

func newWARCWriter(s *Store) *warcWriter {
	w := &warcWriter{s: s, seed: maphash.MakeSeed()}
	w.commits = newGroupCommit(w)
	return w
}

// warcNameRE matches the names of the WARC files warta writes:
// warta-<YYYYMMDDhhmmss>-<serial>-<host>.warc.gz.
var warcNameRE = regexp.MustCompile(`^warta-(\d{14,17})-(\d{5,})-([A-Za-z0-9._]+)\.warc\.gz$`)

// SaveCapture appends c to the current WARC file as a request record and
// a response record, each its own gzip member. The response is a revisit
// record instead when the URL's last full capture has the same status
// and payload digest (profile identical-payload-digest), or when c is an
// empty 304 answer to a conditional request after a 2xx capture (profile
// server-not-modified); ReadCapture gives a revisit the payload of the
// capture it refers to. The file is synced before SaveCapture returns, so
// a capture that was reported saved survives a crash. The archived
// response has no Content-Encoding or Transfer-Encoding header, since
// Body is stored decoded (the originals stay as X-Archive-Orig-*), and a
// Content-Length that matches Body. It returns where the response (or
// revisit) record is. SaveCapture is safe for concurrent use.
func (s *Store) SaveCapture(c *Capture) (Ref, error) {
	done, err := s.enter(true)
	if err != nil {
		return Ref{}, fmt.Errorf("archive: save capture: %w", err)
	}
	defer done()
	if err := checkCapture(c); err != nil {
		return Ref{}, fmt.Errorf("archive: save capture: %w", err)
	}
	ref, seq, err := s.w.save(c)
	if err == nil {
		err = s.w.commits.wait(seq)
	}
	if err != nil {
		return Ref{}, fmt.Errorf("archive: save capture %s: %w", c.URL, err)
	}
	return ref, nil
}

// SaveCaptureUnsynced is SaveCapture without the wait for the fsync: it
// returns once the records are appended, with settle, which waits until
// they are durable (a sync made for a later capture may already have
// covered them) and returns the error of a failed sync that lost them.
// Until settle returns nil the capture may be lost in a crash. A batch
// whose captures need not be durable one by one, such as the images of
// an import, settles them at its end and saves the fsyncs.
func (s *Store) SaveCaptureUnsynced(c *Capture) (ref Ref, settle func() error, err error) {
	done, err := s.enter(true)
	if err != nil {
		return Ref{}, nil, fmt.Errorf("archive: save capture: %w", err)
	}
	defer done()
	if err := checkCapture(c); err != nil {
		return Ref{}, nil, fmt.Errorf("archive: save capture: %w", err)
	}
	ref, seq, err := s.w.save(c)
	if err != nil {
		return Ref{}, nil, fmt.Errorf("archive: save capture %s: %w", c.URL, err)
	}
	// settle holds the URL alone: a batch keeps the settles of all its
	// captures, and their bodies must not stay in memory with them.
	url := c.URL
	settle = func() error {
		if err := s.w.commits.wait(seq); err != nil {
			return fmt.Errorf("archive: save capture %s: %w", url, err)
		}
		return nil
	}
	return ref, settle, nil
}

// checkCapture reports what is wrong with a capture to be saved.
func checkCapture(c *Capture) error {
	if c == nil {
		return errors.New("nil capture")
	}
	u, err := url.Parse(c.URL)
	if err != nil {
		return fmt.Errorf("url %q: %w", c.URL, err)
	}
	if !u.IsAbs() || u.Host == "" {
		return fmt.Errorf("url %q: not absolute", c.URL)
	}
	if c.Status < 100 || c.Status > 999 {
		return fmt.Errorf("%s: bad status %d", c.URL, c.Status)
	}
	if strings.ContainsAny(c.Source, " \r\n") {
		return fmt.Errorf("%s: bad source %q", c.URL, c.Source)
	}
	if c.Method != "" && strings.ContainsAny(c.Method, " \r\n") {
		return fmt.Errorf("%s: bad method %q", c.URL, c.Method)
	}
	return nil
}

// save writes one capture and returns the number of its write, for
// commits.wait. The records are built and compressed outside
// the writer's lock (that is most of a capture's work, and it runs on
// every core), against the file and the URL's last capture as they are
// when it starts; if either changed by the time the lock is taken again
// (the file rotated, or the same URL was saved meanwhile), they are built
// again. The lock covers only the append and the index, so the records of
// one capture stay adjacent and files grow in order; the fsync comes
// after, shared with the captures written meanwhile.
func (w *warcWriter) save(c *Capture) (Ref, uint64, error) {
	fetched := c.FetchedAt
	if fetched.IsZero() {
		fetched = w.s.now()
	}
	fetched = fetched.UTC()
	bufs, _ := w.heads.Get().(*headBufs)
	if bufs == nil {
		bufs = &headBufs{}
	}
	defer func() {
		// A hostile site's headers may run to megabytes: such memory
		// is not kept.
		if cap(bufs.req)+cap(bufs.resp)+cap(bufs.reqRecord)+cap(bufs.respRecord) <= maxPooledHeads {
			w.heads.Put(bufs)
		}
	}()
	reqHead, err := appendRequestHead(bufs.req[:0], c)
	if err != nil {
		return Ref{}, 0, err
	}
	bufs.req = reqHead
	respHead := appendResponseHead(bufs.resp[:0], c)
	bufs.resp = respHead
	key := surtKey(c.URL) // outside the lock, which every saver waits for
	prev, err := w.previous(c.URL, key)
	if err != nil {
		// Without the last capture the response is written whole: larger,
		// never wrong.
		w.s.log.Warn("revisit_lookup_failed", "url", c.URL, "err", err)
	}
	size := int64(len(reqHead) + len(respHead) + len(c.Body))

	var info string
	for {
		w.mu.Lock()
		if err := w.ready(size); err != nil {
			w.mu.Unlock()
			return Ref{}, 0, err
		}
		info = w.warcinfoID
		if l, ok := w.lastOf(c.URL); ok {
			prev = &l // written since previous looked
		}
		w.mu.Unlock()

		enc, err := w.encode(c, reqHead, respHead, fetched, prev, info, bufs)
		if err != nil {
			return Ref{}, 0, err
		}

		w.mu.Lock()
		if err := w.ready(size); err != nil {
			w.mu.Unlock()
			w.release(enc)
			return Ref{}, 0, err
		}
		if l, ok := w.lastOf(c.URL); w.warcinfoID != info || ok && (prev == nil || l.recordID != prev.recordID) {
			w.mu.Unlock()
			w.release(enc)
			continue
		}
		data := enc.buf.Bytes()
		ref := Ref{File: w.name, Offset: w.size + enc.respOff, Length: int64(len(data)) - enc.respOff}
		err = w.write(data, false)
		w.release(enc)
		if err != nil {
			w.mu.Unlock()
			return Ref{}, 0, err
		}
		w.seq++
		seq := w.seq
		e := enc.entry
		e.Ref = ref
		e.URL = c.URL
		w.addEntry(e, key)
		if !enc.revisit {
			w.last[c.URL] = lastRecord{entry: int32(len(w.entries) - 1), id: enc.respUUID, date: fetched}
		}
		w.mu.Unlock()
		return ref, seq, nil
	}
}

// ready makes sure a file is open with room for a capture of about size
// raw bytes, rotating when the current one is full. w.mu must be held.
func (w *warcWriter) ready(size int64) error {
	if w.f != nil && w.size > w.infoSize && w.size+size/2 > w.s.opt.MaxWARCBytes {
		// The raw size halved is a cheap lower guess of the gzipped size;
		// rotating a little early or late does not matter.
		if err := w.closeFile(); err != nil {
			return err
		}
	}
	if w.f == nil {
		return w.createFile()
	}
	return nil
}

// encoded is one capture's request and response records, gzipped one
// member each, ready to be appended.
type encoded struct {
	buf      *bytes.Buffer // from warcWriter.outs, until release
	respOff  int64         // where the response record starts in buf
	entry    IndexEntry
	revisit  bool
	respUUID [16]byte // of the response record, unless a revisit
}

// encode builds and compresses the records of c for the file whose
// warcinfo record is info. It touches no writer state, so it needs no lock.
func (w *warcWriter) encode(c *Capture, reqHead, respHead []byte, fetched time.Time, prev *lastCapture, info string, bufs *headBufs) (*encoded, error) {
	r, err := captureHeads(c, reqHead, respHead, fetched, prev, info, bufs)
	if err != nil {
		return nil, err
	}
	bufs.reqRecord, bufs.respRecord = r.req, r.resp
	buf, _ := w.outs.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	// Pages compress to about a quarter and images hardly: half is
	// room enough for most captures.
	buf.Grow((len(reqHead)+len(respHead)+len(c.Body))/2 + 2048)
	enc := &encoded{buf: buf}
	if err := w.writeGzipRecord(buf, false, r.req, reqHead); err != nil {
		w.release(enc)
		return nil, err
	}
	enc.respOff, enc.revisit = int64(buf.Len()), r.revisit
	block := [][]byte{respHead, c.Body}
	if r.revisit {
		block = block[:1]
	}
	if err := w.writeGzipRecord(buf, !r.revisit && packed(c.Body), r.resp, block...); err != nil {
		w.release(enc)
		return nil, err
	}
	enc.entry = IndexEntry{Time: fetched.Truncate(time.Second), Status: c.Status, Digest: r.payloadDigest}
	enc.entry.Mime = responseMediaType(respHead)
	if r.revisit {
		enc.entry.Mime = "warc/revisit"
	} else {
		enc.respUUID = r.respUUID
	}
	return enc, nil
}

// release gives the buffer of enc back for another capture, unless it
// grew past maxPooledRecord.
func (w *warcWriter) release(enc *encoded) {
	if enc.buf.Cap() <= maxPooledRecord {
		enc.buf.Reset()
		w.outs.Put(enc.buf)
	}
	enc.buf = nil
}

// maxPooledRecord is the largest buffer kept for reuse: a rare huge
// capture should not pin its memory for the rest of the run.
const maxPooledRecord = 1 << 20

// maxPooledHeads bounds the memory of the headBufs kept for reuse.
const maxPooledHeads = 64 << 10

// previous returns the latest full capture of url, whose index key is
// key, from the current file or the index of the closed ones; nil when
// there is none.
func (w *warcWriter) previous(url, key string) (*lastCapture, error) {
	w.mu.Lock()
	lc, ok := w.lastOf(url)
	files, err := w.closedFiles()
	w.mu.Unlock()
	if ok {
		return &lc, nil
	}
	if err != nil {
		return nil, err
	}
	es, err := w.s.capturesIn(files, key, url)
	if err != nil {
		return nil, err
	}
	for i := len(es) - 1; i >= 0; i-- {
		if es[i].Revisit() {
			continue
		}
		rec, err := w.s.readRecord(es[i].Ref)
		if err != nil {
			return nil, err
		}
		defer rec.Close()
		return &lastCapture{
			recordID:      rec.RecordId(),
			date:          rec.WarcHeader().Get(gowarc.WarcDate),
			payloadDigest: payloadDigest(rec),
			status:        es[i].Status,
		}, nil
	}
	return nil, nil
}

// closedFiles returns the WARC files other than the one being written,
// oldest first. The slice is only ever appended to, so the caller may
// read it after releasing w.mu. w.mu must be held.
func (w *warcWriter) closedFiles() ([]string, error) {
	if w.closed == nil {
		files, err := warcFiles(w.s.warcDir())
		if err != nil {
			return nil, err
		}
		files = slices.DeleteFunc(files, func(name string) bool { return w.f != nil && name == w.name })
		w.closed = append(make([]string, 0, len(files)), files...) // not nil: listed
	}
	return w.closed, nil
}

// lastOf returns the latest full response of url in the current file.
// w.mu must be held.
func (w *warcWriter) lastOf(url string) (lastCapture, bool) {
	l, ok := w.last[url]
	if !ok {
		return lastCapture{}, false
	}
	e := w.entries[l.entry]
	return lastCapture{recordID: recordIDOf(l.id), date: warcDate(l.date), payloadDigest: e.Digest, status: e.Status}, true
}

// addEntry appends e, whose index key is key, to the current file's
// index. w.mu must be held.
func (w *warcWriter) addEntry(e IndexEntry, key string) {
	h := maphash.String(w.seed, key)
	before, ok := w.byKey[h]
	if !ok {
		before = -1
	}
	w.byKey[h] = int32(len(w.entries))
	w.entries = append(w.entries, e)
	w.sameKey = append(w.sameKey, before)
}

// pending returns the index entries of the current file for key, oldest
// first.
func (w *warcWriter) pending(key string) []IndexEntry {
	w.mu.Lock()
	defer w.mu.Unlock()
	var es []IndexEntry
	i, ok := w.byKey[maphash.String(w.seed, key)]
	for ; ok && i >= 0; i = w.sameKey[i] {
		// Another key may have the same hash.
		if e := w.entries[i]; surtKey(e.URL) == key {
			es = append(es, e)
		}
	}
	slices.Reverse(es)
	return es
}

// snapshot returns, when name is the file being written, its size in
// whole records and their index entries, taken together; otherwise -1.
func (w *warcWriter) snapshot(name string) (int64, []IndexEntry) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f != nil && w.name == name {
		return w.size, append([]IndexEntry(nil), w.entries...)
	}
	return -1, nil
}

// syncedSize returns how much of WARC file name is whole records: its
// size when it is being written, -1 (all of it) otherwise.
func (w *warcWriter) syncedSize(name string) int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f != nil && w.name == name {
		return w.size
	}
	return -1
}

// write appends data at the end of the current file, and syncs the file
// too when sync is set. On failure the file is cut back to where it was,
// so no partial record stays; if even that fails, the file is abandoned
// and the next capture starts a new one (recovery sets the torn tail
// aside). w.mu must be held.
func (w *warcWriter) write(data []byte, sync bool) error {
	_, err := w.f.Write(data)
	if err == nil && sync {
		err = w.f.Sync()
	}
	if err == nil {
		w.size += int64(len(data))
		return nil
	}
	if terr := w.f.Truncate(w.size); terr != nil {
		w.s.log.Error("warc_cut_back_failed", "file", w.name, "err", terr)
		w.abandon()
	} else if sync && w.f.Sync() != nil {
		w.abandon()
	}
	return err
}

// syncFile syncs the current file for groupCommit.wait. It returns the
// number of the last write the sync covers and where the file then ended.
func (w *warcWriter) syncFile() (upTo uint64, at mark, err error) {
	w.mu.Lock()
	f := w.f
	upTo, at = w.seq, mark{gen: w.gen, size: w.size}
	w.mu.Unlock()
	if f != nil {
		err = f.Sync()
	}
	return upTo, at, err
}

// cutBack, after a failed sync of file gen that was to cover the writes
// up to upTo, drops the records written to that file since its last good
// sync (durable), or gives up on the file when it cannot. It returns the
// number of the last write lost: the cut takes the writes made since the
// sync began, too.
func (w *warcWriter) cutBack(gen uint64, durable mark, upTo uint64, cause error) uint64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.gen != gen || w.f == nil {
		return upTo // closed meanwhile, which settled its writes
	}
	w.s.log.Error("warc_sync_failed", "file", w.name, "err", cause)
	size := int64(-1)
	if durable.gen == gen {
		size = durable.size
	}
	if size < w.infoSize || w.f.Truncate(size) != nil || w.f.Sync() != nil {
		w.abandon()
		return w.seq
	}
	w.size = size
	entries := w.entries
	w.entries, w.sameKey, w.byKey = nil, nil, map[uint64]int32{}
	for _, e := range entries {
		if e.Ref.Offset < size {
			w.addEntry(e, surtKey(e.URL))
		}
	}
	// Revisits must not point at a record that is gone: forget them all;
	// previous finds the ones that remain.
	w.last = map[string]lastRecord{}
	return w.seq
}

// abandon gives up on the current file after a failure that left its end
// uncertain: it is closed with the index of the captures known to be
// whole, and the next capture starts a new file. The next Open checks it
// again, since the dirty marker names it.
func (w *warcWriter) abandon() {
	if err := w.closeFile(); err != nil {
		w.s.log.Error("warc_close_failed", "file", w.name, "err", err)
	}
}

// createFile starts the next WARC file and writes its warcinfo record.
func (w *warcWriter) createFile() error {
	if w.serial == 0 {
		n, err := maxSerial(w.s.warcDir())
		if err != nil {
			return err
		}
		w.serial = n
	}
	w.serial++
	name := fmt.Sprintf("warta-%s-%05d-%s.warc.gz", w.s.now().UTC().Format("20060102150405"), w.serial, w.s.hostname)
	path := filepath.Join(w.s.warcDir(), name)
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("create %s: file exists", name)
	}
	if err := w.s.noteWARCFile(name); err != nil {
		return fmt.Errorf("create %s: %w", name, err)
	}
	f, err := w.s.fs.OpenAppend(path)
	if err != nil {
		return fmt.Errorf("create %s: %w", name, err)
	}
	infoID, err := newRecordID()
	if err != nil {
		_ = f.Close()
		return fmt.Errorf("create %s: %w", name, err)
	}
	info, block := warcinfoRecord(infoID, name, w.s.now(), w.s.opt.Software, [2]string{"hostname", w.s.hostname})
	var buf bytes.Buffer
	if err := w.writeGzipRecord(&buf, false, info, block); err != nil {
		_ = f.Close()
		return fmt.Errorf("create %s: %w", name, err)
	}
	w.f, w.name, w.size = f, name, 0
	w.gen++
	w.entries, w.sameKey, w.byKey, w.last = nil, nil, map[uint64]int32{}, map[string]lastRecord{}
	if err := w.write(buf.Bytes(), true); err != nil {
		if w.f != nil {
			_ = w.f.Close()
			w.f = nil
		}
		return fmt.Errorf("create %s: %w", name, err)
	}
	if err := w.s.fs.SyncDir(w.s.warcDir()); err != nil {
		_ = w.f.Close()
		w.f = nil
		return fmt.Errorf("create %s: %w", name, err)
	}
	w.infoSize = w.size
	w.warcinfoID = infoID
	w.commits.synced(w.seq, mark{gen: w.gen, size: w.size}) // write synced the warcinfo record
	w.s.log.Info("warc_file_started", "file", name)
	return nil
}

// closeFile closes the current WARC file, if any, and writes its index
// beside it. Were the index not written, the next Open rebuilds it.
func (w *warcWriter) closeFile() error {
	if w.f == nil {
		return nil
	}
	// Settle the writes of this file: a sync now covers every one of
	// them, and the goroutines waiting for them are told.
	serr := w.f.Sync()
	at := mark{gen: w.gen, size: w.size}
	if serr == nil {
		w.commits.synced(w.seq, at)
	} else if durable, ok := w.commits.closeFailed(w.seq, at); ok {
		// What the last good sync did not cover is lost: it leaves the
		// index, and the file is cut back to it where possible (the next
		// Open checks the file either way).
		_ = w.f.Truncate(durable.size)
		w.entries = slices.DeleteFunc(w.entries, func(e IndexEntry) bool { return e.Ref.Offset >= durable.size })
	}
	err := w.f.Close()
	w.f = nil
	if w.closed != nil && !slices.Contains(w.closed, w.name) {
		w.closed = append(w.closed, w.name)
	}
	if err != nil {
		w.entries, w.sameKey, w.byKey, w.last = nil, nil, nil, nil
		return fmt.Errorf("close %s: %w", w.name, err)
	}
	if err := writeCDXJ(w.s.fs, cdxjPath(w.s.warcDir(), w.name), w.entries); err != nil {
		return fmt.Errorf("index %s: %w", w.name, err)
	}
	w.entries, w.sameKey, w.byKey, w.last = nil, nil, nil, nil
	if serr != nil {
		return fmt.Errorf("close %s: sync: %w", w.name, serr)
	}
	return nil
}

// close closes the current file for good.
func (w *warcWriter) close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.closeFile()
}

// maxSerial returns the highest serial among warta's WARC files in dir.
func maxSerial(dir string) (int, error) {
	names, err := readDirNames(dir)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, name := range names {
		m := warcNameRE.FindStringSubmatch(strings.TrimSuffix(name, ".torn"))
		if m == nil {
			continue
		}
		if k, err := strconv.Atoi(m[2]); err == nil && k > n {
			n = k
		}
	}
	return n, nil
}

// warcFiles returns the names of warta's WARC files in dir, oldest first.
func warcFiles(dir string) ([]string, error) {
	names, err := readDirNames(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	var files []string
	for _, name := range names {
		if warcNameRE.MatchString(name) {
			files = append(files, name)
		}
	}
	serial := func(name string) int {
		k, _ := strconv.Atoi(warcNameRE.FindStringSubmatch(name)[2])
		return k
	}
	slices.SortStableFunc(files, func(a, b string) int { return serial(a) - serial(b) })
	return files, nil
}

// payloadDigest returns the WARC-Payload-Digest of a record read back.
func payloadDigest(rec gowarc.WarcRecord) string {
	if d := rec.WarcHeader().Get(gowarc.WarcPayloadDigest); d != "" {
		return d
	}
	if pb, ok := rec.Block().(gowarc.PayloadBlock); ok {
		return pb.PayloadDigest()
	}
	return ""
}

// writeGzipRecord appends to buf one gzip member holding the record whose
// header is head and whose block is the parts of block in a row. With
// huffman the member is only Huffman-coded, for a payload that is
// compressed already (see packed): still standard gzip to every reader.
func (w *warcWriter) writeGzipRecord(buf *bytes.Buffer, huffman bool, head recordHead, block ...[]byte) error {
	pool := &w.gzips
	if huffman {
		pool = &w.huffmans
	}
	zw, _ := pool.Get().(*gzip.Writer)
	if zw == nil {
		level := gzip.DefaultCompression
		if huffman {
			level = gzip.HuffmanOnly
		}
		var err error
		if zw, err = gzip.NewWriterLevel(buf, level); err != nil {
			return err
		}
	} else {
		zw.Reset(buf)
	}
	if err := writeRecord(zw, head, block...); err != nil {
		return err
	}
	err := zw.Close()
	pool.Put(zw)
	return err
}

// packed reports whether body starts as a format that is compressed
// already does: JPEG, PNG, GIF, WebP, the ISO media files (MP4, AVIF,
// HEIC), WebM and Matroska, WOFF and WOFF2, gzip, zip (and what is built
// on it: docx, epub), zstd, xz, bzip2, 7z. Deflate's search for repeats
// finds little in such bytes and is most of the CPU of archiving a
// gallery's pictures: three PNGs of 49-150 KB took 5.2-6.8 ns of CPU a
// byte at the default level to shrink by 1.3-5.2%, and 1.6-1.7 ns Huffman
// coded to shrink by 0.3-2.5% (best of 30 each, same run).
// The bytes decide, not the Content-Type a site sends: a wrong guess only
// costs room on disk, never a byte of the record.
func packed(body []byte) bool {
	has := func(off int, sig string) bool {
		return len(body) >= off+len(sig) && string(body[off:off+len(sig)]) == sig
	}
	switch {
	case has(0, "\xff\xd8\xff"), // JPEG
		has(0, "\x89PNG\r\n\x1a\n"),
		has(0, "GIF87a"), has(0, "GIF89a"),
		has(0, "RIFF") && has(8, "WEBP"),
		has(4, "ftyp"),             // MP4, AVIF, HEIC, MOV
		has(0, "\x1a\x45\xdf\xa3"), // WebM, Matroska
		has(0, "wOFF"), has(0, "wOF2"),
		has(0, "\x1f\x8b"),         // gzip
		has(0, "PK\x03\x04"),       // zip
		has(0, "\x28\xb5\x2f\xfd"), // zstd
		has(0, "\xfd7zXZ\x00"),     // xz
		has(0, "BZh"),              // bzip2
		has(0, "7z\xbc\xaf\x27\x1c"):
		return true
	}
	return false
}

// requestHead returns the HTTP request of c as sent on the wire: the
// request line and headers (a capture has no request body).
func requestHead(c *Capture) ([]byte, error) {
	return appendRequestHead(nil, c)
}

// appendRequestHead is requestHead appending to dst.
func appendRequestHead(dst []byte, c *Capture) ([]byte, error) {
	u, err := url.Parse(c.URL)
	if err != nil {
		return nil, err
	}
	method := c.Method
	if method == "" {
		method = http.MethodGet
	}
	b := bytes.NewBuffer(dst)
	fmt.Fprintf(b, "%s %s %s\r\n", method, u.RequestURI(), proto(c.Proto))
	h := validHeaders(c.RequestHeader)
	if h.Get("Host") == "" {
		h.Set("Host", u.Host)
	}
	if err := h.Write(b); err != nil {
		return nil, err
	}
	b.WriteString("\r\n")
	return b.Bytes(), nil
}

// responseHead returns the head of the HTTP response of c: status line
// and headers, adjusted to describe the decoded body that follows them
// in the record.
func responseHead(c *Capture) []byte {
	return appendResponseHead(nil, c)
}

// appendResponseHead is responseHead appending to dst.
func appendResponseHead(dst []byte, c *Capture) []byte {
	b := bytes.NewBuffer(dst)
	if b.Cap() == 0 {
		b.Grow(1024) // a usual head, in one allocation
	}
	text := http.StatusText(c.Status)
	if text == "" {
		text = "Status"
	}
	fmt.Fprintf(b, "%s %d %s\r\n", proto(c.Proto), c.Status, text)
	h := validHeaders(c.Header)
	if enc := h.Get("Content-Encoding"); enc != "" {
		h.Set("X-Archive-Orig-Content-Encoding", enc)
		h.Del("Content-Encoding")
	}
	if te := h.Get("Transfer-Encoding"); te != "" {
		h.Set("X-Archive-Orig-Transfer-Encoding", te)
		h.Del("Transfer-Encoding")
	}
	if cl := h.Get("Content-Length"); cl != "" && cl != strconv.Itoa(len(c.Body)) {
		h.Set("X-Archive-Orig-Content-Length", cl)
	}
	h.Set("Content-Length", strconv.Itoa(len(c.Body)))
	_ = h.Write(b) // writing to a bytes.Buffer cannot fail
	b.WriteString("\r\n")
	return b.Bytes()
}

// validHeaders returns a copy of h without the fields whose names are not
// HTTP tokens: written out, such a name would make the record's HTTP
// block unparsable.
func validHeaders(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		if validHeaderName(k) {
			out[k] = append([]string(nil), vs...)
		}
	}
	return out
}

// proto returns the HTTP version to write, HTTP/1.1 by default. HTTP/2
// and HTTP/3 exchanges are written in HTTP/1.1 syntax, as WARC has no
// other; their version is kept in the status line.
func proto(p string) string {
	if p == "" || strings.ContainsAny(p, " \r\n") {
		return "HTTP/1.1"
	}
	if p == "HTTP/2.0" {
		return "HTTP/2"
	}
	return p
}

// oneLine keeps a value on one header line.
func oneLine(s string) string {
	return strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
}
