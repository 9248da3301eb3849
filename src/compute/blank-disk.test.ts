import { mkdirSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ExportFormat } from "../domain/disk-formats.js";
import { partitionTable, writeBlankDisk } from "./blank-disk.js";
import { detectFormat } from "./disk-format.js";

const GiB = 1024 ** 3;
const dir = mkdtempSync(join(tmpdir(), "opencvm-blank-"));
const FORMATS: ExportFormat[] = ["raw", "qcow2", "vhd", "vmdk"];

describe("blank disks", () => {
  it.each(FORMATS)("writes %s files that the import's reader recognises, sparse and whole", async (format) => {
    for (const [size, head] of [[1, partitionTable(GiB)], [500, undefined]] as const) {
      const path = join(dir, `disk-${size}.${format}`);
      await writeBlankDisk(path, format, size * GiB, head);
      if (format === "raw") {
        expect(statSync(path).size).toBe(size * GiB);
        continue;
      }
      const bytes = await readFile(path);
      expect(detectFormat(bytes.subarray(0, 65536), bytes.subarray(-512))).toBe(format);
    }
    expect(readdirSync(dir).filter((f) => f.endsWith(".partial"))).toEqual([]);
  });

  it("gives a system disk one Linux partition from 1 MiB to its end", () => {
    const mbr = partitionTable(50 * GiB);
    expect([mbr[510], mbr[511], mbr[446 + 4]]).toEqual([0x55, 0xaa, 0x83]);
    expect(mbr.readUInt32LE(446 + 8)).toBe(2048);
    expect(mbr.readUInt32LE(446 + 8) + mbr.readUInt32LE(446 + 12)).toBe((50 * GiB) / 512);
    expect(detectFormat(mbr, Buffer.alloc(0))).toBe("raw");
  });

  it("leaves nothing behind when the file cannot be put in place", async () => {
    mkdirSync(join(dir, "taken.qcow2"));
    await expect(writeBlankDisk(join(dir, "taken.qcow2"), "qcow2", GiB)).rejects.toThrow();
    expect(readdirSync(dir).filter((f) => f.includes("taken"))).toEqual(["taken.qcow2"]);
  });
});
