// The clients a Terraform replay calls through: one official SDK client per service at `<service>.<domain>`, as
// the provider reaches a custom endpoint (TENCENTCLOUD_DOMAIN), each resolved to the test server by the helper's
// loopback lookup. What the provider does between calls (reading members without a nil check, polling a state)
// the replays do with `must` and `until`.
import { expect } from "vitest";
import { commonClient, cvmClient, type ClientOptions, type TestServer } from "../helpers/server.js";
import { everyRefusalDocumented } from "../helpers/documented-refusals.js";
import { serverForFile } from "../helpers/file-server.js";

export const DOMAIN = "opencvm.test";
export const REGION = "ap-guangzhou";

export function provider(server: TestServer, o: ClientOptions = {}) {
  const at = (service: string) => ({ host: `${service}.${DOMAIN}`, region: REGION, ...o });
  return {
    cvm: cvmClient(server, at("cvm")),
    vpc: commonClient(server, "2017-03-12", at("vpc")),
    tag: commonClient(server, "2018-08-13", at("tag")),
    api: commonClient(server, "2020-11-06", at("api")),
    cbs: commonClient(server, "2017-03-12", at("cbs")),
  };
}

export interface Replay {
  server: TestServer;
  tf: ReturnType<typeof provider>;
}

/** One server for the test file with the provider's clients at it; every refusal it answers must be documented. */
export function replayFile(env: Record<string, string> = { OPENCVM_TIMING: "instant" }): Replay {
  const replay = {} as Replay;
  serverForFile((started) => {
    replay.server = started;
    replay.tf = provider(started);
  }, env);
  everyRefusalDocumented(() => [replay.server.logs], () => true);
  return replay;
}

/** A member the provider dereferences without a nil check: present and not null, or the provider would panic. */
export function must<T>(value: T | null | undefined, what: string): T {
  expect(value, `${what} (read without a nil check)`).not.toBeUndefined();
  expect(value, `${what} (read without a nil check)`).not.toBeNull();
  return value as T;
}

/** Polls as the provider's resource.Retry does, until `check` gives a value, for at most `ms`. */
export async function until<T>(what: string, check: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The tags of a resource as the provider reads them (tag/service_tencentcloud_tag.go: pages of 20 until short). */
export async function readTags(tag: ReturnType<typeof provider>["tag"], service: string, prefix: string, id: string): Promise<Record<string, string>> {
  const tags: Record<string, string> = {};
  const LIMIT = 20;
  let offset = 0;
  for (let count = LIMIT; count === LIMIT; offset += count) {
    const out = await tag.request("DescribeResourceTagsByResourceIds", { ServiceType: service, ResourcePrefix: prefix, ResourceRegion: REGION, ResourceIds: [id], Limit: LIMIT, Offset: offset });
    count = out.Tags.length;
    for (const t of out.Tags) if (must(t.ResourceId, "Tags.ResourceId") === id) tags[must(t.TagKey, "TagKey")] = must(t.TagValue, "TagValue");
  }
  return tags;
}

/** ModifyTags as the provider calls it: only the tags that changed, ReplaceTags and DeleteTags left out when empty. */
export function modifyTags(tag: ReturnType<typeof provider>["tag"], resource: string, replace: Record<string, string>, remove: string[] = []) {
  return tag.request("ModifyResourceTags", {
    Resource: resource,
    ...(Object.keys(replace).length ? { ReplaceTags: Object.entries(replace).map(([TagKey, TagValue]) => ({ TagKey, TagValue })) } : {}),
    ...(remove.length ? { DeleteTags: remove.map((TagKey) => ({ TagKey })) } : {}),
  });
}

/** tccommon.BuildTagResourceName: the uin left empty. */
export const tagResourceName = (service: string, prefix: string, id: string) => `qcs::${service}:${REGION}:uin/:${prefix}/${id}`;
