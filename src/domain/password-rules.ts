// The complexity rules of login passwords (shared/cvm-api/limits.md §6), on their own and importing nothing, so the
// web console checks a password as it is typed by the very rules the actions apply.

// The union of the two documented lists: RunInstances lists the first 26, ResetInstancesPassword adds `_ < >`.
// One set for every action, so a password accepted by one is never refused by another.
export const PASSWORD_SPECIALS = "()`~!@#$%^&*-+=|{}[]:;',.?/_<>";

const CLASSES: readonly RegExp[] = [/[a-z]/, /[A-Z]/, /[0-9]/, /[()`~!@#$%^&*\-+=|{}[\]:;',.?/_<>]/];
const ALLOWED = /^[A-Za-z0-9()`~!@#$%^&*\-+=|{}[\]:;',.?/_<>]*$/;

export interface Reason {
  en: string;
  zh: string;
}

/** Why the password breaks the rules for the platform, in both languages; undefined when it keeps them. */
export function passwordProblem(password: string, platform: "LINUX" | "WINDOWS", userName?: string): Reason | undefined {
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
