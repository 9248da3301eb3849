// The catalog as a JSON document: its shape (CatalogFile, documented in docs/catalog.md) and the check that turns one
// into CatalogData, refusing anything the API could not serve consistently. Every problem is reported with its path
// inside the document (`instanceTypes[3].zones["ap-x-1"]`), all of them at once (up to a screenful).
import {
  CLOUD_DISK_TYPES,
  INSTANCE_CHARGE_TYPES,
  INTERNET_CHARGE_TYPES,
  LOCAL_DISK_TYPES,
  type Architecture,
  type CatalogData,
  type DiskTypeEntry,
  type FamilyEntry,
  type ImageEntry,
  type InstanceChargeType,
  type InstanceTypeEntry,
  type InternetChargeType,
  type InternetChargeTypeEntry,
  type LocalDiskEntry,
  type Localized,
  type PriceTable,
  type RegionEntry,
  type SizeRange,
  type Stock,
  type Tier,
  type ZoneEntry,
} from "./catalog.js";
import type { ZoneTopology } from "./placement.js";

/** A display text: one string for both languages, or one per language. */
export type LocalizedText = string | { "en-US": string; "zh-CN": string };

export interface TierFile {
  upTo?: number;
  price: number;
}

export interface PriceTableFile {
  instanceTypes: Record<string, Partial<Record<InstanceChargeType, number>>>;
  disks: Record<string, { perGiBHour: number; perGiBMonth: number }>;
  bandwidth: {
    TRAFFIC_POSTPAID_BY_HOUR?: { perGB: number };
    BANDWIDTH_POSTPAID_BY_HOUR?: { perMbpsHour: TierFile[] };
    BANDWIDTH_PREPAID?: { perMbpsMonth: TierFile[] };
  };
  /** What an EIP bound to nothing costs per hour (absent: nothing). */
  eipIdlePerHour?: number;
}

export interface CatalogFile {
  currency: string;
  regions: {
    region: string;
    name: LocalizedText;
    state?: "AVAILABLE" | "UNAVAILABLE";
    zones: { zone: string; zoneId: string; name: LocalizedText; state?: "AVAILABLE" | "UNAVAILABLE"; topology?: ZoneTopology }[];
  }[];
  instanceFamilies: { family: string; name: LocalizedText; architecture?: Architecture; cpuType?: string; frequency?: string }[];
  instanceTypes: {
    instanceType: string;
    family: string;
    cpu: number;
    memory: number;
    gpu?: { count: number; type: string; memory: number };
    fpga?: number;
    network?: { bandwidth?: number; pps?: number; networkCard?: number };
    localDisks?: { diskType: string; partition: "ROOT" | "DATA"; min: number; max: number; required?: boolean }[];
    remark?: string;
    zones: Record<string, Stock>;
  }[];
  diskTypes: { diskType: string; systemDisk?: { min: number; max: number; step?: number }; dataDisk?: { min: number; max: number; step?: number } }[];
  internetChargeTypes: { internetChargeType: InternetChargeType; description: LocalizedText; maxBandwidthOut: number; instanceChargeTypes: InstanceChargeType[] }[];
  prepaidDiscounts?: Record<string, number>;
  prices: Record<string, PriceTableFile>;
  /** The public images every region offers (absent: the built-in ones). */
  images?: {
    imageId: string;
    osName: string;
    platform: string;
    family: "LINUX" | "WINDOWS";
    imageFamily: string;
    architecture?: Architecture;
    imageSize: number;
    createdTime: string;
    loginUser?: string;
  }[];
}

/** Monthly purchase periods the API accepts (InstanceChargePrepaid.Period). */
export const PREPAID_PERIODS: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 24, 36, 48, 60];

/** The API's instance type names: family, a dot, the size (S5.MEDIUM4). */
export const INSTANCE_TYPE_NAME = /^[A-Z][A-Z0-9]*\.[A-Z0-9]+$/;

export class CatalogError extends Error {}

const MAX_REPORTED = 25;
const key = (k: string) => `[${JSON.stringify(k)}]`;

/** Reads values at paths, noting every problem; a value with a problem reads as undefined. */
class Reader {
  readonly problems: string[] = [];

  fail(path: string, message: string): undefined {
    this.problems.push(`${path}: ${message}`);
    return undefined;
  }

  // A member that is absent was reported by the object holding it; reading it again says nothing more.

