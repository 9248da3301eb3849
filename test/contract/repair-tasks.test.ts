// Maintenance tasks: an operator raises one against an instance with `opencvm instances repair`, and its owner
// finds it with DescribeTaskInfo and authorises it with RepairTaskControl, at once or for a booked time that the
// service clock then reaches; another account sees and authorises nothing of it.
import { describe as group, expect, it } from "vitest";
import type { Client } from "tencentcloud-sdk-nodejs-cvm/tencentcloud/services/cvm/v20170312/cvm_client.js";
import { generateKeyPair as generateSecret } from "../../src/keys.js";
import { opencvm } from "../helpers/cli.js";
import { everyRefusalDocumented } from "../helpers/documented-refusals.js";
import { launch, waitFor } from "../helpers/instances.js";
import { serverForFile } from "../helpers/file-server.js";
import { admin, cvmClient, sdkError, type TestServer } from "../helpers/server.js";

let server: TestServer;
let cvm: Client;
let instance: string;
serverForFile(async (started) => {
  server = started;
  cvm = cvmClient(server, { language: "en-US" });
  [instance] = (await launch(cvm, { InstanceName: "db-1" })).InstanceIdSet!;
  await waitFor(cvm, [instance], "RUNNING");
}, { OPENCVM_TIMING: "instant" });
everyRefusalDocumented(() => [server.logs], (action) => action === "DescribeTaskInfo" || action === "RepairTaskControl");

/** Raises a task through the admin path the command uses. */
async function raise(TaskTypeId: number, extra: object = {}): Promise<string> {
  const res = await admin(server, `/_opencvm/instances/${instance}/repair-tasks`, { TaskTypeId, ...extra });
  expect(res.status).toBe(200);
  return ((await res.json()) as { TaskId: string }).TaskId;
}

const page = { Limit: 100, Offset: 0 };

