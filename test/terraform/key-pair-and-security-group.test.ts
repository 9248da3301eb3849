// Replays tencentcloud_key_pair (services/cvm/resource_tc_key_pair.go), tencentcloud_security_group and
// tencentcloud_security_group_rule_set (services/vpc/resource_tc_security_group*.go): the calls of Create, Read,
// Update and Delete in the provider's order and with its parameters, checking what it checks.
import { describe, expect, it } from "vitest";
import { launch, waitFor } from "../helpers/instances.js";
import { sdkError } from "../helpers/server.js";
import { modifyTags, must, replayFile, readTags, tagResourceName, until } from "./provider.js";

const r = replayFile();

/** CvmService.DescribeKeyPairById, and the Read around it: not found is an empty set. */
async function readKeyPair(keyId: string) {
  const out = await r.tf.cvm.DescribeKeyPairs({ KeyIds: [keyId] });
  const k = out.KeyPairSet?.[0];
  if (!k) return undefined;
  // The provider keeps the first two words of the public key line.
  const publicKey = k.PublicKey?.split(" ").slice(0, 2).join(" ");
  return { name: k.KeyName, projectId: k.ProjectId, publicKey, createdTime: k.CreatedTime, associated: k.AssociatedInstanceIds ?? [], tags: await readTags(r.tf.tag, "cvm", "keypair", keyId) };
}

/** VpcService.DescribeSecurityGroup with the group's tags (the provider reads them as cvm/sg). */
async function readSecurityGroup(id: string) {
  const out = await r.tf.vpc.request("DescribeSecurityGroups", { SecurityGroupIds: [id] });
  if (out.SecurityGroupSet.length === 0) return undefined;
  const g = out.SecurityGroupSet[0];
  return { name: must(g.SecurityGroupName, "SecurityGroupName"), description: must(g.SecurityGroupDesc, "SecurityGroupDesc"), projectId: g.ProjectId, tags: await readTags(r.tf.tag, "cvm", "sg", id) };
}

describe("tencentcloud_key_pair", () => {
  it("creates, tags, renames, unbinds and deletes a key pair as the provider does", async () => {
    // Create: CreateKeyPair(KeyName, ProjectId), then the tags through the tag service.
    const created = await r.tf.cvm.CreateKeyPair({ KeyName: "tf_key", ProjectId: 0 });
    const keyId = must(created.KeyPair?.KeyId, "KeyPair.KeyId");
    must(created.KeyPair?.PrivateKey, "KeyPair.PrivateKey");
    await modifyTags(r.tf.tag, tagResourceName("cvm", "keypair", keyId), { owner: "tf" });
    const read = must(await readKeyPair(keyId), "key pair");
    expect(read).toMatchObject({ name: "tf_key", projectId: 0, tags: { owner: "tf" } });
    expect(read.publicKey).toMatch(/^ssh-rsa \S+$/);

    // Update: ModifyKeyPairAttribute for the name, ModifyResourceTags for the tags.
    await r.tf.cvm.ModifyKeyPairAttribute({ KeyId: keyId, KeyName: "tf_key_2" });
    await modifyTags(r.tf.tag, tagResourceName("cvm", "keypair", keyId), { env: "test" }, ["owner"]);
    expect(await readKeyPair(keyId)).toMatchObject({ name: "tf_key_2", tags: { env: "test" } });

    // A key bound to an instance: Delete unbinds it (force_stop) and retries DeleteKeyPairs while it is still bound.
    const [instanceId] = (await launch(r.tf.cvm, { LoginSettings: { KeyIds: [keyId] } })).InstanceIdSet!;
    await waitFor(r.tf.cvm, [instanceId], "RUNNING");
    const bound = must(await readKeyPair(keyId), "key pair");
    expect(bound.associated).toEqual([instanceId]);
    await r.tf.cvm.DisassociateInstancesKeyPairs({ KeyIds: [keyId], InstanceIds: bound.associated, ForceStop: true });
    await until("DeleteKeyPairs succeeds", async () => {
      try {
        await r.tf.cvm.DeleteKeyPairs({ KeyIds: [keyId] });
        return true;
      } catch (e) {
        // KEY_PAIR_NOT_SUPPORT_ERROR and KYE_PAIR_INVALID_ERROR are what the provider retries on.
        expect(["InvalidParameterValue.KeyPairNotSupported", "InvalidKeyPair"]).toContain((e as { code: string }).code);
        return undefined;
      }
    });
    expect(await readKeyPair(keyId)).toBeUndefined();
  });

  it("imports a public key", async () => {
    const created = await r.tf.cvm.CreateKeyPair({ KeyName: "source", ProjectId: 0 });
    const line = must((await readKeyPair(created.KeyPair!.KeyId!))?.publicKey, "public key");
    await r.tf.cvm.DeleteKeyPairs({ KeyIds: [created.KeyPair!.KeyId!] });
    const imported = await r.tf.cvm.ImportKeyPair({ KeyName: "imported", ProjectId: 0, PublicKey: line });
    const keyId = must(imported.KeyId, "KeyId");
    expect(await readKeyPair(keyId)).toMatchObject({ name: "imported", publicKey: line, tags: {} });
  });
});

