// The small interface every compute backend implements (simulated now, QEMU later). Only the engine calls it.
// Every call is idempotent by instance id, so a step re-run after a crash does no harm.
import type { Duplex } from "node:stream";
import type { ExportedDisk, ExportFormat } from "../domain/disk-formats.js";
import type { WorkStep } from "../domain/progress.js";

export interface MachineSpec {
  instanceId: string;
  imageId: string;
  cpu: number;
  /** GiB */
  memory: number;
  hostName: string;
  userData: string | null;
  /** For create and reinstall: OpenSSH public key lines for the image's login user (none: password login). */
  authorizedKeys?: readonly string[];
  /**
   * For create and reinstall: the login user's password as a SHA-512 crypt hash (`$6$salt$hash`, what /etc/shadow
   * takes); the plaintext never reaches a backend. None: the image's own password setting.
   */
  passwordHash?: string;
  region: string;
  zone: string;
  instanceType: string;
  instanceName: string;
  /** The system disk and the data disks in order, GiB. */
  systemDiskSize: number;
  dataDiskSizes: readonly number[];
  /** The data disks' CBS ids, in the order of `dataDiskSizes` (a backend with disk files names them so). */
  dataDiskIds?: readonly string[];
  network: MachineNetwork;
  /** What else the guest's metadata service tells it about its instance. */
  uuid: string;
  appId: number;
  chargeType: string;
  /** ISO 8601. */
  createdTime: string;
  expiredTime: string | null;
  /** The image's login user, who gets the keys and the password. */
  loginUser: string;
  /** The key pairs whose public keys are `authorizedKeys`, in the same order. */
  keyIds?: readonly string[];
}

/** Where the machine sits in its VPC: what its guest configures on its interface at boot. */
export interface MachineNetwork {
  privateIp: string;
  /** The subnet's prefix length. */
  prefix: number;
  gateway: string;
  publicIp: string | null;
  vpcId: string;
  subnetId: string;
}

export type Power = "running" | "stopped";

/** A guest port reachable on the host: connections to host:hostPort reach the machine's guestPort. */
export interface ForwardedPort {
  guestPort: number;
  host: string;
  hostPort: number;
}

export interface ComputeBackend {
  /**
   * Whether machines stay on the host that made them (real VMs): with several server nodes, operations on an
   * instance then go only to the node that hosts it (instances.host_node). The simulated backend's machines are
   * data, and any node may take them over.
   */
  readonly pinned?: boolean;
  /** Creates the machine and boots it. */
  create(spec: MachineSpec): Promise<void>;
  start(instanceId: string): Promise<void>;
  /** Hard cuts the power; otherwise the guest is asked (ACPI) and a guest that does not power off fails the call. */
  stop(instanceId: string, hard: boolean): Promise<void>;
  /** Hard resets the machine; otherwise the guest is asked to power off, then started again. */
  reboot(instanceId: string, hard: boolean): Promise<void>;
  destroy(instanceId: string): Promise<void>;
  /** Applies a new CPU and memory size to a stopped machine. */
  reconfigure(spec: MachineSpec): Promise<void>;
  /** Writes a fresh system disk from the spec's image; the machine is left stopped. */
  reinstall(spec: MachineSpec): Promise<void>;
  /** Grows disks to the given sizes (GiB): the system disk, then the data disks in order. */
  resizeDisks(instanceId: string, systemDisk: number, dataDisks: readonly number[]): Promise<void>;
  /** Captures the machine's disks as a new image (a stopped machine, or a running one when live capture is asked). */
  captureImage(instanceId: string, imageId: string): Promise<void>;
  /** Copies an image to another region under a new id. */
  copyImage(imageId: string, copyId: string, region: string): Promise<void>;
  /**
   * Reads a disk image from a URL or a path and checks it is one a machine can boot (qcow2, raw, vhd, vmdk); `force`
   * takes what the check would refuse.
   */
  importImage(imageId: string, source: string, force: boolean): Promise<void>;
  /** Writes an image's disks to files in a disk image format, each to its path, replacing any file there. */
  exportImage(imageId: string, format: ExportFormat, disks: readonly ExportedDisk[]): Promise<void>;
  /**
   * Replaces the login keys of a stopped machine's default user with these OpenSSH public key lines. Keys turn
   * password login off; an empty list turns it back on.
   */
  setAuthorizedKeys(instanceId: string, publicKeys: readonly string[]): Promise<void>;
  /** Sets a login user's password, given as a salted hash (plaintext is never kept). */
  setPassword(instanceId: string, userName: string, passwordHash: string): Promise<void>;
  /**
   * Cloud disks with bytes (a backend that keeps none leaves these out): a disk is a file named by its id, made
   * blank or from a snapshot's bytes, attached to a machine (a running one sees it at once), detached, grown.
   */
  createDisk?(diskId: string, sizeGiB: number, fromSnapshot?: string): Promise<void>;
  attachDisk?(instanceId: string, diskId: string, sizeGiB: number): Promise<void>;
  detachDisk?(instanceId: string, diskId: string): Promise<void>;
  /** Grows a disk attached to nothing (an attached one grows through resizeDisks). */
  resizeDisk?(diskId: string, sizeGiB: number): Promise<void>;
  /** Copies a disk's current bytes into a snapshot: a data disk by its id, a system disk by its instance's. */
  snapshotDisk?(snapshotId: string, disk: { diskId: string; instanceId: string | null; system: boolean }): Promise<void>;
  /** The disk and snapshot files the backend holds, and their removal once the store no longer knows them. */
  diskFiles?(): Promise<{ disks: string[]; snapshots: string[] }>;
  removeDiskFile?(id: string): Promise<void>;
  /** Every machine the backend has, with its power state (possibly the backend's own live map: read it, keep it not). */
  list(): Promise<ReadonlyMap<string, Power>>;
  /** At start-up: the machines the store says exist, for a backend that keeps no memory of its own. */
  restore(machines: ReadonlyMap<string, Power>): Promise<void>;
  /**
   * The guest TCP ports the instance's security groups open, to be reachable from the host (a backend without a
   * network ignores it). Called again whenever the set may have changed; a running machine follows at once.
   */
  setIngress?(instanceId: string, guestPorts: readonly number[]): Promise<void>;
  /** The ports forwarded now. */
  forwardedPorts?(instanceId: string): ForwardedPort[];
  /** A connection to a running machine's screen, which speaks VNC (RFB) as the server; undefined when it has none now. */
  openConsole(instanceId: string): Promise<Duplex | undefined>;
  /** Called with a machine's id when its power changed by itself (it died, or was powered off from inside). */
  onDrift?(listener: (instanceId: string) => void): void;
  /**
   * Called with a machine's id when a call under way begins a part of its work worth telling apart (a launch's disks
   * are written, then it boots); the caller already knows which call it made.
   */
  onProgress?(listener: (instanceId: string, step: WorkStep) => void): void;
  /** Stops pending work: calls in flight reject with BackendClosed. Running machines are left running. */
  close(): Promise<void>;
}

/** A backend call that failed; the operation ends in its failure state with this message. */
export class BackendError extends Error {}

/** A call abandoned because the backend is closing; its operation stays pending for the next start. */
export class BackendClosed extends Error {}
