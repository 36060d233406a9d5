package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The interface languages: Indonesian (the default) and English.
const (
	langID = "id"
	langEN = "en"
)

// langCookie remembers the ?lang= switch.
const langCookie = "warta_lang"

// messages holds the interface text, Indonesian first, then English.
var messages = map[string][2]string{
	"search":             {"Cari", "Search"},
	"compare":            {"Bandingkan", "Compare"},
	"crawl_now":          {"Rayapi sekarang", "Crawl now"},
	"crawl_running":      {"Sedang merayapi…", "Crawl running…"},
	"crawl_started":      {"Perayapan dimulai; muat ulang halaman ini untuk melihatnya.", "The crawl has started; reload this page to follow it."},
	"compare_help":       {"Hingga lima kueri dalam satu grafik, per hari, minggu, bulan atau tahun; sebagai jumlah atau sebagai pangsa dari semua artikel yang diarsipkan pada periode itu.", "Up to five queries on one chart, per day, week, month or year; as counts or as a share of all articles archived in that period."},
	"query_n":            {"Kueri", "Query"},
	"period":             {"Periode", "Period"},
	"by_auto":            {"otomatis", "automatic"},
	"by_day":             {"hari", "day"},
	"by_week":            {"minggu", "week"},
	"by_month":           {"bulan", "month"},
	"by_year":            {"tahun", "year"},
	"as_share":           {"Pangsa dari semua artikel", "Share of all articles"},
	"all_archived":       {"semua diarsipkan", "all archived"},
	"articles_per_day":   {"artikel per hari", "articles per day"},
	"articles_per_week":  {"artikel per minggu", "articles per week"},
	"articles_per_month": {"artikel per bulan", "articles per month"},
	"articles_per_year":  {"artikel per tahun", "articles per year"},
	"share_per_day":      {"pangsa dari semua artikel, per hari", "share of all articles, per day"},
	"share_per_week":     {"pangsa dari semua artikel, per minggu", "share of all articles, per week"},
	"share_per_month":    {"pangsa dari semua artikel, per bulan", "share of all articles, per month"},
	"share_per_year":     {"pangsa dari semua artikel, per tahun", "share of all articles, per year"},
	"download_svg":       {"Grafik (SVG)", "Chart (SVG)"},
	"compare_empty":      {"Tulis satu kueri atau lebih, lalu tekan Bandingkan.", "Write one query or more, then press Compare."},
	"breakdown":          {"Rincian hasil", "Breakdown"},
	"facet_category":     {"Kategori", "Category"},
	"facet_tag":          {"Tag", "Tag"},
	"facet_place":        {"Tempat", "Place"},
	"facet_author":       {"Penulis", "Author"},
	"facet_site":         {"Situs", "Site"},
	"all_categories":     {"Semua kategori", "All categories"},
	"fields":             {"Field", "Fields"},
	"compare_these":      {"Bandingkan per waktu", "Compare over time"},
	"status":             {"Status", "Status"},
	"tagline":            {"Arsip berita daerah Indonesia", "An archive of Indonesian regional news"},
	"query_placeholder":  {"mis. banjir OR longsor, \"dinas pariwisata\", title:tambang*", "e.g. banjir OR longsor, \"dinas pariwisata\", title:tambang*"},
	"query_help":         {"Bahasa kueri: kata (semua harus cocok), \"frasa\", OR, NOT, (kurung), field:nilai, awalan*, published:[2021-01-01 TO 2021-12-31].", "Query language: words (all must match), \"phrases\", OR, NOT, (parentheses), field:value, prefix*, published:[2021-01-01 TO 2021-12-31]."},
	"site":               {"Situs", "Site"},
	"all_sites":          {"Semua situs", "All sites"},
	"category":           {"Kategori", "Category"},
	"from":               {"Dari", "From"},
	"to":                 {"Sampai", "To"},
	"sort":               {"Urutan", "Sort"},
	"relevance":          {"Relevansi", "Relevance"},
	"date":               {"Tanggal", "Date"},
	"newest":             {"Terbaru", "Newest"},
	"results":            {"hasil", "results"},
	"result_one":         {"hasil", "result"},
	"no_results":         {"Tidak ada artikel yang cocok.", "No article matches."},
	"showing":            {"Menampilkan", "Showing"},
	"prev":               {"« Sebelumnya", "« Previous"},
	"next":               {"Berikutnya »", "Next »"},
	"export":             {"Ekspor hasil", "Export results"},
	"over_time":          {"Artikel yang cocok per waktu", "Matching articles over time"},
	"chart_hint":         {"Klik batang untuk mempersempit rentang tanggal.", "Click a bar to narrow the date range."},
	"undated":            {"tanpa tanggal", "undated"},
	"clear_dates":        {"Hapus filter tanggal", "Clear the date filter"},
	"bad_request":        {"Permintaan tidak valid", "Bad request"},
	"not_found":          {"Tidak ditemukan", "Not found"},
	"busy":               {"Sedang sibuk: terlalu banyak pencarian sekaligus, coba lagi sebentar lagi.", "Busy: too many searches at once, try again in a moment."},
	"error":              {"Terjadi kesalahan", "Something went wrong"},
	"back_to_search":     {"Kembali ke pencarian", "Back to search"},
	"published":          {"Terbit", "Published"},
	"modified":           {"Diubah", "Modified"},
	"date_source":        {"Sumber tanggal", "Date source"},
	"author":             {"Penulis", "Author"},
	"dateline":           {"Dateline", "Dateline"},
	"categories":         {"Kategori", "Categories"},
	"tags":               {"Tag", "Tags"},
	"original":           {"Halaman asli", "Original page"},
	"fetched_at":         {"Diambil", "Fetched"},
	"extractor":          {"Ekstraktor", "Extractor"},
	"language":           {"Bahasa", "Language"},
	"content_hash":       {"Hash isi", "Content hash"},
	"gallery":            {"Galeri", "Gallery"},
	"not_archived":       {"gambar tidak ada di arsip", "image not in the archive"},
	"more_images":        {"gambar lainnya tidak ditampilkan", "more images not shown"},
	"metadata":           {"Metadata", "Metadata"},
	"versions":           {"Versi", "Versions"},
	"version":            {"Versi", "Version"},
	"latest":             {"terbaru", "latest"},
	"source_crawl":       {"dari perayapan warta", "from warta's crawl"},
	"source_archive":     {"dari arsip web", "from the web archive"},
	"one_version":        {"Artikel ini belum pernah berubah sejak diarsipkan.", "This article has not changed since it was archived."},
	"changes_from":       {"Perubahan dari versi", "Changes from version"},
	"no_text_change":     {"Teks tidak berubah (perubahan pada metadata).", "The text did not change (a metadata change)."},
	"older_diffs":        {"versi lama lainnya tanpa diff", "older versions without a diff"},
	"archived_page":      {"Halaman arsip", "Archived page"},
	"archived_note":      {"Halaman seperti yang diarsipkan (WARC), dibersihkan dan ditampilkan dalam sandbox: skripnya tidak dijalankan.", "The page as archived (WARC), sanitized and shown in a sandbox: its scripts do not run."},
	"open_replay":        {"Buka halaman arsip", "Open the archived page"},
	"no_capture":         {"Halaman ini tidak ada di arsip WARC.", "This page is not in the WARC archive."},
	"json":               {"JSON", "JSON"},
	"articles":           {"Artikel", "Articles"},
	"last_success":       {"Sukses terakhir", "Last success"},
	"started":            {"Mulai", "Started"},
	"duration":           {"Durasi", "Duration"},
	"trigger":            {"Pemicu", "Trigger"},
	"pages":              {"Halaman", "Pages"},
	"new":                {"Baru", "New"},
	"changed":            {"Berubah", "Changed"},
	"errors":             {"Galat", "Errors"},
	"never":              {"belum pernah", "never"},
	"no_runs":            {"Belum ada catatan jalan.", "No runs recorded yet."},
	"filter":             {"Terapkan", "Apply"},
	"api":                {"API JSON", "JSON API"},
	"search_in_site":     {"Cari di situs ini", "Search this site"},
}

