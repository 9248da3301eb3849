// Each common error of API 3.0, triggered the way a user would and answered with its documented code, a message
// naming what is at fault, a RequestId, and HTTP 200.
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { action } from "../../src/api/action.js";
import { ACTIONS } from "../../src/actions/index.js";
import { generateKeyPair } from "../../src/keys.js";
import { commonClient, cvmClient, rawTc3, SdkSign, sdkError, SECRET_ID, startServer, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// DescribeRegions throws an unexpected error here, to see what a client and the log get from a bug.
const broken = action("cvm", "DescribeRegions", () => {
  throw new Error("secret stack detail");
}, { regionless: true });

let server: TestServer;
serverForFile((started) => (server = started), {}, [...ACTIONS.filter((a) => a.name !== "DescribeRegions"), broken]);

describe("authentication", () => {
  it("AuthFailure.SignatureFailure for a wrong SecretKey, with every signing method", async () => {
    for (const signMethod of ["TC3-HMAC-SHA256", "HmacSHA256", "HmacSHA1"] as const) {
      const err = await sdkError(cvmClient(server, { signMethod, secretKey: "wrong" }).DescribeZones());
      expect(err.code).toBe("AuthFailure.SignatureFailure");
      expect(err.requestId).toMatch(UUID);
    }
  });

  it("AuthFailure.SignatureFailure for a tampered body", async () => {
    const good = await rawTc3(server);
    expect(good.json.Response.Error).toBeUndefined();
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = { "Content-Type": "application/json", "X-TC-Action": "DescribeZones", "X-TC-Version": "2017-03-12", "X-TC-Region": "ap-guangzhou", "X-TC-Timestamp": String(timestamp) };
    const url = `http://${server.endpoint}/`;
    const authorization = SdkSign.sign3({ method: "POST", url, payload: Buffer.from("{}"), timestamp, service: "cvm", secretId: SECRET_ID, secretKey: server.config.secretKey, headers });
    const res = await fetch(url, { method: "POST", headers: { ...headers, Authorization: authorization }, body: '{"Foo":1}' });
    expect((await res.json()).Response.Error.Code).toBe("AuthFailure.SignatureFailure");
  });

  it("AuthFailure.SecretIdNotFound for an unknown or disabled SecretId", async () => {
    const err = await sdkError(cvmClient(server, { secretId: "AKIDnobody" }).DescribeZones());
    expect(err.code).toBe("AuthFailure.SecretIdNotFound");
    expect(err.message).toContain("AKIDnobody");

    const key = generateKeyPair();
    await server.store.accounts.create(key);
    await server.store.accounts.setKeyEnabled(key.secretId, false);
    const disabled = await sdkError(cvmClient(server, key).DescribeZones());
    expect(disabled.code).toBe("AuthFailure.SecretIdNotFound");
  });

  it("AuthFailure.SignatureExpire for a timestamp more than 5 minutes away, either side", async () => {
    for (const skew of [-301, 301]) {
      const res = await rawTc3(server, { timestamp: Math.floor(Date.now() / 1000) + skew });
      expect(res.status).toBe(200);
      expect(res.json.Response.Error.Code).toBe("AuthFailure.SignatureExpire");
    }
    const within = await rawTc3(server, { timestamp: Math.floor(Date.now() / 1000) - 250 });
    expect(within.json.Response.Error).toBeUndefined();
  });

  it("AuthFailure.InvalidAuthorization for a malformed Authorization header", async () => {
    for (const authorization of ["SKIP", "TC3-HMAC-SHA256 Credential=AKID/cvm", "Basic dXNlcjpwYXNz"]) {
      const res = await rawTc3(server, { authorization });
      expect(res.json.Response.Error.Code).toBe("AuthFailure.InvalidAuthorization");
      expect(res.json.Response.RequestId).toMatch(UUID);
    }
  });
});

describe("parameters", () => {
  it("MissingParameter names a required member, nested ones with their path", async () => {
    const err = await sdkError(cvmClient(server).StartInstances({} as never));
    expect(err.code).toBe("MissingParameter");
    expect(err.message).toContain("`InstanceIds`");
    const nested = await sdkError(cvmClient(server).DescribeInstances({ Filters: [{ Values: ["x"] } as never] }));
    expect(nested).toMatchObject({ code: "MissingParameter", message: expect.stringContaining("`Filters.0.Name`") });
  });

  it("MissingParameter for a regional action without a region", async () => {
    const tc3 = await sdkError(cvmClient(server, { region: null }).DescribeZones());
    expect(tc3).toMatchObject({ code: "MissingParameter", message: expect.stringContaining("X-TC-Region") });
    const v1 = await sdkError(cvmClient(server, { region: null, signMethod: "HmacSHA256" }).DescribeZones());
    expect(v1).toMatchObject({ code: "MissingParameter", message: expect.stringContaining("`Region`") });
  });

  it("UnknownParameter names a member the action does not have", async () => {
    const top = await sdkError(cvmClient(server).DescribeZones({ Zone: "x" } as never));
    expect(top).toMatchObject({ code: "UnknownParameter", message: expect.stringContaining("`Zone`") });
    for (const reqMethod of ["GET", "POST"] as const) {
      const deep = await sdkError(
        cvmClient(server, { reqMethod, signMethod: "HmacSHA1" }).DescribeInstances({ Filters: [{ Name: "zone", Values: ["a"] }, { Name: "b", Values: ["c"], Bogus: 1 } as never] }),
      );
      expect(deep).toMatchObject({ code: "UnknownParameter", message: expect.stringContaining("`Filters.1.Bogus`") });
    }
  });

  it("InvalidParameter for a value of the wrong type", async () => {
    const notInt = await sdkError(cvmClient(server).DescribeInstances({ Limit: "ten" as never }));
    expect(notInt).toMatchObject({ code: "InvalidParameter", message: expect.stringContaining("`Limit`") });
    const notList = await sdkError(cvmClient(server).DescribeInstances({ InstanceIds: "ins-1" as never }));
    expect(notList).toMatchObject({ code: "InvalidParameter", message: expect.stringContaining("`InstanceIds`") });
    const notBool = await sdkError(commonClient(server, "2017-03-12").request("DescribeImages", { Filters: [{ Name: "x", Values: [{}] }] }));
    expect(notBool).toMatchObject({ code: "InvalidParameter", message: expect.stringContaining("`Filters.0.Values.0`") });
    const badJson = await rawTc3(server, { body: "{not json" });
    expect(badJson.json.Response.Error.Code).toBe("InvalidParameter");
  });

  it("InvalidParameterValue for a value outside its range", async () => {
    const negative = await sdkError(commonClient(server, "2017-03-12").request("DescribeImages", { Limit: -1 }));
    expect(negative).toMatchObject({ code: "InvalidParameterValue", message: expect.stringContaining("`Limit`") });
    const language = await rawTc3(server, { headers: { "X-TC-Language": "fr-FR" } });
    expect(language.json.Response.Error).toMatchObject({ Code: "InvalidParameterValue", Message: expect.stringContaining("X-TC-Language") });
  });
});

describe("routing", () => {
  it("InvalidAction for a name the API does not have", async () => {
    const err = await sdkError(commonClient(server, "2017-03-12").request("DescribeUnicorns", {}));
    expect(err).toMatchObject({ code: "InvalidAction", message: expect.stringContaining("DescribeUnicorns") });
  });

  it("NoSuchVersion for a version no service has", async () => {
    const err = await sdkError(commonClient(server, "2099-01-01").request("DescribeZones", {}));
    expect(err).toMatchObject({ code: "NoSuchVersion", message: expect.stringContaining("2099-01-01") });
  });

  it("UnsupportedRegion for an unknown region", async () => {
    const err = await sdkError(cvmClient(server, { region: "xx-atlantis" }).DescribeZones());
    expect(err).toMatchObject({ code: "UnsupportedRegion", message: expect.stringContaining("xx-atlantis") });
  });

  it("UnsupportedOperation for an action of the spec that is not implemented, after validation", async () => {
    const err = await sdkError(commonClient(server, "2017-03-12", { language: "en-US" }).request("DescribeNatGateways", {}));
    expect(err).toMatchObject({ code: "UnsupportedOperation", message: expect.stringContaining("DescribeNatGateways") });
    expect(err.message).toContain("does not implement it");
  });

  it("UnsupportedProtocol for a method other than GET and POST, still with HTTP 200", async () => {
    for (const method of ["PUT", "DELETE", "PATCH"]) {
      const res = await rawTc3(server, { method });
      expect(res.status).toBe(200);
      expect(res.json.Response.Error.Code).toBe("UnsupportedProtocol");
    }
  });
});

describe("limits", () => {
  it("RequestSizeLimitExceeded for a TC3 body over 10 MB, a v1 form over 1 MB and a URL over 32 KB", async () => {
    const big = await rawTc3(server, { body: JSON.stringify({ Pad: "x".repeat(10 * 1024 * 1024) }) });
    expect(big.json.Response.Error.Code).toBe("RequestSizeLimitExceeded");

    const form = await fetch(`http://${server.endpoint}/`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: `Action=DescribeZones&Pad=${"x".repeat(1024 * 1024)}`,
    });
    expect((await form.json()).Response.Error.Code).toBe("RequestSizeLimitExceeded");

    const url = await fetch(`http://${server.endpoint}/?Action=DescribeZones&Pad=${"x".repeat(33 * 1024)}`);
    expect(url.status).toBe(200);
    expect((await url.json()).Response.Error.Code).toBe("RequestSizeLimitExceeded");

    // The server is still well after refusing them.
    expect((await cvmClient(server).DescribeZones()).TotalCount).toBe(6);
  });

  it("a client that hangs up mid-body is logged and costs nothing", async () => {
    const before = server.logs.length;
    const socket = connect(server.port, "127.0.0.1");
    await new Promise<void>((resolve) => socket.on("connect", resolve));
    socket.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nAction=Desc");
    await new Promise((r) => setTimeout(r, 50));
    socket.destroy();
    await expect.poll(() => server.logs.slice(before).join("")).toContain("code=InvalidParameter");
    expect((await cvmClient(server).DescribeZones()).TotalCount).toBe(6);
  });

  it("RequestLimitExceeded past the per-account, per-service, per-action rate, and not before", async () => {
    const limited = await startServer({ OPENCVM_RATE_LIMIT: "2" });
    try {
      await rateLimited(limited);
    } finally {
      await limited.close();
    }
  });
});

