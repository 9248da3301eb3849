// What a purchase asks for, checked against the catalog: where (a zone of the region that is open), what (a type the
// zone sells, in stock, under the charge type asked for), from which image, billed how, with which disks (types and
// sizes the catalog sells) and which public bandwidth (an internet charge type that goes with the instance charge
// type, within its cap). RunInstances and InquiryPriceRunInstances share it; ResetInstancesType and the other
// inquiries use its parts. Each refusal names the field and uses a code the calling action documents.
import type { Deps, RequestContext } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { addMonths, isoSeconds } from "../../../domain/dates.js";
import type { Catalog, InstanceChargeType, InstanceTypeEntry, SizeRange } from "../../../domain/catalog.js";
import { INSTANCE_CHARGE_TYPES } from "../../../domain/catalog.js";
import { fail } from "../../../domain/errors.js";
import type { InstanceRecord } from "../../../store/store.js";
import { typeRate } from "../../../domain/pricing.js";
import { checkArchitecture, checkInstanceType, checkPrepaid, checkRenewFlag, DEFAULT_RENEW_FLAG, findImage, type LaunchImage } from "./instance-inputs.js";
import { documentedCode, invalid, unsupported } from "../../shared/refusals.js";
import { HPC_FAMILIES } from "../hpc-clusters/hpc-inputs.js";

export const MAX_INSTANCES_PER_CALL = 100;
/** Cloud data disks per instance (limits.md §2: 20 cloud disks and at most one local one). */
export const MAX_DATA_DISKS = 20;

export interface Disk {
  DiskType: string;
  DiskSize: number;
}

export interface Internet {
  InternetChargeType: string;
  InternetMaxBandwidthOut: number;
  PublicIpAssigned: boolean;
}

/** How a purchase is billed: a charge type the catalog prices, or CDHPAID (on the caller's dedicated hosts). */
export type PurchaseChargeType = InstanceChargeType | "CDHPAID";

/** Everything a purchase decided about what is bought. */
export interface Purchase {
  count: number;
  zone: string;
  zoneIndex: number;
  type: InstanceTypeEntry;
  image: LaunchImage;
  chargeType: PurchaseChargeType;
  /** Months bought, for PREPAID. */
  period: number | null;
  expiredTime: string | null;
  renewFlag: string | null;
  systemDisk: Disk;
  dataDisks: (Disk & { DeleteWithInstance: boolean; DiskName?: string })[];
  internet: Internet;
}

/** The members of RunInstances (and InquiryPriceRunInstances) that decide what is bought. */
export type PurchaseRequest = Pick<
  cvm.RunInstancesRequest,
  "Placement" | "ImageId" | "InstanceType" | "InstanceChargeType" | "InstanceChargePrepaid" | "InstanceMarketOptions" | "SystemDisk" | "DataDisks" | "InternetAccessible" | "InstanceCount"
>;

