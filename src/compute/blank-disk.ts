// Writes blank disk image files in the formats ExportImages offers, without any external tool. Each format is a
// layout (disk-layout.ts) written sparse, so a 500 GiB disk takes a few kilobytes wherever the filesystem keeps holes.
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { qcow2Layout } from "./blank-qcow2.js";
import { vhdLayout } from "./blank-vhd.js";
import { vmdkLayout } from "./blank-vmdk.js";
import type { ExportFormat } from "../domain/disk-formats.js";
import { SECTOR, type Layout } from "./disk-layout.js";

/** A disk of `size` bytes whose first bytes are `head` (at most 512) and the rest zeros, in a file called `name`. */
type LayoutOf = (size: number, head: Buffer | undefined, name: string) => Layout;

const LAYOUTS: Record<ExportFormat, LayoutOf> = {
  raw: (size, head) => ({ length: size, pieces: head ? [[0, head]] : [] }),
  qcow2: qcow2Layout,
  vhd: vhdLayout,
  vmdk: vmdkLayout,
};

/** Writes the disk to `path`, replacing any file there; a file under that name is always whole. */
export async function writeBlankDisk(path: string, format: ExportFormat, size: number, head?: Buffer): Promise<void> {
  const { length, pieces } = LAYOUTS[format](size, head, basename(path));
  const partial = join(dirname(path), `.${basename(path)}.partial`);
  try {
    const file = await open(partial, "w");
    try {
      await file.truncate(length);
      for (const [offset, bytes] of pieces) await file.write(bytes, 0, bytes.length, offset);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(partial, path);
  } catch (e) {
    await rm(partial, { force: true });
    throw e;
  }
}

/**
 * The boot sector of a blank system disk: an MBR partition table with one Linux partition from 1 MiB (where
 * installers start the first one) to the end of the disk, its contents zeros.
 */
export function partitionTable(size: number): Buffer {
  const mbr = Buffer.alloc(SECTOR);
  const first = 2048;
  const count = Math.min(size / SECTOR - first, 0xffffffff);
  const entry = 446;
  chs(first).copy(mbr, entry + 1);
  mbr[entry + 4] = 0x83;
  chs(first + count - 1).copy(mbr, entry + 5);
  mbr.writeUInt32LE(first, entry + 8);
  mbr.writeUInt32LE(count, entry + 12);
  mbr[510] = 0x55;
  mbr[511] = 0xaa;
  return mbr;
}

/** A sector's cylinder-head-sector address in an MBR (255 heads, 63 sectors), or the "beyond CHS" marker. */
function chs(lba: number): Buffer {
  const cylinder = Math.floor(lba / (255 * 63));
  if (cylinder > 1023) return Buffer.from([0xfe, 0xff, 0xff]);
  const head = Math.floor(lba / 63) % 255;
  const sector = (lba % 63) + 1;
  return Buffer.from([head, sector | ((cylinder >> 2) & 0xc0), cylinder & 0xff]);
}
