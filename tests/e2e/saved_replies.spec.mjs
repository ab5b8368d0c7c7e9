// Saved replies and the FAQ in the browser: a community manager saves the text in the reply box
// as a saved reply (its {{name}} kept as a variable), opens the picker with "s", inserts it filled
// for the thread and sends it (the sandbox receives the filled text once); a typo'd variable is
// refused with a message naming it; a comment and its answer are promoted to the FAQ; and on
// another thread an FAQ answer is suggested for what was asked and goes into the reply box filled.
// The comment is hidden on X from its message (and shown again), one request each.
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

const tweetPosts = async () => (await sandboxRequests("x")).filter((r) => r.method === "POST" && r.path === "/2/tweets");

export default async function (t) {
  const root = await admin();
  const brand = await createBrand(root, "Acme Tea");
  const handle = unique("acme").replaceAll("-", "_");
  await connectAccount(root, brand.id, "x", handle);
  const cm = await createMember(root, brand.id, "community_manager", "Mei Community");
  const agent = await new Client().login(cm.email, cm.password);

  await sandboxPost("/_sandbox/webhooks", { platform: "x", url: `${HERALD}/api/v1/webhooks/x` });
  await sandboxPost("/_sandbox/generate", { platform: "x", handle, kind: "comment", count: 1, delivery: "webhook" });
  await sandboxPost("/_sandbox/generate", { platform: "x", handle, kind: "dm", count: 1, delivery: "webhook" });
  const threads = await waitFor(
    "the comment and the DM in the inbox",
    async () => {
      const r = await agent.get(`/api/v1/inbox/threads?brand_id=${brand.id}&limit=200`);
      return r.items.length === 2 ? r.items : null;
    },
    15000,
  );
  const comment = threads.find((th) => th.kind === "comment");
  const dm = threads.find((th) => th.kind === "dm");
  const asked = (await agent.get(`/api/v1/inbox/threads/${comment.id}`)).items.filter((i) => i.direction === "in").at(-1);
  const author = asked.author.name || `@${asked.author.handle}`;

  const page = await t.page();
  await signIn(page, cm.email, cm.password);
  await page.goto(`${HERALD}/inbox/${comment.id}`);
  const pane = page.getByTestId("thread-pane");
  await pane.getByTestId("item-in").first().waitFor();
  const box = pane.getByTestId("reply-box");

  // --- Save the reply box's text as a saved reply -------------------------------------------------
  const ref = unique("ref");
  const template = `Thank you {{name}}, we answer every message within a day (${ref}).`;
  await box.fill(template);
  await pane.getByTestId("save-as-button").click();
  const saveAs = page.getByTestId("save-as-reply");
  await saveAs.getByTestId("save-as-title").fill(`Within a day ${ref}`);
  await saveAs.getByRole("button", { name: "Save" }).click();
  await pane.getByTestId("composer-status").filter({ hasText: `Saved: “Within a day ${ref}”` }).waitFor();
  const stored = (await agent.get(`/api/v1/inbox/saved-replies?brand_id=${brand.id}`)).items;
  check(stored.length === 1 && stored[0].text === template && stored[0].brand_id === brand.id,
        `one saved reply of the brand with the variable kept: ${JSON.stringify(stored)}`);

  // --- "s" opens the picker; inserting fills the variables for this thread; it is sent once --------
  await box.fill("");
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press("s");
  const picker = page.getByTestId("saved-picker");
  await picker.waitFor();
  await picker.getByTestId("saved-search").fill("no such words anywhere");
  await picker.getByText("Nothing matches.").waitFor();
  await picker.getByTestId("saved-search").fill(ref);
  await screenshot(page, "inbox-saved-replies");
  await picker.getByTestId("saved-entry").getByRole("button", { name: "Insert" }).click();
  await picker.waitFor({ state: "detached" });
  const filled = `Thank you ${author}, we answer every message within a day (${ref}).`;
  await waitFor("the filled text in the reply box", async () => (await box.inputValue()) === filled);
  check((await agent.get(`/api/v1/inbox/saved-replies/${stored[0].id}`)).use_count === 1, "the insert counted as a use");
  const before = (await tweetPosts()).length;
  await pane.getByRole("button", { name: "Send reply" }).click();
  const sent = pane.getByTestId("reply").filter({ hasText: filled });
  await waitFor("the reply to reach sent", async () => (await sent.getByTestId("reply-status").getAttribute("data-status")) === "sent", 20000);
  const posts = (await tweetPosts()).slice(before);
  check(posts.length === 1, `one request reached the sandbox, not ${posts.length}`);
  const replies = (await agent.get(`/api/v1/inbox/threads/${comment.id}`)).replies;
  check(replies.length === 1 && replies[0].text === filled, `the filled text was sent: ${JSON.stringify(replies)}`);

  // --- Hide the comment on X, and show it again --------------------------------------------------
  const hides = async () => (await sandboxRequests("x")).filter((r) => r.method === "PUT" && r.path === `/2/tweets/${asked.platform_item_id}/hidden`);
  check(!(await pane.getByTestId("moderate-delete").count()), "X does not let an app delete a reply: no Delete button");
  await pane.getByTestId("moderate-hide").first().click();
  await pane.getByTestId("moderation-state").filter({ hasText: "Hidden on X" }).waitFor();
  check((await hides()).length === 1, "one hide request reached the sandbox");
  await pane.getByTestId("moderate-unhide").first().click();
  await pane.getByTestId("moderation-state").waitFor({ state: "detached" });
  check((await hides()).length === 2, "and one to show it again");

  // --- Promote the comment and its answer to the FAQ ------------------------------------------------
  await pane.getByTestId("promote-button").last().click();
  const promote = page.getByTestId("promote-faq");
  check((await promote.getByTestId("promote-question").inputValue()) === asked.text, "the question is the comment");
  check((await promote.getByTestId("promote-answer").inputValue()) === filled, "the answer is the reply it got");
  // A typo'd variable is refused with a message naming it, and nothing is stored.
  await promote.getByTestId("promote-answer").fill("Hello {{nmae}}, see our help page.");
  await promote.getByRole("button", { name: "Add to FAQ" }).click();
  await promote.getByTestId("promote-error").filter({ hasText: "{{nmae}}" }).waitFor();
  check((await agent.get(`/api/v1/inbox/saved-replies?kind=faq`)).items.length === 0, "nothing stored for the typo");
  const answer = `Hello {{name}}, the answer is on our help page (${ref}).`;
  await promote.getByTestId("promote-answer").fill(answer);
  await promote.getByRole("button", { name: "Add to FAQ" }).click();
  await promote.waitFor({ state: "detached" });
  await pane.getByTestId("faq-notice").waitFor();
  const faq = (await agent.get(`/api/v1/inbox/saved-replies?kind=faq`)).items;
  check(faq.length === 1 && faq[0].question === asked.text && faq[0].text === answer && faq[0].source_item_id === asked.id &&
          faq[0].brand_id === brand.id, `one FAQ entry from the comment: ${JSON.stringify(faq)}`);

  // --- On the DM, an FAQ answer to what was asked is suggested and inserted filled ------------------
  const dmAsked = (await agent.get(`/api/v1/inbox/threads/${dm.id}`)).items.filter((i) => i.direction === "in").at(-1);
  await agent.post("/api/v1/inbox/saved-replies", {
    kind: "faq",
    brand_id: brand.id,
    title: `DM answer ${ref}`,
    question: dmAsked.text,
    text: `{{name}}, {{agent}} from {{brand}} here: we are on it.`,
  });
  await page.goto(`${HERALD}/inbox/${dm.id}`);
  const suggestion = pane.getByTestId("faq-suggestion").filter({ hasText: `DM answer ${ref}` });
  await suggestion.waitFor();
  await screenshot(page, "inbox-faq-suggestion");
  await suggestion.click();
  const dmName = dmAsked.author.name || `@${dmAsked.author.handle}`;
  await waitFor("the suggested answer in the reply box", async () =>
    (await box.inputValue()) === `${dmName}, Mei Community from Acme Tea here: we are on it.`);
}
