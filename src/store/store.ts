// The store's interface: one repository per resource, and transactions across them. One implementation (sql.ts)
// serves every dialect.
import type { InstanceState } from "../domain/lifecycle.js";
import type { QuotaName } from "../domain/quotas.js";
import type { GuardingGroup, SecurityPolicy } from "../domain/security-policy.js";
import type { EnhancedServices } from "../domain/enhanced-service.js";
import type { ChcNetwork, ChcNetworkMode, ChcState } from "../domain/chc-hosts.js";

export interface Account {
  appId: number;
  uin: string;
  ownerUin: string;
  isDefault: boolean;
  createdAt: string;
}

export interface Credential {
  secretId: string;
  secretKey: string;
  enabled: boolean;
  account: Account;
}

export interface AccountRepo {
  /** The credential with this SecretId and its account, enabled or not. */
  findCredential(secretId: string): Promise<Credential | undefined>;
  defaultAccount(): Promise<Account | undefined>;
  byUin(uin: string): Promise<Account | undefined>;
  byAppId(appId: number): Promise<Account | undefined>;
  list(): Promise<Account[]>;
  /** Creates an account with a first key pair; AppId and Uin are the next free numbers. */
  create(key: { secretId: string; secretKey: string }, options?: { isDefault?: boolean }): Promise<Account>;
  /** Adds a key pair to an account, or sets the key and enables it when the SecretId exists already. */
  putKey(appId: number, key: { secretId: string; secretKey: string }): Promise<void>;
  setKeyEnabled(secretId: string, enabled: boolean): Promise<void>;
  /**
   * A mark that changes with every key changed, disabled or deleted (with its account), on any node: caches of keys
   * compare it to drop what they hold.
   */
  keysMark(): Promise<string | undefined>;
  /** Quotas an operator set for the account (the rest are defaults). */
  quotas(appId: number): Promise<Partial<Record<QuotaName, number>>>;
  setQuota(appId: number, quota: QuotaName, value: number): Promise<void>;
  /** The hash of the account's web console password, if an operator set one. */
  consolePassword(appId: number): Promise<string | undefined>;
  setConsolePassword(appId: number, hash: string): Promise<void>;
}

/** What an instance is beyond its indexed columns, in the API's own field names. */
export interface InstanceDoc {
  CPU: number;
  Memory: number;
  OsName: string;
  Platform: "LINUX" | "WINDOWS";
  SystemDisk: { DiskType: string; DiskId: string; DiskSize: number };
  /** DiskName: the name the launch gave the disk, if any (DescribeDisks shows the disk's current one). */
  DataDisks: { DiskType: string; DiskId: string; DiskSize: number; DeleteWithInstance: boolean; DiskName?: string }[];
  InternetAccessible: { InternetChargeType: string; InternetMaxBandwidthOut: number; PublicIpAssigned: boolean };
  HostName: string;
  DisableApiTermination: boolean;
  StopChargingMode: "KEEP_CHARGING" | "STOP_CHARGING" | "NOT_APPLICABLE";
  ExpiredTime: string | null;
  RenewFlag: string | null;
  DefaultLoginUser: string;
  DefaultLoginPort: number;
  UserData: string | null;
  IsolatedSource: string;
  /** The agents RunInstances or ResetInstance asked for (absent for instances launched before they were kept). */
  EnhancedService?: EnhancedServices;
  /** When the instance entered the recycle bin or was isolated (SHUTDOWN), on the service clock. */
  IsolatedAt?: string;
  /**
   * The public bandwidth settings the instance has had, oldest first, each from when it took effect (absent for
   * instances created before it was kept: their current setting is all that is known).
   */
  BandwidthHistory?: BandwidthSetting[];
  /** The dedicated host (CDH) the instance was placed on; absent for one on the cloud's shared hosts. */
  HostId?: string;
  /** The HPC cluster the instance was launched into, and its address on the cluster's RDMA network. */
  HpcClusterId?: string;
  RdmaIpAddresses?: string[];
  /** The resource pool pack the instance draws on: its compute is the pack's, not billed by the hour. */
  DedicatedResourcePackId?: string;
  /** The CHC host the instance runs on (RunInstances' ChcIds): its CPU and memory are the host's. */
  ChcId?: string;
  /** The FPGA image last programmed on each FPGA card (by DBDF), with ProgramFpgaImage. */
  FpgaImages?: Record<string, string>;
}

export interface BandwidthSetting {
  Since: string;
  InternetChargeType: string;
  InternetMaxBandwidthOut: number;
}

export type StoredState = InstanceState | "TERMINATED";

export interface InstanceRecord {
  instanceId: string;
  appId: number;
  region: string;
  zone: string;
  state: StoredState;
  instanceName: string;
  instanceType: string;
  instanceFamily: string;
  imageId: string;
  chargeType: string;
  projectId: number;
  vpcId: string;
  subnetId: string;
  privateIp: string;
  publicIp: string | null;
  uuid: string;
  createdAt: string;
  latestOperation: string | null;
  latestOperationState: "OPERATING" | "SUCCESS" | "FAILED" | null;
  latestOperationRequestId: string | null;
  latestOperationError: string | null;
  tags: { key: string; value: string }[];
  securityGroupIds: string[];
  /** Key pairs bound to the instance, in the order they were given. */
  keyIds: string[];
  doc: InstanceDoc;
}

export type InstancePower = Pick<InstanceRecord, "instanceId" | "state" | "latestOperationState" | "latestOperationRequestId"> & {
  /** The server node whose backend holds the machine; null until an operation ran on it. */
  hostNode: string | null;
  /** The row's key, in which order a walk over pages resumes. */
  seq: number;
};

/** Columns DescribeInstances may filter on. */
export type InstanceColumn =
  | "zone"
  | "project_id"
  | "vpc_id"
  | "subnet_id"
  | "instance_id"
  | "uuid"
  | "instance_charge_type"
  | "state"
  | "private_ip"
  | "public_ip"
  | "instance_name"
  | "instance_type"
  | "instance_family"
  | "image_id";

/** One condition of a listing; conditions are ANDed, the values of one condition ORed. */
export type InstanceCondition =
  | { kind: "column"; column: InstanceColumn; values: (string | number)[] }
  | { kind: "name-contains"; values: string[] }
  | { kind: "security-group"; values: string[] }
  | { kind: "tag-key"; values: string[] }
  | { kind: "tag-value"; values: string[] }
  | { kind: "tag"; key: string; values: string[] }
  | { kind: "created"; after?: string; before?: string }
  | { kind: "none" };

/** The fields an operation may change, with the state and operation it expects to find (a compare-and-set). */
export interface InstanceChange {
  state?: StoredState;
  latestOperation?: string;
  latestOperationState?: InstanceRecord["latestOperationState"];
  latestOperationRequestId?: string;
  latestOperationError?: string | null;
  instanceName?: string;
  instanceType?: string;
  instanceFamily?: string;
  imageId?: string;
  chargeType?: string;
  projectId?: number;
  publicIp?: string | null;
  vpcId?: string;
  subnetId?: string;
  privateIp?: string;
  /** Replaces the instance's key pairs; a key deleted meanwhile is left out rather than bound. */
  keyIds?: string[];
  /** Replaces the instance's security groups, in priority order (the groups must exist: the store refuses others). */
  securityGroupIds?: string[];
  doc?: Partial<InstanceDoc>;
  /** The server node whose backend now holds the machine. */
  hostNode?: string;
}

