// The API client: adds the saved token, turns error bodies into thrown Errors with their field.
const TOKEN_KEY = 'imr.token';

export function token() { return localStorage.getItem(TOKEN_KEY) || ''; }
export function setToken(t) { t ? localStorage.setItem(TOKEN_KEY, t) : localStorage.removeItem(TOKEN_KEY); }

export async function api(path, params = {}, init = {}) {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v);
  const headers = { ...(init.headers || {}) };
  if (token()) headers.Authorization = 'Bearer ' + token();
  if (init.body && typeof init.body !== 'string') { headers['Content-Type'] = 'application/json'; init = { ...init, body: JSON.stringify(init.body) }; }
  const res = await fetch(url, { ...init, headers });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    const e = body.error || { message: res.statusText, code: String(res.status) };
    const err = new Error(e.message);
    err.field = e.field; err.code = e.code; err.status = res.status;
    throw err;
  }
  return body;
}
