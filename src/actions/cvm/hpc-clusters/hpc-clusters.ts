// HPC clusters: CreateHpcCluster, DescribeHpcClusters, ModifyHpcClusterAttribute and DeleteHpcClusters. A cluster is
// a zone's group of instances of the HPC families (hpc-inputs.ts) joined by an RDMA network; RunInstances'
// HpcClusterId launches into one (hpc-placement.ts). A cluster with instances cannot be deleted.
import { action } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { isoSeconds } from "../../../domain/dates.js";
import { fail } from "../../../domain/errors.js";
import { randomId } from "../../../domain/ids.js";
import type { HpcClusterRecord, HpcMembers } from "../../../store/store.js";
import { invalid } from "../../shared/refusals.js";
import { checkTags } from "../../shared/tag-inputs.js";
import { CLUSTER_CAPACITY, checkText, findClusters, HPC_FAMILIES } from "./hpc-inputs.js";

/** Clusters an account may have in a region. */
const CLUSTER_QUOTA = 20;
const MAX_NAME = 60;
const MAX_REMARK = 256;
const MAX_IDS = 100;
const CLUSTER_TYPES = ["STANDARD", "CHC"];

function clusterView(c: HpcClusterRecord, m: HpcMembers): cvm.HpcClusterInfo {
  return {
    HpcClusterId: c.hpcClusterId,
    Name: c.name,
    Remark: c.remark,
    CvmQuotaTotal: CLUSTER_CAPACITY,
    Zone: c.zone,
    CurrentNum: m.instanceIds.length,
    CreateTime: c.createdAt,
    InstanceIds: m.instanceIds,
    HpcClusterType: c.clusterType,
    Tags: c.tags.map((t) => ({ Key: t.key, Value: t.value })),
  };
}

function checkClusterType(type: string | undefined, field: string): string | undefined {
  if (type !== undefined && !CLUSTER_TYPES.includes(type)) {
    throw invalid("InvalidParameterValue", field, type, `use ${CLUSTER_TYPES.join(" or ")} (OpenCVM has no CDC)`, `取值应为 ${CLUSTER_TYPES.join(" 或 ")}（OpenCVM 没有 CDC）`);
  }
  return type;
}

export const createHpcCluster = action<cvm.CreateHpcClusterRequest, cvm.CreateHpcClusterResponse>("cvm", "CreateHpcCluster", async (ctx, p, deps) => {
  const region = ctx.region!;
  const zone = deps.catalog.zone(region, p.Zone);
  if (!zone) throw invalid("InvalidZone.MismatchRegion", "Zone", p.Zone, `it is not a zone of ${region}`, `不是 ${region} 的可用区`);
  const sellsHpc = deps.catalog.instanceTypes().some((t) => HPC_FAMILIES.has(t.family) && t.zones[zone.zone] === "SELL");
  if (zone.state !== "AVAILABLE" || !sellsHpc) throw invalid("UnsupportedOperation.InvalidZone", "Zone", zone.zone, "the zone sells no HPC cluster instance type", "该可用区不售卖高性能计算集群机型");
  const name = checkText(p.Name, "Name", MAX_NAME);
  const remark = p.Remark === undefined ? "" : checkText(p.Remark, "Remark", MAX_REMARK);
  const clusterType = checkClusterType(p.HpcClusterType, "HpcClusterType") ?? "STANDARD";
  if (p.HpcClusterBusinessId !== undefined) {
    throw invalid("InvalidParameterValue.HpcClusterBusinessIdNotSupported", "HpcClusterBusinessId", p.HpcClusterBusinessId, "business ids are for CDC clusters, which OpenCVM does not have", "业务场景标识仅适用于 CDC 集群，OpenCVM 没有 CDC");
  }
  const tags = checkTags(ctx.action, p.TagSpecification, "hpc", "refuse");
  const record: HpcClusterRecord = { hpcClusterId: randomId("hpc"), appId: ctx.account.appId, region, zone: zone.zone, name, remark, clusterType, createdAt: isoSeconds(ctx.now), tags };
  await deps.store.transaction(async (tx) => {
    const have = (await tx.hpcClusters.list(ctx.account.appId, region)).length;
    if (have >= CLUSTER_QUOTA) throw fail("LimitExceeded.HpcClusterQuota", `The account already has ${CLUSTER_QUOTA} HPC clusters in ${region}, its quota.`, `该账号在 ${region} 的高性能计算集群已达配额 ${CLUSTER_QUOTA} 个。`);
    await tx.hpcClusters.insert(record);
  });
  return { HpcClusterSet: [clusterView(record, { instanceIds: [], instanceTypes: [], rdmaIps: [] })] };
});

