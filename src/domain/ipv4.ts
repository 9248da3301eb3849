// IPv4 arithmetic for address allocation.

export function ipToInt(ip: string): number {
  return ip.split(".").reduce((n, part) => n * 256 + Number(part), 0);
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

export function isIpv4(s: string): boolean {
  return /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(s);
}

export interface Cidr {
  base: number;
  size: number;
}

export function parseCidr(cidr: string): Cidr {
  const [ip, bits] = cidr.split("/");
  const size = 2 ** (32 - Number(bits));
  return { base: ipToInt(ip) - (ipToInt(ip) % size), size };
}

/** Host addresses a subnet hands out: the network address, the gateway (.1) and the broadcast address are reserved. */
export function usableHosts(cidr: string): { first: number; last: number } {
  const { base, size } = parseCidr(cidr);
  return { first: base + 2, last: base + size - 2 };
}

export function inCidr(ip: string, cidr: string): boolean {
  const { base, size } = parseCidr(cidr);
  const n = ipToInt(ip);
  return n >= base && n < base + size;
}

/** `a.b.c.d/n` written as its network address (the host bits zero), with n in [min, max]. */
export function isCidr(s: string, min = 0, max = 32): boolean {
  const m = /^(.+)\/(\d{1,2})$/.exec(s);
  if (!m || !isIpv4(m[1])) return false;
  const bits = Number(m[2]);
  if (bits < min || bits > max) return false;
  return ipToInt(m[1]) % 2 ** (32 - bits) === 0;
}

export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  return x.base < y.base + y.size && y.base < x.base + x.size;
}

/** Whether `inner` lies wholly inside `outer`. */
export function cidrWithin(inner: string, outer: string): boolean {
  const i = parseCidr(inner);
  const o = parseCidr(outer);
  return i.base >= o.base && i.base + i.size <= o.base + o.size;
}
