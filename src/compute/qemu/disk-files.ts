// Cloud disks and their snapshots as files named by their ids, outside any machine's directory, so that a disk
// outlives the instance it was attached to and can be attached to another: <disks>/<disk id>.qcow2 and
// <snapshots>/<snapshot id>.qcow2. A disk from before disks had ids (a machine's data-N.qcow2) keeps its place.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { MachineSpec } from "../backend.js";
import type { VmFiles } from "./vm-files.js";

/** A data disk as QEMU sees it: its block node's name (the device's id derives from it) and its file. */
export interface DataDisk {
  node: string;
  path: string;
  size: number;
}

export class DiskFiles {
  constructor(
    readonly disksDir: string,
    readonly snapshotsDir: string,
  ) {}

  disk(diskId: string): string {
    return join(this.disksDir, `${diskId}.qcow2`);
  }

  snapshot(snapshotId: string): string {
    return join(this.snapshotsDir, `${snapshotId}.qcow2`);
  }

  /** The ids of the disk and snapshot files there are. */
  async list(): Promise<{ disks: string[]; snapshots: string[] }> {
    return { disks: await ids(this.disksDir, "disk-"), snapshots: await ids(this.snapshotsDir, "snap-") };
  }

  /** The machine's data disks in order: by id where the spec names one, else by position in its directory. */
  dataDisks(spec: MachineSpec, vm: VmFiles): DataDisk[] {
    return spec.dataDiskSizes.map((size, i) => {
      const id = spec.dataDiskIds?.[i];
      return id ? { node: id, path: this.disk(id), size } : { node: `disk${i + 1}`, path: vm.dataDisk(i), size };
    });
  }
}

async function ids(dir: string, prefix: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => n.startsWith(prefix) && n.endsWith(".qcow2")).map((n) => n.slice(0, -".qcow2".length));
  } catch {
    return [];
  }
}

/** The QEMU device id of a data disk's node. */
export const deviceOf = (node: string) => `vd-${node}`;
