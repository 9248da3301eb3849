import { describe, expect, it } from "vitest";
import { DEFAULT_CATALOG, defaultCatalogData } from "../catalog/index.js";
import { CatalogError, parseCatalog, parseCatalogJson, type CatalogFile } from "./catalog-file.js";
import { Catalog } from "./catalog.js";
import { DEFAULT_TOPOLOGY } from "./placement.js";

/** A small valid catalog: one region, two zones, two types. */
function small(): CatalogFile {
  return {
    currency: "CNY",
    regions: [
      {
        region: "dc-east",
        name: "East DC",
        zones: [
          { zone: "dc-east-1", zoneId: "9001", name: "Hall 1" },
          { zone: "dc-east-2", zoneId: "9002", name: { "en-US": "Hall 2", "zh-CN": "二号厅" }, state: "UNAVAILABLE" },
        ],
      },
    ],
    instanceFamilies: [{ family: "G1", name: "General G1" }],
    instanceTypes: [
      { instanceType: "G1.SMALL2", family: "G1", cpu: 1, memory: 2, zones: { "dc-east-1": "SELL", "dc-east-2": "SELL" } },
      { instanceType: "G1.LARGE8", family: "G1", cpu: 4, memory: 8, zones: { "dc-east-1": "SOLD_OUT" } },
    ],
    diskTypes: [{ diskType: "CLOUD_SSD", systemDisk: { min: 20, max: 500 }, dataDisk: { min: 20, max: 2000 } }],
    internetChargeTypes: [{ internetChargeType: "TRAFFIC_POSTPAID_BY_HOUR", description: "traffic", maxBandwidthOut: 100, instanceChargeTypes: ["POSTPAID_BY_HOUR"] }],
    prices: {
      "dc-east": {
        instanceTypes: { "G1.SMALL2": { POSTPAID_BY_HOUR: 0.05 }, "G1.LARGE8": { POSTPAID_BY_HOUR: 0.2 } },
        disks: { CLOUD_SSD: { perGiBHour: 0.001, perGiBMonth: 0.5 } },
        bandwidth: { TRAFFIC_POSTPAID_BY_HOUR: { perGB: 0.5 } },
      },
    },
  };
}

/** The problems a broken catalog is refused with. */
function problems(doc: unknown): string {
  try {
    parseCatalog(doc, "test.json");
  } catch (e) {
    expect(e).toBeInstanceOf(CatalogError);
    return (e as Error).message;
  }
  throw new Error("expected the catalog to be refused");
}

describe("the built-in catalog", () => {
  it("is a valid catalog document", () => {
    const data = defaultCatalogData();
    expect(data.regions.length).toBe(DEFAULT_CATALOG.regions.length);
    expect(data.instanceTypes.length).toBe(DEFAULT_CATALOG.instanceTypes.length);
    // It survives being written out as JSON, as `opencvm catalog` does.
    expect(parseCatalogJson(JSON.stringify(DEFAULT_CATALOG), "round trip")).toEqual(data);
  });

  it("sells every type somewhere, prices every type in every region that offers it, and has sold-out types", () => {
    const catalog = new Catalog(defaultCatalogData(), { images: [], importableOs: [] });
    for (const t of catalog.instanceTypes()) {
      const zones = Object.keys(t.zones);
      expect(zones.length, t.instanceType).toBeGreaterThan(0);
      for (const z of zones) expect(catalog.chargeTypes(catalog.regionOf(z)!, t.instanceType), `${t.instanceType} in ${z}`).toContain("POSTPAID_BY_HOUR");
    }
    expect(catalog.instanceTypes().some((t) => Object.entries(t.zones).some(([z, s]) => s === "SOLD_OUT" && catalog.zone(catalog.regionOf(z)!, z)!.state === "AVAILABLE"))).toBe(true);
  });

  it("prices S5.MEDIUM4 like the real cloud's order of magnitude, a month below 720 hours", () => {
    const p = defaultCatalogData().prices["ap-guangzhou"].instanceTypes["S5.MEDIUM4"];
    expect(p.POSTPAID_BY_HOUR).toBeGreaterThanOrEqual(0.3);
    expect(p.POSTPAID_BY_HOUR).toBeLessThanOrEqual(0.4);
    expect(p.PREPAID! / 720).toBeLessThan(p.POSTPAID_BY_HOUR!);
    expect(p.SPOTPAID!).toBeLessThan(p.POSTPAID_BY_HOUR!);
  });
});

