// Cloud disks. An account's disks are filtered in memory (a few thousand at most); an instance's own disks are
// written from the instance's record in the transaction that writes it (follow), so the two cannot disagree.
import type { Kysely } from "kysely";
import type { Clock } from "../domain/clock.js";
import { isoSeconds } from "../domain/dates.js";
import { SqlBilling } from "./billing-sql.js";
import { diskRecord, diskRow, instanceDisks, type DiskHolder } from "./instance-disks.js";
import { diskDueAt } from "../domain/disk-due.js";
import type { Database, DisksTable } from "./schema.js";
import type { DiskChange, DiskRecord, DiskRepo, DiskState, Rater } from "./store.js";

/** Rows per insert statement: 8 columns each stays well under the bound parameters a statement may take. */
const INSERT_ROWS = 1000;
/** A disk's row with the indexed time its next term rule falls due. */
const dueRow = (d: DiskRecord): DisksTable => ({ ...diskRow(d), due_at: diskDueAt(d) });

export class SqlDisks implements DiskRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly rater: Rater | undefined,
    private readonly inTransaction: boolean,
  ) {}

  /** Runs `fn` on this repository inside a transaction of its own, unless in one already. */
  private atomically<T>(fn: (d: SqlDisks) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    return this.db.transaction().execute((trx) => fn(new SqlDisks(trx, this.clock, this.rater, true)));
  }

  /** Brings a disk's own meters in step with what it now is (none once gone or attached). */
  private async rate(diskId: string, d: DiskRecord | undefined): Promise<void> {
    if (this.rater) await new SqlBilling(this.db).sync(diskId, d?.appId ?? 0, d ? this.rater.disk(d) : { meters: [], freeze: 0 }, this.clock.nowMs());
  }

  async insert(records: readonly DiskRecord[]): Promise<void> {
    if (!records.length) return;
    if (!this.inTransaction) return this.atomically((d) => d.insert(records));
    await this.db.insertInto("disks").values(records.map(dueRow)).execute();
    for (const d of records) await this.rate(d.diskId, d);
  }

  async list(appId: number, region: string): Promise<DiskRecord[]> {
    const rows = await this.db.selectFrom("disks").selectAll().where("app_id", "=", appId).where("region", "=", region).orderBy("created_at").orderBy("disk_id").execute();
    return rows.map(diskRecord);
  }

  async find(appId: number, region: string, ids: readonly string[]): Promise<DiskRecord[]> {
    if (!ids.length) return [];
    const rows = await this.db.selectFrom("disks").selectAll().where("app_id", "=", appId).where("region", "=", region).where("disk_id", "in", [...ids]).execute();
    return rows.map(diskRecord);
  }

  async get(diskId: string): Promise<DiskRecord | undefined> {
    const row = await this.db.selectFrom("disks").selectAll().where("disk_id", "=", diskId).executeTakeFirst();
    return row && diskRecord(row);
  }

  async dueBy(until: number): Promise<DiskRecord[]> {
    return (await this.db.selectFrom("disks").selectAll().where("due_at", "<=", until).orderBy("due_at").execute()).map(diskRecord);
  }

  async nextDue(after: number): Promise<number | undefined> {
    const row = await this.db.selectFrom("disks").select("due_at").where("due_at", ">", after).orderBy("due_at").limit(1).executeTakeFirst();
    return row?.due_at == null ? undefined : Number(row.due_at);
  }

  async standalone(): Promise<DiskRecord[]> {
    return (await this.db.selectFrom("disks").selectAll().where("instance_id", "is", null).execute()).map(diskRecord);
  }

  async ofInstance(instanceId: string): Promise<DiskRecord[]> {
    const rows = await this.db.selectFrom("disks").selectAll().where("instance_id", "=", instanceId).orderBy("created_at").orderBy("disk_id").execute();
    return rows.map(diskRecord);
  }

  async update(diskId: string, change: DiskChange, expectState?: DiskState): Promise<boolean> {
    if (!this.inTransaction) return this.atomically((d) => d.update(diskId, change, expectState));
    const current = await this.get(diskId);
    if (!current || (expectState !== undefined && current.state !== expectState)) return false;
    const next = { ...current, ...change };
    const row = dueRow(next);
    await this.db.updateTable("disks").set({ state: row.state, instance_id: row.instance_id, doc: row.doc, due_at: row.due_at }).where("disk_id", "=", diskId).execute();
    await this.rate(diskId, next);
    return true;
  }

  async remove(diskId: string): Promise<void> {
    if (!this.inTransaction) return this.atomically((d) => d.remove(diskId));
    await this.db.deleteFrom("disks").where("disk_id", "=", diskId).execute();
    await this.rate(diskId, undefined);
  }

  /**
   * The disk rows of instances just inserted. A launch's disks are all new: one existence probe and one insert
   * for the whole batch instead of three statements per instance; a batch naming a disk that exists is followed
   * instance by instance.
   */
  async followNew(holders: readonly DiskHolder[]): Promise<void> {
    const wanted = holders.flatMap(instanceDisks);
    if (!wanted.length) return;
    const taken = await this.db.selectFrom("disks").select("disk_id").where("disk_id", "in", wanted.map((d) => d.diskId)).executeTakeFirst();
    if (taken) {
      for (const h of holders) await this.follow(h);
      return;
    }
    for (let i = 0; i < wanted.length; i += INSERT_ROWS) await this.db.insertInto("disks").values(wanted.slice(i, i + INSERT_ROWS).map(diskRow)).execute();
  }

  /**
   * Makes the instance's disk rows what its record says (inside the transaction writing the instance): sizes, types
   * and flags from the document, charge from the instance; names, projects, encryption and a disk on its way in or
   * out (ATTACHING, DETACHING) are the disk's own.
   */
  async follow(i: DiskHolder): Promise<void> {
    const wanted = instanceDisks(i);
    const existing = new Map((await this.ofInstance(i.instanceId)).map((d) => [d.diskId, d]));
    for (const d of wanted) {
      const had = existing.get(d.diskId) ?? (await this.get(d.diskId));
      existing.delete(d.diskId);
      if (!had) {
        await this.db.insertInto("disks").values(diskRow(d)).execute();
        continue;
      }
      const next: DiskRecord = {
        ...had,
        zone: d.zone,
        instanceId: d.instanceId,
        diskType: d.diskType,
        diskSize: d.diskSize,
        chargeType: d.chargeType,
        deleteWithInstance: d.deleteWithInstance,
        // A monthly data disk returned without its instance (not TORECYCLE) keeps its own term.
        deadline: keptTerm(had, d) ? had.deadline : d.deadline,
        renewFlag: d.renewFlag,
        state: had.state === "UNATTACHED" ? "ATTACHED" : had.state,
      };
      if (JSON.stringify(next) !== JSON.stringify(had)) await this.update(d.diskId, next);
    }
    // A disk the record no longer holds that is not on its way in: gone with the instance's document.
    for (const d of existing.values()) if (d.state !== "ATTACHING") await this.remove(d.diskId);
  }

  /**
   * The instance is being destroyed: its monthly data disks are released with it when `release` says so or they
   * went to the recycle bin with it (TORECYCLE): gone if they were there already, else to the recycle bin on their
   * own; the others are detached and kept for the rest of their term.
   */
  async releasePrepaidData(instanceId: string, release: boolean): Promise<void> {
    for (const d of await this.ofInstance(instanceId)) {
      if (d.diskUsage !== "DATA_DISK" || d.chargeType !== "PREPAID") continue;
      if (d.state === "TORECYCLE") await this.remove(d.diskId);
      else await this.update(d.diskId, release ? { state: "TORECYCLE", instanceId: null, recycledAt: isoSeconds(new Date(this.clock.nowMs())) } : { state: "UNATTACHED", instanceId: null });
    }
  }

  /**
   * The instance is gone: its system disk and the data disks deleted with it go too, the others stay, unattached,
   * billed on their own from now.
   */
  async release(instanceId: string): Promise<void> {
    for (const d of await this.ofInstance(instanceId)) {
      if (d.diskUsage === "SYSTEM_DISK" || d.deleteWithInstance) await this.remove(d.diskId);
      else await this.update(d.diskId, { state: "UNATTACHED", instanceId: null });
    }
  }
}

/** Whether `had`, a monthly data disk whose term ends after its monthly instance's (`d`), keeps its term. */
function keptTerm(had: DiskRecord, d: DiskRecord): boolean {
  return had.diskUsage === "DATA_DISK" && had.chargeType === "PREPAID" && d.chargeType === "PREPAID" && had.state !== "TORECYCLE" && had.deadline !== null && d.deadline !== null && had.deadline > d.deadline;
}
