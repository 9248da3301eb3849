// How long moving the service clock a month forward takes (POST /_opencvm/clock {"Advance":"30d"}), with and without
// pay-as-you-go instances to bill: the month's 720 hourly settlements, one bill line per instance and hour. The
// baseline is the same month over the same server with nothing to bill, measured in the same run.
//
//   npm run bench:clock        BENCH_INSTANCES (1000), BENCH_ROUNDS (3)
import { MICRO } from "../src/billing/rating.js";
import { loadConfig } from "../src/config.js";
import { QUOTA_NAMES } from "../src/domain/quotas.js";
import { createLogger } from "../src/log.js";
import { start } from "../src/main.js";
import { call, median, SECRET_ID, SECRET_KEY } from "./common.js";

const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MONTH_MS = 30 * 86_400_000;

const config = loadConfig(
  { OPENCVM_PORT: "0", OPENCVM_DATA: ":memory:", OPENCVM_TIMING: "instant", OPENCVM_RATE_LIMIT: "off", OPENCVM_SECRET_ID: SECRET_ID, OPENCVM_SECRET_KEY: SECRET_KEY },
  [],
);
const server = await start(config, { log: createLogger("warn") });
const appId = server.defaultAccount.account.appId;
for (const quota of QUOTA_NAMES) await server.store.accounts.setQuota(appId, quota, 1_000_000);
// Months of a thousand instances must not run the account into arrears (isolation would end the billing).
await server.store.billing.setCash(appId, 1e9 * MICRO, 0);

/** The wall time of advancing a month, and the hours it settled. */
async function month(): Promise<{ ms: number; hours: number }> {
  const t = performance.now();
  const done = await server.timekeeper.advance(MONTH_MS);
  return { ms: performance.now() - t, hours: done.hoursSettled };
}

/** Launches `count` pay-as-you-go instances, 100 a call, and waits for them to run. */
async function launch(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let left = count; left > 0; left -= 100) {
    const { response } = await call(server.port, "RunInstances", { Placement: { Zone: "ap-guangzhou-3" }, ImageId: "img-487zeit5", InstanceType: "S5.MEDIUM4", InstanceCount: Math.min(100, left) });
    ids.push(...(response.InstanceIdSet as string[]));
  }
  await server.engine.idle();
  return ids;
}

const baseline: number[] = [];
const loaded: number[] = [];
const ids = await launch(INSTANCES);
process.stderr.write(`${ids.length} pay-as-you-go instances running\n`);
for (let round = 0; round < ROUNDS; round++) {
  loaded.push((await month()).ms);
  process.stderr.write(`round ${round + 1}: a month with ${ids.length} instances in ${loaded.at(-1)!.toFixed(0)} ms\n`);
}
for (let i = 0; i < ids.length; i += 100) await call(server.port, "TerminateInstances", { InstanceIds: ids.slice(i, i + 100) });
await server.engine.idle();
for (let round = 0; round < ROUNDS; round++) {
  baseline.push((await month()).ms);
  process.stderr.write(`round ${round + 1}: an empty month in ${baseline.at(-1)!.toFixed(0)} ms\n`);
}
await server.close();

const perResourceHour = ((median(loaded) - median(baseline)) * 1000) / (ids.length * 720);
process.stdout.write(
  [
    "| measure | median |",
    "| --- | ---: |",
    `| a month (720 settlements) with nothing to bill | ${median(baseline).toFixed(0)} ms |`,
    `| a month with ${ids.length} pay-as-you-go instances (${ids.length * 720} bill lines) | ${median(loaded).toFixed(0)} ms |`,
    `| × the empty month | ${(median(loaded) / median(baseline)).toFixed(1)} |`,
    `| added per instance and hour | ${perResourceHour.toFixed(1)} µs |`,
  ].join("\n") + "\n",
);
