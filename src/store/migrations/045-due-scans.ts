import type { Kysely } from "kysely";
import { diskDueAt } from "../../domain/disk-due.js";
import { diskRecord } from "../instance-disks.js";
import type { DisksTable } from "../schema.js";

// What billing's tick filters disks by, indexed, so that it reads what is due and no more however large the cloud:
// a disk of its own's next term rule (ms; null for any other disk). (Failed launches past their retention have
// their own partial index, from migration 036.)
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("disks").addColumn("due_at", "bigint").execute();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const any = db as Kysely<any>;
  for (const row of await any.selectFrom("disks").selectAll().where("instance_id", "is", null).execute()) {
    const due = diskDueAt(diskRecord(row as DisksTable));
    if (due !== null) await any.updateTable("disks").set({ due_at: due }).where("disk_id", "=", row.disk_id).execute();
  }
  await db.schema.createIndex("disks_due").on("disks").column("due_at").execute();
}
