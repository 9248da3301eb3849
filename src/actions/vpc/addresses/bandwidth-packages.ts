// DescribeBandwidthPackages (service vpc). OpenCVM sells no bandwidth packages (EIPs and instances pay for their
// own bandwidth), so every account's list is empty; the request is still checked as the real API checks it, so a
// wrong id or filter fails here as it would there.
import { action } from "../../../api/action.js";
import type * as vpc from "../../../api/generated/vpc-types.js";
import { fail } from "../../../domain/errors.js";
import { isIdOf } from "../../../domain/ids.js";
import { invalid } from "../../shared/refusals.js";
import { intPaging } from "../networks/vpc-inputs.js";

const FILTERS = ["bandwidth-package-id", "bandwidth-package-name", "network-type", "charge-type", "resource.resource-type", "resource.resource-id", "resource.address-ip", "tag-key", "tag-value"];

export const describeBandwidthPackages = action<vpc.DescribeBandwidthPackagesRequest, vpc.DescribeBandwidthPackagesResponse>("vpc", "DescribeBandwidthPackages", (ctx, p) => {
  intPaging(ctx.action, p);
  const filters = p.Filters ?? [];
  if (p.BandwidthPackageIds?.length && filters.length) throw fail("InvalidParameterValue", "`BandwidthPackageIds` and `Filters` cannot be given together.", "`BandwidthPackageIds` 与 `Filters` 不能同时指定。");
  if (filters.length > 10) throw invalid("InvalidParameterValue", "Filters", filters.length, "at most 10 filters", "过滤条件最多 10 个");
  for (const [i, id] of (p.BandwidthPackageIds ?? []).entries()) {
    if (!isIdOf("bwp", id)) throw invalid("InvalidParameterValue.BandwidthPackageIdMalformed", `BandwidthPackageIds.${i}`, id, "expected bwp-xxxxxxxx", "格式应为 bwp-xxxxxxxx");
  }
  for (const [i, f] of filters.entries()) {
    if (!FILTERS.includes(f.Name) && !(f.Name.startsWith("tag:") && f.Name.length > 4)) {
      throw fail("InvalidParameter.InvalidFilter", `Unknown filter \`${f.Name}\` (Filters.${i}); use ${FILTERS.join(", ")} or tag:<key>.`, `不支持过滤条件 \`${f.Name}\`（Filters.${i}）。`);
    }
  }
  return { TotalCount: 0, BandwidthPackageSet: [] };
});
