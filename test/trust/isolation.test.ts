// Isolation (issue 7, point 2): another account's credentials see and touch nothing of an account's resources,
// through any implemented action. Account A owns resources of every kind (isolation-world.ts); account B, with
// resources of its own and an image A shares with it, sends every action the requests of isolation-table.ts, which
// name A's ids, names, tags, addresses and images in every member and filter that takes them. For each action:
//
// - a request naming A's resources is refused with a not-found code the action documents (or a common one), with
//   the answer it gets for a ghost world, ids of the same shape that exist nowhere: A's resources are
//   indistinguishable from missing ones, whatever their state;
// - an answer (a listing, a filter, an error message) names nothing of A's that the request did not;
// - the database is unchanged by each of those requests, byte for byte;
// - the same request about its own resources succeeds for their owner (a fresh account D, so that it really is
//   refused for ownership), and B's own listings find what its filters name;
// - requests reusing A's names, public key, CIDR and ClientToken in the caller's own account succeed, and after
//   every action A's whole view (its Describe actions) is what it was.
//
// An action without an entry in the table fails here by name: every new action must say what another account may
// do with it.
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS } from "../../src/actions/index.js";
import { serviceSpec } from "../../src/api/spec.js";
import { COMMON_CODES } from "../../src/domain/errors.js";
import { startServer, type TestServer } from "../helpers/server.js";
import { differences, snapshot, type Snapshot } from "./invariants.js";
import { IMPORT_FILE, TABLE, type Entry } from "./isolation-table.js";
import { mentioned, secretsOf, viewOf, withoutRequestIds } from "./isolation-view.js";
import { buildWorld, ghostWorld, must, newAccount, send, type Answer, type Caller, type Params, type World } from "./isolation-world.js";

/** The codes that say a resource is not there. */
const NOT_FOUND = /NotFound|NotExist/;

let server: TestServer;
let a: Caller;
let b: Caller;
let third: Caller;
let A: World;
let B: World;
let ghost: World;
let aSecrets: Set<string>;
let bSecrets: Set<string>;
/** A's view after the last action. */
let aView: Record<string, unknown>;

beforeAll(async () => {
  const buckets = mkdtempSync(join(tmpdir(), "opencvm-isolation-"));
  mkdirSync(join(buckets, "isolation"));
  server = await startServer({ OPENCVM_TIMING: "instant", OPENCVM_BUCKETS: buckets, OPENCVM_IMPORT_DIR: dirname(IMPORT_FILE) });
  [a, b, third] = [await newAccount(server), await newAccount(server), await newAccount(server)];
  // B shares with an account of its own, so that A's third account is in no answer B may legitimately get.
  B = await buildWorld(server, b, 66, (await newAccount(server)).uin);
  // What B sees before A exists, and the image A grants it, are all of A's that B may see.
  const bAlone = await viewOf(server, b);
  A = await buildWorld(server, a, 77, third.uin);
  ghost = ghostWorld(third.uin);
  await must(server, a, "ModifyImageSharePermission", { ImageId: A.grantedImage, AccountIds: [b.uin], Permission: "SHARE" });
  aView = await viewOf(server, a);
  const granted = (aView.images as { ImageSet: { ImageId: string }[] }).ImageSet.find((i) => i.ImageId === A.grantedImage);
  aSecrets = secretsOf(aView, A, server.config.publicIpPool, [bAlone, granted]);
  bSecrets = secretsOf(await viewOf(server, b), B, server.config.publicIpPool, aView);
}, 60_000);

afterAll(() => server?.close());

/** Pairs of a world's strings and the ghost's in the same place, longest first. */
function parallel(x: unknown, y: unknown): [string, string][] {
  if (typeof x === "string") return x === y ? [] : [[x, y as string]];
  if (x && typeof x === "object") return Object.entries(x).flatMap(([k, v]) => parallel(v, (y as Record<string, unknown>)[k]));
  return [];
}

/** `text` as it would read had the request named the ghost's resources instead of A's (its secrets only: B sees A's Uin and granted image). */
function asGhost(text: string): string {
  return parallel(A, ghost)
    .filter(([real]) => aSecrets.has(real))
    .sort((p, q) => q[0].length - p[0].length)
    .reduce((out, [real, fake]) => out.split(real).join(fake), text);
}

