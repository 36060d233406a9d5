package extract

import (
	"strings"
	"testing"
)

func TestCheckSite(t *testing.T) {
	for _, tt := range []struct {
		name string
		ok   bool
	}{
		{"sawahlunto", true}, {"sawahlunto-portal", true}, {"kota_2", true}, {"9news", true},
		{strings.Repeat("a", MaxSiteLen), true},
		{strings.Repeat("a", MaxSiteLen+1), false},
		{"", false}, {"-kota", false}, {"_kota", false}, {"Kota", false}, {"kota.example", false},
		{"../etc", false}, {"kota/berita", false}, {"kota berita", false}, {"kóta", false},
	} {
		if err := CheckSite(tt.name); (err == nil) != tt.ok {
			t.Errorf("CheckSite(%q) = %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
}
