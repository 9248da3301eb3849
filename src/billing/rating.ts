// What each resource costs per hour as it is now, from the region's price table through domain/pricing.ts (the
// functions the inquiries quote with). The store applies a rating whenever it writes a resource, so the meters
// always follow the records: a state, type, disk or bandwidth change starts a new rate from that instant.
//
// Rules (docs/billing.md):
// - A pay-as-you-go or spot instance is billed its hourly price (compute and disks, as InquiryPriceRunInstances
//   quotes it) while RUNNING, STARTING, STOPPING, REBOOTING, and STOPPED unless stopped with STOP_CHARGING; stopped
//   with STOP_CHARGING only its disks. Nothing while PENDING, LAUNCH_FAILED, SHUTDOWN (recycle bin or isolated),
//   TERMINATING. One hour of its cost with bandwidth stays frozen on the account from purchase to termination.
// - A pay-as-you-go instance drawing on a resource pool pack (doc.DedicatedResourcePackId) has its compute paid by the
//   pack: only its disks are billed by the hour (while compute would be, and when stopped), and nothing is frozen.
// - Bandwidth billed BANDWIDTH_POSTPAID_BY_HOUR is metered whenever compute is (whatever the instance's billing).
//   Monthly compute, disks and BANDWIDTH_PREPAID are paid up front (billing/ledger.ts); traffic is billed per GB
//   sent, and a simulated instance sends nothing.
// - An EIP bound to nothing costs the table's idle price, and its own BANDWIDTH_POSTPAID_BY_HOUR bandwidth if it has
//   one; bound, it costs nothing of its own (the instance's bandwidth is billed with the instance). A monthly EIP's
//   bandwidth is paid up front, and bound it is the instance's public bandwidth: the instance's hourly bandwidth is
//   then not metered (billed once). Isolated (returned during its term), it costs nothing and pays for nothing.
// - A pay-as-you-go cloud disk attached to nothing costs its GiB at its type's hourly rate, from creation (or its
//   detachment) to its termination; attached, it is one of its instance's disks and billed with it. A monthly disk is
//   paid up front.
import type { Catalog, PriceTable } from "../domain/catalog.js";
import { bandwidthHourlyCost, diskCost, disksHourlyCost, hourlyCost, money, type PricedInstance, UnpricedError } from "../domain/pricing.js";
import type { AddressRecord, DiskRecord, MeterSpec, RatedInstance, Rater, Rating } from "../store/store.js";

/** Amounts are kept in millionths of the currency: a second of a cent-priced hour is exact to that. */
export const MICRO = 1_000_000;
export const toMicro = (amount: number): number => Math.round(amount * MICRO);

const COMPUTE_BILLED = new Set(["RUNNING", "STARTING", "STOPPING", "REBOOTING", "ENTER_RESCUE_MODE", "RESCUE_MODE", "EXIT_RESCUE_MODE"]);
const FROZEN_WHILE = new Set(["PENDING", "RUNNING", "STARTING", "STOPPING", "REBOOTING", "STOPPED", "SHUTDOWN", "ENTER_RESCUE_MODE", "RESCUE_MODE", "EXIT_RESCUE_MODE"]);
const NOTHING: Rating = { meters: [], freeze: 0 };

export function pricedInstance(r: Pick<RatedInstance, "instanceType" | "chargeType" | "doc">): PricedInstance {
  return { instanceType: r.instanceType, chargeType: r.chargeType, systemDisk: r.doc.SystemDisk, dataDisks: r.doc.DataDisks, internet: r.doc.InternetAccessible };
}

/** Whether the instance's compute (and hourly bandwidth) is billed in its state. */
export function computeBilled(r: Pick<RatedInstance, "state" | "doc">): boolean {
  return COMPUTE_BILLED.has(r.state) || (r.state === "STOPPED" && r.doc.StopChargingMode !== "STOP_CHARGING");
}

export class CatalogRater implements Rater {
  constructor(private readonly catalog: Catalog) {}

