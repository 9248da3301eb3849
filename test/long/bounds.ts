// The long runs' bounds: each an environment variable (documented in the README's "Trust suite") or its default.

/** The positive whole number in the environment variable `name`, or `fallback` when it is unset. */
export function bound(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number, not "${raw}"`);
  return n;
}
