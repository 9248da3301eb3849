// CreateAssistantCidr, ModifyAssistantCidr, DescribeAssistantCidr and DeleteAssistantCidr (service vpc): secondary
// ranges of a VPC, in which its subnets may also lie. A range overlaps neither the VPC's main range nor its other
// ranges; one that holds a subnet cannot be taken away. Each change reads and writes the VPC in one transaction.
import { action, type Deps, type RequestContext } from "../../../api/action.js";
import type * as vpc from "../../../api/generated/vpc-types.js";
import { fail } from "../../../domain/errors.js";
import { cidrsOverlap, cidrWithin } from "../../../domain/ipv4.js";
import type { VpcRecord } from "../../../store/store.js";
import { documentedCode, invalid } from "../../shared/refusals.js";
import { checkIdShape, intPaging } from "./vpc-inputs.js";
import { assistantCidrSet, checkPrivateRange, ownVpc } from "./vpcs.js";

/** Assistant ranges per VPC (the real cloud's default). */
const ASSISTANT_QUOTA = 5;

/** Applies a change to a VPC's assistant ranges: `add` checked against the rest, `remove` only when no subnet lies in it. */
async function change(deps: Deps, ctx: RequestContext, vpcId: string, add: readonly string[], addField: string, remove: readonly string[], removeField: string): Promise<VpcRecord> {
  return deps.store.transaction(async (tx) => {
    const owner = await ownVpc({ ...deps, store: tx }, ctx, vpcId, "VpcId");
    for (const [i, cidr] of remove.entries()) {
      if (!owner.assistantCidrs.includes(cidr)) {
        throw invalid(documentedCode(ctx.action, ["InvalidParameter", "InvalidParameterValue"]), `${removeField}.${i}`, cidr, `it is not an assistant range of ${owner.vpcId}`, `不是 ${owner.vpcId} 的辅助网段`);
      }
    }
    const subnets = (await tx.networks.subnets(ctx.account.appId, ctx.region!)).filter((s) => s.vpcId === owner.vpcId);
    for (const [i, cidr] of remove.entries()) {
      const inside = subnets.find((s) => cidrWithin(s.cidr, cidr));
      if (inside) throw invalid("ResourceInUse", `${removeField}.${i}`, cidr, `subnet ${inside.subnetId} (${inside.cidr}) lies in it`, `子网 ${inside.subnetId}（${inside.cidr}）在该网段内`);
    }
    const kept = owner.assistantCidrs.filter((c) => !remove.includes(c));
    for (const [i, cidr] of add.entries()) {
      const field = `${addField}.${i}`;
      checkPrivateRange(cidr, field);
      if (add.indexOf(cidr) !== i) throw invalid("InvalidParameterValue.Duplicate", field, cidr, "the range is given twice", "网段重复");
      const clash = [owner.cidr, ...kept].find((c) => cidrsOverlap(c, cidr));
      if (clash) throw invalid("InvalidParameterValue.VpcCidrConflict", field, cidr, `it overlaps ${clash} of ${owner.vpcId}`, `与 ${owner.vpcId} 的网段 ${clash} 重叠`);
      kept.push(cidr);
    }
    if (kept.length > ASSISTANT_QUOTA) throw fail("LimitExceeded", `A VPC has at most ${ASSISTANT_QUOTA} assistant ranges.`, `每个私有网络最多 ${ASSISTANT_QUOTA} 个辅助网段。`);
    await tx.networks.updateVpc(owner.vpcId, { assistantCidrs: kept });
    return { ...owner, assistantCidrs: kept };
  });
}

export const createAssistantCidr = action<vpc.CreateAssistantCidrRequest, vpc.CreateAssistantCidrResponse>("vpc", "CreateAssistantCidr", async (ctx, p, deps) => {
  if (p.CidrBlocks.length === 0) throw fail("MissingParameter", "Give at least one range in `CidrBlocks`.", "`CidrBlocks` 至少包含一个网段。");
  const after = await change(deps, ctx, p.VpcId, p.CidrBlocks, "CidrBlocks", [], "");
  return { AssistantCidrSet: assistantCidrSet(after).filter((a) => p.CidrBlocks.includes(a.CidrBlock!)) };
});

export const modifyAssistantCidr = action<vpc.ModifyAssistantCidrRequest, vpc.ModifyAssistantCidrResponse>("vpc", "ModifyAssistantCidr", async (ctx, p, deps) => {
  const adding = p.NewCidrBlocks ?? [];
  const removing = p.OldCidrBlocks ?? [];
  if (adding.length === 0 && removing.length === 0) throw fail("MissingParameter", "Give `NewCidrBlocks`, `OldCidrBlocks` or both.", "`NewCidrBlocks` 与 `OldCidrBlocks` 至少指定一个。");
  return { AssistantCidrSet: assistantCidrSet(await change(deps, ctx, p.VpcId, adding, "NewCidrBlocks", removing, "OldCidrBlocks")) };
});

export const deleteAssistantCidr = action<vpc.DeleteAssistantCidrRequest, vpc.DeleteAssistantCidrResponse>("vpc", "DeleteAssistantCidr", async (ctx, p, deps) => {
  if (p.CidrBlocks.length === 0) throw fail("MissingParameter", "Give at least one range in `CidrBlocks`.", "`CidrBlocks` 至少包含一个网段。");
  await change(deps, ctx, p.VpcId, [], "", p.CidrBlocks, "CidrBlocks");
  return {};
});

export const describeAssistantCidr = action<vpc.DescribeAssistantCidrRequest, vpc.DescribeAssistantCidrResponse>("vpc", "DescribeAssistantCidr", async (ctx, p, deps) => {
  const { offset, limit } = intPaging(ctx.action, p);
  if (p.VpcIds?.length && p.Filters?.length) throw fail("InvalidParameter.Coexist", "`VpcIds` and `Filters` cannot be given together.", "`VpcIds` 与 `Filters` 不能同时指定。");
  for (const [i, id] of (p.VpcIds ?? []).entries()) checkIdShape("vpc", id, `VpcIds.${i}`);
  let vpcs = await deps.store.networks.vpcs(ctx.account.appId, ctx.region!);
  if (p.VpcIds?.length) vpcs = vpcs.filter((v) => p.VpcIds!.includes(v.vpcId));
  // vpc-id is the one filter the action documents.
  for (const [i, f] of (p.Filters ?? []).entries()) {
    if (f.Name !== "vpc-id") throw invalid("InvalidParameterValue", `Filters.${i}.Name`, f.Name, "use vpc-id", "可用的过滤条件为 vpc-id");
    vpcs = vpcs.filter((v) => f.Values.includes(v.vpcId));
  }
  const found = vpcs.flatMap(assistantCidrSet);
  return { AssistantCidrSet: found.slice(offset, offset + limit), TotalCount: found.length };
});
