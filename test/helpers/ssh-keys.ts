// OpenSSH public key lines made in-process, fast enough to import one per request.
import { generateKeyPairSync } from "node:crypto";
import { writeBytes } from "../../src/domain/ssh-wire.js";

/** A fresh `ssh-ed25519 AAAA… comment` line (no comment when none is given). */
export function ed25519Line(comment?: string): string {
  const raw = Buffer.from(generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" }).x!, "base64url");
  return `ssh-ed25519 ${Buffer.concat([writeBytes("ssh-ed25519"), writeBytes(raw)]).toString("base64")}${comment === undefined ? "" : ` ${comment}`}`;
}
