import { api } from "../api.js";
import { el, clear, table, ms } from "../ui.js";

export async function modelsPage(main) {
  const rows = (await api("/api/v1/dashboard/models")).data;
  const filter = el("input", { id: "models-filter", placeholder: "filter: model or provider", oninput: () => draw() });
  const box = el("div");
  const price = (v) => (v === null || v === undefined ? "–" : "$" + Number(v).toFixed(Number(v) < 1 ? 3 : 2));
  const up = (v) => (v === null || v === undefined ? "–" : v.toFixed(1) + " %");
  function draw() {
    const q = filter.value.toLowerCase();
    clear(
      box,
      table(
        [
          { title: "Model", get: (r) => el("span", { title: r.name }, r.model) },
          { title: "Provider", get: (r) => r.provider_name + (r.available ? "" : " (not configured)") },
          { title: "Context", num: true, get: (r) => Number(r.context_length).toLocaleString("en-US") },
          { title: "Input $/M", num: true, get: (r) => price(r.prompt_per_million) },
          { title: "Output $/M", num: true, get: (r) => price(r.completion_per_million) },
          { title: "TTFT p50", num: true, get: (r) => ms(r.latency_p50_ms) },
          { title: "TTFT p99", num: true, get: (r) => ms(r.latency_p99_ms) },
          { title: "Tokens/s", num: true, get: (r) => (r.throughput_p50 === null ? "–" : r.throughput_p50.toFixed(1)) },
          { title: "Uptime 30m", num: true, get: (r) => up(r.uptime_30m) },
          { title: "Uptime 24h", num: true, get: (r) => up(r.uptime_24h) },
          { title: "Breaker", get: (r) => (r.breaker ? el("span", { class: r.breaker === "closed" ? "ok" : "bad" }, r.breaker) : "–") },
        ],
        rows.filter((r) => !q || r.model.toLowerCase().includes(q) || r.provider_name.toLowerCase().includes(q)),
        { id: "models-table", rowId: (r) => r.model + "|" + r.provider },
      ),
    );
  }
  draw();
  clear(main, el("h2", {}, "Models"), el("p", { class: "muted" }, "Prices per million tokens; latency, throughput and uptime as the router measures them (live)."), filter, box);
}
