import { describe, expect, it } from "vitest";
import { ConsoleTickets, TICKET_LIFETIME_MS } from "./console-tickets.js";

describe("console tickets", () => {
  it("serves a ticket once, to the first who shows it within its lifetime", () => {
    const t = new ConsoleTickets();
    const token = t.issue(1300000001, "ins-aaaaaaaa", 1000);
    expect(token).toMatch(/^[\w-]{32}$/);
    expect(t.take(token, 1000 + TICKET_LIFETIME_MS)).toEqual({ appId: 1300000001, instanceId: "ins-aaaaaaaa", expires: 1000 + TICKET_LIFETIME_MS });
    expect(t.take(token, 1001)).toBeUndefined();
    expect(t.take("unknown", 1001)).toBeUndefined();
  });

  it("refuses an expired ticket, and forgets expired ones as new ones are issued", () => {
    const t = new ConsoleTickets();
    const late = t.issue(1, "ins-aaaaaaaa", 0);
    t.issue(1, "ins-aaaaaaaa", 0);
    expect(t.take(late, TICKET_LIFETIME_MS + 1)).toBeUndefined();
    expect(t.size).toBe(1);
    t.issue(1, "ins-bbbbbbbb", TICKET_LIFETIME_MS + 1);
    expect(t.size).toBe(1);
  });
});
