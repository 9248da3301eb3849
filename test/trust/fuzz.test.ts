// Bad input, everywhere (issue 7, point 1): for every implemented action, requests generated from the action's input
// object in the spec, valid-shaped and not, sent through a real server by the official CommonClient in the three
// encodings (TC3 JSON POST, v1 form POST, v1 GET), plus raw requests no SDK sends. Every answer must be a
// well-formed envelope whose error code the action documents (or a common code), never InternalError, in a few
// seconds; a refused mutating call must change nothing in the database; and after each batch the store's
// invariants hold (test/trust/invariants.ts).
//
// FUZZ_RUNS sets the requests per action and encoding (default 40); FUZZ_SEED=random explores new requests, and
// FUZZ_SEED=<n> replays a run (its seed is printed with every finding).
import { randomInt } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS } from "../../src/actions/index.js";
import { serviceSpec } from "../../src/api/spec.js";
import { COMMON_CODES } from "../../src/domain/errors.js";
import { generateKeyPair } from "../../src/keys.js";
import { admin, commonClient, cvmClient, rawTc3, SdkSign, SECRET_ID, SECRET_KEY, startServer, type ReqMethod, type SignMethod, type TestServer } from "../helpers/server.js";
import { launch, waitFor } from "../helpers/instances.js";
import { objectArb, type Pools } from "./arbitraries.js";
import { differences, invariantProblems, snapshot, type Caller } from "./invariants.js";
import { ed25519Line } from "../helpers/ssh-keys.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
/** FUZZ_STATS=1 prints, per action, how often each answer came back (how deep the generated requests reach). */
const STATS = process.env.FUZZ_STATS === "1";
const tally = new Map<string, Map<string, number>>();
/** A fixed seed by default, so that `npm test` sends the same requests every time; FUZZ_SEED=random explores. */
const SEED = process.env.FUZZ_SEED === "random" ? randomInt(2 ** 31) : Number(process.env.FUZZ_SEED ?? 7);
/** No answer may take longer than this. */
const SLOW_MS = 5000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const specOf = (action: string) => serviceSpec(ACTIONS.find((a) => a.name === action)!.service);

interface Encoding {
  name: string;
  signMethod: SignMethod;
  reqMethod: ReqMethod;
}
const ENCODINGS: Encoding[] = [
  { name: "TC3 JSON POST", signMethod: "TC3-HMAC-SHA256", reqMethod: "POST" },
  { name: "v1 form POST", signMethod: "HmacSHA256", reqMethod: "POST" },
  { name: "v1 GET", signMethod: "HmacSHA1", reqMethod: "GET" },
];

interface Case {
  params: Record<string, unknown>;
  who: "main" | "other" | "wrong-key";
  region: string;
  language: "zh-CN" | "en-US" | undefined;
}

type Answer =
  | { ok: true; response: Record<string, unknown>; ms: number }
  | { ok: false; code?: string; requestId?: string; message: string; httpCode?: number; ms: number };

let server: TestServer;
let main: Caller & { uin: string };
let other: Caller & { uin: string };
let pools: Pools;
let scratch: string;

beforeAll(async () => {
  server = await startServer({ OPENCVM_TIMING: "instant" });
  const mainAccount = (await server.store.accounts.findCredential(SECRET_ID))!.account;
  main = { secretId: SECRET_ID, secretKey: SECRET_KEY, appId: mainAccount.appId, uin: mainAccount.uin };
  const key = generateKeyPair();
  const otherAccount = await server.store.accounts.create(key);
  other = { ...key, appId: otherAccount.appId, uin: otherAccount.uin };
  scratch = mkdtempSync(join(tmpdir(), "opencvm-fuzz-"));
  // A raw disk ImportImage accepts: an MBR boot signature.
  const disk = Buffer.alloc(1024 * 1024);
  disk[510] = 0x55;
  disk[511] = 0xaa;
  writeFileSync(join(scratch, "disk.raw"), disk);
  await replenish();
  // The other account shares an image with the main one: shared images are among the ids the fuzzer mixes in.
  await cvmClient(server, other).ModifyImageSharePermission({ ImageId: pools.otherImages[0], AccountIds: [main.uin], Permission: "SHARE" });
}, 60_000);

