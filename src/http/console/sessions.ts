// Console sessions, in the store so that every node sharing it knows them: a random token (the cookie) naming an
// account, with the CSRF token the page must send back on every state-changing call and an expiry. Only the token's
// SHA-256 is stored, so the table signs no one in; a restart signs no one out.
import { createHash, randomBytes } from "node:crypto";
import type { ConsoleSessionRepo } from "../../store/store.js";

export interface Session {
  id: string;
  appId: number;
  csrf: string;
  /** Milliseconds since the epoch (real time: a session is about a person, not the cloud's calendar). */
  expires: number;
}

/** Sessions an account keeps at most; beyond, the oldest go, so that signing in in a loop cannot fill the table. */
const MAX_PER_ACCOUNT = 100;
/** What a token looks like: 32 random bytes in base64url. Anything else names no session and is not looked up. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export class Sessions {
  constructor(
    private readonly store: ConsoleSessionRepo,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async create(appId: number): Promise<Session> {
    const now = this.now();
    const session = { id: token(), appId, csrf: token(), expires: now + this.ttlMs };
    await this.store.add({ tokenHash: digest(session.id), appId, csrf: session.csrf, expires: session.expires }, now, MAX_PER_ACCOUNT);
    return session;
  }

  /** The live session with this id, made on any node; none once it expired or was signed out. */
  async get(id: string | undefined): Promise<Session | undefined> {
    if (id === undefined || !TOKEN.test(id)) return undefined;
    const found = await this.store.get(digest(id), this.now());
    return found && { id, appId: found.appId, csrf: found.csrf, expires: found.expires };
  }

  async remove(id: string): Promise<void> {
    await this.store.remove(digest(id));
  }
}

function token(): string {
  return randomBytes(32).toString("base64url");
}

function digest(id: string): string {
  return createHash("sha256").update(id).digest("hex");
}
