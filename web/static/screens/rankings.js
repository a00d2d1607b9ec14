// Rankings (#/peringkat): how each kelurahan, kecamatan, kota or agency answered its residents over a period — a
// sortable table (the data) with a bar chart of the scores, and a CSV of it; then the RT/RW duty compliance of a
// kelurahan (compliance.js) and, for officials, their overdue reports on a map (overdue.js). A unit's own page
// (#/peringkat/VILLAGE:<id>) shows its last 12 weeks (trend.js).
// Anyone may read the rankings; the server says who may read the rest, and the screen says what it answered.
import { gql } from "../api.js";
import { errorText } from "../errors.js";
import { addText, formatNumber, formatPercent, formatTime, t } from "../i18n.js";
import { ancestors } from "../session.js";
import { h } from "../views.js";
import { complianceSection } from "./compliance.js";
import { CsvLink } from "./csv.js";
import { PERIODS, SortableTable, dayIn, dayRange, duration, period, startOf, uid } from "./leaders-kit.js";
import { overdueSection } from "./overdue.js";

addText({
  id: {
    lkTitle: "Peringkat kinerja",
    lkIntro: "Skor menghargai perbaikan yang bertahan: tindak lanjut dengan foto bukti yang tidak dibuka kembali, "
      + "dinilai baik oleh pelapor, dan cepat. Unit dengan laporan terlalu sedikit tidak diperingkat.",
    lkUnit: "Satuan", lkPeriod: "Periode", lkWhere: "Wilayah", lkAllCities: "Semua kota",
    lkU_VILLAGE: "Kelurahan", lkU_DISTRICT: "Kecamatan", lkU_CITY: "Kota", lkU_AGENCY: "Dinas / suku dinas",
    lkP_week: "Minggu ini", lkP_weeks4: "4 minggu terakhir", lkP_month: "Bulan ini", lkP_lastMonth: "Bulan lalu",
    lkHeading: "Peringkat {unit} · {period}",
    lkRank: "Peringkat", lkScore: "Skor (0–100)", lkReceived: "Laporan masuk", lkFollowUpRate: "Ditindaklanjuti",
    lkResponse: "Median respons", lkFixTime: "Median tindak lanjut", lkReopenRate: "Dibuka kembali",
    lkOverdue: "Lewat tenggat",
    lkResponseCsv: "Median respons (menit)", lkFixTimeCsv: "Median tindak lanjut (jam)",
    lkFollowUpCsv: "Ditindaklanjuti (%)", lkReopenCsv: "Dibuka kembali (%)",
    lkUnranked: "belum diperingkat", lkRejects: "menolak jauh lebih banyak dari unit lain",
    lkUnrankedNote: "– : belum diperingkat, laporannya terlalu sedikit dalam periode ini.",
    lkChart: "Skor tertinggi", lkChartNote: "Grafik ini meringkas tabel di bawahnya.",
    lkNoReports: "Belum ada laporan dalam periode ini.",
    lkAsOf: "Data per {time}.", lkChanged: "Ada laporan baru atau yang berubah sejak data ini dimuat.",
    lkRefresh: "Muat ulang", lkLoading: "Memuat…", lkCsv: "Unduh tabel (CSV)",
    lkMinutes: "mnt", lkHours: "jam", lkDays: "hari",
  },
  en: {
    lkTitle: "Performance rankings",
    lkIntro: "The score rewards fixes that stay fixed: follow-ups with a proof photo that nobody reopens, rated well "
      + "by the reporter, and quick. Units with too few reports are not ranked.",
    lkUnit: "Unit", lkPeriod: "Period", lkWhere: "Area", lkAllCities: "All cities",
    lkU_VILLAGE: "Village (kelurahan)", lkU_DISTRICT: "District (kecamatan)", lkU_CITY: "City",
    lkU_AGENCY: "Agency",
    lkP_week: "This week", lkP_weeks4: "Last 4 weeks", lkP_month: "This month", lkP_lastMonth: "Last month",
    lkHeading: "Rankings by {unit} · {period}",
    lkRank: "Rank", lkScore: "Score (0–100)", lkReceived: "Reports received", lkFollowUpRate: "Followed up",
    lkResponse: "Median response", lkFixTime: "Median time to fix", lkReopenRate: "Reopened",
    lkOverdue: "Overdue",
    lkResponseCsv: "Median response (minutes)", lkFixTimeCsv: "Median time to fix (hours)",
    lkFollowUpCsv: "Followed up (%)", lkReopenCsv: "Reopened (%)",
    lkUnranked: "not ranked", lkRejects: "rejects far more than other units",
    lkUnrankedNote: "– : not ranked, too few reports in this period.",
    lkChart: "Highest scores", lkChartNote: "This chart summarises the table below.",
    lkNoReports: "No reports in this period yet.",
    lkAsOf: "Figures as of {time}.", lkChanged: "Reports were added or changed since these figures were loaded.",
    lkRefresh: "Reload", lkLoading: "Loading…", lkCsv: "Download table (CSV)",
    lkMinutes: "min", lkHours: "h", lkDays: "days",
  },
});

