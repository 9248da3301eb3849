// Billing finds due monthly instances by their ExpiredTime kept in an indexed column (issue #15): the column follows
// every change the API makes to ExpiredTime, and the queries a billing tick makes are answered from its index.
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { describe as describeInstances, launch, waitFor } from "../helpers/instances.js";
import { serverForFile } from "../helpers/file-server.js";
import { cvmClient, type TestServer } from "../helpers/server.js";
import { database } from "../trust/invariants.js";

let server: TestServer;
let cvm: ReturnType<typeof cvmClient>;

serverForFile((started) => {
  server = started;
  cvm = cvmClient(server);
});

async function column(id: string): Promise<number | null> {
  const row = await database(server.store).selectFrom("instances").select("expires_at").where("instance_id", "=", id).executeTakeFirstOrThrow();
  return row.expires_at === null ? null : Number(row.expires_at);
}

describe("due expiries", () => {
  it("keep ExpiredTime's column in step through launch, renewal and a switch to pay-as-you-go", async () => {
    const [id] = (await launch(cvm, { InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1 } } as never)).InstanceIdSet!;
    await waitFor(cvm, [id], "RUNNING");
    const expiry = async () => Date.parse((await describeInstances(cvm, [id]))[0].ExpiredTime!);
    const launched = await expiry();
    expect(await column(id)).toBe(launched);
    const now = server.clock.nowMs();
    expect((await server.store.instances.expiring(["RUNNING", "STOPPED"], launched)).map((r) => r.instanceId)).toContain(id);
    expect((await server.store.instances.expiring(["RUNNING", "STOPPED"], launched - 1)).map((r) => r.instanceId)).not.toContain(id);
    expect(await server.store.instances.nextExpiry(["RUNNING", "STOPPED"], now)).toBeLessThanOrEqual(launched);

    await cvm.RenewInstances({ InstanceIds: [id], InstanceChargePrepaid: { Period: 2 } });
    const renewed = await expiry();
    expect(renewed).toBeGreaterThan(launched);
    expect(await column(id)).toBe(renewed);

    await cvm.ModifyInstancesChargeType({ InstanceIds: [id], InstanceChargeType: "POSTPAID_BY_HOUR" });
    expect((await describeInstances(cvm, [id]))[0].ExpiredTime).toBeNull();
    expect(await column(id)).toBeNull();
    expect((await server.store.instances.expiring(["RUNNING", "STOPPED"], renewed)).map((r) => r.instanceId)).not.toContain(id);
    await cvm.TerminateInstances({ InstanceIds: [id] });
  });

  it("are found through the expiry index, not by reading every monthly instance", async () => {
    // The queries SqlInstances.expiring and nextExpiry make.
    const plan = async (query: string) =>
      ((await sql.raw(`EXPLAIN QUERY PLAN ${query}`).execute(database(server.store))).rows as { detail: string }[]).map((r) => r.detail).join("; ");
    const states = "state IN ('RUNNING', 'STOPPED')";
    expect(await plan(`SELECT * FROM instances WHERE expires_at <= 1 AND ${states}`)).toMatch(/USING INDEX instances_expiry \(expires_at<\?\)/);
    expect(await plan(`SELECT expires_at FROM instances WHERE expires_at > 1 AND ${states} ORDER BY expires_at LIMIT 1`)).toMatch(/USING INDEX instances_expiry \(expires_at>\?\)/);
  });
});
