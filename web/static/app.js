// The transparency page: feed, map and report pages of one city or all, kept current over one WebSocket;
// signed in, the polls of the viewer's area and, for officials, what their area complains about.
import { Live, gql } from "./api.js";
import { catalogOf, cityCodeInUrl, cityLabel, keepCityInUrl, loadCities } from "./cities.js";
import { FloodView } from "./flood.js";
import { lang, setLang, t } from "./i18n.js";
import { InsightsPanel } from "./insights.js";
import { ClusterMap } from "./map.js";
import { PollsPanel } from "./polls.js";
import { OFFICIAL_ROLES, setUpSession } from "./session.js";
import { FLOOD, REPORTS, Tabs, viewInUrl } from "./tabs.js";
import { CARD, card, h, reportPage } from "./views.js";

const FEED = `query($filter: ReportFilter, $after: String) {
  feed(filter: $filter, first: 20, after: $after) { edges { node { ${CARD} } } pageInfo { endCursor hasNextPage } } }`;
const REPORT = `query($id: ID!) { report(id: $id) { ${CARD} address location { lat lng } author { handle }
  followUps { note createdAt officer { displayName } photos { url thumbnailUrl } }
  rating { stars comment } escalationLevel escalatedTo { name } rejectReason
  timeline { kind status note createdAt actor { handle } } } }`;
const CLUSTERS = `query($bbox: BBoxInput!, $zoom: Int!, $filter: ReportFilter) {
  mapClusters(bbox: $bbox, zoom: $zoom, filter: $filter) { count center { lat lng }
    report { id badge handled category { name } } } }`;
const FEED_UPDATED = `subscription($filter: ReportFilter) { feedUpdated(filter: $filter) { ${CARD} } }`;
const REPORT_CHANGED = "subscription($id: ID!) { reportChanged(reportId: $id) { id } }";

const state = { cities: [], city: null, view: REPORTS, filter: {}, after: null, feedGeneration: 0, stopFeed: null,
  stopReport: null };
const feed = document.getElementById("feed");
const more = document.getElementById("more");
const form = document.getElementById("filters");
const live = new Live((status) => {
  const badge = document.getElementById("live");
  const was = badge.dataset.state;
  badge.dataset.state = status;
  badge.dataset.i18n = status;
  badge.textContent = t(status);
  if (status === "live") { // catch up on what happened while the socket was down
    loadFeed();
    flood.load(); // (nothing unless the flood view is shown)
  }
  if (status === "live" && was === "offline") polls.load();
}, () => expired()); // the socket refused the token and connects again signed out by itself
const polls = new PollsPanel(document.getElementById("polls"), live, () => {
  expired();
  live.reconnect();
});
const insights = new InsightsPanel(document.getElementById("insights"));
// Signing in or out: a socket with the new credentials, the viewer's polls, the officials' panel.
const session = setUpSession((viewer) => {
  live.reconnect();
  showViewer(viewer);
});

// The server no longer knows the token (expired, or signed out elsewhere): say so, carry on signed out.
function expired() {
  session.expired();
  showViewer(null);
}

function showViewer(viewer) {
  polls.load(viewer);
  insights.show(viewer && OFFICIAL_ROLES.has(viewer.role) ? viewer : null);
}
const openReport = (id) => { location.hash = `#/r/${encodeURIComponent(id)}`; };
const map = new ClusterMap("map", async (bbox, zoom) =>
  (await gql(CLUSTERS, { bbox, zoom, filter: filterVariables() })).mapClusters, openReport);
const flood = new FloodView(document.getElementById("flood-view"), live, map, openReport);
const tabs = new Tabs(document.getElementById("tabs"), pickView);

function filterVariables() {
  return Object.keys(state.filter).length ? state.filter : null;
}

function readFilter() {
  const data = new FormData(form);
  const filter = {};
  if (state.city) filter.cityId = state.city.id;
  const area = data.get("village") || data.get("district");
  if (area) filter.areaId = area;
  if (data.get("category")) filter.categoryCodes = [data.get("category")];
  if (data.get("status")) filter.statuses = [data.get("status")];
  return filter;
}

async function loadFeed(append = false) {
  const generation = append ? state.feedGeneration : ++state.feedGeneration;
  const data = await gql(FEED, { filter: filterVariables(), after: append ? state.after : null });
  if (generation !== state.feedGeneration) return; // the filter changed meanwhile: its own answer is shown
  const cards = data.feed.edges.map((edge) => card(edge.node));
  if (append) feed.append(...cards);
  else feed.replaceChildren(...(cards.length ? cards : [h("li", { class: "empty" }, t("empty"))]));
  state.after = data.feed.pageInfo.endCursor;
  more.hidden = !data.feed.pageInfo.hasNextPage;
}

