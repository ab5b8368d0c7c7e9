// The account matrix: connect a Mastodon account through the sandbox's real consent screen (the
// browser leaves Herald, the person fills the handle and approves, the OAuth callback brings the
// browser back to the app), reconnect it without a duplicate, decline at the consent screen,
// connect Bluesky with an app password, see a failed check as a warning, disconnect after a
// confirmation, a viewer's read-only matrix, and the phone layout.
import {
  ADMIN,
  CONTROL,
  HERALD,
  admin,
  check,
  createBrand,
  createMember,
  sandboxPost,
  sandboxRequests,
  screenshot,
  signIn,
  waitFor,
} from "./lib.mjs";

const accountsOf = async (client, brandId) => (await client.get(`/api/v1/accounts?brand_id=${brandId}`)).items;
const tokenExchanges = async () =>
  (await sandboxRequests("mastodon")).filter((r) => r.method === "POST" && r.path.startsWith("/oauth/token")).length;

// From the matrix: open the connect panel, pick brand and platform, continue.
async function startConnecting(page, brandName, platformLabel) {
  await page.getByRole("button", { name: "Connect an account" }).click();
  const panel = page.getByTestId("connect-panel");
  await panel.getByLabel("Brand").selectOption({ label: brandName });
  await panel.getByLabel("Platform").selectOption({ label: platformLabel });
  await panel.getByRole("button", { name: "Continue" }).click();
  return panel;
}

// On the sandbox's consent page (another origin): the handle, then Approve or Deny.
async function answerConsent(page, handle, decision) {
  const herald = new URL(HERALD).origin;
  await page.waitForURL((u) => u.origin !== herald, { timeout: 10000 });
  await page.getByRole("heading", { name: /Authorize/ }).waitFor();
  if (handle) await page.getByLabel("Handle").fill(handle);
  await page.getByRole("button", { name: decision }).click();
  // Back in the app, on the matrix, the callback's query already dropped from the address.
  await page.waitForURL((u) => u.origin === herald && u.pathname === "/accounts", { timeout: 10000 });
  const outcome = page.getByTestId("connect-outcome");
  await outcome.waitFor();
  await waitFor("the address without the callback's query", () => new URL(page.url()).search === "", 5000);
  check(new URL(page.url()).pathname === "/accounts", `landed on ${page.url()}`);
  return outcome;
}