afterAll(async () => {
  await server?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

let poolNames = 0;
const brokenInvariants = new Set<string>();

/** Launches where the account's pay-as-you-go quota has room (the fuzzer's own launches fill zones up). */
async function launchSomewhere(cvm: ReturnType<typeof cvmClient>, count: number): Promise<string[]> {
  let refusal: unknown;
  for (const zone of ["ap-guangzhou-3", "ap-guangzhou-4", "ap-guangzhou-6", "ap-guangzhou-7"]) {
    try {
      return (await launch(cvm, { InstanceCount: count, Placement: { Zone: zone } })).InstanceIdSet!;
    } catch (e) {
      refusal = e;
    }
  }
  throw refusal;
}

/** Tops up each account's real resources (the fuzzer terminates and deletes them) and refreshes the id pools. */
async function replenish(): Promise<void> {
  type Found = { instances: string[]; keyIds: string[]; images: string[]; vpcIds: string[]; subnetIds: string[]; addresses: string[]; securityGroups: string[]; actionTimers: string[]; hosts: string[]; hpcClusters: string[]; packs: string[]; disks: string[]; snapshots: string[]; launchTemplates: string[]; placementGroups: string[]; chcHosts: string[] };
  const none = (): Found => ({ instances: [], keyIds: [], images: [], vpcIds: [], subnetIds: [], addresses: [], securityGroups: [], actionTimers: [], hosts: [], hpcClusters: [], packs: [], disks: [], snapshots: [], launchTemplates: [], placementGroups: [], chcHosts: [] });
  const found: Record<"main" | "other", Found> = { main: none(), other: none() };
  await server.engine.idle();
  for (const [who, caller] of [["main", main], ["other", other]] as const) {
    const cvm = cvmClient(server, caller);
    const list = async () => (await cvm.DescribeInstances({ Limit: 100 })).InstanceSet ?? [];
    let instances = await list();
    const running = instances.filter((i) => i.InstanceState === "RUNNING");
    if (running.length < 2) {
      const ids = await launchSomewhere(cvm, 2 - running.length);
      await waitFor(cvm, ids, "RUNNING");
    }
    if (!instances.some((i) => i.InstanceState === "STOPPED")) {
      const ids = await launchSomewhere(cvm, 1);
      await waitFor(cvm, ids, "RUNNING");
      await cvm.StopInstances({ InstanceIds: ids });
      await waitFor(cvm, ids, "STOPPED");
    }
    instances = await list();
    // Some of each state the actions care about most, and the newest whatever their state.
    const some = (state: string) => instances.filter((i) => i.InstanceState === state).slice(0, 3);
    found[who].instances = [...new Set([...some("RUNNING"), ...some("STOPPED"), ...instances.slice(0, 3)].map((i) => i.InstanceId!))];

    // An action timer not yet run (a day ahead: the fuzzer's clock is real time).
    const timers = async () => (await cvm.DescribeInstancesActionTimer({})).ActionTimers ?? [];
    if ((await timers()).every((t) => t.Status === "DONE")) {
      const ActionTime = new Date(Date.now() + 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");
      const target = instances.find((i) => i.InstanceState === "RUNNING")!;
      await cvm.ImportInstancesActionTimer({ InstanceIds: [target.InstanceId!], ActionTimer: { TimerAction: "TerminateInstances", ActionTime } });
    }
    found[who].actionTimers = (await timers()).slice(0, 3).map((t) => t.ActionTimerId!);

    // Networks: the default VPC the instances are in, and one of the account's own making with a subnet.
    const vpc = commonClient(server, "2017-03-12", caller);
    const vpcs = async () => ((await vpc.request("DescribeVpcs", { Limit: "100" })) as { VpcSet: { VpcId: string; IsDefault: boolean }[] }).VpcSet;
    if (!(await vpcs()).some((v) => !v.IsDefault)) {
      const { Vpc } = (await vpc.request("CreateVpc", { VpcName: `pool-${poolNames++}`, CidrBlock: "10.0.0.0/16" })) as { Vpc: { VpcId: string } };
      await vpc.request("CreateSubnet", { VpcId: Vpc.VpcId, SubnetName: `pool-${poolNames++}`, CidrBlock: "10.0.1.0/24", Zone: "ap-guangzhou-3" });
    }
    found[who].vpcIds = (await vpcs()).slice(0, 4).map((v) => v.VpcId);
    const subnets = (await vpc.request("DescribeSubnets", { Limit: "100" })) as { SubnetSet: { SubnetId: string }[] };
    found[who].subnetIds = subnets.SubnetSet.slice(0, 4).map((s) => s.SubnetId);
    const addresses = async () => ((await vpc.request("DescribeAddresses", { Limit: 100 })) as { AddressSet: { AddressId: string }[] }).AddressSet;
    if (!(await addresses()).length) await vpc.request("AllocateAddresses", { AddressCount: 1 });
    found[who].addresses = (await addresses()).slice(0, 3).map((a) => a.AddressId);
    const groups = async () => ((await vpc.request("DescribeSecurityGroups", { Limit: "100" })) as { SecurityGroupSet: { SecurityGroupId: string }[] }).SecurityGroupSet;
    if ((await groups()).length < 2) await vpc.request("CreateSecurityGroup", { GroupName: `pool-${poolNames++}`, GroupDescription: "fuzz pool" });
    found[who].securityGroups = (await groups()).slice(0, 3).map((g) => g.SecurityGroupId);

    let keys = (await cvm.DescribeKeyPairs({ Limit: 100 })).KeyPairSet ?? [];
    for (let n = keys.length; n < 2; n++) await cvm.ImportKeyPair({ KeyName: `pool_${poolNames++}`, ProjectId: 0, PublicKey: ed25519Line("fuzz") });
    keys = (await cvm.DescribeKeyPairs({ Limit: 100 })).KeyPairSet ?? [];
    found[who].keyIds = keys.slice(0, 4).map((k) => k.KeyId!);

    const privateImages = async () =>
      ((await cvm.DescribeImages({ Filters: [{ Name: "image-type", Values: ["PRIVATE_IMAGE"] }], Limit: 100 })).ImageSet ?? []).filter((i) => i.ImageState === "NORMAL");
    if (!(await privateImages()).length) {
      const source = instances.find((i) => i.InstanceState === "RUNNING" || i.InstanceState === "STOPPED")!;
      await cvm.CreateImage({ InstanceId: source.InstanceId!, ImageName: `pool-${poolNames++}`, ForcePoweroff: "TRUE" });
      await server.engine.idle();
    }
    found[who].images = (await privateImages()).slice(0, 3).map((i) => i.ImageId!);

    // A dedicated host and an HPC cluster (the fuzzer deletes clusters).
    const hosts = async () => (await cvm.DescribeHosts({ Limit: 100 })).HostSet ?? [];
    if (!(await hosts()).length) await cvm.AllocateHosts({ Placement: { Zone: "ap-guangzhou-3" }, HostChargePrepaid: { Period: 1 } });
    found[who].hosts = (await hosts()).slice(0, 2).map((h) => h.HostId!);
    const clusters = async () => (await cvm.DescribeHpcClusters({ Limit: 100 })).HpcClusterSet ?? [];
    if (!(await clusters()).length) await cvm.CreateHpcCluster({ Zone: "ap-guangzhou-6", Name: `pool-${poolNames++}` });
    found[who].hpcClusters = (await clusters()).slice(0, 2).map((c) => c.HpcClusterId!);
    // A resource pool pack that takes only launches naming it (the fuzzer retires packs).
    const packs = async () => ((await cvm.DescribeResourcePoolPacks({ MaxResults: 100 })).DedicatedResourcePackSet ?? []).filter((x) => x.Status === "ACTIVE");
    if (!(await packs()).length) await cvm.PurchaseResourcePoolPacks({ Zone: "ap-guangzhou-3", InstanceType: "S5.4XLARGE64", InstanceCount: 1, Period: 1, AutoPlacement: false });
    found[who].packs = (await packs()).slice(0, 2).map((x) => x.DedicatedResourcePackId!);

    // Cloud disks: an unattached one of its own beside the instances' disks, and a snapshot.
    const cbs = commonClient(server, "2017-03-12", caller);
    type Listed = { DiskSet: { DiskId: string; DiskState: string }[] };
    const disks = async () => ((await cbs.request("DescribeDisks", { Limit: 100 })) as Listed).DiskSet;
    if (!(await disks()).some((d) => d.DiskState === "UNATTACHED")) {
      await cbs.request("CreateDisks", { Placement: { Zone: "ap-guangzhou-3" }, DiskChargeType: "POSTPAID_BY_HOUR", DiskType: "CLOUD_PREMIUM", DiskSize: 20 });
    }
    const listed = await disks();
    found[who].disks = [...listed.filter((d) => d.DiskState === "UNATTACHED").slice(0, 2), ...listed.slice(-3)].map((d) => d.DiskId);
    const snapshots = async () => ((await cbs.request("DescribeSnapshots", { Limit: 100 })) as { SnapshotSet: { SnapshotId: string }[] }).SnapshotSet;
    if (!(await snapshots()).length) {
      await cbs.request("CreateSnapshot", { DiskId: found[who].disks[0] });
      await server.engine.idle();
    }
    found[who].snapshots = (await snapshots()).slice(0, 3).map((x) => x.SnapshotId);

    // A launch template with two versions, so that version numbers other than the default mean something.
    const templates = async () => (await cvm.DescribeLaunchTemplates({ Limit: 100 })).LaunchTemplateSet ?? [];
    if (!(await templates()).length) {
      const { LaunchTemplateId } = await cvm.CreateLaunchTemplate({ LaunchTemplateName: `pool-${poolNames++}`, Placement: { Zone: "ap-guangzhou-3" }, ImageId: "img-487zeit5" });
      await cvm.CreateLaunchTemplateVersion({ LaunchTemplateId: LaunchTemplateId!, Placement: { Zone: "ap-guangzhou-4" }, InstanceType: "S5.LARGE8" });
    }
    found[who].launchTemplates = (await templates()).slice(0, 3).map((t) => t.LaunchTemplateId!);

    const placementGroups = async () => (await cvm.DescribeDisasterRecoverGroups({ Limit: 100 })).DisasterRecoverGroupSet ?? [];
    if ((await placementGroups()).length < 2) {
      await cvm.CreateDisasterRecoverGroup({ Name: `pool-${poolNames++}`, Type: "HOST" });
      await cvm.CreateDisasterRecoverGroup({ Name: `pool-${poolNames++}`, Type: "RACK", Affinity: 2 });
    }
    found[who].placementGroups = (await placementGroups()).slice(0, 3).map((g) => g.DisasterRecoverGroupId!);

    // CHC hosts, which an operator registers (the fuzzer can remove none): two, one with its out-of-band network.
    const chcHosts = async () => (await cvm.DescribeChcHosts({ Limit: 100 })).ChcHostSet ?? [];
    if (!(await chcHosts()).length) {
      for (const n of [1, 2]) {
        const res = await admin(server, "/_opencvm/chc", { AppId: caller.appId, Zone: "ap-guangzhou-3", SerialNumber: `fuzz-${who}-${n}`, DeviceType: "CHCS5", CPU: 64, Memory: 256, Disk: "480GB*2" });
        if (res.status !== 200) throw new Error(`registering a CHC host failed: ${await res.text()}`);
      }
      const subnet = (await vpc.request("DescribeSubnets", { Limit: "100" })) as { SubnetSet: { VpcId: string; SubnetId: string; Zone: string }[] };
      const home = subnet.SubnetSet.find((x) => x.Zone === "ap-guangzhou-3")!;
      await cvm.ConfigureChcAssistVpc({ ChcIds: [(await chcHosts())[0].ChcId!], BmcVirtualPrivateCloud: { VpcId: home.VpcId, SubnetId: home.SubnetId } });
      await server.engine.idle();
    }
    found[who].chcHosts = (await chcHosts()).map((h) => h.ChcId!);
  }
  pools = {
    instances: found.main.instances,
    otherInstances: found.other.instances,
    keyIds: found.main.keyIds,
    otherKeyIds: found.other.keyIds,
    images: found.main.images,
    otherImages: found.other.images,
    uins: [main.uin, other.uin],
    vpcIds: [...found.main.vpcIds, ...found.other.vpcIds],
    subnetIds: [...found.main.subnetIds, ...found.other.subnetIds],
    addresses: found.main.addresses,
    otherAddresses: found.other.addresses,
    securityGroups: found.main.securityGroups,
    otherSecurityGroups: found.other.securityGroups,
    publicKeys: [ed25519Line("fuzz"), ed25519Line("fuzz"), ed25519Line("fuzz")],
    actionTimers: found.main.actionTimers,
    otherActionTimers: found.other.actionTimers,
    hosts: found.main.hosts,
    otherHosts: found.other.hosts,
    hpcClusters: found.main.hpcClusters,
    otherHpcClusters: found.other.hpcClusters,
    packs: found.main.packs,
    otherPacks: found.other.packs,
    disks: found.main.disks,
    otherDisks: found.other.disks,
    snapshots: found.main.snapshots,
    otherSnapshots: found.other.snapshots,
    launchTemplates: found.main.launchTemplates,
    otherLaunchTemplates: found.other.launchTemplates,
    placementGroups: found.main.placementGroups,
    otherPlacementGroups: found.other.placementGroups,
    chcHosts: found.main.chcHosts,
    otherChcHosts: found.other.chcHosts,
    imageSources: [join(scratch, "disk.raw"), `file://${join(scratch, "disk.raw")}`, join(scratch, "missing.qcow2"), "http://127.0.0.1:9/disk.qcow2", "ftp://example.invalid/x", "relative/disk.raw"],
  };
}

function caseArb(action: string): fc.Arbitrary<Case> {
  return fc.record({
    params: fc.oneof(
      objectArb({ spec: specOf(action), pools }, specOf(action).actions[action].input),
      objectArb({ spec: specOf(action), pools, tame: true }, specOf(action).actions[action].input),
    ),
    who: fc.oneof({ weight: 16, arbitrary: fc.constant("main" as const) }, { weight: 3, arbitrary: fc.constant("other" as const) }, { weight: 1, arbitrary: fc.constant("wrong-key" as const) }),
    region: fc.oneof({ weight: 18, arbitrary: fc.constant("ap-guangzhou") }, { weight: 1, arbitrary: fc.constant("ap-shanghai") }, { weight: 1, arbitrary: fc.constant("ap-nowhere") }),
    language: fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant("en-US" as const) }, { weight: 1, arbitrary: fc.constant("zh-CN" as const) }),
  });
}

/** A query or form cannot carry a lone surrogate (the SDK's encoder throws before sending): v1 gets it replaced. */
function wellFormed(v: unknown): unknown {
  if (typeof v === "string") return v.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
  if (Array.isArray(v)) return v.map(wellFormed);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, wellFormed(x)]));
  return v;
}

