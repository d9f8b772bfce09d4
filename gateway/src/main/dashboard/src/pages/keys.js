import { api } from "../api.js";
import { el, clear, table, usd, time, field, errorBox } from "../ui.js";

/** The plaintext of the key created last in this tab, for the playground (never stored). */
export let lastCreatedKey = null;

export async function keysPage(main) {
  const [keys, guardrails] = await Promise.all([
    api("/api/v1/keys?include_disabled=true").then((r) => r.data || []),
    api("/api/v1/guardrails").then((r) => r.data || []).catch(() => []),
  ]);
  const f = {
    name: el("input", { id: "key-name", required: true, placeholder: "my app" }),
    limit: el("input", { id: "key-limit", type: "number", step: "0.01", min: "0", placeholder: "none" }),
    reset: el("select", { id: "key-reset" }, [["", "never"], ["daily", "daily"], ["weekly", "weekly"], ["monthly", "monthly"]].map(([v, t]) => el("option", { value: v }, t))),
    expires: el("input", { id: "key-expires", type: "datetime-local" }),
    rpm: el("input", { id: "key-rpm", type: "number", min: "0", placeholder: "default" }),
    tpm: el("input", { id: "key-tpm", type: "number", min: "0", placeholder: "default" }),
    guardrail: el("select", { id: "key-guardrail" }, el("option", { value: "" }, "none"), guardrails.map((g) => el("option", { value: g.id }, g.name))),
  };
  const created = el("div", { id: "key-created" });
  const status = el("div");
  const form = el(
    "form",
    {
      id: "key-form",
      class: "filters",
      onsubmit: async (e) => {
        e.preventDefault();
        clear(status);
        const body = { name: f.name.value };
        if (f.limit.value) body.limit = Number(f.limit.value);
        if (f.reset.value) body.limit_reset = f.reset.value;
        if (f.expires.value) body.expires_at = new Date(f.expires.value + "Z").toISOString();
        if (f.rpm.value) body.requests_per_minute = Number(f.rpm.value);
        if (f.tpm.value) body.tokens_per_minute = Number(f.tpm.value);
        try {
          const r = await api("/api/v1/keys", { method: "POST", body });
          if (f.guardrail.value) {
            await api(`/api/v1/guardrails/${encodeURIComponent(f.guardrail.value)}/assignments/keys`, { method: "POST", body: { key_hashes: [r.data.hash] } });
          }
          lastCreatedKey = r.key;
          await keysPage(main);
          clear(
            document.getElementById("key-created"),
            el("div", { class: "notice" },
              el("p", {}, `Key "${r.data.name}" created. Copy it now: it is shown only once.`),
              el("code", { id: "new-key" }, r.key),
              el("p", { class: "muted" }, "The playground uses it until you leave this tab.")),
          );
        } catch (err) {
          clear(status, errorBox(err));
        }
      },
    },
    field("Name", f.name), field("Limit (USD)", f.limit), field("Limit reset", f.reset), field("Expires (UTC)", f.expires),
    field("Requests/min", f.rpm), field("Tokens/min", f.tpm), field("Guardrail", f.guardrail),
    el("button", { type: "submit", id: "key-create" }, "Create key"),
  );
  const action = (label, id, fn) =>
    el("button", { class: "small", id, onclick: async (e) => {
      e.stopPropagation();
      try { await fn(); await keysPage(main); } catch (err) { clear(status, errorBox(err)); }
    } }, label);
  clear(
    main,
    el("h2", {}, "Keys"),
    form,
    created,
    status,
    table(
      [
        { title: "Name", get: (k) => k.name },
        { title: "Key", get: (k) => k.label },
        { title: "State", get: (k) => (k.disabled ? el("span", { class: "bad" }, "disabled") : el("span", { class: "ok" }, "active")) },
        { title: "Limit", num: true, get: (k) => (k.limit === null ? "none" : usd(k.limit) + (k.limit_reset ? " / " + k.limit_reset : "")) },
        { title: "Remaining", num: true, get: (k) => (k.limit_remaining === null ? "–" : usd(k.limit_remaining)) },
        { title: "Today", num: true, get: (k) => usd(k.usage_daily) },
        { title: "Month", num: true, get: (k) => usd(k.usage_monthly) },
        { title: "Total", num: true, get: (k) => usd(k.usage) },
        { title: "Rate limits", get: (k) => `${k.requests_per_minute ?? "default"} req/min · ${k.tokens_per_minute ?? "default"} tok/min` },
        { title: "Guardrails", get: (k) => (k.guardrail_ids || []).map((id) => guardrails.find((g) => g.id === id)?.name || id).join(", ") },
        { title: "Expires", get: (k) => time(k.expires_at) },
        { title: "", get: (k) => [
          action(k.disabled ? "Enable" : "Disable", "toggle-" + k.hash.slice(0, 12), () =>
            api("/api/v1/keys/" + k.hash, { method: "PATCH", body: { disabled: !k.disabled } })),
          action("Delete", "delete-" + k.hash.slice(0, 12), async () => {
            if (confirm(`Delete key "${k.name}"? Requests with it will fail at once.`)) {
              await api("/api/v1/keys/" + k.hash, { method: "DELETE" });
            }
          }),
        ] },
      ],
      keys,
      { id: "keys-table", rowId: (k) => k.hash },
    ),
  );
}
