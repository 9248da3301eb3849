// Launch templates through the official SDK: immutable versions with a default, inheritance from a base version,
// the documented quotas and refusals, and launches (and price inquiries) from a template version with the
// request's own members winning.
import { describe as group, expect, it } from "vitest";
import type { Client } from "tencentcloud-sdk-nodejs-cvm/tencentcloud/services/cvm/v20170312/cvm_client.js";
import type { CreateLaunchTemplateRequest } from "tencentcloud-sdk-nodejs-cvm/tencentcloud/services/cvm/v20170312/cvm_models.js";
import { generateKeyPair as generateSecret } from "../../src/keys.js";
import { everyRefusalDocumented } from "../helpers/documented-refusals.js";
import { UBUNTU, waitFor, ZONE } from "../helpers/instances.js";
import { serverForFile } from "../helpers/file-server.js";
import { cvmClient, sdkError, startServer, type TestServer } from "../helpers/server.js";

let server: TestServer;
let cvm: Client;
serverForFile((started) => {
  server = started;
  cvm = cvmClient(server, { language: "en-US" });
}, { OPENCVM_TIMING: "instant" });
everyRefusalDocumented(() => [server.logs], (action) => /LaunchTemplate|RunInstances/.test(action));

let n = 0;
const base = (extra: Partial<CreateLaunchTemplateRequest> = {}): CreateLaunchTemplateRequest => ({
  LaunchTemplateName: `web-${n++}`,
  Placement: { Zone: ZONE },
  ImageId: UBUNTU,
  InstanceType: "S5.MEDIUM4",
  ...extra,
});

async function versionsOf(id: string, extra = {}) {
  return (await cvm.DescribeLaunchTemplateVersions({ LaunchTemplateId: id, ...extra })).LaunchTemplateVersionSet!;
}

