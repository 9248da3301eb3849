// The web console on two server nodes sharing one PostgreSQL database: a session made on one is valid on the other
// (and a sign-out on one ends it on both), and failed sign-ins count towards one limit whichever node they reach.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { SIGN_IN_LIMITS } from "../../src/http/console/sign-in-limit.js";
import { consoleFiles } from "../helpers/console-files.js";
import { createDatabase, type TestDatabase } from "../helpers/databases.js";
import { SECRET_ID, SECRET_KEY, startServer, type TestServer } from "../helpers/server.js";

const nodes: TestServer[] = [];
let database: TestDatabase | undefined;
beforeAll(async () => {
  database = await createDatabase();
  // One data directory for both: they share its store key, as nodes must.
  const data = mkdtempSync(join(tmpdir(), "opencvm-console-nodes-"));
  const files = consoleFiles();
  for (const id of ["n1", "n2"]) nodes.push(await startServer({ OPENCVM_DATA: data, OPENCVM_DATABASE_URL: database.url, OPENCVM_NODE_ID: id, OPENCVM_CONSOLE_DIR: files }));
});
afterAll(async () => {
  for (const n of nodes) await n.close();
  await database?.drop();
});

async function signIn(node: TestServer, body: object): Promise<Response> {
  return fetch(`${node.url}/console/api/sign-in`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

function describeThrough(node: TestServer, cookie: string, csrf: string): Promise<Response> {
  return fetch(`${node.url}/console/api/call`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Cookie: cookie, "X-CSRF-Token": csrf },
    body: JSON.stringify({ Version: "2017-03-12", Action: "DescribeInstances", Region: "ap-guangzhou", Params: {} }),
  });
}

it("honours on one node a session made on the other, and ends it on both at sign-out", async () => {
  const [one, two] = nodes;
  const res = await signIn(one, { SecretId: SECRET_ID, SecretKey: SECRET_KEY });
  expect(res.status).toBe(200);
  const cookie = res.headers.get("set-cookie")!.split(";")[0];
  const { Csrf } = (await res.json()) as { Csrf: string };
  const called = await describeThrough(two, cookie, Csrf);
  expect(called.status).toBe(200);
  expect(((await called.json()) as { Response: { TotalCount: number } }).Response.TotalCount).toBe(0);
  // The CSRF token is the session's on every node.
  expect((await describeThrough(two, cookie, "not-the-token")).status).toBe(403);

  const out = await fetch(`${two.url}/console/api/sign-out`, { method: "POST", headers: { "Content-Type": "application/json", Cookie: cookie, "X-CSRF-Token": Csrf }, body: "{}" });
  expect(out.status).toBe(200);
  for (const node of nodes) expect((await describeThrough(node, cookie, Csrf)).status).toBe(401);
});

it("counts an account's failed sign-ins on both nodes towards one limit", async () => {
  const [one, two] = nodes;
  // Half the attempts reach each node: either alone would still be under the limit.
  for (let i = 0; i < SIGN_IN_LIMITS.perAccount; i++) expect((await signIn(i % 2 ? two : one, { SecretId: SECRET_ID, SecretKey: "wrong" })).status).toBe(401);
  for (const node of nodes) {
    const refused = await signIn(node, { SecretId: SECRET_ID, SecretKey: SECRET_KEY });
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { Error: { Code: string } }).Error.Code).toBe("RequestLimitExceeded");
  }
});