const shown = (answer: Answer) => (answer.ok ? JSON.stringify(withoutRequestIds(answer.response)).slice(0, 300) : `${answer.code}: ${answer.message}`);

/** A's secrets an answer names; with `echo`, beyond those its request named (an error may repeat the ids it was given). */
function leaks(request: Params, answer: Answer, echo = !answer.ok): string[] {
  const asked = new Set(echo ? mentioned(JSON.stringify(request), aSecrets) : []);
  const text = answer.ok ? JSON.stringify(answer.response) : answer.message;
  const named = mentioned(text, aSecrets).filter((s) => !asked.has(s));
  return named.length ? [`the answer names A's ${named.join(", ")}`] : [];
}

/** What is wrong with B's answer about A's resources, compared with its answer about the ghost's. */
function asMissing(action: string, request: Params, got: Answer, missing: Answer, refusalOnly: boolean): string[] {
  const problems = leaks(request, got);
  if (got.ok) {
    if (refusalOnly) problems.push("it succeeded");
    else if (!missing.ok || asGhost(JSON.stringify(withoutRequestIds(got.response))) !== JSON.stringify(withoutRequestIds(missing.response))) {
      problems.push(`it differs from the answer about ids that exist nowhere (${shown(missing)})`);
    }
    return problems;
  }
  const { errors } = serviceSpec(ACTIONS.find((d) => d.name === action)!.service).actions[action];
  if (!COMMON_CODES.has(got.code) && !errors.includes(got.code)) problems.push(`${got.code} is not documented for ${action}`);
  // An action that documents no not-found code (DescribeTaskResult) refuses an unknown id its own way; what matters
  // there is that the refusal is the one an id that exists nowhere gets.
  if (!NOT_FOUND.test(got.code) && errors.some((c) => NOT_FOUND.test(c))) problems.push(`${got.code} is not a not-found code`);
  if (missing.ok || missing.code !== got.code || missing.message !== asGhost(got.message)) {
    problems.push(`it differs from the answer about ids that exist nowhere (${shown(missing)})`);
  }
  return problems;
}

/** Collects an action's problems, each with the request that showed it. */
class Problems {
  readonly list: string[] = [];
  add(what: string, request: Params, answer: Answer | undefined, found: string[]): void {
    for (const f of found) this.list.push(`${what} ${JSON.stringify(request)}: ${f}${answer ? ` (${shown(answer)})` : ""}`);
  }
}

/** B's requests about A's resources, each followed by its twin about the ghost's; none may change anything. */
async function aboutA(action: string, entry: Entry, problems: Problems): Promise<string | undefined> {
  await server.engine.idle();
  let before: Snapshot = await snapshot(server.store);
  const unchanged = async (what: string, request: Params) => {
    await server.engine.idle();
    const after = await snapshot(server.store);
    problems.add(what, request, undefined, differences(before, after).map((d) => `changed the database (${d})`));
    before = after;
  };
  let firstRefusal: string | undefined;
  for (const [kind, builds] of [["touch", entry.touch ?? []], ["read", entry.read ?? []], ["ignored", entry.ignored ?? []]] as const) {
    for (const build of builds) {
      const request = build(A, B);
      const got = await send(server, b, action, request);
      const missing = await send(server, b, action, build(ghost, B));
      if (!got.ok) firstRefusal ??= got.code;
      problems.add(kind, request, got, asMissing(action, request, got, missing, kind === "touch"));
      await unchanged(kind, request);
    }
  }
  for (const build of entry.changeGranted ?? []) {
    const request = build(A, B);
    const got = await send(server, b, action, request);
    problems.add("changeGranted", request, got, [...(got.ok ? ["it succeeded"] : []), ...leaks(request, got)]);
    await unchanged("changeGranted", request);
  }
  for (const build of entry.useGranted ?? []) {
    const request = build(A, B);
    const got = await send(server, b, action, request);
    problems.add("useGranted", request, got, [...(got.ok ? [] : ["it was refused"]), ...leaks(request, got)]);
  }
  return firstRefusal;
}

/** The read requests about B's own resources find them: the filters work, so finding nothing of A's meant something. */
async function aboutB(action: string, entry: Entry, problems: Problems): Promise<void> {
  for (const build of entry.read ?? []) {
    const request = build(B, B);
    const got = await send(server, b, action, request);
    const finds = !mentioned(JSON.stringify(request), bSecrets).length || (got.ok && mentioned(JSON.stringify(got.response), bSecrets).length > 0);
    problems.add("B about its own", request, got, got.ok && finds ? [] : ["it does not find B's own resources"]);
  }
}

