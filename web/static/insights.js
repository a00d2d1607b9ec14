// The officials' panel: what people of their area complain about more this week (trending topics, with
// sample reports that open the report's page) and the categories running far above their usual rate.
import { gql } from "./api.js";
import { errorText } from "./errors.js";
import { formatNumber, t } from "./i18n.js";
import { Panel } from "./panel.js";
import { h } from "./views.js";

const TRENDING = `query($area: ID, $from: DateTime!, $to: DateTime!) {
  trendingTopics(areaId: $area, from: $from, to: $to, first: 10) { term label count previousCount growth
    sampleReports { id body category { name } area { name } } } }`;
const SURGES = `query($area: ID) {
  surges(areaId: $area) { area { id name } category { code name } count usual ratio } }`;
const WEEK_MS = 7 * 24 * 3600 * 1000;

export class InsightsPanel {
  constructor(element) {
    this.element = element;
    this.panel = new Panel(element, "insights");
    this.refresh = h("button", { type: "button", class: "small-button", "data-i18n": "refresh" }, t("refresh"));
    this.refresh.addEventListener("click", () => this.load());
    this.panel.tools.append(this.refresh);
    this.trending = h("section", { class: "trending", "aria-labelledby": "trending-title" });
    this.surges = h("section", { class: "surges", "aria-labelledby": "surges-title" });
    this.panel.body.append(this.surges, this.trending); // the urgent first
    this.viewer = null;
    this.generation = 0;
  }

  // Resolves once shown (at once when hidden).
  async show(viewer) {
    this.viewer = viewer;
    this.element.hidden = !viewer;
    if (viewer) await this.load();
    else this.generation++;
  }

  async load() {
    const viewer = this.viewer;
    if (!viewer) return;
    const generation = ++this.generation;
    // Their own area; an agency head without one, the area their agency serves; an admin, the whole city.
    const watched = viewer.area ?? viewer.agency?.area ?? null;
    this.panel.heading(watched ? t("insightsOf", { area: watched.name }) : t("insights"));
    this.element.setAttribute("aria-busy", "true");
    // The last 7 days to the minute, against the 7 before (the server compares the two).
    const to = new Date(Math.ceil(Date.now() / 60000) * 60000);
    const from = new Date(to.getTime() - WEEK_MS);
    const area = watched?.id ?? null;
    const [trending, surges] = await Promise.allSettled([
      gql(TRENDING, { area, from: from.toISOString(), to: to.toISOString() }, { auth: true }),
      gql(SURGES, { area }, { auth: true }),
    ]);
    if (generation !== this.generation) return;
    this.element.removeAttribute("aria-busy");
    this.trending.replaceChildren(h("h3", { id: "trending-title" }, t("trending")),
      trending.status === "fulfilled" ? topics(trending.value.trendingTopics) : failed(trending.reason));
    this.surges.replaceChildren(h("h3", { id: "surges-title" }, t("surges")),
      surges.status === "fulfilled" ? surgeList(surges.value.surges) : failed(surges.reason));
    this.element.dataset.loaded = "true";
  }
}

function failed(error) {
  return h("p", { class: "error", role: "alert" }, errorText(error, "watch"));
}

function excerpt(text, length = 90) {
  return text.length > length ? `${text.slice(0, length - 1).trimEnd()}…` : text;
}

function topics(rows) {
  if (!rows.length) return h("p", { class: "empty" }, t("noTrending"));
  return h("ol", { class: "topics" }, rows.map((topic) => h("li", { class: "topic", "data-term": topic.term },
    h("div", { class: "topic-head" },
      h("strong", { class: "term" }, topic.label),
      h("span", { class: "growth" }, t("growth", { x: topic.growth }))),
    h("p", { class: "small" },
      `${t("trendCount", { n: topic.count })} · ${t("trendPrevious", { n: topic.previousCount })}`),
    // Folded: the same few reports often carry several of the rising words.
    topic.sampleReports.length > 0 && h("details", { class: "samples" },
      h("summary", {}, `${t("samples")} (${topic.sampleReports.length})`),
      h("ul", {}, topic.sampleReports.map((report) => h("li", {},
        h("a", { href: `#/r/${encodeURIComponent(report.id)}`, "data-report-id": report.id },
          h("span", { class: "sample-category" }, report.category.name), " — ", excerpt(report.body)))))))));
}

function surgeList(rows) {
  if (!rows.length) return h("p", { class: "empty" }, t("noSurges"));
  return h("ul", { class: "surge-list" }, rows.map((surge) => h("li", {
    class: "surge", "data-category": surge.category.code, "data-area-id": surge.area.id },
  h("div", { class: "topic-head" },
    h("strong", {}, t("surgeIn", { category: surge.category.name, area: surge.area.name })),
    h("span", { class: "growth surge-ratio" }, t("surgeRatio", { x: surge.ratio }))),
  h("p", { class: "small" },
    `${t("surgeCount", { n: surge.count })} · ${t("surgeUsual", { x: formatNumber(surge.usual, 2) })}`))));
}

