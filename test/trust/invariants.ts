// What must hold in the store whatever requests came before: every address allocated once and to a live instance,
// every disk an instance shows a disk row attached to it, no row hanging on a missing parent, no work left behind
// once the engine is idle, quotas kept, and the instance counts DescribeInstances reports true. Read straight from the database (the Store's own Kysely handle), so a
// listing that hides a bad row cannot hide it from here.
import { createHash } from "node:crypto";
import { sql, type Kysely, type RawBuilder } from "kysely";
import type { Database } from "../../src/store/schema.js";
import type { Store } from "../../src/store/store.js";
import { EIP_QUOTA } from "../../src/actions/vpc/addresses/addresses.js";
import { IMAGE_QUOTA } from "../../src/actions/cvm/images/images.js";
import { SECURITY_GROUP_QUOTA } from "../../src/actions/vpc/security-groups/security-group-inputs.js";
import { DISK_QUOTA } from "../../src/actions/cbs/disks/disk-purchase.js";
import { SNAPSHOT_QUOTA } from "../../src/actions/cbs/snapshots/snapshots.js";
import { METERED_UNTIL } from "../../src/billing/metering.js";
import { DEFAULT_QUOTAS } from "../../src/domain/quotas.js";
import { commonClient, type TestServer } from "../helpers/server.js";
import { billingProblems } from "./billing-invariants.js";

/** The Kysely handle behind the SQL store (a private member: tests only). */
export function database(store: Store): Kysely<Database> {
  const db = (store as unknown as { db?: Kysely<Database> }).db;
  if (!db) throw new Error("the store has no Kysely handle to inspect");
  return db;
}

async function rows<T>(db: Kysely<Database>, query: RawBuilder<unknown>): Promise<T[]> {
  return (await query.execute(db)).rows as T[];
}

const tableLists = new WeakMap<Kysely<Database>, Promise<string[]>>();

/**
 * The application's tables (migrations' bookkeeping left out), read from the schema so new tables count too; read
 * once per store (the schema does not change under a running server, and PostgreSQL's catalog is slow to ask).
 */
export function tables(db: Kysely<Database>): Promise<string[]> {
  let found = tableLists.get(db);
  if (!found) {
    found = db.introspection.getTables().then((all) => all.filter((t) => !t.isView).map((t) => t.name).sort());
    tableLists.set(db, found);
  }
  return found;
}

export interface Snapshot {
  /** The end of the last settled hour: an hour the clock settles between two snapshots writes billing's tables. */
  settledUntil: string | undefined;
  counts: Record<string, number>;
  /** A digest of every row of every table: equal digests, nothing changed. */
  digest: Record<string, string>;
}

/** Every table's row count and a digest of its rows. */
export async function snapshot(store: Store): Promise<Snapshot> {
  const db = database(store);
  const counts: Record<string, number> = {};
  const digest: Record<string, string> = {};
  for (const table of await tables(db)) {
    // Sorted here rather than by the database: neither a row id (SQLite's rowid) nor a key is common to every table.
    const all = (await rows<Record<string, unknown>>(db, sql`SELECT * FROM ${sql.table(table)}`)).map((r) => JSON.stringify(r)).sort();
    counts[table] = all.length;
    digest[table] = createHash("sha256").update(all.join("\n")).digest("hex").slice(0, 16);
  }
  return { settledUntil: await store.billing.state(METERED_UNTIL), counts, digest };
}

/** The tables an hour's settlement writes, whatever requests do, and those pruned once an hour has settled. */
const SETTLEMENT_WRITES = new Set(["service_state", "bills", "balances", "meters", "account_settlement", "operations", "client_tokens", "action_timers"]);

/** What differs between two snapshots, table by table ("instances: 3 → 4 rows", "key_pairs: rows changed"). */
export function differences(before: Snapshot, after: Snapshot): string[] {
  const out: string[] = [];
  const settled = before.settledUntil !== after.settledUntil;
  for (const table of new Set([...Object.keys(before.counts), ...Object.keys(after.counts)])) {
    if (settled && SETTLEMENT_WRITES.has(table)) continue;
    const [a, b] = [before.counts[table], after.counts[table]];
    if (a !== b) out.push(`${table}: ${a} → ${b} rows`);
    else if (before.digest[table] !== after.digest[table]) out.push(`${table}: rows changed`);
  }
  return out;
}

/** A problem's line: what is wrong, and the first few rows it is wrong of. */
function finding(what: string, found: unknown[]): string[] {
  return found.length ? [`${what}: ${JSON.stringify(found.slice(0, 5))}${found.length > 5 ? ` (+${found.length - 5})` : ""}`] : [];
}

