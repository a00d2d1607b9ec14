// A unit's page (#/peringkat/VILLAGE:<id>, DISTRICT, CITY or AGENCY): its last 12 weeks (Monday to Sunday in
// Jakarta, this week last), asked in one request (one aliased `performance` per week, run side by side by the
// server), as a small chart and a table of the score, the share followed up and the share reopened.
import { gql } from "../api.js";
import { errorText } from "../errors.js";
import { addText, formatNumber, formatPercent, t } from "../i18n.js";
import { h } from "../views.js";
import { SortableTable, addDays, dayIn, dayRange, mondayOf, shortDay, startOf, uid } from "./leaders-kit.js";
import { UNITS, unitId, unitName } from "./rankings.js";

addText({
  id: {
    lkBack: "← Semua peringkat", lkWeeks: "12 minggu terakhir ({range})", lkWeek: "Minggu",
    lkTrendChart: "Skor per minggu (batang) dan bagian yang ditindaklanjuti (garis)",
    lkTrendCaption: "Kinerja per minggu", lkNoUnit: "Unit ini tidak ditemukan.",
  },
  en: {
    lkBack: "← All rankings", lkWeeks: "Last 12 weeks ({range})", lkWeek: "Week",
    lkTrendChart: "Score per week (bars) and share followed up (line)",
    lkTrendCaption: "Performance by week", lkNoUnit: "This unit was not found.",
  },
});

const WEEKS = 12;
const FIELDS = "score followUpRate reopenRate received ranked rank area { id name } agency { id name }";
const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

// The weeks [from, to) as days, oldest first.
function weeks() {
  const monday = mondayOf(dayIn());
  return Array.from({ length: WEEKS }, (_, i) => {
    const from = addDays(monday, -7 * (WEEKS - 1 - i));
    return { from, to: addDays(from, 7) };
  });
}

function query(count) {
  const variables = Array.from({ length: count }, (_, i) => `$f${i}: DateTime!, $t${i}: DateTime!`).join(", ");
  const fields = Array.from({ length: count },
    (_, i) => `w${i}: performance(unit: $unit, from: $f${i}, to: $t${i}, areaId: $area) { ...Row }`).join(" ");
  return `query($unit: PerformanceUnit!, $area: ID, ${variables}) { ${fields} } fragment Row on PerformanceRow { ${FIELDS} }`;
}

// Bars of the score and a line of the share followed up, both 0 to 1 (0 to 100 on the scale), one slot a week.
function chart(rows) {
  const [left, right, top, bottom, width, height] = [26, 14, 8, 18, 360, 130];
  const slot = (width - left - right) / rows.length;
  const y = (share) => top + (1 - share) * (height - top - bottom);
  const x = (i) => left + i * slot + slot / 2;
  const ticks = [0, 0.5, 1].map((share) => svg("g", {},
    svg("line", { x1: String(left), x2: String(width - right), y1: String(y(share)), y2: String(y(share)),
      class: share ? "lk-trend-grid" : "lk-trend-axis" }),
    svg("text", { x: String(left - 4), y: String(y(share) + 3), "text-anchor": "end", class: "lk-trend-label" },
      String(share * 100))));
  const bars = rows.map(({ week, row }, i) => svg("g", {},
    svg("rect", { class: "lk-trend-bar", x: String(x(i) - slot / 2 + 3), y: String(y(row?.score ?? 0)),
      width: String(slot - 6), height: String(y(0) - y(row?.score ?? 0)) }),
    i % 3 === (rows.length - 1) % 3 ? svg("text", { x: String(x(i)), y: String(height - 4), "text-anchor": "middle",
      class: "lk-trend-label" }, shortDay(week.from)) : ""));
  const line = rows.map(({ row }, i) => `${x(i)},${y(row?.followUpRate ?? 0)}`).join(" ");
  return svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "lk-trend-svg", "aria-hidden": "true",
    focusable: "false" }, ...ticks, ...bars, svg("polyline", { points: line, class: "lk-trend-line" }));
}

export async function showUnit(element, app, arg) {
  const split = arg.indexOf(":");
  const kind = arg.slice(0, split);
  const id = decodeURIComponent(arg.slice(split + 1));
  const heading = h("h1", {}, t(`lkU_${kind}`));
  const status = h("p", { class: "lk-status", role: "status" }, t("lkLoading"));
  const box = h("div", { class: "lk-trend", "data-loaded": "false" });
  element.replaceChildren(h("div", { class: "lk-screen" },
    h("a", { href: "#/peringkat", class: "back" }, t("lkBack")), heading, status, box));
  if (split < 1 || !UNITS.includes(kind) || !id) {
    heading.textContent = t("lkTitle");
    status.textContent = t("lkNoUnit");
    return undefined;
  }
  const periods = weeks();
  const variables = { unit: kind, area: kind === "AGENCY" ? null : id };
  periods.forEach((week, i) => {
    variables[`f${i}`] = startOf(week.from);
    variables[`t${i}`] = startOf(week.to);
  });
  let data;
  try {
    data = await gql(query(WEEKS), variables);
  } catch (failure) {
    status.textContent = errorText(failure);
    box.dataset.loaded = "error";
    return undefined;
  }
  const rows = periods.map((week, i) => ({ week, row: data[`w${i}`].find((r) => unitId(r) === id) ?? null }));
  const named = rows.find((r) => r.row)?.row;
  if (!named) {
    status.textContent = t("lkNoUnit");
    return undefined;
  }
  heading.textContent = `${t(`lkU_${kind}`)}: ${unitName(named)}`;
  status.textContent = t("lkWeeks", { range: dayRange(periods[0].from, periods[WEEKS - 1].to) });
  const score = (r) => (r ? formatNumber(r.score * 100, 1) : "–");
  const table = new SortableTable({
    caption: t("lkTrendCaption"),
    rowAttributes: ({ week }) => ({ "data-week": week.from }),
    columns: [
      { key: "week", label: t("lkWeek"), rowHeader: true, cell: ({ week }) => dayRange(week.from, week.to) },
      { key: "received", label: t("lkReceived"), numeric: true, cell: ({ row }) => formatNumber(row?.received ?? 0) },
      { key: "score", label: t("lkScore"), numeric: true, cell: ({ row }) => score(row) },
      { key: "followUpRate", label: t("lkFollowUpRate"), numeric: true,
        cell: ({ row }) => formatPercent(row?.followUpRate ?? 0) },
      { key: "reopenRate", label: t("lkReopenRate"), numeric: true, cell: ({ row }) => formatPercent(row?.reopenRate ?? 0) },
    ],
  });
  table.setRows(rows);
  const chartId = uid("lk-trend");
  box.replaceChildren(
    h("figure", { class: "lk-figure", "aria-labelledby": chartId }, h("figcaption", { id: chartId }, t("lkTrendChart")),
      chart(rows)),
    table.element);
  box.dataset.loaded = "true";
  box.dataset.weeks = String(WEEKS);
  return undefined;
}
