// The web app. Its public part: feed, map and report pages of one city or all, kept current over one WebSocket;
// signed in, the polls of the viewer's area and, for officials, what their area complains about. The other
// screens (posting, the queue, rankings…) are modules of their own, loaded when first opened (screens.js).
// Leaflet waits until the first page of the feed is shown: a phone on 3G sees reports first.
import { Live, gql } from "./api.js";
import { catalogOf, cityCodeInUrl, cityLabel, keepCityInUrl, loadCities } from "./cities.js";
import { lang, setLang, t } from "./i18n.js";
import { InsightsPanel } from "./insights.js";
import { outbox } from "./outbox.js";
import { PollsPanel } from "./polls.js";
import { ReportView } from "./report.js";
import { Screens, screenOf } from "./screens.js";
import { OFFICIAL_ROLES, setUpSession } from "./session.js";
import { FLOOD, REPORTS, Tabs, viewInUrl } from "./tabs.js";
import { CARD, card, h, showCard } from "./views.js";

const FEED = `query($filter: ReportFilter, $after: String) {
  feed(filter: $filter, first: 20, after: $after) { edges { node { ${CARD} } } pageInfo { endCursor hasNextPage } } }`;
const CLUSTERS = `query($bbox: BBoxInput!, $zoom: Int!, $filter: ReportFilter) {
  mapClusters(bbox: $bbox, zoom: $zoom, filter: $filter) { count center { lat lng }
    report { id badge handled category { name } } } }`;
const FEED_UPDATED = `subscription($filter: ReportFilter) { feedUpdated(filter: $filter) { ${CARD} } }`;

// Before anything paints: a screen hides the feed's filters and the map (style.css), so nothing moves later.
document.body.dataset.screen = screenOf(location.hash) ?? "";
const state = { cities: [], city: null, view: REPORTS, filter: {}, after: null, feedGeneration: 0, stopFeed: null,
  viewer: null, points: null, focus: null };
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
    loadFeed().catch(() => {});
    flood?.load(); // (nothing unless the flood view is shown)
  }
  if (status === "live" && was === "offline") polls.load();
  screens.connected(status);
}, () => expired()); // the socket refused the token and connects again signed out by itself
const polls = new PollsPanel(document.getElementById("polls"), live, () => {
  expired();
  live.reconnect();
});
const insights = new InsightsPanel(document.getElementById("insights"));
// Signing in or out: a socket with the new credentials, the viewer's polls, the officials' panel, the menu.
const session = setUpSession((viewer) => {
  live.reconnect();
  showViewer(viewer);
  route();
});

// The server no longer knows the token (expired, or signed out elsewhere): say so, carry on signed out.
function expired() {
  session.expired();
  showViewer(null);
}

// The panels above the feed, once first shown: the feed's first page waits for them, so that it appears where
// it stays (a panel filled in above it would push it down under the reader's eyes).
let panelsShown;
const panelsFirstShown = new Promise((resolve) => { panelsShown = resolve; });

function showViewer(viewer) {
  state.viewer = viewer;
  panelsShown(Promise.allSettled([polls.load(viewer),
    insights.show(viewer && OFFICIAL_ROLES.has(viewer.role) ? viewer : null)]));
  screens.showViewer(viewer);
  outbox.start(viewer).catch(() => {}); // (no IndexedDB in a private window: posting then needs the network)
}
const openReport = (id) => { location.hash = `#/r/${encodeURIComponent(id)}`; };
const app = { live, openReport, viewer: () => state.viewer,
  focus: (point) => {
    state.focus = point;
    pageMap?.focus(point);
  },
  // A new account's token is set: the app as that viewer.
  signedIn: async () => {
    live.reconnect();
    showViewer(await session.restore());
  } };
const screens = new Screens(document.getElementById("screen"), app);
const reportView = new ReportView(document.getElementById("report-view"), app);
const tabs = new Tabs(document.getElementById("tabs"), pickView);
let pageMap = null; // the map, once its module (and Leaflet) has loaded
let mapLoading = null;
let flood = null; // the flood view, once first shown

