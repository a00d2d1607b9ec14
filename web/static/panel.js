// A panel of the page: a heading whose button shows or hides its body (the disclosure pattern),
// so that a phone can fold polls or the officials' watch away and reach the feed.
import { h } from "./views.js";

export class Panel {
  constructor(element, name) {
    this.element = element;
    this.open = true;
    this.toggle = h("button", { type: "button", id: `${name}-toggle`, class: "panel-toggle",
      "aria-expanded": "true", "aria-controls": `${name}-body` });
    this.title = h("span", { class: "panel-title" });
    this.extra = h("span", { class: "panel-count" });
    this.toggle.append(this.title, this.extra);
    this.tools = h("div", { class: "panel-tools" });
    this.body = h("div", { id: `${name}-body`, class: "panel-body" });
    element.replaceChildren(h("div", { class: "panel-head" }, h("h2", { id: `${name}-title` }, this.toggle),
      this.tools), this.body);
    this.toggle.addEventListener("click", () => {
      this.open = !this.open;
      this.toggle.setAttribute("aria-expanded", String(this.open));
      this.body.hidden = !this.open;
    });
  }

  heading(text, count = "") {
    this.title.textContent = text;
    this.extra.textContent = count === "" ? "" : ` (${count})`;
  }
}
