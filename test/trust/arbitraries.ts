// Request generators for the fuzzer, built from the generated spec: for an action's input object, a record of its
// members with values of the declared shape (drawn mostly from values that mean something to OpenCVM: real ids of
// this account and another, zones, types, documented enums) and, now and then, values of the wrong type, missing
// required members, unknown members, huge and negative numbers, empty, very long and unicode strings, malformed ids
// and lists with gaps.
import fc from "fast-check";
import { IMPORTABLE_OS } from "../../src/catalog/images.js";
import type { MemberSpec, ServiceSpec } from "../../src/api/spec-types.js";

/** Real resources the generated values mix in: the caller's own and another account's. */
export interface Pools {
  instances: string[];
  otherInstances: string[];
  keyIds: string[];
  otherKeyIds: string[];
  images: string[];
  otherImages: string[];
  uins: string[];
  vpcIds: string[];
  subnetIds: string[];
  addresses: string[];
  otherAddresses: string[];
  securityGroups: string[];
  otherSecurityGroups: string[];
  publicKeys: string[];
  /** Disk image sources for ImportImage: a readable raw disk, a missing file, a refused URL. */
  imageSources: string[];
  /** Action timer ids (UUIDs). */
  actionTimers: string[];
  otherActionTimers: string[];
  /** Dedicated hosts and HPC clusters. */
  hosts: string[];
  otherHosts: string[];
  hpcClusters: string[];
  otherHpcClusters: string[];
  /** Resource pool packs. */
  packs: string[];
  otherPacks: string[];
  /** Cloud disks (an instance's and standalone ones) and snapshots. */
  disks: string[];
  otherDisks: string[];
  snapshots: string[];
  otherSnapshots: string[];
  launchTemplates: string[];
  otherLaunchTemplates: string[];
  placementGroups: string[];
  otherPlacementGroups: string[];
  /** CHC hosts an operator registered. */
  chcHosts: string[];
  otherChcHosts: string[];
}

/** Marks a member left out of its object. */
const ABSENT = Symbol("absent");
type Maybe = unknown | typeof ABSENT;

