// The data directory's disk fills up while work is in flight: writes are refused with ServiceUnavailable in an
// ordinary envelope (never InternalError, never an HTTP error), reads keep working, the server does not fall over;
// once space is freed everything works again, the work accepted before finishes, and nothing accepted is lost.
import { afterAll, beforeAll, describe as group, expect, it } from "vitest";
import { SimulatedBackend } from "../../src/compute/simulated.js";
import type { MachineSpec } from "../../src/compute/backend.js";
import { describe, launch, UBUNTU, waitFor, ZONE } from "../helpers/instances.js";
import { commonClient, cvmClient, rawTc3, SECRET_ID, SECRET_KEY, startServer, type TestServer } from "../helpers/server.js";
import { smallDisk, type SmallDisk } from "../helpers/small-disk.js";
import { differences, invariantProblems, snapshot } from "./invariants.js";

/** Instant machines whose launches and stops wait for `release()`: work accepted before the disk fills, done while it is full. */
class HeldBackend extends SimulatedBackend {
  private gate: Promise<void> = Promise.resolve();
  private open = () => {};

  constructor() {
    super("instant");
  }

  hold(): void {
    this.gate = new Promise((r) => (this.open = r));
  }

  release(): void {
    this.open();
  }

  override async create(spec: MachineSpec): Promise<void> {
    await this.gate;
    return super.create(spec);
  }

  override async stop(instanceId: string, hard: boolean): Promise<void> {
    await this.gate;
    return super.stop(instanceId, hard);
  }
}

let disk: SmallDisk;
let server: TestServer | undefined;
const backend = new HeldBackend();
beforeAll(() => {
  disk = smallDisk();
  if (!disk.real) console.warn(`full-disk test: no filesystem could be mounted (${disk.reason}); using PRAGMA max_page_count instead`);
});
afterAll(async () => {
  backend.release();
  await server?.close();
  disk.dispose();
});

const answer = (call: Promise<unknown>) => call.then(() => "OK", (e: { code?: string }) => e.code ?? String(e));

async function until(what: string, done: () => boolean | Promise<boolean>): Promise<void> {
  const limit = Date.now() + 10_000;
  while (!(await done())) {
    if (Date.now() > limit) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

group("a full disk under the data directory", () => {
  it("refuses writes cleanly, keeps reading, and loses nothing once space is back", { timeout: 60_000 }, async () => {
    const env = { OPENCVM_DATA: disk.dir, OPENCVM_TIMING: "instant" };
    server = await startServer(env, undefined, backend);
    const cvm = cvmClient(server, { language: "en-US" });
    const vpc = commonClient(server, "2017-03-12", { language: "en-US" });

    // Work finished before the disk fills, and work accepted but not yet done.
    const [kept, renamed] = (await launch(cvm, { InstanceCount: 2 })).InstanceIdSet!;
    await waitFor(cvm, [kept, renamed], "RUNNING");
    const { KeyPair } = await cvm.CreateKeyPair({ KeyName: "before", ProjectId: 0 });
    backend.hold();
    const launching = (await launch(cvm, { InstanceCount: 3 })).InstanceIdSet!;
    await cvm.StopInstances({ InstanceIds: [kept] });

    await disk.fill(server.store);
    // What still fits is accepted and must survive; then writes are refused, with the documented code only.
    let refused = false;
    for (let i = 0; i < 8 && !refused; i++) {
      const code = await answer(launch(cvm, { InstanceCount: 10 }).then((out) => launching.push(...out.InstanceIdSet!)));
      expect(["OK", "ServiceUnavailable"]).toContain(code);
      refused = code === "ServiceUnavailable";
    }
    expect(refused).toBe(true);

    // Every kind of write is refused and changes nothing (on the page-limited stand-in only writes that need new
    // pages are sure to be refused, so it tries launches only).
    const before = await snapshot(server.store);
    const writes: (() => Promise<unknown>)[] = [() => launch(cvm, { InstanceCount: 20 })];
    if (disk.real) {
      writes.push(
        () => cvm.ModifyInstancesAttribute({ InstanceIds: [renamed], InstanceName: "while-full" }),
        () => cvm.TerminateInstances({ InstanceIds: [renamed] }),
        () => cvm.CreateKeyPair({ KeyName: "whilefull", ProjectId: 0 }),
        () => vpc.request("CreateVpc", { VpcName: "while-full", CidrBlock: "10.8.0.0/16" }),
        () => vpc.request("CreateSecurityGroup", { GroupName: "while-full", GroupDescription: "" }),
        () => vpc.request("AllocateAddresses", {}),
      );
    }
    for (const write of writes) expect(await answer(write())).toBe("ServiceUnavailable");
    const body = { Placement: { Zone: ZONE }, ImageId: UBUNTU, InstanceType: "S5.MEDIUM4", InstanceCount: 20 };
    const raw = await rawTc3(server, { action: "RunInstances", body: JSON.stringify(body) });
    expect(raw.status).toBe(200);
    expect(raw.json.Response).toMatchObject({ Error: { Code: "ServiceUnavailable" }, RequestId: expect.any(String) });
    expect(differences(before, await snapshot(server.store))).toEqual([]);

    // Reads keep working and show what was accepted.
    const listed = await describe(cvm, [kept, renamed, ...launching]);
    expect(listed).toHaveLength(launching.length + 2);
    expect((await cvm.DescribeKeyPairs({ KeyIds: [KeyPair!.KeyId!] })).TotalCount).toBe(1);

    // The held work finishes on the full disk: its completion cannot be written and waits for space (on the
    // stand-in, a completion that updates rows in place may fit).
    backend.release();
    if (disk.real) {
      await until("a completion refused by the full disk", () => server!.logs.some((l) => l.includes("operations not completed, retrying")));
      expect((await describe(cvm, launching)).every((i) => i.InstanceState === "PENDING")).toBe(true);
    }

    await disk.free(server.store);
    await waitFor(cvm, launching, "RUNNING");
    await waitFor(cvm, [kept], "STOPPED");
    await cvm.ModifyInstancesAttribute({ InstanceIds: [renamed], InstanceName: "after" });
    await vpc.request("CreateVpc", { VpcName: "after", CidrBlock: "10.8.0.0/16" });
    expect(server.logs.filter((l) => l.includes("internal error"))).toEqual([]);

    // Nothing accepted is lost across a restart on the same data.
    await server.close();
    server = await startServer(env);
    const after = await describe(cvmClient(server), [kept, renamed, ...launching]);
    expect(Object.fromEntries(after.map((i) => [i.InstanceId, i.InstanceState]))).toEqual(
      Object.fromEntries([[kept, "STOPPED"], [renamed, "RUNNING"], ...launching.map((id) => [id, "RUNNING"])]),
    );
    expect(after.find((i) => i.InstanceId === renamed)!.InstanceName).toBe("after");
    expect((await cvmClient(server).DescribeKeyPairs({ KeyIds: [KeyPair!.KeyId!] })).TotalCount).toBe(1);
    expect(await invariantProblems(server, [{ secretId: SECRET_ID, secretKey: SECRET_KEY, appId: server.defaultAccount.account.appId }])).toEqual([]);
  });
});
