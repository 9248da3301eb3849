// The embedded backend: machines are entries in memory, each transition takes the time of the chosen timing
// profile, and injected faults fail a share of them the way a real launch or start can fail.
import { randomInt } from "node:crypto";
import { basename, join } from "node:path";
import type { ExportedDisk, ExportFormat } from "../domain/disk-formats.js";
import type { WorkStep } from "../domain/progress.js";
import { BackendClosed, BackendError, type ComputeBackend, type MachineSpec, type Power } from "./backend.js";
import { partitionTable, writeBlankDisk } from "./blank-disk.js";
import { checkImportable } from "./disk-format.js";
import type { ImportPolicy } from "./image-source.js";
import { SimulatedScreen } from "./simulated-screen.js";

const GiB = 1024 ** 3;

export type Timing = "instant" | "fast" | "realistic";
type Transition = "launch" | "start" | "stop" | "reboot" | "terminate" | "modify";
/** A transition that fails, or `shutdown`: a guest that ignores a normal shutdown (a power-off still stops it). */
export type FaultPoint = Transition | "shutdown";
export type Faults = Partial<Record<FaultPoint, number>>;

/** Milliseconds a transition takes, [min, max]: fast keeps tests brisk, realistic is what the real cloud takes. */
const PROFILES: Record<Timing, Record<Transition, [number, number]>> = {
  instant: { launch: [0, 0], start: [0, 0], stop: [0, 0], reboot: [0, 0], terminate: [0, 0], modify: [0, 0] },
  fast: { launch: [1000, 3000], start: [500, 1500], stop: [500, 1500], reboot: [500, 2000], terminate: [500, 1000], modify: [500, 1500] },
  realistic: { launch: [15000, 30000], start: [8000, 15000], stop: [5000, 15000], reboot: [10000, 20000], terminate: [3000, 8000], modify: [10000, 30000] },
};

/** The share of a launch's time spent writing its disks before it boots. */
const DISK_SHARE = 0.4;

export class SimulatedBackend implements ComputeBackend {
  private readonly machines = new Map<string, Power>();
  private readonly keys = new Map<string, readonly string[]>();
  private readonly passwords = new Map<string, string>();
  private readonly waits = new Set<{ timer: NodeJS.Timeout; reject: (e: Error) => void }>();
  private readonly progressListeners: ((instanceId: string, step: WorkStep) => void)[] = [];
  private closed = false;

  constructor(
    private readonly timing: Timing,
    private readonly faults: Faults = {},
    /** What ImportImage may read; by default public URLs only, as a server with no import settings has. */
    private readonly imports: ImportPolicy = { allow: [], maxBytes: 64 * 1024 ** 3, timeoutMs: 3_600_000 },
    private readonly random: () => number = Math.random,
  ) {}

  /** A launch spends the first part of its time on the disks, the rest booting, as a real one does. */
  async create(spec: MachineSpec): Promise<void> {
    await this.transition("launch", () => this.report(spec.instanceId, "booting"));
    this.machines.set(spec.instanceId, "running");
    this.keys.set(spec.instanceId, [...(spec.authorizedKeys ?? [])]);
    this.setHash(spec.instanceId, spec.passwordHash);
  }

  async start(instanceId: string): Promise<void> {
    await this.transition("start");
    this.machines.set(instanceId, "running");
  }

  async stop(instanceId: string, hard: boolean): Promise<void> {
    await this.transition("stop");
    if (!hard) this.inject("shutdown");
    this.machines.set(instanceId, "stopped");
  }

  async reboot(instanceId: string): Promise<void> {
    await this.transition("reboot");
    this.machines.set(instanceId, "running");
  }

  async destroy(instanceId: string): Promise<void> {
    await this.transition("terminate");
    this.machines.delete(instanceId);
    this.keys.delete(instanceId);
    this.passwords.delete(instanceId);
  }

  async reconfigure(): Promise<void> {
    await this.transition("modify");
  }

  async reinstall(spec: MachineSpec): Promise<void> {
    await this.transition("modify");
    this.machines.set(spec.instanceId, "stopped");
    this.keys.set(spec.instanceId, [...(spec.authorizedKeys ?? [])]);
    this.setHash(spec.instanceId, spec.passwordHash);
  }

