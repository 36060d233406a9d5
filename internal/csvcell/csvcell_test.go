package csvcell

import "testing"

func TestSafe(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"Banjir di Talawi", "Banjir di Talawi"},
		{"2021-12-23T09:15:41+07:00", "2021-12-23T09:15:41+07:00"},
		{`=HYPERLINK("http://evil")`, `'=HYPERLINK("http://evil")`},
		{"=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"},
		{"+1", "'+1"},
		{"-jalan banjir", "'-jalan banjir"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"a=1", "a=1"},
	} {
		if got := Safe(c.in); got != c.want {
			t.Errorf("Safe(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
