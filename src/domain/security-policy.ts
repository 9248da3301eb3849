// Security group rules: their syntax (protocols, ports, peers) and the one question a machine's firewall asks: is
// this inbound packet let in? Rules are evaluated in order, the instance's groups in their priority order and each
// group's ingress rules in their PolicyIndex order; the first rule that matches decides, and nothing matching means
// the packet is dropped.
import { ipToInt, isCidr, isIpv4, parseCidr } from "./ipv4.js";

export const PROTOCOLS = ["TCP", "UDP", "ICMP", "ICMPv6", "GRE", "ALL"] as const;
export type Protocol = (typeof PROTOCOLS)[number];
export type PolicyAction = "ACCEPT" | "DROP";

/** One rule as stored and shown: exactly one of the three peers is set, the others are "". */
export interface SecurityPolicy {
  protocol: Protocol;
  /** "ALL", a port ("22"), a list ("80,443") or a range ("8000-8010"), as `parsePort` writes it. */
  port: string;
  cidrBlock: string;
  ipv6CidrBlock: string;
  /** A security group whose instances' private addresses are the peer. */
  securityGroupId: string;
  action: PolicyAction;
  description: string;
  /** ISO-8601 UTC. */
  modifyTime: string;
}

/** The protocol as the API writes it, whatever the case it was given in (tcp, icmpv6). */
export function protocolOf(text: string): Protocol | undefined {
  return PROTOCOLS.find((p) => p.toUpperCase() === text.trim().toUpperCase());
}

/** Ports a rule covers: every port, or inclusive ranges. */
export type PortRanges = "ALL" | readonly (readonly [number, number])[];

export type Parsed<T> = { ok: true; value: T } | { ok: false; kind: "malformed" | "range"; en: string; zh: string };

const MAX_PORT = 65535;

/** A rule's Port: `ALL`, `22`, `80,443` or `8000-8010`, each port 1-65535; written back in one canonical form. */
export function parsePort(text: string): Parsed<{ port: string; ranges: PortRanges }> {
  const t = text.trim();
  if (t.toUpperCase() === "ALL") return { ok: true, value: { port: "ALL", ranges: "ALL" } };
  const inRange = (n: number) => n >= 1 && n <= MAX_PORT;
  const range = /^(\d{1,5})-(\d{1,5})$/.exec(t);
  if (range) {
    const [lo, hi] = [Number(range[1]), Number(range[2])];
    if (!inRange(lo) || !inRange(hi)) return { ok: false, kind: "range", en: `ports are 1-${MAX_PORT}`, zh: `端口取值范围为 1-${MAX_PORT}` };
    if (lo > hi) return { ok: false, kind: "range", en: "a range runs from the lower port to the higher", zh: "端口范围应从小到大" };
    return { ok: true, value: lo === hi ? { port: String(lo), ranges: [[lo, lo]] } : { port: `${lo}-${hi}`, ranges: [[lo, hi]] } };
  }
  if (!/^\d{1,5}(,\d{1,5})*$/.test(t)) {
    return { ok: false, kind: "malformed", en: "use ALL, a port (22), ports separated by commas (80,443) or a range (8000-8010)", zh: "应为 ALL、单个端口（22）、逗号分隔的端口（80,443）或端口范围（8000-8010）" };
  }
  const ports = t.split(",").map(Number);
  if (!ports.every(inRange)) return { ok: false, kind: "range", en: `ports are 1-${MAX_PORT}`, zh: `端口取值范围为 1-${MAX_PORT}` };
  if (new Set(ports).size !== ports.length) return { ok: false, kind: "malformed", en: "a port is listed twice", zh: "端口重复" };
  return { ok: true, value: { port: ports.join(","), ranges: ports.map((p) => [p, p] as const) } };
}

/**
 * An IPv4 peer: an address or a network address with its mask. Any 0.0.0.0/n means every address and is written
 * 0.0.0.0/0, as the real cloud maps it.
 */
export function parseIpv4Peer(text: string): Parsed<string> {
  const t = text.trim();
  if (isIpv4(t)) return { ok: true, value: t };
  if (/^0\.0\.0\.0\/(\d|[12]\d|3[0-2])$/.test(t)) return { ok: true, value: "0.0.0.0/0" };
  if (isCidr(t)) return { ok: true, value: t };
  const m = /^(.+)\/(\d{1,2})$/.exec(t);
  if (m && isIpv4(m[1]) && Number(m[2]) <= 32) {
    const { base } = parseCidr(t);
    const network = [base >>> 24, (base >>> 16) & 255, (base >>> 8) & 255, base & 255].join(".");
    return { ok: false, kind: "malformed", en: `host bits are set; the network is ${network}/${m[2]}`, zh: `主机位不为零，网段应为 ${network}/${m[2]}` };
  }
  return { ok: false, kind: "malformed", en: "expected an IPv4 address or network such as 10.0.0.0/16", zh: "应为 IPv4 地址或网段，如 10.0.0.0/16" };
}

