// The Instance object DescribeInstances returns, with every field the spec declares, built from a stored record.
import type * as cvm from "../../../api/generated/cvm-types.js";
import type { InstanceRecord } from "../../../store/store.js";

export function instanceView(r: InstanceRecord): cvm.Instance {
  const d = r.doc;
  return {
    Placement: { Zone: r.zone, ProjectId: r.projectId, ...(d.HostId ? { HostId: d.HostId } : {}) },
    InstanceId: r.instanceId,
    InstanceType: r.instanceType,
    CPU: d.CPU,
    Memory: d.Memory,
    // Expired or isolated for debt: the instance is held until paid for.
    RestrictState: d.IsolatedSource === "EXPIRE" || d.IsolatedSource === "ARREAR" ? "EXPIRED" : "NORMAL",
    InstanceName: r.instanceName,
    InstanceChargeType: r.chargeType,
    SystemDisk: { ...d.SystemDisk, Encrypt: false, KmsKeyId: "" },
    DataDisks: d.DataDisks.map((disk) => ({ ...disk, Encrypt: false, KmsKeyId: null })),
    // None for a failed launch, which gave its address back.
    PrivateIpAddresses: r.privateIp ? [r.privateIp] : [],
    PublicIpAddresses: r.publicIp ? [r.publicIp] : null,
    InternetAccessible: d.InternetAccessible,
    VirtualPrivateCloud: { VpcId: r.vpcId, SubnetId: r.subnetId, AsVpcGateway: false },
    ImageId: r.imageId,
    // Null for a pay-as-you-go instance, as documented ("后付费模式本项为null").
    RenewFlag: d.RenewFlag ?? null,
    CreatedTime: r.createdAt,
    ExpiredTime: d.ExpiredTime ?? null,
    OsName: d.OsName,
    SecurityGroupIds: r.securityGroupIds,
    LoginSettings: { KeyIds: r.keyIds },
    InstanceState: r.state,
    Tags: r.tags.map((t) => ({ Key: t.key, Value: t.value })),
    StopChargingMode: d.StopChargingMode,
    Uuid: r.uuid,
    LatestOperation: r.latestOperation,
    LatestOperationState: r.latestOperationState,
    LatestOperationRequestId: r.latestOperationRequestId,
    LatestOperationErrorMsg: r.latestOperationError,
    DisasterRecoverGroupId: "",
    DisasterRecoverGroupIds: [],
    IPv6Addresses: null,
    CamRoleName: null,
    HpcClusterId: d.HpcClusterId ?? "",
    RdmaIpAddresses: d.RdmaIpAddresses ?? null,
    DedicatedClusterId: "",
    IsolatedSource: d.IsolatedSource,
    LicenseType: "TencentCloud",
    DisableApiTermination: d.DisableApiTermination,
    DefaultLoginUser: d.DefaultLoginUser,
    DefaultLoginPort: d.DefaultLoginPort,
    HostName: d.HostName,
    // OpenCVM's networks carry standard frames only.
    EnableJumboFrame: false,
  };
}