async function send(action: string, c: Case, enc: Encoding): Promise<Answer> {
  const caller = c.who === "other" ? other : main;
  const client = commonClient(server, specOf(action).version, {
    signMethod: enc.signMethod,
    reqMethod: enc.reqMethod,
    secretId: caller.secretId,
    secretKey: c.who === "wrong-key" ? "wrong" : caller.secretKey,
    region: c.region,
    language: c.language,
  });
  const params = enc.signMethod === "TC3-HMAC-SHA256" ? c.params : (wellFormed(c.params) as Record<string, unknown>);
  const started = performance.now();
  try {
    const response = (await client.request(action, params)) as Record<string, unknown>;
    return { ok: true, response, ms: performance.now() - started };
  } catch (e) {
    const err = e as { code?: string; requestId?: string; message: string; httpCode?: number };
    return { ok: false, code: err.code, requestId: err.requestId, message: err.message, httpCode: err.httpCode, ms: performance.now() - started };
  }
}

const isMutating = (action: string) => !action.startsWith("Describe");

/** What is wrong with one answer (nothing, mostly). */
function answerProblems(action: string, a: Answer): string[] {
  const problems: string[] = [];
  if (a.ms > SLOW_MS) problems.push(`took ${Math.round(a.ms)} ms`);
  if (a.ok) {
    if (typeof a.response.RequestId !== "string" || !UUID.test(a.response.RequestId)) problems.push(`success without a RequestId: ${JSON.stringify(a.response).slice(0, 200)}`);
    return problems;
  }
  if (!a.code) {
    problems.push(`no error envelope (HTTP ${a.httpCode ?? "?"}: ${a.message})`);
    return problems;
  }
  if (!a.requestId || !UUID.test(a.requestId)) problems.push(`${a.code} without a RequestId`);
  if (a.code === "InternalError") {
    const logged = server.logs.find((l) => l.includes(a.requestId ?? "-") && l.includes("error"));
    problems.push(`InternalError: ${(logged ?? a.message).slice(0, 600)}`);
  } else if (!COMMON_CODES.has(a.code) && !specOf(action).actions[action].errors.includes(a.code)) {
    problems.push(`undocumented code ${a.code}: ${a.message.slice(0, 200)}`);
  }
  return problems;
}

