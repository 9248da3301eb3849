// A store filled with instances for the benchmarks. The account, its quota and subnets go through the Store
// interface; the instances, their tags, disks, meters and freezes are written as the store writes them (the same
// row builders) but in bulk: prepared statements, large transactions and the tables' indexes built once after the
// load, so a million instances take minutes instead of hours.
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { recountInstances } from "../src/store/instance-counts.js";
import type { Database } from "../src/store/schema.js";
import { randomId } from "../src/domain/ids.js";
import { intToIp } from "../src/domain/ipv4.js";
import { Clock } from "../src/domain/clock.js";
import { CatalogRater } from "../src/billing/rating.js";
import { RATED_WITH, ratingFingerprint } from "../src/billing/rerating.js";
import { catalogOf } from "../src/main.js";
import { diskRow, instanceDisks } from "../src/store/instance-disks.js";
import { ratedInstance, toRow } from "../src/store/instances-sql.js";
import { DB_FILE } from "../src/store/dialects/sqlite.js";
import { openStore } from "../src/store/sql.js";
import type { InstanceRecord, Rating } from "../src/store/store.js";
import { SECRET_ID, SECRET_KEY } from "./common.js";

const REGION = "ap-guangzhou";
export const ZONES = ["ap-guangzhou-3", "ap-guangzhou-4", "ap-guangzhou-6", "ap-guangzhou-7"];
/** Rows per transaction: large enough that commits cost nothing, small enough to keep the seed's memory flat. */
const BATCH = 20_000;
/** The tables the load writes: their indexes are dropped before it and built again after. */
const LOADED = ["instances", "instance_tags", "disks", "meters", "freezes"];

/**
 * Writes `count` running pay-as-you-go instances spread over four zones, two in three tagged env=prod, into a fresh
 * store, metered and frozen at the built-in catalog's prices (so the server has nothing to re-rate at start-up).
 */
export async function seed(data: string, count: number): Promise<string[]> {
  const clock = new Clock();
  const catalog = catalogOf({ catalog: undefined, compute: "simulated", images: "" });
  const store = await openStore(data, clock);
  const account = await store.accounts.create({ secretId: SECRET_ID, secretKey: SECRET_KEY }, { isDefault: true });
  // The benchmark launches far more than the 30 pay-as-you-go instances per zone an account may have by default.
  await store.accounts.setQuota(account.appId, "postpaid", 10_000_000);
  const subnets = await Promise.all(ZONES.map((z, i) => store.networks.defaultSubnet(account.appId, REGION, z, [3, 4, 6, 7][i])));
  await store.billing.setState(RATED_WITH, ratingFingerprint(catalog));
  await store.close();

  const db = new SQLite(join(data, DB_FILE));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  const indexes = db
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${LOADED.map(() => "?").join(", ")})`)
    .all(...LOADED) as { name: string; sql: string }[];
  for (const i of indexes) db.exec(`DROP INDEX "${i.name}"`);

  const rater = new CatalogRater(catalog);
  const at = clock.nowMs();
  const ratings = new Map<string, Rating>();
  const inserts = new Map<string, SQLite.Statement>();
  /** Inserts `row` into `table` with a statement prepared once per table and set of columns. */
  const insert = (table: string, row: Record<string, unknown>) => {
    const columns = Object.keys(row);
    const key = `${table}(${columns.join(",")})`;
    let statement = inserts.get(key);
    if (!statement) {
      statement = db.prepare(`INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map((c) => `@${c}`).join(", ")})`);
      inserts.set(key, statement);
    }
    return statement.run(row);
  };
  const write = db.transaction((records: InstanceRecord[]) => {
    for (const r of records) {
      const seq = Number(insert("instances", toRow(r) as Record<string, unknown>).lastInsertRowid);
      for (const t of r.tags) insert("instance_tags", { instance_seq: seq, app_id: r.appId, tag_key: t.key, tag_value: t.value });
      for (const d of instanceDisks(r)) insert("disks", diskRow(d) as unknown as Record<string, unknown>);
      // Every instance of a zone costs the same: rated once per zone.
      let rating = ratings.get(r.zone);
      if (!rating) ratings.set(r.zone, (rating = rater.instance(ratedInstance({ ...toRow(r), app_id: r.appId } as Parameters<typeof ratedInstance>[0]))));
      for (const m of rating.meters) insert("meters", { resource_id: r.instanceId, app_id: r.appId, component: m.component, rate: m.rate, since: at, until: null, doc: JSON.stringify(m.detail) });
      if (rating.freeze > 0) insert("freezes", { resource_id: r.instanceId, app_id: r.appId, amount: rating.freeze });
    }
  });

  const ids: string[] = [];
  const base = Date.now() - count * 1000;
  for (let start = 0; start < count; start += BATCH) {
    const batch: InstanceRecord[] = [];
    for (let n = start; n < Math.min(count, start + BATCH); n++) {
      const z = n % ZONES.length;
      const instanceId = randomId("ins");
      ids.push(instanceId);
      batch.push(instance(n, instanceId, account.appId, ZONES[z], subnets[z], base));
    }
    write(batch);
  }
  for (const i of indexes) db.exec(i.sql);
  await recountInstances(new Kysely<Database>({ dialect: new SqliteDialect({ database: db }) }));
  db.prepare("INSERT INTO frozen_totals (app_id, amount) SELECT app_id, sum(amount) FROM freezes GROUP BY app_id ON CONFLICT (app_id) DO UPDATE SET amount = excluded.amount").run();
  db.close();
  return ids;
}

function instance(n: number, instanceId: string, appId: number, zone: string, subnet: { vpcId: string; subnetId: string }, base: number): InstanceRecord {
  return {
    instanceId,
    appId,
    region: REGION,
    zone,
    state: "RUNNING",
    instanceName: `bench-${n}`,
    instanceType: "S5.MEDIUM4",
    instanceFamily: "S5",
    imageId: "img-487zeit5",
    chargeType: "POSTPAID_BY_HOUR",
    projectId: 0,
    vpcId: subnet.vpcId,
    subnetId: subnet.subnetId,
    // Outside the default subnets, so they never meet the addresses RunInstances hands out.
    privateIp: intToIp(0x0a000000 + n),
    publicIp: null,
    uuid: randomUUID(),
    createdAt: new Date(base + n * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"),
    latestOperation: "RunInstances",
    latestOperationState: "SUCCESS",
    latestOperationRequestId: randomUUID(),
    latestOperationError: null,
    tags: [{ key: "env", value: n % 3 ? "prod" : "dev" }],
    securityGroupIds: [],
    keyIds: [],
    doc: {
      CPU: 2,
      Memory: 4,
      OsName: "Ubuntu Server 22.04 LTS 64bit",
      Platform: "LINUX",
      SystemDisk: { DiskType: "CLOUD_PREMIUM", DiskId: randomId("disk"), DiskSize: 50 },
      DataDisks: [],
      InternetAccessible: { InternetChargeType: "TRAFFIC_POSTPAID_BY_HOUR", InternetMaxBandwidthOut: 0, PublicIpAssigned: false },
      HostName: `VM-0-${n}-ubuntu`,
      DisableApiTermination: false,
      StopChargingMode: "NOT_APPLICABLE",
      ExpiredTime: null,
      RenewFlag: null,
      DefaultLoginUser: "ubuntu",
      DefaultLoginPort: 22,
      UserData: null,
      IsolatedSource: "NOTISOLATED",
    },
  };
}