const PUBLIC_IMAGES = ["img-487zeit5", "img-9qrfy1xt", "img-eb30mz89", "img-hdt9xxkt"];
const ZONES = ["ap-guangzhou-3", "ap-guangzhou-4", "ap-guangzhou-6", "ap-guangzhou-1", "ap-shanghai-2", "ap-guangzhou-99"];
const REGIONS = ["ap-guangzhou", "ap-shanghai", "ap-beijing", "ap-nanjing", "ap-nowhere"];
const TYPES = ["S5.MEDIUM4", "S5.SMALL1", "SA2.MEDIUM4", "M5.SMALL8", "HCCIC5.24XLARGE384", "S5.4XLARGE64", "S5.HUGE999", "s5.medium4", "S5"];
const FILTER_NAMES = [
  "zone", "instance-id", "instance-name", "instance-state", "instance-type", "instance-family", "instance-charge-type",
  "project-id", "private-ip-address", "public-ip-address", "vpc-id", "subnet-id", "security-group-id", "tag-key",
  "tag-value", "tag:env", "tag:", "image-id", "image-type", "image-name", "image-family", "platform", "key-name",
  "key-id", "creation-start-time", "creation-end-time", "name-contains", "status", "host-id", "host-name", "host-state",
  "host-type", "dedicated-resource-pack-id", "no-such-filter",
  "disk-id", "disk-usage", "disk-state", "disk-type", "snapshot-id", "snapshot-state",
  // Names an object literal used as a lookup table answers from its prototype.
  "__proto__", "constructor", "toString", "hasOwnProperty",
];
const MALFORMED_IDS = ["ins-", "ins-ZZZ", "ins-00000000", "INS-ABCDEF12", "ins-abcdefgh1", "img-", "img-ZZZ", "img-00000000", "skey-", "skey-ZZZZZZZZ", "skey-00000000", "vpc-", "subnet-x"];
const STRANGE = [
  "", " ", "  padded  ", "\t", "\n", "\u0000", "%", "%zz", "%%41", "&a=b", "a.b", "Name.0", "null", "true", "-1", "1e309",
  "😀", "中文名称", "\u202e\u0041", "\ud800", "'; DROP TABLE instances;--", "../../etc/passwd", "<script>", "a\u0301",
  "__proto__", "constructor", "toString", "valueOf",
];
const THIS_MONTH = new Date().toISOString().slice(0, 7);
/** ISO-8601 UTC `ms` from now (the fuzzer's clock is real time): an ActionTime must be 5 minutes ahead at least. */
const fromNow = (ms: number) => new Date(Date.now() + ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const LONG = ["x".repeat(61), "x".repeat(256), "长".repeat(300), "y".repeat(5000), "z".repeat(40000)];

const b64 = (s: string) => Buffer.from(s).toString("base64");

/** Values of a string member that mean something to OpenCVM, by the member's name (a list's elements by its name). */
function knownStrings(name: string, pools: Pools): string[] {
  switch (name) {
    case "InstanceId":
    case "InstanceIds":
      return [...pools.instances, ...pools.instances, ...pools.otherInstances, "ins-", "ins-ZZZ", "ins-00000000", "img-487zeit5"];
    case "ImageId":
    case "ImageIds":
      return [...PUBLIC_IMAGES, ...pools.images, ...pools.images, ...pools.otherImages, "img-", "img-ZZZ", "img-00000000", "ins-00000000"];
    case "KeyId":
    case "KeyIds":
      return [...pools.keyIds, ...pools.keyIds, ...pools.otherKeyIds, "skey-", "skey-ZZZZZZZZ", "skey-00000000"];
    case "Zone":
      return ZONES;
    case "HostId":
    case "HostIds":
      return [...pools.hosts, ...pools.hosts, ...pools.otherHosts, "host-", "host-ZZZZZZZZ", "host-00000000"];
    case "HostType":
      return ["HS1", "HS50", "HC50", "HSA20", "hs1", "NOPE"];
    case "HostChargeType":
      return ["PREPAID", "POSTPAID_BY_HOUR", "prepaid"];
    case "HpcClusterId":
    case "HpcClusterIds":
      return [...pools.hpcClusters, ...pools.hpcClusters, ...pools.otherHpcClusters, "hpc-", "hpc-ZZZZZZZZ", "hpc-00000000"];
    case "DedicatedResourcePackIds":
      return [...pools.packs, ...pools.packs, ...pools.otherPacks, "rpp-", "rpp-ZZZZZZZZ", "rpp-00000000"];
    case "DedicatedResourcePackTenancy":
      return ["ResourcePool", "ResourcePool", "Dedicated"];
    case "ResourcePoolPackType":
      return ["EXCLUSIVE", "SHARED", "exclusive"];
    case "HpcClusterType":
      return ["STANDARD", "CHC", "CDC", "standard"];
    case "DestinationRegions":
    case "Region":
      return REGIONS;
    case "InstanceType":
      return TYPES;
    case "InstanceChargeType":
      return ["POSTPAID_BY_HOUR", "PREPAID", "SPOTPAID", "CDHPAID", "postpaid_by_hour"];
    case "DiskType":
      return ["CLOUD_PREMIUM", "CLOUD_SSD", "LOCAL_BASIC", "CLOUD_HSSD", "FLOPPY"];
    case "InternetChargeType":
      return ["TRAFFIC_POSTPAID_BY_HOUR", "BANDWIDTH_POSTPAID_BY_HOUR", "BANDWIDTH_PACKAGE", "FREE"];
    case "RenewFlag":
      return ["NOTIFY_AND_AUTO_RENEW", "NOTIFY_AND_MANUAL_RENEW", "DISABLE_NOTIFY_AND_MANUAL_RENEW", "SOMETIMES"];
    case "StopType":
      return ["SOFT", "HARD", "SOFT_FIRST", "GENTLE"];
    case "StoppedMode":
      return ["KEEP_CHARGING", "STOP_CHARGING", "FREE"];
    case "Password":
      return ["Fuzz-Passw0rd!", "Aa1!Aa1!Aa1!", "short", "nouppercase1!", "x".repeat(41)];
    case "UserName":
      return ["root", "ubuntu", "Administrator", "nobody", ""];
    case "KeyName":
      return ["fuzz_key", "fuzz_key_2", "k", "a".repeat(25), "a".repeat(26), "bad name", "名字", ""];
    case "ImageName":
      return ["fuzz-image", "fuzz image 2", "a".repeat(60), "a".repeat(61), ""];
    case "InstanceName":
      return ["fuzz", "fuzz-{R:3}", "web-{R:1}-x", "a".repeat(60), "a".repeat(129), ""];
    case "HostName":
      return ["fuzz-host", "web{R:1}", "Bad_Host", "-leading", "a".repeat(60), "a.b.c", ""];
    case "PublicKey":
      return [...pools.publicKeys, "ssh-rsa AAAA", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBad", "not a key", ""];
    case "AccountIds":
      return [...pools.uins, "100000000000", "abc", "-1", "1e3"];
    case "Permission":
      return ["SHARE", "CANCEL", "share", "OWN"];
    case "Operation":
      return ["INSTANCE_DEGRADE", "INTERNET_CHARGE_TYPE_CHANGE", "REBOOT"];
    case "Attributes":
      return ["UserData", "Password", "userdata"];
    case "UserData":
      return [b64("#!/bin/sh\necho fuzz\n"), "not base64!", b64("x".repeat(17000)), ""];
    case "ForcePoweroff":
    case "Sysprep":
    case "KeepImageLogin":
      return ["TRUE", "FALSE", "true", "maybe"];
    case "VpcId":
      return [...pools.vpcIds, "vpc-", "vpc-00000000"];
    case "SubnetId":
      return [...pools.subnetIds, "subnet-", "subnet-00000000"];
    case "PrivateIpAddresses":
      return ["172.16.0.200", "172.16.48.10", "172.16.0.0", "10.0.0.1", "256.1.1.1", "::1", "x"];
    case "SecurityGroupId":
    case "SecurityGroupIds":
    case "SecurityGroups":
      return [...pools.securityGroups, ...pools.securityGroups, ...pools.otherSecurityGroups, "sg-12345678", "sg-", "x"];
    case "GroupName":
      return ["fuzz-sg", "default", "g".repeat(60), "g".repeat(61), ""];
    case "GroupDescription":
    case "PolicyDescription":
      return ["fuzz", "d".repeat(100), "d".repeat(101), ""];
    case "Protocol":
      return ["TCP", "UDP", "ICMP", "ICMPv6", "ALL", "tcp", "GRE", "x"];
    case "Port":
      return ["22", "80,443", "8000-8010", "ALL", "0", "65536", "10-1", "x"];
    case "Action":
      return ["ACCEPT", "DROP", "accept", "ALLOW"];
    case "Ipv6CidrBlock":
      return ["::/0", "2001:db8::/32", "2001:db8::/129", "x"];
    case "Version":
      return ["0", "1", "2", "99", "-1", "x"];
    case "OrderField":
      return ["CreatedTime", "UpdateTime", "SecurityGroupName", "__proto__", "x"];
    case "OrderDirection":
      return ["ASC", "DESC", "x"];
    case "ResourceType":
      return ["instance", "keypair", "image", "disk", "INSTANCE"];
    case "Key":
      return ["env", "team", "qcloud:reserved", "tencent:x", "", "k".repeat(128)];
    case "Value":
      return ["prod", "", "v".repeat(256)];
    case "OsType":
      return [...IMPORTABLE_OS.map((o) => o.osName), "BeOS"];
    case "OsVersion":
      return [...new Set(IMPORTABLE_OS.flatMap((o) => o.versions)), "99"];
    case "Architecture":
      return ["x86_64", "i386", "arm64", "mips"];
    case "ImageUrl":
      return pools.imageSources;
    case "ImageFamily":
      return ["fuzz-family", "1bad", "a".repeat(61)];
    case "ImageDescription":
    case "Description":
      return ["fuzz", "d".repeat(60), "d".repeat(61), "d".repeat(257)];
    case "LaunchTemplateId":
    case "LaunchTemplateIds":
      return [...pools.launchTemplates, ...pools.launchTemplates, ...pools.otherLaunchTemplates, "lt-", "lt-ZZZ", "lt-00000000"];
    case "ChcIds":
      return [...pools.chcHosts, ...pools.chcHosts, ...pools.otherChcHosts, "chc-", "chc-ZZZZZZZZ", "chc-00000000"];
    case "NetworkMode":
      return ["DEPLOY", "BUSINESS", "deploy", "x"];
    case "BootType":
      return ["x86_legacy", "x86_uefi", "arm_uefi", "bios"];
    case "MiniOsType":
      return ["public", "private", ""];
    case "DisasterRecoverGroupId":
    case "DisasterRecoverGroupIds":
      return [...pools.placementGroups, ...pools.placementGroups, ...pools.otherPlacementGroups, "ps-", "ps-ZZZ", "ps-00000000"];
    case "Type":
      return ["HOST", "SW", "RACK", "host", "ZONE"];
    case "Strategy":
      return ["SPREAD", "PARTITION", "x"];
    case "Operate":
      return ["AuthorizeRepair", "authorizerepair", "x"];
    case "Product":
      return ["CVM", "CDH", "CPM2.0", "cvm"];
    case "OrderAuthTime":
    case "StartDate":
    case "EndDate":
      return ["2020-01-01 00:00:00", new Date(Date.now() + 3_600_000).toISOString().slice(0, 19).replace("T", " "), "not-a-date", ""];
    case "LaunchTemplateName":
      return ["fuzz-template", "t", "t".repeat(128), "t".repeat(129), " padded", "模板"];
    case "LaunchTemplateVersionDescription":
      return ["fuzz version", "d", "d".repeat(256), "d".repeat(257)];
    case "TemplateDataModifyAction":
      return ["Update", "Replace", "update", "x"];
    case "ClientToken":
      return ["fuzz-token-1", "fuzz-token-2", "t".repeat(65)];
    case "MarketType":
      return ["spot", "SPOT"];
    case "Name":
      return FILTER_NAMES;
    case "Values":
      return [
        ...ZONES.slice(0, 2), ...pools.instances.slice(0, 2), ...pools.otherInstances.slice(0, 1), ...pools.images.slice(0, 1),
        ...pools.keyIds.slice(0, 1), "RUNNING", "STOPPED", "PRIVATE_IMAGE", "PUBLIC_IMAGE", "SHARED_IMAGE", "0", "1", "-1",
        "S5.MEDIUM4", "S5", "172.16.0.2", "prod", "fuzz", "2020-01-01 00:00:00", "not-a-date", "LINUX",
      ];
    case "VpcIds":
      return [...pools.vpcIds, "vpc-", "vpc-00000000", "subnet-00000000"];
    case "SubnetIds":
      return [...pools.subnetIds, "subnet-", "subnet-00000000", "vpc-00000000"];
    case "CidrBlock":
      return ["10.0.0.0/16", "10.1.0.0/24", "172.16.0.0/16", "172.16.64.0/20", "192.168.0.0/24", "10.0.0.0/8", "10.0.0.0/30", "10.0.0.1/16", "1.2.3.0/24", "10.0.0.0/33", "10.0.0.0"];
    case "VpcName":
    case "SubnetName":
      return ["fuzz-net", "n".repeat(60), "n".repeat(61), "网络"];
    case "EnableMulticast":
    case "EnableBroadcast":
      return ["true", "false", "TRUE", "maybe"];
    case "DnsServers":
      return ["183.60.83.19", "8.8.8.8", "999.1.1.1", "dns.example"];
    case "DomainName":
      return ["local", "example.internal", "-bad-"];
    case "Limit":
    case "Offset":
      return ["0", "1", "20", "100", "101", "-1", "abc", "1.5", "99999999999999999999"];
    case "NextToken":
      return ["", "x", "0"];
    case "AddressId":
    case "AddressIds":
      return [...pools.addresses, ...pools.addresses, ...pools.otherAddresses, "eip-", "eip-00000000", "eip-ZZZ"];
    case "InternetServiceProvider":
      return ["BGP", "CMCC", "CTCC", "NOPE"];
    case "AddressType":
      return ["EIP", "AnycastEIP", "HighQualityEIP", "WanIP"];
    case "AddressName":
      return ["fuzz-eip", "e".repeat(128), "e".repeat(129)];
    case "InstanceRegion":
      return REGIONS;
    case "PrivateIpAddress":
      return ["172.16.0.2", "10.0.0.5", "x"];
    case "StartTime":
      return ["2026-01-01", "2026-01-01 00:00:00", "yesterday"];
    // The billing service's months (yyyy-mm) and times within one (yyyy-mm-dd hh:ii:ss).
    case "BeginTime":
    case "EndTime":
    case "Month":
      return [THIS_MONTH, THIS_MONTH, THIS_MONTH, THIS_MONTH, `${THIS_MONTH}-01 00:00:00`, `${THIS_MONTH}-28 23:59:59`, "2024-13", "2024-02-30 00:00:00", "yesterday"];
    case "PayMode":
      return ["prePay", "postPay", "PREPAY"];
    case "ActionType":
      return ["按量计费小时结", "Pay-as-you-go hourly settlement", "postpay_deduct_h", "包年包月新购", "pre_purchase", "按量计费日结", "x"];
    case "BusinessCode":
      return ["p_cvm", "p_eip", "p_cdn"];
    case "PeriodType":
      return ["byUsedTime", "byPayTime", "byMoon"];
    case "PayType":
      return ["consume", "refund", "adjustment", "gift"];
    case "ResourceId":
      return [...pools.instances, ...pools.otherInstances, ...pools.addresses, "ins-00000000"];
    case "PayerUin":
      return [...pools.uins, "100000000000", "abc"];
    case "IPChargeType":
      return ["", "x"];
    case "ActionTimerIds":
      return [...pools.actionTimers, ...pools.actionTimers, ...pools.otherActionTimers, "865d042d-0219-46c3-9821-6028c96cfb7c", "at-12345678", "865D042D-0219-46C3-9821-6028C96CFB7C"];
    case "TimerAction":
      return ["TerminateInstances", "TerminateInstances", "TerminateInstances", "StopInstances", "terminateinstances"];
    case "ActionTime":
      // Accepted ones a day ahead or more: none falls due while the fuzzer compares snapshots.
      return [fromNow(86_400_000), fromNow(86_400_000), fromNow(30 * 86_400_000), fromNow(60_000), fromNow(-3_600_000), "2018-05-29T11:26:40Z", fromNow(86_400_000).replace("T", " ").replace("Z", ""), "2030-02-30T00:00:00Z", "tomorrow"];
    case "StartActionTime":
    case "EndActionTime":
      return [fromNow(0), fromNow(86_400_000), fromNow(86_400_000).replace("T", " ").replace("Z", ""), "2018-05-01 19:00:00", "2018-13-01 00:00:00", "later"];
    case "StatusList":
      return ["UNDO", "DOING", "DONE", "undo", "PENDING"];
    case "SnapshotIds":
    case "SnapshotId":
      return [...pools.snapshots, ...pools.snapshots, ...pools.otherSnapshots, "snap-12345678", "snap-", "disk-00000000"];
    case "DiskId":
    case "DiskIds":
    case "DataDiskIds":
      return [...pools.disks, ...pools.disks, ...pools.otherDisks, "disk-00000000", "disk-", "disk-ZZZ", "snap-12345678"];
    case "DiskChargeType":
      return ["POSTPAID_BY_HOUR", "POSTPAID_BY_HOUR", "PREPAID", "CDCPAID", "postpaid_by_hour"];
    case "InquiryType":
      return ["INQUIRY_CBS_CONFIG", "INQUIRY_CVM_CONFIG", "INQUIRY_NOTHING"];
    case "DiskUsage":
      return ["SYSTEM_DISK", "DATA_DISK", "ROOT"];
    default:
      return [];
  }
}

/** Integers that mean something for a member, by name. */
function knownInts(name: string): number[] {
  switch (name) {
    case "Limit":
    case "Offset":
      return [0, 1, 2, 20, 100, 101];
    case "InstanceCount":
    case "MinCount":
    case "AddressCount":
      return [1, 1, 2, 3, 0, 101];
    case "DiskSize":
      return [20, 50, 60, 100, 10, 15, 1025, 32001];
    case "ProjectId":
      return [0, 0, 1, 7];
    case "NeedRecordNum":
      return [0, 1, 2];
    case "Period":
      return [1, 12, 13, 0];
    case "InternetMaxBandwidthOut":
      return [0, 1, 100, 201];
    default:
      return [0, 1, 2, 5];
  }
}

const WEIRD_INTS: unknown[] = [-1, -(2 ** 31), 2 ** 31, 2 ** 53, -(2 ** 53) - 2, 2n ** 64n, -(10n ** 30n), 1e20, 1.5, -0.5, Number.NaN];

function genericString(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ maxLength: 16 }) },
    { weight: 2, arbitrary: fc.fullUnicodeString({ maxLength: 12 }) },
    { weight: 3, arbitrary: fc.constantFrom(...STRANGE, ...MALFORMED_IDS) },
    { weight: 1, arbitrary: fc.constantFrom(...LONG) },
  );
}

