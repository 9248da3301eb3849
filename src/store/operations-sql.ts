// The engine's queue: pending operations, claimed with a lease so that a crashed worker's work is picked up again.
import { sql, type Kysely } from "kysely";
import type { Clock } from "../domain/clock.js";
import type { Dialect } from "./dialect.js";
import type { Database } from "./schema.js";
import type { OperationRecord, OperationRepo } from "./store.js";

export class SqlOperations implements OperationRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly dialect: Dialect,
  ) {}

  async add(ops: Omit<OperationRecord, "attempts">[]): Promise<void> {
    if (ops.length === 0) return;
    const created_at = new Date().toISOString();
    await this.db
      .insertInto("operations")
      .values(
        ops.map((o) => ({
          operation_id: o.operationId,
          instance_id: o.instanceId,
          kind: o.kind,
          request_id: o.requestId,
          payload: JSON.stringify(o.payload),
          status: "pending",
          lease_until: 0,
          attempts: 0,
          created_at,
          finished_at: null,
        })),
      )
      .execute();
    await this.dialect.announceWork(this.db);
  }

  async claim(now: number, leaseMs: number, max: number, hostedOn?: string): Promise<OperationRecord[]> {
    // Not the writers' transaction: claims lock only the rows they take, so nodes claim side by side.
    return this.db.transaction().execute(async (trx) => {
      let q = trx.selectFrom("operations").selectAll().where("status", "=", "pending").where("lease_until", "<=", now);
      if (hostedOn !== undefined) {
        const elsewhere = trx.selectFrom("instances").select("seq").where(sql<boolean>`instances.instance_id = operations.instance_id`).where("host_node", "is not", null).where("host_node", "<>", hostedOn);
        q = q.where((eb) => eb.not(eb.exists(elsewhere)));
      }
      const due = await this.dialect.forClaim(q.orderBy("created_at").limit(max)).execute();
      const claimed: OperationRecord[] = [];
      for (const row of due) {
        // The guard on lease_until makes the claim safe against another worker claiming the same row.
        const res = await trx
          .updateTable("operations")
          .set({ lease_until: now + leaseMs, attempts: row.attempts + 1 })
          .where("operation_id", "=", row.operation_id)
          .where("lease_until", "=", row.lease_until)
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) === 1) {
          claimed.push({
            operationId: row.operation_id,
            instanceId: row.instance_id,
            kind: row.kind,
            requestId: row.request_id,
            payload: JSON.parse(row.payload) as Record<string, unknown>,
            attempts: row.attempts + 1,
          });
        }
      }
      return claimed;
    });
  }

  async finish(operationId: string, status: "done" | "failed"): Promise<boolean> {
    const r = await this.db.updateTable("operations").set({ status, finished_at: this.clock.nowMs() }).where("operation_id", "=", operationId).where("status", "=", "pending").executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async prune(before: number, limit: number): Promise<number> {
    // Operations finished before they carried a time (an older database) count as finished long ago.
    const old = this.db
      .selectFrom("operations")
      .select("operation_id")
      .where("status", "<>", "pending")
      .where((eb) => eb.or([eb("finished_at", "is", null), eb("finished_at", "<=", before)]))
      .limit(limit);
    return Number((await this.db.deleteFrom("operations").where("operation_id", "in", old).executeTakeFirst()).numDeletedRows);
  }

  async releaseLeases(): Promise<void> {
    await this.db.updateTable("operations").set({ lease_until: 0 }).where("status", "=", "pending").execute();
  }

  async renewLeases(operationIds: readonly string[], until: number): Promise<void> {
    if (operationIds.length === 0) return;
    await this.db.updateTable("operations").set({ lease_until: until }).where("status", "=", "pending").where("operation_id", "in", [...operationIds]).execute();
  }

  async pending(kinds: readonly string[]): Promise<OperationRecord[]> {
    if (kinds.length === 0) return [];
    const rows = await this.db.selectFrom("operations").selectAll().where("status", "=", "pending").where("kind", "in", [...kinds]).execute();
    return rows.map((r) => ({ operationId: r.operation_id, instanceId: r.instance_id, kind: r.kind, requestId: r.request_id, payload: JSON.parse(r.payload) as Record<string, unknown>, attempts: r.attempts }));
  }

  async pendingOf(requestId: string): Promise<number> {
    const row = await this.db.selectFrom("operations").select((eb) => eb.fn.countAll().as("n")).where("status", "=", "pending").where("request_id", "=", requestId).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async pendingCount(createdBy?: string): Promise<number> {
    let q = this.db.selectFrom("operations").select((eb) => eb.fn.countAll().as("n")).where("status", "=", "pending");
    if (createdBy !== undefined) q = q.where("created_at", "<=", createdBy);
    const row = await q.executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
