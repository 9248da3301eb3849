// The QEMU backend: every instance is a QEMU process of its own, detached from the server, with its files in
// <vms>/<instance id>/. Power actions go through QMP; the backend keeps no state that its directories do not, so a
// restarted server adopts the processes it finds instead of starting them again.
import { access, cp, mkdir, open, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { createConnection, createServer, type Socket } from "node:net";
import { basename, dirname, join } from "node:path";
import type { DiskFormat, ExportedDisk, ExportFormat } from "../../domain/disk-formats.js";
import type { WorkStep } from "../../domain/progress.js";
import { BackendClosed, BackendError, type ComputeBackend, type ForwardedPort, type MachineSpec, type Power } from "../backend.js";
import { partitionTable, writeBlankDisk } from "../blank-disk.js";
import { checkImportable } from "../disk-format.js";
import type { ImportPolicy } from "../image-source.js";
import { portOf, qemuArgs, type Accel } from "./command.js";
import { deviceOf, DiskFiles } from "./disk-files.js";
import { hostPublicKey, newHostKey } from "./host-key.js";
import { readImage, readImageDir, type ImageFiles, type ImageMeta } from "./image-dir.js";
import { isAlive, QEMU, qemuImg, run, waitGone } from "./processes.js";
import { guestMetadataOf } from "./machine-metadata.js";
import { MetadataService, type Endpoint } from "./metadata.js";
import { writeSeed } from "./nocloud-seed.js";
import { Qmp } from "./qmp.js";
import type { MachineState } from "./vm-files.js";
import { VmFiles } from "./vm-files.js";

const GiB = 1024 ** 3;
/** qemu-img's names for the export formats. */
const QEMU_FORMAT: Record<ExportFormat, string> = { raw: "raw", qcow2: "qcow2", vhd: "vpc", vmdk: "vmdk" };
/** Where forwarded ports listen: the host's loopback. */
const FORWARD_HOST = "127.0.0.1";

export interface QemuOptions {
  vmsDir: string;
  /** Cloud disks and snapshots, each a file named by its id (disk-files.ts). */
  disksDir: string;
  snapshotsDir: string;
  imagesDir: string;
  accel: Accel;
  /** How long a guest has to power off when asked (ACPI) before a SOFT stop fails. */
  softStopMs: number;
  /** Where the metadata service keeps one unix socket per machine (short: a socket path has at most 107 bytes). */
  metadataDir: string;
  /** What ImportImage may read (the perimeter's import rules). */
  imports: ImportPolicy;
  /** Benchmarks only: a guest clock counting emulated instructions (command.ts). */
  icountShift?: number;
}

/** What an operator sees of a machine (the admin path). */
export interface MachineView {
  instanceId: string;
  power: Power;
  pid: number | null;
  accel: Accel;
  ports: ForwardedPort[];
  serialLog: string;
  vncSocket: string;
  /** The SSH host key's public half (for a client's known_hosts); null for a machine from before host keys. */
  hostKey: string | null;
}

export class QemuBackend implements ComputeBackend {
  private readonly qmps = new Map<string, Qmp>();
  /** Machines being stopped on purpose: their QMP connection closing is not news. */
  private readonly stopping = new Set<string>();
  /** The forwards each running machine has now, guest port → host port. */
  private readonly forwards = new Map<string, Map<number, number>>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly driftListeners: ((instanceId: string) => void)[] = [];
  private readonly progressListeners: ((instanceId: string, step: WorkStep) => void)[] = [];
  /** Each machine's spec as last written, which its metadata service answers from. */
  private readonly specs = new Map<string, MachineSpec>();
  /** Each served machine's SSH host key, read from its directory. */
  private readonly hostKeys = new Map<string, Buffer>();
  private readonly metadata: MetadataService;
  private readonly disks: DiskFiles;
  private closed = false;

  constructor(private readonly o: QemuOptions) {
    this.metadata = new MetadataService(o.metadataDir);
    this.disks = new DiskFiles(o.disksDir, o.snapshotsDir);
  }

  get accel(): Accel {
    return this.o.accel;
  }

  files(instanceId: string): VmFiles {
    return new VmFiles(join(this.o.vmsDir, instanceId));
  }

  create(spec: MachineSpec): Promise<void> {
    return this.locked(spec.instanceId, async () => {
      const f = this.files(spec.instanceId);
      if (!(await f.readState())) {
        const image = this.image(spec.imageId);
        await rm(f.dir, { recursive: true, force: true });
        await mkdir(f.dir, { recursive: true });
        await overlay(image, f.systemDisk, spec.systemDiskSize);
        // A disk file by id that is there already (a launch redone) keeps its bytes.
        for (const d of this.disks.dataDisks(spec, f)) if (!(await exists(d.path))) await makeDisk(d.path, d.size);
        // The state file last: a directory without it is a launch that did not finish, redone from scratch.
        await f.writeState({ spec, imageDir: image.dir, ingress: [], hostPorts: {} });
      }
      for (const l of this.progressListeners) l(spec.instanceId, "booting");
      await this.boot(spec.instanceId);
    });
  }

  start(instanceId: string): Promise<void> {
    return this.locked(instanceId, () => this.boot(instanceId));
  }

  stop(instanceId: string, hard: boolean): Promise<void> {
    return this.locked(instanceId, () => this.halt(instanceId, hard));
  }

  reboot(instanceId: string, hard: boolean): Promise<void> {
    return this.locked(instanceId, async () => {
      const f = this.files(instanceId);
      if (hard && (await isAlive(await f.pid(), f.dir))) {
        await (await this.qmp(instanceId)).execute("system_reset");
        return;
      }
      await this.halt(instanceId, hard);
      await this.boot(instanceId);
    });
  }

  destroy(instanceId: string): Promise<void> {
    return this.locked(instanceId, async () => {
      await this.halt(instanceId, true);
      await rm(this.files(instanceId).dir, { recursive: true, force: true });
      await this.metadata.stop(instanceId);
      this.forwards.delete(instanceId);
      this.specs.delete(instanceId);
      this.hostKeys.delete(instanceId);
    });
  }

  reconfigure(spec: MachineSpec): Promise<void> {
    return this.locked(spec.instanceId, () => this.update(spec.instanceId, (s) => ({ ...s, spec: { ...s.spec, cpu: spec.cpu, memory: spec.memory } })));
  }

  reinstall(spec: MachineSpec): Promise<void> {
    return this.locked(spec.instanceId, async () => {
      await this.halt(spec.instanceId, true);
      const f = this.files(spec.instanceId);
      const image = this.image(spec.imageId);
      const fresh = `${f.systemDisk}.new`;
      await overlay(image, fresh, spec.systemDiskSize);
      await rename(fresh, f.systemDisk);
      // A new system has a host key of its own, as a reinstalled server would.
      await rm(f.hostKey, { force: true });
      await this.update(spec.instanceId, (s) => ({ ...s, spec: { ...spec, dataDiskSizes: s.spec.dataDiskSizes, dataDiskIds: s.spec.dataDiskIds }, imageDir: image.dir }));
    });
  }

  resizeDisks(instanceId: string, systemDisk: number, dataDisks: readonly number[]): Promise<void> {
    return this.locked(instanceId, async () => {
      const f = this.files(instanceId);
      const live = await isAlive(await f.pid(), f.dir);
      const state = await this.state(instanceId);
      const data = this.disks.dataDisks({ ...state.spec, dataDiskSizes: dataDisks }, f);
      const disks: [string, Record<string, string>, number][] = [[f.systemDisk, { device: "disk0" }, systemDisk], ...data.map((d): [string, Record<string, string>, number] => [d.path, { "node-name": d.node }, d.size])];
      for (const [path, at, size] of disks) {
        // A running machine's disk is locked by its QEMU, which grows it itself (and tells the guest).
        if (live) await (await this.qmp(instanceId)).execute("block_resize", { ...at, size: size * GiB });
        else await qemuImg("resize", "-q", path, `${size}G`);
      }
      await this.update(instanceId, (s) => ({ ...s, spec: { ...s.spec, systemDiskSize: systemDisk, dataDiskSizes: [...dataDisks] } }));
    });
  }

  captureImage(instanceId: string, imageId: string): Promise<void> {
    return this.locked(instanceId, async () => {
      const f = this.files(instanceId);
      const state = await this.state(instanceId);
      const source = this.imageAt(state.imageDir);
      // The whole disk, backing image included, flattened into one file; -U reads a running machine's disk.
      await this.writeImage(imageId, source, async (dir) => {
        await qemuImg("convert", "-U", "-O", "qcow2", f.systemDisk, join(dir, "disk.qcow2"));
      }, { capturedFrom: instanceId });
    });
  }

  async copyImage(imageId: string, copyId: string): Promise<void> {
    const source = this.findImage(imageId);
    // A public image is in every region already; only a captured one has bytes of its own to copy.
    if (!source?.meta.capturedFrom) return;
    await this.writeImage(copyId, source, (dir) => cp(source.disk, join(dir, "disk.qcow2")), { capturedFrom: source.meta.capturedFrom });
  }

  /** The source's disk converted to qcow2 in the images directory: a cloud image, booted by its own boot loader. */
  async importImage(imageId: string, source: string, force: boolean): Promise<void> {
    await checkImportable(source, this.o.imports, force, (path, format) =>
      this.writeImage(imageId, undefined, (dir) => convertImported(path, format, join(dir, "disk.qcow2")), {
        osName: "imported",
        machine: "q35",
        boot: "firmware",
        datasource: "nocloud",
        importedFrom: source,
      }),
    );
  }

  async exportImage(imageId: string, format: ExportFormat, disks: readonly ExportedDisk[]): Promise<void> {
    const image = this.findImage(imageId);
    for (const disk of disks) {
      const partial = join(dirname(disk.path), `.${basename(disk.path)}.partial`);
      try {
        if (disk.system && image) {
          await qemuImg("convert", "-O", QEMU_FORMAT[format], image.disk, partial);
          await qemuImg("resize", "-q", "-f", QEMU_FORMAT[format], partial, `${Math.max(disk.size, 1)}G`).catch(() => undefined);
          await rename(partial, disk.path);
        } else {
          // A disk with no bytes here (a data disk, an image captured before this backend): a blank one of its size.
          const size = disk.size * GiB;
          await writeBlankDisk(disk.path, format, size, disk.system ? partitionTable(size) : undefined);
        }
      } catch (e) {
        await rm(partial, { force: true });
        throw new BackendError(`cannot write ${basename(disk.path)}: ${(e as Error).message}`);
      }
    }
  }

  async createDisk(diskId: string, sizeGiB: number, fromSnapshot?: string): Promise<void> {
    const path = this.disks.disk(diskId);
    if (await exists(path)) return;
    const source = fromSnapshot === undefined ? undefined : this.disks.snapshot(fromSnapshot);
    // A snapshot without bytes here (taken before disks had files) gives a blank disk, as with the simulated backend.
    await makeDisk(path, sizeGiB, source && (await exists(source)) ? source : undefined);
  }

  attachDisk(instanceId: string, diskId: string, sizeGiB: number): Promise<void> {
    return this.locked(instanceId, async () => {
      await this.createDisk(diskId, sizeGiB);
      const f = this.files(instanceId);
      const state = await this.state(instanceId);
      const known = state.spec.dataDiskIds?.includes(diskId) ?? false;
      if (await isAlive(await f.pid(), f.dir)) await this.plug(instanceId, diskId, machineOf(this.imageAt(state.imageDir)));
      if (known) return;
      // A stopped machine has it from its next start; ids are filled in for disks kept by position.
      await this.update(instanceId, (s) => ({
        ...s,
        spec: { ...s.spec, dataDiskSizes: [...s.spec.dataDiskSizes, sizeGiB], dataDiskIds: [...s.spec.dataDiskSizes.map((_, i) => s.spec.dataDiskIds?.[i] ?? ""), diskId] },
      }));
    });
  }

  detachDisk(instanceId: string, diskId: string): Promise<void> {
    return this.locked(instanceId, async () => {
      const f = this.files(instanceId);
      const state = await this.state(instanceId);
      const at = state.spec.dataDiskIds?.indexOf(diskId) ?? -1;
      if (at < 0) return;
      if (await isAlive(await f.pid(), f.dir)) await this.unplug(instanceId, diskId);
      const keep = (_: unknown, i: number) => i !== at;
      await this.update(instanceId, (s) => ({ ...s, spec: { ...s.spec, dataDiskSizes: s.spec.dataDiskSizes.filter(keep), dataDiskIds: s.spec.dataDiskIds!.filter(keep) } }));
    });
  }

  async resizeDisk(diskId: string, sizeGiB: number): Promise<void> {
    const path = this.disks.disk(diskId);
    if (await exists(path)) await qemuImg("resize", "-q", path, `${sizeGiB}G`);
    else await makeDisk(path, sizeGiB);
  }

  async snapshotDisk(snapshotId: string, disk: { diskId: string; instanceId: string | null; system: boolean }): Promise<void> {
    const target = this.disks.snapshot(snapshotId);
    if (await exists(target)) return;
    await mkdir(this.o.snapshotsDir, { recursive: true });
    const partial = `${target}.partial`;
    const copy = async (source: string) => {
      await qemuImg("convert", "-U", "-O", "qcow2", source, partial);
      await rename(partial, target);
    };
    if (!disk.instanceId) {
      if (await exists(this.disks.disk(disk.diskId))) await copy(this.disks.disk(disk.diskId));
      return;
    }
    const id = disk.instanceId;
    await this.locked(id, async () => {
      const f = this.files(id);
      const state = await this.state(id);
      const source = disk.system ? f.systemDisk : this.disks.dataDisks(state.spec, f).find((d) => d.node === disk.diskId)?.path;
      if (!source || !(await exists(source))) return;
      if (!(await isAlive(await f.pid(), f.dir))) return copy(source);
      // A consistency point: the paused machine has written what it caches of the disk to the file, which is
      // copied before it runs on.
      const qmp = await this.qmp(id);
      await qmp.execute("stop");
      try {
        await copy(source);
      } finally {
        await qmp.execute("cont");
      }
    });
  }

  diskFiles(): Promise<{ disks: string[]; snapshots: string[] }> {
    return this.disks.list();
  }

  async removeDiskFile(id: string): Promise<void> {
    await rm(id.startsWith("snap-") ? this.disks.snapshot(id) : this.disks.disk(id), { force: true });
  }

  setAuthorizedKeys(instanceId: string, publicKeys: readonly string[]): Promise<void> {
    return this.locked(instanceId, () => this.update(instanceId, (s) => ({ ...s, spec: { ...s.spec, authorizedKeys: [...publicKeys], keyIds: undefined } })));
  }

  setPassword(instanceId: string, _userName: string, passwordHash: string): Promise<void> {
    return this.locked(instanceId, () => this.update(instanceId, (s) => ({ ...s, spec: { ...s.spec, passwordHash } })));
  }

  async list(): Promise<Map<string, Power>> {
    const out = new Map<string, Power>();
    for (const id of await this.machineIds()) {
      const f = this.files(id);
      if (!(await f.readState())) continue;
      out.set(id, (await isAlive(await f.pid(), f.dir)) ? "running" : "stopped");
    }
    return out;
  }

  /** Adopts the QEMU processes still running from a previous server: they are connected to, not restarted. */
  async restore(): Promise<void> {
    for (const [id, power] of await this.list()) {
      if (power !== "running") continue;
      const state = await this.state(id);
      this.forwards.set(id, new Map(Object.entries(state.hostPorts).filter(([g]) => state.ingress.includes(Number(g))).map(([g, h]) => [Number(g), h])));
      await this.serveMetadata(id, state.spec, await readHostKey(this.files(id).hostKey));
      await this.qmp(id).catch(() => undefined);
    }
  }

  setIngress(instanceId: string, guestPorts: readonly number[]): Promise<void> {
    return this.locked(instanceId, async () => {
      const state = await this.state(instanceId).catch(() => undefined);
      if (!state) return;
      const ingress = [...new Set(guestPorts)].sort((a, b) => a - b);
      if (ingress.join() !== state.ingress.join()) await this.update(instanceId, (s) => ({ ...s, ingress }));
      const f = this.files(instanceId);
      if (await isAlive(await f.pid(), f.dir)) await this.applyForwards(instanceId);
    });
  }

  forwardedPorts(instanceId: string): ForwardedPort[] {
    const now = this.forwards.get(instanceId) ?? new Map<number, number>();
    return [...now].map(([guestPort, hostPort]) => ({ guestPort, host: FORWARD_HOST, hostPort })).sort((a, b) => a.guestPort - b.guestPort);
  }

  /** QEMU's VNC server on the machine's vnc.sock. */
  async openConsole(instanceId: string): Promise<Socket | undefined> {
    const f = this.files(instanceId);
    if (!(await isAlive(await f.pid(), f.dir))) return undefined;
    return new Promise((resolve) => {
      const s = createConnection(f.vncSocket);
      s.once("connect", () => resolve(s));
      s.once("error", () => resolve(undefined));
    });
  }

  onDrift(listener: (instanceId: string) => void): void {
    this.driftListeners.push(listener);
  }

  onProgress(listener: (instanceId: string, step: WorkStep) => void): void {
    this.progressListeners.push(listener);
  }

  /** The machine as an operator sees it; undefined when there is none. */
  async view(instanceId: string, serialBytes = 8192): Promise<MachineView | undefined> {
    if (!/^ins-[a-z0-9]{8}$/.test(instanceId)) return undefined;
    const f = this.files(instanceId);
    if (!(await f.readState())) return undefined;
    const pid = await f.pid();
    const alive = await isAlive(pid, f.dir);
    return {
      instanceId,
      power: alive ? "running" : "stopped",
      pid: alive ? pid! : null,
      accel: this.o.accel,
      ports: alive ? this.forwardedPorts(instanceId) : [],
      serialLog: await tail(f.serialLog, serialBytes),
      vncSocket: f.vncSocket,
      hostKey: await readHostKey(f.hostKey).then((k) => (k ? hostPublicKey(k) : null)),
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const [id, qmp] of this.qmps) {
      this.stopping.add(id);
      qmp.close();
    }
    this.qmps.clear();
    await this.metadata.close();
  }

  // ---- inside the per-machine lock ----

  private async boot(instanceId: string): Promise<void> {
    const f = this.files(instanceId);
    if (await isAlive(await f.pid(), f.dir)) {
      await this.qmp(instanceId);
      return;
    }
    const state = await this.state(instanceId);
    const image = this.imageAt(state.imageDir);
    await Promise.all([f.pidFile, f.qmpSocket, f.vncSocket].map((p) => rm(p, { force: true })));
    const endpoint = await this.serveMetadata(instanceId, state.spec, await hostKeyOf(f));
    if (image.meta.datasource === "nocloud") await writeSeed(f.seedDir, guestMetadataOf(state.spec));
    this.forwards.set(instanceId, new Map());
    await run(QEMU, qemuArgs(state.spec, image, f, this.disks.dataDisks(state.spec, f), this.o.accel, endpoint, this.o.icountShift), 30_000);
    await this.qmp(instanceId);
    await this.applyForwards(instanceId);
  }

  /** Soft: the ACPI power button, and a guest that does not power off in time fails the call. Hard: quit. */
  private async halt(instanceId: string, hard: boolean): Promise<void> {
    const f = this.files(instanceId);
    const pid = await f.pid();
    if (!(await isAlive(pid, f.dir))) return;
    this.stopping.add(instanceId);
    try {
      if (!hard) {
        await (await this.qmp(instanceId)).execute("system_powerdown");
        if (await waitGone(pid!, f.dir, this.o.softStopMs)) return;
        throw new BackendError(`The guest of ${instanceId} did not power off within ${this.o.softStopMs / 1000} s of the ACPI request.`);
      }
      await (await this.qmp(instanceId)).execute("quit").catch(() => undefined);
      if (!(await waitGone(pid!, f.dir, 5000))) {
        process.kill(pid!, "SIGKILL");
        await waitGone(pid!, f.dir, 5000);
      }
    } finally {
      this.forwards.delete(instanceId);
      this.qmps.get(instanceId)?.close();
      this.qmps.delete(instanceId);
      this.stopping.delete(instanceId);
    }
  }

  /**
   * Hot-plugs a disk file into the running machine: a block node, then a virtio disk, behind the first free root
   * port on q35 (the machine starts with some to spare), on the root bus on pc. Already there: nothing to do.
   */
  private async plug(instanceId: string, diskId: string, machine: string): Promise<void> {
    const qmp = await this.qmp(instanceId);
    const devices = (await qmp.execute("qom-list", { path: "/machine/peripheral" })) as { name: string }[];
    if (devices.some((d) => d.name === deviceOf(diskId))) return;
    if (machine.startsWith("microvm")) throw new BackendError(`A running ${machine} machine takes no new disk: ${diskId} is attached at its next start.`);
    const nodes = (await qmp.execute("query-named-block-nodes", { flat: true })) as { "node-name": string }[];
    if (!nodes.some((n) => n["node-name"] === diskId)) {
      await qmp.execute("blockdev-add", { driver: "qcow2", "node-name": diskId, cache: { "no-flush": true }, file: { driver: "file", filename: this.disks.disk(diskId) } });
    }
    const device = { driver: "virtio-blk-pci", drive: diskId, id: deviceOf(diskId) };
    if (!machine.startsWith("q35")) return void (await qmp.execute("device_add", device));
    for (let i = 0; devices.some((d) => d.name === portOf(i)); i++) {
      try {
        return void (await qmp.execute("device_add", { ...device, bus: portOf(i) }));
      } catch {
        // The port holds a disk already: the next one.
      }
    }
    await qmp.execute("blockdev-del", { "node-name": diskId }).catch(() => undefined);
    throw new BackendError(`${instanceId} has no free PCIe port for ${diskId}: stop and start it to attach more disks.`);
  }

  /** Asks the guest to release the disk, waits until it has, and closes the disk's file. */
  private async unplug(instanceId: string, diskId: string): Promise<void> {
    const qmp = await this.qmp(instanceId);
    const id = deviceOf(diskId);
    const devices = (await qmp.execute("qom-list", { path: "/machine/peripheral" })) as { name: string }[];
    if (devices.some((d) => d.name === id)) {
      const gone = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => (off(), resolve(false)), UNPLUG_MS);
        const off = qmp.onEvent((e) => e.event === "DEVICE_DELETED" && e.data?.device === id && (clearTimeout(timer), off(), resolve(true)));
      });
      await qmp.execute("device_del", { id });
      if (!(await gone)) throw new BackendError(`The guest of ${instanceId} did not release ${diskId} within ${UNPLUG_MS / 1000} s.`);
    }
    await qmp.execute("blockdev-del", { "node-name": diskId }).catch(() => undefined);
  }

  /** Makes the running machine's forwards match its ingress ports, with HMP's hostfwd_add / hostfwd_remove. */
  private async applyForwards(instanceId: string): Promise<void> {
    const state = await this.state(instanceId);
    const qmp = await this.qmp(instanceId);
    const now = this.forwards.get(instanceId) ?? new Map<number, number>();
    this.forwards.set(instanceId, now);
    for (const [guest, host] of now) {
      if (state.ingress.includes(guest)) continue;
      await qmp.hmp(`hostfwd_remove net0 tcp:${FORWARD_HOST}:${host}`);
      now.delete(guest);
    }
    const hostPorts = { ...state.hostPorts };
    for (const guest of state.ingress) {
      if (now.has(guest)) continue;
      const host = await freePort(hostPorts[guest]);
      await qmp.hmp(`hostfwd_add net0 tcp:${FORWARD_HOST}:${host}-${state.spec.network.privateIp}:${guest}`);
      now.set(guest, host);
      hostPorts[guest] = host;
    }
    if (JSON.stringify(hostPorts) !== JSON.stringify(state.hostPorts)) await this.update(instanceId, (s) => ({ ...s, hostPorts }));
  }

  // ---- helpers ----

  /** The machine's QMP connection, opened on first use; its closing unasked means the machine went away. */
  private async qmp(instanceId: string): Promise<Qmp> {
    if (this.closed) throw new BackendClosed("backend closed");
    const open = this.qmps.get(instanceId);
    if (open) return open;
    const qmp = await Qmp.connect(this.files(instanceId).qmpSocket).catch((e: Error) => {
      throw new BackendError(`cannot reach the QEMU of ${instanceId}: ${e.message}`);
    });
    this.qmps.set(instanceId, qmp);
    void qmp.closed.then(() => {
      if (this.qmps.get(instanceId) === qmp) this.qmps.delete(instanceId);
      if (this.closed || this.stopping.has(instanceId)) return;
      this.forwards.delete(instanceId);
      for (const l of this.driftListeners) l(instanceId);
    });
    return qmp;
  }

  /** Runs one call at a time per machine, in the order they came. */
  private locked<T>(instanceId: string, work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new BackendClosed("backend closed"));
    const before = this.locks.get(instanceId) ?? Promise.resolve();
    const mine = before.catch(() => undefined).then(work);
    this.locks.set(instanceId, mine);
    void mine.catch(() => undefined).then(() => this.locks.get(instanceId) === mine && this.locks.delete(instanceId));
    return mine;
  }

  private async state(instanceId: string): Promise<MachineState> {
    const state = await this.files(instanceId).readState();
    if (!state) throw new BackendError(`There is no machine ${instanceId} on this host.`);
    return state;
  }

  private async update(instanceId: string, change: (s: MachineState) => MachineState): Promise<void> {
    const next = change(await this.state(instanceId));
    await this.files(instanceId).writeState(next);
    this.specs.set(instanceId, next.spec);
  }

  /** Answers the machine's metadata requests from its latest spec (a change shows at the guest's next read). */
  private serveMetadata(instanceId: string, spec: MachineSpec, hostKey: Buffer | undefined): Promise<Endpoint> {
    this.specs.set(instanceId, spec);
    if (hostKey) this.hostKeys.set(instanceId, hostKey);
    return this.metadata.serve(instanceId, () => guestMetadataOf(this.specs.get(instanceId) ?? spec, this.hostKeys.get(instanceId)));
  }

  private async machineIds(): Promise<string[]> {
    try {
      return (await readdir(this.o.vmsDir)).filter((n) => n.startsWith("ins-"));
    } catch {
      return [];
    }
  }

  private findImage(imageId: string): ImageFiles | undefined {
    return readImageDir(this.o.imagesDir).find((i) => i.imageId === imageId);
  }

  private image(imageId: string): ImageFiles {
    const image = this.findImage(imageId);
    if (!image) throw new BackendError(`Image ${imageId} has no disk in the images directory (${this.o.imagesDir}), so no machine can boot it here.`);
    return image;
  }

  private imageAt(dir: string): ImageFiles {
    const image = readImage(dirname(dir), basename(dir));
    if (!image) throw new BackendError(`The image the machine was made from (${dir}) is gone.`);
    return image;
  }

  /** Writes <images>/<imageId>/ whole (a temporary directory renamed), with the source's kernel and initrd if it has them. */
  private async writeImage(imageId: string, source: ImageFiles | undefined, disk: (dir: string) => Promise<void>, meta: Partial<ImageMeta>): Promise<void> {
    const final = join(this.o.imagesDir, imageId);
    const partial = join(this.o.imagesDir, `.${imageId}.partial`);
    await rm(partial, { recursive: true, force: true });
    await mkdir(partial, { recursive: true });
    try {
      if (source && source.meta.boot !== "firmware") {
        await cp(source.kernel, join(partial, "vmlinuz"));
        await cp(source.initrd, join(partial, "initrd.img"));
      }
      await disk(partial);
      await writeFile(join(partial, "image.json"), JSON.stringify({ ...source?.meta, ...meta, imageId }, null, 2));
      await rm(final, { recursive: true, force: true });
      await rename(partial, final);
    } catch (e) {
      await rm(partial, { recursive: true, force: true });
      throw e instanceof BackendError ? e : new BackendError(`cannot write image ${imageId}: ${(e as Error).message}`);
    }
  }
}

