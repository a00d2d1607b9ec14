// @mention suggestions under a textarea: typing "@lu" asks the server (mentionSuggestions) for the officials
// responsible for the report's place and category first, then accounts whose handle or name starts so. The
// arrow keys move through them, Enter or Tab picks one, Escape closes the list; a click or tap picks too.
import { gql } from "./api.js";
import { addText, t } from "./i18n.js";
import { h } from "./views.js";

addText({ id: { suggestions: "Akun yang dapat disebut" }, en: { suggestions: "Accounts to mention" } });

const SUGGEST = `query($text: String!, $lat: Float, $lng: Float, $c: String) {
  mentionSuggestions(text: $text, lat: $lat, lng: $lng, categoryCode: $c) { id handle displayName role } }`;
let lists = 0;

export class MentionBox {
  constructor(textarea, where) {
    this.textarea = textarea;
    this.where = where;
    this.items = [];
    this.active = -1;
    this.asked = 0;
    this.id = `mentions-${++lists}`;
    this.list = h("ul", { id: this.id, role: "listbox", class: "mentions", hidden: true, "aria-label": t("suggestions") });
    textarea.after(this.list);
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", this.id);
    this.onInput = () => this.suggest();
    this.onKey = (event) => this.key(event);
    this.onBlur = () => setTimeout(() => this.close(), 200); // after a click on an option
    textarea.addEventListener("input", this.onInput);
    textarea.addEventListener("keydown", this.onKey);
    textarea.addEventListener("blur", this.onBlur);
  }

  stop() {
    this.textarea.removeEventListener("input", this.onInput);
    this.textarea.removeEventListener("keydown", this.onKey);
    this.textarea.removeEventListener("blur", this.onBlur);
  }

  // The "@word" just before the caret, if any.
  word() {
    const before = this.textarea.value.slice(0, this.textarea.selectionStart);
    return before.match(/(?:^|\s)@(\w*)$/)?.[1] ?? null;
  }

  async suggest() {
    const text = this.word();
    if (text === null) return this.close();
    const asked = ++this.asked;
    await new Promise((resolve) => setTimeout(resolve, 150)); // one question per pause in typing
    if (asked !== this.asked) return undefined;
    const { lat, lng, categoryCode } = this.where();
    let accounts;
    try {
      accounts = (await gql(SUGGEST, { text, lat, lng, c: categoryCode })).mentionSuggestions;
    } catch {
      return this.close();
    }
    if (asked !== this.asked) return undefined;
    this.items = accounts;
    this.active = accounts.length ? 0 : -1;
    this.list.replaceChildren(...accounts.map((account, i) => {
      const option = h("li", { id: `${this.id}-${i}`, role: "option", "data-handle": account.handle },
        h("strong", {}, account.displayName), ` @${account.handle}`);
      option.addEventListener("mousedown", (event) => event.preventDefault()); // the textarea keeps focus
      option.addEventListener("click", () => this.pick(i));
      return option;
    }));
    this.list.hidden = accounts.length === 0;
    return this.highlight();
  }

  highlight() {
    [...this.list.children].forEach((option, i) => option.setAttribute("aria-selected", String(i === this.active)));
    if (this.active >= 0) this.textarea.setAttribute("aria-activedescendant", `${this.id}-${this.active}`);
    else this.textarea.removeAttribute("aria-activedescendant");
  }

  key(event) {
    if (this.list.hidden) return;
    const n = this.items.length;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      this.active = (this.active + (event.key === "ArrowDown" ? 1 : n - 1)) % n;
      this.highlight();
    } else if ((event.key === "Enter" || event.key === "Tab") && this.active >= 0) this.pick(this.active);
    else if (event.key === "Escape") this.close();
    else return;
    event.preventDefault();
  }

  pick(i) {
    const { handle } = this.items[i];
    const caret = this.textarea.selectionStart;
    const before = this.textarea.value.slice(0, caret).replace(/@\w*$/, `@${handle} `);
    this.textarea.value = before + this.textarea.value.slice(caret);
    this.textarea.selectionStart = this.textarea.selectionEnd = before.length;
    this.textarea.focus();
    this.close();
  }

  close() {
    this.asked++;
    this.items = [];
    this.active = -1;
    this.list.hidden = true;
    this.list.replaceChildren();
    this.textarea.removeAttribute("aria-activedescendant");
  }
}
