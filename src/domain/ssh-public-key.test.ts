// Public keys made by ssh-keygen are accepted with the fingerprint and size ssh-keygen reports; keys made by
// generateRsaKeyPair are read back by ssh-keygen; anything else is refused with a reason.
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateRsaKeyPair } from "./rsa-key-pair.js";
import { fingerprint, MAX_LINE, parsePublicKey, PublicKeyError } from "./ssh-public-key.js";
import { writeBytes, writeMpint } from "./ssh-wire.js";

const dir = mkdtempSync(join(tmpdir(), "opencvm-ssh-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A key made by ssh-keygen: its public line and what `ssh-keygen -l` says of it. */
function sshKeygen(name: string, args: string[]): { line: string; bits: number; fingerprint: string } {
  const file = join(dir, name);
  execFileSync("ssh-keygen", ["-q", "-N", "", "-C", `${name}@test`, "-f", file, ...args]);
  const [bits, fp] = execFileSync("ssh-keygen", ["-l", "-f", `${file}.pub`], { encoding: "utf8" }).split(" ");
  return { line: readFileSync(`${file}.pub`, "utf8"), bits: Number(bits), fingerprint: fp };
}

const b64 = (...parts: Buffer[]) => Buffer.concat(parts).toString("base64");

function refusal(text: string): string {
  try {
    parsePublicKey(text);
  } catch (e) {
    if (e instanceof PublicKeyError) return e.en;
    throw e;
  }
  throw new Error("expected the key to be refused");
}

describe("parsePublicKey with keys ssh-keygen made", () => {
  it.each([
    ["rsa", ["-t", "rsa", "-b", "2048"], "ssh-rsa"],
    ["rsa3072", ["-t", "rsa", "-b", "3072"], "ssh-rsa"],
    ["ed25519", ["-t", "ed25519"], "ssh-ed25519"],
    ["ecdsa256", ["-t", "ecdsa", "-b", "256"], "ecdsa-sha2-nistp256"],
    ["ecdsa384", ["-t", "ecdsa", "-b", "384"], "ecdsa-sha2-nistp384"],
    ["ecdsa521", ["-t", "ecdsa", "-b", "521"], "ecdsa-sha2-nistp521"],
  ])("%s: the fingerprint and size ssh-keygen -l reports", (name, args, type) => {
    const made = sshKeygen(name, args);
    const key = parsePublicKey(made.line);
    expect(key).toMatchObject({ type, bits: made.bits, fingerprint: made.fingerprint, comment: `${name}@test`, line: made.line.trim() });
    expect(fingerprint(key.blob)).toBe(made.fingerprint);
  });

  it("keeps a comment with spaces, and a key without one", () => {
    const [type, data] = sshKeygen("plain", ["-t", "ed25519"]).line.split(" ");
    expect(parsePublicKey(`  ${type}\t${data}   my laptop key \n`)).toMatchObject({ comment: "my laptop key", line: `${type} ${data} my laptop key` });
    expect(parsePublicKey(`${type} ${data}`)).toMatchObject({ comment: "", line: `${type} ${data}` });
  });
});

describe("generateRsaKeyPair", () => {
  it("returns a PKCS#1 PEM private key whose public half ssh-keygen derives as the returned line", async () => {
    const pair = await generateRsaKeyPair("skey-abcdefgh");
    expect(pair.privateKey).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+\n-----END RSA PRIVATE KEY-----\n$/);
    const file = join(dir, "generated");
    writeFileSync(file, pair.privateKey, { mode: 0o600 });
    const derived = execFileSync("ssh-keygen", ["-y", "-f", file], { encoding: "utf8" }).trim();
    const [type, data, comment] = pair.publicKey.split(" ");
    expect(derived.split(" ").slice(0, 2)).toEqual([type, data]);
    expect(comment).toBe("skey-abcdefgh");
    const [bits, fp] = execFileSync("ssh-keygen", ["-l", "-f", file], { encoding: "utf8" }).split(" ");
    expect([Number(bits), fp]).toEqual([2048, pair.fingerprint]);
    expect(parsePublicKey(pair.publicKey)).toMatchObject({ bits: 2048, fingerprint: pair.fingerprint });
  });
});

describe("parsePublicKey refuses", () => {
  const ed = sshKeygen("base", ["-t", "ed25519"]).line.split(" ");
  const ecdsa = sshKeygen("base256", ["-t", "ecdsa", "-b", "256"]).line.split(" ");
  const edBlob = Buffer.from(ed[1], "base64");
  const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ format: "jwk" });
  const rsaBlob = (e: string, n: string) => b64(writeBytes("ssh-rsa"), writeMpint(Buffer.from(e, "base64url")), writeMpint(Buffer.from(n, "base64url")));

  it.each([
    ["an unknown type", `ssh-dss ${ed[1]}`, "not one of"],
    ["a security-key type", `sk-ssh-ed25519@openssh.com ${ed[1]}`, "not one of"],
    ["an empty text", "", "not one of"],
    ["authorized_keys options before the key", `from="10.0.0.1" ${ed.join(" ")}`, "not one of"],
    ["a private key", "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----", "one line"],
    ["two keys", `${ed.join(" ")}\n${ecdsa.join(" ")}`, "one line"],
    ["data that is not Base64", "ssh-ed25519 AAAA!!!!", "not Base64"],
    ["Base64 without its padding (ssh-keygen refuses it too)", `${ecdsa[0]} ${ecdsa[1].replace(/=+$/, "")}`, "not Base64"],
    ["no key data", "ssh-ed25519", "not Base64"],
    ["a blob of another type than the line names", `ssh-rsa ${ed[1]}`, "holds a `ssh-ed25519` key"],
    ["an ECDSA blob under another curve's name", `ecdsa-sha2-nistp384 ${ecdsa[1]}`, "holds a `ecdsa-sha2-nistp256` key"],
    ["a truncated blob", `ssh-ed25519 ${edBlob.subarray(0, edBlob.length - 1).toString("base64")}`, "runs past the end"],
    ["bytes after the key", `ssh-ed25519 ${b64(edBlob, Buffer.from([0]))}`, "after the last field"],
    ["an Ed25519 key of the wrong length", `ssh-ed25519 ${b64(writeBytes("ssh-ed25519"), writeBytes(Buffer.alloc(31, 7)))}`, "32 bytes"],
    ["an ECDSA blob naming another curve inside", `ecdsa-sha2-nistp256 ${b64(writeBytes("ecdsa-sha2-nistp256"), writeBytes("nistp384"), writeBytes(Buffer.alloc(65, 4)))}`, "names the curve"],
    ["a compressed ECDSA point", `ecdsa-sha2-nistp256 ${b64(writeBytes("ecdsa-sha2-nistp256"), writeBytes("nistp256"), writeBytes(Buffer.alloc(33, 2)))}`, "uncompressed"],
    ["an ECDSA point off the curve", `ecdsa-sha2-nistp256 ${b64(writeBytes("ecdsa-sha2-nistp256"), writeBytes("nistp256"), writeBytes(Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 1)])))}`, "not on the curve"],
    ["an RSA key below 1024 bits", `ssh-rsa ${rsaBlob(rsa.e!, Buffer.from(rsa.n!, "base64url").subarray(64).toString("base64url"))}`, "1024-16384 bits"],
    ["an even RSA exponent", `ssh-rsa ${rsaBlob("Ag", rsa.n!)}`, "not a usable key"],
    ["an RSA exponent of 1", `ssh-rsa ${rsaBlob("AQ", rsa.n!)}`, "not a usable key"],
    ["a text longer than the limit", `ssh-ed25519 ${ed[1]} ${"x".repeat(MAX_LINE)}`, "longer than"],
  ])("%s", (_, text, reason) => {
    expect(refusal(text)).toContain(reason);
  });

  it("names the reason in Chinese too", () => {
    expect(() => parsePublicKey(`ssh-rsa ${ed[1]}`)).toThrow(PublicKeyError);
    try {
      parsePublicKey("ssh-dss AAAA");
    } catch (e) {
      expect((e as PublicKeyError).zh).toContain("密钥类型");
    }
  });
});
