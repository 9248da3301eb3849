// What an account sees of its own resources through its Describe actions, and which strings of it are its secrets:
// the ids, UUIDs and addresses of its resources, every string carrying its marker and the accounts its images are
// shared with, less whatever the other account sees legitimately (public images, an image shared with it).
import { inCidr, isIpv4 } from "../../src/domain/ipv4.js";
import type { TestServer } from "../helpers/server.js";
import { must, send, type Caller, type World } from "./isolation-world.js";

const ID = /^[a-z]+-[a-z0-9]{8}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Removes the RequestIds, which differ on every call. */
export function withoutRequestIds(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutRequestIds);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).filter(([k]) => k !== "RequestId").map(([k, x]) => [k, withoutRequestIds(x)]));
  return v;
}

/** Everything `caller` has in the region (and its image copies in another), as its own Describe actions show it. */
export async function viewOf(server: TestServer, caller: Caller): Promise<Record<string, unknown>> {
  const call = (action: string, params: Record<string, unknown> = {}) => must(server, caller, action, params);
  const images = await call("DescribeImages", { Limit: 100 });
  const groups = await call("DescribeSecurityGroups", { Limit: "100" });
  const templates = await call("DescribeLaunchTemplates", { Limit: 100 });
  const own = images.ImageSet.filter((i: { ImageType: string }) => i.ImageType === "PRIVATE_IMAGE");
  const copies = await send(server, caller, "DescribeImages", { Filters: [{ Name: "image-type", Values: ["PRIVATE_IMAGE"] }] }, "ap-shanghai");
  return withoutRequestIds({
    instances: await call("DescribeInstances", { Limit: 100 }),
    images,
    copies,
    shares: await Promise.all(own.map((i: { ImageId: string }) => call("DescribeImageSharePermission", { ImageId: i.ImageId }))),
    keyPairs: await call("DescribeKeyPairs", { Limit: 100 }),
    launchTemplates: templates,
    placementGroups: await call("DescribeDisasterRecoverGroups", { Limit: 100 }),
    repairTasks: await call("DescribeTaskInfo", { Limit: 100, Offset: 0, StartDate: "2000-01-01 00:00:00" }),
    templateVersions: await Promise.all(templates.LaunchTemplateSet.map((t: { LaunchTemplateId: string }) => call("DescribeLaunchTemplateVersions", { LaunchTemplateId: t.LaunchTemplateId }))),
    vpcs: await call("DescribeVpcs", { Limit: "100" }),
    subnets: await call("DescribeSubnets", { Limit: "100" }),
    groups,
    policies: await Promise.all(groups.SecurityGroupSet.map((g: { SecurityGroupId: string }) => call("DescribeSecurityGroupPolicies", { SecurityGroupId: g.SecurityGroupId }))),
    addresses: await call("DescribeAddresses", { Limit: 100 }),
    timers: await call("DescribeInstancesActionTimer"),
    quota: await call("DescribeAccountQuota"),
    addressQuota: await call("DescribeAddressQuota"),
    hosts: await call("DescribeHosts", { Limit: 100 }),
    chcHosts: await call("DescribeChcHosts", { Limit: 100 }),
    hpcClusters: await call("DescribeHpcClusters", { Limit: 100 }),
    packs: await call("DescribeResourcePoolPacks", { MaxResults: 100 }),
    disks: await call("DescribeDisks", { Limit: 100 }),
    snapshots: await call("DescribeSnapshots", { Limit: 100 }),
  }) as Record<string, unknown>;
}

/** Every string of a JSON value, with the name of the member holding it. */
function strings(v: unknown, key = ""): [string, string][] {
  if (typeof v === "string") return [[key, v]];
  if (Array.isArray(v)) return v.flatMap((x) => strings(x, key));
  if (v && typeof v === "object") return Object.entries(v).flatMap(([k, x]) => strings(x, k));
  return [];
}

/** The strings of `view` that belong to `world`'s owner alone, less those found in `legit`. */
export function secretsOf(view: unknown, world: World, publicPool: string, legit: unknown): Set<string> {
  const seen = new Set(strings(legit).map(([, s]) => s));
  const inRanges = (s: string) => {
    const ip = s.split("/")[0];
    return isIpv4(ip) && (inCidr(ip, publicPool) || inCidr(ip, world.vpcCidr));
  };
  const secret = ([key, s]: [string, string]) => ID.test(s) || UUID.test(s) || s.includes(world.marker) || inRanges(s) || key === "AccountId";
  return new Set(strings(view).filter((e) => secret(e) && !seen.has(e[1])).map(([, s]) => s));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The secrets `text` mentions, each as a whole token (198.18.0.1 is not in 198.18.0.10). */
export function mentioned(text: string, secrets: Iterable<string>): string[] {
  return [...secrets].filter((s) => new RegExp(`(?<![A-Za-z0-9.])${escape(s)}(?![A-Za-z0-9])`).test(text));
}