// tr returns the text of key in lang; an unknown key is returned as is,
// so a missing translation shows rather than hides.
func tr(lang, key string) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	if lang == langEN {
		return m[1]
	}
	return m[0]
}

// pickLang chooses the interface language of a request: ?lang=, then the
// cookie the switch set, then Accept-Language, then Indonesian.
func pickLang(r *http.Request) (lang string, fromQuery bool) {
	if l := r.URL.Query().Get("lang"); l == langID || l == langEN {
		return l, true
	}
	if c, err := r.Cookie(langCookie); err == nil && (c.Value == langID || c.Value == langEN) {
		return c.Value, false
	}
	return acceptLanguage(r.Header.Get("Accept-Language")), false
}

// acceptLanguage returns the first of id and en that the header prefers,
// by q-value; Indonesian when it names neither.
func acceptLanguage(h string) string {
	best, bestQ := langID, -1.0
	for i, part := range strings.Split(h, ",") {
		if i > 32 {
			break
		}
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		tag = strings.ToLower(strings.TrimSpace(tag))
		primary, _, _ := strings.Cut(tag, "-")
		var lang string
		switch primary {
		case "id", "in": // "in" is the old code for Indonesian
			lang = langID
		case "en":
			lang = langEN
		default:
			continue
		}
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		if q > bestQ {
			best, bestQ = lang, q
		}
	}
	if bestQ <= 0 {
		return langID
	}
	return best
}

var monthNames = [2][12]string{
	{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"},
	{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
}

var monthShort = [2][12]string{
	{"Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"},
	{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
}

func langIndex(lang string) int {
	if lang == langEN {
		return 1
	}
	return 0
}

// formatDate prints an RFC 3339 time as a reader expects it, in the zone
// it was written in: "23 Desember 2021" or "23 December 2021", with the
// time of day when withTime is set. Text that is not a time is returned
// as is.
func formatDate(lang, s string, withTime bool) string {
	if s == "" {
		return ""
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	out := fmt.Sprintf("%d %s %d", t.Day(), monthNames[langIndex(lang)][t.Month()-1], t.Year())
	if withTime {
		out += " " + t.Format("15:04") + " " + zoneName(t)
	}
	return out
}

// zoneName names Indonesia's zones as readers know them, and others by
// their offset.
func zoneName(t time.Time) string {
	_, off := t.Zone()
	switch off {
	case 7 * 3600:
		return "WIB"
	case 8 * 3600:
		return "WITA"
	case 9 * 3600:
		return "WIT"
	case 0:
		return "UTC"
	}
	return t.Format("-07:00")
}

// bucketLabel prints a count bucket's key (2021, 2021-12, 2021-12-23)
// shortly, for the chart.
func bucketLabel(lang, key string) string {
	switch len(key) {
	case 7:
		if t, err := time.Parse("2006-01", key); err == nil {
			return fmt.Sprintf("%s %d", monthShort[langIndex(lang)][t.Month()-1], t.Year())
		}
	case 10:
		if t, err := time.Parse("2006-01-02", key); err == nil {
			return fmt.Sprintf("%d %s %d", t.Day(), monthShort[langIndex(lang)][t.Month()-1], t.Year())
		}
	}
	return key
}