// A new or changed report: replace its card in place, or put it on top.
function showLive(report) {
  const fresh = card(report);
  const existing = feed.querySelector(`[data-report-id="${CSS.escape(report.id)}"]`);
  if (existing) existing.replaceWith(fresh);
  else {
    feed.querySelector(".empty")?.remove();
    feed.prepend(fresh);
  }
  map.refresh();
}

function watchFeed() {
  state.stopFeed?.();
  state.stopFeed = live.subscribe(FEED_UPDATED, { filter: filterVariables() }, (data) => showLive(data.feedUpdated));
}

async function showReport(id) {
  const view = document.getElementById("report-view");
  const render = async () => {
    const report = (await gql(REPORT, { id })).report;
    view.replaceChildren(reportPage(report));
    if (report) map.focus(report.location);
  };
  await render();
  state.stopReport?.();
  state.stopReport = live.subscribe(REPORT_CHANGED, { id }, render);
  view.hidden = false;
  document.getElementById("feed-view").hidden = true;
  document.getElementById("flood-view").hidden = true;
}

function route() {
  const match = location.hash.match(/^#\/r\/(.+)$/);
  if (match) return showReport(decodeURIComponent(match[1]));
  state.stopReport?.();
  state.stopReport = null;
  document.getElementById("report-view").hidden = true;
  document.getElementById("feed-view").hidden = state.view === FLOOD;
  document.getElementById("flood-view").hidden = state.view !== FLOOD;
}

// A tab picked (a report's page open: back to the list, of the view picked).
function pickView(view) {
  if (view !== state.view) {
    state.view = view;
    showView();
  }
  if (location.hash.startsWith("#/r/")) location.hash = "#/";
  else route();
}

// The flood view of the picked city, its layer instead of the reports' clusters on the map; or the reports.
function showView() {
  tabs.select(state.view);
  map.showClusters(state.view !== FLOOD);
  if (state.view !== FLOOD) return flood.stop();
  const city = state.city;
  flood.start({ area: city?.area.id ?? null, city: city?.id ?? null, place: city?.name ?? t("allCities"),
    zone: city?.timezone });
}

// The first option ("all") stays; so does the choice, where the new options still offer it.
function options(select, items) {
  const chosen = select.value;
  select.replaceChildren(select.options[0], ...items.map(([value, label]) => h("option", { value }, label)));
  if (items.some(([value]) => value === chosen)) select.value = chosen;
}

// The picked city (or all): into the URL and the title, its categories and kecamatan into the filters, its
// area into view. False when another city was picked while its catalog was on the way.
async function showCity() {
  const city = state.cities.find((c) => c.code === form.elements.city.value) ?? null;
  state.city = city;
  keepCityInUrl(city?.code ?? "");
  document.title = `Warga — ${t("title")}${city ? ` · ${city.name}` : ""}`;
  const catalog = await catalogOf(city, state.cities);
  if (state.city !== city) return false;
  options(form.elements.category, catalog.categories.map((c) => [c.code, c.name]));
  options(form.elements.district, catalog.districts.map((a) => [a.id, a.name]));
  form.elements.district.value = ""; // a kecamatan of the city before would narrow "all" to it
  options(form.elements.village, []);
  map.fit(catalog.points);
  return true;
}

async function showVillages() {
  const district = form.elements.district.value;
  const villages = district ? (await gql(`query($p: ID) { areas(parentId: $p, level: VILLAGE) { id name } }`,
    { p: district })).areas : [];
  options(form.elements.village, villages.map((a) => [a.id, a.name]));
}

function applyFilter() {
  state.filter = readFilter();
  loadFeed();
  watchFeed();
  map.refresh();
}

async function setUp() {
  setLang(lang);
  document.getElementById("lang").textContent = lang === "id" ? "EN" : "ID";
  state.cities = await loadCities();
  options(form.elements.city, state.cities.map((c) => [c.code, cityLabel(c)]));
  form.elements.city.value = cityCodeInUrl();
  if (form.elements.city.selectedIndex < 0) form.elements.city.value = ""; // a city Warga does not know: all
  await showCity();
  state.view = viewInUrl();
  showView();
  options(form.elements.status, ["WAITING", "IN_PROGRESS", "FOLLOWED_UP", "CLOSED", "REOPENED", "REJECTED"]
    .map((s) => [s, t(s)]));
  form.addEventListener("change", async (event) => {
    if (event.target.name === "city" && !(await showCity())) return;
    if (event.target.name === "city" && state.view === FLOOD) showView();
    if (event.target.name === "district") showVillages();
    applyFilter();
  });
  more.addEventListener("click", () => loadFeed(true));
  document.getElementById("lang").addEventListener("click", () => {
    setLang(lang === "id" ? "en" : "id");
    location.reload(); // dates, badges and status names are rendered in the language
  });
  window.addEventListener("hashchange", route);
  showViewer(await session.restore());
  state.filter = readFilter();
  await loadFeed();
  watchFeed();
  map.refresh();
  route();
  document.body.dataset.ready = "true";
}

setUp();
