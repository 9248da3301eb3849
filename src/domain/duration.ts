// Durations as an operator writes them: "45s", "90m", "2h", "30d", or a number of seconds.
const UNIT_S: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** The seconds `v` names, or undefined when it is not a positive duration. */
export function durationSeconds(v: unknown): number | undefined {
  const m = typeof v === "number" ? [String(v), String(v), "s"] : typeof v === "string" ? /^(\d+)([smhd]?)$/.exec(v) : null;
  const s = m ? Number(m[1]) * UNIT_S[m[2] || "s"] : NaN;
  return Number.isSafeInteger(s) && s > 0 ? s : undefined;
}
