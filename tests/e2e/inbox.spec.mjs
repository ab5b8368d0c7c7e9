// The community managers' journey in the browser: the sandbox delivers comments and a DM to a
// connected X account by signed webhooks; they appear in the inbox, and a mention sent while the
// page is open appears without a reload. j/Enter walk the list; a community manager opens the
// comment thread, an empty reply is refused before anything is sent, a reply from the reply box
// reaches "sent" and the sandbox received exactly one request with that text; e resolves and a
// takes the thread. Screenshots of the three panes and of the phone layout (one pane at a time).
import { createHash } from "node:crypto";
import {
  HERALD,
  admin,
  check,
  Client,
  connectAccount,
  createBrand,
  createMember,
  sandboxPost,
  sandboxRequests,
  screenshot,
  signIn,
  unique,
  waitFor,
} from "./lib.mjs";

const sha256 = (s) => createHash("sha256").update(s, "utf8").digest("hex");
const itemTotal = (list) => list.reduce((n, th) => n + th.item_count, 0);
const tweetPosts = async () => (await sandboxRequests("x")).filter((r) => r.method === "POST" && r.path === "/2/tweets");

export default async function (t) {
  // --- Seed through the API, as a script would ------------------------------------------------
  const root = await admin();
  const brand = await createBrand(root, "Acme Tea");
  const handle = unique("acme").replaceAll("-", "_");
  const accountId = await connectAccount(root, brand.id, "x", handle);
  const cm = await createMember(root, brand.id, "community_manager", "Mei Community");
  const agent = await new Client().login(cm.email, cm.password);

  await sandboxPost("/_sandbox/webhooks", { platform: "x", url: `${HERALD}/api/v1/webhooks/x` });
  await sandboxPost("/_sandbox/generate", { platform: "x", handle, kind: "comment", count: 3, delivery: "webhook" });
  await sandboxPost("/_sandbox/generate", { platform: "x", handle, kind: "dm", count: 1, delivery: "webhook" });
  const seeded = await waitFor(
    "the 3 comments and the DM in the inbox",
    async () => {
      const r = await agent.get(`/api/v1/inbox/threads?brand_id=${brand.id}&limit=200`);
      return itemTotal(r.items) === 4 ? r.items : null;
    },
    15000,
  );
  const commentThread = seeded.find((th) => th.kind === "comment");
  check(commentThread && commentThread.item_count === 3, `one comment thread with 3 items: ${JSON.stringify(seeded)}`);
  check(seeded.every((th) => th.account_id === accountId), "every thread is on the connected account");

  // --- The community manager opens the inbox --------------------------------------------------
  const page = await t.page();
  // The page's live stream passes through here, so that a step can hold its pushes back (the
  // two-agent step needs the thread to change without this page hearing of it at once).
  let holdLive = false;
  const heldBack = [];
  let liveSocket = null;
  await page.routeWebSocket(/\/api\/v1\/stream$/, (ws) => {
    liveSocket = ws;
    const server = ws.connectToServer();
    server.onMessage((m) => (holdLive ? heldBack.push(m) : ws.send(m)));
  });
  const releaseLive = () => {
    holdLive = false;
    for (const m of heldBack.splice(0)) liveSocket?.send(m);
  };
  await signIn(page, cm.email, cm.password);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Inbox" }).click();
  check(new URL(page.url()).pathname === "/inbox", `the inbox is at /inbox, not ${page.url()}`);
  const rows = page.getByTestId("thread-row");
  await waitFor(`${seeded.length} thread rows`, async () => (await rows.count()) === seeded.length);
  // Each row names the author and shows the text of the latest message.
  const full = await agent.get(`/api/v1/inbox/threads/${commentThread.id}`);
  const lastIn = full.items.filter((i) => i.direction === "in").at(-1);
  const commentRow = page.locator(`[data-testid="thread-row"][data-thread-id="${commentThread.id}"]`);
  await waitFor("the comment row's author and snippet", async () => {
    const text = await commentRow.innerText();
    return text.includes(lastIn.author.name || lastIn.author.handle) && text.includes(lastIn.text.slice(0, 20));
  });

  // Live: a mention sent while the page is open appears without a reload.
  await page.evaluate(() => (window.__sameDocument = true));
  await sandboxPost("/_sandbox/generate", { platform: "x", handle, kind: "mention", count: 1, delivery: "webhook" });
  await waitFor("the new mention's row", async () => (await page.locator('[data-testid="thread-row"][data-kind="mention"]').count()) === 1);
  check(await page.evaluate(() => window.__sameDocument === true), "the page was not reloaded");
  const listed = (await agent.get(`/api/v1/inbox/threads?brand_id=${brand.id}&limit=200`)).items;
  check(listed.length === seeded.length + 1, `the API lists the mention too: ${listed.length} threads`);
  await waitFor("every thread listed", async () => (await rows.count()) === listed.length);

  // --- Keyboard: ? shows the shortcuts; j/k move, Enter opens ----------------------------------
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press("?");
  await page.getByRole("dialog", { name: "Keyboard shortcuts" }).waitFor();
  await page.keyboard.press("Escape");
  await page.getByRole("dialog").waitFor({ state: "detached" });
  const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-thread-id")));
  await page.keyboard.press("j");
  await page.keyboard.press("j");
  await page.keyboard.press("k");
  await page.keyboard.press("j");
  await page.keyboard.press("Enter");
  await waitFor("j j k j Enter opens the second thread", async () => new URL(page.url()).pathname === `/inbox/${ids[1]}`);
  await page.getByTestId("thread-pane").waitFor();
  await page.keyboard.press("Escape");
  await waitFor("Esc goes back to the list", async () => new URL(page.url()).pathname === "/inbox");
  // Typing in a field is never a shortcut.
  await page.getByLabel("Status").first().focus();
  await page.keyboard.press("j");
  check(new URL(page.url()).pathname === "/inbox", "j in a field does nothing");

  // --- The comment thread -----------------------------------------------------------------------
  await commentRow.click();
  await waitFor("the comment thread's address", async () => new URL(page.url()).pathname === `/inbox/${commentThread.id}`);
  const pane = page.getByTestId("thread-pane");
  await waitFor("its 3 comments in the conversation", async () => (await pane.getByTestId("item-in").count()) === 3);
  const ctx = page.getByTestId("context-pane");
  await ctx.getByText("First response").waitFor();
  check(/Due in \d/.test(await ctx.getByTestId("sla").innerText()), "the SLA countdown runs");
  check((await ctx.innerText()).includes(`@${handle}`), "the context names the account");

  await screenshot(page, "inbox-open-thread");

  // Bad input: an empty (or blank) reply is refused with a clear message; nothing is sent.
  const postsBefore = (await tweetPosts()).length;
  const box = pane.getByLabel("Reply", { exact: true });
  const send = pane.getByRole("button", { name: "Send reply" });
  await send.click();
  await pane.getByRole("alert").filter({ hasText: "an empty reply is not sent" }).waitFor();
  await box.fill("   ");
  await send.click();
  await pane.getByRole("alert").filter({ hasText: "an empty reply is not sent" }).waitFor();
  const afterEmpty = await agent.get(`/api/v1/inbox/threads/${commentThread.id}`);
  check(afterEmpty.replies.length === 0, `no reply was queued: ${JSON.stringify(afterEmpty.replies)}`);
  check((await tweetPosts()).length === postsBefore, "no request reached the sandbox");

  // A reply from the reply box: counted against the server's limit, then sent once.
  const text = `Thanks for telling us, we are on it (${unique("ref")}).`;
  await box.fill(text);
  const count = await pane.getByTestId("reply-count").innerText();
  check(count === `${[...text].length} / 280`, `the counter shows the count and X's limit: ${count}`);
  await send.click();
  const reply = pane.getByTestId("reply").filter({ hasText: text });
  await reply.waitFor();
  await waitFor(
    "the reply's status to reach sent",
    async () => (await reply.getByTestId("reply-status").getAttribute("data-status")) === "sent",
    20000,
  );
  check((await reply.getByTestId("reply-status").innerText()) === "Sent", "the status reads Sent");
  check((await box.inputValue()) === "", "the reply box is emptied");

  const done = await agent.get(`/api/v1/inbox/threads/${commentThread.id}`);
  const mine = done.replies.filter((r) => r.text === text);
  check(mine.length === 1 && mine[0].status === "sent" && mine[0].platform_reply_id, `one sent reply: ${JSON.stringify(done.replies)}`);
  check(done.unanswered === 0 && done.sla.state === "met", `answered in time: ${done.unanswered} ${done.sla.state}`);
  // Exactly one request with this text reached the platform (X's body, as the adapter writes it).
  const body = JSON.stringify({ reply: { in_reply_to_tweet_id: lastIn.platform_item_id }, text });
  const posts = await tweetPosts();
  const withText = posts.filter((r) => r.body_sha256 === sha256(body));
  check(withText.length === 1, `one POST /2/tweets with the reply's text, not ${withText.length}`);
  check(posts.length === postsBefore + 1, `one request in all, not ${posts.length - postsBefore}`);
  check(withText[0].status === 201 || withText[0].status === 200, `the sandbox accepted it: ${withText[0].status}`);
  await waitFor("the SLA shown as answered in time", async () => (await ctx.getByTestId("sla").getAttribute("data-state")) === "met");

  // --- Two agents on one thread ---------------------------------------------------------------
  // A second community manager starts writing: the reply box says so, and stops saying so when
  // they stop.
  const cm2 = await createMember(root, brand.id, "community_manager", "Ravi Second");
  const other = await new Client().login(cm2.email, cm2.password);
  const threadPath = `/api/v1/inbox/threads/${commentThread.id}`;
  await other.post(`${threadPath}/presence`, { replying: true });
  const warning = pane.getByTestId("others-replying");
  await warning.filter({ hasText: "Ravi Second is writing a reply here" }).waitFor();
  await screenshot(page, "inbox-someone-else-replying");
  await other.post(`${threadPath}/presence`, { replying: false });
  await warning.waitFor({ state: "detached" });
  // Ravi answers while this page hears nothing: its reply, written against the thread as shown,
  // is refused with a clear message, the thread is reloaded with Ravi's answer, the text is kept;
  // sent again, it goes out.
  holdLive = true;
  const ravis = `Ravi here: a replacement ships today (${unique("ref")}).`;
  await other.post(`${threadPath}/replies`, { text: ravis });
  const second = `And a coupon for the trouble (${unique("ref")}).`;
  await box.fill(second); // (once filled, the box is named by its text too: found by test id below)
  await send.click();
  await pane.getByRole("alert").filter({ hasText: "This thread changed since you opened it" }).waitFor();
  await pane.getByTestId("reply").filter({ hasText: ravis }).waitFor();
  check((await pane.getByTestId("reply-box").inputValue()) === second, "the refused reply's text is kept in the box");
  const refused = await agent.get(threadPath);
  check(!refused.replies.some((r) => r.text === second), "the refused reply was not queued");
  releaseLive();
  await send.click();
  for (const sent of [ravis, second]) {
    const status = pane.getByTestId("reply").filter({ hasText: sent }).getByTestId("reply-status");
    await waitFor(`"${sent}" to reach sent`, async () => (await status.getAttribute("data-status")) === "sent", 20000);
  }
  const both = (await agent.get(threadPath)).replies.filter((r) => r.text === ravis || r.text === second);
  check(both.length === 2, `Ravi's reply and the resent one, once each: ${JSON.stringify(both)}`);

  await screenshot(page, "inbox-three-panes");

  // e resolves, a assigns to me (with the focus out of the reply box).
  await page.evaluate(() => document.activeElement?.blur());
  // The worker's settling of the two replies above can move the thread on just as "a" is
  // pressed: the assignment is then refused as stale (and the thread reloaded), and a person
  // presses "a" again, as this does once.
  for (let attempt = 0; ; attempt++) {
    await page.keyboard.press("a");
    try {
      await waitFor("a assigns the thread to me", async () => (await ctx.getByTestId("thread-assignee").innerText()) === "you", 5000);
      break;
    } catch (e) {
      const alerts = (await page.locator('[role="alert"]').allInnerTexts()).join(" ");
      if (attempt > 0 || !alerts.includes("changed")) throw e;
    }
  }
  await page.keyboard.press("e");
  await waitFor("e resolves the thread", async () => (await ctx.getByTestId("thread-status").innerText()) === "Resolved");
  const after = await agent.get(`/api/v1/inbox/threads/${commentThread.id}`);
  check(after.status === "resolved" && after.assignee_id === cm.id, `resolved and mine: ${after.status} ${after.assignee_id}`);
  // The default filter lists open threads: the resolved one leaves the list.
  await waitFor("the resolved thread leaves the open list", async () => (await commentRow.count()) === 0);

  // --- Phone width: one pane at a time ----------------------------------------------------------
  const phone = await t.page({ width: 390, height: 844 });
  await signIn(phone, cm.email, cm.password);
  await phone.goto(`${HERALD}/inbox`);
  const phoneRows = phone.getByTestId("thread-row");
  await waitFor("the list on the phone", async () => (await phoneRows.count()) === listed.length - 1);
  check(!(await phone.locator(".pane-thread").isVisible()), "no conversation pane beside the list");
  await screenshot(phone, "phone-list");
  // The filters fold behind a button at this width; a filter narrows the list as the API does.
  await phone.getByRole("button", { name: /^Filters/ }).click();
  await phone.getByLabel("Kind").selectOption("dm");
  const dms = (await agent.get(`/api/v1/inbox/threads?status=open&kind=dm&limit=200`)).items;
  await waitFor("only the DM threads", async () => (await phoneRows.count()) === dms.length);
  check((await phone.locator('[data-testid="thread-row"]:not([data-kind="dm"])').count()) === 0, "no other kind listed");
  await phone.getByLabel("Kind").selectOption("");
  await phone.getByRole("button", { name: /^Filters/ }).click();
  await waitFor("every open thread again", async () => (await phoneRows.count()) === listed.length - 1);
  const dmRow = phone.locator('[data-testid="thread-row"][data-kind="dm"]');
  const dmId = await dmRow.getAttribute("data-thread-id");
  await dmRow.click();
  await phone.getByTestId("thread-pane").waitFor();
  check(!(await phoneRows.first().isVisible()), "the list is hidden while a thread is open");
  check(await phone.getByRole("button", { name: "Send direct message" }).isVisible(), "a DM thread is answered by DM");
  await screenshot(phone, "phone-thread");
  await phone.getByRole("button", { name: "Details" }).click();
  await phone.getByTestId("context-pane").waitFor();
  check(!(await phone.locator(".pane-thread").isVisible()), "the details replace the conversation");
  await screenshot(phone, "phone-details");
  await phone.getByRole("button", { name: "← Conversation" }).click();
  await phone.getByRole("button", { name: "← Threads" }).click();
  await waitFor("back to the list", async () => new URL(phone.url()).pathname === "/inbox" && (await phoneRows.first().isVisible()));

  // The address of a thread is bookmarkable: opened directly, it shows that thread.
  await phone.goto(`${HERALD}/inbox/${dmId}`);
  await phone.getByTestId("thread-pane").getByTestId("item-in").first().waitFor();
}