group("CreateLaunchTemplate and CreateLaunchTemplateVersion", () => {
  it("keeps version 1 as the default, resolved as a launch would be, and never shows the password", async () => {
    const { LaunchTemplateId: id } = await cvm.CreateLaunchTemplate(
      base({ LaunchTemplateVersionDescription: "first cut", InstanceName: "web", LoginSettings: { Password: "Opencvm-Test-1" }, SystemDisk: { DiskType: "CLOUD_SSD", DiskSize: 60 } }),
    );
    expect(id).toMatch(/^lt-[a-z0-9]{8}$/);
    const [t] = (await cvm.DescribeLaunchTemplates({ LaunchTemplateIds: [id!] })).LaunchTemplateSet!;
    expect(t).toMatchObject({ LaunchTemplateId: id, DefaultVersionNumber: 1, LatestVersionNumber: 1, LaunchTemplateVersionCount: 1, CreatedBy: server.defaultAccount.account.uin });
    const [v] = await versionsOf(id!);
    expect(v).toMatchObject({ LaunchTemplateVersion: 1, IsDefaultVersion: true, LaunchTemplateVersionDescription: "first cut" });
    expect(v.LaunchTemplateVersionData).toMatchObject({
      Placement: { Zone: ZONE, ProjectId: 0 },
      ImageId: UBUNTU,
      InstanceType: "S5.MEDIUM4",
      InstanceName: "web",
      InstanceChargeType: "POSTPAID_BY_HOUR",
      SystemDisk: { DiskType: "CLOUD_SSD", DiskSize: 60 },
      InstanceCount: 1,
    });
    expect(JSON.stringify(v)).not.toContain("Opencvm-Test-1");
  });

  it("numbers new versions after the latest, inheriting the base version's members", async () => {
    const { LaunchTemplateId: id } = await cvm.CreateLaunchTemplate(base({ InstanceName: "api", SystemDisk: { DiskType: "CLOUD_SSD", DiskSize: 80 } }));
    const two = await cvm.CreateLaunchTemplateVersion({ LaunchTemplateId: id!, Placement: { Zone: ZONE }, InstanceType: "S5.LARGE8", LaunchTemplateVersionDescription: "bigger" });
    expect(two.LaunchTemplateVersionNumber).toBe(2);
    const [, v2] = await versionsOf(id!);
    expect(v2).toMatchObject({ LaunchTemplateVersion: 2, IsDefaultVersion: false });
    // Only InstanceType changed: the name and disk come from version 1.
    expect(v2.LaunchTemplateVersionData).toMatchObject({ InstanceType: "S5.LARGE8", InstanceName: "api", SystemDisk: { DiskType: "CLOUD_SSD", DiskSize: 80 } });
    // Version 1 is unchanged.
    expect((await versionsOf(id!, { LaunchTemplateVersions: [1] }))[0].LaunchTemplateVersionData).toMatchObject({ InstanceType: "S5.MEDIUM4" });
    // A base other than the default.
    const three = await cvm.CreateLaunchTemplateVersion({ LaunchTemplateId: id!, Placement: { Zone: ZONE }, LaunchTemplateVersion: 2, InstanceName: "api-3" });
    expect(three.LaunchTemplateVersionNumber).toBe(3);
    expect((await versionsOf(id!, { LaunchTemplateVersions: [3] }))[0].LaunchTemplateVersionData).toMatchObject({ InstanceType: "S5.LARGE8", InstanceName: "api-3" });
  });

  it("refuses a template that could not launch, and a DryRun creates nothing", async () => {
    const before = (await cvm.DescribeLaunchTemplates({})).TotalCount;
    expect((await sdkError(cvm.CreateLaunchTemplate(base({ ImageId: "img-00000000" })))).code).toBe("InvalidImageId.NotFound");
    expect((await sdkError(cvm.CreateLaunchTemplate(base({ InstanceType: "NOPE.SMALL1" })))).message).toContain("NOPE.SMALL1");
    expect((await sdkError(cvm.CreateLaunchTemplate(base({ SecurityGroupIds: ["sg-00000000"] })))).code).toBe("InvalidSecurityGroupId.NotFound");
    expect((await sdkError(cvm.CreateLaunchTemplate(base({ LaunchTemplateName: "x" })))).code).toBe("InvalidParameterValue.InvalidLaunchTemplateName");
    expect((await sdkError(cvm.CreateLaunchTemplate(base({ LaunchTemplateVersionDescription: "d" })))).code).toBe("InvalidParameterValue.InvalidLaunchTemplateVersionDescription");
    expect((await sdkError(cvm.CreateLaunchTemplate(base({ DryRun: true })))).code).toBe("DryRunOperation");
    expect((await cvm.DescribeLaunchTemplates({})).TotalCount).toBe(before);
  });

  it("allows 30 versions per template", async () => {
    const { LaunchTemplateId: id } = await cvm.CreateLaunchTemplate(base());
    for (let i = 2; i <= 30; i++) await cvm.CreateLaunchTemplateVersion({ LaunchTemplateId: id!, Placement: { Zone: ZONE } });
    const over = await sdkError(cvm.CreateLaunchTemplateVersion({ LaunchTemplateId: id!, Placement: { Zone: ZONE } }));
    expect(over.code).toBe("LimitExceeded.LaunchTemplateVersionQuota");
    // Deleting one makes room; its number is not given again.
    await cvm.DeleteLaunchTemplateVersions({ LaunchTemplateId: id!, LaunchTemplateVersions: [30] });
    expect((await cvm.CreateLaunchTemplateVersion({ LaunchTemplateId: id!, Placement: { Zone: ZONE } })).LaunchTemplateVersionNumber).toBe(31);
    const page = await cvm.DescribeLaunchTemplateVersions({ LaunchTemplateId: id!, MinVersion: 5, MaxVersion: 40, Offset: 2, Limit: 3 });
    expect(page.TotalCount).toBe(26);
    expect(page.LaunchTemplateVersionSet!.map((v) => v.LaunchTemplateVersion)).toEqual([7, 8, 9]);
  });

  it("allows 30 templates per region", async () => {
    const s = await startServer({ OPENCVM_TIMING: "instant" });
    try {
      const c = cvmClient(s);
      for (let i = 0; i < 30; i++) await c.CreateLaunchTemplate(base());
      expect((await sdkError(c.CreateLaunchTemplate(base()))).code).toBe("LimitExceeded.LaunchTemplateQuota");
      // Another region has its own.
      await cvmClient(s, { region: "ap-shanghai" }).CreateLaunchTemplate(base({ Placement: { Zone: "ap-shanghai-2" } }));
    } finally {
      await s.close();
    }
  });
});

