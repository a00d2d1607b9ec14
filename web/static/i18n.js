// Indonesian first; English on request. The choice is kept in localStorage.
const TEXT = {
  id: {
    title: "Laporan Warga", connecting: "Menyambung…", live: "Langsung", offline: "Terputus, mencoba lagi…",
    district: "Kecamatan", village: "Kelurahan", category: "Kategori", status: "Status", all: "Semua",
    more: "Muat lagi", back: "← Kembali ke linimasa", empty: "Belum ada laporan.", anonymous: "Anonim",
    supports: "dukungan", comments: "komentar", followUps: "Tindak lanjut", timeline: "Riwayat",
    proof: "Foto bukti", overdue: "Lewat tenggat", notFound: "Laporan tidak ditemukan.", reports: "laporan",
    WAITING: "Menunggu", IN_PROGRESS: "Dikerjakan", FOLLOWED_UP: "Ditindaklanjuti", CLOSED: "Selesai",
    REOPENED: "Dibuka kembali", REJECTED: "Ditolak",
    e_CREATED: "Dilaporkan", e_ACKNOWLEDGED: "Diterima petugas", e_FORWARDED: "Diteruskan",
    e_FOLLOWED_UP: "Ditindaklanjuti", e_REOPENED: "Dibuka kembali", e_CLOSED: "Ditutup", e_REJECTED: "Ditolak",
    e_VERIFIED: "Diverifikasi", e_HIDDEN: "Disembunyikan", e_UNHIDDEN: "Ditampilkan lagi",
  },
  en: {
    title: "Citizen Reports", connecting: "Connecting…", live: "Live", offline: "Disconnected, retrying…",
    district: "District", village: "Village", category: "Category", status: "Status", all: "All",
    more: "Load more", back: "← Back to the feed", empty: "No reports yet.", anonymous: "Anonymous",
    supports: "supports", comments: "comments", followUps: "Follow-ups", timeline: "Timeline",
    proof: "Proof photo", overdue: "Overdue", notFound: "Report not found.", reports: "reports",
    WAITING: "Waiting", IN_PROGRESS: "In progress", FOLLOWED_UP: "Followed up", CLOSED: "Closed",
    REOPENED: "Reopened", REJECTED: "Rejected",
    e_CREATED: "Reported", e_ACKNOWLEDGED: "Acknowledged", e_FORWARDED: "Forwarded",
    e_FOLLOWED_UP: "Followed up", e_REOPENED: "Reopened", e_CLOSED: "Closed", e_REJECTED: "Rejected",
    e_VERIFIED: "Verified", e_HIDDEN: "Hidden", e_UNHIDDEN: "Shown again",
  },
};

export let lang = localStorage.getItem("warga-lang") === "en" ? "en" : "id";

export function t(key) {
  return TEXT[lang][key] ?? TEXT.id[key] ?? key;
}

export function setLang(next) {
  lang = next;
  localStorage.setItem("warga-lang", next);
  document.documentElement.lang = next;
  for (const element of document.querySelectorAll("[data-i18n]")) element.textContent = t(element.dataset.i18n);
}

export function formatTime(iso) {
  return new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "id-ID", {
    dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Jakarta",
  }).format(new Date(iso));
}
