// Reports on their way to the server. A report is kept on the device (IndexedDB, which survives a reload and
// holds the photos as they are) from the moment its author sends it until the server has answered; until then
// it is sent again, with the same clientMutationId, whenever the network may be back. The server answers a
// retry with the report the first attempt made, so a report lost on the way back is never posted twice.
import { ApiError, gqlFiles } from "./api.js";
import { errorText } from "./errors.js";
import { t } from "./i18n.js";

const CREATE = "mutation($input: CreateReportInput!) { createReport(input: $input) { id } }";
const STORE = "outbox";
// Answers that will not change by sending again; any other failure (no network, a server restarting, a rate
// limit, a session to renew) waits for the next attempt.
const FINAL = new Set(["BAD_USER_INPUT", "FORBIDDEN", "NOT_FOUND", "PAYLOAD_TOO_LARGE"]);

function request(fn) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open("warga", 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: "id" });
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const transaction = open.result.transaction(STORE, "readwrite");
      const asked = fn(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(asked.result);
      transaction.onerror = () => reject(transaction.error);
    };
  });
}

const everything = () => request((store) => store.getAll());
const keep = (entry) => request((store) => store.put(entry));
const forget = (id) => request((store) => store.delete(id));

class Outbox {
  constructor() {
    this.owner = null;
    this.sending = null;
    this.timer = null;
    this.delay = 2000;
    this.listeners = new Set();
    this.status = document.getElementById("outbox-status");
    window.addEventListener("online", () => this.flush());
  }

  // Only the viewer's own reports are sent with their token (a shared phone: another resident signed in later).
  start(viewer) {
    this.owner = viewer?.handle ?? null;
    return this.flush();
  }

  // `listener({ waiting, sent })`: the viewer's reports still on the device; `sent` maps an entry's id to the
  // report the server made of it.
  listen(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async add(input, photos) {
    const id = crypto.randomUUID();
    await keep({ id, owner: this.owner, input: { ...input, clientMutationId: id }, photos, createdAt: Date.now(),
      error: null });
    await this.flush();
    return id;
  }

  async discard(id) {
    await forget(id);
    await this.tell({});
  }

  async waiting() {
    return (await everything()).filter((entry) => entry.owner === this.owner)
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  // One pass over the waiting reports, oldest first; a pass asked for during one runs after it.
  flush() {
    clearTimeout(this.timer);
    this.sending = (this.sending ?? Promise.resolve()).then(() => this.pass());
    return this.sending;
  }

  async pass() {
    const sent = {};
    let retry = false;
    for (const entry of await this.waiting()) {
      if (entry.error || !this.owner) continue;
      try {
        sent[entry.id] = await send(entry);
        await forget(entry.id);
      } catch (failure) {
        if (failure instanceof ApiError && FINAL.has(failure.code)) {
          await keep({ ...entry, error: errorText(failure, "post") }); // shown, for the author to fix or discard
        } else {
          retry = true;
          break; // the network is down: the others would fail the same way
        }
      }
    }
    if (retry) {
      this.timer = setTimeout(() => this.flush(), this.delay);
      this.delay = Math.min(this.delay * 2, 60000);
    } else this.delay = 2000;
    await this.tell(sent);
  }

  async tell(sent) {
    const waiting = await this.waiting();
    const pending = waiting.filter((entry) => !entry.error).length;
    this.status.hidden = pending === 0;
    this.status.textContent = pending ? t("waitingToSend", { n: pending }) : "";
    for (const listener of this.listeners) listener({ waiting, sent });
  }
}

function send(entry) {
  const photos = Object.fromEntries(entry.photos.map((photo, i) => [`input.photos.${i}`, photo]));
  const input = { ...entry.input, photos: entry.photos.map(() => null) };
  return gqlFiles(CREATE, { input }, photos).then((data) => data.createReport.id);
}

export const outbox = new Outbox();