export const describeHpcClusters = action<cvm.DescribeHpcClustersRequest, cvm.DescribeHpcClustersResponse>("cvm", "DescribeHpcClusters", async (ctx, p, deps) => {
  const region = ctx.region!;
  const offset = p.Offset ?? 0;
  const limit = p.Limit ?? 20;
  if (limit < 1 || limit > MAX_IDS) throw invalid("InvalidParameterValue", "Limit", limit, `it must be between 1 and ${MAX_IDS}`, `取值范围为 1 到 ${MAX_IDS}`);
  if (p.HpcClusterIds && p.HpcClusterIds.length > Math.min(limit, MAX_IDS)) {
    throw invalid("InvalidParameterValue", "HpcClusterIds", p.HpcClusterIds.length, `at most ${Math.min(limit, MAX_IDS)} ids (no more than Limit)`, `最多 ${Math.min(limit, MAX_IDS)} 个（不超过 Limit）`);
  }
  if (p.Zone !== undefined && !deps.catalog.zone(region, p.Zone)) throw invalid("InvalidZone.MismatchRegion", "Zone", p.Zone, `it is not a zone of ${region}`, `不是 ${region} 的可用区`);
  checkClusterType(p.HpcClusterType, "HpcClusterType");
  const tests = (p.Filters ?? []).map(({ Name: name, Values: values }, i): ((c: HpcClusterRecord) => boolean) => {
    if (name === "tag-key") return (c) => c.tags.some((t) => values.includes(t.key));
    if (name === "tag-value") return (c) => c.tags.some((t) => values.includes(t.value));
    if (name.startsWith("tag:") && name.length > 4) return (c) => c.tags.some((t) => t.key === name.slice(4) && values.includes(t.value));
    throw invalid("InvalidParameterValue", `Filters.${i}.Name`, name, "DescribeHpcClusters filters on tag-key, tag-value and tag:<key>", "DescribeHpcClusters 支持 tag-key、tag-value 与 tag:<key>");
  });
  const ids = p.HpcClusterIds;
  let clusters = (await deps.store.hpcClusters.list(ctx.account.appId, region)).filter(
    (c) =>
      (!ids?.length || ids.includes(c.hpcClusterId)) &&
      (p.Name === undefined || c.name === p.Name) &&
      (p.Zone === undefined || c.zone === p.Zone) &&
      (p.HpcClusterType === undefined || c.clusterType === p.HpcClusterType) &&
      // Business ids belong to CDC clusters, which OpenCVM has none of.
      p.HpcClusterBusinessId === undefined &&
      tests.every((t) => t(c)),
  );
  const members = await deps.store.hpcClusters.members(clusters.map((c) => c.hpcClusterId));
  if (p.InstanceType !== undefined) clusters = clusters.filter((c) => members.get(c.hpcClusterId)!.instanceTypes.includes(p.InstanceType!));
  return { TotalCount: clusters.length, HpcClusterSet: clusters.slice(offset, offset + limit).map((c) => clusterView(c, members.get(c.hpcClusterId)!)) };
});

export const modifyHpcClusterAttribute = action<cvm.ModifyHpcClusterAttributeRequest, cvm.ModifyHpcClusterAttributeResponse>("cvm", "ModifyHpcClusterAttribute", async (ctx, p, deps) => {
  if (p.Name === undefined && p.Remark === undefined) throw fail("MissingParameter", "Give `Name`, `Remark` or both.", "需指定 `Name`、`Remark` 或两者。");
  const name = p.Name === undefined ? undefined : checkText(p.Name, "Name", MAX_NAME);
  const remark = p.Remark === undefined ? undefined : checkText(p.Remark, "Remark", MAX_REMARK);
  await deps.store.transaction(async (tx) => {
    await findClusters(tx, ctx, [p.HpcClusterId], "HpcClusterId");
    await tx.hpcClusters.update(p.HpcClusterId, { name, remark });
  });
  return {};
});

export const deleteHpcClusters = action<cvm.DeleteHpcClustersRequest, cvm.DeleteHpcClustersResponse>("cvm", "DeleteHpcClusters", async (ctx, p, deps) => {
  if (p.HpcClusterIds.length === 0) throw fail("MissingParameter", "`HpcClusterIds` names no cluster.", "`HpcClusterIds` 未指定集群。");
  if (p.HpcClusterIds.length > MAX_IDS) throw invalid("InvalidParameterValue", "HpcClusterIds", p.HpcClusterIds.length, `at most ${MAX_IDS} ids`, `最多 ${MAX_IDS} 个`);
  // All or nothing: one cluster with instances refuses the whole call.
  await deps.store.transaction(async (tx) => {
    const clusters = await findClusters(tx, ctx, p.HpcClusterIds, "HpcClusterIds");
    const members = await tx.hpcClusters.members(p.HpcClusterIds);
    const busy = clusters.find((c) => members.get(c.hpcClusterId)!.instanceIds.length > 0);
    if (busy) {
      const ids = members.get(busy.hpcClusterId)!.instanceIds;
      throw invalid("ResourceInUse.HpcCluster", "HpcClusterIds", busy.hpcClusterId, `instances ${ids.join(", ")} are in the cluster; terminate them first`, `集群中仍有实例 ${ids.join("、")}，请先销毁`);
    }
    await tx.hpcClusters.remove(p.HpcClusterIds);
  });
  return {};
});