group("maintenance tasks", () => {
  it("are raised with `opencvm instances repair` and shown to the instance's owner, waiting for authorisation", async () => {
    const ran = await opencvm(["instances", "repair", instance, "--type", "103", "--detail", "disk /dev/vdb reports errors", "--json", "--port", String(server.port)]);
    expect(ran.stderr).toBe("");
    const raised = JSON.parse(ran.stdout) as { TaskId: string };
    expect(raised.TaskId).toMatch(/^rep-[a-z0-9]{8}$/);
    const [task] = (await cvm.DescribeTaskInfo({ ...page, TaskIds: [raised.TaskId] })).RepairTaskInfoSet!;
    expect(task).toMatchObject({
      TaskId: raised.TaskId,
      InstanceId: instance,
      Alias: "db-1",
      TaskTypeId: 103,
      TaskTypeName: "实例硬盘异常",
      TaskStatus: 1,
      DeviceStatus: 1,
      OperateStatus: 1,
      AuthType: 2,
      AuthSource: "Waiting_auth",
      TaskDetail: "disk /dev/vdb reports errors",
      Product: "CVM",
      Region: "ap-guangzhou",
    });
    expect(task.CreateTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect((await opencvm(["instances", "repair", instance, "--type", "999", "--port", String(server.port)])).code).not.toBe(0);
  }, 60_000);

  it("are authorised now, ending at once, or for a booked time the clock then reaches", async () => {
    const now = await raise(101);
    const later = await raise(107, { AuthType: 6 });
    expect((await cvm.RepairTaskControl({ Product: "CVM", InstanceIds: [instance], TaskId: now, Operate: "AuthorizeRepair" })).TaskId).toBe(now);
    const [ended] = (await cvm.DescribeTaskInfo({ ...page, TaskIds: [now] })).RepairTaskInfoSet!;
    expect(ended).toMatchObject({ TaskStatus: 3, DeviceStatus: 3, OperateStatus: 3, AuthSource: "Customer_auth" });
    expect(ended.EndTime).toBe(ended.AuthTime);
    expect((await sdkError(cvm.RepairTaskControl({ Product: "CVM", InstanceIds: [instance], TaskId: now, Operate: "AuthorizeRepair" }))).code).toBe("InvalidParameter");

    const at = new Date(Date.now() + 3_600_000).toISOString().slice(0, 19).replace("T", " ");
    await cvm.RepairTaskControl({ Product: "CVM", InstanceIds: [instance], TaskId: later, Operate: "AuthorizeRepair", OrderAuthTime: at });
    expect((await cvm.DescribeTaskInfo({ ...page, TaskIds: [later] })).RepairTaskInfoSet![0]).toMatchObject({ TaskStatus: 4, AuthTime: at, EndTime: null });
    expect((await cvm.DescribeTaskInfo({ ...page, TaskStatus: [4] })).RepairTaskInfoSet!.map((t) => t.TaskId)).toEqual([later]);
    expect((await admin(server, "/_opencvm/clock", { Advance: "2h" })).status).toBe(200);
    expect((await cvm.DescribeTaskInfo({ ...page, TaskIds: [later], StartDate: "2000-01-01 00:00:00" })).RepairTaskInfoSet![0]).toMatchObject({ TaskStatus: 3, EndTime: at });
  });

  it("are filtered and ordered as documented, and bad requests are refused", async () => {
    const all = await cvm.DescribeTaskInfo({ ...page, StartDate: "2000-01-01 00:00:00", Order: 1 });
    expect(all.TotalCount).toBeGreaterThanOrEqual(3);
    const times = all.RepairTaskInfoSet!.map((t) => t.CreateTime);
    expect(times).toEqual([...times].sort().reverse());
    expect((await cvm.DescribeTaskInfo({ ...page, TaskTypeIds: [103], StartDate: "2000-01-01 00:00:00" })).RepairTaskInfoSet!.every((t) => t.TaskTypeId === 103)).toBe(true);
    expect((await cvm.DescribeTaskInfo({ ...page, Aliases: ["nobody"], StartDate: "2000-01-01 00:00:00" })).TotalCount).toBe(0);
    expect((await cvm.DescribeTaskInfo({ ...page, Product: "CDH", StartDate: "2000-01-01 00:00:00" })).TotalCount).toBe(0);
    expect((await sdkError(cvm.DescribeTaskInfo({ Limit: 101, Offset: 0 }))).code).toBe("InvalidParameterValue");
    expect((await sdkError(cvm.DescribeTaskInfo({ ...page, StartDate: "yesterday" }))).code).toBe("InvalidParameterValue");
    const task = await raise(105);
    const soon = new Date(Date.now() + 60_000).toISOString().slice(0, 19).replace("T", " ");
    expect((await sdkError(cvm.RepairTaskControl({ Product: "CVM", InstanceIds: [instance], TaskId: task, Operate: "AuthorizeRepair", OrderAuthTime: soon }))).code).toBe("InvalidParameter");
    expect((await sdkError(cvm.RepairTaskControl({ Product: "CVM", InstanceIds: [instance], TaskId: task, Operate: "Ignore" }))).code).toBe("InvalidParameter");
  });

  it("belong to the instance's account only", async () => {
    const task = await raise(104);
    const secret = generateSecret();
    await server.store.accounts.create(secret);
    const other = cvmClient(server, { ...secret, language: "en-US" });
    expect((await other.DescribeTaskInfo({ ...page, TaskIds: [task], StartDate: "2000-01-01 00:00:00" })).TotalCount).toBe(0);
    const theirs = await sdkError(other.RepairTaskControl({ Product: "CVM", InstanceIds: [instance], TaskId: task, Operate: "AuthorizeRepair" }));
    const none = await sdkError(other.RepairTaskControl({ Product: "CVM", InstanceIds: [instance], TaskId: "rep-00000000", Operate: "AuthorizeRepair" }));
    expect(theirs.code).toBe(none.code);
    expect(theirs.message.replace(task, "rep-00000000")).toBe(none.message);
    expect((await cvm.DescribeTaskInfo({ ...page, TaskIds: [task] })).RepairTaskInfoSet![0].TaskStatus).toBe(1);
  });
});
