// One account's resources of every kind, made through the API, for the isolation test (isolation.test.ts): instances
// running, stopped and monthly (with action timers), custom images (one shared with a third account, one to be granted
// to the caller of the test's requests), key pairs, a VPC with subnets, security groups with rules, EIPs bound and
// unbound, and tags on all of them. Every name carries the account's marker, so that a name found in another account's
// answer is known to be this one's. A ghost world has the same shape with well-formed ids that exist nowhere: what
// another account gets for a real resource must be what it gets for a ghost.
import { randomInt, randomUUID } from "node:crypto";
import { ACTIONS } from "../../src/actions/index.js";
import { serviceSpec } from "../../src/api/spec.js";
import { randomId } from "../../src/domain/ids.js";
import { generateKeyPair } from "../../src/keys.js";
import { QUOTA_NAMES } from "../../src/domain/quotas.js";
import { admin, commonClient, type TestServer } from "../helpers/server.js";
import { UBUNTU, ZONE } from "../helpers/instances.js";
import { ed25519Line } from "../helpers/ssh-keys.js";

export const REGION = "ap-guangzhou";

export interface Caller {
  secretId: string;
  secretKey: string;
  appId: number;
  uin: string;
}

export interface World {
  /** The owner's Uin, and the third account's, which `sharedImage` is shared with. */
  uin: string;
  thirdUin: string;
  marker: string;
  tag: { Key: string; Value: string };
  /** RUNNING in the world's own subnet, with two security groups, a key pair and the bound EIP. */
  running: string;
  runningName: string;
  runningUuid: string;
  runningPrivateIp: string;
  /** The ClientToken `running` was launched with. */
  clientToken: string;
  /** STOPPED in the default subnet with the default group and a public address of its own. */
  stopped: string;
  stoppedPublicIp: string;
  /** PREPAID with monthly bandwidth, launched from `image`. */
  prepaid: string;
  image: string;
  imageName: string;
  /** Shared with a third account. */
  sharedImage: string;
  sharedImageName: string;
  /** For the test to share with the account it calls as; it carries `keyId`. */
  grantedImage: string;
  keyId: string;
  keyName: string;
  /** The bound key's public half without its comment (the marker): what another account may import as its own. */
  publicKey: string;
  spareKey: string;
  spareKeyName: string;
  vpcId: string;
  vpcName: string;
  vpcCidr: string;
  subnetId: string;
  subnetName: string;
  subnetCidr: string;
  /** A subnet of `vpcId` no instance is in, and a VPC with no subnet. */
  emptySubnet: string;
  emptyVpc: string;
  /** Ranges of `vpcId` no subnet takes. */
  freeCidrs: string[];
  /** `sg` has rules (one naming `sg2`); both guard `running`; `spareSg` nothing. */
  sg: string;
  sgName: string;
  sg2: string;
  spareSg: string;
  boundEip: string;
  boundEipIp: string;
  freeEip: string;
  freeEipIp: string;
  /** The TaskId AllocateAddresses answered for the EIPs. */
  eipTask: string;
  eipName: string;
  /** Action timers not yet run (a month ahead), on `running` and on `prepaid`. */
  timer: string;
  prepaidTimer: string;
  /** A dedicated host `hostInstance` runs on, and one with nothing on it; their names. */
  host: string;
  spareHost: string;
  hostName: string;
  hostInstance: string;
  /** An HPC cluster `hpcInstance` is in, and an empty one; the first's name. */
  hpcCluster: string;
  spareHpc: string;
  hpcName: string;
  hpcInstance: string;
  /** A resource pool pack `packInstance` draws on, and one nothing draws on; their name. */
  pack: string;
  sparePack: string;
  packName: string;
  packInstance: string;
  /** A data disk of its own (unattached), one attached to `running`, and a snapshot of the first. */
  disk: string;
  diskName: string;
  attachedDisk: string;
  /** A monthly data disk of its own, which RenewDisk and the renewal flag apply to. */
  prepaidDisk: string;
  snapshot: string;
  snapshotName: string;
  /** A launch template of `running`'s members with two versions (1 the default), and a spare one. */
  launchTemplate: string;
  launchTemplateName: string;
  spareLaunchTemplate: string;
  /** A HOST placement group holding `running`, tagged; and an empty one. */
  placementGroup: string;
  placementGroupName: string;
  spareGroup: string;
  /** A maintenance task raised against `running`, waiting for authorisation. */
  repairTask: string;
  /**
   * CHC hosts an operator registered: one produced (PREPARED, both networks in `subnetId`), one with its
   * out-of-band network only, one with none; the first's name and serial number.
   */
  chcHost: string;
  spareChc: string;
  bareChc: string;
  chcName: string;
  chcSerial: string;
}

