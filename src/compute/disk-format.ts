// Recognises the disk image formats ImportImage takes, from their first 64 KiB and last 512 bytes.
import { mkdtemp, open, rm, type FileHandle } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

/**
 * Reads an ImportImage source under the import rules (a URL fetched whole into a scratch file, as a backend that keeps
 * the image would) and refuses one no machine could boot. A forced import (ImportImage's Force) takes an ISO, and a
 * file in no known format as a raw disk, booting or not: forcing is what the caller asked for.
 */
export async function checkImportable(source: string, policy: ImportPolicy, force = false): Promise<DiskFormat> {
  const scratch = source.startsWith("/") ? undefined : await mkdtemp(join(tmpdir(), "opencvm-import-"));
  try {
    let file: FileHandle;
    try {
      if (scratch) await fetchImportUrl(source, policy, join(scratch, "disk"));
      file = scratch ? await open(join(scratch, "disk"), "r") : await openImportFile(source, policy);
    } catch (e) {
      throw new BackendError(`cannot import ${source}: ${e instanceof SourceRefused ? e.message : ((e as NodeJS.ErrnoException).code ?? (e as Error).message)}`);
    }
    const { head, tail } = await readEnds(file);
    const format = detectFormat(head, tail);
    if (force) return format ?? "raw";
    if (!format) throw new BackendError(`${source} is not a qcow2, raw, vhd or vmdk disk image`);
    if (format === "iso") throw new BackendError(`${source} is an ISO image, which only a forced import (Force) takes`);
    return format;
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}
