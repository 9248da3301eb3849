// The snapshot file of `opencvm state export|import` and the state admin paths: every table of the store as rows,
// tagged with a format name, a version and the migrations that shaped the rows, so that a file from another
// schema is refused with a reason rather than half imported. The service clock travels inside (service_state).
import type { StoreRows } from "../store/store.js";

const FORMAT = "opencvm-snapshot";
const VERSION = 1;

export interface Snapshot {
  Format: typeof FORMAT;
  Version: typeof VERSION;
  CreatedAt: string;
  Schema: string[];
  Tables: StoreRows["tables"];
}

export class SnapshotError extends Error {}

export function toSnapshot(rows: StoreRows): Snapshot {
  return { Format: FORMAT, Version: VERSION, CreatedAt: new Date().toISOString(), Schema: rows.schema, Tables: rows.tables };
}

/** The rows of a snapshot this store can take (`schema`: its own migrations), or a SnapshotError saying why not. */
export function fromSnapshot(value: unknown, schema: readonly string[]): StoreRows {
  const s = value as Partial<Snapshot> | null;
  if (typeof s !== "object" || s === null || s.Format !== FORMAT) throw new SnapshotError(`not an OpenCVM snapshot (no "Format": "${FORMAT}")`);
  if (s.Version !== VERSION) throw new SnapshotError(`snapshot version ${String(s.Version)} is not one this OpenCVM reads (${VERSION})`);
  if (!Array.isArray(s.Schema) || typeof s.Tables !== "object" || s.Tables === null) throw new SnapshotError("the snapshot has no Schema or Tables");
  const theirs = s.Schema.at(-1) ?? "none";
  const ours = schema.at(-1) ?? "none";
  if (s.Schema.length !== schema.length || s.Schema.some((m, i) => m !== schema[i])) {
    throw new SnapshotError(`the snapshot's store has migrations up to ${theirs}, this one up to ${ours}: export it again with this version`);
  }
  for (const [table, rows] of Object.entries(s.Tables)) {
    if (!Array.isArray(rows) || rows.some((r) => typeof r !== "object" || r === null || Array.isArray(r))) throw new SnapshotError(`table ${table} must be a list of rows`);
  }
  return { schema: s.Schema, tables: s.Tables };
}