  object(v: unknown, path: string, required: readonly string[], optional: readonly string[] = []): Record<string, unknown> | undefined {
    if (v === undefined) return undefined;
    if (typeof v !== "object" || v === null || Array.isArray(v)) return this.fail(path, `expected an object, found ${describe(v)}`);
    const o = v as Record<string, unknown>;
    for (const k of required) if (o[k] === undefined) this.fail(path, `missing "${k}"`);
    for (const k of Object.keys(o)) {
      if (!required.includes(k) && !optional.includes(k)) this.fail(`${path}.${k}`, `unknown member (expected ${[...required, ...optional].join(", ")})`);
    }
    return o;
  }

  /** An object used as a map: any keys, each value read by `each`. */
  map<T>(v: unknown, path: string, each: (value: unknown, key: string, path: string) => T | undefined): Map<string, T> {
    const out = new Map<string, T>();
    if (v === undefined) return out;
    if (typeof v !== "object" || v === null || Array.isArray(v)) {
      this.fail(path, `expected an object, found ${describe(v)}`);
      return out;
    }
    for (const [k, value] of Object.entries(v)) {
      const read = each(value, k, `${path}${key(k)}`);
      if (read !== undefined) out.set(k, read);
    }
    return out;
  }

  array(v: unknown, path: string, nonEmpty = true): unknown[] {
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      this.fail(path, `expected an array, found ${describe(v)}`);
      return [];
    }
    if (nonEmpty && v.length === 0) this.fail(path, "must not be empty");
    return v;
  }

  string(v: unknown, path: string, pattern?: RegExp, shape?: string): string | undefined {
    if (v === undefined) return undefined;
    if (typeof v !== "string") return this.fail(path, `expected a string, found ${describe(v)}`);
    if (v.trim() === "") return this.fail(path, "must not be empty");
    if (pattern && !pattern.test(v)) return this.fail(path, `"${v}" is not ${shape}`);
    return v;
  }

  number(v: unknown, path: string, o: { min?: number; max?: number; integer?: boolean; above?: number } = {}): number | undefined {
    if (v === undefined) return undefined;
    if (typeof v !== "number" || !Number.isFinite(v)) return this.fail(path, `expected a number, found ${describe(v)}`);
    if (o.integer && !Number.isInteger(v)) return this.fail(path, `expected a whole number, found ${v}`);
    if (o.min !== undefined && v < o.min) return this.fail(path, `${v} is below the minimum ${o.min}`);
    if (o.above !== undefined && v <= o.above) return this.fail(path, `${v} must be above ${o.above}`);
    if (o.max !== undefined && v > o.max) return this.fail(path, `${v} is above the maximum ${o.max}`);
    return v;
  }

  boolean(v: unknown, path: string): boolean | undefined {
    if (v === undefined) return undefined;
    if (typeof v !== "boolean") return this.fail(path, `expected true or false, found ${describe(v)}`);
    return v;
  }

  oneOf<T extends string>(v: unknown, path: string, values: readonly T[]): T | undefined {
    if (v === undefined) return undefined;
    if (typeof v !== "string" || !values.includes(v as T)) return this.fail(path, `expected one of ${values.join(", ")}, found ${describe(v)}`);
    return v as T;
  }

  localized(v: unknown, path: string): Localized | undefined {
    if (v === undefined) return undefined;
    if (typeof v === "string") {
      const s = this.string(v, path);
      return s === undefined ? undefined : { "en-US": s, "zh-CN": s };
    }
    const o = this.object(v, path, ["en-US", "zh-CN"]);
    if (!o) return undefined;
    const en = this.string(o["en-US"], `${path}["en-US"]`);
    const zh = this.string(o["zh-CN"], `${path}["zh-CN"]`);
    return en !== undefined && zh !== undefined ? { "en-US": en, "zh-CN": zh } : undefined;
  }

  /** Notes a name seen twice among `seen`. */
  unique(name: string | undefined, seen: Set<string>, path: string, what: string): void {
    if (name === undefined) return;
    if (seen.has(name)) this.fail(path, `${what} "${name}" is defined twice`);
    seen.add(name);
  }
}

function describe(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  return `${typeof v} ${JSON.stringify(v)}`;
}

const isDefined = <T>(v: T | undefined): v is T => v !== undefined;

/**
 * Checks a parsed catalog document and returns its data; throws CatalogError naming every problem found, each with
 * its path, prefixed by `source` (the file's name).
 */
