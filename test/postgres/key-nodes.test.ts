// Two server nodes on one PostgreSQL database: a key rotated through one node's admin path stops working on the other
// within a bounded time (its keys mark changes in the store), though the other had just answered with it and kept it
// in its cache of keys for longer.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { KEYS_BEAT_MS } from "../../src/http/credentials.js";
import { generateKeyPair } from "../../src/keys.js";
import { createDatabase, type TestDatabase } from "../helpers/databases.js";
import { admin, cvmClient, sdkError, startServer, type TestServer } from "../helpers/server.js";

const nodes: TestServer[] = [];
let database: TestDatabase | undefined;
beforeAll(async () => {
  database = await createDatabase();
  // One data directory for both: they share its store key, as nodes must.
  const data = mkdtempSync(join(tmpdir(), "opencvm-key-nodes-"));
  for (const id of ["n1", "n2"]) nodes.push(await startServer({ OPENCVM_DATA: data, OPENCVM_DATABASE_URL: database.url, OPENCVM_NODE_ID: id }));
});
afterAll(async () => {
  for (const n of nodes) await n.close();
  await database?.drop();
});

/** Generous against a loaded machine, and still short of the few seconds a cached key used to live. */
const BOUND_MS = 6 * KEYS_BEAT_MS;

it("the other node refuses a rotated key within a bounded time, and takes the new one", async () => {
  const [one, two] = nodes;
  const old = generateKeyPair();
  const { appId } = await one.store.accounts.create(old);
  const zones = (node: TestServer, key: { secretId: string; secretKey: string }) => cvmClient(node, key).DescribeZones();
  // The other node holds the old key in its cache.
  expect((await zones(two, old)).TotalCount).toBeGreaterThan(0);
  const rotated = (await (await admin(one, `/_opencvm/accounts/${appId}/keys`, {})).json()) as { SecretId: string; SecretKey: string };
  const since = Date.now();
  expect((await sdkError(zones(one, old))).code).toBe("AuthFailure.SecretIdNotFound");
  let refused = false;
  while (!refused && Date.now() - since < BOUND_MS) {
    refused = await zones(two, old).then(() => false, (e: { code?: string }) => e.code === "AuthFailure.SecretIdNotFound");
    if (!refused) await new Promise((r) => setTimeout(r, 50));
  }
  expect(refused).toBe(true);
  expect((await zones(two, { secretId: rotated.SecretId, secretKey: rotated.SecretKey })).TotalCount).toBeGreaterThan(0);
});
