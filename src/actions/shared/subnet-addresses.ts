// Private addresses for new holders in a subnet (RunInstances, ModifyInstancesVpcAttribute, the CHC networks): the
// ones asked for, each a usable and unused address of the subnet, or else the lowest free ones.
import { inCidr, intToIp, ipToInt, usableHosts } from "../../domain/ipv4.js";
import { invalid } from "./refusals.js";

/**
 * `count` addresses of the subnet with the CIDR `cidr`, `used` being those taken (the picked ones are added): the
 * first `count` of `asked` when given (all of them checked, each refused under `field(i)`), or the lowest free ones,
 * fewer when fewer are free (the caller refuses a shortage with its own action's code).
 */
export function pickAddresses(cidr: string, used: Set<string>, count: number, asked: readonly string[], field: (i: number) => string): string[] {
  const { first, last } = usableHosts(cidr);
  if (asked.length) {
    for (const [i, ip] of asked.entries()) {
      if (!inCidr(ip, cidr) || ipToInt(ip) < first || ipToInt(ip) > last) throw invalid("VpcAddrNotInSubNet", field(i), ip, `it is not a usable address of ${cidr}`, `不是子网 ${cidr} 的可用地址`);
      if (used.has(ip)) throw invalid("VpcIpIsUsed", field(i), ip, "the address is in use", "该地址已被占用");
      used.add(ip);
    }
    return asked.slice(0, count);
  }
  const out: string[] = [];
  for (let n = first; n <= last && out.length < count; n++) {
    const ip = intToIp(n);
    if (used.has(ip)) continue;
    used.add(ip);
    out.push(ip);
  }
  return out;
}