export function parseCatalog(doc: unknown, source: string): CatalogData {
  const r = new Reader();
  const data = read(r, doc);
  if (r.problems.length || !data) {
    const shown = r.problems.slice(0, MAX_REPORTED).map((p) => `  ${p}`);
    if (r.problems.length > MAX_REPORTED) shown.push(`  … and ${r.problems.length - MAX_REPORTED} more`);
    throw new CatalogError(`The catalog ${source} is not valid (${r.problems.length} problem${r.problems.length === 1 ? "" : "s"}):\n${shown.join("\n")}`);
  }
  return data;
}

/** Parses JSON text and checks it; a syntax error is reported like any other problem. */
export function parseCatalogJson(text: string, source: string): CatalogData {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new CatalogError(`The catalog ${source} is not valid JSON: ${(e as Error).message}`);
  }
  return parseCatalog(doc, source);
}

function read(r: Reader, doc: unknown): CatalogData | undefined {
  const top = r.object(doc, "$", ["currency", "regions", "instanceFamilies", "instanceTypes", "diskTypes", "internetChargeTypes", "prices"], ["prepaidDiscounts", "images", "$schema", "comment"]);
  if (!top) return undefined;
  const currency = r.string(top.currency, "currency", /^[A-Z]{3}$/, "a three-letter currency code such as CNY");
  const regions = readRegions(r, top.regions);
  const zones = new Map(regions.flatMap((reg) => reg.zones.map((z) => [z.zone, reg.region] as const)));
  const families = readFamilies(r, top.instanceFamilies);
  const diskTypes = readDiskTypes(r, top.diskTypes);
  const types = readTypes(r, top.instanceTypes, new Map(families.map((f) => [f.family, f])), zones);
  const internet = readInternet(r, top.internetChargeTypes);
  const prepaidDiscounts = readDiscounts(r, top.prepaidDiscounts);
  const images = top.images === undefined ? undefined : readImages(r, top.images);
  // Prices may name any type the document declares, even one with a problem of its own (reported already).
  const declared = new Set((Array.isArray(top.instanceTypes) ? top.instanceTypes : []).map((t) => (t as { instanceType?: unknown } | null)?.instanceType).filter((n): n is string => typeof n === "string"));
  const prices = readPrices(r, top.prices, { regions, types, diskTypes, internet, declared });
  if (diskTypes.length && !diskTypes.some((d) => d.systemDisk)) r.fail("diskTypes", "no disk type can be a system disk (give one a systemDisk range)");
  // Every way an instance may be billed needs an internet charge type to default to.
  const billed = new Set(Object.values(prices).flatMap((t) => Object.values(t.instanceTypes).flatMap((row) => Object.keys(row))));
  for (const c of INSTANCE_CHARGE_TYPES) {
    if (billed.has(c) && internet.length && !internet.some((i) => i.instanceChargeTypes.includes(c))) {
      r.fail("internetChargeTypes", `instances are sold ${c} but no internet charge type lists it in instanceChargeTypes`);
    }
  }
  if (currency === undefined) return undefined;
  return { currency, regions, instanceFamilies: families, instanceTypes: types, diskTypes, internetChargeTypes: internet, prepaidDiscounts, prices, ...(images ? { images } : {}) };
}

function readImages(r: Reader, v: unknown): ImageEntry[] {
  const seen = new Set<string>();
  return r
    .array(v, "images")
    .map((item, i): ImageEntry | undefined => {
      const path = `images[${i}]`;
      const o = r.object(item, path, ["imageId", "osName", "platform", "family", "imageFamily", "imageSize", "createdTime"], ["architecture", "loginUser"]);
      if (!o) return undefined;
      const imageId = r.string(o.imageId, `${path}.imageId`, /^img-[a-z0-9]{8}$/, "an image id such as img-eb30mz89");
      r.unique(imageId, seen, `${path}.imageId`, "image");
      const osName = r.string(o.osName, `${path}.osName`);
      const platform = r.string(o.platform, `${path}.platform`);
      const family = r.oneOf(o.family, `${path}.family`, ["LINUX", "WINDOWS"] as const);
      const imageFamily = r.string(o.imageFamily, `${path}.imageFamily`);
      const architecture = o.architecture === undefined ? "x86_64" : r.oneOf(o.architecture, `${path}.architecture`, ["x86_64", "arm"] as const);
      const imageSize = r.number(o.imageSize, `${path}.imageSize`, { integer: true, min: 1 });
      const createdTime = r.string(o.createdTime, `${path}.createdTime`, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, "a UTC time such as 2024-11-20T08:00:00Z");
      // The users the real cloud's public images log in as.
      const loginUser = o.loginUser === undefined ? (family === "WINDOWS" ? "Administrator" : "root") : r.string(o.loginUser, `${path}.loginUser`);
      if ([imageId, osName, platform, family, imageFamily, architecture, imageSize, createdTime, loginUser].includes(undefined)) return undefined;
      return { imageId: imageId!, osName: osName!, platform: platform!, family: family!, imageFamily: imageFamily!, architecture: architecture!, imageSize: imageSize!, createdTime: createdTime!, loginUser: loginUser! };
    })
    .filter(isDefined);
}