export async function checkPurchase(action: string, ctx: RequestContext, p: PurchaseRequest, deps: Deps): Promise<Purchase> {
  const { catalog } = deps;
  const region = ctx.region!;
  const count = p.InstanceCount ?? 1;
  if (count < 1 || count > MAX_INSTANCES_PER_CALL) throw invalid("InvalidParameterValue.Range", "InstanceCount", count, `it must be between 1 and ${MAX_INSTANCES_PER_CALL}`, `取值范围为 1 到 ${MAX_INSTANCES_PER_CALL}`);

  // Where and what.
  if (!p.Placement?.Zone) throw fail("MissingParameter", "The request is missing the required parameter `Placement.Zone`.", "缺少必需参数 `Placement.Zone`。");
  const zone = p.Placement.Zone;
  const zones = catalog.region(region)!.zones;
  const zoneIndex = zones.findIndex((z) => z.zone === zone);
  if (zoneIndex < 0) throw invalid("InvalidZone.MismatchRegion", "Placement.Zone", zone, `it is not a zone of ${region}`, `不是 ${region} 的可用区`);
  if (zones[zoneIndex].state !== "AVAILABLE") {
    throw invalid(documentedCode(action, ["ResourceInsufficient.AvailabilityZoneSoldOut", "InvalidParameterValue.ZoneNotSupported"]), "Placement.Zone", zone, "the zone is sold out", "该可用区已售罄");
  }
  // The real default is S1.SMALL1, a family OpenCVM does not sell; the smallest standard type stands in.
  const type = checkInstanceType(catalog, p.InstanceType ?? "S5.SMALL1", "InstanceType", action);
  const chargeType = (p.InstanceChargeType ?? "POSTPAID_BY_HOUR") as PurchaseChargeType;
  // CDHPAID: the instance runs on the caller's dedicated hosts and only the hosts are billed; their capacity and
  // the families they run decide what fits (host-placement.ts), not the zone's stock or prices.
  const onHosts = Boolean(p.Placement.HostIds?.length);
  if (onHosts !== (chargeType === "CDHPAID")) {
    throw fail("InvalidParameterCombination", "`Placement.HostIds` and `InstanceChargeType` = `CDHPAID` go together: instances on dedicated hosts are billed CDHPAID.", "`Placement.HostIds` 须与 `InstanceChargeType` = `CDHPAID` 同时使用：专用宿主机上的实例按 CDHPAID 计费。");
  }
  if (chargeType !== "CDHPAID" && !INSTANCE_CHARGE_TYPES.includes(chargeType)) {
    const sold = [...INSTANCE_CHARGE_TYPES, "CDHPAID"];
    throw invalid("InvalidParameterValue", "InstanceChargeType", chargeType, `use one of ${sold.join(", ")}`, `取值应为 ${sold.join("、")}`);
  }
  if (chargeType !== "CDHPAID") checkOffered(catalog, action, region, zone, type, chargeType, "InstanceType");
  if (!p.ImageId) throw fail("MissingParameter", "The request is missing the required parameter `ImageId`.", "缺少必需参数 `ImageId`。");
  const image = await findImage(deps, ctx, p.ImageId, "ImageId", action);
  checkArchitecture(image, type, "ImageId", action);

  // Billing.
  let period: number | null = null;
  let expiredTime: string | null = null;
  let renewFlag: string | null = null;
  if (chargeType === "PREPAID") {
    const prepaid = checkPrepaid(p.InstanceChargePrepaid, "PREPAID instances need a Period", "包年包月实例需要指定购买时长");
    renewFlag = checkRenewFlag(prepaid.RenewFlag ?? DEFAULT_RENEW_FLAG, "InstanceChargePrepaid.RenewFlag");
    period = prepaid.Period;
    expiredTime = addMonths(isoSeconds(ctx.now), period);
  } else if (p.InstanceChargePrepaid !== undefined) {
    throw fail("InvalidParameterCombination", "`InstanceChargePrepaid` applies to PREPAID instances only.", "`InstanceChargePrepaid` 仅适用于包年包月实例。");
  }
  if (p.InstanceMarketOptions !== undefined) {
    if (chargeType !== "SPOTPAID") throw fail("InvalidParameterCombination", "`InstanceMarketOptions` applies to SPOTPAID instances only.", "`InstanceMarketOptions` 仅适用于竞价实例。");
    if (p.InstanceMarketOptions.MarketType !== "spot") throw invalid("InvalidParameterValue", "InstanceMarketOptions.MarketType", p.InstanceMarketOptions.MarketType, "use spot", "取值应为 spot");
    const maxPrice = p.InstanceMarketOptions.SpotOptions?.MaxPrice;
    if (maxPrice !== undefined) {
      if (!/^\d+(\.\d+)?$/.test(maxPrice)) throw invalid("InvalidParameterValue", "InstanceMarketOptions.SpotOptions.MaxPrice", maxPrice, "expected a price such as 0.5", "应为价格，如 0.5");
      const price = typeRate(catalog.prices(region)!, type.instanceType, "SPOTPAID");
      if (Number(maxPrice) < price) {
        throw invalid("InvalidParameterValue.InsufficientPrice", "InstanceMarketOptions.SpotOptions.MaxPrice", maxPrice, `the spot price of ${type.instanceType} in ${region} is ${price} ${catalog.currency} an hour`, `${region} 的 ${type.instanceType} 竞价价格为每小时 ${price} ${catalog.currency}`);
      }
    }
  }

  // Disks: a custom image's data disks come first, then those asked for.
  const systemDisk = checkSystemDisk(catalog, type, image, p.SystemDisk, "SystemDisk");
  const dataDisks = checkDataDisks(catalog, type, image.dataDisks, p.DataDisks ?? [], action);
  // An instance on a dedicated host takes the public bandwidth a pay-as-you-go one may.
  const internet = checkInternet(catalog, chargeType === "CDHPAID" ? "POSTPAID_BY_HOUR" : chargeType, p.InternetAccessible, "InternetAccessible");
  return { count, zone, zoneIndex, type, image, chargeType, period, expiredTime, renewFlag, systemDisk, dataDisks, internet };
}

