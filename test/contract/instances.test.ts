// The instance lifecycle through the official SDK: launch, watch, stop, start, reboot, terminate; listings,
// filters and paging; refusals; idempotency; accounts that never see each other.
import { beforeAll, describe as group, expect, it } from "vitest";
import { generateKeyPair } from "../../src/keys.js";
import { outputProblems } from "../../src/api/output-check.js";
import { describe, launch, UBUNTU, waitFor, waitGone, ZONE } from "../helpers/instances.js";
import { cvmClient, sdkError, startServer, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

let server: TestServer;
let cvm: ReturnType<typeof cvmClient>;
serverForFile((started) => {
  server = started;
  cvm = cvmClient(server, { language: "en-US" });
}, { OPENCVM_TIMING: "instant" });

group("the getting-started flow", () => {
  it("launches, runs, stops, starts, reboots and terminates a pay-as-you-go instance", async () => {
    const slow = await startServer({ OPENCVM_TIMING: "fast" });
    try {
      const c = cvmClient(slow);
      const run = await launch(c, { InternetAccessible: { InternetMaxBandwidthOut: 10 }, InstanceName: "first" });
      const ids = run.InstanceIdSet!;
      expect(ids).toHaveLength(1);
      expect(ids[0]).toMatch(/^ins-[a-z0-9]{8}$/);

      const [pending] = await describe(c, ids);
      expect(pending).toMatchObject({ InstanceState: "PENDING", LatestOperation: "RunInstances", LatestOperationState: "OPERATING", LatestOperationRequestId: run.RequestId });
      const [running] = await waitFor(c, ids, "RUNNING");
      expect(running).toMatchObject({
        InstanceName: "first",
        InstanceType: "S5.MEDIUM4",
        CPU: 2,
        Memory: 4,
        ImageId: UBUNTU,
        OsName: "Ubuntu Server 22.04 LTS 64bit",
        InstanceChargeType: "POSTPAID_BY_HOUR",
        Placement: { Zone: ZONE, ProjectId: 0 },
        LatestOperationState: "SUCCESS",
        DefaultLoginUser: "ubuntu",
        StopChargingMode: "NOT_APPLICABLE",
      });
      expect(running.PrivateIpAddresses?.[0]).toMatch(/^172\.16\.\d+\.\d+$/);
      expect(running.PublicIpAddresses?.[0]).toMatch(/^198\.1[89]\.\d+\.\d+$/);
      const out = await c.DescribeInstances({ InstanceIds: ids });
      expect(outputProblems("cvm", "DescribeInstances", out as Record<string, unknown>)).toEqual([]);

      await c.ResetInstancesType({ InstanceIds: ids, InstanceType: "S5.LARGE8", ForceStop: true });
      expect((await describe(c, ids))[0]).toMatchObject({ LatestOperation: "ResetInstancesType", LatestOperationState: "OPERATING" });
      expect((await waitFor(c, ids, "RUNNING"))[0]).toMatchObject({ InstanceType: "S5.LARGE8", CPU: 4, Memory: 8 });

      const stop = await c.StopInstances({ InstanceIds: ids, StoppedMode: "STOP_CHARGING" });
      expect((await describe(c, ids))[0]).toMatchObject({ InstanceState: "STOPPING", LatestOperation: "StopInstances", LatestOperationRequestId: stop.RequestId });
      expect((await waitFor(c, ids, "STOPPED"))[0].StopChargingMode).toBe("STOP_CHARGING");

      await c.StartInstances({ InstanceIds: ids });
      expect((await describe(c, ids))[0].InstanceState).toBe("STARTING");
      expect((await waitFor(c, ids, "RUNNING"))[0].StopChargingMode).toBe("NOT_APPLICABLE");

      await c.RebootInstances({ InstanceIds: ids, StopType: "HARD" });
      expect((await describe(c, ids))[0].InstanceState).toBe("REBOOTING");
      await waitFor(c, ids, "RUNNING");

      await c.TerminateInstances({ InstanceIds: ids });
      expect((await describe(c, ids))[0].InstanceState).toBe("TERMINATING");
      await waitGone(c, ids);
      expect((await sdkError(c.StartInstances({ InstanceIds: ids }))).code).toBe("InvalidInstanceId.NotFound");
    } finally {
      await slow.close();
    }
  });

  it("sends a monthly instance to the recycle bin first, and destroys it on the second termination", async () => {
    const ids = (await launch(cvm, { InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1, RenewFlag: "NOTIFY_AND_AUTO_RENEW" } })).InstanceIdSet!;
    const [running] = await waitFor(cvm, ids, "RUNNING");
    expect(running.RenewFlag).toBe("NOTIFY_AND_AUTO_RENEW");
    expect(Date.parse(running.ExpiredTime!) - Date.parse(running.CreatedTime!)).toBeGreaterThan(27 * 86400_000);
    await cvm.TerminateInstances({ InstanceIds: ids });
    expect((await waitFor(cvm, ids, "SHUTDOWN"))[0].IsolatedSource).toBe("MANMADE");
    await cvm.TerminateInstances({ InstanceIds: ids });
    await waitGone(cvm, ids);
  });
});

