// The kelurahan's verifier: RT/RW duty reports not yet judged, oldest first, each with its photo, place and time,
// marked VALID or INVALID in one tap (a note when invalid). Valid ones count towards the RT/RW's payment.
import { gql } from "../api.js";
import { errorText } from "../errors.js";
import { addText, t } from "../i18n.js";
import { pagedList } from "../paged.js";
import { CARD, card, h } from "../views.js";

addText({
  id: { verifyTitle: "Verifikasi laporan tugas RT/RW", verifyEmpty: "Semua laporan tugas sudah diverifikasi.",
    valid: "Sah", invalid: "Tidak sah", invalidWhy: "Alasan tidak sah", verified_VALID: "Ditandai sah.",
    verified_INVALID: "Ditandai tidak sah.", by: "oleh {name}", needWhy: "Tuliskan alasannya tidak sah." },
  en: { verifyTitle: "Verify RT/RW duty reports", verifyEmpty: "Every duty report has been verified.",
    valid: "Valid", invalid: "Invalid", invalidWhy: "Why invalid", verified_VALID: "Marked valid.",
    verified_INVALID: "Marked invalid.", by: "by {name}", needWhy: "Say why it is invalid." },
});

const WAITING = `query($after: String) { workQueue(filter: {kind: DUTY, verified: false}, first: 20, after: $after) {
  edges { node { ${CARD} author { displayName } } } pageInfo { endCursor hasNextPage } } }`;
const VERIFY = "mutation($r: ID!, $v: Verdict!, $n: String) { verify(reportId: $r, verdict: $v, note: $n) { id } }";
let items = 0;

export async function show(element) {
  const list = h("ol", { class: "feed-list verify-list", "aria-labelledby": "verify-title" });
  const more = h("button", { type: "button", hidden: true }, t("more"));
  const error = h("p", { class: "error", role: "alert" });
  element.replaceChildren(h("h1", { id: "verify-title" }, t("verifyTitle")), error, list, more);

  function judged(report) {
    const note = h("input", { type: "text", id: `why-${++items}`, maxlength: 500 });
    const said = h("p", { class: "small", role: "status" });
    const mark = (verdict) => {
      const button = h("button", { type: "button", class: verdict === "VALID" ? "primary" : "" },
        t(verdict === "VALID" ? "valid" : "invalid"));
      button.addEventListener("click", async () => {
        if (verdict === "INVALID" && !note.value.trim()) {
          said.textContent = t("needWhy");
          note.focus();
          return;
        }
        button.disabled = true;
        try {
          await gql(VERIFY, { r: report.id, v: verdict, n: note.value.trim() || null }, { auth: true });
          item.replaceChildren(h("p", { class: "verified" }, t(`verified_${verdict}`)));
          item.dataset.verdict = verdict;
        } catch (failure) {
          said.textContent = errorText(failure);
          button.disabled = false;
        }
      });
      return button;
    };
    const item = card(report);
    item.append(h("div", { class: "verify-actions" },
      h("p", { class: "small" }, t("by", { name: report.author?.displayName ?? "" })),
      h("label", { for: note.id }, t("invalidWhy")), note,
      h("div", { class: "actions" }, mark("VALID"), mark("INVALID")), said));
    return item;
  }

  const load = pagedList({ list, more, error, item: judged, empty: t("verifyEmpty"),
    fetch: async (after) => (await gql(WAITING, { after }, { auth: true })).workQueue });
  await load();
}
