import { describe, expect, it } from "vitest";
import { decidingRule, defaultGroupPolicies, ipv6ToBigInt, isInboundOpen, matches, parseIpv4Peer, parseIpv6Peer, parsePort, protocolOf, sameRule, type GuardingGroup, type SecurityPolicy } from "./security-policy.js";

const T = "2026-01-01T00:00:00Z";
const rule = (r: Partial<SecurityPolicy>): SecurityPolicy => ({
  protocol: "TCP",
  port: "ALL",
  cidrBlock: "",
  ipv6CidrBlock: "",
  securityGroupId: "",
  action: "ACCEPT",
  description: "",
  modifyTime: T,
  ...r,
});
const group = (securityGroupId: string, ...ingress: Partial<SecurityPolicy>[]): GuardingGroup => ({ securityGroupId, ingress: ingress.map(rule) });

describe("protocolOf", () => {
  it.each([
    ["tcp", "TCP"],
    ["UDP", "UDP"],
    ["icmp", "ICMP"],
    ["ICMPV6", "ICMPv6"],
    ["icmpv6", "ICMPv6"],
    ["gre", "GRE"],
    ["all", "ALL"],
    ["sctp", undefined],
    ["", undefined],
  ])("%s is %s", (text, protocol) => expect(protocolOf(text)).toBe(protocol));
});

describe("parsePort", () => {
  it.each([
    ["ALL", "ALL"],
    ["all", "ALL"],
    ["22", "22"],
    ["022", "22"],
    ["80,443", "80,443"],
    ["1-65535", "1-65535"],
    ["8000-8010", "8000-8010"],
    ["53-53", "53"],
  ])("reads %s as %s", (text, port) => {
    const parsed = parsePort(text);
    expect(parsed.ok && parsed.value.port).toBe(port);
  });

  it.each([
    ["0", "range"],
    ["65536", "range"],
    ["10-5", "range"],
    ["1-70000", "range"],
    ["80,0", "range"],
    ["80,80", "malformed"],
    ["80-", "malformed"],
    ["http", "malformed"],
    ["80,8000-8010", "malformed"],
    ["", "malformed"],
    ["-1", "malformed"],
  ])("refuses %s as %s", (text, kind) => {
    const parsed = parsePort(text);
    expect(parsed.ok ? "accepted" : parsed.kind).toBe(kind);
  });
});

describe("peers", () => {
  it.each([
    ["10.0.0.0/16", "10.0.0.0/16"],
    ["10.1.2.3", "10.1.2.3"],
    ["0.0.0.0/8", "0.0.0.0/0"],
    ["0.0.0.0/0", "0.0.0.0/0"],
    ["192.168.1.0/24", "192.168.1.0/24"],
  ])("IPv4 %s is %s", (text, value) => {
    const parsed = parseIpv4Peer(text);
    expect(parsed.ok && parsed.value).toBe(value);
  });

  it.each(["10.0.0.1/16", "10.0.0.0/33", "10.0.0", "::/0", "any"])("refuses the IPv4 peer %s", (text) => {
    expect(parseIpv4Peer(text).ok).toBe(false);
  });

  it("names the network when host bits are set", () => {
    const parsed = parseIpv4Peer("10.0.0.1/16");
    expect(!parsed.ok && parsed.en).toContain("10.0.0.0/16");
  });

  it.each(["::/0", "2402:4e00::/32", "2402:4E00::1", "::1", "fe80::1:2:3:4", "1:2:3:4:5:6:7:8", "::ffff:10.0.0.1", "::ffff:10.0.0.0/120"])("accepts the IPv6 peer %s", (text) => {
    expect(parseIpv6Peer(text).ok).toBe(true);
  });

  it.each(["10.0.0.0/8", "2402:4e00::1/32", "1:2:3:4:5:6:7:8:9", "1::2::3", "::/129", "gggg::", "1:2:3:4:5:6:7", ":1"])("refuses the IPv6 peer %s", (text) => {
    expect(parseIpv6Peer(text).ok).toBe(false);
  });

  it("reads IPv6 addresses in every notation to one number", () => {
    expect(ipv6ToBigInt("::1")).toBe(1n);
    expect(ipv6ToBigInt("0:0:0:0:0:0:0:1")).toBe(1n);
    expect(ipv6ToBigInt("::ffff:1.2.3.4")).toBe(0xffff01020304n);
    expect(ipv6ToBigInt("2402:4e00::")).toBe(0x24024e00n << 96n);
  });
});

