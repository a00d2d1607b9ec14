// Posting a report in under a minute: photos (made smaller here when large), the device's location or a pin
// moved on the map, the category, the text with @mention suggestions, anonymous or not. Reports already open
// nearby come first, to support one instead of posting it again. Sending goes through the outbox (outbox.js):
// without a network the report waits on the device and says so.
import { gql } from "../api.js";
import { errorText } from "../errors.js";
import { addText, formatNumber, t } from "../i18n.js";
import { MentionBox } from "../mentions.js";
import { outbox } from "../outbox.js";
import { previews, resized } from "../photos.js";
import { CARD, card, h } from "../views.js";

addText({
  id: { postTitle: "Buat laporan", photos: "Foto (1–4)", useLocation: "Pakai lokasi saya", movePin: "Geser pin di peta",
    locating: "Mencari lokasi…", locatedAt: "Lokasi: {lat}, {lng} (± {m} m)", noLocation: "Belum ada lokasi.",
    locationDenied: "Lokasi tidak diizinkan: geser pin di peta.", describe: "Apa masalahnya?",
    mentionHint: "Ketik @ untuk menyebut petugas.", chooseCategory: "Pilih kategori", anonymousPost: "Kirim sebagai anonim",
    send: "Kirim laporan", nearby: "Laporan terbuka di dekat sini", nearbyHint: "Sudah ada yang melaporkan? Dukung saja, tidak perlu melapor lagi.",
    support: "Dukung", supported: "Didukung", waitingTitle: "Menunggu dikirim",
    waitingNote: "Laporan tersimpan di perangkat ini dan terkirim otomatis begitu tersambung.",
    discard: "Buang", needPhoto: "Tambahkan minimal satu foto.", needLocation: "Tentukan lokasinya dulu.",
    needCategory: "Pilih kategori.", needBody: "Tuliskan masalahnya.",
    post_BAD_USER_INPUT: "Laporan ditolak server: periksa foto, lokasi dan teksnya.", pinLabel: "Lokasi laporan" },
  en: { postTitle: "New report", photos: "Photos (1–4)", useLocation: "Use my location", movePin: "Move the pin on the map",
    locating: "Finding your location…", locatedAt: "Location: {lat}, {lng} (± {m} m)", noLocation: "No location yet.",
    locationDenied: "Location not allowed: move the pin on the map.", describe: "What is the problem?",
    mentionHint: "Type @ to mention an official.", chooseCategory: "Choose a category", anonymousPost: "Post anonymously",
    send: "Send report", nearby: "Open reports nearby", nearbyHint: "Already reported? Support it instead of posting again.",
    support: "Support", supported: "Supported", waitingTitle: "Waiting to send",
    waitingNote: "The report is kept on this device and sent as soon as there is a connection.",
    discard: "Discard", needPhoto: "Add at least one photo.", needLocation: "Set the location first.",
    needCategory: "Choose a category.", needBody: "Describe the problem.",
    post_BAD_USER_INPUT: "The server refused the report: check its photos, location and text.", pinLabel: "Report location" },
});

const CATEGORIES = "query($city: ID) { categories(cityId: $city) { code name } }";
const NEARBY = `query($lat: Float!, $lng: Float!, $c: String) { nearbyReports(lat: $lat, lng: $lng, categoryCode: $c) {
  ${CARD} viewerHasSupported } }`;
const SUPPORT = "mutation($id: ID!) { support(reportId: $id) { id supportCount viewerHasSupported } }";

