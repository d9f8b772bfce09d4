// The dashboard's calls to the gateway. Management calls authenticate with the session cookie
// (HttpOnly: this script never sees it); state-changing ones send the session's CSRF token.
let csrf = null;
let onExpired = () => {};

export function setCsrf(token) {
  csrf = token;
}

export function whenExpired(fn) {
  onExpired = fn;
}

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

export async function api(path, { method = "GET", body, headers = {} } = {}) {
  const h = { accept: "application/json", ...headers };
  if (body !== undefined) h["content-type"] = "application/json";
  if (method !== "GET" && csrf) h["x-csrf-token"] = csrf;
  const res = await fetch(path, {
    method,
    headers: h,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const message = json?.error?.message || `${res.status} ${res.statusText}`;
    if (res.status === 401 && !path.startsWith("/dashboard/")) onExpired(message);
    throw new ApiError(res.status, message, json);
  }
  return json;
}

export const qs = (params) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== "") p.set(k, v);
  }
  const s = p.toString();
  return s ? "?" + s : "";
};
