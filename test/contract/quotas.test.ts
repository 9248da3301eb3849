// Purchase quotas: DescribeAccountQuota follows launches and terminations, and no number of concurrent purchases
// passes a quota; a refused purchase creates nothing.
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe as group, expect, it } from "vitest";
import { launch, waitFor, waitGone } from "../helpers/instances.js";
import { cvmClient, sdkError, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

let server: TestServer;
let cvm: ReturnType<typeof cvmClient>;
serverForFile((started) => {
  server = started;
  cvm = cvmClient(server);
}, { OPENCVM_TIMING: "instant" }, undefined, undefined, { quotas: "default" });

const postpaid = async (zone: string) => (await cvm.DescribeAccountQuota({ Filters: [{ Name: "zone", Values: [zone] }] })).AccountQuotaOverview!.AccountQuota!.PostPaidQuotaSet![0];

group("DescribeAccountQuota", () => {
  it("reports every set, per available zone, with the published default of 30", async () => {
    const out = await cvm.DescribeAccountQuota({});
    expect(out.AppId).toBe(server.defaultAccount.account.appId);
    const q = out.AccountQuotaOverview!.AccountQuota!;
    expect(q.PostPaidQuotaSet!.map((z) => z.Zone)).toEqual(["ap-guangzhou-3", "ap-guangzhou-4", "ap-guangzhou-6", "ap-guangzhou-7"]);
    expect(q.PostPaidQuotaSet![0]).toMatchObject({ TotalQuota: 30, UsedQuota: 0, RemainingQuota: 30 });
    expect(q.ImageQuotaSet).toEqual([{ UsedQuota: 0, TotalQuota: 500 }]);
    const only = await cvm.DescribeAccountQuota({ Filters: [{ Name: "quota-type", Values: ["SpotPaidQuotaSet"] }] });
    expect(only.AccountQuotaOverview!.AccountQuota!.PostPaidQuotaSet).toEqual([]);
    expect(only.AccountQuotaOverview!.AccountQuota!.SpotPaidQuotaSet).toHaveLength(4);
    expect((await sdkError(cvm.DescribeAccountQuota({ Filters: [{ Name: "zone", Values: ["ap-beijing-3"] }] }))).code).toBe("InvalidZone.MismatchRegion");
    expect((await sdkError(cvm.DescribeAccountQuota({ Filters: [{ Name: "color", Values: ["x"] }] }))).code).toBe("InvalidFilter");
  });

  it("counts launches and terminations", async () => {
    const ids = (await launch(cvm, { Placement: { Zone: "ap-guangzhou-7" }, InstanceCount: 3 })).InstanceIdSet!;
    expect(await postpaid("ap-guangzhou-7")).toMatchObject({ UsedQuota: 3, RemainingQuota: 27 });
    await waitFor(cvm, ids, "RUNNING");
    await cvm.TerminateInstances({ InstanceIds: ids });
    await waitGone(cvm, ids);
    expect(await postpaid("ap-guangzhou-7")).toMatchObject({ UsedQuota: 0, RemainingQuota: 30 });
  });

  it("moves instances between quotas when their charge type changes", async () => {
    const ids = (await launch(cvm, { Placement: { Zone: "ap-guangzhou-7" }, InstanceCount: 2 })).InstanceIdSet!;
    await waitFor(cvm, ids, "RUNNING");
    await cvm.ModifyInstancesChargeType({ InstanceIds: [ids[0]], InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1 } });
    expect(await postpaid("ap-guangzhou-7")).toMatchObject({ UsedQuota: 1, RemainingQuota: 29 });
    await cvm.ModifyInstancesChargeType({ InstanceIds: [ids[0]], InstanceChargeType: "POSTPAID_BY_HOUR" });
    expect(await postpaid("ap-guangzhou-7")).toMatchObject({ UsedQuota: 2, RemainingQuota: 28 });
    await cvm.TerminateInstances({ InstanceIds: ids });
    await waitGone(cvm, ids);
    expect(await postpaid("ap-guangzhou-7")).toMatchObject({ UsedQuota: 0, RemainingQuota: 30 });
  });
});