function readRegions(r: Reader, v: unknown): RegionEntry[] {
  const names = new Set<string>();
  const zoneNames = new Set<string>();
  const zoneIds = new Set<string>();
  return r
    .array(v, "regions")
    .map((item, i): RegionEntry | undefined => {
      const path = `regions[${i}]`;
      const o = r.object(item, path, ["region", "name", "zones"], ["state"]);
      if (!o) return undefined;
      const region = r.string(o.region, `${path}.region`, /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/, "a region name such as ap-guangzhou (lower case, dash-separated)");
      r.unique(region, names, `${path}.region`, "region");
      const name = r.localized(o.name, `${path}.name`);
      const state = o.state === undefined ? "AVAILABLE" : r.oneOf(o.state, `${path}.state`, ["AVAILABLE", "UNAVAILABLE"] as const);
      const zones = r
        .array(o.zones, `${path}.zones`)
        .map((z, j): ZoneEntry | undefined => {
          const zp = `${path}.zones[${j}]`;
          const zo = r.object(z, zp, ["zone", "zoneId", "name"], ["state", "topology"]);
          if (!zo) return undefined;
          const zone = r.string(zo.zone, `${zp}.zone`, /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/, "a zone name such as ap-guangzhou-3");
          if (zone !== undefined && region !== undefined && !zone.startsWith(`${region}-`)) r.fail(`${zp}.zone`, `"${zone}" must start with its region's name, "${region}-"`);
          r.unique(zone, zoneNames, `${zp}.zone`, "zone");
          const zoneId = r.string(zo.zoneId, `${zp}.zoneId`, /^\d{1,12}$/, "a number written as a string, such as \"100003\"");
          r.unique(zoneId, zoneIds, `${zp}.zoneId`, "zoneId");
          const zname = r.localized(zo.name, `${zp}.name`);
          const zstate = zo.state === undefined ? "AVAILABLE" : r.oneOf(zo.state, `${zp}.state`, ["AVAILABLE", "UNAVAILABLE"] as const);
          const topology = readTopology(r, zo.topology, `${zp}.topology`);
          if (zone === undefined || zoneId === undefined || zname === undefined || zstate === undefined) return undefined;
          return { zone, zoneId, name: zname, state: zstate, ...(topology ? { topology } : {}) };
        })
        .filter(isDefined);
      if (region === undefined || name === undefined || state === undefined) return undefined;
      return { region, name, state, zones };
    })
    .filter(isDefined);
}

function readFamilies(r: Reader, v: unknown): FamilyEntry[] {
  const seen = new Set<string>();
  return r
    .array(v, "instanceFamilies")
    .map((item, i): FamilyEntry | undefined => {
      const path = `instanceFamilies[${i}]`;
      const o = r.object(item, path, ["family", "name"], ["architecture", "cpuType", "frequency"]);
      if (!o) return undefined;
      const family = r.string(o.family, `${path}.family`, /^[A-Z][A-Z0-9]*$/, "a family name such as S5 (capital letters and digits)");
      r.unique(family, seen, `${path}.family`, "family");
      const name = r.localized(o.name, `${path}.name`);
      const architecture = o.architecture === undefined ? "x86_64" : r.oneOf(o.architecture, `${path}.architecture`, ["x86_64", "arm"] as const);
      const cpuType = o.cpuType === undefined ? "" : r.string(o.cpuType, `${path}.cpuType`);
      const frequency = o.frequency === undefined ? "" : r.string(o.frequency, `${path}.frequency`);
      if (family === undefined || name === undefined || architecture === undefined || cpuType === undefined || frequency === undefined) return undefined;
      return { family, name, architecture, cpuType, frequency };
    })
    .filter(isDefined);
}