/** How long a guest has to release a disk being unplugged (PCIe hot-plug waits 5 s for a change of mind). */
const UNPLUG_MS = 30_000;

const machineOf = (image: ImageFiles) => image.meta.machine ?? "pc";

const exists = (path: string) => access(path).then(() => true, () => false);

/** A disk file of its size, blank or with a snapshot's bytes, written under another name and renamed. */
async function makeDisk(path: string, sizeGiB: number, from?: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const partial = join(dirname(path), `.${basename(path)}.partial`);
  if (from) {
    await qemuImg("convert", "-O", "qcow2", from, partial);
    await qemuImg("resize", "-q", partial, `${sizeGiB}G`);
  } else {
    await qemuImg("create", "-q", "-f", "qcow2", partial, `${sizeGiB}G`);
  }
  await rename(partial, path);
}

/**
 * An imported disk as qcow2, read in the format its bytes showed (never probed again). A qcow2 or vmdk naming another
 * file (a backing file, an external data file) is refused: converting it would read that file of the host's.
 */
async function convertImported(path: string, format: DiskFormat, dest: string): Promise<void> {
  const input = format === "iso" ? "raw" : QEMU_FORMAT[format];
  const info = JSON.parse(await qemuImg("info", "-f", input, "--output=json", path)) as { "backing-filename"?: string; "format-specific"?: { data?: { "data-file"?: string } } };
  if (info["backing-filename"] || info["format-specific"]?.data?.["data-file"]) {
    throw new BackendError("the image names another file (a backing or data file); import a standalone disk");
  }
  await run("qemu-img", ["convert", "-f", input, "-O", "qcow2", path, dest], 30 * 60_000);
}