export interface InstanceRepo {
  insert(records: InstanceRecord[]): Promise<void>;
  /** Deletes a terminated instance with its tags, security groups and key pair bindings; its timers not yet run end DONE. */
  remove(instanceId: string): Promise<void>;
  /** Deletes the failed launches older than their retention (LAUNCH_FAILED_RETENTION_MS) on the service clock. */
  removeExpiredLaunchFailures(): Promise<number>;
  /** The account's live instances among `ids`, in any order. */
  find(appId: number, region: string, ids: readonly string[]): Promise<InstanceRecord[]>;
  /** An instance by id whatever its account (the engine's view). */
  get(instanceId: string): Promise<InstanceRecord | undefined>;
  getMany(instanceIds: readonly string[]): Promise<InstanceRecord[]>;
  /** What instances' cost depends on, in every account and region, by id after `afterId` (re-rating after a price change). */
  ratedPage(afterId: string, limit: number): Promise<RatedInstance[]>;
  /** The names and projects of these instances (a bill line's), without the rest of the record. */
  labels(instanceIds: readonly string[]): Promise<Pick<InstanceRecord, "instanceId" | "instanceName" | "projectId">[]>;
  /** A page of the account's live instances in the region, newest first, and how many match in all. */
  list(appId: number, region: string, conditions: readonly InstanceCondition[], offset: number, limit: number): Promise<{ total: number; records: InstanceRecord[] }>;
  /** Applies `change` if the instance is in `expect` (state and/or latest RequestId); false when it was not. */
  update(instanceId: string, change: InstanceChange, expect?: { state?: StoredState; requestId?: string }): Promise<boolean>;
  /** How many of the account's live instances of a charge type each instance type has in a zone (created since `since`). */
  countByType(appId: number, region: string, zone: string, chargeType: string, since?: string): Promise<Map<string, number>>;
  /** Instances in `states` of the charge types, in every region (of one account if given): billing's watch list. */
  billed(states: readonly StoredState[], chargeTypes: readonly string[], appId?: number): Promise<InstanceRecord[]>;
  /** Monthly instances in `states` whose ExpiredTime is at or before `until` (ms): only those, by the expiry index. */
  expiring(states: readonly StoredState[], until: number): Promise<InstanceRecord[]>;
  /** The first ExpiredTime (ms) after `after` of a monthly instance in `states`, if any. */
  nextExpiry(states: readonly StoredState[], after: number): Promise<number | undefined>;
  /** Whether the account has any instance in `states` of the charge types (without reading them). */
  anyBilled(states: readonly StoredState[], chargeTypes: readonly string[], appId: number): Promise<boolean>;
  /**
   * The power-relevant part of the instances in the given states, for recovery and reconciliation: every one, or in
   * pages by instance id (those after `after`, at most `limit`) so that a large cloud is never held in memory.
   */
  inStates(states: readonly StoredState[], page?: { after: number; limit: number }): Promise<InstancePower[]>;
  /** The power-relevant part of these instances (those that exist), by their keys. */
  powerOf(instanceIds: readonly string[]): Promise<InstancePower[]>;
}

export interface OperationRecord {
  operationId: string;
  instanceId: string;
  kind: string;
  requestId: string;
  payload: Record<string, unknown>;
  attempts: number;
}

export interface OperationRepo {
  add(ops: Omit<OperationRecord, "attempts">[]): Promise<void>;
  /**
   * Leases up to `max` pending operations whose lease has passed, until `now + leaseMs`. With `hostedOn`, leaves
   * out operations on instances another node hosts (a backend whose machines cannot move).
   */
  claim(now: number, leaseMs: number, max: number, hostedOn?: string): Promise<OperationRecord[]>;
  /**
   * Closes a pending operation, noting when on the service clock; false when it was closed already (by another
   * node that took over its lease).
   */
  finish(operationId: string, status: "done" | "failed"): Promise<boolean>;
  /** Removes up to `limit` operations that finished at or before `before` (ms); answers how many. */
  prune(before: number, limit: number): Promise<number>;
  /** Makes every pending operation claimable at once: a single-node start-up owns all leases. */
  releaseLeases(): Promise<void>;
  /** Extends the leases of these operations, still being run by this node, until `until`. */
  renewLeases(operationIds: readonly string[], until: number): Promise<void>;
  /** Pending operations; with `createdBy` (ISO, real time), only those created by then. */
  pendingCount(createdBy?: string): Promise<number>;
  /** How many operations the request `requestId` started are not finished yet. */
  pendingOf(requestId: string): Promise<number>;
  /** The pending operations of these kinds (few: only work in flight is pending). */
  pending(kinds: readonly string[]): Promise<OperationRecord[]>;
}

export interface Subnet {
  vpcId: string;
  subnetId: string;
  cidr: string;
}

export interface VpcRecord {
  vpcId: string;
  appId: number;
  region: string;
  cidr: string;
  isDefault: boolean;
  createdAt: string;
  vpcName: string;
  enableMulticast: boolean;
  dnsServers: string[];
  domainName: string;
  tags: { key: string; value: string }[];
  /** Secondary ranges (CreateAssistantCidr) that subnets may also take, oldest first. */
  assistantCidrs: string[];
}

export interface SubnetRecord extends Subnet {
  appId: number;
  zone: string;
  isDefault: boolean;
  createdAt: string;
  subnetName: string;
  enableBroadcast: boolean;
  tags: { key: string; value: string }[];
}

export interface NetworkRepo {
  /** The account's VPCs in a region, oldest first (an account has a few dozen at most). */
  vpcs(appId: number, region: string): Promise<VpcRecord[]>;
  createVpc(vpc: VpcRecord): Promise<void>;
  updateVpc(vpcId: string, change: Partial<Pick<VpcRecord, "vpcName" | "enableMulticast" | "dnsServers" | "domainName" | "assistantCidrs">>): Promise<void>;
  deleteVpc(vpcId: string): Promise<void>;
  /** The account's subnets in a region, oldest first. */
  subnets(appId: number, region: string): Promise<SubnetRecord[]>;
  createSubnets(subnets: SubnetRecord[]): Promise<void>;
  updateSubnet(subnetId: string, change: Partial<Pick<SubnetRecord, "subnetName" | "enableBroadcast">>): Promise<void>;
  deleteSubnet(subnetId: string): Promise<void>;
  /** Addresses in use per subnet. */
  allocatedCounts(subnetIds: readonly string[]): Promise<Map<string, number>>;
  /** The account's default VPC in the region and its default subnet in the zone, created on first use. */
  defaultSubnet(appId: number, region: string, zone: string, zoneIndex: number): Promise<Subnet>;
  /** Private addresses in use in a subnet. */
  allocated(subnetId: string): Promise<Set<string>>;
  /** Who holds each allocated private address of these subnets, by subnet then address. */
  allocations(subnetIds: readonly string[]): Promise<{ subnetId: string; ip: string; instanceId: string }[]>;
  allocate(subnetId: string, pairs: { ip: string; instanceId: string }[]): Promise<void>;
  /** Of these public addresses, those already handed out. */
  publicInUse(ips: readonly string[]): Promise<Set<string>>;
  allocatePublic(appId: number, pairs: { ip: string; instanceId: string }[]): Promise<void>;
  /** Hands a public address to another holder (an instance's address becoming an EIP). */
  setPublicHolder(ip: string, holder: string): Promise<void>;
  releasePublicIp(ip: string): Promise<void>;
  /** Frees one private address (an instance moving to another subnet gives back its old one). */
  releasePrivate(subnetId: string, ip: string): Promise<void>;
  /** Frees the instance's private and public addresses. */
  release(instanceId: string): Promise<void>;
}

