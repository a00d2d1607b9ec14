// What the leaders' screens (rankings, a unit's trend, duty compliance) and the RT/RW duty screen share: days
// and months counted in Jakarta's zone, numbers as leaders read them, and a table sorted by
// its column headers that scrolls inside its own box on a phone.
import { DEFAULT_ZONE, lang } from "../i18n.js";
import { h } from "../views.js";

export function locale() {
  return lang === "en" ? "en-GB" : "id-ID";
}

// Days as "YYYY-MM-DD" in a zone (Indonesia's zones keep one offset all year).
export function dayIn(date = new Date(), zone = DEFAULT_ZONE) {
  return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" })
    .format(date);
}

function utc(day) {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

export function addDays(day, n) {
  const date = utc(day);
  date.setUTCDate(date.getUTCDate() + n);
  return date.toISOString().slice(0, 10);
}

export function addMonths(day, n) {
  const date = utc(day);
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + n);
  return date.toISOString().slice(0, 10);
}

function offset(day, zone) {
  const name = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" })
    .formatToParts(utc(day)).find((part) => part.type === "timeZoneName")?.value ?? "GMT";
  return name === "GMT" ? "+00:00" : name.slice(3);
}

// The moment a day begins in the zone, as the API's DateTime: "2026-11-24T00:00:00+07:00".
export function startOf(day, zone = DEFAULT_ZONE) {
  return `${day}T00:00:00${offset(day, zone)}`;
}

// The Monday of the day's week.
export function mondayOf(day) {
  return addDays(day, -((utc(day).getUTCDay() + 6) % 7));
}

// The leaders' periods, as days [from, to) in Jakarta.
export const PERIODS = ["week", "weeks4", "month", "lastMonth"];

export function period(kind, today = dayIn()) {
  const first = `${today.slice(0, 8)}01`;
  if (kind === "week") return { from: mondayOf(today), to: addDays(mondayOf(today), 7) };
  if (kind === "weeks4") return { from: addDays(today, -27), to: addDays(today, 1) };
  if (kind === "lastMonth") return { from: addMonths(first, -1), to: first };
  return { from: first, to: addMonths(first, 1) };
}

// "17–23 Nov 2026": the days of [from, to).
export function dayRange(from, to) {
  const format = new Intl.DateTimeFormat(locale(), { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  const last = addDays(to, -1);
  return last === from ? format.format(utc(from)) : format.formatRange(utc(from), utc(last));
}

export function shortDay(day) {
  return new Intl.DateTimeFormat(locale(), { day: "numeric", month: "short", timeZone: "UTC" }).format(utc(day));
}

export function longDay(day) {
  return new Intl.DateTimeFormat(locale(), { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" })
    .format(utc(day));
}

// "YYYY-MM" → "November 2026".
export function monthName(month) {
  return new Intl.DateTimeFormat(locale(), { month: "long", year: "numeric", timeZone: "UTC" })
    .format(utc(`${month}-01`));
}

export function rupiah(amount) {
  return new Intl.NumberFormat(locale(), { style: "currency", currency: "IDR", minimumFractionDigits: 0,
    maximumFractionDigits: 0 }).format(amount);
}

// A unique id for labels and captions.
let serial = 0;
export function uid(prefix) {
  serial += 1;
  return `${prefix}-${serial}`;
}

// A table in a box of its own that scrolls sideways on a phone (the page never does), reachable and named for
// keyboard and screen-reader users. `columns`: { key, label, value(row) to sort by (null: last), cell(row),
// numeric, first ("ascending" | "descending", the first click's order) }. Sorting keeps equal rows in the order
// they came (the server's: rank, then score).
export class SortableTable {
  constructor({ caption, columns, sort, rowAttributes = () => ({}), footer = null, className = "", onRender }) {
    this.columns = columns;
    this.onRender = onRender ?? (() => {});
    this.sort = sort ?? null; // { key, dir }
    this.rowAttributes = rowAttributes;
    this.footer = footer;
    this.rows = [];
    const captionId = uid("caption");
    this.caption = h("caption", { id: captionId }, caption);
    this.table = h("table", { class: `lk-table ${className}` });
    this.element = h("div", { class: "lk-scroll", tabindex: "0", role: "region", "aria-labelledby": captionId },
      this.table);
  }

  setRows(rows) {
    this.rows = rows.map((row, index) => ({ row, index }));
    this.render();
  }

  setCaption(text) {
    this.caption.textContent = text;
  }

  sortBy(key) {
    const column = this.columns.find((c) => c.key === key);
    const dir = this.sort?.key === key ? (this.sort.dir === "ascending" ? "descending" : "ascending")
      : column.first ?? (column.numeric ? "descending" : "ascending");
    this.sort = { key, dir };
    this.render();
    this.table.querySelector(`th[data-key="${key}"] button`)?.focus();
  }

  sorted() {
    if (!this.sort) return this.rows;
    const column = this.columns.find((c) => c.key === this.sort.key);
    const sign = this.sort.dir === "ascending" ? 1 : -1;
    const collator = new Intl.Collator(locale(), { numeric: true, sensitivity: "base" });
    return [...this.rows].sort((a, b) => {
      const x = column.value(a.row);
      const y = column.value(b.row);
      if (x == null || y == null) return x == null && y == null ? a.index - b.index : x == null ? 1 : -1;
      const order = typeof x === "string" ? collator.compare(x, y) : x - y;
      return order * sign || a.index - b.index;
    });
  }

  header(column) {
    const active = this.sort?.key === column.key;
    const arrow = active ? (this.sort.dir === "ascending" ? "▲" : "▼") : "↕";
    return h("th", { scope: "col", "data-key": column.key,
      class: [column.numeric && "num", column.rowHeader && "lk-sticky"].filter(Boolean).join(" ") || null,
      "aria-sort": active ? this.sort.dir : null },
    column.value ? h("button", { type: "button", class: "lk-sort" }, column.label,
      h("span", { class: "lk-arrow", "aria-hidden": "true" }, arrow)) : column.label);
  }

  render() {
    const head = h("tr", {}, this.columns.map((column) => this.header(column)));
    for (const button of head.querySelectorAll("button")) {
      button.addEventListener("click", () => this.sortBy(button.parentElement.dataset.key));
    }
    const order = this.sorted();
    const body = order.map(({ row }) => h("tr", this.rowAttributes(row), this.columns.map((column) => {
      const attributes = { class: column.numeric ? "num" : column.rowHeader ? "lk-sticky" : null, "data-col": column.key };
      return column.rowHeader ? h("th", { ...attributes, scope: "row" }, column.cell(row))
        : h("td", attributes, column.cell(row));
    })));
    const foot = this.footer?.(this.rows.map((r) => r.row));
    this.table.replaceChildren(this.caption, h("thead", {}, head), h("tbody", {}, body));
    if (foot) this.table.append(h("tfoot", {}, foot));
    this.onRender(order.map((r) => r.row));
  }
}

// A minute count as people say it: "< 1 mnt", "45 mnt", "2,5 jam", "3,2 hari"; null: a dash.
export function duration(minutes, words) {
  if (minutes == null) return "–";
  const number = (value) => new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 }).format(value);
  if (minutes < 1) return `< 1 ${words.minutes}`;
  if (minutes < 90) return `${number(Math.round(minutes))} ${words.minutes}`;
  if (minutes < 48 * 60) return `${number(minutes / 60)} ${words.hours}`;
  return `${number(minutes / 1440)} ${words.days}`;
}
