// RT/RW duty compliance of a kelurahan for a month (dutyCompliance): each RT/RW head's duty reports submitted,
// those a verifier found valid, the days with at least three valid ones, and what the city pays them — with the
// totals, and as CSV. The server lets the city's admins and the kelurahan's officials read it; anyone else hears
// its refusal in words.
import { gql } from "../api.js";
import { errorText } from "../errors.js";
import { addText, formatNumber, t } from "../i18n.js";
import { ancestors } from "../session.js";
import { h } from "../views.js";
import { CsvLink } from "./csv.js";
import { SortableTable, addMonths, dayIn, monthName, rupiah, uid } from "./leaders-kit.js";

addText({
  id: {
    lkDutyTitle: "Kepatuhan tugas RT/RW",
    lkDutyIntro: "Ketua RT/RW wajib mengirim laporan tugas 3 kali sehari. Per bulan: laporan terkirim, yang dinyatakan "
      + "valid oleh verifikator, hari dengan minimal 3 laporan valid, dan uang operasional yang dibayarkan.",
    lkDutySignIn: "Masuk sebagai admin kota atau petugas kelurahan untuk melihat kepatuhan tugas RT/RW.",
    lkVillage: "Kelurahan", lkMonth: "Bulan",
    lkAccount: "Ketua RT/RW", lkArea: "Wilayah", lkSubmitted: "Dikirim", lkValid: "Valid",
    lkDaysCompliant: "Hari patuh (≥ 3 valid)", lkPayable: "Dibayarkan", lkPayableCsv: "Dibayarkan (Rp)",
    lkHandle: "Akun", lkName: "Nama", lkTotal: "Total", lkNoHeads: "Tidak ada ketua RT/RW terdaftar di kelurahan ini.",
    lkDutyCsv: "Unduh kepatuhan (CSV)", lkDutyCaption: "{village}, {month}",
    lkDuty_FORBIDDEN: "Kepatuhan tugas RT/RW hanya untuk admin kota dan petugas kelurahan itu (lurah, sekel, petugas).",
    lkDuty_UNAUTHENTICATED: "Sesi Anda berakhir. Masuk lagi untuk melihat kepatuhan tugas RT/RW.",
  },
  en: {
    lkDutyTitle: "RT/RW duty compliance",
    lkDutyIntro: "RT/RW heads must post a duty report 3 times a day. Per month: reports sent, those a verifier found "
      + "valid, days with at least 3 valid reports, and the operational payment due.",
    lkDutySignIn: "Sign in as a city admin or an official of the village to see RT/RW duty compliance.",
    lkVillage: "Village (kelurahan)", lkMonth: "Month",
    lkAccount: "RT/RW head", lkArea: "Area", lkSubmitted: "Sent", lkValid: "Valid",
    lkDaysCompliant: "Compliant days (≥ 3 valid)", lkPayable: "Payable", lkPayableCsv: "Payable (IDR)",
    lkHandle: "Account", lkName: "Name", lkTotal: "Total", lkNoHeads: "No RT/RW heads are registered in this village.",
    lkDutyCsv: "Download compliance (CSV)", lkDutyCaption: "{village}, {month}",
    lkDuty_FORBIDDEN: "RT/RW duty compliance is only for the city admins and the officials of that village.",
    lkDuty_UNAUTHENTICATED: "Your session has ended. Sign in again to see RT/RW duty compliance.",
  },
});

const VILLAGES = "{ areas(level: VILLAGE) { id name parent { id name parent { id parent { id } } } } }";
const COMPLIANCE = `query($area: ID!, $month: String!) { dutyCompliance(areaId: $area, month: $month) {
  account { id handle displayName } area { id name level } submitted valid daysCompliant payableAmount } }`;
const MONTHS = 12;
const choice = { village: null, month: null };

// Who the server answers (services/stats.duty_compliance): an admin anywhere, a city's admin inside the city, and
// an area head, verifier or officer inside their own area. Agencies' officials and residents are refused.
const AREA_OFFICES = new Set(["CITY_ADMIN", "AREA_HEAD", "VERIFIER", "OFFICER"]);

function mayAsk(viewer) {
  return viewer.role === "ADMIN" || (AREA_OFFICES.has(viewer.role) && Boolean(viewer.area));
}

// The kelurahan the viewer may ask about: inside their area (or their agency's), or every one for an admin; the
// viewer's own kelurahan first chosen.
function reachable(villages, viewer) {
  const home = viewer.area?.id ?? viewer.agency?.area?.id;
  const above = new Set(ancestors(viewer.area));
  const inside = villages.filter((v) => above.has(v.id)
    || [v.id, v.parent?.id, v.parent?.parent?.id, v.parent?.parent?.parent?.id].includes(home));
  return viewer.role === "ADMIN" || !inside.length ? villages : inside;
}

function villageSelect(villages, id) {
  const districts = new Map();
  for (const v of villages) {
    const key = v.parent?.name ?? "";
    if (!districts.has(key)) districts.set(key, []);
    districts.get(key).push(h("option", { value: v.id }, v.name));
  }
  const groups = [...districts].map(([name, options]) => (name ? h("optgroup", { label: name }, options) : options));
  return h("select", { id, name: "village" }, groups);
}

