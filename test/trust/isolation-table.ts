// The isolation test's table: for every implemented action, the requests another account sends about a target
// account's resources, and what must come of them (isolation.test.ts checks them). A request is built from two
// worlds (isolation-world.ts): the target's, whose resources it names, and the caller's own, for the other members.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UBUNTU, ZONE } from "../helpers/instances.js";
import { HPC_ZONE, IN_A_MONTH, type Params, type World } from "./isolation-world.js";

export type Build = (target: World, self: World) => Params;

/** An empty file in the import directory the isolation server is given (OPENCVM_IMPORT_DIR): a source ImportImage accepts. */
export const IMPORT_FILE = join(mkdtempSync(join(tmpdir(), "opencvm-isolation-imports-")), "empty.raw");
writeFileSync(IMPORT_FILE, "");

export interface Entry {
  /**
   * Requests naming the target's resources, which only their owner may make: anyone else is refused with a
   * not-found code, exactly as for ids that exist nowhere, and nothing changes. The first names the target's
   * resources alone and succeeds when their owner sends it about its own.
   */
  touch?: Build[];
  /** Why the first `touch` request fails even for the owner. */
  neverSucceeds?: string;
  /** Requests whose answer holds nothing of the target's, whatever of it they name (ids, names, tags, addresses). */
  read?: Build[];
  /**
   * Requests naming the target's resources in members the action does not look at: answered as if the resources
   * did not exist, naming nothing of the target's and changing nothing.
   */
  ignored?: Build[];
  /** Requests using the image the target shares with the caller: they succeed. */
  useGranted?: Build[];
  /** Requests changing that image or its sharing, or asking who else has it: refused, changing nothing. */
  changeGranted?: Build[];
  /**
   * Requests on the caller's own resources reusing the target's names, public key, CIDR or ClientToken: they
   * succeed (names are per account), and nothing they make or change shows in the target's view.
   */
  own?: Build[];
  /** Why the action has no request naming another account's resources. */
  why?: string;
}

const filter = (Name: string, ...Values: string[]) => ({ Filters: [{ Name, Values }] });
/** A Describe action's reads: no filter, the target's ids in its id list (alone, and after one of the caller's), and `filters`. */
const listing = (member: string, ids: (w: World) => [string, string], ...filters: Build[]): Build[] => [
  () => ({}),
  (t) => ({ [member]: ids(t) }),
  (t, s) => ({ [member]: [ids(s)[1], ids(t)[0]] }),
  ...filters,
];
/** A request joining a resource to an instance: both the target's, then each with one of the caller's. */
const binding = (make: (resourceOwner: World, instanceOwner: World) => Params): Build[] => [(t) => make(t, t), (t, s) => make(t, s), (t, s) => make(s, t)];
const tagFilters: Build[] = [(t) => filter("tag-key", t.tag.Key), (t) => filter("tag-value", t.tag.Value), (t) => filter(`tag:${t.tag.Key}`, t.tag.Value)];
const placement = { Placement: { Zone: ZONE }, InstanceType: "S5.MEDIUM4" };
/** A launch from `w`'s image into its subnet, with its group and key pair. */
const launchIn = (w: World) => ({
  ...placement,
  ImageId: w.image,
  VirtualPrivateCloud: { VpcId: w.vpcId, SubnetId: w.subnetId },
  SecurityGroupIds: [w.sg],
  LoginSettings: { KeyIds: [w.keyId] },
});
const monthly = { InstanceChargePrepaid: { Period: 1 } };
const newDisk = { Placement: { Zone: ZONE }, DiskChargeType: "POSTPAID_BY_HOUR", DiskType: "CLOUD_PREMIUM", DiskSize: 20 };
const ingress = (rule: Params) => ({ SecurityGroupPolicySet: { Ingress: [rule] } });
const peerRule = (sg: string) => ({ Protocol: "ALL", SecurityGroupId: sg, Action: "ACCEPT" });
/** ReplaceSecurityGroupPolicy and ReplaceSecurityGroupPolicies take the same requests. */
const replaceFirstRule: Entry = {
  touch: [
    (t) => ({ SecurityGroupId: t.sg, ...ingress({ PolicyIndex: 0, Protocol: "TCP", Port: "2222", CidrBlock: "10.0.0.0/8", Action: "DROP" }) }),
    (t, s) => ({ SecurityGroupId: s.sg, ...ingress({ PolicyIndex: 0, ...peerRule(t.sg) }) }),
  ],
};
const CATALOG = "reads the catalog only: no account's resources";
/** A VPC's default route table (its id is the VPC's with the rtb- prefix). */
const routeTable = (vpcId: string) => `rtb-${vpcId.slice("vpc-".length)}`;
/** A six-segment resource name as Terraform builds it (the uin left empty). */
const tagName = (service: string, prefix: string, id: string) => `qcs::${service}:ap-guangzhou:uin/:${prefix}/${id}`;
/** A page of this month's bill (the service's clock is real time here). */
const thisMonth = () => new Date().toISOString().slice(0, 7);
const bills = (extra: Params = {}) => ({ Offset: 0, Limit: 100, Month: thisMonth(), ...extra });

