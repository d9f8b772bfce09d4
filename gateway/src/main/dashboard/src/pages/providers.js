import { api, qs } from "../api.js";
import { el, clear, table, num, pct } from "../ui.js";
import { timeChart, buckets } from "../charts.js";

let range = "24h";

export async function providersPage(main) {
  const [o, eps] = await Promise.all([
    api("/api/v1/dashboard/overview" + qs({ range, by: "provider" })).then((r) => r.data),
    api("/api/v1/dashboard/models").then((r) => r.data),
  ]);
  const xs = buckets(o.from, o.to, o.bucket);
  const names = [...new Set(o.series.map((r) => r.group || "(none)"))];
  const index = new Map(xs.map((x, i) => [x, i]));
  const req = new Map(names.map((n) => [n, xs.map(() => 0)]));
  const err = new Map(names.map((n) => [n, xs.map(() => 0)]));
  for (const r of o.series) {
    const i = index.get(Date.parse(r.start) / 1000);
    if (i === undefined) continue;
    req.get(r.group || "(none)")[i] += r.requests;
    err.get(r.group || "(none)")[i] += r.errors;
  }
  const success = names.map((n) => ({
    name: n,
    values: xs.map((x, i) => (req.get(n)[i] ? 1 - err.get(n)[i] / req.get(n)[i] : null)),
  }));
  const now = new Map();
  for (const e of eps.filter((e) => e.available)) {
    const p = now.get(e.provider_name) || { name: e.provider_name, endpoints: 0, open: 0, up: [] };
    p.endpoints++;
    if (e.breaker && e.breaker !== "closed") p.open++;
    if (e.uptime_30m !== null) p.up.push(e.uptime_30m);
    now.set(e.provider_name, p);
  }
  const totals = names.map((n) => ({
    name: n,
    requests: req.get(n).reduce((a, b) => a + b, 0),
    errors: err.get(n).reduce((a, b) => a + b, 0),
  }));
  clear(
    main,
    el("div", { class: "toolbar" }, el("h2", {}, "Providers"),
      el("select", { id: "providers-range", onchange: (e) => { range = e.target.value; providersPage(main); } },
        [["24h", "Last 24 hours"], ["7d", "Last 7 days"], ["30d", "Last 30 days"]].map(([v, t]) => el("option", { value: v, selected: v === range ? true : undefined }, t)))),
    timeChart({ id: "chart-provider-health", title: "Success rate " + (o.bucket === "day" ? "per day" : "per hour"), xs, series: success, unit: "pct" }),
    el("h3", {}, "Over the window"),
    table(
      [
        { title: "Provider", get: (p) => p.name },
        { title: "Requests", num: true, get: (p) => num(p.requests) },
        { title: "Errors", num: true, get: (p) => num(p.errors) },
        { title: "Error rate", num: true, get: (p) => pct(p.requests ? p.errors / p.requests : null) },
      ],
      totals,
      { id: "providers-window" },
    ),
    el("h3", {}, "Now (live stats)"),
    table(
      [
        { title: "Provider", get: (p) => p.name },
        { title: "Endpoints", num: true, get: (p) => p.endpoints },
        { title: "Breakers not closed", num: true, get: (p) => el("span", { class: p.open ? "bad" : "ok" }, p.open) },
        { title: "Uptime 30m (mean)", num: true, get: (p) => (p.up.length ? (p.up.reduce((a, b) => a + b, 0) / p.up.length).toFixed(1) + " %" : "–") },
      ],
      [...now.values()],
      { id: "providers-now" },
    ),
  );
}
