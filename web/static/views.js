// DOM builders. Every user-written string goes in as a text node, so nothing is ever parsed as HTML.
import { DEFAULT_ZONE, formatTime, t } from "./i18n.js";

// What card() shows of a report: every list of reports asks for these fields.
export const CARD = `id body status badge isOverdue createdAt supportCount commentCount handled dueAt
  category { code name } area { name } city { code name timezone } photos { url thumbnailUrl }`;

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null && value !== false) element.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false) {
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return element;
}

export function badge(report) {
  return h("span", { class: `badge badge-${report.badge}`, "data-badge": report.badge }, t(report.status));
}

// The statuses whose deadline still matters (the others are answered, for now or for good).
const OPEN = new Set(["WAITING", "IN_PROGRESS", "REOPENED"]);

// A report's times read in its city's zone (a report outside every city: Jakarta's).
function zoneOf(report) {
  return report.city?.timezone ?? DEFAULT_ZONE;
}

export function time(iso, zone, attributes = {}) {
  return h("time", { ...attributes, datetime: iso }, formatTime(iso, zone));
}

// Outside the partner cities a report is public but nobody's: a grey badge says so, and it has no deadline.
function unhandled(report) {
  if (report.handled) return null;
  return h("span", { class: "badge badge-unhandled", "data-handled": "false" },
    t(report.city ? "unhandled" : "outsideCities"));
}

function deadline(report) {
  if (!report.handled || !report.dueAt || !OPEN.has(report.status)) return null;
  return h("span", { class: "due" }, `${t("due")} `, time(report.dueAt, zoneOf(report)));
}

function image(photo, size) {
  if (size === "thumb") return h("img", { src: photo.thumbnailUrl, alt: "", loading: "lazy" });
  return h("img", { src: photo.url, alt: "", loading: "lazy", width: photo.width, height: photo.height });
}

export function card(report) {
  const photo = report.photos[0];
  return h("li", { class: "card", "data-report-id": report.id, "data-city": report.city?.code ?? "" },
    h("a", { href: `#/r/${encodeURIComponent(report.id)}` },
      photo ? image(photo, "thumb") : h("div", { class: "no-photo" }),
      h("div", { class: "card-body" },
        h("div", { class: "meta" }, badge(report), h("span", { class: "category" }, report.category.name),
          report.isOverdue && h("span", { class: "overdue" }, t("overdue")), unhandled(report)),
        h("p", { class: "body" }, report.body),
        h("div", { class: "meta small" },
          h("span", { class: "area" }, report.area?.name ?? ""),
          report.city && h("span", { class: "city" }, report.city.name),
          report.riverBasin && h("span", { class: "basin" }, report.riverBasin.name), // where the flood view asks
          time(report.createdAt, zoneOf(report)),
          deadline(report),
          h("span", {}, `${report.supportCount} ${t("supports")} · ${report.commentCount} ${t("comments")}`)))));
}

// Officials see how far from the report each proof photo says it was taken (null for everyone else).
function distances(followUp) {
  const known = followUp.photos.filter((p) => p.distanceFromReportMeters != null);
  if (!known.length) return null;
  const far = followUp.proofConsistent === false;
  return h("p", { class: far ? "distance far" : "distance", "data-distance": known[0].distanceFromReportMeters },
    known.map((p) => t("takenFrom", { m: Math.round(p.distanceFromReportMeters) })).join(" · "),
    far ? ` — ${t("proofDoubtful")}` : "");
}

export function reportPage(report) {
  if (!report) return h("p", { class: "empty" }, t("notFound"));
  const zone = zoneOf(report);
  const due = deadline(report);
  return h("article", { class: "report", "data-report-id": report.id, "data-city": report.city?.code ?? "" },
    h("a", { href: "#/", class: "back" }, t("back")),
    h("h1", { class: "sr-only" }, `${report.category.name} · ${report.area?.name ?? ""}`),
    h("div", { class: "meta" }, badge(report), unhandled(report),
      h("span", { class: "category" }, report.category.name), h("span", { class: "area" }, report.area?.name ?? ""),
      report.city && h("span", { class: "city" }, report.city.name)),
    !report.handled && h("p", { class: "unhandled-note" },
      report.city ? t("unhandledWhy", { city: report.city.name }) : t("outsideWhy")),
    h("p", { class: "body" }, report.body),
    report.address && h("p", { class: "small" }, report.address),
    h("p", { class: "small" }, `${report.author ? "@" + report.author.handle : t("anonymous")} · `,
      time(report.createdAt, zone)),
    due && h("p", { class: "small" }, due),
    h("div", { class: "photos" }, report.photos.map((p) => image(p, "full"))),
    report.escalatedTo && h("p", { class: "escalated" },
      t("escalatedTo"), " ", h("strong", {}, report.escalatedTo.name), ` (${t("level")} ${report.escalationLevel})`),
    report.rejectReason && h("p", { class: "small reject-reason" }, t(`r_${report.rejectReason}`)),
    report.followUps.length > 0 && h("section", { class: "follow-ups" }, h("h2", {}, t("followUps")),
      report.followUps.map((f) => h("div", { class: "follow-up" },
        h("p", {}, h("strong", {}, f.officer.displayName), " — ", f.note),
        h("div", { class: "photos proof", title: t("proof") }, f.photos.map((p) => image(p, "full"))),
        distances(f),
        time(f.createdAt, zone, { class: "small" }))),
      report.rating && h("p", { class: "rating", "data-stars": report.rating.stars },
        t("rating"), ": ", h("span", { class: "stars", "aria-label": `${report.rating.stars}/5` },
          "★".repeat(report.rating.stars) + "☆".repeat(5 - report.rating.stars)),
        report.rating.comment && ` — ${report.rating.comment}`)),
    report.comments && h("section", { class: "comments" }, h("h2", {}, t("commentsTitle")),
      h("ol", {}, report.comments.edges.map(({ node }) => h("li", { class: "comment" },
        h("strong", {}, node.author.displayName), ` @${node.author.handle} · `, time(node.createdAt, zone, { class: "small" }),
        h("p", { class: "body" }, node.body))))),
    h("section", { class: "timeline" }, h("h2", {}, t("timeline")),
      h("ol", {}, report.timeline.map((e) => h("li", { "data-kind": e.kind },
        h("span", { class: `badge-dot status-${e.status}` }), h("strong", {}, t(`e_${e.kind}`)),
        e.actor && ` · @${e.actor.handle}`, e.note && ` — ${e.note}`, " ",
        time(e.createdAt, zone, { class: "small" }))))));
}

// A new or changed report in a list of cards: its card replaced in place, or put on top.
export function showCard(list, report) {
  const fresh = card(report);
  const existing = list.querySelector(`[data-report-id="${CSS.escape(report.id)}"]`);
  if (existing) existing.replaceWith(fresh);
  else {
    list.querySelector(".empty")?.remove();
    list.prepend(fresh);
  }
}
