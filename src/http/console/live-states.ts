// Instance state changes for the console's live list, from the event log: each change the engine announces is looked
// up once (whose instance, what state it is in now) and sent to that account's open event streams only.
import type { ServerResponse } from "node:http";
import type { LogEvent, Logger } from "../../log.js";
import type { Store } from "../../store/store.js";

/** A comment line now and then keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 25_000;

export class LiveStates {
  private readonly streams = new Map<ServerResponse, number>();
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
    if ((e.kind !== "instance" && e.kind !== "operation") || typeof e.fields.instance !== "string" || this.streams.size === 0) return;
    const found = await this.store.instances.get(e.fields.instance);
    if (!found) return;
    const data = JSON.stringify({
      InstanceId: found.instanceId,
      InstanceState: found.state,
      LatestOperation: found.latestOperation,
      LatestOperationState: found.latestOperationState,
    });
    for (const [res, appId] of this.streams) if (appId === found.appId) res.write(`event: instance\ndata: ${data}\n\n`);
  }
}