group("RunInstances", () => {
  it("numbers names with {R:x,F:y} patterns and suffixes plain names", async () => {
    const patterned = (await launch(cvm, { InstanceCount: 3, InstanceName: "web-{R:9,F:2}" })).InstanceIdSet!;
    expect((await describe(cvm, patterned)).map((i) => i.InstanceName).sort()).toEqual(["web-09", "web-10", "web-11"]);
    const plain = (await launch(cvm, { InstanceCount: 2, InstanceName: "db" })).InstanceIdSet!;
    expect((await describe(cvm, plain)).map((i) => i.InstanceName).sort()).toEqual(["db1", "db2"]);
    const unnamed = (await launch(cvm)).InstanceIdSet!;
    expect((await describe(cvm, unnamed))[0].InstanceName).toBe("未命名");
    await cvm.TerminateInstances({ InstanceIds: [...patterned, ...plain, ...unnamed] });
    await waitGone(cvm, [...patterned, ...plain, ...unnamed]);
  });

  it("returns the same instances for a repeated ClientToken", async () => {
    const first = await launch(cvm, { InstanceCount: 2, ClientToken: "token-1" });
    const again = await launch(cvm, { InstanceCount: 2, ClientToken: "token-1" });
    expect(again.InstanceIdSet).toEqual(first.InstanceIdSet);
    expect((await cvm.DescribeInstances({ Filters: [{ Name: "instance-id", Values: first.InstanceIdSet! }] })).TotalCount).toBe(2);
    await cvm.TerminateInstances({ InstanceIds: first.InstanceIdSet! });
    await waitGone(cvm, first.InstanceIdSet!);
  });

  it("creates nothing on a DryRun, and a failing DryRun fails as the real call would", async () => {
    const before = (await cvm.DescribeInstancesStatus({})).TotalCount;
    const dry = await launch(cvm, { DryRun: true, InstanceCount: 5 });
    expect(dry.InstanceIdSet).toEqual([]);
    expect((await cvm.DescribeInstancesStatus({})).TotalCount).toBe(before);
    expect((await sdkError(launch(cvm, { DryRun: true, InstanceType: "S5.HUGE999" }))).code).toBe("InvalidParameterValue.InstanceTypeNotFound");
  });

  it("never hands out a private address twice, even under concurrent launches", async () => {
    const calls = await Promise.all(Array.from({ length: 10 }, () => launch(cvm, { InstanceCount: 10 })));
    const ids = calls.flatMap((c) => c.InstanceIdSet!);
    const set = (await Promise.all([describe(cvm, ids.slice(0, 50)), describe(cvm, ids.slice(50))])).flat();
    const ips = set.map((i) => i.PrivateIpAddresses![0]);
    expect(new Set(ips).size).toBe(100);
    await cvm.TerminateInstances({ InstanceIds: ids });
    await waitGone(cvm, ids);
  });

  it("honours the private addresses asked for, and refuses one in use", async () => {
    const [{ VirtualPrivateCloud: vpc }] = await describe(cvm, (await launch(cvm)).InstanceIdSet!);
    const asked = { VpcId: vpc!.VpcId, SubnetId: vpc!.SubnetId, PrivateIpAddresses: ["172.16.32.200"] };
    const ids = (await launch(cvm, { VirtualPrivateCloud: asked })).InstanceIdSet!;
    expect((await describe(cvm, ids))[0].PrivateIpAddresses).toEqual(["172.16.32.200"]);
    expect((await sdkError(launch(cvm, { VirtualPrivateCloud: asked }))).code).toBe("VpcIpIsUsed");
    expect((await sdkError(launch(cvm, { VirtualPrivateCloud: { ...asked, PrivateIpAddresses: ["10.9.9.9"] } }))).code).toBe("VpcAddrNotInSubNet");
  });

  it.each([
    [{ Placement: { Zone: "ap-beijing-3" } }, "InvalidZone.MismatchRegion", "Placement.Zone"],
    [{ Placement: { Zone: "ap-guangzhou-1" } }, "ResourceInsufficient.AvailabilityZoneSoldOut", "ap-guangzhou-1"],
    [{ ImageId: "img-00000000" }, "InvalidImageId.NotFound", "img-00000000"],
    [{ ImageId: "ubuntu" }, "InvalidImageId.Malformed", "ImageId"],
    [{ InstanceType: "s5 medium" }, "InvalidInstanceType.Malformed", "InstanceType"],
    [{ InstanceCount: 101 }, "InvalidParameterValue.Range", "InstanceCount"],
    [{ InstanceCount: 2, MinCount: 3 }, "InvalidParameterValue.InvalidParameterMinCount", "MinCount"],
    [{ InstanceChargeType: "PREPAID" }, "MissingParameter", "InstanceChargePrepaid"],
    [{ InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 13 } }, "InvalidPeriod", "Period"],
    [{ SystemDisk: { DiskSize: 10 } }, "InvalidParameterValue.Range", "SystemDisk.DiskSize"],
    [{ DataDisks: [{ DiskSize: 15 }] }, "InvalidParameterValue.Range", "DataDisks.0.DiskSize"],
    [{ LoginSettings: { Password: "short" } }, "InvalidParameterValue.InvalidPassword", "LoginSettings.Password"],
    [{ LoginSettings: { KeyIds: ["skey-abcdefgh"] } }, "InvalidParameterValue.KeyPairNotFound", "skey-abcdefgh"],
    [{ SecurityGroupIds: ["sg-abcdefgh"] }, "InvalidSecurityGroupId.NotFound", "sg-abcdefgh"],
    [{ HostName: "-bad-" }, "InvalidParameterValue.IllegalHostName", "HostName"],
    [{ UserData: "not base64!" }, "InvalidParameterValue.InvalidUserDataFormat", "UserData"],
    [{ InstanceName: "x".repeat(129) }, "InvalidInstanceName.TooLong", "InstanceName"],
    [{ ClientToken: "t".repeat(65) }, "InvalidClientToken.TooLong", "ClientToken"],
    [{ InternetAccessible: { InternetMaxBandwidthOut: 0, PublicIpAssigned: true } }, "InvalidParameterCombination", "InternetMaxBandwidthOut"],
    [{ TagSpecification: [{ ResourceType: "instance", Tags: [{ Key: "qcloud:x", Value: "1" }] }] }, "FailedOperation.TagKeyReserved", "qcloud:x"],
    [{ LaunchTemplate: { LaunchTemplateId: "lt-abcdefgh" } }, "InvalidParameterValue.LaunchTemplateNotFound", "lt-abcdefgh"],
  ] as const)("refuses %j with %s naming %s, creating nothing", async (extra, code, named) => {
    const before = (await cvm.DescribeInstancesStatus({})).TotalCount;
    const err = await sdkError(launch(cvm, extra as never));
    expect(err.code).toBe(code);
    expect(err.message).toContain(named);
    expect((await cvm.DescribeInstancesStatus({})).TotalCount).toBe(before);
  });
});

