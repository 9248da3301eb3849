// SHA-512 crypt (`$6$salt$hash`), the hash /etc/shadow takes, written from Ulrich Drepper's published specification
// ("Unix crypt using SHA-256 and SHA-512"). Node has no crypt(3); running `openssl passwd -6` would put the password
// on a child process's command line or pipe, and this is small and pure.
import { createHash, randomInt } from "node:crypto";

const ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const DEFAULT_ROUNDS = 5000;

/** The byte triples of the final digest, in the order the specification encodes them. */
const ORDER: readonly [number, number, number][] = [
  [0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48], [28, 49, 7],
  [50, 8, 29], [9, 30, 51], [31, 52, 10], [53, 11, 32], [12, 33, 54], [34, 55, 13], [56, 14, 35], [15, 36, 57],
  [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41],
];

const sha512 = (...parts: Buffer[]) => {
  const h = createHash("sha512");
  for (const p of parts) h.update(p);
  return h.digest();
};

/** `length` bytes of `block` repeated. */
function repeated(block: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += block.length) block.copy(out, i, 0, Math.min(block.length, length - i));
  return out;
}

function encode(b2: number, b1: number, b0: number, chars: number): string {
  let w = (b2 << 16) | (b1 << 8) | b0;
  let out = "";
  for (let i = 0; i < chars; i++, w >>= 6) out += ALPHABET[w & 0x3f];
  return out;
}

/** The `$6$` hash of `password` with `salt` (at most 16 characters are used, as the specification says). */
export function sha512Crypt(password: string, salt: string, rounds = DEFAULT_ROUNDS): string {
  const p = Buffer.from(password, "utf8");
  const s = Buffer.from(salt, "utf8").subarray(0, 16);
  const r = Math.min(999_999_999, Math.max(1000, rounds));
  const b = sha512(p, s, p);
  const a = createHash("sha512").update(p).update(s).update(repeated(b, p.length));
  for (let n = p.length; n > 0; n >>= 1) a.update(n & 1 ? b : p);
  const aDigest = a.digest();
  const pBytes = repeated(sha512(...Array<Buffer>(p.length).fill(p)), p.length);
  const sBytes = repeated(sha512(...Array<Buffer>(16 + aDigest[0]).fill(s)), s.length);
  let c = aDigest;
  for (let i = 0; i < r; i++) {
    const h = createHash("sha512").update(i & 1 ? pBytes : c);
    if (i % 3) h.update(sBytes);
    if (i % 7) h.update(pBytes);
    c = h.update(i & 1 ? c : pBytes).digest();
  }
  const hash = ORDER.map(([x, y, z]) => encode(c[x], c[y], c[z], 4)).join("") + encode(0, 0, c[63], 2);
  return `$6$${r === DEFAULT_ROUNDS ? "" : `rounds=${r}$`}${s.toString("utf8")}$${hash}`;
}

/** A fresh 16-character salt from the crypt alphabet. */
export function cryptSalt(): string {
  return Array.from({ length: 16 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
}
