// Regression (found by test/trust/fuzz.test.ts): AllocateAddresses checked tags with the VPC service's shared
// checks, whose codes (InvalidParameterValue.TagInvalidKeyLen, UnsupportedOperation.TagSystemReservedTagKey, ...)
// AllocateAddresses does not document; it documents InvalidParameterValue.InvalidTag for a bad tag.
import { expect, it } from "vitest";
import { commonClient, sdkError, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

let server: TestServer;
serverForFile((started) => (server = started));

it.each([
  ["an empty key", [{ Key: "" }]],
  ["a key of 128 characters", [{ Key: "k".repeat(128) }]],
  ["a reserved key", [{ Key: "qcloud:reserved", Value: "x" }]],
  ["a value of 256 characters", [{ Key: "k", Value: "v".repeat(256) }]],
  ["a key given twice", [{ Key: "k", Value: "1" }, { Key: "k", Value: "2" }]],
])("AllocateAddresses refuses %s with InvalidParameterValue.InvalidTag and allocates nothing", async (_what, Tags) => {
  const vpc = commonClient(server, "2017-03-12");
  expect((await sdkError(vpc.request("AllocateAddresses", { Tags }))).code).toBe("InvalidParameterValue.InvalidTag");
  expect(await vpc.request("DescribeAddresses", {})).toMatchObject({ TotalCount: 0 });
});

it("CreateVpc keeps the specific tag codes it documents", async () => {
  const vpc = commonClient(server, "2017-03-12");
  const err = await sdkError(vpc.request("CreateVpc", { VpcName: "v", CidrBlock: "10.0.0.0/16", Tags: [{ Key: "" }] }));
  expect(err.code).toBe("InvalidParameterValue.TagInvalidKeyLen");
});
