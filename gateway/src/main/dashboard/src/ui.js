// Small DOM helpers: every text goes through textContent (no HTML from data).
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k === "class") e.className = v;
    else if (k === "value") e.value = v;
    else if (k === "checked") e.checked = !!v;
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

export function clear(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined));
  return node;
}

export function table(columns, rows, { id, onRow, rowId } = {}) {
  return el(
    "table",
    { id, class: "grid" },
    el("thead", {}, el("tr", {}, columns.map((c) => el("th", { class: c.num ? "num" : "" }, c.title)))),
    el(
      "tbody",
      {},
      rows.length === 0
        ? el("tr", {}, el("td", { colspan: columns.length, class: "muted" }, "Nothing yet"))
        : rows.map((r) =>
            el(
              "tr",
              {
                class: onRow ? "clickable" : "",
                "data-id": rowId ? rowId(r) : undefined,
                onclick: onRow ? () => onRow(r) : undefined,
              },
              columns.map((c) => el("td", { class: c.num ? "num" : "" }, c.get(r))),
            ),
          ),
    ),
  );
}

export const usd = (v) => {
  if (v === null || v === undefined) return "–";
  const n = Number(v);
  if (n === 0) return "$0";
  return n < 0.01 ? "$" + n.toPrecision(3) : "$" + n.toFixed(n < 100 ? 4 : 2);
};
export const num = (v) => (v === null || v === undefined ? "–" : Number(v).toLocaleString("en-US"));
export const ms = (v) => (v === null || v === undefined ? "–" : Math.round(v) + " ms");
export const pct = (v) => (v === null || v === undefined ? "–" : (v * 100).toFixed(2) + " %");
export const time = (iso) => (iso ? iso.replace("T", " ").replace(/\.\d+/, "").replace("Z", " UTC") : "–");

export function field(label, input) {
  return el("label", { class: "field" }, el("span", {}, label), input);
}

export function errorBox(err) {
  return el("p", { class: "error", role: "alert" }, String(err?.message || err));
}