function describeCase(c: Case, enc: Encoding): string {
  const params = JSON.stringify(c.params, (_k, v) => (typeof v === "bigint" ? `${v}n` : typeof v === "string" && v.length > 80 ? `${v.slice(0, 20)}…(${v.length} chars)` : v));
  return `${enc.name} as ${c.who} in ${c.region}${c.language ? ` (${c.language})` : ""}: ${params.length > 700 ? `${params.slice(0, 700)}…` : params}`;
}

/** Findings of one action's batch, one line per distinct problem with the first request that showed it. */
class Findings {
  private readonly seen = new Map<string, string>();
  add(key: string, line: string): void {
    if (!this.seen.has(key)) this.seen.set(key, line);
  }
  list(): string[] {
    return [...this.seen.values()];
  }
}

function seedOf(action: string, enc: Encoding): number {
  let h = SEED;
  for (const ch of `${action}/${enc.name}`) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}

describe(`fuzzing every implemented action (${RUNS} requests per action and encoding, seed ${SEED})`, () => {
  for (const def of ACTIONS) {
    it(
      def.name,
      async () => {
        await replenish();
        const findings = new Findings();
        for (const enc of ENCODINGS) {
          await fc.assert(
            fc.asyncProperty(caseArb(def.name), async (c) => {
              const mutating = isMutating(def.name);
              let before;
              if (mutating) {
                await server.engine.idle();
                before = await snapshot(server.store);
              }
              const answer = await send(def.name, c, enc);
              if (STATS) {
                const counts = tally.get(def.name) ?? new Map<string, number>();
                const key = answer.ok ? "OK" : (answer.code ?? "none");
                tally.set(def.name, counts.set(key, (counts.get(key) ?? 0) + 1));
              }
              for (const p of answerProblems(def.name, answer)) findings.add(p.replace(/[0-9a-f-]{36}/g, "…").slice(0, 80), `${p}\n    ← ${describeCase(c, enc)}`);
              if (before && !answer.ok) {
                const changed = differences(before, await snapshot(server.store));
                if (changed.length) findings.add(`changed ${answer.code}`, `refused with ${answer.code} but changed the database (${changed.join("; ")})\n    ← ${describeCase(c, enc)}`);
              }
            }),
            { numRuns: RUNS, seed: seedOf(def.name, enc) },
          );
          for (const p of await invariantProblems(server, [main, other])) {
            // A broken invariant stays broken: it is reported by the batch that broke it, not by every later one.
            if (!brokenInvariants.has(p)) findings.add(p, `invariant broken after ${def.name} in ${enc.name}: ${p}`);
            brokenInvariants.add(p);
          }
        }
        expect(findings.list(), `seed ${SEED} (FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} replays)`).toEqual([]);
      },
      30_000 + RUNS * 1500,
    );
  }
});