export const UNITS = ["VILLAGE", "DISTRICT", "CITY", "AGENCY"];
const ROW = `rank ranked score received followUpRate medianResponseMinutes medianFollowUpHours reopenRate overdue
  rejectsMoreThanPeers area { id name } agency { id name }`;
const PERFORMANCE = `query($unit: PerformanceUnit!, $from: DateTime!, $to: DateTime!, $area: ID) {
  performance(unit: $unit, from: $from, to: $to, areaId: $area) { ${ROW} } }`;
const CITIES = "{ cities { id name partner area { id } } }";
const CHANGED = "subscription($filter: ReportFilter) { feedUpdated(filter: $filter) { id } }";
const CHART_BARS = 15;

// The choices last while the page is open: back from a unit's page, the same table.
const choice = { unit: "VILLAGE", period: "month", area: null };

export function unitName(row) {
  return row.area?.name ?? row.agency?.name ?? "";
}

export function unitId(row) {
  return row.area?.id ?? row.agency?.id ?? "";
}

const words = () => ({ minutes: t("lkMinutes"), hours: t("lkHours"), days: t("lkDays") });
const score = (value) => formatNumber(value * 100, 1);

function select(name, label, options, value) {
  const id = uid(`lk-${name}`);
  const element = h("select", { id, name }, options.map(([v, text]) => h("option", { value: v }, text)));
  element.value = value;
  return { element, field: h("div", { class: "lk-field" }, h("label", { for: id }, label), element) };
}

function columns() {
  return [
    { key: "rank", label: t("lkRank"), numeric: true, first: "ascending", value: (r) => (r.ranked ? r.rank : null),
      cell: (r) => (r.ranked ? formatNumber(r.rank) : [h("span", { "aria-hidden": "true" }, "–"),
        h("span", { class: "sr-only" }, t("lkUnranked"))]) },
    { key: "unit", label: t(`lkU_${choice.unit}`), rowHeader: true, value: unitName,
      cell: (r) => [h("a", { href: `#/peringkat/${choice.unit}:${encodeURIComponent(unitId(r))}` }, unitName(r)),
        r.rejectsMoreThanPeers && h("span", { class: "lk-flag" }, t("lkRejects"))] },
    { key: "score", label: t("lkScore"), numeric: true, value: (r) => r.score, cell: (r) => score(r.score) },
    { key: "received", label: t("lkReceived"), numeric: true, value: (r) => r.received,
      cell: (r) => formatNumber(r.received) },
    { key: "followUpRate", label: t("lkFollowUpRate"), numeric: true, value: (r) => r.followUpRate,
      cell: (r) => formatPercent(r.followUpRate) },
    { key: "response", label: t("lkResponse"), numeric: true, first: "ascending", value: (r) => r.medianResponseMinutes,
      cell: (r) => duration(r.medianResponseMinutes, words()) },
    { key: "fixTime", label: t("lkFixTime"), numeric: true, first: "ascending", value: (r) => r.medianFollowUpHours,
      cell: (r) => duration(r.medianFollowUpHours == null ? null : r.medianFollowUpHours * 60, words()) },
    { key: "reopenRate", label: t("lkReopenRate"), numeric: true, value: (r) => r.reopenRate,
      cell: (r) => formatPercent(r.reopenRate) },
    { key: "overdue", label: t("lkOverdue"), numeric: true, value: (r) => r.overdue, cell: (r) => formatNumber(r.overdue) },
  ];
}

const round = (value, digits) => (value == null ? null : Number(value.toFixed(digits)));

function csvRows(rows) {
  return [
    [t("lkRank"), t(`lkU_${choice.unit}`), t("lkScore"), t("lkReceived"), t("lkFollowUpCsv"), t("lkResponseCsv"),
      t("lkFixTimeCsv"), t("lkReopenCsv"), t("lkOverdue")],
    ...rows.map((r) => [r.ranked ? r.rank : "", unitName(r), round(r.score * 100, 1), r.received,
      round(r.followUpRate * 100, 1), round(r.medianResponseMinutes, 1), round(r.medianFollowUpHours, 2),
      round(r.reopenRate * 100, 1), r.overdue]),
  ];
}

// The best scores as bars: ranked units first, as the table starts; the table holds every figure.
function chart(rows) {
  const shown = rows.filter((r) => r.received > 0).slice(0, CHART_BARS);
  if (!shown.length) return h("p", { class: "note" }, t("lkNoReports"));
  const bars = shown.map((r) => {
    const fill = h("span", { class: r.ranked ? "lk-fill" : "lk-fill lk-fill-unranked" });
    fill.style.width = `${Math.max(0, Math.min(1, r.score)) * 100}%`; // CSSOM: the policy allows it
    return h("div", { class: "lk-bar-row" }, h("span", { class: "lk-bar-label" }, unitName(r)),
      h("span", { class: "lk-bar" }, fill), h("span", { class: "lk-bar-value" }, score(r.score)));
  });
  return h("div", { class: "lk-bars", "aria-hidden": "true" }, bars);
}