/**
 * Refuses a type `zone` does not sell (ResourceUnavailable.InstanceType), sells out (ResourcesSoldOut.Specified
 * InstanceType), or does not sell billed as `chargeType` in the region (no price for it: spot is
 * UnsupportedOperation.NoInstanceTypeSupportSpot) — each the code `action` documents, or InvalidParameterValue.
 */
export function checkOffered(catalog: Catalog, action: string, region: string, zone: string, type: InstanceTypeEntry, chargeType: string, field: string): void {
  const name = type.instanceType;
  const stock = catalog.stock(zone, name);
  if (!stock) {
    throw invalid(documentedCode(action, ["ResourceUnavailable.InstanceType", "ResourceNotFound.InvalidZoneInstanceType"]), field, name, `${zone} does not sell it`, `${zone} 不售卖该机型`);
  }
  if (stock === "SOLD_OUT") {
    throw invalid(documentedCode(action, ["ResourcesSoldOut.SpecifiedInstanceType", "ResourceInsufficient.SpecifiedInstanceType"]), field, name, `it is sold out in ${zone}`, `该机型在 ${zone} 已售罄`);
  }
  if (!catalog.chargeTypes(region, name).includes(chargeType as InstanceChargeType)) {
    const codes = ["ResourceUnavailable.InstanceType", "ResourceNotFound.InvalidZoneInstanceType"];
    if (chargeType === "SPOTPAID") codes.unshift("UnsupportedOperation.NoInstanceTypeSupportSpot");
    throw invalid(documentedCode(action, codes), field, name, `it is not sold ${chargeType} in ${region}`, `该机型在 ${region} 不支持 ${chargeType} 计费`);
  }
}

const ranged = (r: SizeRange) => `${r.min}-${r.max} GiB${r.step > 1 ? ` in steps of ${r.step}` : ""}`;
const rangedZh = (r: SizeRange) => `${r.min}-${r.max} GiB${r.step > 1 ? `，且为 ${r.step} 的倍数` : ""}`;

/** The disk types (cloud, or the type's local ones) a system or data disk may be, with their sizes. */
export function diskChoices(catalog: Catalog, type: InstanceTypeEntry, role: "system" | "data"): Map<string, SizeRange> {
  const partition = role === "system" ? "ROOT" : "DATA";
  const local = type.localDisks.filter((d) => d.partition === partition);
  const required = local.find((d) => d.required);
  const out = new Map<string, SizeRange>();
  if (required && role === "system") return out.set(required.diskType, { min: required.min, max: required.max, step: 1 });
  for (const d of catalog.diskTypes()) {
    const r = role === "system" ? d.systemDisk : d.dataDisk;
    if (r) out.set(d.diskType, r);
  }
  for (const d of local) out.set(d.diskType, { min: d.min, max: d.max, step: 1 });
  return out;
}

function checkDiskType(choices: Map<string, SizeRange>, diskType: string, field: string): SizeRange {
  const range = choices.get(diskType);
  if (!range) throw invalid("InvalidParameterValue", field, diskType, `use one of ${[...choices.keys()].join(", ")}`, `取值应为 ${[...choices.keys()].join("、")}`);
  return range;
}

function inRange(size: number, r: SizeRange, min = r.min): boolean {
  return Number.isInteger(size) && size >= min && size <= r.max && size % r.step === 0;
}

/** The system disk: the type asked for or the first the catalog offers; at least the image's size (default 50 GiB). */
export function checkSystemDisk(catalog: Catalog, type: InstanceTypeEntry, image: { imageSize: number }, asked: { DiskType?: string; DiskSize?: number } | undefined, field: string): Disk {
  const choices = diskChoices(catalog, type, "system");
  const diskType = asked?.DiskType ?? [...choices.keys()][0];
  const range = checkDiskType(choices, diskType, `${field}.DiskType`);
  const min = Math.max(range.min, image.imageSize);
  const size = asked?.DiskSize ?? Math.min(range.max, Math.max(50, min));
  if (!inRange(size, range, min)) {
    const r = { ...range, min };
    throw invalid("InvalidParameterValue.Range", `${field}.DiskSize`, size, `a ${diskType} system disk is ${ranged(r)} for this image`, `该镜像的 ${diskType} 系统盘取值范围为 ${rangedZh(r)}`);
  }
  return { DiskType: diskType, DiskSize: size };
}

