package extract

import (
	"strings"
	"testing"
)

// TestObfuscatedParagraphs covers a paywall that serves the story's
// paragraphs scrambled (letters shifted by one) under the class
// "obfuscated": the open lead stays, the gibberish goes, and a paragraph
// whose class only contains the word stays.
func TestObfuscatedParagraphs(t *testing.T) {
	page := `<html><head><title>Street food in Witten</title></head><body><article><div class="article-body">
<p class="article__paragraph lead">Witten. Zum zweiten Mal sind die Food-Trucks nach Witten gekommen. Die Besucher konnten sich über alle Kontinente hinweg durchprobieren.</p>
<p class="article__paragraph not-obfuscated-note">Die Stadt plant, das Festival im nächsten Jahr auf drei Tage zu verlängern, sagte ein Sprecher am Sonntag.</p>
<p class="article__paragraph p_1 obfuscated">Ejf Gppe.Usvdlt tjoe xjfefs jo Xjuufo/ Tdipo cfj efs fstufo Bvthbcf tdimfnnufo tjdi vo{åimjhf Xjuufofs evsdi ejf Tuåoef bn Mvuifsqbsl.</p>
<p class="article__paragraph p_2 obfuscated">Ejftnbm tjoe opdi nfis Usvdlt eb- voe ejf Tdimbohfo tjoe opdi måohfs/ Efs Wfsbotubmufs jtu {vgsjfefo nju efn Cftvdi bn fstufo Ubh.</p>
</div></article></body></html>`
	a, err := Extract([]byte(page), "https://zeitung.example.de/witten/street-food-id1.html", Options{})
	if err != nil {
		t.Fatalf("Extract error = %v", err)
	}
	for _, w := range []string{"Zum zweiten Mal", "auf drei Tage"} {
		if !strings.Contains(a.Body, w) {
			t.Errorf("Extract.Body = %q, want it to hold %q", a.Body, w)
		}
	}
	for _, w := range []string{"Gppe", "Ejftnbm"} {
		if strings.Contains(a.Body, w) {
			t.Errorf("Extract.Body = %q, want no %q", a.Body, w)
		}
	}
}
