// The crash loops' workload: launches, and on each settled instance one asynchronous operation, of every kind the
// engine runs (the least used so far first), plus image copies, imports and exports; and what each promised, which
// the loop checks after every restart.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Instance } from "tencentcloud-sdk-nodejs-cvm/tencentcloud/services/cvm/v20170312/cvm_models.js";
import { LIFECYCLE } from "../../src/domain/lifecycle.js";
import { RESOURCE_STEPS } from "../../src/engine/resource-steps.js";
import { launch, UBUNTU, ZONE } from "../helpers/instances.js";
import type { commonClient, cvmClient } from "../helpers/server.js";

type Cvm = ReturnType<typeof cvmClient>;
type Vpc = ReturnType<typeof commonClient>;

/**
 * Every kind of asynchronous work there is: the lifecycle's operations and the resource steps (the CHC hosts' network
 * changes on a host the crash loop registers as an operator would).
 */
export const KINDS: readonly string[] = [...Object.keys(LIFECYCLE), ...Object.keys(RESOURCE_STEPS)];

/** What DescribeChcHosts shows of the workload's CHC host that its network changes decide. */
export interface ChcShown {
  state: string;
  bmc: boolean;
  deploy: boolean;
}

/** What DescribeInstances shows of an instance that the operations change. */
export interface Shown {
  state: string;
  type: string;
  image: string;
  keys: string[];
  subnet: string;
  disk: number;
}

export function shown(i: Instance): Shown {
  return {
    state: i.InstanceState!,
    type: i.InstanceType!,
    image: i.ImageId!,
    keys: [...(i.LoginSettings?.KeyIds ?? [])].sort(),
    subnet: i.VirtualPrivateCloud!.SubnetId!,
    disk: i.SystemDisk!.DiskSize!,
  };
}

/**
 * Launches stop at this many pay-as-you-go instances (the account may have 30 per zone) and monthly ones, and
 * terminations bring them down again: the population stays within one DescribeInstances page.
 */
const POSTPAID = 20;
const MONTHLY = 8;
const TYPES = ["S5.MEDIUM4", "S5.LARGE8"];
/** Ubuntu 22.04 and 24.04. */
const IMAGES = [UBUNTU, "img-mmytdhbn"];
const COPY_REGION = "ap-shanghai";
/** The bucket exports go to: `buckets/crash` in the data directory (crash-loop.ts makes it). */
export const BUCKET = "crash";
const EXPORT_FORMATS = ["RAW", "QCOW2", "VHD", "VMDK"];

interface Move {
  kind: string;
  /** Whether it applies to this settled instance. */
  fits(i: Instance, s: Shown): boolean;
  /** Sends it, and returns what it promises: the instance as it will show, or undefined for gone. */
  send(i: Instance, s: Shown): Promise<Shown | undefined>;
}

const prepaid = (i: Instance) => i.InstanceChargeType === "PREPAID";
const live = (s: Shown) => s.state === "RUNNING" || s.state === "STOPPED";
const other = <T>(list: readonly T[], current: T) => list[(list.indexOf(current) + 1) % list.length];

export class Workload {
  /** What each instance's last accepted operation promised (the fields it names), or its end. */
  readonly promised = new Map<string, Partial<Shown>>();
  /** Images promised NORMAL, with their region. */
  readonly images = new Map<string, string>();
  /** How many operations of each kind were sent. */
  readonly sent = new Map<string, number>(KINDS.map((k) => [k, 0]));
  /** The files exports promised, by their path in the bucket. */
  readonly exported: string[] = [];
  private key = "";
  private subnets: { VpcId: string; SubnetId: string }[] = [];
  private synced = new Set<string>();
  private exportedImages = new Set<string>();
  private n = 0;
  /** A cloud disk of its own that the disk steps work on, and what its last step promised. */
  disk?: { id: string; size: number; attachedTo?: string };
  /** The CHC host the network steps work on, and what its last change promised. */
  chc?: { id: string } & ChcShown;
  private chcRemovals = 0;

  constructor(
    private readonly cvm: Cvm,
    private readonly vpc: Vpc,
    /** A directory for disk image files to import. */
    private readonly scratch: string,
  ) {}

