// A blank dynamic VHD: a copy of the footer, the dynamic disk header, the block allocation table, and, when the disk
// has a head, the one 2 MiB block holding it (its sector bitmap first); then the footer.
import { randomBytes } from "node:crypto";
import { roundUp, SECTOR, type Layout } from "./disk-layout.js";

const BLOCK = 2 * 1024 * 1024;
const TABLE_OFFSET = 3 * SECTOR;
const UNALLOCATED = 0xffffffff;
/** VHD times are seconds since 2000-01-01 UTC. */
const EPOCH = Date.UTC(2000, 0, 1);

export function vhdLayout(size: number, head: Buffer | undefined): Layout {
  const blocks = Math.ceil(size / BLOCK);
  const table = Buffer.alloc(roundUp(blocks * 4, SECTOR), 0xff);
  const first = TABLE_OFFSET + table.length;
  const pieces: Layout["pieces"] = [[SECTOR, dynamicHeader(blocks)], [TABLE_OFFSET, table]];
  let end = first;
  if (head) {
    table.writeUInt32BE(first / SECTOR, 0);
    // One bit per sector of the block, most significant first: the sectors the head covers are present.
    const bitmap = Buffer.alloc(SECTOR);
    for (let s = 0; s < Math.ceil(head.length / SECTOR); s++) bitmap[s >> 3] |= 0x80 >> (s & 7);
    pieces.push([first, bitmap], [first + SECTOR, head]);
    end = first + SECTOR + BLOCK;
  }
  const foot = footer(size);
  pieces.push([0, foot], [end, foot]);
  return { length: end + SECTOR, pieces };
}

function footer(size: number): Buffer {
  const f = Buffer.alloc(SECTOR);
  f.write("conectix", 0, "latin1");
  f.writeUInt32BE(2, 8);
  f.writeUInt32BE(0x00010000, 12);
  f.writeBigUInt64BE(BigInt(SECTOR), 16);
  f.writeUInt32BE(Math.floor((Date.now() - EPOCH) / 1000), 24);
  // Hyper-V's creator mark tells readers (qemu among them) that the size is `current size`, not the CHS geometry,
  // which cannot express most sizes exactly.
  f.write("win ", 28, "latin1");
  f.writeUInt32BE(0x000a0000, 32);
  f.write("Wi2k", 36, "latin1");
  f.writeBigUInt64BE(BigInt(size), 40);
  f.writeBigUInt64BE(BigInt(size), 48);
  const [cylinders, heads, sectors] = geometry(size / SECTOR);
  f.writeUInt16BE(cylinders, 56);
  f[58] = heads;
  f[59] = sectors;
  f.writeUInt32BE(3, 60);
  randomBytes(16).copy(f, 68);
  f.writeUInt32BE(checksum(f), 64);
  return f;
}

function dynamicHeader(blocks: number): Buffer {
  const h = Buffer.alloc(1024);
  h.write("cxsparse", 0, "latin1");
  h.writeBigUInt64BE(0xffffffffffffffffn, 8);
  h.writeBigUInt64BE(BigInt(TABLE_OFFSET), 16);
  h.writeUInt32BE(0x00010000, 24);
  h.writeUInt32BE(blocks, 28);
  h.writeUInt32BE(BLOCK, 32);
  h.writeUInt32BE(checksum(h), 36);
  return h;
}

/** The ones' complement of the byte sum, taken while the checksum field is still zero. */
function checksum(b: Buffer): number {
  let sum = 0;
  for (const byte of b) sum += byte;
  return ~sum >>> 0;
}

/** Cylinders, heads and sectors per track, by the VHD specification's algorithm. */
function geometry(totalSectors: number): [number, number, number] {
  const total = Math.min(totalSectors, 65535 * 16 * 255);
  let sectors: number;
  let heads: number;
  let cylinderTimesHeads: number;
  if (total >= 65535 * 16 * 63) {
    sectors = 255;
    heads = 16;
    cylinderTimesHeads = Math.floor(total / sectors);
  } else {
    sectors = 17;
    cylinderTimesHeads = Math.floor(total / sectors);
    heads = Math.max(4, Math.floor((cylinderTimesHeads + 1023) / 1024));
    if (cylinderTimesHeads >= heads * 1024 || heads > 16) {
      sectors = 31;
      heads = 16;
      cylinderTimesHeads = Math.floor(total / sectors);
    }
    if (cylinderTimesHeads >= heads * 1024) {
      sectors = 63;
      heads = 16;
      cylinderTimesHeads = Math.floor(total / sectors);
    }
  }
  return [Math.floor(cylinderTimesHeads / heads), heads, sectors];
}
