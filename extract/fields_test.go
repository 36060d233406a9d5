package extract

import (
	"strings"
	"testing"
	"time"
)

var wib = time.FixedZone("WIB", 7*3600)

func TestParseTextDate(t *testing.T) {
	now := time.Date(2026, 1, 20, 19, 0, 0, 0, wib)
	tests := []struct {
		in, want string
	}{
		{"Rabu, 22 Desember 2021", "2021-12-22T00:00:00+07:00"},
		{"Kamis, 23 Desember 2021", "2021-12-23T00:00:00+07:00"},
		{"Rabu, 02 Nov 2022 17:11 WIB", "2022-11-02T17:11:00+07:00"},
		{"17/09/2017, 15:55 WIB", "2017-09-17T15:55:00+07:00"},
		{"20/1/2026 18:30", "2026-01-20T18:30:00+07:00"},
		{"16:00:41, 25 Agu 2024", "2024-08-25T16:00:41+07:00"},
		{"Senin, 3 Januari 2022 | 10:15 WITA", "2022-01-03T10:15:00+08:00"},
		{"Jum'at, 5 Pebruari 2016 09.30 WIT", "2016-02-05T09:30:00+09:00"},
		{"Minggu, 1 Nopember 2015", "2015-11-01T00:00:00+07:00"},
		{"Ahad, 14 Ags 2022 - 07:05", "2022-08-14T07:05:00+07:00"},
		{"Selasa, 10 Sept 2019 21:00 WIB", "2019-09-10T21:00:00+07:00"},
		{"December 23, 2021 at 9:15 pm", "2021-12-23T21:15:00+07:00"},
		{"9 menit yang lalu", "2026-01-20T18:51:00+07:00"},
		{"2 jam lalu", "2026-01-20T17:00:00+07:00"},
		{"3 hari yang lalu", "2026-01-17T00:00:00+07:00"},
		{"kemarin", "2026-01-19T00:00:00+07:00"},
		{"Kemarin, 14:30", "2026-01-19T14:30:00+07:00"},
		{"2021-12-23 09:15", "2021-12-23T09:15:00+07:00"},
		{"Selasa (20/1)", ""},                 // no year: not a date
		{"31 November 2021", ""},              // no such day
		{"Dibaca 1.234 kali", ""},             // a counter
		{"2 bulan yang lalu", ""},             // too vague
		{"tanggal 45 Desember 2021", ""},      // no such day
		{"pada pukul 14.00 WIB di Balai", ""}, // a time without a date
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := ""
			if d, ok := parseTextDate(tt.in, wib, now); ok {
				got = d.format()
			}
			if got != tt.want {
				t.Errorf("parseTextDate(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseTextDateWithoutFetchTime(t *testing.T) {
	for _, in := range []string{"9 menit yang lalu", "kemarin", "hari ini"} {
		if d, ok := parseTextDate(in, wib, time.Time{}); ok {
			t.Errorf("parseTextDate(%q, no fetch time) = %s, want no date", in, d.format())
		}
	}
}

func TestParseMachineDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2021-12-23T09:15:41+07:00", "2021-12-23T09:15:41+07:00"},
		{"2015-11-05T07:56:43+00:00", "2015-11-05T07:56:43Z"},
		{"2015-11-05T07:56:43Z", "2015-11-05T07:56:43Z"},
		{"2016-02-16T14:38:00+0700", "2016-02-16T14:38:00+07:00"},
		{"2016-02-16 14:38:00", "2016-02-16T14:38:00+07:00"},
		{"2016-02-16T14:38:00.000+07:00", "2016-02-16T14:38:00+07:00"},
		{"2016-02-16", "2016-02-16T00:00:00+07:00"},
		{"1446692938", "2015-11-05T10:08:58+07:00"},
		{"Thu, 05 Nov 2015 03:08:58 +0000", "2015-11-05T03:08:58Z"},
		{"", ""},
		{"not a date", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := ""
			if d, ok := parseMachineDate(tt.in, wib); ok {
				got = d.format()
			}
			if got != tt.want {
				t.Errorf("parseMachineDate(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFindDateline(t *testing.T) {
	tests := []struct {
		in            string
		place, agency string
	}{
		{"SAWAHLUNTO – Wali Kota Sawahlunto, Deri Asta menemui", "SAWAHLUNTO", ""},
		{"PADANG,- Gubernur Sumatera Barat meminta", "PADANG", ""},
		{"SAWAHLUNTO, METRO–Ratusan warga memadati", "SAWAHLUNTO", "METRO"},
		{"Sawahlunto, Rakyatterkini.com - Pemerintah kota", "Sawahlunto", "Rakyatterkini.com"},
		{"Jakarta (ANTARA) - Presiden Joko Widodo", "Jakarta", "ANTARA"},
		{"JAKARTA, KOMPAS.com - Menteri Pendayagunaan", "JAKARTA", "KOMPAS.com"},
		{"InDepthNews.id (Sawahlunto) – Festival", "Sawahlunto", "InDepthNews.id"},
		{"Mataram, NTB (ANTARA News) - Sebanyak 29 penerbangan", "Mataram, NTB", "ANTARA News"},
		{"TEMPO.CO, Jakarta - Organisasi Kesehatan Dunia", "Jakarta", "TEMPO.CO"},
		{"REPUBLIKA.CO.ID, JAKARTA - Aktris dan sutradara", "JAKARTA", "REPUBLIKA.CO.ID"},
		{"Jakarta - Galaxy S6 Edge, dengan material premium", "Jakarta", ""},
		{"Liputan6.com, Jakarta - Indonesia memasuki", "Jakarta", "Liputan6.com"},
		{"INDEKS Harga Saham Gabungan ditutup melemah", "", ""},
		{"Wali Kota Sawahlunto Deri Asta mengatakan bahwa program - yang dimulai", "", ""},
		{"Menurut dia, kegiatan itu - yang digelar", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := findDateline(tt.in)
			if got.Place != tt.place || got.Agency != tt.agency {
				t.Errorf("findDateline(%q) = %+v, want {Place:%s Agency:%s}", tt.in, got, tt.place, tt.agency)
			}
		})
	}
}

func TestIsFileName(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"267761716_6789951007742747_4961825691446511921_n", true},
		{"IMG-20220103-WA0012", true},
		{"WhatsApp Image 2022-01-03 at 10.15.22", true},
		{"IMG_20160212_153944", true},
		{"DSC_0123", true},
		{"DSCF4410", true},
		{"P1010234", true},
		{"pexels-photo-123456", true},
		{"foto-wali-kota.jpg", true},
		{"20211223_091541", true},
		{"Wali Kota Sawahlunto Deri Asta bersama Dirjen IKMA Reni Yanita", false},
		{"Suasana Festival Songket Silungkang 2021", false},
		{"Pemandangan", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := isFileName(tt.in); got != tt.want {
				t.Errorf("isFileName(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestLanguage(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Wali Kota Sawahlunto mengatakan bahwa program itu akan dilanjutkan pada tahun depan dengan dukungan dari pemerintah pusat.", "id"},
		{"The mayor said that the programme would go on next year with the support of the central government.", "en"},
		{"Sawahlunto", ""},
	}
	for _, tt := range tests {
		if got := language(tt.in); got != tt.want {
			t.Errorf("language(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCharsets(t *testing.T) {
	// "Pemandian Air Panas Café Sérénité" written in each charset.
	latin1 := "Caf\xe9 S\xe9r\xe9nit\xe9 \x96 di Padang"
	tests := []struct {
		name, contentType string
		page              string
	}{
		{"header windows-1252", "text/html; charset=windows-1252", "<p>" + latin1 + "</p>"},
		{"header iso-8859-1", "text/html; charset=ISO-8859-1", "<p>" + latin1 + "</p>"},
		{"meta charset", "", `<html><head><meta charset="windows-1252"></head><body><p>` + latin1 + "</p></body></html>"},
		{"meta http-equiv", "text/html", `<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head><body><p>` + latin1 + "</p></body></html>"},
		{"late meta", "", `<html><head>` + strings.Repeat("<!-- padding -->", 100) + `<meta charset="windows-1252"></head><body><p>` + latin1 + "</p></body></html>"},
		{"sniffed", "", "<p>" + latin1 + "</p>"},
		{"utf-8 mislabelled latin1", "text/html; charset=iso-8859-1", "<p>Café Sérénité – di Padang</p>"},
		{"utf-8 with BOM", "", "\xef\xbb\xbf<p>Café Sérénité – di Padang</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := toUTF8([]byte(tt.page), tt.contentType)
			if !strings.Contains(got, "Café Sérénité – di Padang") {
				t.Errorf("toUTF8(%s) = %q, want it to hold %q", tt.name, got, "Café Sérénité – di Padang")
			}
		})
	}
}
