// Signing in with a handle and password (the `login` mutation), out again, and who the viewer is.
import { ApiError, gql, setToken, token } from "./api.js";
import { errorText } from "./errors.js";
import { t } from "./i18n.js";

const LOGIN = `mutation($h: String!, $p: String!) { login(handle: $h, password: $p) { token } }`;
// The viewer's home area with its ancestors: polls of any of them concern the viewer.
const VIEWER_KEY = "warga-viewer";
const ME = `{ me { id handle displayName role agency { id area { id name } } area { id name level city { id }
  parent { id parent { id parent { id parent { id parent { id } } } } } } } }`;
// Who sees trending topics and surges (the server decides for which area: their own, or the city for admins).
export const OFFICIAL_ROLES = new Set(["AREA_HEAD", "OFFICER", "AGENCY_HEAD", "VERIFIER", "CITY_ADMIN", "ADMIN"]);

export function ancestors(area) {
  const ids = [];
  for (let a = area; a; a = a.parent) ids.push(a.id);
  return ids;
}

// Wires the header's sign-in button, form and sign-out button. `onChange(viewer)` hears every change
// (null when signed out); returns a function that loads the viewer of a stored token.
export function setUpSession(onChange) {
  const form = document.getElementById("signin");
  const open = document.getElementById("signin-open");
  const whoami = document.getElementById("whoami");
  const signOut = document.getElementById("signout");
  const error = document.getElementById("signin-error");
  const submit = form.querySelector("button[type=submit]");

  const show = (viewer) => {
    open.hidden = Boolean(viewer);
    whoami.hidden = signOut.hidden = !viewer;
    whoami.textContent = viewer ? `@${viewer.handle}` : "";
    whoami.title = viewer ? `${t("signedInAs")} ${viewer.displayName}` : "";
    document.body.dataset.viewer = viewer ? viewer.handle : "";
  };
  const toggle = (visible) => {
    form.hidden = !visible;
    open.setAttribute("aria-expanded", String(visible));
    if (visible) form.elements.handle.focus();
  };

  open.addEventListener("click", () => toggle(form.hidden));
  document.getElementById("signin-cancel").addEventListener("click", () => {
    toggle(false);
    open.focus();
  });
  form.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      toggle(false);
      open.focus();
    }
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const handle = form.elements.handle.value.trim().replace(/^@+/, "");
    const password = form.elements.password.value;
    error.textContent = "";
    if (!handle || !password) {
      error.textContent = t("login_BAD_USER_INPUT");
      (handle ? form.elements.password : form.elements.handle).focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = t("signingIn");
    try {
      setToken((await gql(LOGIN, { h: handle, p: password })).login.token);
      form.reset();
      toggle(false);
      const viewer = await load();
      show(viewer);
      onChange(viewer);
      document.getElementById("polls-toggle")?.focus();
    } catch (failure) {
      error.textContent = errorText(failure, "login");
      form.elements.password.select();
    } finally {
      submit.disabled = false;
      submit.textContent = t("signIn");
    }
  });
  signOut.addEventListener("click", async () => {
    const had = token();
    setToken(null);
    show(null);
    onChange(null);
    open.focus();
    if (had) {
      // The server forgets the token too; the page is signed out whatever it answers.
      fetch("/graphql", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${had}` },
        body: JSON.stringify({ query: "mutation { logout }" }),
      }).catch(() => {});
    }
  });

  // Offline (a reload with reports waiting to send), the viewer as last known: the token is still theirs.
  async function load() {
    if (!token()) return null;
    try {
      const viewer = (await gql(ME, {}, { auth: true })).me;
      if (!viewer) setToken(null);
      else sessionStorage.setItem(VIEWER_KEY, JSON.stringify(viewer));
      return viewer;
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === "UNAUTHENTICATED") setToken(null);
      if (failure instanceof ApiError && failure.code === "NETWORK") return JSON.parse(sessionStorage.getItem(VIEWER_KEY));
      return null;
    }
  }

  return {
    async restore() {
      const viewer = await load();
      show(viewer);
      return viewer;
    },
    // The token was refused on the way (an expired session): the page shows itself signed out and the
    // sign-in form says why.
    expired() {
      setToken(null);
      show(null);
      toggle(true);
      error.textContent = t("err_UNAUTHENTICATED");
    },
  };
}