interface ShownDisk {
  DiskId: string;
  DiskSize: number;
  DiskType: string;
}

/** Each disk an instance's record shows is a disk row attached to it, of its size and type, and the other way round. */
async function diskProblems(db: Kysely<Database>): Promise<string[]> {
  const disks = new Map((await db.selectFrom("disks").select(["disk_id", "instance_id", "app_id", "state", "doc"]).execute()).map((d) => [d.disk_id, d]));
  const shown = new Set<string>();
  const unmatched: { instance_id: string; disk_id: string }[] = [];
  for (const i of await db.selectFrom("instances").select(["instance_id", "app_id", "doc"]).execute()) {
    const doc = JSON.parse(i.doc) as { SystemDisk?: ShownDisk; DataDisks?: ShownDisk[] };
    for (const d of [...(doc.DataDisks ?? []), ...(doc.SystemDisk ? [doc.SystemDisk] : [])]) {
      shown.add(`${i.instance_id} ${d.DiskId}`);
      const row = disks.get(d.DiskId);
      const rowDoc = row && (JSON.parse(row.doc) as { diskSize?: number; diskType?: string });
      const matches = row && rowDoc && row.instance_id === i.instance_id && Number(row.app_id) === Number(i.app_id) && rowDoc.diskSize === d.DiskSize && rowDoc.diskType === d.DiskType;
      if (!matches) unmatched.push({ instance_id: i.instance_id, disk_id: d.DiskId });
    }
  }
  return [
    ...finding("instance disk that is not a disk row attached to it, of its size and type", unmatched),
    ...finding(
      "disk attached to a missing instance, or to one whose record does not hold it",
      [...disks.values()].filter((k) => k.instance_id !== null && !shown.has(`${k.instance_id} ${k.disk_id}`)).map((k) => ({ disk_id: k.disk_id, instance_id: k.instance_id, state: k.state })),
    ),
  ];
}

