package diff

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind says what an Op does.
type Kind int

// The kinds of Op.
const (
	Equal  Kind = iota // text in both versions
	Delete             // text only in the old version
	Insert             // text only in the new version
)

// String returns "=", "-" or "+".
func (k Kind) String() string {
	switch k {
	case Delete:
		return "-"
	case Insert:
		return "+"
	}
	return "="
}

// Op is one run of a word-level diff.
type Op struct {
	Kind Kind   `json:"kind"`
	Text string `json:"text"`
}

// Words returns a word-level diff from old to new: runs of equal, deleted
// and inserted text that, read in order, spell old (equal and deleted
// runs) and new (equal and inserted runs). Words are runs of non-space
// characters; the spaces between them are compared too, so a paragraph
// break that moved shows. It finds a shortest edit script (Myers' O(ND)
// algorithm in linear space), so it is fast on the small edits that
// re-published news has. Its work is bounded on any input (see maxWork):
// two long texts that share little get a diff that still spells both,
// but may delete and insert more than the fewest words.
func Words(old, new string) []Op {
	return words(old, new, maxWork)
}

// maxWork bounds the steps of one diff's search for a shortest edit
// script: it costs the texts' length times the edits, so that two
// versions of 32,000 different words took 7.7 s, a megabyte each minutes,
// and the web UI diffs up to ten versions of an article a site wrote.
// Past it, what is left unsearched is a deletion and an insertion. It
// allows a shortest diff of 2,000 words changed among 6,000, or of 500
// among 20,000 (measured: 8.2 and 0.9 million steps, 90 and 8 ms); two
// versions of 200,000 different words take 0.7 s, most of it to split
// them into words.
const maxWork = 1 << 23

func words(old, new string, budget int) []Op {
	a, b := tokenize(old), tokenize(new)
	n, m := len(a), len(b)
	delA, insB, _ := editScript(a, b, budget)

	// Runs of tokens of one kind; an equal run of nothing but space
	// between two changes joins them, so that "Deri Asta" -> "Ali Yusuf"
	// reads as one change rather than two split by a shared space.
	type run struct {
		kind     Kind
		del, ins []string
	}
	var runs []run
	push := func(k Kind, tok string) {
		if l := len(runs); l > 0 && (runs[l-1].kind == k || (k != Equal && runs[l-1].kind != Equal)) {
			r := &runs[l-1]
			if k == Insert {
				r.ins = append(r.ins, tok)
			} else {
				r.del = append(r.del, tok)
			}
			return
		}
		r := run{kind: k}
		if k == Insert {
			r.ins = []string{tok}
		} else {
			r.del = []string{tok}
		}
		runs = append(runs, r)
	}
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && delA[i]:
			push(Delete, a[i])
			i++
		case j < m && insB[j]:
			push(Insert, b[j])
			j++
		default:
			push(Equal, a[i])
			i, j = i+1, j+1
		}
	}
	var merged []run
	for k := 0; k < len(runs); k++ {
		r := runs[k]
		l := len(merged)
		spaceBetween := r.kind == Equal && k+1 < len(runs) && l > 0 &&
			merged[l-1].kind != Equal && strings.TrimSpace(strings.Join(r.del, "")) == ""
		if spaceBetween {
			next := runs[k+1]
			p := &merged[l-1]
			p.del = append(append(p.del, r.del...), next.del...)
			p.ins = append(append(p.ins, r.del...), next.ins...)
			k++
			continue
		}
		merged = append(merged, r)
	}
	var ops []Op
	for _, r := range merged {
		if r.kind == Equal {
			ops = append(ops, Op{Kind: Equal, Text: strings.Join(r.del, "")})
			continue
		}
		if len(r.del) > 0 {
			ops = append(ops, Op{Kind: Delete, Text: strings.Join(r.del, "")})
		}
		if len(r.ins) > 0 {
			ops = append(ops, Op{Kind: Insert, Text: strings.Join(r.ins, "")})
		}
	}
	return ops
}

// editScript returns an edit script from a to b: which tokens of a are
// deleted and which of b inserted. It is a shortest one when the search
// takes at most budget steps; work is the steps taken, which exceed
// budget by one round of the search at most.
func editScript(a, b []string, budget int) (delA, insB []bool, work int) {
	// Compare tokens as small integers.
	ids := map[string]int32{}
	intern := func(ts []string) []int32 {
		out := make([]int32, len(ts))
		for i, t := range ts {
			id, ok := ids[t]
			if !ok {
				id = int32(len(ids))
				ids[t] = id
			}
			out[i] = id
		}
		return out
	}
	d := &differ{a: intern(a), b: intern(b), budget: budget}
	n, m := len(a), len(b)
	d.delA, d.insB = make([]bool, n), make([]bool, m)
	size := 2*(n+m+1) + 2
	d.vf, d.vb = make([]int, size), make([]int, size)
	d.compare(0, n, 0, m)
	return d.delA, d.insB, d.work
}

