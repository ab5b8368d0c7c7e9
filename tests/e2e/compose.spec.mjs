// The composer and the approvals queue in the browser: a planner writes one post for an X and a
// Mastodon account; the live counters count as each platform does (X weighs CJK characters 2,
// Mastodon 1), the server's refusal names the X account, X gets its own shorter text, the post
// goes to review; a social media manager and a legal reviewer approve it from the queue (a
// rejection without a reason is refused first). Checked through the API.
import { admin, check, Client, connectAccount, createBrand, createMember, screenshot, signIn, unique } from "./lib.mjs";

export default async function (t) {
  const root = await admin();
  const brand = await createBrand(root, "Acme Tea");
  const xId = await connectAccount(root, brand.id, "x", unique("acme").replaceAll("-", "_"));
  const mastodonId = await connectAccount(root, brand.id, "mastodon", unique("acme").replaceAll("-", "_"));
  const planner = await createMember(root, brand.id, "content_planner");
  const manager = await createMember(root, brand.id, "social_media_manager");
  const legal = await createMember(root, brand.id, "legal_reviewer");
  const platforms = (await root.get("/api/v1/platforms")).items;
  const xMax = platforms.find((p) => p.platform === "x").text.max_length;
  const mMax = platforms.find((p) => p.platform === "mastodon").text.max_length;

  const page = await t.page();
  await signIn(page, planner.email, planner.password);
  await page.getByTestId("brand-switcher").selectOption(brand.id);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Compose" }).click();
  await page.getByRole("checkbox", { name: /^x ·/ }).check();
  await page.getByRole("checkbox", { name: /^mastodon ·/ }).check();
  await page.getByLabel("Title (internal)").fill("Spring tea");

  // 150 CJK characters: X counts 300, Mastodon 150.
  const long = "春茶上市，欢迎品尝。".repeat(15);
  await page.getByTestId("compose-text").fill(long);
  const xCounter = page.getByTestId("counter-x");
  const mCounter = page.getByTestId("counter-mastodon");
  check((await xCounter.textContent()) === `300 / ${xMax}`, `X counter: ${await xCounter.textContent()}`);
  check((await mCounter.textContent()) === `150 / ${mMax}`, `Mastodon counter: ${await mCounter.textContent()}`);
  check((await xCounter.getAttribute("class")).includes("over") === 300 > xMax, "the X counter shows the overflow");
  // Hashtags count too, as the platform receives them.
  await page.getByLabel("Hashtags (separated by spaces or commas)").fill("springtea");
  check((await mCounter.textContent()) === `${150 + 11} / ${mMax}`, `with the hashtag: ${await mCounter.textContent()}`);
  await screenshot(page, "compose-over-limit");

  // The server refuses and says which account and why; nothing is created.
  await page.getByRole("button", { name: "Save and submit for review" }).click();
  const error = page.getByTestId("compose-error");
  await error.waitFor();
  const said = await error.textContent();
  check(/X/.test(said) && /limit/.test(said), `the refusal names X and the limit: ${said}`);
  const before = await new Client().login(planner.email, planner.password);
  check((await before.get(`/api/v1/posts?brand_id=${brand.id}`)).items.length === 0, "nothing stored after a refusal");

  // X gets its own text; the post goes to review.
  await page.getByTestId("preview-x").getByRole("checkbox", { name: "Own text for this account" }).check();
  await page.getByRole("textbox", { name: /^Text for x ·/ }).fill("Spring tea is here 🍵");
  check(!(await xCounter.getAttribute("class")).includes("over"), "X is within its limit now");
  await page.getByRole("button", { name: "Save and submit for review" }).click();
  await page.getByTestId("compose-done").waitFor();
  const [summary] = (await before.get(`/api/v1/posts?brand_id=${brand.id}`)).items;
  const post = await before.get(`/api/v1/posts/${summary.id}`);
  check(post.targets.length === 2 && post.targets.every((x) => x.state === "IN_REVIEW"), `in review: ${post.status}`);
  const xTarget = post.targets.find((x) => x.account_id === xId);
  const mTarget = post.targets.find((x) => x.account_id === mastodonId);
  check(xTarget.text === "Spring tea is here 🍵" && mTarget.text === long, "each account keeps its own text");
  check(JSON.stringify(mTarget.hashtags) === '["springtea"]', `hashtags: ${JSON.stringify(mTarget.hashtags)}`);

  // The manager's queue: a rejection needs a reason; approve.
  const mp = await t.page();
  await signIn(mp, manager.email, manager.password);
  await mp.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Approvals" }).click();
  const item = mp.locator(`[data-testid=approval-item][data-post-id="${post.id}"]`);
  await item.waitFor();
  await item.getByRole("button", { name: "Reject" }).click();
  await item.getByText("Give a reason to reject.").waitFor();
  await screenshot(mp, "approvals");
  await item.getByRole("button", { name: "Approve" }).click();
  await item.getByText(/legal: 0 of 1/).waitFor();

  // The legal reviewer completes the review.
  const lp = await t.page();
  await signIn(lp, legal.email, legal.password);
  await lp.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Approvals" }).click();
  await lp.locator(`[data-testid=approval-item][data-post-id="${post.id}"]`).getByRole("button", { name: "Approve" }).click();
  await lp.getByText("Nothing waiting for review.").waitFor();
  const done = await before.get(`/api/v1/posts/${post.id}`);
  check(done.targets.every((x) => x.state === "APPROVED"), `approved: ${done.status}`);
}
