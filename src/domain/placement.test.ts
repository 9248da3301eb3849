import { describe, expect, it } from "vitest";
import { fits, hostName, hostsOf, parseHost, spreadHosts, unitCount, unitOf, type HostSlot } from "./placement.js";

const small = { switches: 2, racksPerSwitch: 3, hostsPerRack: 2 };
const first = () => 0;

describe("spread placement", () => {
  it("numbers hosts within racks within switches, and names them both ways", () => {
    const hosts = hostsOf(small);
    expect(hosts.length).toBe(12);
    expect(hosts.map(hostName).slice(0, 3)).toEqual(["sw1-rack1-host1", "sw1-rack1-host2", "sw1-rack2-host1"]);
    for (const h of hosts) expect(parseHost(hostName(h))).toEqual(h);
    expect(parseHost("rack1")).toBeUndefined();
    expect([unitCount("HOST", small), unitCount("RACK", small), unitCount("SW", small)]).toEqual([12, 6, 2]);
  });

  it("keeps each unit within the affinity, emptiest unit first, and says when it cannot", () => {
    for (const type of ["HOST", "RACK", "SW"] as const) {
      for (const affinity of [1, 2]) {
        const room = unitCount(type, small) * affinity;
        const placed = spreadHosts(small, type, affinity, [], room, first)!;
        expect(placed.length).toBe(room);
        const perUnit = new Map<string, number>();
        for (const h of placed) perUnit.set(unitOf(type, h), (perUnit.get(unitOf(type, h)) ?? 0) + 1);
        expect([...perUnit.values()].every((n) => n === affinity)).toBe(true);
        expect(spreadHosts(small, type, affinity, placed, 1, first)).toBeUndefined();
        expect(spreadHosts(small, type, affinity, [], room + 1, first)).toBeUndefined();
      }
    }
  });

  it("places around the instances already there", () => {
    const used: HostSlot[] = [{ switch: 1, rack: 1, host: 1 }];
    const [next] = spreadHosts(small, "SW", 1, used, 1, first)!;
    expect(next.switch).toBe(2);
    expect(fits("SW", 1, used, { switch: 1, rack: 3, host: 2 })).toBe(false);
    expect(fits("RACK", 1, used, { switch: 1, rack: 3, host: 2 })).toBe(true);
  });
});
