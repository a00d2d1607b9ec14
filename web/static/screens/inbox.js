// Notifications: the viewer's inbox, newest first, unread ones marked; new ones arrive live, and the menu's
// count follows (screens.js). Opening one marks it read.
import { gql } from "../api.js";
import { errorText } from "../errors.js";
import { addText, t } from "../i18n.js";
import { h, time } from "../views.js";

addText({
  id: { inboxTitle: "Notifikasi", inboxEmpty: "Belum ada notifikasi.", markAllRead: "Tandai semua sudah dibaca",
    unread: "Belum dibaca", n_MENTIONED: "Anda disebut dalam laporan", n_COMMENTED: "Komentar baru",
    n_STATUS_CHANGED: "Status laporan berubah", n_ASSIGNED: "Laporan baru untuk Anda", n_POLL_OPENED: "Jajak pendapat dibuka",
    n_CATEGORY_SURGE: "Lonjakan laporan", n_ESCALATED: "Laporan naik ke atasan", n_ASSET_ALERT: "Peringatan aset" },
  en: { inboxTitle: "Notifications", inboxEmpty: "No notifications yet.", markAllRead: "Mark all as read",
    unread: "Unread", n_MENTIONED: "You were mentioned in a report", n_COMMENTED: "New comment",
    n_STATUS_CHANGED: "A report's status changed", n_ASSIGNED: "A new report for you", n_POLL_OPENED: "A poll opened",
    n_CATEGORY_SURGE: "Surge of reports", n_ESCALATED: "A report was escalated", n_ASSET_ALERT: "Asset alert" },
});

const INBOX = `{ notifications(first: 50) { edges { node { id kind read createdAt
  report { id body status } comment { body author { handle } } asset { name } poll { id question } } } } }`;
const READ = "mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }";
const ADDED = "subscription { notificationAdded { id } }";

function what(n) {
  return n.comment ? `@${n.comment.author.handle}: ${n.comment.body}`
    : n.report?.body ?? n.poll?.question ?? n.asset?.name ?? "";
}

export async function show(element, app) {
  const list = h("ol", { class: "inbox", "aria-labelledby": "inbox-title" });
  const error = h("p", { class: "error", role: "alert" });
  const markAll = h("button", { type: "button" }, t("markAllRead"));
  element.replaceChildren(h("div", { class: "screen-head" }, h("h1", { id: "inbox-title" }, t("inboxTitle")), markAll),
    error, list);

  const read = async (ids) => {
    await gql(READ, { ids }, { auth: true });
    app.refreshUnread();
  };
  async function load() {
    let edges;
    try {
      edges = (await gql(INBOX, {}, { auth: true })).notifications.edges;
    } catch (failure) {
      error.textContent = errorText(failure);
      return;
    }
    list.replaceChildren(...(edges.length ? edges.map(({ node }) => item(node)) : [h("li", { class: "empty" }, t("inboxEmpty"))]));
  }
  function item(n) {
    const target = n.report ? `#/r/${encodeURIComponent(n.report.id)}` : n.poll ? "#/" : null;
    const text = [h("strong", {}, t(`n_${n.kind}`)), !n.read && h("span", { class: "unread-mark" }, ` · ${t("unread")}`),
      h("span", { class: "body" }, what(n)), time(n.createdAt, undefined, { class: "small" })];
    const link = target ? h("a", { href: target }, text) : h("div", {}, text);
    if (target && !n.read) link.addEventListener("click", () => read([n.id]).catch(() => {}));
    return h("li", { class: n.read ? "notification" : "notification is-unread", "data-kind": n.kind }, link);
  }
  markAll.addEventListener("click", async () => {
    try {
      await read(null);
      await load();
    } catch (failure) {
      error.textContent = errorText(failure);
    }
  });
  const stop = app.live.subscribe(ADDED, {}, () => load());
  await load();
  return stop;
}
