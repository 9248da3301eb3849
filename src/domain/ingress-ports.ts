// Which guest TCP ports a machine's security groups open to the host's own callers: what the qemu backend forwards
// from host loopback ports. The ports looked at are the usual service ports and every port an ACCEPT rule names
// (small ranges in full); each is then decided by the groups' rules as a packet from the host would be.
import { isInboundOpen, parsePort, type GuardingGroup } from "./security-policy.js";

/** Ports worth forwarding even when only an "ALL ports" rule opens them. */
const USUAL_PORTS = [22, 80, 443, 3389];
/** A range wider than this is represented by its usual ports only, not forwarded port by port. */
const MAX_RANGE = 32;
/** The address a host-side caller reaches a forwarded port from. */
const HOST_CALLER = "127.0.0.1";

export function openIngressPorts(groups: readonly GuardingGroup[]): number[] {
  const candidates = new Set(USUAL_PORTS);
  for (const rule of groups.flatMap((g) => g.ingress)) {
    if (rule.action !== "ACCEPT" || (rule.protocol !== "TCP" && rule.protocol !== "ALL")) continue;
    const parsed = parsePort(rule.port);
    if (!parsed.ok || parsed.value.ranges === "ALL") continue;
    for (const [lo, hi] of parsed.value.ranges) {
      if (hi - lo < MAX_RANGE) for (let p = lo; p <= hi; p++) candidates.add(p);
    }
  }
  return [...candidates].filter((port) => isInboundOpen(groups, { protocol: "TCP", port, source: HOST_CALLER })).sort((a, b) => a - b);
}