/** An IPv6 address as a 128-bit number, or undefined when it is not one (full, `::`-compressed, IPv4 tail). */
export function ipv6ToBigInt(text: string): bigint | undefined {
  let s = text.trim().toLowerCase();
  if (!/^[0-9a-f:.]+$/.test(s) || s.length < 2) return undefined;
  let tail: number[] = [];
  const v4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    if (!isIpv4(v4[2])) return undefined;
    const n = ipToInt(v4[2]);
    tail = [n >>> 16, n & 0xffff];
    s = v4[1].endsWith("::") ? v4[1] : v4[1].slice(0, -1);
  }
  const halves = s.split("::");
  if (halves.length > 2) return undefined;
  const groups = (part: string) => (part === "" ? [] : part.split(":"));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  if ([...head, ...rest].some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return undefined;
  const given = head.length + rest.length + tail.length;
  if (halves.length === 1 ? given !== 8 : given > 7) return undefined;
  const words = [...head.map((g) => parseInt(g, 16)), ...Array<number>(8 - given).fill(0), ...rest.map((g) => parseInt(g, 16)), ...tail];
  return words.reduce((n, w) => (n << 16n) | BigInt(w), 0n);
}

/** An IPv6 peer: an address or a network with its prefix length (host bits zero); written in lower case. */
export function parseIpv6Peer(text: string): Parsed<string> {
  const t = text.trim().toLowerCase();
  const [address, bits, extra] = t.split("/");
  const n = ipv6ToBigInt(address);
  const malformed = { ok: false, kind: "malformed", en: "expected an IPv6 address or network such as 2402:4e00::/32", zh: "应为 IPv6 地址或网段，如 2402:4e00::/32" } as const;
  if (n === undefined || extra !== undefined) return malformed;
  if (bits === undefined) return { ok: true, value: t };
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > 128) return malformed;
  const hostBits = 128n - BigInt(bits);
  if (n & ((1n << hostBits) - 1n)) return { ok: false, kind: "malformed", en: "host bits are set", zh: "主机位不为零" };
  return { ok: true, value: t };
}

function inIpv6Network(address: bigint, network: string): boolean {
  const [base, bits = "128"] = network.split("/");
  const hostBits = 128n - BigInt(bits);
  return address >> hostBits === ipv6ToBigInt(base)! >> hostBits;
}

function inIpv4Network(address: string, network: string): boolean {
  const { base, size } = parseCidr(network.includes("/") ? network : `${network}/32`);
  const n = ipToInt(address);
  return n >= base && n < base + size;
}

/** Whether two rules are the same rule: equal in everything but their descriptions and times. */
export function sameRule(a: SecurityPolicy, b: SecurityPolicy): boolean {
  return (
    a.protocol === b.protocol &&
    a.port === b.port &&
    a.cidrBlock === b.cidrBlock &&
    a.ipv6CidrBlock === b.ipv6CidrBlock &&
    a.securityGroupId === b.securityGroupId &&
    a.action === b.action
  );
}

/** What the default security group lets through: every IPv4 packet in and out, as the real cloud's does. */
export function defaultGroupPolicies(modifyTime: string): { ingress: SecurityPolicy[]; egress: SecurityPolicy[] } {
  const allowAll: SecurityPolicy = { protocol: "ALL", port: "ALL", cidrBlock: "0.0.0.0/0", ipv6CidrBlock: "", securityGroupId: "", action: "ACCEPT", description: "", modifyTime };
  return { ingress: [{ ...allowAll }], egress: [{ ...allowAll }] };
}

/** A packet arriving at an instance. `port` is its destination port, needed for TCP and UDP only. */
export interface InboundPacket {
  protocol: Exclude<Protocol, "ALL">;
  port?: number;
  /** The sender's address, IPv4 or IPv6. */
  source: string;
}

/** A group guarding an instance: its id and its ingress rules in PolicyIndex order. */
export interface GuardingGroup {
  securityGroupId: string;
  ingress: readonly SecurityPolicy[];
}

/** The private addresses of the instances in a group, for rules whose peer is that group. */
export type GroupMembers = (securityGroupId: string) => readonly string[];

/** Whether one rule matches a packet. */
export function matches(rule: SecurityPolicy, packet: InboundPacket, members: GroupMembers = () => []): boolean {
  if (rule.protocol !== "ALL" && rule.protocol !== packet.protocol) return false;
  if (packet.protocol === "TCP" || packet.protocol === "UDP") {
    const parsed = parsePort(rule.port);
    if (!parsed.ok) return false;
    const { ranges } = parsed.value;
    if (ranges !== "ALL") {
      if (packet.port === undefined) return false;
      if (!ranges.some(([lo, hi]) => packet.port! >= lo && packet.port! <= hi)) return false;
    }
  }
  const v4 = isIpv4(packet.source);
  const v6 = v4 ? undefined : ipv6ToBigInt(packet.source);
  if (rule.cidrBlock) return v4 && inIpv4Network(packet.source, rule.cidrBlock);
  if (rule.ipv6CidrBlock) return v6 !== undefined && inIpv6Network(v6, rule.ipv6CidrBlock);
  if (rule.securityGroupId) return members(rule.securityGroupId).includes(packet.source);
  return false;
}

/** The rule that decides a packet: the first that matches, the groups taken in priority order; none = dropped. */
export function decidingRule(groups: readonly GuardingGroup[], packet: InboundPacket, members?: GroupMembers): { securityGroupId: string; policyIndex: number; rule: SecurityPolicy } | undefined {
  for (const g of groups) {
    const i = g.ingress.findIndex((rule) => matches(rule, packet, members));
    if (i >= 0) return { securityGroupId: g.securityGroupId, policyIndex: i, rule: g.ingress[i] };
  }
  return undefined;
}

/** Is this inbound port and protocol open to this sender, for an instance guarded by `groups` (in priority order)? */
export function isInboundOpen(groups: readonly GuardingGroup[], packet: InboundPacket, members?: GroupMembers): boolean {
  return decidingRule(groups, packet, members)?.rule.action === "ACCEPT";
}
