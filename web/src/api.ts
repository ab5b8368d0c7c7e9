// The one way the app talks to Herald: JSON over /api/v1 with the session cookie, the CSRF
// header on every state-changing request, and RFC 7807 problems turned into ApiError.
export interface Problem {
  title?: string;
  status?: number;
  detail?: string;
  field?: string;
  trace_id?: string;
  errors?: { account_id?: string; field?: string; reason?: string; platform?: string }[];
  targets?: { target_id?: string; account_id?: string; state?: string; reason?: string }[];
  [key: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  constructor(status: number, problem: Problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

let csrfToken = "";
export function setCsrfToken(token: string | undefined) {
  csrfToken = token ?? "";
}

// Called when any request answers 401 (the session ended): the app shows the login page.
let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(fn: () => void) {
  onUnauthorized = fn;
}

export interface RequestOptions {
  ifMatch?: string;
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export interface ApiResponse<T> {
  data: T;
  etag: string | null;
  status: number;
}

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  opts: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && method !== "HEAD" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  if (opts.ifMatch) headers["If-Match"] = opts.ifMatch;
  if (opts.idempotencyKey) headers["Idempotency-Key"] = opts.idempotencyKey;
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
    signal: opts.signal,
  });
  const text = await res.text();
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = { detail: text };
    }
  }
  if (!res.ok) {
    if (res.status === 401 && !path.endsWith("/auth/login")) onUnauthorized();
    throw new ApiError(res.status, (json as Problem) ?? { title: res.statusText });
  }
  return { data: json as T, etag: res.headers.get("ETag"), status: res.status };
}

export const api = {
  get: async <T>(path: string, opts?: RequestOptions) => (await request<T>("GET", path, undefined, opts)).data,
  post: async <T>(path: string, body: unknown = {}, opts?: RequestOptions) =>
    (await request<T>("POST", path, body, opts)).data,
  patch: async <T>(path: string, body: unknown, opts?: RequestOptions) =>
    (await request<T>("PATCH", path, body, opts)).data,
  put: async <T>(path: string, body: unknown, opts?: RequestOptions) =>
    (await request<T>("PUT", path, body, opts)).data,
  del: async <T>(path: string, opts?: RequestOptions) => (await request<T>("DELETE", path, undefined, opts)).data,
};

// A query string from the defined values only: qs({brand_id: id, status: undefined}).
export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== "") p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : "";
}

// A message for a person: the problem's detail, with each field-level error on its own line.
export function describeError(e: unknown): string {
  if (e instanceof ApiError) {
    const lines = [e.message];
    for (const err of e.problem.errors ?? []) if (err.reason) lines.push(err.reason);
    for (const t of e.problem.targets ?? []) if (t.reason) lines.push(t.reason);
    return lines.join("\n");
  }
  return e instanceof Error ? e.message : String(e);
}

export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
