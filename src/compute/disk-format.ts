// Recognises the disk image formats ImportImage takes, from their first 64 KiB and last 512 bytes.
import { createWriteStream } from "node:fs";
import { mkdtemp, open, rm, type FileHandle } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import type { DiskFormat } from "../domain/disk-formats.js";
import { BackendError } from "./backend.js";
import { fetchImportUrl, openImportFile, SourceRefused, type ImportPolicy } from "./image-source.js";

const HEAD = 64 * 1024;

export function detectFormat(head: Buffer, tail: Buffer): DiskFormat | undefined {
  if (head.subarray(0, 4).toString("latin1") === "QFI\xfb") return "qcow2";
  if (head.subarray(0, 4).toString("latin1") === "KDMV") return "vmdk";
  // A dynamic VHD starts with a copy of its footer; a fixed one has it only at the end.
  if (head.subarray(0, 8).toString("latin1") === "conectix" || tail.subarray(0, 8).toString("latin1") === "conectix") return "vhd";
  if (head.subarray(0x8001, 0x8006).toString("latin1") === "CD001") return "iso";
  // A raw disk has a boot sector: the MBR signature, or a GPT header after the protective MBR.
  if (head[510] === 0x55 && head[511] === 0xaa) return "raw";
  if (head.subarray(512, 520).toString("latin1") === "EFI PART") return "raw";
  return undefined;
}

/** The first 64 KiB and the last 512 bytes of a file, by path or open. */
export async function readEnds(source: string | FileHandle): Promise<{ head: Buffer; tail: Buffer }> {
  let file: FileHandle;
  try {
    file = typeof source === "string" ? await open(source, "r") : source;
  } catch (e) {
    throw new BackendError(`cannot read ${String(source)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    const { size } = await file.stat();
    const head = Buffer.alloc(Math.min(HEAD, size));
    await file.read(head, 0, head.length, 0);
    const tail = Buffer.alloc(Math.min(512, size));
    await file.read(tail, 0, tail.length, Math.max(0, size - 512));
    return { head, tail };
  } finally {
    await file.close();
  }
}

/** Given the source's bytes (a scratch file, gone once it returns) and their format: a backend keeping the image. */
export type KeepImport = (path: string, format: DiskFormat) => Promise<void>;

async function copyOut(file: FileHandle, dest: string): Promise<void> {
  await pipeline(file.createReadStream(), createWriteStream(dest, { flags: "wx", mode: 0o600 }));
}

/**
 * Reads an ImportImage source under the import rules (a URL fetched whole into a scratch file, as a backend that keeps
 * the image would) and refuses one no machine could boot. A forced import (ImportImage's Force) takes an ISO, and a
 * file in no known format as a raw disk, booting or not: forcing is what the caller asked for.
 */
export async function checkImportable(source: string, policy: ImportPolicy, force = false, keep?: KeepImport): Promise<DiskFormat> {
  const local = source.startsWith("/");
  const scratch = local && !keep ? undefined : await mkdtemp(join(tmpdir(), "opencvm-import-"));
  try {
    let file: FileHandle;
    try {
      // A local file to keep is copied through the handle the rules opened, so what is kept is what was checked.
      if (scratch && local) await copyOut(await openImportFile(source, policy), join(scratch, "disk"));
      else if (scratch) await fetchImportUrl(source, policy, join(scratch, "disk"));
      file = scratch ? await open(join(scratch, "disk"), "r") : await openImportFile(source, policy);
    } catch (e) {
      throw new BackendError(`cannot import ${source}: ${e instanceof SourceRefused ? e.message : ((e as NodeJS.ErrnoException).code ?? (e as Error).message)}`);
    }
    const { head, tail } = await readEnds(file);
    const format = detectFormat(head, tail);
    if (!force && !format) throw new BackendError(`${source} is not a qcow2, raw, vhd or vmdk disk image`);
    if (!force && format === "iso") throw new BackendError(`${source} is an ISO image, which only a forced import (Force) takes`);
    const taken = format ?? "raw";
    if (keep) await keep(join(scratch!, "disk"), taken);
    return taken;
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}
