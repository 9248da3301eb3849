// DescribeInstancesModification: the instance types the given instances may be changed to (ResetInstancesType).
// All instances must be in one zone (FailedOperation.ZoneInconsistent otherwise); the answer is the catalog's types
// offered in that zone, in catalog order. A type is SELL when ResetInstancesType would accept it for every given
// instance, else UNAVAILABLE with the reason ResetInstancesType would give (sold out, not sold billed that way, another
// architecture, GPU and non-GPU, the zone sold out). A type that every given instance already has is not a change and
// is left out; one that only some of them have is UNAVAILABLE, naming those instances.
import { action, type RequestContext } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import type { Catalog, InstanceTypeEntry } from "../../../domain/catalog.js";
import { fail, TencentError } from "../../../domain/errors.js";
import type { InstanceRecord } from "../../../store/store.js";
import { typeConfig } from "../catalog/instance-type-configs.js";
import { checkIds, findInstances } from "./instance-operations.js";
import { checkTypeChange } from "./purchase-inputs.js";

/** shared/cvm-api/limits.md §2: at most 20 instances per call. */
export const MAX_MODIFICATION_IDS = 20;
/** shared/cvm-api/filters-and-paging.md §1: at most 10 filters of at most 2 values each. */
const MAX_FILTERS = 10;
const MAX_VALUES = 2;
const STATUSES = ["SELL", "UNAVAILABLE"] as const;
type Status = (typeof STATUSES)[number];

export const describeInstancesModification = action<cvm.DescribeInstancesModificationRequest, cvm.DescribeInstancesModificationResponse>(
  "cvm",
  "DescribeInstancesModification",
  async (ctx, p, deps) => {
    const ids = p.InstanceIds;
    checkIds(ctx.action, ids, "InstanceIds", MAX_MODIFICATION_IDS);
    const wanted = statusFilter(p.Filters ?? []);
    const records = await findInstances(deps.store, ctx, ids);

    const zone = records[0].zone;
    const elsewhere = records.find((r) => r.zone !== zone);
    if (elsewhere) {
      throw fail(
        "FailedOperation.ZoneInconsistent",
        `The instances are in different zones (${records[0].instanceId} in ${zone}, ${elsewhere.instanceId} in ${elsewhere.zone}); give instances of one zone.`,
        `实例不在同一可用区（${records[0].instanceId} 在 ${zone}，${elsewhere.instanceId} 在 ${elsewhere.zone}），请给定相同可用区的实例。`,
      );
    }
    const zoneEntry = deps.catalog.zone(ctx.region!, zone);
    const zoneSells = zoneEntry?.state === "AVAILABLE";

    const set: cvm.InstanceTypeConfigStatus[] = [];
    for (const type of deps.catalog.instanceTypes()) {
      if (deps.catalog.stock(zone, type.instanceType) === undefined) continue;
      const having = records.filter((r) => r.instanceType === type.instanceType);
      // Already every instance's type: not a change.
      if (having.length === records.length) continue;
      const { status, message } = !zoneSells
        ? unavailable(ctx, `zone ${zone} is sold out`, `可用区 ${zone} 已售罄`)
        : having.length > 0
          ? unavailable(ctx, `${type.instanceType} is already the type of ${idList(having)}`, `${type.instanceType} 已是实例 ${idList(having, "，")} 的机型`)
          : refusal(ctx, records, type, deps.catalog);
      if (wanted && !wanted.has(status)) continue;
      set.push({ Status: status, Message: message, InstanceTypeConfig: typeConfig(zone, type) });
    }
    return { TotalCount: set.length, InstanceTypeConfigStatusSet: set };
  },
);

/** SELL when ResetInstancesType would take `type` for every instance, else UNAVAILABLE with its reason. */
function refusal(ctx: RequestContext, records: readonly InstanceRecord[], type: InstanceTypeEntry, catalog: Catalog): { status: Status; message: string } {
  try {
    for (const r of records) checkTypeChange(catalog, "ResetInstancesType", r, type);
  } catch (e) {
    if (e instanceof TencentError) return { status: "UNAVAILABLE", message: e.text(ctx.language) };
    throw e;
  }
  return { status: "SELL", message: "" };
}

function unavailable(ctx: RequestContext, en: string, zh: string): { status: Status; message: string } {
  return { status: "UNAVAILABLE", message: ctx.language === "zh-CN" ? zh : en };
}

function idList(records: readonly InstanceRecord[], sep = ", "): string {
  return records.map((r) => r.instanceId).join(sep);
}

/** The statuses asked for (filters AND: the intersection), or undefined for all. */
function statusFilter(filters: readonly cvm.FilterIn[]): Set<Status> | undefined {
  if (filters.length > MAX_FILTERS) {
    throw fail("InvalidFilterValue.LimitExceeded", `\`Filters\` takes at most ${MAX_FILTERS} filters, not ${filters.length}.`, `\`Filters\` 最多 ${MAX_FILTERS} 个过滤条件，当前 ${filters.length} 个。`);
  }
  let wanted: Set<Status> | undefined;
  filters.forEach((f, i) => {
    if (f.Name !== "status") {
      throw fail("InvalidFilter", `\`Filters.${i}.Name\` = \`${f.Name}\`: DescribeInstancesModification filters by \`status\` only.`, `\`Filters.${i}.Name\` = \`${f.Name}\`：DescribeInstancesModification 仅支持 \`status\` 过滤。`);
    }
    if (f.Values.length > MAX_VALUES) {
      throw fail("InvalidFilterValue.LimitExceeded", `\`Filters.${i}.Values\` takes at most ${MAX_VALUES} values, not ${f.Values.length}.`, `\`Filters.${i}.Values\` 最多 ${MAX_VALUES} 个取值，当前 ${f.Values.length} 个。`);
    }
    f.Values.forEach((v, j) => {
      if (!(STATUSES as readonly string[]).includes(v)) {
        throw fail("InvalidParameterValue", `\`Filters.${i}.Values.${j}\` = \`${v}\`: \`status\` is SELL or UNAVAILABLE.`, `\`Filters.${i}.Values.${j}\` = \`${v}\`：\`status\` 取值应为 SELL 或 UNAVAILABLE。`);
      }
    });
    const these = new Set(f.Values as Status[]);
    wanted = wanted ? new Set([...wanted].filter((s) => these.has(s))) : these;
  });
  return wanted;
}