  async resizeDisks(): Promise<void> {
    await this.transition("modify");
  }

  async captureImage(): Promise<void> {
    await this.transition("modify");
  }

  async copyImage(): Promise<void> {
    await this.transition("modify");
  }

  /** The source is really read, under the import rules: an image the simulated cloud could not boot fails to import. */
  async importImage(_imageId: string, source: string, force: boolean): Promise<void> {
    await checkImportable(source, this.imports, force);
    await this.transition("modify");
  }

  /** A simulated disk has no bytes: each exports as a blank disk of its size, a system disk with a partition table. */
  async exportImage(_imageId: string, format: ExportFormat, disks: readonly ExportedDisk[]): Promise<void> {
    await this.transition("modify");
    for (const disk of disks) {
      const size = disk.size * GiB;
      try {
        await writeBlankDisk(disk.path, format, size, disk.system ? partitionTable(size) : undefined);
      } catch (e) {
        throw new BackendError(`cannot write ${basename(disk.path)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    }
  }

  async setAuthorizedKeys(instanceId: string, publicKeys: readonly string[]): Promise<void> {
    await this.transition("modify");
    this.keys.set(instanceId, [...publicKeys]);
  }

  /** The public keys a machine's login user accepts (what a test can check a step wrote). */
  authorizedKeys(instanceId: string): readonly string[] | undefined {
    return this.keys.get(instanceId);
  }

  async setPassword(instanceId: string, _userName: string, passwordHash: string): Promise<void> {
    await this.transition("modify");
    this.passwords.set(instanceId, passwordHash);
  }

  /** The password hash a machine's login user has, as the backend received it (what a test can check). */
  passwordHash(instanceId: string): string | undefined {
    return this.passwords.get(instanceId);
  }

  private setHash(instanceId: string, hash: string | undefined): void {
    if (hash === undefined) this.passwords.delete(instanceId);
    else this.passwords.set(instanceId, hash);
  }

  /** The live map, not a copy: steps ask after one machine, and copying a million to answer took tens of ms. */
  async list(): Promise<ReadonlyMap<string, Power>> {
    return this.machines;
  }

  async restore(machines: ReadonlyMap<string, Power>): Promise<void> {
    for (const [id, power] of machines) this.machines.set(id, power);
  }

  onProgress(listener: (instanceId: string, step: WorkStep) => void): void {
    this.progressListeners.push(listener);
  }

  private report(instanceId: string, step: WorkStep): void {
    for (const l of this.progressListeners) l(instanceId, step);
  }

  /** A running machine's screen, served in-process: no guest runs to draw one (simulated-screen.ts). */
  async openConsole(instanceId: string): Promise<SimulatedScreen | undefined> {
    return this.machines.get(instanceId) === "running" ? new SimulatedScreen(instanceId) : undefined;
  }

  /** A machine that dies on its own (what the reconciler exists for). */
  crash(instanceId: string): void {
    if (this.machines.has(instanceId)) this.machines.set(instanceId, "stopped");
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waits) {
      clearTimeout(w.timer);
      w.reject(new BackendClosed("backend closed"));
    }
    this.waits.clear();
  }

  /** Waits the transition's time; `midway`, when given, is called once DISK_SHARE of it has passed. */
  private async transition(point: Transition, midway?: () => void): Promise<void> {
    const [min, max] = PROFILES[this.timing][point];
    const ms = min === max ? min : min + randomInt(max - min + 1);
    const first = midway ? Math.round(ms * DISK_SHARE) : 0;
    // An instant launch waits once, as before: no second timer per machine.
    if (first > 0) await this.sleep(first);
    midway?.();
    await this.sleep(ms - first);
    this.inject(point);
  }

  private inject(point: FaultPoint): void {
    const rate = this.faults[point] ?? 0;
    if (rate > 0 && this.random() < rate) throw new BackendError(`injected ${point} fault (OPENCVM_FAULTS ${point}=${rate})`);
  }

  private sleep(ms: number): Promise<void> {
    if (this.closed) return Promise.reject(new BackendClosed("backend closed"));
    return new Promise((resolve, reject) => {
      const wait = {
        timer: setTimeout(() => {
          this.waits.delete(wait);
          resolve();
        }, ms),
        reject,
      };
      this.waits.add(wait);
    });
  }
}
