import { describe, expect, it } from "vitest";
import { serviceSpec } from "./spec.js";
import { validateInput } from "./validate.js";

const cvm = serviceSpec("cvm");
const vpc = serviceSpec("vpc");

describe("validation against the spec", () => {
  it("coerces query strings to the declared types", () => {
    expect(validateInput(cvm, "DescribeInstancesRequest", { Limit: "20", Offset: "0", InstanceIds: ["ins-1"] })).toEqual({ Limit: 20, Offset: 0, InstanceIds: ["ins-1"] });
    expect(validateInput(cvm, "StopInstancesRequest", { InstanceIds: ["ins-1"], ForceStop: "TRUE" })).toMatchObject({ ForceStop: true });
  });

  it("accepts numbers where VPC models declare strings, and numeric strings for integers in JSON", () => {
    expect(validateInput(vpc, "DescribeVpcsRequest", { Offset: 0, Limit: 20 })).toEqual({ Offset: "0", Limit: "20" });
    expect(validateInput(cvm, "DescribeInstancesRequest", { Limit: "20" })).toEqual({ Limit: 20 });
  });

  it("keeps only declared members and drops nulls the way the SDKs do", () => {
    expect(validateInput(cvm, "DescribeInstancesRequest", { Limit: null })).toEqual({});
  });

  it.each([
    [{ Limit: 1.5 }, "InvalidParameter", "Limit"],
    [{ Limit: "9007199254740993" }, "InvalidParameterValue", "Limit"],
    [{ Limit: true }, "InvalidParameter", "Limit"],
    [{ Filters: {} }, "InvalidParameter", "Filters"],
    [{ Filters: ["zone"] }, "InvalidParameter", "Filters.0"],
    [{ Filters: [{ Name: "zone", Values: "a" }] }, "InvalidParameter", "Filters.0.Values"],
    [{ InstanceIds: [null] }, "MissingParameter", "InstanceIds.0"],
  ])("refuses %j with %s naming %s", (params, code, name) => {
    expect(() => validateInput(cvm, "DescribeInstancesRequest", params as Record<string, unknown>)).toThrow(
      expect.objectContaining({ code, en: expect.stringContaining(`\`${name}\``) }),
    );
  });
});