export interface ClientTokenRepo {
  get(appId: number, token: string): Promise<string[] | undefined>;
  /** Remembers a token with when it was used, on the service clock. */
  put(appId: number, token: string, instanceIds: string[]): Promise<void>;
  /** Forgets up to `limit` tokens used before `before` (ISO); answers how many. */
  prune(before: string, limit: number): Promise<number>;
}

export type ImageState = "CREATING" | "NORMAL" | "CREATEFAILED" | "SYNCING" | "IMPORTING" | "IMPORTFAILED";

/** A custom image: captured from an instance, copied from another region, or imported. */
export interface ImageRecord {
  imageId: string;
  appId: number;
  region: string;
  imageName: string;
  state: ImageState;
  createdAt: string;
  imageDescription: string;
  imageFamily: string;
  deprecated: boolean;
  osName: string;
  platform: string;
  family: "LINUX" | "WINDOWS";
  architecture: "x86_64" | "arm";
  loginUser: string;
  /** GiB of the system disk it was taken from. */
  imageSize: number;
  imageSource: "CREATE_IMAGE" | "SYNC_IMAGE" | "IMPORT_IMAGE";
  /** The data disks it carries, given to instances launched from it. */
  dataDisks: { DiskType: string; DiskSize: number }[];
  tags: { key: string; value: string }[];
  /** The key pairs of its account and region it carries (those of the instance it was captured from), in order. */
  keyIds: string[];
  /** The OpenSSH public key lines on its system disk, which a copy or a share carries without the key pairs. */
  authorizedKeys: string[];
  /** ImportImage's: whose operating system licence it carries, and the firmware it boots with (absent: the defaults). */
  licenseType?: LicenseType;
  bootMode?: BootMode;
}

export type LicenseType = "TencentCloud" | "BYOL";
export type BootMode = "Legacy BIOS" | "UEFI";

export interface ImageShare {
  appId: number;
  createdAt: string;
}

export interface ImageRepo {
  /** Adds the image, carrying those of its `keyIds` that exist in its account and region. */
  insert(record: ImageRecord): Promise<void>;
  get(imageId: string): Promise<ImageRecord | undefined>;
  /** The account's own images in the region, and those other accounts share with it, newest first. */
  visible(appId: number, region: string): Promise<{ image: ImageRecord; shared: boolean }[]>;
  /** How many custom images the account has in the region (its quota counts them). */
  countOwned(appId: number, region: string): Promise<number>;
  nameTaken(appId: number, region: string, name: string, exceptImageId?: string): Promise<boolean>;
  /** Applies a change, if the image is still in `expectState` when given. */
  update(imageId: string, change: Partial<Omit<ImageRecord, "imageId" | "appId" | "region" | "createdAt" | "keyIds">>, expectState?: ImageState): Promise<boolean>;
  /** Deletes the image with its shares, freeing the key pairs it carried. */
  remove(imageId: string): Promise<void>;
  shares(imageId: string): Promise<ImageShare[]>;
  share(imageId: string, appIds: readonly number[]): Promise<void>;
  unshare(imageId: string, appIds: readonly number[]): Promise<void>;
}

/** An SSH key pair: only its public half, which is all OpenCVM ever keeps. */
export interface KeyPairRecord {
  keyId: string;
  appId: number;
  region: string;
  keyName: string;
  projectId: number;
  description: string;
  /** The OpenSSH line: `type base64 [comment]`. */
  publicKey: string;
  fingerprint: string;
  createdAt: string;
  tags: { key: string; value: string }[];
  /** The instances the key is bound to, oldest first. */
  instanceIds: string[];
  /** The custom images that carry it, oldest first. */
  imageIds: string[];
}

/** A key pair as it is added: bound to nothing. */
export type NewKeyPair = Omit<KeyPairRecord, "instanceIds" | "imageIds">;

/** One condition of a key pair listing; conditions are ANDed, the values of one condition ORed. */
export type KeyPairCondition =
  | { kind: "key-id"; values: string[] }
  | { kind: "project"; values: number[] }
  | { kind: "name"; values: string[] }
  | { kind: "tag-key"; values: string[] }
  | { kind: "tag-value"; values: string[] }
  | { kind: "tag"; key: string; values: string[] };

export interface KeyPairRepo {
  insert(record: NewKeyPair): Promise<void>;
  /** The account's key pairs in the region among `ids`, in any order. */
  find(appId: number, region: string, ids: readonly string[]): Promise<KeyPairRecord[]>;
  /** A page of the account's key pairs in the region, newest first, and how many match in all. */
  list(appId: number, region: string, conditions: readonly KeyPairCondition[], offset: number, limit: number): Promise<{ total: number; records: KeyPairRecord[] }>;
  count(appId: number, region: string): Promise<number>;
  /** The id of the key pair with this name, if any. */
  byName(appId: number, region: string, name: string): Promise<string | undefined>;
  /** The id of the key pair with this public key (by fingerprint), if any. */
  byFingerprint(appId: number, region: string, fingerprint: string): Promise<string | undefined>;
  update(keyId: string, change: { keyName?: string; description?: string }): Promise<void>;
  /** Deletes key pairs with their tags; the store refuses one bound to an instance or carried by an image. */
  remove(keyIds: readonly string[]): Promise<void>;
}

/** A launch template: its versions are kept apart, each immutable. */
export interface LaunchTemplateRecord {
  launchTemplateId: string;
  appId: number;
  region: string;
  name: string;
  defaultVersion: number;
  /** The highest version number given so far. */
  latestVersion: number;
  versionCount: number;
  createdBy: string;
  createdAt: string;
  tags: { key: string; value: string }[];
}

export type NewLaunchTemplate = Omit<LaunchTemplateRecord, "versionCount" | "latestVersion" | "defaultVersion">;

export interface LaunchTemplateVersionRecord {
  launchTemplateId: string;
  version: number;
  description: string;
  /** The version's launch members, a JSON object the action family shapes. */
  data: Record<string, unknown>;
  createdBy: string;
  createdAt: string;
}

