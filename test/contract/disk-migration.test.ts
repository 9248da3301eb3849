// Migration 020 gives the instances of a database from before cloud disks their disk rows: the system and data
// disks DescribeInstances showed, with the same ids, attached, and the provider's DescribeDisks finds them.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, expect, it } from "vitest";
import { DB_FILE } from "../../src/store/dialect.js";
import { launch, waitFor } from "../helpers/instances.js";
import { commonClient, cvmClient, startServer } from "../helpers/server.js";

const data = mkdtempSync(join(tmpdir(), "opencvm-disk-migration-"));
afterAll(() => rmSync(data, { recursive: true, force: true }));

it("makes disk rows of every instance's disks, attached to it, with the ids and sizes it shows", async () => {
  const before = await startServer({ OPENCVM_DATA: data, OPENCVM_TIMING: "instant" });
  const cvm = cvmClient(before);
  const ids = (await launch(cvm, { InstanceCount: 2, DataDisks: [{ DiskType: "CLOUD_SSD", DiskSize: 100, DeleteWithInstance: false }] })).InstanceIdSet!;
  const instances = await waitFor(cvm, ids, "RUNNING");
  await before.close();

  // The database as it was before migrations 020 and 021.
  const db = new Database(join(data, DB_FILE));
  db.exec("DROP TABLE disks; DROP TABLE snapshots; DELETE FROM kysely_migration WHERE name IN ('020-disks', '021-snapshots');");
  db.close();

  const after = await startServer({ OPENCVM_DATA: data, OPENCVM_TIMING: "instant" });
  try {
    const { DiskSet, TotalCount } = await commonClient(after, "2017-03-12").request("DescribeDisks", { Limit: 100 });
    expect(TotalCount).toBe(4);
    for (const i of instances) {
      const mine = DiskSet.filter((d: { InstanceId: string }) => d.InstanceId === i.InstanceId);
      expect(mine.map((d: { DiskId: string; DiskUsage: string; DiskSize: number; DiskType: string; DiskState: string; DeleteWithInstance: boolean }) => [d.DiskId, d.DiskUsage, d.DiskType, d.DiskSize, d.DiskState, d.DeleteWithInstance]).sort()).toEqual(
        [
          [i.SystemDisk!.DiskId, "SYSTEM_DISK", i.SystemDisk!.DiskType, i.SystemDisk!.DiskSize, "ATTACHED", true],
          [i.DataDisks![0].DiskId, "DATA_DISK", "CLOUD_SSD", 100, "ATTACHED", false],
        ].sort(),
      );
    }
  } finally {
    await after.close();
  }
});
