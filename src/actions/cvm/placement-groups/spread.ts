// Placing instances of a spread placement group on the hosts of their zone: within the group's capacity, and with
// no more than its affinity of them on one host, switch or rack (domain/placement.ts decides). RunInstances and
// ModifyInstancesDisasterRecoverGroup read the group and write its new places in one transaction, so racing
// requests cannot both take the last place.
import { randomInt } from "node:crypto";
import type { Catalog } from "../../../domain/catalog.js";
import { hostName, parseHost, spreadHosts, unitCount, type SpreadType } from "../../../domain/placement.js";
import type { PlacementGroupRecord, PlacementMember } from "../../../store/store.js";
import { documentedCode, invalid } from "../../shared/refusals.js";
import { capacityOf } from "./placement-group-inputs.js";

/** A host for each of `instances` (id and zone) in `group` that keeps the spread, or a refusal for them all. */
export function spreadOver(catalog: Catalog, action: string, group: PlacementGroupRecord, instances: readonly { instanceId: string; zone: string }[], field: string): PlacementMember[] {
  const staying = group.members.filter((m) => !instances.some((i) => i.instanceId === m.instanceId));
  const capacity = capacityOf(group);
  if (staying.length + instances.length > capacity) {
    throw invalid(
      documentedCode(action, ["ResourceInsufficient.DisasterRecoverGroupCvmQuota", "LimitExceeded.DisasterRecoverGroup"]),
      field,
      group.groupId,
      `the ${group.type} group holds ${staying.length} of its ${capacity} instances, no room for ${instances.length} more`,
      `该 ${group.type} 类型置放群组已有 ${staying.length} 台实例（上限 ${capacity} 台），无法再加入 ${instances.length} 台`,
    );
  }
  const type = group.type as SpreadType;
  const placed: PlacementMember[] = [];
  for (const zone of new Set(instances.map((i) => i.zone))) {
    const here = instances.filter((i) => i.zone === zone);
    const used = staying.filter((m) => m.zone === zone).map((m) => parseHost(m.host)!);
    const topology = catalog.topology(zone);
    const hosts = spreadHosts(topology, type, group.affinity, used, here.length, randomInt);
    if (!hosts) {
      throw invalid(
        documentedCode(action, ["LimitExceeded.DisasterRecoverGroup", "ResourceInsufficient.DisasterRecoverGroupCvmQuota"]),
        field,
        group.groupId,
        `${zone} has ${unitCount(type, topology)} units of type ${type} and the group may put ${group.affinity} of its instances in each; ${used.length} are there, ${here.length} more would break the spread`,
        `${zone} 共有 ${unitCount(type, topology)} 个 ${type} 单元，每个最多容纳该群组 ${group.affinity} 台实例；已有 ${used.length} 台，再加入 ${here.length} 台将无法分散`,
      );
    }
    here.forEach((i, n) => placed.push({ instanceId: i.instanceId, zone, host: hostName(hosts[n]) }));
  }
  return placed;
}
