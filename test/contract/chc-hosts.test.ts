// CHC hosts through the official SDK: an operator registers an account's physical servers with `opencvm chc add`;
// their owner lists them, names them, configures their out-of-band and deploy networks (asynchronously: OPERATING,
// then the state the change settles in), switches their network mode once they are produced, and asks which
// actions each host's state denies; RunInstances' ChcIds puts a cloud host on a produced one (ONLINE until it ends). Bad input is refused with the codes each action documents; another account
// sees and changes nothing of them.
import { describe as group, expect, it } from "vitest";
import type { Client } from "tencentcloud-sdk-nodejs-cvm/tencentcloud/services/cvm/v20170312/cvm_client.js";
import type { ChcHost } from "tencentcloud-sdk-nodejs-cvm/tencentcloud/services/cvm/v20170312/cvm_models.js";
import { generateKeyPair as generateSecret } from "../../src/keys.js";
import { opencvm } from "../helpers/cli.js";
import { everyRefusalDocumented } from "../helpers/documented-refusals.js";
import { serverForFile } from "../helpers/file-server.js";
import { launch, waitFor, waitGone, ZONE } from "../helpers/instances.js";
import { admin, commonClient, cvmClient, sdkError, type TestServer } from "../helpers/server.js";

let server: TestServer;
let cvm: Client;
let vpc: ReturnType<typeof commonClient>;
serverForFile((started) => {
  server = started;
  cvm = cvmClient(server, { language: "en-US" });
  vpc = commonClient(server, "2017-03-12");
}, { OPENCVM_TIMING: "instant" });
everyRefusalDocumented(() => [server.logs], (action) => action.includes("Chc"));

let serial = 0;
/** Registers a host for the default account through the admin path the command uses. */
async function register(extra: object = {}): Promise<string> {
  const res = await admin(server, "/_opencvm/chc", { Zone: ZONE, SerialNumber: `SN-T${++serial}`, DeviceType: "CHCS5", CPU: 64, Memory: 256, Disk: "480GB*2", ...extra });
  expect(res.status).toBe(200);
  return ((await res.json()) as { ChcId: string }).ChcId;
}

async function subnet(cidr: string, zone = ZONE): Promise<{ VpcId: string; SubnetId: string }> {
  const v = (await vpc.request("CreateVpc", { VpcName: "chc", CidrBlock: cidr })).Vpc;
  const s = (await vpc.request("CreateSubnet", { VpcId: v.VpcId, SubnetName: "chc", CidrBlock: cidr.replace("/16", "/24"), Zone: zone })).Subnet;
  return { VpcId: v.VpcId, SubnetId: s.SubnetId };
}

async function host(id: string, client = cvm): Promise<ChcHost> {
  return (await client.DescribeChcHosts({ ChcIds: [id] })).ChcHostSet![0];
}

