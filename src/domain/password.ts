// Login passwords (LoginSettings.Password, ResetInstancesPassword.Password): the complexity rules of
// shared/cvm-api/limits.md §6, and the user an image logs in with by default.

import { fail } from "./errors.js";
import { passwordProblem } from "./password-rules.js";
import { cryptSalt, sha512Crypt } from "./sha512-crypt.js";

export { PASSWORD_SPECIALS } from "./password-rules.js";

/**
 * Throws `InvalidParameterValue.InvalidPassword` (documented for RunInstances, ResetInstance and
 * ResetInstancesPassword; the bare `InvalidPassword` is missing from the last two) when the password breaks the
 * rules for the platform. The message names the field, never the password. For a ResetInstancesPassword batch
 * mixing Linux and Windows instances the caller passes "WINDOWS", whose rule then applies.
 */
export function validatePassword(password: string, platform: "LINUX" | "WINDOWS", field: string, userName?: string): void {
  const problem = passwordProblem(password, platform, userName);
  if (problem) {
    throw fail(
      "InvalidParameterValue.InvalidPassword",
      `The password given in parameter \`${field}\` is invalid: ${problem.en}.`,
      `参数 \`${field}\` 中的密码无效：${problem.zh}。`,
    );
  }
}

/** The account an image logs in with when no UserName is given: Administrator, ubuntu on Ubuntu, else root. */
export function defaultLoginUser(osName: string, platform: "LINUX" | "WINDOWS"): string {
  if (platform === "WINDOWS") return "Administrator";
  return /ubuntu/i.test(osName) ? "ubuntu" : "root";
}

/**
 * The SHA-512 crypt hash (`$6$<salt>$<hash>`) of a login password: what /etc/shadow takes, so a backend can write it
 * into a guest as it is. It is all that is kept or handed on, never the password.
 */
export function hashPassword(password: string): string {
  return sha512Crypt(password, cryptSalt());
}