export interface LaunchTemplateRepo {
  /** Adds a template with its first version, which becomes the default. */
  insert(template: NewLaunchTemplate, first: LaunchTemplateVersionRecord): Promise<void>;
  count(appId: number, region: string): Promise<number>;
  /** The account's templates in the region among `ids`. */
  find(appId: number, region: string, ids: readonly string[]): Promise<LaunchTemplateRecord[]>;
  /** A page of the account's templates in the region, oldest first, optionally only those named `names`. */
  list(appId: number, region: string, names: readonly string[] | undefined, offset: number, limit: number): Promise<{ total: number; records: LaunchTemplateRecord[] }>;
  /** A template's versions, lowest number first. */
  versions(launchTemplateId: string): Promise<LaunchTemplateVersionRecord[]>;
  /** Adds a version numbered after the template's latest. */
  addVersion(version: LaunchTemplateVersionRecord): Promise<void>;
  setDefault(launchTemplateId: string, version: number): Promise<void>;
  removeVersions(launchTemplateId: string, versions: readonly number[]): Promise<void>;
  /** Deletes a template with its versions. */
  remove(launchTemplateId: string): Promise<void>;
}

/** An instance in a placement group, with the host of its zone it was placed on. */
export interface PlacementMember {
  instanceId: string;
  zone: string;
  host: string;
}

/** A spread placement group (DisasterRecoverGroup); `type` is HOST, SW or RACK. */
export interface PlacementGroupRecord {
  groupId: string;
  appId: number;
  region: string;
  name: string;
  type: string;
  affinity: number;
  clientToken: string | null;
  createdAt: string;
  tags: { key: string; value: string }[];
  /** Its instances that have not ended (terminated or failed to launch), oldest first. */
  members: PlacementMember[];
}

export interface PlacementGroupRepo {
  insert(group: Omit<PlacementGroupRecord, "members">): Promise<void>;
  count(appId: number, region: string): Promise<number>;
  byClientToken(appId: number, token: string): Promise<PlacementGroupRecord | undefined>;
  /** The account's groups in the region among `ids`. */
  find(appId: number, region: string, ids: readonly string[]): Promise<PlacementGroupRecord[]>;
  /** The account's groups in the region, oldest first (a quota's worth: listings filter them in memory). */
  all(appId: number, region: string): Promise<PlacementGroupRecord[]>;
  update(groupId: string, change: { name: string; affinity: number }): Promise<void>;
  remove(groupIds: readonly string[]): Promise<void>;
  /** Puts instances in a group on the hosts given (an instance leaves the group it was in). */
  join(groupId: string, members: readonly PlacementMember[]): Promise<void>;
  leave(instanceIds: readonly string[]): Promise<void>;
  /** The group of each of these instances that is in one. */
  groupsOf(instanceIds: readonly string[]): Promise<Map<string, string>>;
}

/** A maintenance task raised against an instance; its progress follows from `authTime` (null: not authorised). */
export interface RepairTaskRecord {
  taskId: string;
  appId: number;
  region: string;
  instanceId: string;
  taskTypeId: number;
  authType: number;
  detail: string;
  createdAt: string;
  authTime: string | null;
  /** Waiting_auth, Customer_auth, System_mandatory_auth or Pre_policy_auth. */
  authSource: string;
}

export interface RepairTaskRepo {
  insert(task: RepairTaskRecord): Promise<void>;
  /** The account's tasks in the region, oldest first. */
  all(appId: number, region: string): Promise<RepairTaskRecord[]>;
  authorise(taskId: string, authTime: string, authSource: string): Promise<void>;
}

/** A CHC host: an account's physical server, registered by an operator (domain/chc-hosts.ts has its states). */
export interface ChcHostRecord {
  chcId: string;
  appId: number;
  region: string;
  zone: string;
  serialNumber: string;
  state: ChcState;
  createdAt: string;
  doc: ChcHostDoc;
}

/** What DescribeChcHosts shows of a host beyond its indexed columns. */
export interface ChcHostDoc {
  instanceName: string;
  deviceType: string;
  cpu: number;
  /** GB. */
  memory: number;
  /** As the API shows it, e.g. "480GB*2/3.84TB*12". */
  disk: string;
  gpu: string;
  networkCard: string;
  tenantType: "HOSTING" | "TENANT";
  bmc: ChcNetwork | null;
  deploy: ChcNetwork | null;
  deployExtra: { MiniOsType: string; BootType: string; BootFile: string; NextServerAddress: string } | null;
  bmcUser: string;
  /** SHA-512 crypt hash of the BMC password, the only form it is kept in. */
  bmcPasswordHash: string | null;
  networkMode: ChcNetworkMode;
  latestOperation: string | null;
  latestOperationState: "OPERATING" | "SUCCESS" | "FAILED" | null;
  tags: { key: string; value: string }[];
  /** The cloud host on it while it is ONLINE. */
  cvmInstanceId?: string | null;
}

export interface ChcHostRepo {
  insert(host: ChcHostRecord): Promise<void>;
  /** The account's hosts in the region, oldest first (an account racks a few hundred at most). */
  all(appId: number, region: string): Promise<ChcHostRecord[]>;
  /** Every account's hosts, oldest first, for an operator. */
  list(appId?: number): Promise<ChcHostRecord[]>;
  get(chcId: string): Promise<ChcHostRecord | undefined>;
  bySerialNumber(serialNumber: string): Promise<ChcHostRecord | undefined>;
  update(chcId: string, change: { state?: ChcState; doc?: ChcHostDoc }): Promise<void>;
  remove(chcId: string): Promise<void>;
}

/** An Elastic IP: UNBIND, or BIND to an instance. */
export interface AddressRecord {
  addressId: string;
  appId: number;
  region: string;
  ip: string;
  status: "UNBIND" | "BIND";
  instanceId: string | null;
  createdAt: string;
  name: string;
  /** Mbps */
  bandwidth: number;
  chargeType: string;
  tags: { key: string; value: string }[];
  /** A BANDWIDTH_PREPAID_BY_MONTH address's term: when it ends and what happens then. */
  term?: { expiresAt: string; renewFlag: "NOTIFY_AND_MANUAL_RENEW" | "NOTIFY_AND_AUTO_RENEW" | "DISABLE_NOTIFY_AND_MANUAL_RENEW" };
  /** How often ModifyAddressInternetChargeType changed it (twice at most). */
  chargeTypeChanges?: number;
  /** Returned while its term was running: kept, IsArrears, until released again or renewed. */
  isolated?: boolean;
}

/** A task of the VPC API, as DescribeTaskResult answers for it. */
export interface TaskRecord {
  taskId: number;
  appId: number;
  region: string;
  action: string;
  clientToken: string | null;
  resourceIds: string[];
  result: "SUCCESS" | "FAILED" | "RUNNING";
  createdAt: string;
}