function readRange(r: Reader, v: unknown, path: string, defaultStep: number): SizeRange | undefined {
  const o = r.object(v, path, ["min", "max"], ["step"]);
  if (!o) return undefined;
  const min = r.number(o.min, `${path}.min`, { integer: true, min: 1 });
  const max = r.number(o.max, `${path}.max`, { integer: true, min: 1 });
  const step = o.step === undefined ? defaultStep : r.number(o.step, `${path}.step`, { integer: true, min: 1 });
  if (min === undefined || max === undefined || step === undefined) return undefined;
  if (max < min) return r.fail(path, `max ${max} is below min ${min}`);
  if (min % step !== 0) return r.fail(path, `min ${min} is not a multiple of step ${step}`);
  return { min, max, step };
}

function readDiskTypes(r: Reader, v: unknown): DiskTypeEntry[] {
  const seen = new Set<string>();
  return r
    .array(v, "diskTypes")
    .map((item, i): DiskTypeEntry | undefined => {
      const path = `diskTypes[${i}]`;
      const o = r.object(item, path, ["diskType"], ["systemDisk", "dataDisk"]);
      if (!o) return undefined;
      const diskType = r.oneOf(o.diskType, `${path}.diskType`, CLOUD_DISK_TYPES);
      r.unique(diskType, seen, `${path}.diskType`, "disk type");
      if (o.systemDisk === undefined && o.dataDisk === undefined) r.fail(path, "give systemDisk, dataDisk or both");
      const systemDisk = o.systemDisk === undefined ? null : readRange(r, o.systemDisk, `${path}.systemDisk`, 1);
      const dataDisk = o.dataDisk === undefined ? null : readRange(r, o.dataDisk, `${path}.dataDisk`, 10);
      if (diskType === undefined || systemDisk === undefined || dataDisk === undefined) return undefined;
      return { diskType, systemDisk, dataDisk };
    })
    .filter(isDefined);
}

function readTypes(r: Reader, v: unknown, families: Map<string, FamilyEntry>, zones: Map<string, string>): InstanceTypeEntry[] {
  const seen = new Set<string>();
  return r
    .array(v, "instanceTypes")
    .map((item, i): InstanceTypeEntry | undefined => {
      const path = `instanceTypes[${i}]`;
      const o = r.object(item, path, ["instanceType", "family", "cpu", "memory", "zones"], ["gpu", "fpga", "network", "localDisks", "remark"]);
      if (!o) return undefined;
      const instanceType = r.string(o.instanceType, `${path}.instanceType`, INSTANCE_TYPE_NAME, "an instance type name such as S5.MEDIUM4");
      r.unique(instanceType, seen, `${path}.instanceType`, "instance type");
      const familyName = r.string(o.family, `${path}.family`);
      const family = familyName === undefined ? undefined : families.get(familyName);
      if (familyName !== undefined && !family) r.fail(`${path}.family`, `no family "${familyName}" in instanceFamilies`);
      if (instanceType !== undefined && familyName !== undefined && !instanceType.startsWith(`${familyName}.`)) {
        r.fail(`${path}.instanceType`, `"${instanceType}" must start with its family, "${familyName}."`);
      }
      const cpu = r.number(o.cpu, `${path}.cpu`, { integer: true, min: 1 });
      const memory = r.number(o.memory, `${path}.memory`, { integer: true, min: 1 });
      let gpu: InstanceTypeEntry["gpu"] | undefined = null;
      if (o.gpu !== undefined) {
        const g = r.object(o.gpu, `${path}.gpu`, ["count", "type", "memory"]);
        const count = g && r.number(g.count, `${path}.gpu.count`, { above: 0 });
        const type = g && r.string(g.type, `${path}.gpu.type`);
        const gmem = g && r.number(g.memory, `${path}.gpu.memory`, { above: 0 });
        gpu = count !== undefined && type !== undefined && gmem !== undefined ? { count, type, memory: gmem } : undefined;
      }
      const fpga = o.fpga === undefined ? 0 : r.number(o.fpga, `${path}.fpga`, { integer: true, min: 0 });
      let network: InstanceTypeEntry["network"] | undefined = { bandwidth: 0, pps: 0, networkCard: 0 };
      if (o.network !== undefined) {
        const n = r.object(o.network, `${path}.network`, [], ["bandwidth", "pps", "networkCard"]);
        const bandwidth = n?.bandwidth === undefined ? 0 : r.number(n.bandwidth, `${path}.network.bandwidth`, { min: 0 });
        const pps = n?.pps === undefined ? 0 : r.number(n.pps, `${path}.network.pps`, { integer: true, min: 0 });
        const networkCard = n?.networkCard === undefined ? 0 : r.number(n.networkCard, `${path}.network.networkCard`, { integer: true, min: 0 });
        network = n && bandwidth !== undefined && pps !== undefined && networkCard !== undefined ? { bandwidth, pps, networkCard } : undefined;
      }
      const localDisks = o.localDisks === undefined ? [] : readLocalDisks(r, o.localDisks, `${path}.localDisks`);
      const remark = o.remark === undefined ? "" : typeof o.remark === "string" ? o.remark : r.fail(`${path}.remark`, `expected a string, found ${describe(o.remark)}`);
      const typeZones = r.map(o.zones, `${path}.zones`, (value, zone, zp) => {
        if (!zones.has(zone)) return r.fail(zp, `no zone "${zone}" in regions`);
        return r.oneOf(value, zp, ["SELL", "SOLD_OUT"] as const);
      });
      if (
        instanceType === undefined || !family || cpu === undefined || memory === undefined || gpu === undefined || fpga === undefined ||
        network === undefined || localDisks === undefined || remark === undefined
      ) {
        return undefined;
      }
      return {
        instanceType,
        family: family.family,
        familyName: family.name,
        cpu,
        memory,
        architecture: family.architecture,
        cpuType: family.cpuType,
        frequency: family.frequency,
        gpu,
        fpga,
        network,
        localDisks,
        remark,
        zones: Object.fromEntries(typeZones),
      };
    })
    .filter(isDefined);
}

