// An official's overdue reports (those of their workQueue past the deadline) on a map, each marker a button that
// opens the report, and the same reports as a list: the list is the whole picture without the map, for a screen
// reader, a keyboard or a phone without Leaflet. Leaflet and its stylesheet load only when there is a map to draw.
import { gql } from "../api.js";
import { errorText } from "../errors.js";
import { addText, t } from "../i18n.js";
import { OFFICIAL_ROLES } from "../session.js";
import { h, time } from "../views.js";
import { uid } from "./leaders-kit.js";

addText({
  id: {
    lkMapTitle: "Laporan lewat tenggat", lkMapOfficials: "Peta ini untuk petugas: laporan yang lewat tenggat di "
      + "wilayah atau dinas mereka. Masuk dengan akun petugas untuk melihatnya.",
    lkMapLabel: "Peta laporan lewat tenggat", lkMapCount: "{n} laporan lewat tenggat yang dapat Anda tangani.",
    lkMapNone: "Tidak ada laporan lewat tenggat yang dapat Anda tangani. Bagus!", lkMapList: "Daftar laporan",
    lkDue: "Tenggat",
  },
  en: {
    lkMapTitle: "Overdue reports", lkMapOfficials: "This map is for officials: the overdue reports of their area or "
      + "agency. Sign in with an official's account to see it.",
    lkMapLabel: "Map of overdue reports", lkMapCount: "{n} overdue reports you can act on.",
    lkMapCount_one: "1 overdue report you can act on.",
    lkMapNone: "No overdue reports you can act on. Well done!", lkMapList: "List of reports", lkDue: "Due",
  },
});

const QUEUE = `{ workQueue(first: 100) { edges { node { id body isOverdue dueAt location { lat lng }
  category { name } area { name } city { timezone } } } } }`;
function item(report, open) {
  const link = h("a", { href: `#/r/${encodeURIComponent(report.id)}` }, report.category.name,
    report.area ? ` · ${report.area.name}` : "");
  link.addEventListener("click", (event) => {
    event.preventDefault();
    open(report.id);
  });
  return h("li", { "data-report-id": report.id }, link,
    h("p", { class: "small" }, `${t("lkDue")} `, time(report.dueAt, report.city?.timezone)),
    h("p", { class: "lk-snippet" }, report.body));
}

export function overdueSection(app) {
  const viewer = app.viewer();
  const headingId = uid("lk-map");
  const section = h("section", { class: "lk-section lk-overdue", "aria-labelledby": headingId, "data-loaded": "false" },
    h("h2", { id: headingId }, t("lkMapTitle")));
  let map = null;
  let stopped = false;
  if (!viewer || !OFFICIAL_ROLES.has(viewer.role)) {
    section.append(h("p", { class: "note" }, t("lkMapOfficials")));
    section.dataset.loaded = "not-official";
    return { element: section, start() {}, stop() {} };
  }
  const status = h("p", { class: "lk-status", role: "status" }, t("lkLoading"));
  const mapBox = h("div", { class: "lk-map", role: "region", "aria-label": t("lkMapLabel") });
  const listId = uid("lk-list");
  const list = h("ol", { class: "lk-overdue-list", "aria-labelledby": listId });
  mapBox.hidden = true;
  section.append(status, mapBox, h("h3", { id: listId }, t("lkMapList")), list);

  async function draw(reports) {
    const L = await import("../leaflet.js");
    if (stopped) return;
    mapBox.hidden = false;
    map = L.map(mapBox, { scrollWheelZoom: false });
    const tiles = document.querySelector('meta[name="warga-tiles"]')?.content;
    if (tiles) {
      const attribution = document.querySelector('meta[name="warga-attribution"]')?.content ?? "";
      L.tileLayer(tiles, { maxZoom: 19, attribution }).addTo(map);
    }
    const points = [];
    for (const report of reports) {
      const at = [report.location.lat, report.location.lng];
      points.push(at);
      // A button with the report's category and area as its name; Enter opens the report as a click does.
      const marker = L.marker(at, { title: `${report.category.name} · ${report.area?.name ?? ""}`,
        icon: L.divIcon({ className: "lk-pin", html: h("span", { "aria-hidden": "true" }, "!"), iconSize: [26, 26] }) });
      marker.on("click", () => app.openReport(report.id));
      marker.on("add", () => { marker.getElement().dataset.reportId = report.id; });
      marker.addTo(map);
    }
    if (points.length > 1) map.fitBounds(L.latLngBounds(points).pad(0.2), { maxZoom: 16 });
    else map.setView(points[0], 16);
    mapBox.dataset.markers = String(points.length);
  }

  return {
    element: section,
    async start() {
      try {
        const reports = (await gql(QUEUE, {}, { auth: true })).workQueue.edges.map((e) => e.node)
          .filter((r) => r.isOverdue);
        if (stopped) return;
        status.textContent = reports.length ? t("lkMapCount", { n: reports.length }) : t("lkMapNone");
        list.replaceChildren(...reports.map((r) => item(r, app.openReport)));
        list.previousElementSibling.hidden = !reports.length;
        section.dataset.loaded = "true";
        section.dataset.count = String(reports.length);
        if (reports.length) await draw(reports).catch(() => { mapBox.hidden = true; }); // the list stays
      } catch (failure) {
        status.textContent = errorText(failure);
        section.dataset.loaded = "error";
      }
    },
    stop() {
      stopped = true;
      map?.remove();
    },
  };
}