export interface TaskRepo {
  add(task: TaskRecord): Promise<void>;
  get(appId: number, taskId: number): Promise<TaskRecord | undefined>;
  /** The task an earlier call of `action` with this ClientToken made. */
  byClientToken(appId: number, action: string, token: string): Promise<TaskRecord | undefined>;
  /** Removes up to `limit` tasks made before `before` (ISO, to the second); answers how many went. */
  prune(before: string, limit: number): Promise<number>;
}

export interface AddressRepo {
  /** The account's EIPs in a region, oldest first. */
  list(appId: number, region: string): Promise<AddressRecord[]>;
  byInstance(instanceId: string): Promise<AddressRecord | undefined>;
  /** Every EIP of every account (re-rating after a price change). */
  all(): Promise<AddressRecord[]>;
  insert(records: AddressRecord[]): Promise<void>;
  update(record: AddressRecord): Promise<void>;
  remove(addressId: string): Promise<void>;
  /** Monthly EIPs, not isolated, whose term ends by `until` (ms). */
  expiring(until: number): Promise<AddressRecord[]>;
  /** When the next such term ends after `after` (ms), if any. */
  nextExpiry(after: number): Promise<number | undefined>;
}

/** A security group with its rules, each direction in PolicyIndex order. */
export interface SecurityGroupRecord {
  securityGroupId: string;
  appId: number;
  region: string;
  projectId: number;
  isDefault: boolean;
  groupName: string;
  groupDescription: string;
  /** Counts changes to the rules. */
  version: number;
  createdAt: string;
  updatedAt: string;
  tags: { key: string; value: string }[];
  ingress: SecurityPolicy[];
  egress: SecurityPolicy[];
}

export type SecurityGroupChange = Partial<Pick<SecurityGroupRecord, "groupName" | "groupDescription" | "version" | "updatedAt" | "ingress" | "egress">>;

export interface SecurityGroupRepo {
  /** The account's security groups in a region, oldest first (a quota's worth and the default one). */
  list(appId: number, region: string): Promise<SecurityGroupRecord[]>;
  /** The account's default group in the region, created on first use. */
  defaultGroup(appId: number, region: string): Promise<SecurityGroupRecord>;
  insert(record: SecurityGroupRecord): Promise<void>;
  /** Applies a change if the group's Version is still `expectVersion` (when given); false when it was not. */
  update(securityGroupId: string, change: SecurityGroupChange, expectVersion?: number): Promise<boolean>;
  /** Deletes a group; the store refuses one an instance holds. */
  remove(securityGroupId: string): Promise<void>;
  /** How many instances hold each of these groups (groups none holds are absent). */
  instanceCounts(securityGroupIds: readonly string[]): Promise<Map<string, number>>;
  /** The groups guarding an instance, in its priority order, with their ingress rules: what its firewall enforces. */
  guarding(instanceId: string): Promise<GuardingGroup[]>;
  /** The private addresses of the instances holding each of these groups (rules may name a group as their peer). */
  memberAddresses(securityGroupIds: readonly string[]): Promise<Map<string, string[]>>;
}

/** What a cloud disk is doing: a disk on an instance follows it, a standalone one moves through these on its own. */
export type DiskState = "UNATTACHED" | "ATTACHING" | "ATTACHED" | "DETACHING" | "EXPANDING" | "TORECYCLE";

/**
 * A cloud disk (CBS). An instance's system and data disks are disks too, written by the store from the instance's
 * own record whenever it writes one, so DescribeDisks and DescribeInstances never disagree.
 */
export interface DiskRecord {
  diskId: string;
  appId: number;
  region: string;
  zone: string;
  diskUsage: "SYSTEM_DISK" | "DATA_DISK";
  diskType: string;
  /** GiB */
  diskSize: number;
  state: DiskState;
  /** The instance it is attached to (or being attached to or detached from). */
  instanceId: string | null;
  chargeType: string;
  diskName: string;
  deleteWithInstance: boolean;
  encrypt: boolean;
  portable: boolean;
  projectId: number;
  createdAt: string;
  /** A monthly disk's end of term; null for pay-as-you-go. */
  deadline: string | null;
  renewFlag: string;
  tags: { key: string; value: string }[];
  /** When a monthly disk of its own went to the recycle bin (TORECYCLE): it is destroyed 7 days later. */
  recycledAt?: string;
}

export type DiskChange = Partial<Pick<DiskRecord, "diskName" | "deleteWithInstance" | "projectId" | "diskSize" | "diskType" | "state" | "instanceId" | "portable" | "deadline" | "renewFlag" | "recycledAt">>;

export interface DiskRepo {
  /** Adds standalone disks (an instance's own are written with it). */
  insert(records: readonly DiskRecord[]): Promise<void>;
  /** The account's disks in the region, oldest first (an account holds a few thousand at most). */
  list(appId: number, region: string): Promise<DiskRecord[]>;
  /** The account's disks in the region among `ids`, in any order. */
  find(appId: number, region: string, ids: readonly string[]): Promise<DiskRecord[]>;
  get(diskId: string): Promise<DiskRecord | undefined>;
  /** Disks of their own whose next term rule (domain/disk-due.ts) falls due at or before `until` (ms), by its index. */
  dueBy(until: number): Promise<DiskRecord[]>;
  /** When the next disk's term rule falls due after `after` (ms), if any. */
  nextDue(after: number): Promise<number | undefined>;
  /** Disks of every account attached to nothing (billed on their own: re-rating after a price change). */
  standalone(): Promise<DiskRecord[]>;
  /** The disks attached to (or on their way to or from) an instance. */
  ofInstance(instanceId: string): Promise<DiskRecord[]>;
  /** Applies a change if the disk is still in `expectState` when given; false when it was not. */
  update(diskId: string, change: DiskChange, expectState?: DiskState): Promise<boolean>;
  remove(diskId: string): Promise<void>;
  /**
   * As the instance is destroyed: its monthly data disks released (TerminateInstances' ReleasePrepaidDataDisks) or
   * detached and kept; the ones it took to the recycle bin (TORECYCLE) go with it.
   */
  releasePrepaidData(instanceId: string, release: boolean): Promise<void>;
}

export type SnapshotState = "CREATING" | "NORMAL";

export interface SnapshotRecord {
  snapshotId: string;
  appId: number;
  region: string;
  zone: string;
  diskId: string;
  diskUsage: "SYSTEM_DISK" | "DATA_DISK";
  /** GiB of the disk when it was taken. */
  diskSize: number;
  state: SnapshotState;
  snapshotName: string;
  encrypt: boolean;
  createdAt: string;
  /** The custom image it belongs to (CreateImage takes one of each disk), if any. */
  imageId: string | null;
  tags: { key: string; value: string }[];
}

export interface SnapshotRepo {
  insert(records: readonly SnapshotRecord[]): Promise<void>;
  /** The account's snapshots in the region, oldest first. */
  list(appId: number, region: string): Promise<SnapshotRecord[]>;
  get(snapshotId: string): Promise<SnapshotRecord | undefined>;
  /** The snapshots of these images, oldest first. */
  ofImages(imageIds: readonly string[]): Promise<SnapshotRecord[]>;
  /** Sets the state of a snapshot, or of every snapshot of an image. */
  setState(by: { snapshotId?: string; imageId?: string }, state: SnapshotState): Promise<void>;
  /** Unbinds an image's snapshots (the image is deleted, its snapshots kept). */
  release(imageId: string): Promise<void>;
  remove(snapshotIds: readonly string[]): Promise<void>;
}

