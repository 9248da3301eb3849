// OpenSSH public keys as one line of authorized_keys text (`ssh-ed25519 AAAA… comment`): parsed, checked down to
// the key inside the Base64 blob, and fingerprinted the way `ssh-keygen -l` prints it.
import { createHash, createPublicKey } from "node:crypto";
import { bitLength, WireError, WireReader } from "./ssh-wire.js";

/** The key types OpenCVM accepts, with the curve an ECDSA type names. */
const CURVES = { "ecdsa-sha2-nistp256": ["nistp256", "P-256", 32], "ecdsa-sha2-nistp384": ["nistp384", "P-384", 48], "ecdsa-sha2-nistp521": ["nistp521", "P-521", 66] } as const;
export const KEY_TYPES = ["ssh-rsa", "ssh-ed25519", ...Object.keys(CURVES)] as readonly string[];

/** OpenSSH's own bounds on an RSA modulus. */
const RSA_MIN_BITS = 1024;
const RSA_MAX_BITS = 16384;
/** A generous bound on the whole line (a 16384-bit RSA key is under 3 KB), so a comment cannot be a blob store. */
export const MAX_LINE = 8192;

export interface SshPublicKey {
  type: string;
  /** The decoded key blob: what the fingerprint is taken over. */
  blob: Buffer;
  comment: string;
  /** Key size as ssh-keygen reports it: the RSA modulus, 256 for Ed25519, the curve's size for ECDSA. */
  bits: number;
  /** `type base64 [comment]`, single-spaced. */
  line: string;
  fingerprint: string;
}

/** Why a public key was refused, in both languages the API speaks. */
export class PublicKeyError extends Error {
  constructor(
    readonly en: string,
    readonly zh: string,
  ) {
    super(en);
  }
}

/** SHA256:<unpadded Base64 of the blob's SHA-256>, exactly as `ssh-keygen -l` prints it. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

export function parsePublicKey(text: string): SshPublicKey {
  const trimmed = text.trim();
  if (trimmed.length > MAX_LINE) throw new PublicKeyError(`it is longer than ${MAX_LINE} characters`, `长度超过 ${MAX_LINE} 个字符`);
  if (/[\r\n]/.test(trimmed)) throw new PublicKeyError("give exactly one key, on one line", "只能包含一个公钥，且位于同一行");
  const [type = "", base64 = "", ...rest] = trimmed.split(/[ \t]+/);
  const comment = rest.join(" ");
  if (!KEY_TYPES.includes(type)) {
    throw new PublicKeyError(`the key type \`${type}\` is not one of ${KEY_TYPES.join(", ")}`, `密钥类型 \`${type}\` 不是 ${KEY_TYPES.join("、")} 之一`);
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || Buffer.from(base64, "base64").toString("base64") !== base64) {
    throw new PublicKeyError("the key data after the type is not Base64", "类型之后的密钥数据不是合法的 Base64");
  }
  const blob = Buffer.from(base64, "base64");
  let bits: number;
  try {
    bits = readBlob(type, blob);
  } catch (e) {
    if (e instanceof WireError) throw new PublicKeyError(`the key data is not an OpenSSH ${type} key (${e.message})`, `密钥数据不是 OpenSSH ${type} 公钥（${e.message}）`);
    throw e;
  }
  return { type, blob, comment, bits, line: comment ? `${type} ${base64} ${comment}` : `${type} ${base64}`, fingerprint: fingerprint(blob) };
}

/** Reads the blob of a key of `type` and returns its size in bits; refuses a blob of another type or a bad key. */
function readBlob(type: string, blob: Buffer): number {
  const r = new WireReader(blob);
  const inner = r.text();
  if (inner !== type) throw new PublicKeyError(`the key data holds a \`${inner}\` key, not the \`${type}\` the line names`, `密钥数据为 \`${inner}\` 类型，与行首声明的 \`${type}\` 不符`);
  if (type === "ssh-rsa") {
    const e = r.mpint();
    const n = r.mpint();
    r.end();
    const bits = bitLength(n);
    if (bits < RSA_MIN_BITS || bits > RSA_MAX_BITS) throw new PublicKeyError(`an RSA key has ${RSA_MIN_BITS}-${RSA_MAX_BITS} bits, not ${bits}`, `RSA 密钥长度应为 ${RSA_MIN_BITS}-${RSA_MAX_BITS} 位，当前为 ${bits} 位`);
    // A modulus is odd, and so is a usable public exponent (at least 3).
    if (!(n[n.length - 1] & 1) || !(e[e.length - 1] & 1) || bitLength(e) < 2) throw new PublicKeyError("the RSA numbers are not a usable key", "RSA 公钥参数无效");
    return bits;
  }
  if (type === "ssh-ed25519") {
    const key = r.bytes();
    r.end();
    if (key.length !== 32) throw new PublicKeyError(`an Ed25519 key has 32 bytes, not ${key.length}`, `Ed25519 公钥应为 32 字节，当前为 ${key.length} 字节`);
    return 256;
  }
  const [curve, jwkCurve, size] = CURVES[type as keyof typeof CURVES];
  const named = r.text();
  const q = r.bytes();
  r.end();
  if (named !== curve) throw new PublicKeyError(`the key data names the curve \`${named}\`, not \`${curve}\``, `密钥数据中的曲线为 \`${named}\`，应为 \`${curve}\``);
  if (q.length !== 1 + 2 * size || q[0] !== 4) throw new PublicKeyError(`the point is not an uncompressed ${curve} point`, `公钥点不是未压缩的 ${curve} 点`);
  try {
    createPublicKey({ key: { kty: "EC", crv: jwkCurve, x: q.subarray(1, 1 + size).toString("base64url"), y: q.subarray(1 + size).toString("base64url") }, format: "jwk" });
  } catch {
    throw new PublicKeyError(`the point is not on the curve ${curve}`, `公钥点不在曲线 ${curve} 上`);
  }
  return type === "ecdsa-sha2-nistp521" ? 521 : size * 8;
}