function loadMap() {
  mapLoading ??= import("./map.js").then(({ ClusterMap }) => {
    pageMap = new ClusterMap("map", async (bbox, zoom) =>
      (await gql(CLUSTERS, { bbox, zoom, filter: filterVariables() })).mapClusters, openReport);
    if (state.focus) pageMap.focus(state.focus);
    else if (state.points) pageMap.fit(state.points);
    pageMap.showClusters(state.view !== FLOOD);
    return pageMap;
  });
  return mapLoading;
}

async function floodView() {
  const [{ FloodView }, map] = await Promise.all([import("./flood.js"), loadMap()]);
  flood ??= new FloodView(document.getElementById("flood-view"), live, map, openReport);
  return flood;
}

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
  await panelsFirstShown;
  if (generation !== state.feedGeneration) return; // the filter changed meanwhile: its own answer is shown
  const cards = data.feed.edges.map((edge) => card(edge.node));
  if (append) feed.append(...cards);
  else feed.replaceChildren(...(cards.length ? cards : [h("li", { class: "empty" }, t("empty"))]));
  state.after = data.feed.pageInfo.endCursor;
  more.hidden = !data.feed.pageInfo.hasNextPage;
}

function showLive(report) {
  showCard(feed, report);
  pageMap?.refresh();
}

function watchFeed() {
  state.stopFeed?.();
  state.stopFeed = live.subscribe(FEED_UPDATED, { filter: filterVariables() }, (data) => showLive(data.feedUpdated));
}

// The hash picks what main shows: a screen of the app (#/lapor…), a report (#/r/<id>), or the feed or flood view.
function route() {
  const onScreen = screens.route(location.hash);
  document.body.dataset.screen = onScreen ? screens.current : "";
  const match = location.hash.match(/^#\/r\/(.+)$/);
  if (match && !onScreen) reportView.show(decodeURIComponent(match[1]));
  else {
    reportView.hide();
    state.focus = null;
  }
  document.getElementById("feed-view").hidden = onScreen || Boolean(match) || state.view === FLOOD;
  document.getElementById("flood-view").hidden = onScreen || Boolean(match) || state.view !== FLOOD;
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
async function showView() {
  tabs.select(state.view);
  pageMap?.showClusters(state.view !== FLOOD);
  if (state.view !== FLOOD) return flood?.stop();
  const city = state.city;
  return (await floodView()).start({ area: city?.area.id ?? null, city: city?.id ?? null,
    place: city?.name ?? t("allCities"), zone: city?.timezone });
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
  state.points = catalog.points;
  pageMap?.fit(catalog.points);
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
  pageMap?.refresh();
}

// The feed of every city needs nothing else first, so it is asked for at once; the viewer, the cities and their
// catalog meanwhile. Offline (a reload with reports waiting to send), the screens still open.
async function setUp() {
  setLang(lang);
  document.getElementById("lang").textContent = lang === "id" ? "EN" : "ID";
  window.addEventListener("hashchange", route);
  const allCities = !cityCodeInUrl();
  const firstPage = allCities ? loadFeed() : null;
  firstPage?.catch(() => {}); // (awaited below, where its failure is shown)
  const viewer = session.restore();
  state.view = viewInUrl();
  options(form.elements.status, ["WAITING", "IN_PROGRESS", "FOLLOWED_UP", "CLOSED", "REOPENED", "REJECTED"]
    .map((s) => [s, t(s)]));
  showViewer(await viewer);
  route();
  try {
    state.cities = await loadCities();
    options(form.elements.city, state.cities.map((c) => [c.code, cityLabel(c)]));
    form.elements.city.value = cityCodeInUrl();
    if (form.elements.city.selectedIndex < 0) form.elements.city.value = ""; // a city Warga does not know: all
    await showCity();
    showView();
    state.filter = readFilter();
    await (firstPage ?? loadFeed());
  } catch {
    feed.replaceChildren(h("li", { class: "empty" }, t("err_NETWORK")));
  }
  watchFeed();
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
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js").catch(() => {});
  document.body.dataset.ready = "true";
  // The map once it is in view (on a phone it is below the reports; a screen has none).
  const seen = new IntersectionObserver((entries) => {
    if (entries.some((entry) => entry.isIntersecting)) {
      seen.disconnect();
      loadMap();
    }
  });
  seen.observe(document.getElementById("map"));
}

setUp();
