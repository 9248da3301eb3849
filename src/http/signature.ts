// The three signing methods of API 3.0: TC3-HMAC-SHA256 (v3) and HmacSHA1 / HmacSHA256 (v1).
// Pure functions over what was received; the pipeline (server.ts) decides which to apply and looks up the key.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { errors } from "../domain/errors.js";

const sha256hex = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, msg: string) => createHmac("sha256", key).update(msg).digest();

export const EMPTY_PAYLOAD_HASH = sha256hex("");
// The Go SDK's option to leave the body out of the signature (X-TC-Content-SHA256: UNSIGNED-PAYLOAD).
const UNSIGNED_PAYLOAD_HASH = sha256hex("UNSIGNED-PAYLOAD");

export interface Tc3Authorization {
  secretId: string;
  date: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const AUTH = /^TC3-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{4}-\d{2}-\d{2})\/([^/,]+)\/tc3_request, ?SignedHeaders=([a-z0-9;\-]+), ?Signature=([0-9a-f]{64})$/;

export function parseTc3Authorization(header: string): Tc3Authorization {
  const m = AUTH.exec(header.trim());
  if (!m) {
    throw errors.invalidAuthorization(
      "expected `TC3-HMAC-SHA256 Credential=<SecretId>/<YYYY-MM-DD>/<service>/tc3_request, SignedHeaders=<headers>, Signature=<64 hex digits>`",
    );
  }
  const signedHeaders = m[4].split(";");
  for (const required of ["content-type", "host"]) {
    if (!signedHeaders.includes(required)) throw errors.invalidAuthorization(`SignedHeaders must include ${required}`);
  }
  return { secretId: m[1], date: m[2], service: m[3], signedHeaders, signature: m[5] };
}

/** YYYY-MM-DD of a Unix timestamp, in UTC: the date of the credential scope. */
export function scopeDate(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

export interface Tc3Input {
  method: string;
  path: string;
  /** The query string exactly as received, without "?": v3 signs it as sent, unsorted. */
  rawQuery: string;
  /** Lower-cased header name → value, for each signed header (host already chosen). */
  headers: Record<string, string>;
  signedHeaders: string[];
  payloadHash: string;
  timestamp: string;
  date: string;
  service: string;
}

export function tc3CanonicalRequest(input: Tc3Input): string {
  const names = [...input.signedHeaders].sort();
  let canonicalHeaders = "";
  for (const name of names) {
    const value = (input.headers[name] ?? "").trim();
    // Clients that sign x-tc-action sign its value lower-cased (Tencent's own example does).
    canonicalHeaders += `${name}:${name === "x-tc-action" ? value.toLowerCase() : value}\n`;
  }
  return `${input.method}\n${input.path}\n${input.rawQuery}\n${canonicalHeaders}\n${names.join(";")}\n${input.payloadHash}`;
}

export function tc3StringToSign(input: Tc3Input): string {
  return `TC3-HMAC-SHA256\n${input.timestamp}\n${input.date}/${input.service}/tc3_request\n${sha256hex(tc3CanonicalRequest(input))}`;
}

export function tc3SigningKey(secretKey: string, date: string, service: string): Buffer {
  return hmac(hmac(hmac(`TC3${secretKey}`, date), service), "tc3_request");
}

export function tc3Signature(signingKey: Buffer, stringToSign: string): string {
  return createHmac("sha256", signingKey).update(stringToSign).digest("hex");
}

export function payloadHash(body: Buffer, contentSha256: string | undefined): string {
  if (contentSha256 === "UNSIGNED-PAYLOAD") return UNSIGNED_PAYLOAD_HASH;
  return body.length === 0 ? EMPTY_PAYLOAD_HASH : sha256hex(body);
}

/**
 * The Host the client signed: the Node SDKs sign the host without its port, the Go and Python SDKs and tccli
 * sign it as configured, port included. Both candidates are tried, portless first.
 */
export function hostCandidates(host: string): string[] {
  const bare = host.replace(/:\d+$/, "");
  return bare === host ? [host] : [bare, host];
}

export type V1Method = "HmacSHA1" | "HmacSHA256";

/** v1 string to sign: method, host, path and every parameter but Signature, sorted by name, values raw. */
export function v1StringToSign(method: string, host: string, path: string, params: Iterable<[string, string]>): string {
  const pairs = [...params].filter(([k]) => k !== "Signature");
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return `${method}${host}${path}?${pairs.map(([k, v]) => `${k}=${v}`).join("&")}`;
}

export function v1Signature(secretKey: string, signMethod: V1Method, stringToSign: string): string {
  return createHmac(signMethod === "HmacSHA1" ? "sha1" : "sha256", secretKey).update(stringToSign, "utf8").digest("base64");
}

/** Compares two signatures in constant time. */
export function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
