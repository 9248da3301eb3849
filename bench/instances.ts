// npm run bench:instances: DescribeInstances latency (a filtered page of 100, and one instance by id) and
// RunInstances of 100 at 10,000, 100,000 and 1,000,000 instances in one account, the server's resident memory, and
// the same requests against a bare node:http server that checks the signature and answers the same bytes (the
// ceiling); each figure beside its target (issue #15), met or missed.
// Settings (environment): BENCH_SCALES (10000,100000,1000000), BENCH_SAMPLES per latency (300), BENCH_RUN_CALLS (30).
// The instances are written straight into the store before the server starts: building 100,000 through the API
// would measure the setup, not the queries, and would need address space beyond the default /20 subnets.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { call, child, freePort, median, percentile, rssMiB, SECRET_ID, SECRET_KEY } from "./common.js";
import { seed, ZONES } from "./seed.js";

const env = process.env;
const SCALES = (env.BENCH_SCALES ?? "10000,100000,1000000").split(",").map(Number);
const SAMPLES = Number(env.BENCH_SAMPLES ?? 300);
const RUN_CALLS = Number(env.BENCH_RUN_CALLS ?? 30);
const FILTERED = { Limit: 100, Filters: [{ Name: "zone", Values: ["ap-guangzhou-3"] }, { Name: "tag:env", Values: ["prod"] }] };

/** `samples` sequential calls (concurrency 1, the latency a client waits), after a short warm-up. */
async function latencies(port: number, action: string, params: () => object, samples: number): Promise<number[]> {
  for (let i = 0; i < 20; i++) await call(port, action, params());
  const out: number[] = [];
  for (let i = 0; i < samples; i++) out.push((await call(port, action, params())).ms);
  return out;
}

/** The bare ceiling answering `answer` for every request. */
async function ceiling(answer: string): Promise<{ port: number; stop: () => void }> {
  const file = join(tmpdir(), `opencvm-bench-answer-${process.pid}.json`);
  writeFileSync(file, answer);
  const { proc, match } = await child("dist/bench/bare-server.js", { BARE_SECRET_ID: SECRET_ID, BARE_SECRET_KEY: SECRET_KEY, BARE_ANSWER_FILE: file }, /^(\d+)\n/m);
  return { port: Number(match[1]), stop: () => proc.kill("SIGKILL") };
}

const fmt = (ms: number) => ms.toFixed(2);
const rows: string[][] = [];
/** A target's wording and whether `figure` meets it; no target at this scale when `applies` is false. */
const target = (applies: boolean, text: string, met: boolean) => (applies ? `${text}: ${met ? "met" : "missed"}` : "");

for (const scale of SCALES) {
  const data = mkdtempSync(join(tmpdir(), "opencvm-bench-"));
  try {
    const t0 = performance.now();
    const ids = await seed(data, scale);
    const seeded = (performance.now() - t0) / 1000;
    const port = await freePort();
    const server = await child(
      "dist/src/cli.js",
      { OPENCVM_DATA: data, OPENCVM_PORT: String(port), OPENCVM_SECRET_ID: SECRET_ID, OPENCVM_SECRET_KEY: SECRET_KEY, OPENCVM_RATE_LIMIT: "off", OPENCVM_TIMING: "instant", OPENCVM_LOG_LEVEL: "info" },
      /OpenCVM listening/,
    );
    const pick = () => ids[Math.floor(Math.random() * ids.length)];
    const filtered = await latencies(port, "DescribeInstances", () => FILTERED, SAMPLES);
    const byId = await latencies(port, "DescribeInstances", () => ({ InstanceIds: [pick()] }), SAMPLES);
    const page = (await call(port, "DescribeInstances", FILTERED)).body;
    const one = (await call(port, "DescribeInstances", { InstanceIds: [pick()] })).body;
    const runs: number[] = [];
    for (let i = 0; i < RUN_CALLS; i++) {
      const params = { Placement: { Zone: ZONES[i % ZONES.length] }, ImageId: "img-487zeit5", InstanceType: "S5.SMALL1", InstanceCount: 100 };
      runs.push((await call(port, "RunInstances", params)).ms);
    }
    const rss = rssMiB(server.proc.pid!);
    server.proc.kill("SIGKILL");

    const bare = await ceiling(page);
    const bareFiltered = await latencies(bare.port, "DescribeInstances", () => FILTERED, SAMPLES);
    bare.stop();
    const bareOne = await ceiling(one);
    const bareById = await latencies(bareOne.port, "DescribeInstances", () => ({ InstanceIds: [pick()] }), SAMPLES);
    bareOne.stop();

    console.log(`${scale} instances: seeded in ${seeded.toFixed(1)} s; page ${(page.length / 1024).toFixed(0)} KiB; load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
    const filteredRatio = median(filtered) / median(bareFiltered);
    const byIdRatio = median(byId) / median(bareById);
    rows.push(
      [String(scale), "DescribeInstances, zone + tag filter, Limit 100", fmt(median(filtered)), fmt(percentile(filtered, 99)), fmt(median(bareFiltered)), filteredRatio.toFixed(2), target(scale >= 100_000, "≤ 4× ceiling", filteredRatio <= 4)],
      [String(scale), "DescribeInstances, one id", fmt(median(byId)), fmt(percentile(byId, 99)), fmt(median(bareById)), byIdRatio.toFixed(2), target(true, "≤ 1.5× ceiling", byIdRatio <= 1.5)],
      [String(scale), "RunInstances, 100 instances", fmt(median(runs)), fmt(percentile(runs, 99)), "", "", target(scale >= 1_000_000, "≤ 25 ms", median(runs) <= 25)],
      [String(scale), "server RSS after the run (MiB)", rss.toFixed(0), "", "", "", target(scale >= 1_000_000, "≤ 400 MiB", rss <= 400)],
    );
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
}

const header = ["instances", "measure", "OpenCVM median ms", "p99 ms", "ceiling median ms", "× ceiling", "target"];
console.log(`\n| ${header.join(" | ")} |\n| ${header.map(() => "---").join(" | ")} |`);
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
process.exit(0);
