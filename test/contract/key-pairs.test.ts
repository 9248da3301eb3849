// Key pairs through the official SDK: CreateKeyPair (a real RSA key ssh-keygen accepts, never stored),
// ImportKeyPair (every OpenSSH type, fingerprinted as ssh-keygen does), DescribeKeyPairs (ids, filters, paging),
// ModifyKeyPairAttribute, DeleteKeyPairs, the name rules, the quota, regions and accounts.
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe as group, expect, it } from "vitest";
import type { Client } from "tencentcloud-sdk-nodejs-cvm/tencentcloud/services/cvm/v20170312/cvm_client.js";
import { parsePublicKey } from "../../src/domain/ssh-public-key.js";
import { writeBytes } from "../../src/domain/ssh-wire.js";
import { generateKeyPair as generateSecret } from "../../src/keys.js";
import { SshKeygen } from "../helpers/ssh-keygen.js";
import { cvmClient, sdkError, startServer, type TestServer } from "../helpers/server.js";

let server: TestServer;
let cvm: Client;
const keygen = new SshKeygen();
beforeAll(async () => {
  server = await startServer({ OPENCVM_TIMING: "instant" });
  cvm = cvmClient(server, { language: "en-US" });
});
afterAll(async () => {
  await server.close();
  keygen.close();
});

let n = 0;
/** A fresh, valid key name. */
const name = () => `key_${n++}`;