/** Data disks: those a custom image carries, then those asked for, each of a type and size the catalog sells. */
export function checkDataDisks(catalog: Catalog, type: InstanceTypeEntry, carried: readonly Disk[], asked: readonly cvm.DataDiskIn[], action: string): (Disk & { DeleteWithInstance: boolean; DiskName?: string })[] {
  const given: cvm.DataDiskIn[] = [...carried, ...asked];
  const choices = diskChoices(catalog, type, "data");
  const isLocal = (t: string) => type.localDisks.some((d) => d.partition === "DATA" && d.diskType === t);
  const local = given.filter((d) => isLocal(d.DiskType ?? ""));
  if (given.length - local.length > MAX_DATA_DISKS || local.length > 1) {
    throw invalid("InvalidParameterValue.LimitExceeded", "DataDisks", given.length, `at most ${MAX_DATA_DISKS} cloud data disks and one local one`, `最多 ${MAX_DATA_DISKS} 块云数据盘和 1 块本地数据盘`);
  }
  const required = type.localDisks.find((d) => d.partition === "DATA" && d.required);
  if (required && local.length === 0) {
    throw fail("MissingParameter", `${type.instanceType} is sold with a ${required.diskType} data disk (${required.min}-${required.max} GiB): give one in \`DataDisks\`.`, `${type.instanceType} 必须配置一块 ${required.diskType} 数据盘（${required.min}-${required.max} GiB），请在 \`DataDisks\` 中指定。`);
  }
  const defaultType = [...choices.keys()].find((t) => !isLocal(t)) ?? [...choices.keys()][0];
  return given.map((d, i) => {
    const at = `DataDisks.${i - carried.length}`;
    // A data disk made from a snapshot at launch is not built (CreateDisks takes a SnapshotId).
    if (d.SnapshotId !== undefined) throw unsupported(`${at}.SnapshotId`);
    const disk = { DiskType: d.DiskType ?? defaultType, DiskSize: d.DiskSize ?? 0, DeleteWithInstance: d.DeleteWithInstance ?? true, ...(d.DiskName !== undefined ? { DiskName: d.DiskName } : {}) };
    const range = checkDiskType(choices, disk.DiskType, `${at}.DiskType`);
    if (!inRange(disk.DiskSize, range)) {
      throw invalid("InvalidParameterValue.Range", `${at}.DiskSize`, disk.DiskSize, `a ${disk.DiskType} data disk is ${ranged(range)}`, `${disk.DiskType} 数据盘取值范围为 ${rangedZh(range)}`);
    }
    return disk;
  });
}

/**
 * Whether an instance may change to `type` (ResetInstancesType and its inquiry): its zone sells the type, in stock,
 * billed as the instance is; the processor architecture stays (an image boots on one); GPU and non-GPU families do not
 * mix; a local disk the instance has must exist on the new type too.
 */
export function checkTypeChange(catalog: Catalog, action: string, record: InstanceRecord, type: InstanceTypeEntry): void {
  checkOffered(catalog, action, record.region, record.zone, type, record.chargeType, "InstanceType");
  const from = catalog.instanceType(record.instanceType);
  const arch = from?.architecture ?? "x86_64";
  const name = type.instanceType;
  if (arch !== type.architecture) {
    const [code, en, zh] =
      type.architecture === "arm"
        ? ["UnsupportedOperation.UnsupportedChangeInstanceFamilyToARM", `instance ${record.instanceId} is ${arch} and cannot become ARM`, `实例 ${record.instanceId} 为 ${arch} 机型，不能调整为 ARM 机型`]
        : ["UnsupportedOperation.UnsupportedARMChangeInstanceFamily", `instance ${record.instanceId} is ARM and cannot become ${type.architecture}`, `实例 ${record.instanceId} 为 ARM 机型，不能调整为 ${type.architecture} 机型`];
    throw invalid(documentedCode(action, [code]), "InstanceType", name, en, zh);
  }
  if (Boolean(from?.gpu) !== Boolean(type.gpu)) {
    const codes = type.gpu ? ["InvalidParameterValue.GPUInstanceFamily"] : ["InvalidParameterValue.InvalidGPUFamilyChange", "InvalidParameterValue.GPUInstanceFamily"];
    throw invalid(documentedCode(action, codes), "InstanceType", name, type.gpu ? "a type without GPUs cannot change to a GPU type" : "a GPU type cannot change to a type without GPUs", type.gpu ? "非 GPU 实例不能调整为 GPU 机型" : "GPU 实例不能调整为非 GPU 机型");
  }
  // An HPC family's instance lives in its cluster: no type changes into or out of those families.
  if (HPC_FAMILIES.has(type.family) !== HPC_FAMILIES.has(from?.family ?? "")) {
    throw invalid(documentedCode(action, ["UnsupportedOperation.UnsupportedChangeInstanceToThisInstanceFamily", "UnsupportedOperation.UnsupportedChangeInstanceFamily"]), "InstanceType", name, "instances change into or out of an HPC cluster family only by a new launch", "高性能计算集群机型与其他机型之间不能调整");
  }
  const local = [
    { disk: record.doc.SystemDisk, partition: "ROOT" },
    ...record.doc.DataDisks.map((disk) => ({ disk, partition: "DATA" })),
  ].find(({ disk, partition }) => disk.DiskType.startsWith("LOCAL_") && !type.localDisks.some((d) => d.partition === partition && d.diskType === disk.DiskType));
  if (local) {
    throw invalid(documentedCode(action, ["UnsupportedOperation.LocalDataDiskChangeInstanceFamily"]), "InstanceType", name, `instance ${record.instanceId} has a ${local.disk.DiskType} disk the type does not offer`, `实例 ${record.instanceId} 的 ${local.disk.DiskType} 本地盘在该机型上不可用`);
  }
}

