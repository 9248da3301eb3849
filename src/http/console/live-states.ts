// Instance state changes and the progress of long operations for the console's live pages. State changes come from
// the event log: each change the engine announces is looked up once (whose instance, what state it is in now) and
// sent to that account's open event streams only. Progress comes from the engine as each step of an operation
// begins: the steps so far (the trail) go to the owner's streams, and a stream opened mid-operation gets the trails
// under way first. With several nodes on one database, each passes its own steps and events on to the others
// (news-relay.ts), so that a page sees the work of every node, not only the one it is connected to.
import type { ServerResponse } from "node:http";
import type { Progress } from "../../domain/progress.js";
import type { Fields, Logger } from "../../log.js";
import type { Store } from "../../store/store.js";
import { NewsRelay, type News } from "./news-relay.js";

/** A comment line now and then keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 25_000;
/** Owners remembered at most (forgotten all at once beyond: a termination then goes unseen until the next read). */
const MAX_OWNERS = 100_000;
/** Operations under way whose trail is kept at most; the oldest goes first. */
const MAX_TRAILS = 10_000;

/** Where the steps of a node's operations come from (the engine). */
export interface ProgressSource {
  onProgress(listener: (p: Progress) => void): () => void;
}

/** The steps one operation has begun so far, as the page receives them. */
interface TrailView {
  ResourceId: string;
  Operation: string;
  RequestId: string;
  Steps: string[];
  /** SUCCESS or FAILED once the operation has finished (the trail's last message). */
  Result?: string;
}

interface Trail {
  /** The owner's lookup, begun when someone first listens. */
  owner?: Promise<number | undefined>;
  view: TrailView;
}

export class LiveStates {
  private readonly streams = new Map<ServerResponse, number>();
  /** Whose each instance seen lately is, for the event of its termination, which comes after its record is deleted. */
  private readonly owners = new Map<string, number>();
  private readonly trails = new Map<string, Trail>();
  /** The resource an instance's operation under way is watched under, where not the instance (the image it captures). */
  private readonly vias = new Map<string, string>();
  private readonly unlisten: () => void;
  private readonly unprogress: () => void;
  private readonly heartbeat: NodeJS.Timeout;
  /** The other nodes' news, where there are other nodes. */
  private readonly relay: NewsRelay | undefined;

  constructor(
    private readonly store: Store,
    log: Logger,
    progress?: ProgressSource,
  ) {
    this.relay = store.shared ? new NewsRelay(store, (n) => this.hear(n)) : undefined;
    this.unlisten = log.listen((e) => {
      if ((e.kind !== "instance" && e.kind !== "operation") || typeof e.fields.instance !== "string") return;
      const event = { kind: e.kind, fields: { instance: e.fields.instance, state: e.fields.state, result: e.fields.result, requestId: e.fields.requestId } };
      this.relay?.send({ event });
      this.hear({ event });
    });
    this.unprogress =
      progress?.onProgress((p) => {
        this.relay?.send({ progress: p });
        this.hear({ progress: p });
      }) ?? (() => undefined);
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
    void this.replay(res, appId).catch(() => undefined);
  }

  /** Sends a new stream the account's operations under way, each as its trail is when its owner is known. */
  private async replay(res: ServerResponse, appId: number): Promise<void> {
    const trails = [...this.trails.values()];
    const unknown = trails.filter((t) => !t.owner && t.view.ResourceId.startsWith("ins-"));
    // The instances' owners in one read: a page opened during a launch of thousands asks once.
    const owners = new Map((await this.store.instances.getMany(unknown.map((t) => t.view.ResourceId))).map((i) => [i.instanceId, i.appId]));
    for (const t of unknown) t.owner ??= Promise.resolve(owners.get(t.view.ResourceId));
    for (const trail of trails) {
      const owner = await (trail.owner ??= this.ownerOf(trail.view.ResourceId));
      // A trail finished meanwhile was sent with its result already, on the live path.
      if (owner === appId && this.trails.get(trail.view.ResourceId) === trail && !res.writableEnded) res.write(message("progress", trail.view));
    }
  }

  close(): void {
    this.relay?.close();
    this.unlisten();
    this.unprogress();
    clearInterval(this.heartbeat);
    for (const res of this.streams.keys()) res.end();
    this.streams.clear();
  }