/** Values of a type other than the member's. */
function wrongType(m: MemberSpec): fc.Arbitrary<unknown> {
  const objects = fc.constantFrom<unknown>({}, { Nested: { Deeper: ["x"] } }, { "0": "a", "1": "b" });
  switch (m.type) {
    case "string":
      return fc.oneof(objects, fc.constantFrom<unknown>(["x"], [["nested"]], []));
    case "int":
      return fc.constantFrom<unknown>("abc", "1.5", "", " 7 ", "0x10", "1e3", true, {}, ["1"], 1.25);
    case "float":
      return fc.constantFrom<unknown>("abc", "", true, {}, ["1"]);
    case "bool":
      return fc.constantFrom<unknown>("yes", "1", 2, "", {}, ["true"]);
    case "list":
      return fc.constantFrom<unknown>("scalar", 5, true, { a: 1 }, { "0": "x", "2": "y" }, [[["deep"]]], [{}]);
    case "object":
      return fc.constantFrom<unknown>("text", 7, ["a"], [], [{ Zone: "ap-guangzhou-3" }]);
  }
}

export interface Shape {
  spec: ServiceSpec;
  pools: Pools;
  /**
   * Tame requests carry no wrong types, nulls, unknown members or random strings, few optional members and short
   * lists: they get past validation and the first checks far more often, into what an action does.
   */
  tame?: boolean;
}

