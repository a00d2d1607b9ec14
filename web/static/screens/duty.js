// The RT/RW duty report (#/tugas) in three taps: take the photo, check what the phone filled in (the location
// comes by itself, the category is the duty's, the text is prefilled and may be changed), send. Above: today's
// reports against the three a day the rules ask for (days counted in Jakarta), each with its verdict.
// A send that fails on a bad network is tried again with the same request key (clientMutationId) and the same
// bytes, so that the server answers with the report it may already have made instead of a second one.
import { gqlFiles, gql } from "../api.js";
import { errorText } from "../errors.js";
import { DEFAULT_ZONE, addText, t } from "../i18n.js";
import { previews, resized } from "../photos.js";
import { h } from "../views.js";
import { dayIn, locale, longDay, startOf, uid } from "./leaders-kit.js";

addText({
  id: {
    dtTitle: "Laporan tugas RT/RW", dtTodayTitle: "Hari ini",
    dtOnlyHeads: "Laporan tugas hanya untuk akun ketua RT/RW.", dtGoal: "Wajib 3 laporan sehari tentang lingkungan Anda.",
    dtToday: "{n} dari {goal} laporan hari ini", dtDone: "Target hari ini tercapai. Terima kasih!",
    dtNoneToday: "Belum ada laporan hari ini.",
    dtV_VALID: "Valid", dtV_INVALID: "Tidak valid", dtV_PENDING: "Menunggu verifikasi",
    dtStep1: "1. Foto", dtTakePhoto: "Ambil foto", dtRetake: "Ganti foto",
    dtStep2: "2. Periksa", dtLocating: "Mencari lokasi Anda…", dtLocation: "Lokasi: {lat}, {lng} (±{m} m)",
    dtLocDenied: "Izin lokasi ditolak. Izinkan akses lokasi untuk situs ini di pengaturan peramban, lalu coba lagi.",
    dtLocFailed: "Lokasi belum ditemukan. Pastikan GPS menyala, lalu coba lagi.",
    dtLocUnsupported: "Peramban ini tidak dapat memberi lokasi.", dtLocRetry: "Cari lokasi lagi",
    dtCategory: "Kategori: {name}", dtBody: "Keterangan", dtBodyDefault: "Laporan tugas RT/RW {date}",
    dtStep3: "3. Kirim", dtSend: "Kirim", dtSending: "Mengirim…", dtSent: "Laporan tugas terkirim.",
    dtNeedPhoto: "Ambil foto dulu.", dtNeedLocation: "Lokasi belum ada: izinkan akses lokasi, lalu coba lagi.",
    dtNeedBody: "Tulis keterangan singkat.",
    dt_FORBIDDEN: "Laporan tugas harus dikirim dari dalam wilayah RT/RW Anda sendiri.",
    dt_CONFLICT: "Laporan ini sudah terkirim dengan isi lain. Ambil foto lagi untuk laporan baru.",
  },
  en: {
    dtTitle: "RT/RW duty report", dtTodayTitle: "Today",
    dtOnlyHeads: "Duty reports are for RT/RW heads' accounts only.", dtGoal: "3 reports a day about your neighbourhood are required.",
    dtToday: "{n} of {goal} reports today", dtDone: "Today's target is met. Thank you!",
    dtNoneToday: "No reports yet today.",
    dtV_VALID: "Valid", dtV_INVALID: "Not valid", dtV_PENDING: "Awaiting verification",
    dtStep1: "1. Photo", dtTakePhoto: "Take a photo", dtRetake: "Change photo",
    dtStep2: "2. Check", dtLocating: "Finding your location…", dtLocation: "Location: {lat}, {lng} (±{m} m)",
    dtLocDenied: "Location permission was denied. Allow location for this site in the browser's settings, then try "
      + "again.",
    dtLocFailed: "Location not found yet. Make sure GPS is on, then try again.",
    dtLocUnsupported: "This browser cannot give a location.", dtLocRetry: "Find location again",
    dtCategory: "Category: {name}", dtBody: "Description", dtBodyDefault: "RT/RW duty report {date}",
    dtStep3: "3. Send", dtSend: "Send", dtSending: "Sending…", dtSent: "Duty report sent.",
    dtNeedPhoto: "Take a photo first.", dtNeedLocation: "No location yet: allow location access, then try again.",
    dtNeedBody: "Write a short description.",
    dt_FORBIDDEN: "A duty report must be sent from inside your own RT/RW.",
    dt_CONFLICT: "This report was already sent with other content. Take a new photo for a new report.",
  },
});

