package index

import "testing"

// stemCases pairs Indonesian words with the stems the algorithm gives. Some
// stems are not the dictionary root ("seko" for sekolah, "ekonom" for
// ekonomi): the algorithm is dictionary-free and these are its known
// conflations, listed so a change in behaviour shows.
var stemCases = []struct{ word, want string }{
	// The examples of issue 6.
	{"pembangunan", "bangun"},
	{"menindaklanjuti", "tindaklanjut"},
	{"berterimakasih", "terimakasih"},
	{"kebijakannya", "bijak"},
	{"dipangkas", "pangkas"},
	// First-order prefixes, with the nasal's letter restored.
	{"membangun", "bangun"},
	{"dibangun", "bangun"},
	{"bangunan", "bangun"},
	{"menulis", "tulis"},
	{"penulis", "tulis"},
	{"tulisan", "tulis"},
	{"menyapu", "sapu"},
	{"penyapu", "sapu"},
	{"menggunakan", "guna"},
	{"penggunaan", "guna"},
	{"digunakan", "guna"},
	{"menambang", "tambang"},
	{"penambangan", "tambang"},
	{"ditambang", "tambang"},
	{"menerima", "terima"},
	{"penerimaan", "terima"},
	{"diterima", "terima"},
	{"menjadi", "jadi"},
	{"menjadikan", "jadi"},
	{"terjadi", "jadi"},
	{"terbaik", "baik"},
	{"penanganan", "tangan"},
	{"ditangani", "tangan"},
	{"menangani", "tangan"},
	{"penghargaan", "harga"},
	{"menghargai", "harga"},
	{"dihargai", "harga"},
	{"pengumuman", "umum"},
	{"mengumumkan", "umum"},
	{"diumumkan", "umum"},
	{"dilaksanakan", "laksana"},
	{"melaksanakan", "laksana"},
	{"pendidikan", "didik"},
	{"diresmikan", "resmi"},
	{"meresmikan", "resmi"},
	{"membantu", "bantu"},
	{"dibantu", "bantu"},
	{"dipimpin", "pimpin"},
	{"dikunjungi", "kunjung"},
	{"menyosialisasikan", "sosialisasi"},
	{"disosialisasikan", "sosialisasi"},
	{"dikatakan", "kata"},
	// ke-, with the suffixes it allows.
	{"kegiatan", "giat"},
	{"keamanan", "aman"},
	{"kesehatan", "sehat"},
	{"kebersihan", "bersih"},
	{"kemasyarakatan", "masyarakat"},
	{"kepariwisataan", "pariwisata"},
	{"kejadian", "jadi"},
	{"kebersamaan", "sama"},
	{"keberhasilan", "hasil"},
	// Second-order prefixes.
	{"perdagangan", "dagang"},
	{"pertambangan", "tambang"},
	{"pelatihan", "latih"},
	{"bekerja", "kerja"},
	{"pekerja", "kerja"},
	{"pekerjaan", "kerja"},
	{"belajar", "ajar"},
	{"pelajar", "ajar"},
	{"persiapan", "siap"},
	{"mempersiapkan", "siap"},
	{"memperbaiki", "baik"},
	{"diperbaiki", "baik"},
	{"bersama", "sama"},
	{"berhasil", "hasil"},
	{"berkunjung", "kunjung"},
	{"kunjungan", "kunjung"},
	{"pernyataan", "nyata"},
	{"perjalanan", "jalan"},
	{"jalanan", "jalan"},
	{"pertanian", "tani"},
	{"petani", "tani"},
	{"perekonomian", "ekonomi"},
	{"pelaksanaan", "laksana"},
	{"bantuan", "bantu"},
	// Particles and possessives.
	{"bukunya", "buku"},
	{"rumahku", "rumah"},
	{"bukumu", "buku"},
	{"apakah", "apa"},
	{"bacalah", "baca"},
	{"kotanya", "kota"},
	{"ketuanya", "tua"},
	// Words the algorithm leaves alone: two vowels or fewer, no affix,
	// or not plain letters.
	{"tambang", "tambang"},
	{"jalan", "jalan"},
	{"barat", "barat"},
	{"warga", "warga"},
	{"wali", "wali"},
	{"covid", "covid"},
	{"masyarakat", "masyarakat"},
	{"pariwisata", "pariwisata"},
	{"sawahlunto", "sawahlunto"},
	{"silungkang", "silungkang"},
	{"walikota", "walikota"},
	{"daerah", "daerah"},
	{"sumatera", "sumatera"},
	{"sosialisasi", "sosialisasi"},
	{"2021", "2021"},
	{"covid19", "covid19"},
	{"jum'at", "jum'at"},
	{"ombilín", "ombilín"},
	{"", ""},
	// Known conflations of a dictionary-free stemmer.
	{"talawi", "talaw"},
	{"sekolah", "seko"},
	{"masalah", "masa"},
	{"merekapun", "reka"},
	{"ekonomi", "ekonom"},
	{"kepala", "pala"},
	{"ketua", "tua"},
	{"peresmian", "esmi"},
	{"perempuan", "empu"},
	{"pelajaran", "lajar"},
	{"mengatakan", "ata"},
	{"menyatakan", "sata"},
	{"wisatawan", "wisataw"},
	{"terimakasih", "imakasih"},
	{"pemerintah", "erintah"},
	{"pemerintahan", "erintah"},
	{"pemilihan", "ilih"},
	{"memilih", "ilih"},
	{"pemilu", "ilu"},
	{"pemimpin", "impin"},
	{"kepemimpinan", "mimpin"},
	{"pengunjung", "unjung"},
	{"perbaikan", "bai"},
	{"nelayan", "nelay"},
	{"mengunjungi", "unjung"},
}

func TestStem(t *testing.T) {
	if len(stemCases) < 100 {
		t.Fatalf("stemCases has %d words, want at least 100", len(stemCases))
	}
	for _, c := range stemCases {
		t.Run(c.word, func(t *testing.T) {
			if got := stem(c.word); got != c.want {
				t.Errorf("stem(%q) = %q, want %q", c.word, got, c.want)
			}
			in := []byte(c.word)
			stemBytes(in)
			if string(in) != c.word {
				t.Errorf("stemBytes(%q) changed its input to %q", c.word, in)
			}
		})
	}
}

// TestStemRootsMatch checks that the roots the table expects for
// real affixed words do not shrink further when stemmed again, so that a
// query for the root finds the affixed forms.
func TestStemRootsMatch(t *testing.T) {
	for _, c := range []struct{ word, root string }{
		{"pembangunan", "bangun"},
		{"dipangkas", "pangkas"},
		{"kebijakannya", "kebijakan"},
		{"penulis", "tulis"},
		{"pertambangan", "tambang"},
		{"menindaklanjuti", "tindaklanjut"},
	} {
		t.Run(c.word, func(t *testing.T) {
			if got, want := stem(c.word), stem(c.root); got != want {
				t.Errorf("stem(%q) = %q, want stem(%q) = %q", c.word, got, c.root, want)
			}
		})
	}
}

func BenchmarkStem(b *testing.B) {
	words := make([][]byte, len(stemCases))
	for b.Loop() {
		for i, c := range stemCases {
			words[i] = append(words[i][:0], c.word...)
			stemBytes(words[i])
		}
	}
}
