// The NoCloud seed of an image that configures itself with cloud-init (image.json's `datasource: "nocloud"`): the
// files cloud-init reads from a file system labelled CIDATA (meta-data, user-data, vendor-data, network-config: the
// documents the metadata service answers under /nocloud/), written to the machine's seed directory before every
// boot, so that what changed while it was stopped shows, and given to the guest as a read-only FAT disk made by
// QEMU's vvfat driver from that directory (no image tool needed on the host).
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { answer, type GuestMetadata } from "./guest-metadata.js";

export const SEED_FILES = ["meta-data", "user-data", "vendor-data", "network-config"] as const;
/** The volume label cloud-init's NoCloud source looks for. */
export const SEED_LABEL = "CIDATA";

export async function writeSeed(dir: string, m: GuestMetadata): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (const name of SEED_FILES) await writeFile(join(dir, name), answer(m, `/nocloud/${name}`).body);
}

/** QEMU's arguments for the seed disk, after the machine's other disks. */
export function seedDrive(dir: string, pci: string): string[] {
  return ["-drive", `if=none,id=seed,format=raw,readonly=on,file.driver=vvfat,file.dir=${dir},file.label=${SEED_LABEL}`, "-device", `virtio-blk-${pci},drive=seed`];
}