function columns() {
  const count = (key) => ({ key, numeric: true, value: (r) => r[key], cell: (r) => formatNumber(r[key]) });
  return [
    { key: "account", label: t("lkAccount"), rowHeader: true, value: (r) => r.account.displayName,
      cell: (r) => [r.account.displayName, h("span", { class: "lk-handle" }, `@${r.account.handle}`)] },
    { key: "area", label: t("lkArea"), value: (r) => r.area.name, cell: (r) => r.area.name },
    { ...count("submitted"), label: t("lkSubmitted") },
    { ...count("valid"), label: t("lkValid") },
    { ...count("daysCompliant"), label: t("lkDaysCompliant") },
    { key: "payableAmount", label: t("lkPayable"), numeric: true, value: (r) => r.payableAmount,
      cell: (r) => rupiah(r.payableAmount) },
  ];
}

const sum = (rows, key) => rows.reduce((total, r) => total + r[key], 0);

function footer(rows) {
  if (!rows.length) return null;
  return h("tr", { class: "lk-total" }, h("th", { scope: "row", colspan: "2" }, t("lkTotal")),
    h("td", { class: "num", "data-col": "submitted" }, formatNumber(sum(rows, "submitted"))),
    h("td", { class: "num", "data-col": "valid" }, formatNumber(sum(rows, "valid"))),
    h("td", { class: "num", "data-col": "daysCompliant" }, formatNumber(sum(rows, "daysCompliant"))),
    h("td", { class: "num", "data-col": "payableAmount" }, rupiah(sum(rows, "payableAmount"))));
}

function csvRows(rows) {
  return [
    [t("lkHandle"), t("lkName"), t("lkArea"), t("lkSubmitted"), t("lkValid"), t("lkDaysCompliant"), t("lkPayableCsv")],
    ...rows.map((r) => [r.account.handle, r.account.displayName, r.area.name, r.submitted, r.valid,
      r.daysCompliant, r.payableAmount]),
    [t("lkTotal"), "", "", sum(rows, "submitted"), sum(rows, "valid"), sum(rows, "daysCompliant"),
      sum(rows, "payableAmount")],
  ];
}

export async function complianceSection(app) {
  const viewer = app.viewer();
  const headingId = uid("lk-duty");
  const section = h("section", { class: "lk-section lk-compliance", "aria-labelledby": headingId, "data-loaded": "false" },
    h("h2", { id: headingId }, t("lkDutyTitle")), h("p", { class: "small" }, t("lkDutyIntro")));
  if (!viewer) {
    section.append(h("p", { class: "note" }, t("lkDutySignIn")));
    section.dataset.loaded = "signed-out";
    return { element: section };
  }
  let villages;
  try {
    villages = reachable((await gql(VILLAGES)).areas, viewer);
  } catch (failure) {
    section.append(h("p", { class: "note" }, errorText(failure)));
    return { element: section };
  }
  if (!villages.some((v) => v.id === choice.village)) {
    const mine = new Set(ancestors(viewer.area));
    choice.village = (villages.find((v) => mine.has(v.id)) ?? villages[0])?.id ?? null;
  }
  const thisMonth = dayIn().slice(0, 7);
  choice.month ??= thisMonth;
  const months = Array.from({ length: MONTHS }, (_, i) => addMonths(`${thisMonth}-01`, -i).slice(0, 7));
  const villageId = uid("lk-village");
  const monthId = uid("lk-month");
  const village = villageSelect(villages, villageId);
  village.value = choice.village ?? "";
  const month = h("select", { id: monthId, name: "month" }, months.map((m) => h("option", { value: m }, monthName(m))));
  month.value = choice.month;
  const form = h("form", { class: "lk-controls", "aria-labelledby": headingId },
    h("div", { class: "lk-field" }, h("label", { for: villageId }, t("lkVillage")), village),
    h("div", { class: "lk-field" }, h("label", { for: monthId }, t("lkMonth")), month));
  const status = h("p", { class: "lk-status", role: "status" });
  const download = new CsvLink(t("lkDutyCsv"));
  const box = h("div", { class: "lk-table-box" });
  let generation = 0;

  async function load() {
    const mine = ++generation;
    section.dataset.loaded = "false";
    section.setAttribute("aria-busy", "true");
    status.textContent = t("lkLoading");
    const name = villages.find((v) => v.id === choice.village)?.name ?? "";
    try {
      const rows = (await gql(COMPLIANCE, { area: choice.village, month: choice.month }, { auth: true })).dutyCompliance;
      if (mine !== generation) return;
      const table = new SortableTable({ caption: t("lkDutyCaption", { village: name, month: monthName(choice.month) }),
        columns: columns(), footer, rowAttributes: (r) => ({ "data-handle": r.account.handle }),
        onRender: (sorted) => download.update(csvRows(sorted), `kepatuhan-rtrw-${name.toLowerCase().replaceAll(/\W+/g,
          "-")}-${choice.month}.csv`) });
      table.setRows(rows);
      box.replaceChildren(table.element);
      status.textContent = rows.length ? "" : t("lkNoHeads");
      section.dataset.loaded = "true";
    } catch (failure) {
      if (mine !== generation) return;
      box.replaceChildren();
      download.clear();
      status.textContent = errorText(failure, "lkDuty");
      section.dataset.loaded = "error";
      // Another kelurahan would be refused too: no choices for someone who holds no office over an area.
      form.hidden = failure.code === "FORBIDDEN" && !mayAsk(viewer);
    } finally {
      if (mine === generation) section.removeAttribute("aria-busy");
    }
  }

  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("change", () => {
    choice.village = village.value;
    choice.month = month.value;
    load();
  });
  section.append(form, status, box, download.element);
  if (choice.village) load();
  return { element: section };
}
