import { describe, expect, it } from "vitest";
import { TencentError } from "./errors.js";
import { defaultLoginUser, PASSWORD_SPECIALS, validatePassword } from "./password.js";

function thrown(fn: () => unknown): TencentError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TencentError) return err;
    throw err;
  }
  throw new Error("expected a TencentError");
}

const FIELD = "LoginSettings.Password";

describe("validatePassword on Linux", () => {
  it.each(["Abcdef12", "abcdef1!", "ABCDEF1(", "abcdEFG!", "Ab1".padEnd(30, "x"), "a_B<c>1234"])("accepts %s", (pw) => {
    expect(() => validatePassword(pw, "LINUX", FIELD)).not.toThrow();
  });

  it("accepts every listed special character", () => {
    for (const special of PASSWORD_SPECIALS) {
      expect(() => validatePassword(`Abcdefg${special}`, "LINUX", FIELD), special).not.toThrow();
    }
  });

  it.each([
    ["Abcde12", "8 to 30"],
    ["Ab1".padEnd(31, "x"), "8 to 30"],
    ["abcdefgh", "three"],
    ["abcdefg1", "three"],
    ["ABCDEFG!", "three"],
    ["12345678", "three"],
    ["/Abcdef1", "`/`"],
    ["Abcdef1 2", "not allowed"],
    ["Abcdef1\"", "not allowed"],
    ["Abcdef1\\", "not allowed"],
    ["Abcdéf12", "not allowed"],
  ])("refuses %s", (pw, reason) => {
    const err = thrown(() => validatePassword(pw, "LINUX", FIELD));
    expect(err.code).toBe("InvalidParameterValue.InvalidPassword");
    expect(err.en).toContain(`\`${FIELD}\``);
    expect(err.zh).toContain(`\`${FIELD}\``);
    expect(err.en).toContain(reason);
  });

  it("never echoes the password, even the character at fault", () => {
    for (const pw of ["Secret1 x", "secretpw", "Sécret12"]) {
      const err = thrown(() => validatePassword(pw, "LINUX", FIELD));
      expect(err.en).not.toContain(pw);
      expect(err.zh).not.toContain(pw);
      expect(err.message).not.toContain(pw);
    }
    const err = thrown(() => validatePassword("Abcdéf12", "LINUX", FIELD));
    expect(err.en).not.toContain("é");
  });

  it("ignores the user name on Linux", () => {
    expect(() => validatePassword("Root1234!", "LINUX", FIELD, "root")).not.toThrow();
  });
});

describe("validatePassword on Windows", () => {
  it.each(["Abcdefgh1234", "abcdefgh12!!", "Ab1".padEnd(30, "y")])("accepts %s", (pw) => {
    expect(() => validatePassword(pw, "WINDOWS", FIELD, "Administrator")).not.toThrow();
  });

  it.each([
    ["Abcdefgh123", "12 to 30"],
    ["Ab1".padEnd(31, "y"), "12 to 30"],
    ["abcdefgh1234", "three"],
    ["/Abcdefgh123", "`/`"],
    ["Abcdefgh123\t", "not allowed"],
    ["MyAdministrator1", "`Administrator`"],
    ["myADMINISTRATOR1", "`Administrator`"],
  ])("refuses %s", (pw, reason) => {
    const err = thrown(() => validatePassword(pw, "WINDOWS", "Password", "Administrator"));
    expect(err.code).toBe("InvalidParameterValue.InvalidPassword");
    expect(err.en).toContain("`Password`");
    expect(err.en).toContain(reason);
    expect(err.en).not.toContain(pw);
  });

  it("checks the user name only when one is given", () => {
    expect(() => validatePassword("MyAdministrator1", "WINDOWS", FIELD)).not.toThrow();
    expect(() => validatePassword("MyAdministrator1", "WINDOWS", FIELD, "")).not.toThrow();
  });
});

describe("defaultLoginUser", () => {
  it("is Administrator on Windows, ubuntu on Ubuntu, root elsewhere", () => {
    expect(defaultLoginUser("Windows Server 2022 数据中心版 64位中文版", "WINDOWS")).toBe("Administrator");
    expect(defaultLoginUser("Ubuntu Server 22.04 LTS 64bit", "LINUX")).toBe("ubuntu");
    expect(defaultLoginUser("ubuntu 20.04", "LINUX")).toBe("ubuntu");
    expect(defaultLoginUser("TencentOS Server 3.1 (TK4)", "LINUX")).toBe("root");
    expect(defaultLoginUser("CentOS 7.9 64位", "LINUX")).toBe("root");
  });
});
