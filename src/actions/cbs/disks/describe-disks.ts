// DescribeDisks (by ids or filters, paged, ordered) and DescribeDiskConfigQuota (what the catalog sells, by zone,
// disk type, use and charge type).
import { action } from "../../../api/action.js";
import type * as cbs from "../../../api/generated/cbs-types.js";
import { fail } from "../../../domain/errors.js";
import { isIdOf } from "../../../domain/ids.js";
import { diskCost } from "../../../domain/pricing.js";
import type { DiskRecord, InstanceRecord } from "../../../store/store.js";
import { invalid } from "../../shared/refusals.js";
import { MAX_DISKS_PER_CALL, notAFilter } from "./disk-inputs.js";
import { diskView, shownState } from "./disk-view.js";

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;
const MAX_FILTERS = 10;

type Seen = { disk: DiskRecord; instance: InstanceRecord | undefined };

const FILTERS: Record<string, (s: Seen, v: string) => boolean> = {
  "disk-id": (s, v) => s.disk.diskId === v,
  "disk-name": (s, v) => s.disk.diskName.includes(v),
  "disk-usage": (s, v) => s.disk.diskUsage === v,
  "disk-charge-type": (s, v) => s.disk.chargeType === v,
  "disk-type": (s, v) => s.disk.diskType === v,
  "disk-state": (s, v) => shownState(s.disk, s.instance) === v,
  portable: (s, v) => String(s.disk.portable).toUpperCase() === v.toUpperCase(),
  "project-id": (s, v) => String(s.disk.projectId) === v,
  "instance-id": (s, v) => s.disk.instanceId === v,
  zone: (s, v) => s.disk.zone === v,
  "instance-ip-address": (s, v) => s.instance?.privateIp === v || s.instance?.publicIp === v,
  "instance-name": (s, v) => s.instance?.instanceName === v,
  "tag-key": (s, v) => s.disk.tags.some((t) => t.key === v),
  "tag-value": (s, v) => s.disk.tags.some((t) => t.value === v),
};

const ORDER_FIELDS: Record<string, (d: DiskRecord) => string> = {
  CREATE_TIME: (d) => d.createdAt,
  DEADLINE: (d) => d.deadline ?? "",
};

export const describeDisks = action<cbs.DescribeDisksRequest, cbs.DescribeDisksResponse>("cbs", "DescribeDisks", async (ctx, p, deps) => {
  const offset = p.Offset ?? 0;
  const limit = p.Limit ?? DEFAULT_LIMIT;
  if (limit > MAX_LIMIT) throw invalid("InvalidParameterValue", "Limit", limit, `at most ${MAX_LIMIT}`, `最大为 ${MAX_LIMIT}`);
  if (p.DiskIds?.length && p.Filters?.length) throw fail("InvalidParameterValue", "DiskIds and Filters cannot be given together.", "DiskIds 与 Filters 不能同时指定。");
  if ((p.DiskIds?.length ?? 0) > MAX_DISKS_PER_CALL) throw invalid("InvalidParameterValue", "DiskIds", p.DiskIds!.length, `at most ${MAX_DISKS_PER_CALL} ids`, `最多 ${MAX_DISKS_PER_CALL} 个`);
  if ((p.Filters?.length ?? 0) > MAX_FILTERS) throw invalid("InvalidParameterValue", "Filters", p.Filters!.length, `at most ${MAX_FILTERS} filters`, `过滤条件最多 ${MAX_FILTERS} 个`);
  if (p.Order !== undefined && p.Order !== "ASC" && p.Order !== "DESC") throw invalid("InvalidParameterValue", "Order", p.Order, "use ASC or DESC", "取值应为 ASC 或 DESC");
  if (p.OrderField !== undefined && !Object.hasOwn(ORDER_FIELDS, p.OrderField)) throw invalid("InvalidParameterValue", "OrderField", p.OrderField, "use CREATE_TIME or DEADLINE", "取值应为 CREATE_TIME 或 DEADLINE");
  for (const [i, id] of (p.DiskIds ?? []).entries()) {
    if (!isIdOf("disk", id)) throw invalid("InvalidParameterValue", `DiskIds.${i}`, id, "expected disk-xxxxxxxx", "格式应为 disk-xxxxxxxx");
  }
  const matchers = (p.Filters ?? []).map((f, i) => {
    const key = f.Name.startsWith("tag:") ? f.Name.slice(4) : undefined;
    const match = key !== undefined ? (s: Seen, v: string) => s.disk.tags.some((t) => t.key === key && t.value === v) : Object.hasOwn(FILTERS, f.Name) ? FILTERS[f.Name] : undefined;
    if (!match) throw notAFilter(i, f.Name, Object.keys(FILTERS));
    return (s: Seen) => f.Values.some((v) => match(s, v));
  });
  const disks = p.DiskIds?.length ? await deps.store.disks.find(ctx.account.appId, ctx.region!, p.DiskIds) : await deps.store.disks.list(ctx.account.appId, ctx.region!);
  const instances = new Map((await deps.store.instances.getMany([...new Set(disks.flatMap((d) => (d.instanceId ? [d.instanceId] : [])))])).map((i) => [i.instanceId, i]));
  let seen: Seen[] = disks.map((disk) => ({ disk, instance: disk.instanceId ? instances.get(disk.instanceId) : undefined }));
  for (const m of matchers) seen = seen.filter(m);
  // Oldest first by default (the order the store keeps); a named order sorts by its field.
  const by = ORDER_FIELDS[p.OrderField ?? "CREATE_TIME"];
  seen.sort((a, b) => by(a.disk).localeCompare(by(b.disk)) || a.disk.diskId.localeCompare(b.disk.diskId));
  if (p.Order === "DESC") seen.reverse();
  const page = seen.slice(offset, offset + limit);
  const snapshots = await deps.store.snapshots.list(ctx.account.appId, ctx.region!);
  const count = (diskId: string) => snapshots.filter((s) => s.diskId === diskId).length;
  return { TotalCount: seen.length, DiskSet: page.map((s) => diskView(s.disk, s.instance, count(s.disk.diskId))) };
});

