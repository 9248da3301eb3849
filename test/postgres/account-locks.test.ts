// The writer locks on PostgreSQL, on two nodes of one database: a transaction scoped to one account lets another
// account's transactions through while it is open, and holds back its own account's, the cloud-wide transactions
// and, for a resource it holds, every other account's hold of the same resource.
import { afterAll, beforeAll, expect, it } from "vitest";
import { Clock } from "../../src/domain/clock.js";
import { generateKeyPair } from "../../src/keys.js";
import { openStore } from "../../src/store/sql.js";
import type { Store } from "../../src/store/store.js";
import { createDatabase, type TestDatabase } from "../helpers/databases.js";

const CASH = 1_000_000;
/** Long enough for a transaction that is not held back to finish on a loaded machine. */
const PATIENCE_MS = 10_000;

let database: TestDatabase;
let a: Store;
let b: Store;
let first: number;
let second: number;

beforeAll(async () => {
  database = await createDatabase();
  const clock = new Clock();
  a = await openStore(database.url, clock);
  b = await openStore(database.url, clock);
  // Two nodes creating accounts at once draw different AppIds.
  [first, second] = (await Promise.all([a.accounts.create(generateKeyPair()), b.accounts.create(generateKeyPair())])).map((x) => x.appId);
  expect(first).not.toBe(second);
  for (const appId of [first, second]) await a.billing.balance(appId, CASH);
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await database?.drop();
});

/** Runs a transaction on `a` scoped to `account` that holds `resources`, then stays open until released. */
function heldOpen(account: number, resources: ("public-addresses" | "host-capacity")[] = []): { ready: Promise<void>; release: () => void; done: Promise<void> } {
  let release!: () => void;
  let ready!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const started = new Promise<void>((r) => (ready = r));
  const done = a.transaction(async (tx) => {
    for (const r of resources) await tx.hold(r);
    ready();
    await gate;
  }, account);
  return { ready: started, release, done };
}

/** Whether `p` settles within the patience; a finished promise settles at once. */
async function finishes(p: Promise<unknown>, ms = PATIENCE_MS): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
  const result = await Promise.race([p.then(() => true), late]);
  clearTimeout(timer);
  return result;
}

it("runs two accounts' transactions side by side and one account's one after the other", async () => {
  const held = heldOpen(first);
  await held.ready;
  const flags = { same: false, cloud: false };
  // The same account on the other node waits for the held transaction.
  const same = b.transaction((tx) => tx.billing.debit(first, 10, new Date().toISOString()), first).then(() => (flags.same = true));
  // Another account's goes through meanwhile (on one writer lock it would wait for the release, which never comes).
  expect(await finishes(b.transaction((tx) => tx.billing.debit(second, 1000, new Date().toISOString()), second))).toBe(true);
  // A transaction of the whole cloud waits for every account's.
  const cloud = b.transaction((tx) => tx.billing.debit(second, 100, new Date().toISOString())).then(() => (flags.cloud = true));
  // A statement more on the same connection pool: the waiting ones have had their chance to get through.
  await b.billing.balance(second, CASH);
  expect(flags).toEqual({ same: false, cloud: false });
  held.release();
  await Promise.all([held.done, same, cloud]);
  expect(flags).toEqual({ same: true, cloud: true });
  expect((await a.billing.balance(first, CASH)).cash).toBe(CASH - 10);
  expect((await a.billing.balance(second, CASH)).cash).toBe(CASH - 1000 - 100);
});

it("lets one account at a time take part of a cloud-wide resource", async () => {
  const held = heldOpen(first, ["public-addresses"]);
  await held.ready;
  // Another resource is not held back by it.
  expect(await finishes(b.transaction((tx) => tx.hold("host-capacity"), second))).toBe(true);
  let taken = false;
  const other = b.transaction(async (tx) => {
    await tx.hold("public-addresses");
    taken = true;
  }, second);
  await b.billing.balance(second, CASH);
  expect(taken).toBe(false);
  held.release();
  await Promise.all([held.done, other]);
  expect(taken).toBe(true);
});

it("takes several accounts' locks in one order, so that two transactions over the same two cannot wait on each other", async () => {
  const debits = Array.from({ length: 20 }, (_, i) => {
    const accounts = i % 2 ? [first, second] : [second, first];
    return (i % 2 ? a : b).transaction(async (tx) => {
      for (const appId of accounts) await tx.billing.debit(appId, 1, new Date().toISOString());
    }, accounts);
  });
  expect(await finishes(Promise.all(debits))).toBe(true);
  expect((await a.billing.balance(first, CASH)).cash).toBe(CASH - 10 - 20);
  expect((await a.billing.balance(second, CASH)).cash).toBe(CASH - 1100 - 20);
});
