// Operations on resources other than instances (images copied, imported or exported; cloud disks attached,
// detached or grown; snapshots taken): the backend work, and how the resource ends, written in the transaction that
// completes the operation. Their operation row names the resource in its instance_id column.
import type { ComputeBackend } from "../compute/backend.js";
import type { ExportedDisk, ExportFormat } from "../domain/disk-formats.js";
import type { ChcOutcome } from "../domain/chc-hosts.js";
import type { Store } from "../store/store.js";

type Payload = Record<string, unknown>;

export interface ResourceStep {
  run(backend: ComputeBackend, payload: Payload): Promise<void>;
  complete(tx: Store, payload: Payload, ok: boolean): Promise<void>;
}

export const RESOURCE_STEPS: Record<string, ResourceStep> = {
  SyncImages: {
    run: (b, p) => b.copyImage(p.sourceImageId as string, p.imageId as string, p.region as string),
    complete: async (tx, p, ok) => {
      await tx.images.update(p.imageId as string, { state: ok ? "NORMAL" : "CREATEFAILED" }, "SYNCING");
    },
  },
  ImportImage: {
    run: (b, p) => b.importImage(p.imageId as string, p.source as string, p.force === true),
    complete: async (tx, p, ok) => {
      await tx.images.update(p.imageId as string, { state: ok ? "NORMAL" : "IMPORTFAILED" }, "IMPORTING");
    },
  },
  // A new disk's file, blank or from its snapshot's bytes (a backend without disk bytes has nothing to do). The disk
  // is UNATTACHED from the start, as the API shows it.
  CreateDisks: {
    run: async (b, p) => b.createDisk?.(p.diskId as string, p.diskSize as number, p.snapshotId as string | undefined),
    complete: async () => {},
  },
  // The machine takes the disk (a running one at once, a stopped one at its next start), or gives it back.
  AttachDisks: {
    run: async (b, p) => b.attachDisk?.(p.instanceId as string, p.diskId as string, p.diskSize as number),
    complete: async (tx, p, ok) => {
      const disk = await tx.disks.get(p.diskId as string);
      if (disk?.state !== "ATTACHING") return;
      const instance = ok ? await tx.instances.get(p.instanceId as string) : undefined;
      if (!instance || instance.state === "TERMINATED") {
        await tx.disks.update(disk.diskId, { state: "UNATTACHED", instanceId: null }, "ATTACHING");
        return;
      }
      await tx.disks.update(disk.diskId, { state: "ATTACHED" }, "ATTACHING");
      const added = { DiskId: disk.diskId, DiskType: disk.diskType, DiskSize: disk.diskSize, DeleteWithInstance: disk.deleteWithInstance, ...(disk.diskName ? { DiskName: disk.diskName } : {}) };
      await tx.instances.update(instance.instanceId, { doc: { DataDisks: [...instance.doc.DataDisks, added] } });
    },
  },
  DetachDisks: {
    run: async (b, p) => b.detachDisk?.(p.instanceId as string, p.diskId as string),
    complete: async (tx, p, ok) => {
      const disk = await tx.disks.get(p.diskId as string);
      if (disk?.state !== "DETACHING") return;
      if (!ok) {
        await tx.disks.update(disk.diskId, { state: "ATTACHED" }, "DETACHING");
        return;
      }
      await tx.disks.update(disk.diskId, { state: "UNATTACHED", instanceId: null }, "DETACHING");
      const instance = await tx.instances.get(p.instanceId as string);
      if (instance) await tx.instances.update(instance.instanceId, { doc: { DataDisks: instance.doc.DataDisks.filter((d) => d.DiskId !== disk.diskId) } });
    },
  },
  ResizeDisk: {
    run: async (b, p) => {
      if (p.instanceId) await b.resizeDisks(p.instanceId as string, p.systemDiskSize as number, p.dataDiskSizes as number[]);
      else await b.resizeDisk?.(p.diskId as string, p.diskSize as number);
    },
    complete: async (tx, p, ok) => {
      const disk = await tx.disks.get(p.diskId as string);
      if (disk?.state !== "EXPANDING") return;
      const instance = disk.instanceId === null ? undefined : await tx.instances.get(disk.instanceId);
      await tx.disks.update(disk.diskId, { state: instance ? "ATTACHED" : "UNATTACHED", ...(ok && !instance ? { diskSize: p.diskSize as number } : {}) }, "EXPANDING");
      if (!ok || !instance) return;
      const size = p.diskSize as number;
      const grown = disk.diskUsage === "SYSTEM_DISK" ? { SystemDisk: { ...instance.doc.SystemDisk, DiskSize: size } } : { DataDisks: instance.doc.DataDisks.map((d) => (d.DiskId === disk.diskId ? { ...d, DiskSize: size } : d)) };
      await tx.instances.update(instance.instanceId, { doc: grown });
    },
  },
  CreateSnapshot: {
    // Operations queued before snapshots had bytes name no disk: they finish in the record only.
    run: async (b, p) => {
      if (p.diskId) await b.snapshotDisk?.(p.snapshotId as string, { diskId: p.diskId as string, instanceId: (p.instanceId as string | null) ?? null, system: p.system === true });
    },
    complete: async (tx, p, ok) => {
      if (ok) await tx.snapshots.setState({ snapshotId: p.snapshotId as string }, "NORMAL");
      else await tx.snapshots.remove([p.snapshotId as string]);
    },
  },
  // A CHC host's network change: the simulated data centre does it at once; the host settles as the payload says.
  ChcNetwork: {
    run: async () => {},
    complete: async (tx, p, ok) => {
      const host = await tx.chcHosts.get(p.chcId as string);
      if (host?.state !== "OPERATING") return;
      const outcome = (ok ? p.success : p.failure) as ChcOutcome;
      const doc = { ...host.doc, latestOperationState: ok ? ("SUCCESS" as const) : ("FAILED" as const), ...(outcome.networkMode ? { networkMode: outcome.networkMode } : {}) };
      for (const side of outcome.clear) {
        const net = doc[side];
        if (net) await tx.networks.releasePrivate(net.subnetId, net.ip);
        doc[side] = null;
        if (side === "deploy") doc.deployExtra = null;
      }
      await tx.chcHosts.update(host.chcId, { state: outcome.state, doc });
    },
  },
  ExportImages: {
    run: (b, p) => b.exportImage(p.imageId as string, p.format as ExportFormat, p.disks as ExportedDisk[]),
    // The files are the result: the image stays NORMAL throughout, as the API has no state for an export.
    complete: async () => {},
  },
};
