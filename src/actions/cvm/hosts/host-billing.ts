// Renewing dedicated hosts: RenewHosts charges each host's next months from its current expiry, also for a host that
// has expired (it runs again, and the instances its expiry isolated start again), and InquiryPriceRenewHosts quotes
// the same figure without charging.
import { action, type Deps } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { billedHost, chargeInstance, hostTermPrice } from "../../../billing/ledger.js";
import { addMonths } from "../../../domain/dates.js";
import { recoverWithHost } from "../../../instances/host-recovery.js";
import { money, upfrontItem } from "../../../domain/pricing.js";
import { fail } from "../../../domain/errors.js";
import type { HostRecord } from "../../../store/store.js";
import { checkHostPrepaid, findHosts } from "./host-inputs.js";

/** What renewing `hosts` for `months` costs, summed. */
function renewalPrice(deps: Deps, hosts: readonly HostRecord[], months: number): { original: number; discounted: number; discount: number } {
  let original = 0;
  let discounted = 0;
  for (const h of hosts) {
    const price = hostTermPrice(deps.catalog, h.hostType, months);
    if (!price) throw fail("InvalidHost.NotSupported", `Host ${h.hostId} is of type ${h.hostType}, which the catalog no longer sells: it cannot be renewed.`, `宿主机 ${h.hostId} 的机型 ${h.hostType} 已不在售，无法续费。`);
    original += price.original;
    discounted += price.discounted;
  }
  return { original: money(original), discounted: money(discounted), discount: deps.catalog.prepaidDiscount(months) };
}

export const inquiryPriceRenewHosts = action<cvm.InquiryPriceRenewHostsRequest, cvm.InquiryPriceRenewHostsResponse>("cvm", "InquiryPriceRenewHosts", async (ctx, p, deps) => {
  const { period } = checkHostPrepaid(p.HostChargePrepaid, "HostChargePrepaid");
  const hosts = await findHosts(deps.store, ctx, p.HostIds, "HostIds");
  const price = renewalPrice(deps, hosts, period);
  return { Price: { HostPrice: upfrontItem(price.original, price.discounted, price.discount) } };
});

export const renewHosts = action<cvm.RenewHostsRequest, cvm.RenewHostsResponse>("cvm", "RenewHosts", async (ctx, p, deps) => {
  const { period, renewFlag } = checkHostPrepaid(p.HostChargePrepaid, "HostChargePrepaid");
  const renewed = await deps.store.transaction(async (tx) => {
    const hosts = await findHosts(tx, ctx, p.HostIds, "HostIds");
    renewalPrice(deps, hosts, period);
    for (const h of hosts) {
      // The term continues from the old expiry, as for an instance renewed from the recycle bin.
      const from = h.expiredTime;
      const to = addMonths(from, period);
      const price = hostTermPrice(deps.catalog, h.hostType, period)!;
      await chargeInstance(tx, deps, ctx.now, { instance: billedHost(h), actionType: "pre_renew", amount: price.discounted, months: period, from, to });
      await tx.hosts.update(h.hostId, { expiredTime: to, state: h.state === "EXPIRED" ? "RUNNING" : h.state, renewFlag });
    }
    return hosts.filter((h) => h.state === "EXPIRED");
  });
  const usage = await deps.store.hosts.usage(renewed.map((h) => h.hostId));
  await recoverWithHost(deps, ctx, await deps.store.instances.getMany([...usage.values()].flatMap((u) => u.instanceIds)));
  return {};
});
