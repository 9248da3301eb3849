// RunInstances into an HPC cluster (HpcClusterId): only instances of the HPC families, which launch nowhere else, in
// the cluster's zone, up to its capacity. Each instance gets the lowest free address of the cluster's RDMA network
// (192.168.0.0/16, one per cluster), chosen inside the creating transaction so that racing launches do not share one.
import type { RequestContext } from "../../../api/action.js";
import type { InstanceTypeEntry } from "../../../domain/catalog.js";
import { documentedCode, invalid } from "../../shared/refusals.js";
import { intToIp, ipToInt } from "../../../domain/ipv4.js";
import type { Store } from "../../../store/store.js";
import { CLUSTER_CAPACITY, findClusters, HPC_FAMILIES } from "./hpc-inputs.js";

const RDMA_FIRST = ipToInt("192.168.0.1");
const RDMA_LAST = ipToInt("192.168.255.254");

/** Refuses an HPC family without a cluster, or a cluster for another family; before anything is written. */
export function checkHpcFamily(type: InstanceTypeEntry, hpcClusterId: string | undefined): void {
  const hpc = HPC_FAMILIES.has(type.family);
  if (hpc && hpcClusterId === undefined) {
    throw invalid("InvalidParameterValue.InstanceTypeRequiredHpcCluster", "InstanceType", type.instanceType, "HPC cluster instances launch into an HPC cluster: give HpcClusterId", "高性能计算集群机型须指定 HpcClusterId");
  }
  if (!hpc && hpcClusterId !== undefined) {
    throw invalid("InvalidParameterValue.InstanceTypeNotSupportHpcCluster", "InstanceType", type.instanceType, `only the HPC families (${[...HPC_FAMILIES].join(", ")}) launch into an HPC cluster`, `仅高性能计算集群机型（${[...HPC_FAMILIES].join("、")}）可加入高性能计算集群`);
  }
}

/** The RDMA address of each of `count` instances launched into the cluster, in launch order. */
export async function placeInCluster(tx: Store, ctx: RequestContext, hpcClusterId: string, zone: string, count: number): Promise<string[]> {
  const [cluster] = await findClusters(tx, ctx, [hpcClusterId], "HpcClusterId");
  if (cluster.zone !== zone) {
    throw invalid(documentedCode(ctx.action, ["InvalidParameterValue.HpcClusterIdZoneIdNotMatch"]), "HpcClusterId", hpcClusterId, `the cluster is in ${cluster.zone}, the instances in ${zone}`, `集群位于 ${cluster.zone}，实例位于 ${zone}`);
  }
  const members = (await tx.hpcClusters.members([hpcClusterId])).get(hpcClusterId)!;
  if (members.instanceIds.length + count > CLUSTER_CAPACITY) {
    throw invalid(documentedCode(ctx.action, ["UnsupportedOperation.InsufficientClusterQuota"], "ResourceInsufficient"), "HpcClusterId", hpcClusterId, `the cluster holds ${CLUSTER_CAPACITY} instances and has ${members.instanceIds.length}`, `集群容量为 ${CLUSTER_CAPACITY} 台，已有 ${members.instanceIds.length} 台`);
  }
  const used = new Set(members.rdmaIps.map(ipToInt));
  const out: string[] = [];
  for (let n = RDMA_FIRST; n <= RDMA_LAST && out.length < count; n++) if (!used.has(n)) out.push(intToIp(n));
  return out;
}