// DUTY reports are about the neighbourhood's upkeep: the national "Kebersihan" (cleanliness) category.
const CATEGORY = "KEBERSIHAN";
const GOAL = 3;
const TODAY = `query($filter: ReportFilter) { feed(filter: $filter, first: 50) { edges { node {
  id createdAt verification { verdict } } } } }`;
const CATEGORIES = "{ categories { code name } }";
const CREATE = `mutation($input: CreateReportInput!) { createReport(input: $input) { id kind createdAt
  verification { verdict } } }`;
const CHANGED = "subscription($filter: ReportFilter) { feedUpdated(filter: $filter) { id } }";

// A camera drawn (phones without an emoji font would show a box).
function camera() {
  const svg = (tag, attributes) => {
    const element = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    return element;
  };
  const icon = svg("svg", { viewBox: "0 0 24 24", width: "28", height: "28", "aria-hidden": "true", focusable: "false",
    class: "dt-camera" });
  icon.append(svg("path", { d: "M4 7h3l2-3h6l2 3h3a1 1 0 0 1 1 1v11a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1z" }),
    svg("circle", { cx: "12", cy: "13", r: "4" }));
  return icon;
}

// "11.35 WIB": today's reports need no date.
function clock(iso) {
  const text = new Intl.DateTimeFormat(locale(), { timeStyle: "short", timeZone: DEFAULT_ZONE }).format(new Date(iso));
  return `${text} WIB`;
}

function requestKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export async function show(element, app) {
  const viewer = app.viewer();
  if (viewer?.role !== "RT_RW") { // the menu offers it to RT/RW heads only; a link may still lead here
    element.replaceChildren(h("div", { class: "lk-screen" }, h("h1", {}, t("dtTitle")),
      h("p", { class: "note" }, t(viewer ? "dtOnlyHeads" : "signInFirst"))));
    return undefined;
  }
  const today = dayIn();
  const categoryName = await gql(CATEGORIES)
    .then((d) => d.categories.find((c) => c.code === CATEGORY)?.name ?? CATEGORY, () => CATEGORY);
  const count = h("p", { class: "dt-count", role: "status" });
  const dots = h("div", { class: "dt-dots", "aria-hidden": "true" });
  const list = h("ol", { class: "dt-list" });
  const photoId = uid("dt-photo");
  const bodyId = uid("dt-body");
  const file = h("input", { type: "file", id: photoId, name: "photo", accept: "image/*", capture: "environment",
    class: "dt-file" });
  const photoLabel = h("span", {}, t("dtTakePhoto"));
  const photoButton = h("label", { for: photoId, class: "dt-photo-button" }, camera(), photoLabel);
  const preview = h("div", { class: "dt-preview" });
  const place = h("p", { class: "dt-location", role: "status", "data-state": "locating" }, t("dtLocating"));
  const retry = h("button", { type: "button", class: "dt-retry", hidden: true }, t("dtLocRetry"));
  const body = h("textarea", { id: bodyId, name: "body", rows: "3", maxlength: "2000" });
  body.value = t("dtBodyDefault", { date: longDay(today) });
  const send = h("button", { type: "submit", class: "primary dt-send" }, t("dtSend"));
  const error = h("p", { class: "error", role: "alert" });
  const sent = h("p", { class: "dt-sent", role: "status" });
  const form = h("form", { class: "dt-form lk-section", novalidate: true, "aria-labelledby": "dt-title" },
    h("div", { class: "dt-step" }, h("h2", { class: "dt-step-title" }, t("dtStep1")), file, photoButton, preview),
    h("div", { class: "dt-step" }, h("h2", { class: "dt-step-title" }, t("dtStep2")), place, retry,
      h("p", { class: "dt-category", "data-code": CATEGORY }, t("dtCategory", { name: categoryName })),
      h("label", { for: bodyId }, t("dtBody")), body),
    h("div", { class: "dt-step" }, h("h2", { class: "dt-step-title" }, t("dtStep3")), send, error, sent));
  element.replaceChildren(h("div", { class: "lk-screen dt-screen" },
    h("h1", { id: "dt-title" }, t("dtTitle")),
    h("section", { class: "lk-section dt-today", "aria-labelledby": "dt-today-title" },
      h("h2", { id: "dt-today-title" }, t("dtTodayTitle")), h("p", { class: "small" }, t("dtGoal")), count, dots, list),
    form));

  let position = null;
  let pending = null; // { key, photo, file, body, lat, lng }: a send not yet acknowledged, retried as it was
  let stopped = false;

  async function loadToday() {
    try {
      const filter = { kind: "DUTY", authorId: viewer.id, since: startOf(dayIn()) };
      const reports = (await gql(TODAY, { filter }, { auth: true })).feed.edges.map((e) => e.node);
      if (stopped) return;
      showToday(reports);
    } catch (failure) {
      count.textContent = errorText(failure);
    }
  }

  function showToday(reports) {
    const n = reports.length;
    count.textContent = `${t("dtToday", { n, goal: GOAL })}${n >= GOAL ? ` — ${t("dtDone")}` : ""}`;
    count.dataset.count = String(n);
    count.dataset.done = String(n >= GOAL);
    dots.replaceChildren(...Array.from({ length: Math.max(GOAL, n) }, (_, i) =>
      h("span", { class: i < n ? "dt-dot is-done" : "dt-dot" })));
    list.replaceChildren(...(n ? [...reports].reverse().map((r) => {
      const verdict = r.verification?.verdict ?? "PENDING";
      return h("li", { "data-report-id": r.id },
        h("a", { href: `#/r/${encodeURIComponent(r.id)}` }, h("time", { datetime: r.createdAt }, clock(r.createdAt))),
        h("span", { class: "dt-verdict", "data-verdict": verdict }, t(`dtV_${verdict}`)));
    }) : [h("li", { class: "empty" }, t("dtNoneToday"))]));
  }

  function locate() {
    retry.hidden = true;
    if (!navigator.geolocation) {
      place.dataset.state = "error";
      place.textContent = t("dtLocUnsupported");
      return;
    }
    place.dataset.state = "locating";
    place.textContent = t("dtLocating");
    navigator.geolocation.getCurrentPosition((found) => {
      if (stopped) return;
      const { latitude, longitude, accuracy } = found.coords;
      position = { lat: latitude, lng: longitude };
      place.dataset.state = "ok";
      place.textContent = t("dtLocation", { lat: latitude.toFixed(5), lng: longitude.toFixed(5),
        m: Math.round(accuracy ?? 0) });
    }, (failure) => {
      if (stopped) return;
      position = null; // no older place stands in for where the photo was taken
      place.dataset.state = "error";
      place.textContent = t(failure.code === failure.PERMISSION_DENIED ? "dtLocDenied" : "dtLocFailed");
      retry.hidden = false;
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
  }

  file.addEventListener("change", () => {
    const chosen = file.files[0];
    preview.replaceChildren(...(chosen ? previews([chosen]) : []));
    photoLabel.textContent = t(chosen ? "dtRetake" : "dtTakePhoto");
    photoButton.dataset.hasPhoto = String(Boolean(chosen));
    error.textContent = "";
    sent.textContent = "";
    if (chosen) locate(); // where the photo was taken: the phone may have moved since the screen opened
  });
  retry.addEventListener("click", locate);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    sent.textContent = "";
    const chosen = file.files[0];
    const text = body.value.trim();
    const missing = !chosen ? ["dtNeedPhoto", photoButton] : !position && !pending ? ["dtNeedLocation", retry]
      : !text ? ["dtNeedBody", body] : null;
    if (missing) {
      error.textContent = t(missing[0]);
      if (missing[1] === photoButton) file.focus();
      else if (!missing[1].hidden) missing[1].focus();
      return;
    }
    send.disabled = true;
    send.textContent = t("dtSending");
    try {
      // The same photo and text as the attempt before: the same request, under the same key.
      if (!pending || pending.file !== chosen || pending.body !== text) {
        pending = { key: requestKey(), file: chosen, body: text, photo: await resized(chosen), ...position };
      }
      const input = { kind: "DUTY", body: pending.body, categoryCode: CATEGORY, lat: pending.lat, lng: pending.lng,
        photos: [null], clientMutationId: pending.key };
      await gqlFiles(CREATE, { input }, { "input.photos.0": pending.photo });
      pending = null;
      form.reset();
      body.value = t("dtBodyDefault", { date: longDay(dayIn()) });
      preview.replaceChildren();
      photoLabel.textContent = t("dtTakePhoto");
      photoButton.dataset.hasPhoto = "false";
      sent.textContent = t("dtSent");
      await loadToday();
    } catch (failure) {
      error.textContent = errorText(failure, "dt");
    } finally {
      send.disabled = false;
      send.textContent = t("dtSend");
    }
  });

  locate();
  await loadToday();
  // A verifier's verdict (or a send from another device) shows without a reload.
  const stopLive = app.live.subscribe(CHANGED, { filter: { kind: "DUTY", authorId: viewer.id } }, () => loadToday());
  return () => {
    stopped = true;
    stopLive();
  };
}
