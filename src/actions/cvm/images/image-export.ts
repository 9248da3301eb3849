// ExportImages: the caller's custom images written into a bucket (buckets.ts) as disk image files, one per disk, by
// the engine. Files are named as in COS, `[prefix_]img-…_system_snap-….raw` and `…_data_snap-….raw`; the snapshot
// ids are made for the export (OpenCVM keeps no snapshots). The image stays NORMAL while it is exported (the API has
// no state for it), and a second export of it waits for the first to finish.
import { randomInt, randomUUID } from "node:crypto";
import { join } from "node:path";
import { action, type Deps, type RequestContext } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import type { ExportedDisk, ExportFormat } from "../../../domain/disk-formats.js";
import { fail } from "../../../domain/errors.js";
import { randomId } from "../../../domain/ids.js";
import type { ImageRecord, OperationRecord } from "../../../store/store.js";
import { bucketDir } from "./buckets.js";
import { ownImage, sharedWithCaller } from "./custom-images.js";
import { invalid } from "../../shared/refusals.js";

/** Images per call, as SyncImages and DeleteImages take (OpenCVM's figure: the real one is not published). */
const MAX_IMAGES = 10;
/** Exports an account may have in progress at once (OpenCVM's figure). */
const MAX_TASKS = 10;
/** What the real cloud exports: disks of at most 500 GiB, and at most 5 data disks with the system disk. */
const MAX_DISK_GIB = 500;
const MAX_DATA_DISKS = 5;
const FORMATS: Record<string, ExportFormat> = { RAW: "raw", QCOW2: "qcow2", VHD: "vhd", VMDK: "vmdk" };
/** A file name prefix: nothing that could name another directory. */
const PREFIX = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/;

export const exportImages = action<cvm.ExportImagesRequest, cvm.ExportImagesResponse>("cvm", "ExportImages", async (ctx, p, deps) => {
  const ids = p.ImageIds ?? [];
  if (!ids.length) throw fail("InvalidParameter.ImageIdsSnapshotIdsMustOne", "Name the images to export in `ImageIds`.", "请在 `ImageIds` 中指定要导出的镜像。");
  if (ids.length > MAX_IMAGES) throw invalid("InvalidParameterValue.LimitExceeded", "ImageIds", ids.length, `at most ${MAX_IMAGES} images per call`, `每次最多 ${MAX_IMAGES} 个镜像`);
  const exportFormat = p.ExportFormat ?? "RAW";
  const format = Object.hasOwn(FORMATS, exportFormat) ? FORMATS[exportFormat] : undefined;
  if (!format) throw invalid("InvalidParameterValue", "ExportFormat", exportFormat, "use RAW, QCOW2, VHD or VMDK", "取值应为 RAW、QCOW2、VHD 或 VMDK");
  const prefixes = p.FileNamePrefixList?.length ? p.FileNamePrefixList : undefined;
  if (prefixes && prefixes.length !== ids.length) {
    throw invalid("InvalidParameterValue.InvalidFileNamePrefixList", "FileNamePrefixList", prefixes.length, `give one prefix per image of ImageIds (${ids.length})`, `前缀个数须与 ImageIds 的镜像个数（${ids.length}）相同`);
  }
  prefixes?.forEach((prefix, i) => {
    if (!PREFIX.test(prefix)) {
      throw invalid("InvalidParameterValue.InvalidFileNamePrefixList", `FileNamePrefixList.${i}`, prefix, "a prefix is 1-64 letters, digits, dots, dashes and underscores, not starting with a dot", "前缀为 1-64 个字母、数字、点、连字符或下划线，不以点开头");
    }
  });
  const onlyRoot = p.OnlyExportRootDisk ?? false;
  const images: ImageRecord[] = [];
  for (const [i, id] of ids.entries()) {
    if (ids.indexOf(id) !== i) throw invalid("InvalidParameterValue", `ImageIds.${i}`, id, "the image is given twice", "镜像重复");
    images.push(await exportable(deps, ctx, id, `ImageIds.${i}`, onlyRoot));
  }
  const dir = await bucketDir(deps.config.buckets, p.BucketName, "BucketName");

  const taskId = randomInt(100_000_000, 1_000_000_000);
  const cosPaths: string[] = [];
  const ops = images.map((image, i): Omit<OperationRecord, "attempts"> => {
    const disks = diskSizes(image, onlyRoot).map((size, d): ExportedDisk => {
      const name = `${prefixes ? `${prefixes[i]}_` : ""}${image.imageId}_${d === 0 ? "system" : "data"}_${randomId("snap")}.${format}`;
      cosPaths.push(`/${name}`);
      return { path: join(dir, name), size, system: d === 0 };
    });
    return { operationId: randomUUID(), instanceId: image.imageId, kind: ctx.action, requestId: ctx.requestId, payload: { taskId, appId: ctx.account.appId, imageId: image.imageId, format, disks } };
  });
  // Checked and queued in one transaction: two racing exports of one image cannot both pass.
  await deps.store.transaction(async (tx) => {
    const running = await tx.operations.pending([ctx.action]);
    for (const [i, image] of images.entries()) {
      const busy = running.find((o) => o.instanceId === image.imageId);
      if (busy) throw invalid("InvalidParameterValue.InvalidImageState", `ImageIds.${i}`, image.imageId, `the image is being exported (TaskId ${busy.payload.taskId}); try again when that has finished`, `镜像正在导出（TaskId ${busy.payload.taskId}），请在其完成后重试`);
    }
    const tasks = new Set(running.filter((o) => o.payload.appId === ctx.account.appId).map((o) => o.payload.taskId));
    if (tasks.size >= MAX_TASKS) {
      throw fail("LimitExceeded.ExportImageTaskLimitExceeded", `You have ${tasks.size} image exports in progress, the most there may be; try again when one has finished.`, `您有 ${tasks.size} 个镜像导出任务正在进行，已达上限，请在其完成后重试。`);
    }
    if (!p.DryRun) await tx.operations.add(ops);
  });
  if (p.DryRun) return { TaskId: 0, CosPaths: [] };
  deps.engine.kick();
  return { TaskId: taskId, CosPaths: cosPaths };
});

