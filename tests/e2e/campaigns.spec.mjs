// Campaigns and ads dashboards: a campaign created through the form (budget typed in major units, stored in
// minor units), a short link with UTM fields whose QR code shows and whose clicks (a person's and a crawler's)
// are counted apart in the table and the chart, the links table exported as CSV, pausing with a reason and a
// confirmation, the two-person resume (a second browser lifts); then the ads dashboard for the sandbox's demo
// ad account (connected through the API, synced in the background): the sandbox label, the KPI summary from
// the server's sums, both charts, the by-campaign table, the API's CSV answering 200 text/csv, and an A/B
// verdict that is the server's. At phone width neither page scrolls sideways.
import { readFile } from "node:fs/promises";
import {
  ADMIN,
  CONTROL,
  HERALD,
  admin,
  check,
  connectAccount,
  createBrand,
  createMember,
  screenshot,
  signIn,
  unique,
  waitFor,
} from "./lib.mjs";

const BROWSER_UA =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36";

async function openScreen(page, name, path) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name }).click();
  await page.waitForURL((u) => u.pathname === path);
  await page.waitForFunction(() => !document.querySelector("main .center-note"));
}

// A chart drew on its canvas: the figure has a canvas with pixels that are not all blank.
async function chartDrawn(page, testId) {
  return page.getByTestId(testId).evaluate((fig) => {
    const c = fig.querySelector("canvas");
    if (!c || c.width === 0 || c.height === 0) return false;
    const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
    return false;
  });
}

async function noSideScroll(page, width) {
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  check(wide <= width, `the phone layout does not scroll sideways (${wide} px wide)`);
}

