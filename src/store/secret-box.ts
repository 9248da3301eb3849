// SecretKeys are kept encrypted (AES-256-GCM, the SecretId as associated data so a sealed key cannot be moved to
// another row) with a key that lives outside the database: <data>/store-key (0600, generated at first start) or a
// file the operator names. A copy of the database alone reveals no key. Values written before this existed are
// plaintext; they are sealed when the store opens.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { chmodSync, readFileSync, statSync, writeFileSync } from "node:fs";

export const STORE_KEY_FILE = "store-key";
const PREFIX = "aes256gcm:";

export class SecretBox {
  constructor(private readonly key: Buffer) {}

  static ephemeral(): SecretBox {
    return new SecretBox(randomBytes(32));
  }

  seal(secretId: string, plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv).setAAD(Buffer.from(secretId));
    const sealed = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString("base64");
  }

  open(secretId: string, stored: string): string {
    const raw = Buffer.from(stored.slice(PREFIX.length), "base64");
    const decipher = createDecipheriv("aes-256-gcm", this.key, raw.subarray(0, 12)).setAAD(Buffer.from(secretId));
    decipher.setAuthTag(raw.subarray(12, 28));
    try {
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
    } catch {
      throw new Error(`The SecretKey of ${secretId} does not open with this store key: is it the data directory's own?`);
    }
  }

  static isSealed(stored: string): boolean {
    return stored.startsWith(PREFIX);
  }
}

/**
 * The key in `file` (32 bytes, base64), made when `create` and the file is missing. A generated key file is kept
 * 0600; an operator's is used as given.
 */
export function loadStoreKey(file: string, create: boolean): SecretBox {
  let text: string | undefined;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT" || !create) throw new Error(`Cannot read the store key ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (text === undefined) {
    const key = randomBytes(32);
    writeFileSync(file, key.toString("base64") + "\n", { mode: 0o600, flag: "wx" });
    return new SecretBox(key);
  }
  if (create && statSync(file).mode & 0o077) chmodSync(file, 0o600);
  const key = Buffer.from(text.trim(), "base64");
  if (key.length !== 32) throw new Error(`The store key ${file} must hold 32 bytes in base64 (${key.length} found).`);
  return new SecretBox(key);
}