/** The caller's own image, if the real cloud would export it: a NORMAL Linux image of disks it exports. */
async function exportable(deps: Deps, ctx: RequestContext, id: string, field: string, onlyRoot: boolean): Promise<ImageRecord> {
  if (deps.catalog.image(id)) throw invalid("UnsupportedOperation.PublicImageExportUnsupported", field, id, "public images cannot be exported", "公共镜像不支持导出");
  if (await sharedWithCaller(deps, ctx, id)) throw invalid("UnsupportedOperation.SharedImageExportUnsupported", field, id, "an image shared with you cannot be exported", "共享镜像不支持导出");
  const image = await ownImage(deps, ctx, id, field);
  if (image.state !== "NORMAL") throw invalid("InvalidParameterValue.InvalidImageState", field, id, `the image is ${image.state}`, `镜像处于 ${image.state} 状态`);
  if (image.family === "WINDOWS") throw invalid("UnsupportedOperation.WindowsImageExportUnsupported", field, id, "Windows images cannot be exported", "Windows 镜像不支持导出");
  if (!onlyRoot && image.dataDisks.length > MAX_DATA_DISKS) {
    throw invalid("UnsupportedOperation.ImageTooLargeExportUnsupported", field, id, `the image has ${image.dataDisks.length} data disks and at most ${MAX_DATA_DISKS} are exported with it; OnlyExportRootDisk exports its system disk alone`, `镜像有 ${image.dataDisks.length} 块数据盘，最多随其导出 ${MAX_DATA_DISKS} 块；OnlyExportRootDisk 可只导出系统盘`);
  }
  const largest = Math.max(...diskSizes(image, onlyRoot));
  if (largest > MAX_DISK_GIB) {
    throw invalid("UnsupportedOperation.ImageTooLargeExportUnsupported", field, id, `it has a disk of ${largest} GiB and disks of at most ${MAX_DISK_GIB} GiB are exported`, `镜像有 ${largest} GiB 的磁盘，仅支持导出不超过 ${MAX_DISK_GIB} GiB 的磁盘`);
  }
  return image;
}

/** GiB of the disks an export writes: the system disk, then the data disks unless only the system disk is asked for. */
function diskSizes(image: ImageRecord, onlyRoot: boolean): number[] {
  return [image.imageSize, ...(onlyRoot ? [] : image.dataDisks.map((d) => d.DiskSize))];
}
