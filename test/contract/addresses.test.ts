// Elastic IPs through the official CommonClient for `vpc`: allocate, bind, move between instances, unbind, release,
// transform an instance's address; DescribeInstances follows every move.
import { describe as group, expect, it } from "vitest";
import { generateKeyPair } from "../../src/keys.js";
import { describe, launch, waitFor, waitGone } from "../helpers/instances.js";
import { commonClient, cvmClient, sdkError, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

let server: TestServer;
let vpc: ReturnType<typeof commonClient>;
let cvm: ReturnType<typeof cvmClient>;
serverForFile((started) => {
  server = started;
  vpc = commonClient(server, "2017-03-12", { language: "en-US" });
  cvm = cvmClient(server);
}, { OPENCVM_TIMING: "instant" });

const call = (action: string, params: object = {}) => vpc.request(action, params);
const address = async (id: string) => (await call("DescribeAddresses", { AddressIds: [id] })).AddressSet[0];
async function running(extra = {}) {
  const ids = (await launch(cvm, extra)).InstanceIdSet!;
  await waitFor(cvm, ids, "RUNNING");
  return ids[0];
}

group("EIPs", () => {
  it("allocates EIPs from the pool, UNBIND, with the asked bandwidth and name", async () => {
    const out = await call("AllocateAddresses", { AddressCount: 2, InternetMaxBandwidthOut: 10, AddressName: "edge", Tags: [{ Key: "env", Value: "prod" }] });
    expect(out.AddressSet).toHaveLength(2);
    const a = await address(out.AddressSet[0]);
    expect(a).toMatchObject({ AddressStatus: "UNBIND", Bandwidth: 10, AddressName: "edge", AddressType: "EIP", InstanceId: "", TagSet: [{ Key: "env", Value: "prod" }] });
    expect(a.AddressIp).toMatch(/^198\.1[89]\.\d+\.\d+$/);
    expect((await call("DescribeAddresses", { Filters: [{ Name: "address-status", Values: ["UNBIND"] }, { Name: "tag:env", Values: ["prod"] }] })).TotalCount).toBe(2);
    await call("ReleaseAddresses", { AddressIds: out.AddressSet });
    expect((await call("DescribeAddresses", { AddressIds: out.AddressSet })).TotalCount).toBe(0);
  });

  it("moves between two instances, and DescribeInstances follows", async () => {
    const [a, b] = [await running({ InternetAccessible: { InternetMaxBandwidthOut: 5 } }), await running()];
    const [eip] = (await call("AllocateAddresses", {})).AddressSet;
    const ip = (await address(eip)).AddressIp;
    const normal = (await describe(cvm, [a]))[0].PublicIpAddresses![0];

    await call("AssociateAddress", { AddressId: eip, InstanceId: a });
    expect(await address(eip)).toMatchObject({ AddressStatus: "BIND", InstanceId: a });
    expect((await describe(cvm, [a]))[0].PublicIpAddresses).toEqual([ip]);
    expect((await sdkError(call("AssociateAddress", { AddressId: eip, InstanceId: b }))).code).toBe("UnsupportedOperation.AddressStatusNotPermit");

    await call("DisassociateAddress", { AddressId: eip });
    expect((await describe(cvm, [a]))[0].PublicIpAddresses).toBeNull();
    await call("AssociateAddress", { AddressId: eip, InstanceId: b });
    expect((await describe(cvm, [b]))[0].PublicIpAddresses).toEqual([ip]);
    expect((await call("DescribeAddresses", { Filters: [{ Name: "instance-id", Values: [b] }] })).AddressSet[0].PrivateAddressIp).toBe((await describe(cvm, [b]))[0].PrivateIpAddresses![0]);

    // The ordinary address a had was given back to the pool when the EIP took its place.
    await call("DisassociateAddress", { AddressId: eip, ReallocateNormalPublicIp: true });
    const again = (await describe(cvm, [b]))[0].PublicIpAddresses![0];
    expect(again).not.toBe(ip);
    expect(normal).not.toBe(ip);
    await call("ReleaseAddresses", { AddressIds: [eip] });
  });

  it("refuses to release a bound EIP, and unbinds it when its instance terminates", async () => {
    const id = await running();
    const [eip] = (await call("AllocateAddresses", {})).AddressSet;
    await call("AssociateAddress", { AddressId: eip, InstanceId: id });
    expect((await sdkError(call("ReleaseAddresses", { AddressIds: [eip] }))).code).toBe("InvalidAddressState");
    await cvm.TerminateInstances({ InstanceIds: [id] });
    await waitGone(cvm, [id]);
    expect(await address(eip)).toMatchObject({ AddressStatus: "UNBIND", InstanceId: "" });

    const other = await running();
    const [kept] = (await call("AllocateAddresses", {})).AddressSet;
    await call("AssociateAddress", { AddressId: kept, InstanceId: other });
    await cvm.TerminateInstances({ InstanceIds: [other], ReleaseAddress: true });
    await waitGone(cvm, [other]);
    expect((await call("DescribeAddresses", { AddressIds: [kept] })).TotalCount).toBe(0);
    await call("ReleaseAddresses", { AddressIds: [eip] });
  });

  it("turns an instance's ordinary public address into an EIP with the same address", async () => {
    const id = await running({ InternetAccessible: { InternetMaxBandwidthOut: 3 } });
    const ip = (await describe(cvm, [id]))[0].PublicIpAddresses![0];
    const { AddressId } = await call("TransformAddress", { InstanceId: id });
    expect(await address(AddressId)).toMatchObject({ AddressIp: ip, AddressStatus: "BIND", InstanceId: id, Bandwidth: 3 });
    expect((await sdkError(call("TransformAddress", { InstanceId: id }))).code).toBe("InvalidInstanceId.AlreadyBindEip");
    const bare = await running();
    expect((await sdkError(call("TransformAddress", { InstanceId: bare }))).code).toBe("InvalidParameterValue.InstanceNoWanIP");
  });

  it("renames, changes bandwidth, and reports the quota", async () => {
    const [eip] = (await call("AllocateAddresses", {})).AddressSet;
    await call("ModifyAddressAttribute", { AddressId: eip, AddressName: "renamed" });
    await call("ModifyAddressesBandwidth", { AddressIds: [eip], InternetMaxBandwidthOut: 50 });
    expect(await address(eip)).toMatchObject({ AddressName: "renamed", Bandwidth: 50 });
    expect((await sdkError(call("ModifyAddressesBandwidth", { AddressIds: [eip], InternetMaxBandwidthOut: 500 }))).code).toBe("InvalidParameterValue.BandwidthOutOfRange");
    const quota = (await call("DescribeAddressQuota")).QuotaSet.find((q: { QuotaId: string }) => q.QuotaId === "TOTAL_EIP_QUOTA");
    expect(quota).toMatchObject({ QuotaLimit: 20 });
    expect(quota.QuotaCurrent).toBe((await call("DescribeAddresses", { Limit: 100 })).TotalCount);
    await call("ReleaseAddresses", { AddressIds: [eip] });
  });

  it("holds the quota of 20 under concurrent allocations", async () => {
    const region = commonClient(server, "2017-03-12", { region: "ap-seoul" });
    const results = await Promise.allSettled(Array.from({ length: 30 }, () => region.request("AllocateAddresses", {})));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(20);
    expect(new Set(results.flatMap((r) => (r.status === "rejected" ? [(r.reason as { code: string }).code] : [])))).toEqual(new Set(["AddressQuotaLimitExceeded"]));
  });

  it.each([
    ["AssociateAddress", { AddressId: "eip-zzzzzzzz", InstanceId: "ins-zzzzzzzz" }, "InvalidAddressId.NotFound"],
    ["AssociateAddress", { AddressId: "eip-1" }, "InvalidParameterValue.AddressIdMalformed"],
    ["DescribeAddresses", { Filters: [{ Name: "colour", Values: ["red"] }] }, "InvalidParameter.InvalidFilter"],
    ["AllocateAddresses", { AddressCount: 0 }, "InvalidParameterValue.Range"],
    ["AllocateAddresses", { AddressType: "AnycastEIP" }, "UnsupportedOperation"],
    ["DisassociateAddress", { AddressId: "eip-zzzzzzzz" }, "InvalidAddressId.NotFound"],
  ])("%s %j is refused with %s", async (action, params, code) => {
    expect((await sdkError(call(action, params))).code).toBe(code);
  });

  it("keeps one account's EIPs from another", async () => {
    const [eip] = (await call("AllocateAddresses", {})).AddressSet;
    const key = generateKeyPair();
    await server.store.accounts.create(key);
    const other = commonClient(server, "2017-03-12", key);
    expect((await other.request("DescribeAddresses", { AddressIds: [eip] })).TotalCount).toBe(0);
    expect((await sdkError(other.request("ReleaseAddresses", { AddressIds: [eip] }))).code).toBe("InvalidAddressId.NotFound");
    const theirs = (await launch(cvmClient(server, key))).InstanceIdSet!;
    await waitFor(cvmClient(server, key), theirs, "RUNNING");
    expect((await sdkError(call("AssociateAddress", { AddressId: eip, InstanceId: theirs[0] }))).code).toBe("InvalidInstanceId.NotFound");
  });
});

group("ClientToken and tasks", () => {
  it("allocates once for calls retried with one ClientToken, answering the first call's addresses and task", async () => {
    const held = async () => (await call("DescribeAddresses", { Limit: 100 })).TotalCount as number;
    const before = await held();
    const first = await call("AllocateAddresses", { AddressCount: 2, ClientToken: "retry-me-0001" });
    const again = await call("AllocateAddresses", { AddressCount: 2, ClientToken: "retry-me-0001" });
    expect(again.AddressSet).toEqual(first.AddressSet);
    expect(again.TaskId).toBe(first.TaskId);
    expect(await held()).toBe(before + 2);
    // Another token is another allocation.
    const other = await call("AllocateAddresses", { ClientToken: "retry-me-0002" });
    expect(other.AddressSet).not.toEqual(first.AddressSet);
    expect(await held()).toBe(before + 3);
    await call("ReleaseAddresses", { AddressIds: [...first.AddressSet, ...other.AddressSet] });
  });

  it("answers DescribeTaskResult for the task of every address action", async () => {
    const id = await running();
    const result = async (taskId: string | number) => call("DescribeTaskResult", { TaskId: Number(taskId) });
    const allocated = await call("AllocateAddresses", {});
    const [eip] = allocated.AddressSet;
    const tasks = [
      allocated.TaskId,
      (await call("AssociateAddress", { AddressId: eip, InstanceId: id })).TaskId,
      (await call("ModifyAddressesBandwidth", { AddressIds: [eip], InternetMaxBandwidthOut: 3 })).TaskId,
      (await call("DisassociateAddress", { AddressId: eip })).TaskId,
      (await call("ReleaseAddresses", { AddressIds: [eip] })).TaskId,
      (await call("TransformAddress", { InstanceId: await running({ InternetAccessible: { InternetMaxBandwidthOut: 5 } }) })).TaskId,
    ];
    expect(new Set(tasks).size).toBe(tasks.length);
    for (const task of tasks) expect(await result(task)).toMatchObject({ TaskId: Number(task), Result: "SUCCESS" });
  });

  it("refuses a task that does not exist, another account's, and a call naming none", async () => {
    const task = (await call("AllocateAddresses", {})).TaskId;
    const key = generateKeyPair();
    await server.store.accounts.create(key);
    const foreign = commonClient(server, "2017-03-12", key);
    expect((await sdkError(foreign.request("DescribeTaskResult", { TaskId: Number(task) }))).code).toBe("InvalidParameter");
    const missing = await sdkError(call("DescribeTaskResult", { TaskId: 1 }));
    expect([missing.code, missing.message]).toEqual(["InvalidParameter", expect.stringContaining("TaskId")]);
    expect((await sdkError(call("DescribeTaskResult", {}))).code).toBe("MissingParameter");
  });

  it.each([
    [{ IPChargeType: "IP_POSTPAID_BY_HOUR" }, "UnsupportedOperation", "IPChargeType"],
    [{ Egress: "center_egress2" }, "InvalidParameterValue.UnsupportedEgress", "Egress"],
    [{ ClientToken: "x".repeat(65) }, "InvalidParameterValue.Range", "ClientToken"],
  ])("refuses %j with %s naming it, allocating nothing", async (params, code, field) => {
    const before = (await call("DescribeAddresses", { Limit: 100 })).TotalCount;
    const err = await sdkError(call("AllocateAddresses", params));
    expect([err.code, err.message]).toEqual([code, expect.stringContaining(field)]);
    expect((await call("DescribeAddresses", { Limit: 100 })).TotalCount).toBe(before);
  });
});