async function rateLimited(server: TestServer): Promise<void> {
    const other = generateKeyPair();
    await server.store.accounts.create(other);
    // A bucket holds one second's worth (2) and gains a token every 500 ms: five calls at once see two pass.
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => cvmClient(server).DescribeZones()));
    const codes = results.map((r) => (r.status === "fulfilled" ? "OK" : (r.reason as { code: string }).code)).sort();
    expect(codes).toEqual(["OK", "OK", "RequestLimitExceeded", "RequestLimitExceeded", "RequestLimitExceeded"]);
    // Another account, and another action of the same account, have their own buckets.
    expect((await cvmClient(server, other).DescribeZones()).TotalCount).toBe(6);
    expect((await sdkError(commonClient(server, "2017-03-12").request("DescribeNatGateways", {}))).code).toBe("UnsupportedOperation");
    // The api service's DescribeZones is another service's action: limits are per service, so its bucket is its own.
    const api = commonClient(server, "2020-11-06", { host: "api.opencvm.test" });
    const zones = await Promise.allSettled(Array.from({ length: 3 }, () => api.request("DescribeZones", { Product: "cvm" })));
    expect(zones.map((r) => (r.status === "fulfilled" ? "OK" : (r.reason as { code: string }).code)).sort()).toEqual(["OK", "OK", "RequestLimitExceeded"]);
    await new Promise((r) => setTimeout(r, 600)); // one token back
    expect((await cvmClient(server).DescribeZones()).TotalCount).toBe(6);
}

