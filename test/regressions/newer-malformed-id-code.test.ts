// Regression (Tencent's own Python SDK integration tests, run against OpenCVM): where an action documents both
// InvalidParameterValue.InstanceIdMalformed and the older InvalidInstanceId.Malformed, the live service answers the
// newer one (DescribeInstancesOperationLimit with InstanceIds=[""], in every signing method); and a body of a
// content type the API does not take is refused in words saying the content type is not supported.
import { afterAll, beforeAll, expect, it } from "vitest";
import { serviceSpec } from "../../src/api/spec.js";
import { COMBINATIONS, cvmClient, rawTc3, SdkSign, SECRET_ID, SECRET_KEY, sdkError, startServer, type TestServer } from "../helpers/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

it.each(COMBINATIONS)("DescribeInstancesOperationLimit with InstanceIds=[\"\"] answers InvalidParameterValue.InstanceIdMalformed (%s, %s)", async (signMethod, reqMethod) => {
  const errors = serviceSpec("cvm").actions.DescribeInstancesOperationLimit.errors;
  expect(errors).toEqual(expect.arrayContaining(["InvalidParameterValue.InstanceIdMalformed", "InvalidInstanceId.Malformed"]));
  const cvm = cvmClient(server, { signMethod, reqMethod });
  const err = await sdkError(cvm.DescribeInstancesOperationLimit({ InstanceIds: [""], Operation: "INSTANCE_DEGRADE" }));
  expect(err.code).toBe("InvalidParameterValue.InstanceIdMalformed");
});

const MULTIPART = "multipart/form-data; boundary=xyz";
const FORM = '--xyz\r\nContent-Disposition: form-data; name="Limit"\r\n\r\n1\r\n--xyz--\r\n';

it("refuses a TC3-signed multipart/form-data body, saying the content type is not supported", async () => {
  const { status, json } = await rawTc3(server, { body: FORM, headers: { "Content-Type": MULTIPART, "X-TC-Language": "en-US" } });
  expect(status).toBe(200);
  expect(json.Response.Error.Code).toBe("InvalidParameter");
  expect(json.Response.Error.Message).toMatch(/content type `multipart\/form-data` is not supported/);
});

// Refused before the common parameters are read, so in the default language.
it("refuses a v1-signed multipart/form-data body the same way", async () => {
  const params: Record<string, string> = {
    Action: "DescribeZones",
    Version: "2017-03-12",
    Region: "ap-guangzhou",
    Timestamp: String(Math.floor(Date.now() / 1000)),
    Nonce: "12345",
    SecretId: SECRET_ID,
    SignatureMethod: "HmacSHA256",
  };
  const sorted = Object.keys(params).sort().map((k) => `${k}=${params[k]}`).join("&");
  params.Signature = SdkSign.sign(SECRET_KEY, `POST${server.endpoint}/?${sorted}`, "HmacSHA256");
  const query = new URLSearchParams(params).toString();
  const res = await fetch(`http://${server.endpoint}/?${query}`, { method: "POST", headers: { "Content-Type": MULTIPART }, body: FORM });
  const json = (await res.json()) as { Response: { Error: { Code: string; Message: string } } };
  expect(res.status).toBe(200);
  expect(json.Response.Error.Code).toBe("InvalidParameter");
  expect(json.Response.Error.Message).toMatch(/^不支持的 Content-Type `multipart\/form-data`/);
});