function readLocalDisks(r: Reader, v: unknown, path: string): LocalDiskEntry[] | undefined {
  const out = r.array(v, path, false).map((item, i): LocalDiskEntry | undefined => {
    const p = `${path}[${i}]`;
    const o = r.object(item, p, ["diskType", "partition", "min", "max"], ["required"]);
    if (!o) return undefined;
    const diskType = r.oneOf(o.diskType, `${p}.diskType`, LOCAL_DISK_TYPES);
    const partition = r.oneOf(o.partition, `${p}.partition`, ["ROOT", "DATA"] as const);
    const min = r.number(o.min, `${p}.min`, { integer: true, min: 1 });
    const max = r.number(o.max, `${p}.max`, { integer: true, min: 1 });
    const required = o.required === undefined ? false : r.boolean(o.required, `${p}.required`);
    if (min !== undefined && max !== undefined && max < min) return r.fail(p, `max ${max} is below min ${min}`);
    if (diskType === undefined || partition === undefined || min === undefined || max === undefined || required === undefined) return undefined;
    return { diskType, partition, min, max, required };
  });
  if (out.filter((d) => d?.partition === "ROOT").length > 1) return r.fail(path, "at most one ROOT local disk");
  if (out.filter((d) => d?.partition === "DATA").length > 1) return r.fail(path, "at most one DATA local disk (an instance has at most one local data disk)");
  return out.every(isDefined) ? out : undefined;
}

function readInternet(r: Reader, v: unknown): InternetChargeTypeEntry[] {
  const seen = new Set<string>();
  return r
    .array(v, "internetChargeTypes")
    .map((item, i): InternetChargeTypeEntry | undefined => {
      const path = `internetChargeTypes[${i}]`;
      const o = r.object(item, path, ["internetChargeType", "description", "maxBandwidthOut", "instanceChargeTypes"]);
      if (!o) return undefined;
      const type =
        o.internetChargeType === "BANDWIDTH_PACKAGE"
          ? r.fail(`${path}.internetChargeType`, "BANDWIDTH_PACKAGE needs bandwidth packages, which OpenCVM does not have")
          : r.oneOf(o.internetChargeType, `${path}.internetChargeType`, INTERNET_CHARGE_TYPES);
      r.unique(type, seen, `${path}.internetChargeType`, "internet charge type");
      const description = r.localized(o.description, `${path}.description`);
      const maxBandwidthOut = r.number(o.maxBandwidthOut, `${path}.maxBandwidthOut`, { integer: true, min: 1 });
      const charges = r.array(o.instanceChargeTypes, `${path}.instanceChargeTypes`).map((c, j) => r.oneOf(c, `${path}.instanceChargeTypes[${j}]`, INSTANCE_CHARGE_TYPES));
      if (type === undefined || description === undefined || maxBandwidthOut === undefined || !charges.every(isDefined)) return undefined;
      return { internetChargeType: type, description, maxBandwidthOut, instanceChargeTypes: charges };
    })
    .filter(isDefined);
}