// ---- Raw requests: what no SDK sends. ----

interface RawAnswer {
  status: number;
  json: { Response?: { RequestId?: string; Error?: { Code?: string; Message?: string } } };
  text: string;
}

async function raw(path: string, init: RequestInit): Promise<RawAnswer> {
  const res = await fetch(`http://${server.endpoint}${path}`, init);
  const text = await res.text();
  let json: RawAnswer["json"] = {};
  try {
    json = JSON.parse(text);
  } catch {
    // Left empty: the envelope check below fails with the text.
  }
  return { status: res.status, json, text };
}

/** A v1 request signed over the parameters as the server will decode them from `query` (which may be malformed). */
function signedV1(query: string, o: { method?: "GET" | "POST"; secretKey?: string; action?: string } = {}): string {
  const method = o.method ?? "GET";
  const common = new URLSearchParams({
    Action: o.action ?? "DescribeInstances",
    Version: "2017-03-12",
    Region: "ap-guangzhou",
    Timestamp: String(Math.floor(Date.now() / 1000)),
    Nonce: String(randomInt(65535)),
    SecretId: SECRET_ID,
    SignatureMethod: "HmacSHA256",
  }).toString();
  const text = query ? `${common}&${query}` : common;
  const pairs = [...new URLSearchParams(text)].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const toSign = `${method}${server.endpoint}/?${pairs.map(([k, v]) => `${k}=${v}`).join("&")}`;
  return `${text}&Signature=${encodeURIComponent(SdkSign.sign(o.secretKey ?? SECRET_KEY, toSign, "HmacSHA256"))}`;
}

