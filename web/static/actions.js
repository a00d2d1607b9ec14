// What a signed-in viewer may do on a report's page: support, follow it, its kelurahan or its author (toggles:
// pressed while on), comment, flag; its reporter accepts the
// fix or reopens it; officials acknowledge, follow up with proof photos from the camera, forward (disposisi),
// reject; the kelurahan's verifier judges a duty report; moderators hide or show it again. The server decides
// in the end: a button shown to someone it refuses says why.
import { gql } from "./api.js";
import { actionButton, actionForm, withPhotos } from "./forms.js";
import { addText, t } from "./i18n.js";
import { OFFICIAL_ROLES } from "./session.js";
import { h } from "./views.js";

addText({
  id: { support: "Dukung", follow: "Ikuti laporan", followPlace: "Ikuti {name}",
    comment: "Tulis komentar", commentField: "Komentar", send: "Kirim", flag: "Laporkan penyalahgunaan",
    reason: "Alasan", accept: "Terima perbaikan", stars: "Nilai (1–5)", noStars: "Tanpa nilai",
    closeNote: "Catatan (boleh kosong)", reopen: "Buka kembali", reopenPhotos: "Foto kondisi sekarang",
    acknowledge: "Terima laporan", note: "Catatan", followUp: "Tindak lanjut dengan foto bukti",
    proofPhotos: "Foto bukti (kamera)", forward: "Teruskan (disposisi)", toAgency: "Ke dinas", toArea: "Ke kelurahan",
    none: "—", reject: "Tolak", reasonCode: "Jenis penolakan", duplicateOf: "Nomor laporan ganda (boleh kosong)",
    verify: "Verifikasi laporan tugas", verdict: "Hasil", VALID: "Sah", INVALID: "Tidak sah", hide: "Sembunyikan",
    unhide: "Tampilkan lagi", required: "Isi {field}.", actionsTitle: "Tindakan", flagged: "Terima kasih, moderator akan memeriksanya.",
    o_DUPLICATE: "Laporan ganda", o_NOT_OUR_AUTHORITY: "Bukan kewenangan", o_NO_ACTION_NEEDED: "Tidak perlu tindakan",
    o_SPAM: "Spam", o_OTHER: "Lainnya" },
  en: { support: "Support", follow: "Follow the report", followPlace: "Follow {name}",
    comment: "Write a comment", commentField: "Comment", send: "Send", flag: "Report abuse",
    reason: "Reason", accept: "Accept the fix", stars: "Rating (1–5)", noStars: "No rating",
    closeNote: "Note (optional)", reopen: "Reopen", reopenPhotos: "Photos of how it is now",
    acknowledge: "Acknowledge", note: "Note", followUp: "Follow up with proof photos",
    proofPhotos: "Proof photos (camera)", forward: "Forward (disposisi)", toAgency: "To agency", toArea: "To kelurahan",
    none: "—", reject: "Reject", reasonCode: "Kind of rejection", duplicateOf: "Duplicate of report (optional)",
    verify: "Verify duty report", verdict: "Verdict", VALID: "Valid", INVALID: "Invalid", hide: "Hide",
    unhide: "Show again", required: "Fill in {field}.", actionsTitle: "Actions", flagged: "Thank you, a moderator will look at it.",
    o_DUPLICATE: "Duplicate", o_NOT_OUR_AUTHORITY: "Not our authority", o_NO_ACTION_NEEDED: "No action needed",
    o_SPAM: "Spam", o_OTHER: "Other" },
});

