import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { el } from "./ui.js";

const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#65a30d", "#475569", "#ea580c"];

/**
 * A time chart: x in epoch seconds, one series per name. Returns the element; the plot is drawn
 * when it is in the page (uPlot measures nothing, the width is given).
 */
export function timeChart({ id, title, xs, series, unit, bars = false }) {
  const box = el("div", { class: "chart", id, "data-series": series.map((s) => s.name).join("|") });
  box.append(el("h3", {}, title));
  const width = Math.max(320, Math.min(1100, (document.getElementById("main")?.clientWidth || 900) - 40));
  const opts = {
    width,
    height: 220,
    scales: { x: { time: true } },
    axes: [{}, { values: (u, v) => v.map((x) => fmt(x, unit)), size: 70 }],
    series: [
      {},
      ...series.map((s, i) => ({
        label: s.name,
        stroke: COLORS[i % COLORS.length],
        fill: bars ? COLORS[i % COLORS.length] + "55" : undefined,
        width: 2,
        paths: bars ? uPlot.paths.bars({ size: [0.8, 40] }) : undefined,
        points: { show: xs.length < 50 },
        value: (u, v) => fmt(v, unit),
      })),
    ],
    legend: { live: true },
  };
  const plot = new uPlot(opts, [xs, ...series.map((s) => s.values)], box);
  box.plot = plot;
  return box;
}

function fmt(v, unit) {
  if (v === null || v === undefined) return "–";
  if (unit === "usd") return "$" + (Math.abs(v) < 0.01 && v !== 0 ? Number(v).toPrecision(2) : Number(v).toFixed(2));
  if (unit === "ms") return Math.round(v) + " ms";
  if (unit === "pct") return (v * 100).toFixed(1) + "%";
  return Math.abs(v) >= 1000 ? (v / 1000).toFixed(1) + "k" : String(Math.round(v * 100) / 100);
}

/** The bucket starts of a window, in epoch seconds. */
export function buckets(fromIso, toIso, bucket) {
  const step = bucket === "day" ? 86400 : 3600;
  const out = [];
  for (let t = Date.parse(fromIso) / 1000; t < Date.parse(toIso) / 1000; t += step) out.push(t);
  return out;
}

/** Rows {start, group, ...} to series over xs: the `top` groups with the most `metric`, the rest summed. */
export function pivot(rows, xs, metric, top = 8) {
  const totals = new Map();
  for (const r of rows) totals.set(r.label ?? r.group, (totals.get(r.label ?? r.group) || 0) + Number(r[metric]));
  const names = [...totals.entries()].sort((a, b) => b[1] - a[1]).map((e) => e[0]);
  const kept = names.slice(0, top);
  const index = new Map(xs.map((x, i) => [x, i]));
  const series = kept.map((n) => ({ name: n || "(none)", values: xs.map(() => 0) }));
  const other = { name: "other", values: xs.map(() => 0) };
  for (const r of rows) {
    const i = index.get(Date.parse(r.start) / 1000);
    if (i === undefined) continue;
    const k = kept.indexOf(r.label ?? r.group);
    (k >= 0 ? series[k] : other).values[i] += Number(r[metric]);
  }
  if (names.length > top) series.push(other);
  return { series, totals };
}
