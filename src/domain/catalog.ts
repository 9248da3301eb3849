// What the cloud offers, as data: regions and their availability zones, instance families and types (which zone
// sells which, and which are sold out there), disk types with their sizes, internet charge types with their
// bandwidth ranges, a price table per region, and public images. The default catalog is in src/catalog/; an
// operator replaces it with a file of the same shape (domain/catalog-file.ts reads one, docs/catalog.md describes it).
import type { Language } from "./errors.js";
import { DEFAULT_TOPOLOGY, type ZoneTopology } from "./placement.js";

export type Localized = Record<Language, string>;
export type Architecture = "x86_64" | "arm";

/** How instances are billed (InstanceChargeType) among those OpenCVM sells. */
export type InstanceChargeType = "POSTPAID_BY_HOUR" | "PREPAID" | "SPOTPAID";
export const INSTANCE_CHARGE_TYPES: readonly InstanceChargeType[] = ["POSTPAID_BY_HOUR", "PREPAID", "SPOTPAID"];

/** How public bandwidth is billed, among those OpenCVM sells (it has no bandwidth packages). */
export type InternetChargeType = "TRAFFIC_POSTPAID_BY_HOUR" | "BANDWIDTH_POSTPAID_BY_HOUR" | "BANDWIDTH_PREPAID";
export const INTERNET_CHARGE_TYPES: readonly InternetChargeType[] = ["BANDWIDTH_PREPAID", "TRAFFIC_POSTPAID_BY_HOUR", "BANDWIDTH_POSTPAID_BY_HOUR"];

/** Cloud disk types (chosen freely within their sizes) and local disk types (as an instance type allows). */
export const CLOUD_DISK_TYPES = ["CLOUD_BASIC", "CLOUD_PREMIUM", "CLOUD_SSD", "CLOUD_BSSD", "CLOUD_HSSD", "CLOUD_TSSD"] as const;
export const LOCAL_DISK_TYPES = ["LOCAL_BASIC", "LOCAL_SSD", "LOCAL_NVME", "LOCAL_PRO"] as const;

/** Whether a zone sells a type now (DescribeZoneInstanceConfigInfos' Status). */
export type Stock = "SELL" | "SOLD_OUT";

export interface ZoneEntry {
  zone: string;
  zoneId: string;
  name: Localized;
  state: "AVAILABLE" | "UNAVAILABLE";
  /** Its switches, racks and hosts, which placement groups spread over; absent: DEFAULT_TOPOLOGY. */
  topology?: ZoneTopology;
}

export interface RegionEntry {
  region: string;
  name: Localized;
  state: "AVAILABLE" | "UNAVAILABLE";
  zones: ZoneEntry[];
}

export interface FamilyEntry {
  family: string;
  name: Localized;
  architecture: Architecture;
  /** The processor model, e.g. "Intel Xeon Cascade Lake 8255C". */
  cpuType: string;
  /** Base/turbo frequency as the API writes it, e.g. "2.5GHz/3.1GHz". */
  frequency: string;
}

export interface LocalDiskEntry {
  diskType: string;
  /** ROOT: may be the system disk; DATA: may be a data disk. */
  partition: "ROOT" | "DATA";
  min: number;
  max: number;
  /** A type whose local disk is required launches with it: a ROOT one is the default system disk and the only one. */
  required: boolean;
}

export interface InstanceTypeEntry {
  instanceType: string;
  family: string;
  familyName: Localized;
  cpu: number;
  /** GiB */
  memory: number;
  architecture: Architecture;
  cpuType: string;
  frequency: string;
  /** Physical GPU cards (below 1 for a vGPU share), their model and memory per card (GiB); null without GPUs. */
  gpu: { count: number; type: string; memory: number } | null;
  fpga: number;
  /** Private network: bandwidth in Gbps, packets in 10k PPS, the network card's Gbps (0 when not stated). */
  network: { bandwidth: number; pps: number; networkCard: number };
  localDisks: LocalDiskEntry[];
  remark: string;
  /** The zones that offer this type, with whether it is in stock there. A zone not listed does not sell it. */
  zones: Record<string, Stock>;
}

export interface SizeRange {
  min: number;
  max: number;
  step: number;
}

export interface DiskTypeEntry {
  diskType: string;
  /** GiB; null when the type cannot be a system disk. */
  systemDisk: SizeRange | null;
  /** GiB; null when the type cannot be a data disk. */
  dataDisk: SizeRange | null;
}

