package demosite

// The vocabulary and sentence templates the generated articles are made
// of. Everything here is read-only; placeholders in braces are filled by
// writer.expand.

// actor is a person who speaks in an article: full is how the lead names
// them, short how later paragraphs and quotes do.
type actor struct {
	full, short string
}

var actors = []actor{
	{"Wali Kota Sawahlunto Deri Asta", "Deri Asta"},
	{"Wali Kota Sawahlunto, Deri Asta", "Wali Kota"},
	{"Wakil Wali Kota Sawahlunto Hendra Saputra", "Hendra Saputra"},
	{"Sekretaris Daerah Kota Sawahlunto Ambun Suri", "Ambun Suri"},
	{"Asisten Perekonomian dan Pembangunan Setdako Sawahlunto Irwan Setiadi", "Irwan"},
	{"Ketua DPRD Kota Sawahlunto Eko Purwanto", "Eko Purwanto"},
}

// topic is one subject area: its category, tags and the phrases its
// articles are made of.
type topic struct {
	category     int // index into categories
	agency       string
	head         actor // the agency's head, who is quoted
	tags         []string
	events       []string // noun phrases: what happened
	titles       []string // title templates
	goals        []string // verb phrases: what it is for
	participants []string
	quotes       []string // sentences without the final period
	captions     []string // real photo captions
}

// category is a WordPress category.
type category struct {
	id         int
	name, slug string
}

var categories = []category{
	{2, "Kabar Pemerintah", "kabar-pemerintah"},
	{3, "Pariwisata", "pariwisata"},
	{4, "Ekonomi", "ekonomi"},
	{5, "Pendidikan", "pendidikan"},
	{6, "Kesehatan", "kesehatan"},
	{7, "Infrastruktur", "infrastruktur"},
	{8, "Kebencanaan", "kebencanaan"},
	{9, "Sosial Budaya", "sosial-budaya"},
}

const catKabarPemerintah = 0

