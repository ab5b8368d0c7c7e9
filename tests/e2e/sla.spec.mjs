// SLA policies and breach alerts in the browser: a social media manager opens the brand's SLA
// policy from the inbox, is told which field is wrong when Monday closes before it opens, saves
// a 30-minute first response and a 4-hour resolution in business hours; a comment that arrives
// after it shows both clocks; when its first-response clock runs out (moved into the past in the
// test's database) the alert appears on the open page without a reload, once, and the thread's
// SLA shows overdue. Messages are kept 30 days. A content planner sees who wrote masked. A
// community manager does not get the policy button, and the server refuses the change from them.
import { HERALD, admin, check, Client, connectAccount, createBrand, createMember, sandboxPost, screenshot, signIn, testSql, unique, waitFor } from "./lib.mjs";

export default async function (t) {
  const root = await admin();
  const brand = await createBrand(root, "Acme Tea");
  const handle = unique("acme").replaceAll("-", "_");
  await connectAccount(root, brand.id, "x", handle);
  const sam = await createMember(root, brand.id, "social_media_manager", "Sam Manager");
  const cm = await createMember(root, brand.id, "community_manager", "Mei Community");
  const manager = await new Client().login(sam.email, sam.password);

  const page = await t.page();
  await signIn(page, sam.email, sam.password);
  await page.goto(`${HERALD}/inbox`);
  await page.getByTestId("sla-policy-button").click();
  const dialog = page.getByTestId("sla-policy");
  await dialog.getByText("This brand uses the default").waitFor();
  await dialog.getByTestId("policy-first").fill("30");
  await dialog.getByTestId("policy-resolution").fill("240");
  await dialog.getByTestId("policy-use-hours").check();
  check((await dialog.getByTestId("policy-zone").inputValue()) === "Asia/Shanghai", "the brand's zone is proposed");
  // Monday closes before it opens: the server names the field; nothing is stored.
  await dialog.getByTestId("policy-day-mon").fill("18:00-09:00");
  await dialog.getByRole("button", { name: "Save", exact: true }).click();
  await dialog.getByTestId("policy-error").filter({ hasText: "business_hours.weekly.mon[0]" }).waitFor();
  check((await manager.get(`/api/v1/inbox/sla-policies/${brand.id}`)).default === true, "nothing stored for the bad hours");
  // Open around the clock every day, so that this test's clocks do not depend on when it runs.
  for (const day of ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]) await dialog.getByTestId(`policy-day-${day}`).fill("00:00-24:00");
  await dialog.getByTestId("policy-holidays").fill("");
  await dialog.getByRole("button", { name: "Save", exact: true }).click();
  await dialog.getByTestId("policy-status").filter({ hasText: "Saved." }).waitFor();
  await screenshot(page, "inbox-sla-policy");
  const stored = await manager.get(`/api/v1/inbox/sla-policies/${brand.id}`);
  check(stored.first_response_minutes === 30 && stored.resolution_minutes === 240 && stored.business_hours?.timezone === "Asia/Shanghai" &&
          stored.business_hours.weekly.sun?.[0]?.[1] === "24:00", `the policy as saved: ${JSON.stringify(stored)}`);
  // Privacy: messages are kept 30 days.
  await dialog.getByTestId("retention-days").fill("30");
  await dialog.getByTestId("retention-save").click();
  await dialog.getByTestId("retention-status").waitFor();
  check((await manager.get(`/api/v1/inbox/retention/${brand.id}`)).keep_days === 30, "the retention as saved");
  await dialog.getByRole("button", { name: "Close" }).click();
  await dialog.waitFor({ state: "detached" });

  // A comment arriving now runs on the new clocks.
  await sandboxPost("/_sandbox/webhooks", { platform: "x", url: `${HERALD}/api/v1/webhooks/x` });
  await sandboxPost("/_sandbox/generate", { platform: "x", handle, kind: "comment", count: 1, delivery: "webhook" });
  const row = page.getByTestId("thread-row").first();
  await row.waitFor();
  await row.click();
  const ctx = page.getByTestId("context-pane");
  await ctx.getByTestId("resolution").waitFor();
  const firstText = await ctx.getByTestId("sla").innerText();
  check(/Due in (29|30)m/.test(firstText), `a 30-minute first response: ${firstText}`);
  const resText = await ctx.getByTestId("resolution").innerText();
  check(/Due in (3h 59m|4h 00m)/.test(resText), `a 4-hour resolution: ${resText}`);
  const threadId = Number(new URL(page.url()).pathname.split("/").at(-1));
  check(Number.isInteger(threadId) && threadId > 0, `the thread's address: ${page.url()}`);

  // Its first-response clock runs out: the alert arrives without a reload, once.
  await page.evaluate(() => (window.__sameDocument = true));
  await testSql(`UPDATE inbox_threads SET first_response_due = now() - interval '1 minute' WHERE id = ${threadId}`);
  const alert = page.getByTestId("sla-alert").filter({ hasText: "First response overdue" });
  await alert.waitFor({ timeout: 5000 });
  check((await page.getByTestId("sla-alert").count()) === 1, "one alert");
  check(await page.evaluate(() => window.__sameDocument === true), "the page was not reloaded");
  await waitFor("the thread's SLA shown overdue", async () => (await ctx.getByTestId("sla").getAttribute("data-state")) === "breached");
  await screenshot(page, "inbox-sla-alert");
  await alert.getByRole("button", { name: "Dismiss" }).click();
  await alert.waitFor({ state: "detached" });
  await page.waitForTimeout(1000); // four more sweeps: the breach is not reported again
  check((await page.getByTestId("sla-alert").count()) === 0, "the breach was reported once");

  // A community manager neither sees the policy button nor may change the policy.
  const other = await t.page();
  await signIn(other, cm.email, cm.password);
  await other.goto(`${HERALD}/inbox`);
  await other.getByTestId("thread-row").first().waitFor();
  check((await other.getByTestId("sla-policy-button").count()) === 0, "no SLA policy button for a community manager");
  // A content planner reads the thread with who wrote it masked.
  const planner = await createMember(root, brand.id, "content_planner", "Pat Planner");
  const reader = await t.page();
  await signIn(reader, planner.email, planner.password);
  await reader.goto(`${HERALD}/inbox/${threadId}`);
  await reader.getByTestId("masked-note").waitFor();
  const shownAuthor = await reader.getByTestId("item-in").first().locator("strong").first().innerText();
  check(/^\S\*\*\*$/.test(shownAuthor), `the author is masked for a planner: ${shownAuthor}`);
  const agent = await new Client().login(cm.email, cm.password);
  const refused = await agent.req("PUT", `/api/v1/inbox/sla-policies/${brand.id}`, { first_response_minutes: 600 });
  check(refused.status === 403, `a community manager may not set it: ${refused.status}`);
}