/** Problems found by reading the database; call it with the engine idle. */
export async function storeProblems(store: Store, keyPairQuota: number): Promise<string[]> {
  const db = database(store);
  const problems: string[] = [];
  const check = async (what: string, query: RawBuilder<unknown>) => {
    problems.push(...finding(what, await rows<Record<string, unknown>>(db, query)));
  };

  // Private addresses: each instance's own, once, in its own subnet; nothing allocated to a missing instance.
  await check(
    "instance whose private address is not allocated to it exactly once",
    sql`SELECT i.instance_id, i.private_ip,
          (SELECT count(*) FROM ip_allocations a WHERE a.instance_id = i.instance_id) AS allocations,
          (SELECT count(*) FROM ip_allocations a WHERE a.instance_id = i.instance_id AND a.ip = i.private_ip AND a.subnet_id = i.subnet_id) AS own
        FROM instances i
        WHERE (SELECT count(*) FROM ip_allocations a WHERE a.instance_id = i.instance_id) <> 1
           OR (SELECT count(*) FROM ip_allocations a WHERE a.instance_id = i.instance_id AND a.ip = i.private_ip AND a.subnet_id = i.subnet_id) <> 1`,
  );
  await check(
    "private address allocated to a missing instance or CHC host",
    sql`SELECT a.subnet_id, a.ip, a.instance_id FROM ip_allocations a
        WHERE NOT EXISTS (SELECT 1 FROM instances i WHERE i.instance_id = a.instance_id)
          AND NOT EXISTS (SELECT 1 FROM chc_hosts h WHERE h.chc_id = a.instance_id)`,
  );
  // A CHC host holds exactly the addresses of the networks it shows (its document is JSON, compared here).
  const chcHeld = await rows<{ subnet_id: string; ip: string; instance_id: string }>(db, sql`SELECT a.subnet_id, a.ip, a.instance_id FROM ip_allocations a JOIN chc_hosts h ON h.chc_id = a.instance_id`);
  const chcShown = (await store.chcHosts.list()).flatMap((h) => [h.doc.bmc, h.doc.deploy].flatMap((n) => (n ? [`${n.subnetId} ${n.ip} ${h.chcId}`] : [])));
  const held = chcHeld.map((a) => `${a.subnet_id} ${a.ip} ${a.instance_id}`);
  const unmatched = [...held.filter((x) => !chcShown.includes(x)), ...chcShown.filter((x) => !held.includes(x))];
  if (unmatched.length) problems.push(`CHC host address held without its network showing it, or shown without being held: ${JSON.stringify(unmatched.slice(0, 5))}`);
  await check(
    "two instances with one private address in a subnet",
    sql`SELECT subnet_id, private_ip, count(*) AS n FROM instances GROUP BY subnet_id, private_ip HAVING count(*) > 1`,
  );
  await check(
    "instance in a subnet or VPC that is not its account's",
    sql`SELECT i.instance_id, i.subnet_id, i.vpc_id FROM instances i
        WHERE NOT EXISTS (SELECT 1 FROM subnets s WHERE s.subnet_id = i.subnet_id AND s.vpc_id = i.vpc_id AND s.app_id = i.app_id)`,
  );
  // Public addresses: each held once, by an instance that shows it or by an EIP of the same account; an instance's
  // public address is its own, or that of the EIP bound to it.
  await check(
    "public address held by a missing instance or EIP, or by one that does not show it",
    sql`SELECT p.ip, p.instance_id FROM public_ips p
        WHERE NOT EXISTS (SELECT 1 FROM instances i WHERE i.instance_id = p.instance_id AND i.public_ip = p.ip AND i.app_id = p.app_id)
          AND NOT EXISTS (SELECT 1 FROM addresses a WHERE a.address_id = p.instance_id AND a.ip = p.ip AND a.app_id = p.app_id)`,
  );
  await check("EIP whose address is not held for it", sql`SELECT a.address_id, a.ip FROM addresses a WHERE NOT EXISTS (SELECT 1 FROM public_ips p WHERE p.ip = a.ip AND p.instance_id = a.address_id)`);
  await check(
    "instance showing a public address that is neither its own nor a bound EIP's",
    sql`SELECT i.instance_id, i.public_ip FROM instances i
        WHERE i.public_ip IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM public_ips p WHERE p.ip = i.public_ip AND p.instance_id = i.instance_id)
          AND NOT EXISTS (SELECT 1 FROM addresses a WHERE a.ip = i.public_ip AND a.instance_id = i.instance_id AND a.status = 'BIND')`,
  );
  await check(
    "EIP bound to a missing instance, one of another account or region, or one that does not show its address",
    sql`SELECT a.address_id, a.status, a.instance_id FROM addresses a
        WHERE (a.status = 'BIND') <> (a.instance_id IS NOT NULL)
           OR (a.instance_id IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM instances i WHERE i.instance_id = a.instance_id AND i.app_id = a.app_id AND i.region = a.region AND i.public_ip = a.ip))`,
  );
  await check("instance with two EIPs bound", sql`SELECT instance_id, count(*) AS n FROM addresses WHERE instance_id IS NOT NULL GROUP BY instance_id HAVING count(*) > 1`);

  // Rows hanging on a missing parent (foreign keys should make these impossible; this checks they are on).
  await check("instance tag of a missing instance", sql`SELECT t.instance_seq FROM instance_tags t WHERE NOT EXISTS (SELECT 1 FROM instances i WHERE i.seq = t.instance_seq)`);
  await check(
    "instance security group of a missing instance",
    sql`SELECT g.instance_seq FROM instance_security_groups g WHERE NOT EXISTS (SELECT 1 FROM instances i WHERE i.seq = g.instance_seq)`,
  );
  await check(
    "instance bound to a missing security group, or to one of another account or region",
    sql`SELECT g.instance_seq, g.security_group_id FROM instance_security_groups g JOIN instances i ON i.seq = g.instance_seq
        WHERE NOT EXISTS (SELECT 1 FROM security_groups s WHERE s.security_group_id = g.security_group_id AND s.app_id = i.app_id AND s.region = i.region)`,
  );
  await check(
    "key pair binding of a missing instance or key",
    sql`SELECT b.instance_seq, b.key_id FROM instance_key_pairs b
        WHERE NOT EXISTS (SELECT 1 FROM instances i WHERE i.seq = b.instance_seq) OR NOT EXISTS (SELECT 1 FROM key_pairs k WHERE k.key_id = b.key_id)`,
  );
  await check(
    "key pair bound to an instance of another account or region",
    sql`SELECT b.key_id, i.instance_id FROM instance_key_pairs b JOIN instances i ON i.seq = b.instance_seq JOIN key_pairs k ON k.key_id = b.key_id
        WHERE k.app_id <> i.app_id OR k.region <> i.region`,
  );
  await check(
    "image key pair binding of a missing image or key",
    sql`SELECT b.image_seq, b.key_id FROM image_key_pairs b
        WHERE NOT EXISTS (SELECT 1 FROM images m WHERE m.seq = b.image_seq) OR NOT EXISTS (SELECT 1 FROM key_pairs k WHERE k.key_id = b.key_id)`,
  );
  await check(
    "key pair carried by an image of another account or region",
    sql`SELECT b.key_id, m.image_id FROM image_key_pairs b JOIN images m ON m.seq = b.image_seq JOIN key_pairs k ON k.key_id = b.key_id
        WHERE k.app_id <> m.app_id OR k.region <> m.region`,
  );
  await check("key pair tag of a missing key", sql`SELECT t.key_seq FROM key_pair_tags t WHERE NOT EXISTS (SELECT 1 FROM key_pairs k WHERE k.seq = t.key_seq)`);
  await check(
    "image share of a missing image or account, or with its owner",
    sql`SELECT s.image_seq, s.shared_with FROM image_shares s
        WHERE NOT EXISTS (SELECT 1 FROM images m WHERE m.seq = s.image_seq AND m.app_id <> s.shared_with)
           OR NOT EXISTS (SELECT 1 FROM accounts a WHERE a.app_id = s.shared_with)`,
  );
  await check("subnet of a missing VPC", sql`SELECT s.subnet_id FROM subnets s WHERE NOT EXISTS (SELECT 1 FROM vpcs v WHERE v.vpc_id = s.vpc_id AND v.app_id = s.app_id)`);
  // A timer outlives its instance only DONE: one not yet run names a live instance of its own account and region.
  await check(
    "action timer not yet run of a missing instance, or of one of another account or region",
    sql`SELECT t.action_timer_id, t.instance_id, t.status FROM action_timers t
        WHERE t.status <> 'DONE' AND NOT EXISTS (SELECT 1 FROM instances i WHERE i.instance_id = t.instance_id AND i.app_id = t.app_id AND i.region = t.region)`,
  );

  // Cloud disks: DescribeInstances and DescribeDisks tell one story (the documents are JSON, compared here).
  problems.push(...(await diskProblems(db)));
  await check("disk attached with no instance, or unattached with one", sql`SELECT disk_id, state, instance_id FROM disks WHERE (state = 'ATTACHED') <> (instance_id IS NOT NULL)`);
  await check("snapshot of a missing image", sql`SELECT s.snapshot_id, s.image_id FROM snapshots s WHERE s.image_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM images m WHERE m.image_id = s.image_id)`);

  // Work left behind: with the engine idle, nothing is pending and nothing shows an operation in progress.
  await check("operation still pending with the engine idle", sql`SELECT operation_id, kind, instance_id FROM operations WHERE status = 'pending'`);
  await check(
    "instance still showing an operation in progress with the engine idle",
    sql`SELECT instance_id, state, latest_operation FROM instances WHERE latest_operation_state = 'OPERATING'`,
  );
  await check(
    "instance in a transitional state with the engine idle",
    sql`SELECT instance_id, state, latest_operation FROM instances WHERE state IN ('PENDING', 'STARTING', 'STOPPING', 'REBOOTING', 'TERMINATING', 'TERMINATED')`,
  );
  await check("image still in a transitional state with the engine idle", sql`SELECT image_id, state FROM images WHERE state IN ('CREATING', 'SYNCING', 'IMPORTING')`);
  await check("disk still in a transitional state with the engine idle", sql`SELECT disk_id, state FROM disks WHERE state IN ('ATTACHING', 'DETACHING', 'EXPANDING')`);
  await check("snapshot still being taken with the engine idle", sql`SELECT snapshot_id, state FROM snapshots WHERE state = 'CREATING'`);

  // Quotas and uniqueness.
  await check(
    "account over its key pair quota in a region",
    sql`SELECT app_id, region, count(*) AS n FROM key_pairs GROUP BY app_id, region HAVING count(*) > ${keyPairQuota}`,
  );
  await check("account over its image quota in a region", sql`SELECT app_id, region, count(*) AS n FROM images GROUP BY app_id, region HAVING count(*) > ${IMAGE_QUOTA}`);
  await check("more than one default security group in a region", sql`SELECT app_id, region, count(*) AS n FROM security_groups WHERE is_default = 1 GROUP BY app_id, region HAVING count(*) > 1`);
  await check("account over its disk quota in a region", sql`SELECT app_id, region, count(*) AS n FROM disks GROUP BY app_id, region HAVING count(*) > ${DISK_QUOTA}`);
  await check("account over its snapshot quota in a region", sql`SELECT app_id, region, count(*) AS n FROM snapshots GROUP BY app_id, region HAVING count(*) > ${SNAPSHOT_QUOTA}`);
  await check("account over its EIP quota in a region", sql`SELECT app_id, region, count(*) AS n FROM addresses GROUP BY app_id, region HAVING count(*) > ${EIP_QUOTA}`);
  await check(
    "account over its security group quota in a region (the default group aside)",
    sql`SELECT app_id, region, count(*) AS n FROM security_groups WHERE is_default = 0 GROUP BY app_id, region HAVING count(*) > ${SECURITY_GROUP_QUOTA}`,
  );
  await check(
    "account over its pay-as-you-go instance quota in a zone",
    sql`SELECT i.app_id, i.zone, count(*) AS n FROM instances i WHERE i.charge_type = 'POSTPAID_BY_HOUR' GROUP BY i.app_id, i.zone
        HAVING count(*) > coalesce((SELECT q.value FROM account_quotas q WHERE q.app_id = i.app_id AND q.quota = 'postpaid'), ${DEFAULT_QUOTAS.postpaid})`,
  );
  await check(
    "two images of one account with one name in a region",
    sql`SELECT app_id, region, image_name, count(*) AS n FROM images GROUP BY app_id, region, image_name HAVING count(*) > 1`,
  );
  return problems;
}

