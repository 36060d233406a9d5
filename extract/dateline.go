package extract

import (
	"regexp"
	"strings"
)

// datelineRE matches the dateline that opens an Indonesian news story: a
// place or outlet, an optional ", OUTLET" or "(AGENCY)", then a dash.
var datelineRE = regexp.MustCompile(`^([\p{L}0-9][\p{L}0-9-]*\.[\p{L}.]+|[\p{Lu}][\p{L}.'’]*(?:[ ][\p{Lu}][\p{L}.'’]*){0,3})` + // outlet or place
	`(?:\s*\(([^()]{2,40})\))?` + // (AGENCY) or (Place)
	`(?:\s*,\s*([\p{Lu}][\p{L}0-9.'’]*(?:[ ][\p{Lu}][\p{L}0-9.'’]*){0,3}))?` + // , OUTLET or , Place
	`(?:\s*\(([^()]{2,40})\))?` + // Mataram, NTB (ANTARA News)
	`\s*,?\s*(?:--|-|–|—|‒|―)\s*`)

// findDateline reads the dateline at the start of the first paragraph,
// within its first 70 characters. Text without a dash there has none.
func findDateline(first string) Dateline {
	head := first
	if len(head) > 100 {
		head = head[:100]
	}
	m := datelineRE.FindStringSubmatchIndex(head)
	if m == nil || m[1] > 80 || m[1] >= len(first) {
		return Dateline{}
	}
	// A hyphen between two letters joins a word ("Tribun-Timur"); a
	// dateline's dash stands apart or is a long dash.
	if match := head[:m[1]]; strings.HasSuffix(match, "-") && !strings.HasSuffix(match, "--") && len(match) >= 2 {
		if before := match[len(match)-2]; before != ' ' && before != ',' {
			return Dateline{}
		}
	}
	sub := submatches(head, m)
	a, paren, b, paren2 := strings.TrimSpace(sub[1]), strings.TrimSpace(sub[2]), strings.TrimSpace(sub[3]), strings.TrimSpace(sub[4])
	outlet := func(s string) bool {
		return strings.Contains(s, ".") || s == strings.ToUpper(s) && knownAgency(s)
	}
	var d Dateline
	switch {
	case b != "" && outlet(a): // "Liputan6.com, Jakarta -", "TEMPO.CO, Jakarta -"
		d = Dateline{Place: b, Agency: a}
	case b != "": // "JAKARTA, KOMPAS.com -", "SAWAHLUNTO, METRO–", "Mataram, NTB (ANTARA News) -"
		if paren2 != "" {
			d = Dateline{Place: a + ", " + b, Agency: paren2}
		} else {
			d = Dateline{Place: a, Agency: b}
		}
	case paren != "" && outlet(a): // "InDepthNews.id (Sawahlunto) –"
		d = Dateline{Place: paren, Agency: a}
	case paren != "": // "Jakarta (ANTARA) -"
		d = Dateline{Place: a, Agency: paren}
	case outlet(a): // "VIVA.co.id -"
		d = Dateline{Agency: a}
	default:
		d = Dateline{Place: a}
	}
	// A lone word of a sentence ("Sementara itu - ") is not a place: places
	// in datelines are capitalized proper names.
	if d.Place != "" && !capitalized(d.Place) {
		return Dateline{}
	}
	return d
}

var agencies = map[string]bool{"ANTARA": true, "AFP": true, "AP": true, "REUTERS": true, "ANTARANEWS": true, "METRO": true}

func knownAgency(s string) bool { return agencies[strings.ToUpper(s)] }

func capitalized(s string) bool {
	for _, w := range strings.Fields(strings.ReplaceAll(s, ",", " ")) {
		r := []rune(w)
		if len(r) == 0 || !(r[0] >= 'A' && r[0] <= 'Z' || r[0] > 127) {
			return false
		}
	}
	return true
}