function expectEnvelope(a: RawAnswer, codes: string[]): void {
  expect(a.status, a.text.slice(0, 300)).toBe(200);
  expect(a.json.Response?.RequestId, a.text.slice(0, 300)).toMatch(UUID);
  const code = a.json.Response?.Error?.Code;
  expect(code, a.text.slice(0, 300)).not.toBe("InternalError");
  expect(codes, a.text.slice(0, 300)).toContain(code);
}

afterAll(() => {
  if (!STATS) return;
  for (const [action, counts] of tally) {
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const top = [...counts].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code} ${Math.round((100 * n) / total)}%`);
    console.log(`${action}: ${top.join(", ")}`);
  }
});

describe("raw requests no SDK sends", () => {
  it("broken JSON, and JSON that is not an object, are InvalidParameter", async () => {
    for (const body of ['{"InstanceIds": [', "{'a':1}", "", "[]", '"text"', "null", "1", "\u0000", '{"Limit": 1}}']) {
      const a = await rawTc3(server, { action: "DescribeInstances", body });
      if (body === "") expect(a.json.Response.Error).toBeUndefined();
      else expectEnvelope({ status: a.status, json: a.json, text: JSON.stringify(a.json) }, ["InvalidParameter"]);
    }
  });

  it("JSON that shadows Object's own keys is refused as unknown members", async () => {
    for (const body of ['{"__proto__": {"Limit": 5}}', '{"constructor": 1}', '{"Filters": [{"Name": "zone", "Values": ["ap-guangzhou-3"], "__proto__": {"x": 1}}]}', '{"InstanceIds": {"__proto__": []}}']) {
      const a = await rawTc3(server, { action: "DescribeInstances", body });
      expectEnvelope({ status: a.status, json: a.json, text: JSON.stringify(a.json) }, ["UnknownParameter", "InvalidParameter"]);
    }
  });

  it("deeply nested JSON and deeply dotted names are refused, not a stack overflow", async () => {
    const deep = `{"Filters": ${"[".repeat(200_000)}${"]".repeat(200_000)}}`;
    const a = await rawTc3(server, { action: "DescribeInstances", body: deep });
    expectEnvelope({ status: a.status, json: a.json, text: JSON.stringify(a.json) }, ["InvalidParameter", "MissingParameter"]);
    // A dotted name as deep as a URL can hold, and as deep as a form body can hold.
    const get = await raw(`/?${signedV1(`${"A.".repeat(15_000)}B=1`)}`, { method: "GET" });
    expectEnvelope(get, ["UnknownParameter", "InvalidParameter"]);
    const post = await raw("/", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: signedV1(`${"A.".repeat(400_000)}B=1`, { method: "POST" }),
    });
    expectEnvelope(post, ["UnknownParameter", "InvalidParameter"]);
  });

  it("broken percent-encoding is read leniently and refused by the spec, never an error of the decoder", async () => {
    for (const query of ["Limit=%zz", "Limit=%", "Filters.0.Name=%E4%B8&Filters.0.Values.0=%FF%FE", "%=1", "Limit=1&Limit=2"]) {
      expectEnvelope(await raw(`/?${signedV1(query)}`, { method: "GET" }), ["InvalidParameter", "UnknownParameter", "InvalidFilter"]);
    }
    // An encoded digit is a digit: InstanceIds.%30 is InstanceIds.0.
    const encoded = await raw(`/?${signedV1("InstanceIds.%30=ins-12345678")}`, { method: "GET" });
    expect(encoded.json.Response, encoded.text).toMatchObject({ TotalCount: 0, InstanceSet: [] });
    // Unsigned garbage: the signature fails (or a parameter is missing), cleanly.
    expectEnvelope(await raw("/?%%%&&&==", { method: "GET" }), ["MissingParameter"]);
    expectEnvelope(await raw(`/?${signedV1("")}%ZZ`, { method: "GET" }), ["AuthFailure.SignatureFailure", "InvalidParameter"]);
  });

  it("lists with gaps and out-of-order indexes in a query close up, duplicates are refused", async () => {
    const ids = pools.instances.slice(0, 2);
    const gap = await raw(`/?${signedV1(`InstanceIds.0=${ids[0]}&InstanceIds.7=${ids[1]}`)}`, { method: "GET" });
    expect(gap.json.Response?.Error, gap.text).toBeUndefined();
    const dup = await raw(`/?${signedV1(`InstanceIds.1=${ids[0]}&InstanceIds.01=${ids[1]}`)}`, { method: "GET" });
    expectEnvelope(dup, ["InvalidParameter"]);
    const mixed = await raw(`/?${signedV1(`InstanceIds.0=${ids[0]}&InstanceIds.x=${ids[1]}`)}`, { method: "GET" });
    expectEnvelope(mixed, ["InvalidParameter"]);
  });

  it("oversized bodies and URLs are RequestSizeLimitExceeded", async () => {
    const url = await raw(`/?${signedV1(`Filters.0.Name=zone&Filters.0.Values.0=${"x".repeat(40 * 1024)}`)}`, { method: "GET" });
    expectEnvelope(url, ["RequestSizeLimitExceeded"]);
    const form = await raw("/", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: signedV1(`Filters.0.Name=zone&Filters.0.Values.0=${"x".repeat(1024 * 1024 + 10)}`, { method: "POST" }),
    });
    expectEnvelope(form, ["RequestSizeLimitExceeded"]);
    const json = await rawTc3(server, { action: "DescribeInstances", body: JSON.stringify({ Filters: [{ Name: "zone", Values: ["x".repeat(10 * 1024 * 1024)] }] }) });
    expectEnvelope({ status: json.status, json: json.json, text: JSON.stringify(json.json) }, ["RequestSizeLimitExceeded"]);
  });

  it("bad signatures are AuthFailure codes, for every signing style", async () => {
    const tc3 = [
      await rawTc3(server, { secretKey: "wrong" }),
      await rawTc3(server, { authorization: "" }),
      await rawTc3(server, { authorization: "TC3-HMAC-SHA256 Credential=, SignedHeaders=, Signature=" }),
      await rawTc3(server, { authorization: `TC3-HMAC-SHA256 Credential=${SECRET_ID}/2000-01-01/cvm/tc3_request, SignedHeaders=content-type;host, Signature=${"0".repeat(64)}` }),
      await rawTc3(server, { authorization: `TC3-HMAC-SHA256 Credential=${SECRET_ID}/${new Date().toISOString().slice(0, 10)}/cvm/tc3_request, SignedHeaders=x-no-such-header, Signature=ab` }),
      await rawTc3(server, { authorization: "TC3-HMAC-SHA256 " + "Credential=x/".repeat(3000) }),
    ];
    for (const a of tc3) {
      expectEnvelope({ status: a.status, json: a.json, text: JSON.stringify(a.json) }, ["AuthFailure.SignatureFailure", "AuthFailure.InvalidAuthorization", "AuthFailure.SecretIdNotFound", "AuthFailure.SignatureExpire"]);
    }
    expectEnvelope(await raw(`/?${signedV1("Limit=1", { secretKey: "wrong" })}`, { method: "GET" }), ["AuthFailure.SignatureFailure"]);
    const unsigned = signedV1("Limit=1").replace(/&Signature=[^&]*$/, "");
    expectEnvelope(await raw(`/?${unsigned}`, { method: "GET" }), ["MissingParameter"]);
    expectEnvelope(await raw(`/?${unsigned}&Signature=`, { method: "GET" }), ["MissingParameter", "AuthFailure.SignatureFailure"]);
    expectEnvelope(await raw(`/?${unsigned.replace("HmacSHA256", "HmacMD5")}&Signature=x`, { method: "GET" }), ["InvalidParameterValue"]);
    expectEnvelope(await raw(`/?${signedV1("Limit=1")}&Signature=again`, { method: "GET" }), ["InvalidParameter"]);
  });

  it("a wrong Content-Type is refused with a common code", async () => {
    for (const type of ["text/plain", "multipart/form-data; boundary=x", "application/xml", "", "application/json-patch+json"]) {
      const a = await rawTc3(server, { action: "DescribeInstances", body: '{"Limit": 1}', headers: { "Content-Type": type } });
      expectEnvelope({ status: a.status, json: a.json, text: JSON.stringify(a.json) }, ["InvalidParameter"]);
      expect(a.json.Response.Error.Message).toMatch(/不支持的 Content-Type/);
    }
    const ok = await rawTc3(server, { action: "DescribeInstances", body: '{"Limit": 1}', headers: { "Content-Type": "Application/JSON; charset=utf-8" } });
    expect(ok.json.Response.Error).toBeUndefined();
    // A JSON body without TC3, and a form body in a TC3 request.
    expectEnvelope(await raw("/", { method: "POST", headers: { "Content-Type": "application/json" }, body: signedV1("Limit=1", { method: "POST" }) }), ["AuthFailure.InvalidAuthorization"]);
    const form = await rawTc3(server, { action: "DescribeInstances", body: "Limit=1&Offset=0", headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    expect(form.json.Response.Error).toBeUndefined();
  });

  it("other methods are UnsupportedProtocol", async () => {
    for (const method of ["PUT", "DELETE", "PATCH", "OPTIONS"]) {
      expectEnvelope(await raw(`/?${signedV1("Limit=1")}`, { method }), ["UnsupportedProtocol"]);
    }
  });

  it("the store is consistent after the raw requests", async () => {
    expect(await invariantProblems(server, [main, other])).toEqual([]);
  });
});
