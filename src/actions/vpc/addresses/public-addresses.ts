// Public addresses from the configured pool (OPENCVM_PUBLIC_IP_POOL), for instances and EIPs alike: random free
// ones, unique across the cloud because each is a row of public_ips.
import type { Config } from "../../../config.js";
import { fail } from "../../../domain/errors.js";
import { intToIp, usableHosts } from "../../../domain/ipv4.js";
import type { Store } from "../../../store/store.js";

export async function freePublicAddresses(tx: Store, config: Config, count: number, exhausted = "ResourcesSoldOut.EipInsufficient"): Promise<string[]> {
  // The pool is the cloud's: another account's transaction must not pick the same free address meanwhile.
  await tx.hold("public-addresses");
  const { first, last } = usableHosts(config.publicIpPool);
  const size = last - first + 1;
  const out = new Set<string>();
  for (let attempt = 0; out.size < count && attempt < 20; attempt++) {
    const candidates = Array.from({ length: Math.min(size, (count - out.size) * 2) }, () => intToIp(first + Math.floor(Math.random() * size)));
    const taken = await tx.networks.publicInUse(candidates);
    for (const ip of candidates) if (!taken.has(ip) && out.size < count) out.add(ip);
  }
  if (out.size < count) throw fail(exhausted, `The public address pool ${config.publicIpPool} has no ${count} free addresses.`, `公网 IP 地址池 ${config.publicIpPool} 的可用地址不足 ${count} 个。`);
  return [...out];
}
