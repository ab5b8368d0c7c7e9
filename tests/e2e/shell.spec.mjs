// Sign-in, the role-aware navigation, the language switch, and a screenshot of each main screen.
import { ADMIN, HERALD, admin, check, createBrand, createMember, screenshot, signIn } from "./lib.mjs";

export default async function (t) {
  const root = await admin();
  const brand = await createBrand(root, "Acme Tea");

  // A wrong password gets a clear message and no session.
  const page = await t.page();
  await page.goto(HERALD + "/");
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("alert").waitFor();
  await screenshot(page, "login-refused");

  await signIn(page, ADMIN.email, ADMIN.password);
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const item of ["Calendar", "Compose", "Approvals", "Inbox", "Crisis", "Accounts"]) {
    await nav.getByRole("link", { name: item }).waitFor();
  }
  for (const [item, file] of [
    ["Calendar", "calendar"],
    ["Compose", "compose"],
    ["Approvals", "approvals"],
    ["Inbox", "inbox"],
    ["Crisis", "crisis"],
    ["Accounts", "accounts"],
  ]) {
    await nav.getByRole("link", { name: item }).click();
    check(new URL(page.url()).pathname === `/${file}`, `${item} opens /${file}, not ${page.url()}`);
    // The screen's code loads on first use: wait for it (the "Loading…" placeholder gone).
    await page.waitForFunction(() => !document.querySelector("main .center-note"));
    await page.waitForLoadState("networkidle");
    await screenshot(page, file);
  }

  // The language switch relabels the app and is remembered across reloads.
  await page.getByTestId("locale-switcher").selectOption("zh-CN");
  await nav.getByRole("link", { name: "收件箱" }).waitFor();
  await page.reload();
  await nav.getByRole("link", { name: "内容日历" }).waitFor();
  await page.getByTestId("locale-switcher").selectOption("zh-TW");
  await nav.getByRole("link", { name: "收件匣" }).waitFor();
  await page.getByTestId("locale-switcher").selectOption("en");

  // A community manager sees the inbox but not the composer, approvals or the account tools.
  const cm = await createMember(root, brand.id, "community_manager");
  const other = await t.page();
  await signIn(other, cm.email, cm.password);
  const cmNav = other.getByRole("navigation", { name: "Main" });
  await cmNav.getByRole("link", { name: "Inbox" }).waitFor();
  const links = await cmNav.getByRole("link").allTextContents();
  check(!links.includes("Compose") && !links.includes("Approvals"), `community manager's navigation: ${links}`);

  // Signing out ends the session: the API refuses the old cookie and the app shows sign-in.
  await other.getByRole("button", { name: "Sign out" }).click();
  await other.getByRole("button", { name: "Sign in" }).waitFor();
  const me = await other.evaluate(async () => (await fetch("/api/v1/me")).status);
  check(me === 401, `after sign-out /api/v1/me answers ${me}`);

  // Phone width: the navigation still reaches every screen.
  const phone = await t.page({ width: 390, height: 844 });
  await signIn(phone, ADMIN.email, ADMIN.password);
  await phone.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Inbox" }).click();
  await phone.waitForFunction(() => !document.querySelector("main .center-note"));
  await phone.waitForLoadState("networkidle");
  const wide = await phone.evaluate(() => document.documentElement.scrollWidth);
  check(wide <= 390, `the phone layout does not scroll sideways (${wide} px wide)`);
  await screenshot(phone, "phone-inbox");
}
