// Indonesian first; English on request. The choice is kept in localStorage.
const TEXT = {
  id: {
    title: "Laporan Warga", connecting: "Menyambung…", live: "Langsung", offline: "Terputus, mencoba lagi…",
    district: "Kecamatan", village: "Kelurahan", category: "Kategori", status: "Status", all: "Semua",
    filters: "Saring laporan", language: "EN — ganti bahasa ke English",
    menu: "Menu", navFeed: "Linimasa", navHome: "Beranda", navPost: "Lapor", navDuty: "Tugas RT/RW",
    navQueue: "Antrian", navVerify: "Verifikasi", navFlags: "Moderasi", navRankings: "Peringkat",
    navInbox: "Notifikasi", unreadCount: "{n} belum dibaca", register: "Daftar",
    waitingToSend: "{n} laporan menunggu dikirim", sending: "Mengirim…",
    signInFirst: "Masuk atau daftar dulu untuk membuka halaman ini.",
    more: "Muat lagi", back: "← Kembali ke linimasa", empty: "Belum ada laporan.", anonymous: "Anonim",
    supports: "dukungan", comments: "komentar", followUps: "Tindak lanjut", timeline: "Riwayat",
    proof: "Foto bukti", overdue: "Lewat tenggat", notFound: "Laporan tidak ditemukan.", reports: "laporan",
    WAITING: "Menunggu", IN_PROGRESS: "Dikerjakan", FOLLOWED_UP: "Ditindaklanjuti", CLOSED: "Selesai",
    REOPENED: "Dibuka kembali", REJECTED: "Ditolak",
    e_CREATED: "Dilaporkan", e_ACKNOWLEDGED: "Diterima petugas", e_FORWARDED: "Diteruskan",
    e_FOLLOWED_UP: "Ditindaklanjuti", e_REOPENED: "Dibuka kembali", e_CLOSED: "Ditutup", e_REJECTED: "Ditolak",
    e_VERIFIED: "Diverifikasi", e_HIDDEN: "Disembunyikan", e_UNHIDDEN: "Ditampilkan lagi",
    e_KEPT: "Aduan ditolak, tetap tampil",
    e_ESCALATED: "Naik ke atasan", e_RATED: "Dinilai pelapor",
    commentsTitle: "Komentar", takenFrom: "Foto bukti diambil {m} m dari lokasi laporan",
    proofDoubtful: "lokasi atau waktu foto tidak cocok dengan laporan",
    rating: "Penilaian pelapor", escalatedTo: "Lewat tenggat, kini ditangani", level: "tingkat",
    r_DUPLICATE: "Ditolak: laporan ganda", r_NOT_OUR_AUTHORITY: "Ditolak: bukan kewenangan pemerintah kota",
    r_NO_ACTION_NEEDED: "Ditolak: tidak perlu tindakan", r_SPAM: "Ditolak: spam", r_OTHER: "Ditolak",
    // Cities
    city: "Kota", allCities: "Semua kota", notPartner: "belum bermitra", due: "Tenggat",
    unhandled: "Belum ditangani: kota belum bermitra", outsideCities: "Di luar wilayah kota mitra",
    unhandledWhy: "{city} belum bermitra dengan Warga: laporan ini terbuka untuk umum, tetapi belum ada petugas "
      + "yang menanganinya dan tidak ada tenggat.",
    outsideWhy: "Lokasi laporan ini di luar kota yang dikenal Warga: laporan ini terbuka untuk umum, tetapi tidak "
      + "ada petugas yang menanganinya dan tidak ada tenggat.",
    // Signing in
    signIn: "Masuk", signOut: "Keluar", signInTitle: "Masuk ke akun Warga", handle: "Nama pengguna",
    password: "Kata sandi", cancel: "Batal", signingIn: "Sedang masuk…", signedInAs: "Masuk sebagai",
    login_UNAUTHENTICATED: "Nama pengguna atau kata sandi salah.",
    login_BAD_USER_INPUT: "Isi nama pengguna dan kata sandi.",
    // Polls
    polls: "Jajak pendapat", pollsOfArea: "Jajak pendapat terbuka di {area}", pollsOfCity: "Jajak pendapat terbuka",
    noPolls: "Tidak ada jajak pendapat yang sedang terbuka.", signInToVote: "Masuk untuk ikut memilih.",
    loading: "Memuat…", closesAt: "Ditutup {time}", closedAt: "Ditutup {time}", opensAt: "Dibuka {time}",
    byAuthor: "oleh {name}", wholeCity: "Seluruh kota",
    turnout: "Partisipasi per kelurahan", turnoutRow: "{n} suara dari {residents} warga terdaftar",
    turnoutNew: "{n} dari akun baru (< 7 hari)", elsewhere: "Di luar kelurahan",
    p_SCHEDULED: "Terjadwal", p_OPEN: "Terbuka", p_CLOSED: "Ditutup",
    vote: "Kirim pilihan", changeVote: "Ubah pilihan", voting: "Mengirim…", yourChoice: "Pilihan Anda",
    voted: "Pilihan Anda tersimpan.", voteChanged: "Pilihan Anda diubah.",
    chooseFirst: "Pilih salah satu jawaban dulu.",
    votes: "{n} suara", totalVotes: "Total {n} suara", results: "Hasil",
    hiddenUntilVote: "Hasil tampil setelah Anda memilih atau saat jajak pendapat ditutup.",
    hiddenUntilClose: "Hasil tampil saat jajak pendapat ditutup.",
    residentsOnly: "Jajak pendapat ini untuk warga; akun petugas tidak ikut memilih.",
    onlyResidentsOf: "Hanya warga yang tinggal di {area} yang dapat memilih.",
    tooNew: "Akun Anda masih baru: Anda dapat memilih mulai satu hari setelah mendaftar.",
    vote_FORBIDDEN: "Anda belum dapat memilih di jajak pendapat ini: akun harus berumur minimal satu hari "
      + "dan beralamat di wilayahnya.",
    vote_CONFLICT: "Pilihan tidak tercatat: jajak pendapat ini belum dibuka atau sudah ditutup, atau pilihan "
      + "sebelumnya masih diproses. Coba lagi sebentar.",
    vote_NOT_FOUND: "Jajak pendapat ini tidak ditemukan lagi.",
    err_UNAUTHENTICATED: "Sesi Anda berakhir. Silakan masuk lagi.",
    err_FORBIDDEN: "Akun Anda tidak berhak melihat ini.",
    err_RATE_LIMITED: "Terlalu sering. Coba lagi sebentar lagi.",
    err_RATE_LIMITED_in: "Terlalu sering. Coba lagi dalam {n} detik.",
    err_NETWORK: "Tidak tersambung ke server. Periksa koneksi Anda lalu coba lagi.",
    err_BAD_USER_INPUT: "Permintaan tidak valid.",
    err_NOT_FOUND: "Tidak ditemukan.",
    err_CONFLICT: "Tidak dapat dilakukan sekarang.",
    err_INTERNAL_SERVER_ERROR: "Terjadi kesalahan di server. Coba lagi nanti.",
    // Officials
    insights: "Pantauan wilayah", insightsOf: "Pantauan {area}", trending: "Topik yang sedang naik (7 hari)",
    noTrending: "Belum ada topik yang naik.", surges: "Lonjakan laporan (24 jam)",
    noSurges: "Tidak ada lonjakan saat ini.", refresh: "Muat ulang",
    watch_FORBIDDEN: "Pantauan ini hanya untuk petugas dan pejabat wilayahnya serta admin kota.",
    trendCount: "{n} laporan & komentar", trendPrevious: "sebelumnya {n}", growth: "naik {x}×",
    samples: "Contoh laporan", surgeCount: "{n} laporan dalam 24 jam", surgeUsual: "biasanya {x}",
    surgeRatio: "{x}× dari biasanya", surgeIn: "{category} di {area}",
    // Floods (no break inside "3 ≥ 150": a threshold reads whole)
    views: "Tampilan", tabReports: "Laporan", tabFlood: "Banjir", floodOf: "Pantauan banjir · {place}",
    highestAlert: "Status tertinggi", pumpsRunning: "Pompa menyala", stationsDown: "Rumah pompa rusak atau terputus",
    floodReports24h: "Laporan banjir (24 jam)", nOfTotal: "{n} dari {total}",
    a_SIAGA_4: "Siaga 4", a_SIAGA_3: "Siaga 3", a_SIAGA_2: "Siaga 2", a_SIAGA_1: "Siaga 1", a_NONE: "Tanpa data",
    w_SIAGA_4: "Normal", w_SIAGA_3: "Waspada", w_SIAGA_2: "Kritis", w_SIAGA_1: "Bencana",
    s_OK: "Berfungsi", s_ALERT: "Siaga", s_FAULT: "Rusak", s_OFFLINE: "Terputus",
    k_FLOODGATE: "Pintu air", k_WATER_LEVEL_POST: "Pos pantau", k_PUMP_STATION: "Rumah pompa",
    gauges: "Tinggi muka air", stations: "Rumah pompa", floodReports: "Laporan banjir 24 jam terakhir",
    noGauges: "Tidak ada pintu air atau pos pantau di sini.", noStations: "Tidak ada rumah pompa di sini.",
    noFloodReports: "Tidak ada laporan banjir dalam 24 jam terakhir.",
    waterLevel: "Tinggi air {cm} cm", thresholds: "Batas siaga: 3\u00a0≥\u00a0{s3} · 2\u00a0≥\u00a0{s2} · 1\u00a0≥\u00a0{s1}\u00a0cm",
    pumps: "{n} dari {total} pompa menyala", lastReading: "Data terakhir", noReading: "Belum ada data",
    showOnMap: "Lihat di peta", showOnMapOf: "Lihat di peta: {name}",
    nowAt: "{name}: kini {level}",
  },
  en: {
    title: "Citizen Reports", connecting: "Connecting…", live: "Live", offline: "Disconnected, retrying…",
    district: "District", village: "Village", category: "Category", status: "Status", all: "All",
    filters: "Filter reports", language: "ID — switch to Bahasa Indonesia",
    menu: "Menu", navFeed: "Feed", navHome: "Home", navPost: "Report", navDuty: "RT/RW duty",
    navQueue: "Queue", navVerify: "Verify", navFlags: "Moderation", navRankings: "Rankings",
    navInbox: "Notifications", unreadCount: "{n} unread", register: "Register",
    waitingToSend: "{n} reports waiting to send", waitingToSend_one: "1 report waiting to send", sending: "Sending…",
    signInFirst: "Sign in or register first to open this page.",
    more: "Load more", back: "← Back to the feed", empty: "No reports yet.", anonymous: "Anonymous",
    supports: "supports", comments: "comments", followUps: "Follow-ups", timeline: "Timeline",
    proof: "Proof photo", overdue: "Overdue", notFound: "Report not found.", reports: "reports",
    WAITING: "Waiting", IN_PROGRESS: "In progress", FOLLOWED_UP: "Followed up", CLOSED: "Closed",
    REOPENED: "Reopened", REJECTED: "Rejected",
    e_CREATED: "Reported", e_ACKNOWLEDGED: "Acknowledged", e_FORWARDED: "Forwarded",
    e_FOLLOWED_UP: "Followed up", e_REOPENED: "Reopened", e_CLOSED: "Closed", e_REJECTED: "Rejected",
    e_VERIFIED: "Verified", e_HIDDEN: "Hidden", e_UNHIDDEN: "Shown again", e_KEPT: "Flags dismissed, kept shown",
    e_ESCALATED: "Escalated", e_RATED: "Rated by the reporter",
    commentsTitle: "Comments", takenFrom: "Proof photo taken {m} m from the report",
    proofDoubtful: "the photo's place or time does not match the report",
    rating: "Reporter's rating", escalatedTo: "Overdue, now answered by", level: "level",
    r_DUPLICATE: "Rejected: a duplicate", r_NOT_OUR_AUTHORITY: "Rejected: not the city government's job",
    r_NO_ACTION_NEEDED: "Rejected: no action needed", r_SPAM: "Rejected: spam", r_OTHER: "Rejected",
    city: "City", allCities: "All cities", notPartner: "not a partner yet", due: "Due",
    unhandled: "Not handled: the city is not a partner yet", outsideCities: "Outside the partner cities",
    unhandledWhy: "{city} is not a Warga partner yet: this report is public, but no official handles it and "
      + "there is no deadline.",
    outsideWhy: "This report lies outside the cities Warga knows: it is public, but no official handles it and "
      + "there is no deadline.",
    signIn: "Sign in", signOut: "Sign out", signInTitle: "Sign in to your Warga account", handle: "Username",
    password: "Password", cancel: "Cancel", signingIn: "Signing in…", signedInAs: "Signed in as",
    login_UNAUTHENTICATED: "Wrong username or password.",
    login_BAD_USER_INPUT: "Enter your username and password.",
    polls: "Polls", pollsOfArea: "Open polls in {area}", pollsOfCity: "Open polls",
    noPolls: "No polls are open right now.", signInToVote: "Sign in to vote.",
    loading: "Loading…", closesAt: "Closes {time}", closedAt: "Closed {time}", opensAt: "Opens {time}",
    byAuthor: "by {name}", wholeCity: "Whole city",
    turnout: "Turnout by village", turnoutRow: "{n} votes of {residents} registered residents",
    turnoutRow_one: "{n} vote of {residents} registered residents",
    turnoutNew: "{n} from new accounts (< 7 days)", elsewhere: "Outside any village",
    p_SCHEDULED: "Scheduled", p_OPEN: "Open", p_CLOSED: "Closed",
    vote: "Send my vote", changeVote: "Change my vote", voting: "Sending…", yourChoice: "Your choice",
    voted: "Your vote is saved.", voteChanged: "Your vote was changed.",
    chooseFirst: "Choose an answer first.",
    votes: "{n} votes", totalVotes: "{n} votes in all", results: "Results",
    votes_one: "{n} vote", totalVotes_one: "{n} vote in all", trendCount_one: "{n} report or comment",
    hiddenUntilVote: "Results show after you vote or when the poll closes.",
    hiddenUntilClose: "Results show when the poll closes.",
    residentsOnly: "This poll is for residents; officials' accounts do not vote.",
    onlyResidentsOf: "Only people who live in {area} can vote.",
    tooNew: "Your account is new: you can vote from one day after signing up.",
    vote_FORBIDDEN: "You cannot vote in this poll yet: accounts must be at least a day old and live in its area.",
    vote_CONFLICT: "Your vote was not recorded: the poll has not opened or has closed, or your previous vote "
      + "is still being counted. Try again in a moment.",
    vote_NOT_FOUND: "This poll no longer exists.",
    err_UNAUTHENTICATED: "Your session has ended. Please sign in again.",
    err_FORBIDDEN: "Your account may not see this.",
    err_RATE_LIMITED: "Too many attempts. Try again in a moment.",
    err_RATE_LIMITED_in: "Too many attempts. Try again in {n} seconds.",
    err_NETWORK: "Cannot reach the server. Check your connection and try again.",
    err_BAD_USER_INPUT: "The request was not valid.",
    err_NOT_FOUND: "Not found.",
    err_CONFLICT: "That cannot be done now.",
    err_INTERNAL_SERVER_ERROR: "Something went wrong on the server. Try again later.",
    insights: "Area watch", insightsOf: "Watching {area}", trending: "Rising topics (7 days)",
    noTrending: "No rising topics yet.", surges: "Report surges (24 hours)",
    noSurges: "No surges right now.", refresh: "Reload",
    watch_FORBIDDEN: "This watch is only for the officials of the area and the city admins.",
    trendCount: "{n} reports & comments", trendPrevious: "previously {n}", growth: "up {x}×",
    samples: "Sample reports", surgeCount: "{n} reports in 24 hours", surgeUsual: "usually {x}",
    surgeRatio: "{x}× the usual", surgeIn: "{category} in {area}",
    views: "Views", tabReports: "Reports", tabFlood: "Flood", floodOf: "Flood watch · {place}",
    highestAlert: "Highest alert", pumpsRunning: "Pumps running", stationsDown: "Pump stations down",
    floodReports24h: "Flood reports (24 h)", nOfTotal: "{n} of {total}",
    a_NONE: "No data",
    w_SIAGA_4: "Normal", w_SIAGA_3: "Watch", w_SIAGA_2: "Critical", w_SIAGA_1: "Disaster",
    s_OK: "Working", s_ALERT: "On alert", s_FAULT: "Broken down", s_OFFLINE: "Offline",
    k_FLOODGATE: "Floodgate", k_WATER_LEVEL_POST: "Water-level post", k_PUMP_STATION: "Pump station",
    gauges: "Water levels", stations: "Pump stations", floodReports: "Flood reports, last 24 hours",
    noGauges: "No floodgates or water-level posts here.", noStations: "No pump stations here.",
    noFloodReports: "No flood reports in the last 24 hours.",
    waterLevel: "Water level {cm} cm", thresholds: "Alert thresholds: 3\u00a0≥\u00a0{s3} · 2\u00a0≥\u00a0{s2} · 1\u00a0≥\u00a0{s1}\u00a0cm",
    pumps: "{n} of {total} pumps running",
    lastReading: "Last reading", noReading: "No reading yet",
    showOnMap: "Show on map", showOnMapOf: "Show on map: {name}",
    nowAt: "{name}: now {level}",
  },
};