/** The zone HPC clusters are made in (the HPC family is sold there). */
export const HPC_ZONE = "ap-guangzhou-6";

export type Params = Record<string, unknown>;

/** An action timer's schedule that never falls due while the test runs (its clock is real time). */
export const IN_A_MONTH = { TimerAction: "TerminateInstances", ActionTime: new Date(Date.now() + 30 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z") };

export type Answer = { ok: true; response: Record<string, unknown> } | { ok: false; code: string; message: string };

// api's DescribeRegions and DescribeZones share cvm's names and read the catalog only: the table's entries are cvm's.
const VERSIONS = new Map(ACTIONS.map((a) => [a.name, serviceSpec(a.service).version]).reverse() as [string, string][]);

/** One call through the official CommonClient, its answer or its refusal. */
export async function send(server: TestServer, caller: Caller, action: string, params: Params, region = REGION): Promise<Answer> {
  const version = VERSIONS.get(action);
  if (!version) throw new Error(`${action} is not an implemented action`);
  try {
    const response = (await commonClient(server, version, { ...caller, region }).request(action, params)) as Record<string, unknown>;
    return { ok: true, response };
  } catch (e) {
    const err = e as { code?: string; message: string };
    if (!err.code) throw e;
    return { ok: false, code: err.code, message: err.message };
  }
}

/** A call that must succeed (building a world). */
export async function must(server: TestServer, caller: Caller, action: string, params: Params): Promise<any> {
  const answer = await send(server, caller, action, params);
  if (!answer.ok) throw new Error(`${action} ${JSON.stringify(params)} failed: ${answer.code} ${answer.message}`);
  return answer.response;
}

/** A new account whose purchase quotas hold whatever a world and the test's launches take. */
export async function newAccount(server: TestServer): Promise<Caller> {
  const key = generateKeyPair();
  const account = await server.store.accounts.create(key);
  for (const quota of QUOTA_NAMES) await server.store.accounts.setQuota(account.appId, quota, 1_000);
  return { ...key, appId: account.appId, uin: account.uin };
}

const letters = (n: number) => Array.from({ length: n }, () => "abcdefghijklmnopqrstuvwxyz"[randomInt(26)]).join("");

/**
 * Makes every kind of resource for `caller`, its networks in 10.<net>.0.0/16 and 192.168.<net>.0/24. `thirdUin` is
 * the account `sharedImage` is shared with.
 */
export async function buildWorld(server: TestServer, caller: Caller, net: number, thirdUin: string): Promise<World> {
  const m = `m${letters(6)}`;
  const call = (action: string, params: Params) => must(server, caller, action, params);
  const tag = { Key: `${m}-team`, Value: `${m}-blue` };
  const tags = [tag];
  const tagSpec = (ResourceType: string) => [{ ResourceType, Tags: tags }];

  const publicKey = ed25519Line();
  const keyId = (await call("ImportKeyPair", { KeyName: `${m}_key`, ProjectId: 0, PublicKey: `${publicKey} ${m}`, TagSpecification: tagSpec("keypair") })).KeyId;
  const spareKey = (await call("ImportKeyPair", { KeyName: `${m}_spare`, ProjectId: 0, PublicKey: ed25519Line() })).KeyId;

  const vpcCidr = `10.${net}.0.0/16`;
  const vpcId = (await call("CreateVpc", { VpcName: `${m}-vpc`, CidrBlock: vpcCidr, Tags: tags })).Vpc.VpcId;
  const subnet = (cidr: string, name: string) => call("CreateSubnet", { VpcId: vpcId, SubnetName: name, CidrBlock: cidr, Zone: ZONE, Tags: tags });
  const subnetCidr = `10.${net}.1.0/24`;
  const subnetId = (await subnet(subnetCidr, `${m}-subnet`)).Subnet.SubnetId;
  const emptySubnet = (await subnet(`10.${net}.2.0/24`, `${m}-empty`)).Subnet.SubnetId;
  const emptyVpc = (await call("CreateVpc", { VpcName: `${m}-bare`, CidrBlock: `192.168.${net}.0/24` })).Vpc.VpcId;

  const sg2 = (await call("CreateSecurityGroup", { GroupName: `${m}-sg2`, GroupDescription: `${m} peers`, Tags: tags })).SecurityGroup.SecurityGroupId;
  const sg = (
    await call("CreateSecurityGroupWithPolicies", {
      GroupName: `${m}-sg`,
      GroupDescription: `${m} web`,
      Tags: tags,
      SecurityGroupPolicySet: { Ingress: [{ Protocol: "TCP", Port: "22", CidrBlock: vpcCidr, Action: "ACCEPT", PolicyDescription: `${m}-ssh` }] },
    })
  ).SecurityGroup.SecurityGroupId;
  await call("CreateSecurityGroupPolicies", { SecurityGroupId: sg, SecurityGroupPolicySet: { Ingress: [{ Protocol: "ALL", SecurityGroupId: sg2, Action: "ACCEPT" }] } });
  const spareSg = (await call("CreateSecurityGroup", { GroupName: `${m}-spare`, GroupDescription: `${m} spare` })).SecurityGroup.SecurityGroupId;

  const launch = async (params: Params) => (await call("RunInstances", { Placement: { Zone: ZONE }, InstanceType: "S5.MEDIUM4", TagSpecification: tagSpec("instance"), ...params })).InstanceIdSet[0];
  const running = await launch({
    ImageId: UBUNTU,
    InstanceName: `${m}-web`,
    VirtualPrivateCloud: { VpcId: vpcId, SubnetId: subnetId },
    SecurityGroupIds: [sg, sg2],
    ClientToken: `${m}-token`,
    LoginSettings: { KeyIds: [keyId] },
    UserData: Buffer.from(`#!/bin/sh\necho ${m}\n`).toString("base64"),
  });
  const stopped = await launch({ ImageId: UBUNTU, InstanceName: `${m}-db`, InternetAccessible: { InternetMaxBandwidthOut: 1, PublicIpAssigned: true } });
  await server.engine.idle();
  await call("StopInstances", { InstanceIds: [stopped] });
  await server.engine.idle();

  const capture = async (name: string, params: Params = {}) => {
    const id = (await call("CreateImage", { InstanceId: stopped, ImageName: name, ImageDescription: `${m} image`, ...params })).ImageId;
    await server.engine.idle();
    return id;
  };
  const image = await capture(`${m}-img`, { TagSpecification: tagSpec("image") });
  const sharedImage = await capture(`${m}-shared`);
  // Captured from the instance with the key pair: the image carries it, and a share must give only its public key.
  const grantedImage = await capture(`${m}-granted`, { InstanceId: running });
  await call("ModifyImageSharePermission", { ImageId: sharedImage, AccountIds: [thirdUin], Permission: "SHARE" });

  const prepaid = await launch({ ImageId: image, InstanceName: `${m}-batch`, InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1 }, InternetAccessible: { InternetMaxBandwidthOut: 2 } });
  const allocated = await call("AllocateAddresses", { AddressCount: 2, AddressName: `${m}-eip`, Tags: tags });
  const [boundEip, freeEip] = allocated.AddressSet;
  await call("AssociateAddress", { AddressId: boundEip, InstanceId: running });
  await server.engine.idle();
  const disks = { Placement: { Zone: ZONE }, DiskChargeType: "POSTPAID_BY_HOUR", DiskType: "CLOUD_PREMIUM", DiskSize: 20, DiskCount: 2, DiskName: `${m}-disk`, Tags: tags };
  const [disk, attachedDisk] = (await call("CreateDisks", disks)).DiskIdSet;
  await call("AttachDisks", { DiskIds: [attachedDisk], InstanceId: running });
  const monthlyDisk = { Placement: { Zone: ZONE }, DiskChargeType: "PREPAID", DiskChargePrepaid: { Period: 1 }, DiskType: "CLOUD_PREMIUM", DiskSize: 20, DiskName: `${m}-monthly-disk` };
  const [prepaidDisk] = (await call("CreateDisks", monthlyDisk)).DiskIdSet;
  const snapshot = (await call("CreateSnapshot", { DiskId: disk, SnapshotName: `${m}-snap`, Tags: tags })).SnapshotId;
  await server.engine.idle();
  const [timer, prepaidTimer] = (await call("ImportInstancesActionTimer", { InstanceIds: [running, prepaid], ActionTimer: IN_A_MONTH })).ActionTimerIds;

  const [host, spareHost] = (await call("AllocateHosts", { Placement: { Zone: ZONE }, HostCount: 2, HostChargePrepaid: { Period: 1 }, TagSpecification: tagSpec("host") })).HostIdSet;
  await call("ModifyHostsAttribute", { HostIds: [host, spareHost], HostName: `${m}-cdh` });
  const hostInstance = await launch({ ImageId: UBUNTU, InstanceName: `${m}-cdh-vm`, InstanceChargeType: "CDHPAID", Placement: { Zone: ZONE, HostIds: [host] } });
  const hpc = async (Name: string) => (await call("CreateHpcCluster", { Zone: HPC_ZONE, Name, TagSpecification: tagSpec("hpc") })).HpcClusterSet[0].HpcClusterId;
  const hpcCluster = await hpc(`${m}-hpc`);
  const spareHpc = await hpc(`${m}-hpc-spare`);
  const hpcInstance = await launch({ ImageId: UBUNTU, InstanceName: `${m}-mpi`, Placement: { Zone: HPC_ZONE }, InstanceType: "HCCIC5.24XLARGE384", HpcClusterId: hpcCluster });
  // Packs that take no launch on their own (AutoPlacement off), so that the world's other instances stay hourly.
  const [pack, sparePack] = (await call("PurchaseResourcePoolPacks", { Zone: ZONE, InstanceType: "S5.4XLARGE64", InstanceCount: 2, Period: 1, AutoPlacement: false, DedicatedResourcePoolPackName: `${m}-pool` })).DedicatedResourcePackIdSet;
  const packInstance = await launch({ ImageId: UBUNTU, InstanceName: `${m}-pooled`, Placement: { Zone: ZONE, DedicatedResourcePackTenancy: "ResourcePool", DedicatedResourcePackIds: [pack] } });
  await server.engine.idle();
  const template = { Placement: { Zone: ZONE }, InstanceType: "S5.MEDIUM4", ImageId: image, VirtualPrivateCloud: { VpcId: vpcId, SubnetId: subnetId }, SecurityGroupIds: [sg], LoginSettings: { KeyIds: [keyId] } };
  const launchTemplate = (await call("CreateLaunchTemplate", { LaunchTemplateName: `${m}-lt`, ...template })).LaunchTemplateId;
  await call("CreateLaunchTemplateVersion", { LaunchTemplateId: launchTemplate, Placement: { Zone: ZONE }, InstanceName: `${m}-v2` });
  const spareLaunchTemplate = (await call("CreateLaunchTemplate", { LaunchTemplateName: `${m}-lt-spare`, Placement: { Zone: ZONE }, ImageId: UBUNTU })).LaunchTemplateId;

  const placementGroup = (await call("CreateDisasterRecoverGroup", { Name: `${m}-ps`, Type: "HOST", TagSpecification: tagSpec("ps") })).DisasterRecoverGroupId;
  await call("ModifyInstancesDisasterRecoverGroup", { InstanceIds: [running], DisasterRecoverGroupId: placementGroup });
  const spareGroup = (await call("CreateDisasterRecoverGroup", { Name: `${m}-ps-spare`, Type: "RACK" })).DisasterRecoverGroupId;

  const raised = await admin(server, `/_opencvm/instances/${running}/repair-tasks`, { TaskTypeId: 101, Detail: `${m} fault` });
  if (raised.status !== 200) throw new Error(`raising a repair task failed: ${await raised.text()}`);
  const repairTask = ((await raised.json()) as { TaskId: string }).TaskId;

  const rack = async (n: string, extra: Params = {}) => {
    const res = await admin(server, "/_opencvm/chc", { AppId: caller.appId, Zone: ZONE, SerialNumber: `${m}-sn${n}`, DeviceType: "CHCS5", CPU: 64, Memory: 256, Disk: "480GB*2", ...extra });
    if (res.status !== 200) throw new Error(`registering a CHC host failed: ${await res.text()}`);
    return ((await res.json()) as { ChcId: string }).ChcId;
  };
  const [chcHost, spareChc, bareChc] = [await rack("1", { InstanceName: `${m}-chc` }), await rack("2"), await rack("3")];
  await call("ConfigureChcAssistVpc", { ChcIds: [chcHost], BmcVirtualPrivateCloud: { VpcId: vpcId, SubnetId: subnetId }, DeployVirtualPrivateCloud: { VpcId: vpcId, SubnetId: subnetId } });
  await call("ConfigureChcAssistVpc", { ChcIds: [spareChc], BmcVirtualPrivateCloud: { VpcId: vpcId, SubnetId: subnetId } });
  await server.engine.idle();
  if ((await admin(server, `/_opencvm/chc/${chcHost}/prepare`, {})).status !== 200) throw new Error(`preparing ${chcHost} failed`);

  const instances = new Map<string, any>((await call("DescribeInstances", { InstanceIds: [running, stopped] })).InstanceSet.map((i: any) => [i.InstanceId, i]));
  const eips = new Map<string, any>((await call("DescribeAddresses", { AddressIds: [boundEip, freeEip] })).AddressSet.map((a: any) => [a.AddressId, a]));
  return {
    uin: caller.uin,
    thirdUin,
    marker: m,
    tag,
    running,
    runningName: `${m}-web`,
    runningUuid: instances.get(running).Uuid,
    runningPrivateIp: instances.get(running).PrivateIpAddresses[0],
    clientToken: `${m}-token`,
    stopped,
    stoppedPublicIp: instances.get(stopped).PublicIpAddresses[0],
    prepaid,
    image,
    imageName: `${m}-img`,
    sharedImage,
    sharedImageName: `${m}-shared`,
    grantedImage,
    keyId,
    keyName: `${m}_key`,
    publicKey,
    spareKey,
    spareKeyName: `${m}_spare`,
    vpcId,
    vpcName: `${m}-vpc`,
    vpcCidr,
    subnetId,
    subnetName: `${m}-subnet`,
    subnetCidr,
    emptySubnet,
    emptyVpc,
    freeCidrs: [`10.${net}.7.0/24`, `10.${net}.8.0/24`],
    sg,
    sgName: `${m}-sg`,
    sg2,
    spareSg,
    boundEip,
    boundEipIp: eips.get(boundEip).AddressIp,
    freeEip,
    freeEipIp: eips.get(freeEip).AddressIp,
    eipTask: String(allocated.TaskId),
    eipName: `${m}-eip`,
    timer,
    prepaidTimer,
    host,
    spareHost,
    hostName: `${m}-cdh`,
    hostInstance,
    hpcCluster,
    spareHpc,
    hpcName: `${m}-hpc`,
    hpcInstance,
    pack,
    sparePack,
    packName: `${m}-pool`,
    packInstance,
    disk,
    diskName: `${m}-disk`,
    attachedDisk,
    prepaidDisk,
    snapshot,
    snapshotName: `${m}-snap`,
    launchTemplate,
    launchTemplateName: `${m}-lt`,
    spareLaunchTemplate,
    placementGroup,
    placementGroupName: `${m}-ps`,
    spareGroup,
    repairTask,
    chcHost,
    spareChc,
    bareChc,
    chcName: `${m}-chc`,
    chcSerial: `${m}-sn1`,
  };
}

/** A world of the same shape whose ids, names and addresses exist nowhere (the third account is the real one's). */
export function ghostWorld(thirdUin: string): World {
  const m = `g${letters(6)}`;
  return {
    uin: "100099999999",
    thirdUin,
    marker: m,
    tag: { Key: `${m}-team`, Value: `${m}-blue` },
    running: randomId("ins"),
    runningName: `${m}-web`,
    runningUuid: randomUUID(),
    runningPrivateIp: "10.250.1.4",
    clientToken: `${m}-token`,
    stopped: randomId("ins"),
    stoppedPublicIp: "203.0.113.10",
    prepaid: randomId("ins"),
    image: randomId("img"),
    imageName: `${m}-img`,
    sharedImage: randomId("img"),
    sharedImageName: `${m}-shared`,
    grantedImage: randomId("img"),
    keyId: randomId("skey"),
    keyName: `${m}_key`,
    publicKey: ed25519Line(),
    spareKey: randomId("skey"),
    spareKeyName: `${m}_spare`,
    vpcId: randomId("vpc"),
    vpcName: `${m}-vpc`,
    vpcCidr: "10.250.0.0/16",
    subnetId: randomId("subnet"),
    subnetName: `${m}-subnet`,
    subnetCidr: "10.250.1.0/24",
    emptySubnet: randomId("subnet"),
    emptyVpc: randomId("vpc"),
    freeCidrs: ["10.250.7.0/24", "10.250.8.0/24"],
    sg: randomId("sg"),
    sgName: `${m}-sg`,
    sg2: randomId("sg"),
    spareSg: randomId("sg"),
    boundEip: randomId("eip"),
    boundEipIp: "203.0.113.11",
    freeEip: randomId("eip"),
    freeEipIp: "203.0.113.12",
    eipTask: String(900_000_000 + Math.floor(Math.random() * 99_999_999)),
    eipName: `${m}-eip`,
    timer: randomUUID(),
    prepaidTimer: randomUUID(),
    host: randomId("host"),
    spareHost: randomId("host"),
    hostName: `${m}-cdh`,
    hostInstance: randomId("ins"),
    hpcCluster: randomId("hpc"),
    spareHpc: randomId("hpc"),
    hpcName: `${m}-hpc`,
    hpcInstance: randomId("ins"),
    pack: randomId("rpp"),
    sparePack: randomId("rpp"),
    packName: `${m}-pool`,
    packInstance: randomId("ins"),
    disk: randomId("disk"),
    diskName: `${m}-disk`,
    attachedDisk: randomId("disk"),
    prepaidDisk: randomId("disk"),
    snapshot: randomId("snap"),
    snapshotName: `${m}-snap`,
    launchTemplate: randomId("lt"),
    launchTemplateName: `${m}-lt`,
    spareLaunchTemplate: randomId("lt"),
    placementGroup: randomId("ps"),
    placementGroupName: `${m}-ps`,
    spareGroup: randomId("ps"),
    repairTask: randomId("rep"),
    chcHost: randomId("chc"),
    spareChc: randomId("chc"),
    bareChc: randomId("chc"),
    chcName: `${m}-chc`,
    chcSerial: `${m}-sn1`,
  };
}