function readDiscounts(r: Reader, v: unknown): Record<number, number> {
  if (v === undefined) return {};
  const read = r.map(v, "prepaidDiscounts", (value, months, path) => {
    if (!PREPAID_PERIODS.includes(Number(months))) return r.fail(path, `"${months}" is not a purchase period (months: ${PREPAID_PERIODS.join(", ")})`);
    return r.number(value, path, { above: 0, max: 100 });
  });
  return Object.fromEntries([...read].map(([k, pct]) => [Number(k), pct]));
}

function readTiers(r: Reader, v: unknown, path: string): Tier[] | undefined {
  const tiers = r.array(v, path).map((item, i): Tier | undefined => {
    const p = `${path}[${i}]`;
    const o = r.object(item, p, ["price"], ["upTo"]);
    if (!o) return undefined;
    const price = r.number(o.price, `${p}.price`, { min: 0 });
    const upTo = o.upTo === undefined ? null : r.number(o.upTo, `${p}.upTo`, { integer: true, min: 1 });
    return price === undefined || upTo === undefined ? undefined : { upTo, price };
  });
  if (!tiers.every(isDefined) || tiers.length === 0) return undefined;
  for (let i = 0; i < tiers.length; i++) {
    const last = i === tiers.length - 1;
    if (last && tiers[i].upTo !== null) return r.fail(`${path}[${i}]`, "the last tier has no upTo: it prices every Mbps above the others");
    if (!last && tiers[i].upTo === null) return r.fail(`${path}[${i}].upTo`, "every tier but the last needs upTo");
    if (i > 0 && !last && tiers[i].upTo! <= tiers[i - 1].upTo!) return r.fail(`${path}[${i}].upTo`, "tiers must rise");
  }
  return tiers;
}

interface Sold {
  regions: RegionEntry[];
  types: InstanceTypeEntry[];
  diskTypes: DiskTypeEntry[];
  internet: InternetChargeTypeEntry[];
  declared: Set<string>;
}