function scalarArb(type: string, name: string, pools: Pools, tame = false): fc.Arbitrary<unknown> {
  if (tame) {
    if (type === "int" || type === "int64" || type === "uint64") return fc.constantFrom(...knownInts(name));
    if (type === "bool") return fc.boolean();
    if (type === "float" || type === "double") return fc.constantFrom(0, 1, 2.5);
    const known = knownStrings(name, pools);
    return known.length ? fc.constantFrom(...known) : fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/);
  }
  switch (type) {
    case "int":
    case "int64":
    case "uint64":
      return fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...knownInts(name)) },
        { weight: 2, arbitrary: fc.integer({ min: -5, max: 300 }) },
        { weight: 2, arbitrary: fc.constantFrom(...WEIRD_INTS) },
      );
    case "float":
    case "double":
      return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, 1, -1, 1e308));
    case "bool":
      return fc.oneof({ weight: 8, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.constantFrom("TRUE", "False", "0") });
    default: {
      const known = knownStrings(name, pools);
      if (!known.length) return genericString();
      return fc.oneof({ weight: 7, arbitrary: fc.constantFrom(...known) }, { weight: 3, arbitrary: genericString() });
    }
  }
}

function listArb(element: fc.Arbitrary<unknown>, required: boolean, scalar: boolean): fc.Arbitrary<unknown> {
  const choices: fc.WeightedArbitrary<unknown>[] = [
    { weight: 10, arbitrary: fc.array(element, { minLength: required ? 1 : 0, maxLength: 4 }) },
    // Gaps: null elements (the SDK leaves them out of a flattened query, so the indexes skip) and holes.
    { weight: 2, arbitrary: fc.tuple(fc.array(element, { minLength: 1, maxLength: 3 }), fc.nat(3)).map(([xs, at]) => [...xs.slice(0, at), null, ...xs.slice(at)]) },
    { weight: 1, arbitrary: fc.tuple(element, element).map(([a, b]) => { const xs: unknown[] = [a]; xs[3] = b; return xs; }) },
    { weight: 1, arbitrary: fc.constant([]) },
    // The same element twice (an id, an account, a tag).
    { weight: 2, arbitrary: element.map((e) => [e, e]) },
  ];
  // Far more elements than any action takes (the same one repeated: duplicates as well as a limit); of scalars
  // only, or a list of objects holding long lists of long strings would not fit in a string.
  if (scalar) choices.push({ weight: 1, arbitrary: fc.tuple(element, fc.integer({ min: 95, max: 130 })).map(([e, n]) => Array.from({ length: n }, () => e)) });
  return fc.oneof(...choices);
}

