package demosite

// The seed article: a real article of the Sawahlunto city portal (2021),
// its body and slide titles kept verbatim from a scrape of the page.

const (
	seedTitle = "Wali Kota Sawahlunto Temui Dirjen IKMA Kemenperin, Minta Dukungan Sentra IKM dan UPTD Tekstil"
	seedSlug  = "wali-kota-sawahlunto-temui-dirjen-ikma-kemenperin"
)

var seedParagraphs = []string{
	"SAWAHLUNTO – Wali Kota Sawahlunto, Deri Asta menemui Direktur Jenderal Industri Kecil Menengah dan Aneka (IKMA) Kementerian Perindustrian Reni Yanita, di Jakarta, Rabu 22 Desember 2021 tadi.",
	"Wali Kota Sawahlunto Deri Asta, mengatakan dalam pertemuan itu meminta dukungan kepada Dirjen IKMA untuk keberlanjutan program pengembangan sentra Industri Kecil Menengah (IKM) Pengolahan Makanan Ringan pasca dibangun dan sekaligus meminta dukungan untuk revitalisasi mesin dan peralatan UPTD Tekstil.",
	"“Kami meminta Dirjen IKMA agar dapat mendukung itu melalui Dana Alokasi Khusus (DAK) terutama untuk peningkatan kualitas Sumber Daya Manusia (SDM) pengelola sentra maupun untuk peningkatan kapasitas kelembagaan Industri Kecil Menengah (IKM) yang berada didalam sentra ini,” kata Wali Kota.",
	"Wali Kota Deri Asta menyebut, keberadaaan sentra Industri Kecil Menengah (IKM) Pengolahan Makanan Ringan dan UPTD Tekstil itu akan sangat strategis sekali dalam percepatan pembangunan IKM Kota Sawahlunto khususnya dalam hal peningkatan kualitas dan daya saing produk IKM sehingga dapat menjangkau pasar yang lebih luas.",
	"“Kami berterimakasih kepada Dirjen IKMA atas perhatian dan dukungan kepada Kota Sawahlunto selama ini. Dimana Kota Sawahlunto telah menerima dukungan berupa alokasi DAK fisik sebesar Rp24,3 miliar dan non-fisik sebesar Rp2,7 miliar melalui Dirjen IKMA,” ujar Wali Kota menjelaskan.",
	"Kepala Dinas Perindustrian, Perdagangan dan Koperasi (Disperindagkop) Mukhsis, menyebut pembangunan/revitalisasi Sentra IKM Pengolahan Makanan Ringan tahun 2022 akan berfokus pada makanan berbahan ubi dan talas, sayur dan buah, cokelat sampai daging dan ikan.",
	"“Sementara untuk UPTD Tekstil, kita meminta dukungan dari Dirjen IKMA agar menjadi lokomotif peningkatan produksi serta peningkatan kualitas tekstil dan produk tekstil di Sumatera Barat. Seperti produk sepatu, sendal dan tas serta terwujudnya peningkatan kualitas pewarnaan benang bagi kebutuhan tenun,” kata Mukhsis.",
	"Menanggapi permintaan dukungan dari Pemkot Sawahlunto itu Dirjen IKMA Reni Yanita mengatakan pihaknya akan segera menindaklanjuti.",
	"“Berdasarkan eskpose dan usulan dari bapak Wali Kota Sawahlunto dan jajaran beliau tadi, kami menerima dan segera identifikasi untuk tahapan selanjutnya,” kata Reni Yanita.",
}

var seedSlides = []string{
	"267761716_6789951007742747_4961825691446511921_n",
	"268423598_6789950701076111_2558262361436729736_n",
	"268606751_6789951207742727_6640884671915364639_n",
	"268652253_6789950567742791_2280660059619301147_n",
	"268839401_6789949904409524_2659671530365384465_n",
	"269273115_6789950321076149_684109449220087320_n",
	"269278819_6789950187742829_7191578253406082313_n",
	"269499213_6789950837742764_8417337099698687622_n",
	"269644592_6789950054409509_6500898188701867346_n",
}
