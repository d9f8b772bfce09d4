import { api, qs } from "../api.js";
import { el, clear, table, usd, num, ms, pct } from "../ui.js";
import { timeChart, buckets, pivot } from "../charts.js";

const state = { range: "24h", by: "model" };

export async function overviewPage(main) {
  const d = (await api("/api/v1/dashboard/overview" + qs(state))).data;
  const xs = buckets(d.from, d.to, d.bucket);
  const select = (name, options) =>
    el(
      "select",
      {
        id: "overview-" + name,
        onchange: (e) => {
          state[name] = e.target.value;
          overviewPage(main);
        },
      },
      options.map(([v, t]) => el("option", { value: v, selected: state[name] === v ? true : undefined }, t)),
    );
  const t = d.totals;
  const tiles = el(
    "div",
    { class: "tiles", id: "overview-totals", "data-cost": t.cost, "data-requests": t.requests },
    tile("Spend", usd(t.cost), "tile-spend"),
    tile("Tokens", num(t.tokens), "tile-tokens"),
    tile("Requests", num(t.requests), "tile-requests"),
    tile("Error rate", pct(t.error_rate), "tile-errors"),
    tile("Latency p50", ms(t.latency_p50_ms), "tile-p50"),
    tile("Latency p95", ms(t.latency_p95_ms), "tile-p95"),
  );
  const spend = pivot(d.series, xs, "cost");
  const tokens = pivot(
    d.series.map((r) => ({ ...r, tokens: r.prompt_tokens + r.completion_tokens })),
    xs,
    "tokens",
  );
  const requests = pivot(d.series, xs, "requests");
  const li = new Map(d.latency.map((l) => [Date.parse(l.start) / 1000, l]));
  const lat = (f) => xs.map((x) => (li.has(x) ? li.get(x)[f] : null));
  const errRate = xs.map((x) => (li.has(x) && li.get(x).requests ? li.get(x).errors / li.get(x).requests : null));
  const per = d.bucket === "day" ? "per day" : "per hour";
  const byGroup = new Map();
  for (const r of d.series) {
    const k = r.label || r.group || "(none)";
    const g = byGroup.get(k) || { name: k, requests: 0, errors: 0, tokens: 0, cost: 0 };
    g.requests += r.requests;
    g.errors += r.errors;
    g.tokens += r.prompt_tokens + r.completion_tokens;
    g.cost += Number(r.cost);
    byGroup.set(k, g);
  }
  clear(
    main,
    el("div", { class: "toolbar" }, el("h2", {}, "Overview"),
      select("range", [["24h", "Last 24 hours"], ["7d", "Last 7 days"], ["30d", "Last 30 days"]]),
      select("by", [["model", "by model"], ["provider", "by provider"], ["key", "by key"], ["app", "by app"]])),
    tiles,
    el("div", { class: "charts" },
      timeChart({ id: "chart-spend", title: `Spend ${per} (USD)`, xs, series: spend.series, unit: "usd", bars: true }),
      timeChart({ id: "chart-tokens", title: `Tokens ${per}`, xs, series: tokens.series, bars: true }),
      timeChart({ id: "chart-requests", title: `Requests ${per}`, xs, series: requests.series, bars: true }),
      timeChart({ id: "chart-latency", title: `Latency ${per} (ms)`, xs, series: [{ name: "p50", values: lat("p50_ms") }, { name: "p95", values: lat("p95_ms") }], unit: "ms" }),
      timeChart({ id: "chart-errors", title: `Error rate ${per}`, xs, series: [{ name: "errors", values: errRate }], unit: "pct" }),
    ),
    el("h3", {}, "Totals " + state.by),
    table(
      [
        { title: state.by, get: (g) => g.name },
        { title: "Requests", num: true, get: (g) => num(g.requests) },
        { title: "Errors", num: true, get: (g) => num(g.errors) },
        { title: "Tokens", num: true, get: (g) => num(g.tokens) },
        { title: "Spend", num: true, get: (g) => usd(g.cost) },
      ],
      [...byGroup.values()].sort((a, b) => b.cost - a.cost),
      { id: "overview-groups" },
    ),
  );
}

function tile(title, value, id) {
  return el("div", { class: "tile", id }, el("span", { class: "muted" }, title), el("strong", {}, value));
}