/** The data disk sizes the catalog allows for a disk of this type (for resizing). */
export function dataDiskRange(catalog: Catalog, type: InstanceTypeEntry | undefined, diskType: string): SizeRange | undefined {
  const local = type?.localDisks.find((d) => d.partition === "DATA" && d.diskType === diskType);
  return local ? { min: local.min, max: local.max, step: 1 } : catalog.diskType(diskType)?.dataDisk ?? undefined;
}

/** The system disk sizes the catalog allows for a disk of this type (for resizing and reinstalling). */
export function systemDiskRange(catalog: Catalog, type: InstanceTypeEntry | undefined, diskType: string): SizeRange | undefined {
  const local = type?.localDisks.find((d) => d.partition === "ROOT" && d.diskType === diskType);
  return local ? { min: local.min, max: local.max, step: 1 } : catalog.diskType(diskType)?.systemDisk ?? undefined;
}

/** The internet charge type instances billed `chargeType` get when they name none: the first the catalog allows. */
export function defaultInternetChargeType(catalog: Catalog, chargeType: string): string {
  return catalog.internetChargeTypes().find((i) => i.instanceChargeTypes.includes(chargeType as InstanceChargeType))!.internetChargeType;
}

/** Public bandwidth: a catalog internet charge type that goes with the instance charge type, within its cap. */
export function checkInternet(catalog: Catalog, chargeType: string, ia: cvm.InternetAccessibleIn | undefined, field: string): Internet {
  const bandwidth = ia?.InternetMaxBandwidthOut ?? 0;
  const internetChargeType = ia?.InternetChargeType ?? defaultInternetChargeType(catalog, chargeType);
  const entry = catalog.internetChargeType(internetChargeType);
  if (ia?.BandwidthPackageId !== undefined) {
    throw invalid("InvalidParameterValue.BandwidthPackageIdNotFound", `${field}.BandwidthPackageId`, ia.BandwidthPackageId, "OpenCVM has no bandwidth packages", "OpenCVM 没有共享带宽包");
  }
  if (!entry) {
    const sold = catalog.internetChargeTypes().map((i) => i.internetChargeType);
    throw invalid("InvalidParameterValue", `${field}.InternetChargeType`, internetChargeType, `use one of ${sold.join(", ")}`, `取值应为 ${sold.join("、")}`);
  }
  if (!entry.instanceChargeTypes.includes(chargeType as InstanceChargeType)) {
    throw fail(
      "InvalidParameterCombination",
      `\`${field}.InternetChargeType\` = \`${internetChargeType}\` goes with ${entry.instanceChargeTypes.join(", ")} instances, not ${chargeType}.`,
      `\`${field}.InternetChargeType\` = \`${internetChargeType}\` 仅适用于 ${entry.instanceChargeTypes.join("、")} 实例，不适用于 ${chargeType}。`,
    );
  }
  if (!Number.isInteger(bandwidth) || bandwidth < 0 || bandwidth > entry.maxBandwidthOut) {
    throw invalid("InvalidParameterValue.Range", `${field}.InternetMaxBandwidthOut`, bandwidth, `${internetChargeType} bandwidth is 0-${entry.maxBandwidthOut} Mbps`, `${internetChargeType} 带宽取值范围为 0-${entry.maxBandwidthOut} Mbps`);
  }
  const publicIp = ia?.PublicIpAssigned ?? bandwidth > 0;
  if (publicIp && bandwidth === 0) {
    throw fail("InvalidParameterCombination", `A public IP needs \`${field}.InternetMaxBandwidthOut\` above 0.`, `分配公网 IP 需要 \`${field}.InternetMaxBandwidthOut\` 大于 0。`);
  }
  return { InternetChargeType: internetChargeType, InternetMaxBandwidthOut: bandwidth, PublicIpAssigned: publicIp };
}
