// What the console's pages on one node must learn of the work the other nodes sharing its database do: each node
// passes on the steps its engine reports and the instance and operation events it logs, a few at a time, through
// the store's announcements (PostgreSQL NOTIFY, read on the node's one listening connection, however many pages it
// serves), and hands what the others passed on to its own pages as if its own engine had made it.
import { randomUUID } from "node:crypto";
import type { Progress } from "../../domain/progress.js";
import type { Fields } from "../../log.js";
import type { Store } from "../../store/store.js";

/** A step of an operation, or an instance's or operation's event (only the fields the pages use). */
export type News = { progress: Progress } | { event: { kind: "instance" | "operation"; fields: Fields } };

/** News gathered this long goes out in one announcement: a launch of a hundred is a few messages, not hundreds. */
const BATCH_MS = 25;
/** An announcement's size at most, under NOTIFY's 8,000 bytes. */
const MAX_BYTES = 7_000;

export class NewsRelay {
  private readonly node = randomUUID();
  private queue: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly store: Store,
    deliver: (news: News) => void,
  ) {
    void store
      .onNews((message) => {
        if (this.closed) return;
        const { from, news } = JSON.parse(message) as { from: string; news: News[] };
        if (from !== this.node) for (const n of news) deliver(n);
      })
      .catch(() => undefined);
  }

  /** Passes `news` on to the other nodes, soon. */
  send(news: News): void {
    if (this.closed) return;
    const item = JSON.stringify(news);
    this.queue.push(item);
    this.timer ??= setTimeout(() => void this.flush().catch(() => undefined), BATCH_MS);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    const items = this.queue;
    this.queue = [];
    const head = `{"from":"${this.node}","news":[`;
    let batch: string[] = [];
    let size = head.length + 2;
    for (const item of items) {
      const bytes = Buffer.byteLength(item);
      // One item alone over the limit (no step or event is near it) could not be sent at all: it is dropped.
      if (head.length + bytes + 2 > MAX_BYTES) continue;
      if (size + bytes + 1 > MAX_BYTES) {
        await this.store.announceNews(`${head}${batch.join(",")}]}`);
        batch = [];
        size = head.length + 2;
      }
      batch.push(item);
      size += bytes + 1;
    }
    if (batch.length) await this.store.announceNews(`${head}${batch.join(",")}]}`);
  }
}
