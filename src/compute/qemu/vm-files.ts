// One directory per machine under the VMs directory: its disks, its QEMU process's pid file, QMP and VNC sockets,
// serial log, and machine.json, what the backend needs to start it again (after its own restart included).
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { MachineSpec } from "../backend.js";

/** What is kept of a machine between QEMU processes and server restarts. */
export interface MachineState {
  spec: MachineSpec;
  /** The image directory the system disk was made from (its kernel and initrd boot the machine). */
  imageDir: string;
  /** Guest TCP ports to forward, as the security groups last said (none yet: SSH only). */
  ingress: number[];
  /** Host port given to each guest port, kept across restarts so a user's address stays the same. */
  hostPorts: Record<string, number>;
}

export class VmFiles {
  constructor(readonly dir: string) {}

  get systemDisk(): string {
    return join(this.dir, "system.qcow2");
  }
  dataDisk(index: number): string {
    return join(this.dir, `data-${index}.qcow2`);
  }
  get pidFile(): string {
    return join(this.dir, "qemu.pid");
  }
  get qmpSocket(): string {
    return join(this.dir, "qmp.sock");
  }
  get vncSocket(): string {
    return join(this.dir, "vnc.sock");
  }
  /** The NoCloud seed's files, for an image with cloud-init. */
  get seedDir(): string {
    return join(this.dir, "seed");
  }
  /** The machine's SSH host key (Dropbear's format, mode 0600), given to the guest through its metadata. */
  get hostKey(): string {
    return join(this.dir, "ssh_host_ed25519_key");
  }
  get serialLog(): string {
    return join(this.dir, "serial.log");
  }
  private get stateFile(): string {
    return join(this.dir, "machine.json");
  }

  async readState(): Promise<MachineState | undefined> {
    try {
      return JSON.parse(await readFile(this.stateFile, "utf8")) as MachineState;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw e;
    }
  }

  /** Written whole under another name and renamed, so a crash never leaves half a state file. */
  async writeState(state: MachineState): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const partial = `${this.stateFile}.partial`;
    await writeFile(partial, JSON.stringify(state, null, 2));
    await rename(partial, this.stateFile);
  }

  async pid(): Promise<number | undefined> {
    try {
      const n = Number((await readFile(this.pidFile, "utf8")).trim());
      return Number.isSafeInteger(n) && n > 0 ? n : undefined;
    } catch {
      return undefined;
    }
  }
}
