// The marketing team's journey in the browser: an approved post without a slot is dragged from
// the calendar's side list onto the slot that has begun, goes out at once, and the calendar shows
// it published; the sandbox has it exactly once. A scheduled post dragged to another day moves
// its slot by that day. Screenshots of the month, week, day and list views.
import {
  CONTROL,
  HERALD,
  admin,
  check,
  Client,
  connectAccount,
  createBrand,
  createMember,
  screenshot,
  signIn,
  unique,
  waitFor,
} from "./lib.mjs";

// planner writes and submits, manager and legal approve: the default review (review + legal).
async function approvedPost(team, title, text, slot) {
  const body = {
    brand_id: team.brand.id,
    title,
    content_type: "news",
    form: "image_text",
    variants: [{ account_id: team.accountId, text }],
  };
  if (slot) Object.assign(body, { scheduled_at: slot, zone: "Asia/Shanghai" });
  const post = await team.planner.post("/api/v1/posts", body);
  await team.planner.post(`/api/v1/posts/${post.id}/submit`);
  await team.manager.post(`/api/v1/posts/${post.id}/decisions`, { verdict: "approve" });
  await team.legal.post(`/api/v1/posts/${post.id}/decisions`, { verdict: "approve" });
  const after = await team.manager.get(`/api/v1/posts/${post.id}`);
  // Approved with a slot is scheduled at once; without one it waits in the calendar's side list.
  const want = slot ? "SCHEDULED" : "APPROVED";
  check(after.targets[0].state === want, `the post is ${want}: ${after.targets[0].state}`);
  return post;
}

// Drags from the centre of one element to a point (page coordinates in the viewport).
async function drag(page, from, to) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 8, from.y + 8, { steps: 4 });
  await page.mouse.move(to.x, to.y, { steps: 20 });
  await page.mouse.up();
}
const centre = (box) => ({ x: box.x + box.width / 2, y: box.y + box.height / 2 });

export default async function (t) {
  const root = await admin();
  const brand = await createBrand(root, "Acme Tea");
  const handle = unique("acme").replaceAll("-", "_");
  const accountId = await connectAccount(root, brand.id, "mastodon", handle);
  const members = {};
  for (const role of ["content_planner", "social_media_manager", "legal_reviewer"]) {
    const m = await createMember(root, brand.id, role);
    members[role] = { ...m, client: await new Client().login(m.email, m.password) };
  }
  const team = {
    brand,
    accountId,
    planner: members.content_planner.client,
    manager: members.social_media_manager.client,
    legal: members.legal_reviewer.client,
  };
  const text = `Spring tea is here ${unique("t")}`;
  const post = await approvedPost(team, "Spring launch", text);
  // 10:00 tomorrow in Asia/Shanghai (UTC+8, no daylight saving): tomorrow by Shanghai's date,
  // which from 16:00 UTC on is a day ahead of UTC's.
  const shanghai = new Date(Date.now() + 8 * 3600_000);
  const tomorrow = new Date(
    Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth(), shanghai.getUTCDate() + 1, 2, 0, 0),
  );
  const later = await approvedPost(team, "Tasting notes", `Notes ${unique("n")}`, tomorrow.toISOString().replace(/\.\d+Z$/, "Z"));

  const page = await t.page();
  await signIn(page, members.social_media_manager.email, members.social_media_manager.password);
  await page.getByTestId("brand-switcher").selectOption(brand.id);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Calendar" }).click();
  const zoneNote = await page.getByTestId("calendar-zone").textContent();
  check(zoneNote.includes("Asia/Shanghai"), `the calendar names its time zone: ${zoneNote}`);

  // Week view: the scheduled post is there; drag it one day later.
  const event = page.locator(`[data-testid=calendar-event][data-post-id="${later.id}"]`);
  if (!(await event.isVisible().catch(() => false))) {
    // Tomorrow may be in next week's view.
    await page.getByRole("button", { name: /next/i }).click();
  }
  await event.waitFor();
  check((await event.getAttribute("data-status")) === "SCHEDULED", "the scheduled post shows as scheduled");
  await screenshot(page, "week");
  // Into the middle of the time grid: near its edge FullCalendar scrolls while dragging, which
  // would move the slot in time as well (the grid starts scrolled to the current hour).
  await event.evaluate((el) => el.scrollIntoView({ block: "center" }));
  const box = await event.boundingBox();
  const dayWidth = await page.locator(".fc-timegrid-col").nth(1).evaluate((el) => el.getBoundingClientRect().width);
  const from = centre(box);
  // One column to the right, or to the left when tomorrow is the week's last day.
  const isSunday = new Date(tomorrow.getTime() + 8 * 3600_000).getUTCDay() === 0;
  const shift = isSunday ? -1 : 1;
  await drag(page, from, { x: from.x + shift * dayWidth, y: from.y });
  await page.getByTestId("calendar-notice").waitFor();
  const moved = await waitFor("the slot to move by one day", async () => {
    const p = await team.manager.get(`/api/v1/posts/${later.id}`);
    return Date.parse(p.scheduled_at) - tomorrow.getTime() === shift * 86400_000 ? p : null;
  });
  check(moved.zone === "Asia/Shanghai", `the zone is kept: ${moved.zone}`);


  // Day view (today): drag the unscheduled approved post onto the slot that has begun.
  await page.getByRole("button", { name: "today" }).click().catch(() => {});
  await page.getByRole("button", { name: "Day", exact: true }).click();
  const item = page.locator(`.unscheduled-item[data-post-id="${post.id}"]`);
  await item.waitFor();
  const now = page.locator(".fc-timegrid-now-indicator-line");
  await now.waitFor();
  await now.scrollIntoViewIfNeeded();
  await item.scrollIntoViewIfNeeded();
  const nowBox = await now.boundingBox();
  await drag(page, centre(await item.boundingBox()), { x: nowBox.x + nowBox.width / 2, y: nowBox.y - 2 });
  const notice = page.getByTestId("calendar-notice");
  await notice.waitFor();
  const said = await notice.textContent();
  check(/Scheduled|as soon as possible/.test(said), `the calendar confirms the slot: ${said}`);
  await screenshot(page, "day-scheduled");

  // It is published by the scheduler and the worker; the calendar shows it without a reload.
  const published = page.locator(`[data-testid=calendar-event][data-post-id="${post.id}"][data-status=PUBLISHED]`);
  await published.waitFor({ timeout: 60000 });
  await screenshot(page, "day-published");

  // At the platform (the sandbox): exactly one status with the text, made by one request.
  const state = await (await fetch(`${CONTROL}/_sandbox/state?platform=mastodon&handle=${handle}`)).json();
  const ours = state.posts.filter((p) => p.text.includes(text));
  check(ours.length === 1, `one status with the text at the sandbox, found ${ours.length}`);
  const api = await team.manager.get(`/api/v1/posts/${post.id}`);
  check(api.targets[0].state === "PUBLISHED" && api.targets[0].platform_post_id === ours[0].id, "the API agrees");

  await page.getByRole("button", { name: "Month", exact: true }).click();
  await screenshot(page, "month");
  await page.getByRole("button", { name: "List", exact: true }).click();
  // (A post published in the last hour before midnight in the brand's zone spans two days of
  // the list, so it may be listed twice.)
  await page.locator(`[data-testid=calendar-event][data-post-id="${post.id}"]`).first().waitFor();
  await screenshot(page, "list");
  check(HERALD.startsWith("http"), "herald address");
}
