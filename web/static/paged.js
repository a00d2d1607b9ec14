// A list shown a connection's page at a time: load() shows the first page instead of what is there, load(true)
// appends the next (the "more" button does). An answer overtaken by a newer load() is dropped; a failure goes
// to `error` in the person's language.
import { errorText } from "./errors.js";
import { h } from "./views.js";

export function pagedList({ list, more, error, fetch, item, empty }) {
  let after = null;
  let generation = 0;
  async function load(append = false) {
    const mine = append ? generation : ++generation;
    let page;
    try {
      page = await fetch(append ? after : null);
    } catch (failure) {
      error.textContent = errorText(failure);
      return;
    }
    if (mine !== generation) return;
    error.textContent = "";
    const items = page.edges.map(({ node }) => item(node));
    if (append) list.append(...items);
    else list.replaceChildren(...(items.length ? items : [h("li", { class: "empty" }, empty)]));
    after = page.pageInfo.endCursor;
    more.hidden = !page.pageInfo.hasNextPage;
  }
  more.addEventListener("click", () => load(true));
  return load;
}
