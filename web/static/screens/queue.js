// The officials' work queue (CROP): the reports they may act on, overdue first, then oldest; filtered by status,
// category and kelurahan; new and changed reports in it arrive live.
import { gql } from "../api.js";
import { errorText } from "../errors.js";
import { addText, t } from "../i18n.js";
import { pagedList } from "../paged.js";
import { CARD, card, h } from "../views.js";

addText({
  id: { queueTitle: "Antrian kerja", queueEmpty: "Tidak ada laporan yang menunggu Anda.", allStatuses: "Semua status",
    allCategories: "Semua kategori", allVillages: "Semua kelurahan", queueUpdated: "Antrian diperbarui." },
  en: { queueTitle: "Work queue", queueEmpty: "No reports are waiting for you.", allStatuses: "All statuses",
    allCategories: "All categories", allVillages: "All kelurahan", queueUpdated: "Queue updated." },
});

const QUEUE = `query($filter: ReportFilter, $after: String) { workQueue(filter: $filter, first: 20, after: $after) {
  edges { node { ${CARD} } } pageInfo { endCursor hasNextPage } } }`;
const CHOICES = `query($city: ID) { categories(cityId: $city) { code name } areas(level: VILLAGE) { id name city { id } } }`;
const CHANGED = `subscription($filter: ReportFilter) { feedUpdated(filter: $filter) { id } }`;

function select(name, label, all, options) {
  return h("label", {}, h("span", {}, label), h("select", { name },
    h("option", { value: "" }, all), options.map(([value, text]) => h("option", { value }, text))));
}

export async function show(element, app) {
  const viewer = app.viewer();
  const city = viewer.area?.city?.id ?? null;
  const list = h("ol", { class: "feed-list queue", "aria-labelledby": "queue-title" });
  const more = h("button", { type: "button", hidden: true }, t("more"));
  const status = h("p", { class: "sr-only", role: "status" });
  const error = h("p", { class: "error", role: "alert" });
  const filters = h("form", { class: "queue-filters" },
    select("status", t("status"), t("allStatuses"), ["WAITING", "IN_PROGRESS", "REOPENED"].map((s) => [s, t(s)])),
    select("category", t("category"), t("allCategories"), []), select("area", t("village"), t("allVillages"), []));
  element.replaceChildren(h("h1", { id: "queue-title" }, t("queueTitle")), filters, error, status, list, more);
  const choices = gql(CHOICES, { city }).then((answer) => {
    const add = (name, items) => filters.elements[name].append(...items.map(([value, text]) => h("option", { value }, text)));
    add("category", answer.categories.map((c) => [c.code, c.name]));
    add("area", answer.areas.filter((a) => !city || a.city?.id === city).map((a) => [a.id, a.name]));
  }).catch((failure) => { error.textContent = errorText(failure); });

  const filter = () => {
    const data = new FormData(filters);
    const chosen = {};
    if (data.get("status")) chosen.statuses = [data.get("status")];
    if (data.get("category")) chosen.categoryCodes = [data.get("category")];
    if (data.get("area")) chosen.areaId = data.get("area");
    return chosen;
  };
  const load = pagedList({ list, more, error, item: card, empty: t("queueEmpty"),
    fetch: async (after) => (await gql(QUEUE, { filter: filter(), after }, { auth: true })).workQueue });
  filters.addEventListener("change", () => {
    load();
    watch();
  });

  // A report new or changed where the queue looks: the queue again, in its order (a few at once count once).
  let stop = null;
  let timer = null;
  function watch() {
    stop?.();
    const { statuses, ...where } = filter();
    stop = app.live.subscribe(CHANGED, { filter: Object.keys(where).length ? where : null }, () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        await load();
        status.textContent = t("queueUpdated");
      }, 300);
    });
  }
  watch();
  await Promise.all([load(), choices]); // the queue first: its filters' choices meanwhile
  return () => {
    stop?.();
    clearTimeout(timer);
  };
}