function readPrices(r: Reader, v: unknown, sold: Sold): Record<string, PriceTable> {
  const known = new Set(sold.regions.map((reg) => reg.region));
  const typeNames = sold.declared;
  const read = r.map(v, "prices", (value, region, path): PriceTable | undefined => {
    if (!known.has(region)) return r.fail(path, `no region "${region}" in regions`);
    const o = r.object(value, path, ["instanceTypes", "disks", "bandwidth"], ["eipIdlePerHour"]);
    if (!o) return undefined;
    const types = r.map(o.instanceTypes, `${path}.instanceTypes`, (row, type, tp) => {
      if (!typeNames.has(type)) return r.fail(tp, `no instance type "${type}" in instanceTypes`);
      const ro = r.object(row, tp, [], INSTANCE_CHARGE_TYPES);
      if (!ro) return undefined;
      if (Object.keys(ro).length === 0) return r.fail(tp, `price at least one of ${INSTANCE_CHARGE_TYPES.join(", ")}`);
      const out: Partial<Record<InstanceChargeType, number>> = {};
      for (const c of INSTANCE_CHARGE_TYPES) {
        if (ro[c] === undefined) continue;
        const n = r.number(ro[c], `${tp}.${c}`, { above: 0 });
        if (n === undefined) return undefined;
        out[c] = n;
      }
      return out;
    });
    const disks = r.map(o.disks, `${path}.disks`, (row, disk, dp) => {
      if (!(CLOUD_DISK_TYPES as readonly string[]).includes(disk) && !(LOCAL_DISK_TYPES as readonly string[]).includes(disk)) {
        return r.fail(dp, `"${disk}" is not a disk type (${[...CLOUD_DISK_TYPES, ...LOCAL_DISK_TYPES].join(", ")})`);
      }
      const ro = r.object(row, dp, ["perGiBHour", "perGiBMonth"]);
      const perGiBHour = ro && r.number(ro.perGiBHour, `${dp}.perGiBHour`, { min: 0 });
      const perGiBMonth = ro && r.number(ro.perGiBMonth, `${dp}.perGiBMonth`, { min: 0 });
      return perGiBHour !== undefined && perGiBMonth !== undefined ? { perGiBHour, perGiBMonth } : undefined;
    });
    const bw = r.object(o.bandwidth, `${path}.bandwidth`, [], INTERNET_CHARGE_TYPES);
    const bandwidth: PriceTable["bandwidth"] = {};
    if (bw?.TRAFFIC_POSTPAID_BY_HOUR !== undefined) {
      const t = r.object(bw.TRAFFIC_POSTPAID_BY_HOUR, `${path}.bandwidth.TRAFFIC_POSTPAID_BY_HOUR`, ["perGB"]);
      const perGB = t && r.number(t.perGB, `${path}.bandwidth.TRAFFIC_POSTPAID_BY_HOUR.perGB`, { min: 0 });
      if (perGB !== undefined) bandwidth.TRAFFIC_POSTPAID_BY_HOUR = { perGB };
    }
    if (bw?.BANDWIDTH_POSTPAID_BY_HOUR !== undefined) {
      const t = r.object(bw.BANDWIDTH_POSTPAID_BY_HOUR, `${path}.bandwidth.BANDWIDTH_POSTPAID_BY_HOUR`, ["perMbpsHour"]);
      const tiers = t && readTiers(r, t.perMbpsHour, `${path}.bandwidth.BANDWIDTH_POSTPAID_BY_HOUR.perMbpsHour`);
      if (tiers) bandwidth.BANDWIDTH_POSTPAID_BY_HOUR = { perMbpsHour: tiers };
    }
    if (bw?.BANDWIDTH_PREPAID !== undefined) {
      const t = r.object(bw.BANDWIDTH_PREPAID, `${path}.bandwidth.BANDWIDTH_PREPAID`, ["perMbpsMonth"]);
      const tiers = t && readTiers(r, t.perMbpsMonth, `${path}.bandwidth.BANDWIDTH_PREPAID.perMbpsMonth`);
      if (tiers) bandwidth.BANDWIDTH_PREPAID = { perMbpsMonth: tiers };
    }
    const eipIdlePerHour = o.eipIdlePerHour === undefined ? undefined : r.number(o.eipIdlePerHour, `${path}.eipIdlePerHour`, { min: 0 });
    return { instanceTypes: Object.fromEntries(types), disks: Object.fromEntries(disks), bandwidth, ...(eipIdlePerHour === undefined ? {} : { eipIdlePerHour }) };
  });
  const prices = Object.fromEntries(read);

  // Whatever a region sells must have a price there: every type one of its zones offers, every disk type such a
  // type may use, every internet charge type.
  for (const reg of sold.regions) {
    const offered = sold.types.filter((t) => reg.zones.some((z) => Object.hasOwn(t.zones, z.zone)));
    if (!offered.length) continue;
    const table = prices[reg.region];
    const path = `prices${key(reg.region)}`;
    if (!table) {
      if (r.problems.some((p) => p.startsWith(path))) continue;
      r.fail("prices", `no price table for region "${reg.region}", whose zones sell ${offered.map((t) => t.instanceType).slice(0, 3).join(", ")}${offered.length > 3 ? ", …" : ""}`);
      continue;
    }
    for (const t of offered) if (!table.instanceTypes[t.instanceType]) r.fail(`${path}.instanceTypes`, `no price for "${t.instanceType}", which ${reg.region} sells`);
    const disks = new Set([...sold.diskTypes.map((d) => d.diskType), ...offered.flatMap((t) => t.localDisks.map((d) => d.diskType))]);
    for (const d of disks) if (!table.disks[d]) r.fail(`${path}.disks`, `no price for "${d}", which ${reg.region} sells`);
    for (const i of sold.internet) if (!table.bandwidth[i.internetChargeType]) r.fail(`${path}.bandwidth`, `no price for "${i.internetChargeType}", which the catalog sells`);
  }
  return prices;
}

/** A zone's switches, racks per switch and hosts per rack: whole numbers from 1 to 1000. */
function readTopology(r: Reader, v: unknown, path: string): ZoneTopology | undefined {
  const o = r.object(v, path, ["switches", "racksPerSwitch", "hostsPerRack"]);
  if (!o) return undefined;
  const count = (key: string) => r.number(o[key], `${path}.${key}`, { integer: true, min: 1, max: 1000 });
  const [switches, racksPerSwitch, hostsPerRack] = [count("switches"), count("racksPerSwitch"), count("hostsPerRack")];
  if (switches === undefined || racksPerSwitch === undefined || hostsPerRack === undefined) return undefined;
  return { switches, racksPerSwitch, hostsPerRack };
}