const OPEN = new Set(["WAITING", "IN_PROGRESS", "REOPENED"]);
const MODERATORS = new Set(["AREA_HEAD", "CITY_ADMIN", "ADMIN"]);
const run = (query, variables) => gql(query, variables, { auth: true });
const M = {
  support: "mutation($r: ID!) { support(reportId: $r) { id } }",
  unsupport: "mutation($r: ID!) { unsupport(reportId: $r) { id } }",
  follow: "mutation($r: ID!) { follow(id: $r) }",
  unfollow: "mutation($r: ID!) { unfollow(id: $r) }",
  comment: "mutation($r: ID!, $b: String!) { addComment(reportId: $r, body: $b) { id } }",
  flag: "mutation($r: ID!, $why: String!) { flagReport(reportId: $r, reason: $why) }",
  rate: "mutation($r: ID!, $s: Int!, $c: String) { rateFix(reportId: $r, stars: $s, comment: $c) { id } }",
  close: "mutation($r: ID!, $n: String) { closeReport(reportId: $r, note: $n) { id } }",
  reopen: "mutation($r: ID!, $why: String!, $photos: [Upload!]) { reopen(reportId: $r, reason: $why, photos: $photos) { id } }",
  acknowledge: "mutation($r: ID!, $n: String) { acknowledge(reportId: $r, note: $n) { id } }",
  followUp: "mutation($r: ID!, $n: String!, $photos: [Upload!]!) { followUp(reportId: $r, note: $n, photos: $photos) { id } }",
  forward: "mutation($r: ID!, $n: String!, $a: ID, $v: ID) { forward(reportId: $r, note: $n, agencyId: $a, areaId: $v) { id } }",
  reject: `mutation($r: ID!, $why: String!, $d: ID, $code: RejectReason) {
    reject(reportId: $r, reason: $why, duplicateOfId: $d, reasonCode: $code) { id } }`,
  verify: "mutation($r: ID!, $v: Verdict!, $n: String) { verify(reportId: $r, verdict: $v, note: $n) { id } }",
  hide: "mutation($r: ID!, $why: String!) { hideReport(reportId: $r, reason: $why) { id } }",
  unhide: "mutation($r: ID!) { unhideReport(reportId: $r) { id } }",
};
const PLACES = `query($city: ID) { agencies(cityId: $city) { id name } areas(level: VILLAGE) { id name city { id } } }`;

export function actions(report, viewer, done) {
  const r = report.id;
  const error = h("p", { class: "error", role: "alert" });
  const toggles = h("div", { class: "actions" },
    actionButton(t("support"),
      () => run(report.viewerHasSupported ? M.unsupport : M.support, { r }), done, error,
      { "aria-pressed": String(report.viewerHasSupported), "data-action": "support" }),
    followButton("follow", t("follow"), r, report.viewerFollows, done, error),
    report.area && followButton("follow-area", t("followPlace", { name: report.area.name }), report.area.id,
      report.area.viewerFollows, done, error),
    report.author && report.author.id !== viewer.id && followButton("follow-author",
      t("followPlace", { name: `@${report.author.handle}` }), report.author.id, report.author.viewerFollows, done,
      error));
  const forms = [
    actionForm({ name: "comment", title: t("comment"), submit: t("send"), done,
      fields: [{ name: "body", label: t("commentField"), kind: "textarea", required: true }],
      run: (v) => run(M.comment, { r, b: v.body }) }),
    ...reporterForms(report, viewer, done),
    ...officialForms(report, viewer, done),
    actionForm({ name: "flag", title: t("flag"), submit: t("send"), done: () => { error.textContent = t("flagged"); },
      fields: [{ name: "reason", label: t("reason"), kind: "textarea", required: true }],
      run: (v) => run(M.flag, { r, why: v.reason }) }),
  ];
  return h("section", { class: "report-actions", "aria-labelledby": "actions-title" },
    h("h2", { id: "actions-title" }, t("actionsTitle")), toggles, error, forms);
}

// Following a report, a kelurahan or an account: its news in the viewer's home timeline.
function followButton(name, label, id, following, done, error) {
  return actionButton(label, () => run(following ? M.unfollow : M.follow, { r: id }), done, error,
    { "aria-pressed": String(following), "data-action": name });
}

function reporterForms(report, viewer, done) {
  if (report.author?.id !== viewer.id || report.status !== "FOLLOWED_UP") return [];
  const r = report.id;
  const stars = [["", t("noStars")], ...[5, 4, 3, 2, 1].map((n) => [String(n), "★".repeat(n)])];
  return [
    actionForm({ name: "accept", title: t("accept"), submit: t("accept"), done, open: true,
      fields: [{ name: "stars", label: t("stars"), kind: "select", options: stars },
        { name: "note", label: t("closeNote"), kind: "textarea" }],
      run: async (v) => {
        if (v.stars) await run(M.rate, { r, s: Number(v.stars), c: v.note || null });
        await run(M.close, { r, n: v.note || null });
      } }),
    actionForm({ name: "reopen", title: t("reopen"), submit: t("reopen"), done,
      fields: [{ name: "reason", label: t("reason"), kind: "textarea", required: true },
        { name: "photos", label: t("reopenPhotos"), kind: "photos" }],
      run: (v) => withPhotos(M.reopen, { r, why: v.reason }, v.photos) }),
  ];
}