/** A component of a resource's cost while it stays as it is: micro-units of the currency per hour. */
export interface MeterSpec {
  component: string;
  rate: number;
  /** What the figure is for (type, disk size, Mbps), shown in the bill. */
  detail: Record<string, string | number>;
}

/** What a resource costs as it is now, and the hour of it frozen on the account (pay-as-you-go). */
export interface Rating {
  meters: MeterSpec[];
  freeze: number;
}

/** The part of an instance its cost depends on, with the EIP bound to it (whose bandwidth may be paid already). */
export type RatedInstance = Pick<InstanceRecord, "instanceId" | "appId" | "region" | "zone" | "state" | "instanceType" | "chargeType" | "doc"> & {
  boundAddress?: Pick<AddressRecord, "chargeType" | "isolated">;
};

/** Prices resources for the store, which keeps every resource's meters and freeze in step with its record. */
export interface Rater {
  instance(r: RatedInstance): Rating;
  address(a: AddressRecord): Rating;
  /** A disk on its own (an attached disk is billed with its instance). */
  disk(d: DiskRecord): Rating;
}

export interface Balance {
  appId: number;
  /** Micro-units of the currency. */
  cash: number;
  owed: number;
  frozen: number;
  arrearsSince: string | null;
}

export interface MeterRecord extends MeterSpec {
  resourceId: string;
  appId: number;
  since: number;
  until: number | null;
}

/** One line of an account's bill: a settled hour of a resource, or a one-off charge or refund. */
export interface BillRecord {
  /** Digits, the pay day first, then a number the store draws from one sequence: unique across nodes and restarts. */
  billId: string;
  appId: number;
  /** YYYY-MM of `payTime`. */
  month: string;
  resourceId: string;
  payMode: "prePay" | "postPay";
  actionType: string;
  businessCode: string;
  region: string;
  /** Micro-units; negative for a refund. */
  amount: number;
  feeBegin: string;
  feeEnd: string;
  payTime: string;
  zone: string;
  resourceName: string;
  projectId: number;
  instanceType: string;
  components: BillComponent[];
}

/** A bill line to write: the store numbers it. */
export type NewBill = Omit<BillRecord, "billId">;

/** How far an account is settled (see AccountSettlementTable). */
export interface AccountSettlement {
  appId: number;
  /** The end of its last settled hour (ms). */
  settledUntil: number;
  /** The last resource settled of the hour after `settledUntil`, while that hour is settled in batches; "" otherwise. */
  resumeAfter: string;
  /** Runs in a row that could not settle it, and the last error. */
  failures: number;
  lastError: string | null;
}

export interface SettlementPosition extends AccountSettlement {
  firstUsage: number | undefined;
}

export interface BillComponent {
  component: string;
  /** Micro-units per hour (postPay) or per `timeSpan` months (prePay). */
  price: number;
  /** Seconds used (postPay) or months (prePay). */
  used: number;
  cost: number;
  detail: Record<string, string | number>;
}

export interface BillQuery {
  month: string;
  resourceId?: string;
  payMode?: string;
  actionType?: string;
  businessCode?: string;
  projectId?: number;
}

/** What bill lines may be summed by. */
export type BillGroupKey = "resourceId" | "payMode" | "actionType" | "businessCode" | "region";

/** Bill lines summed per distinct value of some of their members (BillGroupKey). */
export interface BillGroup {
  /** Micro-units. */
  amount: number;
  /** The earliest start among its lines. */
  feeBegin: string;
  /** Its most recent line: the group's own values, and what describes its resource now. */
  latest: BillRecord;
}

export interface BillingRepo {
  /** A service-wide value (the clock's offset, the metering mark). */
  state(key: string): Promise<string | undefined>;
  setState(key: string, value: string): Promise<void>;
  /**
   * Writes the numeric value `value` under `key` unless the stored one is higher, in one statement (nodes racing
   * cannot move it back); answers the value stored after it.
   */
  raiseState(key: string, value: number): Promise<number>;
  /** The account's money, opened with `initialCash` the first time it is asked for. */
  balance(appId: number, initialCash: number): Promise<Balance>;
  /** Takes `amount` from the cash, the rest as debt (arrears from `at` when there was none). */
  debit(appId: number, amount: number, at: string): Promise<void>;
  /** Pays debt first, then adds to the cash; arrears end when no debt is left. */
  credit(appId: number, amount: number): Promise<void>;
  /** Sets the cash an operator gives an account (debt is paid from it first). */
  setCash(appId: number, cash: number, initialCash: number): Promise<void>;
  /** Accounts in debt, with when it started. */
  inArrears(): Promise<{ appId: number; since: string }[]>;
  /** Opens the meters and freezes of resources just created, from `at` (ms). */
  start(resources: readonly { resourceId: string; appId: number; rating: Rating }[], at: number): Promise<void>;
  /** Makes the resource's open meters and freeze those of `rating`, from `at` (ms); unchanged ones stay open. */
  sync(resourceId: string, appId: number, rating: Rating, at: number): Promise<void>;
  /** Every account's settlement progress that has been written. */
  settlements(): Promise<AccountSettlement[]>;
  /**
   * Where each account's settlement goes on from, in one read: its written progress, or `from` (the common mark)
   * when it has none at or past it; with the first instant from there at which one of its meters runs, if any.
   */
  positions(from: number): Promise<SettlementPosition[]>;
  /**
   * Writes where the account is settled, never back: a position behind the stored one (a node's stale view) leaves
   * it. Positions order by hour, then by the last resource done ("" first).
   */
  setSettlement(s: AccountSettlement): Promise<void>;
  /**
   * Holds the account's settlement row until the transaction ends, so that two nodes never settle one batch
   * twice: answers undefined when nothing is settled past `from` (the batch is this transaction's to settle), else
   * the stored position, which another node has already reached.
   */
  holdSettlement(from: AccountSettlement): Promise<AccountSettlement | undefined>;
  /** The meters that ran during [from, to) (ms) of the account's first `resources` resources after `after` (by id). */
  accountMeters(appId: number, from: number, to: number, after: string, resources: number): Promise<MeterRecord[]>;
  /** The first instant at or after `from` at which one of the account's meters runs (any account's without one), if any does. */
  firstUsage(appId: number | undefined, from: number): Promise<number | undefined>;
  /** Removes up to `limit` meters closed at or before their account's settlement mark; answers how many. */
  pruneSettledMeters(limit: number): Promise<number>;
  /** Removes up to `limit` bill lines of months before `month` (yyyy-mm); answers how many. */
  pruneBills(month: string, limit: number): Promise<number>;
  /** Writes bill lines, numbering them. */
  addBills(bills: NewBill[]): Promise<void>;
  /** A page of the account's bill lines of a month, oldest first, and how many match. */
  bills(appId: number, q: BillQuery, offset: number, limit: number): Promise<{ total: number; records: BillRecord[] }>;
  /** The bill lines of `bills` (a project aside) summed per distinct `by`: a page of groups in the order of their first line, and how many there are. */
  billGroups(appId: number, q: Omit<BillQuery, "projectId">, by: readonly BillGroupKey[], offset: number, limit: number): Promise<{ total: number; groups: BillGroup[] }>;
}

