package backfill

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Capture is one capture as an archive's index lists it. Fields the
// index did not give, or gave as "-", are empty.
type Capture struct {
	URLKey    string
	Timestamp string // 1 to 14 digits, UTC
	URL       string // the original URL
	Mime      string
	Status    string
	Digest    string
	Length    int64
	// Filename and Offset locate the record in a Common Crawl WARC file.
	Filename string
	Offset   int64
	// Time is Timestamp as a time.
	Time time.Time
}

// Revisit reports whether the row is a revisit record: the same payload
// as an earlier capture, stored by reference.
func (c Capture) Revisit() bool { return strings.EqualFold(c.Mime, "warc/revisit") }

// cdxTime is the layout of CDX timestamps.
const cdxTime = "20060102150405"

// parseTimestamp reads a 4 to 14 digit CDX timestamp; the missing parts
// are the earliest they can be.
func parseTimestamp(ts string) (time.Time, error) {
	if len(ts) < 4 || len(ts) > 14 || strings.Trim(ts, "0123456789") != "" {
		return time.Time{}, fmt.Errorf("bad timestamp %q: want 4 to 14 digits", ts)
	}
	const pad = "00000101000000"
	return time.Parse(cdxTime, ts+pad[len(ts):])
}

// formatTimestamp writes t as a 14-digit CDX timestamp.
func formatTimestamp(t time.Time) string { return t.UTC().Format(cdxTime) }

// page is what one index answer held: its captures, the key to ask for
// the next page with (IA's showResumeKey), and whether it had the shape
// of pywb's JSON lines (which no resume key follows).
type page struct {
	rows      []Capture
	resumeKey string
	lines     bool
}

// The names archives give the fields: the Internet Archive's CDX server,
// pywb's and Common Crawl's (a pywb).
var fieldAlias = map[string]string{
	"urlkey": "urlkey", "timestamp": "timestamp",
	"original": "url", "url": "url",
	"mimetype": "mime", "mime": "mime",
	"statuscode": "status", "status": "status",
	"digest": "digest", "length": "length",
	"filename": "filename", "offset": "offset",
}

// Default field orders of plain-text CDX answers: the Internet Archive's
// seven, and the eleven of CDX-11 (pywb, OpenWayback).
var (
	cdx7  = []string{"urlkey", "timestamp", "url", "mime", "status", "digest", "length"}
	cdx11 = []string{"urlkey", "timestamp", "url", "mime", "status", "digest", "redirect", "robotflags", "length", "offset", "filename"}
)

// parseCDX reads an index answer in any of the shapes archives give: the
// Internet Archive's JSON (a list of rows, the first naming the fields,
// an empty row and the resume key at the end), JSON lines (pywb, Common
// Crawl), CDXJ lines, or plain space-separated CDX. Rows it cannot read
// are skipped; the count of them comes back.
func parseCDX(body []byte) (page, int, error) {
	body = bytes.TrimSpace(body)
	var p page
	if len(body) == 0 {
		return p, 0, nil
	}
	bad := 0
	if body[0] == '[' {
		var rows [][]any
		if err := json.Unmarshal(body, &rows); err != nil {
			return p, 0, fmt.Errorf("cdx answer: not a JSON list of rows: %w", err)
		}
		if len(rows) == 0 {
			return p, 0, nil
		}
		var names []string
		for _, v := range rows[0] {
			names = append(names, str(v))
		}
		for i := 1; i < len(rows); i++ {
			row := rows[i]
			if len(row) == 0 {
				// An empty row separates the captures from the resume key.
				if i+1 < len(rows) && len(rows[i+1]) == 1 {
					p.resumeKey = str(rows[i+1][0])
				}
				break
			}
			fields := map[string]string{}
			for j, v := range row {
				if j < len(names) {
					fields[names[j]] = str(v)
				}
			}
			if c, ok := captureOf(fields); ok {
				p.rows = append(p.rows, c)
			} else {
				bad++
			}
		}
		return p, bad, nil
	}
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	blank := false
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			blank = true
			continue
		}
		if blank {
			// IA's text output: a blank line, then the resume key.
			p.resumeKey = line
			break
		}
		fields := map[string]string{}
		switch {
		case line[0] == '{':
			p.lines = true
			if !jsonFields(line, fields) {
				bad++
				continue
			}
		case strings.Contains(line, " {"):
			// CDXJ: urlkey, timestamp, then a JSON block.
			i := strings.Index(line, " {")
			if !jsonFields(line[i+1:], fields) {
				bad++
				continue
			}
			if k, ts, ok := strings.Cut(line[:i], " "); ok {
				fields["urlkey"], fields["timestamp"] = k, ts
			}
		default:
			parts := strings.Fields(line)
			order := cdx7
			if len(parts) >= len(cdx11) {
				order = cdx11
			}
			if len(parts) < len(cdx7) {
				bad++
				continue
			}
			for j, name := range order {
				fields[name] = parts[j]
			}
		}
		if c, ok := captureOf(fields); ok {
			p.rows = append(p.rows, c)
		} else {
			bad++
		}
	}
	if err := sc.Err(); err != nil {
		return p, bad, fmt.Errorf("cdx answer: %w", err)
	}
	return p, bad, nil
}

// jsonFields reads one JSON object of string or number values into fields.
func jsonFields(line string, fields map[string]string) bool {
	var obj map[string]any
	if err := json.Unmarshal([]byte(line), &obj); err != nil {
		return false
	}
	for k, v := range obj {
		fields[k] = str(v)
	}
	return true
}

// str turns a JSON value into the text a CDX field holds.
func str(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// captureOf builds a Capture from named fields; false when the row has no
// usable URL or timestamp.
func captureOf(fields map[string]string) (Capture, bool) {
	var c Capture
	for name, v := range fields {
		if v == "-" {
			v = ""
		}
		switch fieldAlias[strings.ToLower(name)] {
		case "urlkey":
			c.URLKey = v
		case "timestamp":
			c.Timestamp = v
		case "url":
			c.URL = v
		case "mime":
			c.Mime = v
		case "status":
			c.Status = v
		case "digest":
			c.Digest = v
		case "length":
			c.Length, _ = strconv.ParseInt(v, 10, 64)
		case "filename":
			c.Filename = v
		case "offset":
			c.Offset, _ = strconv.ParseInt(v, 10, 64)
		}
	}
	t, err := parseTimestamp(c.Timestamp)
	if err != nil || c.URL == "" {
		return c, false
	}
	c.Time = t
	return c, true
}