group("DescribeInstances", () => {
  let ids: string[];
  beforeAll(async () => {
    const other = cvmClient(server, { region: "ap-shanghai" });
    const tagged = (key: string, value: string) => ({ TagSpecification: [{ ResourceType: "instance", Tags: [{ Key: key, Value: value }] }] });
    // 45 instances in Shanghai: 30 in zone 2 tagged env=prod, 15 in zone 3 tagged env=dev, some monthly.
    const a = await launch(other, { Placement: { Zone: "ap-shanghai-2" }, InstanceCount: 30, InstanceName: "prod-{R:1}", ...tagged("env", "prod") });
    const b = await launch(other, {
      Placement: { Zone: "ap-shanghai-3" },
      InstanceCount: 15,
      InstanceName: "dev-{R:1}",
      InstanceType: "SA2.SMALL2",
      InstanceChargeType: "PREPAID",
      InstanceChargePrepaid: { Period: 1 },
      ...tagged("env", "dev"),
    });
    ids = [...a.InstanceIdSet!, ...b.InstanceIdSet!];
    await waitFor(other, ids.slice(0, 40), "RUNNING");
  });
  const sh = () => cvmClient(server, { region: "ap-shanghai" });

  it("pages 45 instances in windows of 20 with a stable order and the full TotalCount", async () => {
    const pages = await Promise.all([0, 20, 40].map((Offset) => sh().DescribeInstances({ Offset, Limit: 20 })));
    expect(pages.map((p) => p.TotalCount)).toEqual([45, 45, 45]);
    expect(pages.map((p) => p.InstanceSet!.length)).toEqual([20, 20, 5]);
    const seen = pages.flatMap((p) => p.InstanceSet!.map((i) => i.InstanceId));
    expect(new Set(seen).size).toBe(45);
    expect(new Set(seen)).toEqual(new Set(ids));
    const again = await sh().DescribeInstances({ Offset: 20, Limit: 20 });
    expect(again.InstanceSet!.map((i) => i.InstanceId)).toEqual(pages[1].InstanceSet!.map((i) => i.InstanceId));
    expect((await sh().DescribeInstances({})).InstanceSet).toHaveLength(20);
    expect((await sdkError(sh().DescribeInstances({ Limit: 101 }))).code).toBe("InvalidParameterValue.LimitExceeded");
    expect((await sdkError(sh().DescribeInstances({ Offset: -1 }))).code).toBe("InvalidParameterValue");
  });

  it.each([
    [[{ Name: "zone", Values: ["ap-shanghai-2"] }], 30],
    [[{ Name: "zone", Values: ["ap-shanghai-2", "ap-shanghai-3"] }], 45],
    [[{ Name: "tag:env", Values: ["dev"] }], 15],
    [[{ Name: "tag-key", Values: ["env"] }], 45],
    [[{ Name: "tag-value", Values: ["prod"] }], 30],
    [[{ Name: "zone", Values: ["ap-shanghai-2"] }, { Name: "tag:env", Values: ["dev"] }], 0],
    [[{ Name: "instance-name", Values: ["dev-1"] }], 7], // dev-1, dev-10 … dev-15
    [[{ Name: "instance-charge-type", Values: ["PREPAID"] }], 15],
    [[{ Name: "instance-type", Values: ["SA2.SMALL2"] }], 15],
    [[{ Name: "instance-family", Values: ["S5"] }], 30],
    [[{ Name: "image-id", Values: [UBUNTU] }], 45],
    [[{ Name: "project-id", Values: ["0"] }], 45],
    [[{ Name: "project-id", Values: ["7"] }], 0],
    [[{ Name: "host-id", Values: ["host-abcdefgh"] }], 0],
    [[{ Name: "dedicated-cluster-id", Values: ["cluster-abcdefgh"] }], 0],
    [[{ Name: "ipv6-address", Values: ["2402:4e00::1"] }], 0],
    [[{ Name: "security-group-id", Values: ["sg-abcdefgh"] }], 0],
    [[{ Name: "creation-start-time", Values: ["2000-01-01 00:00:00"] }], 45],
    [[{ Name: "creation-end-time", Values: ["2000-01-01 00:00:00"] }], 0],
  ])("filters %j to %i instances", async (Filters, count) => {
    expect((await sh().DescribeInstances({ Filters, Limit: 100 })).TotalCount).toBe(count);
  });

  it("counts every match when they do not fit in the page, whichever index drives the count", async () => {
    const count = async (Filters: { Name: string; Values: string[] }[]) => {
      const page = await sh().DescribeInstances({ Filters, Limit: 5 });
      expect(page.InstanceSet).toHaveLength(Math.min(5, page.TotalCount!));
      return page.TotalCount;
    };
    expect(await count([{ Name: "tag:env", Values: ["prod"] }])).toBe(30);
    expect(await count([{ Name: "tag-key", Values: ["env"] }])).toBe(45);
    expect(await count([{ Name: "tag-value", Values: ["dev", "prod"] }])).toBe(45);
    expect(await count([{ Name: "zone", Values: ["ap-shanghai-3"] }, { Name: "tag:env", Values: ["dev"] }])).toBe(15);
    expect(await count([{ Name: "instance-type", Values: ["S5.MEDIUM4"] }, { Name: "tag-key", Values: ["env"] }])).toBe(30);
    expect(await count([{ Name: "instance-name", Values: ["prod-"] }])).toBe(30);
  });

  it("filters by public address", async () => {
    const ids = (await launch(sh(), { Placement: { Zone: "ap-shanghai-4" }, InternetAccessible: { InternetMaxBandwidthOut: 5 } })).InstanceIdSet!;
    const [one] = await describe(sh(), ids);
    const found = await sh().DescribeInstances({ Filters: [{ Name: "public-ip-address", Values: [one.PublicIpAddresses![0]] }] });
    expect(found.InstanceSet!.map((i) => i.InstanceId)).toEqual(ids);
    await sh().TerminateInstances({ InstanceIds: ids });
    await waitGone(sh(), ids);
  });

  it("filters by id, address, VPC, subnet, uuid and state", async () => {
    const [one] = await describe(sh(), [ids[0]]);
    for (const [Name, value] of [
      ["instance-id", one.InstanceId],
      ["private-ip-address", one.PrivateIpAddresses![0]],
      ["uuid", one.Uuid],
    ] as const) {
      expect((await sh().DescribeInstances({ Filters: [{ Name, Values: [value!] }] })).InstanceSet!.map((i) => i.InstanceId)).toEqual([one.InstanceId]);
    }
    expect((await sh().DescribeInstances({ Filters: [{ Name: "vpc-id", Values: [one.VirtualPrivateCloud!.VpcId!] }] })).TotalCount).toBe(45);
    expect((await sh().DescribeInstances({ Filters: [{ Name: "subnet-id", Values: [one.VirtualPrivateCloud!.SubnetId!] }] })).TotalCount).toBe(30);
    expect((await sh().DescribeInstances({ Filters: [{ Name: "instance-state", Values: ["RUNNING"] }] })).TotalCount).toBe(45);
  });

  it.each([
    [{ Filters: [{ Name: "colour", Values: ["red"] }] }, "InvalidFilter"],
    [{ Filters: [{ Name: "zone", Values: ["a", "b", "c", "d", "e", "f"] }] }, "InvalidFilterValue.LimitExceeded"],
    [{ Filters: [{ Name: "zone", Values: ["ap-guangzhou-3"] }] }, "InvalidZone.MismatchRegion"],
    [{ Filters: [{ Name: "vpc-id", Values: ["vpc"] }] }, "InvalidParameterValue.VpcIdMalformed"],
    [{ Filters: [{ Name: "private-ip-address", Values: ["1.2.3"] }] }, "InvalidParameterValue.IPAddressMalformed"],
    [{ Filters: [{ Name: "public-ip-address", Values: ["300.1.1.1"] }] }, "InvalidParameterValue.IPAddressMalformed"],
    [{ Filters: [{ Name: "security-group-id", Values: ["group-1"] }] }, "InvalidSgId.Malformed"],
    [{ Filters: [{ Name: "subnet-id", Values: ["sub"] }] }, "InvalidParameterValue.SubnetIdMalformed"],
    [{ Filters: [{ Name: "uuid", Values: ["not-a-uuid"] }] }, "InvalidParameterValue.UuidMalformed"],
    [{ Filters: [{ Name: "host-id", Values: ["h1"] }] }, "InvalidHostId.Malformed"],
    [{ Filters: [{ Name: "project-id", Values: ["zero"] }] }, "InvalidParameterValue"],
    [{ Filters: [{ Name: "creation-start-time", Values: ["yesterday"] }] }, "InvalidParameterValue.InvalidTimeFormat"],
    [{ InstanceIds: ["ins-abcdefgh"], Filters: [{ Name: "zone", Values: ["ap-shanghai-2"] }] }, "InvalidParameter"],
    [{ InstanceIds: ["i-1"] }, "InvalidParameterValue.InstanceIdMalformed"],
    [{ InstanceIds: Array.from({ length: 101 }, (_, i) => `ins-${String(i).padStart(8, "0")}`) }, "InvalidParameterValue.LimitExceeded"],
  ])("refuses %j with %s", async (params, code) => {
    expect((await sdkError(sh().DescribeInstances(params))).code).toBe(code);
  });

  it("leaves well-formed unknown ids out without an error", async () => {
    const out = await sh().DescribeInstances({ InstanceIds: [ids[0], "ins-zzzzzzzz"] });
    expect(out.TotalCount).toBe(1);
  });

  it("DescribeInstancesStatus pages the same instances", async () => {
    const out = await sh().DescribeInstancesStatus({ Limit: 100 });
    expect(outputProblems("cvm", "DescribeInstancesStatus", out as Record<string, unknown>)).toEqual([]);
    expect(out.TotalCount).toBe(45);
    expect(new Set(out.InstanceStatusSet!.map((s) => s.InstanceId))).toEqual(new Set(ids));
  });
});

