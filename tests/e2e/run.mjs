// Runs one spec: node run.mjs <name>.spec.mjs. The spec's default export is an async function
// of `t` ({ browser, page(options) }) that throws on failure. This launches the browser, prints
// the outcome, saves a screenshot of every page the spec opened when it fails (failure-N.png),
// closes everything and exits non-zero on failure. A spec is bounded (E2E_TIMEOUT_S, default 150).
import { join } from "node:path";
import { launch, newPage, screenshot, setArtifactsDir } from "./lib.mjs";

const spec = process.argv[2];
if (!spec) {
  console.error("usage: node run.mjs <spec file>");
  process.exit(2);
}
const name = spec.replace(/\.spec\.mjs$/, "");
setArtifactsDir(join(process.env.E2E_ARTIFACTS ?? "e2e-artifacts", name));
const limit = Number(process.env.E2E_TIMEOUT_S ?? 150) * 1000;
const timer = setTimeout(() => {
  console.error(`FAIL ${name}: still running after ${limit / 1000} s`);
  process.exit(1);
}, limit);

const t0 = Date.now();
let browser;
const pages = [];
let failed = false;
try {
  const mod = await import(new URL(spec, import.meta.url));
  browser = await launch();
  const t = {
    browser,
    async page(options) {
      const p = await newPage(browser, options);
      pages.push(p);
      return p;
    },
  };
  await mod.default(t);
  for (const p of pages) {
    if (p.errors.length) throw new Error(`uncaught errors in the page: ${p.errors.join("; ")}`);
  }
  console.log(`PASS ${name} (${Date.now() - t0} ms)`);
} catch (e) {
  failed = true;
  console.error(`FAIL ${name}: ${e.stack ?? e}`);
  for (const [i, p] of pages.entries()) {
    await screenshot(p, `failure-${i}`).catch(() => {});
  }
} finally {
  await browser?.close().catch(() => {});
  clearTimeout(timer);
}
process.exit(failed ? 1 : 0);
