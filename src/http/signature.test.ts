import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import {
  hostCandidates,
  parseTc3Authorization,
  payloadHash,
  scopeDate,
  tc3CanonicalRequest,
  tc3Signature,
  tc3SigningKey,
  tc3StringToSign,
  v1Signature,
  v1StringToSign,
  type Tc3Input,
} from "./signature.js";
import { createHash } from "node:crypto";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

describe("TC3-HMAC-SHA256, the example of Tencent's signature v3 documentation", () => {
  // The body's \u escapes are literal characters, exactly as in the document.
  const body = Buffer.from('{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}');
  const input: Tc3Input = {
    method: "POST",
    path: "/",
    rawQuery: "",
    headers: { "content-type": "application/json; charset=utf-8", host: "cvm.tencentcloudapi.com", "x-tc-action": "DescribeInstances" },
    signedHeaders: ["content-type", "host", "x-tc-action"],
    payloadHash: payloadHash(body, undefined),
    timestamp: "1551113065",
    date: "2019-02-25",
    service: "cvm",
  };

  it("hashes the payload", () => {
    expect(input.payloadHash).toBe("35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
  });

  it("builds the canonical request, lower-casing the signed action", () => {
    const canonical = tc3CanonicalRequest(input);
    expect(canonical).toContain("x-tc-action:describeinstances\n");
    expect(sha256(canonical)).toBe("7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84");
  });

  it("signs with the published signing key", () => {
    const signingKey = Buffer.from("b596b923aad85185e2d1f6659d2a062e0a86731226e021e61bfe06f7ed05f5af", "hex");
    expect(scopeDate(1551113065)).toBe("2019-02-25");
    expect(tc3Signature(signingKey, tc3StringToSign(input))).toBe("10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f");
  });
});

describe("TC3-HMAC-SHA256 against the official Node SDK's signer", () => {
  const require = createRequire(import.meta.url);
  const Sign = require("tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js").default;

  it("derives the same key and signature for a GET with a query", () => {
    const url = "http://localhost:4577/?Filters.0.Name=zone&Filters.0.Values.0=ap-guangzhou-3&InstanceIds.0=ins-1";
    const headers = { "Content-Type": "application/x-www-form-urlencoded" };
    const auth: string = Sign.sign3({ method: "GET", url, payload: "", timestamp: 1700000000, service: "localhost:4577", secretId: "AKIDx", secretKey: "k3y", headers });
    const parsed = parseTc3Authorization(auth);
    expect(parsed).toMatchObject({ secretId: "AKIDx", date: "2023-11-14", service: "localhost:4577", signedHeaders: ["content-type", "host"] });
    const input: Tc3Input = {
      method: "GET",
      path: "/",
      rawQuery: url.split("?")[1],
      headers: { "content-type": headers["Content-Type"], host: hostCandidates("localhost:4577")[0] },
      signedHeaders: parsed.signedHeaders,
      payloadHash: payloadHash(Buffer.alloc(0), undefined),
      timestamp: "1700000000",
      date: parsed.date,
      service: parsed.service,
    };
    expect(tc3Signature(tc3SigningKey("k3y", parsed.date, parsed.service), tc3StringToSign(input))).toBe(parsed.signature);
  });
});

describe("the Authorization header", () => {
  it.each([
    ["SKIP"],
    ["TC3-HMAC-SHA256 Credential=AKID/2023-11-14/cvm/tc3_request, SignedHeaders=content-type;host"],
    ["TC3-HMAC-SHA256 Credential=AKID/20231114/cvm/tc3_request, SignedHeaders=content-type;host, Signature=" + "a".repeat(64)],
    ["TC3-HMAC-SHA256 Credential=AKID/2023-11-14/cvm/tc3_request, SignedHeaders=host, Signature=" + "a".repeat(64)],
  ])("refuses %s as malformed", (header) => {
    expect(() => parseTc3Authorization(header)).toThrow(expect.objectContaining({ code: "AuthFailure.InvalidAuthorization" }));
  });

  it("tries the host without its port first, then with it", () => {
    expect(hostCandidates("127.0.0.1:4577")).toEqual(["127.0.0.1", "127.0.0.1:4577"]);
    expect(hostCandidates("cvm.tencentcloudapi.com")).toEqual(["cvm.tencentcloudapi.com"]);
  });
});

describe("HmacSHA1 / HmacSHA256 (v1)", () => {
  const params: [string, string][] = [
    ["Version", "2017-03-12"],
    ["Action", "DescribeInstances"],
    ["InstanceIds.0", "ins-09dx96dg"],
    ["Limit", "20"],
    ["Nonce", "11886"],
    ["Offset", "0"],
    ["Region", "ap-guangzhou"],
    ["SecretId", "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"],
    ["Timestamp", "1465185768"],
    ["Signature", "ignored"],
  ];

  it("reproduces the example of Tencent's signature documentation", () => {
    const s = v1StringToSign("GET", "cvm.tencentcloudapi.com", "/", params);
    expect(s).toBe(
      "GETcvm.tencentcloudapi.com/?Action=DescribeInstances&InstanceIds.0=ins-09dx96dg&Limit=20&Nonce=11886&Offset=0&Region=ap-guangzhou&SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE&Timestamp=1465185768&Version=2017-03-12",
    );
    expect(v1Signature("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "HmacSHA1", s)).toBe("EliP9YW3pW28FpsEdkXt/+WcGeI=");
  });

  it("sorts names byte-wise, so .10 comes before .2", () => {
    const s = v1StringToSign("POST", "h", "/", [["A.2", "x"], ["A.10", "y"], ["A.1", "z"]]);
    expect(s).toBe("POSTh/?A.1=z&A.10=y&A.2=x");
  });
});