/**
 * A fresh account D, with resources in A's own ranges (another account's VPCs, subnets and private addresses may be
 * the same as A's): the first touch request about its own resources, and the requests reusing A's names. Answers
 * the ids of what D made.
 */
async function aboutD(action: string, entry: Entry, problems: Problems, refusedToB: string | undefined): Promise<string[]> {
  if (!entry.touch?.length && !entry.own?.length) return [];
  const d = await newAccount(server);
  const D = await buildWorld(server, d, 77, third.uin);
  if (entry.touch?.length) {
    const request = entry.touch[0](D, D);
    const got = await send(server, d, action, request);
    await server.engine.idle();
    const fine = entry.neverSucceeds ? !got.ok && got.code !== refusedToB : got.ok;
    problems.add("the owner about its own", request, got, fine ? [] : [entry.neverSucceeds ? "its refusal is the one B got" : "it failed"]);
  }
  const made: string[] = [];
  for (const build of entry.own ?? []) {
    const request = build(A, D);
    const got = await send(server, d, action, request);
    problems.add("own", request, got, [...(got.ok ? [] : ["it was refused"]), ...leaks(request, got, true)]);
    if (got.ok) made.push(...[...JSON.stringify(got.response).matchAll(/"([a-z]+-[a-z0-9]{8})"/g)].map((m) => m[1]));
  }
  return made;
}

async function check(action: string, entry: Entry): Promise<string[]> {
  const problems = new Problems();
  const naming = [...(entry.touch ?? []), ...(entry.read ?? []), ...(entry.ignored ?? []), ...(entry.changeGranted ?? [])].some((build) => mentioned(JSON.stringify(build(A, B)), aSecrets).length);
  if (naming === Boolean(entry.why)) problems.list.push(naming ? "the entry says why it names nothing of another account's, but it does" : "the entry names nothing of another account's and does not say why");

  const refusedToB = await aboutA(action, entry, problems);
  await aboutB(action, entry, problems);
  const made = await aboutD(action, entry, problems, refusedToB);
  await server.engine.idle();
  // What B made from A's granted image names nothing else of A's (it gives B its public keys, not A's key pairs).
  if (entry.useGranted?.length) problems.list.push(...(await bViewLeaks()));

  // A's resources are as they were, and nothing another account made shows among them.
  const view = await viewOf(server, a);
  if (!isDeepStrictEqual(view, aView)) problems.list.push(`A's view changed: ${differencesOf(aView, view).join("; ")}`);
  const inView = mentioned(JSON.stringify(view), made);
  if (inView.length) problems.list.push(`A's view shows ${inView.join(", ")}, made by another account`);
  aView = view;
  return problems.list;
}

async function bViewLeaks(): Promise<string[]> {
  const named = mentioned(JSON.stringify(await viewOf(server, b)), aSecrets);
  return named.length ? [`B's own view names A's ${named.join(", ")}`] : [];
}

/** The paths at which two JSON values differ (for the failure message). */
function differencesOf(x: unknown, y: unknown, path = ""): string[] {
  if (isDeepStrictEqual(x, y)) return [];
  if (x && y && typeof x === "object" && typeof y === "object") {
    return [...new Set([...Object.keys(x), ...Object.keys(y)])].flatMap((k) => differencesOf((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], `${path}.${k}`));
  }
  return [`${path}: ${JSON.stringify(x)?.slice(0, 120)} → ${JSON.stringify(y)?.slice(0, 120)}`];
}

describe("another account sees and touches nothing of an account's resources", () => {
  it("every entry of the table is an implemented action", () => {
    expect(Object.keys(TABLE).filter((name) => !ACTIONS.some((d) => d.name === name))).toEqual([]);
  });

  it("B's own view names nothing of A's", async () => {
    expect(await bViewLeaks()).toEqual([]);
  });

  for (const def of ACTIONS) {
    it(def.name, async () => {
      const entry: Entry | undefined = TABLE[def.name];
      expect(entry, `${def.name} has no entry in test/trust/isolation-table.ts: say what another account may do with it`).toBeDefined();
      expect(await check(def.name, entry!)).toEqual([]);
    });
  }
});
