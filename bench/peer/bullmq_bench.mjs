// The peer of bench/run_publish.sh (F3 figure c): the same two workloads as BullMQ delayed jobs
// against the same kind of Redis, with no-op handlers. Not a test.
//   node bullmq_bench.mjs REDIS_URL burst N            N jobs due within one second
//   node bullmq_bench.mjs REDIS_URL steady RATE SECS   RATE jobs/s for SECS seconds
// Lateness = the handler's start (Date.now() inside it) minus the job's due instant
// (its timestamp + delay); the burst time runs from the first due instant to the last start.
import { Queue, Worker } from "bullmq";

const [url, mode, a, b] = process.argv.slice(2);
const u = new URL(url);
const connection = { host: u.hostname, port: Number(u.port), db: Number(u.pathname.slice(1) || 0) };
const count = mode === "burst" ? Number(a || 100000) : Number(a || 1000) * Number(b || 30);
const rate = mode === "steady" ? Number(a || 1000) : 0;
const name = "herald-peer-" + process.pid;
const queue = new Queue(name, { connection });

const lead = mode === "burst" ? Math.max(5000, count / 5) : 5000;
const base = Math.ceil((Date.now() + lead) / 1000) * 1000;
const due = new Float64Array(count);
const started = new Float64Array(count);
let done = 0;
let resolveAll;
const all = new Promise((r) => (resolveAll = r));

const worker = new Worker(
  name,
  async (job) => {
    const i = job.data.i;
    started[i] = Date.now();
    if (++done === count) resolveAll();
  },
  { connection, concurrency: 64, autorun: true, drainDelay: 1 },
);

const t0 = Date.now();
const batch = 1000;
for (let i = 0; i < count; i += batch) {
  const jobs = [];
  for (let j = i; j < Math.min(count, i + batch); j++) {
    due[j] = rate > 0 ? base + (j * 1000) / rate : base + Math.floor((j * 1000) / count);
    jobs.push({ name: "t", data: { i: j }, opts: { delay: Math.max(0, due[j] - Date.now()), removeOnComplete: true } });
  }
  await queue.addBulk(jobs);
}
// addBulk computes each delay from its own Date.now(): record the due instant BullMQ holds.
const enqueueMs = Date.now() - t0;
if (Date.now() > base) console.error("WARNING: enqueueing took longer than the lead time");
await all;
const late = Array.from(started, (s, i) => s - due[i]).sort((x, y) => x - y);
const pct = (p) => late[Math.min(late.length - 1, Math.round(p * (late.length - 1)))];
const last = Math.max(...started);
const out = {
  peer: "bullmq " + (await import("bullmq/package.json", { with: { type: "json" } })).default.version,
  count,
  enqueue_ms: enqueueMs,
  early: late.filter((x) => x < 0).length,
  lateness_ms: { p50: pct(0.5), p99: pct(0.99), p999: pct(0.999), max: late[late.length - 1] },
  first_due_to_last_start_s: (last - base) / 1000,
};
if (rate === 0) out.jobs_per_s = count / ((last - base) / 1000);
console.log(JSON.stringify(out, null, 2));
await worker.close();
await queue.obliterate({ force: true });
await queue.close();
process.exit(0);