export type ActionTimerStatus = "UNDO" | "DOING" | "DONE";

/** A scheduled action on an instance (TerminateInstances is the only one the API has). */
export interface ActionTimerRecord {
  actionTimerId: string;
  appId: number;
  region: string;
  instanceId: string;
  timerAction: string;
  /** ISO-8601 UTC to the second, on the service clock. */
  actionTime: string;
  /** Externals.ReleaseAddress; null when the request did not say. */
  releaseAddress: boolean | null;
  status: ActionTimerStatus;
  createdAt: string;
}

/** What a timer listing matches: every condition given, any of one condition's values (an empty list is no condition). */
export interface ActionTimerQuery {
  actionTimerIds?: readonly string[];
  instanceIds?: readonly string[];
  timerAction?: string;
  /** ISO times bounding ActionTime, inclusive. */
  from?: string;
  to?: string;
  statuses?: readonly ActionTimerStatus[];
}

export interface ActionTimerRepo {
  insert(records: readonly ActionTimerRecord[]): Promise<void>;
  /** The account's timers in the region matching `q`, by ActionTime, then in the order they were made. */
  list(appId: number, region: string, q: ActionTimerQuery): Promise<ActionTimerRecord[]>;
  /** Timers of every account that are to run by `at` (ISO): UNDO ones due, and DOING ones a crash interrupted. */
  due(at: string): Promise<ActionTimerRecord[]>;
  /** The earliest ActionTime of an UNDO timer after `after` (ISO), if any. */
  nextDue(after: string): Promise<string | undefined>;
  /** Sets a timer's status if it is still `expect`; false when it was not. */
  setStatus(actionTimerId: string, status: ActionTimerStatus, expect: ActionTimerStatus): Promise<boolean>;
  remove(actionTimerIds: readonly string[]): Promise<void>;
  /** Removes up to `limit` DONE timers of instances that are gone, run before `before` (ISO); answers how many. */
  prune(before: string, limit: number): Promise<number>;
}

/** An operation as the operator sees it beside its instance. */
export interface OperationRow {
  operationId: string;
  kind: string;
  requestId: string;
  status: string;
  attempts: number;
  createdAt: string;
}

/** The whole store as plain rows, with the migrations that shaped them. */
export interface StoreRows {
  schema: string[];
  tables: Record<string, Record<string, unknown>[]>;
}

/** Token buckets of the rate limit kept in the store, for nodes that share it (one node keeps its own in memory). */
export interface RateBucketRepo {
  /** Takes a token from `bucket`, which holds `rate` and refills `rate` a second; false when none is left. */
  take(bucket: string, rate: number): Promise<boolean>;
}

/** A web console session: the SHA-256 (hex) of its cookie's token, its account, CSRF token and expiry (ms, real time). */
export interface ConsoleSessionRecord {
  tokenHash: string;
  appId: number;
  csrf: string;
  expires: number;
}

/** The console's sessions, shared by every node on the store. */
export interface ConsoleSessionRepo {
  /** Adds a session; the account's sessions beyond the `keep` latest go, and now and then every expired one. */
  add(session: ConsoleSessionRecord, now: number, keep: number): Promise<void>;
  /** The session, unless it expired by `now`. */
  get(tokenHash: string, now: number): Promise<ConsoleSessionRecord | undefined>;
  remove(tokenHash: string): Promise<void>;
}

/** Console sign-in attempts counted per account and per client address over a window, shared by every node. */
export interface SignInAttemptRepo {
  /**
   * Counts one attempt against each counter, in a window of `windowMs` that starts at the counter's first attempt
   * (a window that has passed starts again now); answers each counter's attempts and window start after it.
   */
  count(counters: readonly string[], now: number, windowMs: number): Promise<Map<string, { attempts: number; since: number }>>;
  /** Takes back one attempt from `counter` (a sign-in that succeeded); `reset` forgets the counter altogether. */
  takeBack(counter: string, reset: boolean): Promise<void>;
}

export interface OperatorRepo {
  /** Instances of every account (or one), oldest first. */
  instanceIds(q: { appId?: number; state?: string; limit: number }): Promise<string[]>;
  operationsOf(instanceId: string): Promise<OperationRow[]>;
  /** How many instances are in each stored state. */
  instanceStates(): Promise<Map<string, number>>;
  /** Every bill line's amount (millionths) summed by its action type. */
  billedTotals(): Promise<Map<string, number>>;
  /** The account's API keys, oldest first (the SecretKey is not read). */
  keysOf(appId: number): Promise<{ secretId: string; enabled: boolean; createdAt: string }[]>;
  /** Instances, images, EIPs, key pairs, disks of their own, snapshots and CHC hosts the account holds. */
  resourceCount(appId: number): Promise<number>;
  /** Removes every row of the account, in one transaction. */
  deleteAccount(appId: number): Promise<void>;
  /** Every table's rows, or those of the tables named. */
  dump(only?: readonly string[]): Promise<StoreRows>;
  /** Replaces every table's rows with `rows`, in one transaction. */
  replace(rows: StoreRows): Promise<void>;
}

/** The kinds of resource the tag service reads and writes the tags of (each keeps its tags in its own rows). */
export type TaggedKind = "instance" | "keypair" | "image" | "sg" | "vpc" | "subnet" | "eip" | "volume" | "snapshot" | "host" | "hpc" | "launch-template" | "ps";

export interface TaggedResource {
  kind: TaggedKind;
  resourceId: string;
  region: string;
  tags: { key: string; value: string }[];
}

/** Which resources a tag lookup reads: every field given narrows it. */
export interface TaggedQuery {
  region?: string;
  kinds?: readonly TaggedKind[];
  resourceIds?: readonly string[];
}

/**
 * The tags of every kind of resource, read and written where the resource keeps them (instance_tags,
 * key_pair_tags, or the resource's document), so the tag service and each resource's own actions see one set.
 */
export interface TagRepo {
  /** The account's resources with their tags (untagged ones too), by kind then age. */
  resources(appId: number, q: TaggedQuery): Promise<TaggedResource[]>;
  /** Replaces a resource's tags; false when the account has no such resource in that region. */
  replace(appId: number, region: string, kind: TaggedKind, resourceId: string, tags: readonly { key: string; value: string }[]): Promise<boolean>;
}

/** A dedicated host (CDH), as bought; its capacity is its type's at purchase. */
export interface HostRecord {
  hostId: string;
  appId: number;
  region: string;
  zone: string;
  hostType: string;
  hostName: string;
  projectId: number;
  /** PENDING, LAUNCH_FAILURE, RUNNING or EXPIRED, as DescribeHosts documents. */
  state: string;
  renewFlag: string;
  hostIp: string;
  cpu: number;
  memory: number;
  disk: number;
  diskType: string;
  createdAt: string;
  expiredTime: string;
  tags: { key: string; value: string }[];
}