function officialForms(report, viewer, done) {
  const r = report.id;
  const forms = [];
  if (OFFICIAL_ROLES.has(viewer.role) && report.handled && OPEN.has(report.status) && report.kind !== "DUTY") {
    if (report.status !== "IN_PROGRESS") {
      forms.push(actionForm({ name: "acknowledge", title: t("acknowledge"), submit: t("acknowledge"), done,
        fields: [{ name: "note", label: t("note"), kind: "text" }],
        run: (v) => run(M.acknowledge, { r, n: v.note || null }) }));
    }
    forms.push(
      actionForm({ name: "follow-up", title: t("followUp"), submit: t("send"), done,
        fields: [{ name: "note", label: t("note"), kind: "textarea", required: true },
          { name: "photos", label: t("proofPhotos"), kind: "camera", required: true }],
        run: (v) => withPhotos(M.followUp, { r, n: v.note }, v.photos) }),
      forwardForm(report, done),
      actionForm({ name: "reject", title: t("reject"), submit: t("reject"), done,
        fields: [{ name: "code", label: t("reasonCode"), kind: "select",
          options: ["NOT_OUR_AUTHORITY", "DUPLICATE", "NO_ACTION_NEEDED", "SPAM", "OTHER"].map((c) => [c, t(`o_${c}`)]) },
        { name: "reason", label: t("reason"), kind: "textarea", required: true },
        { name: "duplicate", label: t("duplicateOf"), kind: "text" }],
        run: (v) => run(M.reject, { r, why: v.reason, code: v.code, d: v.duplicate || null }) }));
  }
  if (viewer.role === "VERIFIER" && report.kind === "DUTY" && !report.verification) {
    forms.push(actionForm({ name: "verify", title: t("verify"), submit: t("send"), done, open: true,
      fields: [{ name: "verdict", label: t("verdict"), kind: "select", options: [["VALID", t("VALID")], ["INVALID", t("INVALID")]] },
        { name: "note", label: t("note"), kind: "text" }],
      run: (v) => run(M.verify, { r, v: v.verdict, n: v.note || null }) }));
  }
  if (MODERATORS.has(viewer.role)) {
    forms.push(report.hidden
      ? actionForm({ name: "unhide", title: t("unhide"), submit: t("unhide"), done, fields: [],
        run: () => run(M.unhide, { r }) })
      : actionForm({ name: "hide", title: t("hide"), submit: t("hide"), done,
        fields: [{ name: "reason", label: t("reason"), kind: "textarea", required: true }],
        run: (v) => run(M.hide, { r, why: v.reason }) }));
  }
  return forms;
}

// Disposisi: to another agency or another kelurahan of the report's city, with a note.
function forwardForm(report, done) {
  const form = actionForm({ name: "forward", title: t("forward"), submit: t("send"), done,
    fields: [{ name: "agency", label: t("toAgency"), kind: "select", options: [["", t("none")]] },
      { name: "area", label: t("toArea"), kind: "select", options: [["", t("none")]] },
      { name: "note", label: t("note"), kind: "textarea", required: true }],
    run: (v) => run(M.forward, { r: report.id, n: v.note, a: v.agency || null, v: v.area || null }) });
  form.addEventListener("toggle", async () => {
    const [agency, area] = [form.querySelector("[name=agency]"), form.querySelector("[name=area]")];
    if (!form.open || agency.options.length > 1) return;
    const city = report.city?.id ?? null;
    const places = await gql(PLACES, { city });
    agency.append(...places.agencies.map((a) => h("option", { value: a.id }, a.name)));
    area.append(...places.areas.filter((a) => !city || a.city?.id === city).map((a) => h("option", { value: a.id }, a.name)));
  });
  return form;
}
