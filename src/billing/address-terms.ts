// What happens when a monthly EIP's term (BANDWIDTH_PREPAID_BY_MONTH) ends: flagged NOTIFY_AND_AUTO_RENEW and paid
// for, it is renewed for a month from its old deadline; otherwise it is isolated (IsArrears) and costs nothing until
// RenewAddresses brings it back or ReleaseAddresses frees it (docs/billing.md).
import type { Deps } from "../deps.js";
import { addMonths } from "../domain/dates.js";
import { TencentError } from "../domain/errors.js";
import { jobActor } from "../instances/actor.js";
import type { AddressRecord, Store } from "../store/store.js";
import { addressTermCost, chargeAddress, INSUFFICIENT_BALANCE } from "./ledger.js";

/** When the next monthly EIP's term ends after `after` (ms), if any. */
export function nextAddressTermDue(deps: Deps, after: number): Promise<number | undefined> {
  return deps.store.addresses.nextExpiry(after);
}

/** Renews or isolates every monthly EIP whose term has ended by the clock's time. */
export async function applyAddressTerms(deps: Deps): Promise<void> {
  for (const a of await deps.store.addresses.expiring(deps.clock.nowMs())) {
    if (a.term!.renewFlag === "NOTIFY_AND_AUTO_RENEW" && (await autoRenew(deps, a))) continue;
    const isolated = await deps.store.transaction(async (tx) => {
      const now = await stillDue(tx, a);
      if (now) await tx.addresses.update({ ...now, isolated: true });
      return now !== undefined;
    });
    if (isolated) deps.log.event("billing", `EIP ${a.addressId} expired: isolated`, { address: a.addressId, appId: a.appId });
  }
}

/** The address as it is now, if a request has not renewed, switched, isolated or released it meanwhile. */
async function stillDue(tx: Store, a: AddressRecord): Promise<AddressRecord | undefined> {
  const now = (await tx.addresses.list(a.appId, a.region)).find((x) => x.addressId === a.addressId);
  return now && !now.isolated && now.term?.expiresAt === a.term!.expiresAt ? now : undefined;
}

/** Renews a month from the old deadline if the account can pay for it; false if it cannot. */
async function autoRenew(deps: Deps, a: AddressRecord): Promise<boolean> {
  const from = a.term!.expiresAt;
  const to = addMonths(from, 1);
  const actor = jobActor("billing", deps.clock.now());
  try {
    const renewed = await deps.store.transaction(async (tx) => {
      const now = await stillDue(tx, a);
      if (!now) return false;
      await chargeAddress(tx, deps, actor.now, now, { actionType: "pre_renew", amount: addressTermCost(deps.catalog, now.region, now.bandwidth, 1), months: 1, from, to });
      await tx.addresses.update({ ...now, term: { ...now.term!, expiresAt: to } });
      return true;
    });
    if (renewed) deps.log.event("billing", `EIP ${a.addressId} renewed automatically until ${to}`, { address: a.addressId, appId: a.appId, requestId: actor.requestId });
    // Changed by a request meanwhile: nothing more is due for it now.
    return true;
  } catch (e) {
    if (e instanceof TencentError && e.code === INSUFFICIENT_BALANCE) return false;
    throw e;
  }
}
