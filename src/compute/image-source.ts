// Where ImportImage may read a disk image from. A tenant names the source and the server reads it, so without rules
// a tenant could make the server fetch its own admin paths, the link-local metadata range or any private service,
// or read the host's files, FIFOs and devices. The rules:
// - URLs: http and https only; every address the host resolves to must be public (not loopback, link-local,
//   private, shared, unspecified, multicast or one of this machine's), unless the operator allows the host or its
//   range (OPENCVM_IMPORT_ALLOW); this server's own port is never fetched. The connection goes to the address that
//   was checked (no second resolution), redirects are followed by hand and checked again at each hop, and the body
//   is streamed to a file with a size cap and a deadline.
// - Local paths: only inside the operator's import directory (none by default), regular files only, nothing a
//   symlink leads out of it; opened without following a last symlink and without blocking on a FIFO.
import { constants, createWriteStream } from "node:fs";
import { open, realpath, stat, type FileHandle } from "node:fs/promises";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { lookup } from "node:dns/promises";
import { BlockList, isIP, type LookupFunction } from "node:net";
import { networkInterfaces } from "node:os";
import { resolve, sep } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";

export interface ImportPolicy {
  /** Host names and CIDR ranges fetched although their addresses are not public. */
  allow: readonly string[];
  /** The directory local paths must be in; unset: no local paths. */
  dir?: string;
  maxBytes: number;
  timeoutMs: number;
  /** This server's port once it listens: never fetched, allowed or not. */
  servePort?: number;
}

/** A source the rules refuse; the message names the rule. */
export class SourceRefused extends Error {}

const MAX_REDIRECTS = 5;

const RANGES: [string, number, "ipv4" | "ipv6", string][] = [
  ["0.0.0.0", 8, "ipv4", "unspecified"],
  ["127.0.0.0", 8, "ipv4", "loopback"],
  ["169.254.0.0", 16, "ipv4", "link-local"],
  ["10.0.0.0", 8, "ipv4", "private"],
  ["172.16.0.0", 12, "ipv4", "private"],
  ["192.168.0.0", 16, "ipv4", "private"],
  ["100.64.0.0", 10, "ipv4", "shared (carrier-grade NAT)"],
  ["224.0.0.0", 4, "ipv4", "multicast"],
  ["240.0.0.0", 4, "ipv4", "reserved"],
  ["::", 128, "ipv6", "unspecified"],
  ["::1", 128, "ipv6", "loopback"],
  ["fe80::", 10, "ipv6", "link-local"],
  ["fc00::", 7, "ipv6", "private (unique local)"],
  ["ff00::", 8, "ipv6", "multicast"],
];
const CLASSES = RANGES.map(([net, bits, type, name]) => {
  const list = new BlockList();
  list.addSubnet(net, bits, type);
  return { list, name };
});

/** An IPv4 address mapped into IPv6 (::ffff:a.b.c.d) is that IPv4 address. */
function plain(address: string): { address: string; type: "ipv4" | "ipv6" } {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (m) return { address: m[1], type: "ipv4" };
  return { address, type: isIP(address) === 6 ? "ipv6" : "ipv4" };
}

/** Why an address is not public, or undefined when it is. */
export function addressClass(address: string): string | undefined {
  const a = plain(address);
  const own = Object.values(networkInterfaces()).flat().some((i) => i && plain(i.address).address === a.address);
  return CLASSES.find((c) => c.list.check(a.address, a.type))?.name ?? (own ? "this machine's own" : undefined);
}

function allowedBy(policy: ImportPolicy, host: string, address: string): boolean {
  const a = plain(address);
  return policy.allow.some((entry) => {
    if (!entry.includes("/") && isIP(entry) === 0) return entry === host;
    const [net, bits] = entry.split("/");
    const type = isIP(net) === 6 ? "ipv6" : "ipv4";
    const list = new BlockList();
    list.addSubnet(net, Number(bits ?? (type === "ipv6" ? 128 : 32)), type);
    return list.check(a.address, a.type);
  });
}

function parseUrl(source: string): URL {
  if (!URL.canParse(source)) throw new SourceRefused(`"${source}" is neither a URL nor an absolute path`);
  const url = new URL(source);
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new SourceRefused(`only http and https URLs are fetched, not ${url.protocol}`);
  return url;
}