/** An OpenSSH Ed25519 public line made without ssh-keygen (fast, for tests that need many keys). */
function ed25519(comment = "bulk"): string {
  const raw = Buffer.from(generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" }).x!, "base64url");
  return `ssh-ed25519 ${Buffer.concat([writeBytes("ssh-ed25519"), writeBytes(raw)]).toString("base64")} ${comment}`;
}

async function describeKey(id: string, c: Client = cvm) {
  return (await c.DescribeKeyPairs({ KeyIds: [id] })).KeyPairSet![0];
}

group("CreateKeyPair", () => {
  it("returns an RSA 2048 private key once, whose public half ssh-keygen derives as the stored one", async () => {
    const { KeyPair: created } = await cvm.CreateKeyPair({ KeyName: "deploy", ProjectId: 0 });
    expect(created).toMatchObject({ KeyName: "deploy", ProjectId: 0, Description: "", AssociatedInstanceIds: [], Tags: [] });
    expect(created!.KeyId).toMatch(/^skey-[a-z0-9]{8}$/);
    expect(created!.CreatedTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(created!.PrivateKey).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+\n-----END RSA PRIVATE KEY-----\n$/);

    const stored = await describeKey(created!.KeyId!);
    expect(stored.PrivateKey).toBeUndefined();
    expect(stored.PublicKey).toBe(created!.PublicKey);
    expect(stored.PublicKey).toMatch(new RegExp(`^ssh-rsa AAAA\\S+ ${created!.KeyId}$`));
    // OpenSSH reads the private key and derives exactly the stored public key from it.
    const derived = keygen.publicOf(created!.PrivateKey!);
    expect(derived.split(" ").slice(0, 2)).toEqual(stored.PublicKey!.split(" ").slice(0, 2));
    // Its fingerprint, computed by OpenCVM, is the one ssh-keygen prints for the private and the public key.
    const fp = parsePublicKey(stored.PublicKey!).fingerprint;
    expect(keygen.fingerprint(created!.PrivateKey!)).toEqual({ bits: 2048, fingerprint: fp });
    expect(keygen.fingerprint(stored.PublicKey!)).toEqual({ bits: 2048, fingerprint: fp });
  });

  it("never writes the private key to the store or the log", async () => {
    const data = mkdtempSync(join(tmpdir(), "opencvm-keys-"));
    const s = await startServer({ OPENCVM_DATA: data });
    try {
      const { KeyPair } = await cvmClient(s).CreateKeyPair({ KeyName: "secret", ProjectId: 0 });
      // Any line of the key's body would do; the middle one is neither header nor public modulus.
      const lines = KeyPair!.PrivateKey!.split("\n");
      const secret = lines[Math.floor(lines.length / 2)];
      await s.close();
      for (const file of readdirSync(data)) expect(readFileSync(join(data, file)).includes(secret), file).toBe(false);
      expect(s.logs.join("\n")).not.toContain(secret);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });

  it("tags the key pair and files it under its project", async () => {
    const { KeyPair } = await cvm.CreateKeyPair({ KeyName: name(), ProjectId: 7, TagSpecification: [{ ResourceType: "keypair", Tags: [{ Key: "team", Value: "infra" }] }] });
    expect(await describeKey(KeyPair!.KeyId!)).toMatchObject({ ProjectId: 7, Tags: [{ Key: "team", Value: "infra" }] });
  });

  it("accepts a name of 25 letters, digits and underscores", async () => {
    const keyName = "Az_09".repeat(5);
    expect((await cvm.CreateKeyPair({ KeyName: keyName, ProjectId: 0 })).KeyPair!.KeyName).toBe(keyName);
  });

  it.each([
    [{ KeyName: "" }, "InvalidKeyPairNameEmpty", "KeyName"],
    [{ KeyName: "k".repeat(26) }, "InvalidKeyPairNameTooLong", "25"],
    [{ KeyName: "my-key" }, "InvalidKeyPairNameIncludeIllegalChar", "my-key"],
    [{ KeyName: "密钥" }, "InvalidKeyPairNameIncludeIllegalChar", "KeyName"],
    [{ KeyName: "deploy" }, "InvalidKeyPairName.Duplicate", "deploy"],
    [{ ProjectId: -1 }, "InvalidProjectId.NotFound", "ProjectId"],
    [{ TagSpecification: [{ ResourceType: "keypair", Tags: [{ Key: "qcloud:x", Value: "1" }] }] }, "FailedOperation.TagKeyReserved", "qcloud:x"],
    [{ TagSpecification: [{ ResourceType: "instance", Tags: [{ Key: "a", Value: "1" }] }] }, "InvalidParameterValue", "TagSpecification.0.ResourceType"],
    [{ TagSpecification: [{ ResourceType: "keypair", Tags: [{ Key: "a", Value: "1" }, { Key: "a", Value: "2" }] }] }, "InvalidParameterValue", "TagSpecification.0.Tags.1.Key"],
    [{ TagSpecification: [{ ResourceType: "keypair", Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: "v" })) }] }, "LimitExceeded.TagResourceQuota", "50"],
  ] as const)("refuses %j with %s naming %s, creating nothing", async (extra, code, named) => {
    // "deploy" exists from the first test.
    const before = (await cvm.DescribeKeyPairs({})).TotalCount;
    const err = await sdkError(cvm.CreateKeyPair({ KeyName: name(), ProjectId: 0, ...(extra as object) }));
    expect(err.code).toBe(code);
    expect(err.message).toContain(named);
    expect((await cvm.DescribeKeyPairs({})).TotalCount).toBe(before);
  });

  it("names the field in Chinese by default", async () => {
    const err = await sdkError(cvmClient(server).CreateKeyPair({ KeyName: "a b", ProjectId: 0 }));
    expect(err.message).toContain("密钥对名称只能包含字母、数字和下划线");
  });
});

