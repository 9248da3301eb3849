// Instance names and host names: the auto-numbering patterns RunInstances expands when it creates several
// instances, and the rules a name must follow (shared/cvm-api/limits.md §7).

import { fail } from "./errors.js";

export const INSTANCE_NAME_MAX_LENGTH = 128;

// Exactly `{R:x}` or `{R:x,F:y}`, y a single digit 0..8; anything else (`{}`, `{R:1,F:9}`, spaces) stays literal.
const NUMBER_PATTERN = /\{R:(\d+)(?:,F:([0-8]))?\}/g;
const IP_PATTERN = "{IP}";

/** Replaces every number pattern in `text` with its start plus `offset`, padded (never truncated) to its width. */
function numberFor(text: string, offset: number): string {
  // BigInt so that a start with many digits still counts exactly.
  return text.replace(NUMBER_PATTERN, (_all, start: string, width: string | undefined) =>
    (BigInt(start) + BigInt(offset)).toString().padStart(Number(width ?? 0), "0"),
  );
}

function checkCount(count: number): void {
  // The caller has validated InstanceCount; anything else here is a bug, not a request error.
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
}

/** Length in characters as a person counts them, so a CJK name or an emoji counts once. */
function lengthOf(text: string): number {
  return [...text].length;
}

/**
 * The `count` instance names for an InstanceName: `{R:x}` / `{R:x,F:y}` count up from x; without a pattern and
 * with more than one instance, `1..count` is appended; a single instance gets the name as given.
 */
export function expandNames(pattern: string, count: number): string[] {
  checkCount(count);
  const numbered = pattern.search(NUMBER_PATTERN) >= 0;
  return Array.from({ length: count }, (_, i) => {
    if (numbered) return numberFor(pattern, i);
    return count > 1 ? `${pattern}${i + 1}` : pattern;
  });
}

/**
 * InstanceName is at most 128 characters. Call it with each expanded name (checking the longest is enough).
 * Code: `InvalidInstanceName.TooLong`, documented for RunInstances, InquiryPriceRunInstances,
 * ModifyInstancesAttribute and the launch-template actions; `InvalidParameterValue.TooLong` is only documented
 * for ResetInstancesPassword and the placement-group actions, so it would be wrong here.
 */
export function validateInstanceName(name: string, field: string): void {
  const length = lengthOf(name);
  if (length > INSTANCE_NAME_MAX_LENGTH) {
    throw fail(
      "InvalidInstanceName.TooLong",
      `The value \`${name}\` of parameter \`${field}\` is too long: ${length} characters, at most ${INSTANCE_NAME_MAX_LENGTH} are allowed.`,
      `参数 \`${field}\` 的取值 \`${name}\` 过长：共 ${length} 个字符，最多允许 ${INSTANCE_NAME_MAX_LENGTH} 个。`,
    );
  }
}

/**
 * The `count` host names for a HostName: the number patterns as for instance names plus `{IP}`, replaced by
 * `privateIps[i]` (the i-th instance's private IP). `{IP}` counts as a pattern, so no suffix is added with it.
 */
export function expandHostNames(pattern: string, count: number, privateIps: readonly string[]): string[] {
  checkCount(count);
  const numbered = pattern.search(NUMBER_PATTERN) >= 0;
  const withIp = pattern.includes(IP_PATTERN);
  if (withIp && privateIps.length < count) {
    throw new RangeError(`${count} host names need ${count} private IPs, got ${privateIps.length}`);
  }
  return Array.from({ length: count }, (_, i) => {
    if (!numbered && !withIp) return count > 1 ? `${pattern}${i + 1}` : pattern;
    const name = numberFor(pattern, i);
    // A function, not a string, as replacement so no `$` in the value is read as a replacement pattern.
    return withIp ? name.replaceAll(IP_PATTERN, () => privateIps[i]) : name;
  });
}

interface Reason {
  en: string;
  zh: string;
}

/** Why a host name breaks limits.md §7, or undefined when it is fine. */
function hostNameProblem(hostName: string, platform: "LINUX" | "WINDOWS"): Reason | undefined {
  const windows = platform === "WINDOWS";
  const [min, max] = windows ? [2, 15] : [2, 60];
  const length = lengthOf(hostName);
  if (length < min || length > max) {
    return {
      en: `${windows ? "a Windows" : "a Linux"} host name has ${min} to ${max} characters, this one has ${length}`,
      zh: `${windows ? "Windows" : "Linux"} 主机名长度为 ${min} 到 ${max} 个字符，当前为 ${length} 个`,
    };
  }
  if (windows && hostName.includes(".")) {
    return { en: "a Windows host name may not contain `.`", zh: "Windows 主机名不能包含 `.`" };
  }
  const bad = [...hostName].find((c) => !/[A-Za-z0-9.-]/.test(c));
  if (bad !== undefined) {
    return {
      en: `\`${bad}\` is not allowed; use letters, digits, \`-\`${windows ? "" : " and `.` between segments"}`,
      zh: `不允许字符 \`${bad}\`，只能使用字母、数字、\`-\`${windows ? "" : "，以及分隔各段的 `.`"}`,
    };
  }
  if (/^[.-]|[.-]$/.test(hostName)) {
    return { en: "`.` and `-` may not be the first or last character", zh: "`.` 和 `-` 不能作为首尾字符" };
  }
  // "May not appear consecutively": any two of `.`/`-` side by side, which also keeps Linux segments non-empty
  // and stops a segment from starting or ending with `-`.
  if (/[.-]{2}/.test(hostName)) {
    return { en: "`.` and `-` may not appear consecutively", zh: "`.` 和 `-` 不能连续使用" };
  }
  if (windows && /^\d+$/.test(hostName)) {
    return { en: "a Windows host name may not be all digits", zh: "Windows 主机名不能全为数字" };
  }
  return undefined;
}

/**
 * Host name rules of limits.md §7, checked on the expanded name (`{IP}` already replaced). Code:
 * `InvalidParameterValue.IllegalHostName`, documented for RunInstances, ResetInstance, ModifyInstancesAttribute
 * and the launch-template actions (`InvalidParameter.HostNameIllegal` is missing from RunInstances).
 */
export function validateHostName(hostName: string, platform: "LINUX" | "WINDOWS", field: string): void {
  const problem = hostNameProblem(hostName, platform);
  if (problem) {
    throw fail(
      "InvalidParameterValue.IllegalHostName",
      `The value \`${hostName}\` of parameter \`${field}\` is not a valid host name: ${problem.en}.`,
      `参数 \`${field}\` 的取值 \`${hostName}\` 不是合法的主机名：${problem.zh}。`,
    );
  }
}
