// Custom images and their shares. An image's filterable facts are few and an account has at most a few hundred
// images, so beyond account, region, name and state an image is one JSON document.
import type { Kysely } from "kysely";
import type { Database, ImagesTable } from "./schema.js";
import type { ImageRecord, ImageRepo, ImageShare, ImageState } from "./store.js";

type Row = Omit<ImagesTable, "seq"> & { seq: number };
type Doc = Omit<ImageRecord, "imageId" | "appId" | "region" | "imageName" | "state" | "createdAt">;

function toRecord(r: Row): ImageRecord {
  return { imageId: r.image_id, appId: Number(r.app_id), region: r.region, imageName: r.image_name, state: r.state as ImageState, createdAt: r.created_at, ...(JSON.parse(r.doc) as Doc) };
}

function toDoc(r: Partial<ImageRecord>): Partial<Doc> {
  const { imageId: _i, appId: _a, region: _r, imageName: _n, state: _s, createdAt: _c, ...doc } = r;
  return doc;
}

export class SqlImages implements ImageRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(r: ImageRecord): Promise<void> {
    await this.db
      .insertInto("images")
      .values({ image_id: r.imageId, app_id: r.appId, region: r.region, image_name: r.imageName, state: r.state, created_at: r.createdAt, doc: JSON.stringify(toDoc(r)) })
      .execute();
  }

  async get(imageId: string): Promise<ImageRecord | undefined> {
    const row = await this.db.selectFrom("images").selectAll().where("image_id", "=", imageId).executeTakeFirst();
    return row && toRecord(row);
  }

  async visible(appId: number, region: string): Promise<{ image: ImageRecord; shared: boolean }[]> {
    const rows = await this.db
      .selectFrom("images")
      .selectAll()
      .where("region", "=", region)
      .where((eb) => eb.or([eb("app_id", "=", appId), eb("seq", "in", eb.selectFrom("image_shares").select("image_seq").where("shared_with", "=", appId))]))
      .orderBy("seq", "desc")
      .execute();
    return rows.map((r) => ({ image: toRecord(r), shared: Number(r.app_id) !== appId }));
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
    const created_at = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
    await this.db.insertInto("image_shares").values(appIds.map((shared_with) => ({ image_seq: image.seq, shared_with, created_at }))).execute();
  }

  async unshare(imageId: string, appIds: readonly number[]): Promise<void> {
    if (!appIds.length) return;
    const image = await this.db.selectFrom("images").select("seq").where("image_id", "=", imageId).executeTakeFirstOrThrow();
    await this.db.deleteFrom("image_shares").where("image_seq", "=", image.seq).where("shared_with", "in", [...appIds]).execute();
  }
}
