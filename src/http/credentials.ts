// SecretId → key and account, read through from the store, so that the request path does not query the database
// each time (a hit is a map lookup). A key rotated, disabled or deleted stops working at once on the node that did
// it (the admin path drops the cache after the change commits) and within a beat on every other: each node reads the
// store's keys mark, one small row, every beat off the request path, and drops the cache when it changed. Entries
// also live a few seconds at most, for a change made with neither (a state written into the database by hand).
// Unknown SecretIds are not cached, so guessing cannot fill memory.
import type { Credential, Store } from "../store/store.js";

const TTL_MS = 5000;
/** How often the keys mark is read: how long another node's change may take to be seen here. */
export const KEYS_BEAT_MS = 500;
const MAX_ENTRIES = 10000;

export class CredentialCache {
  private readonly entries = new Map<string, { credential: Credential; until: number }>();
  private mark: string | undefined;
  /** Counts the clears: a key read before one is not kept after it (it may be the old key). */
  private generation = 0;
  private beat: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts watching the keys mark for changes made by other nodes. */
  async watch(): Promise<void> {
    this.mark = await this.store.accounts.keysMark();
    this.beat = setInterval(() => void this.checkMark().catch(() => undefined), KEYS_BEAT_MS);
    this.beat.unref();
  }

  close(): void {
    clearInterval(this.beat);
  }

  private async checkMark(): Promise<void> {
    const mark = await this.store.accounts.keysMark();
    if (mark !== this.mark) {
      this.mark = mark;
      this.clear();
    }
  }

  /** Forgets every entry (keys changed here, or the accounts were replaced wholesale). */
  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  /** The key while its entry is fresh, without a promise: nearly every request is answered from here. */
  cached(secretId: string): Credential | undefined {
    const hit = this.entries.get(secretId);
    return hit && hit.until > this.now() ? hit.credential : undefined;
  }

  async get(secretId: string): Promise<Credential | undefined> {
    const hit = this.cached(secretId);
    if (hit) return hit;
    const [t, generation] = [this.now(), this.generation];
    const credential = await this.store.accounts.findCredential(secretId);
    if (!credential) {
      this.entries.delete(secretId);
      return undefined;
    }
    if (generation !== this.generation) return credential;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(secretId, { credential, until: t + TTL_MS });
    return credential;
  }
}
