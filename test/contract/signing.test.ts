// The official SDKs reach the server with every signing method and request style they support, and the
// parameters arrive the same whatever the encoding.
import { describe, expect, it } from "vitest";
import { action } from "../../src/api/action.js";
import { ACTIONS } from "../../src/actions/index.js";
import { createHash } from "node:crypto";
import { request } from "node:http";
import { scopeDate, tc3Signature, tc3SigningKey, tc3StringToSign } from "../../src/http/signature.js";
import { COMBINATIONS, commonClient, cvmClient, SECRET_ID, SECRET_KEY, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";
import { outputProblems } from "../../src/api/output-check.js";

// Handlers that record what reached them, standing in for actions that take lists and filters.
const received: Record<string, unknown>[] = [];
const recordInstances = action("cvm", "DescribeInstances", (_ctx, params: Record<string, unknown>) => {
  received.push(params);
  return { TotalCount: 0, InstanceSet: [] };
});
const recordVpcs = action("vpc", "DescribeVpcs", (_ctx, params: Record<string, unknown>) => {
  received.push(params);
  return { TotalCount: 0, VpcSet: [] };
});

let server: TestServer;
serverForFile((started) => (server = started), {}, [...ACTIONS, recordInstances, recordVpcs]);

describe.each(COMBINATIONS)("%s over %s", (signMethod, reqMethod) => {
  it("answers DescribeZones with the region's zones", async () => {
    const out = await cvmClient(server, { signMethod, reqMethod }).DescribeZones();
    expect(out.TotalCount).toBe(6);
    expect(out.ZoneSet?.map((z) => z.Zone)).toEqual(["ap-guangzhou-1", "ap-guangzhou-2", "ap-guangzhou-3", "ap-guangzhou-4", "ap-guangzhou-6", "ap-guangzhou-7"]);
    expect(out.ZoneSet?.[2]).toEqual({ Zone: "ap-guangzhou-3", ZoneName: "广州三区", ZoneId: "100003", ZoneState: "AVAILABLE" });
    expect(out.ZoneSet?.[0].ZoneState).toBe("UNAVAILABLE");
    expect(outputProblems("cvm", "DescribeZones", out as Record<string, unknown>)).toEqual([]);
  });

  it("delivers a list, filters with value lists and numbers, typed as the spec says", async () => {
    received.length = 0;
    const filters = [
      { Name: "zone", Values: ["ap-guangzhou-3", "ap-guangzhou-4"] },
      { Name: "tag:env", Values: ["prod env"] },
    ];
    // Twelve ids, so a text sort of the flattened indexes (.10 before .2) would show.
    const ids = Array.from({ length: 12 }, (_, i) => `ins-${String(i).padStart(8, "0")}`);
    await cvmClient(server, { signMethod, reqMethod }).DescribeInstances({ InstanceIds: ids, Filters: filters, Offset: 0, Limit: 100 });
    expect(received).toEqual([{ InstanceIds: ids, Filters: filters, Offset: 0, Limit: 100 }]);
  });

  it("serves vpc through the CommonClient with the same parameters", async () => {
    received.length = 0;
    const params = { VpcIds: ["vpc-aaaaaaaa", "vpc-bbbbbbbb"], Filters: [{ Name: "is-default", Values: ["true"] }], Offset: "0", Limit: "20" };
    const out = await commonClient(server, "2017-03-12", { signMethod, reqMethod }).request("DescribeVpcs", params);
    expect(received).toEqual([params]);
    expect(outputProblems("vpc", "DescribeVpcs", out)).toEqual([]);
  });
});

describe("the language of an answer", () => {
  it("follows X-TC-Language (TC3) and Language (v1)", async () => {
    for (const signMethod of ["TC3-HMAC-SHA256", "HmacSHA256"] as const) {
      const en = await cvmClient(server, { signMethod, language: "en-US" }).DescribeZones();
      expect(en.ZoneSet?.[2].ZoneName).toBe("Guangzhou Zone 3");
      const zh = await cvmClient(server, { signMethod, language: "zh-CN" }).DescribeZones();
      expect(zh.ZoneSet?.[2].ZoneName).toBe("广州三区");
    }
  });
});

describe("TC3 as other clients sign it", () => {
  // Go, Python and tccli sign the host as configured, port included; Tencent's own example also signs
  // x-tc-action (lower-cased); Go may leave the body out (X-TC-Content-SHA256: UNSIGNED-PAYLOAD).
  async function signedPost(o: { signHost: string; extraSigned?: string[]; unsigned?: boolean; body?: string; sendHost?: boolean }) {
    const body = o.body ?? "{}";
    const timestamp = Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      "content-type": "application/json; charset=utf-8",
      "x-tc-action": "DescribeZones",
      "x-tc-version": "2017-03-12",
      "x-tc-region": "ap-guangzhou",
      "x-tc-timestamp": String(timestamp),
    };
    if (o.unsigned) headers["x-tc-content-sha256"] = "UNSIGNED-PAYLOAD";
    const signedHeaders = ["content-type", "host", ...(o.extraSigned ?? [])];
    const date = scopeDate(timestamp);
    const stringToSign = tc3StringToSign({
      method: "POST",
      path: "/",
      rawQuery: "",
      headers: { ...headers, host: o.signHost },
      signedHeaders,
      payloadHash: createHash("sha256").update(o.unsigned ? "UNSIGNED-PAYLOAD" : body).digest("hex"),
      timestamp: String(timestamp),
      date,
      service: "cvm",
    });
    const signature = tc3Signature(tc3SigningKey(SECRET_KEY, date, "cvm"), stringToSign);
    headers.authorization = `TC3-HMAC-SHA256 Credential=${SECRET_ID}/${date}/cvm/tc3_request, SignedHeaders=${signedHeaders.join(";")}, Signature=${signature}`;
    if (o.sendHost) return (await postWithHost(o.signHost, headers, body)).Response;
    const res = await fetch(`http://${server.endpoint}/`, { method: "POST", headers, body });
    return (await res.json()).Response;
  }

  /** A POST whose Host header is `host` as given (fetch would write its own). */
  function postWithHost(host: string, headers: Record<string, string>, body: string): Promise<{ Response: Record<string, unknown> & { Error: { Code: string } } }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port: server.port, method: "POST", path: "/", headers: { ...headers, host } }, (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (d: string) => (text += d));
        res.on("end", () => resolve(JSON.parse(text)));
      });
      req.on("error", reject);
      req.end(body);
    });
  }

  it("accepts the host signed with its port", async () => {
    expect((await signedPost({ signHost: server.endpoint })).TotalCount).toBe(6);
  });

  it("accepts tccli's endpoint with its scheme, which the Python SDK sends and signs as the Host", async () => {
    // tccli has no protocol setting (the Python SDK defaults to HTTPS); an endpoint written with http:// is used
    // as the URL, and the Python SDK puts the same string, scheme and all, in the Host header it signs.
    expect((await signedPost({ signHost: `http://${server.endpoint}`, sendHost: true })).TotalCount).toBe(6);
  });

  it("accepts a signed, lower-cased x-tc-action", async () => {
    expect((await signedPost({ signHost: server.endpoint, extraSigned: ["x-tc-action"] })).TotalCount).toBe(6);
  });

  it("accepts an unsigned payload when the client says so", async () => {
    expect((await signedPost({ signHost: "127.0.0.1", unsigned: true })).TotalCount).toBe(6);
  });

  it("refuses a host the client did not sign", async () => {
    expect((await signedPost({ signHost: "cvm.tencentcloudapi.com" })).Error.Code).toBe("AuthFailure.SignatureFailure");
  });
});
