// The viewer's home timeline: the areas, accounts and reports they follow and their own reports, newest first,
// kept current live (homeFeedUpdated).
import { gql } from "../api.js";
import { errorText } from "../errors.js";
import { addText, t } from "../i18n.js";
import { CARD, card, h } from "../views.js";

addText({
  id: { homeTitle: "Beranda", homeEmpty: "Belum ada apa-apa di sini: ikuti kelurahan, akun atau laporan, atau buat laporan." },
  en: { homeTitle: "Home", homeEmpty: "Nothing here yet: follow a kelurahan, an account or a report, or post one." },
});

const HOME = `query($after: String) { homeFeed(first: 20, after: $after) { edges { node { ${CARD} } }
  pageInfo { endCursor hasNextPage } } }`;
const UPDATED = `subscription { homeFeedUpdated { ${CARD} } }`;

export async function show(element, app) {
  const list = h("ol", { class: "feed-list", "aria-labelledby": "home-title" });
  const more = h("button", { type: "button", hidden: true }, t("more"));
  const error = h("p", { class: "error", role: "alert" });
  element.replaceChildren(h("h1", { id: "home-title" }, t("homeTitle")), error, list, more);
  let after = null;
  async function load(append = false) {
    try {
      const page = (await gql(HOME, { after: append ? after : null }, { auth: true })).homeFeed;
      const cards = page.edges.map(({ node }) => card(node));
      if (append) list.append(...cards);
      else list.replaceChildren(...(cards.length ? cards : [h("li", { class: "empty" }, t("homeEmpty"))]));
      after = page.pageInfo.endCursor;
      more.hidden = !page.pageInfo.hasNextPage;
    } catch (failure) {
      error.textContent = errorText(failure);
    }
  }
  more.addEventListener("click", () => load(true));
  const stop = app.live.subscribe(UPDATED, {}, ({ homeFeedUpdated: report }) => {
    const fresh = card(report);
    const existing = list.querySelector(`[data-report-id="${CSS.escape(report.id)}"]`);
    if (existing) existing.replaceWith(fresh);
    else {
      list.querySelector(".empty")?.remove();
      list.prepend(fresh);
    }
  });
  await load();
  return stop;
}