export let lang = localStorage.getItem("warga-lang") === "en" ? "en" : "id";

// t("votes", { n: 3 }) fills {n}; numbers are written the language's way (1.234,5 or 1,234.5). A key with
// `_one` is the singular, where the language has one (English; Indonesian nouns do not change).
export function t(key, values = {}) {
  const one = values.n === 1 ? TEXT[lang][`${key}_one`] : undefined;
  const text = one ?? TEXT[lang][key] ?? TEXT.id[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => {
    const value = values[name];
    return typeof value === "number" ? formatNumber(value) : String(value ?? "");
  });
}

// A screen's own words, added when its module loads (the public feed does not carry the others').
export function addText(more) {
  for (const language of Object.keys(TEXT)) Object.assign(TEXT[language], more[language]);
}

export function has(key) {
  return key in TEXT[lang] || key in TEXT.id;
}

export function setLang(next) {
  lang = next;
  localStorage.setItem("warga-lang", next);
  document.documentElement.lang = next;
  for (const element of document.querySelectorAll("[data-i18n]")) element.textContent = t(element.dataset.i18n);
  for (const element of document.querySelectorAll("[data-i18n-label]")) {
    element.setAttribute("aria-label", t(element.dataset.i18nLabel));
  }
}

function locale() {
  return lang === "en" ? "en-GB" : "id-ID";
}

export function formatNumber(value, digits = 1) {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(value);
}

export function formatPercent(share) {
  return new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 0 }).format(share);
}

// Where a time has no city of its own (a poll, a report outside every city): the zone of Jakarta.
export const DEFAULT_ZONE = "Asia/Jakarta";
// Indonesians name their zones WIB, WITA and WIT; Intl would say "GMT+7" in English.
const ZONE_NAMES = { "Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT" };

// In the city's own zone, named: "24 Nov 2026, 09.30 WITA".
export function formatTime(iso, timeZone = DEFAULT_ZONE) {
  const date = new Date(iso);
  const text = new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short", timeZone }).format(date);
  return `${text} ${ZONE_NAMES[timeZone] ?? zoneName(date, timeZone)}`;
}

function zoneName(date, timeZone) {
  const parts = new Intl.DateTimeFormat(locale(), { timeZone, timeZoneName: "short" }).formatToParts(date);
  return parts.find((part) => part.type === "timeZoneName")?.value ?? timeZone;
}
