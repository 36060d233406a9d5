package ascii

import (
	"strings"
	"testing"
)

func TestEqualLower(t *testing.T) {
	for _, tt := range []struct {
		s, lower string
		want     bool
	}{
		{"script", "script", true},
		{"SCRIPT", "script", true},
		{"ScRiPt", "script", true},
		{"ſcript", "script", false}, // the long s folds to s in Unicode only
		{"\u212Aey", "key", false},  // the Kelvin sign
		{"scripts", "script", false},
		{"scrip", "script", false},
		{"", "", true},
		{"svg", "math", false},
	} {
		if got := EqualLower(tt.s, tt.lower); got != tt.want {
			t.Errorf("EqualLower(%q, %q) = %v, want %v", tt.s, tt.lower, got, tt.want)
		}
		if got := EqualLower([]byte(tt.s), tt.lower); got != tt.want {
			t.Errorf("EqualLower([]byte(%q), %q) = %v, want %v", tt.s, tt.lower, got, tt.want)
		}
		// Folded on both sides, and either way round.
		for _, pair := range [][2]string{{tt.s, tt.lower}, {tt.lower, tt.s}, {tt.s, strings.ToUpper(tt.lower)}} {
			if got := EqualFold([]byte(pair[0]), []byte(pair[1])); got != tt.want {
				t.Errorf("EqualFold(%q, %q) = %v, want %v", pair[0], pair[1], got, tt.want)
			}
		}
	}
}
