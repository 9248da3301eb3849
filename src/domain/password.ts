// Login passwords (LoginSettings.Password, ResetInstancesPassword.Password): the complexity rules of
// shared/cvm-api/limits.md §6, and the user an image logs in with by default.

import { fail } from "./errors.js";
import { cryptSalt, sha512Crypt } from "./sha512-crypt.js";

// The union of the two documented lists: RunInstances lists the first 26, ResetInstancesPassword adds `_ < >`.
// One set for every action, so a password accepted by one is never refused by another.
export const PASSWORD_SPECIALS = "()`~!@#$%^&*-+=|{}[]:;',.?/_<>";

const CLASSES: readonly RegExp[] = [/[a-z]/, /[A-Z]/, /[0-9]/, /[()`~!@#$%^&*\-+=|{}[\]:;',.?/_<>]/];
const ALLOWED = /^[A-Za-z0-9()`~!@#$%^&*\-+=|{}[\]:;',.?/_<>]*$/;

interface Reason {
  en: string;
  zh: string;
}

function passwordProblem(password: string, platform: "LINUX" | "WINDOWS", userName?: string): Reason | undefined {
  const windows = platform === "WINDOWS";
  const [min, max] = windows ? [12, 30] : [8, 30];
  if (password.length < min || password.length > max) {
    return {
      en: `${windows ? "a Windows" : "a Linux"} password has ${min} to ${max} characters`,
      zh: `${windows ? "Windows" : "Linux"} 密码长度为 ${min} 到 ${max} 个字符`,
    };
  }
  // Never name the offending character: it is a piece of the password.
  if (!ALLOWED.test(password)) {
    return {
      en: `it contains a character that is not allowed; use letters, digits and ${PASSWORD_SPECIALS}`,
      zh: `包含不允许的字符，只能使用字母、数字和 ${PASSWORD_SPECIALS}`,
    };
  }
  // Documented for Windows and for ResetInstancesPassword on Linux; limits.md's strict reading applies it to both.
  if (password.startsWith("/")) {
    return { en: "it may not start with `/`", zh: "不能以 `/` 开头" };
  }
  // Three classes on both systems: the stricter of the two Linux texts (the RunInstances one says two).
  const classes = CLASSES.filter((c) => c.test(password)).length;
  if (classes < 3) {
    return {
      en: "it must contain at least three of: lower-case letters, upper-case letters, digits, special characters",
      zh: "必须至少包含小写字母、大写字母、数字、特殊符号中的三种",
    };
  }
  // Windows refuses a password containing the account name, whatever the case (as Windows' own policy does).
  if (windows && userName && password.toLowerCase().includes(userName.toLowerCase())) {
    return { en: `it may not contain the user name \`${userName}\``, zh: `不能包含用户名 \`${userName}\`` };
  }
  return undefined;
}

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
