// The flood view of the picked city (its area) or of every city: the picture at a glance (floodStatus), the
// gauges by level and the pump stations by state as lists that work without the map, the last day's flood
// reports, and the map's layer; kept current over the page's socket (assetChanged, feedUpdated).
import { gql } from "./api.js";
import { errorText } from "./errors.js";
import { byUrgency, gaugeFacts, levelText, stationFacts, summary } from "./floodfacts.js";
import { FloodLayer } from "./floodmap.js";
import { t } from "./i18n.js";
import { Panel } from "./panel.js";
import { CARD, card, h } from "./views.js";

const ASSET = `id code name kind status waterLevelCm alertLevel siaga3Cm siaga2Cm siaga1Cm pumpsRunning pumpsTotal
  lastReadingAt location { lat lng }`;
const STATUS = `floodStatus(areaId: $area) { highestAlert pumpStations pumpsRunning pumpsTotal pumpStationsDown
  floodReportsLast24h gauges { ${ASSET} } }`;
// Street lights are not the flood's: only basins, drains and pump stations besides the gauges.
const LOAD = `query($area: ID, $city: ID) { ${STATUS}
  shapes: assets(kinds: [RIVER_BASIN, DRAIN], areaId: $area) { ${ASSET} geometry }
  stations: assets(kinds: [PUMP_STATION], areaId: $area) { ${ASSET} }
  categories(cityId: $city) { code assetKinds } }`;
const REFRESH = `query($area: ID) { ${STATUS} }`;
const REPORT = `${CARD} location { lat lng } riverBasin { name }`;
const REPORTS = `query($filter: ReportFilter) { feed(filter: $filter, first: 50) { edges { node { ${REPORT} } } } }`;
const ASSET_CHANGED = `subscription($area: ID) {
  assetChanged(kinds: [FLOODGATE, WATER_LEVEL_POST, PUMP_STATION], areaId: $area) { ${ASSET} } }`;
const REPORT_UPDATED = `subscription($filter: ReportFilter) { feedUpdated(filter: $filter) { ${REPORT} } }`;
const DAY_MS = 24 * 3600 * 1000;
const SETTLE_MS = 200; // readings come in bursts (a gateway's batch): one floodStatus for the lot

// The flood reports are those floodStatus counts: citizens' reports of the last day in the categories about
// pump stations (Banjir, Selokan mampet).
function reportFilter(scope, categories) {
  const since = new Date(Math.floor((Date.now() - DAY_MS) / 60000) * 60000); // to the minute: cacheable
  const codes = categories.filter((c) => c.assetKinds.includes("PUMP_STATION")).map((c) => c.code);
  return { categoryCodes: codes, since: since.toISOString(), kind: "CITIZEN", areaId: scope.area };
}

// A list rebuilt live keeps the keyboard's place in it.
function refill(list, items) {
  const key = list.contains(document.activeElement) ? document.activeElement.dataset.focusKey : null;
  list.replaceChildren(...items);
  if (key) list.querySelector(`[data-focus-key="${CSS.escape(key)}"]`)?.focus();
}

export class FloodView {
  constructor(element, live, pageMap, openReport) {
    this.element = element;
    this.live = live;
    this.layer = new FloodLayer(pageMap, openReport);
    this.title = h("h1", { id: "flood-title" }); // the view's heading (the feed's own is in the feed's view)
    this.stats = h("div", { class: "flood-stats-box" });
    this.announcer = h("p", { class: "sr-only", "aria-live": "polite" }); // a gauge's new level, said aloud
    const panel = (name) => new Panel(h("section", { class: "panel", "aria-labelledby": `${name}-title` }), name);
    this.gauges = panel("gauges");
    this.stations = panel("stations");
    this.reportsPanel = panel("flood-reports");
    element.replaceChildren(h("section", { class: "panel flood-summary", "aria-labelledby": "flood-title" },
      this.title, this.stats), this.gauges.element, this.stations.element, this.reportsPanel.element, this.announcer);
    this.scope = null;
    this.stops = [];
    this.generation = 0; // of loads: a city or view changed
    this.refreshes = 0; // of floodStatus refreshes: the latest asked is the one shown
    this.timer = null;
    this.assets = new Map(); // gauges and pump stations by id, as last heard
    this.reports = new Map(); // newest first
  }

  // `scope`: { area, city, place, zone } of the picked city, or nulls and "all cities".
  start(scope) {
    this.scope = scope;
    this.fitPending = true; // once drawn, the map frames the city's waterways (not on every reload)
    delete this.element.dataset.loaded; // until this scope's answer is shown
    this.layer.show(true);
    return this.load();
  }

  stop() {
    this.scope = null;
    this.generation++;
    clearTimeout(this.timer);
    this.unsubscribe();
    this.layer.show(false);
  }

  unsubscribe() {
    for (const stop of this.stops) stop();
    this.stops = [];
  }