/** Polls until the host's network change has settled. */
async function settled(id: string): Promise<ChcHost> {
  const until = Date.now() + 10_000;
  for (;;) {
    const h = await host(id);
    if (h.InstanceState !== "OPERATING") return h;
    if (Date.now() > until) throw new Error(`${id} still OPERATING`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

group("CHC hosts", () => {
  it("are registered by `opencvm chc add` and shown to their owner in INIT, with no network", async () => {
    const ran = await opencvm(["chc", "add", "--zone", ZONE, "--sn", "7DF112345678", "--device-type", "CHCS5", "--cpu", "64", "--memory", "256", "--disk", "480GB*2/3.84TB*12", "--name", "rack-1", "--json", "--port", String(server.port)]);
    expect(ran.stderr).toBe("");
    const { ChcId } = JSON.parse(ran.stdout) as { ChcId: string };
    expect(ChcId).toMatch(/^chc-[a-z0-9]{8}$/);
    expect(await host(ChcId)).toMatchObject({
      ChcId,
      InstanceName: "rack-1",
      SerialNumber: "7DF112345678",
      InstanceState: "INIT",
      DeviceType: "CHCS5",
      Placement: { Zone: ZONE, ProjectId: 0 },
      BmcVirtualPrivateCloud: { VpcId: "", SubnetId: "" },
      BmcIp: "",
      DeployIp: "",
      CPU: 64,
      Memory: 256,
      Disk: "480GB*2/3.84TB*12",
      HardwareDescription: "64核 256GB 480GB*2/3.84TB*12",
      TenantType: "HOSTING",
      NetworkMode: "BUSINESS",
    });
    // The same serial number twice is refused, as is a zone the catalog does not have.
    const again = await opencvm(["chc", "add", "--zone", ZONE, "--sn", "7DF112345678", "--device-type", "CHCS5", "--cpu", "64", "--memory", "256", "--disk", "1TB", "--port", String(server.port)]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("registered already");
    expect((await admin(server, "/_opencvm/chc", { Zone: "mars-1", SerialNumber: "x", DeviceType: "d", CPU: 1, Memory: 1, Disk: "1TB" })).status).toBe(400);
    const listed = await opencvm(["chc", "list", "--json", "--port", String(server.port)]);
    expect((JSON.parse(listed.stdout) as { ChcId: string }[]).map((h) => h.ChcId)).toContain(ChcId);
  }, 60_000);

  it("get their networks configured asynchronously, and go READY, PREPARED and back as the networks come and go", async () => {
    const id = await register();
    const bmcNet = await subnet("10.90.0.0/16");
    const deployNet = await subnet("10.91.0.0/16");
    const sg = (await vpc.request("CreateSecurityGroup", { GroupName: "bmc", GroupDescription: "bmc" })).SecurityGroup.SecurityGroupId as string;
    expect((await cvm.DescribeChcDeniedActions({ ChcIds: [id] })).ChcHostDeniedActionSet).toEqual([
      { ChcId: id, State: "INIT", DenyActions: ["ConfigureChcDeployVpc", "RemoveChcAssistVpc", "RemoveChcDeployVpc", "ModifyChcNetworkMode", "RunInstances"] },
    ]);

    await cvm.ConfigureChcAssistVpc({ ChcIds: [id], BmcVirtualPrivateCloud: { ...bmcNet, PrivateIpAddresses: ["10.90.0.20"] }, BmcSecurityGroupIds: [sg] });
    const operating = await host(id);
    // The change is the engine's: right after the call the host shows it in progress or already done.
    expect(operating.LatestOperation).toBe("ConfigureChcAssistVpc");
    expect(["OPERATING", "INIT"]).toContain(operating.InstanceState);
    const bmcOnly = await settled(id);
    expect(bmcOnly).toMatchObject({ InstanceState: "INIT", LatestOperationState: "SUCCESS", BmcIp: "10.90.0.20", BmcSecurityGroupIds: [sg], BmcVirtualPrivateCloud: { ...bmcNet, PrivateIpAddresses: ["10.90.0.20"] } });
    expect(bmcOnly.BmcMAC).toMatch(/^52:54:00(:[0-9A-F]{2}){3}$/);
    expect((await cvm.DescribeChcDeniedActions({ ChcIds: [id] })).ChcHostDeniedActionSet![0].DenyActions).toEqual(["ConfigureChcAssistVpc", "RemoveChcDeployVpc", "ModifyChcNetworkMode", "RunInstances"]);
    // The address is taken in the subnet: an instance or another host cannot have it.
    expect((await vpc.request("DescribeSubnets", { SubnetIds: [bmcNet.SubnetId] })).SubnetSet[0].AvailableIpAddressCount).toBe(252);
    expect((await sdkError(cvm.ConfigureChcAssistVpc({ ChcIds: [await register()], BmcVirtualPrivateCloud: { ...bmcNet, PrivateIpAddresses: ["10.90.0.20"] } }))).code).toBe("VpcIpIsUsed");

    await cvm.ConfigureChcDeployVpc({ ChcIds: [id], DeployVirtualPrivateCloud: deployNet, ChcDeployExtraConfig: { MiniOsType: "public", BootType: "x86_uefi", NextServerAddress: "169.254.68.10" } });
    const ready = await settled(id);
    expect(ready).toMatchObject({ InstanceState: "READY", LatestOperation: "ConfigureChcDeployVpc", DeployIp: "10.91.0.2", DeployExtraConfig: { MiniOsType: "public", BootType: "x86_uefi", BootFile: "pxelinux.0", NextServerAddress: "169.254.68.10" } });
    expect((await sdkError(cvm.ConfigureChcDeployVpc({ ChcIds: [id], DeployVirtualPrivateCloud: deployNet }))).code).toBe("InvalidParameterValue.DeployVpcAlreadyExists");
    // Only a produced host switches networks: READY is refused.
    expect((await sdkError(cvm.ModifyChcNetworkMode({ ChcIds: [id], NetworkMode: "DEPLOY" }))).code).toBe("OperationDenied.ChcHostStateNotSupported");

    const prepared = await opencvm(["chc", "prepare", id, "--port", String(server.port)]);
    expect(prepared.stdout).toContain("PREPARED");
    expect((await cvm.DescribeChcDeniedActions({ ChcIds: [id] })).ChcHostDeniedActionSet![0]).toEqual({ ChcId: id, State: "PREPARED", DenyActions: ["ConfigureChcAssistVpc", "ConfigureChcDeployVpc"] });
    await cvm.ModifyChcNetworkMode({ ChcIds: [id], NetworkMode: "DEPLOY" });
    expect(await settled(id)).toMatchObject({ InstanceState: "PREPARED", NetworkMode: "DEPLOY", LatestOperation: "SwitchChcDeployNetwork", LatestOperationName: "切换到部署网络", LatestOperationState: "SUCCESS" });
    // BUSINESS needs a cloud host on it (ONLINE).
    expect((await sdkError(cvm.ModifyChcNetworkMode({ ChcIds: [id], NetworkMode: "BUSINESS" }))).code).toBe("OperationDenied.ChcHostStateNotSupported");

    await cvm.RemoveChcDeployVpc({ ChcIds: [id] });
    expect(await settled(id)).toMatchObject({ InstanceState: "INIT", DeployIp: "", NetworkMode: "BUSINESS", BmcIp: "10.90.0.20" });
    expect((await vpc.request("DescribeSubnets", { SubnetIds: [deployNet.SubnetId] })).SubnetSet[0].AvailableIpAddressCount).toBe(253);
    await cvm.RemoveChcAssistVpc({ ChcIds: [id] });
    expect(await settled(id)).toMatchObject({ InstanceState: "INIT", BmcIp: "", LatestOperation: "RemoveChcAssistVpc" });
    expect((await vpc.request("DescribeSubnets", { SubnetIds: [bmcNet.SubnetId] })).SubnetSet[0].AvailableIpAddressCount).toBe(253);

    // Both networks at once, for two hosts: each gets its own addresses.
    const other = await register();
    await cvm.ConfigureChcAssistVpc({ ChcIds: [id, other], BmcVirtualPrivateCloud: bmcNet, DeployVirtualPrivateCloud: deployNet });
    const [a, b] = [await settled(id), await settled(other)];
    expect([a.InstanceState, b.InstanceState]).toEqual(["READY", "READY"]);
    expect(a.BmcIp).not.toBe(b.BmcIp);
    expect(a.DeployIp).not.toBe(b.DeployIp);
    // Taken off by the operator, a host gives its addresses back.
    const removed = await opencvm(["chc", "remove", other, "--port", String(server.port)]);
    expect(removed.code).toBe(0);
    expect((await cvm.DescribeChcHosts({ ChcIds: [other] })).TotalCount).toBe(0);
  }, 60_000);

  it("are renamed, retyped and given BMC credentials with ModifyChcAttribute", async () => {
    const id = await register();
    await cvm.ModifyChcAttribute({ ChcIds: [id], InstanceName: "server1", DeviceType: "CHC_HS1" });
    expect(await host(id)).toMatchObject({ InstanceName: "server1", DeviceType: "CHC_HS1" });
    // BMC settings need the out-of-band network.
    expect((await sdkError(cvm.ModifyChcAttribute({ ChcIds: [id], BmcUser: "admin", Password: "Passw0rd!x" }))).code).toBe("InvalidParameterValue.ChcNetworkEmpty");
    await cvm.ConfigureChcAssistVpc({ ChcIds: [id], BmcVirtualPrivateCloud: await subnet("10.92.0.0/16") });
    await settled(id);
    const sg = (await vpc.request("CreateSecurityGroup", { GroupName: "bmc2", GroupDescription: "bmc" })).SecurityGroup.SecurityGroupId as string;
    await cvm.ModifyChcAttribute({ ChcIds: [id], BmcUser: "admin", Password: "Passw0rd!x", BmcSecurityGroupIds: [sg] });
    expect((await host(id)).BmcSecurityGroupIds).toEqual([sg]);
    const stored = (await server.store.chcHosts.get(id))!.doc;
    expect(stored.bmcUser).toBe("admin");
    expect(stored.bmcPasswordHash).toMatch(/^\$6\$/);
    const short = await sdkError(cvm.ModifyChcAttribute({ ChcIds: [id], Password: "short" }));
    expect(short.code).toBe("InvalidPassword");
    expect(short.message).not.toContain("short");
    expect((await sdkError(cvm.ModifyChcAttribute({ ChcIds: [id], BmcUser: "bad user" }))).code).toBe("InvalidParameterValue.IncorrectFormat");
    expect((await sdkError(cvm.ModifyChcAttribute({ ChcIds: [id], BmcSecurityGroupIds: ["sg-00000000"] }))).code).toBe("InvalidSecurityGroupId.NotFound");
  });

  it("are listed with the documented filters and paging, and bad requests are refused", async () => {
    const named = await register({ InstanceName: "filter-me", DeviceType: "CHCS6" });
    const net = await subnet("10.93.0.0/16");
    await cvm.ConfigureChcAssistVpc({ ChcIds: [named], BmcVirtualPrivateCloud: net });
    await settled(named);
    const ids = async (Filters: { Name: string; Values: string[] }[]) => (await cvm.DescribeChcHosts({ Filters, Limit: 100 })).ChcHostSet!.map((h) => h.ChcId);
    expect(await ids([{ Name: "instance-name", Values: ["filter-me"] }])).toEqual([named]);
    expect(await ids([{ Name: "device-type", Values: ["CHCS6"] }])).toEqual([named]);
    expect(await ids([{ Name: "vpc-id", Values: [net.VpcId] }])).toEqual([named]);
    expect(await ids([{ Name: "subnet-id", Values: [net.SubnetId] }])).toEqual([named]);
    expect(await ids([{ Name: "sn", Values: [(await host(named)).SerialNumber!] }])).toEqual([named]);
    expect(await ids([{ Name: "zone", Values: ["ap-guangzhou-4"] }])).toEqual([]);
    expect(await ids([{ Name: "instance-state", Values: ["INIT"] }, { Name: "device-type", Values: ["CHCS6"] }])).toEqual([named]);
    const all = await cvm.DescribeChcHosts({ Limit: 100 });
    const page = await cvm.DescribeChcHosts({ Offset: 1, Limit: 2 });
    expect(page.TotalCount).toBe(all.TotalCount);
    expect(page.ChcHostSet!.map((h) => h.ChcId)).toEqual(all.ChcHostSet!.slice(1, 3).map((h) => h.ChcId));
    expect((await cvm.DescribeChcHosts({})).ChcHostSet!.length).toBe(Math.min(20, all.TotalCount!));

    const refused = async (call: Promise<unknown>) => (await sdkError(call)).code;
    expect(await refused(cvm.DescribeChcHosts({ Limit: 101 }))).toBe("InvalidParameterValueLimit");
    expect(await refused(cvm.DescribeChcHosts({ Offset: -1 }))).toBe("InvalidParameterValueOffset");
    expect(await refused(cvm.DescribeChcHosts({ ChcIds: [named], Filters: [{ Name: "zone", Values: [ZONE] }] }))).toBe("InvalidParameter.AtMostOne");
    expect(await refused(cvm.DescribeChcHosts({ ChcIds: ["not-an-id"] }))).toBe("InvalidParameterValue.IncorrectFormat");
    expect(await refused(cvm.DescribeChcHosts({ Filters: [{ Name: "colour", Values: ["x"] }] }))).toBe("InvalidFilter");
    expect(await refused(cvm.DescribeChcHosts({ Filters: [{ Name: "zone", Values: ["ap-beijing-1"] }] }))).toBe("InvalidZone.MismatchRegion");
    expect(await refused(cvm.DescribeChcHosts({ Filters: [{ Name: "vpc-id", Values: ["vpc"] }] }))).toBe("InvalidParameterValue.VpcIdMalformed");
    expect(await refused(cvm.DescribeChcHosts({ Filters: [{ Name: "sn", Values: ["a", "b", "c", "d", "e", "f"] }] }))).toBe("InvalidFilterValue.LimitExceeded");
    expect(await refused(cvm.DescribeChcDeniedActions({ ChcIds: ["chc-00000000"] }))).toBe("InvalidParameterValue.ChcHostsNotFound");
    expect(await refused(cvm.ModifyChcNetworkMode({ ChcIds: [named], NetworkMode: "FAST" }))).toBe("InvalidParameterValue");

    const fresh = await register();
    const other = await subnet("10.94.0.0/16", "ap-guangzhou-4");
    expect(await refused(cvm.ConfigureChcAssistVpc({ ChcIds: [fresh], BmcVirtualPrivateCloud: other }))).toBe("InvalidParameter");
    expect(await refused(cvm.ConfigureChcAssistVpc({ ChcIds: [fresh], BmcVirtualPrivateCloud: { VpcId: net.VpcId, SubnetId: other.SubnetId } }))).toBe("ResourceNotFound");
    expect(await refused(cvm.ConfigureChcAssistVpc({ ChcIds: [fresh], BmcVirtualPrivateCloud: { ...net, PrivateIpAddresses: ["10.99.0.5"] } }))).toBe("VpcAddrNotInSubNet");
    expect(await refused(cvm.ConfigureChcAssistVpc({ ChcIds: [fresh], BmcVirtualPrivateCloud: { ...net, PrivateIpAddresses: ["10.93.0.5", "10.93.0.6"] } }))).toBe("InvalidParameterValue.AmountNotEqual");
    expect(await refused(cvm.ConfigureChcAssistVpc({ ChcIds: [fresh], BmcVirtualPrivateCloud: { ...net, PrivateIpAddresses: ["10.93.0.x"] } }))).toBe("InvalidParameterValue.IPAddressMalformed");
    expect(await refused(cvm.ConfigureChcAssistVpc({ ChcIds: [fresh], BmcVirtualPrivateCloud: { VpcId: net.VpcId, SubnetId: "subnet" } }))).toBe("InvalidParameterValue.SubnetIdMalformed");
    expect(await refused(cvm.ConfigureChcAssistVpc({ ChcIds: [fresh], BmcVirtualPrivateCloud: net, DeployVirtualPrivateCloud: net, ChcDeployExtraConfig: { MiniOsType: "public", BootType: "floppy" } }))).toBe("InvalidParameterValue.IncorrectFormat");
    expect(await refused(cvm.ConfigureChcDeployVpc({ ChcIds: [fresh], DeployVirtualPrivateCloud: net }))).toBe("InvalidInstance.NotSupported");
    expect(await refused(cvm.RemoveChcAssistVpc({ ChcIds: [fresh] }))).toBe("InvalidHost.NotSupported");
    expect(await refused(cvm.RemoveChcDeployVpc({ ChcIds: [fresh] }))).toBe("InvalidHost.NotSupported");
    expect(await refused(cvm.ModifyChcNetworkMode({ ChcIds: [fresh], NetworkMode: "DEPLOY" }))).toBe("OperationDenied.ChcHostStateNotSupported");
    // A refused call changes no host and takes no address.
    expect(await host(fresh)).toMatchObject({ InstanceState: "INIT", BmcIp: "", LatestOperation: "" });
    expect((await vpc.request("DescribeSubnets", { SubnetIds: [net.SubnetId] })).SubnetSet[0].AvailableIpAddressCount).toBe(252);
  });

  it("take one cloud host each from RunInstances' ChcIds once produced, with their CPU and memory, ONLINE until it ends", async () => {
    const id = await register({ CPU: 32, Memory: 128 });
    const bmcNet = await subnet("10.92.0.0/16");
    const deployNet = await subnet("10.93.0.0/16");
    const onChc = (ids: string[], extra: object = {}) => launch(cvm, { ChcIds: ids, InstanceCount: ids.length, ...extra });
    // Without a deploy network the image cannot be installed; a READY host is not produced yet.
    await cvm.ConfigureChcAssistVpc({ ChcIds: [id], BmcVirtualPrivateCloud: bmcNet });
    await settled(id);
    expect((await sdkError(onChc([id]))).code).toBe("OperationDenied.ChcInstallCloudImageWithoutDeployNetwork");
    await cvm.ConfigureChcDeployVpc({ ChcIds: [id], DeployVirtualPrivateCloud: deployNet });
    await settled(id);
    expect((await sdkError(onChc([id]))).code).toBe("InvalidParameter.HostIdStatusNotSupport");
    await admin(server, `/_opencvm/chc/${id}/prepare`, {});
    expect((await host(id)).InstanceState).toBe("PREPARED");
    expect((await sdkError(onChc([id], { InstanceCount: 2 }))).code).toBe("InvalidParameterValue");
    expect((await sdkError(onChc(["chc-00000000"]))).code).toBe("InvalidParameterValue.ChcHostsNotFound");
    expect((await sdkError(onChc([id], { Placement: { Zone: "ap-guangzhou-4" } }))).code).toBe("InvalidParameterValue.ChcHostsNotFound");
    const count = (await cvm.DescribeInstances({})).TotalCount;
    expect((await onChc([id], { DryRun: true })).InstanceIdSet).toEqual([]);
    expect((await cvm.DescribeInstances({})).TotalCount).toBe(count);

    const [instanceId] = (await onChc([id])).InstanceIdSet!;
    const online = await host(id);
    expect(online).toMatchObject({ InstanceState: "ONLINE", CvmInstanceId: instanceId });
    const [running] = await waitFor(cvm, [instanceId], "RUNNING");
    expect({ CPU: running.CPU, Memory: running.Memory }).toEqual({ CPU: 32, Memory: 128 });
    expect((await cvm.DescribeChcDeniedActions({ ChcIds: [id] })).ChcHostDeniedActionSet![0]).toMatchObject({ State: "ONLINE" });
    expect((await cvm.DescribeChcDeniedActions({ ChcIds: [id] })).ChcHostDeniedActionSet![0].DenyActions).toContain("RunInstances");
    // ONLINE: a second cloud host is refused, the deploy network stays, the business network mode is allowed.
    expect((await sdkError(onChc([id]))).code).toBe("InvalidParameter.HostIdStatusNotSupport");
    expect((await sdkError(cvm.RemoveChcDeployVpc({ ChcIds: [id] }))).code).toMatch(/^(OperationDenied|InvalidInstance|InvalidHost)/);
    await cvm.ModifyChcNetworkMode({ ChcIds: [id], NetworkMode: "BUSINESS" });
    expect(await settled(id)).toMatchObject({ InstanceState: "ONLINE", NetworkMode: "BUSINESS" });

    await cvm.TerminateInstances({ InstanceIds: [instanceId] });
    await waitGone(cvm, [instanceId]);
    expect(await host(id)).toMatchObject({ InstanceState: "PREPARED", CvmInstanceId: "" });
    // Another account can neither launch on it nor see it.
    const keys = generateSecret();
    await server.store.accounts.create({ secretId: keys.secretId, secretKey: keys.secretKey });
    const theirs = cvmClient(server, keys);
    expect((await sdkError(launch(theirs, { ChcIds: [id] }))).code).toBe("InvalidParameterValue.ChcHostsNotFound");
  }, 60_000);

  it("belong to their account only", async () => {
    const id = await register();
    const secret = generateSecret();
    const { appId } = await server.store.accounts.create(secret);
    const other = cvmClient(server, { ...secret, language: "en-US" });
    expect((await other.DescribeChcHosts({ ChcIds: [id] })).TotalCount).toBe(0);
    expect((await other.DescribeChcHosts({ Limit: 100 })).TotalCount).toBe(0);
    const theirs = await sdkError(other.ModifyChcAttribute({ ChcIds: [id], InstanceName: "stolen" }));
    const none = await sdkError(other.ModifyChcAttribute({ ChcIds: ["chc-00000000"], InstanceName: "stolen" }));
    expect(theirs.code).toBe("InvalidParameterValue.ChcHostsNotFound");
    expect(theirs.message.replace(id, "chc-00000000")).toBe(none.message);
    expect((await host(id)).InstanceName).toBe("未命名");
    // An account with a host racked for it is not deleted: the operator takes the host off first.
    const theirHost = await register({ AppId: appId });
    expect((await other.DescribeChcHosts({})).ChcHostSet!.map((h) => h.ChcId)).toEqual([theirHost]);
    const remove = (path: string) => fetch(new URL(path, server.url), { method: "DELETE", headers: { Authorization: `Bearer ${server.adminToken.token}` } });
    const refused = await remove(`/_opencvm/accounts/${appId}`);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { Error: string }).Error).toContain("CHC host");
    expect((await remove(`/_opencvm/chc/${theirHost}`)).status).toBe(200);
    expect((await other.DescribeChcHosts({})).TotalCount).toBe(0);
  });
});
