// The page's two views, the reports and the flood, as tabs (the ARIA pattern: the arrow keys, Home and End move
// between them), the picked one kept in the URL (?view=banjir) like the city, so that a link opens it.
import { inUrl, keepInUrl } from "./url.js";

const PARAM = "view";
export const REPORTS = "laporan";
export const FLOOD = "banjir";

export function viewInUrl() {
  return inUrl(PARAM) === FLOOD ? FLOOD : REPORTS;
}

export class Tabs {
  constructor(element, onPick) {
    this.tabs = [...element.querySelectorAll('[role="tab"]')];
    element.addEventListener("click", (event) => {
      const tab = event.target.closest('[role="tab"]');
      if (tab) onPick(tab.dataset.view);
    });
    element.addEventListener("keydown", (event) => {
      const at = this.tabs.indexOf(event.target);
      const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: this.tabs.length - 1 }[event.key];
      if (at < 0 || to === undefined) return;
      event.preventDefault();
      const tab = this.tabs[(to + this.tabs.length) % this.tabs.length];
      tab.focus();
      onPick(tab.dataset.view);
    });
  }

  select(view) {
    for (const tab of this.tabs) {
      const selected = tab.dataset.view === view;
      tab.setAttribute("aria-selected", String(selected));
      tab.tabIndex = selected ? 0 : -1;
    }
    keepInUrl(PARAM, view === FLOOD ? FLOOD : "");
    document.body.dataset.view = view; // the filters of reports step aside in the flood view
  }
}