/** The address to connect to for `url`: every address its host resolves to passes the rules, the first is used. */
async function checkedAddress(url: URL, policy: ImportPolicy): Promise<{ address: string; family: number }> {
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  let addresses: { address: string; family: number }[];
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) }];
  } else {
    try {
      addresses = await lookup(host, { all: true });
    } catch {
      throw new SourceRefused(`the host ${host} does not resolve`);
    }
  }
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  for (const { address } of addresses) {
    const kind = addressClass(address);
    if (kind && port === policy.servePort && ["loopback", "unspecified", "this machine's own"].includes(kind)) {
      throw new SourceRefused(`${url.host} is this server's own API and admin port, which ImportImage never fetches`);
    }
    if (kind && !allowedBy(policy, host, address)) {
      throw new SourceRefused(`${host} resolves to ${address}, a ${kind} address; only public addresses are fetched unless the operator allows the host or range (OPENCVM_IMPORT_ALLOW)`);
    }
  }
  return addresses[0];
}

/** The real path of a local source inside the import directory, when it is a regular file there. */
async function checkedPath(path: string, policy: ImportPolicy): Promise<string> {
  if (!policy.dir) throw new SourceRefused("local paths are refused: the operator names no import directory (OPENCVM_IMPORT_DIR)");
  const root = await realpath(policy.dir);
  const inside = (p: string) => p.startsWith(root + sep);
  // Decided on the name before the file system is asked anything, so nothing outside can be probed.
  const named = resolve(path);
  if (!inside(named) && !named.startsWith(resolve(policy.dir) + sep)) throw new SourceRefused(`${path} is outside the import directory`);
  let real: string;
  try {
    real = await realpath(path);
  } catch (e) {
    throw new SourceRefused(`${path} cannot be read in the import directory (${(e as NodeJS.ErrnoException).code ?? "error"})`);
  }
  if (!inside(real)) throw new SourceRefused(`${path} leads out of the import directory (to ${real}) through a symlink`);
  // stat, not open: a FIFO would block an open, a device would stream forever.
  if (!(await stat(real)).isFile()) throw new SourceRefused(`${path} is not a regular file (a directory, FIFO, device or socket)`);
  return real;
}

/** Refuses a source the rules forbid, before anything is fetched or opened (the request's own check). */
export async function checkImportSource(source: string, policy: ImportPolicy): Promise<void> {
  if (source.startsWith("/")) await checkedPath(source, policy);
  else await checkedAddress(parseUrl(source), policy);
}

/** Opens a local source read-only after checking it again: no last symlink, no blocking on a FIFO, a file only. */
export async function openImportFile(path: string, policy: ImportPolicy): Promise<FileHandle> {
  const real = await checkedPath(path, policy);
  const file = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  if (!(await file.stat()).isFile()) {
    await file.close();
    throw new SourceRefused(`${path} is not a regular file`);
  }
  return file;
}

/** Streams a URL's body into `dest` (created, never replaced), checking each hop; at most maxBytes, within timeoutMs. */
export async function fetchImportUrl(source: string, policy: ImportPolicy, dest: string): Promise<void> {
  const deadline = AbortSignal.timeout(policy.timeoutMs);
  let url = parseUrl(source);
  for (let hop = 0; ; hop++) {
    const pinned = await checkedAddress(url, policy);
    const res = await get(url, pinned, deadline);
    const location = res.headers.location;
    if (res.statusCode! >= 300 && res.statusCode! < 400 && location) {
      res.resume();
      if (hop === MAX_REDIRECTS) throw new SourceRefused(`more than ${MAX_REDIRECTS} redirects`);
      if (!URL.canParse(location, url)) throw new SourceRefused(`a redirect to "${location}", which is no URL`);
      url = parseUrl(new URL(location, url).href);
      continue;
    }
    if (res.statusCode !== 200) {
      res.resume();
      throw new SourceRefused(`${url.host} answered HTTP ${res.statusCode}`);
    }
    const declared = Number(res.headers["content-length"] ?? 0);
    if (declared > policy.maxBytes) {
      res.destroy();
      throw new SourceRefused(`the image is ${declared} bytes, over the ${policy.maxBytes} an import may fetch (OPENCVM_IMPORT_MAX_SIZE)`);
    }
    let seen = 0;
    const cap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        seen += chunk.length;
        if (seen > policy.maxBytes) done(new SourceRefused(`the image is over the ${policy.maxBytes} bytes an import may fetch (OPENCVM_IMPORT_MAX_SIZE)`));
        else done(null, chunk);
      },
    });
    await pipeline(res, cap, createWriteStream(dest, { flags: "wx", mode: 0o600 }), { signal: deadline });
    return;
  }
}

function get(url: URL, pinned: { address: string; family: number }, signal: AbortSignal): Promise<IncomingMessage> {
  // Whatever the host resolves to now, the connection goes to the address that was checked.
  const fixed: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolveRes, reject) => {
    const req = send(url, { lookup: fixed, signal, headers: { Accept: "*/*" } }, resolveRes);
    req.on("error", reject);
    req.end();
  });
}