export interface InternetChargeTypeEntry {
  internetChargeType: InternetChargeType;
  description: Localized;
  /** Mbps; 0 (no public address) is always allowed. */
  maxBandwidthOut: number;
  /** The instance charge types this internet charge type may be bought with. */
  instanceChargeTypes: InstanceChargeType[];
}

/** A progressive price: each Mbps up to `upTo` (inclusive) at `price`, the rest at the next tier's. */
export interface Tier {
  upTo: number | null;
  price: number;
}

/** What things cost in one region, in the catalog's currency. */
export interface PriceTable {
  /** Per instance: POSTPAID_BY_HOUR and SPOTPAID per hour, PREPAID per month. A charge type without a price is not sold. */
  instanceTypes: Record<string, Partial<Record<InstanceChargeType, number>>>;
  /** Per GiB of disk, per hour (pay-as-you-go and spot instances) and per month (monthly instances). */
  disks: Record<string, { perGiBHour: number; perGiBMonth: number }>;
  bandwidth: {
    TRAFFIC_POSTPAID_BY_HOUR?: { perGB: number };
    BANDWIDTH_POSTPAID_BY_HOUR?: { perMbpsHour: Tier[] };
    BANDWIDTH_PREPAID?: { perMbpsMonth: Tier[] };
  };
  /** Per hour, for an EIP bound to nothing (absent: free). */
  eipIdlePerHour?: number;
}

export interface CatalogData {
  /** The currency every price is in, e.g. CNY. */
  currency: string;
  regions: RegionEntry[];
  instanceFamilies: FamilyEntry[];
  instanceTypes: InstanceTypeEntry[];
  diskTypes: DiskTypeEntry[];
  internetChargeTypes: InternetChargeTypeEntry[];
  /** Percent of the list price paid for a monthly purchase of this many months (absent: 100, no discount). */
  prepaidDiscounts: Record<number, number>;
  prices: Record<string, PriceTable>;
  /** The public images every region offers; absent when a catalog file leaves them to the built-in ones. */
  images?: ImageEntry[];
}

/** An operating system ImportImage accepts, as DescribeImportImageOs lists it. */
export interface ImportableOs {
  osName: string;
  family: "LINUX" | "WINDOWS";
  versions: string[];
  architectures: string[];
}

export interface ImageEntry {
  imageId: string;
  osName: string;
  platform: string;
  /** The OS family: what password rules, host-name rules and key pairs follow. */
  family: "LINUX" | "WINDOWS";
  loginUser: string;
  /** DescribeImageFromFamily's family: the newest image of a family is the one it answers. */
  imageFamily: string;
  architecture: Architecture;
  /** GiB: the smallest system disk the image fits on. */
  imageSize: number;
  createdTime: string;
}

/** A dedicated host (CDH) type: the capacity one host of it has, the instance families it runs, its monthly price. */
export interface HostTypeEntry {
  hostType: string;
  /** The instance families whose types an instance on such a host may be. */
  families: string[];
  cpu: number;
  /** GiB */
  memory: number;
  /** GiB of local disk, of `diskType`, that instances' local disks take. */
  disk: number;
  diskType: string;
  /** What a month of one host costs, in the catalog's currency, before the prepaid discount. */
  monthlyPrice: number;
}

export class Catalog {
  readonly regions: readonly RegionEntry[];
  readonly currency: string;
  private readonly regionsByName: Map<string, RegionEntry>;
  private readonly regionOfZone: Map<string, string>;
  private readonly familiesByName: Map<string, FamilyEntry>;
  private readonly types: Map<string, InstanceTypeEntry>;
  private readonly disks: Map<string, DiskTypeEntry>;
  private readonly internet: Map<string, InternetChargeTypeEntry>;
  private readonly imagesById: Map<string, ImageEntry>;
  /** What ImportImage accepts (DescribeImportImageOs). */
  readonly importableOs: readonly ImportableOs[];
  private readonly hosts: Map<string, HostTypeEntry>;