export interface Caller {
  secretId: string;
  secretKey: string;
  appId: number;
}

/** What each account's Describe actions report as a TotalCount, and the rows the database holds for it. */
const LISTINGS: { action: string; params: Record<string, unknown>; rows: RawBuilder<unknown> }[] = [
  { action: "DescribeInstances", params: { Limit: 1 }, rows: sql`SELECT app_id, region, count(*) AS n FROM instances GROUP BY app_id, region` },
  { action: "DescribeKeyPairs", params: { Limit: 1 }, rows: sql`SELECT app_id, region, count(*) AS n FROM key_pairs GROUP BY app_id, region` },
  { action: "DescribeAddresses", params: { Limit: 1 }, rows: sql`SELECT app_id, region, count(*) AS n FROM addresses GROUP BY app_id, region` },
  { action: "DescribeVpcs", params: { Limit: "1" }, rows: sql`SELECT app_id, region, count(*) AS n FROM vpcs GROUP BY app_id, region` },
  { action: "DescribeSecurityGroups", params: { Limit: "1" }, rows: sql`SELECT app_id, region, count(*) AS n FROM security_groups GROUP BY app_id, region` },
  { action: "DescribeLaunchTemplates", params: { Limit: 1 }, rows: sql`SELECT app_id, region, count(*) AS n FROM launch_templates GROUP BY app_id, region` },
  { action: "DescribeDisasterRecoverGroups", params: { Limit: 1 }, rows: sql`SELECT app_id, region, count(*) AS n FROM placement_groups GROUP BY app_id, region` },
];

