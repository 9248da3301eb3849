// The backend as a step sees it, telling the operation's progress as each call that does visible work begins. The
// power calls are left out: the states the step shows (STOPPING, STARTING...) already say them.
import type { ComputeBackend } from "../compute/backend.js";
import type { WorkStep } from "../domain/progress.js";

const STEP_OF: Partial<Record<keyof ComputeBackend, WorkStep>> = {
  create: "creating-disks",
  start: "booting",
  reconfigure: "reconfiguring",
  reinstall: "writing-system-disk",
  resizeDisks: "resizing-disks",
  captureImage: "capturing-image",
  copyImage: "copying-image",
  importImage: "importing-image",
  exportImage: "exporting-image",
  setAuthorizedKeys: "writing-keys",
  setPassword: "setting-password",
};

/** `backend`, with `report` called with the step of each call of STEP_OF before the call is made. */
export function reporting(backend: ComputeBackend, report: (step: WorkStep) => void): ComputeBackend {
  return new Proxy(backend, {
    get(target, name) {
      const value: unknown = Reflect.get(target, name, target);
      if (typeof value !== "function") return value;
      const step = STEP_OF[name as keyof ComputeBackend];
      const method = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]) => {
        if (step) report(step);
        return method.apply(target, args);
      };
    },
  });
}
