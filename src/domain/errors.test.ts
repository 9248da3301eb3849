import { describe, expect, it } from "vitest";
import { COMMON_CODES, errors } from "./errors.js";

describe("the common error factories", () => {
  it.each(Object.entries(errors))("%s answers a documented common code in both languages", (_name, factory) => {
    const err = (factory as (...args: unknown[]) => ReturnType<typeof errors.missingParameter>)("X", ["Y"], "Z", "W");
    expect(COMMON_CODES.has(err.code)).toBe(true);
    expect(err.text("en-US")).not.toBe("");
    expect(err.text("zh-CN")).not.toBe("");
  });
});
