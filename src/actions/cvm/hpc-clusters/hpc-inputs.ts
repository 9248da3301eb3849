// What the HPC cluster actions and RunInstances check alike: which families launch into clusters, cluster ids, and
// the caller's clusters in the region.
import type { RequestContext } from "../../../api/action.js";
import { isIdOf } from "../../../domain/ids.js";
import type { HpcClusterRecord, Store } from "../../../store/store.js";
import { invalid } from "../../shared/refusals.js";

/** The families whose instances launch into an HPC cluster, and only there (the HPC cluster families). */
export const HPC_FAMILIES: ReadonlySet<string> = new Set(["HCCIC5", "HCCG5v", "HCCPNV4h", "HCCPNV5", "HCCPNV5v"]);
/** Instances one cluster holds (CvmQuotaTotal). */
export const CLUSTER_CAPACITY = 500;

/** The caller's clusters of `ids`, in the order named; one that is not the caller's (or nowhere) is refused. */
export async function findClusters(store: Store, ctx: RequestContext, ids: readonly string[], field: string): Promise<HpcClusterRecord[]> {
  ids.forEach((id, i) => {
    if (!isIdOf("hpc", id)) throw invalid("InvalidParameterValue", field.endsWith("Ids") ? `${field}.${i}` : field, id, "expected hpc-xxxxxxxx", "格式应为 hpc-xxxxxxxx");
  });
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) throw invalid("InvalidParameterValue", field, twice, "the cluster is named twice", "集群 ID 重复");
  const found = new Map((await store.hpcClusters.find(ctx.account.appId, ctx.region!, ids)).map((c) => [c.hpcClusterId, c]));
  return ids.map((id) => {
    const cluster = found.get(id);
    if (!cluster) throw invalid("ResourceNotFound.HpcCluster", field, id, `no such HPC cluster in ${ctx.region}`, `${ctx.region} 不存在该高性能计算集群`);
    return cluster;
  });
}

/** A name (1-60 characters) or remark (1-256). */
export function checkText(value: string, field: string, max: number): string {
  if (value.length < 1 || value.length > max) throw invalid("InvalidParameterValue", field, value, `it has 1-${max} characters`, `长度为 1-${max} 个字符`);
  return value;
}