export async function show(element, app) {
  const viewer = app.viewer();
  const place = { lat: null, lng: null };
  const photosInput = h("input", { type: "file", name: "photos", accept: "image/*", multiple: true, required: true });
  const photoPreview = h("div", { class: "previews" });
  const where = h("p", { class: "where", role: "status" }, t("noLocation"));
  const locate = h("button", { type: "button" }, t("useLocation"));
  const pin = h("button", { type: "button" }, t("movePin"));
  const pinMap = h("div", { class: "pin-map", hidden: true, role: "application", "aria-label": t("pinLabel") });
  const category = h("select", { name: "category", required: true }, h("option", { value: "" }, t("chooseCategory")));
  const body = h("textarea", { name: "body", rows: 4, required: true, maxlength: 2000, "aria-describedby": "mention-hint" });
  const anonymous = h("input", { type: "checkbox", name: "anonymous" });
  const error = h("p", { class: "error", role: "alert" });
  const nearby = h("section", { class: "nearby", "aria-labelledby": "nearby-title", hidden: true });
  const waiting = h("section", { class: "waiting", "aria-labelledby": "waiting-title", hidden: true });
  const submit = h("button", { type: "submit", class: "primary" }, t("send"));
  const form = h("form", { class: "post-form", novalidate: true },
    h("label", {}, h("span", {}, t("photos")), photosInput), photoPreview,
    h("div", { class: "location" }, where, h("div", { class: "actions" }, locate, pin), pinMap),
    h("label", {}, h("span", {}, t("category")), category), nearby,
    h("label", {}, h("span", {}, t("describe")), body),
    h("p", { id: "mention-hint", class: "small" }, t("mentionHint")),
    h("label", { class: "check" }, anonymous, h("span", {}, t("anonymousPost"))),
    error, h("div", { class: "actions" }, submit));
  element.replaceChildren(h("h1", {}, t("postTitle")), waiting, form);

  const mentions = new MentionBox(body, () => ({ lat: place.lat, lng: place.lng, categoryCode: category.value || null }));
  let marker = null;
  const setPlace = (lat, lng, accuracy) => {
    place.lat = lat;
    place.lng = lng;
    where.textContent = t("locatedAt", { lat: lat.toFixed(5), lng: lng.toFixed(5), m: formatNumber(accuracy ?? 0, 0) });
    marker?.setLatLng([lat, lng]);
    showNearby();
  };
  locate.addEventListener("click", () => {
    where.textContent = t("locating");
    navigator.geolocation.getCurrentPosition(
      (position) => setPlace(position.coords.latitude, position.coords.longitude, position.coords.accuracy),
      () => { where.textContent = t("locationDenied"); },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });
  pin.addEventListener("click", async () => {
    pinMap.hidden = false;
    const { pinPicker } = await import("../pin.js");
    marker = await pinPicker(pinMap, place, (lat, lng) => setPlace(lat, lng, 0));
  });
  photosInput.addEventListener("change", () => photoPreview.replaceChildren(...previews(photosInput.files)));
  category.addEventListener("change", showNearby);

  async function showNearby() {
    if (place.lat === null) return;
    let reports;
    try {
      reports = (await gql(NEARBY, { lat: place.lat, lng: place.lng, c: category.value || null }, { auth: true }))
        .nearbyReports;
    } catch {
      return; // offline: posting still works, the check comes back with the network
    }
    nearby.hidden = reports.length === 0;
    nearby.replaceChildren(h("h2", { id: "nearby-title" }, t("nearby")), h("p", { class: "small" }, t("nearbyHint")),
      h("ol", { class: "feed-list" }, reports.map((report) => supportable(report))));
  }

  function supportable(report) {
    const button = h("button", { type: "button", "aria-pressed": String(report.viewerHasSupported) },
      t(report.viewerHasSupported ? "supported" : "support"));
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        const done = (await gql(SUPPORT, { id: report.id }, { auth: true })).support;
        button.textContent = t("supported");
        button.setAttribute("aria-pressed", String(done.viewerHasSupported));
      } catch (failure) {
        error.textContent = errorText(failure);
      } finally {
        button.disabled = false;
      }
    });
    const item = card(report);
    item.append(h("div", { class: "actions card-actions" }, button));
    return item;
  }

  function problem() {
    if (!photosInput.files.length) return [t("needPhoto"), photosInput];
    if (place.lat === null) return [t("needLocation"), locate];
    if (!category.value) return [t("needCategory"), category];
    if (!body.value.trim()) return [t("needBody"), body];
    return null;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const wrong = problem();
    if (wrong) {
      error.textContent = wrong[0];
      wrong[1].focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = t("sending");
    const photos = await Promise.all([...photosInput.files].slice(0, 4).map(resized));
    const id = await outbox.add({ body: body.value.trim(), categoryCode: category.value, lat: place.lat, lng: place.lng,
      anonymous: anonymous.checked }, photos);
    submit.disabled = false;
    submit.textContent = t("send");
    const reportId = posted.get(id);
    if (reportId) app.openReport(reportId);
    else {
      form.reset();
      photoPreview.replaceChildren();
      waiting.querySelector("h2")?.focus();
    }
  });

  // What the outbox still holds: shown until it is sent, with the server's reason where it refused one.
  const posted = new Map();
  const showWaiting = ({ waiting: entries, sent }) => {
    for (const [id, reportId] of Object.entries(sent)) posted.set(id, reportId);
    waiting.hidden = entries.length === 0;
    waiting.replaceChildren(h("h2", { id: "waiting-title", tabindex: "-1" }, t("waitingTitle")),
      h("p", { class: "small" }, t("waitingNote")),
      h("ul", {}, entries.map((entry) => h("li", { class: "waiting-entry", "data-entry": entry.id },
        h("span", { class: "body" }, entry.input.body),
        entry.error ? h("span", { class: "error" }, ` ${entry.error} `) : h("span", { class: "small" }, ` — ${t("sending")}`),
        entry.error && discardButton(entry.id)))));
  };
  const discardButton = (id) => {
    const button = h("button", { type: "button", class: "small-button" }, t("discard"));
    button.addEventListener("click", () => outbox.discard(id));
    return button;
  };
  const stopListening = outbox.listen(showWaiting);
  showWaiting({ waiting: await outbox.waiting(), sent: {} });
  try {
    const city = viewer?.area?.city?.id ?? null;
    const categories = (await gql(CATEGORIES, { city })).categories;
    category.append(...categories.map((c) => h("option", { value: c.code }, c.name)));
  } catch (failure) {
    error.textContent = errorText(failure);
  }
  if (navigator.permissions) {
    // Already allowed: the location comes by itself (one tap fewer).
    const permission = await navigator.permissions.query({ name: "geolocation" }).catch(() => null);
    if (permission?.state === "granted") locate.click();
  }
  return () => {
    stopListening();
    mentions.stop();
  };
}
