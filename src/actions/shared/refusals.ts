// How every action family refuses a request: naming the field and its value, in both languages, with a code the
// action documents. The real API's actions document different codes for the same fault, so a refusal lists its
// candidates, most specific first.
import { SERVICES } from "../../api/spec.js";
import { COMMON_CODES, fail, type TencentError } from "../../domain/errors.js";

/** A refusal of `field`'s `value`, saying why. */
export const invalid = (code: string, field: string, value: unknown, en: string, zh: string): TencentError =>
  fail(code, `\`${field}\` = \`${String(value)}\`: ${en}.`, `\`${field}\` = \`${String(value)}\`：${zh}。`);

/** A member of the spec that OpenCVM does not honour yet: said plainly rather than ignored. */
export const unsupported = (field: string): TencentError =>
  fail("UnsupportedOperation", `\`${field}\` is not supported by OpenCVM yet.`, `OpenCVM 暂不支持 \`${field}\`。`);

/**
 * The first of `codes` that `action` documents or that every action may answer (a common code), else `fallback`.
 * No action name is shared between services, so the name alone finds its error list.
 */
export function documentedCode(action: string, codes: readonly string[], fallback = "InvalidParameterValue"): string {
  const errors = SERVICES.find((s) => Object.hasOwn(s.actions, action))?.actions[action].errors ?? [];
  return codes.find((c) => errors.includes(c) || COMMON_CODES.has(c)) ?? fallback;
}

/** A string member holding a boolean (ForcePoweroff, KeepImageLogin): TRUE or FALSE in any case. */
export function booleanString(value: string | undefined, field: string): boolean {
  if (value === undefined) return false;
  const v = value.toUpperCase();
  if (v !== "TRUE" && v !== "FALSE") throw invalid("InvalidParameterValue", field, value, "use TRUE or FALSE", "取值应为 TRUE 或 FALSE");
  return v === "TRUE";
}
