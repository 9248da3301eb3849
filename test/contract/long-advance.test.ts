// Moving the service clock 40 days in one call: the hours in which nothing is metered are passed over in one step,
// and every hour something ran in is still billed once, at its end, for what ran in it; the balance pays exactly
// the bill lines.
import { expect, it } from "vitest";
import { HOUR_MS, METERED_UNTIL } from "../../src/billing/metering.js";
import { MICRO } from "../../src/billing/rating.js";
import { isoSeconds } from "../../src/domain/dates.js";
import type { BillRecord } from "../../src/store/store.js";
import { launch, waitFor } from "../helpers/instances.js";
import { cvmClient, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

const DAY_MS = 24 * HOUR_MS;
const MINUTE_MS = 60_000;

let server: TestServer;
let cvm: ReturnType<typeof cvmClient>;

serverForFile((started) => {
  server = started;
  cvm = cvmClient(server);
}, { OPENCVM_TIMING: "instant" });

/** Every bill line of the account from `since` (ms) to now, oldest first. */
async function lines(appId: number, since: number): Promise<BillRecord[]> {
  const out: BillRecord[] = [];
  const months = new Set<string>();
  for (let t = since; t <= server.clock.nowMs() + DAY_MS; t += DAY_MS) months.add(new Date(t).toISOString().slice(0, 7));
  for (const month of months) out.push(...(await server.store.billing.bills(appId, { month }, 0, 10_000)).records);
  return out;
}

it("bills every hour of a 40-day advance once, passing over the idle ones", async () => {
  const appId = server.defaultAccount.account.appId;
  const balance = () => server.store.billing.balance(appId, Math.round(server.config.balance * MICRO));
  const start = server.clock.nowMs();
  const before = await balance();
  // Two pay-as-you-go instances that the clock terminates on its way: one after 5.5 hours, one after 2.
  const terminateAfter = (ms: number) => ({ ActionTimer: { TimerAction: "TerminateInstances", ActionTime: isoSeconds(new Date(start + ms)) } });
  const [longer] = (await launch(cvm, terminateAfter(5 * HOUR_MS + 30 * MINUTE_MS))).InstanceIdSet!;
  const [shorter] = (await launch(cvm, terminateAfter(2 * HOUR_MS))).InstanceIdSet!;
  await waitFor(cvm, [longer, shorter], "RUNNING");

  const advanced = await server.timekeeper.advance(40 * DAY_MS);
  expect((await cvm.DescribeInstances({ InstanceIds: [longer, shorter] })).TotalCount).toBe(0);
  // The common mark went through every ended hour.
  const lastHour = Math.floor(server.clock.nowMs() / HOUR_MS) * HOUR_MS;
  expect(Number(await server.store.billing.state(METERED_UNTIL))).toBe(lastHour);
  expect(advanced.hoursSettled).toBeGreaterThanOrEqual(40 * 24);

  const all = await lines(appId, start);
  for (const [id, ranMs] of [
    [longer, 5 * HOUR_MS + 30 * MINUTE_MS],
    [shorter, 2 * HOUR_MS],
  ] as const) {
    const own = all.filter((l) => l.resourceId === id && l.businessCode === "p_cvm");
    // One line an hour the instance ran in, each ending at its hour's end, and none twice.
    const hours = own.map((l) => Date.parse(l.payTime));
    expect(new Set(hours).size).toBe(hours.length);
    for (const l of own) expect(Date.parse(l.payTime) % HOUR_MS).toBe(0);
    const expected = Math.ceil((start + ranMs) / HOUR_MS) - Math.floor(start / HOUR_MS);
    expect(own.length).toBe(expected);
    // Together the lines cover the time it ran, to the second (launch and termination are instant).
    const covered = own.reduce((s, l) => s + Date.parse(l.feeEnd) - Date.parse(l.feeBegin), 0);
    expect(Math.abs(covered - ranMs)).toBeLessThanOrEqual(2_000);
  }
  // Nothing was billed in the idle days after, and the cash paid exactly what the lines say.
  expect(all.every((l) => Date.parse(l.payTime) <= start + 6 * HOUR_MS + HOUR_MS)).toBe(true);
  const billed = all.reduce((s, l) => s + l.amount, 0);
  const after = await balance();
  expect(before.cash - after.cash).toBe(billed);
});