group("default versions and deletion", () => {
  it("changes the default, refuses deleting it, and deletes the template with its versions", async () => {
    const { LaunchTemplateId: id } = await cvm.CreateLaunchTemplate(base());
    await cvm.CreateLaunchTemplateVersion({ LaunchTemplateId: id!, Placement: { Zone: ZONE }, InstanceType: "S5.LARGE8" });
    expect((await sdkError(cvm.ModifyLaunchTemplateDefaultVersion({ LaunchTemplateId: id!, DefaultVersion: 1 }))).code).toBe("InvalidParameterValue.LaunchTemplateIdVerSetAlready");
    expect((await sdkError(cvm.ModifyLaunchTemplateDefaultVersion({ LaunchTemplateId: id!, DefaultVersion: 9 }))).code).toBe("InvalidParameterValue.LaunchTemplateIdVerNotExisted");
    await cvm.ModifyLaunchTemplateDefaultVersion({ LaunchTemplateId: id!, DefaultVersion: 2 });
    expect((await versionsOf(id!, { DefaultVersion: true })).map((v) => v.LaunchTemplateVersion)).toEqual([2]);

    expect((await sdkError(cvm.DeleteLaunchTemplateVersions({ LaunchTemplateId: id!, LaunchTemplateVersions: [1, 2] }))).code).toBe("InvalidParameterValue.LaunchTemplateDefaultVersion");
    expect((await sdkError(cvm.DeleteLaunchTemplateVersions({ LaunchTemplateId: id!, LaunchTemplateVersions: [1, 7] }))).code).toBe("InvalidParameterValue.LaunchTemplateIdVerNotExisted");
    expect((await versionsOf(id!)).length).toBe(2); // all or nothing
    await cvm.DeleteLaunchTemplateVersions({ LaunchTemplateId: id!, LaunchTemplateVersions: [1] });
    expect((await versionsOf(id!)).map((v) => v.LaunchTemplateVersion)).toEqual([2]);

    await cvm.DeleteLaunchTemplate({ LaunchTemplateId: id! });
    expect((await cvm.DescribeLaunchTemplates({ LaunchTemplateIds: [id!] })).TotalCount).toBe(0);
    expect((await sdkError(cvm.DescribeLaunchTemplateVersions({ LaunchTemplateId: id! }))).code).toBe("InvalidParameterValue.LaunchTemplateNotFound");
    expect((await sdkError(cvm.DeleteLaunchTemplate({ LaunchTemplateId: id! }))).code).toBe("InvalidParameterValue.LaunchTemplateNotFound");
    expect((await sdkError(cvm.DeleteLaunchTemplate({ LaunchTemplateId: "lt-bad" }))).code).toBe("InvalidParameterValue.LaunchTemplateIdMalformed");
  });

  it("lists by name, refuses ids with filters and unknown filters", async () => {
    const name = `named-${n++}`;
    await cvm.CreateLaunchTemplate(base({ LaunchTemplateName: name }));
    const found = await cvm.DescribeLaunchTemplates({ Filters: [{ Name: "launch-template-name", Values: [name] }] });
    expect(found.LaunchTemplateSet!.map((t) => t.LaunchTemplateName)).toEqual([name]);
    expect((await sdkError(cvm.DescribeLaunchTemplates({ LaunchTemplateIds: ["lt-00000000"], Filters: [{ Name: "launch-template-name", Values: [name] }] }))).code).toBe("InvalidParameter");
    expect((await sdkError(cvm.DescribeLaunchTemplates({ Filters: [{ Name: "zone", Values: [ZONE] }] }))).code).toBe("InvalidFilter");
    expect((await sdkError(cvm.DescribeLaunchTemplateVersions({ LaunchTemplateId: "lt-00000000", LaunchTemplateVersions: [1], Limit: 5 }))).code).toBe("InvalidParameterCombination");
  });
});

