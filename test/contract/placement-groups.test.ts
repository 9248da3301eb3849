// Spread placement groups through the official SDK: the group actions, their quotas and refusals, and launches that
// spread over the hosts, racks and switches of a zone for real: the zone here has 2 switches of 2 racks of 2 hosts
// (a catalog file's topology), so a group runs out of room to spread before it runs out of capacity.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe as group, expect, it } from "vitest";
import type { Client } from "tencentcloud-sdk-nodejs-cvm/tencentcloud/services/cvm/v20170312/cvm_client.js";
import { DEFAULT_CATALOG } from "../../src/catalog/index.js";
import { parseHost, unitOf, type SpreadType } from "../../src/domain/placement.js";
import { generateKeyPair as generateSecret } from "../../src/keys.js";
import { everyRefusalDocumented } from "../helpers/documented-refusals.js";
import { describe, launch, waitFor, waitGone, ZONE } from "../helpers/instances.js";
import { cvmClient, sdkError, startServer, type TestServer } from "../helpers/server.js";

/** The built-in catalog with a small topology in ZONE: 2 switches, 4 racks, 8 hosts. */
function smallZoneCatalog(): string {
  const doc = structuredClone(DEFAULT_CATALOG) as unknown as { regions: { zones: { zone: string; topology?: object }[] }[] };
  const zone = doc.regions.flatMap((r) => r.zones).find((z) => z.zone === ZONE)!;
  zone.topology = { switches: 2, racksPerSwitch: 2, hostsPerRack: 2 };
  const file = join(mkdtempSync(join(tmpdir(), "opencvm-topology-")), "catalog.json");
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

let server: TestServer;
let cvm: Client;
beforeAll(async () => {
  server = await startServer({ OPENCVM_TIMING: "instant", OPENCVM_CATALOG: smallZoneCatalog() });
  cvm = cvmClient(server, { language: "en-US" });
});
afterAll(() => server.close());
everyRefusalDocumented(() => [server.logs], (action) => /DisasterRecoverGroup|RunInstances/.test(action));

let n = 0;
const create = async (Type: string, extra = {}) => (await cvm.CreateDisasterRecoverGroup({ Name: `ps-${n++}`, Type, ...extra })).DisasterRecoverGroupId!;

/** Where each of the group's instances was placed, as the units its type spreads over. */
async function unitsOf(id: string, type: SpreadType): Promise<string[]> {
  const [g] = await server.store.placementGroups.find(server.defaultAccount.account.appId, "ap-guangzhou", [id]);
  return g.members.map((m) => `${m.zone}/${unitOf(type, parseHost(m.host)!)}`);
}

group("the group actions", () => {
  it("creates groups of each type with their capacity, idempotently with a ClientToken", async () => {
    const made = await cvm.CreateDisasterRecoverGroup({ Name: "web", Type: "HOST", ClientToken: "ps-token-1" });
    expect(made).toMatchObject({ Type: "HOST", Name: "web", CvmQuotaTotal: 50, CurrentNum: 0, Strategy: "SPREAD" });
    expect(made.DisasterRecoverGroupId).toMatch(/^ps-[a-z0-9]{8}$/);
    expect((await cvm.CreateDisasterRecoverGroup({ Name: "web", Type: "HOST", ClientToken: "ps-token-1" })).DisasterRecoverGroupId).toBe(made.DisasterRecoverGroupId);
    const sw = await create("SW", { Affinity: 2, TagSpecification: [{ ResourceType: "ps", Tags: [{ Key: "team", Value: "db" }] }] });
    const [g] = (await cvm.DescribeDisasterRecoverGroups({ DisasterRecoverGroupIds: [sw] })).DisasterRecoverGroupSet!;
    expect(g).toMatchObject({ Type: "SW", CvmQuotaTotal: 20, Affinity: 2, InstanceIds: [], Tags: [{ Key: "team", Value: "db" }] });
    expect((await cvm.DescribeDisasterRecoverGroups({ Filters: [{ Name: "tag:team", Values: ["db"] }] })).DisasterRecoverGroupSet!.map((x) => x.DisasterRecoverGroupId)).toEqual([sw]);
    expect((await cvm.DescribeDisasterRecoverGroups({ Name: "we" })).DisasterRecoverGroupSet!.map((x) => x.DisasterRecoverGroupId)).toEqual([made.DisasterRecoverGroupId]);
    const quota = await cvm.DescribeDisasterRecoverGroupQuota();
    expect(quota).toMatchObject({ GroupQuota: 10, CurrentNum: 2, CvmInHostGroupQuota: 50, CvmInSwGroupQuota: 20, CvmInRackGroupQuota: 20 });
    await cvm.DeleteDisasterRecoverGroups({ DisasterRecoverGroupIds: [made.DisasterRecoverGroupId!, sw] });
  });

  it("refuses bad input and an eleventh group", async () => {
    expect((await sdkError(cvm.CreateDisasterRecoverGroup({ Name: "x", Type: "ZONE" }))).code).toBe("InvalidParameterValue");
    expect((await sdkError(cvm.CreateDisasterRecoverGroup({ Name: "x".repeat(61), Type: "HOST" }))).code).toBe("InvalidParameterValue.TooLong");
    expect((await sdkError(cvm.CreateDisasterRecoverGroup({ Name: "x", Type: "HOST", Affinity: 11 }))).code).toBe("InvalidParameterValue.Range");
    expect((await sdkError(cvm.DescribeDisasterRecoverGroups({ DisasterRecoverGroupIds: ["ps-1"] }))).code).toBe("InvalidParameterValue.DisasterRecoverGroupIdMalformed");
    expect((await sdkError(cvm.DeleteDisasterRecoverGroups({ DisasterRecoverGroupIds: ["ps-00000000"] }))).code).toBe("ResourceNotFound.InvalidPlacementSet");
    const s = await startServer({ OPENCVM_TIMING: "instant" });
    try {
      const c = cvmClient(s);
      for (let i = 0; i < 10; i++) await c.CreateDisasterRecoverGroup({ Name: `g${i}`, Type: "RACK" });
      expect((await sdkError(c.CreateDisasterRecoverGroup({ Name: "g10", Type: "RACK" }))).code).toBe("ResourceInsufficient.InsufficientGroupQuota");
    } finally {
      await s.close();
    }
  });

  it("renames and raises the affinity, never lowers it", async () => {
    const id = await create("RACK", { Affinity: 2 });
    await cvm.ModifyDisasterRecoverGroupAttribute({ DisasterRecoverGroupId: id, Name: "renamed", Affinity: 3 });
    expect((await cvm.DescribeDisasterRecoverGroups({ DisasterRecoverGroupIds: [id] })).DisasterRecoverGroupSet![0]).toMatchObject({ Name: "renamed", Affinity: 3 });
    expect((await sdkError(cvm.ModifyDisasterRecoverGroupAttribute({ DisasterRecoverGroupId: id, Name: "renamed", Affinity: 1 }))).code).toBe("InvalidParameterValue");
    expect((await sdkError(cvm.ModifyDisasterRecoverGroupAttribute({ DisasterRecoverGroupId: "ps-00000000", Name: "x" }))).code).toBe("ResourceNotFound.InvalidPlacementSet");
    await cvm.DeleteDisasterRecoverGroups({ DisasterRecoverGroupIds: [id] });
  });
});

group("launching into a group", () => {
  it("puts each instance of a RACK group in its own rack and refuses the one that would share one, creating nothing", async () => {
    const id = await create("RACK");
    const first = (await launch(cvm, { InstanceCount: 3, DisasterRecoverGroupIds: [id] })).InstanceIdSet!;
    const [fourth] = (await launch(cvm, { DisasterRecoverGroupIds: [id] })).InstanceIdSet!;
    await waitFor(cvm, [...first, fourth], "RUNNING");
    const racks = await unitsOf(id, "RACK");
    expect(new Set(racks).size).toBe(4);
    const shown = await describe(cvm, [...first, fourth]);
    expect(shown.map((i) => i.DisasterRecoverGroupId)).toEqual([id, id, id, id]);

    // The zone has 4 racks: a fifth instance would share one.
    const before = (await cvm.DescribeInstances({})).TotalCount;
    const refused = await sdkError(launch(cvm, { DisasterRecoverGroupIds: [id] }));
    expect(refused.code).toBe("LimitExceeded.DisasterRecoverGroup");
    expect(refused.message).toContain(id);
    expect((await cvm.DescribeInstances({})).TotalCount).toBe(before);
    expect((await sdkError(launch(cvm, { DisasterRecoverGroupIds: [id], DryRun: true }))).code).toBe("LimitExceeded.DisasterRecoverGroup");
    // Another zone has racks of its own.
    const [elsewhere] = (await launch(cvm, { DisasterRecoverGroupIds: [id], Placement: { Zone: "ap-guangzhou-4" } })).InstanceIdSet!;
    await waitFor(cvm, [elsewhere], "RUNNING");

    // A terminated instance gives its rack back.
    await cvm.TerminateInstances({ InstanceIds: [fourth] });
    await waitGone(cvm, [fourth]);
    const [again] = (await launch(cvm, { DisasterRecoverGroupIds: [id] })).InstanceIdSet!;
    await waitFor(cvm, [again], "RUNNING");
    expect(new Set((await unitsOf(id, "RACK")).filter((u) => u.startsWith(ZONE))).size).toBe(4);
  });

  it("lets an affinity of 2 put two instances in each switch, and a HOST group up to its capacity", async () => {
    const sw = await create("SW", { Affinity: 2 });
    const ids = (await launch(cvm, { InstanceCount: 4, DisasterRecoverGroupIds: [sw] })).InstanceIdSet!;
    await waitFor(cvm, ids, "RUNNING");
    const units = await unitsOf(sw, "SW");
    expect(units.filter((u) => u === units[0]).length).toBe(2);
    expect(new Set(units).size).toBe(2);
    expect((await sdkError(launch(cvm, { DisasterRecoverGroupIds: [sw] }))).code).toBe("LimitExceeded.DisasterRecoverGroup");

    // 8 hosts with affinity 7 hold 56 instances, but a HOST group holds 50.
    const host = await create("HOST", { Affinity: 7 });
    expect((await sdkError(launch(cvm, { InstanceCount: 51, DisasterRecoverGroupIds: [host] }))).code).toBe("ResourceInsufficient.DisasterRecoverGroupCvmQuota");
    expect((await sdkError(launch(cvm, { DisasterRecoverGroupIds: ["ps-00000000"] }))).code).toBe("FailedOperation.DisasterRecoverGroupNotFound");
  });
});

group("moving instances in and out", () => {
  it("adds instances to a group within its spread, removes them, and deletes only an empty group", async () => {
    const ids = (await launch(cvm, { InstanceCount: 3 })).InstanceIdSet!;
    await waitFor(cvm, ids, "RUNNING");
    const id = await create("SW");
    await cvm.ModifyInstancesDisasterRecoverGroup({ InstanceIds: ids.slice(0, 2), DisasterRecoverGroupId: id });
    expect(new Set(await unitsOf(id, "SW")).size).toBe(2);
    expect((await sdkError(cvm.ModifyInstancesDisasterRecoverGroup({ InstanceIds: [ids[0]], DisasterRecoverGroupId: id }))).code).toBe("FailedOperation.AlreadyInDisasterRecoverGroup");
    // Two switches, both taken.
    expect((await sdkError(cvm.ModifyInstancesDisasterRecoverGroup({ InstanceIds: [ids[2]], DisasterRecoverGroupId: id }))).code).toBe("LimitExceeded.DisasterRecoverGroup");
    expect((await sdkError(cvm.DeleteDisasterRecoverGroups({ DisasterRecoverGroupIds: [id] }))).code).toBe("FailedOperation.PlacementSetNotEmpty");
    expect((await sdkError(cvm.DeleteInstancesDisasterRecoverGroups({ InstanceIds: [ids[2]], DisasterRecoverGroupIds: [id] }))).code).toBe("FailedOperation.DisasterRecoverGroupNotMatch");

    await cvm.DeleteInstancesDisasterRecoverGroups({ InstanceIds: [ids[0]], DisasterRecoverGroupIds: [id] });
    expect((await describe(cvm, [ids[0]]))[0].DisasterRecoverGroupId).toBe("");
    await cvm.ModifyInstancesDisasterRecoverGroup({ InstanceIds: [ids[2]], DisasterRecoverGroupIds: [id] });
    expect((await cvm.DescribeDisasterRecoverGroups({ DisasterRecoverGroupIds: [id] })).DisasterRecoverGroupSet![0]).toMatchObject({ CurrentNum: 2, InstanceIds: [ids[1], ids[2]] });
    await cvm.DeleteInstancesDisasterRecoverGroups({ InstanceIds: [ids[1], ids[2]], DisasterRecoverGroupIds: [id] });
    await cvm.DeleteDisasterRecoverGroups({ DisasterRecoverGroupIds: [id] });
  });
});

group("another account", () => {
  it("sees, uses and changes none of the groups", async () => {
    const secret = generateSecret();
    await server.store.accounts.create(secret);
    const other = cvmClient(server, { ...secret, language: "en-US" });
    const id = await create("HOST");
    expect((await other.DescribeDisasterRecoverGroups({ DisasterRecoverGroupIds: [id] })).TotalCount).toBe(0);
    expect((await sdkError(other.DeleteDisasterRecoverGroups({ DisasterRecoverGroupIds: [id] }))).code).toBe("ResourceNotFound.InvalidPlacementSet");
    expect((await sdkError(other.ModifyDisasterRecoverGroupAttribute({ DisasterRecoverGroupId: id, Name: "mine" }))).code).toBe("ResourceNotFound.InvalidPlacementSet");
    expect((await sdkError(launch(other, { DisasterRecoverGroupIds: [id] }))).code).toBe("FailedOperation.DisasterRecoverGroupNotFound");
    expect((await cvm.DescribeDisasterRecoverGroups({ DisasterRecoverGroupIds: [id] })).DisasterRecoverGroupSet![0].Name).not.toBe("mine");
  });
});
