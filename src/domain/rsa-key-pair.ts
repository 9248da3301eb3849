// The key pair CreateKeyPair hands out: RSA 2048, the private key as PKCS#1 PEM (`BEGIN RSA PRIVATE KEY`, the
// format Tencent's example returns and every OpenSSH reads), the public key as an OpenSSH line.
import { createPublicKey, generateKeyPair } from "node:crypto";
import { promisify } from "node:util";
import { fingerprint } from "./ssh-public-key.js";
import { writeBytes, writeMpint } from "./ssh-wire.js";

const generate = promisify(generateKeyPair);
export const RSA_BITS = 2048;

export interface GeneratedKeyPair {
  /** Returned once to the caller, never stored. */
  privateKey: string;
  /** `ssh-rsa AAAA… comment` */
  publicKey: string;
  fingerprint: string;
}

/** Generates a key off the event loop (RSA generation takes tens of milliseconds). */
export async function generateRsaKeyPair(comment: string): Promise<GeneratedKeyPair> {
  const { privateKey } = await generate("rsa", {
    modulusLength: RSA_BITS,
    publicExponent: 0x10001,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const jwk = createPublicKey(privateKey).export({ format: "jwk" });
  const blob = Buffer.concat([writeBytes("ssh-rsa"), writeMpint(Buffer.from(jwk.e!, "base64url")), writeMpint(Buffer.from(jwk.n!, "base64url"))]);
  return { privateKey, publicKey: `ssh-rsa ${blob.toString("base64")} ${comment}`, fingerprint: fingerprint(blob) };
}
