// The app's screens beyond the public feed, each a module of screens/ loaded the first time it opens and shown
// in #screen; and the menu that leads to them, each entry shown to whom it is for, with the unread count.
// A screen module exports `show(element, app, arg)`, which may return a function that stops it (its
// subscriptions) when another screen opens. `app` holds the socket (`live`), `viewer()`, `openReport(id)`.
import { gql } from "./api.js";
import { t } from "./i18n.js";
import { OFFICIAL_ROLES } from "./session.js";
import { h } from "./views.js";

// The URL's word (Indonesian, as residents read it) → the module.
const SCREENS = { beranda: "home", lapor: "post", tugas: "duty", antrian: "queue", verifikasi: "verify",
  moderasi: "flags", peringkat: "rankings", notifikasi: "inbox", daftar: "register" };
const MODERATORS = new Set(["AREA_HEAD", "CITY_ADMIN", "ADMIN"]);
const UNREAD = "{ unreadNotificationCount }";
const ADDED = "subscription { notificationAdded { id } }";

// The screen a hash names (null: the feed, the flood view or a report). Its module starts loading at once: the
// app asks who the viewer is meanwhile.
export function screenOf(hash) {
  const name = hash.match(/^#\/([a-z]+)/)?.[1];
  if (!SCREENS[name]) return null;
  import(`./screens/${SCREENS[name]}.js`);
  return name;
}

// data-for in index.html: who a menu entry (and its screen) is for; none: everyone.
export function allowed(forWhom, viewer) {
  if (!forWhom) return true;
  if (!viewer) return false;
  if (forWhom === "signed-in") return true;
  if (forWhom === "official") return OFFICIAL_ROLES.has(viewer.role);
  if (forWhom === "moderator") return MODERATORS.has(viewer.role);
  return viewer.role === forWhom;
}

export class Screens {
  constructor(element, app) {
    this.element = element;
    this.app = app;
    this.current = null;
    this.arg = null;
    this.stop = null;
    this.generation = 0;
    this.stopUnread = null;
    this.links = [...document.querySelectorAll("#nav a")];
    this.unread = document.getElementById("unread");
    app.refreshUnread = () => this.refreshUnread();
  }

  // Shows the screen the hash names (true), or stops the one shown (false: the feed or a report instead).
  route(hash) {
    const [, name, arg] = hash.match(/^#\/([a-z]+)(?:\/(.*))?$/) ?? [];
    const screen = SCREENS[name] ? name : null;
    for (const link of this.links) {
      if (link.dataset.screen === (screen ?? (hash.startsWith("#/r/") ? null : ""))) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    if (!screen) {
      this.close();
      return false;
    }
    if (screen !== this.current || (arg ?? null) !== this.arg) this.open(screen, arg ?? null);
    return true;
  }

  close() {
    this.stop?.();
    this.stop = null;
    this.current = null;
    this.arg = null;
    this.element.hidden = true;
    this.generation++;
  }

  async open(name, arg) {
    this.close();
    this.current = name;
    this.arg = arg;
    const generation = this.generation;
    this.element.hidden = false;
    this.element.dataset.screen = name;
    this.element.setAttribute("aria-busy", "true");
    const link = this.links.find((l) => l.dataset.screen === name);
    const viewer = this.app.viewer();
    if (link && !allowed(link.dataset.for, viewer)) {
      this.element.replaceChildren(h("p", { class: "note" }, t(viewer ? "err_FORBIDDEN" : "signInFirst")));
      this.element.removeAttribute("aria-busy");
      return;
    }
    const module = await import(`./screens/${SCREENS[name]}.js`);
    if (generation !== this.generation) return;
    const stop = await module.show(this.element, this.app, arg);
    if (generation !== this.generation) stop?.();
    else this.stop = stop ?? null;
    this.element.removeAttribute("aria-busy");
    document.title = `Warga — ${link?.textContent.trim() ?? t("register")}`;
  }

  // Signed in or out: the menu's entries for the viewer, the unread count, and the screen again (what it may
  // show has changed).
  showViewer(viewer) {
    for (const link of this.links) link.hidden = !allowed(link.dataset.for, viewer);
    document.getElementById("register-link").hidden = Boolean(viewer);
    this.stopUnread?.();
    this.stopUnread = null;
    this.unread.hidden = true;
    if (viewer) {
      this.refreshUnread();
      this.stopUnread = this.app.live.subscribe(ADDED, {}, () => this.refreshUnread());
    }
    if (this.current) this.open(this.current, this.arg);
  }

  // The socket is back after a break: the screen shows what it missed.
  connected(status) {
    if (status === "live" && this.wasOffline && this.current) this.open(this.current, this.arg);
    this.wasOffline = status === "offline";
  }

  async refreshUnread() {
    try {
      const n = (await gql(UNREAD, {}, { auth: true })).unreadNotificationCount;
      this.unread.hidden = n === 0;
      this.unread.textContent = String(n);
      this.unread.setAttribute("aria-label", t("unreadCount", { n }));
    } catch {
      this.unread.hidden = true; // signed out meanwhile, or offline: no count rather than a wrong one
    }
  }
}
