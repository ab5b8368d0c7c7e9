// Shared helpers of the browser tests. Every spec (tests/e2e/*.spec.mjs) gets a fresh herald (its
// own database) serving web/dist and a fresh herald-sandbox, started by e2e_test.cpp, which
// passes their addresses in the environment:
//   HERALD_URL            the gateway, e.g. http://127.0.0.1:41234 (the app is served at /)
//   SANDBOX_CONTROL_URL   the sandbox's control API (/_sandbox/requests, /_sandbox/generate, ...)
//   HERALD_ADMIN_EMAIL, HERALD_ADMIN_PASSWORD   the first admin of that herald
//   E2E_ARTIFACTS         where screenshots go (one folder per spec)
//   HERALD_CHROMIUM       the browser (default /usr/bin/chromium, Debian's package)
// Seeding goes through the public API as a script would (Client); what a person does goes
// through the browser (Playwright pages).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const HERALD = process.env.HERALD_URL;
export const CONTROL = process.env.SANDBOX_CONTROL_URL;
export const ADMIN = { email: process.env.HERALD_ADMIN_EMAIL, password: process.env.HERALD_ADMIN_PASSWORD };
export const PASSWORD = "correct horse battery staple"; // every user the specs create

let artifacts = process.env.E2E_ARTIFACTS ?? "e2e-artifacts";
export function setArtifactsDir(dir) {
  artifacts = dir;
  mkdirSync(artifacts, { recursive: true });
}

export function check(cond, message) {
  if (!cond) throw new Error(`check failed: ${message}`);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Runs one SQL statement on the test's own database (e2e_test.cpp passes its URL): only to move
// a clock into the past, which no API does and no spec should wait for.
export async function testSql(statement) {
  const { execFile } = await import("node:child_process");
  const psql = process.env.HERALD_PSQL || "/usr/lib/postgresql/15/bin/psql";
  const url = process.env.HERALD_E2E_DATABASE_URL;
  check(url, "HERALD_E2E_DATABASE_URL is not set (e2e_test.cpp sets it)");
  return new Promise((resolve, reject) =>
    execFile(psql, ["--no-psqlrc", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-c", statement, url], { timeout: 10000 }, (err, out, errOut) =>
      err ? reject(new Error(`psql: ${errOut || err.message}`)) : resolve(out.trim()),
    ),
  );
}

// Polls fn until it returns something truthy; throws after timeoutMs naming `what`.
export async function waitFor(what, fn, timeoutMs = 15000, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ""}`);
}

// An API client with a session cookie and the CSRF token, like the browser's.
export class Client {
  constructor(base = HERALD) {
    this.base = base;
    this.cookie = "";
    this.csrf = "";
  }
  async login(email, password) {
    const r = await this.req("POST", "/api/v1/auth/login", { email, password });
    check(r.status === 200, `login ${email}: ${r.status} ${r.text}`);
    this.csrf = r.json.csrf_token;
    return this;
  }
  async req(method, path, body, headers = {}) {
    const h = { Accept: "application/json", ...headers };
    if (body !== undefined) h["Content-Type"] = "application/json";
    if (this.cookie) h.Cookie = this.cookie;
    if (this.csrf && method !== "GET") h["X-CSRF-Token"] = this.csrf;
    const res = await fetch(this.base + path, {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: "manual",
      signal: AbortSignal.timeout(15000),
    });
    const set = res.headers.get("set-cookie");
    if (set && set.startsWith("herald_session=")) this.cookie = set.split(";")[0];
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {}
    return { status: res.status, json, text, headers: res.headers };
  }
  async ok(method, path, body, expect = [200, 201, 202]) {
    const r = await this.req(method, path, body);
    check(expect.includes(r.status), `${method} ${path}: ${r.status} ${r.text}`);
    return r.json;
  }
  get(path) {
    return this.ok("GET", path);
  }
  post(path, body = {}) {
    return this.ok("POST", path, body);
  }
  put(path, body) {
    return this.ok("PUT", path, body);
  }
}

export async function admin() {
  return new Client().login(ADMIN.email, ADMIN.password);
}

let counter = 0;
export function unique(prefix) {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

export async function createBrand(adminClient, name, timezone = "Asia/Shanghai") {
  return adminClient.post("/api/v1/brands", { name, slug: unique("brand"), timezone });
}

// A user with `role` on `brandId`; returns { id, email, password }.
export async function createMember(adminClient, brandId, role, displayName = role) {
  const email = `${unique(role.replaceAll("_", "-"))}@example.test`;
  const user = await adminClient.post("/api/v1/users", { email, display_name: displayName, password: PASSWORD });
  await adminClient.put(`/api/v1/brands/${brandId}/members/${user.id}`, { role });
  return { id: user.id, email, password: PASSWORD };
}

// Connects a sandbox account through the OAuth flow (the sandbox's consent page answered by a
// script, as scripts/lib/demo.sh does); returns the account id.
export async function connectAccount(client, brandId, platform, handle) {
  const start = await client.post(`/api/v1/brands/${brandId}/accounts/connect`, { platform });
  check(start.mode === "oauth", `${platform}: not an OAuth platform: ${JSON.stringify(start)}`);
  const [page, query] = start.authorize_url.split("?");
  const consent = await fetch(`${page}?${query}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: `${query}&handle=${encodeURIComponent(handle)}&decision=approve`,
    redirect: "manual",
  });
  check(consent.status === 302, `${platform}: the sandbox consent answered ${consent.status}`);
  const back = await fetch(consent.headers.get("location"), { headers: { Accept: "application/json" } });
  const done = await back.json();
  check(back.status === 201 && done.account_id, `${platform}: callback ${back.status} ${JSON.stringify(done)}`);
  return done.account_id;
}

// The sandbox's request log (GET /_sandbox/requests), optionally for one platform.
export async function sandboxRequests(platform) {
  const r = await fetch(`${CONTROL}/_sandbox/requests${platform ? `?platform=${platform}` : ""}`);
  return r.json();
}

export async function sandboxPost(path, body) {
  const r = await fetch(CONTROL + path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await r.text();
  check(r.ok, `sandbox ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

export function isoIn(ms) {
  return new Date(Date.now() + ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

// --- The browser -------------------------------------------------------------------------------
export async function launch() {
  return chromium.launch({
    executablePath: process.env.HERALD_CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
}

// A new browser context (its own cookies) at 1280x800, in English unless told otherwise.
export async function newPage(browser, { locale = "en-US", width = 1280, height = 800 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale, timezoneId: "Asia/Shanghai" });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // Something the gateway's Content-Security-Policy blocked (a font, a script, a connection) is a
  // broken page too.
  page.on("console", (m) => {
    const text = m.text();
    if (m.type() === "error" && /Content Security Policy/i.test(text)) {
      errors.push(text.length > 300 ? `${text.slice(0, 150)} … ${text.slice(-150)}` : text);
    }
  });
  page.errors = errors;
  return page;
}

export async function signIn(page, email, password) {
  await page.goto(HERALD + "/");
  await page.getByLabel(/email|邮箱|電子郵件/i).fill(email);
  await page.getByLabel(/password|密码|密碼/i).fill(password);
  await page.getByRole("button", { name: /sign in|登录|登入/i }).click();
  await page.getByRole("navigation", { name: "Main" }).waitFor();
}

export async function screenshot(page, name) {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}
