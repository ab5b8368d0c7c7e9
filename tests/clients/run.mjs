// Drives herald-sandbox with the platforms' own official client libraries, unchanged:
//   masto (masto.js) against the Mastodon port, twitter-api-v2 against the X port.
// For each platform: OAuth by posting the sandbox's authorize form (no browser), then post,
// read back, list and delete through the library, asserting the results.
// Usage: node run.mjs [BIN_DIR]   (or HERALD_BIN_DIR=build/bin node run.mjs). Exits non-zero on failure.
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import https from "node:https";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";

import { createOAuthAPIClient, createRestAPIClient, MastoHttpError } from "masto";
import { ApiResponseError, TwitterApi } from "twitter-api-v2";

const binDir = process.argv[2] || process.env.HERALD_BIN_DIR;
if (!binDir) {
  console.error("usage: node run.mjs BIN_DIR (or set HERALD_BIN_DIR)");
  process.exit(2);
}
const binary = join(binDir, "herald-sandbox");
if (!existsSync(binary)) {
  console.error(`herald-sandbox not found at ${binary}: build the herald-sandbox target first`);
  process.exit(2);
}

const CLIENT_SECRET = "sandbox-secret";
const REDIRECT_URI = "http://127.0.0.1:9/callback";
let passed = 0;
let failed = 0;

async function step(name, fn) {
  try {
    await fn();
    passed += 1;
    console.log(`ok   ${name}`);
  } catch (err) {
    failed += 1;
    console.log(`FAIL ${name}: ${err && err.stack ? err.stack : err}`);
  }
}

function pkce() {
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  return { verifier, challenge };
}

