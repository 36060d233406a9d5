package eval

import (
	"strings"
	"testing"
)

// TestTail checks the tail figures on hand-made reports: pages under a
// score, pages where a peer beats us by more than 0.2, and collapses
// (under 0.5 where a peer gets 0.9 or more).
func TestTail(t *testing.T) {
	mk := func(name string, f1 ...float64) Report {
		r := Report{Name: name, Pages: len(f1)}
		for i, f := range f1 {
			r.Scores = append(r.Scores, PageScore{Key: string(rune('a' + i)), F1: f})
		}
		return r
	}
	ours := mk("warta", 0.95, 0.40, 0.70, 0.10)
	peerA := mk("a", 0.90, 0.95, 0.80, 0.20)
	peerB := mk("b", 0.99, 0.50, 0.95, 0.35)
	if got := ours.Under(0.5); got != 2 {
		t.Errorf("Under(0.5) = %d, want 2", got)
	}
	if got := ours.Under(0.8); got != 3 {
		t.Errorf("Under(0.8) = %d, want 3", got)
	}
	beaten := ours.BeatenBy(0.2, peerA, peerB)
	if len(beaten) != 3 || beaten[0].Key != "b" || beaten[0].Peer != "a" || beaten[0].PeerScore != 0.95 ||
		beaten[1].Key != "c" || beaten[1].Peer != "b" || beaten[2].Key != "d" || beaten[2].Peer != "b" {
		t.Errorf("BeatenBy(0.2) = %+v, want b (a 0.95), c (b 0.95), d (b 0.35)", beaten)
	}
	if got := ours.Collapses(peerA, peerB); got != 1 {
		t.Errorf("Collapses = %d, want 1 (page b)", got)
	}
	var b strings.Builder
	PrintCompare(&b, true, ours, peerA, peerB)
	if !strings.Contains(b.String(), "beaten") || strings.Count(b.String(), "\n") != 4 {
		t.Errorf("PrintCompare =\n%s\nwant a header and three rows", b.String())
	}
}
