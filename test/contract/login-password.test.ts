// The login password of RunInstances, ResetInstance and ResetInstancesPassword reaches the machine (the backend
// receives its SHA-512 crypt hash, what /etc/shadow takes) and is kept nowhere as plaintext: the database files are
// read for it.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe as group, expect, it } from "vitest";
import { SimulatedBackend } from "../../src/compute/simulated.js";
import { sha512Crypt } from "../../src/domain/sha512-crypt.js";
import { launch, waitFor } from "../helpers/instances.js";
import { cvmClient, startServer, type TestServer } from "../helpers/server.js";

const data = mkdtempSync(join(tmpdir(), "opencvm-password-"));
const backend = new SimulatedBackend("instant");
let server: TestServer;
beforeAll(async () => {
  server = await startServer({ OPENCVM_DATA: data }, undefined, backend);
});
afterAll(async () => {
  await server.close();
  rmSync(data, { recursive: true, force: true });
});

/** The hash the machine received, checked to be the `$6$` hash of `password`. */
function expectHashOf(id: string, password: string): void {
  const hash = backend.passwordHash(id);
  expect(hash).toMatch(/^\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$/);
  const salt = hash!.split("$")[2];
  expect(sha512Crypt(password, salt)).toBe(hash);
}

/** Every byte the server wrote to its data directory (the SQLite file and its journal). */
function dataFiles(): Buffer {
  return Buffer.concat(readdirSync(data, { recursive: true, withFileTypes: true }).filter((f) => f.isFile()).map((f) => readFileSync(join(f.parentPath, f.name))));
}

group("login passwords", () => {
  it("RunInstances gives the machine its LoginSettings.Password as a hash, and ResetInstance the new one", async () => {
    const cvm = cvmClient(server);
    const [id] = (await launch(cvm, { LoginSettings: { Password: "Launch-Pa55word" } })).InstanceIdSet!;
    await waitFor(cvm, [id], "RUNNING");
    expectHashOf(id, "Launch-Pa55word");

    await cvm.ResetInstance({ InstanceId: id, LoginSettings: { Password: "Reinstall-Pa55word" } });
    await waitFor(cvm, [id], "RUNNING");
    expectHashOf(id, "Reinstall-Pa55word");

    await cvm.ResetInstancesPassword({ InstanceIds: [id], Password: "Reset-Pa55word", ForceStop: true });
    await waitFor(cvm, [id], "RUNNING");
    expectHashOf(id, "Reset-Pa55word");

    const files = dataFiles();
    expect(files.length).toBeGreaterThan(0);
    for (const password of ["Launch-Pa55word", "Reinstall-Pa55word", "Reset-Pa55word"]) {
      expect(files.includes(Buffer.from(password))).toBe(false);
    }
    // What the operations carried is the hash itself.
    expect(files.includes(Buffer.from(backend.passwordHash(id)!))).toBe(true);
  });

  it("launches with no password when none is given (key pairs or the image's own)", async () => {
    const cvm = cvmClient(server);
    const [id] = (await launch(cvm)).InstanceIdSet!;
    await waitFor(cvm, [id], "RUNNING");
    expect(backend.passwordHash(id)).toBeUndefined();
  });
});
