// Custom images, their shares and the key pairs they carry. An image's filterable facts are few and an account has at
// most a few hundred images, so beyond account, region, name and state an image is one JSON document.
import type { Clock } from "../domain/clock.js";
import type { Kysely } from "kysely";
import { isoSeconds } from "../domain/dates.js";
import { home, keyHomes } from "./key-pairs-sql.js";
import type { Database, ImagesTable } from "./schema.js";
import type { ImageRecord, ImageRepo, ImageShare, ImageState } from "./store.js";

type Row = Omit<ImagesTable, "seq"> & { seq: number };
type Doc = Omit<ImageRecord, "imageId" | "appId" | "region" | "imageName" | "state" | "createdAt" | "keyIds">;

function toRecord(r: Row, keyIds: string[]): ImageRecord {
  // Images stored before they carried keys have no authorizedKeys in their document.
  const doc: Doc = { authorizedKeys: [], ...JSON.parse(r.doc) };
  return { imageId: r.image_id, appId: Number(r.app_id), region: r.region, imageName: r.image_name, state: r.state as ImageState, createdAt: r.created_at, keyIds, ...doc };
}

function toDoc(r: Partial<ImageRecord>): Partial<Doc> {
  const { imageId: _i, appId: _a, region: _r, imageName: _n, state: _s, createdAt: _c, keyIds: _k, ...doc } = r;
  return doc;
}

export class SqlImages implements ImageRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async insert(r: ImageRecord): Promise<void> {
    const { seq } = await this.db
      .insertInto("images")
      .values({ image_id: r.imageId, app_id: r.appId, region: r.region, image_name: r.imageName, state: r.state, created_at: r.createdAt, doc: JSON.stringify(toDoc(r)) })
      .returning("seq")
      .executeTakeFirstOrThrow();
    const keys = await keyHomes(this.db, r.keyIds);
    const carried = r.keyIds.filter((id) => keys.get(id) === home(r)).map((key_id, position) => ({ image_seq: seq, key_id, position }));
    if (carried.length) await this.db.insertInto("image_key_pairs").values(carried).execute();
  }

  async get(imageId: string): Promise<ImageRecord | undefined> {
    const row = await this.db.selectFrom("images").selectAll().where("image_id", "=", imageId).executeTakeFirst();
    return row && (await this.hydrate([row]))[0];
  }

  async visible(appId: number, region: string): Promise<{ image: ImageRecord; shared: boolean }[]> {
    const rows = await this.db
      .selectFrom("images")
      .selectAll()
      .where("region", "=", region)
      .where((eb) => eb.or([eb("app_id", "=", appId), eb("seq", "in", eb.selectFrom("image_shares").select("image_seq").where("shared_with", "=", appId))]))
      .orderBy("seq", "desc")
      .execute();
    return (await this.hydrate(rows)).map((image) => ({ image, shared: image.appId !== appId }));
  }

  async countOwned(appId: number, region: string): Promise<number> {
    const row = await this.db.selectFrom("images").select((eb) => eb.fn.countAll().as("n")).where("app_id", "=", appId).where("region", "=", region).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async nameTaken(appId: number, region: string, name: string, exceptImageId?: string): Promise<boolean> {
    let q = this.db.selectFrom("images").select("image_id").where("app_id", "=", appId).where("region", "=", region).where("image_name", "=", name);
    if (exceptImageId) q = q.where("image_id", "!=", exceptImageId);
    return (await q.executeTakeFirst()) !== undefined;
  }

  async update(imageId: string, change: Partial<ImageRecord>, expectState?: ImageState): Promise<boolean> {
    const current = await this.get(imageId);
    if (!current || (expectState && current.state !== expectState)) return false;
    const next = { ...current, ...change };
    let q = this.db
      .updateTable("images")
      .set({ image_name: next.imageName, state: next.state, doc: JSON.stringify(toDoc(next)) })
      .where("image_id", "=", imageId);
    if (expectState) q = q.where("state", "=", expectState);
    return Number((await q.executeTakeFirst()).numUpdatedRows) === 1;
  }

  async remove(imageId: string): Promise<void> {
    await this.db.deleteFrom("images").where("image_id", "=", imageId).execute();
  }

  async shares(imageId: string): Promise<ImageShare[]> {
    const rows = await this.db
      .selectFrom("image_shares")
      .innerJoin("images", "images.seq", "image_shares.image_seq")
      .select(["image_shares.shared_with", "image_shares.created_at"])
      .where("images.image_id", "=", imageId)
      .orderBy("image_shares.created_at")
      .execute();
    return rows.map((r) => ({ appId: Number(r.shared_with), createdAt: r.created_at }));
  }

  async share(imageId: string, appIds: readonly number[]): Promise<void> {
    if (!appIds.length) return;
    const image = await this.db.selectFrom("images").select("seq").where("image_id", "=", imageId).executeTakeFirstOrThrow();
    const created_at = isoSeconds(this.clock.now());
    await this.db.insertInto("image_shares").values(appIds.map((shared_with) => ({ image_seq: image.seq, shared_with, created_at }))).execute();
  }

  async unshare(imageId: string, appIds: readonly number[]): Promise<void> {
    if (!appIds.length) return;
    const image = await this.db.selectFrom("images").select("seq").where("image_id", "=", imageId).executeTakeFirstOrThrow();
    await this.db.deleteFrom("image_shares").where("image_seq", "=", image.seq).where("shared_with", "in", [...appIds]).execute();
  }

  private async hydrate(rows: Row[]): Promise<ImageRecord[]> {
    if (rows.length === 0) return [];
    const keys = await this.db
      .selectFrom("image_key_pairs")
      .select(["image_seq", "key_id"])
      .where("image_seq", "in", rows.map((r) => r.seq))
      .orderBy("position")
      .execute();
    return rows.map((r) => toRecord(r, keys.filter((k) => k.image_seq === r.seq).map((k) => k.key_id)));
  }
}
