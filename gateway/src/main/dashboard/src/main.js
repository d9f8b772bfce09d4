import "./style.css";
import { api, qs, setCsrf, whenExpired } from "./api.js";
import { el, clear, errorBox } from "./ui.js";
import { overviewPage } from "./pages/overview.js";
import { activityPage } from "./pages/activity.js";
import { keysPage } from "./pages/keys.js";
import { modelsPage } from "./pages/models.js";
import { providersPage } from "./pages/providers.js";
import { playgroundPage } from "./pages/playground.js";

const PAGES = [
  ["overview", "Overview", overviewPage],
  ["activity", "Activity", activityPage],
  ["keys", "Keys", keysPage],
  ["models", "Models", modelsPage],
  ["providers", "Providers", providersPage],
  ["playground", "Playground", playgroundPage],
];

const root = document.getElementById("app");
let session = null;

function loginView(message) {
  session = null;
  setCsrf(null);
  const key = el("input", { type: "password", id: "login-key", name: "key", autocomplete: "off", required: true, placeholder: "sk-sb-mgmt-v1-…" });
  const status = el("p", { class: "error", role: "alert" }, message || "");
  const form = el(
    "form",
    {
      id: "login-form",
      class: "login",
      onsubmit: async (e) => {
        e.preventDefault();
        status.textContent = "";
        try {
          const r = await api("/dashboard/login", { method: "POST", body: { key: key.value } });
          key.value = "";
          start(r.data);
        } catch (err) {
          status.textContent = err.status === 401 || err.status === 403 ? "That is not a valid management key." : err.message;
        }
      },
    },
    el("h1", {}, "Switchboard"),
    el("p", { class: "muted" }, "Log in with a management key. It is sent once; the session lives in an HttpOnly cookie."),
    key,
    el("button", { type: "submit", id: "login-submit" }, "Log in"),
    status,
  );
  clear(root, form);
  key.focus();
}

function shell() {
  const nav = el(
    "nav",
    {},
    el("strong", { class: "brand" }, "Switchboard"),
    PAGES.map(([id, title]) => el("a", { href: "#/" + id, id: "nav-" + id }, title)),
    el("span", { class: "spacer" }),
    el("span", { class: "muted", id: "who" }, session.name + " · " + session.label),
    el(
      "button",
      {
        id: "logout",
        class: "link",
        onclick: async () => {
          try {
            await api("/dashboard/logout", { method: "POST" });
          } finally {
            location.hash = "";
            loginView("Logged out.");
          }
        },
      },
      "Log out",
    ),
  );
  const main = el("main", { id: "main" });
  clear(root, nav, main);
  return main;
}

let main = null;

async function route() {
  if (!session) return;
  if (!main || !document.body.contains(main)) main = shell();
  const [, name = "overview", ...rest] = (location.hash || "#/overview").split("/");
  const page = PAGES.find((p) => p[0] === name) || PAGES[0];
  for (const [id] of PAGES) document.getElementById("nav-" + id)?.classList.toggle("active", id === page[0]);
  clear(main, el("p", { class: "muted" }, "Loading…"));
  try {
    await page[2](main, rest.map(decodeURIComponent), { session });
  } catch (err) {
    clear(main, errorBox(err));
  }
}

function start(s) {
  session = s;
  setCsrf(s.csrf_token);
  main = null;
  route();
}

whenExpired((message) => loginView(message));
window.addEventListener("hashchange", route);

(async () => {
  if (location.hash === "#login-failed") {
    location.hash = "";
    loginView("That is not a valid management key.");
    return;
  }
  try {
    const r = await api("/dashboard/session");
    start(r.data);
  } catch {
    loginView();
  }
})();

export { qs };
