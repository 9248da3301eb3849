// RunInstances drawing on resource pool packs. Named packs (Placement.DedicatedResourcePackIds with the tenancy
// ResourcePool) must be the caller's, active, in the zone and of the instances' family, and hold at least MinCount of
// them. Without names, a pay-as-you-go launch draws on the caller's packs of its zone and family that allow automatic
// placement, as far as they have room; the rest launch as usual. Chosen inside the creating transaction.
import type { RequestContext } from "../../../api/action.js";
import type { InstanceTypeEntry } from "../../../domain/catalog.js";
import { fail } from "../../../domain/errors.js";
import type { PoolPackRecord, Store } from "../../../store/store.js";
import { invalid } from "../../shared/refusals.js";
import { findPacks } from "./pack-inputs.js";

const TENANCY = "ResourcePool";

export interface PackLaunch {
  zone: string;
  type: InstanceTypeEntry;
  chargeType: string;
  packIds?: readonly string[];
  tenancy?: string;
  /** On dedicated hosts: never drawing on a pack. */
  onHosts: boolean;
}

/** Refuses a request naming packs that cannot be drawn on whatever their room; before anything is written. */
export function checkPackRequest(launch: PackLaunch): void {
  const named = Boolean(launch.packIds?.length);
  if (launch.tenancy === undefined && !named) return;
  if (launch.tenancy !== TENANCY) {
    throw invalid("InvalidParameterValue.DedicatedResourcePackTenancyMismatch", "Placement.DedicatedResourcePackTenancy", launch.tenancy, `resource pool packs are drawn on with ${TENANCY}`, `使用实例资源池时取值应为 ${TENANCY}`);
  }
  if (launch.chargeType !== "POSTPAID_BY_HOUR" || launch.onHosts) {
    throw fail("InvalidParameterCombination", "Instances drawing on a resource pool pack are pay-as-you-go (POSTPAID_BY_HOUR) and not on dedicated hosts.", "使用实例资源池的实例须为按量计费（POSTPAID_BY_HOUR），且不在专用宿主机上。");
  }
}

/** The pack each launched instance draws on (undefined: none), at most `count` instances, at least `minCount`. */
export async function placeInPacks(tx: Store, ctx: RequestContext, launch: PackLaunch, count: number, minCount: number): Promise<{ packOf: (string | undefined)[] }> {
  const none = { packOf: Array.from({ length: count }, () => undefined) };
  const named = Boolean(launch.packIds?.length);
  const required = named || launch.tenancy === TENANCY;
  if (!required && (launch.chargeType !== "POSTPAID_BY_HOUR" || launch.onHosts)) return none;
  let packs: PoolPackRecord[];
  if (named) {
    packs = await findPacks(tx, ctx, launch.packIds!, "Placement.DedicatedResourcePackIds", "InvalidParameterValue.DedicatedResourcePackIdsNotFound");
    packs.forEach((x, i) => {
      const why: [string, string] | undefined =
        x.status !== "ACTIVE" ? [`the pack is ${x.status}`, `该资源池状态为 ${x.status}`]
        : x.zone !== launch.zone ? [`the pack is in ${x.zone}`, `该资源池位于 ${x.zone}`]
        : x.instanceFamily !== launch.type.family ? [`the pack holds ${x.instanceFamily} instances`, `该资源池仅容纳 ${x.instanceFamily} 实例`]
        : undefined;
      if (why) throw invalid("InvalidParameterValue.DedicatedResourcePackNotValid", `Placement.DedicatedResourcePackIds.${i}`, x.packId, ...why);
    });
  } else {
    packs = (await tx.poolPacks.list(ctx.account.appId, ctx.region!)).filter((x) => x.status === "ACTIVE" && x.autoPlacement && x.zone === launch.zone && x.instanceFamily === launch.type.family);
  }
  const usage = await tx.poolPacks.usage(packs.map((x) => x.packId));
  const free = packs.map((x) => ({ packId: x.packId, cpu: x.cpu - usage.get(x.packId)!.cpu, memory: x.memory - usage.get(x.packId)!.memory }));
  const packOf: (string | undefined)[] = [];
  for (let n = 0; n < count; n++) {
    const room = free.find((f) => f.cpu >= launch.type.cpu && f.memory >= launch.type.memory);
    if (!room) {
      if (required) break;
      packOf.push(undefined);
      continue;
    }
    room.cpu -= launch.type.cpu;
    room.memory -= launch.type.memory;
    packOf.push(room.packId);
  }
  if (required && packOf.length < minCount) {
    throw fail(
      "ResourceInsufficient.SpecifiedInstanceType",
      `The resource pool packs hold ${packOf.length} more ${launch.type.instanceType} (${launch.type.cpu} vCPU, ${launch.type.memory} GiB each), not ${minCount}.`,
      `实例资源池仅能再容纳 ${packOf.length} 台 ${launch.type.instanceType}（每台 ${launch.type.cpu} 核、${launch.type.memory} GiB），不足 ${minCount} 台。`,
    );
  }
  return { packOf };
}