  instance(r: RatedInstance): Rating {
    const table = this.catalog.prices(r.region);
    if (!table) return NOTHING;
    const i = pricedInstance(r);
    const hourly = r.chargeType !== "PREPAID";
    const pooled = r.doc.DedicatedResourcePackId !== undefined;
    const compute = computeBilled(r);
    const meters: MeterSpec[] = [];
    const where = { Region: r.region, Zone: r.zone };
    const detail = { ...where, InstanceType: r.instanceType, SystemDisk: `${r.doc.SystemDisk.DiskType} ${r.doc.SystemDisk.DiskSize} GiB`, DataDisks: r.doc.DataDisks.map((d) => `${d.DiskType} ${d.DiskSize} GiB`).join(", ") };
    if (hourly && compute && !pooled) priceInto(meters, "instance", () => hourlyCost(table, i), detail);
    else if (hourly && (r.state === "STOPPED" || (compute && pooled))) priceInto(meters, "disks", () => disksHourlyCost(table, i), detail);
    if (compute && !paidByAddress(r)) priceInto(meters, "bandwidth", () => bandwidthHourlyCost(table, i.internet), { ...where, InternetMaxBandwidthOut: i.internet.InternetMaxBandwidthOut });
    const freeze = hourly && !pooled && FROZEN_WHILE.has(r.state) ? hourFrozen(table, i) : 0;
    return { meters, freeze };
  }

  address(a: AddressRecord): Rating {
    const table = this.catalog.prices(a.region);
    if (!table) return NOTHING;
    // Bound, it is the instance's public address: the instance's bandwidth is billed, and the address costs nothing.
    if (a.status !== "UNBIND" || a.isolated) return NOTHING;
    const meters: MeterSpec[] = [];
    priceInto(meters, "eip-idle", () => table.eipIdlePerHour ?? 0, { Region: a.region, Zone: "", AddressIp: a.ip });
    if (a.chargeType === "BANDWIDTH_POSTPAID_BY_HOUR") {
      priceInto(meters, "eip-bandwidth", () => bandwidthHourlyCost(table, { InternetChargeType: a.chargeType, InternetMaxBandwidthOut: a.bandwidth }), { Region: a.region, Zone: "", Bandwidth: a.bandwidth });
    }
    return { meters, freeze: 0 };
  }

  disk(d: DiskRecord): Rating {
    const table = this.catalog.prices(d.region);
    if (!table || d.instanceId !== null || d.chargeType !== "POSTPAID_BY_HOUR" || d.state === "TORECYCLE") return NOTHING;
    const meters: MeterSpec[] = [];
    priceInto(meters, "cbs-disk", () => diskCost(table, { DiskType: d.diskType, DiskSize: d.diskSize }, "hour"), { Region: d.region, Zone: d.zone, Disk: `${d.diskType} ${d.diskSize} GiB` });
    // An hour of it stays frozen on the account, as for a pay-as-you-go instance.
    return { meters, freeze: meters.reduce((sum, m) => sum + m.rate, 0) };
  }
}

/**
 * Whether a monthly EIP bound to the instance pays its public bandwidth: its public network is billed on the address
 * (Tencent's accounts whose network fees are billed on IPs, the only ones with monthly EIPs), and it is paid up front.
 */
function paidByAddress(r: RatedInstance): boolean {
  return r.boundAddress?.chargeType === "BANDWIDTH_PREPAID_BY_MONTH" && !r.boundAddress.isolated;
}

/** What a pay-as-you-go instance freezes on the account: an hour of its compute, disks and hourly bandwidth. */
export function hourFrozen(table: PriceTable, i: PricedInstance): number {
  try {
    return toMicro(money(hourlyCost(table, i) + bandwidthHourlyCost(table, i.internet)));
  } catch (e) {
    if (e instanceof UnpricedError) return 0;
    throw e;
  }
}

/** Adds a meter for a figure the table prices; a figure it no longer prices (the catalog changed) is not billed. */
function priceInto(meters: MeterSpec[], component: string, figure: () => number, detail: MeterSpec["detail"]): void {
  try {
    const rate = toMicro(figure());
    if (rate > 0) meters.push({ component, rate, detail });
  } catch (e) {
    if (!(e instanceof UnpricedError)) throw e;
  }
}