export const TABLE: Record<string, Entry> = {
  DescribeRegions: { read: [() => ({})], why: CATALOG },
  DescribeZones: { read: [() => ({})], why: CATALOG },
  DescribeInstanceTypeConfigs: { read: [() => ({}), () => filter("zone", ZONE)], why: CATALOG },
  DescribeZoneInstanceConfigInfos: { read: [() => ({}), () => filter("zone", ZONE)], why: CATALOG },
  DescribeInstanceFamilyConfigs: { read: [() => ({})], why: CATALOG },
  DescribeInternetChargeTypeConfigs: { read: [() => ({})], why: CATALOG },
  DescribeInstanceInternetBandwidthConfigs: { touch: [(t) => ({ InstanceId: t.prepaid }), (t) => ({ InstanceId: t.running })] },

  InquiryPriceRunInstances: {
    touch: [
      (t) => ({ ...placement, ImageId: t.image }),
      (t) => ({ ...placement, ImageId: t.sharedImage }),
    ],
    // It documents no launch template code: another account's template is refused as one that never was, with
    // InvalidParameterValue (launch-templates.test.ts, "another account").
    // The price does not depend on networks, groups or keys, so the inquiry does not look them up.
    ignored: [(t) => ({ ...launchIn(t), ImageId: UBUNTU })],
    useGranted: [(t) => ({ ...placement, ImageId: t.grantedImage })],
  },
  InquiryPriceResetInstancesType: {
    touch: [(t) => ({ InstanceIds: [t.stopped], InstanceType: "S5.LARGE8" }), (t) => ({ InstanceIds: [t.running], InstanceType: "S5.MEDIUM4" })],
  },
  InquiryPriceResizeInstanceDisks: { touch: [(t) => ({ InstanceId: t.stopped, SystemDisk: { DiskSize: 100 } })] },
  InquiryPriceResetInstance: {
    touch: [(t) => ({ InstanceId: t.stopped }), (t, s) => ({ InstanceId: s.stopped, ImageId: t.image })],
    useGranted: [(t, s) => ({ InstanceId: s.stopped, ImageId: t.grantedImage })],
  },
  InquiryPriceModifyInstancesChargeType: {
    touch: [
      (t) => ({ InstanceIds: [t.stopped], InstanceChargeType: "PREPAID", ...monthly }),
      (t, s) => ({ InstanceIds: [s.stopped, t.stopped], InstanceChargeType: "PREPAID", ...monthly }),
      (t) => ({ InstanceIds: [t.prepaid], InstanceChargeType: "PREPAID", ...monthly }),
    ],
  },
  InquiryPriceRenewInstances: { touch: [(t) => ({ InstanceIds: [t.prepaid], ...monthly }), (t) => ({ InstanceIds: [t.stopped], ...monthly })] },
  InquiryPriceResetInstancesInternetMaxBandwidth: {
    touch: [(t) => ({ InstanceIds: [t.stopped], InternetAccessible: { InternetMaxBandwidthOut: 5 } }), (t) => ({ InstanceIds: [t.prepaid], InternetAccessible: { InternetMaxBandwidthOut: 1 } })],
  },
  InquiryPriceTerminateInstances: { touch: [(t) => ({ InstanceIds: [t.prepaid] }), (t, s) => ({ InstanceIds: [s.stopped, t.stopped] })] },

  RunInstances: {
    touch: [
      (t) => launchIn(t),
      (t, s) => ({ ...launchIn(s), ImageId: t.image }),
      (t, s) => ({ ...launchIn(s), ImageId: t.sharedImage }),
      (t, s) => ({ ...launchIn(s), VirtualPrivateCloud: { VpcId: t.vpcId, SubnetId: t.subnetId } }),
      (t, s) => ({ ...launchIn(s), VirtualPrivateCloud: { VpcId: s.vpcId, SubnetId: t.subnetId } }),
      (t, s) => ({ ...launchIn(s), SecurityGroupIds: [s.sg, t.sg] }),
      (t, s) => ({ ...launchIn(s), LoginSettings: { KeyIds: [t.keyId] } }),
      (t, s) => ({ ...launchIn(s), InstanceChargeType: "CDHPAID", Placement: { Zone: ZONE, HostIds: [t.spareHost] } }),
      (t, s) => ({ ...launchIn(s), InstanceChargeType: "CDHPAID", Placement: { Zone: ZONE, HostIds: [s.spareHost, t.spareHost] } }),
      (t) => ({ Placement: { Zone: HPC_ZONE }, InstanceType: "HCCIC5.24XLARGE384", ImageId: UBUNTU, HpcClusterId: t.spareHpc }),
      (t, s) => ({ ...launchIn(s), Placement: { Zone: ZONE, DedicatedResourcePackTenancy: "ResourcePool", DedicatedResourcePackIds: [t.sparePack] } }),
      (t, s) => ({ ...launchIn(s), ChcIds: [t.chcHost] }),
      (t, s) => ({ ...launchIn(s), ChcIds: [s.chcHost, t.chcHost], InstanceCount: 2 }),
      (t) => ({ LaunchTemplate: { LaunchTemplateId: t.launchTemplate, LaunchTemplateVersion: 2 } }),
      (t, s) => ({ ...launchIn(s), LaunchTemplate: { LaunchTemplateId: t.spareLaunchTemplate } }),
      (t, s) => ({ ...launchIn(s), DisasterRecoverGroupIds: [t.placementGroup] }),
    ],
    useGranted: [(t, s) => ({ ...launchIn(s), ImageId: t.grantedImage, LoginSettings: { KeepImageLogin: "TRUE" } })],
    own: [(t, s) => ({ ...launchIn(s), InstanceName: t.runningName, ClientToken: t.clientToken })],
  },
  DescribeInstances: {
    read: listing(
      "InstanceIds",
      (w) => [w.running, w.stopped],
      (t) => filter("instance-id", t.running, t.prepaid),
      (t) => filter("instance-name", t.runningName),
      (t) => filter("vpc-id", t.vpcId),
      (t) => filter("subnet-id", t.subnetId),
      (t) => filter("security-group-id", t.sg),
      (t) => filter("private-ip-address", t.runningPrivateIp),
      (t) => filter("public-ip-address", t.boundEipIp, t.stoppedPublicIp),
      (t) => filter("image-id", t.image),
      (t) => filter("uuid", t.runningUuid),
      ...tagFilters,
    ),
  },
  DescribeInstancesStatus: { read: listing("InstanceIds", (w) => [w.running, w.stopped]) },
  StartInstances: { touch: [(t) => ({ InstanceIds: [t.stopped] }), (t, s) => ({ InstanceIds: [s.stopped, t.stopped] }), (t) => ({ InstanceIds: [t.running] })] },
  StopInstances: { touch: [(t) => ({ InstanceIds: [t.running] }), (t, s) => ({ InstanceIds: [s.running, t.running] }), (t) => ({ InstanceIds: [t.stopped] })] },
  RebootInstances: { touch: [(t) => ({ InstanceIds: [t.running] }), (t, s) => ({ InstanceIds: [s.running, t.running] }), (t) => ({ InstanceIds: [t.stopped] })] },
  TerminateInstances: { touch: [(t) => ({ InstanceIds: [t.stopped] }), (t, s) => ({ InstanceIds: [s.stopped, t.stopped] }), (t) => ({ InstanceIds: [t.prepaid] })] },
  ResetInstancesType: {
    touch: [(t) => ({ InstanceIds: [t.stopped], InstanceType: "S5.LARGE8" }), (t) => ({ InstanceIds: [t.running], InstanceType: "S5.LARGE8" })],
  },
  ResetInstance: {
    touch: [
      (t) => ({ InstanceId: t.stopped }),
      (t, s) => ({ InstanceId: s.stopped, ImageId: t.image }),
      (t, s) => ({ InstanceId: s.stopped, LoginSettings: { KeyIds: [t.keyId] } }),
    ],
    useGranted: [(t, s) => ({ InstanceId: s.stopped, ImageId: t.grantedImage, LoginSettings: { KeepImageLogin: "TRUE" } })],
  },
  ResizeInstanceDisks: {
    touch: [(t) => ({ InstanceId: t.stopped, SystemDisk: { DiskSize: 100 } }), (t) => ({ InstanceId: t.running, SystemDisk: { DiskSize: 100 } })],
  },
  ResetInstancesPassword: {
    touch: [(t) => ({ InstanceIds: [t.stopped], Password: "Isolation-Passw0rd!" }), (t, s) => ({ InstanceIds: [s.stopped, t.stopped], Password: "Isolation-Passw0rd!" })],
  },
  DescribeInstancesOperationLimit: {
    touch: [(t) => ({ InstanceIds: [t.running], Operation: "INSTANCE_DEGRADE" }), (t, s) => ({ InstanceIds: [s.running, t.running], Operation: "INSTANCE_DEGRADE" })],
  },
  DescribeInstancesModification: { touch: [(t) => ({ InstanceIds: [t.stopped] }), (t, s) => ({ InstanceIds: [s.stopped, t.stopped] })] },
  DescribeInstanceVncUrl: {
    touch: [(t) => ({ InstanceId: t.running }), (t) => ({ InstanceId: t.stopped })],
  },
  ModifyInstancesAttribute: {
    touch: [
      (t) => ({ InstanceIds: [t.running], InstanceName: "renamed" }),
      (t) => ({ InstanceIds: [t.running], DisableApiTermination: true }),
      (t, s) => ({ InstanceIds: [s.running], SecurityGroups: [t.sg] }),
      (t, s) => ({ InstanceIds: [t.running], SecurityGroups: [s.sg] }),
    ],
  },
  ModifyInstancesProject: { touch: [(t) => ({ InstanceIds: [t.running], ProjectId: 3 })] },
  ModifyInstancesRenewFlag: {
    touch: [(t) => ({ InstanceIds: [t.prepaid], RenewFlag: "NOTIFY_AND_AUTO_RENEW" }), (t) => ({ InstanceIds: [t.stopped], RenewFlag: "NOTIFY_AND_AUTO_RENEW" })],
  },
  RenewInstances: { touch: [(t) => ({ InstanceIds: [t.prepaid], ...monthly }), (t) => ({ InstanceIds: [t.stopped], ...monthly })] },
  ModifyInstancesChargeType: {
    touch: [(t) => ({ InstanceIds: [t.stopped], InstanceChargeType: "PREPAID", ...monthly }), (t) => ({ InstanceIds: [t.prepaid], InstanceChargeType: "POSTPAID_BY_HOUR" })],
  },
  DescribeInstancesAttributes: {
    touch: [(t) => ({ Attributes: ["UserData"], InstanceIds: [t.running] }), (t, s) => ({ Attributes: ["UserData"], InstanceIds: [s.running, t.running] })],
  },
  ImportInstancesActionTimer: {
    touch: [
      (t) => ({ InstanceIds: [t.stopped], ActionTimer: IN_A_MONTH }),
      (t, s) => ({ InstanceIds: [s.stopped, t.stopped], ActionTimer: IN_A_MONTH }),
      // An instance with a timer is refused as missing, not as one that has a timer.
      (t) => ({ InstanceIds: [t.running], ActionTimer: IN_A_MONTH }),
    ],
  },
  DescribeInstancesActionTimer: {
    read: listing(
      "ActionTimerIds",
      (w) => [w.timer, w.prepaidTimer],
      (t) => ({ InstanceIds: [t.running, t.prepaid] }),
      (t) => ({ InstanceIds: [t.running], TimerAction: "TerminateInstances", StatusList: ["UNDO"] }),
    ),
  },
  DeleteInstancesActionTimer: { touch: [(t) => ({ ActionTimerIds: [t.timer] }), (t, s) => ({ ActionTimerIds: [s.timer, t.prepaidTimer] })] },

  AllocateHosts: {
    own: [(t) => ({ Placement: { Zone: ZONE }, HostChargePrepaid: { Period: 1 }, ClientToken: t.clientToken })],
    why: "buys hosts in the caller's account, with a ClientToken of the target's",
  },
  DescribeHosts: { read: [() => ({}), (t) => filter("host-id", t.host, t.spareHost), (t) => filter("host-name", t.hostName), ...tagFilters] },
  ModifyHostsAttribute: {
    touch: [(t) => ({ HostIds: [t.spareHost], HostName: "renamed" }), (t, s) => ({ HostIds: [s.spareHost, t.spareHost], RenewFlag: "NOTIFY_AND_AUTO_RENEW" })],
  },
  RenewHosts: { touch: [(t) => ({ HostIds: [t.spareHost], HostChargePrepaid: { Period: 1 } }), (t, s) => ({ HostIds: [s.spareHost, t.host], HostChargePrepaid: { Period: 1 } })] },
  InquiryPriceRenewHosts: { touch: [(t) => ({ HostIds: [t.host], HostChargePrepaid: { Period: 1 } }), (t, s) => ({ HostIds: [s.host, t.spareHost], HostChargePrepaid: { Period: 2 } })] },
  CreateHpcCluster: { own: [(t) => ({ Zone: HPC_ZONE, Name: t.hpcName })], why: "makes a cluster in the caller's account, under a name of the target's" },
  DescribeHpcClusters: {
    read: [...listing("HpcClusterIds", (w) => [w.hpcCluster, w.spareHpc]), (t) => ({ Name: t.hpcName }), (t) => ({ Zone: HPC_ZONE, InstanceType: "HCCIC5.24XLARGE384" }), ...tagFilters],
  },
  ModifyHpcClusterAttribute: { touch: [(t) => ({ HpcClusterId: t.spareHpc, Name: "renamed", Remark: "mine" })] },
  DeleteHpcClusters: { touch: [(t) => ({ HpcClusterIds: [t.spareHpc] }), (t, s) => ({ HpcClusterIds: [s.spareHpc, t.spareHpc] }), (t) => ({ HpcClusterIds: [t.hpcCluster] })] },
  PurchaseResourcePoolPacks: {
    own: [(t) => ({ Zone: ZONE, InstanceType: "S5.4XLARGE64", InstanceCount: 1, Period: 1, AutoPlacement: false, DedicatedResourcePoolPackName: t.packName })],
    why: "buys packs in the caller's account, under a name of the target's",
  },
  InquirePricePurchaseResourcePoolPacks: { why: CATALOG },
  DescribeResourcePoolPackTypeConfigs: { why: CATALOG },
  DescribeResourcePoolPacks: {
    read: [() => ({}), (t) => filter("dedicated-resource-pack-id", t.pack, t.sparePack), () => filter("zone", ZONE), () => filter("instance-type", "S5.4XLARGE64")],
  },
  DescribeResourcePoolPackInstances: { touch: [(t) => ({ DedicatedResourcePackIds: [t.pack] }), (t, s) => ({ DedicatedResourcePackIds: [s.pack, t.pack] })] },
  TerminateResourcePoolPacks: { touch: [(t) => ({ DedicatedResourcePackIds: [t.sparePack] }), (t, s) => ({ DedicatedResourcePackIds: [s.sparePack, t.sparePack] }), (t) => ({ DedicatedResourcePackIds: [t.pack] })] },
  CreateKeyPair: { own: [(t) => ({ KeyName: t.spareKeyName, ProjectId: 0 })], why: "makes a key pair in the caller's account, under a name of the target's" },
  ImportKeyPair: {
    own: [(t) => ({ KeyName: t.keyName, ProjectId: 0, PublicKey: t.publicKey })],
    why: "imports into the caller's account the target's public key under the target's key name",
  },
  CreateLaunchTemplate: {
    touch: [
      (t) => ({ LaunchTemplateName: `${t.marker}-lt2`, ...launchIn(t) }),
      (t, s) => ({ LaunchTemplateName: `${s.marker}-lt2`, ...launchIn(s), ImageId: t.image }),
      (t, s) => ({ LaunchTemplateName: `${s.marker}-lt2`, ...launchIn(s), VirtualPrivateCloud: { VpcId: t.vpcId, SubnetId: t.subnetId } }),
      (t, s) => ({ LaunchTemplateName: `${s.marker}-lt2`, ...launchIn(s), SecurityGroupIds: [t.sg] }),
      (t, s) => ({ LaunchTemplateName: `${s.marker}-lt2`, ...launchIn(s), LoginSettings: { KeyIds: [t.keyId] } }),
      (t, s) => ({ LaunchTemplateName: `${s.marker}-lt2`, ...launchIn(s), DisasterRecoverGroupIds: [t.spareGroup] }),
    ],
    useGranted: [(t, s) => ({ LaunchTemplateName: `${s.marker}-granted`, ...launchIn(s), ImageId: t.grantedImage, LoginSettings: { KeepImageLogin: "TRUE" } })],
    own: [(t, s) => ({ ...launchIn(s), LaunchTemplateName: t.launchTemplateName })],
  },
  CreateLaunchTemplateVersion: {
    touch: [
      (t) => ({ LaunchTemplateId: t.launchTemplate, Placement: { Zone: ZONE }, InstanceName: "v3" }),
      (t) => ({ LaunchTemplateId: t.spareLaunchTemplate, Placement: { Zone: ZONE }, LaunchTemplateVersion: 1 }),
      (t, s) => ({ LaunchTemplateId: s.launchTemplate, Placement: { Zone: ZONE }, ImageId: t.image }),
      (t, s) => ({ LaunchTemplateId: s.launchTemplate, Placement: { Zone: ZONE }, SecurityGroupIds: [t.sg] }),
    ],
  },
  DescribeLaunchTemplates: { read: listing("LaunchTemplateIds", (w) => [w.launchTemplate, w.spareLaunchTemplate], (t) => filter("launch-template-name", t.launchTemplateName)) },
  DescribeLaunchTemplateVersions: { touch: [(t) => ({ LaunchTemplateId: t.launchTemplate }), (t) => ({ LaunchTemplateId: t.launchTemplate, LaunchTemplateVersions: [1, 2] })] },
  ModifyLaunchTemplateDefaultVersion: { touch: [(t) => ({ LaunchTemplateId: t.launchTemplate, DefaultVersion: 2 })] },
  DeleteLaunchTemplateVersions: { touch: [(t) => ({ LaunchTemplateId: t.launchTemplate, LaunchTemplateVersions: [2] })] },
  DeleteLaunchTemplate: { touch: [(t) => ({ LaunchTemplateId: t.spareLaunchTemplate }), (t) => ({ LaunchTemplateId: t.launchTemplate })] },
  EnterRescueMode: { touch: [(t) => ({ InstanceId: t.running, Password: "Rescue-Passw0rd" }), (t) => ({ InstanceId: t.stopped, Password: "Rescue-Passw0rd", StopType: "HARD" })] },
  ExitRescueMode: { touch: [(t) => ({ InstanceId: t.running })], neverSucceeds: "no instance of a world is in rescue mode" },
  ProgramFpgaImage: {
    touch: [(t) => ({ InstanceId: t.running, FPGAUrl: "https://fpga-1250000000.cos.ap-guangzhou.myqcloud.com/a.bin" })],
    neverSucceeds: "no instance of a world has an FPGA (the built-in catalog sells none)",
  },
  ConvertOperatingSystems: {
    touch: [(t) => ({ InstanceIds: [t.running] }), (t, s) => ({ InstanceIds: [s.running, t.stopped], DryRun: true })],
    neverSucceeds: "the worlds' instances run Ubuntu and CentOS-free custom images, which are not converted",
  },
  DescribeTaskInfo: {
    read: [
      () => ({ Limit: 100, Offset: 0, StartDate: "2000-01-01 00:00:00" }),
      (t) => ({ Limit: 100, Offset: 0, StartDate: "2000-01-01 00:00:00", TaskIds: [t.repairTask] }),
      (t) => ({ Limit: 100, Offset: 0, StartDate: "2000-01-01 00:00:00", InstanceIds: [t.running] }),
      (t) => ({ Limit: 100, Offset: 0, StartDate: "2000-01-01 00:00:00", Aliases: [t.runningName] }),
    ],
  },
  RepairTaskControl: { touch: [(t) => ({ Product: "CVM", InstanceIds: [t.running], TaskId: t.repairTask, Operate: "AuthorizeRepair" })] },
  ModifyInstanceDiskType: {
    touch: [(t) => ({ InstanceId: t.stopped, DataDisks: [{ DiskType: "CLOUD_SSD", DiskSize: 50 }] })],
    neverSucceeds: "the worlds' instances have no local disk (the built-in catalog sells none)",
  },
  DescribeChcHosts: {
    read: listing("ChcIds", (w) => [w.chcHost, w.spareChc], (t) => filter("instance-name", t.chcName), (t) => filter("sn", t.chcSerial), (t) => filter("vpc-id", t.vpcId), (t) => filter("subnet-id", t.subnetId)),
  },
  DescribeChcDeniedActions: { touch: [(t) => ({ ChcIds: [t.chcHost, t.spareChc] }), (t, s) => ({ ChcIds: [s.chcHost, t.bareChc] })] },
  ModifyChcAttribute: { touch: [(t) => ({ ChcIds: [t.chcHost], InstanceName: "renamed" }), (t, s) => ({ ChcIds: [s.chcHost, t.spareChc], DeviceType: "mine" })] },
  ConfigureChcAssistVpc: {
    touch: [(t) => ({ ChcIds: [t.bareChc], BmcVirtualPrivateCloud: { VpcId: t.vpcId, SubnetId: t.subnetId } }), (t, s) => ({ ChcIds: [s.bareChc], BmcVirtualPrivateCloud: { VpcId: t.vpcId, SubnetId: t.subnetId } })],
  },
  ConfigureChcDeployVpc: {
    touch: [(t) => ({ ChcIds: [t.spareChc], DeployVirtualPrivateCloud: { VpcId: t.vpcId, SubnetId: t.subnetId } }), (t, s) => ({ ChcIds: [s.spareChc], DeployVirtualPrivateCloud: { VpcId: t.vpcId, SubnetId: t.subnetId } })],
  },
  RemoveChcAssistVpc: { touch: [(t) => ({ ChcIds: [t.spareChc] }), (t, s) => ({ ChcIds: [s.spareChc, t.chcHost] })] },
  RemoveChcDeployVpc: { touch: [(t) => ({ ChcIds: [t.chcHost] })] },
  ModifyChcNetworkMode: { touch: [(t) => ({ ChcIds: [t.chcHost], NetworkMode: "DEPLOY" })] },
  CreateDisasterRecoverGroup: { own: [(t) => ({ Name: t.placementGroupName, Type: "HOST" })], why: "makes a group in the caller's account, under a name of the target's" },
  DescribeDisasterRecoverGroups: {
    read: listing("DisasterRecoverGroupIds", (w) => [w.placementGroup, w.spareGroup], (t) => ({ Name: t.placementGroupName }), ...tagFilters),
  },
  DescribeDisasterRecoverGroupQuota: { read: [() => ({})], why: "counts the caller's own groups" },
  ModifyDisasterRecoverGroupAttribute: { touch: [(t) => ({ DisasterRecoverGroupId: t.placementGroup, Name: "renamed", Affinity: 2 })] },
  ModifyInstancesDisasterRecoverGroup: { touch: binding((g, i) => ({ InstanceIds: [i.stopped], DisasterRecoverGroupId: g.spareGroup })) },
  DeleteInstancesDisasterRecoverGroups: { touch: binding((g, i) => ({ InstanceIds: [i.running], DisasterRecoverGroupIds: [g.placementGroup] })) },
  DeleteDisasterRecoverGroups: { touch: [(t) => ({ DisasterRecoverGroupIds: [t.spareGroup] }), (t, s) => ({ DisasterRecoverGroupIds: [s.spareGroup, t.spareGroup] })] },
  DescribeKeyPairs: { read: listing("KeyIds", (w) => [w.keyId, w.spareKey], (t) => filter("key-name", t.keyName, t.spareKeyName), ...tagFilters) },
  DeleteKeyPairs: { touch: [(t) => ({ KeyIds: [t.spareKey] }), (t, s) => ({ KeyIds: [s.spareKey, t.spareKey] }), (t) => ({ KeyIds: [t.keyId] })] },
  ModifyKeyPairAttribute: {
    touch: [(t) => ({ KeyId: t.keyId, Description: "changed" }), (t) => ({ KeyId: t.spareKey, KeyName: "renamed" })],
    own: [(t, s) => ({ KeyId: s.spareKey, KeyName: t.keyName })],
  },
  AssociateInstancesKeyPairs: { touch: binding((r, i) => ({ InstanceIds: [i.stopped], KeyIds: [r.keyId] })) },
  DisassociateInstancesKeyPairs: { touch: binding((r, i) => ({ InstanceIds: [i.running], KeyIds: [r.keyId], ForceStop: true })) },
  AssociateSecurityGroups: { touch: binding((r, i) => ({ SecurityGroupIds: [r.sg], InstanceIds: [i.stopped] })) },
  DisassociateSecurityGroups: { touch: binding((r, i) => ({ SecurityGroupIds: [r.sg2], InstanceIds: [i.running] })) },

  DescribeImages: {
    read: listing(
      "ImageIds",
      (w) => [w.image, w.sharedImage],
      (t) => filter("image-id", t.image, t.sharedImage),
      (t) => filter("image-name", t.imageName, t.sharedImageName),
      () => filter("image-type", "PRIVATE_IMAGE", "SHARED_IMAGE"),
      () => ({ InstanceType: "S5.MEDIUM4" }),
      ...tagFilters,
    ),
  },
  DescribeImageFromFamily: { read: [() => ({ ImageFamily: "ubuntu-22-04" })], why: "finds the newest public image of a family: custom images are not searched" },
  DescribeImportImageOs: { read: [() => ({})], why: CATALOG },
  DescribeImageQuota: { read: [() => ({})], why: "answers the quota, the same for every account" },
  CreateImage: {
    touch: [(t) => ({ InstanceId: t.stopped, ImageName: "isolation-capture" }), (t) => ({ InstanceId: t.running, ImageName: t.imageName })],
    own: [(t, s) => ({ InstanceId: s.stopped, ImageName: t.imageName })],
  },
  DeleteImages: { touch: [(t) => ({ ImageIds: [t.image] }), (t, s) => ({ ImageIds: [s.image, t.image] }), (t) => ({ ImageIds: [t.sharedImage] })], changeGranted: [(t) => ({ ImageIds: [t.grantedImage] })] },
  ModifyImageAttribute: {
    touch: [(t) => ({ ImageId: t.image, ImageDescription: "changed" }), (t) => ({ ImageId: t.sharedImage, ImageName: "renamed" })],
    changeGranted: [(t) => ({ ImageId: t.grantedImage, ImageDescription: "changed" })],
    own: [(t, s) => ({ ImageId: s.image, ImageName: t.sharedImageName })],
  },
  ModifyImageSharePermission: {
    touch: [
      (t) => ({ ImageId: t.image, AccountIds: [t.thirdUin], Permission: "SHARE" }),
      (t) => ({ ImageId: t.sharedImage, AccountIds: [t.thirdUin], Permission: "CANCEL" }),
      (t, s) => ({ ImageId: t.image, AccountIds: [s.uin], Permission: "SHARE" }),
    ],
    changeGranted: [(t) => ({ ImageId: t.grantedImage, AccountIds: [t.thirdUin], Permission: "SHARE" }), (t, s) => ({ ImageId: t.grantedImage, AccountIds: [s.uin], Permission: "CANCEL" })],
  },
  DescribeImageSharePermission: { touch: [(t) => ({ ImageId: t.sharedImage }), (t) => ({ ImageId: t.image })], changeGranted: [(t) => ({ ImageId: t.grantedImage })] },
  SyncImages: {
    touch: [(t) => ({ ImageIds: [t.image], DestinationRegions: ["ap-shanghai"] }), (t, s) => ({ ImageIds: [s.image, t.sharedImage], DestinationRegions: ["ap-shanghai"] })],
    changeGranted: [(t) => ({ ImageIds: [t.grantedImage], DestinationRegions: ["ap-shanghai"] })],
    own: [(t, s) => ({ ImageIds: [s.image], DestinationRegions: ["ap-shanghai"], ImageName: t.imageName })],
  },
  ImportImage: {
    // The import itself fails later (an empty disk): accepting the request is what is checked here.
    own: [(t) => ({ Architecture: "x86_64", OsType: "Ubuntu", OsVersion: "22.04", ImageUrl: IMPORT_FILE, ImageName: t.sharedImageName })],
    why: "imports into the caller's account under a name of the target's",
  },
  ExportImages: {
    // The bucket (isolation.test.ts makes it) is every account's: the images are what is the target's.
    touch: [(t) => ({ BucketName: "isolation", ImageIds: [t.image] }), (t, s) => ({ BucketName: "isolation", ImageIds: [s.image, t.sharedImage], FileNamePrefixList: ["b", "a"] })],
    changeGranted: [(t) => ({ BucketName: "isolation", ImageIds: [t.grantedImage] })],
  },

  CreateVpc: { own: [(t) => ({ VpcName: t.vpcName, CidrBlock: t.vpcCidr })], why: "makes a VPC in the caller's account, with the target's name and range" },
  DescribeVpcs: {
    read: listing("VpcIds", (w) => [w.vpcId, w.emptyVpc], (t) => filter("vpc-id", t.vpcId), (t) => filter("vpc-name", t.vpcName), (t) => filter("cidr-block", t.vpcCidr), ...tagFilters),
  },
  ModifyVpcAttribute: {
    touch: [(t) => ({ VpcId: t.vpcId, VpcName: "renamed" }), (t) => ({ VpcId: t.emptyVpc, DnsServers: ["8.8.8.8"] })],
    own: [(t, s) => ({ VpcId: s.emptyVpc, VpcName: t.vpcName })],
  },
  DeleteVpc: { touch: [(t) => ({ VpcId: t.emptyVpc }), (t) => ({ VpcId: t.vpcId })] },
  CreateSecurityGroup: { own: [(t) => ({ GroupName: t.sgName, GroupDescription: "copy" })], why: "makes a group in the caller's account under the target's group name" },
  CreateSecurityGroupWithPolicies: {
    touch: [(t) => ({ GroupName: "isolation", GroupDescription: "peer", ...ingress(peerRule(t.sg)) })],
    own: [(t) => ({ GroupName: t.sgName, GroupDescription: "copy", ...ingress({ Protocol: "TCP", Port: "22", CidrBlock: t.vpcCidr, Action: "ACCEPT" }) })],
  },
  CreateDefaultSecurityGroup: { own: [() => ({})], why: "makes or returns the caller's own default group" },
  DescribeSecurityGroups: {
    read: listing("SecurityGroupIds", (w) => [w.sg, w.sg2], (t) => filter("security-group-id", t.sg), (t) => filter("security-group-name", t.sgName), ...tagFilters),
  },
  ModifySecurityGroupAttribute: {
    touch: [(t) => ({ SecurityGroupId: t.sg, GroupName: "renamed" }), (t) => ({ SecurityGroupId: t.spareSg, GroupDescription: "changed" })],
    own: [(t, s) => ({ SecurityGroupId: s.spareSg, GroupName: t.sgName })],
  },
  DeleteSecurityGroup: { touch: [(t) => ({ SecurityGroupId: t.spareSg }), (t) => ({ SecurityGroupId: t.sg }), (t) => ({ SecurityGroupId: t.sg2 })] },
  DescribeSecurityGroupAssociationStatistics: { touch: [(t) => ({ SecurityGroupIds: [t.sg] }), (t, s) => ({ SecurityGroupIds: [s.sg, t.sg2] })] },
  CreateSecurityGroupPolicies: {
    touch: [
      (t) => ({ SecurityGroupId: t.sg, ...ingress({ Protocol: "TCP", Port: "443", CidrBlock: "0.0.0.0/0", Action: "ACCEPT" }) }),
      (t, s) => ({ SecurityGroupId: s.spareSg, ...ingress(peerRule(t.sg)) }),
      (t) => ({ SecurityGroupId: t.sg, SecurityGroupPolicySet: { Version: "99", Ingress: [{ Protocol: "UDP", Port: "53", CidrBlock: "0.0.0.0/0", Action: "ACCEPT" }] } }),
    ],
  },
  DescribeSecurityGroupPolicies: {
    touch: [(t) => ({ SecurityGroupId: t.sg })],
    read: [(t, s) => ({ SecurityGroupId: s.sg, ...filter("security-group-id", t.sg2) })],
  },
  DeleteSecurityGroupPolicies: {
    touch: [(t) => ({ SecurityGroupId: t.sg, SecurityGroupPolicySet: { Ingress: [{ PolicyIndex: 0 }] } }), (t) => ({ SecurityGroupId: t.sg, ...ingress(peerRule(t.sg2)) })],
  },
  ReplaceSecurityGroupPolicy: replaceFirstRule,
  ReplaceSecurityGroupPolicies: replaceFirstRule,
  ModifySecurityGroupPolicies: {
    touch: [
      (t) => ({ SecurityGroupId: t.sg, ...ingress({ Protocol: "TCP", Port: "80", CidrBlock: "0.0.0.0/0", Action: "ACCEPT" }) }),
      (t) => ({ SecurityGroupId: t.sg, SecurityGroupPolicySet: { Version: "0" } }),
      (t, s) => ({ SecurityGroupId: s.spareSg, ...ingress(peerRule(t.sg)) }),
    ],
  },
  CreateSubnet: {
    touch: [(t) => ({ VpcId: t.vpcId, SubnetName: "isolation", CidrBlock: t.freeCidrs[0], Zone: ZONE })],
    own: [(t, s) => ({ VpcId: s.vpcId, SubnetName: t.subnetName, CidrBlock: s.freeCidrs[1], Zone: ZONE })],
  },
  CreateSubnets: {
    touch: [(t) => ({ VpcId: t.vpcId, Subnets: [{ CidrBlock: t.freeCidrs[0], SubnetName: "isolation", Zone: ZONE }] })],
    own: [(t, s) => ({ VpcId: s.vpcId, Subnets: [{ CidrBlock: s.freeCidrs[1], SubnetName: t.subnetName, Zone: ZONE }] })],
  },
  DescribeSubnets: {
    read: listing(
      "SubnetIds",
      (w) => [w.subnetId, w.emptySubnet],
      (t) => filter("subnet-id", t.subnetId),
      (t) => filter("vpc-id", t.vpcId),
      (t) => filter("cidr-block", t.subnetCidr),
      (t) => filter("subnet-name", t.subnetName),
      ...tagFilters,
    ),
  },
  ModifySubnetAttribute: {
    touch: [(t) => ({ SubnetId: t.subnetId, SubnetName: "renamed" }), (t) => ({ SubnetId: t.emptySubnet, EnableBroadcast: "true" })],
    own: [(t, s) => ({ SubnetId: s.emptySubnet, SubnetName: t.subnetName })],
  },
  DeleteSubnet: { touch: [(t) => ({ SubnetId: t.emptySubnet }), (t) => ({ SubnetId: t.subnetId })] },

  AllocateAddresses: { own: [(t) => ({ AddressCount: 1, AddressName: t.eipName })], why: "allocates in the caller's account under the target's EIP name" },
  DescribeAddresses: {
    read: listing(
      "AddressIds",
      (w) => [w.boundEip, w.freeEip],
      (t) => filter("address-id", t.boundEip),
      (t) => filter("address-name", t.eipName),
      (t) => filter("address-ip", t.boundEipIp, t.freeEipIp),
      (t) => filter("instance-id", t.running),
      (t) => filter("tag-key", t.tag.Key),
      (t) => filter(`tag:${t.tag.Key}`, t.tag.Value),
    ),
  },
  AssociateAddress: { touch: [...binding((r, i) => ({ AddressId: r.freeEip, InstanceId: i.stopped })), (t) => ({ AddressId: t.boundEip, InstanceId: t.stopped })] },
  DisassociateAddress: { touch: [(t) => ({ AddressId: t.boundEip }), (t) => ({ AddressId: t.freeEip })] },
  ReleaseAddresses: { touch: [(t) => ({ AddressIds: [t.freeEip] }), (t, s) => ({ AddressIds: [s.freeEip, t.freeEip] }), (t) => ({ AddressIds: [t.boundEip] })] },
  ModifyAddressAttribute: { touch: [(t) => ({ AddressId: t.boundEip, AddressName: "renamed" })], own: [(t, s) => ({ AddressId: s.freeEip, AddressName: t.eipName })] },
  ModifyAddressesBandwidth: {
    touch: [(t) => ({ AddressIds: [t.freeEip], InternetMaxBandwidthOut: 5 }), (t, s) => ({ AddressIds: [s.freeEip, t.boundEip], InternetMaxBandwidthOut: 5 })],
  },
  ModifyAddressInternetChargeType: { touch: [(t) => ({ AddressId: t.freeEip, InternetChargeType: "BANDWIDTH_POSTPAID_BY_HOUR", InternetMaxBandwidthOut: 5 })] },
  RenewAddresses: {
    touch: [(t) => ({ AddressIds: [t.freeEip], AddressChargePrepaid: { Period: 1 } })],
    neverSucceeds: "the worlds' EIPs are pay-as-you-go, and only monthly ones are renewed",
  },
  InquiryPriceRenewAddresses: {
    touch: [(t) => ({ AddressIds: [t.freeEip], AddressChargePrepaid: { Period: 1 } })],
    neverSucceeds: "the worlds' EIPs are pay-as-you-go, and only monthly ones have a renewal to quote",
  },
  ModifyAddressesRenewFlag: {
    touch: [(t) => ({ AddressIds: [t.freeEip], RenewFlag: "NOTIFY_AND_AUTO_RENEW" })],
    neverSucceeds: "the worlds' EIPs are pay-as-you-go, and only monthly ones have a renewal flag",
  },
  DescribeAddressQuota: { read: [() => ({})], why: "counts the caller's own EIPs" },
  DescribeTaskResult: {
    touch: [(t) => ({ TaskId: Number(t.eipTask) })],
    why: "a TaskId is a number no view lists, so the target's is named here by hand: it must answer as one that exists nowhere",
  },
  DescribeBandwidthPackages: { read: [() => ({})], why: "OpenCVM sells no bandwidth packages: every account's list is empty" },
  DescribeRouteTables: {
    read: listing("RouteTableIds", (w) => [routeTable(w.vpcId), routeTable(w.emptyVpc)], (t) => filter("vpc-id", t.vpcId), (t) => filter("association.subnet-id", t.subnetId)),
  },
  // Its refusal names the route table, whose id the ghost world's substitution does not know (it is derived from the
  // VPC's): test/terraform/vpc.test.ts refuses another VPC's and a missing table instead.
  ReplaceRouteTableAssociation: { why: "a route table id is derived from its VPC's, outside the worlds' id substitution" },
  DescribeUsedIpAddress: { touch: [(t) => ({ VpcId: t.vpcId }), (t) => ({ VpcId: t.vpcId, SubnetId: t.subnetId })] },
  CreateAssistantCidr: { touch: [(t) => ({ VpcId: t.vpcId, CidrBlocks: ["10.250.0.0/16"] })] },
  ModifyAssistantCidr: { touch: [(t) => ({ VpcId: t.vpcId, NewCidrBlocks: ["10.251.0.0/16"] })] },
  DeleteAssistantCidr: { touch: [(t) => ({ VpcId: t.vpcId, CidrBlocks: ["10.252.0.0/16"] })], neverSucceeds: "the VPC has no assistant range to delete" },
  DescribeAssistantCidr: { read: [() => ({})], why: "lists the ranges of the caller's own VPCs (the worlds' VPCs have none)" },
  TransformAddress: { touch: [(t) => ({ InstanceId: t.stopped }), (t) => ({ InstanceId: t.running })] },
  ModifyInstancesVpcAttribute: { touch: binding((r, i) => ({ InstanceIds: [i.stopped], VirtualPrivateCloud: { VpcId: r.vpcId, SubnetId: r.subnetId } })) },
  ResetInstancesInternetMaxBandwidth: {
    touch: [(t) => ({ InstanceIds: [t.stopped], InternetAccessible: { InternetMaxBandwidthOut: 5 } }), (t, s) => ({ InstanceIds: [s.stopped, t.stopped], InternetAccessible: { InternetMaxBandwidthOut: 5 } })],
  },
  DescribeAccountQuota: { read: [() => ({}), () => filter("zone", ZONE)], why: "counts the caller's own purchases" },

  DescribeProducts: { read: [() => ({})], why: CATALOG },
  DescribeResourceTagsByResourceIds: {
    read: [
      (t) => ({ ServiceType: "cvm", ResourcePrefix: "instance", ResourceRegion: "ap-guangzhou", ResourceIds: [t.running] }),
      (t) => ({ ServiceType: "vpc", ResourcePrefix: "vpc", ResourceRegion: "ap-guangzhou", ResourceIds: [t.vpcId] }),
    ],
  },
  DescribeResourceTags: { read: [() => ({}), (t) => ({ ResourceId: t.running }), (t) => ({ ServiceType: "cvm", ResourcePrefix: "sg", ResourceId: t.sg })] },
  ModifyResourceTags: { touch: [(t) => ({ Resource: tagName("cvm", "instance", t.running), ReplaceTags: [{ TagKey: "k", TagValue: "v" }] })] },
  TagResources: { touch: [(t) => ({ ResourceList: [tagName("vpc", "vpc", t.vpcId)], Tags: [{ TagKey: "k", TagValue: "v" }] })] },
  UnTagResources: { touch: [(t) => ({ ResourceList: [tagName("cvm", "instance", t.running)], TagKeys: [t.tag.Key] })] },
  GetResources: { read: [() => ({}), (t) => ({ ResourceList: [tagName("cvm", "instance", t.running)] }), (t) => ({ TagFilters: [{ TagKey: t.tag.Key }] })] },
  GetTags: { read: [() => ({}), (t) => ({ TagKeys: [t.tag.Key] })] },
  GetTagKeys: { read: [() => ({})], why: "lists the caller's own tag keys" },
  GetTagValues: { read: [(t) => ({ TagKeys: [t.tag.Key] })] },
  DescribeTags: { read: [() => ({}), (t) => ({ TagKey: t.tag.Key })] },
  DescribeTagKeys: { read: [() => ({}), (t) => ({ CreateUin: Number(t.uin) })], why: "lists the caller's own tag keys" },
  DescribeTagValues: { read: [(t) => ({ TagKeys: [t.tag.Key] })] },
  DescribeAccountBalance: { read: [() => ({})], why: "answers the caller's own balance" },
  DescribeBillDetail: { read: [() => bills(), (t) => bills({ ResourceId: t.prepaid })] },
  DescribeBillResourceSummary: { read: [() => bills(), (t) => bills({ ResourceId: t.prepaid })] },
  DescribeBillSummaryByProduct: { read: [() => ({ BeginTime: thisMonth(), EndTime: thisMonth() })], why: "sums the caller's own bills" },
  DescribeBillSummaryByRegion: { read: [() => ({ BeginTime: thisMonth(), EndTime: thisMonth() })], why: "sums the caller's own bills" },
  DescribeBillSummaryByPayMode: { read: [() => ({ BeginTime: thisMonth(), EndTime: thisMonth() })], why: "sums the caller's own bills" },

  DescribeDisks: {
    read: listing(
      "DiskIds",
      (w) => [w.disk, w.attachedDisk],
      (t) => filter("disk-id", t.disk, t.attachedDisk),
      (t) => filter("instance-id", t.running),
      (t) => filter("disk-name", t.diskName),
      (t) => filter("instance-name", t.runningName),
      (t) => filter("instance-ip-address", t.runningPrivateIp),
      ...tagFilters,
    ),
  },
  DescribeDiskConfigQuota: { read: [() => ({ InquiryType: "INQUIRY_CBS_CONFIG" }), () => ({ InquiryType: "INQUIRY_CBS_CONFIG", Zones: [ZONE] })], why: CATALOG },
  CreateDisks: {
    touch: [(t) => ({ ...newDisk, SnapshotId: t.snapshot })],
    own: [(t) => ({ ...newDisk, DiskName: t.diskName, ClientToken: t.clientToken, Tags: [t.tag] })],
  },
  AttachDisks: { touch: binding((d, i) => ({ DiskIds: [d.disk], InstanceId: i.running })) },
  DetachDisks: { touch: [(t) => ({ DiskIds: [t.attachedDisk] }), (t) => ({ DiskIds: [t.attachedDisk], InstanceId: t.running }), (t, s) => ({ DiskIds: [s.attachedDisk], InstanceId: t.running })] },
  ResizeDisk: { touch: [(t) => ({ DiskId: t.disk, DiskSize: 30 }), (t) => ({ DiskId: t.attachedDisk, DiskSize: 40 })] },
  ModifyDiskAttributes: {
    touch: [(t) => ({ DiskIds: [t.disk], DiskName: "renamed" }), (t, s) => ({ DiskIds: [s.disk, t.attachedDisk], DeleteWithInstance: true })],
    own: [(t, s) => ({ DiskIds: [s.disk], DiskName: t.diskName })],
  },
  TerminateDisks: { touch: [(t) => ({ DiskIds: [t.disk] }), (t, s) => ({ DiskIds: [s.disk, t.disk] })] },
  InquiryPriceCreateDisks: {
    read: [() => ({ DiskChargeType: "POSTPAID_BY_HOUR", DiskType: "CLOUD_PREMIUM", DiskSize: 50 }), () => ({ DiskChargeType: "PREPAID", DiskType: "CLOUD_SSD", DiskSize: 100, DiskChargePrepaid: { Period: 1 } })],
    why: CATALOG,
  },
  InquiryPriceRenewDisks: {
    touch: [(t) => ({ DiskIds: [t.prepaidDisk], DiskChargePrepaids: [{ Period: 1 }] }), (t, s) => ({ DiskIds: [s.prepaidDisk, t.prepaidDisk], DiskChargePrepaids: [{ Period: 1 }, { Period: 2 }] })],
  },
  RenewDisk: { touch: [(t) => ({ DiskId: t.prepaidDisk, DiskChargePrepaid: { Period: 1 } })] },
  ModifyDisksRenewFlag: {
    touch: [(t) => ({ DiskIds: [t.prepaidDisk], RenewFlag: "NOTIFY_AND_AUTO_RENEW" }), (t, s) => ({ DiskIds: [s.prepaidDisk, t.prepaidDisk], RenewFlag: "NOTIFY_AND_MANUAL_RENEW" })],
  },
  CreateSnapshot: { touch: [(t) => ({ DiskId: t.attachedDisk, SnapshotName: "isolation-snap" })], own: [(t, s) => ({ DiskId: s.disk, SnapshotName: t.snapshotName })] },
  DescribeSnapshots: {
    read: listing("SnapshotIds", (w) => [w.snapshot, w.snapshot], (t) => filter("snapshot-id", t.snapshot), (t) => filter("disk-id", t.disk), (t) => filter("snapshot-name", t.snapshotName), ...tagFilters),
  },
  DeleteSnapshots: { touch: [(t) => ({ SnapshotIds: [t.snapshot] }), (t, s) => ({ SnapshotIds: [s.snapshot, t.snapshot] })] },
};