describe("tencentcloud_security_group with tencentcloud_security_group_rule_set", () => {
  it("creates, reads, updates and deletes a group and its rules as the provider does", async () => {
    // tencentcloud_security_group Create: CreateSecurityGroup (ProjectId as a string), then the tags.
    const created = await r.tf.vpc.request("CreateSecurityGroup", { GroupName: "tf-sg", GroupDescription: "from terraform", ProjectId: "0" });
    const id = must(created.SecurityGroup?.SecurityGroupId, "SecurityGroup.SecurityGroupId");
    await modifyTags(r.tf.tag, tagResourceName("cvm", "sg", id), { owner: "tf" });
    expect(await readSecurityGroup(id)).toMatchObject({ name: "tf-sg", description: "from terraform", tags: { owner: "tf" } });

    // tencentcloud_security_group_rule_set Create: ModifySecurityGroupPolicies with both directions, then Read.
    const ingress = [
      { Action: "ACCEPT", CidrBlock: "10.0.0.0/16", Protocol: "TCP", Port: "80,443", PolicyDescription: "web" },
      { Action: "DROP", CidrBlock: "0.0.0.0/0", Protocol: "ALL", Port: "ALL", PolicyDescription: "" },
    ];
    const egress = [{ Action: "ACCEPT", CidrBlock: "0.0.0.0/0", Protocol: "ALL", Port: "ALL", PolicyDescription: "" }];
    await r.tf.vpc.request("ModifySecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Ingress: ingress, Egress: egress } });
    const policies = async () => (await r.tf.vpc.request("DescribeSecurityGroupPolicies", { SecurityGroupId: id })).SecurityGroupPolicySet;
    const first = await policies();
    const version = must(first.Version, "Version");
    expect(first.Ingress.map((p: { Protocol: string; Port: string; Action: string }) => [p.Protocol.toUpperCase(), p.Port, p.Action])).toEqual([
      ["TCP", "80,443", "ACCEPT"],
      ["ALL", "ALL", "DROP"],
    ]);

    // Update: the whole set again, sorted, with the next version.
    await r.tf.vpc.request("ModifySecurityGroupPolicies", {
      SecurityGroupId: id,
      SortPolicys: true,
      SecurityGroupPolicySet: { Version: String(Number(version) + 1), Ingress: [ingress[0]], Egress: egress },
    });
    const second = await policies();
    expect(second.Ingress).toHaveLength(1);
    expect(Number(second.Version)).toBeGreaterThan(Number(version));

    // tencentcloud_security_group Update: name and description, then tags.
    await r.tf.vpc.request("ModifySecurityGroupAttribute", { SecurityGroupId: id, GroupName: "tf-sg-2", GroupDescription: "renamed" });
    await modifyTags(r.tf.tag, tagResourceName("cvm", "sg", id), { env: "test" }, ["owner"]);
    expect(await readSecurityGroup(id)).toMatchObject({ name: "tf-sg-2", description: "renamed", tags: { env: "test" } });

    // Deletes: the rule set (Version "0", both directions empty), then the group once nothing holds it.
    await r.tf.vpc.request("ModifySecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Version: "0", Ingress: [], Egress: [] } });
    const emptied = await policies();
    expect([emptied.Ingress, emptied.Egress]).toEqual([[], []]);
    const [stats] = (await r.tf.vpc.request("DescribeSecurityGroupAssociationStatistics", { SecurityGroupIds: [id] })).SecurityGroupAssociationStatisticsSet;
    for (const m of ["CVM", "CLB", "CDB", "ENI", "SG"]) expect(must(stats[m], `Statistics.${m}`)).toBe(0);
    await r.tf.vpc.request("DeleteSecurityGroup", { SecurityGroupId: id });
    expect(await readSecurityGroup(id)).toBeUndefined();
    expect((await sdkError(r.tf.vpc.request("DescribeSecurityGroupPolicies", { SecurityGroupId: id }))).code).toMatch(/NotFound|ResourceNotFound/);
  });
});
