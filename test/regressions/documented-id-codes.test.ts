// Regression (found by test/trust/fuzz.test.ts): shared checks answered with one code whatever the action, so some
// actions answered codes their documentation does not list. A malformed instance id was always
// InvalidInstanceId.Malformed (CreateImage and ModifyInstancesVpcAttribute document no such code), and an instance
// type not on sale always InvalidParameterValue.InstanceTypeNotFound (ResetInstancesType documents
// ResourceNotFound.InvalidZoneInstanceType). Each now answers the code its action documents, else InvalidParameterValue.
import { expect, it } from "vitest";
import { serviceSpec } from "../../src/api/spec.js";
import { COMMON_CODES } from "../../src/domain/errors.js";
import { cvmClient, sdkError, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

let server: TestServer;
serverForFile((started) => (server = started));

const documented = (action: string, code: string) => COMMON_CODES.has(code) || serviceSpec("cvm").actions[action].errors.includes(code);

it("a malformed instance id is refused with a code the action documents", async () => {
  const cvm = cvmClient(server);
  // Each call is made when it is awaited: a refusal that came before its turn would be an unhandled rejection.
  const cases: [string, () => Promise<unknown>][] = [
    ["CreateImage", () => cvm.CreateImage({ ImageName: "x", InstanceId: "ins-" })],
    ["ModifyInstancesVpcAttribute", () => cvm.ModifyInstancesVpcAttribute({ InstanceIds: ["img-487zeit5"], VirtualPrivateCloud: { VpcId: "vpc-12345678", SubnetId: "subnet-12345678" } })],
    ["StartInstances", () => cvm.StartInstances({ InstanceIds: ["ins-"] })],
    ["ResetInstancesType", () => cvm.ResetInstancesType({ InstanceIds: ["ins-"], InstanceType: "S5.MEDIUM4" })],
  ];
  for (const [action, call] of cases) {
    const { code } = await sdkError(call());
    expect(documented(action, code), `${action} answered ${code}`).toBe(true);
  }
  expect((await sdkError(cvm.CreateImage({ ImageName: "x", InstanceId: "ins-" }))).code).toBe("InvalidParameterValue");
  expect((await sdkError(cvm.StartInstances({ InstanceIds: ["ins-"] }))).code).toBe("InvalidParameterValue.InstanceIdMalformed");
});

it("an instance type not on sale is refused with a code the action documents", async () => {
  const cvm = cvmClient(server);
  const reset = await sdkError(cvm.ResetInstancesType({ InstanceIds: ["ins-12345678"], InstanceType: "S5.HUGE999" }));
  expect(reset.code).toBe("ResourceNotFound.InvalidZoneInstanceType");
  const run = await sdkError(cvm.RunInstances({ Placement: { Zone: "ap-guangzhou-3" }, ImageId: "img-487zeit5", InstanceType: "S5.HUGE999" }));
  expect(run.code).toBe("InvalidParameterValue.InstanceTypeNotFound");
});