// The city the viewer works or lives in, else the first partner city.
function homeCity(cities, viewer) {
  const mine = new Set([...ancestors(viewer?.area), viewer?.agency?.area?.id].filter(Boolean));
  return cities.find((c) => mine.has(c.area.id)) ?? cities.find((c) => c.partner) ?? null;
}

async function rankingsSection(app) {
  const headingId = uid("lk-rankings");
  const heading = h("h2", { id: headingId });
  const section = h("section", { class: "lk-section lk-rankings", "aria-labelledby": headingId, "data-loaded": "false" });
  const cities = await gql(CITIES).then((d) => d.cities, () => []);
  if (choice.area === null) choice.area = homeCity(cities, app.viewer())?.area.id ?? "";
  const unit = select("unit", t("lkUnit"), UNITS.map((u) => [u, t(`lkU_${u}`)]), choice.unit);
  const when = select("period", t("lkPeriod"), PERIODS.map((p) => [p, t(`lkP_${p}`)]), choice.period);
  const where = select("area", t("lkWhere"), [["", t("lkAllCities")], ...cities.map((c) => [c.area.id, c.name])],
    choice.area);
  const status = h("p", { class: "lk-status", role: "status" });
  const refresh = h("button", { type: "button", class: "lk-refresh" }, t("lkRefresh"));
  const chartBox = h("div", { class: "lk-chart" });
  const download = new CsvLink(t("lkCsv"));
  let table = null;
  let generation = 0;
  let stopLive = null;
  let current = null;

  function newTable() {
    table = new SortableTable({ caption: "", columns: columns(), sort: { key: "rank", dir: "ascending" },
      rowAttributes: (r) => ({ "data-unit-id": unitId(r), "data-ranked": String(r.ranked),
        class: r.ranked ? null : "lk-unranked" }),
      onRender: (rows) => current && download.update(csvRows(rows),
        `peringkat-${t(`lkU_${choice.unit}`).split(" ")[0].toLowerCase()}-${current.from}_${current.to}.csv`) });
    return table;
  }

  function watch() {
    stopLive?.();
    const city = cities.find((c) => c.area.id === choice.area);
    stopLive = app.live.subscribe(CHANGED, { filter: city ? { cityId: city.id } : null }, () => {
      if (section.dataset.loaded !== "true") return;
      status.textContent = t("lkChanged");
      refresh.classList.add("primary");
    });
  }

  async function load() {
    const mine = ++generation;
    const days = period(choice.period, dayIn());
    const label = dayRange(days.from, days.to);
    heading.textContent = t("lkHeading", { unit: t(`lkU_${choice.unit}`).toLowerCase(), period: label });
    section.dataset.loaded = "false";
    section.setAttribute("aria-busy", "true");
    status.textContent = t("lkLoading");
    try {
      const rows = (await gql(PERFORMANCE, { unit: choice.unit, from: startOf(days.from), to: startOf(days.to),
        area: choice.area || null })).performance;
      if (mine !== generation) return;
      current = days;
      const fresh = newTable();
      fresh.setCaption(`${t(`lkP_${choice.period}`)}: ${label}`);
      fresh.setRows(rows);
      tableBox.replaceChildren(fresh.element);
      chartBox.replaceChildren(h("h3", {}, t("lkChart")), h("p", { class: "small" }, t("lkChartNote")), chart(rows));
      status.textContent = t("lkAsOf", { time: formatTime(new Date().toISOString()) });
      section.dataset.loaded = "true";
    } catch (failure) {
      if (mine !== generation) return;
      current = null;
      download.clear();
      tableBox.replaceChildren();
      chartBox.replaceChildren();
      status.textContent = errorText(failure);
      section.dataset.loaded = "error";
    } finally {
      if (mine === generation) section.removeAttribute("aria-busy");
      refresh.classList.remove("primary");
    }
  }

  const tableBox = h("div", { class: "lk-table-box" });
  const form = h("form", { class: "lk-controls", "aria-labelledby": headingId }, unit.field, when.field, where.field);
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("change", () => {
    choice.unit = unit.element.value;
    choice.period = when.element.value;
    if (choice.area !== where.element.value) {
      choice.area = where.element.value;
      watch();
    }
    load();
  });
  refresh.addEventListener("click", () => load());
  section.append(heading, form, h("div", { class: "lk-status-line" }, status, refresh), chartBox, tableBox,
    h("p", { class: "small" }, t("lkUnrankedNote")), download.element);
  watch();
  load();
  return { element: section, stop: () => stopLive?.() };
}

export async function show(element, app, arg) {
  if (arg) {
    const { showUnit } = await import("./trend.js");
    return showUnit(element, app, arg);
  }
  const rankings = await rankingsSection(app);
  const compliance = await complianceSection(app);
  const overdue = overdueSection(app);
  element.replaceChildren(h("div", { class: "lk-screen" },
    h("h1", {}, t("lkTitle")), h("p", { class: "lk-intro" }, t("lkIntro")),
    rankings.element, compliance.element, overdue.element));
  overdue.start();
  return () => {
    rankings.stop();
    overdue.stop();
  };
}
