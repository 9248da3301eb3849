// What DescribeLaunchTemplates and DescribeLaunchTemplateVersions show, and the view a version keeps: its launch
// members resolved the way RunInstances would resolve them (the catalog's defaults filled in), never its password.
import type * as cvm from "../../../api/generated/cvm-types.js";
import type { LaunchTemplateRecord, LaunchTemplateVersionRecord } from "../../../store/store.js";
import type { Plan } from "../instances/run-instances.js";

export function templateView(t: LaunchTemplateRecord): cvm.LaunchTemplateInfo {
  return {
    LatestVersionNumber: t.latestVersion,
    LaunchTemplateId: t.launchTemplateId,
    LaunchTemplateName: t.name,
    DefaultVersionNumber: t.defaultVersion,
    LaunchTemplateVersionCount: t.versionCount,
    CreatedBy: t.createdBy,
    CreationTime: t.createdAt,
  };
}

export function versionView(t: LaunchTemplateRecord, v: LaunchTemplateVersionRecord): cvm.LaunchTemplateVersionInfo {
  return {
    LaunchTemplateVersion: v.version,
    LaunchTemplateVersionData: (v.data as { view: cvm.LaunchTemplateVersionData }).view,
    CreationTime: v.createdAt,
    LaunchTemplateId: t.launchTemplateId,
    IsDefaultVersion: v.version === t.defaultVersion,
    LaunchTemplateVersionDescription: v.description,
    CreatedBy: v.createdBy,
  };
}

/** A version's launch members as RunInstances resolved them (`plan`), for DescribeLaunchTemplateVersions. */
export function resolvedData(m: Partial<cvm.RunInstancesRequest>, plan: Plan): cvm.LaunchTemplateVersionData {
  const asked = m.DataDisks?.length ?? 0;
  const vpc = m.VirtualPrivateCloud;
  const enhanced = m.EnhancedService;
  const optional = {
    ...(m.LoginSettings ? { LoginSettings: { KeyIds: plan.login.keyIds, ...(m.LoginSettings.KeepImageLogin !== undefined ? { KeepImageLogin: m.LoginSettings.KeepImageLogin } : {}) } } : {}),
    ...(m.UserData !== undefined ? { UserData: m.UserData } : {}),
    ...(m.DisasterRecoverGroupIds ? { DisasterRecoverGroupIds: m.DisasterRecoverGroupIds } : {}),
    ...(m.HostName !== undefined ? { HostName: m.HostName } : {}),
    ...(m.ClientToken !== undefined ? { ClientToken: m.ClientToken } : {}),
    ...(m.CamRoleName !== undefined ? { CamRoleName: m.CamRoleName } : {}),
    ...(m.HpcClusterId !== undefined ? { HpcClusterId: m.HpcClusterId } : {}),
    ...(m.InstanceChargePrepaid ? { InstanceChargePrepaid: { Period: m.InstanceChargePrepaid.Period, RenewFlag: plan.renewFlag ?? "NOTIFY_AND_MANUAL_RENEW" } } : {}),
    ...(m.TagSpecification ? { TagSpecification: m.TagSpecification.map((s) => ({ ResourceType: s.ResourceType, Tags: s.Tags.map((t) => ({ Key: t.Key, Value: t.Value })) })) } : {}),
  };
  return {
    Placement: { Zone: plan.zone, ProjectId: plan.projectId },
    InstanceType: plan.type.instanceType,
    InstanceName: plan.namePattern,
    InstanceChargeType: plan.chargeType,
    SystemDisk: { DiskType: plan.systemDisk.DiskType, DiskSize: plan.systemDisk.DiskSize, Encrypt: false, KmsKeyId: "" },
    // The disks asked for follow a custom image's own, which the image brings itself.
    DataDisks: plan.dataDisks.slice(plan.dataDisks.length - asked).map((d) => ({ DiskType: d.DiskType, DiskSize: d.DiskSize, DeleteWithInstance: d.DeleteWithInstance, Encrypt: false, KmsKeyId: null })),
    InternetAccessible: { InternetChargeType: plan.internet.InternetChargeType, InternetMaxBandwidthOut: plan.internet.InternetMaxBandwidthOut, PublicIpAssigned: plan.internet.PublicIpAssigned },
    VirtualPrivateCloud: { VpcId: vpc?.VpcId ?? "", SubnetId: vpc?.SubnetId ?? "", AsVpcGateway: false, ...(vpc?.PrivateIpAddresses ? { PrivateIpAddresses: vpc.PrivateIpAddresses } : {}) },
    ImageId: plan.image.imageId,
    SecurityGroupIds: plan.securityGroupIds,
    InstanceCount: plan.count,
    EnhancedService: {
      SecurityService: { Enabled: enhanced?.SecurityService?.Enabled ?? true },
      MonitorService: { Enabled: enhanced?.MonitorService?.Enabled ?? true },
      AutomationService: { Enabled: enhanced?.AutomationService?.Enabled ?? false },
    },
    DisableApiTermination: plan.disableApiTermination,
    ...optional,
  };
}
