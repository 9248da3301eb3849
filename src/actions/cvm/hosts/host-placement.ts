// RunInstances on dedicated hosts (Placement.HostIds): each instance goes to the first host named that still has
// room for its vCPUs, memory and disks, inside the creating transaction so that racing launches cannot overfill a
// host. A host that is not the caller's, not running, in another zone or not made for the instance's family refuses
// the launch; so does a set of hosts with room for fewer instances than MinCount. Nothing is created then.
import type { RequestContext } from "../../../api/action.js";
import type { Catalog, InstanceTypeEntry } from "../../../domain/catalog.js";
import { fail } from "../../../domain/errors.js";
import type { HostRecord, Store } from "../../../store/store.js";
import { documentedCode, invalid } from "../../shared/refusals.js";
import type { Disk } from "../instances/purchase-inputs.js";
import { findHosts } from "./host-inputs.js";

export interface HostLaunch {
  hostIds: readonly string[];
  zone: string;
  type: InstanceTypeEntry;
  systemDisk: Disk;
  dataDisks: readonly Disk[];
}

/**
 * The hosts named, refused unless each is the caller's, running, in the launch's zone and made for its family (what
 * makes a launch CDHPAID at all: InquiryPriceRunInstances checks this much).
 */
export async function hostsForLaunch(tx: Store, catalog: Catalog, ctx: RequestContext, launch: Omit<HostLaunch, "systemDisk" | "dataDisks">): Promise<HostRecord[]> {
  const hosts = await findHosts(tx, ctx, launch.hostIds, "Placement.HostIds");
  const { type } = launch;
  hosts.forEach((h, i) => {
    const field = `Placement.HostIds.${i}`;
    if (h.state !== "RUNNING") throw invalid(documentedCode(ctx.action, ["InvalidParameter.HostIdStatusNotSupport"], "InvalidParameter"), field, h.hostId, `the host is ${h.state}; instances launch on RUNNING hosts only`, `该宿主机状态为 ${h.state}，仅 RUNNING 的宿主机可创建实例`);
    if (h.zone !== launch.zone) {
      throw fail("InvalidParameterCombination", `\`${field}\` = \`${h.hostId}\` is in ${h.zone}, not in \`Placement.Zone\` = \`${launch.zone}\`.`, `\`${field}\` = \`${h.hostId}\` 位于 ${h.zone}，与 \`Placement.Zone\` = \`${launch.zone}\` 不符。`);
    }
    const families = catalog.hostType(h.hostType)?.families ?? [];
    if (!families.includes(type.family)) {
      throw invalid("InvalidParameter.HostIdInstanceTypeNotSupport", field, h.hostId, `a ${h.hostType} host runs ${families.join(", ") || "no"} instances, not ${type.instanceType}`, `${h.hostType} 宿主机仅支持 ${families.join("、") || "无"} 机型，不支持 ${type.instanceType}`);
    }
  });
  return hosts;
}

/** The host of each instance launched (at most `count`, at least `minCount`), in launch order. */
export async function placeOnHosts(tx: Store, catalog: Catalog, ctx: RequestContext, launch: HostLaunch, count: number, minCount: number): Promise<string[]> {
  const hosts = await hostsForLaunch(tx, catalog, ctx, launch);
  const { type } = launch;
  const disk = launch.systemDisk.DiskSize + launch.dataDisks.reduce((sum, d) => sum + d.DiskSize, 0);
  const usage = await tx.hosts.usage(hosts.map((h) => h.hostId));
  const free = hosts.map((h) => {
    const used = usage.get(h.hostId)!;
    return { hostId: h.hostId, cpu: h.cpu - used.cpu, memory: h.memory - used.memory, disk: h.disk - used.disk };
  });
  const placed: string[] = [];
  for (let n = 0; n < count; n++) {
    const host = free.find((f) => f.cpu >= type.cpu && f.memory >= type.memory && f.disk >= disk);
    if (!host) break;
    host.cpu -= type.cpu;
    host.memory -= type.memory;
    host.disk -= disk;
    placed.push(host.hostId);
  }
  if (placed.length < minCount) {
    const left = free.map((f) => `${f.hostId}: ${f.cpu} vCPU, ${f.memory} GiB, ${f.disk} GiB disk`).join("; ");
    throw fail(
      "ResourceInsufficient.SpecifiedInstanceType",
      `The dedicated hosts named hold ${placed.length} more ${type.instanceType} (${type.cpu} vCPU, ${type.memory} GiB, ${disk} GiB of disks each), not ${minCount}. Free: ${left}.`,
      `所指定的专用宿主机仅能再容纳 ${placed.length} 台 ${type.instanceType}（每台 ${type.cpu} 核、${type.memory} GiB、磁盘 ${disk} GiB），不足 ${minCount} 台。剩余：${left}。`,
    );
  }
  return placed;
}
