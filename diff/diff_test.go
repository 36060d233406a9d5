package diff

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWords(t *testing.T) {
	tests := []struct {
		old, new string
		want     []Op
	}{
		{"", "", nil},
		{"sama", "sama", []Op{{Equal, "sama"}}},
		{"", "baru", []Op{{Insert, "baru"}}},
		{"lama", "", []Op{{Delete, "lama"}}},
		{"Wali Kota Deri Asta meresmikan", "Wali Kota Ali Yusuf meresmikan", []Op{
			{Equal, "Wali Kota "}, {Delete, "Deri Asta"}, {Insert, "Ali Yusuf"}, {Equal, " meresmikan"}}},
		{"dihadiri 200 warga.", "dihadiri 2.000 warga.", []Op{
			{Equal, "dihadiri "}, {Delete, "200"}, {Insert, "2.000"}, {Equal, " warga."}}},
		{"Satu.\n\nDua.", "Satu. Dua.", []Op{
			{Equal, "Satu."}, {Delete, "\n\n"}, {Insert, " "}, {Equal, "Dua."}}},
		{"a b c", "a c", []Op{{Equal, "a "}, {Delete, "b "}, {Equal, "c"}}},
	}
	for _, tt := range tests {
		t.Run(tt.old+"->"+tt.new, func(t *testing.T) {
			got := Words(tt.old, tt.new)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Words(%q, %q) mismatch (-want +got):\n%s", tt.old, tt.new, diff)
			}
		})
	}
}

// TestWordsShortest checks on many generated pairs that the diff spells
// both texts and keeps as many words as a longest common subsequence.
func TestWordsShortest(t *testing.T) {
	words := []string{"kota", "tambang", "batu", "bara", "warga", " ", " ", "\n\n"}
	x := uint32(7)
	next := func(n int) int {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		return int(x % uint32(n))
	}
	gen := func() []string {
		ts := make([]string, next(30))
		for i := range ts {
			ts[i] = words[next(len(words))]
		}
		return ts
	}
	for i := range 500 {
		a, b := gen(), gen()
		if i%3 == 0 { // small edits of a
			b = append([]string(nil), a...)
			for range next(4) {
				if len(b) > 0 {
					b[next(len(b))] = words[next(len(words))]
				}
			}
		}
		old, new := strings.Join(a, ""), strings.Join(b, "")
		ops := Words(old, new)
		var gotOld, gotNew strings.Builder
		for _, op := range ops {
			if op.Kind != Insert {
				gotOld.WriteString(op.Text)
			}
			if op.Kind != Delete {
				gotNew.WriteString(op.Text)
			}
		}
		if gotOld.String() != old || gotNew.String() != new {
			t.Fatalf("Words(%q, %q) = %v: spells %q and %q", old, new, ops, gotOld.String(), gotNew.String())
		}
		delA, insB, _ := editScript(a, b, maxWork)
		kept := 0
		for _, del := range delA {
			if !del {
				kept++
			}
		}
		if insKept := len(insB) - countTrue(insB); kept != insKept {
			t.Fatalf("editScript(%q, %q) keeps %d of a but %d of b", a, b, kept, insKept)
		}
		if want := lcsLen(a, b); kept != want {
			t.Errorf("editScript(%q, %q) keeps %d tokens, a longest common subsequence has %d", a, b, kept, want)
		}
	}
}

func countTrue(bs []bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

func lcsLen(a, b []string) int {
	dp := make([][]int, len(a)+1)
	for i := range dp {
		dp[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}

// BenchmarkWords diffs a 1,000-word article against a copy with three
// small edits; the baseline is the textbook quadratic LCS table over the
// same tokens.
func BenchmarkWords(b *testing.B) {
	var sb strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&sb, "kata%d ", i%300)
	}
	old := sb.String()
	new := strings.Replace(old, "kata7 ", "kata7 baru ", 3)
	b.Run("warta", func(b *testing.B) {
		for b.Loop() {
			Words(old, new)
		}
	})
	b.Run("baseline", func(b *testing.B) {
		a, c := tokenize(old), tokenize(new)
		for b.Loop() {
			lcsLen(a, c)
		}
	})
}

// TestWordsBounded checks that the search for a shortest edit script
// stops once its work passes the budget, one snake later at most, and
// that the diff it gives then still spells both texts. Before the
// budget, two versions of 32,000 different words took 7.7 s and the web
// UI diffs ten versions of an article a site wrote, as long as the site
// likes.
func TestWordsBounded(t *testing.T) {
	var a, b strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&a, "a%d ", i)
		if i%50 == 0 {
			fmt.Fprintf(&b, "a%d ", i) // a few words in common
		} else {
			fmt.Fprintf(&b, "b%d ", i)
		}
	}
	old, new := a.String(), b.String()
	ta, tb := tokenize(old), tokenize(new)
	_, _, full := editScript(ta, tb, maxWork)
	for _, budget := range []int{0, 1000, full / 2, full} {
		_, _, work := editScript(ta, tb, budget)
		if limit := budget + len(ta) + len(tb); work > limit {
			t.Errorf("editScript(budget %d) took %d steps, want at most %d", budget, work, limit)
		}
		var gotOld, gotNew strings.Builder
		for _, op := range words(old, new, budget) {
			if op.Kind != Insert {
				gotOld.WriteString(op.Text)
			}
			if op.Kind != Delete {
				gotNew.WriteString(op.Text)
			}
		}
		if gotOld.String() != old || gotNew.String() != new {
			t.Errorf("words(budget %d) does not spell both texts", budget)
		}
	}
	if full > maxWork {
		t.Errorf("the full search took %d steps, above maxWork %d: the test's texts are too long for it", full, maxWork)
	}
}