group("enforcement", () => {
  it("lets exactly 30 of 64 concurrent purchases through, and refuses the rest creating nothing", async () => {
    const zone = "ap-guangzhou-4";
    const results = await Promise.allSettled(Array.from({ length: 64 }, () => launch(cvm, { Placement: { Zone: zone } })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(30);
    expect(new Set(results.flatMap((r) => (r.status === "rejected" ? [(r.reason as { code: string }).code] : [])))).toEqual(new Set(["LimitExceeded.InstanceQuota"]));
    expect((await cvm.DescribeInstances({ Filters: [{ Name: "zone", Values: [zone] }] })).TotalCount).toBe(30);
    expect(await postpaid(zone)).toMatchObject({ UsedQuota: 30, RemainingQuota: 0 });
    expect((await sdkError(launch(cvm, { Placement: { Zone: zone }, DryRun: true }))).code).toBe("LimitExceeded.InstanceQuota");
  });

  it("creates as many as fit, down to MinCount", async () => {
    const zone = "ap-guangzhou-6";
    await launch(cvm, { Placement: { Zone: zone }, InstanceCount: 25 });
    const some = await launch(cvm, { Placement: { Zone: zone }, InstanceCount: 10, MinCount: 2 });
    expect(some.InstanceIdSet).toHaveLength(5);
    expect((await sdkError(launch(cvm, { Placement: { Zone: zone }, InstanceCount: 2, MinCount: 1 }))).code).toBe("LimitExceeded.InstanceQuota");
  });

  it("counts spot quota in vCPUs", async () => {
    const spot = { Placement: { Zone: "ap-guangzhou-3" }, InstanceChargeType: "SPOTPAID", InstanceType: "S5.LARGE8" };
    expect((await launch(cvm, { ...spot, InstanceCount: 25 })).InstanceIdSet).toHaveLength(25);
    expect((await sdkError(launch(cvm, spot))).code).toBe("LimitExceeded.SpotQuota");
  });

  it("takes an account's own quota set with `opencvm accounts quota`", async () => {
    const data = mkdtempSync(join(tmpdir(), "opencvm-"));
    const cli = (...args: string[]) => promisify(execFile)(process.execPath, ["--import", "tsx", "src/cli.ts", ...args]);
    await cli("accounts", "create", "--data", data);
    expect((await cli("accounts", "quota", "1300000001", "postpaid", "2", "--data", data)).stdout).toContain("postpaid quota 2");
    // A quota that does not exist is a usage error: one line naming the choices, exit code 2.
    await expect(cli("accounts", "quota", "1300000001", "gold", "2", "--data", data)).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/one of postpaid, prepaid, spot-cores, not "gold"/) });
    const { openStore } = await import("../../src/store/sql.js");
    const { Clock } = await import("../../src/domain/clock.js");
    const store = await openStore(data, new Clock());
    expect(await store.accounts.quotas(1300000001)).toEqual({ postpaid: 2 });
    await store.close();
  });
});

group("the monthly quota and the service clock", () => {
  it("counts monthly purchases of the clock's calendar month: a new month gives the quota back", async () => {
    const appId = server.defaultAccount.account.appId;
    await server.store.accounts.setQuota(appId, "prepaid", 1);
    const monthly = { Placement: { Zone: "ap-guangzhou-7" }, InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1 } } as never;
    await launch(cvm, monthly);
    expect((await sdkError(launch(cvm, monthly))).code).toBe("LimitExceeded.PrepayQuota");
    const now = server.clock.now();
    const nextMonth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1, 1);
    await server.timekeeper.advance(nextMonth - server.clock.nowMs());
    const [second] = (await launch(cvm, monthly)).InstanceIdSet!;
    await waitFor(cvm, [second], "RUNNING");
  });
});