export default async function (t) {
  check(CONTROL, "SANDBOX_CONTROL_URL is set");
  const root = await admin();
  const brand = await createBrand(root, "Acme Tea");
  const other = await createBrand(root, "Blue Leaf");

  const page = await t.page();
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Accounts" }).click();
  await page.getByRole("heading", { name: "Account matrix" }).waitFor();
  await page.getByTestId("matrix-empty").waitFor();

  // 1. Mastodon through the sandbox's consent screen.
  const exchangesBefore = await tokenExchanges();
  await startConnecting(page, "Acme Tea", "Mastodon");
  let outcome = await answerConsent(page, "acme_tea", "Approve");
  await waitFor("the success message", async () => /Connected\./.test(await outcome.innerText()));
  const outcomeText = await outcome.innerText();
  check(/acme_tea/.test(outcomeText) && /Acme Tea/.test(outcomeText), `success message: ${outcomeText}`);
  check(/sandbox account/i.test(outcomeText) && /emulator/.test(outcomeText), `sandbox said: ${outcomeText}`);

  let accounts = await accountsOf(root, brand.id);
  check(accounts.length === 1, `one account after connecting: ${JSON.stringify(accounts)}`);
  const masto = accounts[0];
  check(masto.platform === "mastodon" && masto.status === "connected", `connected: ${JSON.stringify(masto)}`);
  check(masto.sandbox === true && masto.health.level === "ok", `sandbox and healthy: ${JSON.stringify(masto.health)}`);
  check(/acme_tea/.test(masto.profile.handle), `handle from the consent screen: ${masto.profile.handle}`);
  check((await tokenExchanges()) === exchangesBefore + 1, "Herald exchanged the code at the sandbox once");

  const cell = page.getByTestId(`cell-${brand.id}-mastodon`);
  await cell.getByRole("link", { name: masto.profile.handle }).waitFor();
  const badge = cell.getByTestId("health-badge");
  check((await badge.getAttribute("data-level")) === "ok", "the cell's badge is ok");
  check(/Healthy/.test(await badge.innerText()), `badge text: ${await badge.innerText()}`);
  await cell.getByTestId("sandbox-mark").waitFor();
  const note = await page.getByTestId("sandbox-note").innerText();
  check(/emulator/.test(note), `the page says what sandbox means: ${note}`);
  await screenshot(page, "matrix");
  check((await page.getByRole("button", { name: "Connect a Mastodon account to Blue Leaf" }).count()) === 1,
    "the admin can connect into an empty cell");

  // 2. The detail, then Reconnect through the consent screen again: same record, no duplicate.
  await cell.getByRole("link", { name: masto.profile.handle }).click();
  const detail = page.getByTestId("account-detail");
  await detail.getByRole("heading", { name: "Health history" }).waitFor();
  await detail.getByTestId("health-events").locator('tr[data-kind="connected"]').first().waitFor();
  // The positioning, edited on the detail (PATCH with If-Match), survives the reconnection below.
  await detail.getByRole("button", { name: "Edit" }).click();
  await detail.getByLabel("Audience").fill("Tea lovers in Shanghai");
  await detail.getByLabel("Goals (one per line)").fill("Launch the spring blend\nGrow the community");
  await detail.getByLabel("KPI targets (one per line, name: number)").fill("followers: 5000");
  await detail.getByLabel("Tags (comma separated)").fill("tea, launch");
  await detail.getByRole("button", { name: "Save" }).click();
  await detail.getByTestId("action-notice").filter({ hasText: "Saved." }).waitFor();
  await screenshot(page, "detail");
  await detail.getByRole("button", { name: "Reconnect" }).click();
  outcome = await answerConsent(page, "acme_tea", "Approve");
  await waitFor("the reconnected message", async () => /Reconnected\./.test(await outcome.innerText()));
  accounts = await accountsOf(root, brand.id);
  check(accounts.length === 1 && accounts[0].id === masto.id, `reconnect kept one account: ${accounts.map((a) => a.id)}`);
  const kept = accounts[0];
  check(kept.positioning?.audience === "Tea lovers in Shanghai" && kept.positioning?.kpi_targets?.followers === 5000 &&
    kept.positioning?.goals?.length === 2 && kept.tags.join(",") === "tea,launch", `positioning: ${JSON.stringify(kept)}`);
  const events = (await root.get(`/api/v1/accounts/${masto.id}/health-events`)).items;
  check(events.some((e) => e.kind === "connected" && /^reconnected by/.test(e.reason)), `events: ${JSON.stringify(events)}`);

  // 3. Deny at the consent screen: a clear message, nothing added, no code exchanged.
  const exchangesBeforeDeny = await tokenExchanges();
  await startConnecting(page, "Acme Tea", "Mastodon");
  outcome = await answerConsent(page, "someone_else", "Deny");
  // The platform's display name arrives with GET /api/v1/platforms, maybe after the banner.
  const denied = await waitFor("the refusal to name Mastodon", async () => {
    const text = await outcome.innerText();
    return /Mastodon/.test(text) ? text : null;
  });
  check((await outcome.getAttribute("role")) === "alert", "the refusal is an alert");
  check(/Not connected\./.test(denied) && /declined/.test(denied) && /Mastodon/.test(denied), `deny message: ${denied}`);
  check((await accountsOf(root, brand.id)).length === 1, "a denial adds no account");
  check((await tokenExchanges()) === exchangesBeforeDeny, "a denial exchanges no code");
  await screenshot(page, "denied");
  await outcome.getByRole("button", { name: "Dismiss" }).click();

  // 4. Bluesky through the credentials form: a wrong app password is refused, the right one connects.
  let panel = await startConnecting(page, "Blue Leaf", "Bluesky");
  await panel.getByLabel("Bluesky handle").fill("blueleaf");
  await panel.getByLabel("App password").fill("not-the-password");
  await panel.getByRole("button", { name: "Connect to Bluesky" }).click();
  await panel.getByRole("alert").waitFor();
  check((await accountsOf(root, other.id)).length === 0, "a refused app password adds nothing");
  await panel.getByLabel("App password").fill("sandbox-secret");
  await panel.getByRole("button", { name: "Connect to Bluesky" }).click();
  outcome = page.getByTestId("connect-outcome");
  await waitFor("the Bluesky success message", async () => /Connected\..*blueleaf/s.test(await outcome.innerText()));
  const blue = (await accountsOf(root, other.id))[0];
  check(blue && blue.platform === "bluesky" && blue.status === "connected" && blue.sandbox, `bluesky: ${JSON.stringify(blue)}`);
  const blueCell = page.getByTestId(`cell-${other.id}-bluesky`);
  await blueCell.getByTestId("sandbox-mark").waitFor();
  check((await blueCell.getByTestId("health-badge").getAttribute("data-level")) === "ok", "bluesky is healthy");

  // 5. A failed check shows as a warning with its reason in the matrix; a good check clears it.
  await sandboxPost("/_sandbox/faults", { platform: "bluesky", path_prefix: "/xrpc/", kind: "status", status: 500, times: 1 });
  await blueCell.getByRole("link").first().click();
  await detail.getByRole("button", { name: "Check now" }).click();
  await detail.getByTestId("action-notice").filter({ hasText: "The check failed" }).waitFor();
  await page.getByRole("link", { name: "← Account matrix" }).click();
  await waitFor("the warning in the matrix", async () =>
    (await blueCell.getByTestId("health-badge").getAttribute("data-level")) === "warning");
  const reason = await blueCell.getByTestId("health-reasons").innerText();
  check(/Last call failed/.test(reason), `the reason is shown: ${reason}`);
  await screenshot(page, "matrix-warning");
  // The health filter narrows the matrix to that account.
  await page.getByTestId("filter-health").selectOption("warning");
  await waitFor("only the warning account", async () =>
    (await page.getByTestId(`cell-${brand.id}-mastodon`).count()) === 0 && (await blueCell.count()) === 1);
  await page.getByTestId("filter-health").selectOption("");
  await blueCell.getByRole("link").first().click();
  await detail.getByRole("button", { name: "Check now" }).click();
  await detail.getByTestId("action-notice").filter({ hasText: "profile is up to date" }).waitFor();
  check((await root.get(`/api/v1/accounts/${blue.id}`)).health.level === "ok", "a good check clears the warning");

  // 6. Disconnect asks first; Cancel keeps the account, confirming disconnects it.
  await detail.getByRole("button", { name: "Disconnect" }).click();
  const confirm = page.getByRole("alertdialog");
  await confirm.waitFor();
  await confirm.getByRole("button", { name: "Cancel" }).click();
  check((await root.get(`/api/v1/accounts/${blue.id}`)).status === "connected", "cancel keeps the account");
  await detail.getByRole("button", { name: "Disconnect" }).click();
  await confirm.getByRole("button", { name: "Yes, disconnect" }).click();
  await detail.getByTestId("action-notice").filter({ hasText: "is disconnected" }).waitFor();
  check((await root.get(`/api/v1/accounts/${blue.id}`)).status === "disconnected", "the API says disconnected");
  await detail.getByTestId("health-events").locator('tr[data-kind="disconnected"]').waitFor();
  check((await detail.getByRole("button", { name: "Disconnect" }).count()) === 0, "no second disconnect");

  // 7. A viewer of Acme Tea sees the matrix, without connect or account-changing buttons.
  const viewer = await createMember(root, brand.id, "viewer");
  const vpage = await t.page();
  await signIn(vpage, viewer.email, viewer.password);
  await vpage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Accounts" }).click();
  const vcell = vpage.getByTestId(`cell-${brand.id}-mastodon`);
  await vcell.getByRole("link", { name: masto.profile.handle }).waitFor();
  check((await vpage.getByRole("button", { name: "Connect an account" }).count()) === 0, "viewer: no connect button");
  check((await vpage.getByRole("button", { name: /^Connect a .* account to/ }).count()) === 0, "viewer: no + buttons");
  check((await vpage.getByTestId(`row-${other.id}`).count()) === 0, "viewer: only their brand");
  await screenshot(vpage, "viewer-matrix");
  await vcell.getByRole("link", { name: masto.profile.handle }).click();
  const vdetail = vpage.getByTestId("account-detail");
  await vdetail.getByRole("heading", { name: "Health history" }).waitFor();
  for (const name of ["Disconnect", "Reconnect", "Refresh token", "Edit"]) {
    check((await vdetail.getByRole("button", { name }).count()) === 0, `viewer: no ${name} button`);
  }

  // 8. Phone width: the matrix becomes one card per brand, no sideways scrolling; filters work.
  const phone = await t.page({ width: 390, height: 844 });
  await signIn(phone, ADMIN.email, ADMIN.password);
  await phone.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Accounts" }).click();
  await phone.getByTestId(`cell-${brand.id}-mastodon`).getByRole("link", { name: masto.profile.handle }).waitFor();
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `the phone layout scrolls sideways by ${overflow}px`);
  await screenshot(phone, "phone-matrix");
  await phone.getByTestId("filter-health").selectOption("error");
  await waitFor("the disconnected account under health = error", async () =>
    (await phone.getByTestId(`cell-${other.id}-bluesky`).count()) === 1 &&
    (await phone.getByTestId(`cell-${brand.id}-mastodon`).count()) === 0);
  await screenshot(phone, "phone-matrix-errors");
  await phone.getByTestId(`cell-${other.id}-bluesky`).getByRole("link").first().click();
  await phone.getByTestId("account-detail").getByRole("heading", { name: "Health history" }).waitFor();
  const detailOverflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(detailOverflow <= 0, `the phone detail scrolls sideways by ${detailOverflow}px`);
  await screenshot(phone, "phone-detail");
  // In Chinese, the same screen.
  await phone.getByTestId("locale-switcher").selectOption("zh-CN");
  await phone.getByTestId("account-detail").getByRole("heading", { name: "健康记录" }).waitFor();
  await phone.getByRole("link", { name: "← 账号矩阵" }).click();
  await phone.getByRole("heading", { name: "账号矩阵" }).waitFor();
  await screenshot(phone, "phone-matrix-zh");
}