describe("matches", () => {
  it("compares protocols, ALL matching any", () => {
    expect(matches(rule({ protocol: "UDP", cidrBlock: "0.0.0.0/0" }), { protocol: "TCP", port: 22, source: "1.2.3.4" })).toBe(false);
    expect(matches(rule({ protocol: "ALL", cidrBlock: "0.0.0.0/0" }), { protocol: "GRE", source: "1.2.3.4" })).toBe(true);
    expect(matches(rule({ protocol: "ICMP", cidrBlock: "0.0.0.0/0" }), { protocol: "ICMPv6", source: "1.2.3.4" })).toBe(false);
  });

  it("compares TCP and UDP ports with single ports, lists and ranges", () => {
    const p = (port: string, n: number) => matches(rule({ port, cidrBlock: "0.0.0.0/0" }), { protocol: "TCP", port: n, source: "1.2.3.4" });
    expect(p("22", 22)).toBe(true);
    expect(p("22", 23)).toBe(false);
    expect(p("80,443", 443)).toBe(true);
    expect(p("80,443", 444)).toBe(false);
    expect(p("8000-8010", 8000)).toBe(true);
    expect(p("8000-8010", 8010)).toBe(true);
    expect(p("8000-8010", 8011)).toBe(false);
    expect(p("ALL", 1)).toBe(true);
  });

  it("ignores ports for ICMP and GRE", () => {
    expect(matches(rule({ protocol: "ICMP", port: "ALL", cidrBlock: "0.0.0.0/0" }), { protocol: "ICMP", source: "1.2.3.4" })).toBe(true);
  });

  it("matches IPv4 sources against IPv4 peers and IPv6 sources against IPv6 peers only", () => {
    const v4 = rule({ cidrBlock: "10.0.0.0/8" });
    expect(matches(v4, { protocol: "TCP", port: 1, source: "10.255.0.1" })).toBe(true);
    expect(matches(v4, { protocol: "TCP", port: 1, source: "11.0.0.1" })).toBe(false);
    expect(matches(v4, { protocol: "TCP", port: 1, source: "::ffff:10.0.0.1" })).toBe(false);
    expect(matches(rule({ cidrBlock: "10.1.2.3" }), { protocol: "TCP", port: 1, source: "10.1.2.3" })).toBe(true);
    expect(matches(rule({ cidrBlock: "10.1.2.3" }), { protocol: "TCP", port: 1, source: "10.1.2.4" })).toBe(false);
    const v6 = rule({ ipv6CidrBlock: "2402:4e00::/32" });
    expect(matches(v6, { protocol: "TCP", port: 1, source: "2402:4e00:1::5" })).toBe(true);
    expect(matches(v6, { protocol: "TCP", port: 1, source: "2402:4e01::5" })).toBe(false);
    expect(matches(v6, { protocol: "TCP", port: 1, source: "10.0.0.1" })).toBe(false);
    expect(matches(rule({ ipv6CidrBlock: "::/0" }), { protocol: "TCP", port: 1, source: "::1" })).toBe(true);
  });

  it("matches a security group peer by its instances' addresses", () => {
    const members = (id: string) => (id === "sg-aaaaaaaa" ? ["172.16.0.5"] : []);
    const r = rule({ securityGroupId: "sg-aaaaaaaa" });
    expect(matches(r, { protocol: "TCP", port: 1, source: "172.16.0.5" }, members)).toBe(true);
    expect(matches(r, { protocol: "TCP", port: 1, source: "172.16.0.6" }, members)).toBe(false);
    expect(matches(r, { protocol: "TCP", port: 1, source: "172.16.0.5" })).toBe(false);
  });
});

describe("isInboundOpen", () => {
  const packet = { protocol: "TCP" as const, port: 22, source: "203.0.113.9" };

  it("denies when there is no group or no rule", () => {
    expect(isInboundOpen([], packet)).toBe(false);
    expect(isInboundOpen([group("sg-a")], packet)).toBe(false);
  });

  it("lets the first matching rule decide, in PolicyIndex order", () => {
    const dropFirst = group("sg-a", { port: "22", cidrBlock: "203.0.113.0/24", action: "DROP" }, { port: "22", cidrBlock: "0.0.0.0/0" });
    expect(isInboundOpen([dropFirst], packet)).toBe(false);
    expect(isInboundOpen([dropFirst], { ...packet, source: "198.51.100.1" })).toBe(true);
    const acceptFirst = group("sg-a", { port: "22", cidrBlock: "0.0.0.0/0" }, { port: "22", cidrBlock: "203.0.113.0/24", action: "DROP" });
    expect(isInboundOpen([acceptFirst], packet)).toBe(true);
  });

  it("takes the groups in priority order: a higher group's rule wins over a lower group's", () => {
    const drop = group("sg-drop", { port: "22", cidrBlock: "0.0.0.0/0", action: "DROP" });
    const accept = group("sg-accept", { port: "1-65535", cidrBlock: "0.0.0.0/0" });
    expect(isInboundOpen([drop, accept], packet)).toBe(false);
    expect(isInboundOpen([accept, drop], packet)).toBe(true);
    // A packet the first group has no rule for falls through to the next.
    expect(isInboundOpen([drop, accept], { ...packet, port: 80 })).toBe(true);
    expect(decidingRule([drop, accept], { ...packet, port: 80 })).toMatchObject({ securityGroupId: "sg-accept", policyIndex: 0 });
  });

  it("opens everything IPv4 in the default group, and nothing IPv6", () => {
    const d = { securityGroupId: "sg-default", ingress: defaultGroupPolicies(T).ingress };
    expect(isInboundOpen([d], packet)).toBe(true);
    expect(isInboundOpen([d], { protocol: "UDP", port: 53, source: "8.8.8.8" })).toBe(true);
    expect(isInboundOpen([d], { protocol: "TCP", port: 22, source: "2001:db8::1" })).toBe(false);
  });
});

describe("sameRule", () => {
  it("ignores descriptions and times, not peers or actions", () => {
    const a = rule({ port: "22", cidrBlock: "0.0.0.0/0", description: "a" });
    expect(sameRule(a, { ...a, description: "b", modifyTime: "x" })).toBe(true);
    expect(sameRule(a, { ...a, action: "DROP" })).toBe(false);
    expect(sameRule(a, { ...a, cidrBlock: "10.0.0.0/8" })).toBe(false);
  });
});
