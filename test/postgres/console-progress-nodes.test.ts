// The console's event stream on two server nodes sharing one PostgreSQL database: a page connected to one node sees
// the states and the steps of operations the other node's engine runs (each node passes its own on through the
// store's announcements), to the owner's streams only.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { generateKeyPair } from "../../src/keys.js";
import { consoleFiles } from "../helpers/console-files.js";
import { createDatabase, type TestDatabase } from "../helpers/databases.js";
import { cvmClient, SECRET_ID, SECRET_KEY, startServer, type TestServer } from "../helpers/server.js";

interface Message {
  event: string;
  data: { InstanceId?: string; InstanceState?: string; ResourceId?: string; Steps?: string[]; Result?: string };
}

const nodes: TestServer[] = [];
let database: TestDatabase | undefined;
beforeAll(async () => {
  database = await createDatabase();
  const data = mkdtempSync(join(tmpdir(), "opencvm-console-progress-"));
  const files = consoleFiles();
  for (const id of ["n1", "n2"]) nodes.push(await startServer({ OPENCVM_DATA: data, OPENCVM_DATABASE_URL: database.url, OPENCVM_NODE_ID: id, OPENCVM_CONSOLE_DIR: files, OPENCVM_TIMING: "fast" }));
});
afterAll(async () => {
  for (const n of nodes) await n.close();
  await database?.drop();
});

async function cookieOn(node: TestServer, keys: { SecretId: string; SecretKey: string }): Promise<string> {
  const res = await fetch(`${node.url}/console/api/sign-in`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(keys) });
  expect(res.status).toBe(200);
  return res.headers.get("set-cookie")!.split(";")[0];
}

/** A session's event stream on `node`, collecting every message until `close`. */
async function stream(node: TestServer, cookie: string) {
  const controller = new AbortController();
  const res = await fetch(`${node.url}/console/api/events`, { headers: { Cookie: cookie }, signal: controller.signal });
  expect(res.status).toBe(200);
  const messages: Message[] = [];
  const reading = (async () => {
    let buffer = "";
    const decoder = new TextDecoder();
    for await (const chunk of res.body!) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const m = /^event: (\w+)\ndata: (.*)$/m.exec(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (m) messages.push({ event: m[1], data: JSON.parse(m[2]) as Message["data"] });
      }
    }
  })().catch(() => undefined);
  return {
    messages,
    close: async () => {
      controller.abort();
      await reading;
    },
  };
}

it("shows a page on one node the states and steps of a launch the other node runs", async () => {
  const [one, two] = nodes;
  // Only the second node's engine takes work: every step is made there.
  await one.engine.pause();
  const owner = await stream(one, await cookieOn(one, { SecretId: SECRET_ID, SecretKey: SECRET_KEY }));
  const otherKeys = generateKeyPair();
  await one.store.accounts.create(otherKeys);
  const other = await stream(one, await cookieOn(one, { SecretId: otherKeys.secretId, SecretKey: otherKeys.secretKey }));
  try {
    const { InstanceIdSet } = await cvmClient(one).RunInstances({ Placement: { Zone: "ap-guangzhou-3" }, ImageId: "img-487zeit5", InstanceType: "S5.MEDIUM4", InstanceCount: 2, LoginSettings: { Password: "Console-Passw0rd" } } as never);
    const ids = InstanceIdSet!;
    const finished = (id: string) => owner.messages.find((m) => m.event === "progress" && m.data.ResourceId === id && m.data.Result);
    await expect.poll(() => ids.every(finished), { timeout: 60_000, interval: 200 }).toBe(true);
    for (const id of ids) {
      expect(finished(id)!.data).toMatchObject({ Steps: ["creating-disks", "booting"], Result: "SUCCESS" });
      // The steps came one at a time, as they began, before the result.
      const trail = owner.messages.filter((m) => m.event === "progress" && m.data.ResourceId === id).map((m) => m.data.Steps!.join(","));
      expect(trail[0]).toBe("creating-disks");
      await expect.poll(() => owner.messages.some((m) => m.event === "instance" && m.data.InstanceId === id && m.data.InstanceState === "RUNNING"), { timeout: 10_000 }).toBe(true);
    }
    // The machines are the second node's: the first ran none of it.
    expect([...(await two.backend.list()).keys()]).toEqual(expect.arrayContaining(ids));
    expect([...(await one.backend.list()).keys()].filter((id) => ids.includes(id))).toEqual([]);
    // Another account's page on the same node heard nothing of them.
    expect(other.messages.filter((m) => ids.includes(m.data.InstanceId ?? m.data.ResourceId ?? ""))).toEqual([]);
  } finally {
    await owner.close();
    await other.close();
  }
}, 120_000);