group("RunInstances from a template", () => {
  it("launches a version with the request's members winning", async () => {
    const { KeyPair } = await cvm.CreateKeyPair({ KeyName: `lt_key_${n++}`, ProjectId: 0 });
    const { LaunchTemplateId: id } = await cvm.CreateLaunchTemplate(
      base({ InstanceName: "from-template", LoginSettings: { KeyIds: [KeyPair!.KeyId!] }, TagSpecification: [{ ResourceType: "instance", Tags: [{ Key: "made-by", Value: "template" }] }] }),
    );
    await cvm.CreateLaunchTemplateVersion({ LaunchTemplateId: id!, Placement: { Zone: ZONE }, InstanceType: "S5.LARGE8" });

    // The default version (1), as the template has it.
    const [plain] = (await cvm.RunInstances({ LaunchTemplate: { LaunchTemplateId: id! } })).InstanceIdSet!;
    // Version 2 with overrides: the request's name and zone win, the rest is the version's.
    const [custom] = (await cvm.RunInstances({ LaunchTemplate: { LaunchTemplateId: id!, LaunchTemplateVersion: 2 }, InstanceName: "overridden", Placement: { Zone: "ap-guangzhou-4" } })).InstanceIdSet!;
    const [a, b] = await waitFor(cvm, [plain, custom], "RUNNING");
    const byId = new Map([a, b].map((i) => [i.InstanceId, i]));
    expect(byId.get(plain)).toMatchObject({ InstanceType: "S5.MEDIUM4", InstanceName: "from-template", ImageId: UBUNTU, Placement: { Zone: ZONE }, LoginSettings: { KeyIds: [KeyPair!.KeyId] } });
    expect(byId.get(plain)!.Tags).toEqual([{ Key: "made-by", Value: "template" }]);
    expect(byId.get(custom)).toMatchObject({ InstanceType: "S5.LARGE8", InstanceName: "overridden", ImageId: UBUNTU, Placement: { Zone: "ap-guangzhou-4" } });
  });

  it("prices a launch from a template", async () => {
    const { LaunchTemplateId: id } = await cvm.CreateLaunchTemplate(base({ InstanceType: "S5.LARGE8" }));
    const fromTemplate = await cvm.InquiryPriceRunInstances({ LaunchTemplate: { LaunchTemplateId: id! }, Placement: { Zone: ZONE }, ImageId: UBUNTU });
    const direct = await cvm.InquiryPriceRunInstances({ Placement: { Zone: ZONE }, ImageId: UBUNTU, InstanceType: "S5.LARGE8" });
    const small = await cvm.InquiryPriceRunInstances({ Placement: { Zone: ZONE }, ImageId: UBUNTU, InstanceType: "S5.MEDIUM4" });
    expect(fromTemplate.Price).toEqual(direct.Price);
    expect(fromTemplate.Price).not.toEqual(small.Price);
  });

  it("refuses a template or version that does not exist, creating nothing", async () => {
    const { LaunchTemplateId: id } = await cvm.CreateLaunchTemplate(base());
    const before = (await cvm.DescribeInstances({})).TotalCount;
    expect((await sdkError(cvm.RunInstances({ LaunchTemplate: { LaunchTemplateId: "lt-00000000" } }))).code).toBe("InvalidParameterValue.LaunchTemplateNotFound");
    expect((await sdkError(cvm.RunInstances({ LaunchTemplate: { LaunchTemplateId: "bad" } }))).code).toBe("InvalidParameterValue.LaunchTemplateIdMalformed");
    expect((await sdkError(cvm.RunInstances({ LaunchTemplate: { LaunchTemplateId: id!, LaunchTemplateVersion: 5 } }))).code).toBe("InvalidParameterValue.LaunchTemplateVersion");
    expect((await cvm.DescribeInstances({})).TotalCount).toBe(before);
  });
});

group("another account", () => {
  it("sees and uses none of the templates", async () => {
    const secret = generateSecret();
    await server.store.accounts.create(secret);
    const other = cvmClient(server, { ...secret, language: "en-US" });
    const { LaunchTemplateId: id } = await cvm.CreateLaunchTemplate(base());
    expect((await other.DescribeLaunchTemplates({ LaunchTemplateIds: [id!] })).TotalCount).toBe(0);
    expect((await other.DescribeLaunchTemplates({})).TotalCount).toBe(0);
    expect((await sdkError(other.DescribeLaunchTemplateVersions({ LaunchTemplateId: id! }))).code).toBe("InvalidParameterValue.LaunchTemplateNotFound");
    expect((await sdkError(other.RunInstances({ LaunchTemplate: { LaunchTemplateId: id! } }))).code).toBe("InvalidParameterValue.LaunchTemplateNotFound");
    expect((await sdkError(other.DeleteLaunchTemplate({ LaunchTemplateId: id! }))).code).toBe("InvalidParameterValue.LaunchTemplateNotFound");
    // InquiryPriceRunInstances documents no launch template code: refused as a template that never was.
    const inquiry = (LaunchTemplateId: string) => other.InquiryPriceRunInstances({ LaunchTemplate: { LaunchTemplateId }, Placement: { Zone: ZONE }, ImageId: UBUNTU });
    const [theirs, none] = [await sdkError(inquiry(id!)), await sdkError(inquiry("lt-00000000"))];
    expect(theirs.code).toBe(none.code);
    expect(theirs.message.replace(id!, "lt-00000000")).toBe(none.message);
    expect((await cvm.DescribeLaunchTemplates({ LaunchTemplateIds: [id!] })).TotalCount).toBe(1);
  });
});
