// Resource ids in the real cloud's shape: a prefix, a dash and eight lower-case letters or digits (ins-2zvbk1a7).
import { randomInt } from "node:crypto";

const CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

export function randomId(prefix: string): string {
  let s = `${prefix}-`;
  for (let i = 0; i < 8; i++) s += CHARS[randomInt(CHARS.length)];
  return s;
}

/** Whether `id` has the shape of an id with this prefix. */
export function isIdOf(prefix: string, id: string): boolean {
  return new RegExp(`^${prefix}-[a-z0-9]{8}$`).test(id);
}