  /** The key pair, the two subnets operations move instances to and a CHC host `register` adds, made once. */
  async prepare(register: () => Promise<string>): Promise<void> {
    this.key = (await this.cvm.CreateKeyPair({ KeyName: "crash", ProjectId: 0 })).KeyPair!.KeyId!;
    for (const net of [71, 72]) {
      const v = (await this.vpc.request("CreateVpc", { VpcName: `crash${net}`, CidrBlock: `10.${net}.0.0/16` })).Vpc;
      const s = (await this.vpc.request("CreateSubnet", { VpcId: v.VpcId, SubnetName: `crash${net}`, CidrBlock: `10.${net}.0.0/24`, Zone: ZONE })).Subnet;
      this.subnets.push({ VpcId: v.VpcId, SubnetId: s.SubnetId });
    }
    writeFileSync(join(this.scratch, "disk.qcow2"), Buffer.concat([Buffer.from("QFI\xfb", "latin1"), Buffer.alloc(1020)]));
    this.chc = { id: await register(), state: "INIT", bmc: false, deploy: false };
  }

  /** One round of work on the settled instances `before`, with launches and image transfers. */
  async round(before: Instance[]): Promise<void> {
    const monthly = before.filter(prepaid).length;
    if (before.length - monthly < POSTPAID) {
      await this.launched(launch(this.cvm, { InstanceCount: 4, LoginSettings: { KeyIds: [this.key] } }), [this.key]);
    }
    if (monthly < MONTHLY) await this.launched(launch(this.cvm, { InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1 } }), []);
    const busy = await this.diskStep(before);
    await this.chcStep();
    for (const i of before) {
      // The instance a disk is being attached to or detached from this round takes no other operation.
      if (i.InstanceId === busy) continue;
      const s = shown(i);
      const move = this.moves()
        .filter((m) => m.fits(i, s))
        .sort((a, b) => this.sent.get(a.kind)! - this.sent.get(b.kind)!)[0];
      this.count(move.kind);
      const promise = await move.send(i, s);
      if (promise) this.promised.set(i.InstanceId!, promise);
      else this.promised.delete(i.InstanceId!);
    }
    await this.transfers();
  }

  /**
   * One step on the workload's cloud disk (made when there is none): detach it if attached, else grow it, snapshot it
   * or attach it to a running instance of `before`, the least sent first. Answers the instance it is attached to or
   * detached from.
   */
  private async diskStep(before: Instance[]): Promise<string | undefined> {
    const cbs = this.vpc;
    if (!this.disk) {
      // An asynchronous operation of its own (the qemu backend makes the disk's file); the simulated one runs it too.
      this.count("CreateDisks");
      const { DiskIdSet } = await cbs.request("CreateDisks", { Placement: { Zone: ZONE }, DiskChargeType: "POSTPAID_BY_HOUR", DiskType: "CLOUD_PREMIUM", DiskSize: 20, DiskName: "crash" });
      this.disk = { id: DiskIdSet[0], size: 20 };
    }
    const disk = this.disk;
    if (disk.attachedTo) {
      const from = disk.attachedTo;
      this.count("DetachDisks");
      await cbs.request("DetachDisks", { DiskIds: [disk.id] });
      disk.attachedTo = undefined;
      return from;
    }
    const target = before.find((i) => i.InstanceState === "RUNNING" && i.Placement!.Zone === ZONE && !prepaid(i));
    const kinds = ["ResizeDisk", "CreateSnapshot", ...(target ? ["AttachDisks"] : [])].sort((a, b) => this.sent.get(a)! - this.sent.get(b)!);
    this.count(kinds[0]);
    if (kinds[0] === "ResizeDisk") {
      disk.size += 10;
      await cbs.request("ResizeDisk", { DiskId: disk.id, DiskSize: disk.size });
    } else if (kinds[0] === "CreateSnapshot") {
      await cbs.request("CreateSnapshot", { DiskId: disk.id, SnapshotName: `crash-${this.n++}` });
    } else {
      await cbs.request("AttachDisks", { DiskIds: [disk.id], InstanceId: target!.InstanceId! });
      disk.attachedTo = target!.InstanceId!;
    }
    return disk.attachedTo;
  }

  /**
   * One network change on the CHC host, which the engine runs as a ChcNetwork step: both networks onto a bare host,
   * the deploy one back onto a host with the out-of-band one only, and from a READY host one of them away (in turn).
   */
  private async chcStep(): Promise<void> {
    const h = this.chc!;
    const [bmc, deploy] = this.subnets;
    const ChcIds = [h.id];
    this.count("ChcNetwork");
    if (!h.bmc) {
      await this.cvm.ConfigureChcAssistVpc({ ChcIds, BmcVirtualPrivateCloud: bmc, DeployVirtualPrivateCloud: deploy });
      Object.assign(h, { state: "READY", bmc: true, deploy: true });
    } else if (!h.deploy) {
      await this.cvm.ConfigureChcDeployVpc({ ChcIds, DeployVirtualPrivateCloud: deploy });
      Object.assign(h, { state: "READY", deploy: true });
    } else if ((this.chcRemovals = (this.chcRemovals + 1) % 2) === 1) {
      await this.cvm.RemoveChcDeployVpc({ ChcIds });
      Object.assign(h, { state: "INIT", deploy: false });
    } else {
      await this.cvm.RemoveChcAssistVpc({ ChcIds });
      Object.assign(h, { state: "INIT", bmc: false, deploy: false });
    }
  }

  private count(kind: string): void {
    this.sent.set(kind, this.sent.get(kind)! + 1);
  }

  private async launched(call: Promise<{ InstanceIdSet?: string[] }>, keys: string[]): Promise<void> {
    this.count("RunInstances");
    for (const id of (await call).InstanceIdSet!) this.promised.set(id, { state: "RUNNING", keys });
  }

  /**
   * An image copied to another region and one exported (each made in an earlier round, as every round makes one, and
   * not copied or exported yet), and one imported.
   */
  private async transfers(): Promise<void> {
    const source = [...this.images].find(([id, region]) => region !== COPY_REGION && !this.synced.has(id))?.[0];
    if (source) {
      this.synced.add(source);
      this.count("SyncImages");
      const out = await this.cvm.SyncImages({ ImageIds: [source], DestinationRegions: [COPY_REGION], ImageSetRequired: true });
      for (const copy of out.ImageSet!) this.images.set(copy.ImageId!, copy.Region!);
    }
    const exported = [...this.images].find(([id, region]) => region !== COPY_REGION && !this.exportedImages.has(id))?.[0];
    if (exported) {
      this.exportedImages.add(exported);
      this.count("ExportImages");
      const ExportFormat = EXPORT_FORMATS[this.exportedImages.size % EXPORT_FORMATS.length];
      this.exported.push(...(await this.cvm.ExportImages({ BucketName: BUCKET, ImageIds: [exported], ExportFormat })).CosPaths!);
    }
    const name = `imported-${this.n++}`;
    this.count("ImportImage");
    await this.cvm.ImportImage({ Architecture: "x86_64", OsType: "Ubuntu", OsVersion: "22.04", ImageUrl: join(this.scratch, "disk.qcow2"), ImageName: name });
    const [imported] = (await this.cvm.DescribeImages({ Filters: [{ Name: "image-name", Values: [name] }] })).ImageSet!;
    this.images.set(imported.ImageId!, "ap-guangzhou");
  }

  private moves(): Move[] {
    const cvm = this.cvm;
    const ids = (i: Instance) => [i.InstanceId!];
    const forced = (s: Shown) => s.state === "RUNNING";
    return [
      { kind: "StopInstances", fits: (_, s) => s.state === "RUNNING", send: async (i, s) => (await cvm.StopInstances({ InstanceIds: ids(i) }), { ...s, state: "STOPPED" }) },
      { kind: "StartInstances", fits: (_, s) => s.state === "STOPPED", send: async (i, s) => (await cvm.StartInstances({ InstanceIds: ids(i) }), { ...s, state: "RUNNING" }) },
      { kind: "RebootInstances", fits: (_, s) => s.state === "RUNNING", send: async (i, s) => (await cvm.RebootInstances({ InstanceIds: ids(i) }), s) },
      {
        kind: "TerminateInstances",
        fits: (i, s) => (live(s) && !prepaid(i)) || s.state === "SHUTDOWN",
        send: async (i) => (await cvm.TerminateInstances({ InstanceIds: ids(i) }), undefined),
      },
      // A monthly instance's first termination puts it in the recycle bin.
      { kind: "RecycleInstances", fits: (i, s) => live(s) && prepaid(i), send: async (i, s) => (await cvm.TerminateInstances({ InstanceIds: ids(i) }), { ...s, state: "SHUTDOWN" }) },
      {
        kind: "ResetInstancesType",
        fits: (_, s) => live(s),
        send: async (i, s) => {
          const type = other(TYPES, s.type);
          await cvm.ResetInstancesType({ InstanceIds: ids(i), InstanceType: type, ForceStop: forced(s) });
          return { ...s, state: "RUNNING", type };
        },
      },
      {
        kind: "ResetInstance",
        fits: (_, s) => live(s),
        send: async (i, s) => {
          const image = other(IMAGES, s.image);
          await cvm.ResetInstance({ InstanceId: i.InstanceId!, ImageId: image });
          return { ...s, state: "RUNNING", image, keys: [] };
        },
      },
      {
        kind: "ResizeInstanceDisks",
        fits: (_, s) => live(s),
        send: async (i, s) => (await cvm.ResizeInstanceDisks({ InstanceId: i.InstanceId!, SystemDisk: { DiskSize: s.disk + 10 }, ForceStop: forced(s) }), { ...s, disk: s.disk + 10 }),
      },
      {
        kind: "ResetInstancesPassword",
        fits: (_, s) => live(s),
        send: async (i, s) => (await cvm.ResetInstancesPassword({ InstanceIds: ids(i), Password: "Str0ng-Passw0rd", ForceStop: forced(s) }), s),
      },
      {
        kind: "CreateImage",
        fits: (_, s) => live(s),
        send: async (i, s) => {
          const { ImageId } = await cvm.CreateImage({ InstanceId: i.InstanceId!, ImageName: `captured-${this.n++}` });
          this.images.set(ImageId!, "ap-guangzhou");
          return s;
        },
      },
      {
        kind: "AssociateInstancesKeyPairs",
        fits: (_, s) => live(s) && !s.keys.includes(this.key),
        send: async (i, s) => (await cvm.AssociateInstancesKeyPairs({ InstanceIds: ids(i), KeyIds: [this.key], ForceStop: forced(s) }), { ...s, keys: [this.key] }),
      },
      {
        kind: "DisassociateInstancesKeyPairs",
        fits: (_, s) => live(s) && s.keys.includes(this.key),
        send: async (i, s) => (await cvm.DisassociateInstancesKeyPairs({ InstanceIds: ids(i), KeyIds: [this.key], ForceStop: forced(s) }), { ...s, keys: s.keys.filter((k) => k !== this.key) }),
      },
      {
        kind: "ModifyInstancesVpcAttribute",
        fits: (_, s) => live(s),
        send: async (i, s) => {
          const target = this.subnets.find((n) => n.SubnetId !== s.subnet)!;
          await cvm.ModifyInstancesVpcAttribute({ InstanceIds: ids(i), VirtualPrivateCloud: target, ForceStop: forced(s) });
          return { ...s, subnet: target.SubnetId };
        },
      },
      {
        kind: "EnterRescueMode",
        fits: (_, s) => s.state === "RUNNING",
        send: async (i, s) => (await cvm.EnterRescueMode({ InstanceId: i.InstanceId!, Password: "Rescue-Pa55word", ForceStop: true }), { ...s, state: "RESCUE_MODE" }),
      },
      { kind: "ExitRescueMode", fits: (_, s) => s.state === "RESCUE_MODE", send: async (i, s) => (await cvm.ExitRescueMode({ InstanceId: i.InstanceId! }), { ...s, state: "RUNNING" }) },
      {
        kind: "ModifyInstancesAttribute",
        fits: (_, s) => s.state === "RUNNING",
        // A new host name reboots the instance; DescribeInstances does not show host names.
        send: async (i, s) => (await cvm.ModifyInstancesAttribute({ InstanceIds: ids(i), HostName: `host-${this.n++}` }), s),
      },
    ];
  }
}
