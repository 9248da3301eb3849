// Reading an account's money in tests: amounts in the store's millionths, its cash, frozen amount and debt, and the
// bill lines of one resource over the last few months of the service clock.
import { MICRO } from "../../src/billing/rating.js";
import { HOUR_MS } from "../../src/billing/metering.js";
import type { Balance, BillRecord } from "../../src/store/store.js";
import type { TestServer } from "./server.js";

export const micro = (amount: number): number => Math.round(amount * MICRO);

export function balanceOf(server: TestServer, appId: number): Promise<Balance> {
  return server.store.billing.balance(appId, micro(server.config.balance));
}

/** The resource's bill lines of this month and the two before, oldest first. */
export async function linesOf(server: TestServer, appId: number, resourceId: string): Promise<BillRecord[]> {
  const months = new Set([0, 1, 2].map((back) => new Date(server.clock.nowMs() - back * 28 * 24 * HOUR_MS).toISOString().slice(0, 7)));
  const out: BillRecord[] = [];
  for (const month of months) out.push(...(await server.store.billing.bills(appId, { month, resourceId }, 0, 10_000)).records);
  return out.sort((a, b) => a.payTime.localeCompare(b.payTime) || a.billId.localeCompare(b.billId));
}

/** The lines that settle a whole hour. */
export const fullHours = (lines: readonly BillRecord[]): BillRecord[] => lines.filter((l) => Date.parse(l.feeEnd) - Date.parse(l.feeBegin) === HOUR_MS);