/** What the instances placed on a host hold of it. */
export interface HostUsage {
  instanceIds: string[];
  cpu: number;
  memory: number;
  disk: number;
}

export interface HostRepo {
  insert(records: readonly HostRecord[]): Promise<void>;
  /** The account's hosts in the region, oldest first. */
  list(appId: number, region: string): Promise<HostRecord[]>;
  /** Those of `ids` that are the account's in the region. */
  find(appId: number, region: string, ids: readonly string[]): Promise<HostRecord[]>;
  update(hostId: string, change: Partial<Pick<HostRecord, "hostName" | "projectId" | "renewFlag" | "state" | "expiredTime">>): Promise<void>;
  /** What the instances on each host hold (every state but TERMINATED and LAUNCH_FAILED). */
  usage(hostIds: readonly string[]): Promise<Map<string, HostUsage>>;
  /** Hosts in `states` whose term ends by `until` (ms). */
  expiring(states: readonly string[], until: number): Promise<HostRecord[]>;
  /** The earliest term end after `after` (ms) of a host in `states`. */
  nextExpiry(states: readonly string[], after: number): Promise<number | undefined>;
  /** Deletes a host (released at the end of its retention). */
  remove(hostId: string): Promise<void>;
}

/** An HPC cluster: a zone's group of instances joined by an RDMA network. */
export interface HpcClusterRecord {
  hpcClusterId: string;
  appId: number;
  region: string;
  zone: string;
  name: string;
  remark: string;
  /** STANDARD, CDC or CHC. */
  clusterType: string;
  createdAt: string;
  tags: { key: string; value: string }[];
}

/** The instances in a cluster (every state but TERMINATED and LAUNCH_FAILED) and the RDMA addresses they hold. */
export interface HpcMembers {
  instanceIds: string[];
  instanceTypes: string[];
  rdmaIps: string[];
}

export interface HpcClusterRepo {
  insert(record: HpcClusterRecord): Promise<void>;
  /** The account's clusters in the region, oldest first. */
  list(appId: number, region: string): Promise<HpcClusterRecord[]>;
  find(appId: number, region: string, ids: readonly string[]): Promise<HpcClusterRecord[]>;
  update(hpcClusterId: string, change: Partial<Pick<HpcClusterRecord, "name" | "remark">>): Promise<void>;
  remove(ids: readonly string[]): Promise<void>;
  members(ids: readonly string[]): Promise<Map<string, HpcMembers>>;
}

/** A resource pool pack: one machine of `instanceType`'s capacity in a zone, bought for a term. */
export interface PoolPackRecord {
  packId: string;
  appId: number;
  region: string;
  zone: string;
  packName: string;
  instanceType: string;
  instanceFamily: string;
  /** EXCLUSIVE. */
  packType: string;
  /** CREATING, ACTIVE, FAILED or RETIRED. */
  status: string;
  cpu: number;
  memory: number;
  autoPlacement: boolean;
  renewFlag: string;
  startTime: string;
  endTime: string;
}

/** What the instances drawing on a pack take of it (every state but TERMINATED and LAUNCH_FAILED). */
export interface PackUsage {
  instanceIds: string[];
  cpu: number;
  memory: number;
}

export interface PoolPackRepo {
  insert(records: readonly PoolPackRecord[]): Promise<void>;
  /** The account's packs in the region, oldest first. */
  list(appId: number, region: string): Promise<PoolPackRecord[]>;
  find(appId: number, region: string, ids: readonly string[]): Promise<PoolPackRecord[]>;
  setStatus(packId: string, status: string): Promise<void>;
  /** A renewed pack's new end of term. */
  setEndTime(packId: string, endTime: string): Promise<void>;
  /** Deletes packs (TerminateResourcePoolPacks removes their records). */
  remove(packIds: readonly string[]): Promise<void>;
  usage(ids: readonly string[]): Promise<Map<string, PackUsage>>;
  /** ACTIVE packs, of every account, whose term ends at or before `until` (ISO seconds). */
  expiring(until: string): Promise<PoolPackRecord[]>;
  /** The earliest end of term after `after` (ISO seconds) of an ACTIVE pack. */
  nextExpiry(after: string): Promise<string | undefined>;
}

/** What every account draws on, held by a transaction about to take part of it. */
export type CloudResource = "public-addresses" | "host-capacity";

export interface Store {
  accounts: AccountRepo;
  instances: InstanceRepo;
  operations: OperationRepo;
  networks: NetworkRepo;
  clientTokens: ClientTokenRepo;
  tasks: TaskRepo;
  keyPairs: KeyPairRepo;
  hosts: HostRepo;
  hpcClusters: HpcClusterRepo;
  poolPacks: PoolPackRepo;
  images: ImageRepo;
  addresses: AddressRepo;
  disks: DiskRepo;
  snapshots: SnapshotRepo;
  securityGroups: SecurityGroupRepo;
  billing: BillingRepo;
  actionTimers: ActionTimerRepo;
  tags: TagRepo;
  launchTemplates: LaunchTemplateRepo;
  placementGroups: PlacementGroupRepo;
  repairTasks: RepairTaskRepo;
  chcHosts: ChcHostRepo;
  operator: OperatorRepo;
  rateBuckets: RateBucketRepo;
  consoleSessions: ConsoleSessionRepo;
  signInAttempts: SignInAttemptRepo;
  /**
   * Runs `fn` in one transaction, which no other writing transaction over the same data interleaves with on any
   * node; inside one already, joins it. Scoped to `accounts`, it may write only those accounts' rows and the
   * cloud-wide resources it `hold`s, and runs beside other accounts' transactions; without, it runs by itself.
   */
  transaction<T>(fn: (tx: Store) => Promise<T>, accounts?: number | readonly number[]): Promise<T>;
  /** Inside a transaction: holds the cloud-wide resource `name` (the public address pool, the host's capacity) until it ends. */
  hold(name: CloudResource): Promise<void>;
  /** Whether `e` says the database could not write (a full or failing disk), as the dialect in use reports it. */
  isStorageFailure(e: unknown): boolean;
  /** Whether other server nodes may share this store (PostgreSQL), so that no node may assume it is alone. */
  readonly shared: boolean;
  /** Calls `fn` whenever any node added operations (on a store only one node uses, never: it kicks itself). */
  onWork(fn: () => void): Promise<void>;
  /** Tells every node's `onNews` listener (this one's too) `message`, a few KB at most; a store one node uses: no one. */
  announceNews(message: string): Promise<void>;
  /** Calls `fn` with each message any node announced (on a store only one node uses, never). */
  onNews(fn: (message: string) => void): Promise<void>;
  /** Whether this node leads the periodic job `name`; a node that dies loses its leads to the next that asks. */
  lead(name: string): Promise<boolean>;
  close(): Promise<void>;
}
