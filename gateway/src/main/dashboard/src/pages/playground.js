import { api } from "../api.js";
import { el, clear, usd, ms, num, field, errorBox } from "../ui.js";
import { lastCreatedKey } from "./keys.js";

let models = null;

export async function playgroundPage(main) {
  models = models || (await api("/api/v1/models")).data.map((m) => m.id).sort();
  const f = {
    key: el("input", { id: "pg-key", type: "password", autocomplete: "off", placeholder: "an inference key (sk-sb-v1-…)", value: lastCreatedKey || "" }),
    model: el("select", { id: "pg-model" }, models.map((m) => el("option", { value: m }, m))),
    order: el("input", { id: "pg-order", placeholder: "e.g. openai, anthropic" }),
    sort: el("select", { id: "pg-sort" }, [["", "default"], ["price", "price"], ["throughput", "throughput"], ["latency", "latency"]].map(([v, t]) => el("option", { value: v }, t))),
    fallbacks: el("input", { id: "pg-fallbacks", type: "checkbox", checked: true }),
    temperature: el("input", { id: "pg-temperature", type: "number", step: "0.1", min: "0", max: "2", placeholder: "default" }),
    maxTokens: el("input", { id: "pg-max-tokens", type: "number", min: "1", placeholder: "default" }),
    stream: el("input", { id: "pg-stream", type: "checkbox", checked: true }),
    system: el("textarea", { id: "pg-system", rows: 2, placeholder: "system prompt (optional)" }),
    prompt: el("textarea", { id: "pg-prompt", rows: 4, placeholder: "Say hello" }),
  };
  const answer = el("pre", { id: "pg-answer", class: "answer" });
  const meta = el("div", { id: "pg-meta" });
  const rawReq = el("pre", { id: "pg-raw-request", class: "raw" });
  const rawRes = el("pre", { id: "pg-raw-response", class: "raw" });
  const send = el("button", { type: "submit", id: "pg-send" }, "Send");
  const form = el(
    "form",
    { id: "pg-form", class: "playground", onsubmit: (e) => { e.preventDefault(); run(); } },
    el("div", { class: "filters" },
      field("Inference key", f.key), field("Model", f.model), field("Provider order", f.order), field("Sort", f.sort),
      field("Fallbacks", f.fallbacks), field("Temperature", f.temperature), field("Max tokens", f.maxTokens), field("Stream", f.stream)),
    f.system,
    f.prompt,
    send,
  );
  clear(
    main,
    el("h2", {}, "Playground"),
    el("p", { class: "muted" }, "Calls /api/v1/chat/completions like any client, with the inference key given here (management keys cannot call models)."),
    form,
    el("h3", {}, "Answer"),
    answer,
    meta,
    el("div", { class: "columns" },
      el("section", {}, el("h3", {}, "Raw request"), rawReq),
      el("section", {}, el("h3", {}, "Raw response"), rawRes)),
  );

  async function run() {
    const messages = [];
    if (f.system.value.trim()) messages.push({ role: "system", content: f.system.value });
    messages.push({ role: "user", content: f.prompt.value || "Say hello" });
    const body = { model: f.model.value, messages, stream: f.stream.checked };
    const provider = {};
    if (f.order.value.trim()) provider.order = f.order.value.split(",").map((s) => s.trim()).filter(Boolean);
    if (f.sort.value) provider.sort = f.sort.value;
    if (!f.fallbacks.checked) provider.allow_fallbacks = false;
    if (Object.keys(provider).length) body.provider = provider;
    if (f.temperature.value) body.temperature = Number(f.temperature.value);
    if (f.maxTokens.value) body.max_tokens = Number(f.maxTokens.value);
    const headers = { "content-type": "application/json", authorization: "Bearer " + f.key.value.trim() };
    rawReq.textContent = "POST /api/v1/chat/completions\n" + JSON.stringify(body, null, 2);
    clear(answer);
    clear(meta, el("p", { class: "muted" }, "Waiting for the first token…"));
    rawRes.textContent = "";
    send.disabled = true;
    const started = performance.now();
    let firstToken = null;
    try {
      const res = await fetch("/api/v1/chat/completions", { method: "POST", headers, body: JSON.stringify(body), credentials: "omit" });
      rawRes.textContent = `HTTP ${res.status}\n` + [...res.headers.entries()].map(([k, v]) => `${k}: ${v}`).join("\n") + "\n\n";
      const id = res.headers.get("x-generation-id");
      if (!res.ok || !body.stream) {
        const text = await res.text();
        rawRes.textContent += text;
        let json = null;
        try { json = JSON.parse(text); } catch { json = null; }
        if (!res.ok) throw new Error(json?.error?.message || `HTTP ${res.status}`);
        answer.textContent = json?.choices?.[0]?.message?.content ?? "";
      } else {
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          const chunk = decoder.decode(value, { stream: true });
          rawRes.textContent += chunk;
          buffer += chunk;
          let cut;
          while ((cut = buffer.indexOf("\n\n")) >= 0) {
            const event = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            for (const line of event.split("\n")) {
              if (!line.startsWith("data:")) continue;
              const data = line.slice(5).trim();
              if (data === "[DONE]") continue;
              let json;
              try { json = JSON.parse(data); } catch { continue; }
              if (json.error) throw new Error(json.error.message);
              const delta = json.choices?.[0]?.delta?.content;
              if (delta) {
                if (firstToken === null) firstToken = performance.now() - started;
                answer.append(delta);
              }
            }
          }
        }
      }
      await showMeta(id, performance.now() - started, firstToken);
    } catch (err) {
      clear(meta, errorBox(err));
    } finally {
      send.disabled = false;
    }
  }

  async function showMeta(id, totalMs, firstMs) {
    if (!id) {
      clear(meta, el("p", { class: "muted" }, "No generation id in the response."));
      return;
    }
    let g = null;
    for (let i = 0; i < 20 && !g; i++) {
      try {
        g = await api("/api/v1/dashboard/generations/" + encodeURIComponent(id));
      } catch (err) {
        if (err.status !== 404) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    if (!g) throw new Error("Generation " + id + " was not found");
    const d = g.data;
    clear(
      meta,
      el("dl", { class: "kv", id: "pg-result" },
        el("dt", {}, "Cost"), el("dd", { id: "pg-cost" }, usd(d.total_cost)),
        el("dt", {}, "Served by"), el("dd", { id: "pg-provider" }, `${d.provider_name || "–"} (${d.model})`),
        el("dt", {}, "Route"), el("dd", { id: "pg-route" }, g.routing?.summary || "–"),
        el("dt", {}, "Tokens"), el("dd", {}, `${num(d.native_tokens_prompt)} in / ${num(d.native_tokens_completion)} out`),
        el("dt", {}, "Time"), el("dd", {}, `${ms(totalMs)} total` + (firstMs === null ? "" : `, first token after ${ms(firstMs)}`)),
        el("dt", {}, "Generation"), el("dd", {}, el("a", { href: "#/activity/" + encodeURIComponent(id), id: "pg-generation" }, id)),
      ),
    );
  }
}