/** Whether each account's Describe actions report as many resources per region as the database holds. */
export async function listingProblems(server: TestServer, callers: readonly Caller[]): Promise<string[]> {
  const db = database(server.store);
  const problems: string[] = [];
  for (const listing of LISTINGS) {
    const held = (await rows<{ app_id: number; region: string; n: number }>(db, listing.rows)).map((h) => ({ ...h, app_id: Number(h.app_id), n: Number(h.n) }));
    for (const caller of callers) {
      const regions = new Set(["ap-guangzhou", ...held.filter((h) => h.app_id === caller.appId).map((h) => h.region)]);
      for (const region of regions) {
        const client = commonClient(server, "2017-03-12", { secretId: caller.secretId, secretKey: caller.secretKey, region });
        const answer = (await client.request(listing.action, listing.params)) as { TotalCount: number };
        const stored = held.find((h) => h.app_id === caller.appId && h.region === region)?.n ?? 0;
        if (answer.TotalCount !== stored) problems.push(`account ${caller.appId} in ${region}: ${listing.action} reports ${answer.TotalCount}, the database holds ${stored}`);
      }
    }
  }
  return problems;
}

/** Every invariant: waits for the engine to settle, then reads the store and asks DescribeInstances. */
export async function invariantProblems(server: TestServer, callers: readonly Caller[]): Promise<string[]> {
  await server.engine.idle();
  return [
    ...(await storeProblems(server.store, server.config.keyPairQuota)),
    ...(await billingProblems(database(server.store))),
    ...(await listingProblems(server, callers)),
  ];
}
