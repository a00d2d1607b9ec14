// What the flood view says of a gauge, a pump station and the whole area, in words beside the colours (a colour
// is never the only signal): the lists and the map's popups show the same facts.
import { formatNumber, t } from "./i18n.js";
import { h, time } from "./views.js";

const DOWN = new Set(["FAULT", "OFFLINE"]);
// The lists put the stations that need someone first.
const STATION_ORDER = { FAULT: 0, OFFLINE: 1, ALERT: 2, OK: 3 };

export function isDown(asset) {
  return DOWN.has(asset.status);
}

export function byUrgency(stations) {
  return [...stations].sort((a, b) => STATION_ORDER[a.status] - STATION_ORDER[b.status]
    || a.name.localeCompare(b.name));
}

// "Siaga 1", on the level's colour; a gauge that never reported has no level.
export function alertBadge(level) {
  return h("span", { class: `alert-badge alert-${level ?? "NONE"}`, "data-alert": level ?? "" },
    t(`a_${level ?? "NONE"}`));
}

export function levelText(level) {
  return level ? `${t(`a_${level}`)} (${t(`w_${level}`)})` : t("a_NONE");
}

export function statusBadge(asset) {
  return h("span", { class: `status-badge asset-${asset.status}`, "data-status": asset.status }, t(`s_${asset.status}`));
}

export function gaugeTitle(gauge) {
  return `${gauge.name}: ${levelText(gauge.alertLevel)}`;
}

export function stationTitle(station) {
  return `${station.name}: ${t(`s_${station.status}`)}, ${pumpsText(station)}`;
}

function pumpsText(station) {
  return t("pumps", { n: station.pumpsRunning ?? 0, total: station.pumpsTotal ?? 0 });
}

function lastReading(asset, zone) {
  return h("p", { class: "small last-reading" }, asset.lastReadingAt
    ? [`${t("lastReading")} `, time(asset.lastReadingAt, zone)] : t("noReading"));
}

// The level with its words and the height, against this gauge's own thresholds, and when it was read; a gauge
// that stopped reporting says so beside its last figures.
export function gaugeFacts(gauge, zone) {
  const level = gauge.alertLevel;
  return [
    h("p", { class: "facts" }, alertBadge(level), " ", level && h("span", { class: "alert-words" }, t(`w_${level}`)),
      isDown(gauge) && [" ", statusBadge(gauge)],
      gauge.waterLevelCm !== null && [" ", h("span", { class: "water-level" },
        t("waterLevel", { cm: gauge.waterLevelCm }))]),
    h("p", { class: "small thresholds" },
      t("thresholds", { s3: gauge.siaga3Cm, s2: gauge.siaga2Cm, s1: gauge.siaga1Cm })),
    lastReading(gauge, zone),
  ];
}

export function stationFacts(station, zone) {
  return [
    h("p", { class: "facts" }, statusBadge(station), " ", h("span", { class: "pumps" }, pumpsText(station))),
    lastReading(station, zone),
  ];
}

// The area at a glance: the highest alert (in words and colour), the pumps, the stations down, the reports.
export function summary(status) {
  const stat = (name, value, label, ...shown) => h("div", { class: `stat stat-${name}`, "data-stat": name,
    "data-value": value }, h("dt", {}, t(label)), h("dd", {}, ...shown));
  const level = status.highestAlert;
  const highest = stat("highestAlert", level, "highestAlert", alertBadge(level), " ",
    h("span", { class: "alert-words" }, t(`w_${level}`)));
  highest.classList.add(`alert-${level}`); // its edge in the level's colour
  return h("dl", { class: "flood-stats" }, highest,
    stat("pumpsRunning", `${status.pumpsRunning}/${status.pumpsTotal}`, "pumpsRunning",
      t("nOfTotal", { n: status.pumpsRunning, total: status.pumpsTotal })),
    stat("stationsDown", `${status.pumpStationsDown}/${status.pumpStations}`, "stationsDown",
      t("nOfTotal", { n: status.pumpStationsDown, total: status.pumpStations })),
    stat("floodReports", String(status.floodReportsLast24h), "floodReports24h",
      formatNumber(status.floodReportsLast24h)));
}
