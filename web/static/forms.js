// The small forms of the app's actions (follow up, forward, reopen…): one builder, so that each has its labels,
// its error line and its busy button the same way. Files go through the GraphQL multipart request spec.
import { gql, gqlFiles } from "./api.js";
import { errorText } from "./errors.js";
import { t } from "./i18n.js";
import { previews } from "./photos.js";
import { h } from "./views.js";

let forms = 0;

// A field: { name, label, kind: "text" | "textarea" | "select" | "photos" | "camera" | "stars", required,
// options: [[value, label]] }.
function field(spec) {
  const id = `f${forms}-${spec.name}`;
  let input;
  if (spec.kind === "textarea") input = h("textarea", { id, name: spec.name, rows: 3, maxlength: 2000, required: spec.required });
  else if (spec.kind === "select") {
    input = h("select", { id, name: spec.name, required: spec.required },
      (spec.options ?? []).map(([value, label]) => h("option", { value }, label)));
  } else if (spec.kind === "photos" || spec.kind === "camera") {
    input = h("input", { id, name: spec.name, type: "file", accept: "image/*", multiple: true, required: spec.required,
      capture: spec.kind === "camera" ? "environment" : null });
    const shown = h("div", { class: "previews" });
    input.addEventListener("change", () => shown.replaceChildren(...previews(input.files)));
    return h("div", { class: "field" }, h("label", { for: id }, spec.label), input, shown);
  } else input = h("input", { id, name: spec.name, type: "text", maxlength: 500, required: spec.required });
  return h("div", { class: "field" }, h("label", { for: id }, spec.label), input);
}

// A form folded under its title (a <details>): `run(values)` does the work, with `values[name]` the text or
// the files; `done()` follows success. The server's refusal is shown in the person's language.
export function actionForm({ title, fields, submit, run, done, open = false, name }) {
  forms++;
  const error = h("p", { class: "error", role: "alert" });
  const button = h("button", { type: "submit", class: "primary" }, submit);
  const form = h("form", { class: "action-form", novalidate: true, "data-action": name },
    fields.map(field), error, h("div", { class: "actions" }, button));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const values = {};
    for (const spec of fields) {
      const input = form.elements[spec.name];
      values[spec.name] = input.type === "file" ? [...input.files] : input.value.trim();
      if (spec.required && !values[spec.name].length) {
        error.textContent = t("required", { field: spec.label });
        input.focus();
        return;
      }
    }
    button.disabled = true;
    try {
      await run(values);
      done();
    } catch (failure) {
      error.textContent = errorText(failure);
      button.disabled = false;
    }
  });
  return h("details", { class: "action", open, "data-action": name }, h("summary", {}, title), form);
}

// A mutation whose photos are the variable `photos` (a list of Files).
export function withPhotos(query, variables, photos) {
  if (!photos.length) return gql(query, variables, { auth: true });
  const files = Object.fromEntries(photos.map((photo, i) => [`photos.${i}`, photo]));
  return gqlFiles(query, { ...variables, photos: photos.map(() => null) }, files);
}

// A button that runs a mutation and then `done()`; its error goes to `error`.
export function actionButton(label, run, done, error, attributes = {}) {
  const button = h("button", { type: "button", ...attributes }, label);
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await run();
      done();
    } catch (failure) {
      error.textContent = errorText(failure);
      button.disabled = false;
    }
  });
  return button;
}
