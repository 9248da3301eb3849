// DescribeAccountQuota: the account's purchase quotas in the region, per zone, with what it uses of them.
import { action } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { fail } from "../../../domain/errors.js";
import { GROUP_CAPACITY } from "../../../domain/placement.js";
import { quotasOf } from "../../../domain/quotas.js";
import { GROUP_QUOTA } from "../placement-groups/placement-group-inputs.js";
import { IMAGE_QUOTA } from "../images/images.js";
import { zoneUsage } from "./purchase-quotas.js";

const SETS = ["PostPaidQuotaSet", "PrePaidQuotaSet", "SpotPaidQuotaSet", "ImageQuotaSet", "DisasterRecoverGroupQuotaSet"] as const;

export const describeAccountQuota = action<cvm.DescribeAccountQuotaRequest, cvm.DescribeAccountQuotaResponse>("cvm", "DescribeAccountQuota", async (ctx, p, deps) => {
  const region = deps.catalog.region(ctx.region!)!;
  let zones = region.zones.filter((z) => z.state === "AVAILABLE").map((z) => z.zone);
  let sets: readonly string[] = SETS;
  for (const [i, f] of (p.Filters ?? []).entries()) {
    if (f.Values.length > 10) throw fail("InvalidFilterValue.LimitExceeded", `Filter \`${f.Name}\` takes at most 10 values.`, `过滤条件 \`${f.Name}\` 最多 10 个取值。`);
    if (f.Name === "zone") {
      const bad = f.Values.find((z) => !deps.catalog.zone(ctx.region!, z));
      if (bad !== undefined) throw fail("InvalidZone.MismatchRegion", `Zone \`${bad}\` is not a zone of ${ctx.region}.`, `可用区 \`${bad}\` 不属于 ${ctx.region}。`);
      zones = zones.filter((z) => f.Values.includes(z));
    } else if (f.Name === "quota-type") {
      const bad = f.Values.find((v) => !(SETS as readonly string[]).includes(v));
      if (bad !== undefined) throw fail("InvalidParameterValue.Range", `Filter quota-type value \`${bad}\` is not one of ${SETS.join(", ")}.`, `过滤条件 quota-type 的取值 \`${bad}\` 应为 ${SETS.join("、")}。`);
      sets = sets.filter((s) => f.Values.includes(s));
    } else {
      throw fail("InvalidFilter", `Unknown filter \`${f.Name}\` (Filters.${i}); use zone or quota-type.`, `不支持过滤条件 \`${f.Name}\`（Filters.${i}）。`);
    }
  }
  const quotas = quotasOf(await deps.store.accounts.quotas(ctx.account.appId));
  const usage = await Promise.all(zones.map(async (zone) => ({ zone, used: await zoneUsage(deps.store, deps.catalog, ctx.account.appId, ctx.region!, zone, ctx.now) })));
  const per = (name: "postpaid" | "spot-cores") =>
    usage.map(({ zone, used }) => ({ Zone: zone, TotalQuota: quotas[name], UsedQuota: used[name], RemainingQuota: Math.max(0, quotas[name] - used[name]) }));
  const images = await deps.store.images.countOwned(ctx.account.appId, ctx.region!);
  const quota: cvm.AccountQuota = {
    PostPaidQuotaSet: sets.includes("PostPaidQuotaSet") ? per("postpaid") : [],
    PrePaidQuotaSet: sets.includes("PrePaidQuotaSet")
      ? usage.map(({ zone, used }) => ({ Zone: zone, TotalQuota: quotas.prepaid, UsedQuota: used.prepaid, RemainingQuota: Math.max(0, quotas.prepaid - used.prepaid), OnceQuota: Math.min(100, quotas.prepaid) }))
      : [],
    SpotPaidQuotaSet: sets.includes("SpotPaidQuotaSet") ? per("spot-cores") : [],
    ImageQuotaSet: sets.includes("ImageQuotaSet") ? [{ UsedQuota: images, TotalQuota: IMAGE_QUOTA }] : [],
    DisasterRecoverGroupQuotaSet: sets.includes("DisasterRecoverGroupQuotaSet")
      ? [{ GroupQuota: GROUP_QUOTA, CurrentNum: await deps.store.placementGroups.count(ctx.account.appId, ctx.region!), CvmInHostGroupQuota: GROUP_CAPACITY.HOST, CvmInSwitchGroupQuota: GROUP_CAPACITY.SW, CvmInRackGroupQuota: GROUP_CAPACITY.RACK }]
      : [],
  };
  return { AppId: ctx.account.appId, AccountQuotaOverview: { Region: ctx.region!, AccountQuota: quota } };
});
