import { describe, expect, it } from "vitest";
import { unflatten } from "./unflatten.js";

const parse = (q: string) => unflatten(new URLSearchParams(q));

describe("un-flattening Ids.N and Filters.N", () => {
  it("builds lists and objects", () => {
    expect(parse("InstanceIds.0=ins-a&InstanceIds.1=ins-b&Placement.Zone=ap-guangzhou-3&Limit=5")).toEqual({
      InstanceIds: ["ins-a", "ins-b"],
      Placement: { Zone: "ap-guangzhou-3" },
      Limit: "5",
    });
  });

  it("builds nested lists of objects with their own lists", () => {
    const q =
      "Filters.0.Name=zone&Filters.0.Values.0=ap-guangzhou-3&Filters.0.Values.1=ap-guangzhou-4&Filters.1.Name=tag:env&Filters.1.Values.0=prod" +
      "&TagSpecification.0.ResourceType=instance&TagSpecification.0.Tags.0.Key=k&TagSpecification.0.Tags.0.Value=v";
    expect(parse(q)).toEqual({
      Filters: [
        { Name: "zone", Values: ["ap-guangzhou-3", "ap-guangzhou-4"] },
        { Name: "tag:env", Values: ["prod"] },
      ],
      TagSpecification: [{ ResourceType: "instance", Tags: [{ Key: "k", Value: "v" }] }],
    });
  });

  it("orders indexes numerically, not as text", () => {
    const q = Array.from({ length: 12 }, (_, i) => `Ids.${11 - i}=v${11 - i}`).join("&");
    expect(parse(q).Ids).toEqual(Array.from({ length: 12 }, (_, i) => `v${i}`));
  });

  it("closes gaps and accepts lists that start at 1", () => {
    expect(parse("Ids.1=a&Ids.5=b&Ids.3=c")).toEqual({ Ids: ["a", "c", "b"] });
    expect(parse("Filters.2.Name=n&Filters.2.Values.7=x&Filters.2.Values.3=y")).toEqual({ Filters: [{ Name: "n", Values: ["y", "x"] }] });
  });

  it("decodes form encoding (+ and %20 are spaces)", () => {
    expect(parse("InstanceName=my+web%20server")).toEqual({ InstanceName: "my web server" });
  });

  it.each([
    ["Ids=a&Ids.0=b", "Ids"],
    ["Ids.0=a&Ids.0=b", "Ids.0"],
    ["Ids.1=a&Ids.01=b", "Ids.01"],
    ["Limit=1&Limit=2", "Limit"],
    ["Ids.0=a&Ids.Name=b", "Ids"],
    ["Placement..Zone=x", "Placement..Zone"],
  ])("refuses %s naming %s", (q, name) => {
    expect(() => parse(q)).toThrow(expect.objectContaining({ code: "InvalidParameter", en: expect.stringContaining(`\`${name}\``) }));
  });

  it("cannot be steered into an object's prototype", () => {
    const out = parse("__proto__.polluted=yes");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(out)).toEqual(["__proto__"]);
  });
});