group("refusals", () => {
  it("refuses each state the lifecycle table does not allow, with the documented code, changing nothing", async () => {
    const ids = (await launch(cvm)).InstanceIdSet!;
    await waitFor(cvm, ids, "RUNNING");
    expect((await sdkError(cvm.StartInstances({ InstanceIds: ids }))).code).toBe("UnsupportedOperation.InstanceStateRunning");
    await cvm.StopInstances({ InstanceIds: ids });
    await waitFor(cvm, ids, "STOPPED");
    expect((await sdkError(cvm.StopInstances({ InstanceIds: ids }))).code).toBe("UnsupportedOperation.InstanceStateStopped");
    expect((await sdkError(cvm.RebootInstances({ InstanceIds: ids }))).code).toBe("UnsupportedOperation.InstanceStateStopped");
    expect((await describe(cvm, ids))[0]).toMatchObject({ InstanceState: "STOPPED", LatestOperation: "StopInstances" });
  });

  it("refuses a second operation while one runs", async () => {
    const slow = await startServer({ OPENCVM_TIMING: "fast" });
    try {
      const c = cvmClient(slow);
      const ids = (await launch(c)).InstanceIdSet!;
      expect((await sdkError(c.StopInstances({ InstanceIds: ids }))).code).toBe("OperationDenied.InstanceOperationInProgress");
      expect((await sdkError(c.TerminateInstances({ InstanceIds: ids }))).code).toBe("OperationDenied.InstanceOperationInProgress");
    } finally {
      await slow.close();
    }
  });

  it("refuses the whole call when one id is unknown, malformed or another account's", async () => {
    const ids = (await launch(cvm)).InstanceIdSet!;
    await waitFor(cvm, ids, "RUNNING");
    const missing = await sdkError(cvm.StopInstances({ InstanceIds: [...ids, "ins-zzzzzzzz"] }));
    expect(missing).toMatchObject({ code: "InvalidInstanceId.NotFound", message: expect.stringContaining("ins-zzzzzzzz") });
    expect((await sdkError(cvm.StopInstances({ InstanceIds: ["nope"] }))).code).toBe("InvalidParameterValue.InstanceIdMalformed");
    expect((await describe(cvm, ids))[0].InstanceState).toBe("RUNNING");
  });

  it("ends a failed start back in STOPPED with LatestOperationState FAILED", async () => {
    const faulty = await startServer({ OPENCVM_TIMING: "instant", OPENCVM_FAULTS: "start=1" });
    try {
      const c = cvmClient(faulty);
      const ids = (await launch(c)).InstanceIdSet!;
      await waitFor(c, ids, "RUNNING");
      await c.StopInstances({ InstanceIds: ids });
      await waitFor(c, ids, "STOPPED");
      await c.StartInstances({ InstanceIds: ids });
      const until = Date.now() + 5000;
      let [i] = await describe(c, ids);
      while (i.LatestOperationState === "OPERATING" && Date.now() < until) [i] = await describe(c, ids);
      expect(i).toMatchObject({ InstanceState: "STOPPED", LatestOperation: "StartInstances", LatestOperationState: "FAILED" });
      expect(i.LatestOperationErrorMsg).toContain("start");
    } finally {
      await faulty.close();
    }
  });

  it("keeps a protected instance from termination", async () => {
    const ids = (await launch(cvm, { DisableApiTermination: true })).InstanceIdSet!;
    await waitFor(cvm, ids, "RUNNING");
    expect((await describe(cvm, ids))[0].DisableApiTermination).toBe(true);
    expect((await sdkError(cvm.TerminateInstances({ InstanceIds: ids }))).code).toBe("UnsupportedOperation.InstancesProtected");
  });

  it("ends a failed launch in LAUNCH_FAILED with the error, and refuses to terminate it as documented", async () => {
    const faulty = await startServer({ OPENCVM_TIMING: "instant", OPENCVM_FAULTS: "launch=1" });
    try {
      const c = cvmClient(faulty);
      const ids = (await launch(c)).InstanceIdSet!;
      const [failed] = await waitFor(c, ids, "LAUNCH_FAILED");
      expect(failed).toMatchObject({ LatestOperation: "RunInstances", LatestOperationState: "FAILED" });
      expect(failed.LatestOperationErrorMsg).toContain("launch");
      expect((await sdkError(c.TerminateInstances({ InstanceIds: ids }))).code).toBe("UnsupportedOperation.InstanceStateLaunchFailed");
    } finally {
      await faulty.close();
    }
  });
});

