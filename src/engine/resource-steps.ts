// Operations on resources other than instances (images copied, imported or exported): the backend work, and how
// the resource ends, written in the transaction that completes the operation. Their operation row names the
// resource in its instance_id column.
import type { ComputeBackend } from "../compute/backend.js";
import type { ExportedDisk, ExportFormat } from "../domain/disk-formats.js";
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
  ExportImages: {
    run: (b, p) => b.exportImage(p.imageId as string, p.format as ExportFormat, p.disks as ExportedDisk[]),
    // The files are the result: the image stays NORMAL throughout, as the API has no state for an export.
    complete: async () => {},
  },
};
