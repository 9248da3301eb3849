// What the instances table's indexes cost and serve (issue #15): the engine walks running and stopped instances by
// the table's own key, failed launches past their retention are found by an index of them alone, and the columns
// most instances leave NULL are indexed only where set, which still serves the queries on them. Plans are SQLite's.
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { launch, waitFor } from "../helpers/instances.js";
import { serverForFile } from "../helpers/file-server.js";
import { cvmClient, type TestServer } from "../helpers/server.js";
import { database } from "../trust/invariants.js";

let server: TestServer;
let cvm: ReturnType<typeof cvmClient>;

serverForFile((started) => {
  server = started;
  cvm = cvmClient(server);
});

/** SQLite's plan for `query`, its steps joined. */
async function plan(query: string): Promise<string> {
  return ((await sql.raw(`EXPLAIN QUERY PLAN ${query}`).execute(database(server.store))).rows as { detail: string }[]).map((r) => r.detail).join("; ");
}

describe("instance indexes", () => {
  it("walk running and stopped instances page by page in the order of the table's key, missing none", async () => {
    const ids = (await launch(cvm, { InstanceCount: 5 })).InstanceIdSet!;
    await waitFor(cvm, ids, "RUNNING");
    const walked: string[] = [];
    for (let after = 0; ; ) {
      const page = await server.store.instances.inStates(["RUNNING", "STOPPED"], { after, limit: 2 });
      walked.push(...page.map((p) => p.instanceId));
      if (page.length < 2) break;
      expect(page[1].seq).toBeGreaterThan(page[0].seq);
      after = page[1].seq;
    }
    expect(walked).toEqual(expect.arrayContaining(ids));
    expect(new Set(walked).size).toBe(walked.length);
    expect(await plan("SELECT seq, instance_id FROM instances WHERE state IN ('RUNNING', 'STOPPED') AND seq > 0 ORDER BY seq LIMIT 5000")).toMatch(/USING INTEGER PRIMARY KEY \(rowid>\?\)/);
    await cvm.TerminateInstances({ InstanceIds: ids });
  });

  it("find failed launches past their retention by their own index, not by a walk over the table", async () => {
    expect(await plan("SELECT instance_id FROM instances WHERE state = 'LAUNCH_FAILED' AND created_at < '2026-01-01T00:00:00Z'")).toMatch(/USING INDEX instances_launch_failed \(created_at<\?\)/);
    await expect(server.store.instances.removeExpiredLaunchFailures()).resolves.toBe(0);
  });

  it("index the columns most instances leave NULL only where they are set, and still use them", async () => {
    const partial = (await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'instances' AND sql LIKE '%WHERE%'`.execute(database(server.store))).rows.map((r) => r.name);
    expect(partial.sort()).toEqual(["instances_dedicated_host", "instances_expiry", "instances_hpc_cluster", "instances_launch_failed", "instances_public_ip", "instances_resource_pack"]);
    expect(await plan("SELECT seq FROM instances WHERE app_id = 1 AND region = 'ap-guangzhou' AND public_ip IN ('1.2.3.4', '1.2.3.5')")).toMatch(/USING (COVERING )?INDEX instances_public_ip /);
    expect(await plan("SELECT seq FROM instances WHERE dedicated_host_id IN ('host-1') AND state NOT IN ('TERMINATED')")).toMatch(/USING (COVERING )?INDEX instances_dedicated_host /);
    expect(await plan("SELECT seq FROM instances WHERE resource_pack_id IN ('rpp-1')")).toMatch(/USING (COVERING )?INDEX instances_resource_pack /);
    expect(await plan("SELECT seq FROM instances WHERE hpc_cluster_id IN ('hpc-1')")).toMatch(/USING (COVERING )?INDEX instances_hpc_cluster /);
  });
});
