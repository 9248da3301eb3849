// A price change between runs (an operator's new catalog file) re-rates what is running from the restart: hours
// before it were billed at the old price, hours after it at the new one; a restart with the same prices re-rates
// nothing.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HOUR_MS } from "../../src/billing/metering.js";
import { MICRO } from "../../src/billing/rating.js";
import { DEFAULT_CATALOG } from "../../src/catalog/index.js";
import { launch, waitFor } from "../helpers/instances.js";
import { cvmClient, startServer } from "../helpers/server.js";

const micro = (amount: number) => Math.round(amount * MICRO);

describe("a price change between runs", () => {
  it("bills running instances at the new price from the restart, and a restart without one changes nothing", { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "opencvm-rerate-"));
    const data = join(dir, "data");
    const file = join(dir, "catalog.json");
    const catalog = structuredClone(DEFAULT_CATALOG);
    writeFileSync(file, JSON.stringify(catalog));
    const env = { OPENCVM_DATA: data, OPENCVM_CATALOG: file, OPENCVM_TIMING: "instant" };

    const first = await startServer(env);
    const [id] = (await launch(cvmClient(first))).InstanceIdSet!;
    await waitFor(cvmClient(first), [id], "RUNNING");
    const before = await hourly(first);
    await first.timekeeper.advance(2 * HOUR_MS);
    await first.close();

    const same = await startServer(env);
    expect(same.logs.some((l) => l.includes("re-rated"))).toBe(false);
    await same.close();

    const table = catalog.prices["ap-guangzhou"].instanceTypes["S5.MEDIUM4"];
    table.POSTPAID_BY_HOUR = table.POSTPAID_BY_HOUR! * 2;
    writeFileSync(file, JSON.stringify(catalog));
    const second = await startServer(env);
    try {
      expect(second.logs.some((l) => l.includes("re-rated") && l.includes("resources=1"))).toBe(true);
      const after = await hourly(second);
      expect(after).toBeGreaterThan(before);
      const restartedAt = second.clock.nowMs();
      await second.timekeeper.advance(3 * HOUR_MS);
      const appId = second.defaultAccount.account.appId;
      const lines = [];
      for (const month of new Set([restartedAt - 3 * HOUR_MS, second.clock.nowMs()].map((t) => new Date(t).toISOString().slice(0, 7)))) {
        lines.push(...(await second.store.billing.bills(appId, { month, resourceId: id }, 0, 100)).records);
      }
      const whole = lines.filter((l) => Date.parse(l.feeEnd) - Date.parse(l.feeBegin) === HOUR_MS);
      const earlier = whole.filter((l) => Date.parse(l.feeEnd) <= restartedAt);
      expect(earlier.length).toBeGreaterThanOrEqual(1);
      for (const l of earlier) expect(l.amount).toBe(before);
      const later = whole.filter((l) => Date.parse(l.feeBegin) >= restartedAt);
      expect(later.length).toBeGreaterThanOrEqual(2);
      for (const l of later) expect(l.amount).toBe(after);
    } finally {
      await second.close();
    }
  });
});

/** An hour of the default launch at the server's prices, as InquiryPriceRunInstances quotes it. */
async function hourly(server: Awaited<ReturnType<typeof startServer>>): Promise<number> {
  const q = await cvmClient(server).InquiryPriceRunInstances({ Placement: { Zone: "ap-guangzhou-3" }, ImageId: "img-487zeit5", InstanceType: "S5.MEDIUM4" } as never);
  return micro(q.Price!.InstancePrice!.UnitPrice!);
}