export default async function (t) {
  check(CONTROL, "SANDBOX_CONTROL_URL is set");
  const root = await admin();
  const brand = await createBrand(root, "Acme Tea");
  const handle = unique("acme_ads").replaceAll("-", "_");
  const fbAccount = await connectAccount(root, brand.id, "facebook", handle);

  // The sandbox's automatic ad account of that Facebook user, connected through the API; it syncs meanwhile.
  const sandboxAds = await (await fetch(`${CONTROL}/_sandbox/facebook/ad-accounts?handle=${handle}`)).json();
  check(Array.isArray(sandboxAds) && sandboxAds[0]?.id, `the sandbox lists an ad account: ${JSON.stringify(sandboxAds)}`);
  const adAccount = await root.post("/api/v1/ads/accounts", {
    account_id: fbAccount,
    external_id: sandboxAds[0].id,
    backfill_days: 30,
  });

  const page = await t.page();
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.getByTestId("brand-switcher").selectOption(brand.id);

  // 1. A campaign through the form.
  await openScreen(page, "Campaigns", "/campaigns");
  await page.getByRole("heading", { name: "Campaigns", level: 1 }).waitFor();
  await page.getByRole("button", { name: "New campaign" }).click();
  const form = page.getByTestId("campaign-create");
  const name = `Spring tea launch ${Date.now().toString(36)}`;
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Type").selectOption({ label: "Seeding and selling" });
  const today = new Date();
  const day = (d) => new Date(today.getTime() + d * 86400000).toISOString().slice(0, 10);
  await form.getByLabel("Starts on").fill(day(-3));
  await form.getByLabel("Ends on").fill(day(27));
  await form.getByLabel("Start as").selectOption({ label: "Active" });
  await form.getByLabel("Currency").selectOption("CNY");
  // Too many decimals for CNY: said before anything is sent.
  await form.getByLabel("Amount").fill("1200.505");
  await form.getByText("The budget must be an amount with at most 2 decimals for CNY.").waitFor();
  await form.getByLabel("Amount").fill("1200.50");
  await form.getByLabel("Goal").fill("Launch the spring harvest, 種草 on Weibo and RED");
  await form.getByRole("button", { name: "Add a KPI target" }).click();
  await form.getByLabel("Metric").selectOption("link_clicks");
  await form.getByLabel("Target").fill("5000");
  await form.getByRole("button", { name: "Create campaign" }).click();

  const detail = page.getByTestId("campaign-detail");
  await detail.getByRole("heading", { name, level: 1 }).waitFor();
  const id = new URL(page.url()).pathname.split("/")[2];
  const stored = await root.get(`/api/v1/campaigns/${id}`);
  check(stored.name === name && stored.type === "seeding_and_selling" && stored.status === "active", `stored: ${JSON.stringify(stored)}`);
  check(stored.budget?.amount_minor === 120050 && stored.budget.currency === "CNY", `budget in minor units: ${JSON.stringify(stored.budget)}`);
  check(stored.kpis.length === 1 && stored.kpis[0].metric === "link_clicks" && stored.kpis[0].target === 5000, `kpis: ${JSON.stringify(stored.kpis)}`);
  check((await detail.getByTestId("campaign-budget").innerText()).includes("1,200.50"), "the budget is shown in major units");
  await detail.getByTestId("campaign-kpis").getByText("Link clicks").waitFor();

  // The list shows it, with its status.
  await page.getByRole("link", { name: "All campaigns" }).click();
  const row = page.getByTestId(`campaign-row-${id}`);
  await row.waitFor();
  check((await row.getByTestId("campaign-status").innerText()) === "Active", "listed as active");
  await screenshot(page, "campaign-list");
  await row.getByRole("link", { name }).click();
  await detail.waitFor();

  // 2. A short link with UTM fields.
  const links = page.getByTestId("campaign-links");
  const newLink = links.getByTestId("link-create");
  await newLink.getByLabel("Target URL").fill("https://shop.example.com/spring-tea");
  await newLink.getByLabel("Label").fill("Weibo bio");
  await newLink.getByLabel("Source").fill("weibo");
  await newLink.getByLabel("Medium").fill("social");
  await newLink.getByRole("button", { name: "Create short link" }).click();
  await newLink.getByText(/Short link created/).waitFor();
  const listed = (await root.get(`/api/v1/links?brand_id=${brand.id}&campaign_id=${id}`)).items;
  check(listed.length === 1, `one link for the campaign: ${JSON.stringify(listed)}`);
  const link = listed[0];
  check(link.target === "https://shop.example.com/spring-tea?utm_source=weibo&utm_medium=social", `UTM in the target: ${link.target}`);
  const linkRow = links.getByTestId(`link-${link.code}`);
  await linkRow.getByText(link.short_url).waitFor();

  // Its QR code: the image loads (same origin, the session cookie).
  await linkRow.getByRole("button", { name: "QR code" }).click();
  const qr = links.getByTestId("link-qr");
  await qr.waitFor();
  await waitFor("the QR image to load", () => qr.evaluate((img) => img.complete && img.naturalWidth > 0), 10000);

  // A person's click and a crawler's, counted apart.
  for (const ua of [BROWSER_UA, "Twitterbot/1.0"]) {
    const r = await fetch(link.short_url, { redirect: "manual", headers: { "User-Agent": ua } });
    check(r.status === 302 && r.headers.get("location") === link.target, `the short link redirects (${r.status})`);
  }
  await waitFor("the clicks to be counted", async () => {
    const l = await root.get(`/api/v1/links/${link.code}`);
    return l.clicks === 1 && l.bot_clicks === 1;
  });
  await page.reload();
  await linkRow.waitFor();
  check((await linkRow.getByTestId("link-clicks").innerText()) === "1", "one click by a person");
  check((await linkRow.getByTestId("link-bot-clicks").innerText()) === "1", "one click by a bot");
  await waitFor("the clicks chart to draw", () => chartDrawn(page, "links-chart"));
  const chartLabel = await page.getByTestId("links-chart").getByRole("img").getAttribute("aria-label");
  check(/clicks by people 1, by bots 1 in all/.test(chartLabel), `the chart's summary: ${chartLabel}`);
  await linkRow.getByRole("button", { name: "QR code" }).click();
  await waitFor("the QR image again", () => qr.evaluate((img) => img.complete && img.naturalWidth > 0), 10000);
  await screenshot(page, "campaign-detail");

  // The links table as CSV, made in the browser.
  const [download] = await Promise.all([page.waitForEvent("download"), links.getByTestId("links-export").click()]);
  const csv = (await readFile(await download.path(), "utf8")).replace(/^\uFEFF/, "");
  const lines = csv.split("\r\n");
  check(lines[0].startsWith("code,short_url,target,label,utm_source"), `CSV header: ${lines[0]}`);
  check(lines[1].startsWith(`${link.code},${link.short_url},`) && lines[1].includes(",weibo,social,") && /,1,1,/.test(lines[1]), `CSV row: ${lines[1]}`);

  // 3. Pause: a reason, then a confirmation.
  const status = page.getByTestId("campaign-status-panel");
  await status.getByTestId("campaign-pause").click();
  await status.getByLabel("Reason").fill("Supplier recall: hold everything");
  await status.getByRole("button", { name: "Continue" }).click();
  await status.getByRole("alertdialog").getByRole("button", { name: "Pause now" }).click();
  await status.getByTestId("campaign-notice").waitFor();
  await waitFor("the paused badge", async () => (await detail.getByTestId("campaign-status").first().innerText()) === "Paused");
  const paused = await root.get(`/api/v1/campaigns/${id}`);
  check(paused.status === "paused" && paused.freeze?.active === true, `paused by a freeze: ${JSON.stringify(paused.freeze)}`);
  // The banner on every page names the campaign, not its id.
  const banner = page.getByTestId("freeze-banner");
  await waitFor("the banner to name the campaign", async () =>
    (await banner.innerText().catch(() => "")).includes(`campaign ${name}`),
  );

  // The first person asks to resume; a second one lifts.
  await status.getByLabel("Reason for resuming").fill("Recall cleared");
  await status.getByTestId("campaign-resume").click();
  await status.getByText("A resume has been asked for: a second person lifts the pause.").waitFor();
  await screenshot(page, "campaign-paused");
  const manager = await createMember(root, brand.id, "social_media_manager", "Second Person");
  const second = await t.page();
  await signIn(second, manager.email, manager.password);
  await second.goto(`${HERALD}/campaigns/${id}`);
  const secondStatus = second.getByTestId("campaign-status-panel");
  await secondStatus.getByRole("button", { name: "Lift the pause (second person)" }).click();
  await secondStatus.getByText(/Resumed: the campaign is active again/).waitFor();
  check((await root.get(`/api/v1/campaigns/${id}`)).status === "active", "active again after the second person");

  // 4. The ads dashboard, once the sandbox's ad account is read.
  const synced = await waitFor(
    "the ad account to sync",
    async () => {
      const a = await root.get(`/api/v1/ads/accounts/${adAccount.id}`);
      if (a.status === "error") throw new Error(`sync failed: ${a.last_error}`);
      return a.status === "ok" && a;
    },
    60000,
    250,
  );
  await openScreen(page, "Ads", "/ads");
  await page.getByRole("heading", { name: "Ads", level: 1 }).waitFor();
  await page.getByTestId("ads-sandbox-badge").waitFor();
  await page.getByText(/Simulated numbers/).waitFor();
  await page.getByTestId(`ads-sync-status-${adAccount.id}`).getByText("Synced").waitFor();
  await page.getByTestId("ads-table").waitFor();
  await waitFor("the daily chart to draw", () => chartDrawn(page, "ads-chart-daily"));
  await waitFor("the campaign chart to draw", () => chartDrawn(page, "ads-chart-campaigns"));

  // The numbers are the server's: the KPI summary and the table against the same report.
  const from = await page.getByLabel("From", { exact: true }).inputValue();
  const to = await page.getByLabel("To", { exact: true }).inputValue();
  const report = await root.get(`/api/v1/ads/report?ad_account_id=${adAccount.id}&from=${from}&to=${to}&group_by=campaign`);
  check(report.rows.length === synced.entities.campaigns, `one row per ad campaign: ${report.rows.length}`);
  const percent = new Intl.NumberFormat("en", { style: "percent", minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const ctr = percent.format(report.total.kpis.ctr);
  const shownCtr = await page.getByTestId("kpi-ctr").locator("dd").innerText();
  check(shownCtr === ctr, `the summary's CTR ${shownCtr} is the report's ${ctr}`);
  const bodyRows = await page.getByTestId("ads-table").locator("tbody tr").count();
  check(bodyRows === report.rows.length, `the table has ${bodyRows} campaign rows, the report ${report.rows.length}`);
  await page.getByTestId("ads-table").getByText(report.rows[0].name).first().waitFor();
  await screenshot(page, "ads");

  // The API's CSV behind the download link.
  const href = await page.getByTestId("ads-csv").getAttribute("href");
  const got = await page.evaluate(async (url) => {
    const r = await fetch(url);
    return { status: r.status, type: r.headers.get("content-type"), text: await r.text() };
  }, href);
  check(got.status === 200 && got.type.startsWith("text/csv"), `CSV: ${got.status} ${got.type}`);
  check(got.text.startsWith("campaign,name,impressions,clicks"), `CSV header: ${got.text.slice(0, 80)}`);

  // Another dimension reloads the table.
  await page.getByTestId("ads-group-by").selectOption("ad");
  await page.getByRole("heading", { name: "By Ad" }).waitFor();
  await waitFor("one row per ad", async () => (await page.getByTestId("ads-table").locator("tbody tr").count()) === synced.entities.ads);

  // A/B: the verdict is the server's for the same two ads.
  const ab = page.getByTestId("ads-ab");
  await waitFor("the A/B ads", async () => (await ab.getByTestId("ab-b").locator("option").count()) > 2);
  const a = await ab.getByTestId("ab-a").inputValue();
  const b = await ab.getByTestId("ab-b").inputValue();
  check(a && b && a !== b, `two different ads preselected: ${a} ${b}`);
  await ab.getByTestId("ab-metric").selectOption("ctr");
  await ab.getByRole("button", { name: "Compare" }).click();
  const verdict = await ab.getByTestId("ab-verdict").innerText();
  const server = await root.post(`/api/v1/ads/accounts/${adAccount.id}/ab-test`, { a, b, metric: "ctr", from, to });
  check(verdict === server.verdict && verdict.length > 10, `verdict shown: ${verdict} / server: ${server.verdict}`);
  await screenshot(page, "ads-ab");

  // In Simplified Chinese the dashboard's own words change; the numbers stay the server's.
  await page.getByTestId("locale-switcher").selectOption("zh-CN");
  await page.getByRole("heading", { name: "广告", level: 1 }).waitFor();
  await page.getByText("模拟数据", { exact: false }).first().waitFor();
  check((await page.getByTestId("kpi-ctr").locator("dt").innerText()) === "点击率", "the CTR is labelled in Chinese");
  await screenshot(page, "ads-zh-CN");
  await page.getByTestId("locale-switcher").selectOption("en");

  // 5. Phone width: both screens fit.
  const phone = await t.page({ width: 390, height: 844 });
  await signIn(phone, ADMIN.email, ADMIN.password);
  await phone.getByTestId("brand-switcher").selectOption(brand.id);
  await openScreen(phone, "Ads", "/ads");
  await phone.getByTestId("ads-table").waitFor();
  await waitFor("the daily chart at phone width", () => chartDrawn(phone, "ads-chart-daily"));
  await noSideScroll(phone, 390);
  await screenshot(phone, "phone-ads");
  await phone.goto(`${HERALD}/campaigns/${id}`);
  await phone.getByTestId("links-table").waitFor();
  await noSideScroll(phone, 390);
  await screenshot(phone, "phone-campaign");
}