// Starts the sandbox with a port file and waits for it (the file appears once every port is bound).
async function startSandbox() {
  const dir = mkdtempSync(join(tmpdir(), "herald-clients-"));
  const portFile = join(dir, "ports.json");
  const child = spawn(binary, ["--seed", "42", "--port-file", portFile, "--token-ttl", "600"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  const deadline = Date.now() + 15000;
  while (!existsSync(portFile)) {
    if (child.exitCode !== null) throw new Error(`herald-sandbox exited early (${child.exitCode}): ${stderr}`);
    if (Date.now() > deadline) throw new Error(`no port file after 15 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const ports = JSON.parse(readFileSync(portFile, "utf8"));
  return { child, ports, dir };
}

async function control(ports, method, path, body) {
  const res = await fetch(ports.control + path, {
    method,
    headers: body ? { "Content-Type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

// The OAuth dance a person would do in a browser: load the authorize page, check it says it is
// the sandbox, submit the form with Approve; returns the code from the redirect.
async function authorizeByForm(base, path, query, platformName) {
  const url = new URL(path, base);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const page = await fetch(url);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, new RegExp(`Herald sandbox: simulated ${platformName}, not the real service`));
  const handle = /name="handle" value="([^"]+)"/.exec(html)[1];
  const form = new URLSearchParams({ ...query, handle, decision: "approve" });
  const res = await fetch(url, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: form.toString(),
  });
  assert.equal(res.status, 302);
  const location = new URL(res.headers.get("location"));
  const expected = new URL(query.redirect_uri);
  assert.equal(location.origin + location.pathname, expected.origin + expected.pathname);
  assert.equal(location.searchParams.get("state"), query.state);
  return { code: location.searchParams.get("code"), handle };
}

async function mastodon(ports) {
  const url = ports.platforms.mastodon;
  const { verifier, challenge } = pkce();
  let rest;
  let me;
  let status;
  await step("mastodon: OAuth authorize form + token (masto oauth client, PKCE)", async () => {
    const state = randomBytes(8).toString("hex");
    const { code } = await authorizeByForm(url, "/oauth/authorize", {
      response_type: "code", client_id: "herald-mastodon", redirect_uri: REDIRECT_URI, scope: "read write",
      state, code_challenge: challenge, code_challenge_method: "S256",
    }, "Mastodon");
    const oauth = createOAuthAPIClient({ url });
    const token = await oauth.token.create({
      grantType: "authorization_code", clientId: "herald-mastodon", clientSecret: CLIENT_SECRET,
      redirectUri: REDIRECT_URI, code, codeVerifier: verifier, scope: "read write",
    });
    assert.equal(token.tokenType, "Bearer");
    assert.ok(token.accessToken.length > 20);
    rest = createRestAPIClient({ url, accessToken: token.accessToken });
    // The code is single-use.
    await assert.rejects(oauth.token.create({
      grantType: "authorization_code", clientId: "herald-mastodon", clientSecret: CLIENT_SECRET,
      redirectUri: REDIRECT_URI, code, codeVerifier: verifier,
    }), (e) => e instanceof MastoHttpError && e.statusCode === 400);
  });
  if (!rest) return;
  // That replay revoked the first token (RFC 6749 4.1.2): authorize again for the rest.
  await step("mastodon: re-authorize after the replayed code revoked the token", async () => {
    const again = pkce();
    const { code } = await authorizeByForm(url, "/oauth/authorize", {
      response_type: "code", client_id: "herald-mastodon", redirect_uri: REDIRECT_URI, scope: "read write",
      state: "s2", code_challenge: again.challenge, code_challenge_method: "S256",
    }, "Mastodon");
    const token = await createOAuthAPIClient({ url }).token.create({
      grantType: "authorization_code", clientId: "herald-mastodon", clientSecret: CLIENT_SECRET,
      redirectUri: REDIRECT_URI, code, codeVerifier: again.verifier,
    });
    rest = createRestAPIClient({ url, accessToken: token.accessToken });
  });
  await step("mastodon: verifyCredentials", async () => {
    me = await rest.v1.accounts.verifyCredentials();
    assert.equal(me.username, "demo_mastodon");
    assert.equal(me.acct, "demo_mastodon");
  });
  await step("mastodon: create a status with Idempotency-Key, retry returns the same status", async () => {
    const key = randomBytes(8).toString("hex");
    const meta = { requestInit: { headers: { "Idempotency-Key": key } } };
    status = await rest.v1.statuses.create({ status: "Hello from masto.js 你好", visibility: "public" }, meta);
    assert.equal(status.content, "<p>Hello from masto.js 你好</p>");
    assert.equal(status.account.id, me.id);
    const again = await rest.v1.statuses.create({ status: "Hello from masto.js 你好", visibility: "public" }, meta);
    assert.equal(again.id, status.id);
    const log = await control(ports, "GET", "/_sandbox/requests?platform=mastodon");
    const posts = log.body.filter((e) => e.method === "POST" && e.path === "/api/v1/statuses");
    assert.equal(posts.length, 2);
    assert.equal(posts[0].idempotency_key, key);
    const state = await control(ports, "GET", "/_sandbox/state?platform=mastodon&handle=demo_mastodon");
    assert.equal(state.body.posts.filter((p) => p.id === status.id).length, 1);
    assert.equal(state.body.posts.length, 1);
  });
  await step("mastodon: read the status back", async () => {
    const read = await rest.v1.statuses.$select(status.id).fetch();
    assert.equal(read.id, status.id);
    assert.equal(read.content, status.content);
  });
  await step("mastodon: media upload (v2, polled by masto) and a status with it", async () => {
    const png = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");
    const media = await rest.v2.media.create({ file: new Blob([png], { type: "image/png" }), description: "a dot" });
    assert.equal(media.type, "image");
    assert.ok(media.url);
    const withMedia = await rest.v1.statuses.create({ status: "with a picture", mediaIds: [media.id] });
    assert.equal(withMedia.mediaAttachments[0].id, media.id);
  });
  await step("mastodon: account statuses paginate through the Link header", async () => {
    for (let i = 0; i < 3; i += 1) await rest.v1.statuses.create({ status: `page filler ${i}` });
    const seen = [];
    for await (const page of rest.v1.accounts.$select(me.id).statuses.list({ limit: 2 })) {
      assert.ok(page.length <= 2);
      seen.push(...page.map((s) => s.id));
      if (seen.length > 20) break;
    }
    assert.equal(seen.length, 5);
    assert.deepEqual([...seen].sort().reverse(), seen);
  });
  await step("mastodon: generated mentions appear in notifications (poll delivery)", async () => {
    const gen = await control(ports, "POST", "/_sandbox/generate",
      { platform: "mastodon", handle: "demo_mastodon", kind: "mention", count: 3, delivery: "poll" });
    assert.equal(gen.status, 200);
    assert.equal(gen.body.generated, 3);
    const notifications = await rest.v1.notifications.list({ limit: 10 });
    const mentions = notifications.filter((n) => n.type === "mention");
    assert.equal(mentions.length, 3);
    assert.equal(mentions[0].status.id, gen.body.last_id);
    assert.match(mentions[0].status.content, /@demo_mastodon/);
  });
  await step("mastodon: delete the status, then it is gone (404)", async () => {
    const deleted = await rest.v1.statuses.$select(status.id).remove();
    assert.equal(deleted.id, status.id);
    await assert.rejects(rest.v1.statuses.$select(status.id).fetch(),
      (e) => e instanceof MastoHttpError && e.statusCode === 404);
  });
  await step("mastodon: revoking the account makes the next call 401", async () => {
    const r = await control(ports, "POST", "/_sandbox/accounts/revoke",
      { platform: "mastodon", handle: "demo_mastodon" });
    assert.equal(r.status, 200);
    await assert.rejects(rest.v1.accounts.verifyCredentials(),
      (e) => e instanceof MastoHttpError && e.statusCode === 401 && /revoked/.test(e.message));
  });
}

// twitter-api-v2 talks to https://api.x.com through node:https; its documented `httpAgent`
// setting carries the connection instead to the sandbox's (plain TCP) X port.
class SandboxAgent extends https.Agent {
  constructor(port) {
    super({ keepAlive: false });
    this.sandboxPort = port;
  }
  createConnection(_options, _callback) {
    return net.connect({ host: "127.0.0.1", port: this.sandboxPort });
  }
}

async function x(ports) {
  const base = ports.platforms.x;
  const httpAgent = new SandboxAgent(Number(new URL(base).port));
  const app = new TwitterApi({ clientId: "herald-x", clientSecret: CLIENT_SECRET }, { httpAgent });
  let user;
  let refreshToken;
  let me;
  let tweet;
  await step("x: OAuth 2.0 PKCE via generateOAuth2AuthLink + authorize form + loginWithOAuth2", async () => {
    const link = app.generateOAuth2AuthLink(REDIRECT_URI,
      { scope: ["tweet.read", "tweet.write", "users.read", "dm.read", "dm.write", "offline.access"] });
    const query = Object.fromEntries(new URL(link.url).searchParams);
    const { code } = await authorizeByForm(base, "/i/oauth2/authorize", query, "X");
    // A wrong verifier is refused the way X refuses it.
    const wrong = app.loginWithOAuth2({ code, codeVerifier: pkce().verifier, redirectUri: REDIRECT_URI });
    await assert.rejects(wrong,
      (e) => e instanceof ApiResponseError && e.code === 400 && e.data.error === "invalid_request");
    const again = await authorizeByForm(base, "/i/oauth2/authorize", query, "X");
    const login = await app.loginWithOAuth2(
      { code: again.code, codeVerifier: link.codeVerifier, redirectUri: REDIRECT_URI });
    assert.ok(login.accessToken);
    assert.ok(login.refreshToken);
    assert.ok(login.scope.includes("tweet.write"));
    user = login.client;
    refreshToken = login.refreshToken;
  });
  if (!user) return;
  await step("x: users/me, with x-rate-limit-* headers", async () => {
    const full = await user.v2.get("users/me", undefined, { fullResponse: true });
    me = full.data.data;
    assert.equal(me.username, "demo_x");
    assert.ok(full.rateLimit && full.rateLimit.limit > 0 && full.rateLimit.reset > 0);
    const viaHelper = await user.v2.me();
    assert.equal(viaHelper.data.id, me.id);
  });
  await step("x: post a tweet and read it back", async () => {
    tweet = await user.v2.tweet("Hello from twitter-api-v2 你好");
    assert.equal(tweet.data.text, "Hello from twitter-api-v2 你好");
    const read = await user.v2.singleTweet(tweet.data.id,
      { "tweet.fields": ["author_id", "created_at"], expansions: ["author_id"] });
    assert.equal(read.data.id, tweet.data.id);
    assert.equal(read.data.author_id, me.id);
    assert.equal(read.includes.users[0].username, "demo_x");
    await assert.rejects(user.v2.tweet("Hello from twitter-api-v2 你好"),
      (e) => e instanceof ApiResponseError && e.code === 403);  // duplicate content
  });
  await step("x: reply, user timeline and generated comments via conversation search", async () => {
    await user.v2.reply("a reply to myself", tweet.data.id);
    const timeline = await user.v2.userTimeline(me.id, { max_results: 5 });
    assert.equal(timeline.tweets[0].text, "a reply to myself");
    const gen = await control(ports, "POST", "/_sandbox/generate",
      { platform: "x", handle: "demo_x", kind: "comment", count: 2, delivery: "poll" });
    assert.equal(gen.body.generated, 2);
    const found = await user.v2.search(`conversation_id:${tweet.data.id}`, { max_results: 10 });
    assert.ok(found.tweets.some((t) => t.id === gen.body.last_id));
    const mentions = await user.v2.userMentionTimeline(me.id);
    assert.equal(mentions.tweets.length, 2);
  });
  await step("x: DM from a generated account, answer it", async () => {
    const gen = await control(ports, "POST", "/_sandbox/generate",
      { platform: "x", handle: "demo_x", kind: "dm", count: 1, delivery: "poll" });
    const events = await user.v2.listDmEvents({ "dm_event.fields": ["sender_id", "dm_conversation_id"] });
    const incoming = events.events.find((e) => e.id === gen.body.first_id);
    assert.ok(incoming);
    const sent = await user.v2.sendDmToParticipant(incoming.sender_id, { text: "Thanks, we are on it" });
    // The API answers {"data": {dm_conversation_id, dm_event_id}} (docs.x.com); the library passes it through.
    assert.equal(sent.data.dm_conversation_id, incoming.dm_conversation_id);
    const state = await control(ports, "GET", "/_sandbox/state?platform=x&handle=demo_x");
    assert.ok(state.body.dms.some((d) => d.id === sent.data.dm_event_id && d.text === "Thanks, we are on it"));
  });
  await step("x: delete the tweet, then lookup reports it missing", async () => {
    const deleted = await user.v2.deleteTweet(tweet.data.id);
    assert.equal(deleted.data.deleted, true);
    const read = await user.v2.singleTweet(tweet.data.id);
    assert.equal(read.data, undefined);
    assert.equal(read.errors[0].resource_id, tweet.data.id);
  });
  await step("x: refresh rotates the tokens; the old access token is then 401", async () => {
    const refreshed = await app.refreshOAuth2Token(refreshToken);
    assert.notEqual(refreshed.refreshToken, refreshToken);
    const me2 = await refreshed.client.v2.me();
    assert.equal(me2.data.id, me.id);
    await assert.rejects(user.v2.me(), (e) => e instanceof ApiResponseError && e.code === 401);
  });
}

const { child, ports, dir } = await startSandbox();
try {
  assert.ok(ports.platforms.mastodon && ports.platforms.x);
  await mastodon(ports);
  await x(ports);
} catch (err) {
  failed += 1;
  console.log(`FAIL setup: ${err && err.stack ? err.stack : err}`);
} finally {
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  rmSync(dir, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
