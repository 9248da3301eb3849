// What the cloud offers, as data: regions and their availability zones, instance types and public images.
import type { Language } from "./errors.js";

export type Localized = Record<Language, string>;

export interface ZoneEntry {
  zone: string;
  zoneId: string;
  name: Localized;
  state: "AVAILABLE" | "UNAVAILABLE";
}

export interface RegionEntry {
  region: string;
  name: Localized;
  state: "AVAILABLE" | "UNAVAILABLE";
  zones: ZoneEntry[];
}

export interface InstanceTypeEntry {
  instanceType: string;
  family: string;
  familyName: Localized;
  cpu: number;
  /** GiB */
  memory: number;
  architecture: "x86_64" | "arm";
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
  architecture: "x86_64" | "arm";
  /** GiB: the smallest system disk the image fits on. */
  imageSize: number;
  createdTime: string;
}

export class Catalog {
  private readonly regionsByName: Map<string, RegionEntry>;
  private readonly types: Map<string, InstanceTypeEntry>;
  private readonly imagesById: Map<string, ImageEntry>;

  constructor(
    readonly regions: readonly RegionEntry[],
    instanceTypes: readonly InstanceTypeEntry[],
    images: readonly ImageEntry[],
  ) {
    this.regionsByName = new Map(regions.map((r) => [r.region, r]));
    this.types = new Map(instanceTypes.map((t) => [t.instanceType, t]));
    this.imagesById = new Map(images.map((i) => [i.imageId, i]));
  }

  region(name: string): RegionEntry | undefined {
    return this.regionsByName.get(name);
  }

  zone(region: string, zone: string): ZoneEntry | undefined {
    return this.regionsByName.get(region)?.zones.find((z) => z.zone === zone);
  }

  /** Every instance type sold, in catalog order. */
  instanceTypes(): InstanceTypeEntry[] {
    return [...this.types.values()];
  }

  instanceType(name: string): InstanceTypeEntry | undefined {
    return this.types.get(name);
  }

  image(imageId: string): ImageEntry | undefined {
    return this.imagesById.get(imageId);
  }

  /** Every public image, in catalog order. */
  images(): ImageEntry[] {
    return [...this.imagesById.values()];
  }
}