describe("a catalog file", () => {
  it("is read with its defaults filled in", () => {
    const data = parseCatalog(small(), "small.json");
    expect(data.regions[0]).toMatchObject({ state: "AVAILABLE", name: { "en-US": "East DC", "zh-CN": "East DC" } });
    expect(data.regions[0].zones[1]).toMatchObject({ state: "UNAVAILABLE", name: { "zh-CN": "二号厅" } });
    expect(data.instanceTypes[0]).toMatchObject({ architecture: "x86_64", familyName: { "en-US": "General G1" }, gpu: null, fpga: 0, localDisks: [], network: { bandwidth: 0 } });
    expect(data.diskTypes[0]).toEqual({ diskType: "CLOUD_SSD", systemDisk: { min: 20, max: 500, step: 1 }, dataDisk: { min: 20, max: 2000, step: 10 } });
    expect(data.prepaidDiscounts).toEqual({});
    expect(data.prices["dc-east"].eipIdlePerHour).toBeUndefined();
    expect(parseCatalog({ ...small(), prices: { "dc-east": { ...small().prices["dc-east"], eipIdlePerHour: 0.15 } } }, "eip.json").prices["dc-east"].eipIdlePerHour).toBe(0.15);
  });

  it.each<[string, (c: CatalogFile) => void, string]>([
    ["an unknown member", (c) => Object.assign(c.instanceTypes[0], { cores: 2 }), "instanceTypes[0].cores: unknown member"],
    ["a zone that is not in regions", (c) => (c.instanceTypes[0].zones["dc-east-9"] = "SELL"), 'instanceTypes[0].zones["dc-east-9"]: no zone "dc-east-9" in regions'],
    ["a stock word", (c) => ((c.instanceTypes[0].zones as Record<string, string>)["dc-east-1"] = "PLENTY"), 'instanceTypes[0].zones["dc-east-1"]: expected one of SELL, SOLD_OUT'],
    ["a type outside its family", (c) => (c.instanceTypes[1].instanceType = "S5.LARGE8"), 'instanceTypes[1].instanceType: "S5.LARGE8" must start with its family, "G1."'],
    ["an unknown family", (c) => (c.instanceTypes[1].family = "X9"), 'instanceTypes[1].family: no family "X9"'],
    ["a zone outside its region", (c) => (c.regions[0].zones[0].zone = "dc-west-1"), 'regions[0].zones[0].zone: "dc-west-1" must start with its region'],
    ["a zone named twice", (c) => (c.regions[0].zones[1].zone = "dc-east-1"), 'regions[0].zones[1].zone: zone "dc-east-1" is defined twice'],
    ["a sold type without a price", (c) => delete c.prices["dc-east"].instanceTypes["G1.LARGE8"], 'prices["dc-east"].instanceTypes: no price for "G1.LARGE8"'],
    ["a price for an unknown type", (c) => (c.prices["dc-east"].instanceTypes["G1.HUGE"] = { POSTPAID_BY_HOUR: 1 }), 'prices["dc-east"].instanceTypes["G1.HUGE"]: no instance type'],
    ["an unpriced disk type", (c) => c.diskTypes.push({ diskType: "CLOUD_PREMIUM", dataDisk: { min: 10, max: 100 } }), 'prices["dc-east"].disks: no price for "CLOUD_PREMIUM"'],
    ["a negative price", (c) => (c.prices["dc-east"].disks.CLOUD_SSD.perGiBHour = -1), 'prices["dc-east"].disks["CLOUD_SSD"].perGiBHour: -1 is below the minimum 0'],
    ["a free instance", (c) => (c.prices["dc-east"].instanceTypes["G1.SMALL2"].POSTPAID_BY_HOUR = 0), 'prices["dc-east"].instanceTypes["G1.SMALL2"].POSTPAID_BY_HOUR: 0 must be above 0'],
    ["bandwidth packages", (c) => ((c.internetChargeTypes[0] as { internetChargeType: string }).internetChargeType = "BANDWIDTH_PACKAGE"), "internetChargeTypes[0].internetChargeType: BANDWIDTH_PACKAGE needs bandwidth packages"],
    ["an unpriced internet charge type", (c) => delete c.prices["dc-east"].bandwidth.TRAFFIC_POSTPAID_BY_HOUR, 'prices["dc-east"].bandwidth: no price for "TRAFFIC_POSTPAID_BY_HOUR"'],
    ["a charge type no internet charge type goes with", (c) => (c.prices["dc-east"].instanceTypes["G1.SMALL2"].PREPAID = 30), "internetChargeTypes: instances are sold PREPAID but no internet charge type lists it"],
    [
      "tiers out of order",
      (c) => (c.prices["dc-east"].bandwidth.BANDWIDTH_POSTPAID_BY_HOUR = { perMbpsHour: [{ upTo: 5, price: 1 }, { upTo: 3, price: 2 }, { price: 3 }] }),
      'prices["dc-east"].bandwidth.BANDWIDTH_POSTPAID_BY_HOUR.perMbpsHour[1].upTo: tiers must rise',
    ],
    ["a last tier with a top", (c) => (c.prices["dc-east"].bandwidth.BANDWIDTH_PREPAID = { perMbpsMonth: [{ upTo: 5, price: 1 }] }), 'prices["dc-east"].bandwidth.BANDWIDTH_PREPAID.perMbpsMonth[0]: the last tier has no upTo'],
    ["a discount for a period that is not sold", (c) => (c.prepaidDiscounts = { "13": 80 }), 'prepaidDiscounts["13"]: "13" is not a purchase period'],
    ["a disk range upside down", (c) => (c.diskTypes[0].systemDisk = { min: 50, max: 40 }), "diskTypes[0].systemDisk: max 40 is below min 50"],
    ["a local disk type as a cloud one", (c) => ((c.diskTypes[0] as { diskType: string }).diskType = "LOCAL_SSD"), "diskTypes[0].diskType: expected one of CLOUD_BASIC"],
    ["a disk type that is neither", (c) => (c.diskTypes[0] = { diskType: "CLOUD_SSD" }), "diskTypes[0]: give systemDisk, dataDisk or both"],
    ["no system disk at all", (c) => delete c.diskTypes[0].systemDisk, "diskTypes: no disk type can be a system disk"],
    ["a price table for an unknown region", (c) => (c.prices["dc-west"] = c.prices["dc-east"]), 'prices["dc-west"]: no region "dc-west" in regions'],
    ["a currency", (c) => (c.currency = "yuan"), 'currency: "yuan" is not a three-letter currency code'],
    ["a negative idle EIP price", (c) => (c.prices["dc-east"].eipIdlePerHour = -0.2), 'prices["dc-east"].eipIdlePerHour: -0.2 is below the minimum 0'],
  ])("refuses %s, naming where", (_what, breakIt, message) => {
    const doc = small();
    breakIt(doc);
    expect(problems(doc)).toContain(message);
  });

  it("names every problem at once, with the file's name", () => {
    const doc = small() as unknown as Record<string, unknown>;
    delete doc.currency;
    (doc.instanceTypes as { cpu: unknown }[])[0].cpu = "two";
    const message = problems(doc);
    expect(message).toContain("The catalog test.json is not valid (2 problems)");
    expect(message).toContain('$: missing "currency"');
    expect(message).toContain('instanceTypes[0].cpu: expected a number, found string "two"');
  });

  it("gives a zone the switches, racks and hosts it names, and the default topology otherwise", () => {
    const doc = small();
    doc.regions[0].zones[0].topology = { switches: 3, racksPerSwitch: 1, hostsPerRack: 5 };
    const catalog = new Catalog(parseCatalog(doc, "test.json"), { images: [], importableOs: [] });
    expect(catalog.topology("dc-east-1")).toEqual({ switches: 3, racksPerSwitch: 1, hostsPerRack: 5 });
    expect(catalog.topology("dc-east-2")).toEqual(DEFAULT_TOPOLOGY);
    doc.regions[0].zones[0].topology = { switches: 0, racksPerSwitch: 1.5 } as never;
    const message = problems(doc);
    expect(message).toContain('regions[0].zones[0].topology: missing "hostsPerRack"');
    expect(message).toContain("regions[0].zones[0].topology.switches");
    expect(message).toContain("regions[0].zones[0].topology.racksPerSwitch");
  });

  it("may list its own public images, which replace the built-in ones; each is checked", () => {
    const image = { imageId: "img-abcd1234", osName: "Base OS 1", platform: "Other Linux", family: "LINUX", imageFamily: "base", imageSize: 20, createdTime: "2025-01-01T00:00:00Z" };
    const data = parseCatalog({ ...small(), images: [image] }, "test.json");
    expect(data.images).toEqual([{ ...image, architecture: "x86_64", loginUser: "root" }]);
    expect(new Catalog(data, { images: defaultCatalogData().images!, importableOs: [] }).images().map((i) => i.imageId)).toEqual(["img-abcd1234"]);
    expect(parseCatalog(small(), "test.json").images).toBeUndefined();
    const message = problems({ ...small(), images: [image, { ...image, family: "BSD", imageSize: 0 }, { ...image, imageId: "ami-1" }] });
    expect(message).toContain('images[1].imageId: image "img-abcd1234" is defined twice');
    expect(message).toContain('images[1].family: expected one of LINUX, WINDOWS, found string "BSD"');
    expect(message).toContain("images[1].imageSize: 0 is below the minimum 1");
    expect(message).toContain('images[2].imageId: "ami-1" is not an image id such as img-eb30mz89');
  });

  it("refuses what is not JSON, saying so", () => {
    expect(() => parseCatalogJson("{ nope", "broken.json")).toThrow(/The catalog broken.json is not valid JSON/);
    expect(() => parseCatalogJson("[]", "list.json")).toThrow(/\$: expected an object, found an array/);
  });
});
