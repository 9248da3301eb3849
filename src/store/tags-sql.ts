// The tags of every kind of resource, where each kind already keeps them: instances and key pairs in tag tables
// keyed on the resource's seq (indexed for DescribeInstances' tag filters), the others in their JSON document or,
// for the kinds that have one, in a `tags` column holding the JSON list.
// Reading and writing them here, rather than in a table of the tag service's own, leaves one set of tags that
// RunInstances, CreateVpc and the rest write and that the tag service and every Describe read.
import { sql, type Kysely, type RawBuilder } from "kysely";
import { countedOf, countInstances } from "./instance-counts.js";
import type { Database } from "./schema.js";
import type { TaggedKind, TaggedQuery, TaggedResource, TagRepo } from "./store.js";

type Tag = { key: string; value: string };

/** Kinds whose tags are rows of a table of their own, keyed on the resource's seq. */
const ROW_KINDS = {
  instance: { table: "instances", id: "instance_id", tags: "instance_tags", seq: "instance_seq" },
  keypair: { table: "key_pairs", id: "key_id", tags: "key_pair_tags", seq: "key_seq" },
} as const;

/** Kinds whose tags are the `tags` member of their JSON document (in: "doc") or the JSON list of a `tags` column. */
const DOC_KINDS = {
  image: { table: "images", id: "image_id", in: "doc" },
  sg: { table: "security_groups", id: "security_group_id", in: "doc" },
  vpc: { table: "vpcs", id: "vpc_id", in: "doc" },
  subnet: { table: "subnets", id: "subnet_id", in: "doc" },
  eip: { table: "addresses", id: "address_id", in: "doc" },
  volume: { table: "disks", id: "disk_id", in: "doc" },
  snapshot: { table: "snapshots", id: "snapshot_id", in: "doc" },
  host: { table: "dedicated_hosts", id: "host_id", in: "tags" },
  hpc: { table: "hpc_clusters", id: "hpc_cluster_id", in: "tags" },
  "launch-template": { table: "launch_templates", id: "launch_template_id", in: "tags" },
  ps: { table: "placement_groups", id: "group_id", in: "tags" },
} as const;

type RowKind = keyof typeof ROW_KINDS;
type DocKind = keyof typeof DOC_KINDS;

export const TAGGED_KINDS: readonly TaggedKind[] = [...(Object.keys(ROW_KINDS) as RowKind[]), ...(Object.keys(DOC_KINDS) as DocKind[])];

const isRowKind = (kind: TaggedKind): kind is RowKind => Object.hasOwn(ROW_KINDS, kind);

/** id, region, seq or doc, and age of the account's resources of a kind (a subnet's region is its VPC's). */
function source(kind: TaggedKind, appId: number): RawBuilder<unknown> {
  if (kind === "subnet") {
    return sql`select s.subnet_id as id, v.region as region, s.doc as doc, s.created_at as created_at from subnets s join vpcs v on v.vpc_id = s.vpc_id where s.app_id = ${appId}`;
  }
  if (isRowKind(kind)) {
    const t = ROW_KINDS[kind];
    return sql`select ${sql.ref(t.id)} as id, region, seq from ${sql.table(t.table)} where app_id = ${appId}`;
  }
  const t = DOC_KINDS[kind];
  // Either way the tags reach the reader as `doc`, which docTags reads.
  return sql`select ${sql.ref(t.id)} as id, region, ${sql.ref(t.in)} as doc, created_at from ${sql.table(t.table)} where app_id = ${appId}`;
}

interface Found {
  id: string;
  region: string;
  seq?: number;
  doc?: string;
}

export class SqlTags implements TagRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async resources(appId: number, q: TaggedQuery): Promise<TaggedResource[]> {
    if (q.resourceIds?.length === 0) return [];
    const out: TaggedResource[] = [];
    for (const kind of q.kinds ?? TAGGED_KINDS) {
      const found = await this.find(kind, appId, q.region, q.resourceIds);
      const tags = isRowKind(kind) ? await this.rowTags(kind, found) : undefined;
      for (const f of found) {
        out.push({ kind, resourceId: f.id, region: f.region, tags: tags ? (tags.get(Number(f.seq)) ?? []) : docTags(f.doc!) });
      }
    }
    return out;
  }

  async replace(appId: number, region: string, kind: TaggedKind, resourceId: string, tags: readonly Tag[]): Promise<boolean> {
    const [found] = await this.find(kind, appId, region, [resourceId]);
    if (!found) return false;
    if (isRowKind(kind)) {
      const t = ROW_KINDS[kind];
      // An instance's counts per tag follow its tags.
      const counted = kind === "instance" ? await countedOf(this.db, resourceId) : undefined;
      if (counted) await countInstances(this.db, [counted], -1);
      await sql`delete from ${sql.table(t.tags)} where ${sql.ref(t.seq)} = ${Number(found.seq)}`.execute(this.db);
      for (const tag of tags) {
        await sql`insert into ${sql.table(t.tags)} (${sql.ref(t.seq)}, app_id, tag_key, tag_value) values (${Number(found.seq)}, ${appId}, ${tag.key}, ${tag.value})`.execute(this.db);
      }
      if (counted) await countInstances(this.db, [{ ...counted, tags }], 1);
      return true;
    }
    const t = DOC_KINDS[kind];
    const list = tags.map((x) => ({ key: x.key, value: x.value }));
    const value = t.in === "tags" ? list : { ...(JSON.parse(found.doc!) as object), tags: list };
    await sql`update ${sql.table(t.table)} set ${sql.ref(t.in)} = ${JSON.stringify(value)} where ${sql.ref(t.id)} = ${resourceId} and app_id = ${appId}`.execute(this.db);
    return true;
  }

  private async find(kind: TaggedKind, appId: number, region: string | undefined, ids: readonly string[] | undefined): Promise<Found[]> {
    const where = [sql`1 = 1`];
    if (region !== undefined) where.push(sql`region = ${region}`);
    if (ids) where.push(sql`id in (${sql.join([...new Set(ids)])})`);
    // Oldest first: by creation order where the kind keeps one, else by creation time.
    const order = isRowKind(kind) ? sql`seq` : sql`created_at, id`;
    const { rows } = await sql<Found>`select * from (${source(kind, appId)}) r where ${sql.join(where, sql` and `)} order by ${order}`.execute(this.db);
    return rows;
  }

  private async rowTags(kind: RowKind, found: readonly Found[]): Promise<Map<number, Tag[]>> {
    const byResource = new Map<number, Tag[]>();
    if (found.length === 0) return byResource;
    const t = ROW_KINDS[kind];
    const { rows } = await sql<{ seq: number; tag_key: string; tag_value: string }>`select ${sql.ref(t.seq)} as seq, tag_key, tag_value from ${sql.table(t.tags)} where ${sql.ref(t.seq)} in (${sql.join(found.map((f) => Number(f.seq)))}) order by tag_key`.execute(this.db);
    for (const r of rows) {
      const list = byResource.get(Number(r.seq)) ?? [];
      list.push({ key: r.tag_key, value: r.tag_value });
      byResource.set(Number(r.seq), list);
    }
    return byResource;
  }
}

/** The tags of a document, or the list a `tags` column holds. */
function docTags(doc: string): Tag[] {
  const parsed = JSON.parse(doc) as { tags?: Tag[] } | Tag[];
  return Array.isArray(parsed) ? parsed : (parsed.tags ?? []);
}