describe("InternalError", () => {
  it("answers with the RequestId and no detail, and logs the stack with it", async () => {
    const err = await sdkError(cvmClient(server).DescribeRegions());
    expect(err.code).toBe("InternalError");
    expect(err.message).toContain(err.requestId);
    expect(err.message).not.toContain("secret stack detail");
    const logged = server.logs.find((l) => l.includes("level=error") && l.includes(err.requestId));
    expect(logged).toContain("secret stack detail");
  });
});

describe("every answer", () => {
  it("is HTTP 200 JSON with a fresh RequestId, and one log line per request", async () => {
    const before = server.logs.filter((l) => l.includes("msg=request")).length;
    const ok = await rawTc3(server);
    const bad = await rawTc3(server, { action: "Nope" });
    expect(ok.json.Response.RequestId).toMatch(UUID);
    expect(bad.json.Response.RequestId).toMatch(UUID);
    expect(ok.json.Response.RequestId).not.toBe(bad.json.Response.RequestId);
    const lines = server.logs.filter((l) => l.includes("msg=request")).slice(before);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`id=${ok.json.Response.RequestId} account=1300000001 action=DescribeZones region=ap-guangzhou ms=[\\d.]+ code=OK`));
    expect(lines[1]).toContain(`id=${bad.json.Response.RequestId}`);
    expect(lines[1]).toContain("code=InvalidAction");
  });

  it("speaks the request's language in error messages", async () => {
    const zh = await sdkError(cvmClient(server, { language: "zh-CN", region: "xx-atlantis" }).DescribeZones());
    expect(zh.message).toBe("不支持地域 `xx-atlantis`。");
    const en = await sdkError(cvmClient(server, { language: "en-US", region: "xx-atlantis" }).DescribeZones());
    expect(en.message).toBe("The region `xx-atlantis` is not supported.");
  });
});
