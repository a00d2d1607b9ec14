// A new resident's account: handle, name, password (email and phone optional), then signed in at once.
import { gql, setToken } from "../api.js";
import { errorText } from "../errors.js";
import { addText, t } from "../i18n.js";
import { h } from "../views.js";

addText({
  id: { registerTitle: "Daftar akun Warga", displayName: "Nama lengkap", email: "Email (boleh kosong)",
    phone: "Nomor HP (boleh kosong)", newPassword: "Kata sandi (minimal 8 karakter)", registering: "Mendaftar…",
    register_CONFLICT: "Nama pengguna itu sudah dipakai.", register_BAD_USER_INPUT: "Periksa isian: nama pengguna huruf, angka atau _, kata sandi minimal 8 karakter." },
  en: { registerTitle: "Create a Warga account", displayName: "Full name", email: "Email (optional)",
    phone: "Phone number (optional)", newPassword: "Password (at least 8 characters)", registering: "Registering…",
    register_CONFLICT: "That username is taken.", register_BAD_USER_INPUT: "Check the fields: a username of letters, digits or _, a password of at least 8 characters." },
});

const REGISTER = `mutation($h: String!, $n: String!, $p: String!, $e: String, $ph: String) {
  register(handle: $h, displayName: $n, password: $p, email: $e, phone: $ph) { token } }`;

function input(name, label, attributes) {
  return h("label", {}, h("span", {}, label), h("input", { name, ...attributes }));
}

export async function show(element, app) {
  const error = h("p", { class: "error", role: "alert" });
  const submit = h("button", { type: "submit", class: "primary" }, t("register"));
  const form = h("form", { class: "register-form", novalidate: true },
    input("handle", t("handle"), { autocomplete: "username", autocapitalize: "none", spellcheck: "false", required: true }),
    input("displayName", t("displayName"), { autocomplete: "name", required: true }),
    input("password", t("newPassword"), { type: "password", autocomplete: "new-password", minlength: 8, required: true }),
    input("email", t("email"), { type: "email", autocomplete: "email" }),
    input("phone", t("phone"), { type: "tel", autocomplete: "tel" }),
    error, h("div", { class: "actions" }, submit));
  element.replaceChildren(h("h1", {}, t("registerTitle")), form);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const v = Object.fromEntries(new FormData(form));
    error.textContent = "";
    submit.disabled = true;
    submit.textContent = t("registering");
    try {
      const answer = await gql(REGISTER, { h: v.handle.trim().replace(/^@+/, ""), n: v.displayName.trim(), p: v.password,
        e: v.email.trim() || null, ph: v.phone.trim() || null });
      setToken(answer.register.token);
      await app.signedIn();
      location.hash = "#/lapor";
    } catch (failure) {
      error.textContent = errorText(failure, "register");
      submit.disabled = false;
      submit.textContent = t("register");
    }
  });
}
