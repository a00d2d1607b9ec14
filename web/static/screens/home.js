// The viewer's home timeline: the areas, accounts and reports they follow and their own reports, newest first,
// kept current live (homeFeedUpdated).
import { gql } from "../api.js";
import { addText, t } from "../i18n.js";
import { pagedList } from "../paged.js";
import { CARD, card, h, showCard } from "../views.js";

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
  const load = pagedList({ list, more, error, item: card, empty: t("homeEmpty"),
    fetch: async (after) => (await gql(HOME, { after }, { auth: true })).homeFeed });
  const stop = app.live.subscribe(UPDATED, {}, ({ homeFeedUpdated: report }) => showCard(list, report));
  await load();
  return stop;
}
