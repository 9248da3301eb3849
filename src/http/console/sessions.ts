// Console sessions, in this server's memory: a random id (the cookie) naming an account, with the CSRF token the
// page must send back on every state-changing call and an expiry. A restart signs everyone out.
import { randomBytes } from "node:crypto";

export interface Session {
  id: string;
  appId: number;
  csrf: string;
  /** Milliseconds since the epoch (real time: a session is about a person, not the cloud's calendar). */
  expires: number;
}

/** Sign-ins kept at most; beyond, the oldest go first, so that signing in in a loop cannot fill memory. */
const MAX_SESSIONS = 10_000;

export class Sessions {
  private readonly byId = new Map<string, Session>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  create(appId: number): Session {
    if (this.byId.size >= MAX_SESSIONS) this.byId.delete(this.byId.keys().next().value!);
    const session = { id: token(), appId, csrf: token(), expires: this.now() + this.ttlMs };
    this.byId.set(session.id, session);
    return session;
  }

  /** The live session with this id; an expired one is forgotten. */
  get(id: string | undefined): Session | undefined {
    const s = id === undefined ? undefined : this.byId.get(id);
    if (s && s.expires <= this.now()) {
      this.byId.delete(s.id);
      return undefined;
    }
    return s;
  }

  remove(id: string): void {
    this.byId.delete(id);
  }
}

function token(): string {
  return randomBytes(32).toString("base64url");
}
