// What the cloud offers, as data: regions and their availability zones (instance types, disks and prices follow).
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

export class Catalog {
  private readonly byName: Map<string, RegionEntry>;

  constructor(readonly regions: readonly RegionEntry[]) {
    this.byName = new Map(regions.map((r) => [r.region, r]));
  }

  region(name: string): RegionEntry | undefined {
    return this.byName.get(name);
  }
}