var topics = []topic{
	{
		category: 1,
		agency:   "Dinas Pariwisata, Pemuda dan Olahraga",
		head:     actor{"Kepala Dinas Pariwisata, Pemuda dan Olahraga Efriyanti Marlis", "Efriyanti"},
		tags:     []string{"Pariwisata", "Wisata Tambang", "Festival"},
		events: []string{
			"Sawahlunto International Music Festival (SIMFes)",
			"Festival Songket Silungkang",
			"Pekan Budaya Tambang",
			"Parade Budaya Nusantara",
			"lomba foto objek wisata sejarah",
			"pembukaan kembali Lubang Tambang Mbah Soero bagi wisatawan",
			"penataan kawasan wisata Danau Kandi",
			"Sawahlunto Heritage Run",
		},
		titles: []string{
			"Wali Kota Sawahlunto Buka {Event} {year}",
			"{Event} Tarik Ribuan Pengunjung ke Sawahlunto",
			"Pemkot Sawahlunto Gelar {Event} di {Venue}",
			"Kunjungan Wisatawan ke {Venue} Meningkat Jelang Libur Panjang",
			"{Event} Jadi Magnet Wisata Kota Tambang",
		},
		goals: []string{
			"meningkatkan jumlah kunjungan wisatawan ke Kota Sawahlunto",
			"memperkenalkan Warisan Tambang Batubara Ombilin kepada generasi muda",
			"menggerakkan ekonomi masyarakat di sekitar objek wisata",
			"menjadikan Sawahlunto sebagai kota wisata tambang yang berbudaya",
		},
		participants: []string{"seniman", "pelaku wisata", "peserta", "pemandu wisata"},
		quotes: []string{
			"Kami ingin wisatawan yang datang tidak hanya berfoto, tetapi juga tinggal lebih lama dan berbelanja produk lokal",
			"Sejak ditetapkan sebagai Warisan Dunia oleh UNESCO, perhatian terhadap Sawahlunto terus meningkat",
			"Kegiatan ini kami rancang bersama komunitas agar manfaatnya langsung dirasakan masyarakat",
			"Kami mengajak para pelaku usaha wisata untuk menjaga kebersihan dan keramahan",
		},
		captions: []string{
			"Wali Kota Sawahlunto membuka festival di Lapangan Segitiga",
			"Pengunjung memadati kawasan Lubang Tambang Mbah Soero",
			"Penampilan seniman pada malam pembukaan festival",
			"Suasana Danau Kandi pada akhir pekan",
			"Wisatawan berfoto di depan Museum Goedang Ransoem",
		},
	},
	{
		category: 2,
		agency:   "Dinas Perindustrian, Perdagangan dan Koperasi",
		head:     actor{"Kepala Dinas Perindustrian, Perdagangan dan Koperasi (Disperindagkop) Mukhsis", "Mukhsis"},
		tags:     []string{"UMKM", "IKM", "Ekonomi Kreatif"},
		events: []string{
			"pelatihan pemasaran digital bagi pelaku UMKM",
			"bazar produk UMKM",
			"penyaluran bantuan modal usaha mikro",
			"fasilitasi sertifikasi halal produk makanan ringan",
			"pasar murah menjelang Ramadan",
			"temu bisnis IKM dengan pembeli dari Padang dan Pekanbaru",
		},
		titles: []string{
			"Pemkot Sawahlunto Gelar {Event}",
			"Ratusan Pelaku UMKM Ikuti {Event}",
			"Disperindagkop Sawahlunto Dorong UMKM Naik Kelas",
			"{Event} Digelar di {Venue}",
		},
		goals: []string{
			"membantu pelaku UMKM memperluas pasar produknya",
			"memperkuat daya saing produk industri kecil menengah",
			"menjaga stabilitas harga kebutuhan pokok di tengah masyarakat",
			"mendorong tumbuhnya wirausaha baru di Kota Sawahlunto",
		},
		participants: []string{"pelaku UMKM", "perajin", "pedagang", "pelaku IKM"},
		quotes: []string{
			"Produk UMKM Sawahlunto sebenarnya sudah bagus, yang perlu kita perkuat adalah kemasan dan pemasarannya",
			"Kami akan terus mendampingi pelaku usaha sampai produknya bisa masuk ke pasar modern",
			"Pasar murah ini kami gelar agar masyarakat bisa membeli kebutuhan pokok dengan harga terjangkau",
			"Sertifikat halal menjadi syarat penting agar produk bisa dipasarkan lebih luas",
		},
		captions: []string{
			"Pelaku UMKM memamerkan produk makanan ringan khas Sawahlunto",
			"Warga berbelanja di pasar murah",
			"Peserta mengikuti pelatihan pemasaran digital",
		},
	},
	{
		category: 7,
		agency:   "Dinas Pendidikan dan Kebudayaan",
		head:     actor{"Kepala Bidang Kebudayaan Nurhayati", "Nurhayati"},
		tags:     []string{"Songket Silungkang", "Tenun", "Budaya"},
		events: []string{
			"pameran songket Silungkang",
			"pelatihan menenun bagi generasi muda Silungkang",
			"peluncuran motif songket baru khas Sawahlunto",
			"lomba busana songket tingkat pelajar",
			"pendaftaran kekayaan intelektual komunal songket Silungkang",
		},
		titles: []string{
			"Songket Silungkang Tampil di {Event}",
			"Generasi Muda Silungkang Ikuti {Event}",
			"Pemkot Sawahlunto Lestarikan Tenun Melalui {Event}",
			"{Event} Digelar di Silungkang",
		},
		goals: []string{
			"melestarikan tradisi tenun songket Silungkang",
			"menyiapkan regenerasi penenun di Kecamatan Silungkang",
			"meningkatkan nilai jual kain songket",
		},
		participants: []string{"penenun", "pelajar", "perajin songket"},
		quotes: []string{
			"Songket Silungkang adalah identitas kita, jangan sampai hanya tinggal cerita",
			"Penenun muda harus diberi ruang dan pasar agar mereka bertahan",
			"Setiap motif punya makna dan sejarahnya sendiri",
		},
		captions: []string{
			"Penenun Silungkang menyelesaikan kain songket",
			"Peserta lomba busana songket di atas panggung",
			"Motif baru songket Silungkang dipamerkan",
		},
	},
	{
		category: 2,
		agency:   "Dinas Lingkungan Hidup",
		head:     actor{"Kepala Dinas Lingkungan Hidup Syafrizal", "Syafrizal"},
		tags:     []string{"Tambang Batubara", "WTBOS", "Reklamasi"},
		events: []string{
			"reklamasi lahan bekas tambang batubara di Kandi",
			"sosialisasi keselamatan kerja tambang rakyat",
			"penanaman pohon di lahan bekas tambang",
			"rapat koordinasi pengelolaan Warisan Tambang Batubara Ombilin (WTBOS)",
			"penertiban tambang batubara tanpa izin",
		},
		titles: []string{
			"Pemkot Sawahlunto Lakukan {Event}",
			"{Event} Terus Dilanjutkan",
			"Wali Kota Hadiri {Event}",
			"Lahan Bekas Tambang di {Venue} Disulap Jadi Kawasan Hijau",
		},
		goals: []string{
			"memulihkan lingkungan bekas tambang batubara",
			"menjaga status Warisan Dunia UNESCO yang disandang Sawahlunto",
			"mencegah kecelakaan di lubang tambang rakyat",
		},
		participants: []string{"penambang", "relawan", "pelajar", "anggota komunitas pecinta alam"},
		quotes: []string{
			"Sawahlunto lahir dari tambang, dan kita wajib merawat lingkungan yang ditinggalkannya",
			"Keselamatan penambang harus menjadi yang utama, tidak ada tawar-menawar",
			"Status warisan dunia membawa tanggung jawab besar bagi kita semua",
		},
		captions: []string{
			"Penanaman pohon di lahan bekas tambang",
			"Lubang tambang lama yang kini menjadi objek wisata",
			"Rapat koordinasi pengelolaan WTBOS",
		},
	},
	{
		category: 3,
		agency:   "Dinas Pendidikan dan Kebudayaan",
		head:     actor{"Kepala Dinas Pendidikan dan Kebudayaan Afrizal Nurdin", "Afrizal"},
		tags:     []string{"Pendidikan", "Sekolah", "Beasiswa"},
		events: []string{
			"penerimaan peserta didik baru (PPDB)",
			"penyerahan beasiswa bagi mahasiswa berprestasi",
			"rehabilitasi gedung SD Negeri 12 Talawi",
			"lomba cerdas cermat tingkat SMP",
			"pelatihan guru penggerak",
			"gerakan literasi sekolah",
		},
		titles: []string{
			"Dinas Pendidikan Sawahlunto Gelar {Event}",
			"{Event} Tahun {year} Resmi Dibuka",
			"Wawako Sawahlunto Serahkan Beasiswa kepada {n} Mahasiswa",
			"{Event} di {Venue} Berjalan Lancar",
		},
		goals: []string{
			"meningkatkan mutu pendidikan di Kota Sawahlunto",
			"memastikan tidak ada anak usia sekolah yang putus sekolah",
			"menumbuhkan minat baca di kalangan pelajar",
		},
		participants: []string{"pelajar", "guru", "mahasiswa", "kepala sekolah"},
		quotes: []string{
			"Pendidikan adalah investasi jangka panjang, hasilnya baru terlihat sepuluh atau dua puluh tahun lagi",
			"Kami tidak ingin ada anak Sawahlunto yang berhenti sekolah karena biaya",
			"Guru adalah kunci, maka peningkatan kapasitas guru terus kami lakukan",
		},
		captions: []string{
			"Pelajar mengikuti lomba cerdas cermat",
			"Penyerahan beasiswa secara simbolis",
			"Gedung sekolah yang selesai direhabilitasi",
		},
	},
	{
		category: 4,
		agency:   "Dinas Kesehatan",
		head:     actor{"Kepala Dinas Kesehatan Nova Lindawati", "Nova Lindawati"},
		tags:     []string{"Kesehatan", "Stunting", "Posyandu"},
		events: []string{
			"vaksinasi COVID-19 massal",
			"gerakan penanganan stunting",
			"pemeriksaan kesehatan gratis bagi lansia",
			"pencegahan demam berdarah dengue",
			"pekan imunisasi nasional",
			"peresmian Puskesmas Muaro Kalaban",
		},
		titles: []string{
			"Dinkes Sawahlunto Gencarkan {Event}",
			"{Event} Sasar Warga {Venue}",
			"Angka Stunting di Sawahlunto Turun",
			"Pemkot Sawahlunto Gelar {Event}",
		},
		goals: []string{
			"menurunkan angka stunting di Kota Sawahlunto",
			"meningkatkan derajat kesehatan masyarakat",
			"memutus rantai penularan penyakit",
		},
		participants: []string{"warga", "balita", "lansia", "kader posyandu", "tenaga kesehatan"},
		quotes: []string{
			"Kami minta para kader posyandu aktif mendatangi rumah warga yang belum datang",
			"Pencegahan jauh lebih murah daripada pengobatan",
			"Target kami, tidak ada lagi balita stunting di Sawahlunto",
		},
		captions: []string{
			"Petugas kesehatan memeriksa warga lanjut usia",
			"Balita ditimbang di posyandu",
			"Vaksinasi massal di gedung pertemuan",
		},
	},
	{
		category: 5,
		agency:   "Dinas Pekerjaan Umum dan Penataan Ruang",
		head:     actor{"Kepala Dinas PUPR Yudi Hartono", "Yudi Hartono"},
		tags:     []string{"Infrastruktur", "Jalan", "PUPR"},
		events: []string{
			"pembangunan jalan lingkar Sawahlunto",
			"pengaspalan jalan di Desa Rantih",
			"perbaikan jembatan Muaro Kalaban",
			"pelebaran ruas jalan Talawi–Kolok",
			"pembangunan drainase di pusat kota",
		},
		titles: []string{
			"Wali Kota Tinjau {Event}",
			"{Event} Ditargetkan Rampung Akhir {year}",
			"Pemkot Sawahlunto Lanjutkan {Event}",
			"Warga {Venue} Sambut Baik {Event}",
		},
		goals: []string{
			"memperlancar arus transportasi dan distribusi barang",
			"membuka akses ekonomi bagi warga di desa-desa",
			"mengurangi genangan air saat musim hujan",
		},
		participants: []string{"pekerja", "warga", "tokoh masyarakat"},
		quotes: []string{
			"Kami minta kontraktor bekerja sesuai spesifikasi dan selesai tepat waktu",
			"Jalan yang bagus akan membuat ekonomi warga ikut bergerak",
			"Pengawasan akan kami lakukan setiap minggu di lapangan",
		},
		captions: []string{
			"Wali Kota meninjau pengerjaan jalan",
			"Alat berat mengaspal ruas jalan desa",
			"Jembatan yang selesai diperbaiki",
		},
	},
	{
		category: 6,
		agency:   "Badan Penanggulangan Bencana Daerah (BPBD)",
		head:     actor{"Kepala Pelaksana BPBD Rahmat Hidayat", "Rahmat Hidayat"},
		tags:     []string{"Banjir", "BPBD", "Bencana"},
		events: []string{
			"penanganan banjir yang merendam rumah warga",
			"penyaluran bantuan bagi korban banjir",
			"pembersihan material longsor di ruas jalan Sawahlunto–Solok",
			"simulasi tanggap darurat bencana",
			"pendirian dapur umum bagi warga terdampak",
		},
		titles: []string{
			"Wali Kota Tinjau Lokasi Banjir di {Venue}",
			"BPBD Sawahlunto Lakukan {Event}",
			"Pemkot Sawahlunto Salurkan Bantuan untuk Korban Banjir di {Venue}",
			"{Event} Dilakukan Sejak Pagi",
		},
		goals: []string{
			"memastikan kebutuhan dasar warga terdampak terpenuhi",
			"meningkatkan kesiapsiagaan masyarakat menghadapi bencana",
			"memulihkan akses jalan secepatnya",
		},
		participants: []string{"kepala keluarga", "relawan", "personel gabungan", "warga terdampak"},
		quotes: []string{
			"Yang terpenting saat ini adalah keselamatan warga, kerugian materi bisa kita tangani bersama",
			"Kami minta warga yang tinggal di bantaran sungai tetap waspada selama curah hujan masih tinggi",
			"Bantuan logistik sudah kami salurkan dan dapur umum beroperasi sejak malam tadi",
		},
		captions: []string{
			"Wali Kota meninjau lokasi banjir di Talawi",
			"Petugas BPBD membersihkan material longsor",
			"Warga menerima bantuan logistik",
			"Dapur umum untuk warga terdampak banjir",
		},
	},
	{
		category: 0,
		agency:   "Badan Pengelolaan Keuangan dan Aset Daerah (BPKAD)",
		head:     actor{"Kepala BPKAD Kota Sawahlunto Dewi Anggraini", "Dewi Anggraini"},
		tags:     []string{"APBD", "DPRD", "Keuangan Daerah"},
		events: []string{
			"penyerahan Ranperda APBD tahun anggaran {nextyear}",
			"rapat paripurna DPRD tentang pertanggungjawaban pelaksanaan APBD",
			"Musyawarah Perencanaan Pembangunan (Musrenbang) tingkat kota",
			"penandatanganan kesepakatan KUA-PPAS",
			"penyerahan Laporan Keuangan Pemerintah Daerah kepada BPK",
		},
		titles: []string{
			"Pemkot & DPRD Sawahlunto Sepakati {Event}",
			"Wali Kota Sampaikan {Event}",
			"Sawahlunto Gelar {Event}",
			"APBD Sawahlunto {nextyear} Fokus pada Pemulihan Ekonomi",
		},
		goals: []string{
			"memastikan anggaran daerah tepat sasaran",
			"menyelaraskan program pembangunan dengan kebutuhan masyarakat",
			"menjaga predikat Wajar Tanpa Pengecualian (WTP)",
		},
		participants: []string{"anggota DPRD", "kepala OPD", "camat", "lurah dan kepala desa"},
		quotes: []string{
			"Setiap rupiah dalam APBD harus bisa dipertanggungjawabkan kepada masyarakat",
			"Prioritas kita tetap pendidikan, kesehatan dan infrastruktur dasar",
			"Kami berterima kasih kepada DPRD atas pembahasan yang konstruktif",
		},
		captions: []string{
			"Rapat paripurna DPRD Kota Sawahlunto",
			"Penandatanganan nota kesepakatan",
			"Suasana Musrenbang tingkat kota",
		},
	},
	{
		category: 0,
		agency:   "Dinas Sosial",
		head:     actor{"Kepala Dinas Sosial Marlina", "Marlina"},
		tags:     []string{"Bantuan Sosial", "Kemiskinan"},
		events: []string{
			"penyaluran bantuan sosial tunai",
			"bedah rumah tidak layak huni",
			"pendataan keluarga penerima manfaat",
			"santunan bagi anak yatim",
		},
		titles: []string{
			"Pemkot Sawahlunto Lanjutkan {Event}",
			"{n} Keluarga di {Venue} Terima Bantuan",
			"Wali Kota Serahkan {Event}",
		},
		goals: []string{
			"meringankan beban keluarga kurang mampu",
			"memastikan bantuan tepat sasaran",
			"menurunkan angka kemiskinan di Kota Sawahlunto",
		},
		participants: []string{"keluarga penerima manfaat", "warga", "anak yatim"},
		quotes: []string{
			"Kami pastikan tidak ada potongan apa pun, bantuan diterima utuh oleh warga",
			"Data penerima terus kami perbarui agar tidak ada yang tertinggal",
		},
		captions: []string{
			"Penyerahan bantuan secara simbolis",
			"Rumah warga yang selesai dibedah",
		},
	},
}

