// A blank monolithicSparse VMDK (what `qemu-img convert -O vmdk` writes): the sparse extent header, the embedded
// descriptor, the grain directory and its grain tables (all present, as VMware expects, and zeros but for the one
// pointing at the head's grain), then the grain holding the head.
import { randomInt } from "node:crypto";
import { roundUp, SECTOR, type Layout } from "./disk-layout.js";

/** Sectors per grain (64 KiB). */
const GRAIN = 128;
const GT_ENTRIES = 512;
const GT_SECTORS = (GT_ENTRIES * 4) / SECTOR;
const DESCRIPTOR_OFFSET = 1;
const DESCRIPTOR_SECTORS = 20;

export function vmdkLayout(size: number, head: Buffer | undefined, name: string): Layout {
  const capacity = size / SECTOR;
  const tables = Math.ceil(capacity / (GRAIN * GT_ENTRIES));
  const directory = DESCRIPTOR_OFFSET + DESCRIPTOR_SECTORS;
  const directoryBytes = roundUp(tables * 4, SECTOR);
  const firstTable = directory + directoryBytes / SECTOR;
  const overhead = roundUp(firstTable + tables * GT_SECTORS, GRAIN);

  const header = Buffer.alloc(SECTOR);
  header.write("KDMV", 0, "latin1");
  header.writeUInt32LE(1, 4);
  // Flag 1: the newline characters below are valid (a check for files mangled by text-mode transfers).
  header.writeUInt32LE(1, 8);
  header.writeBigUInt64LE(BigInt(capacity), 12);
  header.writeBigUInt64LE(BigInt(GRAIN), 20);
  header.writeBigUInt64LE(BigInt(DESCRIPTOR_OFFSET), 28);
  header.writeBigUInt64LE(BigInt(DESCRIPTOR_SECTORS), 36);
  header.writeUInt32LE(GT_ENTRIES, 44);
  header.writeBigUInt64LE(BigInt(directory), 56);
  header.writeBigUInt64LE(BigInt(overhead), 64);
  header.write("\n \r\n", 73, "latin1");

  const gd = Buffer.alloc(directoryBytes);
  for (let t = 0; t < tables; t++) gd.writeUInt32LE(firstTable + t * GT_SECTORS, t * 4);
  const pieces: Layout["pieces"] = [
    [0, header],
    [DESCRIPTOR_OFFSET * SECTOR, descriptor(capacity, name)],
    [directory * SECTOR, gd],
  ];
  if (!head) return { length: overhead * SECTOR, pieces };
  const gt = Buffer.alloc(4);
  gt.writeUInt32LE(overhead);
  pieces.push([firstTable * SECTOR, gt], [overhead * SECTOR, head]);
  return { length: (overhead + GRAIN) * SECTOR, pieces };
}

function descriptor(capacity: number, name: string): Buffer {
  const text = [
    "# Disk DescriptorFile",
    "version=1",
    `CID=${randomInt(0x7fffffff).toString(16).padStart(8, "0")}`,
    "parentCID=ffffffff",
    'createType="monolithicSparse"',
    "",
    "# Extent description",
    `RW ${capacity} SPARSE "${name}"`,
    "",
    "# The Disk Data Base",
    "#DDB",
    "",
    'ddb.virtualHWVersion = "4"',
    `ddb.geometry.cylinders = "${Math.min(Math.floor(capacity / (16 * 63)), 16383)}"`,
    'ddb.geometry.heads = "16"',
    'ddb.geometry.sectors = "63"',
    'ddb.adapterType = "ide"',
    "",
  ].join("\n");
  const b = Buffer.alloc(DESCRIPTOR_SECTORS * SECTOR);
  b.write(text, "utf8");
  return b;
}
