// API key pairs in the real cloud's shape: a 36-character SecretId starting with AKID and a 32-character SecretKey.
import { randomInt } from "node:crypto";

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function random(length: number): string {
  let s = "";
  for (let i = 0; i < length; i++) s += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return s;
}

export function generateKeyPair(): { secretId: string; secretKey: string } {
  return { secretId: `AKID${random(32)}`, secretKey: random(32) };
}
