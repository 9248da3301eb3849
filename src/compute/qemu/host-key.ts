// A machine's SSH host key, made on the host when the machine is created and handed to the guest through its
// metadata: making one inside the guest cost it a few hundred milliseconds of emulated CPU at every first boot.
// The key is Ed25519 in Dropbear's own file format (what `dropbear -r` reads): the SSH string "ssh-ed25519", then
// one string of the 32-byte seed followed by the 32-byte public key.
import { generateKeyPairSync } from "node:crypto";

const ALGORITHM = "ssh-ed25519";

function sshString(bytes: Buffer | string): Buffer {
  const body = Buffer.from(bytes);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([length, body]);
}

export function newHostKey(): Buffer {
  const jwk = generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" });
  const seed = Buffer.from(jwk.d!, "base64url");
  const pub = Buffer.from(jwk.x!, "base64url");
  return Buffer.concat([sshString(ALGORITHM), sshString(Buffer.concat([seed, pub]))]);
}

/** The key's public half as an OpenSSH line (`ssh-ed25519 AAAA...`), what a client's known_hosts holds. */
export function hostPublicKey(key: Buffer): string {
  const pub = key.subarray(key.length - 32);
  return `${ALGORITHM} ${Buffer.concat([sshString(ALGORITHM), sshString(pub)]).toString("base64")}`;
}
