import { describe, expect, it } from "vitest";
import { TencentError } from "./errors.js";
import { USER_DATA_MAX_LENGTH, validateUserData } from "./user-data.js";

function thrown(fn: () => unknown): TencentError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TencentError) return err;
    throw err;
  }
  throw new Error("expected a TencentError");
}

const FIELD = "UserData";

describe("validateUserData", () => {
  it("decodes Base64 with each padding length", () => {
    for (const text of ["#!/bin/sh\necho hi\n", "a", "ab", "abc", ""]) {
      const encoded = Buffer.from(text).toString("base64");
      expect(validateUserData(encoded, FIELD).toString()).toBe(text);
    }
  });

  it("decodes binary data with + and /", () => {
    const bytes = Buffer.from([0xfb, 0xff, 0xbf, 0x00]);
    expect(validateUserData(bytes.toString("base64"), FIELD)).toEqual(bytes);
  });

  it("accepts exactly 16384 characters of Base64", () => {
    const encoded = "A".repeat(USER_DATA_MAX_LENGTH);
    expect(validateUserData(encoded, FIELD).length).toBe((USER_DATA_MAX_LENGTH / 4) * 3);
  });

  it("refuses more than 16384 characters, saying how long it is", () => {
    const err = thrown(() => validateUserData("A".repeat(USER_DATA_MAX_LENGTH + 4), FIELD));
    expect(err.code).toBe("InvalidParameterValue.InvalidUserDataFormat");
    expect(err.en).toContain("`UserData`");
    expect(err.en).toContain(`${USER_DATA_MAX_LENGTH + 4}`);
    expect(err.en).toContain(`${USER_DATA_MAX_LENGTH}`);
  });

  it("takes another limit when configured", () => {
    expect(() => validateUserData("AAAAAAAA", FIELD, 4)).toThrow(TencentError);
    expect(() => validateUserData("AAAA", FIELD, 4)).not.toThrow();
  });

  it.each([
    ["echo hi", '" "', "position 5"],
    ["aGk-", '"-"', "position 4"],
    ["aGk_", '"_"', "position 4"],
    ["aGVs\nbG8=", '"\\n"', "position 5"],
    ["aGVsbG8=é", '"é"', "position 9"],
  ])("refuses %j outside the standard alphabet, naming the character", (value, char, where) => {
    const err = thrown(() => validateUserData(value, FIELD));
    expect(err.code).toBe("InvalidParameterValue.InvalidUserDataFormat");
    expect(err.en).toContain("`UserData`");
    expect(err.en).toContain(char);
    expect(err.en).toContain(where);
    expect(err.zh).toContain(char);
  });

  it.each(["aGk", "aGVsbG8", "aGk==", "a===", "====", "aG=k", "aGk=aGk=", "aA==="])("refuses badly padded %s", (value) => {
    const err = thrown(() => validateUserData(value, "LaunchTemplateData.UserData"));
    expect(err.code).toBe("InvalidParameterValue.InvalidUserDataFormat");
    expect(err.en).toContain("`LaunchTemplateData.UserData`");
    expect(err.en).toContain(`length ${value.length}`);
  });
});
