import { describe, expect, it } from "vitest";
import { TencentError } from "./errors.js";
import { expandHostNames, expandNames, validateHostName, validateInstanceName } from "./naming.js";

function thrown(fn: () => unknown): TencentError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TencentError) return err;
    throw err;
  }
  throw new Error("expected a TencentError");
}

describe("expandNames", () => {
  it("counts {R:x} up from x", () => {
    expect(expandNames("server_{R:3}", 2)).toEqual(["server_3", "server_4"]);
    expect(expandNames("server_{R:3}", 1)).toEqual(["server_3"]);
    expect(expandNames("s{R:0}", 3)).toEqual(["s0", "s1", "s2"]);
  });

  it("pads {R:x,F:y} to y digits without truncating", () => {
    expect(expandNames("server_{R:3,F:3}", 2)).toEqual(["server_003", "server_004"]);
    expect(expandNames("app_{R:99,F:2}", 2)).toEqual(["app_99", "app_100"]);
    expect(expandNames("a{R:7,F:0}", 1)).toEqual(["a7"]);
    expect(expandNames("a{R:1,F:8}", 1)).toEqual(["a00000001"]);
  });

  it("expands every pattern in the name", () => {
    expect(expandNames("{R:1}-x-{R:10,F:3}", 2)).toEqual(["1-x-010", "2-x-011"]);
  });

  it("counts exactly from a very large start", () => {
    expect(expandNames("n{R:99999999999999999999}", 2)).toEqual(["n99999999999999999999", "n100000000000000000000"]);
  });

  it("keeps anything that is not exactly a pattern as literal text, and then appends 1..n", () => {
    expect(expandNames("web{}", 2)).toEqual(["web{}1", "web{}2"]);
    expect(expandNames("w{R:1,F:9}", 1)).toEqual(["w{R:1,F:9}"]);
    expect(expandNames("w{R: 1}", 2)).toEqual(["w{R: 1}1", "w{R: 1}2"]);
    expect(expandNames("w{r:1}", 1)).toEqual(["w{r:1}"]);
    expect(expandNames("w{IP}", 1)).toEqual(["w{IP}"]);
  });

  it("appends 1..n without a pattern and uses a single name as given", () => {
    expect(expandNames("server_", 3)).toEqual(["server_1", "server_2", "server_3"]);
    expect(expandNames("server_", 1)).toEqual(["server_"]);
    expect(expandNames("未命名", 2)).toEqual(["未命名1", "未命名2"]);
  });

  it("refuses a count that is not a non-negative integer", () => {
    expect(expandNames("a", 0)).toEqual([]);
    expect(() => expandNames("a", -1)).toThrow(RangeError);
    expect(() => expandNames("a", 1.5)).toThrow(RangeError);
  });
});

describe("validateInstanceName", () => {
  it("accepts up to 128 characters, counting CJK characters once", () => {
    expect(() => validateInstanceName("a".repeat(128), "InstanceName")).not.toThrow();
    expect(() => validateInstanceName("名".repeat(128), "InstanceName")).not.toThrow();
  });

  it("refuses a longer name with InvalidInstanceName.TooLong naming field and value", () => {
    const name = "b".repeat(129);
    const err = thrown(() => validateInstanceName(name, "InstanceName"));
    expect(err.code).toBe("InvalidInstanceName.TooLong");
    expect(err.en).toContain("`InstanceName`");
    expect(err.en).toContain(name);
    expect(err.en).toContain("129");
    expect(err.zh).toContain(name);
  });

  it("is meant for the expanded names, where the suffix can push a name over", () => {
    const longest = expandNames("c".repeat(127), 10).at(-1)!;
    expect(() => validateInstanceName(longest, "InstanceName")).toThrow(TencentError);
  });
});

describe("expandHostNames", () => {
  const ips = ["10.0.12.8", "10.0.12.9", "10.0.12.10"];

  it("replaces {IP} with each instance's private IP", () => {
    expect(expandHostNames("node-{IP}", 2, ips)).toEqual(["node-10.0.12.8", "node-10.0.12.9"]);
  });

  it("combines {IP} with number patterns", () => {
    expect(expandHostNames("web-{IP}-{R:1}", 3, ips)).toEqual(["web-10.0.12.8-1", "web-10.0.12.9-2", "web-10.0.12.10-3"]);
    expect(expandHostNames("h{R:5,F:2}", 2, [])).toEqual(["h05", "h06"]);
  });

  it("appends 1..n without a pattern and uses a single name as given", () => {
    expect(expandHostNames("node", 2, ips)).toEqual(["node1", "node2"]);
    expect(expandHostNames("node", 1, ips)).toEqual(["node"]);
  });

  it("needs one private IP per instance when {IP} is used", () => {
    expect(() => expandHostNames("n-{IP}", 2, ["10.0.0.1"])).toThrow(RangeError);
  });
});

describe("validateHostName", () => {
  it.each(["ab", "web-01", "a.b.c", "node-10.0.12.8", "A1-b2.C3", "123.45", "x".repeat(60)])("accepts Linux %s", (name) => {
    expect(() => validateHostName(name, "LINUX", "HostName")).not.toThrow();
  });

  it.each(["ab", "WIN-server-01", "a1", "x".repeat(15), "1a"])("accepts Windows %s", (name) => {
    expect(() => validateHostName(name, "WINDOWS", "HostName")).not.toThrow();
  });

  it.each([
    ["a", "2 to 60"],
    ["x".repeat(61), "2 to 60"],
    ["web_01", "`_`"],
    ["web 01", "` `"],
    ["主机", "`主`"],
    ["-web", "first or last"],
    ["web.", "first or last"],
    [".web", "first or last"],
    ["web--1", "consecutively"],
    ["a..b", "consecutively"],
    ["a.-b", "consecutively"],
    ["a-.b", "consecutively"],
  ])("refuses Linux %s", (name, reason) => {
    const err = thrown(() => validateHostName(name, "LINUX", "HostName"));
    expect(err.code).toBe("InvalidParameterValue.IllegalHostName");
    expect(err.en).toContain(`\`${name}\``);
    expect(err.en).toContain("`HostName`");
    expect(err.en).toContain(reason);
    expect(err.zh).toContain(name);
  });

  it.each([
    ["a", "2 to 15"],
    ["x".repeat(16), "2 to 15"],
    ["web.local", "`.`"],
    ["node-10.0.12.8", "`.`"],
    ["web_01", "`_`"],
    ["-web", "first or last"],
    ["web-", "first or last"],
    ["we--b", "consecutively"],
    ["12345", "all digits"],
  ])("refuses Windows %s", (name, reason) => {
    const err = thrown(() => validateHostName(name, "WINDOWS", "LaunchTemplateData.HostName"));
    expect(err.code).toBe("InvalidParameterValue.IllegalHostName");
    expect(err.en).toContain(`\`${name}\``);
    expect(err.en).toContain("`LaunchTemplateData.HostName`");
    expect(err.en).toContain(reason);
  });
});
