// Each test checks its own refusals: the request log lines a server wrote while the test ran must each carry a code
// the answering action documents (shared/spec/*/errors.json), or a common code (protocol.md). A file's later test
// never reads what its earlier tests logged.
import { afterEach, beforeEach, expect } from "vitest";
import { SERVICES } from "../../src/api/spec.js";
import { COMMON_CODES } from "../../src/domain/errors.js";

/** The codes `action` documents, in whichever service has it. */
function documented(action: string): readonly string[] {
  return SERVICES.find((s) => Object.hasOwn(s.actions, action))?.actions[action].errors ?? [];
}

/** The refusals among `lines`, for the actions `which` picks. */
export function refusals(lines: readonly string[], which: (action: string) => boolean): { action: string; code: string }[] {
  return lines.flatMap((line) => {
    const m = /msg=request .*\baction=(\S+) .*\bcode=(\S+)/.exec(line);
    return m && which(m[1]) && m[2] !== "OK" ? [{ action: m[1], code: m[2] }] : [];
  });
}

/**
 * After each test of the file, checks the refusals logged during it by the servers `logs` gives (their `logs`
 * arrays; one started within the test counts from its first line).
 */
export function everyRefusalDocumented(logs: () => readonly (readonly string[])[], which: (action: string) => boolean): void {
  const marks = new Map<readonly string[], number>();
  beforeEach(() => {
    marks.clear();
    for (const l of logs()) marks.set(l, l.length);
  });
  afterEach(() => {
    const answered = logs().flatMap((l) => refusals(l.slice(marks.get(l) ?? 0), which));
    expect(answered.filter(({ action, code }) => !COMMON_CODES.has(code) && !documented(action).includes(code)), "refusals with a code the action does not document").toEqual([]);
  });
}
