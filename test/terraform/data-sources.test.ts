// Replays the data sources tencentcloud_images (services/cvm/data_source_tc_images.go), tencentcloud_instance_types
// (data_source_tc_instance_types.go) and tencentcloud_availability_zones_by_product
// (services/common/data_source_tc_availability_zones_by_product.go): their calls and parameters, and the members
// they dereference without a nil check.
import { describe, expect, it } from "vitest";
import { must, replayFile } from "./provider.js";

const r = replayFile({});

describe("data sources", () => {
  it("tencentcloud_images: DescribeImages by image-type, page by page, os_name and image_name_regex read without nil checks", async () => {
    // DescribeImagesByFilter: pages of 100 until a short page.
    const images = [];
    for (let offset = 0; ; offset += 100) {
      const out = await r.tf.cvm.DescribeImages({ Filters: [{ Name: "image-type", Values: ["PUBLIC_IMAGE"] }], Offset: offset, Limit: 100 });
      images.push(...(out.ImageSet ?? []));
      if ((out.ImageSet ?? []).length < 100) break;
    }
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) {
      must(image.OsName, "Image.OsName");
      must(image.ImageName, "Image.ImageName");
      must(image.ImageId, "Image.ImageId");
      // The snapshots are read only when SnapshotSet is not empty; a public image has none.
      expect(image.SnapshotSet ?? []).toEqual([]);
    }
    const ubuntu = images.filter((i) => i.OsName!.toLowerCase().includes("ubuntu"));
    expect(ubuntu.length).toBeGreaterThan(0);
    // By id, with the instance type the image must suit.
    const one = await r.tf.cvm.DescribeImages({ Filters: [{ Name: "image-id", Values: [ubuntu[0].ImageId!] }], InstanceType: "S5.MEDIUM4", Offset: 0, Limit: 100 });
    expect(one.ImageSet!.map((i) => i.ImageId)).toEqual([ubuntu[0].ImageId]);
  });

  it("tencentcloud_instance_types: DescribeZoneInstanceConfigInfos by zone and family, Cpu, Gpu, Memory and Status read without nil checks", async () => {
    const out = await r.tf.cvm.DescribeZoneInstanceConfigInfos({
      Filters: [
        { Name: "zone", Values: ["ap-guangzhou-3"] },
        { Name: "instance-family", Values: ["S5"] },
        { Name: "instance-charge-type", Values: ["POSTPAID_BY_HOUR"] },
      ],
    });
    const set = must(out.InstanceTypeQuotaSet, "InstanceTypeQuotaSet");
    expect(set.length).toBeGreaterThan(0);
    for (const t of set) {
      for (const m of ["Cpu", "Gpu", "Memory", "Status", "InstanceType"] as const) must(t[m], `InstanceTypeQuotaItem.${m}`);
      expect([t.Zone, t.InstanceFamily, t.InstanceChargeType]).toEqual(["ap-guangzhou-3", "S5", "POSTPAID_BY_HOUR"]);
    }
    const twoCores = set.filter((t) => t.Cpu === 2 && t.Memory === 4);
    expect(twoCores.map((t) => t.InstanceType)).toContain("S5.MEDIUM4");
  });

  it("tencentcloud_availability_zones_by_product: api.DescribeZones with Product, Zone and ZoneState read without nil checks", async () => {
    const out = await r.tf.api.request("DescribeZones", { Product: "cvm" });
    expect(out.ZoneSet.length).toBeGreaterThan(0);
    for (const z of out.ZoneSet) {
      for (const m of ["Zone", "ZoneState", "ZoneId", "ZoneName"]) must(z[m], `ZoneInfo.${m}`);
      expect(z.Zone).toMatch(/^ap-guangzhou-\d+$/);
    }
    // The zones are those cvm's own DescribeZones lists for the region.
    const cvm = await r.tf.cvm.DescribeZones();
    expect(out.ZoneSet.map((z: { Zone: string }) => z.Zone)).toEqual(cvm.ZoneSet!.map((z) => z.Zone));
  });
});