function memberArb(shape: Shape, m: MemberSpec, depth: number): fc.Arbitrary<unknown> {
  let valid: fc.Arbitrary<unknown>;
  if (m.type === "object") valid = objectArb(shape, m.member, depth + 1);
  else if (m.type === "list") {
    const element = shape.spec.objects[m.member] ? objectArb(shape, m.member, depth + 1) : scalarArb(m.member, m.name, shape.pools, shape.tame);
    valid = shape.tame ? fc.array(element, { minLength: 1, maxLength: 2 }) : listArb(element, m.required === true, !shape.spec.objects[m.member]);
  } else valid = scalarArb(m.type === "int" ? m.member : m.type, m.name, shape.pools, shape.tame);
  if (shape.tame) return valid;
  return fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: wrongType(m) }, { weight: 1, arbitrary: fc.constant(null) });
}

/** Members the spec leaves optional that an action cannot do without: drawn as if required. */
const NEEDED = new Set(["ActionTimer.TimerAction", "ActionTimer.ActionTime"]);

const UNKNOWN_MEMBERS = ["Foo", "instanceIds", "InstanceIDs", "Limit ", "Filters.0", "X-TC-Action", "constructor", "toString", "中文"];

/** The members of an object: required ones nearly always, optional ones now and then, an unknown one rarely. */
export function objectArb(shape: Shape, objectName: string, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const members = shape.spec.objects[objectName];
  if (!members) throw new Error(`no object ${objectName}`);
  if (depth > 5) return fc.constant({});
  const parts = members.map((m) => {
    const value = memberArb(shape, m, depth) as fc.Arbitrary<Maybe>;
    const required = m.required || NEEDED.has(`${objectName}.${m.name}`);
    if (shape.tame && required) return value;
    const [absent, present] = shape.tame ? [5, 1] : required ? [1, 19] : [6, 4];
    return fc.oneof({ weight: absent, arbitrary: fc.constant<Maybe>(ABSENT) }, { weight: present, arbitrary: value });
  });
  const unknownMember = fc.tuple(fc.constantFrom(...UNKNOWN_MEMBERS), fc.constantFrom<unknown>("x", 1, ["a"]));
  const extra: fc.Arbitrary<[string, unknown] | undefined> = shape.tame
    ? fc.constant(undefined)
    : fc.oneof({ weight: 29, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: unknownMember });
  return fc.tuple(fc.tuple(...parts), extra).map(([values, unknown]) => {
    const out: Record<string, unknown> = {};
    members.forEach((m, i) => {
      if (values[i] !== ABSENT) out[m.name] = values[i];
    });
    if (unknown) out[unknown[0]] = unknown[1];
    return out;
  });
}