/** A copy-on-write system disk over the image's disk, of the instance's size. */
function overlay(image: ImageFiles, path: string, sizeGiB: number): Promise<string> {
  return qemuImg("create", "-q", "-f", "qcow2", "-b", image.disk, "-F", "qcow2", path, `${sizeGiB}G`);
}

/** The machine's SSH host key, made at its first boot (or the first since host keys came, or since a reinstall). */
async function hostKeyOf(f: VmFiles): Promise<Buffer> {
  const kept = await readHostKey(f.hostKey);
  if (kept) return kept;
  const key = newHostKey();
  await writeFile(f.hostKey, key, { mode: 0o600 });
  return key;
}

async function readHostKey(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

/** The port asked for when it is free, else one the system picks. */
async function freePort(wanted: number | undefined): Promise<number> {
  const attempt = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const s = createServer();
      s.once("error", () => resolve(undefined));
      s.listen(port, FORWARD_HOST, () => {
        const got = (s.address() as { port: number }).port;
        s.close(() => resolve(got));
      });
    });
  return (wanted && (await attempt(wanted))) || (await attempt(0))!;
}

/** The last bytes of a file (the serial console's latest output), "" when there is none. */
async function tail(path: string, bytes: number): Promise<string> {
  try {
    const file = await open(path, "r");
    try {
      const { size } = await file.stat();
      const buf = Buffer.alloc(Math.min(bytes, size));
      await file.read(buf, 0, buf.length, size - buf.length);
      return buf.toString("utf8");
    } finally {
      await file.close();
    }
  } catch {
    return "";
  }
}