// tokenize splits s into words and the runs of space between them.
func tokenize(s string) []string {
	var ts []string
	for len(s) > 0 {
		r, _ := utf8.DecodeRuneInString(s)
		space := unicode.IsSpace(r)
		end := strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) != space })
		if end < 0 {
			end = len(s)
		}
		ts = append(ts, s[:end])
		s = s[end:]
	}
	return ts
}

// differ holds the state of one Myers diff: the sequences, the edits
// found so far and the two diagonal arrays of the middle-snake search.
type differ struct {
	a, b       []int32
	delA, insB []bool
	vf, vb     []int
	// work counts the steps of the middle-snake searches; past budget,
	// the ranges left are replaced whole.
	work, budget int
}

// compare marks the edits that turn a[aLo:aHi] into b[bLo:bHi].
func (d *differ) compare(aLo, aHi, bLo, bHi int) {
	for aLo < aHi && bLo < bHi && d.a[aLo] == d.b[bLo] {
		aLo, bLo = aLo+1, bLo+1
	}
	for aLo < aHi && bLo < bHi && d.a[aHi-1] == d.b[bHi-1] {
		aHi, bHi = aHi-1, bHi-1
	}
	if aLo < aHi && bLo < bHi && d.work <= d.budget {
		if x0, y0, x1, y1, ok := d.middleSnake(aLo, aHi, bLo, bHi); ok {
			d.compare(aLo, x0, bLo, y0)
			d.compare(x1, aHi, y1, bHi)
			return
		}
	}
	// One side is empty, or the budget is spent: replace the range.
	for i := aLo; i < aHi; i++ {
		d.delA[i] = true
	}
	for j := bLo; j < bHi; j++ {
		d.insB[j] = true
	}
}

// middleSnake finds the middle snake of a shortest edit script between
// a[aLo:aHi] and b[bLo:bHi] (both non-empty, differing at both ends):
// searching from both ends at once until the paths meet, as in Myers'
// 1986 paper, section 4b. It returns the snake's start and end, or false
// when the work it did took d.work past d.budget before the paths met.
func (d *differ) middleSnake(aLo, aHi, bLo, bHi int) (x0, y0, x1, y1 int, ok bool) {
	n, m := aHi-aLo, bHi-bLo
	delta := n - m
	odd := delta&1 != 0
	max := (n + m + 1) / 2
	off := max + 1 // index of diagonal 0
	vf, vb := d.vf[:2*max+3], d.vb[:2*max+3]
	vf[off+1], vb[off+1] = 0, 0
	for k := 0; k <= max; k++ {
		// Forward: the furthest reaching path on each diagonal.
		for diag := -k; diag <= k; diag += 2 {
			var x int
			if diag == -k || (diag != k && vf[off+diag-1] < vf[off+diag+1]) {
				x = vf[off+diag+1]
			} else {
				x = vf[off+diag-1] + 1
			}
			y := x - diag
			sx, sy := x, y
			for x < n && y < m && d.a[aLo+x] == d.b[bLo+y] {
				x, y = x+1, y+1
			}
			d.work += 1 + x - sx
			vf[off+diag] = x
			if rd := delta - diag; odd && rd >= -(k-1) && rd <= k-1 && x+vb[off+rd] >= n {
				return aLo + sx, bLo + sy, aLo + x, bLo + y, true
			}
			if d.work > d.budget {
				return 0, 0, 0, 0, false
			}
		}
		// Backward, in reversed coordinates: x counts from the ends.
		for diag := -k; diag <= k; diag += 2 {
			var x int
			if diag == -k || (diag != k && vb[off+diag-1] < vb[off+diag+1]) {
				x = vb[off+diag+1]
			} else {
				x = vb[off+diag-1] + 1
			}
			y := x - diag
			sx, sy := x, y
			for x < n && y < m && d.a[aHi-1-x] == d.b[bHi-1-y] {
				x, y = x+1, y+1
			}
			d.work += 1 + x - sx
			vb[off+diag] = x
			if fd := delta - diag; !odd && fd >= -k && fd <= k && x+vf[off+fd] >= n {
				return aHi - x, bHi - y, aHi - sx, bHi - sy, true
			}
			if d.work > d.budget {
				return 0, 0, 0, 0, false
			}
		}
	}
	// Unreachable: the paths meet by d = ceil((n+m)/2).
	return 0, 0, 0, 0, false
}
