// Kill -9 in the middle of asynchronous work of every kind, start again on the same data, and every instance and
// image reaches what its last operation promised: none lost, none duplicated, none stuck. `npm test` runs a few
// cycles (test/crash/kill9.test.ts), `npm run test:long` many (test/long/crash-loop.test.ts).
import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { freePort, kill9, spawnServer } from "../helpers/process.js";
import { ZONE } from "../helpers/instances.js";
import { admin, commonClient, cvmClient, type TestServer } from "../helpers/server.js";
import { BUCKET, shown, Workload, type ChcShown } from "./workload.js";

type Cvm = ReturnType<typeof cvmClient>;

export interface CrashLoopResult {
  /** Operations in progress when the server was killed, over every cycle. */
  operationsCut: number;
  /** Operations sent, by kind. */
  sent: Map<string, number>;
}

export async function crashLoop(cycles: number): Promise<CrashLoopResult> {
  const data = mkdtempSync(join(tmpdir(), "opencvm-crash-"));
  // The default buckets directory, in the data directory.
  const bucket = join(data, "buckets", BUCKET);
  mkdirSync(bucket, { recursive: true });
  // The same port every cycle, so that the workload's clients reach each new server.
  const port = await freePort();
  let work: Workload | undefined;
  let operationsCut = 0;
  // The workload imports its disk images from here, the import directory of every server.
  const images = mkdtempSync(join(tmpdir(), "opencvm-crash-images-"));
  const env = { OPENCVM_TIMING: "fast", OPENCVM_IMPORT_DIR: images };

  for (let cycle = 0; cycle < cycles; cycle++) {
    const server = await spawnServer(data, port, env);
    const cvm = cvmClient(server.target);
    if (!work) {
      work = new Workload(cvm, commonClient(server.target, "2017-03-12"), images);
      // A CHC host exists once an operator registers it: through the admin path `opencvm chc add` calls.
      await work.prepare(async () => {
        const res = await admin(server.target, "/_opencvm/chc", { Zone: ZONE, SerialNumber: "SN-CRASH", DeviceType: "CHCS5", CPU: 64, Memory: 256, Disk: "480GB*2" });
        expect(res.status).toBe(200);
        return ((await res.json()) as { ChcId: string }).ChcId;
      });
    }
    const before = await settled(server.target, work, bucket);
    // Die while the work is in flight (fast timing: 0.5-3 s per transition, up to three for forced operations).
    await work.round(before);
    await new Promise((r) => setTimeout(r, 300 + (cycle % 4) * 200));
    const inFlight = (await all(cvm)).filter((i) => i.LatestOperationState === "OPERATING").length;
    expect(inFlight).toBeGreaterThan(0);
    await kill9(server);
    operationsCut += inFlight;
  }

  const last = await spawnServer(data, port, env);
  try {
    const after = await settled(last.target, work!, bucket);
    expect(new Set(after.map((i) => i.PrivateIpAddresses![0])).size).toBe(after.length);
  } finally {
    await kill9(last);
  }
  return { operationsCut, sent: work!.sent };
}

/**
 * Waits for the work left from before the kill, checks every instance and image against what was promised (and
 * every exported file is there), and returns the instances, which from now on promise exactly what they show.
 */
async function settled(target: TestServer, work: Workload, bucket: string) {
  const cvm = cvmClient(target);
  const until = Date.now() + 30000;
  for (;;) {
    const instances = await all(cvm);
    const images = await imageStates(target, work);
    const exported = work.exported.every((p) => existsSync(join(bucket, p)));
    const disk = await diskNow(target, work);
    const chc = await chcNow(cvm, work);
    if (!instances.some((i) => i.LatestOperationState === "OPERATING") && !images.some((s) => IMAGE_WORK.includes(s!)) && exported && !disk.moving && chc?.state !== "OPERATING") {
      // The disk is where its last step left it: its size, and attached to that instance or to none.
      if (work.disk) expect(disk.shown).toEqual({ size: work.disk.size, attachedTo: work.disk.attachedTo ?? "" });
      // So is the CHC host: the state and networks its last change promised.
      if (work.chc) expect(chc).toEqual({ state: work.chc.state, bmc: work.chc.bmc, deploy: work.chc.deploy });
      expect(instances.every((i) => i.LatestOperationState === "SUCCESS")).toBe(true);
      const expected = [...work.promised].map(([id, promise]) => [id, expect.objectContaining(promise)] as const);
      expect(new Map(instances.map((i) => [i.InstanceId!, shown(i)]))).toEqual(new Map(expected));
      expect(images).toEqual(images.map(() => "NORMAL"));
      for (const i of instances) work.promised.set(i.InstanceId!, shown(i));
      return instances;
    }
    if (Date.now() > until) throw new Error("operations did not settle after restart");
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The workload's CHC host as DescribeChcHosts shows it. */
async function chcNow(cvm: Cvm, work: Workload): Promise<ChcShown | undefined> {
  if (!work.chc) return undefined;
  const [h] = (await cvm.DescribeChcHosts({ ChcIds: [work.chc.id] })).ChcHostSet!;
  return { state: h.InstanceState!, bmc: h.BmcIp !== "", deploy: h.DeployIp !== "" };
}

const IMAGE_WORK = ["CREATING", "SYNCING", "IMPORTING"];
const DISK_WORK = ["ATTACHING", "DETACHING", "EXPANDING"];

/** The workload's disk as DescribeDisks shows it, and whether it or a snapshot is still being worked on. */
async function diskNow(target: TestServer, work: Workload): Promise<{ moving: boolean; shown?: { size: number; attachedTo: string } }> {
  if (!work.disk) return { moving: false };
  const cbs = commonClient(target, "2017-03-12");
  const [d] = (await cbs.request("DescribeDisks", { DiskIds: [work.disk.id] })).DiskSet;
  const snapshots = (await cbs.request("DescribeSnapshots", { Limit: 100 })).SnapshotSet as { SnapshotState: string }[];
  const moving = DISK_WORK.includes(d.DiskState) || snapshots.some((x) => x.SnapshotState === "CREATING");
  return { moving, shown: { size: d.DiskSize, attachedTo: d.InstanceId ?? "" } };
}

/** The state of each image promised (undefined for one that is gone), in the order promised. */
async function imageStates(target: TestServer, work: Workload): Promise<(string | undefined)[]> {
  const states = new Map<string, string>();
  for (const region of new Set(work.images.values())) {
    const ids = [...work.images].filter(([, r]) => r === region).map(([id]) => id);
    for (let at = 0; at < ids.length; at += 100) {
      const out = await cvmClient(target, { region }).DescribeImages({ ImageIds: ids.slice(at, at + 100), Limit: 100 });
      for (const image of out.ImageSet!) states.set(image.ImageId!, image.ImageState!);
    }
  }
  return [...work.images.keys()].map((id) => states.get(id));
}

async function all(cvm: Cvm) {
  return (await cvm.DescribeInstances({ Limit: 100 })).InstanceSet!;
}