var venues = []string{
	"Talawi", "Silungkang", "Barangin", "Lembah Segar", "Kandi", "Muaro Kalaban",
	"Kubang", "Santur", "Desa Rantih", "Desa Sijantang", "Lapangan Segitiga",
	"Gedung Pusat Kebudayaan", "Museum Goedang Ransoem", "Lubang Tambang Mbah Soero",
	"Taman Wisata Kandi", "Balai Kota Sawahlunto", "Gedung DPRD Kota Sawahlunto",
}

var kecamatan = []string{"Talawi", "Silungkang", "Barangin", "Lembah Segar"}

var attendees = []string{
	"Kapolres Sawahlunto", "Dandim 0310/SSD", "Ketua TP-PKK Kota Sawahlunto",
	"Kepala Kejaksaan Negeri Sawahlunto", "para camat", "sejumlah tokoh masyarakat",
	"Ketua LKAAM Kota Sawahlunto", "perwakilan Bank Nagari",
}

// Generic sentence templates; {short} is the quoted person, {event} the
// article's event, {goal} one of the topic's goals.
var sentences = []string{
	"{Short} mengatakan, {event} merupakan bagian dari upaya Pemerintah Kota Sawahlunto untuk {goal}.",
	"Menurut {short}, kegiatan ini diharapkan mampu {goal}.",
	"Kegiatan yang berlangsung selama {k} hari tersebut diikuti oleh {n} {participants} dari {kec} kecamatan di Kota Sawahlunto.",
	"Untuk mendukung kegiatan itu, Pemerintah Kota Sawahlunto mengalokasikan anggaran sebesar {money} dari APBD tahun {year}.",
	"Turut hadir dalam kesempatan itu {attendee}, {attendee2} serta sejumlah kepala organisasi perangkat daerah (OPD).",
	"Ia juga mengajak seluruh lapisan masyarakat untuk ikut mendukung kegiatan tersebut agar berjalan dengan baik.",
	"{Agency} mencatat, hingga akhir {month} {year} capaian program tersebut telah mencapai {pct} persen dari target.",
	"Selain di {venue}, kegiatan serupa juga akan dilaksanakan di {venue2} dalam waktu dekat.",
	"Pada tahun sebelumnya, kegiatan yang sama diikuti oleh {n2} {participants}.",
	"Ia menambahkan, pemerintah daerah akan terus berkoordinasi dengan pemerintah provinsi dan pusat agar program ini berkelanjutan.",
	"Sejumlah warga mengaku senang dengan adanya kegiatan tersebut.",
	"Kegiatan ditutup dengan penyerahan cendera mata dan foto bersama.",
	"Acara dilanjutkan usai salat Jum’at di Masjid Agung Nurul Islam.",
	"Untuk tahap berikutnya, kegiatan akan difokuskan di Kecamatan {kecamatan}.",
	"Informasi kegiatan juga disebarkan melalui akun media sosial resmi Pemkot Sawahlunto & kanal Diskominfo.",
	"Pelaksanaannya melibatkan {agency} serta unsur TNI dan Polri.",
	"Dalam kesempatan itu, {short} juga menyampaikan apresiasi kepada semua pihak yang telah membantu terselenggaranya kegiatan.",
	"Ke depan, {agency} menargetkan jumlah {participants} yang terlibat bisa meningkat hingga {pct} persen.",
	"Program ini sejalan dengan visi Kota Sawahlunto sebagai kota wisata tambang yang berbudaya.",
	"Evaluasi pelaksanaan kegiatan akan dilakukan pada akhir tahun {year} bersama seluruh OPD terkait.",
	"Sebelumnya, persiapan kegiatan telah dibahas dalam rapat koordinasi di Balai Kota Sawahlunto.",
	"Para {participants} tampak antusias mengikuti setiap rangkaian acara hingga selesai.",
	"Pemerintah kota juga menyiapkan posko informasi bagi warga yang membutuhkan penjelasan lebih lanjut.",
	"Menurutnya, capaian tersebut tidak lepas dari kerja sama yang baik antara pemerintah, dunia usaha dan masyarakat.",
	"Kegiatan serupa pernah digelar pada tahun {prevyear} dan mendapat sambutan positif dari masyarakat.",
	"Anggaran kegiatan bersumber dari dana alokasi khusus (DAK) dan APBD Kota Sawahlunto.",
	"Warga yang ingin mendapatkan informasi lebih lanjut dapat menghubungi kantor {agency} pada jam kerja.",
	"{Short} berharap kegiatan ini dapat menjadi contoh bagi daerah lain di Sumatera Barat.",
}

