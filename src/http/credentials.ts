// SecretId → key and account, read through from the store. Entries live a few seconds so that the request path
// does not query the database each time, while a key disabled or changed elsewhere (another process, another
// node) stops working within that time. Unknown SecretIds are not cached, so guessing cannot fill memory.
import type { Credential, Store } from "../store/store.js";

const TTL_MS = 5000;
const MAX_ENTRIES = 10000;

export class CredentialCache {
  private readonly entries = new Map<string, { credential: Credential; until: number }>();

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  /** Forgets every entry (the accounts were replaced wholesale). */
  clear(): void {
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
    const t = this.now();
    const credential = await this.store.accounts.findCredential(secretId);
    if (!credential) {
      this.entries.delete(secretId);
      return undefined;
    }
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(secretId, { credential, until: t + TTL_MS });
    return credential;
  }
}
