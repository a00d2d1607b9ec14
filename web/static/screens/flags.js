// Moderation: the reports residents flagged in the moderator's area (an admin's: everywhere), the oldest flag
// first, each with what the flags say; the area head hides the report or keeps it shown, with a reason the
// timeline keeps. A hidden report leaves the public feeds; officials still see it.
import { gql } from "../api.js";
import { actionForm } from "../forms.js";
import { addText, t } from "../i18n.js";
import { pagedList } from "../paged.js";
import { CARD, card, h, time } from "../views.js";

addText({
  id: { flagsTitle: "Laporan yang diadukan", flagsEmpty: "Tidak ada aduan yang menunggu keputusan.",
    keep: "Tetap tampilkan", hideIt: "Sembunyikan", why: "Alasan keputusan", flagsSaid: "Isi aduan",
    kept: "Laporan tetap tampil.", hidden: "Laporan disembunyikan." },
  en: { flagsTitle: "Flagged reports", flagsEmpty: "No flags are waiting for a decision.",
    keep: "Keep it shown", hideIt: "Hide it", why: "Reason for the decision", flagsSaid: "What the flags say",
    kept: "The report stays shown.", hidden: "The report is hidden." },
});

const FLAGGED = `query($after: String) { flaggedReports(first: 20, after: $after) {
  edges { node { ${CARD} flags { reason createdAt } } } pageInfo { endCursor hasNextPage } } }`;
const HIDE = "mutation($r: ID!, $why: String!) { hideReport(reportId: $r, reason: $why) { id } }";
const KEEP = "mutation($r: ID!, $why: String!) { keepReport(reportId: $r, reason: $why) { id } }";

export async function show(element) {
  const list = h("ol", { class: "feed-list flag-list", "aria-labelledby": "flags-title" });
  const more = h("button", { type: "button", hidden: true }, t("more"));
  const error = h("p", { class: "error", role: "alert" });
  element.replaceChildren(h("h1", { id: "flags-title" }, t("flagsTitle")), error, list, more);

  function decided(item, outcome) {
    item.replaceChildren(h("p", { class: "verified", role: "status" }, t(outcome)));
  }
  function flagged(report) {
    const item = card(report);
    const zone = report.city?.timezone;
    const decide = (name, mutation, outcome) => actionForm({ name, title: t(name), submit: t(name),
      fields: [{ name: "reason", label: t("why"), kind: "textarea", required: true }],
      run: (v) => gql(mutation, { r: report.id, why: v.reason }, { auth: true }), done: () => decided(item, outcome) });
    item.append(h("div", { class: "flag-box" }, h("h2", {}, t("flagsSaid")),
      h("ul", {}, report.flags.map((f) => h("li", {}, f.reason, " · ", time(f.createdAt, zone, { class: "small" })))),
      decide("hideIt", HIDE, "hidden"), decide("keep", KEEP, "kept")));
    return item;
  }
  const load = pagedList({ list, more, error, item: flagged, empty: t("flagsEmpty"),
    fetch: async (after) => (await gql(FLAGGED, { after }, { auth: true })).flaggedReports });
  await load();
}
