// Regression (found by test/trust/fuzz.test.ts): filter names and OrderField values were looked up in object
// literals, which also answer for the names of Object.prototype. A filter named `__proto__` or `hasOwnProperty`
// answered InternalError (DescribeInstances, DescribeVpcs, DescribeSubnets, DescribeSecurityGroups,
// DescribeSecurityGroupPolicies, DescribeAddresses), one named `constructor` or `toString` was taken as a filter
// that matches everything, and DescribeSecurityGroups with OrderField `__proto__` answered InternalError. Only a
// table's own names count now; the others are refused as unknown, with a code the action documents.
import { expect, it } from "vitest";
import { ACTIONS } from "../../src/actions/index.js";
import { serviceSpec } from "../../src/api/spec.js";
import { COMMON_CODES } from "../../src/domain/errors.js";
import { waitFor } from "../helpers/instances.js";
import { commonClient, cvmClient, sdkError, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

const NAMES = ["__proto__", "constructor", "toString", "hasOwnProperty"];

let server: TestServer;
let groupId: string;
let instanceId: string;
serverForFile(async (started) => {
  server = started;
  const client = commonClient(server, "2017-03-12");
  // Something of every kind the filters look at, so that a filter is really applied to a resource.
  const launched = (await client.request("RunInstances", { Placement: { Zone: "ap-guangzhou-3" }, ImageId: "img-487zeit5", InstanceType: "S5.MEDIUM4" })) as { InstanceIdSet: string[] };
  instanceId = launched.InstanceIdSet[0];
  await waitFor(cvmClient(server), [instanceId], "RUNNING");
  await client.request("AllocateAddresses", {});
  await client.request("CreateSecurityGroup", { GroupName: "second", GroupDescription: "d" });
  groupId = ((await client.request("DescribeSecurityGroups", {})) as { SecurityGroupSet: { SecurityGroupId: string }[] }).SecurityGroupSet[0].SecurityGroupId;
  await client.request("CreateSecurityGroupPolicies", {
    SecurityGroupId: groupId,
    SecurityGroupPolicySet: { Ingress: [{ Protocol: "TCP", Port: "22", CidrBlock: "0.0.0.0/0", Action: "ACCEPT" }] },
  });
}, { OPENCVM_TIMING: "instant" });

const withFilters = ACTIONS.filter((a) => {
  const spec = serviceSpec(a.service);
  return spec.objects[spec.actions[a.name].input].some((m) => m.name === "Filters");
});

it.each(withFilters.map((a) => [a.name, a.service] as const))("%s refuses filters named after Object.prototype", async (action, service) => {
  const client = commonClient(server, "2017-03-12");
  const documented = serviceSpec(service).actions[action].errors;
  for (const name of NAMES) {
    const params: Record<string, unknown> = { Filters: [{ Name: name, Values: ["x"] }] };
    if (action === "DescribeSecurityGroupPolicies") params.SecurityGroupId = groupId;
    if (action === "DescribeInstancesModification") params.InstanceIds = [instanceId];
    const { code } = await sdkError(client.request(action, params));
    expect(code, `${action} with a filter named ${name}`).not.toBe("InternalError");
    expect(COMMON_CODES.has(code) || documented.includes(code), `${action} answered ${code} for ${name}`).toBe(true);
  }
});

it("DescribeSecurityGroups refuses OrderField __proto__ and constructor", async () => {
  const client = commonClient(server, "2017-03-12");
  for (const field of ["__proto__", "constructor"]) {
    expect((await sdkError(client.request("DescribeSecurityGroups", { OrderField: field }))).code).toBe("InvalidParameterValue.Range");
  }
  expect(await client.request("DescribeSecurityGroups", { OrderField: "CreatedTime" })).toMatchObject({ TotalCount: 2 });
});