group("ImportKeyPair", () => {
  it.each([
    ["rsa", 2048],
    ["rsa", 4096],
    ["ed25519", undefined],
    ["ecdsa", 256],
    ["ecdsa", 384],
    ["ecdsa", 521],
  ] as const)("imports an ssh-keygen %s %s key with the fingerprint ssh-keygen reports", async (type, bits) => {
    const line = keygen.generate(type, bits);
    const { KeyId } = await cvm.ImportKeyPair({ KeyName: name(), ProjectId: 0, PublicKey: `${line}\n` });
    const stored = await describeKey(KeyId!);
    expect(stored.PublicKey).toBe(line);
    expect(parsePublicKey(stored.PublicKey!).fingerprint).toBe(keygen.fingerprint(line).fingerprint);
  });

  it("refuses the same public key twice, whatever its comment", async () => {
    const line = keygen.generate("ed25519");
    await cvm.ImportKeyPair({ KeyName: name(), ProjectId: 0, PublicKey: line });
    const again = line.replace(/\S+$/, "another-comment");
    const err = await sdkError(cvm.ImportKeyPair({ KeyName: name(), ProjectId: 0, PublicKey: again }));
    expect(err.code).toBe("InvalidPublicKey.Duplicate");
    expect(err.message).toContain(keygen.fingerprint(line).fingerprint);
  });

  it("refuses the public key of a key pair CreateKeyPair made", async () => {
    const { KeyPair } = await cvm.CreateKeyPair({ KeyName: name(), ProjectId: 0 });
    expect((await sdkError(cvm.ImportKeyPair({ KeyName: name(), ProjectId: 0, PublicKey: KeyPair!.PublicKey! }))).code).toBe("InvalidPublicKey.Duplicate");
  });

  it.each([
    ["a DSA key", () => "ssh-dss AAAAB3NzaC1kc3MAAACBAP== dsa", "ssh-dss"],
    ["text that is no key", () => "hello world", "hello"],
    ["an Ed25519 blob under the ssh-rsa name", () => `ssh-rsa ${keygen.generate("ed25519").split(" ")[1]}`, "ssh-ed25519"],
    ["a private key", () => generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs1", format: "pem" }) as string, "one line"],
    ["a truncated key", () => keygen.generate("ecdsa", 256).slice(0, 60), "PublicKey"],
  ])("refuses %s with InvalidPublicKey.Malformed, saying why", async (_, key, why) => {
    const err = await sdkError(cvm.ImportKeyPair({ KeyName: name(), ProjectId: 0, PublicKey: key() }));
    expect(err.code).toBe("InvalidPublicKey.Malformed");
    expect(err.message).toContain("PublicKey");
    expect(err.message).toContain(why);
  });

  it.each([
    ["", "InvalidKeyPairNameEmpty"],
    ["x".repeat(26), "InvalidKeyPairNameTooLong"],
    ["a.b", "InvalidKeyPairNameIncludeIllegalChar"],
    ["deploy", "InvalidKeyPairName.Duplicate"],
  ])("refuses the name %j with %s", async (keyName, code) => {
    expect((await sdkError(cvm.ImportKeyPair({ KeyName: keyName, ProjectId: 0, PublicKey: ed25519() }))).code).toBe(code);
  });

  it("refuses tags with the codes it documents", async () => {
    // ImportKeyPair documents no FailedOperation.TagKeyReserved: the generic code stands in.
    const err = await sdkError(cvm.ImportKeyPair({ KeyName: name(), ProjectId: 0, PublicKey: ed25519(), TagSpecification: [{ ResourceType: "keypair", Tags: [{ Key: "qcloud:x", Value: "1" }] }] }));
    expect(err.code).toBe("InvalidParameterValue");
    expect(err.message).toContain("qcloud:x");
  });
});

group("DescribeKeyPairs", () => {
  const region = "ap-nanjing";
  let nanjing: Client;
  const ids: string[] = [];
  beforeAll(async () => {
    nanjing = cvmClient(server, { region, language: "en-US" });
    for (let i = 0; i < 25; i++) {
      const tags = [{ Key: "parity", Value: i % 2 ? "odd" : "even" }, ...(i % 5 === 0 ? [{ Key: "fifth", Value: "yes" }] : [])];
      ids.push((await nanjing.ImportKeyPair({ KeyName: `nj_${i}`, ProjectId: i % 3, PublicKey: ed25519(), TagSpecification: [{ ResourceType: "keypair", Tags: tags }] })).KeyId!);
    }
  });

  it("pages the region's key pairs newest first, 20 by default and at most 100", async () => {
    const first = await nanjing.DescribeKeyPairs({});
    expect(first.TotalCount).toBe(25);
    expect(first.KeyPairSet!.map((k) => k.KeyId)).toEqual(ids.slice(5).reverse());
    const rest = await nanjing.DescribeKeyPairs({ Offset: 20, Limit: 10 });
    expect(rest.KeyPairSet!.map((k) => k.KeyId)).toEqual(ids.slice(0, 5).reverse());
    expect(rest.TotalCount).toBe(25);
    expect((await nanjing.DescribeKeyPairs({ Limit: 100 })).KeyPairSet).toHaveLength(25);
    expect((await sdkError(nanjing.DescribeKeyPairs({ Limit: 101 }))).code).toBe("InvalidParameterValue.LimitExceeded");
    expect((await sdkError(nanjing.DescribeKeyPairs({ Offset: -1 }))).code).toBe("InvalidParameterValue");
  });

  it("finds key pairs by id, leaving out ids that are not the caller's here", async () => {
    const out = await nanjing.DescribeKeyPairs({ KeyIds: [ids[3], "skey-00000000", ids[7]] });
    expect(out.TotalCount).toBe(2);
    expect(out.KeyPairSet!.map((k) => k.KeyId).sort()).toEqual([ids[3], ids[7]].sort());
    // Key pairs are regional: the same ids in another region find nothing.
    expect((await cvm.DescribeKeyPairs({ KeyIds: [ids[3]] })).TotalCount).toBe(0);
  });

  it.each([
    [[{ Name: "key-name", Values: ["nj_4", "nj_5", "nj_"] }], [4, 5]],
    [[{ Name: "project-id", Values: ["2"] }], [2, 5, 8, 11, 14, 17, 20, 23]],
    [[{ Name: "tag-key", Values: ["fifth"] }], [0, 5, 10, 15, 20]],
    [[{ Name: "tag-value", Values: ["yes"] }], [0, 5, 10, 15, 20]],
    [[{ Name: "tag:parity", Values: ["odd"] }, { Name: "tag-key", Values: ["fifth"] }], [5, 15]],
    [[{ Name: "tag:parity", Values: ["even", "odd"] }, { Name: "project-id", Values: ["0"] }], [0, 3, 6, 9, 12, 15, 18, 21, 24]],
    [[{ Name: "tag:fifth", Values: ["no"] }], []],
  ])("filters %j", async (filters, which) => {
    const out = await nanjing.DescribeKeyPairs({ Filters: filters, Limit: 100 });
    expect(out.KeyPairSet!.map((k) => k.KeyName).sort()).toEqual(which.map((i) => `nj_${i}`).sort());
    expect(out.TotalCount).toBe(which.length);
  });

  it.each([
    [{ KeyIds: ["skey-00000000"], Filters: [{ Name: "key-name", Values: ["a"] }] }, "InvalidParameter"],
    [{ KeyIds: ["key-1"] }, "InvalidKeyPairId.Malformed"],
    [{ KeyIds: Array.from({ length: 101 }, (_, i) => `skey-${String(i).padStart(8, "0")}`) }, "InvalidParameterValue.LimitExceeded"],
    [{ Filters: [{ Name: "fingerprint", Values: ["x"] }] }, "InvalidFilter"],
    [{ Filters: [{ Name: "project-id", Values: ["default"] }] }, "InvalidParameterValue"],
    [{ Filters: [{ Name: "key-name", Values: ["a", "b", "c", "d", "e", "f"] }] }, "InvalidFilterValue.LimitExceeded"],
    [{ Filters: Array.from({ length: 11 }, () => ({ Name: "key-name", Values: ["a"] })) }, "InvalidFilterValue.LimitExceeded"],
  ])("refuses %j with %s", async (req, code) => {
    expect((await sdkError(nanjing.DescribeKeyPairs(req))).code).toBe(code);
  });

  it("lets another region reuse a name", async () => {
    const { KeyPair } = await cvm.CreateKeyPair({ KeyName: "nj_0", ProjectId: 0 });
    expect(KeyPair!.KeyName).toBe("nj_0");
  });
});

group("ModifyKeyPairAttribute", () => {
  it("renames a key pair, describes it, or both", async () => {
    const KeyId = (await cvm.ImportKeyPair({ KeyName: name(), ProjectId: 0, PublicKey: ed25519() })).KeyId!;
    await cvm.ModifyKeyPairAttribute({ KeyId, KeyName: "renamed" });
    expect(await describeKey(KeyId)).toMatchObject({ KeyName: "renamed", Description: "" });
    await cvm.ModifyKeyPairAttribute({ KeyId, Description: "ops laptop, 2026" });
    expect(await describeKey(KeyId)).toMatchObject({ KeyName: "renamed", Description: "ops laptop, 2026" });
    await cvm.ModifyKeyPairAttribute({ KeyId, KeyName: "renamed", Description: "说".repeat(60) });
    expect(await describeKey(KeyId)).toMatchObject({ KeyName: "renamed", Description: "说".repeat(60) });
    expect((await cvm.DescribeKeyPairs({ Filters: [{ Name: "key-name", Values: ["renamed"] }] })).KeyPairSet!.map((k) => k.KeyId)).toEqual([KeyId]);
  });

  it.each([
    [{}, "MissingParameter", "KeyName"],
    [{ KeyName: "deploy" }, "InvalidKeyPairName.Duplicate", "deploy"],
    [{ KeyName: "bad name" }, "InvalidParameterValue", "KeyName"],
    [{ KeyName: "" }, "InvalidParameterValue", "KeyName"],
    [{ KeyName: "n".repeat(26) }, "InvalidParameterValue", "25"],
    [{ Description: "d".repeat(61) }, "InvalidParameterValue", "Description"],
  ] as const)("refuses %j with %s, changing nothing", async (change, code, named) => {
    const keyName = name();
    const KeyId = (await cvm.ImportKeyPair({ KeyName: keyName, ProjectId: 0, PublicKey: ed25519() })).KeyId!;
    const err = await sdkError(cvm.ModifyKeyPairAttribute({ KeyId, ...change }));
    expect(err.code).toBe(code);
    expect(err.message).toContain(named);
    expect(await describeKey(KeyId)).toMatchObject({ KeyName: keyName, Description: "" });
  });

  it.each([
    ["skey-00000000", "InvalidKeyPairId.NotFound"],
    ["skey-1", "InvalidKeyPairId.Malformed"],
  ])("refuses the key %s with %s", async (id, code) => {
    expect((await sdkError(cvm.ModifyKeyPairAttribute({ KeyId: id, KeyName: "x" }))).code).toBe(code);
  });
});

group("DeleteKeyPairs", () => {
  it("deletes key pairs, after which their names and public keys are free again", async () => {
    const line = ed25519();
    const a = (await cvm.ImportKeyPair({ KeyName: "gone_a", ProjectId: 0, PublicKey: line })).KeyId!;
    const b = (await cvm.CreateKeyPair({ KeyName: "gone_b", ProjectId: 0 })).KeyPair!.KeyId!;
    await cvm.DeleteKeyPairs({ KeyIds: [a, b] });
    expect((await cvm.DescribeKeyPairs({ KeyIds: [a, b] })).TotalCount).toBe(0);
    await cvm.ImportKeyPair({ KeyName: "gone_a", ProjectId: 0, PublicKey: line });
  });

  it.each([
    [["skey-00000000"], "InvalidKeyPairId.NotFound"],
    [["skey-x"], "InvalidKeyPairId.Malformed"],
    [Array.from({ length: 100 }, (_, i) => `skey-${String(i).padStart(8, "0")}`), "InvalidParameterValue.LimitExceeded"],
  ])("refuses the key pair with %j besides, with %s, deleting nothing", async (others, code) => {
    const { KeyId } = await cvm.ImportKeyPair({ KeyName: name(), ProjectId: 0, PublicKey: ed25519() });
    expect((await sdkError(cvm.DeleteKeyPairs({ KeyIds: [KeyId!, ...others] }))).code).toBe(code);
    expect((await cvm.DescribeKeyPairs({ KeyIds: [KeyId!] })).TotalCount).toBe(1);
  });

  it("refuses a key pair given twice", async () => {
    const { KeyId } = await cvm.ImportKeyPair({ KeyName: name(), ProjectId: 0, PublicKey: ed25519() });
    expect((await sdkError(cvm.DeleteKeyPairs({ KeyIds: [KeyId!, KeyId!] }))).code).toBe("InvalidParameterValue");
  });
});

group("the key pair quota", () => {
  it("stops at OPENCVM_KEY_PAIR_QUOTA per account and region, and a deletion makes room", async () => {
    const s = await startServer({ OPENCVM_KEY_PAIR_QUOTA: "2" });
    try {
      const c = cvmClient(s);
      const first = (await c.CreateKeyPair({ KeyName: "one", ProjectId: 0 })).KeyPair!.KeyId!;
      await c.ImportKeyPair({ KeyName: "two", ProjectId: 0, PublicKey: ed25519() });
      expect((await sdkError(c.CreateKeyPair({ KeyName: "three", ProjectId: 0 }))).code).toBe("InvalidKeyPair.LimitExceeded");
      expect((await sdkError(c.ImportKeyPair({ KeyName: "three", ProjectId: 0, PublicKey: ed25519() }))).code).toBe("InvalidKeyPair.LimitExceeded");
      // Another region has its own quota.
      await cvmClient(s, { region: "ap-beijing" }).CreateKeyPair({ KeyName: "three", ProjectId: 0 });
      await c.DeleteKeyPairs({ KeyIds: [first] });
      await c.CreateKeyPair({ KeyName: "three", ProjectId: 0 });
    } finally {
      await s.close();
    }
  });
});

group("another account", () => {
  it("sees and touches none of the key pairs, and may use the same names", async () => {
    const secret = generateSecret();
    await server.store.accounts.create(secret);
    const other = cvmClient(server, { ...secret, language: "en-US" });
    const mine = (await cvm.CreateKeyPair({ KeyName: name(), ProjectId: 0 })).KeyPair!;

    expect((await other.DescribeKeyPairs({})).TotalCount).toBe(0);
    expect((await other.DescribeKeyPairs({ KeyIds: [mine.KeyId!] })).TotalCount).toBe(0);
    expect((await other.DescribeKeyPairs({ Filters: [{ Name: "key-name", Values: [mine.KeyName!] }] })).TotalCount).toBe(0);
    expect((await sdkError(other.ModifyKeyPairAttribute({ KeyId: mine.KeyId!, KeyName: "stolen" }))).code).toBe("InvalidKeyPairId.NotFound");
    expect((await sdkError(other.DeleteKeyPairs({ KeyIds: [mine.KeyId!] }))).code).toBe("InvalidKeyPairId.NotFound");

    // Names and public keys are the account's own: the other account may hold the same.
    await other.CreateKeyPair({ KeyName: mine.KeyName!, ProjectId: 0 });
    await other.ImportKeyPair({ KeyName: "copy", ProjectId: 0, PublicKey: mine.PublicKey! });
    expect(await describeKey(mine.KeyId!)).toMatchObject({ KeyName: mine.KeyName, PublicKey: mine.PublicKey });
  });
});