group("accounts", () => {
  it("never see or touch each other's instances", async () => {
    const key = generateKeyPair();
    await server.store.accounts.create(key);
    const other = cvmClient(server, key);
    const mine = (await launch(cvm, { TagSpecification: [{ ResourceType: "instance", Tags: [{ Key: "owner", Value: "a" }] }] })).InstanceIdSet!;
    await waitFor(cvm, mine, "RUNNING");
    expect((await other.DescribeInstances({})).TotalCount).toBe(0);
    expect((await other.DescribeInstances({ InstanceIds: mine })).TotalCount).toBe(0);
    expect((await other.DescribeInstances({ Filters: [{ Name: "tag:owner", Values: ["a"] }] })).TotalCount).toBe(0);
    expect((await other.DescribeInstancesStatus({ InstanceIds: mine })).TotalCount).toBe(0);
    // Each call is made when it is awaited: one refused before its turn would be an unhandled rejection.
    for (const call of [() => other.StopInstances({ InstanceIds: mine }), () => other.TerminateInstances({ InstanceIds: mine }), () => other.RebootInstances({ InstanceIds: mine })]) {
      expect((await sdkError(call())).code).toBe("InvalidInstanceId.NotFound");
    }
    expect((await describe(cvm, mine))[0].InstanceState).toBe("RUNNING");
  });
});