  /** A step or an event, this node's own or another's. */
  private hear(n: News): void {
    void ("progress" in n ? this.step(n.progress) : this.forward(n.event)).catch(() => undefined);
  }

  private async forward(e: { kind: "instance" | "operation"; fields: Fields }): Promise<void> {
    const id = e.fields.instance;
    if (typeof id !== "string") return;
    // The operation's events name its instance; its trail may be under the resource it makes.
    const key = this.trails.get(id)?.view.RequestId !== e.fields.requestId && this.vias.has(id) ? this.vias.get(id)! : id;
    const trail = this.trails.get(key);
    if (e.kind === "operation" && e.fields.result && trail && trail.view.RequestId === e.fields.requestId) {
      // A finished operation's trail is sent once more with its result, and forgotten even when no one listens.
      this.trails.delete(key);
      if (key !== id) this.vias.delete(id);
      const appId = this.streams.size > 0 ? await (trail.owner ??= this.ownerOf(key)) : undefined;
      if (appId !== undefined) this.send(appId, "progress", { ...trail.view, Result: String(e.fields.result) });
    }
    if (this.streams.size === 0 || !id.startsWith("ins-")) return;
    const found = await this.store.instances.get(id);
    if (found) {
      this.remember(id, found.appId);
      this.send(found.appId, "instance", { InstanceId: id, InstanceState: found.state, LatestOperation: found.latestOperation, LatestOperationState: found.latestOperationState });
    } else if (e.fields.state === "TERMINATED" && this.owners.has(id)) {
      // A terminated instance's record is gone by the time its event arrives: its owner was noted when it started.
      this.send(this.owners.get(id)!, "instance", { InstanceId: id, InstanceState: "TERMINATED", LatestOperation: "TerminateInstances", LatestOperationState: "SUCCESS" });
      this.owners.delete(id);
    }
  }

  /**
   * Adds a step to its operation's trail (a new trail for a new operation), kept even when no one listens so that a
   * page opened later sees the steps so far, and sends the trail to the owner's streams.
   */
  private async step(p: Progress): Promise<void> {
    let trail = this.trails.get(p.resourceId);
    if (trail?.view.RequestId !== p.requestId) {
      this.trails.delete(p.resourceId);
      if (this.trails.size >= MAX_TRAILS) this.trails.delete(this.trails.keys().next().value!);
      trail = { view: { ResourceId: p.resourceId, Operation: p.operation, RequestId: p.requestId, Steps: [] } };
      this.trails.set(p.resourceId, trail);
      if (p.via) {
        if (this.vias.size >= MAX_TRAILS) this.vias.delete(this.vias.keys().next().value!);
        this.vias.set(p.via, p.resourceId);
      }
    }
    trail.view.Steps.push(p.step);
    if (this.streams.size === 0) return;
    // The trail as this step made it: steps that come while the owner is looked up get their own message.
    const view = { ...trail.view, Steps: [...trail.view.Steps] };
    // The owner is looked up once per operation; steps that arrive meanwhile wait on the same lookup, in order.
    const appId = await (trail.owner ??= this.ownerOf(p.resourceId));
    if (appId !== undefined) this.send(appId, "progress", view);
  }

  private async ownerOf(id: string): Promise<number | undefined> {
    const known = this.owners.get(id);
    if (known !== undefined) return known;
    const { store } = this;
    const found = id.startsWith("ins-") ? await store.instances.get(id) : id.startsWith("img-") ? await store.images.get(id) : id.startsWith("disk-") ? await store.disks.get(id) : undefined;
    if (found && id.startsWith("ins-")) this.remember(id, found.appId);
    return found?.appId;
  }

  private remember(id: string, appId: number): void {
    if (this.owners.size >= MAX_OWNERS) this.owners.clear();
    this.owners.set(id, appId);
  }

  private send(appId: number, event: "instance" | "progress", body: object): void {
    const data = message(event, body);
    for (const [res, owner] of this.streams) if (owner === appId) res.write(data);
  }
}

function message(event: string, body: object): string {
  return `event: ${event}\ndata: ${JSON.stringify(body)}\n\n`;
}
