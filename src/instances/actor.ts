// Who changes an instance. A request acts for its caller; a system job (billing's terms, a due action timer) acts on
// its own, under a RequestId of its own that DescribeInstances shows as the instance's LatestOperationRequestId.
// Both carry the instant they act at, on the service clock, for everything they write.
import { randomUUID } from "node:crypto";
import type { Account } from "../store/store.js";

export type SystemJob = "billing" | "action-timer";

/** A request acting for its caller (the api's RequestContext is one). */
export interface RequestActor {
  requestId: string;
  now: Date;
  account: Account;
}

/** A named system job. */
export interface JobActor {
  job: SystemJob;
  requestId: string;
  now: Date;
}

export type Actor = RequestActor | JobActor;

/** A system job about to act at `now`, with a fresh RequestId. */
export function jobActor(job: SystemJob, now: Date): JobActor {
  return { job, requestId: randomUUID(), now };
}
