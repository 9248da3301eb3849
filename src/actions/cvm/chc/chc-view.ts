// A CHC host as DescribeChcHosts shows it, and that action's Filters. A network not configured is shown with empty
// members rather than left out, since the API always returns them.
import type { RequestContext } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import type { Catalog } from "../../../domain/catalog.js";
import { OPERATION_NAMES, type ChcNetwork } from "../../../domain/chc-hosts.js";
import { spacedTime } from "../../../domain/dates.js";
import { fail } from "../../../domain/errors.js";
import type { ChcHostRecord } from "../../../store/store.js";
import { invalid } from "../../shared/refusals.js";

const NO_EXTRA = { MiniOsType: "", BootType: "", BootFile: "", NextServerAddress: "" };

const network = (n: ChcNetwork | null): cvm.VirtualPrivateCloud =>
  n ? { VpcId: n.vpcId, SubnetId: n.subnetId, AsVpcGateway: false, PrivateIpAddresses: [n.ip], Ipv6AddressCount: 0 } : { VpcId: "", SubnetId: "", AsVpcGateway: false };

export function chcView(h: ChcHostRecord): cvm.ChcHost {
  const d = h.doc;
  return {
    ChcId: h.chcId,
    InstanceName: d.instanceName,
    SerialNumber: h.serialNumber,
    InstanceState: h.state,
    DeviceType: d.deviceType,
    Placement: { Zone: h.zone, ProjectId: 0 },
    BmcVirtualPrivateCloud: network(d.bmc),
    BmcIp: d.bmc?.ip ?? "",
    BmcSecurityGroupIds: d.bmc?.securityGroupIds ?? [],
    DeployVirtualPrivateCloud: network(d.deploy),
    DeployIp: d.deploy?.ip ?? "",
    DeploySecurityGroupIds: d.deploy?.securityGroupIds ?? [],
    CvmInstanceId: d.cvmInstanceId ?? "",
    CreatedTime: spacedTime(h.createdAt),
    HardwareDescription: `${d.cpu}核 ${d.memory}GB ${d.disk}`,
    CPU: d.cpu,
    Memory: d.memory,
    Disk: d.disk,
    BmcMAC: d.bmc?.mac ?? "",
    DeployMAC: d.deploy?.mac ?? "",
    TenantType: d.tenantType,
    DeployExtraConfig: d.deployExtra ?? NO_EXTRA,
    Gpu: d.gpu,
    NetworkCard: d.networkCard,
    IsPredefinedType: false,
    ChcInstanceType: "",
    ChcInstanceFamily: "",
    ChcInstanceFamilyName: "",
    ResaleAppId: "",
    ResaleAccountId: "",
    SaleStatus: "NOT_FOR_SALE",
    Tags: d.tags.map((t) => ({ Key: t.key, Value: t.value })),
    LatestOperation: d.latestOperation ?? "",
    LatestOperationErrorCode: "",
    LatestOperationErrorMsg: "",
    LatestOperationName: d.latestOperation ? (OPERATION_NAMES[d.latestOperation] ?? d.latestOperation) : "",
    LatestOperationState: d.latestOperationState ?? "",
    ChcGatewayId: "",
    DedicatedClusterId: "",
    NetworkMode: d.networkMode,
  };
}

const MAX_FILTERS = 10;
const MAX_VALUES = 5;
const CHC_FILTERS = ["zone", "instance-name", "instance-state", "device-type", "vpc-id", "subnet-id", "sn"];

type Test = (h: ChcHostRecord) => boolean;
const networks = (h: ChcHostRecord) => [h.doc.bmc, h.doc.deploy].filter((n) => n !== null);

/** DescribeChcHosts' filters: they AND together, the values of one OR. */
export function chcFilter(ctx: RequestContext, catalog: Catalog, filters: readonly cvm.FilterIn[]): Test {
  if (filters.length > MAX_FILTERS) throw fail("InvalidFilterValue.LimitExceeded", `At most ${MAX_FILTERS} filters, not ${filters.length}.`, `过滤条件最多 ${MAX_FILTERS} 个，当前 ${filters.length} 个。`);
  const tests = filters.map(({ Name: name, Values: values }, i): Test => {
    const field = `Filters.${i}.Values`;
    if (values.length > MAX_VALUES) throw fail("InvalidFilterValue.LimitExceeded", `Filter \`${name}\` (Filters.${i}) takes at most ${MAX_VALUES} values.`, `过滤条件 \`${name}\`（Filters.${i}）最多 ${MAX_VALUES} 个取值。`);
    switch (name) {
      case "zone": {
        const foreign = values.find((z) => !catalog.zone(ctx.region!, z));
        if (foreign !== undefined) throw invalid("InvalidZone.MismatchRegion", field, foreign, `it is not a zone of ${ctx.region}`, `不是 ${ctx.region} 的可用区`);
        return (h) => values.includes(h.zone);
      }
      case "instance-name":
        return (h) => values.includes(h.doc.instanceName);
      case "instance-state":
        return (h) => values.includes(h.state);
      case "device-type":
        return (h) => values.includes(h.doc.deviceType);
      case "vpc-id": {
        const bad = values.find((v) => !/^vpc-[a-z0-9]{8}$/.test(v));
        if (bad !== undefined) throw invalid("InvalidParameterValue.VpcIdMalformed", field, bad, "expected vpc-xxxxxxxx", "格式应为 vpc-xxxxxxxx");
        return (h) => networks(h).some((n) => values.includes(n.vpcId));
      }
      case "subnet-id": {
        const bad = values.find((v) => !/^subnet-[a-z0-9]{8}$/.test(v));
        if (bad !== undefined) throw invalid("InvalidParameterValue.SubnetIdMalformed", field, bad, "expected subnet-xxxxxxxx", "格式应为 subnet-xxxxxxxx");
        return (h) => networks(h).some((n) => values.includes(n.subnetId));
      }
      case "sn":
        return (h) => values.includes(h.serialNumber);
    }
    throw fail("InvalidFilter", `Unknown filter \`${name}\`; DescribeChcHosts filters on ${CHC_FILTERS.join(", ")}.`, `不支持过滤条件 \`${name}\`；可用的有 ${CHC_FILTERS.join("、")}。`);
  });
  return (h) => tests.every((t) => t(h));
}