  /**
   * `builtIn` holds what a catalog file does not give: the public images when it names none, and the systems
   * ImportImage accepts.
   */
  constructor(
    readonly data: CatalogData,
    builtIn: { images: readonly ImageEntry[]; importableOs: readonly ImportableOs[]; hostTypes?: readonly HostTypeEntry[] },
  ) {
    this.regions = data.regions;
    this.currency = data.currency;
    this.regionsByName = new Map(data.regions.map((r) => [r.region, r]));
    this.regionOfZone = new Map(data.regions.flatMap((r) => r.zones.map((z) => [z.zone, r.region] as const)));
    this.familiesByName = new Map(data.instanceFamilies.map((f) => [f.family, f]));
    this.types = new Map(data.instanceTypes.map((t) => [t.instanceType, t]));
    this.disks = new Map(data.diskTypes.map((d) => [d.diskType, d]));
    this.internet = new Map(data.internetChargeTypes.map((i) => [i.internetChargeType, i]));
    this.imagesById = new Map((data.images ?? builtIn.images).map((i) => [i.imageId, i]));
    this.importableOs = builtIn.importableOs;
    this.hosts = new Map((builtIn.hostTypes ?? []).map((h) => [h.hostType, h]));
  }

  /** Every dedicated host type, in catalog order. */
  hostTypes(): HostTypeEntry[] {
    return [...this.hosts.values()];
  }

  hostType(name: string): HostTypeEntry | undefined {
    return this.hosts.get(name);
  }

  /** Whether `zone` sells hosts of `hostType`: it sells (in stock) a type of one of the host's families. */
  sellsHost(zone: string, hostType: HostTypeEntry): boolean {
    return this.instanceTypes().some((t) => hostType.families.includes(t.family) && t.zones[zone] === "SELL");
  }

  region(name: string): RegionEntry | undefined {
    return this.regionsByName.get(name);
  }

  zone(region: string, zone: string): ZoneEntry | undefined {
    return this.regionsByName.get(region)?.zones.find((z) => z.zone === zone);
  }

  /** The region a zone belongs to. */
  regionOf(zone: string): string | undefined {
    return this.regionOfZone.get(zone);
  }

  /** A zone's switches, racks and hosts. */
  topology(zone: string): ZoneTopology {
    const region = this.regionOfZone.get(zone);
    return (region && this.zone(region, zone)?.topology) || DEFAULT_TOPOLOGY;
  }

  /** Every instance family, in catalog order. */
  families(): FamilyEntry[] {
    return [...this.familiesByName.values()];
  }

  /** Every instance type, in catalog order. */
  instanceTypes(): InstanceTypeEntry[] {
    return [...this.types.values()];
  }

  instanceType(name: string): InstanceTypeEntry | undefined {
    return this.types.get(name);
  }

  /** Whether `zone` sells `type` (in stock or sold out), or undefined when it does not offer it at all. */
  stock(zone: string, type: string): Stock | undefined {
    const t = this.types.get(type);
    return t && Object.hasOwn(t.zones, zone) ? t.zones[zone] : undefined;
  }

  /** The instance charge types `type` is sold under in `region`: those its price table prices. */
  chargeTypes(region: string, type: string): InstanceChargeType[] {
    const row = this.prices(region)?.instanceTypes[type];
    return row ? INSTANCE_CHARGE_TYPES.filter((c) => row[c] !== undefined) : [];
  }

  /** Cloud disk types, in catalog order (the first one that fits is the default). */
  diskTypes(): DiskTypeEntry[] {
    return [...this.disks.values()];
  }

  diskType(name: string): DiskTypeEntry | undefined {
    return this.disks.get(name);
  }

  /** Internet charge types, in catalog order (the first one an instance charge type allows is its default). */
  internetChargeTypes(): InternetChargeTypeEntry[] {
    return [...this.internet.values()];
  }

  internetChargeType(name: string): InternetChargeTypeEntry | undefined {
    return this.internet.get(name);
  }

  /** The region's price table; every region that sells anything has one. */
  prices(region: string): PriceTable | undefined {
    return Object.hasOwn(this.data.prices, region) ? this.data.prices[region] : undefined;
  }

  /** Percent of the list price paid for `months` bought at once (100: no discount). */
  prepaidDiscount(months: number): number {
    return this.data.prepaidDiscounts[months] ?? 100;
  }

  image(imageId: string): ImageEntry | undefined {
    return this.imagesById.get(imageId);
  }

  /** Every public image, in catalog order. */
  images(): ImageEntry[] {
    return [...this.imagesById.values()];
  }
}
