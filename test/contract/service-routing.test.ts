// Requests are routed by the service they name (TC3's credential scope, else the Host's first label), so that
// `api.DescribeZones` and `cvm.DescribeZones`, one name in two services, cannot be confused; a request that names
// no service (the Node SDK at 127.0.0.1:4577 signs the scope `127`) is found by its version and action, as before.
// Any host name is accepted: Terraform calls every service at `<service>.<domain>`.
import { describe, expect, it } from "vitest";
import { commonClient, cvmClient, sdkError, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

let server: TestServer;
serverForFile((started) => (server = started));

const DOMAIN = "opencvm.test";

describe("routing by the service a request names", () => {
  it("serves cvm at cvm.<domain> with every signing style, and the typed client too", async () => {
    for (const signMethod of ["TC3-HMAC-SHA256", "HmacSHA256", "HmacSHA1"] as const) {
      const out = await commonClient(server, "2017-03-12", { host: `cvm.${DOMAIN}`, signMethod }).request("DescribeZones", {});
      expect(out.ZoneSet.map((z: { Zone: string }) => z.Zone)).toContain("ap-guangzhou-3");
    }
    const typed = await cvmClient(server, { host: `CVM.${DOMAIN}` }).DescribeInstances({});
    expect(typed.TotalCount).toBe(0);
  });

  it("answers DescribeZones of the api service at api.<domain> and of cvm at cvm.<domain>", async () => {
    const api = await commonClient(server, "2020-11-06", { host: `api.${DOMAIN}` }).request("DescribeZones", { Product: "cvm" });
    expect(api.ZoneSet.length).toBeGreaterThan(0);
    expect(api.ZoneSet.every((z: { Zone: string; ParentZone: unknown }) => z.Zone.startsWith("ap-guangzhou-") && z.ParentZone === null)).toBe(true);
    const cvm = await commonClient(server, "2017-03-12", { host: `cvm.${DOMAIN}` }).request("DescribeZones", {});
    expect(cvm.ZoneSet.map((z: { Zone: string }) => z.Zone)).toEqual(api.ZoneSet.map((z: { Zone: string }) => z.Zone));
    expect(cvm.ZoneSet[0]).not.toHaveProperty("ParentZone");
  });

  it("refuses an action of another service, and a version the named service does not have", async () => {
    const vpcAtCvm = await sdkError(commonClient(server, "2017-03-12", { host: `cvm.${DOMAIN}` }).request("DescribeVpcs", {}));
    expect(vpcAtCvm.code).toBe("InvalidAction");
    const cvmAtVpc = await sdkError(commonClient(server, "2017-03-12", { host: `vpc.${DOMAIN}`, signMethod: "HmacSHA256" }).request("DescribeInstances", {}));
    expect(cvmAtVpc.code).toBe("InvalidAction");
    const tagVersionAtCvm = await sdkError(commonClient(server, "2018-08-13", { host: `cvm.${DOMAIN}` }).request("GetTags", {}));
    expect(tagVersionAtCvm.code).toBe("NoSuchVersion");
    expect(tagVersionAtCvm.message).toContain("2017-03-12");
  });

  it("finds the action by version and name when the request names no service", async () => {
    // 127.0.0.1:port signs the scope `127`: neither it nor the Host's first label is a service.
    const vpcs = await commonClient(server, "2017-03-12").request("DescribeVpcs", {});
    expect(vpcs.TotalCount).toBeGreaterThanOrEqual(0);
    const zones = await commonClient(server, "2020-11-06", { region: null }).request("DescribeZones", { Product: "cvm" });
    // Without a Region, api's zone list covers every region.
    expect(new Set(zones.ZoneSet.map((z: { Zone: string }) => z.Zone.replace(/-\d+$/, ""))).size).toBeGreaterThan(1);
    // Any other name is no service either.
    const other = await commonClient(server, "2017-03-12", { host: `compute.example.internal` }).request("DescribeZones", {});
    expect(other.TotalCount).toBeGreaterThan(0);
  });

  it("checks api's optional Region when one is given, and the Product it serves", async () => {
    const bad = await sdkError(commonClient(server, "2020-11-06", { host: `api.${DOMAIN}`, region: "xx-nowhere" }).request("DescribeZones", { Product: "cvm" }));
    expect(bad.code).toBe("UnsupportedRegion");
    const product = await sdkError(commonClient(server, "2020-11-06", { host: `api.${DOMAIN}` }).request("DescribeZones", { Product: "cdb" }));
    expect(product.code).toBe("UnsupportedOperation");
    expect(product.message).toContain("Product");
    const missing = await sdkError(commonClient(server, "2020-11-06", { host: `api.${DOMAIN}` }).request("DescribeZones", {}));
    expect(missing.code).toBe("MissingParameter");
  });
});