var leads = []string{
	"{actor} membuka secara resmi {event} di {venue}, {dayname} ({dm}).",
	"Pemerintah Kota Sawahlunto melalui {agency} menggelar {event} di {venue}, {dayname} ({dm}).",
	"Sebanyak {n} {participants} mengikuti {event} yang digelar {agency} di {venue}, {dayname} ({dm}).",
	"{actor} meninjau langsung pelaksanaan {event} di {venue}, {dayname} ({dm}) pagi.",
	"{actor} menghadiri {event} yang dipusatkan di {venue}, {dayname} {date}.",
	"{agency} Kota Sawahlunto memulai {event} di {venue} sejak {dayname} ({dm}).",
	"Ratusan warga memadati {venue} untuk mengikuti {event}, {dayname} ({dm}).",
}

var quoteTails = []string{
	"kata {short}.",
	"ujar {short}.",
	"kata {short} menjelaskan.",
	"ungkap {short}.",
	"tambahnya.",
	"jelas {short} di sela kegiatan tersebut.",
}

var genericQuotes = []string{
	"Kami berharap kegiatan ini bisa terus dilaksanakan setiap tahun",
	"Pemerintah tidak bisa bekerja sendiri, dukungan masyarakat sangat kami butuhkan",
	"Ini adalah komitmen kami untuk terus hadir di tengah masyarakat",
	"Semua pihak harus bergandeng tangan agar hasilnya maksimal",
	"Kami akan mengevaluasi pelaksanaannya agar tahun depan lebih baik lagi",
}

var authors = []string{"Humas Sawahlunto", "Humas Sawahlunto", "Humas Sawahlunto", "admin", "Diskominfo Sawahlunto"}

var editors = []string{"Ranti Oktavia", "Yusrizal", "Fadli Rahman", "Sri Wahyuni"}

var credits = []string{"(ril/hms)", "(hms)", "(ril/ris1)", "(***)", "(kominfo)"}

var agendaPariwisata = []string{
	"Festival Songket Silungkang – Agustus",
	"Sawahlunto International Music Festival – Oktober",
	"Tour de Singkarak etape Sawahlunto – November",
	"Pekan Budaya Tambang – Desember",
}

var monthsID = []string{"", "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}

var daysID = []string{"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"}
