// The steps a long operation goes through while it runs, as a person watching it is told them: the work a backend
// call does (creating disks, booting, writing a system disk...) and the states a step passes through on the way
// (a resize of a running machine stops it, works, starts it again). The console shows them live, in order.
import type { InstanceState } from "./lifecycle.js";

/** The work of one backend call, or a part of it the backend reports itself (a launch's disks, then its boot). */
export const WORK_STEPS = [
  "creating-disks",
  "booting",
  "reconfiguring",
  "writing-system-disk",
  "resizing-disks",
  "capturing-image",
  "copying-image",
  "importing-image",
  "exporting-image",
  "writing-keys",
  "setting-password",
] as const;

export type WorkStep = (typeof WORK_STEPS)[number];

/** A step: some work, or a state an instance shows on the way (STOPPING, STOPPED, STARTING, RUNNING). */
export type ProgressStep = WorkStep | InstanceState;

/** One step of one operation, as it begins. */
export interface Progress {
  /** The resource the operation works on: an instance, or an image being captured, copied, imported or exported. */
  resourceId: string;
  /** The instance whose operation it is, when the resource is another (the image CreateImage captures from it). */
  via?: string;
  /** The operation's kind: the action that started it (RunInstances, SyncImages...). */
  operation: string;
  requestId: string;
  step: ProgressStep;
}