const INQUIRY_TYPES = ["INQUIRY_CBS_CONFIG", "INQUIRY_CVM_CONFIG"];
const USES = ["SYSTEM_DISK", "DATA_DISK"] as const;
const DISK_CHARGE_TYPES = ["POSTPAID_BY_HOUR", "PREPAID"];

export const describeDiskConfigQuota = action<cbs.DescribeDiskConfigQuotaRequest, cbs.DescribeDiskConfigQuotaResponse>("cbs", "DescribeDiskConfigQuota", (ctx, p, deps) => {
  if (!INQUIRY_TYPES.includes(p.InquiryType)) throw invalid("InvalidParameterValue", "InquiryType", p.InquiryType, `use ${INQUIRY_TYPES.join(" or ")}`, `取值应为 ${INQUIRY_TYPES.join(" 或 ")}`);
  if (p.DiskChargeType !== undefined && !DISK_CHARGE_TYPES.includes(p.DiskChargeType)) {
    throw invalid("InvalidParameterValue", "DiskChargeType", p.DiskChargeType, `use ${DISK_CHARGE_TYPES.join(" or ")}`, `取值应为 ${DISK_CHARGE_TYPES.join(" 或 ")}`);
  }
  if (p.DiskUsage !== undefined && !(USES as readonly string[]).includes(p.DiskUsage)) throw invalid("InvalidParameterValue", "DiskUsage", p.DiskUsage, "use SYSTEM_DISK or DATA_DISK", "取值应为 SYSTEM_DISK 或 DATA_DISK");
  const region = deps.catalog.region(ctx.region!);
  for (const [i, z] of (p.Zones ?? []).entries()) {
    if (!deps.catalog.zone(ctx.region!, z)) throw invalid("InvalidParameterValue", `Zones.${i}`, z, `no such zone in ${ctx.region}`, `${ctx.region} 不存在该可用区`);
  }
  const table = deps.catalog.prices(ctx.region!);
  const configs: cbs.DiskConfig[] = [];
  for (const zone of region?.zones ?? []) {
    if (p.Zones?.length && !p.Zones.includes(zone.zone)) continue;
    for (const t of deps.catalog.diskTypes()) {
      if (p.DiskTypes?.length && !p.DiskTypes.includes(t.diskType)) continue;
      for (const use of USES) {
        const range = use === "SYSTEM_DISK" ? t.systemDisk : t.dataDisk;
        if (!range || (p.DiskUsage !== undefined && p.DiskUsage !== use)) continue;
        for (const charge of DISK_CHARGE_TYPES) {
          if (p.DiskChargeType !== undefined && p.DiskChargeType !== charge) continue;
          const priced = table && Object.hasOwn(table.disks, t.diskType);
          const unit = priced ? diskCost(table, { DiskType: t.diskType, DiskSize: range.min }, charge === "PREPAID" ? "month" : "hour") : null;
          configs.push({
            Available: zone.state === "AVAILABLE" && priced === true,
            Zone: zone.zone,
            DiskType: t.diskType,
            DiskUsage: use,
            DiskChargeType: charge,
            MinDiskSize: range.min,
            MaxDiskSize: range.max,
            StepSize: range.step,
            InstanceFamily: null,
            DeviceClass: null,
            ExtraPerformanceRange: null,
            Price: {
              ChargeUnit: charge === "PREPAID" ? null : "HOUR",
              UnitPrice: charge === "PREPAID" ? null : unit,
              UnitPriceDiscount: charge === "PREPAID" ? null : unit,
              OriginalPrice: charge === "PREPAID" ? unit : null,
              DiscountPrice: charge === "PREPAID" ? unit : null,
              UnitPriceHigh: null,
              UnitPriceDiscountHigh: null,
              OriginalPriceHigh: null,
              DiscountPriceHigh: null,
            },
          });
        }
      }
    }
  }
  return { DiskConfigSet: configs };
});
