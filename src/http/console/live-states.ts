// Instance state changes for the console's live list, from the event log: each change the engine announces is looked
// up once (whose instance, what state it is in now) and sent to that account's open event streams only.
import type { ServerResponse } from "node:http";
import type { LogEvent, Logger } from "../../log.js";
import type { Store } from "../../store/store.js";

/** A comment line now and then keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 25_000;
/** Owners remembered at most (forgotten all at once beyond: a termination then goes unseen until the next read). */
const MAX_OWNERS = 100_000;

export class LiveStates {
  private readonly streams = new Map<ServerResponse, number>();
  /** Whose each instance seen lately is, for the event of its termination, which comes after its record is deleted. */
  private readonly owners = new Map<string, number>();
  private readonly unlisten: () => void;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly store: Store,
    log: Logger,
  ) {
    this.unlisten = log.listen((e) => void this.forward(e).catch(() => undefined));
    this.heartbeat = setInterval(() => {
      for (const res of this.streams.keys()) res.write(": keep-alive\n\n");
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Answers `res` with an event stream of the account's instances until the client goes. */
  open(res: ServerResponse, appId: number): void {
    res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-store", Connection: "keep-alive" });
    res.write(": open\n\n");
    this.streams.set(res, appId);
    res.on("close", () => this.streams.delete(res));
  }

  close(): void {
    this.unlisten();
    clearInterval(this.heartbeat);
    for (const res of this.streams.keys()) res.end();
    this.streams.clear();
  }

  private async forward(e: LogEvent): Promise<void> {
    const id = e.fields.instance;
    if ((e.kind !== "instance" && e.kind !== "operation") || typeof id !== "string" || this.streams.size === 0) return;
    const found = await this.store.instances.get(id);
    if (found) {
      if (this.owners.size >= MAX_OWNERS) this.owners.clear();
      this.owners.set(id, found.appId);
      this.send(found.appId, { InstanceId: id, InstanceState: found.state, LatestOperation: found.latestOperation, LatestOperationState: found.latestOperationState });
    } else if (e.fields.state === "TERMINATED" && this.owners.has(id)) {
      // A terminated instance's record is gone by the time its event arrives: its owner was noted when it started.
      this.send(this.owners.get(id)!, { InstanceId: id, InstanceState: "TERMINATED", LatestOperation: "TerminateInstances", LatestOperationState: "SUCCESS" });
      this.owners.delete(id);
    }
  }

  private send(appId: number, change: object): void {
    const data = JSON.stringify(change);
    for (const [res, owner] of this.streams) if (owner === appId) res.write(`event: instance\ndata: ${data}\n\n`);
  }
}
