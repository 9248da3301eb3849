// Where instances run inside a zone: switches, each with racks, each with hosts (the catalog's topology of the
// zone, or a default one). A spread placement group keeps its instances apart at one level (HOST, SW or RACK):
// no more than its affinity of them on one host, behind one switch or in one rack. Pure: the caller reads where
// the group's instances are and writes where the new ones go.

export interface ZoneTopology {
  switches: number;
  racksPerSwitch: number;
  hostsPerRack: number;
}

/** A zone the catalog gives no topology: 24 switches of 2 racks of 4 hosts (192 hosts). */
export const DEFAULT_TOPOLOGY: ZoneTopology = { switches: 24, racksPerSwitch: 2, hostsPerRack: 4 };

export const SPREAD_TYPES = ["HOST", "SW", "RACK"] as const;
export type SpreadType = (typeof SPREAD_TYPES)[number];

/** Instances one group may hold, by type (the real cloud's figures: DescribeDisasterRecoverGroupQuota). */
export const GROUP_CAPACITY: Readonly<Record<SpreadType, number>> = { HOST: 50, SW: 20, RACK: 20 };

/** A host's place: `sw<s>-rack<r>-host<h>`, numbered from 1. */
export interface HostSlot {
  switch: number;
  rack: number;
  host: number;
}

export const hostName = (h: HostSlot): string => `sw${h.switch}-rack${h.rack}-host${h.host}`;

export function parseHost(name: string): HostSlot | undefined {
  const m = /^sw(\d+)-rack(\d+)-host(\d+)$/.exec(name);
  return m ? { switch: Number(m[1]), rack: Number(m[2]), host: Number(m[3]) } : undefined;
}

/** The unit a group of `type` spreads over that holds host `h` (in one zone). */
export function unitOf(type: SpreadType, h: HostSlot): string {
  if (type === "SW") return `sw${h.switch}`;
  if (type === "RACK") return `sw${h.switch}-rack${h.rack}`;
  return hostName(h);
}

export function hostsOf(t: ZoneTopology): HostSlot[] {
  const out: HostSlot[] = [];
  for (let s = 1; s <= t.switches; s++) for (let r = 1; r <= t.racksPerSwitch; r++) for (let h = 1; h <= t.hostsPerRack; h++) out.push({ switch: s, rack: r, host: h });
  return out;
}

/** How many units of `type` a zone has. */
export function unitCount(type: SpreadType, t: ZoneTopology): number {
  return type === "SW" ? t.switches : type === "RACK" ? t.switches * t.racksPerSwitch : t.switches * t.racksPerSwitch * t.hostsPerRack;
}

/** Whether a host keeps the spread: its unit holds fewer than `affinity` of the group's instances (`used`). */
export function fits(type: SpreadType, affinity: number, used: readonly HostSlot[], h: HostSlot): boolean {
  const unit = unitOf(type, h);
  return used.filter((u) => unitOf(type, u) === unit).length < affinity;
}

/**
 * Hosts for `count` more of a group's instances in a zone where its instances already use `used`, emptiest unit
 * first (`pick` breaks ties, e.g. at random); undefined when the spread cannot hold them all.
 */
export function spreadHosts(t: ZoneTopology, type: SpreadType, affinity: number, used: readonly HostSlot[], count: number, pick: (n: number) => number): HostSlot[] | undefined {
  const taken = [...used];
  const all = hostsOf(t);
  const chosen: HostSlot[] = [];
  for (let i = 0; i < count; i++) {
    const load = (h: HostSlot) => taken.filter((u) => unitOf(type, u) === unitOf(type, h)).length;
    const open = all.filter((h) => load(h) < affinity);
    if (open.length === 0) return undefined;
    const least = Math.min(...open.map(load));
    const best = open.filter((h) => load(h) === least);
    const h = best[pick(best.length)];
    chosen.push(h);
    taken.push(h);
  }
  return chosen;
}
