import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { cryptSalt, sha512Crypt } from "./sha512-crypt.js";

describe("sha512Crypt", () => {
  // The specification's own test vectors.
  it.each([
    ["Hello world!", "saltstring", 5000, "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1"],
    ["Hello world!", "saltstringsaltstring", 10000, "$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v."],
    ["we have a short salt string but not a short password", "short", 77777, "$6$rounds=77777$short$WuQyW2YR.hBNpjjRhpYD/ifIw05xdfeEyQoMxIXbkvr0gge1a1x3yRULJ5CCaUeOxFmtlcGZelFl5CxtgfiAc0"],
  ])("hashes %j with salt %s and %i rounds as the specification does", (password, salt, rounds, expected) => {
    expect(sha512Crypt(password, salt, rounds)).toBe(expected);
  });

  // test/setup/system-packages.ts installs openssl.
  it.each(["Str0ng-Passw0rd", "a", "()`~!@#$%^&*-+=|{}[]:;',.?/_<>", "x".repeat(30), "密码Passw0rd"])("agrees with openssl passwd -6 for %j", (password) => {
    const salt = cryptSalt();
    expect(execFileSync("openssl", ["passwd", "-6", "-salt", salt, "-stdin"], { input: password }).toString().trim()).toBe(sha512Crypt(password, salt));
  });

  it("takes at least 1000 rounds, as the specification does", () => {
    expect(sha512Crypt("This is just a test", "roundstoolow", 10)).toBe(sha512Crypt("This is just a test", "roundstoolow", 1000));
    expect(sha512Crypt("x", "s", 10)).toMatch(/^\$6\$rounds=1000\$s\$/);
  });

  it("makes 16-character salts of the crypt alphabet, different each time", () => {
    const a = cryptSalt();
    expect(a).toMatch(/^[./0-9A-Za-z]{16}$/);
    expect(cryptSalt()).not.toBe(a);
  });
});