  // Everything again: on start, and after the socket was down (what happened meanwhile).
  async load() {
    const scope = this.scope;
    if (!scope) return;
    const generation = ++this.generation;
    this.title.textContent = t("floodOf", { place: scope.place });
    this.element.setAttribute("aria-busy", "true");
    let data, filter, reports;
    try {
      data = await gql(LOAD, { area: scope.area, city: scope.city });
      filter = reportFilter(scope, data.categories);
      reports = filter.categoryCodes.length ? (await gql(REPORTS, { filter })).feed.edges.map((e) => e.node) : [];
    } catch (error) {
      if (generation !== this.generation) return;
      this.element.removeAttribute("aria-busy");
      this.stats.replaceChildren(h("p", { class: "error", role: "alert" }, errorText(error)));
      return;
    }
    if (generation !== this.generation) return; // another city, or the other view, meanwhile
    this.status = data.floodStatus;
    this.assets = new Map([...data.floodStatus.gauges, ...data.stations].map((a) => [a.id, a]));
    this.reports = new Map(reports.map((r) => [r.id, r]));
    this.layer.draw({ shapes: data.shapes, gauges: data.floodStatus.gauges, stations: data.stations, reports },
      scope.zone);
    if (this.fitPending) this.layer.fit();
    this.fitPending = false;
    this.render();
    this.watch(filter);
    this.element.removeAttribute("aria-busy");
    this.element.dataset.loaded = "true";
  }

  watch(filter) {
    this.unsubscribe();
    this.stops.push(this.live.subscribe(ASSET_CHANGED, { area: this.scope.area },
      (data) => this.changed(data.assetChanged)));
    if (filter.categoryCodes.length) {
      this.stops.push(this.live.subscribe(REPORT_UPDATED, { filter }, (data) => this.reported(data.feedUpdated)));
    }
  }

  // A gauge or station changed: its marker and the stations' list now, the summary and the gauges' order from
  // the server's floodStatus once the burst is over.
  changed(asset) {
    const before = this.assets.get(asset.id);
    this.assets.set(asset.id, asset);
    this.layer.update(asset);
    if (asset.kind === "PUMP_STATION") {
      this.renderStations();
      if (before?.status !== asset.status) this.say(`${asset.name}: ${t(`s_${asset.status}`)}`);
    } else if (before?.alertLevel !== asset.alertLevel) {
      this.say(t("nowAt", { name: asset.name, level: levelText(asset.alertLevel) }));
    }
    this.settle();
  }

  // A new flood report goes on top; a changed one keeps its place (a Map keeps the order of its keys).
  reported(report) {
    if (this.reports.has(report.id)) this.reports.set(report.id, report);
    else this.reports = new Map([[report.id, report], ...this.reports]);
    this.layer.drawReports([...this.reports.values()]);
    this.renderReports();
    this.settle();
  }

  settle() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), SETTLE_MS);
  }

  async refresh() {
    const scope = this.scope;
    if (!scope) return;
    const generation = this.generation;
    const asked = ++this.refreshes;
    let status;
    try {
      status = (await gql(REFRESH, { area: scope.area })).floodStatus;
    } catch {
      return; // the next event or reconnection tries again; what is shown stays
    }
    if (generation !== this.generation || asked !== this.refreshes) return;
    this.status = status;
    for (const gauge of status.gauges) {
      this.assets.set(gauge.id, gauge);
      this.layer.update(gauge);
    }
    this.renderSummary();
    this.renderGauges();
  }

  say(text) {
    this.announcer.textContent = text;
  }

  render() {
    this.renderSummary();
    this.renderGauges();
    this.renderStations();
    this.renderReports();
  }

  renderSummary() {
    this.stats.replaceChildren(summary(this.status));
    this.element.dataset.highestAlert = this.status.highestAlert;
  }

  // Most dangerous first, as floodStatus lists them.
  renderGauges() {
    const gauges = this.status.gauges.map((g) => this.assets.get(g.id) ?? g);
    this.gauges.heading(t("gauges"), gauges.length);
    this.fill(this.gauges, "gauge-list", gauges, "noGauges", (g) => ({ class: `gauge alert-${g.alertLevel ?? "NONE"}`,
      "data-alert": g.alertLevel ?? "" }), gaugeFacts);
  }

  renderStations() {
    const stations = byUrgency([...this.assets.values()].filter((a) => a.kind === "PUMP_STATION"));
    this.stations.heading(t("stations"), stations.length);
    this.fill(this.stations, "station-list", stations, "noStations", (s) => ({ class: `station asset-${s.status}`,
      "data-status": s.status }), stationFacts);
  }

  // One list of assets: each with its name, its facts, and a button that shows it on the map.
  fill(panel, name, assets, none, attributes, facts) {
    if (!assets.length) {
      panel.body.replaceChildren(h("p", { class: "empty" }, t(none)));
      return;
    }
    let list = panel.body.querySelector(`.${name}`);
    if (!list) panel.body.replaceChildren(list = h("ol", { class: `asset-list ${name}` }));
    refill(list, assets.map((asset) => {
      const show = h("button", { type: "button", class: "small-button", "data-focus-key": asset.id,
        "aria-label": t("showOnMapOf", { name: asset.name }) }, t("showOnMap"));
      show.addEventListener("click", () => this.layer.open(asset.id));
      return h("li", { ...attributes(asset), "data-code": asset.code },
        h("div", { class: "asset-body" },
          h("p", { class: "asset-head" }, h("strong", { class: "asset-name" }, asset.name), " ",
            asset.kind !== "PUMP_STATION" && h("span", { class: "small" }, t(`k_${asset.kind}`))),
          facts(asset, this.scope.zone)), show);
    }));
  }

  renderReports() {
    const reports = [...this.reports.values()];
    this.reportsPanel.heading(t("floodReports"), reports.length);
    this.reportsPanel.body.replaceChildren(reports.length ? h("ol", { class: "flood-report-list", id: "flood-feed" },
      reports.map(card)) : h("p", { class: "empty" }, t("noFloodReports")));
  }
}
