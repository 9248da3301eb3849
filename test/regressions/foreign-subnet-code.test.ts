// Regression (found by test/trust/isolation.test.ts): ModifyInstancesVpcAttribute answered the generic
// InvalidParameterValue for a subnet the caller does not have, another account's or one that does not exist, where
// every other action names a missing resource with a not-found code. It now answers ResourceNotFound (the action
// documents no code of its own for it), the same for both, and the instance stays where it was.
import { expect, it } from "vitest";
import { generateKeyPair } from "../../src/keys.js";
import { describe, launch, waitFor } from "../helpers/instances.js";
import { commonClient, cvmClient, sdkError, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

let server: TestServer;
serverForFile((started) => (server = started), { OPENCVM_TIMING: "instant" });

it("another account's subnet and one that does not exist are both ResourceNotFound, changing nothing", async () => {
  const other = generateKeyPair();
  await server.store.accounts.create(other);
  const vpc = commonClient(server, "2017-03-12", other);
  const { VpcId } = (await vpc.request("CreateVpc", { VpcName: "theirs", CidrBlock: "10.70.0.0/16" })).Vpc;
  const { SubnetId } = (await vpc.request("CreateSubnet", { VpcId, SubnetName: "theirs", CidrBlock: "10.70.1.0/24", Zone: "ap-guangzhou-3" })).Subnet;

  const cvm = cvmClient(server);
  const ids = (await launch(cvm)).InstanceIdSet!;
  const [before] = await waitFor(cvm, ids, "RUNNING");
  for (const target of [{ VpcId, SubnetId }, { VpcId: "vpc-00000000", SubnetId: "subnet-00000000" }]) {
    const err = await sdkError(cvm.ModifyInstancesVpcAttribute({ InstanceIds: ids, VirtualPrivateCloud: target }));
    expect(err.code).toBe("ResourceNotFound");
    expect(err.message).toContain(target.SubnetId);
  }
  expect((await describe(cvm, ids))[0]).toEqual(before);
});
