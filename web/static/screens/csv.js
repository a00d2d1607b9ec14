// Tables as CSV files made in the browser: a Blob behind an <a download> link (the page's policy allows blob:
// downloads; no script runs). Fields are quoted where needed, and a text cell that a spreadsheet would read as
// a formula (=, +, -, @, a tab or a carriage return first) starts with an apostrophe: a unit or an account
// named "=HYPERLINK(…)" stays text.
import { h } from "../views.js";

const FORMULA = /^[=+\-@\t\r]/;

export function field(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  let text = String(value);
  if (FORMULA.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csv(rows) {
  return rows.map((row) => row.map(field).join(",")).join("\r\n") + "\r\n";
}

// A download link that always offers the latest rows: `update(rows, filename)` replaces the file behind it.
export class CsvLink {
  constructor(label, className = "lk-download") {
    this.url = null;
    this.element = h("a", { class: className, href: "#", "aria-disabled": "true" }, label);
    this.element.addEventListener("click", (event) => {
      if (!this.url) event.preventDefault();
    });
  }

  update(rows, filename) {
    if (this.url) URL.revokeObjectURL(this.url);
    // The byte-order mark tells spreadsheets the file is UTF-8 ("Pisangan Baru" is plain, "Cipinang Besar
    // Selatan · Bogor" may not be).
    this.url = URL.createObjectURL(new Blob(["\ufeff", csv(rows)], { type: "text/csv;charset=utf-8" }));
    this.element.href = this.url;
    this.element.download = filename;
    this.element.removeAttribute("aria-disabled");
  }

  clear() {
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = null;
    this.element.href = "#";
    this.element.removeAttribute("download");
    this.element.setAttribute("aria-disabled", "true");
  }
}
