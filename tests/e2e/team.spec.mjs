// Team and routing in the browser: a lead opens "Team & routing", puts Bo on duty, turns on
// auto-assign and adds a rule giving DMs to Ann; a rule without any condition is refused with the
// field named. Then the sandbox delivers a DM and two mentions: the DM goes to Ann by the rule,
// the mentions to Bo (the only one on duty), and the thread pane shows who has them. The lead
// answers the DM, and the inbox reports show the three threads, one answered, and the lead's reply.
import { HERALD, admin, check, Client, connectAccount, createBrand, createMember, sandboxPost, screenshot, signIn, unique, waitFor } from "./lib.mjs";

export default async function (t) {
  const root = await admin();
  const brand = await createBrand(root, "Acme Tea");
  const handle = unique("acme").replaceAll("-", "_");
  await connectAccount(root, brand.id, "x", handle);
  const lead = await createMember(root, brand.id, "community_manager", "Lee Lead");
  const ann = await createMember(root, brand.id, "community_manager", "Ann Agent");
  const bo = await createMember(root, brand.id, "community_manager", "Bo Agent");
  const api = await new Client().login(lead.email, lead.password);

  const page = await t.page();
  await signIn(page, lead.email, lead.password);
  await page.goto(`${HERALD}/inbox`);
  await page.getByTestId("team-button").click();
  const dialog = page.getByTestId("team-dialog");
  const members = dialog.getByTestId("rota-member");
  await waitFor("the three members who answer the inbox", async () => (await members.count()) === 3);
  const boRow = dialog.locator(`[data-testid="rota-member"][data-user-id="${bo.id}"]`);
  await boRow.getByTestId("rota-available").check();
  await boRow.getByTestId("rota-state").filter({ hasText: "On duty" }).waitFor();
  await dialog.getByTestId("routing-auto").check();

  // A rule that matches everything is refused, naming the rule.
  await dialog.getByTestId("rule-add").click();
  const rule = dialog.getByTestId("routing-rule").first();
  await rule.getByTestId("rule-name").fill("DMs to Ann");
  await dialog.getByRole("button", { name: "Save" }).click();
  await dialog.getByTestId("team-error").filter({ hasText: "rules[0]" }).waitFor();
  check((await api.get(`/api/v1/inbox/routing/${brand.id}`)).version === 0, "nothing stored for the bad rule");
  await rule.getByRole("checkbox", { name: "Direct message" }).check();
  await rule.getByTestId("rule-assign").selectOption(ann.id);
  await dialog.getByRole("button", { name: "Save" }).click();
  await dialog.getByTestId("team-status").filter({ hasText: "Saved." }).waitFor();
  await screenshot(page, "inbox-team-routing");
  const routing = await api.get(`/api/v1/inbox/routing/${brand.id}`);
  check(routing.auto_assign === true && routing.rules.length === 1 && routing.rules[0].assign_to === ann.id &&
          routing.rules[0].kinds.join() === "dm", `the routing as saved: ${JSON.stringify(routing)}`);
  const rota = (await api.get(`/api/v1/inbox/rota/${brand.id}`)).members;
  check(rota.filter((m) => m.on_duty_now).map((m) => m.user_id).join() === bo.id, `only Bo on duty: ${JSON.stringify(rota)}`);
  await dialog.getByRole("button", { name: "Close" }).click();

  // New threads are given out as the rules say.
  await sandboxPost("/_sandbox/webhooks", { platform: "x", url: `${HERALD}/api/v1/webhooks/x` });
  await sandboxPost("/_sandbox/generate", { platform: "x", handle, kind: "dm", count: 1, delivery: "webhook" });
  await sandboxPost("/_sandbox/generate", { platform: "x", handle, kind: "mention", count: 2, delivery: "webhook" });
  const threads = await waitFor(
    "the DM and the two mentions",
    async () => {
      const r = await api.get(`/api/v1/inbox/threads?brand_id=${brand.id}&limit=200`);
      return r.items.length === 3 ? r.items : null;
    },
    15000,
  );
  for (const th of threads) {
    const want = th.kind === "dm" ? ann.id : bo.id;
    check(th.assignee_id === want, `${th.kind} thread ${th.id} goes to ${want}, not ${th.assignee_id}`);
  }
  const dm = threads.find((th) => th.kind === "dm");
  await page.goto(`${HERALD}/inbox/${dm.id}`);
  await waitFor("the DM shown as Ann's", async () => (await page.getByTestId("thread-assignee").innerText()).includes("Ann Agent"));
  const mine = (await new Client().login(bo.email, bo.password).then((c) => c.get(`/api/v1/inbox/threads?assignee=me&limit=200`))).items;
  check(mine.length === 2 && mine.every((th) => th.kind === "mention"), `Bo's list holds the two mentions: ${JSON.stringify(mine)}`);

  // The reports: three threads of the brand, one answered, by the lead.
  await api.post(`/api/v1/inbox/threads/${dm.id}/replies`, { text: `Hello, how can we help? (${unique("ref")})` });
  await page.getByTestId("reports-button").click();
  const reports = page.getByTestId("reports");
  const row = reports.locator(`[data-testid="report-brand"][data-brand-id="${brand.id}"]`);
  await row.waitFor();
  check((await row.getByTestId("report-threads").innerText()) === "3", `three threads: ${await row.innerText()}`);
  check((await row.getByTestId("report-answered").innerText()) === "1", `one answered: ${await row.innerText()}`);
  const agentRow = reports.getByTestId("report-agent").filter({ hasText: "Lee Lead" });
  check((await agentRow.getByTestId("report-replies").innerText()) === "1", `the lead's one reply: ${await agentRow.innerText()}`);
  const fromApi = await api.get(`/api/v1/inbox/reports?brand_id=${brand.id}`);
  check(fromApi.days.reduce((n, d) => n + d.messages, 0) === 3, `three messages in the days: ${JSON.stringify(fromApi.days)}`);
  check((await reports.getByTestId("report-term").count()) === Math.min(30, fromApi.top_terms.length), "the frequent words as the API lists them");
  await screenshot(page, "inbox-reports");
}
