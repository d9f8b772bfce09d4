import { api, qs } from "../api.js";
import { el, clear, table, usd, num, ms, time, field, errorBox } from "../ui.js";

const filters = { key: "", model: "", provider: "", status: "", from: "", to: "" };
let pages = [null]; // cursors of the pages seen, for "newer"

export async function activityPage(main, [id]) {
  if (id) return detail(main, id);
  const keys = (await api("/api/v1/keys?include_disabled=true")).data || [];
  const input = (name, attrs = {}) =>
    el("input", { id: "filter-" + name, value: filters[name], ...attrs, onchange: (e) => (filters[name] = e.target.value) });
  const form = el(
    "form",
    {
      class: "filters",
      id: "activity-filters",
      onsubmit: (e) => {
        e.preventDefault();
        pages = [null];
        load();
      },
    },
    field("Key", el("select", { id: "filter-key", onchange: (e) => (filters.key = e.target.value) },
      el("option", { value: "" }, "any"),
      keys.map((k) => el("option", { value: k.hash, selected: filters.key === k.hash ? true : undefined }, `${k.name} (${k.label})`)))),
    field("Model", input("model", { placeholder: "openai/gpt-5.2" })),
    field("Provider", input("provider", { placeholder: "OpenAI" })),
    field("Status", el("select", { id: "filter-status", onchange: (e) => (filters.status = e.target.value) },
      [["", "any"], ["ok", "ok"], ["error", "error"]].map(([v, t]) => el("option", { value: v, selected: filters.status === v ? true : undefined }, t)))),
    field("From (UTC)", input("from", { type: "datetime-local" })),
    field("To (UTC)", input("to", { type: "datetime-local" })),
    el("button", { type: "submit", id: "filter-apply" }, "Apply"),
  );
  const list = el("div", { id: "activity-list" });
  clear(main, el("h2", {}, "Activity"), form, list);

  async function load() {
    const cursor = pages[pages.length - 1];
    const iso = (v) => (v ? new Date(v + "Z").toISOString() : "");
    let r;
    try {
      r = await api("/api/v1/dashboard/generations" + qs({ ...filters, from: iso(filters.from), to: iso(filters.to), cursor, limit: 50 }));
    } catch (err) {
      clear(list, errorBox(err));
      return;
    }
    clear(
      list,
      table(
        [
          { title: "Time", get: (g) => time(g.created_at) },
          { title: "Model", get: (g) => g.model },
          { title: "Provider", get: (g) => g.provider_name || "–" },
          { title: "Key", get: (g) => g.key },
          { title: "Status", get: (g) => el("span", { class: g.status === 200 ? "ok" : "bad" }, g.status) },
          { title: "Tokens in/out", num: true, get: (g) => `${num(g.tokens_prompt)} / ${num(g.tokens_completion)}` },
          { title: "Cost", num: true, get: (g) => usd(g.cost) },
          { title: "Latency", num: true, get: (g) => ms(g.latency_ms) },
        ],
        r.data,
        { id: "activity-table", rowId: (g) => g.id, onRow: (g) => (location.hash = "#/activity/" + encodeURIComponent(g.id)) },
      ),
      el("div", { class: "pager" },
        el("button", { id: "page-newer", disabled: pages.length === 1 ? true : undefined, onclick: () => { pages.pop(); load(); } }, "← Newer"),
        el("button", { id: "page-older", disabled: r.next_cursor ? undefined : true, onclick: () => { pages.push(r.next_cursor); load(); } }, "Older →")),
    );
  }
  await load();
}

async function detail(main, id) {
  const r = await api("/api/v1/dashboard/generations/" + encodeURIComponent(id));
  const g = r.data;
  const routing = r.routing;
  const attempts = g.provider_responses || [];
  const kv = (pairs) =>
    el("dl", { class: "kv" }, pairs.map(([k, v]) => [el("dt", {}, k), el("dd", {}, v === null || v === undefined ? "–" : v)]));
  clear(
    main,
    el("p", {}, el("a", { href: "#/activity" }, "← Activity")),
    el("h2", {}, "Generation " + g.id),
    r.error ? el("p", { class: "error", id: "generation-error" }, `${r.error.status}: ${r.error.message}`) : null,
    el("div", { class: "columns" },
      el("section", {}, el("h3", {}, "Request"), kv([
        ["Created", time(g.created_at)], ["Model", g.model], ["Provider", g.provider_name], ["Key", r.key],
        ["Streamed", String(g.streamed)], ["Cancelled", String(g.cancelled)], ["Finish reason", g.finish_reason],
        ["Request id", g.request_id], ["Upstream id", g.upstream_id], ["App", g.http_referer], ["User", g.external_user],
      ])),
      el("section", { id: "generation-cost" }, el("h3", {}, "Cost"), kv([
        ["Total", usd(g.total_cost)], ["Upstream inference", usd(g.upstream_inference_cost)], ["Cache discount", usd(g.cache_discount)],
        ["Prompt tokens", num(g.native_tokens_prompt)], ["Completion tokens", num(g.native_tokens_completion)],
        ["Reasoning tokens", num(g.native_tokens_reasoning)], ["Cached tokens", num(g.native_tokens_cached)],
      ])),
      el("section", {}, el("h3", {}, "Timings"), kv([
        ["Latency (total)", ms(g.latency)], ["Generation time", ms(g.generation_time)], ["Moderation", ms(g.moderation_latency)],
      ])),
    ),
    el("h3", {}, "Attempts"),
    table(
      [
        { title: "#", get: (a) => attempts.indexOf(a) + 1 },
        { title: "Provider", get: (a) => a.provider_name },
        { title: "Model", get: (a) => a.model_permaslug },
        { title: "Status", get: (a) => a.status ?? "–" },
        { title: "Failure", get: (a) => a.failure_class || "" },
        { title: "Latency", num: true, get: (a) => ms(a.latency) },
        { title: "Note", get: (a) => a.note || "" },
      ],
      attempts,
      { id: "generation-attempts" },
    ),
    el("h3", {}, "Route"),
    routing
      ? el("div", { id: "generation-route" },
          el("p", { id: "route-summary" }, routing.summary + " · strategy: " + routing.strategy),
          table(
            [
              { title: "Model", get: (d) => d.model },
              { title: "Provider", get: (d) => d.provider },
              { title: "Candidate", get: (d) => (d.selected ? "#" + (d.rank + 1) : "excluded") },
              { title: "Why", get: (d) => d.excluded || d.note || "" },
              { title: "Weight", num: true, get: (d) => d.weight ?? "" },
            ],
            routing.trace || [],
            { id: "route-trace" },
          ))
      : el("p", { class: "muted" }, "No routing trace was recorded for this generation."),
  );
}
