// Retention on the service clock, moved through the admin path: settled meters of a terminated instance go at the
// next hour, finished operations, ClientTokens, the VPC's tasks and done action timers of gone instances after
// OPENCVM_RETENTION,
// bill lines once the billing service can no longer be asked for their month; what is kept answers as before.
import { describe, expect, it } from "vitest";
import { oldestBillMonth } from "../../src/billing/retention.js";
import { isoSeconds } from "../../src/domain/dates.js";
import { launch } from "../helpers/instances.js";
import { serverForFile } from "../helpers/file-server.js";
import { admin, commonClient, cvmClient, sdkError, type TestServer } from "../helpers/server.js";
import { database } from "../trust/invariants.js";

let server: TestServer;
let cvm: ReturnType<typeof cvmClient>;
let billing: ReturnType<typeof commonClient>;
let vpc: ReturnType<typeof commonClient>;

serverForFile(
  (started) => {
    server = started;
    cvm = cvmClient(server);
    billing = commonClient(server, "2018-07-09", { region: null });
    vpc = commonClient(server, "2017-03-12");
  },
  { OPENCVM_TIMING: "instant", OPENCVM_RETENTION: "3d" },
);

async function advance(by: string): Promise<void> {
  const res = await admin(server, "/_opencvm/clock", { Advance: by });
  expect(res.status).toBe(200);
}

/** Rows of `table` that name `id` in `column`. */
async function rowsOf(table: "meters" | "operations" | "action_timers", column: "resource_id" | "instance_id", id: string): Promise<number> {
  const db = database(server.store);
  const row = await db.selectFrom(table).select((eb) => eb.fn.countAll().as("n")).where(column as never, "=", id as never).executeTakeFirstOrThrow();
  return Number(row.n);
}

const tokens = async () => Number((await database(server.store).selectFrom("client_tokens").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
const tasks = async () => Number((await database(server.store).selectFrom("tasks").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
const allocate = async () => (await vpc.request("AllocateAddresses", { AddressCount: 1, ClientToken: "kept-address" })) as { TaskId: string; AddressSet: string[] };
const linesOf = async (month: string, id: string) => (await billing.request("DescribeBillDetail", { Month: month, Offset: 0, Limit: 100, ResourceId: id })).Total as number;

describe("retention", () => {
  it("prunes on the service clock what is no longer kept, and answers as before for what is", { timeout: 300_000 }, async () => {
    const [kept] = (await launch(cvm, { ClientToken: "kept-instance" })).InstanceIdSet!;
    const [gone] = (await launch(cvm, { ClientToken: "gone-instance" })).InstanceIdSet!;
    const address = await allocate();
    const [timed] = (await launch(cvm, { ActionTimer: { TimerAction: "TerminateInstances", ActionTime: isoSeconds(new Date(server.clock.nowMs() + 10 * 60_000)) } } as never)).InstanceIdSet!;
    await server.engine.idle();
    await advance("30m");
    await cvm.TerminateInstances({ InstanceIds: [gone] });
    await server.engine.idle();
    const month = server.clock.now().toISOString().slice(0, 7);
    expect(await rowsOf("meters", "resource_id", gone)).toBeGreaterThan(0);

    // The hour settles: the terminated instance's meters are gone, its lines and everything else kept.
    await advance("1h");
    expect(await rowsOf("meters", "resource_id", gone)).toBe(0);
    expect(await rowsOf("meters", "resource_id", kept)).toBeGreaterThan(0);
    expect(await linesOf(month, gone)).toBeGreaterThan(0);
    expect(await rowsOf("operations", "instance_id", gone)).toBeGreaterThan(0);
    expect(await tokens()).toBe(2);
    expect((await launch(cvm, { ClientToken: "gone-instance" })).InstanceIdSet).toEqual([gone]);
    expect(await allocate()).toMatchObject({ TaskId: address.TaskId, AddressSet: address.AddressSet });
    expect((await vpc.request("DescribeTaskResult", { TaskId: Number(address.TaskId) })).Result).toBe("SUCCESS");
    expect(await tasks()).toBe(1);
    expect((await cvm.DescribeInstancesActionTimer({ InstanceIds: [timed] })).ActionTimers?.map((t) => t.Status)).toEqual(["DONE"]);
    const shown = async () => (await cvm.DescribeInstances({ InstanceIds: [kept] })).InstanceSet!.map((i) => [i.InstanceState, i.LatestOperation, i.LatestOperationState, i.LatestOperationRequestId]);
    const before = await shown();
    const lines = await linesOf(month, gone);

    // Past the retention (3 days): finished operations, tokens and the done timer of a gone instance are removed.
    await advance("4d");
    expect(await rowsOf("operations", "instance_id", gone)).toBe(0);
    expect(await rowsOf("operations", "instance_id", kept)).toBe(0);
    expect(await rowsOf("action_timers", "instance_id", timed)).toBe(0);
    expect(await tokens()).toBe(0);
    expect(await tasks()).toBe(0);
    expect((await sdkError(vpc.request("DescribeTaskResult", { TaskId: Number(address.TaskId) }))).code).toBe("InvalidParameter");
    await vpc.request("ReleaseAddresses", { AddressIds: address.AddressSet });
    expect(await shown()).toEqual(before);
    expect(await linesOf(month, gone)).toBe(lines);

    // Bill lines are kept for the months the billing service documents (18 before the current one), then removed.
    await cvm.TerminateInstances({ InstanceIds: [kept] });
    await server.engine.idle();
    let months = 0;
    while (oldestBillMonth(server.clock.now()) <= month) {
      await advance("30d");
      months++;
      if (oldestBillMonth(server.clock.now()) <= month) expect(await linesOf(month, gone)).toBe(lines);
    }
    expect(months).toBeGreaterThanOrEqual(18);
    expect(await linesOf(month, gone)).toBe(0);
    expect(Number((await database(server.store).selectFrom("bills").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n)).toBe(0);
  });
});
