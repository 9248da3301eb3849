// The tickets DescribeInstanceVncUrl hands out: the real API's console address is good for one connection, within
// 15 seconds of the call, so a ticket is a random token that names an account and one of its instances, taken (and
// gone) by the first connection that shows it, and worth nothing once its time is past. Kept in memory: a ticket
// outlives neither its 15 seconds nor the server that issued it, which also holds the machine's screen.
import { randomBytes } from "node:crypto";

/** How long an address stays usable, as DescribeInstanceVncUrl documents. */
export const TICKET_LIFETIME_MS = 15_000;

export interface ConsoleTicket {
  appId: number;
  instanceId: string;
  /** Epoch milliseconds after which the ticket is refused. */
  expires: number;
}

export class ConsoleTickets {
  private readonly open = new Map<string, ConsoleTicket>();

  /** A new ticket for the account's instance, usable until `nowMs` + the lifetime. */
  issue(appId: number, instanceId: string, nowMs: number): string {
    this.sweep(nowMs);
    const token = randomBytes(24).toString("base64url");
    this.open.set(token, { appId, instanceId, expires: nowMs + TICKET_LIFETIME_MS });
    return token;
  }

  /** The ticket, removed so that it never serves twice; undefined when unknown, already taken, or expired. */
  take(token: string, nowMs: number): ConsoleTicket | undefined {
    const ticket = this.open.get(token);
    this.open.delete(token);
    return ticket && nowMs <= ticket.expires ? ticket : undefined;
  }

  /** How many tickets wait to be used (expired ones are dropped as new ones are issued). */
  get size(): number {
    return this.open.size;
  }

  private sweep(nowMs: number): void {
    for (const [token, t] of this.open) if (t.expires < nowMs) this.open.delete(token);
  }
}
